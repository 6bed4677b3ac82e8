#!/usr/bin/env bash
# End-to-end gateway benchmark: the real `bpg` binary (release) over HTTP, in front of two simulated
# HTTPS Spark clusters (GatewayBench, a separate process) and a throwaway MariaDB, all on loopback.
#
# Figures (each printed, then a summary table with its target; see bench/README.md):
#   - start to ready: spawn of `bpg serve` to its first 200 on /healthcheck/status (poll every 2 ms)
#   - resident memory (VmRSS) idle, against a minimal HTTPServing server (HTTPBenchServer) idle, and
#     after SUBMISSIONS submissions (default 100,000)
#   - added latency, ROUNDS rounds: each round a direct KubeClient create of the same planned
#     SparkApplication on the same simulators, one at a time (the reference), and the gateway's submit,
#     one client at a time (wrk -c1); added = gateway pN - direct pN; the median of the rounds
#   - gateway submit under load (wrk, CONNECTIONS connections): submissions/s, p50/p99
#   - GET /spark/{id}/status requests/s (the gateway's status cache answers most of them), median of rounds
#   - /healthcheck/status requests/s against nginx `return 200` with the same body, same wrk, same run
#
#   bench/gateway/run.sh
#   SUBMISSIONS=20000 STEP_MS=20 ROUNDS=3 LOG_LEVEL=info bench/gateway/run.sh
#   BENCH_QUICK=1 bench/gateway/run.sh     (5,000 submissions, shorter wrk runs, 3 starts)
#
# The machine is small and shared: throughput figures move with other load; the status and health
# figures put wrk (2 threads) on the same 2 cores as the server.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib/common.sh"
# shellcheck source=../lib/reference-nginx.sh
source "$here/../lib/reference-nginx.sh"
root="$BENCH_ROOT"
step_ms="${STEP_MS:-20}"           # simulated operator step (SUBMITTED → RUNNING → COMPLETED)
rounds="${ROUNDS:-3}"              # rounds of the latency, status and health measurements
connections="${CONNECTIONS:-16}"   # wrk connections for submissions under load
log_level="${LOG_LEVEL:-info}"     # the gateway's log level (info logs one line per submission)
if bench_quick; then
    submissions="${SUBMISSIONS:-5000}"; direct_count="${DIRECT_COUNT:-500}"
    seq_seconds=2; load_seconds=5; rate_seconds=2; starts=3
else
    submissions="${SUBMISSIONS:-100000}"; direct_count="${DIRECT_COUNT:-1000}"
    seq_seconds=5; load_seconds=10; rate_seconds=5; starts=7
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/bpg-bench-gateway.XXXXXX")"
pids=()
gateway_pid=""

cleanup() {
    for pid in "${pids[@]}" $gateway_pid; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}" $gateway_pid; do wait "$pid" 2>/dev/null || true; done
    "$root/scripts/throwaway-mariadb.sh" stop "$work/mariadb" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
hwm_mb() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# wrk's latency lines ("50%  512.00us", "99%  2.10ms") in microseconds.
wrk_percentile() {
    awk -v p="$1" '$1 == p {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        f = (u == "us") ? 1 : (u == "ms") ? 1000 : (u == "s") ? 1000000 : (u == "m") ? 60000000 : 1
        printf "%.0f", v * f }'
}
wrk_rate() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }'; }
wrk_count() { awk '/requests in/ { print $1 }'; }
wrk_non2xx() { awk '/Non-2xx/ { n = $NF } END { print n + 0 }'; }
wrk_socket_errors() { awk '/Socket errors/ { print } END { }'; }

bench_build GatewayBench HTTPBenchServer bpg
bench="$bench_bin/GatewayBench"
bpg="${BPG:-$bench_bin/bpg}"   # BPG=PATH measures another build (an earlier commit's) with the same script

# The reference for idle memory: a minimal HTTPServing server (the same runtime and HTTP library,
# no gateway), idle for 1 s.
minimal_port="$(free_port)"
"$bench_bin/HTTPBenchServer" "$minimal_port" 2 >/dev/null 2>&1 &
minimal_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$minimal_port/" >/dev/null 2>&1 && break; sleep 0.05; done
sleep 1
rss_minimal="$(rss_mb "$minimal_pid")"
kill "$minimal_pid"; wait "$minimal_pid" 2>/dev/null || true
echo "minimal HTTPServing server idle RSS: $rss_minimal MB"

