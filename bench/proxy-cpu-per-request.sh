#!/usr/bin/env bash
# Where the CPU of one request goes: nutcracker and one or more RedisRing proxy builds over the same
# 3 redis-servers on loopback, redis-benchmark -c $CLIENTS -n $REQUESTS -P $PIPELINE against each
# in turn, ROUNDS interleaved rounds. For every run it prints requests/s and the CPU per request of
# the proxy (user and total), of the three redis-servers together and of redis-benchmark, from
# /proc (utime + stime), plus the machine's idle share and TCP segments sent per request. With
# SYSCALLS=1 (needs perf) it adds the proxy's system calls, wake-ups and context switches per request.
# Used for the A/B figures in docs/benchmarks.md: pass several builds (each a folder holding
# redisring-proxy.dll; an optional file "env" in it holds VAR=value lines for that build).
# Usage: bench/proxy-cpu-per-request.sh [build-dir ...]   (default: proxy/bin/Release/net10.0)
# Environment: ROUNDS (3), REQUESTS (200000), CLIENTS (50), PIPELINE (1), TESTS ("set get"), REPLICAS (1)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
requests=${REQUESTS:-200000}
clients=${CLIENTS:-50}
pipeline=${PIPELINE:-1}
tests=${TESTS:-set get}
replicas=${REPLICAS:-1}
if [[ $# -eq 0 ]]; then
  scripts/install-deps.sh >/dev/null
  dotnet build proxy/RedisRing.Proxy.csproj -c Release -nologo -v quiet >/dev/null
  set -- proxy/bin/Release/net10.0
fi

# shellcheck source=bench/loopback.sh
source bench/loopback.sh

nodes=(); redis_pids=()
for _ in 1 2 3; do p=$(free_port); start_redis "$p"; nodes+=("$p"); redis_pids+=("${pids[-1]}"); done

nc_port=$(free_port)
start_nutcracker "$nc_port" "${nodes[@]}"
declare -A port pid
names=(nutcracker); port[nutcracker]=$nc_port; pid[nutcracker]=${pids[-1]}

for dir in "$@"; do
  name=$(basename "$(cd "$dir" && pwd)")
  [[ $name == net10.0 ]] && name=redisring
  [[ -n ${port[$name]:-} ]] && name="$name-${#names[@]}"
  p=$(free_port)
  args=(--listen "127.0.0.1:$p" --replicas "$replicas")
  for q in "${nodes[@]}"; do args+=(--node "127.0.0.1:$q"); done
  # The state file (static node list) stays in this run's work folder; through the environment, so
  # that builds from before the option start the same way.
  # shellcheck disable=SC2046 # one VAR=value per line
  env REDISRING_STATE_FILE="$work/$name.state.json" $(cat "$dir/env" 2>/dev/null) dotnet "$dir/redisring-proxy.dll" "${args[@]}" > "$work/$name.log" 2>&1 &
  pids+=($!); names+=("$name"); port[$name]=$p; pid[$name]=$!
  wait_port "$p"
done

# Warm-up, not measured (JIT compilation of the proxies' hot paths, the key space filled).
for name in "${names[@]}"; do
  redis-benchmark -p "${port[$name]}" -c "$clients" -n 50000 -P "$pipeline" -r 1000000 -t set,get -q >/dev/null 2>&1
done

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
user_ticks() { awk '{ print $14 }' "/proc/$1/stat"; }
redis_ticks() { local sum=0 p; for p in "${redis_pids[@]}"; do sum=$(( sum + $(cpu_ticks "$p") )); done; echo "$sum"; }
machine() { awk '/^cpu / { total = 0; for (i = 2; i <= NF; i++) total += $i; print $5 + $6, total }' /proc/stat; }
segments() { nstat -az TcpOutSegs 2>/dev/null | awk '/TcpOutSegs/ { print $2 }'; }
per_request() { awk -v a="$1" -v b="$2" -v n="$requests" -v t="$ticks" 'BEGIN { printf "%.1f", (b - a) / t * 1e6 / n }'; }

printf '%-5s %-4s %-14s %9s %12s %10s %12s %12s %6s %9s %s\n' round test target 'req/s' 'proxy us' 'of it user' 'redis us' 'bench us' idle 'segs/req' "${SYSCALLS:+syscalls, wake-ups and switches per request}"
for round in $(seq 1 "$rounds"); do
  for test in $tests; do
    for name in "${names[@]}"; do
      target=${pid[$name]}
      if [[ -n ${SYSCALLS:-} ]]; then
        perf stat -x, -o "$work/perf.txt" -p "$target" \
          -e syscalls:sys_enter_sendto,syscalls:sys_enter_recvfrom,syscalls:sys_enter_read,syscalls:sys_enter_writev,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_ctl,syscalls:sys_enter_futex,sched:sched_wakeup,sched:sched_switch &
        perf_pid=$!; sleep 0.3
      fi
      c0=$(cpu_ticks "$target"); u0=$(user_ticks "$target"); r0=$(redis_ticks); read -r idle0 total0 < <(machine); s0=$(segments)
      /usr/bin/time -f '%U %S' -o "$work/bench-time" \
        redis-benchmark -p "${port[$name]}" -c "$clients" -n "$requests" -P "$pipeline" -r 1000000 -t "$test" --csv > "$work/bench-out" 2>/dev/null
      extra=""
      if [[ -n ${SYSCALLS:-} ]]; then
        kill -INT "$perf_pid"; wait "$perf_pid" || true
        extra=$(awk -F, -v n="$requests" '/syscalls|sched/ { k = split($3, part, /[_:]/); v = $1 / n; if (v > 0.005) printf "%s=%.2f ", part[k], v }' "$work/perf.txt")
      fi
      c1=$(cpu_ticks "$target"); u1=$(user_ticks "$target"); r1=$(redis_ticks); read -r idle1 total1 < <(machine); s1=$(segments)
      rps=$(tail -n 1 "$work/bench-out" | tr -d '"' | cut -d, -f2)
      bench=$(awk -v n="$requests" '{ printf "%.1f", ($1 + $2) * 1e6 / n }' "$work/bench-time")
      idle=$(awk -v a="$idle0" -v b="$idle1" -v c="$total0" -v d="$total1" 'BEGIN { printf "%.0f%%", (b - a) * 100 / (d - c) }')
      segs=$(awk -v a="$s0" -v b="$s1" -v n="$requests" 'BEGIN { printf "%.2f", (b - a) / n }')
      printf '%-5s %-4s %-14s %9.0f %12s %10s %12s %12s %6s %9s %s\n' "$round" "$test" "$name" "$rps" \
        "$(per_request "$c0" "$c1")" "$(per_request "$u0" "$u1")" "$(per_request "$r0" "$r1")" "$bench" "$idle" "$segs" "$extra"
    done
  done
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); R=$replicas, $clients clients, -P $pipeline, $requests requests per run"
