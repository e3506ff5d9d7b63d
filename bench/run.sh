#!/usr/bin/env bash
# Build ferry in release mode, install the peers from Debian's packages, and run the benchmarks.
# Usage: bench/run.sh [local|sftp|ftp|foreign|wan] [-- extra args for the script]
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for t in rsync rclone lftp sftp curl openssl; do command -v "$t" >/dev/null || need+=("$t"); done
need=("${need[@]/sftp/openssh-client}")
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
[ -x /usr/sbin/vsftpd ] || need+=(vsftpd)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
cargo build --release --locked
suite=${1:-local}
shift || true
[ "${1:-}" = "--" ] && shift
python3 "bench/$suite.py" "$@"
