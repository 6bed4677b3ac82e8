#!/usr/bin/env bash
# GatewayCore submission benchmark: per-submission CPU time (decode → validate → route → translate →
# encode) on one core, median of 5 runs of N, against a JSONDecoder+JSONEncoder round trip of the same
# request in the same runs; then the response and record encodings (status, submit, stored request)
# against JSONEncoder, which encoded them before the JSON module had an encoder.
# Usage: bench/core/run.sh [iterations] [--parts]
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
bench_build CoreBench
if [ $# -eq 0 ] && bench_quick; then set -- 5000; fi
taskset -c 0 "$bench_bin/CoreBench" "$@"
taskset -c 0 "$bench_bin/CoreBench" "${1:-20000}" --encoding
