#!/usr/bin/env bash
# Application monitor benchmark: APPS applications across CLUSTERS simulated clusters (fast operator
# timings: 200 ms to SUBMITTED, 200 ms to RUNNING, 3 s run), a SQLite store seeded as the gateway
# would, and the real `bpg serve --config` (monitor inside, release build) as a child process.
# Prints: time to the first full sync (against one client listing the same objects), event→record
# lag p50/p99 for a steady stream of new applications (target p99 <= 1 s), and bpg's resident
# memory (against the same bpg with BPG_MONITOR_ENABLED=false).
#   APPS=20000 CLUSTERS=4 RATE=50 STREAM_SECONDS=20 DB_DIR=/dev/shm bench/monitor/run.sh
#   (--quick: APPS=2000, STREAM_SECONDS=5)
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
if bench_quick; then apps=${APPS:-2000}; seconds=${STREAM_SECONDS:-5}; else apps=${APPS:-20000}; seconds=${STREAM_SECONDS:-20}; fi
clusters=${CLUSTERS:-4}
rate=${RATE:-50}
# The store on tmpfs by default: the figures are the monitor's, not the disk's fsync latency.
db_dir=${DB_DIR:-/dev/shm}

bench_build MonitorBench bpg
bpg="$bench_bin/bpg"
bench="$bench_bin/MonitorBench"

work=$(mktemp -d "$db_dir/bpg-bench-monitor.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
"$bench" "$bpg" "$work" "$apps" "$clusters" "$rate" "$seconds"
