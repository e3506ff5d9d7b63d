"""Start OpenSSH's sshd on 127.0.0.1 with a throwaway config, host key and client key."""

import os
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sshd:
    def __init__(self, work):
        self.dir = os.path.join(work, "sshd")
        os.makedirs(self.dir)
        d = self.dir
        for name in ("host", "id"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{d}/{name}"], check=True)
        with open(f"{d}/id.pub") as src, open(f"{d}/authorized_keys", "w") as dst:
            dst.write(src.read())
        os.makedirs("/run/sshd", exist_ok=True)
        self.port = free_port()
        with open(f"{d}/sshd_config", "w") as f:
            f.write(f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {d}/host\nPidFile {d}/pid\n"
                    f"AuthorizedKeysFile {d}/authorized_keys\nStrictModes no\nUsePAM no\nPermitRootLogin yes\n"
                    "PasswordAuthentication no\nSubsystem sftp internal-sftp\nMaxStartups 64\nMaxSessions 64\n"
                    "LogLevel ERROR\n")
        self.proc = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", f"{d}/sshd_config"])
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        with open(f"{d}/host.pub") as f:
            key = " ".join(f.read().split()[:2])
        self.known_hosts = f"{d}/known_hosts"
        with open(self.known_hosts, "w") as f:
            # 127.0.0.2: the address the latency emulator (latency.py) listens on.
            f.write(f"[127.0.0.1]:{self.port} {key}\n[127.0.0.2]:{self.port} {key}\n")
        self.key = f"{d}/id"
        self.user = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
