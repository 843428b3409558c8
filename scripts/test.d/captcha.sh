#!/usr/bin/env bash
# The captcha browser tests drive Debian's chromium through Playwright's .NET driver (its node
# runtime ships inside the Microsoft.Playwright NuGet package); no browser is ever downloaded.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/install-deps.sh chromium
if ! command -v /usr/bin/chromium >/dev/null 2>&1; then
  echo "captcha.sh: /usr/bin/chromium is missing after install" >&2
  exit 1
fi
