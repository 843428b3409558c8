#!/usr/bin/env bash
# Pipelined getData/setData throughput and latency of RedisRing.ZooKeeper against one local
# ZooKeeper (Debian's package), with the Java client's numbers on the same server side by side.
# Usage: bench/RedisRing.ZooKeeper.Benchmarks/run-load.sh [seconds per run, default 10]
set -euo pipefail

seconds="${1:-10}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
port=$((30000 + RANDOM % 20000))
cat > "$work/zoo.cfg" <<CFG
tickTime=2000
dataDir=$work/data
clientPort=$port
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=*
maxClientCnxns=0
CFG
mkdir -p "$work/data"
java -cp /usr/share/java/zookeeper.jar:"$work" org.apache.zookeeper.server.quorum.QuorumPeerMain "$work/zoo.cfg" >"$work/zookeeper.log" 2>&1 &
zk_pid=$!
trap 'kill -9 $zk_pid 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.2
done

dotnet build -c Release "$here" -v quiet -nologo >/dev/null
dll="$here/bin/Release/net10.0/RedisRing.ZooKeeper.Benchmarks.dll"
echo "ZooKeeper $(java -cp /usr/share/java/zookeeper.jar org.apache.zookeeper.Version 2>/dev/null | head -1 || echo 3.8) on 127.0.0.1:$port, ${seconds}s per run, 100-byte data"
for op in get set; do
  for inflight in 1 64; do
    dotnet "$dll" load "127.0.0.1:$port" "$op" "$inflight" "$seconds"
    java -cp /usr/share/java/zookeeper.jar "$here/java/ZkBaseline.java" "127.0.0.1:$port" "$op" "$inflight" "$seconds" 2>/dev/null | grep -v '^SLF4J'
  done
done
