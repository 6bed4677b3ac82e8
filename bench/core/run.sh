#!/usr/bin/env bash
# GatewayCore submission benchmark: per-submission CPU time (decode → validate → route → translate →
# encode) on one core, median of 5 runs of N, against a JSONDecoder+JSONEncoder round trip of the same
# request in the same runs. Usage: bench/core/run.sh [iterations] [--parts]
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
bench_build CoreBench
if [ $# -eq 0 ] && bench_quick; then set -- 5000; fi
exec taskset -c 0 "$bench_bin/CoreBench" "$@"
