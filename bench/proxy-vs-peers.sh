#!/usr/bin/env bash
# Throughput and latency of RedisRing against its peers, in one run on loopback:
#   redis-server directly, nutcracker (twemproxy) over 3 nodes, and the RedisRing proxy over the
#   same 3 nodes with R=1 and R=2. Each row is redis-benchmark -c 50 -n $REQUESTS with random keys.
# Every target is warmed up first (untimed), then each row is measured ROUNDS times (default 5),
# the four targets one after the other within a round and in a rotated order from round to round,
# so that a slow stretch of the shared machine falls on all of them alike. The table gives the
# median of the rounds' figures, the median of the rounds' ratios to nutcracker (within a round
# the targets of a row run back to back, so each ratio compares like with like) and every round's
# ratio, then the proxy's peak RSS and its allocations per request.
# Usage: bench/proxy-vs-peers.sh [requests]   (default 200000; ROUNDS=n in the environment, default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-200000}
rounds=${ROUNDS:-5}
clients=50
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

scripts/install-deps.sh >/dev/null
dotnet build proxy/RedisRing.Proxy.csproj -c Release -nologo -v quiet >/dev/null

# shellcheck source=bench/loopback.sh
source bench/loopback.sh

direct=$(free_port); start_redis "$direct"
nodes=()
for _ in 1 2 3; do p=$(free_port); start_redis "$p"; nodes+=("$p"); done

nc_port=$(free_port)
start_nutcracker "$nc_port" "${nodes[@]}"

declare -A proxy_pid
for r in 1 2; do
  port=$(free_port)
  args=(--listen "127.0.0.1:$port" --replicas "$r")
  for p in "${nodes[@]}"; do args+=(--node "127.0.0.1:$p"); done
  REDISRING_STATE_FILE="$work/proxy-r$r.state.json" dotnet proxy/bin/Release/net10.0/redisring-proxy.dll "${args[@]}" > "$work/proxy-r$r.log" 2>&1 &
  pids+=($!)
  proxy_pid[$r]=$!
  wait_port "$port"
  declare "proxy_r${r}_port=$port"
done

targets=("redis-direct:$direct" "nutcracker:$nc_port" "redisring-R1:$proxy_r1_port" "redisring-R2:$proxy_r2_port")
allocated() { redis-cli -p "$1" INFO stats | tr -d '\r' | awk -F: '/^allocated_bytes/ {print $2}'; }

# Warm-up, not measured: the proxies' hot paths are compiled by the JIT during their first
# seconds of load, and the first SET run also fills the key space the later runs overwrite.
for target in "${targets[@]}"; do
  port=${target##*:}
  redis-benchmark -p "$port" -c "$clients" -n 50000 -P 1 -r 1000000 -t set,get -q >/dev/null 2>&1
  redis-benchmark -p "$port" -c "$clients" -n 100000 -P 16 -r 1000000 -t set,get -q >/dev/null 2>&1
done

declare -A rps p50 p99 alloc_before alloc_after
for target in "${targets[@]}"; do
  name=${target%%:*}; port=${target##*:}
  if [[ $name == redisring-* ]]; then alloc_before[$name]=$(allocated "$port"); fi
done
for round in $(seq 1 "$rounds"); do
  # Rotate the order of the targets each round.
  order=("${targets[@]:$(( (round - 1) % ${#targets[@]} ))}" "${targets[@]:0:$(( (round - 1) % ${#targets[@]} ))}")
  for pipeline in 1 16; do
    for test in set get; do
      for target in "${order[@]}"; do
        name=${target%%:*}; port=${target##*:}
        line=$(redis-benchmark -p "$port" -c "$clients" -n "$requests" -P "$pipeline" -r 1000000 -t "$test" --csv 2>/dev/null | tail -n 1)
        # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        IFS=',' read -r _ r _ _ l50 _ l99 _ <<<"$(tr -d '"' <<<"$line")"
        key="$name|$test|$pipeline|$round"
        rps[$key]=$r; p50[$key]=$l50; p99[$key]=$l99
        echo "bench: round $round $name ${test^^} -P $pipeline: $r req/s, p50 $l50 ms, p99 $l99 ms" >&2
      done
    done
  done
done
for target in "${targets[@]}"; do
  name=${target%%:*}; port=${target##*:}
  if [[ $name == redisring-* ]]; then alloc_after[$name]=$(allocated "$port"); fi
done

# Median of a list of numbers, one per line, printed with the printf format $1.
median_of() {
  sort -g | awk -v f="$1\n" '{ v[NR] = $1 } END { printf f, NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Median over the rounds of one array for one row: median ARRAY format name test pipeline
median() {
  local -n values=$1
  local round
  for round in $(seq 1 "$rounds"); do echo "${values[$3|$4|$5|$round]}"; done | median_of "$2"
}

peak_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
echo
echo "| target | test | pipeline | requests/s (median) | p50 ms | p99 ms | vs nutcracker (median of rounds) | each round vs nutcracker |"
echo "|---|---|---|---:|---:|---:|---:|---|"
for target in "${targets[@]}"; do
  name=${target%%:*}
  for pipeline in 1 16; do
    for test in set get; do
      each=()
      for round in $(seq 1 "$rounds"); do
        each+=("$(awk -v a="${rps[$name|$test|$pipeline|$round]}" -v b="${rps[nutcracker|$test|$pipeline|$round]}" 'BEGIN { printf "%.2f", a / b }')")
      done
      ratio=$(printf '%s\n' "${each[@]}" | median_of %.2f)
      echo "| $name | ${test^^} | $pipeline | $(median rps %.0f "$name" "$test" "$pipeline") | $(median p50 %.3f "$name" "$test" "$pipeline") | $(median p99 %.3f "$name" "$test" "$pipeline") | ${ratio}x | ${each[*]} |"
    done
  done
done
echo
for r in 1 2; do
  bytes=$(( ${alloc_after[redisring-R$r]} - ${alloc_before[redisring-R$r]} ))
  per=$(awk -v b="$bytes" -v n="$((requests * 4 * rounds))" 'BEGIN { printf "%.1f", b / n }')
  echo "redisring-R$r: peak RSS $(( $(peak_kb "${proxy_pid[$r]}") / 1024 )) MB, $per bytes allocated per request during its runs (connections of redis-benchmark included)"
done
echo "nutcracker: peak RSS $(( $(peak_kb "$(pgrep -f "nutcracker -c $work" | head -n1)") / 1024 )) MB"
echo "machine: $(nproc) cores, $(uname -r), load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg); $rounds rounds of $requests requests per row, $(( $(date +%s) - started )) s in all"
