#!/usr/bin/env bash
# Run ferry's whole test suite (unit + integration through the built binary), installing
# whatever a fresh Debian machine with the Rust toolchain lacks. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null; then
  echo "test.sh: cargo not found; install the Rust toolchain (rustup) first" >&2
  exit 2
fi

# Debian packages the tests need: OpenSSH's sshd and vsftpd (the SFTP and FTP interop suites run
# against them), ssh-keygen and openssl for their keys and certificates; `sh` runs job hooks.
pkgs=()
[ -x /usr/sbin/sshd ] || pkgs+=(openssh-server)
command -v ssh-keygen >/dev/null || pkgs+=(openssh-client)
[ -x /usr/sbin/vsftpd ] || pkgs+=(vsftpd)
command -v openssl >/dev/null || pkgs+=(openssl)
command -v sh >/dev/null || pkgs+=(dash)
if [ ${#pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${pkgs[@]}"
fi

# Python's asyncssh is the second SFTP server implementation the interop tests run against.
if ! python3 -c "import asyncssh" 2>/dev/null; then
  python3 -m pip install -q --disable-pip-version-check "asyncssh==2.24.1"
fi

# vsftpd runs anonymous sessions as the `ftp` user (its package creates it).
id ftp >/dev/null 2>&1 || { echo "test.sh: the ftp user is missing (reinstall vsftpd)" >&2; exit 2; }

cargo test --locked "$@"