# MariaDB and the simulated clusters, each in its own process.
mysql_port="$(free_port)"
"$root/scripts/throwaway-mariadb.sh" start "$work/mariadb" "$mysql_port" >&2
config="$work/bpg.yaml"
"$bench" clusters "$config" "$mysql_port" bpg_test_gateway_bench "$step_ms" >"$work/clusters.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do [ -f "$config" ] && break; sleep 0.05; done
[ -f "$config" ] || { echo "the simulated clusters did not start:" >&2; cat "$work/clusters.log" >&2; exit 1; }
"$bpg" check-config "$config" >&2

gateway_port=""
start_gateway() {
    gateway_port="$(free_port)"
    "$bpg" serve --config "$config" --host 127.0.0.1 --port "$gateway_port" --log-level "$log_level" \
        >>"$work/gateway.out" 2>>"$work/gateway.log" &
    gateway_pid=$!
    for _ in $(seq 1 1000); do
        if curl -fsS -H 'User-Account: bench' "http://127.0.0.1:$gateway_port/skatev2/healthcheck/status" >/dev/null 2>&1; then
            return 0
        fi
        kill -0 "$gateway_pid" 2>/dev/null || break
        sleep 0.01
    done
    echo "the gateway did not start; its log:" >&2
    tail -n 20 "$work/gateway.log" >&2
    exit 1
}
stop_gateway() {
    kill "$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
    gateway_pid=""
}

body='{"applicationName":"SparkPi","queue":"dev","sparkVersion":"3.5.0","mainApplicationFile":"local:///usr/lib/spark/examples/jars/spark-examples.jar","mainClass":"org.apache.spark.examples.SparkPi","arguments":["1000"],"driver":{"cores":1,"memory":"2g"},"executor":{"instances":2,"cores":1,"memory":"2g"}}'
cat >"$work/submit.lua" <<LUA
-- POST /skatev2/spark with the SparkPi request. With BENCH_LIMIT set, each wrk thread stops after
-- that many responses and creates the file BENCH_MARKER<thread> (wrk itself only ends at its -d
-- deadline or on SIGINT, which run.sh sends once every thread is done).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Account"] = "bench"
wrk.body = [[$body]]
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("id", threads)
end
local limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
local marker = os.getenv("BENCH_MARKER") or ""
local count = 0
function response(status, headers, body)
    count = count + 1
    if limit > 0 and count == limit then
        local file = io.open(marker .. id, "w")
        file:close()
        wrk.thread:stop()
    end
end
LUA

# Start to ready (the first start creates the schema; it is printed apart and left out of the median).
echo "== start to ready ==" >&2
python3 "$here/ready.py" "$bpg" "$config" 1 "$work/ready.log" | sed 's/^run 1/first start (creates the schema)/'
ready_out="$(python3 "$here/ready.py" "$bpg" "$config" "$starts" "$work/ready.log")"
echo "$ready_out"
ready_ms="$(echo "$ready_out" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p')"

start_gateway
sleep 1
rss_idle="$(rss_mb "$gateway_pid")"
echo "gateway idle RSS: $rss_idle MB"
base="http://127.0.0.1:$gateway_port/skatev2"

echo "== direct KubeClient creates vs gateway submissions, one at a time, $rounds rounds ==" >&2
direct_round() {
    local out
    out="$("$bench" direct "$config" "$direct_count")"
    echo "round $round: direct create: $out"
    direct_p50s+="$(echo "$out" | sed -n 's/.*p50_us=\([0-9.]*\).*/\1/p') "
    direct_p99s+="$(echo "$out" | sed -n 's/.*p99_us=\([0-9.]*\).*/\1/p') "
}
gateway_round() {
    local out p50 p99
    out="$(wrk -t1 -c1 -d"${seq_seconds}s" --latency -s "$work/submit.lua" "$base/spark")"
    p50="$(echo "$out" | wrk_percentile 50%)"; p99="$(echo "$out" | wrk_percentile 99%)"
    echo "round $round: gateway submit (1 client): p50 $p50 us, p99 $p99 us, $(echo "$out" | wrk_rate) submissions/s, non-2xx $(echo "$out" | wrk_non2xx)"
    seq_p50s+="$p50 "; seq_p99s+="$p99 "
}
direct_p50s=""; direct_p99s=""; seq_p50s=""; seq_p99s=""
wrk -t1 -c1 -d2s -s "$work/submit.lua" "$base/spark" >/dev/null  # warm-up
for round in $(seq 1 "$rounds"); do
    # The order alternates, so neither side always runs on the warmer (or busier) machine.
    if [ $((round % 2)) -eq 1 ]; then direct_round; gateway_round; else gateway_round; direct_round; fi
