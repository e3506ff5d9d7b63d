#!/usr/bin/env python3
"""ferry beside lftp, rclone, OpenSSH sftp and curl at WAN round-trip times, side by side.

The same OpenSSH sshd and vsftpd run on 127.0.0.1. At 0 ms the tools talk to them directly. At
other round-trip times they go through bench/latency.py on 127.0.0.2, which delays each
direction by half the RTT and counts round trips. Each tool runs with its defaults, except
that the peers get the parallelism a user tuning for latency would set (`--parallel=8`,
`--transfers 8`). The cases are: pull and push of N x 4 KiB files in 20 directories over SFTP
and over FTP, and a big get over SFTP (beside OpenSSH sftp) and over FTP (beside curl). The
output is a Markdown table per RTT with medians, ferry's ratio to each peer, peak RSS and
round trips per file as the emulator counted them.

Usage: bench/wan.py [--rtt 0,20,80] [--runs 3] [--files 2000] [--big-mib 512]
                    [--files-at-80 500] [--runs-at-80 1]
Needs root (vsftpd chroots). Build ferry with `cargo build --release` first.
"""

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from latency import Emulator  # noqa: E402
from sshd import Sshd  # noqa: E402
from vsftpd import Vsftpd  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--rtt", default="0,20,80", help="round-trip times in ms, comma-separated")
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--files", type=int, default=2000)
ap.add_argument("--big-mib", type=int, default=512)
ap.add_argument("--files-at-80", type=int, default=500, help="files at RTT >= 80 ms (each peer run takes minutes)")
ap.add_argument("--runs-at-80", type=int, default=1)
ap.add_argument("--ferry", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "ferry"))
args = ap.parse_args()
ferry = os.path.abspath(args.ferry)
work = harness.workdir("wan")

sshd = Sshd(work)
ftpd = Vsftpd(work)
sremote = os.path.join(work, "sremote")
local = os.path.join(work, "local")
os.makedirs(sremote)
os.makedirs(local)


def big_file(path):
    with open(path, "wb") as f:
        chunk = os.urandom(1 << 20)
        for _ in range(args.big_mib):
            f.write(chunk)


big_file(os.path.join(sremote, "big.bin"))
os.link(os.path.join(sremote, "big.bin"), os.path.join(ftpd.data, "big.bin"))
ftpd.chown()


def trees(n):
    """Source trees of n files: on the SFTP server, on the FTP server and locally."""
    name = f"tree{n}"
    for root in (os.path.join(sremote, name), os.path.join(ftpd.data, name), os.path.join(local, name)):
        if not os.path.exists(root):
            harness.make_tree(n, root)
    ftpd.chown()
    return name


def tools_sftp(host, port, name, case):
    """(label, argv, setup) per tool for one SFTP case at host:port."""
    user, key, kh = sshd.user, sshd.key, sshd.known_hosts
    url = lambda p: f"sftp://{user}@{host}:{port}/{p}"
    ff = ["--key-file", key, "--known-hosts", kh]
    rc = ["rclone", "--config", "/dev/null", "--sftp-host", host, "--sftp-port", str(port), "--sftp-user", user,
          "--sftp-key-file", key, "--sftp-known-hosts-file", kh, "--sftp-shell-type", "none", "--sftp-disable-hashcheck",
          "--transfers", "8", "--checkers", "16"]
    lopen = (f"set sftp:connect-program 'ssh -a -x -i {key} -o UserKnownHostsFile={kh}'; "
             f"open -u {user}, sftp://{host}:{port}; ")
    src = os.path.join(sremote, name)
    ltree = os.path.join(local, name)
    out = lambda label: harness.out(work, label, f"s{case}")
    up = lambda label: os.path.join(sremote, f"up-{case}-{label}".replace(" ", "_"))
    if case == "pull":
        return [("ferry", [ferry, "-q", "mirror", url(src), out("ferry")], harness.fresh(out("ferry"))),
                ("lftp -P 8", ["lftp", "-c", lopen + f"mirror --parallel=8 {src} {out('lftp')}"], harness.fresh(out("lftp"))),
                ("rclone -P 8", [*rc, "copy", f":sftp:{src}", out("rclone")], harness.fresh(out("rclone")))]
    if case == "push":
        return [("ferry", [ferry, "-q", "mirror", ltree, url(up("ferry"))], harness.fresh(up("ferry"))),
                ("lftp -P 8", ["lftp", "-c", lopen + f"mirror -R --parallel=8 {ltree} {up('lftp')}"], harness.fresh(up("lftp"))),
                ("rclone -P 8", [*rc, "copy", ltree, f":sftp:{up('rclone')}"], harness.fresh(up("rclone")))]
    big = os.path.join(sremote, "big.bin")
    batch = os.path.join(work, "sftp-get.batch")
    with open(batch, "w") as f:
        f.write(f"get {big} {out('openssh-sftp')}/\n")
    return [("ferry", [ferry, "-q", "get", url(big), out("ferry") + "/"], harness.fresh(out("ferry"))),
            ("openssh-sftp", ["sftp", "-q", "-b", batch, "-P", str(port), "-i", key, "-o", f"UserKnownHostsFile={kh}",
                              "-o", "BatchMode=yes", f"{user}@{host}"], harness.fresh(out("openssh-sftp")))], ff


def with_flags(tools, flags):
    return [(label, argv + flags if label == "ferry" else argv, setup) for label, argv, setup in tools]


