#!/usr/bin/env bash
# KubeClient benchmarks, each against a reference measured in the same run:
#  - create latency (p50/p99) against the simulated API server over HTTPS, KubeClient vs one `curl`
#    process reusing one connection for all its POSTs (`-K` config with `next`, timed with `-w`),
#    3 rounds alternating the two clients;
#  - the informer's watch decoding rate (events/s), 3 rounds, vs JSONDecoder alone.
# Usage: bench/kube/run.sh [creates-per-round] [events]   (defaults 2000 and 10000; --quick 500 and 5000)
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
bench_build KubeBench
if bench_quick; then creates="${1:-500}"; events="${2:-5000}"; else creates="${1:-2000}"; events="${2:-10000}"; fi
exec "$bench_bin/KubeBench" "$creates" "$events"
