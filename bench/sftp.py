#!/usr/bin/env python3
"""SFTP benchmark: ferry against OpenSSH sftp, rclone and lftp, all against the same real sshd
on 127.0.0.1. Cases: 512 MiB get and put, pull and push of 2,000 x 4 KiB files in 20
directories, and a no-op re-mirror. Usage: bench/sftp.py [--runs N] [--big-mib N]
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from sshd import Sshd  # noqa: E402

args, ferry, work = harness.setup("sftp", files=2000, big_mib=512)
srv = Sshd(work)
remote = os.path.join(work, "remote")
local = os.path.join(work, "local")
os.makedirs(remote)
os.makedirs(local)
big = os.path.join(remote, "big.bin")
with open(big, "wb") as f:
    chunk = os.urandom(1 << 20)
    for _ in range(args.big_mib):
        f.write(chunk)
local_big = os.path.join(local, "big.bin")
subprocess.run(["cp", big, local_big], check=True)
tree = os.path.join(remote, "tree")
ltree = os.path.join(local, "tree")
for root in (tree, ltree):
    for i in range(args.files):
        d = os.path.join(root, f"d{i % 20:02d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"f{i:05d}.dat"), "wb") as f:
            f.write(os.urandom(4096))

url = lambda p: f"sftp://{srv.user}@127.0.0.1:{srv.port}/{p}"
fflags = ["--key-file", srv.key, "--known-hosts", srv.known_hosts]
ssh_opts = ["-i", srv.key, "-o", f"UserKnownHostsFile={srv.known_hosts}", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes"]
rc = ["rclone", "--config", "/dev/null", "--sftp-host", "127.0.0.1", "--sftp-port", str(srv.port), "--sftp-user", srv.user,
      "--sftp-key-file", srv.key, "--sftp-known-hosts-file", srv.known_hosts,
      # Without these rclone probes for a remote shell and runs md5sum per file over exec, which
      # costs ~90 ms per file here (19.6 s for 200 files); tuned as a careful user would.
      "--sftp-shell-type", "none", "--sftp-disable-hashcheck"]
lftp_open = (f"set sftp:connect-program 'ssh -a -x -i {srv.key} -o UserKnownHostsFile={srv.known_hosts}'; "
             f"open -u {srv.user}, sftp://127.0.0.1:{srv.port}; ")


def sftp_batch(cmds):
    path = os.path.join(work, f"batch{abs(hash(cmds))}")
    with open(path, "w") as f:
        f.write(cmds + "\n")
    return ["sftp", "-q", "-b", path, "-P", str(srv.port), *ssh_opts, f"{srv.user}@127.0.0.1"]


def out(label, case):
    return harness.out(work, label, case)


def fresh(case):
    return lambda label: harness.fresh(out(label, case))()


def fresh_remote(case):
    def setup(label):
        harness.drop_tree(os.path.join(remote, f"up-{case}-{label}"))
        os.makedirs(os.path.join(remote, f"up-{case}-{label}"))
    return setup


cases = []
case = "get"
cases.append(harness.case(f"{args.big_mib} MiB get", [
    ("ferry", [ferry, "-q", "get", url(big), out("ferry", case) + "/", *fflags]),
    ("openssh-sftp", sftp_batch(f"get {big} {out('openssh-sftp', case)}/")),
    ("rclone", [*rc, "copy", f":sftp:{big}", out("rclone", case)]),
    ("lftp", ["lftp", "-c", lftp_open + f"get {big} -o {out('lftp', case)}/big.bin"]),
], args.runs, setup=fresh(case)))

case = "put"
up = lambda label: os.path.join(remote, f"up-{case}-{label}")
cases.append(harness.case(f"{args.big_mib} MiB put", [
    ("ferry", [ferry, "-q", "put", local_big, url(up("ferry")) + "/", *fflags]),
    ("openssh-sftp", sftp_batch(f"put {local_big} {up('openssh-sftp')}/")),
    ("rclone", [*rc, "copy", local_big, f":sftp:{up('rclone')}"]),
    ("lftp", ["lftp", "-c", lftp_open + f"put {local_big} -o {up('lftp')}/big.bin"]),
], args.runs, setup=fresh_remote(case)))

case = "pull"
cases.append(harness.case(f"pull {args.files} x 4 KiB", [
    ("ferry", [ferry, "-q", "mirror", url(tree), out("ferry", case), *fflags]),
    ("ferry -P 16", [ferry, "-q", "mirror", "-P", "16", url(tree), out("ferry -P 16", case), *fflags]),
    ("openssh-sftp", sftp_batch(f"get -r {tree} {out('openssh-sftp', case)}")),
    ("rclone", [*rc, "copy", f":sftp:{tree}", out("rclone", case)]),
    ("lftp", ["lftp", "-c", lftp_open + f"mirror {tree} {out('lftp', case)}"]),
], args.runs, setup=fresh(case)))

case = "push"
cases.append(harness.case(f"push {args.files} x 4 KiB", [
    ("ferry", [ferry, "-q", "mirror", ltree, url(up("ferry")), *fflags]),
    ("ferry -P 16", [ferry, "-q", "mirror", "-P", "16", ltree, url(up("ferry -P 16")), *fflags]),
    ("openssh-sftp", sftp_batch(f"put -r {ltree} {up('openssh-sftp')}")),
    ("rclone", [*rc, "copy", ltree, f":sftp:{up('rclone')}"]),
    ("lftp", ["lftp", "-c", lftp_open + f"mirror -R {ltree} {up('lftp')}"]),
], args.runs, setup=fresh_remote(case)))

# No-op re-mirror: each tool's own pull target is already complete.
noop = [
    ("ferry", [ferry, "-q", "mirror", url(tree), out("ferry", "pull"), *fflags]),
    ("rclone", [*rc, "copy", f":sftp:{tree}", out("rclone", "pull")]),
    ("lftp", ["lftp", "-c", lftp_open + f"mirror {tree} {out('lftp', 'pull')}"]),
]
cases.append(harness.case(f"no-op re-mirror {args.files} files", noop, args.runs))

harness.report("SFTP over loopback against OpenSSH sshd", args.runs, [
    [ferry, "--version"],
    ["ssh", "-V"],
    ["rclone", "version"],
    ["lftp", "--version"],
], cases)
srv.stop()
harness.drop_tree(work)
