"""Start vsftpd on 127.0.0.1 with a throwaway config: anonymous logins with write access below
root/data, optionally explicit FTPS (generated certificate, require_ssl_reuse=YES). Needs root."""

import os
import subprocess
import time

from sshd import free_port


class Vsftpd:
    def __init__(self, work, tls=False):
        self.dir = os.path.join(work, "vsftpd-tls" if tls else "vsftpd")
        self.root = os.path.join(self.dir, "root")
        self.data = os.path.join(self.root, "data")
        os.makedirs(self.data)
        os.chmod(self.dir, 0o755)
        subprocess.run(["chown", "ftp", self.data], check=True)
        os.makedirs("/var/run/vsftpd/empty", exist_ok=True)
        self.port = free_port()
        self.cert = os.path.join(self.dir, "cert.pem")
        conf = (f"listen=YES\nlisten_address=127.0.0.1\nlisten_port={self.port}\nbackground=NO\n"
                f"anonymous_enable=YES\nanon_root={self.root}\nno_anon_password=YES\nwrite_enable=YES\n"
                "anon_upload_enable=YES\nanon_mkdir_write_enable=YES\nanon_other_write_enable=YES\n"
                "anon_world_readable_only=NO\nanon_umask=022\nlocal_enable=NO\nseccomp_sandbox=NO\n"
                "xferlog_enable=NO\nuse_localtime=NO\nmax_clients=500\nmax_per_ip=500\n")
        if tls:
            key = os.path.join(self.dir, "key.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:FALSE",
                            "-keyout", key, "-out", self.cert], check=True, stderr=subprocess.DEVNULL)
            conf += ("ssl_enable=YES\nallow_anon_ssl=YES\nforce_anon_logins_ssl=YES\nforce_anon_data_ssl=YES\n"
                     f"require_ssl_reuse=YES\nssl_tlsv1=YES\nrsa_cert_file={self.cert}\nrsa_private_key_file={key}\n")
        path = os.path.join(self.dir, "vsftpd.conf")
        with open(path, "w") as f:
            f.write(conf)
        self.proc = subprocess.Popen(["/usr/sbin/vsftpd", path], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        import socket
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port)).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("vsftpd did not start")

    def chown(self):
        subprocess.run(["chown", "-R", "ftp", self.data], check=True)

    def stop(self):
        self.proc.kill()
        self.proc.wait()
