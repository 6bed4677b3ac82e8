#!/usr/bin/env bash
# End-to-end gateway benchmark: the real `bpg` binary (release) over HTTP, in front of two simulated
# HTTPS Spark clusters (GatewayBench, a separate process) and a throwaway MariaDB, all on loopback.
#
# Figures (each printed, then a summary table with its target):
#   - start to ready: spawn of `bpg serve` to its first 200 on /healthcheck/status (poll every 2 ms)
#   - resident memory (VmRSS) idle, and after SUBMISSIONS submissions (default 100,000)
#   - direct create: a KubeClient create of the same planned SparkApplication on the same simulators,
#     one at a time (measured before and after the gateway run; the mean of both p50s is the reference)
#   - gateway submit, one client at a time: p50/p99; added latency = gateway p50 - direct p50
#   - gateway submit under load (wrk, CONNECTIONS connections): submissions/s, p50/p99
#   - GET /spark/{id}/status requests/s (the gateway's status cache answers most of them)
#   - /healthcheck/status requests/s against nginx `return 200` with the same body, same wrk, same run
#
#   bench/gateway/run.sh
#   SUBMISSIONS=20000 STEP_MS=20 ROUNDS=3 LOG_LEVEL=info bench/gateway/run.sh
#
# The machine is small and shared: throughput figures move with other load; the status and health
# figures put wrk (2 threads) on the same 2 cores as the server.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib/reference-nginx.sh
source "$here/../lib/reference-nginx.sh"
root="$(cd "$here/../.." && pwd)"
submissions="${SUBMISSIONS:-100000}"
step_ms="${STEP_MS:-20}"           # simulated operator step (SUBMITTED → RUNNING → COMPLETED)
rounds="${ROUNDS:-3}"              # rounds of the status and health measurements
connections="${CONNECTIONS:-16}"   # wrk connections for submissions under load
log_level="${LOG_LEVEL:-info}"     # the gateway's log level (info logs one line per submission)
direct_count="${DIRECT_COUNT:-2000}"
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

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
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

echo "building GatewayBench and bpg (release)…" >&2
swift build -c release --package-path "$here/driver" --product GatewayBench >&2
swift build -c release --package-path "$here/driver" --product bpg >&2
bin="$(swift build -c release --package-path "$here/driver" --show-bin-path)"
bench="$bin/GatewayBench"
bpg="$bin/bpg"

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
ready_out="$(python3 "$here/ready.py" "$bpg" "$config" 7 "$work/ready.log")"
echo "$ready_out"
ready_ms="$(echo "$ready_out" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p')"

start_gateway
sleep 1
rss_idle="$(rss_mb "$gateway_pid")"
echo "gateway idle RSS: $rss_idle MB"
base="http://127.0.0.1:$gateway_port/skatev2"
direct_p50s=()

echo "== direct KubeClient creates vs gateway submissions, one at a time ==" >&2
out="$("$bench" direct "$config" "$direct_count")"
echo "direct create (before): $out"
direct_p50s+=("$(echo "$out" | sed -n 's/.*p50_us=\([0-9]*\).*/\1/p')")
direct_p99_a="$(echo "$out" | sed -n 's/.*p99_us=\([0-9]*\).*/\1/p')"

wrk -t1 -c1 -d2s -s "$work/submit.lua" "$base/spark" >/dev/null  # warm-up
seq_out="$(wrk -t1 -c1 -d10s --latency -s "$work/submit.lua" "$base/spark")"
seq_p50="$(echo "$seq_out" | wrk_percentile 50%)"
seq_p99="$(echo "$seq_out" | wrk_percentile 99%)"
seq_rate="$(echo "$seq_out" | wrk_rate)"
seq_bad="$(echo "$seq_out" | wrk_non2xx)"
echo "gateway submit (1 client): p50 ${seq_p50} us, p99 ${seq_p99} us, $seq_rate submissions/s, non-2xx $seq_bad"

