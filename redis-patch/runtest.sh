#!/usr/bin/env bash
# Runs Redis's own test units for the code the patch touches (INFO, CONFIG, introspection) on
# the patched build made by build.sh, bounded in time. A pass is remembered for the build key,
# so running it again for the same build prints the earlier result at once.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out="$(dirname "$here")/.local/redis-patch"
say() { echo "redis-patch: $*"; }

key=$(cat "$out/build.key" 2>/dev/null || true)
if [ -z "$key" ] || [ ! -d "$out/tree" ]; then
  say "no patched build: run redis-patch/build.sh first" >&2
  exit 1
fi
if [ "$(cat "$out/runtest.passed" 2>/dev/null)" = "$key" ]; then
  say "Redis test units passed earlier for this build ($key)"
  exit 0
fi

units=(unit/info unit/introspection unit/introspection-2)
args=()
for unit in "${units[@]}"; do args+=(--single "$unit"); done
say "running Redis's test units ${units[*]} (at most 300 s; log: $out/runtest.log)"
cd "$out/tree"
status=0
timeout 300 ./runtest --clients 2 --timeout 120 "${args[@]}" 2>&1 | sed "s/\x1b\[[0-9;]*m//g" >"$out/runtest.log" || status=$?
grep -E '^\[(ok|err|exception|skip)\]|All tests passed|Killing still running' "$out/runtest.log" | grep -v '^\[ok\]' | tail -n 20 || true
passed=$(grep -c '^\[ok\]' "$out/runtest.log" || true)
if [ "$status" -ne 0 ] || ! grep -q 'All tests passed without errors' "$out/runtest.log"; then
  tail -n 40 "$out/runtest.log" >&2
  say "Redis test units FAILED (exit $status, $passed ok; full log: $out/runtest.log)" >&2
  exit 1
fi
echo "$key" >"$out/runtest.passed"
say "Redis test units passed ($passed ok)"
