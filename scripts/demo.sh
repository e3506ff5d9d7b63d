#!/usr/bin/env bash
# Build ferry, start `ferry serve sftp` on a temporary folder as a stand-in trading partner,
# pin its host key, and run the demonstration job against it: plan, run, and a second run
# that has nothing to do.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
ferry=$PWD/target/release/ferry

export FERRY_DEMO FERRY_DEMO_PORT FERRY_DEMO_HOSTKEY FERRY_DEMO_PW XDG_STATE_HOME
FERRY_DEMO=$(mktemp -d "${TMPDIR:-/tmp}/ferry-demo.XXXXXX")
XDG_STATE_HOME=$FERRY_DEMO/state   # the demo's ledger and locks stay in the demo folder
FERRY_DEMO_PW=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
mkdir -p "$FERRY_DEMO/partner/outbound"
for n in 1001 1002 1003; do
  printf "UNB+UNOC:3+ACME:14+OURCO:14+261125:0930+%s'\nUNH+1+INVOIC:D:96A:UN'\n" "$n" > "$FERRY_DEMO/partner/outbound/INV-$n.edi"
done
echo "not for delivery" > "$FERRY_DEMO/partner/outbound/README.txt"

# The partner's server: SFTP on a free port, password login, host key generated on first use.
"$ferry" serve sftp "$FERRY_DEMO/partner" --addr 127.0.0.1:0 --user demo --password-env FERRY_DEMO_PW \
  --host-key-file "$FERRY_DEMO/host_key" > "$FERRY_DEMO/serve.out" 2> "$FERRY_DEMO/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$FERRY_DEMO/serve.out" ] && break; sleep 0.1; done
read -r _ addr _ FERRY_DEMO_HOSTKEY < "$FERRY_DEMO/serve.out"
FERRY_DEMO_PORT=${addr##*:}
echo "== partner server: sftp://demo@$addr/ (host key $FERRY_DEMO_HOSTKEY)"
echo
echo "== ferry validate jobs-examples/demo.yaml"
"$ferry" validate jobs-examples/demo.yaml
echo
echo "== ferry plan (what would happen; nothing changes)"
"$ferry" plan jobs-examples/demo.yaml pickup-invoices
echo
echo "== ferry run (pick up, then archive)"
"$ferry" run jobs-examples/demo.yaml
echo
echo "== ferry ls -l inbox"
"$ferry" ls -l "$FERRY_DEMO/inbox"
echo
echo "== the partner's side: outbound is empty, the invoices were archived after delivery"
"$ferry" ls -R "$FERRY_DEMO/partner"
echo
echo "== ferry history"
"$ferry" history
echo
echo "== second run: nothing to do, exit code 9 with --error-on-no-transfer"
set +e
"$ferry" run jobs-examples/demo.yaml --error-on-no-transfer
echo "exit code: $?"
set -e
echo
echo "demo folders are in $FERRY_DEMO"