out="$("$bench" direct "$config" "$direct_count")"
echo "direct create (after):  $out"
direct_p50s+=("$(echo "$out" | sed -n 's/.*p50_us=\([0-9]*\).*/\1/p')")
direct_p99_b="$(echo "$out" | sed -n 's/.*p99_us=\([0-9]*\).*/\1/p')"
direct_p50=$(( (direct_p50s[0] + direct_p50s[1]) / 2 ))
added_p50=$(( seq_p50 - direct_p50 ))
added_p99=$(( seq_p99 - (direct_p99_a + direct_p99_b) / 2 ))
echo "added by the gateway: p50 $added_p50 us (gateway $seq_p50 - direct $direct_p50), p99 $added_p99 us"

echo "== submissions under load ==" >&2
load_out="$(wrk -t2 -c"$connections" -d10s --latency -s "$work/submit.lua" "$base/spark")"
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
status_best=0
for round in $(seq 1 "$rounds"); do
    out="$(wrk -t2 -c32 -d5s -H 'User-Account: bench' "$status_url")"
    rate="$(echo "$out" | wrk_rate)"
    echo "round $round: GET /status $rate req/s, non-2xx $(echo "$out" | wrk_non2xx)"
    [ "$rate" -gt "$status_best" ] && status_best="$rate"
done

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
ratios=()
health_best=0
nginx_best=0
for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then
        g="$(wrk -t2 -c32 -d5s -H 'User-Account: bench' "$health_url" | wrk_rate)"
        n="$(wrk -t2 -c32 -d5s -H 'User-Account: bench' "$nginx_url" | wrk_rate)"
    else
        n="$(wrk -t2 -c32 -d5s -H 'User-Account: bench' "$nginx_url" | wrk_rate)"
        g="$(wrk -t2 -c32 -d5s -H 'User-Account: bench' "$health_url" | wrk_rate)"
    fi
    echo "round $round: gateway health $g req/s, nginx $n req/s, ratio $(python3 -c "print(f'{$g / $n:.2f}')")"
    ratios+=("$(python3 -c "print($g / $n)")")
    [ "$g" -gt "$health_best" ] && health_best="$g"
    [ "$n" -gt "$nginx_best" ] && nginx_best="$n"
done
health_ratio="$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ r[NR] = $1 } END { printf "%.2f", (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }')"
echo "health: best gateway $health_best req/s, best nginx $nginx_best req/s, median ratio of rounds $health_ratio"

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

verdict() { python3 -c "import sys; print('pass' if $1 else 'MISS')"; }
echo
echo "summary (bpg release, 2 simulated HTTPS clusters in another process, MariaDB store, log level $log_level)"
printf '%-44s %16s %14s %6s\n' figure value target result
printf '%-44s %16s %14s %6s\n' "start to ready (median of 7)" "$ready_ms ms" "<= 300 ms" "$(verdict "$ready_ms <= 300")"
printf '%-44s %16s %14s %6s\n' "RSS idle" "$rss_idle MB" "<= 30 MB" "$(verdict "$rss_idle <= 30")"
printf '%-44s %16s %14s %6s\n' "RSS after $mem_count submissions" "$rss_after MB" "<= 150 MB" "$(verdict "$rss_after <= 150 and $mem_count >= 100000")"
printf '%-44s %16s %14s %6s\n' "direct KubeClient create p50" "$direct_p50 us" "(reference)" "-"
printf '%-44s %16s %14s %6s\n' "gateway submit p50 / p99 (1 client)" "$seq_p50 / $seq_p99 us" "-" "-"
printf '%-44s %16s %14s %6s\n' "added latency p50 (gateway - direct)" "$added_p50 us" "<= 1000 us" "$(verdict "$added_p50 <= 1000")"
printf '%-44s %16s %14s %6s\n' "submissions/s ($connections connections)" "$load_rate" "-" "-"
printf '%-44s %16s %14s %6s\n' "submit p50 / p99 ($connections connections)" "$load_p50 / $load_p99 us" "-" "-"
printf '%-44s %16s %14s %6s\n' "GET /status req/s (best of $rounds)" "$status_best" ">= 20000" "$(verdict "$status_best >= 20000")"
printf '%-44s %16s %14s %6s\n' "health req/s / nginx (median of $rounds)" "$health_ratio" ">= 0.70" "$(verdict "$health_ratio >= 0.7")"
