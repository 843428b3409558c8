# Shared by the bench scripts (sourced, not run): a work folder removed on exit with every process
# started through it, free loopback ports, and redis-server and nutcracker started on loopback.
# After sourcing: $work, the array pids (kill list), and the functions below.

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits until something on the port answers PING (redis-server, nutcracker or the proxy).
wait_port() {
  for _ in $(seq 1 200); do
    redis-cli -p "$1" PING >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "bench: nothing answers on port $1" >&2
  exit 1
}

# start_redis PORT: a redis-server without persistence; its pid is appended to pids.
start_redis() {
  local port=$1
  mkdir -p "$work/redis-$port"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work/redis-$port" --logfile "$work/redis-$port/log" &
  pids+=($!)
  wait_port "$port"
}

# start_nutcracker PORT NODE_PORT...: twemproxy with fnv1a_64 and ketama over the given nodes, as
# RedisRing places keys; its pid is appended to pids.
start_nutcracker() {
  local port=$1 stats
  shift
  stats=$(free_port)
  {
    echo "ring:"
    echo "  listen: 127.0.0.1:$port"
    echo "  hash: fnv1a_64"
    echo "  distribution: ketama"
    echo "  redis: true"
    echo "  auto_eject_hosts: false"
    echo "  server_connections: 1"
    echo "  servers:"
    for node in "$@"; do echo "   - 127.0.0.1:$node:1"; done
  } > "$work/nutcracker.yml"
  nutcracker -c "$work/nutcracker.yml" -s "$stats" -o "$work/nutcracker.log" &
  pids+=($!)
  wait_port "$port"
}
