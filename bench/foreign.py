#!/usr/bin/env python3
"""FTP benchmark against the servers partners run besides vsftpd: ProFTPD 1.3.8 and Pure-FTPd
1.0.50 (unpacked by scripts/test.sh under target/interop/root), ferry beside lftp, rclone and
curl on the same server. Cases per server: big get, pull and push of N x 4 KiB files in 20
directories; for ProFTPD also an explicit-FTPS push under TLS 1.3 with its default
(reuse-required) TLSOptions. Needs root (both servers chroot their sessions).
Usage: bench/foreign.py [--runs N] [--big-mib N] [--files N]
"""

import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from sshd import free_port  # noqa: E402

ROOT = os.environ.get("FERRY_INTEROP_ROOT", os.path.join(os.path.dirname(__file__), "..", "target", "interop", "root"))
if not os.path.exists(os.path.join(ROOT, "usr/sbin/proftpd")):
    raise SystemExit(f"ProFTPD and Pure-FTPd are not unpacked in {ROOT}: run scripts/test.sh once first")
args, ferry, work = harness.setup("foreign", files=2000, big_mib=512)


def md5crypt(pw):
    return subprocess.run(["openssl", "passwd", "-1", pw], capture_output=True, text=True, check=True).stdout.strip()


def wait(port, proc):
    for _ in range(500):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"server exited: {proc.args}")
            time.sleep(0.02)
    raise SystemExit(f"server did not listen: {proc.args}")


class Server:
    """A session home `data/` owned by the ftp user, user tester / secret."""

    def __init__(self, name):
        self.dir = os.path.join(work, name)
        self.data = os.path.join(self.dir, "data")
        os.makedirs(self.data)
        os.chmod(self.dir, 0o755)
        subprocess.run(["chown", "ftp:ftp", self.data], check=True)
        self.port = free_port()
        self.cert = None

    def chown(self):
        subprocess.run(["chown", "-R", "ftp:ftp", self.data], check=True)

    def stop(self):
        self.proc.kill()
        self.proc.wait()


