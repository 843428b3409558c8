#!/usr/bin/env bash
# Builds RedisRing's container images with no image registry: a Debian bookworm base made here with
# debootstrap from the mirror apt already uses (imported with `docker import`), then the project's
# images FROM it, with the .NET programs published on the host and copied in (no container needs
# NuGet). Idempotent: every image carries a label with the hash of its build context and its
# parent image, and is built again only when that hash changes. Prints each step and its duration.
#
#   docker/build-images.sh            build what is missing or out of date
#   docker/build-images.sh --force    rebuild every image (the base too)
#   docker/build-images.sh --no-build publish the programs from an existing Release build of the
#                                     solution (scripts/test.sh builds it first) instead of building again
#
# Images (tag :latest): redisring/base:bookworm, redisring/dotnet-runtime, redisring/proxy,
# redisring/registrar, redisring/redis-registrar, redisring/redis-patch, redisring/zookeeper,
# redisring/captcha. Work files go to .local/docker (the base's root file system is kept there as a
# tarball, so a removed base image is imported again without debootstrap).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOCKER_API_VERSION=${DOCKER_API_VERSION:-1.41} DOCKER_BUILDKIT=0
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
force=0
publish_build=()
for argument in "$@"; do
  case "$argument" in
    --force) force=1 ;;
    --no-build) publish_build=(--no-build) ;;
    *) echo "build-images: unknown argument $argument (--force, --no-build)" >&2; exit 2 ;;
  esac
