#!/usr/bin/env bash
# Runs the gateway in dev mode: an embedded SQLite store and two simulated clusters on loopback.
# Extra arguments go to `bpg serve` (for example --port 9090).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
swift build -c release --product bpg
exec .build/release/bpg serve --dev "$@"
