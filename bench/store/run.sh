#!/usr/bin/env bash
# Store benchmark: single-row submission inserts and status updates per second, sequential, through
# the Swift store (StoreBench, release build) and through a plain C loop running the same statements
# over libmariadb prepared statements / sqlite3 (baseline.c), against the same throwaway MariaDB and
# the same disk in the same run. Prints the medians of the rounds and the median of the per-round
# ratios store / C (target >= 0.9).
#   COUNT=3000 ROUNDS=3 DATABASES="mysql sqlite" bench/store/run.sh     (--quick: COUNT=1000)
set -euo pipefail
cd "$(dirname "$0")"
source ../lib/common.sh
root="$BENCH_ROOT"
count=${COUNT:-3000}
if bench_quick; then count=${COUNT:-1000}; fi
rounds=${ROUNDS:-3}
databases=${DATABASES:-mysql sqlite}

bench_build StoreBench
bin="$bench_bin/StoreBench"
baseline="$bench_bin/store-baseline"
cc -O2 -Wall -o "$baseline" baseline.c $(pkg-config --cflags --libs libmariadb sqlite3)

dir=$(mktemp -d "${TMPDIR:-/tmp}/bpg-bench-store.XXXXXX")
port=$(free_port)
cleanup() {
  "$root/scripts/throwaway-mariadb.sh" stop "$dir" || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM
"$root/scripts/throwaway-mariadb.sh" start "$dir" "$port" >&2
url="mysql://bpg:bpg-test@127.0.0.1:$port"

field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }

declare -A results
for round in $(seq 1 "$rounds"); do
  for side in store c; do
    case " $databases " in *" mysql "*) ;; *) continue ;; esac
    if [ "$side" = store ]; then
      out=$("$bin" mysql "$url/bpg_test_bench_store_$round" "$count")
    else
      "$bin" schema "$url/bpg_test_bench_c_$round"
      out=$("$baseline" mysql 127.0.0.1 "$port" bpg bpg-test "bpg_test_bench_c_$round" "$count")
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
      out=$("$baseline" sqlite "$dir/c-$round.sqlite" "$count")
    fi
    results[sqlite_${side}_insert]+="$(echo "$out" | field inserts_per_s) "
    results[sqlite_${side}_update]+="$(echo "$out" | field updates_per_s) "
  done
done

printf '%-8s %-7s %12s %12s %7s\n' database op store/s C/s ratio
for db in $databases; do
  for op in insert update; do
    store_rounds="${results[${db}_store_${op}]}"
    c_rounds="${results[${db}_c_${op}]}"
    s=$(benchkit median $store_rounds)
    c=$(benchkit median $c_rounds)
    ratio=$(benchkit median-ratio "${store_rounds% }" "${c_rounds% }")
    printf '%-8s %-7s %12.0f %12.0f %7.2f   (rounds: store %s; C %s)\n' "$db" "$op" "$s" "$c" "$ratio" "$store_rounds" "$c_rounds"
    benchkit record store "$db ${op}s/s, store" "$s" "ops/s" "C loop $(printf %.0f "$c")/s" "$ratio" "ratio >= 0.9"
  done
done
echo "(sequential single-row operations, median of $rounds rounds of $count, ratio = median of per-round" \
  "ratios; MariaDB on loopback with innodb-flush-log-at-trx-commit=2; SQLite WAL, synchronous=FULL)"