done
per_round() { paste -d' ' <(echo "$1" | tr ' ' '\n') <(echo "$2" | tr ' ' '\n') | awk 'NF == 2 { printf "%s ", $1 - $2 }'; }
added_p50s="$(per_round "$seq_p50s" "$direct_p50s")"
added_p99s="$(per_round "$seq_p99s" "$direct_p99s")"
direct_p50="$(benchkit median $direct_p50s)"; direct_p99="$(benchkit median $direct_p99s)"
seq_p50="$(benchkit median $seq_p50s)"; seq_p99="$(benchkit median $seq_p99s)"
added_p50="$(benchkit median $added_p50s)"; added_p99="$(benchkit median $added_p99s)"
latency_ratio_p50="$(benchkit median-ratio "${seq_p50s% }" "${direct_p50s% }")"
latency_ratio_p99="$(benchkit median-ratio "${seq_p99s% }" "${direct_p99s% }")"
echo "added by the gateway (median of $rounds rounds): p50 $added_p50 us (rounds: $added_p50s), p99 $added_p99 us (rounds: $added_p99s)"
echo "  gateway p50 $seq_p50 us / p99 $seq_p99 us; direct create p50 $direct_p50 us / p99 $direct_p99 us"

echo "== submissions under load ==" >&2
load_out="$(wrk -t2 -c"$connections" -d"${load_seconds}s" --latency -s "$work/submit.lua" "$base/spark")"
load_rate="$(echo "$load_out" | wrk_rate)"
load_p50="$(echo "$load_out" | wrk_percentile 50%)"
load_p99="$(echo "$load_out" | wrk_percentile 99%)"
load_bad="$(echo "$load_out" | wrk_non2xx)"
echo "gateway submit ($connections connections): $load_rate submissions/s, p50 ${load_p50} us, p99 ${load_p99} us, non-2xx $load_bad"
echo "$load_out" | wrk_socket_errors

echo "== GET /status ==" >&2
id="$(curl -fsS -H 'User-Account: bench' -H 'Content-Type: application/json' -d "$body" "$base/spark" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["submissionId"])')"
status_url="$base/spark/$id/status"
curl -fsS -H 'User-Account: bench' "$status_url" >/dev/null
status_rates=""
for round in $(seq 1 "$rounds"); do
    out="$(wrk -t2 -c32 -d"${rate_seconds}s" -H 'User-Account: bench' "$status_url")"
    rate="$(echo "$out" | wrk_rate)"
    echo "round $round: GET /status $rate req/s, non-2xx $(echo "$out" | wrk_non2xx)"
    status_rates+="$rate "
done
status_median="$(benchkit median $status_rates)"

echo "== health endpoint vs nginx ==" >&2
nginx_port="$(free_port)"
start_reference_nginx "$work" "$nginx_port"
health_url="$base/healthcheck/status"
nginx_url="http://127.0.0.1:$nginx_port/skatev2/healthcheck/status"
for _ in $(seq 1 100); do curl -fsS "$nginx_url" >/dev/null 2>&1 && break; sleep 0.05; done
[ "$(curl -fsS -H 'User-Account: bench' "$health_url")" = "$(curl -fsS "$nginx_url")" ] ||
    { echo "the gateway's and nginx's health bodies differ" >&2; exit 1; }
wrk -t2 -c32 -d1s -H 'User-Account: bench' "$health_url" >/dev/null
wrk -t2 -c32 -d1s -H 'User-Account: bench' "$nginx_url" >/dev/null
health_rates=""; nginx_rates=""
for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then
        g="$(wrk -t2 -c32 -d"${rate_seconds}s" -H 'User-Account: bench' "$health_url" | wrk_rate)"
        n="$(wrk -t2 -c32 -d"${rate_seconds}s" -H 'User-Account: bench' "$nginx_url" | wrk_rate)"
    else
        n="$(wrk -t2 -c32 -d"${rate_seconds}s" -H 'User-Account: bench' "$nginx_url" | wrk_rate)"
        g="$(wrk -t2 -c32 -d"${rate_seconds}s" -H 'User-Account: bench' "$health_url" | wrk_rate)"
    fi
    echo "round $round: gateway health $g req/s, nginx $n req/s, ratio $(benchkit ratio "$g" "$n")"
    health_rates+="$g "; nginx_rates+="$n "
done
health_median="$(benchkit median $health_rates)"; nginx_median="$(benchkit median $nginx_rates)"
health_ratio="$(benchkit median-ratio "${health_rates% }" "${nginx_rates% }")"
echo "health: median gateway $health_median req/s, median nginx $nginx_median req/s, median ratio of rounds $health_ratio"