def tools_ftp(host, port, name, case):
    url = lambda p: f"ftp://{host}:{port}/data/{p}"
    obscured = subprocess.run(["rclone", "obscure", "x"], capture_output=True, text=True, check=True).stdout.strip()
    rc = ["rclone", "--config", "/dev/null", "--ftp-host", host, "--ftp-port", str(port), "--ftp-user", "anonymous",
          "--ftp-pass", obscured, "--multi-thread-streams", "0", "--transfers", "8", "--checkers", "16"]
    lftp = lambda cmds: ["lftp", "-c", f"set ftp:ssl-allow no; set net:max-retries 1; open ftp://anonymous:x@{host}:{port}; {cmds}"]
    ltree = os.path.join(local, name)
    out = lambda label: harness.out(work, label, f"f{case}")
    upname = lambda label: f"up-{case}-{label}"
    up = lambda label: os.path.join(ftpd.data, upname(label))

    def fresh_up(label):
        def setup():
            harness.fresh(up(label))()
            ftpd.chown()
        return setup
    if case == "pull":
        return [("ferry", [ferry, "-q", "mirror", url(name), out("ferry")], harness.fresh(out("ferry"))),
                ("lftp -P 8", lftp(f"mirror --parallel=8 /data/{name} {out('lftp')}"), harness.fresh(out("lftp"))),
                ("rclone -P 8", [*rc, "copy", f":ftp:/data/{name}", out("rclone")], harness.fresh(out("rclone")))]
    if case == "push":
        return [("ferry", [ferry, "-q", "mirror", ltree, url(upname("ferry"))], fresh_up("ferry")),
                ("lftp -P 8", lftp(f"mirror -R --parallel=8 {ltree} /data/{upname('lftp')}"), fresh_up("lftp")),
                ("rclone -P 8", [*rc, "copy", ltree, f":ftp:/data/{upname('rclone')}"], fresh_up("rclone"))]
    return [("ferry", [ferry, "-q", "get", url("big.bin"), out("ferry") + "/"], harness.fresh(out("ferry"))),
            ("curl", ["curl", "-s", "-o", os.path.join(out("curl"), "big.bin"), url("big.bin")], harness.fresh(out("curl")))]


def measure(em, tools, runs, files):
    """Interleaved runs; per tool: median wall, peak RSS, all walls, round trips per file."""
    res = {label: [] for label, _, _ in tools}
    for _ in range(runs):
        for label, argv, setup in tools:
            setup()
            before = (em.stats.round_trips + em.stats.connections) if em else 0
            wall, rss = harness.run_once(argv)
            after = (em.stats.round_trips + em.stats.connections) if em else 0
            res[label].append((wall, rss, (after - before) / files))
    rows = []
    for label, _, _ in tools:
        walls = [w for w, _, _ in res[label]]
        rows.append((label, statistics.median(walls), max(r for _, r, _ in res[label]), walls,
                     statistics.median(t for _, _, t in res[label])))
    return rows


def table(cases, counted):
    head = "| case | tool | median s | ferry / tool | peak RSS MiB | " + ("round trips / file | " if counted else "") + "runs (s) |"
    out = [head, "|---|---|---:|---:|---:|" + ("---:|" if counted else "") + "---|"]
    for name, rows in cases:
        f = next(m for label, m, _, _, _ in rows if label == "ferry")
        for label, med, rss, walls, rt in rows:
            ratio = "" if label == "ferry" else f"{f / med:.2f}"
            rtc = f" {rt:.1f} |" if counted else ""
            out.append(f"| {name} | {label} | {med:.2f} | {ratio} | {rss / 1024:.1f} |{rtc} {' '.join(f'{w:.2f}' for w in walls)} |")
    return "\n".join(out)


print(f"## At WAN latency, side by side ({datetime.date.today()}, {platform.node()}, {os.cpu_count()} cores)\n")
print("Versions: " + "; ".join(harness.version(v) for v in
                               ([ferry, "--version"], ["lftp", "--version"], ["rclone", "version"], ["ssh", "-V"], ["curl", "--version"])) + "\n")
for rtt in (float(x) for x in args.rtt.split(",")):
    far = rtt >= 80
    files = args.files_at_80 if far else args.files
    runs = args.runs_at_80 if far else args.runs
    name = trees(files)
    if rtt > 0:
        es = Emulator(sshd.port, rtt_ms=rtt).start()
        ef = Emulator(ftpd.port, rtt_ms=rtt, ftp=True).start()
        host, sport, fport = "127.0.0.2", es.port, ef.port
    else:
        es = ef = None
        host, sport, fport = "127.0.0.1", sshd.port, ftpd.port
    cases = []
    for case in ("pull", "push"):
        t = tools_sftp(host, sport, name, case)
        cases.append((f"SFTP {case} {files} x 4 KiB", measure(es, with_flags(t, ["--key-file", sshd.key, "--known-hosts", sshd.known_hosts]), runs, files)))
    t, ff = tools_sftp(host, sport, name, "get")
    cases.append((f"SFTP {args.big_mib} MiB get", measure(es, with_flags(t, ff), runs, 1)))
    for case in ("pull", "push"):
        cases.append((f"FTP {case} {files} x 4 KiB", measure(ef, tools_ftp(host, fport, name, case), runs, files)))
    cases.append((f"FTP {args.big_mib} MiB get", measure(ef, tools_ftp(host, fport, name, "get"), runs, 1)))
    print(f"### {rtt:g} ms round trip, median of {runs}\n")
    print(table(cases, rtt > 0) + "\n", flush=True)
    for em in (es, ef):
        if em:
            em.stop()

sshd.stop()
ftpd.stop()
harness.drop_tree(work)
