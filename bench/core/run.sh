#!/bin/sh
# GatewayCore submission benchmark: release build, one core, best of 5 runs of N submissions.
# Usage: bench/core/run.sh [iterations]
set -eu
cd "$(dirname "$0")"
ln -sfn ../.. gateway-root  # a distinct package identity: the root directory may itself be named "core"
rm -rf .build  # path dependencies through the symlink are not rescanned for new files: build clean
swift build -c release --product CoreBench | grep -E "error|warning" || true
exec taskset -c 0 .build/release/CoreBench "$@"
