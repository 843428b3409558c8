#!/usr/bin/env bash
# The Docker integration tests (tests/RedisRing.Docker.Tests) need an engine and the project's
# images: install and start the engine when none answers (scripts/test.sh stops it at its end).
# The images are built by scripts/test.sh after its build of the solution, so that their
# programs are published from that build rather than compiled a second time.
# An engine that cannot start FAILS the run. REDISRING_SKIP_DOCKER=1 skips all of this and the
# Docker tests, for a developer's local run only (.ci/run never sets it).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${REDISRING_SKIP_DOCKER:-}" = 1 ]; then
  echo "################################################################################" >&2
  echo "docker: REDISRING_SKIP_DOCKER=1: NO DOCKER ENGINE, NO IMAGES, THE DOCKER TESTS ARE SKIPPED" >&2
  echo "docker: (a local shortcut only; a run that must count never sets it)" >&2
  echo "################################################################################" >&2
  exit 0
fi
docker/engine.sh start
