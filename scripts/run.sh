#!/usr/bin/env bash
# Starts a local RedisRing in the foreground, all on loopback: ZooKeeper (127.0.0.1:2181) holding
# the membership, 3 redis-server nodes (7001-7003) each with its registrar sidecar, the proxy on
# 127.0.0.1:6380 taking its ring from ZooKeeper (2 copies of every key), and the captcha service
# with its demo site on http://127.0.0.1:8080/demo/ storing its state through the proxy.
# Every run is a brand-new cluster (empty Redis, fresh ZooKeeper data, new credentials).
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build proxy/RedisRing.Proxy.csproj -c Release -nologo -v quiet
dotnet build registrar/RedisRing.Registrar.csproj -c Release -nologo -v quiet
dotnet build captcha/RedisRing.Captcha.csproj -c Release -nologo -v quiet

state="$root/.local/run"
mkdir -p "$state"
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "run: stopping ${#pids[@]} processes"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

for port in 2181 7001 7002 7003 6380 8080; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run: port $port is already in use; stop whatever listens there first" >&2
    exit 1
  fi
done
# ZooKeeper, fresh for every run.
rm -rf "$state/zookeeper"
scripts/zookeeper.sh 2181 "$state/zookeeper" > "$state/zookeeper.log" 2>&1 &
pids+=($!)

for port in 7001 7002 7003; do
  mkdir -p "$state/redis-$port"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$state/redis-$port" --save "" --appendonly no \
    --daemonize no --logfile "$state/redis-$port/redis.log" &
  pids+=($!)
done

# New credentials every run, handed to the processes through the environment only (never on a
# command line, where ps would show them); kept in a file only the user can read.
umask 077
cluster_auth="registrar:$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
proxy_auth="proxy:$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
printf 'REDISRING_ZK_AUTH=%s\nREDISRING_ZK_PROXY_AUTH=%s\n' "$cluster_auth" "$proxy_auth" > "$state/credentials.env"
umask 022
registrar="dotnet registrar/bin/Release/net10.0/redisring-registrar.dll"

zookeeper_ready() {
  local answer
  answer=$( (exec 3<>/dev/tcp/127.0.0.1/2181 && printf ruok >&3 && timeout 2 cat <&3) 2>/dev/null ) || true
  [ "$answer" = imok ]
}
for _ in $(seq 1 300); do
  if zookeeper_ready; then break; fi
  sleep 0.1
done
if ! zookeeper_ready; then
  echo "run: ZooKeeper did not start; see $state/zookeeper.log" >&2
  exit 1
fi
# The creation step names the initial nodes: they are `up` members that the proxy serves only once
# every one of them has registered (docs/zookeeper.md, "Brand-new cluster").
REDISRING_ZK_AUTH="$cluster_auth" REDISRING_ZK_PROXY_AUTH="$proxy_auth" $registrar create-cluster \
  --zookeeper 127.0.0.1:2181 --cluster local --replicas 2 \
  --node 127.0.0.1:7001 --node 127.0.0.1:7002 --node 127.0.0.1:7003
for port in 7001 7002 7003; do
  REDISRING_ZK_AUTH="$cluster_auth" $registrar run --redis "127.0.0.1:$port" \
    --zookeeper 127.0.0.1:2181 --cluster local > "$state/registrar-$port.log" 2>&1 &
  pids+=($!)
done

REDISRING_ZK_PROXY_AUTH="$proxy_auth" dotnet proxy/bin/Release/net10.0/redisring-proxy.dll --listen 127.0.0.1:6380 \
  --zookeeper 127.0.0.1:2181 --cluster local &
pids+=($!)

# Ready means: every initial node registered (nothing to wait for), three readable nodes, and a
# write through the proxy answered. Anything else after 30 s is a failed start, said loudly.
ring_ready() {
  local info
  info=$(redis-cli -p 6380 INFO ring 2>/dev/null | tr -d '\r') || return 1
  grep -qx 'ring_waiting_for:' <<<"$info" && grep -qx 'ring_readable_nodes:3' <<<"$info" \
    && [ "$(redis-cli -p 6380 SET redisring:run:ready 1 2>/dev/null)" = OK ]
}
ready=0
for _ in $(seq 1 300); do
  if ring_ready; then ready=1; break; fi
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  echo "run: the cluster did not become ready within 30 s. The proxy's view:" >&2
  redis-cli -p 6380 INFO ring >&2 || echo "(the proxy on 127.0.0.1:6380 does not answer)" >&2
  echo "run: logs are in $state (registrar-*.log, zookeeper.log, redis-*/redis.log)" >&2
  exit 1
fi
redis-cli -p 6380 DEL redisring:run:ready > /dev/null

dotnet captcha/bin/Release/net10.0/redisring-captcha.dll --urls http://127.0.0.1:8080 \
  --Redis:Configuration 127.0.0.1:6380 --Logging:Console:FormatterName simple > "$state/captcha.log" 2>&1 &
pids+=($!)

cat <<TXT

RedisRing is running: 3 redis-server nodes (127.0.0.1:7001-7003) with their registrars, membership
in ZooKeeper (127.0.0.1:2181, cluster "local"), 2 copies of every key. Connect with:

    redis-cli -p 6380

The captcha demo (a form protected by the slide puzzle) is at http://127.0.0.1:8080/demo/
The ring as the proxy sees it: redis-cli -p 6380 INFO ring
Credentials of this run (for redisring-registrar promote etc.): $state/credentials.env
The cluster as operators see it (docs/ringctl.md; ringctl is built with the registrar):
    set -a; . $state/credentials.env; set +a
    dotnet ringctl/bin/Release/net10.0/ringctl.dll status --zookeeper 127.0.0.1:2181 --cluster local
Logs: $state. Press Ctrl-C to stop everything.
TXT
wait
