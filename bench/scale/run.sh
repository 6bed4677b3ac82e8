#!/usr/bin/env bash
# Throughput at scale: the real `bpg` (release) in front of ten simulated HTTPS Spark clusters
# (GatewayBench, a separate process) and a throwaway MariaDB.
#
# Figures (each the median of ROUNDS rounds):
#   - submissions/s, 16 wrk connections across the ten clusters (weights 50 each), with p50/p99;
#     same-run reference: the gateway's health endpoint under the same wrk load (the HTTP layer's ceiling)
#   - GET /spark/{id}/status requests/s with RECORDS records (default 100,000) in MariaDB, each request
#     for a random one of 10,000 ids drawn from the table (almost every read misses the status cache
#     and reads the store); same-run reference: GET /status of one id (answered from the cache)
#
#   bench/scale/run.sh
#   RECORDS=100000 ROUNDS=3 CLUSTERS=10 CONNECTIONS=16 bench/scale/run.sh
#   BENCH_QUICK=1 bench/scale/run.sh    (20,000 records, 5 s rounds)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib/common.sh"
root="$BENCH_ROOT"
rounds="${ROUNDS:-3}"
cluster_count="${CLUSTERS:-10}"
connections="${CONNECTIONS:-16}"
step_ms="${STEP_MS:-20}"
if bench_quick; then
    records="${RECORDS:-20000}"; load_seconds=5; rate_seconds=3
else
    records="${RECORDS:-100000}"; load_seconds=10; rate_seconds=5
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/bpg-bench-scale.XXXXXX")"
pids=()
gateway_pid=""
cleanup() {
    for pid in "${pids[@]}" $gateway_pid; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}" $gateway_pid; do wait "$pid" 2>/dev/null || true; done
    "$root/scripts/throwaway-mariadb.sh" stop "$work/mariadb" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

wrk_percentile() {
    awk -v p="$1" '$1 == p {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        f = (u == "us") ? 1 : (u == "ms") ? 1000 : (u == "s") ? 1000000 : (u == "m") ? 60000000 : 1
        printf "%.0f", v * f }'
}
wrk_rate() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }'; }
wrk_non2xx() { awk '/Non-2xx/ { n = $NF } END { print n + 0 }'; }

bench_build GatewayBench bpg
bench="$bench_bin/GatewayBench"
bpg="${BPG:-$bench_bin/bpg}"   # BPG=PATH measures another build with the same script

mysql_port="$(free_port)"
"$root/scripts/throwaway-mariadb.sh" start "$work/mariadb" "$mysql_port" >&2
database=bpg_test_scale_bench
sql() { mariadb --no-defaults --socket="$work/mariadb/mysqld.sock" -uroot -N -B "$database" -e "$1"; }
config="$work/bpg.yaml"
"$bench" clusters "$config" "$mysql_port" "$database" "$step_ms" "$cluster_count" >"$work/clusters.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do [ -f "$config" ] && break; sleep 0.05; done
[ -f "$config" ] || { echo "the simulated clusters did not start:" >&2; cat "$work/clusters.log" >&2; exit 1; }

gateway_port="$(free_port)"
"$bpg" serve --config "$config" --host 127.0.0.1 --port "$gateway_port" --log-level warning \
    >>"$work/gateway.out" 2>>"$work/gateway.log" &
gateway_pid=$!
base="http://127.0.0.1:$gateway_port/skatev2"
for _ in $(seq 1 1000); do
    curl -fsS -H 'User-Account: bench' "$base/healthcheck/status" >/dev/null 2>&1 && break
    kill -0 "$gateway_pid" 2>/dev/null || { tail -n 20 "$work/gateway.log" >&2; exit 1; }
    sleep 0.01
done

body='{"applicationName":"SparkPi","queue":"dev","sparkVersion":"3.5.0","mainApplicationFile":"local:///usr/lib/spark/examples/jars/spark-examples.jar","mainClass":"org.apache.spark.examples.SparkPi","arguments":["1000"],"driver":{"cores":1,"memory":"2g"},"executor":{"instances":2,"cores":1,"memory":"2g"}}'
cat >"$work/submit.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Account"] = "bench"
wrk.body = [[$body]]
LUA

echo "== submissions/s, $connections connections, $cluster_count clusters ==" >&2
wrk -t2 -c"$connections" -d2s -s "$work/submit.lua" "$base/spark" >/dev/null  # warm-up
load_rates=""; load_p50s=""; load_p99s=""; health_rates=""
for round in $(seq 1 "$rounds"); do
    out="$(wrk -t2 -c"$connections" -d"${load_seconds}s" --latency -s "$work/submit.lua" "$base/spark")"
    rate="$(echo "$out" | wrk_rate)"; p50="$(echo "$out" | wrk_percentile 50%)"; p99="$(echo "$out" | wrk_percentile 99%)"
    health="$(wrk -t2 -c"$connections" -d"${rate_seconds}s" -H 'User-Account: bench' "$base/healthcheck/status" | wrk_rate)"
    echo "round $round: $rate submissions/s (p50 $p50 us, p99 $p99 us, non-2xx $(echo "$out" | wrk_non2xx)); health $health req/s"
    load_rates+="$rate "; load_p50s+="$p50 "; load_p99s+="$p99 "; health_rates+="$health "
