#!/usr/bin/env bash
# Run ferry's whole test suite (unit + integration through the built binary), installing
# whatever a fresh Debian machine with the Rust toolchain lacks. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null; then
  echo "test.sh: cargo not found; install the Rust toolchain (rustup) first" >&2
  exit 2
fi

# Debian packages the tests need: OpenSSH's sshd, vsftpd and PostgreSQL (the SFTP and FTP interop suites run
# against them), ssh-keygen and openssl for their keys and certificates; `sh` runs job hooks.
pkgs=()
[ -x /usr/sbin/sshd ] || pkgs+=(openssh-server)
command -v ssh-keygen >/dev/null || pkgs+=(openssh-client)
[ -x /usr/sbin/vsftpd ] || pkgs+=(vsftpd)
command -v openssl >/dev/null || pkgs+=(openssl)
command -v sh >/dev/null || pkgs+=(dash)
# PostgreSQL (server and psql) for the shared-ledger tests; the tests make their own clusters.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || pkgs+=(postgresql)
command -v runuser >/dev/null || pkgs+=(util-linux)
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
if [ ${#pkgs[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${pkgs[@]}"
fi

# rclone (`rclone serve sftp`: short reads, no seeking while writing) and the libraries of the
# ProFTPD and Pure-FTPd binaries unpacked below.
libs=(rclone libhiredis0.14 libmemcached11 libmemcachedutil2 libpcre2-posix3 libsodium23 libidn2-0 libcap2 libacl1)
missing=()
for p in "${libs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# ProFTPD (with mod_tls and mod_sftp) and Pure-FTPd conflict with vsftpd as installed packages
# (Conflicts: ftp-server), so their .debs are unpacked under the build tree and run from there.
interop="${FERRY_INTEROP_ROOT:-$PWD/target/interop/root}"
if [ ! -x "$interop/usr/sbin/proftpd" ] || [ ! -e "$interop/usr/lib/proftpd/mod_sftp.so" ] || [ ! -x "$interop/usr/sbin/pure-ftpd" ]; then
  debs="$(dirname "$interop")/debs"
  rm -rf "$debs" && mkdir -p "$debs" "$interop"
  fetch() { (cd "$debs" && apt-get download -qq proftpd-core proftpd-mod-crypto pure-ftpd 2>/dev/null); }
  fetch || { $SUDO apt-get update -qq; fetch; }
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$interop"; done
  [ -x "$interop/usr/sbin/proftpd" ] && [ -x "$interop/usr/sbin/pure-ftpd" ] || {
    echo "test.sh: could not unpack ProFTPD and Pure-FTPd into $interop" >&2; exit 2; }
fi
export FERRY_INTEROP_ROOT="$interop"

# Python servers the interop tests run against: asyncssh (SFTP) and pyftpdlib (FTP).
if ! python3 -c "import asyncssh" 2>/dev/null; then
  python3 -m pip install -q --disable-pip-version-check "asyncssh==2.24.1"
fi
if ! python3 -c "import pyftpdlib" 2>/dev/null; then
  python3 -m pip install -q --disable-pip-version-check "pyftpdlib==2.2.0"
fi
# The metrics tests parse ferry's /metrics output with the Prometheus project's own parser.
if ! python3 -c "import prometheus_client" 2>/dev/null; then
  python3 -m pip install -q --disable-pip-version-check "prometheus-client==0.26.0"
fi

# vsftpd runs anonymous sessions as the `ftp` user (its package creates it).
id ftp >/dev/null 2>&1 || { echo "test.sh: the ftp user is missing (reinstall vsftpd)" >&2; exit 2; }

cargo test --locked "$@"
