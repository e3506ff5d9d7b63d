//! `ferry serve sftp` started as a child process of the built binary, for tests that need a
//! server ferry controls (password logins, names OpenSSH would also serve, the jail).

use super::sshd::keygen;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct Served {
    pub keys: tempfile::TempDir,
    pub port: u16,
    pub fingerprint: String,
    child: Child,
}

impl Served {
    /// Serve `dir` with key logins (the key is `id_ed25519` in `keys`) and, if given, a password
    /// login for `user` (the password in `FERRY_SERVE_PW`).
    pub fn start(dir: &Path, password: Option<(&str, &str)>) -> Served {
        let keys = tempfile::tempdir().unwrap();
        keygen(&keys.path().join("id_ed25519"), "ed25519");
        let mut c = Command::new(super::bin());
        c.args(["serve", "sftp"])
            .arg(dir)
            .args(["--addr", "127.0.0.1:0", "--authorized-keys"])
            .arg(keys.path().join("id_ed25519.pub"))
            .arg("--host-key-file")
            .arg(keys.path().join("host_key"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .stdin(Stdio::null());
        if let Some((user, pw)) = password {
            c.args(["--user", user, "--password-env", "FERRY_SERVE_PW"]).env("FERRY_SERVE_PW", pw);
        }
        let mut child = c.spawn().expect("start ferry serve sftp");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        // "listening 127.0.0.1:PORT host-key SHA256:…"
        let parts: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(parts.first(), Some(&"listening"), "unexpected first line {line:?}");
        let port = parts[1].rsplit(':').next().unwrap().parse().unwrap();
        Served { keys, port, fingerprint: parts[3].to_string(), child }
    }

    pub fn key(&self) -> PathBuf {
        self.keys.path().join("id_ed25519")
    }

    /// Flags that log in with the key and pin the host key.
    pub fn flags(&self) -> Vec<String> {
        vec!["--key-file".into(), self.key().display().to_string(), "--host-key".into(), self.fingerprint.clone()]
    }

    /// A known_hosts file for OpenSSH's client.
    pub fn known_hosts(&self) -> PathBuf {
        let out = Command::new("ssh-keygen").arg("-y").arg("-f").arg(self.keys.path().join("host_key")).output().unwrap();
        let p = self.keys.path().join("known_hosts");
        std::fs::write(&p, format!("[127.0.0.1]:{} {}", self.port, String::from_utf8(out.stdout).unwrap())).unwrap();
        p
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `ferry serve ftp` as a child process: login `tester` / `FERRY_SERVE_PW`, optionally FTPS
/// with a generated certificate.
pub struct ServedFtp {
    pub certs: tempfile::TempDir,
    pub port: u16,
    pub tls: bool,
    child: Child,
}

impl ServedFtp {
    pub fn start(dir: &Path, tls: bool) -> ServedFtp {
        let certs = tempfile::tempdir().unwrap();
        if tls {
            super::vsftpd::make_cert(certs.path());
        }
        Self::start_with(dir, certs, tls)
    }

    /// Serve with explicit TLS from `cert.pem` and `key.pem` already in `certs`.
    pub fn start_with_cert(dir: &Path, certs: tempfile::TempDir) -> ServedFtp {
        Self::start_with(dir, certs, true)
    }

    fn start_with(dir: &Path, certs: tempfile::TempDir, tls: bool) -> ServedFtp {
        let mut c = Command::new(super::bin());
        c.args(["serve", "ftp"])
            .arg(dir)
            .args(["--addr", "127.0.0.1:0", "--user", "tester", "--password-env", "FERRY_SERVE_PW"])
            .env("FERRY_SERVE_PW", "s3cret")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .stdin(Stdio::null());
        if tls {
            c.arg("--tls-cert").arg(certs.path().join("cert.pem")).arg("--tls-key").arg(certs.path().join("key.pem"));
        }
        let mut child = c.spawn().expect("start ferry serve ftp");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let parts: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(parts.first(), Some(&"listening"), "unexpected first line {line:?}");
        let port = parts[1].rsplit(':').next().unwrap().parse().unwrap();
        ServedFtp { certs, port, tls, child }
    }

    pub fn url(&self) -> String {
        format!("{}://tester@127.0.0.1:{}/", if self.tls { "ftpes" } else { "ftp" }, self.port)
    }

    /// Flags that log in (password from a file) and trust the certificate.
    pub fn flags(&self) -> Vec<String> {
        let mut f = vec!["--password-file".into(), self.certs.path().join("pw").display().to_string()];
        std::fs::write(self.certs.path().join("pw"), "s3cret\n").unwrap();
        if self.tls {
            f.extend(["--ca-file".into(), self.certs.path().join("cert.pem").display().to_string()]);
        }
        f
    }
}

impl Drop for ServedFtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
