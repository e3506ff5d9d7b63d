#!/usr/bin/env python3
"""No-op re-mirror at scale over SFTP: ferry beside rclone, against OpenSSH sshd on loopback.

Trees of N x 100-byte files in N/500 directories on the server; each tool's local copy is made
once (by ferry, then copied with mtimes kept, so rclone's size+mtime check finds nothing to do),
and then the timed runs are re-mirrors that transfer nothing.
Usage: bench/scale.py [--runs 3] [--sizes 50000,100000]
"""

import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from sshd import Sshd  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--sizes", default="50000,100000")
ap.add_argument("--ferry", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "ferry"))
args = ap.parse_args()
ferry = os.path.abspath(args.ferry)
work = harness.workdir("scale")
srv = Sshd(work)
url = lambda p: f"sftp://{srv.user}@127.0.0.1:{srv.port}/{p}"
fflags = ["--key-file", srv.key, "--known-hosts", srv.known_hosts]
rc = ["rclone", "--config", "/dev/null", "--sftp-host", "127.0.0.1", "--sftp-port", str(srv.port), "--sftp-user", srv.user,
      "--sftp-key-file", srv.key, "--sftp-known-hosts-file", srv.known_hosts, "--sftp-shell-type", "none",
      "--sftp-disable-hashcheck"]
cases = []
for n in (int(x) for x in args.sizes.split(",")):
    tree = os.path.join(work, f"remote{n}")
    for i in range(n):
        d = os.path.join(tree, f"d{i % max(1, n // 500):03d}")
        if i < max(1, n // 500):
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"f{i:06d}"), "wb") as f:
            f.write(os.urandom(100))
    mine, theirs = os.path.join(work, f"ferry{n}"), os.path.join(work, f"rclone{n}")
    subprocess.run([ferry, "-q", "mirror", url(tree), mine, *fflags], check=True)
    shutil.copytree(mine, theirs, copy_function=shutil.copy2)
    cases.append(harness.case(f"no-op re-mirror {n} files in {max(1, n // 500)} dirs", [
        ("ferry", [ferry, "-q", "mirror", url(tree), mine, *fflags]),
        ("rclone", [*rc, "copy", f":sftp:{tree}", theirs]),
    ], args.runs))
    harness.drop_tree(tree)
harness.report("No-op re-mirror at scale over SFTP (loopback, OpenSSH sshd)", args.runs,
               [[ferry, "--version"], ["rclone", "version"]], cases)
srv.stop()
harness.drop_tree(work)
