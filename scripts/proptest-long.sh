#!/usr/bin/env bash
# Run the property tests of ferry's parsers with many more cases than the test suite does.
# Usage: scripts/proptest-long.sh [CASES]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
PROPTEST_CASES="${1:-100000}" cargo test --locked --lib proptests -- --test-threads=2
