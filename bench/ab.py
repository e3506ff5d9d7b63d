#!/usr/bin/env python3
"""A/B benchmark: two ferry binaries side by side (interleaved runs) against the same sshd and
vsftpd on 127.0.0.1, for checking that a change costs nothing on the happy path. Cases: SFTP
and FTP pull and push of N x 4 KiB files and a big SFTP get.
Usage: bench/ab.py --before OLD_FERRY [--ferry NEW_FERRY] [--runs N] [--files N] [--big-mib N]
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from sshd import Sshd  # noqa: E402
from vsftpd import Vsftpd  # noqa: E402

before = None
if "--before" in sys.argv:
    i = sys.argv.index("--before")
    before = os.path.abspath(sys.argv[i + 1])
    del sys.argv[i:i + 2]
if not before:
    sys.exit("ab.py: --before OLD_FERRY is required")
args, after, work = harness.setup("ab", files=2000, big_mib=256)
binaries = [("before", before), ("after", after)]

sshd = Sshd(work)
ftp = Vsftpd(work)
local = os.path.join(work, "local")
for root in (os.path.join(work, "remote", "tree"), os.path.join(ftp.data, "tree"), os.path.join(local, "tree")):
    for i in range(args.files):
        d = os.path.join(root, f"d{i % 20:02d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"f{i:05d}.dat"), "wb") as f:
            f.write(os.urandom(4096))
with open(os.path.join(work, "remote", "big.bin"), "wb") as f:
    chunk = os.urandom(1 << 20)
    for _ in range(args.big_mib):
        f.write(chunk)
ftp.chown()

surl = lambda p: f"sftp://{sshd.user}@127.0.0.1:{sshd.port}/{work}/{p}"
furl = lambda p: f"ftp://127.0.0.1:{ftp.port}/data/{p}"
sflags = ["--key-file", sshd.key, "--known-hosts", sshd.known_hosts]
out = lambda label, case: os.path.join(work, f"out-{case}-{label}")


def fresh_local(case):
    def setup(label):
        harness.drop_tree(out(label, case))
        os.makedirs(out(label, case))
    return setup


def fresh_dir(path_of):
    def setup(label):
        harness.drop_tree(path_of(label))
        os.makedirs(path_of(label))
        subprocess.run(["chmod", "777", path_of(label)], check=True)
    return setup


cases = []
cases.append(harness.case(f"SFTP {args.big_mib} MiB get", [
    (label, [b, "-q", "get", surl("remote/big.bin"), out(label, "get") + "/", *sflags]) for label, b in binaries
], args.runs, setup=fresh_local("get")))
cases.append(harness.case(f"SFTP pull {args.files} x 4 KiB", [
    (label, [b, "-q", "mirror", surl("remote/tree"), out(label, "spull"), *sflags]) for label, b in binaries
], args.runs, setup=fresh_local("spull")))
cases.append(harness.case(f"SFTP push {args.files} x 4 KiB", [
    (label, [b, "-q", "mirror", os.path.join(local, "tree"), surl(f"up-{label}"), *sflags]) for label, b in binaries
], args.runs, setup=fresh_dir(lambda label: os.path.join(work, f"up-{label}"))))
cases.append(harness.case(f"FTP pull {args.files} x 4 KiB", [
    (label, [b, "-q", "mirror", furl("tree"), out(label, "fpull")]) for label, b in binaries
], args.runs, setup=fresh_local("fpull")))
cases.append(harness.case(f"FTP push {args.files} x 4 KiB", [
    (label, [b, "-q", "mirror", os.path.join(local, "tree"), furl(f"up-{label}")]) for label, b in binaries
], args.runs, setup=fresh_dir(lambda label: os.path.join(ftp.data, f"up-{label}"))))

print(harness.table(cases, ferry_label="after"))
sshd.stop()
ftp.stop()
harness.drop_tree(work)
