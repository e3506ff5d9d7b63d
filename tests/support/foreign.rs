//! Servers partners run besides vsftpd and OpenSSH, each started on 127.0.0.1 with a
//! temporary config and killed when dropped: ProFTPD 1.3.8 (plain, explicit FTPS with its
//! default reuse-required TLS, mod_sftp), Pure-FTPd 1.0.50 (plain, FTPS), pyftpdlib and
//! `rclone serve sftp`. ProFTPD and Pure-FTPd run from the Debian packages `scripts/test.sh`
//! unpacks under `target/interop/root` (installed, they would remove vsftpd). A missing server
//! fails the test: it is never skipped.

use super::sshd::{free_port, keygen, wait_listening};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Where `scripts/test.sh` unpacked the ProFTPD and Pure-FTPd packages.
pub fn interop_root() -> PathBuf {
    match std::env::var_os("FERRY_INTEROP_ROOT") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/interop/root"),
    }
}

fn unpacked(rel: &str) -> PathBuf {
    let p = interop_root().join(rel);
    assert!(p.exists(), "{} is missing; run scripts/test.sh (it unpacks ProFTPD and Pure-FTPd there)", p.display());
    p
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn ftp_ids() -> (u32, u32) {
    let id = |flag: &str| -> u32 {
        let out = Command::new("id").args([flag, "ftp"]).output().expect("id ftp");
        String::from_utf8_lossy(&out.stdout).trim().parse().expect("the ftp user exists (scripts/test.sh)")
    };
    (id("-u"), id("-g"))
}

/// A temporary server directory: `data/` (owned by the `ftp` user, the session's home and the
/// URL's root), a password file for ferry and, where asked, a certificate.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        run(Command::new("chown").arg("ftp:ftp").arg(dir.path().join("data")));
        std::fs::write(dir.path().join("client.pw"), "secret\n").unwrap();
        Home { dir }
    }

    fn p(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
}

/// Which flavour of a server to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Plain,
    /// Explicit FTPS (AUTH TLS required) limited to one TLS version.
    Tls12,
    Tls13,
    /// Explicit FTPS, any version the server offers.
    Tls,
    /// SFTP (ProFTPD's mod_sftp).
    Sftp,
}

/// A running foreign server.
pub struct Foreign {
    home: Home,
    pub port: u16,
    pub flavour: Flavour,
    child: Child,
    /// Extra client flags (host-key pin for SFTP servers).
    extra: Vec<String>,
}

impl Foreign {
    /// ProFTPD 1.3.8 with a virtual user `tester` (password `secret`) chrooted to `data/`.
    pub fn proftpd(flavour: Flavour) -> Foreign {
        Foreign::proftpd_with(flavour, "")
    }

    /// ProFTPD with extra config lines (e.g. `FactsAdvertise off` for a LIST-only server).
    pub fn proftpd_with(flavour: Flavour, extra_conf: &str) -> Foreign {
        Foreign::proftpd_env(flavour, extra_conf, &[])
    }

