#!/usr/bin/env bash
# S3 upload benchmark: the ObjectStorage client vs `curl --aws-sigv4` uploading the same generated
# file (1 GiB; --quick 256 MiB) to the same moto server, 3 rounds alternating the two, and the
# client's RSS growth during its uploads (the client streams from the file in 8 MiB parts).
# moto runs without authentication here (any key signs); scripts/setup.sh --tests installs it.
# Usage: bench/s3/run.sh [MiB]
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
"$BENCH_ROOT/scripts/setup.sh" --tests
bench_build S3Bench
if bench_quick; then mib="${1:-256}"; else mib="${1:-1024}"; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-s3.XXXXXX")
port=$(free_port)
"$BENCH_ROOT/.build-python/venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill "$moto" 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM
head -c "$((mib << 20))" /dev/urandom >"$work/object.bin"
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.2
done
"$bench_bin/S3Bench" "http://127.0.0.1:$port" "$work/object.bin" 3
