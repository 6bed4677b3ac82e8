#!/usr/bin/env bash
# A throwaway MariaDB server for tests and benchmarks, without systemd.
#   throwaway-mariadb.sh start DIR PORT    initialise DIR if new, start, wait until ready, create bpg_test
#   throwaway-mariadb.sh stop DIR          stop the server whose PID file is in DIR, wait for it to exit
#   throwaway-mariadb.sh restart DIR PORT  stop then start (the data survives)
# The test user is bpg / bpg-test with every privilege on bpg_test (and on bpg_test_* for tests that
# want a database of their own).
set -euo pipefail

command=${1:?usage: throwaway-mariadb.sh start|stop|restart DIR [PORT]}
dir=${2:?data directory}
port=${3:-}

start() {
  [ -n "$port" ] || { echo "throwaway-mariadb: start needs a port" >&2; exit 2; }
  # Its own temporary directory: internal temporary tables must not live in a shared /tmp that
  # other programs (or tests) clean.
  mkdir -p "$dir" "$dir/tmp"
  if [ ! -d "$dir/data/mysql" ]; then
    mariadb-install-db --no-defaults --user=root --datadir="$dir/data" \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
  fi
  mariadbd --no-defaults --user=root --datadir="$dir/data" --socket="$dir/mysqld.sock" --port="$port" \
    --bind-address=127.0.0.1 --pid-file="$dir/mysqld.pid" --skip-name-resolve --tmpdir="$dir/tmp" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-flush-log-at-trx-commit=2 --max-connections=500 >>"$dir/server.log" 2>&1 &
  for _ in $(seq 1 300); do
    if mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1; then
      mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot <<'SQL'
CREATE DATABASE IF NOT EXISTS bpg_test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'bpg'@'127.0.0.1' IDENTIFIED BY 'bpg-test';
CREATE USER IF NOT EXISTS 'bpg'@'localhost' IDENTIFIED BY 'bpg-test';
GRANT ALL PRIVILEGES ON `bpg\_test%`.* TO 'bpg'@'127.0.0.1';
GRANT ALL PRIVILEGES ON `bpg\_test%`.* TO 'bpg'@'localhost';
FLUSH PRIVILEGES;
SQL
      return 0
    fi
    sleep 0.1
  done
  echo "throwaway-mariadb: the server did not become ready; its log:" >&2
  tail -n 30 "$dir/server.log" >&2
  exit 1
}

stop() {
  [ -f "$dir/mysqld.pid" ] || return 0
  pid=$(cat "$dir/mysqld.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$dir/mysqld.pid"; return 0; }
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/mysqld.pid"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  *) echo "usage: throwaway-mariadb.sh start|stop|restart DIR [PORT]" >&2; exit 2 ;;
esac
