#!/usr/bin/env bash
# Several replicas under chaos: three `bpg serve` processes on one MariaDB in front of two simulated
# clusters; clients submit and read status through all three while one replica is killed with SIGKILL
# (and restarted) every 10 seconds. Prints what was accepted, lost, created twice, monitored twice.
#   bench/replicas/run.sh [--duration SECONDS] [--kill-every SECONDS] [--clients N]
# BENCH_QUICK=1 runs 40 seconds instead of 120.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

./scripts/setup.sh
swift build -c release --product bpg
bin="$(swift build -c release --show-bin-path)/bpg"

work=$(mktemp -d "${TMPDIR:-/tmp}/bpg-replicas.XXXXXX")
database_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
keep=false
cleanup() {
  pkill -KILL -f "$work/" 2>/dev/null || true
  ./scripts/throwaway-mariadb.sh stop "$work/mariadb" >/dev/null 2>&1 || true
  [ "$keep" = true ] || rm -rf "$work"
}
trap cleanup EXIT INT TERM
./scripts/throwaway-mariadb.sh start "$work/mariadb" "$database_port"

duration=120
[ "${BENCH_QUICK:-0}" = 1 ] && duration=40
python3 bench/replicas/chaos.py --bpg "$bin" --work "$work" --database-port "$database_port" \
  --database-socket "$work/mariadb/mysqld.sock" --duration "$duration" "$@" || { keep=true; exit 1; }
