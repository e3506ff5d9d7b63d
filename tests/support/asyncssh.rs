//! Python's asyncssh as an SFTP server (a second SFTP implementation besides OpenSSH and
//! ferry's own): its handles are four-byte counters, so from the 129th open file on they hold
//! bytes ≥ 0x80 — the case that showed handles must be carried as bytes.

use super::sshd::keygen;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct AsyncSsh {
    pub keys: tempfile::TempDir,
    pub port: u16,
    child: Child,
}

impl AsyncSsh {
    /// Serve `root` (chrooted): logins with the key `id_ed25519` in `keys`.
    pub fn start(root: &Path) -> AsyncSsh {
        let keys = tempfile::tempdir().unwrap();
        keygen(&keys.path().join("host_ed25519"), "ed25519");
        keygen(&keys.path().join("id_ed25519"), "ed25519");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/servers/asyncssh_sftp.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(root)
            .arg(keys.path().join("host_ed25519"))
            .arg(keys.path().join("id_ed25519.pub"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the asyncssh SFTP server (python3 with asyncssh; scripts/test.sh installs it)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .strip_prefix("listening ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("the asyncssh server did not start (is asyncssh installed?): {line:?}"));
        AsyncSsh { keys, port, child }
    }

    pub fn url(&self) -> String {
        format!("sftp://tester@127.0.0.1:{}/", self.port)
    }

    pub fn key(&self) -> PathBuf {
        self.keys.path().join("id_ed25519")
    }

    /// Flags that log in with the key and pin the host key.
    pub fn flags(&self) -> Vec<String> {
        let out = Command::new("ssh-keygen").arg("-lf").arg(self.keys.path().join("host_ed25519.pub")).output().unwrap();
        let fp = String::from_utf8(out.stdout).unwrap().split_whitespace().nth(1).unwrap().to_string();
        vec!["--key-file".into(), self.key().display().to_string(), "--host-key".into(), fp]
    }
}

impl Drop for AsyncSsh {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