done
work="$root/.local/docker"
mkdir -p "$work"
label=org.redisring.content-hash
say() { echo "build-images: $*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
started=$(now)

if ! docker info >/dev/null 2>&1; then
  say "no Docker engine answers (docker info failed); start one first (scripts/test.d/docker.sh does)" >&2
  exit 1
fi

image_label() { docker image inspect --format "{{ index .Config.Labels \"$label\" }}" "$1" 2>/dev/null || true; }
image_id() { docker image inspect --format '{{ .Id }}' "$1"; }

# --- the base: debootstrap --variant=minbase bookworm, imported --------------------------------
# The mirror is the first Debian archive URI (…/debian, not security) of apt's own sources.
mirror=$( { grep -rhsE '^[[:space:]]*(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/ || true; } \
  | sed -E 's/^[[:space:]]*URIs:[[:space:]]*//; s/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//' \
  | tr ' ' '\n' | grep -E '^https?://[^ ]*/debian/?$' | head -n 1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
base=redisring/base:bookworm
# The libraries the images need go into the base in the same debootstrap pass: an apt-get update
# and install inside each image's build cost about a minute apiece on a busy 2-core machine.
# Bump the recipe's version when the steps below change what goes into the base.
base_packages=libssl3,ca-certificates,libfontconfig1,libzookeeper-mt2,redis-server
base_hash=$(sha256sum <<<"base v2: debootstrap --variant=minbase --include=$base_packages bookworm $mirror" | cut -c1-16)
if [ "$force" = 0 ] && [ "$(image_label "$base")" = "$base_hash" ]; then
  say "$base: up to date (skipped)"
else
  step=$(now)
  tarball="$work/base-bookworm-$base_hash.tar"
  if [ "$force" = 1 ] || [ ! -s "$tarball" ]; then
    for tool in debootstrap; do
      command -v "$tool" >/dev/null || { say "$tool is missing (apt-get install debootstrap)" >&2; exit 1; }
    done
    rootfs="$work/rootfs"
    rm -rf "$rootfs" "$work"/base-bookworm-*.tar
    say "$base: debootstrap --variant=minbase --include=$base_packages bookworm from $mirror (log: $work/debootstrap.log)"
    if ! debootstrap --variant=minbase --include="$base_packages" bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
      tail -n 20 "$work/debootstrap.log" >&2
      say "debootstrap failed (log: $work/debootstrap.log)" >&2
      exit 1
    fi
    # apt inside the images uses the same mirror, with updates and security; no docs, no
    # recommends, no package caches (small images).
    cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
SOURCES
    printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\npath-exclude /usr/share/locale/*\npath-include /usr/share/locale/locale.alias\n' \
      >"$rootfs/etc/dpkg/dpkg.cfg.d/01-redisring-small"
    printf 'APT::Install-Recommends "0";\nAPT::Install-Suggests "0";\n' >"$rootfs/etc/apt/apt.conf.d/01-redisring-small"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
      "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log "$rootfs"/var/cache/apt/*.bin
    tar -C "$rootfs" --numeric-owner -cf "$tarball.new" .
    mv "$tarball.new" "$tarball"
    rm -rf "$rootfs"
    say "$base: root file system made in $(since "$step") ($(du -h "$tarball" | cut -f1))"
  else
    say "$base: importing the cached root file system $tarball"
  fi
  docker import --change "LABEL $label=$base_hash" --change 'ENV LANG=C.UTF-8' --change 'CMD ["bash"]' \
    "$tarball" "$base" >/dev/null
  say "$base: imported, $(since "$step")"
fi
# --- end of the base --------------------------------------------------------------------------

# --- the host's programs ----------------------------------------------------------------------
step=$(now)
publish() { # publish PROJECT-FOLDER NAME
  local out="$work/publish/$2"
  rm -rf "$out"
  dotnet publish "$1" -c Release -o "$out" ${publish_build[@]+"${publish_build[@]}"} --no-self-contained -p:UseAppHost=false -nologo -v quiet -clp:NoSummary \
    >"$work/publish-$2.log" 2>&1 || { tail -n 30 "$work/publish-$2.log" >&2; say "dotnet publish $1 failed (log: $work/publish-$2.log)" >&2; exit 1; }
  rm -f "$out"/*.pdb
}
say "dotnet publish proxy, registrar, captcha (Release, framework-dependent)"
publish proxy/RedisRing.Proxy.csproj proxy
publish registrar/RedisRing.Registrar.csproj registrar
publish captcha/RedisRing.Captcha.csproj captcha
# Only the linux-x64 native assets: the images are Linux x86-64.
find "$work/publish/captcha/runtimes" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} + 2>/dev/null || true
say "published in $(since "$step")"

step=$(now)
say "redis-patch/build.sh (cached on the host: .local/redis-patch)"
if ! redis-patch/build.sh >"$work/redis-patch.log" 2>&1; then
  tail -n 20 "$work/redis-patch.log" >&2
  say "the patched redis-server did not build (log: $work/redis-patch.log)" >&2
  exit 1
fi
say "patched redis-server ready in $(since "$step")"

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime_version=$(find "$dotnet_root/shared/Microsoft.NETCore.App" -mindepth 1 -maxdepth 1 -name '10.*' -printf '%f\n' | sort -V | tail -n 1)
if [ -z "$runtime_version" ] || [ ! -d "$dotnet_root/shared/Microsoft.AspNetCore.App/$runtime_version" ]; then
  say "no .NET 10 runtime pair (Microsoft.NETCore.App and Microsoft.AspNetCore.App) under $dotnet_root/shared" >&2
  exit 1
fi

# --- the images -------------------------------------------------------------------------------
# image NAME PARENT: builds redisring/NAME from the context prepared in $work/context/NAME, unless
# the image's label already holds the hash of that context and of the parent image.
image() {
  local name=$1 parent=$2 context="$work/context/$1" hash step
  hash=$( (image_id "$parent"; cd "$context" && find . -type f -o -type l | LC_ALL=C sort | while read -r f; do
    printf '%s %s\n' "$f" "$(stat -c %a "$f")"; done; cd "$context" && tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - .) \
    | sha256sum | cut -c1-16)
  if [ "$force" = 0 ] && [ "$(image_label "redisring/$name")" = "$hash" ]; then
    say "redisring/$name: up to date (skipped)"
    return
  fi
  step=$(now)
  say "redisring/$name: docker build (FROM $parent; log: $work/build-$name.log)"
  if ! docker build --label "$label=$hash" --build-arg "BASE=$base" --build-arg RUNTIME=redisring/dotnet-runtime \
      --build-arg REGISTRAR=redisring/registrar -t "redisring/$name" "$context" >"$work/build-$name.log" 2>&1; then
    tail -n 30 "$work/build-$name.log" >&2
    say "redisring/$name: docker build failed (log: $work/build-$name.log)" >&2
    exit 1
  fi
  say "redisring/$name: built in $(since "$step") ($(docker image inspect --format '{{ .Size }}' "redisring/$name" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
}
# context NAME FILE...: the image's Dockerfile plus the files named (copied, links followed).
context() {
  local name=$1 dir="$work/context/$1"; shift
  rm -rf "$dir"
  mkdir -p "$dir"
  cp docker/"$name"/Dockerfile "$dir/"
  for file in "$@"; do cp -rL "$file" "$dir/"; done
}

context dotnet-runtime docker/scripts/resp-ping
mkdir -p "$work/context/dotnet-runtime/dotnet/shared/Microsoft.NETCore.App"
cp -r "$dotnet_root/dotnet" "$dotnet_root/host" "$work/context/dotnet-runtime/dotnet/"
[ -f "$dotnet_root/LICENSE.txt" ] && cp "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$work/context/dotnet-runtime/dotnet/" 2>/dev/null || true
cp -r "$dotnet_root/shared/Microsoft.NETCore.App/$runtime_version" "$work/context/dotnet-runtime/dotnet/shared/Microsoft.NETCore.App/"
# Every program needs ASP.NET Core: the captcha service, and the admin ports (Kestrel) of the
# proxy and the registrar.
mkdir -p "$work/context/dotnet-runtime/dotnet/shared/Microsoft.AspNetCore.App"
cp -r "$dotnet_root/shared/Microsoft.AspNetCore.App/$runtime_version" "$work/context/dotnet-runtime/dotnet/shared/Microsoft.AspNetCore.App/"
image dotnet-runtime "$base"

context proxy "$work/publish/proxy"
mv "$work/context/proxy/proxy" "$work/context/proxy/app"
image proxy redisring/dotnet-runtime

context registrar "$work/publish/registrar" docker/scripts/create-cluster-once
mv "$work/context/registrar/registrar" "$work/context/registrar/app"
image registrar redisring/dotnet-runtime

context redis-registrar docker/scripts/redis-node
image redis-registrar redisring/registrar

context redis-patch .local/redis-patch/bin/redis-server docker/scripts/resp-ping docker/scripts/redis-patch-entry
image redis-patch "$base"

# ZooKeeper: Debian's jars (zookeeper.jar names the others in its manifest's Class-Path, all in
# /usr/share/java) and a Java runtime: a small one made with jlink when the host has a JDK, else the
# host's whole JRE (both installed by scripts/install-deps.sh; the image is bookworm like the host).
context zookeeper docker/scripts/zookeeper-entry
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
mkdir -p "$work/context/zookeeper/java"
jars=(/usr/share/java/zookeeper.jar /usr/share/java/slf4j-simple.jar
  $(unzip -p /usr/share/java/zookeeper.jar META-INF/MANIFEST.MF | tr -d '\r' | sed -n '/^Class-Path:/,/^[A-Z]/p' \
    | sed -e 's/^Class-Path: //' -e 's/^ //' -e '/^[A-Z][A-Za-z-]*:/d' | tr -d '\n'))
for jar in "${jars[@]}"; do [ -e "$jar" ] && cp -L "$jar" "$work/context/zookeeper/java/"; done
modules=java.base,java.logging,java.management,java.naming,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.unsupported,jdk.management,jdk.crypto.ec,jdk.zipfs
jre_key=$( ("$java_home/bin/java" -version 2>&1; echo "$modules") | sha256sum | cut -c1-16)
if [ -x "$java_home/bin/jlink" ] && [ -d "$java_home/jmods" ]; then
  if [ ! -x "$work/jre-$jre_key/bin/java" ]; then
    step=$(now)
    rm -rf "$work"/jre-*
    say "jlink: a Java runtime for ZooKeeper from $java_home ($modules)"
    "$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
      --output "$work/jre-$jre_key"
    say "jlink: done in $(since "$step") ($(du -sh "$work/jre-$jre_key" | cut -f1))"
  fi
  cp -r "$work/jre-$jre_key" "$work/context/zookeeper/jre"
else
  say "no jlink/jmods in $java_home: copying the host's whole JRE into the ZooKeeper image"
  cp -rL "$java_home" "$work/context/zookeeper/jre"
  rm -rf "$work/context/zookeeper/jre"/{jmods,docs,man,include,demo,lib/src.zip,lib/ct.sym}
fi
image zookeeper "$base"

context captcha "$work/publish/captcha" docker/scripts/http-ok
mv "$work/context/captcha/captcha" "$work/context/captcha/app"
image captcha redisring/dotnet-runtime

say "all images ready in $(since "$started"):"
docker image ls --format '  {{.Repository}}:{{.Tag}}  {{.Size}}' 'redisring/*' | sort