class Proftpd(Server):
    def __init__(self, tls13=False):
        super().__init__("proftpd-tls" if tls13 else "proftpd")
        uid = subprocess.run(["id", "-u", "ftp"], capture_output=True, text=True).stdout.strip()
        gid = subprocess.run(["id", "-g", "ftp"], capture_output=True, text=True).stdout.strip()
        passwd = os.path.join(self.dir, "passwd")
        with open(passwd, "w") as f:
            f.write(f"tester:{md5crypt('secret')}:{uid}:{gid}::{self.data}:/bin/false\n")
        os.chmod(passwd, 0o600)
        tls = ""
        if tls13:
            self.cert = os.path.join(self.dir, "cert.pem")
            key = os.path.join(self.dir, "key.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", self.cert],
                           check=True, stderr=subprocess.DEVNULL)
            tls = (f"LoadModule mod_tls.c\nTLSEngine on\nTLSRequired on\nTLSProtocol TLSv1.3\n"
                   f"TLSRSACertificateFile {self.cert}\nTLSRSACertificateKeyFile {key}\n")
        d = self.dir
        conf = (f"ServerType standalone\nDefaultServer on\nPort {self.port}\nDefaultAddress 127.0.0.1\nSocketBindTight on\n"
                f"ModulePath {ROOT}/usr/lib/proftpd\n{tls}PidFile {d}/pid\nScoreboardFile {d}/scoreboard\nDelayTable none\n"
                f"WtmpLog off\nUseReverseDNS off\nUser ftp\nGroup ftp\nAuthOrder mod_auth_file.c\nAuthUserFile {passwd}\n"
                f"RequireValidShell off\nDefaultRoot ~\nSystemLog {d}/system.log\nMaxInstances 500\nMaxClients 500\nUmask 022\n"
                "<Directory />\n  AllowOverwrite on\n  AllowStoreRestart on\n</Directory>\n")
        path = os.path.join(d, "proftpd.conf")
        with open(path, "w") as f:
            f.write(conf)
        self.proc = subprocess.Popen([f"{ROOT}/usr/sbin/proftpd", "-n", "-q", "-c", path], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait(self.port, self.proc)


class PureFtpd(Server):
    def __init__(self):
        super().__init__("pure-ftpd")
        pw, pdb = os.path.join(self.dir, "passwd"), os.path.join(self.dir, "pdb")
        subprocess.run([f"{ROOT}/usr/bin/pure-pw", "useradd", "tester", "-u", "ftp", "-g", "ftp", "-d", self.data, "-f", pw],
                       input="secret\nsecret\n", text=True, check=True, stdout=subprocess.DEVNULL)
        # pure-pw's default hash costs over 2 s per login on this machine; a production server
        # tuned that way would dominate every figure, so MD5-crypt as in the tests.
        fields = open(pw).read().rstrip("\n").split(":")
        fields[1] = md5crypt("secret")
        with open(pw, "w") as f:
            f.write(":".join(fields) + "\n")
        subprocess.run([f"{ROOT}/usr/bin/pure-pw", "mkdb", pdb, "-f", pw], check=True)
        self.proc = subprocess.Popen([f"{ROOT}/usr/sbin/pure-ftpd", "-S", f"127.0.0.1,{self.port}", "-l", f"puredb:{pdb}",
                                      "-E", "-A", "-H", "-c", "500", "-C", "500", "-U", "022:022"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait(self.port, self.proc)


local = os.path.join(work, "local")
os.makedirs(local)

harness.make_tree(args.files, os.path.join(local, "tree"))
ltree = os.path.join(local, "tree")
pw_file = os.path.join(work, "pw")
with open(pw_file, "w") as f:
    f.write("secret\n")
obscured = subprocess.run(["rclone", "obscure", "secret"], capture_output=True, text=True, check=True).stdout.strip()


def out(label, case):
    return harness.out(work, label, case)


def fresh(case):
    return lambda label: harness.fresh(out(label, case))()


def fresh_remote(srv, case):
    def setup(label):
        d = os.path.join(srv.data, up(case, label))
        harness.drop_tree(d)
        os.makedirs(d)
        subprocess.run(["chown", "ftp:ftp", d], check=True)
    return setup


up = lambda case, label: f"up-{case}-{label}".replace(" ", "_")
cases = []


def server_cases(name, srv):
    url = lambda p: f"ftp://tester@127.0.0.1:{srv.port}/{p}"
    big = os.path.join(srv.data, "big.bin")
    with open(big, "wb") as f:
        chunk = os.urandom(1 << 20)
        for _ in range(args.big_mib):
            f.write(chunk)
    harness.make_tree(args.files, os.path.join(srv.data, "tree"))
    srv.chown()
    rc = ["rclone", "--config", "/dev/null", "--ftp-host", "127.0.0.1", "--ftp-port", str(srv.port), "--ftp-user", "tester",
          "--ftp-pass", obscured, "--multi-thread-streams", "0"]
    lftp = lambda cmds: ["lftp", "-c", f"set ftp:ssl-allow no; set net:max-retries 1; open ftp://tester:secret@127.0.0.1:{srv.port}; {cmds}"]
    fl = ["--password-file", pw_file]
    case = f"{name}-get"
    cases.append(harness.case(f"{name}: {args.big_mib} MiB get", [
        ("ferry", [ferry, "-q", "get", url("big.bin"), out("ferry", case) + "/", *fl]),
        ("curl", ["curl", "-s", "-u", "tester:secret", "-o", os.path.join(out("curl", case), "big.bin"), url("big.bin")]),
        ("lftp", lftp(f"get /big.bin -o {out('lftp', case)}/big.bin")),
        ("rclone", [*rc, "copy", ":ftp:/big.bin", out("rclone", case)]),
    ], args.runs, setup=fresh(case)))
    case = f"{name}-pull"
    cases.append(harness.case(f"{name}: pull {args.files} x 4 KiB", [
        ("ferry", [ferry, "-q", "mirror", url("tree"), out("ferry", case), *fl]),
        ("lftp -P 4", lftp(f"mirror --parallel=4 /tree {out('lftp -P 4', case)}")),
        ("rclone", [*rc, "copy", ":ftp:/tree", out("rclone", case)]),
    ], args.runs, setup=fresh(case)))
    case = f"{name}-push"
    cases.append(harness.case(f"{name}: push {args.files} x 4 KiB", [
        ("ferry", [ferry, "-q", "mirror", ltree, url(up(case, "ferry")), *fl]),
        ("lftp -P 4", lftp(f"mirror -R --parallel=4 {ltree} /{up(case, 'lftp -P 4')}")),
        ("rclone", [*rc, "copy", ltree, f":ftp:/{up(case, 'rclone')}"]),
    ], args.runs, setup=fresh_remote(srv, case)))


servers = [("ProFTPD", Proftpd()), ("Pure-FTPd", PureFtpd())]
for name, srv in servers:
    server_cases(name, srv)

tls = Proftpd(tls13=True)
case = "proftpd-tls13-push"
lftp_tls = lambda cmds: ["lftp", "-c", f"set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:ca-file {tls.cert}; "
                         f"set net:max-retries 1; open ftp://tester:secret@127.0.0.1:{tls.port}; {cmds}"]
cases.append(harness.case(f"ProFTPD FTPS (TLS 1.3, reuse required): push {args.files} x 4 KiB", [
    ("ferry", [ferry, "-q", "mirror", ltree, f"ftpes://tester@127.0.0.1:{tls.port}/{up(case, 'ferry')}", "--ca-file", tls.cert,
               "--password-file", pw_file, "--retries", "0"]),
    ("lftp -P 4", lftp_tls(f"mirror -R --parallel=4 {ltree} /{up(case, 'lftp -P 4')}")),
], args.runs, setup=fresh_remote(tls, case)))

harness.report("FTP over loopback against ProFTPD and Pure-FTPd", args.runs, [
    [ferry, "--version"],
    [f"{ROOT}/usr/sbin/proftpd", "-v"],
    ["lftp", "--version"],
    ["rclone", "version"],
    ["curl", "--version"],
], cases)
for _, srv in servers:
    srv.stop()
tls.stop()
harness.drop_tree(work)
