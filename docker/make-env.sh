#!/usr/bin/env bash
# Writes docker/.env (mode 0600) with new credentials for docker-compose.yml: the cluster's and the
# proxies' ZooKeeper credentials and the captcha's signing key. Refuses to overwrite an existing
# file (the cluster in ZooKeeper was created with the credentials in it); --force does.
set -euo pipefail
env_file="$(cd "$(dirname "$0")" && pwd)/.env"
if [ -e "$env_file" ] && [ "${1:-}" != "--force" ]; then
  echo "make-env: $env_file exists (its credentials created the cluster); --force replaces it" >&2
  exit 1
fi
secret() { head -c "$1" /dev/urandom | base64 | tr -d '/+=\n'; }
umask 077
cat >"$env_file" <<ENV
REDISRING_ZK_AUTH=registrar:$(secret 18)
REDISRING_ZK_PROXY_AUTH=proxy:$(secret 18)
REDISRING_CAPTCHA_KEY_ID=docker-$(date +%Y-%m)
REDISRING_CAPTCHA_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
ENV
echo "make-env: wrote $env_file (0600)"
