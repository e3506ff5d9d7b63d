//! Test support: the built `ferry` binary, temporary trees, and small file helpers.

#![allow(dead_code)]

pub mod asyncssh;
pub mod fakeftp;
pub mod faultproxy;
pub mod foreign;
pub mod hostile;
pub mod postgres;
pub mod serve;
pub mod sshd;
pub mod vsftpd;
pub mod wan;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The `ferry` binary cargo built for these tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ferry"))
}

/// A temporary directory that holds a test's trees, and runs ferry inside it.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

/// What a ferry run produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Panic with both streams unless the exit code is `want`.
    #[track_caller]
    pub fn expect(self, want: i32) -> Run {
        assert_eq!(self.code, want, "exit code\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim()).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("tempdir") }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn p(&self, rel: &str) -> String {
        self.path(rel).to_string_lossy().into_owned()
    }

    /// A `ferry` command running in the sandbox, without a terminal and with a clean log env.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(bin());
        // Each sandbox has its own state directory: ledger and job locks never leak between tests.
        c.args(args)
            .current_dir(self.dir.path())
            .env_remove("FERRY_LOG")
            .env_remove("RUST_LOG")
            .env("XDG_STATE_HOME", self.path(".state"))
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cmd(args).output().expect("run ferry"))
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut c = self.cmd(args);
        for (k, v) in env {
            c.env(k, v);
        }
        Run::from(c.output().expect("run ferry"))
    }

    /// Run ferry with `args`, then a server's connection `flags`, in environment `env`.
    pub fn run_with(&self, args: &[&str], flags: &[String], env: &[(&str, &str)]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(flags.iter().map(String::as_str));
        self.run_env(&all, env)
    }

    pub fn write(&self, rel: &str, data: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }

    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).symlink_metadata().is_ok()
    }

    pub fn inode(&self, rel: &str) -> u64 {
        std::fs::metadata(self.path(rel)).unwrap().ino()
    }

    /// `n` files of `size` bytes spread over `dirs` directories; returns their relative paths.
    pub fn tree(&self, root: &str, n: usize, dirs: usize, size: usize) -> Vec<String> {
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let rel = format!("{root}/d{:02}/f{:05}.dat", i % dirs, i);
            let mut data = format!("{i:08}").into_bytes();
            data.resize(size, b'x');
            self.write(&rel, &data);
            out.push(rel);
        }
        out
    }
}

/// Every file under `dir`, relative, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                walk(base, &e.path(), out);
            } else {
                out.push(e.path().strip_prefix(base).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut v = Vec::new();
    if dir.exists() {
        walk(dir, dir, &mut v);
    }
    v.sort();
    v
}

/// Panic unless `a` and `b` hold the same relative file names, showing only the differences.
#[track_caller]
pub fn assert_same_files(a: &Path, b: &Path) {
    let (fa, fb) = (files_under(a), files_under(b));
    if fa != fb {
        let only = |x: &[String], y: &[String]| -> Vec<String> { x.iter().filter(|n| !y.contains(n)).take(20).cloned().collect() };
        panic!(
            "{} files under {}, {} under {}\nonly in the first: {:?}\nonly in the second: {:?}",
            fa.len(),
            a.display(),
            fb.len(),
            b.display(),
            only(&fa, &fb),
            only(&fb, &fa)
        );
    }
}

pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}