    pub fn proftpd_env(flavour: Flavour, extra_conf: &str, env: &[(&str, &str)]) -> Foreign {
        assert_eq!(unsafe { libc::geteuid() }, 0, "ProFTPD tests run as root (it chroots its sessions)");
        let bin = unpacked("usr/sbin/proftpd");
        let modules = unpacked("usr/lib/proftpd");
        let home = Home::new();
        let (uid, gid) = ftp_ids();
        let hash =
            String::from_utf8(Command::new("openssl").args(["passwd", "-1", "secret"]).output().expect("openssl passwd").stdout).unwrap();
        let passwd = home.p("passwd");
        std::fs::write(&passwd, format!("tester:{}:{uid}:{gid}::{}:/bin/false\n", hash.trim(), home.p("data").display())).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&passwd, std::fs::Permissions::from_mode(0o600)).unwrap();
        let mut extra = Vec::new();
        let mut proto = String::new();
        match flavour {
            Flavour::Plain => {}
            Flavour::Sftp => {
                let key = home.p("host_rsa");
                run(Command::new("ssh-keygen").args(["-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-f"]).arg(&key));
                extra = host_key_flags(&home.p("host_rsa.pub"));
                proto = format!(
                    "LoadModule mod_sftp.c\nSFTPEngine on\nSFTPHostKey {}\nSFTPAuthMethods password\nSFTPLog {}\n\
                     SFTPCompression off\n",
                    key.display(),
                    home.p("sftp.log").display()
                );
            }
            Flavour::Tls | Flavour::Tls12 | Flavour::Tls13 => {
                super::vsftpd::make_cert(home.dir.path());
                let version = match flavour {
                    Flavour::Tls12 => "TLSv1.2",
                    Flavour::Tls13 => "TLSv1.3",
                    _ => "TLSv1.2 TLSv1.3",
                };
                // TLSOptions is left at ProFTPD's default, which requires data connections to
                // resume the control connection's TLS session.
                proto = format!(
                    "LoadModule mod_tls.c\nTLSEngine on\nTLSRequired on\nTLSProtocol {version}\n\
                     TLSRSACertificateFile {d}/cert.pem\nTLSRSACertificateKeyFile {d}/key.pem\nTLSLog {d}/tls.log\n",
                    d = home.dir.path().display()
                );
            }
        }
        let mut last_err = String::new();
        for _ in 0..5 {
            let port = free_port();
            let d = home.dir.path().display();
            let config = format!(
                "ServerType standalone\nDefaultServer on\nPort {port}\nDefaultAddress 127.0.0.1\nSocketBindTight on\n\
                 ModulePath {modules}\n{proto}PidFile {d}/proftpd.pid\nScoreboardFile {d}/proftpd.scoreboard\n\
                 DelayTable none\nWtmpLog off\nUseReverseDNS off\nUser ftp\nGroup ftp\nAuthOrder mod_auth_file.c\n\
                 AuthUserFile {passwd}\nRequireValidShell off\nDefaultRoot ~\nSystemLog {d}/system.log\n\
                 TransferLog {d}/xfer.log\nMaxInstances 200\nMaxClients 200\nUmask 022\n{extra_conf}\n\
                 <Directory />\n  AllowOverwrite on\n  AllowStoreRestart on\n  AllowRetrieveRestart on\n</Directory>\n",
                modules = modules.display(),
                passwd = passwd.display(),
            );
            std::fs::write(home.p("proftpd.conf"), config).unwrap();
            let mut cmd = Command::new(&bin);
            cmd.arg("-n").arg("-q").arg("-c").arg(home.p("proftpd.conf"));
            cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
            for (k, v) in env {
                cmd.env(k, v);
            }
            let mut child = cmd.spawn().expect("start proftpd");
            match wait_listening(&mut child, port) {
                Ok(()) => return Foreign { home, port, flavour, child, extra },
                Err(e) => last_err = e,
            }
        }
        panic!("proftpd did not start: {last_err}");
    }

    /// Pure-FTPd 1.0.50 with a PureDB virtual user `tester` (password `secret`) chrooted to `data/`.
    pub fn pureftpd(flavour: Flavour) -> Foreign {
        assert_eq!(unsafe { libc::geteuid() }, 0, "Pure-FTPd tests run as root (it chroots its sessions)");
        let bin = unpacked("usr/sbin/pure-ftpd");
        let pw = unpacked("usr/bin/pure-pw");
        let home = Home::new();
        let mut child = Command::new(&pw)
            .args(["useradd", "tester", "-u", "ftp", "-g", "ftp", "-m", "-d"])
            .arg(home.p("data"))
            .arg("-f")
            .arg(home.p("pureftpd.passwd"))
            .arg("-F")
            .arg(home.p("pureftpd.pdb"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("pure-pw");
        use std::io::Write;
        child.stdin.take().unwrap().write_all(b"secret\nsecret\n").unwrap();
        assert!(child.wait().unwrap().success(), "pure-pw useradd failed");
        // pure-pw hashes with a deliberately slow function (over 2 s per login here); the
        // tests log in hundreds of times, so the hash becomes MD5-crypt, which Pure-FTPd also
        // accepts.
        let passwd = home.p("pureftpd.passwd");
        let line = std::fs::read_to_string(&passwd).unwrap();
        let mut fields: Vec<&str> = line.trim_end().split(':').collect();
        let hash = String::from_utf8(Command::new("openssl").args(["passwd", "-1", "secret"]).output().unwrap().stdout).unwrap();
        fields[1] = hash.trim();
        std::fs::write(&passwd, fields.join(":") + "\n").unwrap();
        run(Command::new(&pw).arg("mkdb").arg(home.p("pureftpd.pdb")).arg("-f").arg(&passwd));
        let tls = match flavour {
            Flavour::Plain => None,
            Flavour::Tls => {
                super::vsftpd::make_cert(home.dir.path());
                // Pure-FTPd reads key and certificate from one file.
                let mut pem = std::fs::read(home.p("key.pem")).unwrap();
                pem.extend(std::fs::read(home.p("cert.pem")).unwrap());
                std::fs::write(home.p("pure-ftpd.pem"), pem).unwrap();
                Some(home.p("pure-ftpd.pem"))
            }
            other => panic!("Pure-FTPd flavour {other:?} is not set up"),
        };
        let mut last_err = String::new();
        for _ in 0..5 {
            let port = free_port();
            let mut cmd = Command::new(&bin);
            // -E: no anonymous logins; -A: chroot everyone; -H: no reverse DNS; -c/-C: limits
            // above the tests' parallelism.
            cmd.arg("-S").arg(format!("127.0.0.1,{port}"));
            cmd.arg("-l").arg(format!("puredb:{}", home.p("pureftpd.pdb").display()));
            cmd.args(["-E", "-A", "-H", "-c", "200", "-C", "200", "-U", "022:022"]);
            cmd.arg("-g").arg(home.p("pure-ftpd.pid"));
            if let Some(cert) = &tls {
                // -Y 2: TLS required on the control connection.
                cmd.args(["-Y", "2", "-2"]).arg(cert);
            }
            cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
            let mut child = cmd.spawn().expect("start pure-ftpd");
            match wait_listening(&mut child, port) {
                Ok(()) => return Foreign { home, port, flavour, child, extra: vec![] },
                Err(e) => last_err = e,
            }
        }
        panic!("pure-ftpd did not start: {last_err}");
    }

    /// pyftpdlib (Python) with user `tester`/`secret` rooted at `data/`, logging each login
    /// to `pyftpdlib.log`.
    pub fn pyftpdlib() -> Foreign {
        Foreign::pyftpdlib_with(&[], &[])
    }

    /// pyftpdlib with extra script options (`--no-mlst`, `--local-times`) and environment
    /// (`TZ` for `--local-times`).
    pub fn pyftpdlib_with(opts: &[&str], env: &[(&str, &str)]) -> Foreign {
        let home = Home::new();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/servers/pyftpdlib_ftp.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(home.p("data"))
            .arg(home.p("pyftpdlib.log"))
            .args(opts)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start pyftpdlib (python3 with pyftpdlib; scripts/test.sh installs it)");
        let port = read_port(&mut child, "pyftpdlib");
        Foreign { home, port, flavour: Flavour::Plain, child, extra: vec![] }
    }

    /// `rclone serve sftp` without a VFS cache: reads return at most 32 KiB and writes must come
    /// in order (it cannot seek in a file it is writing).
    pub fn rclone_sftp() -> Foreign {
        let rclone = ["/usr/bin/rclone", "/usr/local/bin/rclone"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .unwrap_or_else(|| panic!("rclone is not installed; run scripts/test.sh (it installs rclone)"));
        let home = Home::new();
        keygen(&home.p("host_ed25519"), "ed25519");
        let extra = host_key_flags(&home.p("host_ed25519.pub"));
        std::fs::write(home.p("rclone.conf"), "").unwrap();
        let mut last_err = String::new();
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new(rclone)
                .arg("serve")
                .arg("sftp")
                .arg(home.p("data"))
                .arg("--addr")
                .arg(format!("127.0.0.1:{port}"))
                // Tests write files behind the server's back: no directory cache.
                .args(["--dir-cache-time", "0s", "--user", "tester", "--pass", "secret", "--key"])
                .arg(home.p("host_ed25519"))
                .arg("--config")
                .arg(home.p("rclone.conf"))
                .arg("--log-file")
                .arg(home.p("rclone.log"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start rclone serve sftp");
            match wait_listening(&mut child, port) {
                Ok(()) => return Foreign { home, port, flavour: Flavour::Sftp, child, extra },
                Err(e) => last_err = e,
            }
        }
        panic!("rclone serve sftp did not start: {last_err}");
    }

    /// The directory every URL of this server points into (the session's home).
    pub fn data(&self) -> PathBuf {
        self.home.p("data")
    }

    /// A file of the server's own directory (its logs, config).
    pub fn file(&self, name: &str) -> PathBuf {
        self.home.p(name)
    }

    pub fn url(&self) -> String {
        let scheme = match self.flavour {
            Flavour::Plain => "ftp",
            Flavour::Sftp => "sftp",
            _ => "ftpes",
        };
        format!("{scheme}://tester@127.0.0.1:{}/", self.port)
    }

    /// Flags that log in (password file) and trust the server (certificate or host key).
    pub fn flags(&self) -> Vec<String> {
        let mut f = vec!["--password-file".to_string(), self.home.p("client.pw").display().to_string()];
        let cert = self.home.p("cert.pem");
        if cert.exists() {
            f.extend(["--ca-file".to_string(), cert.display().to_string()]);
        }
        f.extend(self.extra.iter().cloned());
        f
    }
}

fn host_key_flags(pubkey: &Path) -> Vec<String> {
    let out = Command::new("ssh-keygen").arg("-lf").arg(pubkey).output().unwrap();
    let fp = String::from_utf8(out.stdout).unwrap().split_whitespace().nth(1).unwrap().to_string();
    vec!["--host-key".into(), fp]
}

fn read_port(child: &mut Child, what: &str) -> u16 {
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    line.strip_prefix("listening ").and_then(|p| p.trim().parse().ok()).unwrap_or_else(|| panic!("{what} did not start: {line:?}"))
}

impl Drop for Foreign {
    fn drop(&mut self) {
        // ProFTPD and Pure-FTPd fork a process per session; stop the listener's whole group
        // of children by killing the listener (sessions end with their connections).
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
