#!/usr/bin/env bash
# Failover benchmark: submissions/s and errors while one of two clusters goes down mid-run.
# Builds `bpg` and the driver in release; each run starts two simulated clusters and a real
# `bpg serve --config` against them, submits SparkPi jobs from WORKERS concurrent clients for SECONDS,
# and (except the reference run) stops cluster A's API server halfway (connections refused).
#   reference  no outage (health on, 2 attempts): the throughput the other runs are compared with
#   failover   outage with gateway.health.enabled: true and gateway.routing.maxAttempts: 2 (target: 0 errors)
#   bpg        outage with BPG's defaults (no health checking, 1 attempt): what BPG users see
# Usage: SECONDS_PER_RUN=10 WORKERS=8 bench/failover/run.sh     (--quick: SECONDS_PER_RUN=4)
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
if bench_quick; then seconds=${SECONDS_PER_RUN:-4}; else seconds=${SECONDS_PER_RUN:-10}; fi
workers=${WORKERS:-8}

bench_build FailoverBench bpg
bpg="$bench_bin/bpg"
driver="$bench_bin/FailoverBench"

declare -A rate errors
for mode in reference failover bpg; do
  out=$("$driver" "$bpg" "$seconds" "$workers" "$mode")
  echo "$out"
  rate[$mode]=$(echo " $out" | sed -n 's/.* per_s=\([0-9]*\).*/\1/p')
  errors[$mode]=$(echo " $out" | sed -n 's/.* errors=\([0-9]*\).*/\1/p')
done

printf '\n%-10s %14s %8s %22s\n' run submissions/s errors 'ratio to reference'
for mode in reference failover bpg; do
  ratio=$(benchkit ratio "${rate[$mode]}" "${rate[reference]}")
  printf '%-10s %14s %8s %22.2f\n' "$mode" "${rate[$mode]}" "${errors[$mode]}" "$ratio"
done
reference="no outage ${rate[reference]}/s"
benchkit record failover "submissions/s, one cluster down, failover on" "${rate[failover]}" "/s" "$reference" \
  "$(benchkit ratio "${rate[failover]}" "${rate[reference]}")" -
benchkit record failover "errors, one cluster down, failover on" "${errors[failover]}" "" "no outage ${errors[reference]}" - "<= 0"
benchkit record failover "errors, one cluster down, BPG defaults" "${errors[bpg]}" "" "no outage ${errors[reference]}" - -
echo "($workers concurrent clients, ${seconds}s per run, cluster A refuses connections from the middle of the" \
  "failover and bpg runs; memory store; simulated clusters keep jobs SUBMITTED)"
