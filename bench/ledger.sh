#!/usr/bin/env bash
# Ledger benchmark: record N (default 100,000) transfers as a run writes them and answer `once`
# for an N-file listing, on the SQLite ledger and on a PostgreSQL ledger (a temporary cluster
# on 127.0.0.1, started here as the postgres user). Targets: SQLite under 2 s, PostgreSQL under
# 5 s in total. Five runs each; take the median.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
cargo build --release --locked --example ledger_bench
echo "== sqlite (TMPDIR=${TMPDIR:-/tmp})"
for mode in ahead each; do
  for i in 1 2 3 4 5; do /usr/bin/time -f "peak_rss_kib=%M" target/release/examples/ledger_bench "$n" 8 "${TMPDIR:-/tmp}/ferry-bench-$$-$mode-$i.db" "$mode" 2>&1 | paste -sd' '; rm -f "${TMPDIR:-/tmp}/ferry-bench-$$-$mode-$i".db*; done
done

bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/ferry-bench-pg.XXXXXX)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 >/dev/null
# Stock durability settings (fsync and synchronous_commit on): what a production ledger runs.
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
trap 'as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; rm -rf "$dir"' EXIT
echo "== postgresql 127.0.0.1:$port"
# Per-file commits (`each`) cost one synchronous commit per file: 10,000 files are enough to
# show it; `ahead` runs the full count.
for mode in ahead each; do
  m=$n; runs="1 2 3 4 5"
  if [ "$mode" = each ]; then m=$(( n < 10000 ? n : 10000 )); runs="1 2 3"; fi
  for i in $runs; do
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -XAtq -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench" postgres 2>/dev/null
    /usr/bin/time -f "peak_rss_kib=%M" target/release/examples/ledger_bench "$m" 8 "postgresql://postgres@127.0.0.1:$port/bench" "$mode" 2>&1 | paste -sd' '
  done
done
