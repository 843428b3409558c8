#!/usr/bin/env bash
# The Docker engine for the tests: Debian's docker.io (engine 20.10, API 1.41), started in the
# background when none answers (there is no systemd on the CI machines), and stopped again only
# when this script started it.
#
#   docker/engine.sh start          install docker.io, docker-compose and debootstrap when missing;
#                                   start dockerd when no engine answers (recorded in
#                                   .local/docker/dockerd.started); fail loudly when it cannot start
#   docker/engine.sh stop-started   stop the dockerd that `start` started (nothing otherwise)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOCKER_API_VERSION=${DOCKER_API_VERSION:-1.41}
state=.local/docker
marker=$state/dockerd.started
say() { echo "docker-engine: $*"; }
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

start() {
  scripts/install-deps.sh docker.io docker-compose debootstrap
  if engine_answers; then
    say "an engine already answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')): using it, not stopping it afterwards"
    return 0
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    say "FAILED: dockerd is not installed and no engine answers; the Docker tests cannot run" >&2
    exit 1
  fi
  mkdir -p "$state"
  say "no engine answers: starting dockerd in the background (log: $state/dockerd.log)"
  # setsid: the engine outlives this script (test.sh stops it at its end) and is not in the
  # terminal's process group (Ctrl-C goes to the tests, test.sh's trap stops the engine).
  $sudo setsid dockerd >"$state/dockerd.log" 2>&1 < /dev/null &
  echo $! >"$marker"
  for _ in $(seq 1 120); do
    if engine_answers; then
      say "dockerd started (pid $(cat "$marker"), engine $(docker version --format '{{.Server.Version}}' 2>/dev/null))"
      return 0
    fi
    if ! kill -0 "$(cat "$marker")" 2>/dev/null; then break; fi
    sleep 0.5
  done
  say "FAILED: the Docker engine did not start within 60 s, so the Docker integration tests cannot run." >&2
  say "The last lines of $state/dockerd.log:" >&2
  tail -n 25 "$state/dockerd.log" >&2 || true
  say "(a developer's local run may skip them with REDISRING_SKIP_DOCKER=1; CI never does)" >&2
  stop_started
  exit 1
}

stop_started() {
  [ -f "$marker" ] || return 0
  local pid
  pid=$(cat "$marker")
  rm -f "$marker"
  kill -0 "$pid" 2>/dev/null || return 0
  say "stopping the dockerd this run started (pid $pid)"
  $sudo kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { say "dockerd stopped"; return 0; }
    sleep 0.5
  done
  say "dockerd (pid $pid) did not stop within 30 s: killing it"
  $sudo kill -KILL "$pid" 2>/dev/null || true
}

case "${1:-}" in
  start) start ;;
  stop-started) stop_started ;;
  *) echo "usage: docker/engine.sh start | stop-started" >&2; exit 2 ;;
esac
