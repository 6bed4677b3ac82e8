#!/usr/bin/env bash
# Store benchmark: single-row submission inserts and status updates per second, sequential, through
# the Swift store (StoreBench, release build) and through a plain C loop running the same statements
# over libmariadb prepared statements / sqlite3 (baseline.c), against the same throwaway MariaDB and
# the same disk in the same run. Prints both and the ratio store / C (target >= 0.9).
#   COUNT=3000 ROUNDS=3 DATABASES="mysql sqlite" bench/store/run.sh
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
count=${COUNT:-3000}
rounds=${ROUNDS:-3}
databases=${DATABASES:-mysql sqlite}

swift build -c release --package-path driver >/dev/null
bin="$(swift build -c release --package-path driver --show-bin-path)/StoreBench"
mkdir -p driver/.build
cc -O2 -Wall -o driver/.build/baseline baseline.c $(pkg-config --cflags --libs libmariadb sqlite3)

dir=$(mktemp -d "${TMPDIR:-/tmp}/bpg-bench-store.XXXXXX")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  "$root/scripts/throwaway-mariadb.sh" stop "$dir" || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM
"$root/scripts/throwaway-mariadb.sh" start "$dir" "$port"
url="mysql://bpg:bpg-test@127.0.0.1:$port"

field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }
best() { sort -n | tail -1; }

declare -A results
for round in $(seq 1 "$rounds"); do
  for side in store c; do
    case " $databases " in *" mysql "*) ;; *) continue ;; esac
    if [ "$side" = store ]; then
      out=$("$bin" mysql "$url/bpg_test_bench_store_$round" "$count")
    else
      "$bin" schema "$url/bpg_test_bench_c_$round"
      out=$(driver/.build/baseline mysql 127.0.0.1 "$port" bpg bpg-test "bpg_test_bench_c_$round" "$count")
    fi
    results[mysql_${side}_insert]+="$(echo "$out" | field inserts_per_s) "
    results[mysql_${side}_update]+="$(echo "$out" | field updates_per_s) "
  done
  for side in c store; do
    case " $databases " in *" sqlite "*) ;; *) continue ;; esac
    if [ "$side" = store ]; then
      out=$("$bin" sqlite "$dir/store-$round.sqlite" "$count")
    else
      "$bin" sqlite "$dir/c-$round.sqlite" 0 >/dev/null  # creates the schema
      out=$(driver/.build/baseline sqlite "$dir/c-$round.sqlite" "$count")
    fi
    results[sqlite_${side}_insert]+="$(echo "$out" | field inserts_per_s) "
    results[sqlite_${side}_update]+="$(echo "$out" | field updates_per_s) "
  done
done

printf '%-8s %-7s %12s %12s %7s\n' database op store/s C/s ratio
for db in $databases; do
  for op in insert update; do
    s=$(echo ${results[${db}_store_${op}]} | tr ' ' '\n' | best)
    c=$(echo ${results[${db}_c_${op}]} | tr ' ' '\n' | best)
    ratio=$(python3 -c "print(f'{$s / $c:.2f}')")
    printf '%-8s %-7s %12s %12s %7s\n' "$db" "$op" "$s" "$c" "$ratio"
  done
done
echo "(sequential single-row operations, best of $rounds rounds of $count; MariaDB on loopback with" \
  "innodb-flush-log-at-trx-commit=2; SQLite WAL, synchronous=FULL)"
