#!/usr/bin/env bash
# Does an unreachable ZooKeeper slow the patched server down? Runs redis-benchmark (SET/GET,
# 50 clients, pipeline 1) against, side by side on loopback:
#   stock        Debian's redis-server
#   patched-off  the patched build without zookeeper-connect
#   patched-down the patched build whose zookeeper-connect points at a port nothing listens on
# and prints requests per second and the server's CPU time per request (utime+stime from
# /proc/<pid>/stat), with the load average, since wall-clock figures are noisy on a shared machine.
#   redis-patch/bench.sh [requests] [rounds]    (default 200000 per test, 2 interleaved rounds)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
patched="$(dirname "$here")/.local/redis-patch/bin/redis-server"
requests=${1:-200000}
rounds=${2:-2}
[ -x "$patched" ] || { echo "bench: $patched is missing: run redis-patch/build.sh" >&2; exit 1; }
command -v redis-benchmark >/dev/null || { echo "bench: redis-benchmark is missing (apt-get install redis-tools)" >&2; exit 1; }

free_port() { python3 - <<'EOF' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
EOF
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() {
  local name=$1 binary=$2; shift 2
  local port dir pid before after rps
  port=$(free_port)
  dir=$(mktemp -d)
  "$binary" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" --logfile "$dir/log" "$@" &
  pid=$!
  for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
  sleep 1.5   # let the patched-down server reach its "not reachable" state
  before=$(cpu_ticks "$pid")
  rps=$(redis-benchmark -p "$port" -c 50 -n "$requests" -t set,get -q 2>/dev/null | tr '\r' '\n' | grep -o '[A-Z]*: [0-9.]* requests per second' | awk '{printf "%s %s  ", $1, $2}')
  after=$(cpu_ticks "$pid")
  local ticks=$((after - before)) hz
  hz=$(getconf CLK_TCK)
  printf '%-13s %s cpu %s us/request\n' "$name" "$rps" "$(awk -v t="$ticks" -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.2f", t * 1000000 / hz / (2 * n) }')"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}

echo "bench: $requests requests per test, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$rounds"); do
  run stock redis-server
  run patched-off "$patched"
  run patched-down "$patched" --zookeeper-connect "127.0.0.1:$(free_port)" --zookeeper-cluster bench
done
echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
