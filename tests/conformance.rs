//! One set of cases every server backend must pass, run against each real server (OpenSSH
//! sshd, asyncssh, vsftpd) and ferry's own `serve` servers.

use crate::support::serve::{Served, ServedFtp};
use crate::support::sshd::Sshd;
use crate::support::vsftpd::{self, Vsftpd};
use crate::support::{Run, Sandbox, files_under, sha256_hex};
use std::path::PathBuf;

/// A server under test: URLs for paths below its root, where that root is on disk, and the
/// flags that log in. The same cases run against sshd, vsftpd and ferry's own servers.
pub struct Remote {
    pub base: String,
    pub root: PathBuf,
    pub flags: Vec<String>,
    pub _server: Box<dyn std::any::Any>,
}

impl Remote {
    pub fn sshd(s: &Sandbox) -> Remote {
        let d = Sshd::start();
        let root = s.path("remote");
        std::fs::create_dir_all(&root).unwrap();
        Remote { base: d.url(&root), root, flags: d.flags(), _server: Box::new(d) }
    }

    pub fn served(s: &Sandbox) -> Remote {
        let root = s.path("remote");
        std::fs::create_dir_all(&root).unwrap();
        let srv = Served::start(&root, None);
        Remote { base: format!("sftp://tester@127.0.0.1:{}/", srv.port), root, flags: srv.flags(), _server: Box::new(srv) }
    }

    /// Python's asyncssh SFTP server, chrooted to the sandbox's `remote/`.
    pub fn asyncssh(s: &Sandbox) -> Remote {
        let root = s.path("remote");
        std::fs::create_dir_all(&root).unwrap();
        let srv = crate::support::asyncssh::AsyncSsh::start(&root);
        Remote { base: srv.url(), root, flags: srv.flags(), _server: Box::new(srv) }
    }

    /// vsftpd, plain or explicit FTPS with `require_ssl_reuse=YES`.
    pub fn vsftpd(opts: vsftpd::Options) -> Remote {
        let v = Vsftpd::start(opts);
        Remote { base: v.url(opts.tls), root: v.data(), flags: v.flags(), _server: Box::new(v) }
    }

    /// `ferry serve ftp`, plain or with explicit TLS.
    pub fn served_ftp(s: &Sandbox, tls: bool) -> Remote {
        let root = s.path("remote");
        std::fs::create_dir_all(&root).unwrap();
        let srv = ServedFtp::start(&root, tls);
        Remote { base: srv.url(), root, flags: srv.flags(), _server: Box::new(srv) }
    }

    pub fn url(&self, rel: &str) -> String {
        format!("{}/{}", self.base.trim_end_matches('/'), rel)
    }

    pub fn run(&self, s: &Sandbox, args: &[&str]) -> Run {
        s.run_with(args, &self.flags, &[])
    }
}

/// One set of cases every SFTP server must pass.
pub fn conformance(s: &Sandbox, r: &Remote) {
    let url = |p: &str| r.url(p);
    let remote = |p: &str| r.root.join(p);

    // put, stat, ls, cat
    s.write("local/inv.edi", b"UNB+UNOC:3'");
    r.run(s, &["put", "local/inv.edi", &url("in/")]).expect(0);
    assert_eq!(std::fs::read(remote("in/inv.edi")).unwrap(), b"UNB+UNOC:3'");
    assert!(files_under(&remote("in")) == ["inv.edi"], "no partial left behind");
    let out = r.run(s, &["stat", "--json", &url("in/inv.edi")]).expect(0);
    assert_eq!(out.json()["size"], 11);
    assert_eq!(out.json()["type"], "file");
    let out = r.run(s, &["ls", &url("in")]).expect(0);
    assert_eq!(out.stdout, "inv.edi\n");
    let out = r.run(s, &["cat", &url("in/inv.edi")]).expect(0);
    assert_eq!(out.stdout, "UNB+UNOC:3'");
    // mtime kept (seconds precision)
    let secs = |p: PathBuf| std::fs::metadata(p).unwrap().modified().unwrap().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    assert_eq!(secs(s.path("local/inv.edi")), secs(remote("in/inv.edi")));

    // get, mkdir, mv (with and without --force), rm
    r.run(s, &["get", &url("in/inv.edi"), "back/"]).expect(0);
    assert_eq!(s.read("back/inv.edi"), b"UNB+UNOC:3'");
    r.run(s, &["mkdir", "-p", &url("a/b/c")]).expect(0);
    assert!(remote("a/b/c").is_dir());
    r.run(s, &["mkdir", &url("a/b/c")]).expect(1);
    std::fs::write(remote("a/x.txt"), b"x").unwrap();
    std::fs::write(remote("a/y.txt"), b"y").unwrap();
    r.run(s, &["mv", &url("a/x.txt"), &url("a/y.txt")]).expect(1);
    r.run(s, &["mv", "--force", &url("a/x.txt"), &url("a/y.txt")]).expect(0);
    assert_eq!(std::fs::read(remote("a/y.txt")).unwrap(), b"x");
    r.run(s, &["rm", &url("a/b")]).expect(2);
    r.run(s, &["rm", "-r", &url("a")]).expect(0);
    assert!(!remote("a").exists());
    r.run(s, &["stat", &url("nope")]).expect(4);

    // put - from stdin, a 600 kB stream
    let mut c = s.cmd(&["put", "-", &url("stdin.bin")]);
    c.args(r.flags.clone()).stdin(std::process::Stdio::piped()).stderr(std::process::Stdio::null());
    let mut child = c.spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&vec![42u8; 600_000]).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(std::fs::read(remote("stdin.bin")).unwrap(), vec![42u8; 600_000]);

    // A big file both ways, with verification of size
    let data: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 249) as u8).collect();
    s.write("big.bin", &data);
    r.run(s, &["put", "big.bin", &url("big/"), "--verify"]).expect(0);
    r.run(s, &["get", &url("big/big.bin"), "big-back.bin"]).expect(0);
    assert_eq!(sha256_hex(&s.read("big-back.bin")), sha256_hex(&data));
}
