#!/usr/bin/env bash
# Builds Debian's Redis with the RedisRing ZooKeeper patch (zookeeper.patch next to this script)
# into .local/redis-patch/bin/redis-server. Cached: nothing is rebuilt while the patch, this
# script and the Debian source version are unchanged.
#
#   redis-patch/build.sh            build if needed
#   redis-patch/build.sh --force    build again
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out="$root/.local/redis-patch"
patch_file="$here/zookeeper.patch"
say() { echo "redis-patch: $*"; }

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

say "checking build packages (build-essential pkg-config libzookeeper-mt-dev dpkg-dev tcl)"
"$root/scripts/install-deps.sh" build-essential pkg-config libzookeeper-mt-dev dpkg-dev tcl

# apt-get source needs a deb-src line; Debian images often have none.
if ! grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  list=/etc/apt/sources.list.d/redisring-deb-src.sources
  say "no deb-src line found: adding $list (bookworm, bookworm-updates, bookworm-security) for apt-get source"
  printf '%s\n' \
    'Types: deb-src' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm bookworm-updates' 'Components: main' \
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' '' \
    'Types: deb-src' 'URIs: http://deb.debian.org/debian-security' 'Suites: bookworm-security' 'Components: main' \
    'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' | $sudo tee "$list" >/dev/null
  $sudo apt-get update -qq
fi
if [ -z "$(apt-cache showsrc redis 2>/dev/null | sed -n "s/^Version: //p")" ]; then
  say "the redis source package is not known yet: apt-get update"
  $sudo apt-get update -qq
fi

# The version apt-get source would fetch, e.g. 7.0.15-1~deb12u10 (the .dsc name holds it).
dsc=$(apt-get source --print-uris -qq redis | grep -o "redis_[^' ]*\.dsc" | sed -n 1p)
version=${dsc#redis_}
version=${version%.dsc}
version=${version//%7e/\~}
version=${version//%7E/\~}
if [ -z "$version" ]; then
  say "cannot find the redis source package (apt-get source --print-uris redis printed nothing)" >&2
  exit 1
fi
upstream=${version%%-*}
if [ "$upstream" != "7.0.15" ]; then
  say "warning: the patch was written for Redis 7.0.15, Debian now ships $upstream (see redis-patch/README.md, rebasing)" >&2
fi

key=$(cat "$patch_file" "$here/build.sh" | sha256sum | cut -c1-16)-$version
if [ "${1:-}" != "--force" ] && [ -x "$out/bin/redis-server" ] && [ "$(cat "$out/build.key" 2>/dev/null)" = "$key" ]; then
  say "up to date: $out/bin/redis-server (redis $version, build key $key)"
  exit 0
fi

say "building redis $version with zookeeper.patch (build key $key)"
rm -rf "$out/src" "$out/build.key" "$out/runtest.passed"
mkdir -p "$out/src" "$out/bin"
cd "$out/src"
say "fetching the source: apt-get source redis ($version)"
apt-get source -qq redis >"$out/source.log" 2>&1 || { cat "$out/source.log" >&2; exit 1; }
tree=$(find . -maxdepth 1 -type d -name 'redis-*' | head -n 1)
cd "$tree"
say "applying zookeeper.patch"
patch -p1 --forward --quiet <"$patch_file"

# Debian's own patches are already applied by apt-get source. No TLS, systemd or jemalloc: they
# are not needed here and libc malloc builds fastest.
jobs=$(nproc 2>/dev/null || echo 2)
say "make redis-server redis-cli (BUILD_ZOOKEEPER=yes, $jobs jobs; log: $out/build.log)"
if ! make -C src -j"$jobs" redis-server redis-cli BUILD_TLS=no USE_SYSTEMD=no MALLOC=libc BUILD_ZOOKEEPER=yes >"$out/build.log" 2>&1; then
  tail -n 40 "$out/build.log" >&2
  say "build failed (full log: $out/build.log)" >&2
  exit 1
fi
cp src/redis-server "$out/bin/redis-server.new"
mv "$out/bin/redis-server.new" "$out/bin/redis-server"
ln -sfn "$out/src/${tree#./}" "$out/tree"
echo "$key" >"$out/build.key"
say "built $out/bin/redis-server ($("$out/bin/redis-server" --version | cut -d' ' -f1-3))"
