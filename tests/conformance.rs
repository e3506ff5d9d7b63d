//! One set of cases every server backend must pass, run against each real server (OpenSSH
//! sshd, asyncssh, vsftpd, ProFTPD, Pure-FTPd, pyftpdlib) and ferry's own `serve` servers,
//! plus the 2,000-file mirror and the resume cases.

use crate::support::foreign::Foreign;
use crate::support::serve::{Served, ServedFtp};
use crate::support::sshd::Sshd;
use crate::support::vsftpd::{self, Vsftpd};
use crate::support::{Run, Sandbox, assert_same_files, files_under, sha256_hex};
use std::path::PathBuf;

/// A server under test: URLs for paths below its root, where that root is on disk, and the
/// flags that log in. The same cases run against sshd, vsftpd and ferry's own servers.
pub struct Remote {
    pub base: String,
    pub root: PathBuf,
    pub flags: Vec<String>,
    pub _server: Box<dyn std::any::Any + Send>,
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

    /// A foreign server (ProFTPD, Pure-FTPd, pyftpdlib, rclone): URLs below the session's home.
    pub fn foreign(f: Foreign) -> Remote {
        Remote { base: f.url(), root: f.data(), flags: f.flags(), _server: Box::new(f) }
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

/// LIST, 10 uploads and 10 downloads over 4 connections.
pub fn ten_each_way(s: &Sandbox, r: &Remote) {
    let names = s.tree("ten", 10, 1, 5000);
    r.run(s, &["put", "-r", "ten", &r.url("ten"), "--connections", "4", "-P", "4"]).expect(0);
    let out = r.run(s, &["ls", "-R", &r.url("ten")]).expect(0);
    assert_eq!(out.stdout.lines().filter(|l| l.ends_with(".dat")).count(), 10, "{}", out.stdout);
    r.run(s, &["get", "-r", &r.url("ten"), "ten-back", "--connections", "4", "-P", "4"]).expect(0);
    for n in names {
        assert_eq!(s.read(&n), s.read(&n.replacen("ten/", "ten-back/", 1)), "{n}");
    }
}

/// Write `n` files of `size` bytes in `dirs` directories below `root` (as `Sandbox::tree`).
pub fn tree_at(root: &std::path::Path, n: usize, dirs: usize, size: usize) {
    for i in 0..n {
        let p = root.join(format!("d{:02}/f{:05}.dat", i % dirs, i));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let mut data = format!("{i:08}").into_bytes();
        data.resize(size, b'x');
        std::fs::write(p, data).unwrap();
    }
}

/// Pull a 2,000-file tree, re-run as a no-op, pull one change; push it back, no-op, one change
/// and a `--delete`; then `check`.
pub fn mirror_2000(s: &Sandbox, r: &Remote) {
    tree_at(&r.root.join("out"), 2000, 20, 4096);
    let src = r.url("out");
    // Pull
    let out = r.run(&s, &["mirror", &src, "pulled", "--json", "-P", "8", "--connections", "8"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 2000);
    assert_same_files(&s.path("pulled"), &r.root.join("out"));
    // No-op re-run rewrites nothing
    let inode = s.inode("pulled/d03/f00003.dat");
    let out = r.run(&s, &["mirror", &src, "pulled", "--json"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 0);
    assert_eq!(s.inode("pulled/d03/f00003.dat"), inode);
    // One changed file → one transfer
    std::fs::write(r.root.join("out/d05/f00005.dat"), b"changed on the server").unwrap();
    let out = r.run(&s, &["mirror", &src, "pulled", "--json"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 1);
    assert_eq!(s.read("pulled/d05/f00005.dat"), b"changed on the server");

    // Push
    let dst = r.url("pushed");
    let out = r.run(&s, &["mirror", "pulled", &dst, "--json", "-P", "8", "--connections", "8"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 2000);
    assert_same_files(&r.root.join("pushed"), &s.path("pulled"));
    let out = r.run(&s, &["mirror", "pulled", &dst, "--json"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 0, "no-op push");
    s.write("pulled/d07/f00007.dat", b"changed locally");
    std::fs::write(r.root.join("pushed/stale.txt"), b"old").unwrap();
    let out = r.run(&s, &["mirror", "pulled", &dst, "--json", "--delete"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 1);
    assert_eq!(out.json()["report"]["summary"]["deleted"], 1);
    assert_eq!(std::fs::read(r.root.join("pushed/d07/f00007.dat")).unwrap(), b"changed locally");
    assert!(!r.root.join("pushed/stale.txt").exists());
    r.run(&s, &["check", "pulled", &dst]).expect(0);
}

/// `get -c` continues a partial download from its offset and `put -c` a partial upload of the
/// same source version; only the rest crosses the wire.
pub fn resume_both_ways(s: &Sandbox, r: &Remote) {
    let data: Vec<u8> = (0..6 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2654435761) >> 11) as u8).collect();
    std::fs::write(r.root.join("big.bin"), &data).unwrap();
    let url = r.url("big.bin");
    let st = r.run(&s, &["stat", "--json", &url]).expect(0).json();
    let mtime = chrono::DateTime::parse_from_rfc3339(st["mtime"].as_str().unwrap()).unwrap().with_timezone(&chrono::Utc);
    let rel = ferry::model::RelPath::parse("big.bin").unwrap();
    let fp = ferry::plan::fingerprint(&rel, data.len() as u64, Some(mtime));
    s.write(&format!("dl/big.bin.{fp}.part"), &data[..2 * 1024 * 1024]);
    let j = r.run(&s, &["get", "-c", &url, "dl/", "--json", "--verify"]).expect(0).json();
    assert_eq!(j["plan"]["actions"][0]["resume_from"], 2 * 1024 * 1024);
    assert_eq!(j["report"]["summary"]["bytes"], 4 * 1024 * 1024, "REST: only the rest crossed the wire");
    assert_eq!(crate::support::sha256_hex(&s.read("dl/big.bin")), crate::support::sha256_hex(&data));

    // Upload: a partial of the same source version on the server is continued with APPE.
    let local_mtime = std::fs::metadata(s.path("dl/big.bin")).unwrap().modified().unwrap();
    let lm = chrono::DateTime::<chrono::Utc>::from(local_mtime);
    let rel2 = ferry::model::RelPath::parse("big2.bin").unwrap();
    let fp = ferry::plan::fingerprint(&rel2, data.len() as u64, Some(lm));
    std::fs::write(r.root.join(format!("big2.bin.{fp}.part")), &data[..1024 * 1024]).unwrap();
    std::fs::create_dir_all(s.path("up")).unwrap();
    std::fs::copy(s.path("dl/big.bin"), s.path("up/big2.bin")).unwrap();
    let f = std::fs::File::options().write(true).open(s.path("up/big2.bin")).unwrap();
    f.set_modified(local_mtime).unwrap();
    // The server's session user must be able to append to the partial.
    crate::support::vsftpd::chown_ftp(&r.root);
    let j = r.run(&s, &["put", "-c", "up/big2.bin", &r.url(""), "--json", "--verify"]).expect(0).json();
    assert_eq!(j["plan"]["actions"][0]["resume_from"], 1024 * 1024, "{j}");
    assert_eq!(j["report"]["summary"]["bytes"], 5 * 1024 * 1024);
    assert_eq!(crate::support::sha256_hex(&std::fs::read(r.root.join("big2.bin")).unwrap()), crate::support::sha256_hex(&data));
}

/// The path part of a URL (after the authority), as `--staging-dir` takes it.
fn url_path(url: &str) -> String {
    let after = &url[url.find("://").unwrap() + 3..];
    after.find('/').map(|i| after[i..].to_string()).unwrap_or_else(|| "/".into())
}

/// `put --staging-dir`: while a throttled upload runs, the target directory shows only complete
/// files and the staging directory holds the partial; afterwards the staging directory is empty.
pub fn staged_upload(s: &Sandbox, r: &Remote) {
    let data: Vec<u8> = (0..(1536 * 1024u32)).map(|i| (i.wrapping_mul(2654435761) >> 9) as u8).collect();
    s.write("up/big.bin", &data);
    s.write("up/small.txt", b"small and complete");
    for d in ["stage", "inbox"] {
        std::fs::create_dir_all(r.root.join(d)).unwrap();
    }
    crate::support::vsftpd::chown_ftp(&r.root);
    let stage = url_path(&r.url("stage"));
    let mut c = s.cmd(&["put", "-r", "up", &r.url("inbox/"), "--staging-dir", &stage, "--bwlimit", "1M", "-P", "1"]);
    c.args(&r.flags).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let child = c.spawn().unwrap();
    let (mut saw_partial, mut polls) = (false, 0);
    let want = |name: &str| -> Option<Vec<u8>> {
        match name {
            "up/big.bin" => Some(data.clone()),
            "up/small.txt" => Some(b"small and complete".to_vec()),
            _ => None,
        }
    };
    let out = loop {
        for f in files_under(&r.root.join("inbox")) {
            let expected = want(&f).unwrap_or_else(|| panic!("the target directory showed {f}"));
            let got = std::fs::read(r.root.join("inbox").join(&f)).unwrap();
            assert!(got == expected, "{f} was visible with {} of {} bytes", got.len(), expected.len());
        }
        saw_partial |= files_under(&r.root.join("stage")).iter().any(|f| f.starts_with("big.bin.") && f.ends_with(".part"));
        polls += 1;
        std::thread::sleep(std::time::Duration::from_millis(25));
        if polls > 2000 {
            panic!("the staged upload did not finish");
        }
        if r.root.join("inbox/up/big.bin").exists() && r.root.join("inbox/up/small.txt").exists() {
            break child.wait_with_output().unwrap();
        }
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(saw_partial, "the staging directory held the partial while it was written ({polls} polls)");
    assert_eq!(files_under(&r.root.join("stage")), Vec::<String>::new(), "the staging directory is empty afterwards");
    assert_eq!(files_under(&r.root.join("inbox")), ["up/big.bin", "up/small.txt"]);
    // doctor checks the rename a staged delivery makes, inside the staging directory only.
    let doc = r.run(s, &["doctor", "--json", &r.url("inbox/"), "--staging-dir", &stage]).expect(0).json();
    assert_eq!(doc["staging"]["rename_across_directories"], true, "{doc}");
    assert_eq!(files_under(&r.root.join("stage")), Vec::<String>::new(), "the probe cleaned up");
    assert_eq!(std::fs::read_dir(r.root.join("stage")).unwrap().count(), 0, "the probe directory too");
    // A missing staging directory is refused before anything moves (exit 2).
    let r2 = r.run(s, &["put", "up/small.txt", &r.url("inbox2/"), "--staging-dir", &url_path(&r.url("nope"))]).expect(2);
    assert!(r2.stderr.contains("staging directory"), "{}", r2.stderr);
    assert!(!r.root.join("inbox2").exists());
}
