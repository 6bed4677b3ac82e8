# Sourced by every benchmark script (bash). Defines:
#   bench_dir, BENCH_ROOT   bench/ and the repository root (its parent): the one way the benchmarks
#                           find the repository; exported for the Swift drivers (BenchSupport.Repository)
#   bench_build PRODUCT...  release build of the bench package's products (and `bpg`), once per run-all
#   bench_bin               the directory of the built executables
#   benchkit ARGS...        BenchKit: the shared statistics (stats, median, ratio, median-ratio) and
#                           `record`, which appends a figure to $BENCH_RESULTS for run-all's table
#   free_port               a free TCP port on 127.0.0.1
#   bench_quick             true when BENCH_QUICK=1 (run-all --quick): smaller runs, same rounds
bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_ROOT="$(cd "$bench_dir/.." && pwd)"
export BENCH_ROOT

bench_build() {
    if [ "${BENCH_BUILT:-0}" != 1 ]; then
        local product
        for product in BenchKit "$@"; do
            echo "building $product (release)…" >&2
            swift build -c release --package-path "$bench_dir" --product "$product" >&2
        done
    fi
    bench_bin="$(swift build -c release --package-path "$bench_dir" --show-bin-path)"
}

benchkit() { "$bench_bin/BenchKit" "$@"; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

bench_quick() { [ "${BENCH_QUICK:-0}" = 1 ]; }
