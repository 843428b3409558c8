#!/usr/bin/env bash
# The compatibility tests drive third-party Node.js clients (ioredis, node-redis) with default
# options against the proxy: install Node.js when missing and the exact packages of the lockfile.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  scripts/install-deps.sh nodejs npm
fi
cd tests/node-clients
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
