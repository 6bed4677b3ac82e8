# Sourced by the benchmarks: nginx answering `{"status":"OK"}` with `return 200`, the reference a
# benchmark's HTTP figures are measured against in the same run.
#
#   start_reference_nginx WORK_DIR PORT   writes WORK_DIR/nginx/nginx.conf, starts nginx in the
#                                         background and appends its PID to the caller's `pids` array

start_reference_nginx() {
    local work="$1" port="$2"
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
        listen 127.0.0.1:$port;
        location / {
            default_type application/json;
            return 200 '{"status":"OK"}';
        }
    }
}
CONF
    nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>"$work/nginx/logs/stderr.log" &
    pids+=($!)
}
