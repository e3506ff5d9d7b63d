#!/usr/bin/env bash
# Ledger benchmark: record 100,000 transfers (one committed row each, as a run writes them) and
# answer `once` for a 100,000-file listing. Target: under 2 s in total. Median of 5 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --example ledger_bench
for i in 1 2 3 4 5; do /usr/bin/time -f "peak_rss_kib=%M" target/release/examples/ledger_bench "${1:-100000}" 2>&1 | paste -sd' '; done
