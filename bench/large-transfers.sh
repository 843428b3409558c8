#!/usr/bin/env bash
# Large replies and large values through RedisRing against its peers, in one run on loopback
# (issue 16): redis-server directly, nutcracker (twemproxy) over 3 nodes, and the RedisRing proxy
# over the same 3 nodes with --replicas 2.
#   LRANGE key 0 -1 of a list of 10k, 100k and 1M 10-byte elements (each list written through the
#     target itself with RPUSH of 10,000 elements per command; that fill is timed once too, after
#     an untimed one);
#   SET and GET of 1, 16 and 64 MB values.
# The client is bench/RedisRing.LargeTransfer.Benchmarks: raw RESP over one socket per target,
# every reply read to its last byte and checked, one untimed warm-up through each target, then
# ROUNDS rounds (ROUNDS_1M for the 1M list and the 64 MB values) that go through the three targets
# one after the other in an order rotated from round to round; the table gives each median. A
# command not answered completely within DEADLINE_S seconds, an error reply or a dropped connection
# ends that target's measurement and shows in the table as FAIL with its reason. Time ratios: > 1 means RedisRing is slower.
# The proxy and nutcracker RSS (VmRSS) is read idle before any load, right after the transfers and
# after 10 s idle; VmHWM is the peak.
# Usage: bench/large-transfers.sh
# Environment: ROUNDS (5), ROUNDS_1M (3), DEADLINE_S (30), COMMAND_TIMEOUT_MS (unset: the proxy's
# default --command-timeout-ms, 30000; set it to pass --command-timeout-ms to the proxy).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}
rounds_big=${ROUNDS_1M:-3}
export LARGE_TRANSFER_DEADLINE_S=${DEADLINE_S:-30}
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

scripts/install-deps.sh >/dev/null
dotnet build proxy/RedisRing.Proxy.csproj -c Release -nologo -v quiet >/dev/null
dotnet build bench/RedisRing.LargeTransfer.Benchmarks/RedisRing.LargeTransfer.Benchmarks.csproj -c Release -nologo -v quiet >/dev/null
client=bench/RedisRing.LargeTransfer.Benchmarks/bin/Release/net10.0/RedisRing.LargeTransfer.Benchmarks.dll

# shellcheck source=bench/loopback.sh
source bench/loopback.sh

direct=$(free_port); start_redis "$direct"
nodes=()
for _ in 1 2 3; do p=$(free_port); start_redis "$p"; nodes+=("$p"); done

nc_port=$(free_port)
start_nutcracker "$nc_port" "${nodes[@]}"
nc_pid=${pids[-1]}

proxy_port=$(free_port)
args=(--listen "127.0.0.1:$proxy_port" --replicas 2)
for p in "${nodes[@]}"; do args+=(--node "127.0.0.1:$p"); done
if [[ -n ${COMMAND_TIMEOUT_MS:-} ]]; then
  args+=(--command-timeout-ms "$COMMAND_TIMEOUT_MS")
  timeout_note="--command-timeout-ms $COMMAND_TIMEOUT_MS (passed by COMMAND_TIMEOUT_MS; the default is 30000)"
else
  timeout_note="the default --command-timeout-ms (30000 ms) and --liveness-timeout-ms (1000 ms)"
fi
echo "bench: the proxy runs with --replicas 2 and $timeout_note" >&2
REDISRING_STATE_FILE="$work/proxy.state.json" dotnet proxy/bin/Release/net10.0/redisring-proxy.dll "${args[@]}" > "$work/proxy.log" 2>&1 &
pids+=($!)
proxy_pid=$!
wait_port "$proxy_port"

targets=("direct:$direct" "nutcracker:$nc_port" "redisring:$proxy_port")

# memory PID: "VmRSS MB (peak VmHWM MB)", or a note when the process is gone.
memory() {
  if [[ -r /proc/$1/status ]]; then
    awk '/^VmRSS/ {rss = $2} /^VmHWM/ {hwm = $2} END {printf "%d MB (peak %d MB)", rss / 1024, hwm / 1024}' "/proc/$1/status"
  else
    echo "process exited"
  fi
}
declare -A rss
sleep 1
rss[redisring|idle]=$(memory "$proxy_pid"); rss[nutcracker|idle]=$(memory "$nc_pid")

