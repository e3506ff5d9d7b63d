//! A real OpenSSH sshd on 127.0.0.1 with a temporary config, host key and authorized_keys,
//! started per test and killed when dropped. A missing sshd fails the test: it is never skipped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Sshd {
    pub dir: tempfile::TempDir,
    pub port: u16,
    pub user: String,
    child: Child,
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A free port on 127.0.0.1 (bound and released; sshd binds it right after).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Wait until a server child listens on `port` (10 s at most). On failure the child is killed
/// and its stderr returned, so the caller can try another port or report why.
pub fn wait_listening(child: &mut Child, port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut err = String::new();
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Ok(Some(_)) = child.try_wait() {
            use std::io::Read;
            if let Some(mut e) = child.stderr.take() {
                e.read_to_string(&mut err).ok();
            }
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(err)
}

pub fn keygen(path: &Path, kind: &str) {
    run(Command::new("ssh-keygen").args(["-q", "-t", kind, "-N", "", "-C", "ferry-test", "-f"]).arg(path));
}

impl Sshd {
    pub fn start() -> Sshd {
        let sshd = ["/usr/sbin/sshd", "/usr/bin/sshd"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .unwrap_or_else(|| panic!("OpenSSH's sshd is not installed; run scripts/test.sh (it installs openssh-server)"));
        if unsafe { libc::geteuid() } == 0 {
            // sshd insists on its privilege-separation directory when started as root.
            let _ = std::fs::create_dir_all("/run/sshd");
        }
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        keygen(&d.join("host_ed25519"), "ed25519");
        keygen(&d.join("id_ed25519"), "ed25519");
        std::fs::copy(d.join("id_ed25519.pub"), d.join("authorized_keys")).unwrap();
        let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout).unwrap().trim().to_string();
        let mut last_err = String::new();
        for _ in 0..5 {
            let port = free_port();
            let config = format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_ed25519\nPidFile {d}/sshd.pid\n\
                 AuthorizedKeysFile {d}/authorized_keys\nStrictModes no\nUsePAM no\nPermitRootLogin yes\n\
                 PasswordAuthentication no\nKbdInteractiveAuthentication no\nSubsystem sftp internal-sftp\n\
                 MaxSessions 64\nMaxStartups 64\nLogLevel ERROR\n",
                d = d.display()
            );
            std::fs::write(d.join("sshd_config"), config).unwrap();
            let mut child = Command::new(sshd)
                .args(["-D", "-e", "-f"])
                .arg(d.join("sshd_config"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start sshd");
            match wait_listening(&mut child, port) {
                Ok(()) => {
                    let s = Sshd { dir, port, user, child };
                    s.write_known_hosts();
                    return s;
                }
                Err(e) => last_err = e,
            }
        }
        panic!("sshd did not start: {last_err}");
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `known_hosts` with this server's key, as ssh would record it.
    fn write_known_hosts(&self) {
        let key = std::fs::read_to_string(self.path("host_ed25519.pub")).unwrap();
        let key: Vec<&str> = key.split_whitespace().take(2).collect();
        std::fs::write(self.path("known_hosts"), format!("[127.0.0.1]:{} {}\n", self.port, key.join(" "))).unwrap();
    }

    /// The server's host-key fingerprint (`SHA256:…`).
    pub fn fingerprint(&self) -> String {
        let out = Command::new("ssh-keygen").arg("-lf").arg(self.path("host_ed25519.pub")).output().unwrap();
        String::from_utf8(out.stdout).unwrap().split_whitespace().nth(1).unwrap().to_string()
    }

    /// An sftp URL for an absolute path on this server.
    pub fn url(&self, abs: &Path) -> String {
        format!("sftp://{}@127.0.0.1:{}/{}", self.user, self.port, abs.display())
    }

    /// The flags that authenticate and trust this server.
    pub fn flags(&self) -> Vec<String> {
        vec![
            "--key-file".into(),
            self.path("id_ed25519").display().to_string(),
            "--known-hosts".into(),
            self.path("known_hosts").display().to_string(),
        ]
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
