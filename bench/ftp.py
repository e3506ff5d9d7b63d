#!/usr/bin/env python3
"""FTP benchmark: ferry against lftp, rclone and curl, all against the same real vsftpd on
127.0.0.1. Cases: 512 MiB get, pull and push of 2,000 x 4 KiB files in 20 directories, a no-op
re-mirror, and the small-file pull over explicit FTPS (require_ssl_reuse=YES; rclone fails
every transfer against it, so only lftp is compared). Needs root (vsftpd chroots).
Usage: bench/ftp.py [--runs N] [--big-mib N] [--files N]
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from vsftpd import Vsftpd  # noqa: E402

args, ferry, work = harness.setup("ftp", files=2000, big_mib=512)
srv = Vsftpd(work)
tls = Vsftpd(work, tls=True)
local = os.path.join(work, "local")
os.makedirs(local)

big = os.path.join(srv.data, "big.bin")
with open(big, "wb") as f:
    chunk = os.urandom(1 << 20)
    for _ in range(args.big_mib):
        f.write(chunk)
for root in (os.path.join(srv.data, "tree"), os.path.join(tls.data, "tree"), os.path.join(local, "tree")):
    harness.make_tree(args.files, root)
srv.chown()
tls.chown()
ltree = os.path.join(local, "tree")

url = lambda p, s=srv, scheme="ftp": f"{scheme}://127.0.0.1:{s.port}/data/{p}"
obscured = subprocess.run(["rclone", "obscure", "x"], capture_output=True, text=True, check=True).stdout.strip()
rc = ["rclone", "--config", "/dev/null", "--ftp-host", "127.0.0.1", "--ftp-port", str(srv.port), "--ftp-user", "anonymous",
      "--ftp-pass", obscured,
      # rclone's default multi-thread download of big files closes ranged reads early, which
      # vsftpd answers with 426 and rclone then fails; one stream, as a careful user would set.
      "--multi-thread-streams", "0"]
lftp = lambda cmds, s=srv: ["lftp", "-c", f"set ftp:ssl-allow no; set net:max-retries 1; open ftp://anonymous:x@127.0.0.1:{s.port}; {cmds}"]
lftp_tls = lambda cmds: ["lftp", "-c", f"set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:ca-file {tls.cert}; "
                         f"set net:max-retries 1; open ftp://anonymous:x@127.0.0.1:{tls.port}; {cmds}"]


def out(label, case):
    return harness.out(work, label, case)


def fresh(case):
    return lambda label: harness.fresh(out(label, case))()


def fresh_remote(case, s=srv):
    def setup(label):
        d = os.path.join(s.data, up(case, label))
        harness.drop_tree(d)
        os.makedirs(d)
        subprocess.run(["chown", "ftp", d], check=True)
    return setup


up = lambda case, label: f"up-{case}-{label}".replace(" ", "_")

cases = []
case = "get"
cases.append(harness.case(f"{args.big_mib} MiB get", [
    ("ferry", [ferry, "-q", "get", url("big.bin"), out("ferry", case) + "/"]),
    ("curl", ["curl", "-s", "-o", os.path.join(out("curl", case), "big.bin"), url("big.bin")]),
    ("lftp", lftp(f"get /data/big.bin -o {out('lftp', case)}/big.bin")),
    ("rclone", [*rc, "copy", ":ftp:/data/big.bin", out("rclone", case)]),
], args.runs, setup=fresh(case)))

case = "pull"
cases.append(harness.case(f"pull {args.files} x 4 KiB", [
    ("ferry", [ferry, "-q", "mirror", url("tree"), out("ferry", case)]),
    ("lftp -P 4", lftp(f"mirror --parallel=4 /data/tree {out('lftp -P 4', case)}")),
    ("rclone", [*rc, "copy", ":ftp:/data/tree", out("rclone", case)]),
], args.runs, setup=fresh(case)))

case = "push"
cases.append(harness.case(f"push {args.files} x 4 KiB", [
    ("ferry", [ferry, "-q", "mirror", ltree, url(up(case, "ferry"))]),
    ("lftp -P 4", lftp(f"mirror -R --parallel=4 {ltree} /data/{up(case, 'lftp -P 4')}")),
    ("rclone", [*rc, "copy", ltree, f":ftp:/data/{up(case, 'rclone')}"]),
], args.runs, setup=fresh_remote(case)))

cases.append(harness.case(f"no-op re-mirror {args.files} files", [
    ("ferry", [ferry, "-q", "mirror", url("tree"), out("ferry", "pull")]),
    ("lftp -P 4", lftp(f"mirror --parallel=4 /data/tree {out('lftp -P 4', 'pull')}")),
    ("rclone", [*rc, "copy", ":ftp:/data/tree", out("rclone", "pull")]),
], args.runs))

case = "tls-pull"
cases.append(harness.case(f"FTPS pull {args.files} x 4 KiB", [
    ("ferry", [ferry, "-q", "mirror", url("tree", tls, "ftpes"), out("ferry", case), "--ca-file", tls.cert]),
    ("lftp -P 4", lftp_tls(f"mirror --parallel=4 /data/tree {out('lftp -P 4', case)}")),
], args.runs, setup=fresh(case)))

case = "tls-push"
cases.append(harness.case(f"FTPS push {args.files} x 4 KiB", [
    ("ferry", [ferry, "-q", "mirror", ltree, url(up(case, "ferry"), tls, "ftpes"), "--ca-file", tls.cert]),
    ("lftp -P 4", lftp_tls(f"mirror -R --parallel=4 {ltree} /data/{up(case, 'lftp -P 4')}")),
], args.runs, setup=fresh_remote(case, tls)))

harness.report("FTP over loopback against vsftpd", args.runs, [
    [ferry, "--version"],
    ["dpkg-query", "-W", "-f", "vsftpd ${Version}", "vsftpd"],
    ["lftp", "--version"],
    ["rclone", "version"],
    ["curl", "--version"],
], cases)
srv.stop()
tls.stop()
harness.drop_tree(work)