# result[row|target] = "ok MEDIAN_MS SAMPLES..." or "fail REASON"; bytes[row] = bytes moved by one command.
declare -A result bytes
rows=(); fill_rows=()
specs=()
for target in "${targets[@]}"; do specs+=("${target%%:*}=${target##*:}"); done
# run_client MODE KEY SIZE ROUNDS: the client's lines for every target. It bounds every command
# itself; the outer bound only catches a client that hangs anyway.
run_client() {
  local limit=$(( (LARGE_TRANSFER_DEADLINE_S + 5) * ($4 + 3) * ${#targets[@]} )) out
  if ! out=$(timeout "$limit" dotnet "$client" "$@" "${specs[@]}" 2>"$work/client.err"); then
    out+=$'\n'"exit fail the client stopped: $(tail -n 1 "$work/client.err" | tr '|' '/')"
  fi
  echo "$out"
}
# record ROW OP TARGET OUTPUT: keeps the client's result for that row and target, or a failure.
record() {
  local line
  line=$(grep -m1 "^$2 $3 " <<<"$4" || true)
  line=${line#"$2 $3 "}
  if [[ -z $line ]]; then line="fail no result ($(grep -m1 '^exit ' <<<"$4" | cut -d' ' -f3- || true))"; fi
  result[$1|$3]=$line
  echo "bench: $1 via $3: $line" >&2
}

for size in 10000 100000 1000000; do
  label=$(( size >= 1000000 ? size / 1000000 : size / 1000 ))$( (( size >= 1000000 )) && echo M || echo k)
  n=$rounds; (( size >= 1000000 )) && n=$rounds_big
  row="LRANGE 0 -1, $label elements"; rows+=("$row")
  fill="DEL + RPUSH $label elements (10k per command, timed once)"; fill_rows+=("$fill")
  out=$(run_client lrange "lt:list:$size" "$size" "$n")
  for target in "${targets[@]}"; do
    record "$fill" fill "${target%%:*}" "$out"
    record "$row" lrange "${target%%:*}" "$out"
  done
done

for mb in 1 16 64; do
  n=$rounds; (( mb >= 64 )) && n=$rounds_big
  for op in SET GET; do rows+=("$op $mb MB"); bytes[$op $mb MB]=$(( mb * 1048576 )); done
  out=$(run_client value "lt:value:$mb" "$mb" "$n")
  for target in "${targets[@]}"; do
    record "SET $mb MB" set "${target%%:*}" "$out"
    record "GET $mb MB" get "${target%%:*}" "$out"
  done
done

rss[redisring|after]=$(memory "$proxy_pid"); rss[nutcracker|after]=$(memory "$nc_pid")
sleep 10
rss[redisring|idle10]=$(memory "$proxy_pid"); rss[nutcracker|idle10]=$(memory "$nc_pid")

# cell ROW TARGET: "12.34 ms" (with MB/s for values), or the failure.
cell() {
  local r=${result[$1|$2]:-fail not run}
  if [[ $r == ok\ * ]]; then
    read -r _ median _ <<<"$r"
    if [[ -n ${bytes[$1]:-} ]]; then
      awk -v t="$median" -v b="${bytes[$1]}" 'BEGIN { printf "%.1f ms (%.0f MB/s)", t, b / 1048576 / (t / 1000) }'
    else
      printf '%s ms' "$median"
    fi
  else
    printf '**FAIL**: %s' "${r#fail }"
  fi
}
# ratio ROW A B: median time of A over that of B, or "-" when either failed.
ratio() {
  local a=${result[$1|$2]:-fail} b=${result[$1|$3]:-fail} ta tb
  if [[ $a == ok\ * && $b == ok\ * ]]; then
    read -r _ ta _ <<<"$a"; read -r _ tb _ <<<"$b"
    awk -v a="$ta" -v b="$tb" 'BEGIN { printf "%.2fx", a / b }'
  else
    printf -- '-'
  fi
}

echo
echo "| workload | direct | nutcracker | redisring (R=2) | redisring/direct | redisring/nutcracker |"
echo "|---|---:|---:|---:|---:|---:|"
for row in "${rows[@]}" "${fill_rows[@]}"; do
  echo "| $row | $(cell "$row" direct) | $(cell "$row" nutcracker) | $(cell "$row" redisring) | $(ratio "$row" redisring direct) | $(ratio "$row" redisring nutcracker) |"
done
echo
echo "| RSS (VmRSS, peak VmHWM) | idle, before any load | right after the transfers | after 10 s idle |"
echo "|---|---:|---:|---:|"
for name in redisring nutcracker; do
  echo "| $name | ${rss[$name|idle]} | ${rss[$name|after]} | ${rss[$name|idle10]} |"
done
echo
echo "Each time is the median of $rounds timed commands ($rounds_big for the 1M list and the 64 MB values; the three targets interleaved, in rotated order) after one untimed warm-up, from sending the command to the reply's last byte; client deadline ${LARGE_TRANSFER_DEADLINE_S} s per command; the proxy ran with $timeout_note."
warnings=$(grep -ciE 'warn|fail|error|exception' "$work/proxy.log" || true)
echo "Proxy log: $warnings lines mention a warning, failure or error$( ((warnings > 0)) && echo "; the first: $(grep -m1 -iE 'warn|fail|error|exception' "$work/proxy.log" | cut -c1-200)")."
echo "machine: $(nproc) cores, $(uname -r), load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg); $(( $(date +%s) - started )) s in all"
