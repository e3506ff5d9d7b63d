#!/usr/bin/env bash
# Run ferry's whole test suite (unit + integration through the built binary), installing
# whatever a fresh Debian machine with the Rust toolchain lacks. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null; then
  echo "test.sh: cargo not found; install the Rust toolchain (rustup) first" >&2
  exit 2
fi

# Debian packages the tests need. `sh` runs job hooks; the rest is the Rust toolchain.
pkgs=()
command -v sh >/dev/null || pkgs+=(dash)
if [ ${#pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${pkgs[@]}"
fi

cargo test --locked "$@"
