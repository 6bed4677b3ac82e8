#!/usr/bin/env bash
# HTTPServing throughput against nginx, measured in the same run on the same machine.
# Builds the bench server in release, serves {"status":"OK"} from both, runs
# `wrk -t2 -c32 -d5s` against each (after a short warm-up) and prints requests/s and the ratio.
# Usage: bench/http/run.sh [rounds]   (default 3 rounds of 5 s; --quick: 3 rounds of 2 s; the order
# alternates each round)
#
# The machine is shared, so throughput moves with other load. The figures are medians of the rounds,
# the ratio the median of the per-round ratios (each round measures both servers back to back), and
# the CPU time each server spent per request (user + system, from /proc), which other load barely affects.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib/common.sh"
# shellcheck source=../lib/reference-nginx.sh
source "$here/../lib/reference-nginx.sh"
rounds="${1:-3}"
duration=5s
if bench_quick; then duration=2s; fi
work="$(mktemp -d)"
pids=()

cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

wait_ready() {
    for _ in $(seq 1 100); do
        if curl -fsS "$1" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "server at $1 did not come up" >&2
    exit 1
}

# Runs wrk against $1 for $2 and prints "<requests/s> <CPU microseconds per request>", the CPU
# time being that of the processes listed in $3 (space-separated PIDs).
measure() {
    local url="$1" duration="$2" pids="$3" before after out
    before="$(cpu_ticks $pids)"
    out="$(wrk -t2 -c32 -d"$duration" "$url")"
    after="$(cpu_ticks $pids)"
    echo "$out" | awk -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" '
        /requests in/ { requests = $1 }
        /^Requests\/sec:/ { rate = $2 }
        END { printf "%.0f %.1f\n", rate, ticks / hz * 1e6 / requests }'
}

cpu_ticks() {
    local total=0 pid fields
    for pid in "$@"; do
        read -r -a fields <"/proc/$pid/stat"
        total=$((total + fields[13] + fields[14]))
    done
    echo "$total"
}

bench_build HTTPBenchServer
server_bin="$bench_bin/HTTPBenchServer"

swift_port="$(free_port)"
"$server_bin" "$swift_port" 2 >"$work/swift.log" 2>&1 &
pids+=($!)

nginx_port="$(free_port)"
start_reference_nginx "$work" "$nginx_port"

swift_url="http://127.0.0.1:$swift_port/"
nginx_url="http://127.0.0.1:$nginx_port/"
wait_ready "$swift_url"
wait_ready "$nginx_url"
[ "$(curl -fsS "$swift_url")" = '{"status":"OK"}' ] || { echo "unexpected body from the Swift server" >&2; exit 1; }
[ "$(curl -fsS "$nginx_url")" = '{"status":"OK"}' ] || { echo "unexpected body from nginx" >&2; exit 1; }

swift_pids="${pids[0]}"
nginx_pids="${pids[1]} $(pgrep -P "${pids[1]}" | tr '\n' ' ')"
measure "$swift_url" 1s "$swift_pids" >/dev/null
measure "$nginx_url" 1s "$nginx_pids" >/dev/null

results="$work/results"
for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then
        read -r s s_cpu <<<"$(measure "$swift_url" "$duration" "$swift_pids")"
        read -r n n_cpu <<<"$(measure "$nginx_url" "$duration" "$nginx_pids")"
    else
        read -r n n_cpu <<<"$(measure "$nginx_url" "$duration" "$nginx_pids")"
        read -r s s_cpu <<<"$(measure "$swift_url" "$duration" "$swift_pids")"
    fi
    printf 'round %d: HTTPServing %s req/s (%s CPU-us/req), nginx %s req/s (%s CPU-us/req)\n' \
        "$round" "$s" "$s_cpu" "$n" "$n_cpu"
    echo "$s $s_cpu $n $n_cpu" >>"$results"
done

column() { awk -v c="$1" '{ printf "%s ", $c }' "$results"; }
rate_s="$(benchkit median $(column 1))"; cpu_s="$(benchkit median $(column 2))"
rate_n="$(benchkit median $(column 3))"; cpu_n="$(benchkit median $(column 4))"
ratio="$(benchkit median-ratio "$(column 1)" "$(column 3)")"
cpu_ratio="$(benchkit median-ratio "$(column 2)" "$(column 4)")"
printf 'HTTPServing (libmicrohttpd, 2 threads): median %.0f req/s, %.1f CPU-us/request\n' "$rate_s" "$cpu_s"
printf 'nginx (return 200, 2 workers):         median %.0f req/s, %.1f CPU-us/request\n' "$rate_n" "$cpu_n"
printf 'ratio HTTPServing/nginx (median of %d per-round ratios): %.2f (target >= 0.80); CPU per request %.2f\n' \
    "$rounds" "$ratio" "$cpu_ratio"
benchkit record http "HTTPServing req/s, small JSON (wrk)" "$rate_s" "req/s" "nginx $(printf %.0f "$rate_n") req/s" "$ratio" "ratio >= 0.8"
benchkit record http "HTTPServing CPU per request" "$cpu_s" "µs" "nginx $(printf %.1f "$cpu_n") µs" "$cpu_ratio" "-"
