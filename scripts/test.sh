#!/usr/bin/env bash
# Installs what is missing, builds everything and runs the whole test suite (unit, integration
# against real servers, browser tests). Prints one summary line: "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

for prepare in scripts/test.d/*.sh; do
  [ -e "$prepare" ] && bash "$prepare"
done

dotnet restore RedisRing.slnx
dotnet build RedisRing.slnx -c Release --no-restore -nologo -clp:NoSummary

results=$(mktemp -d)
status=0
# Test assemblies run one after another so that timing-sensitive integration tests (failover,
# timeouts) do not compete with each other for the two cores of a CI machine.
dotnet test RedisRing.slnx -c Release --no-build -m:1 \
  --logger "trx" --results-directory "$results" \
  --logger "console;verbosity=normal" "$@" || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  s=$(( ${t:-0} - ${e:-0} ))
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + s))
done
rm -rf "$results"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "tests: no test ran" >&2
  exit 1
fi
exit "$status"
