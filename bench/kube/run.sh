#!/usr/bin/env bash
# KubeClient benchmarks, each against a reference measured in the same run:
#  - create latency (p50/p99) against the simulated API server over HTTPS, KubeClient vs one `curl`
#    process reusing one connection for all its POSTs (`-K` config with `next`, timed with `-w`);
#  - the informer's watch decoding rate (events/s) for 10,000 events, vs JSONDecoder alone.
# Usage: bench/kube/run.sh [creates-per-round] [events]   (defaults 2000 and 10000)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
creates="${1:-2000}"
events="${2:-10000}"

echo "building the bench driver (release)…" >&2
(cd "$here/KubeBench" && swift build -c release --product KubeBench >&2)
bin="$(cd "$here/KubeBench" && swift build -c release --show-bin-path)/KubeBench"

"$bin" "$creates" "$events" "$here/../../Tests/KubeClientTests/Fixtures/tls"
