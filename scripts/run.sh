#!/usr/bin/env bash
# Starts a local RedisRing in the foreground: 3 redis-server nodes on loopback behind the proxy
# on 127.0.0.1:6380 (2 copies of every key), and the captcha service with its demo site on
# http://127.0.0.1:8080/demo/ storing its state through the proxy. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build proxy/RedisRing.Proxy.csproj -c Release -nologo -v quiet
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

for port in 7001 7002 7003 6380 8080; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run: port $port is already in use; stop whatever listens there first" >&2
    exit 1
  fi
done
for port in 7001 7002 7003; do
  mkdir -p "$state/redis-$port"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$state/redis-$port" --save "" --appendonly no \
    --daemonize no --logfile "$state/redis-$port/redis.log" &
  pids+=($!)
done

dotnet proxy/bin/Release/net10.0/redisring-proxy.dll --listen 127.0.0.1:6380 --replicas 2 \
  --node 127.0.0.1:7001 --node 127.0.0.1:7002 --node 127.0.0.1:7003 &
pids+=($!)

for _ in $(seq 1 100); do
  if redis-cli -p 6380 PING >/dev/null 2>&1; then break; fi
  sleep 0.1
done

dotnet captcha/bin/Release/net10.0/redisring-captcha.dll --urls http://127.0.0.1:8080 \
  --Redis:Configuration 127.0.0.1:6380 --Logging:Console:FormatterName simple > "$state/captcha.log" 2>&1 &
pids+=($!)

cat <<TXT

RedisRing is running: 3 redis-server nodes (127.0.0.1:7001-7003), 2 copies of every key.
Connect with:

    redis-cli -p 6380

The captcha demo (a form protected by the slide puzzle) is at http://127.0.0.1:8080/demo/
Logs: $state. Press Ctrl-C to stop everything.
TXT
wait
