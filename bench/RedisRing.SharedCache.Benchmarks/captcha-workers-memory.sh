#!/usr/bin/env bash
# Memory per captcha worker with many sites: the real service, N workers on the shared settings
# cache, against N single processes (--workers 0) that each load the same sites in-process.
# Prints RSS and PSS per process from /proc/PID/smaps_rollup, and for the shared workers the RSS and
# PSS of the cache file's mapping from /proc/PID/smaps.
# Usage: bench/RedisRing.SharedCache.Benchmarks/captcha-workers-memory.sh [sites] [workers]
# Needs: the captcha built in Release (dotnet build captcha -c Release), redis-server, python3, curl.
set -euo pipefail
sites=${1:-100000}
workers=${2:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
dll="$root/captcha/bin/Release/net10.0/redisring-captcha.dll"
work=$(mktemp -d /tmp/captcha-memory-XXXXXX)
cache="/dev/shm/redisring-captcha-memory-bench-$$.cache"
base_port=$((20000 + RANDOM % 20000))
redis_port=$base_port
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work" "$cache" "$cache".*
}
trap cleanup EXIT

python3 - "$sites" > "$work/sites.json" <<'PY'
import json, sys, hashlib
n = int(sys.argv[1])
sites = [{
    "siteKey": f"site-{i:07d}",
    "secretSha256": hashlib.sha256(f"secret-{i}".encode()).hexdigest(),
    "allowedHostnames": [f"www.customer-{i:07d}.example", f"customer-{i:07d}.example"],
    "tolerance": 0.02, "decoys": 1 + i % 3, "imageWidth": 320, "imageHeight": 160,
    "theme": "dark" if i % 2 else "light", "imageFormat": "webp",
    "challengeTtlSeconds": 120, "tokenTtlSeconds": 120, "minSolveMilliseconds": 600,
    "challengesPerIpPerMinute": 60, "failuresPerIpPerHour": 30,
} for i in range(n)]
json.dump({"sites": sites}, sys.stdout)
PY
echo "settings file: $(( $(stat -c %s "$work/sites.json") / 1024 )) KiB, $sites sites"

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no > "$work/redis.log" 2>&1 &
pids+=($!)

common=(--Redis:Configuration "127.0.0.1:$redis_port" --Settings:JsonPath "$work/sites.json"
  --Images:PoolSize 0 --Demo:Enabled false --Logging:LogLevel:Default Warning --Logging:Console:FormatterName simple)

# Waits until $2 different processes answered /healthz on port $1 with all sites loaded.
wait_loaded() {
  local port=$1 want=$2 seen=""
  for _ in $(seq 1 1200); do
    local body
    body=$(curl -s -H 'Connection: close' "http://127.0.0.1:$port/healthz" || true)
    if [[ "$body" == *"\"sites\":$sites,"* ]]; then
      local pid=${body#*\"pid\":}; pid=${pid%%,*}
      [[ " $seen " == *" $pid "* ]] || seen="$seen $pid"
      if [ "$(wc -w <<< "$seen")" -ge "$want" ]; then return 0; fi
    fi
    sleep 0.1
  done
  echo "port $port: not loaded" >&2; return 1
}

kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/smaps_rollup"; }

# RSS and PSS (KiB) of the mappings of files whose path contains $2.
mapping() {
  awk -v name="$2" '
    /^[0-9a-f]+-[0-9a-f]+ / { inside = index($0, name) > 0 }
    inside && $1 == "Rss:" { rss += $2 }
    inside && $1 == "Pss:" { pss += $2 }
    END { printf "%d %d\n", rss, pss }' "/proc/$1/smaps"
}

port=$((base_port + 1))
dotnet "$dll" --workers "$workers" --urls "http://127.0.0.1:$port" --Settings:SharedCachePath "$cache" "${common[@]}" > "$work/shared.log" 2>&1 &
supervisor=$!
pids+=($supervisor)
wait_loaded "$port" "$workers"
sleep 4
echo
echo "### $workers workers on the shared cache (one port)"
echo
echo "| process | RSS (KiB) | PSS (KiB) | cache mapping RSS (KiB) | cache mapping PSS (KiB) |"
echo "| --- | ---: | ---: | ---: | ---: |"
total_rss=0; total_pss=0; map_pss=0
for pid in $(pgrep -P "$supervisor"); do
  rss=$(kib "$pid" Rss); pss=$(kib "$pid" Pss)
  read -r mrss mpss < <(mapping "$pid" "$(basename "$cache")")
  echo "| worker $pid | $rss | $pss | $mrss | $mpss |"
  total_rss=$((total_rss + rss)); total_pss=$((total_pss + pss)); map_pss=$((map_pss + mpss))
done
echo "| supervisor $supervisor | $(kib "$supervisor" Rss) | $(kib "$supervisor" Pss) | | |"
echo "| all workers | $total_rss | $total_pss | | $map_pss |"
echo
echo "cache data file: $(( $(du -k "$(readlink -f "$cache")" | cut -f1) )) KiB in memory (tmpfs), $(( $(stat -L -c %s "$cache") / 1024 )) KiB long (sparse)"

echo
echo "### $workers single processes (--workers 0), each with its own in-process copy"
echo
echo "| process | RSS (KiB) | PSS (KiB) |"
echo "| --- | ---: | ---: |"
singles=()
for i in $(seq 1 "$workers"); do
  p=$((base_port + 1 + i))
  dotnet "$dll" --workers 0 --urls "http://127.0.0.1:$p" "${common[@]}" > "$work/single-$i.log" 2>&1 &
  singles+=($!); pids+=($!)
done
for i in $(seq 1 "$workers"); do wait_loaded $((base_port + 1 + i)) 1; done
sleep 4
total_rss=0; total_pss=0
for pid in "${singles[@]}"; do
  rss=$(kib "$pid" Rss); pss=$(kib "$pid" Pss)
  echo "| single $pid | $rss | $pss |"
  total_rss=$((total_rss + rss)); total_pss=$((total_pss + pss))
done
echo "| all | $total_rss | $total_pss |"
echo
uptime