echo "== memory after $submissions submissions (fresh gateway) ==" >&2
stop_gateway
start_gateway
sleep 1
rss_idle2="$(rss_mb "$gateway_pid")"
echo "fresh gateway idle RSS: $rss_idle2 MB"
base="http://127.0.0.1:$gateway_port/skatev2"
per_thread=$(( (submissions + 1) / 2 ))
started=$(date +%s.%N)
BENCH_LIMIT="$per_thread" BENCH_MARKER="$work/wrk-done-" wrk -t2 -c"$connections" -d900s --latency \
    -s "$work/submit.lua" "$base/spark" >"$work/wrk-memory.out" 2>&1 &
wrk_pid=$!
pids+=("$wrk_pid")
while kill -0 "$wrk_pid" 2>/dev/null; do
    [ -f "$work/wrk-done-1" ] && [ -f "$work/wrk-done-2" ] && { kill -INT "$wrk_pid"; break; }
    sleep 0.2
done
wait "$wrk_pid" || true
mem_out="$(cat "$work/wrk-memory.out")"
elapsed="$(python3 -c "import time; print(f'{time.time() - $started:.0f}')")"
mem_count="$(echo "$mem_out" | wrk_count)"
mem_bad="$(echo "$mem_out" | wrk_non2xx)"
mem_rate="$(echo "$mem_out" | wrk_rate)"
sleep 1
rss_after="$(rss_mb "$gateway_pid")"
hwm_after="$(hwm_mb "$gateway_pid")"
echo "submitted $mem_count (non-2xx $mem_bad) in ${elapsed}s ($mem_rate/s, p50 $(echo "$mem_out" | wrk_percentile 50%) us, p99 $(echo "$mem_out" | wrk_percentile 99%) us)"
echo "gateway RSS after $mem_count submissions: $rss_after MB (peak $hwm_after MB)"
stop_gateway

added_target_p50=1000; added_target_p99=5000
rec() { benchkit record gateway "$@"; }
rec "start to ready (median of $starts)" "$ready_ms" ms - - "<= 300"
rec "RSS idle" "$rss_idle" MB "minimal HTTPServing server $rss_minimal MB" "$(benchkit ratio "$rss_idle" "$rss_minimal")" "<= 30"
rec "RSS after $mem_count submissions" "$rss_after" MB "idle $rss_idle2 MB" "$(benchkit ratio "$rss_after" "$rss_idle2")" "<= 150"
rec "added submit latency p50 (1 client)" "$added_p50" µs "direct create p50 $(printf %.0f "$direct_p50") µs" "$latency_ratio_p50" "<= $added_target_p50"
rec "added submit latency p99 (1 client)" "$added_p99" µs "direct create p99 $(printf %.0f "$direct_p99") µs" "$latency_ratio_p99" "<= $added_target_p99"
rec "submissions/s ($connections connections)" "$load_rate" "/s" - - -
rec "GET /status req/s (median of $rounds)" "$status_median" "req/s" "nginx $(printf %.0f "$nginx_median") req/s" "$(benchkit ratio "$status_median" "$nginx_median")" ">= 20000"
rec "health req/s (median of $rounds)" "$health_median" "req/s" "nginx $(printf %.0f "$nginx_median") req/s" "$health_ratio" "ratio >= 0.7"

echo
echo "summary (bpg release, 2 simulated HTTPS clusters in another process, MariaDB store, log level $log_level)"
printf '%-44s %20s %14s\n' figure value target
printf '%-44s %20s %14s\n' "start to ready (median of $starts)" "$ready_ms ms" "<= 300 ms"
printf '%-44s %20s %14s\n' "RSS idle (minimal HTTPServing: $rss_minimal MB)" "$rss_idle MB" "<= 30 MB"
printf '%-44s %20s %14s\n' "RSS after $mem_count submissions" "$rss_after MB" "<= 150 MB"
printf '%-44s %20s %14s\n' "direct KubeClient create p50 / p99" "$(printf %.0f "$direct_p50") / $(printf %.0f "$direct_p99") us" "(reference)"
printf '%-44s %20s %14s\n' "gateway submit p50 / p99 (1 client)" "$(printf %.0f "$seq_p50") / $(printf %.0f "$seq_p99") us" "-"
printf '%-44s %20s %14s\n' "added latency p50 / p99 (gateway - direct)" "$(printf %.0f "$added_p50") / $(printf %.0f "$added_p99") us" "<= 1000 / 5000"
printf '%-44s %20s %14s\n' "submissions/s ($connections connections)" "$load_rate" "-"
printf '%-44s %20s %14s\n' "submit p50 / p99 ($connections connections)" "$load_p50 / $load_p99 us" "-"
printf '%-44s %20s %14s\n' "GET /status req/s (median of $rounds)" "$(printf %.0f "$status_median")" ">= 20000"
printf '%-44s %20s %14s\n' "health req/s / nginx (median of $rounds)" "$(printf %.2f "$health_ratio")" ">= 0.70"
