#!/usr/bin/env bash
# Runs every benchmark and prints one table: figure, value, same-run reference, ratio, target, met.
#
#   bench/run-all.sh            full run (about 10 minutes on a 2-core machine, after the build)
#   bench/run-all.sh --quick    smaller runs, same number of rounds (about 4 minutes)
#   bench/run-all.sh core kube  only the named benchmarks (core kube http store gateway scale monitor failover s3)
#
# Each benchmark's own output goes to bench/.build/results/<name>.log (and its stderr to <name>.err);
# the figures to bench/.build/results/results.tsv, from which the table is printed. The machine is
# shared and noisy: read the ratios to the same-run references before the absolute values.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

all=(core kube http store gateway scale monitor failover s3)
selected=()
for argument in "$@"; do
    case "$argument" in
        --quick) export BENCH_QUICK=1 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) [ -x "$bench_dir/$argument/run.sh" ] || { echo "no benchmark '$argument'" >&2; exit 2; }
           selected+=("$argument") ;;
    esac
done
[ ${#selected[@]} -gt 0 ] || selected=("${all[@]}")

echo "building the bench package and bpg (release)…" >&2
started=$(date +%s)
swift build -c release --package-path "$bench_dir" >&2
swift build -c release --package-path "$bench_dir" --product bpg >&2
export BENCH_BUILT=1
bench_build
echo "built in $(( $(date +%s) - started )) s" >&2

results_dir="$bench_dir/.build/results"
mkdir -p "$results_dir"
export BENCH_RESULTS="$results_dir/results.tsv"
: >"$BENCH_RESULTS"
failed=()
for name in "${selected[@]}"; do
    start=$(date +%s)
    echo "== $name ($(date -u +%H:%M:%S) UTC)" >&2
    if "$bench_dir/$name/run.sh" >"$results_dir/$name.log" 2>"$results_dir/$name.err"; then
        echo "   $(( $(date +%s) - start )) s" >&2
    else
        echo "   FAILED after $(( $(date +%s) - start )) s; last lines of $results_dir/$name.err:" >&2
        tail -n 5 "$results_dir/$name.err" >&2
        failed+=("$name")
    fi
done

echo
echo "bench/run-all.sh$([ "${BENCH_QUICK:-0}" = 1 ] && echo " --quick"): $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
benchkit table "$BENCH_RESULTS"
echo "(full outputs: $results_dir/; $(( $(date +%s) - started )) s in all)"
if [ ${#failed[@]} -gt 0 ]; then
    echo "benchmarks that failed: ${failed[*]}" >&2
    exit 1
fi
