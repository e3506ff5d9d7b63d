#!/usr/bin/env bash
# Lease renewal cost: a 2,000-file pull job (4 KiB files, local to local, so the ledger is all
# there is to measure) on a PostgreSQL ledger, with a 1 s lease (renewed every 250 ms) against a
# 600 s lease (never renewed during the run), and on the SQLite ledger. Five runs each, a fresh
# database and inbox per run; prints wall-clock seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
ferry="$PWD/target/release/ferry"
work=$(mktemp -d /tmp/ferry-bench-lease.XXXXXX); chmod 755 "$work"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$work/pg"; [ "$(id -u)" -eq 0 ] && chown postgres: "$work/pg"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$bin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 >/dev/null
as_pg "$bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
trap 'as_pg "$bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null; rm -rf "$work"' EXIT
python3 - "$work/outbox" <<'PY'
import os, sys
d = sys.argv[1]
for i in range(2000):
    sub = os.path.join(d, f"d{i % 20:02d}")
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, f"f{i:05d}.edi"), "wb") as f:
        f.write(f"{i:08d}".encode().ljust(4096, b"x"))
PY
run() { # label ledger ttl
  for i in 1 2 3 4 5; do
    rm -rf "$work/inbox" "$work/state"
    if [[ "$2" == postgresql* ]]; then
      "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -XAtq -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench" postgres 2>/dev/null
    else rm -f "$2"*; fi
    printf 'version: 1\nledger: %s\nlease_ttl: %s\njobs:\n  pull:\n    pull: %s\n    to: %s\n    once: true\n    parallel: 8\n' "$2" "$3" "$work/outbox" "$work/inbox" > "$work/jobs.yaml"
    s=$(date +%s.%N)
    XDG_STATE_HOME="$work/state" "$ferry" -q run "$work/jobs.yaml"
    got=$(find "$work/inbox" -type f | wc -l); [ "$got" -eq 2000 ] || { echo "only $got files delivered" >&2; exit 1; }
    e=$(date +%s.%N)
    echo "$1 run $i: $(echo "$e - $s" | bc) s"
  done
}
run "postgresql ttl=1s  " "postgresql://postgres@127.0.0.1:$port/bench" 1s
run "postgresql ttl=600s" "postgresql://postgres@127.0.0.1:$port/bench" 600s
run "sqlite             " "$work/ledger.db" 30s
