#!/usr/bin/env bash
# Build ferry and run the demonstration job end to end: a partner's outbox is delivered to our
# inbox (only *.edi files, verified), then mirrored into an archive. Prints the plan, runs it,
# and shows that a second run has nothing to do.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
ferry=$PWD/target/release/ferry

export FERRY_DEMO
FERRY_DEMO=$(mktemp -d "${TMPDIR:-/tmp}/ferry-demo.XXXXXX")
mkdir -p "$FERRY_DEMO/partner-outbox"
for n in 1001 1002 1003; do
  printf "UNB+UNOC:3+ACME:14+OURCO:14+261125:0930+%s'\nUNH+1+INVOIC:D:96A:UN'\n" "$n" > "$FERRY_DEMO/partner-outbox/INV-$n.edi"
done
echo "not for delivery" > "$FERRY_DEMO/partner-outbox/README.txt"

echo "== ferry validate jobs-examples/demo.yaml"
"$ferry" validate jobs-examples/demo.yaml
echo
echo "== ferry plan (what would happen; nothing changes)"
"$ferry" plan jobs-examples/demo.yaml deliver-invoices
echo
echo "== ferry run (deliver, then archive)"
"$ferry" run jobs-examples/demo.yaml
echo
echo "== ferry ls -l our-inbox"
"$ferry" ls -l "$FERRY_DEMO/our-inbox"
echo
echo "== second run: nothing to do, exit code 9 with --error-on-no-transfer"
set +e
"$ferry" run jobs-examples/demo.yaml --error-on-no-transfer
echo "exit code: $?"
set -e
echo
echo "demo folders are in $FERRY_DEMO"