done
load_rate="$(benchkit median $load_rates)"
load_p50="$(benchkit median $load_p50s)"; load_p99="$(benchkit median $load_p99s)"
health_rate="$(benchkit median $health_rates)"
load_ratio="$(benchkit median-ratio "${load_rates% }" "${health_rates% }")"

# Top the table up to RECORDS rows with more submissions (the real write path, not a bulk load).
have="$(sql 'SELECT COUNT(*) FROM application_submission')"
missing=$(( records - have ))
echo "== filling the store: $have records, $missing more ==" >&2
if [ "$missing" -gt 0 ]; then
    cat >"$work/fill.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Account"] = "bench"
wrk.body = [[$body]]
local limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
local marker = os.getenv("BENCH_MARKER") or ""
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
local count = 0
function response(status, headers, body)
    count = count + 1
    if count == limit then io.open(marker .. id, "w"):close(); wrk.thread:stop() end
end
LUA
    BENCH_LIMIT=$(( (missing + 1) / 2 )) BENCH_MARKER="$work/fill-done-" \
        wrk -t2 -c"$connections" -d1800s -s "$work/fill.lua" "$base/spark" >"$work/fill.out" 2>&1 &
    wrk_pid=$!; pids+=("$wrk_pid")
    while kill -0 "$wrk_pid" 2>/dev/null; do
        [ -f "$work/fill-done-1" ] && [ -f "$work/fill-done-2" ] && { kill -INT "$wrk_pid"; break; }
        sleep 0.2
    done
    wait "$wrk_pid" || true
fi
total="$(sql 'SELECT COUNT(*) FROM application_submission')"
echo "records in the store: $total"

echo "== GET /status over $total records ==" >&2
sql 'SELECT submission_id FROM application_submission ORDER BY RAND() LIMIT 10000' >"$work/ids.txt"
{
    echo 'local ids = {'
    sed 's/.*/"&",/' "$work/ids.txt"
    echo '}'
    cat <<'LUA'
wrk.headers["User-Account"] = "bench"
local threads = 0
function setup(thread) threads = threads + 1; thread:set("seed", threads) end
function init(args) math.randomseed(os.time() + (seed or 0)) end
function request()
    return wrk.format("GET", "/skatev2/spark/" .. ids[math.random(#ids)] .. "/status")
end
LUA
} >"$work/status.lua"
one="$(head -n1 "$work/ids.txt")"
curl -fsS -H 'User-Account: bench' "$base/spark/$one/status" >/dev/null
status_rates=""; one_rates=""
for round in $(seq 1 "$rounds"); do
    out="$(wrk -t2 -c32 -d"${rate_seconds}s" -s "$work/status.lua" "http://127.0.0.1:$gateway_port")"
    rate="$(echo "$out" | wrk_rate)"
    single="$(wrk -t2 -c32 -d"${rate_seconds}s" -H 'User-Account: bench' "$base/spark/$one/status" | wrk_rate)"
    echo "round $round: GET /status of random ids $rate req/s (non-2xx $(echo "$out" | wrk_non2xx)); one cached id $single req/s"
    status_rates+="$rate "; one_rates+="$single "
done
status_rate="$(benchkit median $status_rates)"; one_rate="$(benchkit median $one_rates)"
status_ratio="$(benchkit median-ratio "${status_rates% }" "${one_rates% }")"

rec() { benchkit record scale "$@"; }
rec "submissions/s ($connections conn., $cluster_count clusters)" "$load_rate" "/s" \
    "health $(printf %.0f "$health_rate") req/s; p50 $load_p50 µs, p99 $load_p99 µs" "$load_ratio" -
rec "GET /status req/s ($total records)" "$status_rate" "req/s" "one cached id $(printf %.0f "$one_rate") req/s" "$status_ratio" -

echo
echo "summary (bpg release, $cluster_count simulated HTTPS clusters in another process, MariaDB store)"
printf '%-48s %14s\n' "submissions/s ($connections connections, median of $rounds)" "$load_rate"
printf '%-48s %14s\n' "  p50 / p99" "$load_p50 / $load_p99 us"
printf '%-48s %14s\n' "GET /status req/s, $total records (median)" "$status_rate"
printf '%-48s %14s\n' "GET /status req/s, one cached id (median)" "$one_rate"
