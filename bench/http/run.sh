#!/usr/bin/env bash
# HTTPServing throughput against nginx, measured in the same run on the same machine.
# Builds the bench server in release, serves {"status":"OK"} from both, runs
# `wrk -t2 -c32 -d5s` against each (after a short warm-up) and prints requests/s and the ratio.
# Usage: bench/http/run.sh [rounds]   (default 2 rounds, alternating servers; best of each is kept)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
rounds="${1:-2}"
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

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_ready() {
    for _ in $(seq 1 100); do
        if curl -fsS "$1" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    echo "server at $1 did not come up" >&2
    exit 1
}

requests_per_second() {
    wrk -t2 -c32 -d"$2" "$1" | awk '/^Requests\/sec:/ { print $2 }'
}

echo "building the bench server (release)…" >&2
(cd "$here/HTTPBenchServer" && swift build -c release --product HTTPBenchServer >&2)
server_bin="$(cd "$here/HTTPBenchServer" && swift build -c release --show-bin-path)/HTTPBenchServer"

swift_port="$(free_port)"
"$server_bin" "$swift_port" 2 >"$work/swift.log" 2>&1 &
pids+=($!)

nginx_port="$(free_port)"
mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            default_type application/json;
            return 200 '{"status":"OK"}';
        }
    }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>"$work/nginx/logs/stderr.log" &
pids+=($!)

swift_url="http://127.0.0.1:$swift_port/"
nginx_url="http://127.0.0.1:$nginx_port/"
wait_ready "$swift_url"
wait_ready "$nginx_url"
[ "$(curl -fsS "$swift_url")" = '{"status":"OK"}' ] || { echo "unexpected body from the Swift server" >&2; exit 1; }
[ "$(curl -fsS "$nginx_url")" = '{"status":"OK"}' ] || { echo "unexpected body from nginx" >&2; exit 1; }

requests_per_second "$swift_url" 1s >/dev/null
requests_per_second "$nginx_url" 1s >/dev/null

best_swift=0
best_nginx=0
for round in $(seq 1 "$rounds"); do
    s="$(requests_per_second "$swift_url" 5s)"
    n="$(requests_per_second "$nginx_url" 5s)"
    printf 'round %d: HTTPServing %s req/s, nginx %s req/s\n' "$round" "$s" "$n"
    best_swift="$(awk -v a="$best_swift" -v b="$s" 'BEGIN { print (b > a ? b : a) }')"
    best_nginx="$(awk -v a="$best_nginx" -v b="$n" 'BEGIN { print (b > a ? b : a) }')"
done

printf 'HTTPServing (libmicrohttpd, 2 threads): %.0f req/s\n' "$best_swift"
printf 'nginx (return 200, 2 workers):         %.0f req/s\n' "$best_nginx"
awk -v a="$best_swift" -v b="$best_nginx" 'BEGIN { printf "ratio HTTPServing/nginx: %.2f (target >= 0.80)\n", a / b }'
