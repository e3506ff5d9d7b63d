#!/usr/bin/env python3
"""Local -> local benchmark: ferry against rsync -a, rclone copy and cp.

Cases: (a) mirror of 20,000 files of 4 KiB into an empty target, (b) no-op re-mirror of the
same tree, (c) one 1 GiB file. Usage: bench/local.py [--runs N] [--files N] [--big-mib N]
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

args, ferry, work = harness.setup("local", files=20000, big_mib=1024)
src = os.path.join(work, "src")
for i in range(args.files):
    d = os.path.join(src, f"d{i % 100:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:06d}.dat"), "wb") as f:
        f.write(os.urandom(4096))
big = os.path.join(work, "big.bin")
with open(big, "wb") as f:
    chunk = os.urandom(1 << 20)
    for _ in range(args.big_mib):
        f.write(chunk)
subprocess.run(["sync"])

def dst(label, case):
    return os.path.join(work, f"dst-{case}-{label}")

tree_tools = lambda case: [
    ("ferry", [ferry, "-q", "mirror", src, dst("ferry", case)]),
    ("rsync", ["rsync", "-a", src + "/", dst("rsync", case) + "/"]),
    ("rclone", ["rclone", "copy", "--config", "/dev/null", src, dst("rclone", case)]),
]

cases = []
# (a) fresh copy: each run starts from an empty target.
cases.append(harness.case(f"(a) {args.files} x 4 KiB, fresh", tree_tools("a"), args.runs,
                          setup=lambda label: harness.drop_tree(dst(label, "a"))))
# (b) no-op: targets already complete (the first run of each tool fills it, untimed).
for label, argv in tree_tools("b"):
    harness.run_once(argv)
cases.append(harness.case(f"(b) {args.files} x 4 KiB, no-op", tree_tools("b"), args.runs))
# (c) one big file.
big_tools = [
    ("ferry", [ferry, "-q", "get", big, dst("ferry", "c") + "/"]),
    ("cp", ["cp", big, dst("cp", "c") + "/"]),
    ("rsync", ["rsync", "-a", big, dst("rsync", "c") + "/"]),
    ("rclone", ["rclone", "copy", "--config", "/dev/null", big, dst("rclone", "c")]),
]
def big_setup(label):
    harness.drop_tree(dst(label, "c"))
    os.makedirs(dst(label, "c"))
cases.append(harness.case(f"(c) 1 file of {args.big_mib} MiB", big_tools, args.runs, setup=big_setup))

harness.report("Local -> local", args.runs, [
    ["rsync", "--version"],
    ["rclone", "version"],
    [ferry, "--version"],
], cases)
harness.drop_tree(work)
