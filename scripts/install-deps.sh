#!/usr/bin/env bash
# Installs the Debian packages RedisRing needs to run and test, when they are missing.
# Safe to run again: it does nothing when everything is present.
set -euo pipefail

packages=(redis-server redis-tools nutcracker zookeeper default-jre-headless tmux)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# Extra packages a caller asks for (for example chromium for the browser tests).
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's packages start their services where an init system runs; RedisRing starts its own
# processes on its own ports, so stop the packaged ones if they came up (ignore failures: in a
# container there is no init system and nothing was started).
for service in redis-server nutcracker zookeeper; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$service" 2>/dev/null; then
    ${sudo:-} systemctl stop "$service" || true
  fi
done

if ! command -v dotnet >/dev/null 2>&1; then
  echo "install-deps: the .NET SDK (10.0) is required: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi
