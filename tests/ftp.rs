//! The FTP backend against real vsftpd on 127.0.0.1 — plain FTP and explicit FTPS with
//! `require_ssl_reuse=YES` under TLS 1.2 and TLS 1.3 — plus mirrors of a 2,000-file tree.

use crate::conformance::{Remote, conformance};
use crate::support::vsftpd::Options;
use crate::support::{Sandbox, files_under};

/// LIST, 10 uploads and 10 downloads over 4 connections.
fn ten_each_way(s: &Sandbox, r: &Remote) {
    let names = s.tree("ten", 10, 1, 5000);
    r.run(s, &["put", "-r", "ten", &r.url("ten"), "--connections", "4", "-P", "4"]).expect(0);
    let out = r.run(s, &["ls", "-R", &r.url("ten")]).expect(0);
    assert_eq!(out.stdout.lines().filter(|l| l.ends_with(".dat")).count(), 10, "{}", out.stdout);
    r.run(s, &["get", "-r", &r.url("ten"), "ten-back", "--connections", "4", "-P", "4"]).expect(0);
    for n in names {
        assert_eq!(s.read(&n), s.read(&n.replacen("ten/", "ten-back/", 1)), "{n}");
    }
}

#[test]
fn ftp_conformance_against_vsftpd() {
    let s = Sandbox::new();
    let r = Remote::vsftpd(Options::default());
    conformance(&s, &r);
    ten_each_way(&s, &r);
}

#[test]
fn ftpes_with_session_reuse_against_vsftpd_tls13() {
    let s = Sandbox::new();
    let r = Remote::vsftpd(Options { tls: true, ..Default::default() });
    conformance(&s, &r);
    ten_each_way(&s, &r);
}

#[test]
fn ftpes_with_session_reuse_against_vsftpd_tls12_only() {
    let s = Sandbox::new();
    let r = Remote::vsftpd(Options { tls: true, tls12_only: true, ..Default::default() });
    // The server really refuses TLS 1.3 (and speaks 1.2).
    let port = r.base.split(':').nth(2).unwrap().split('/').next().unwrap().to_string();
    let probe = |v: &str| {
        std::process::Command::new("openssl")
            .args(["s_client", "-starttls", "ftp", v, "-connect", &format!("127.0.0.1:{port}")])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
            .status
            .success()
    };
    assert!(!probe("-tls1_3"), "vsftpd accepted TLS 1.3");
    assert!(probe("-tls1_2"), "vsftpd refused TLS 1.2");
    ten_each_way(&s, &r);
    assert!(files_under(&r.root.join("ten")).len() == 10);
}

/// Write `n` files of `size` bytes in `dirs` directories below `root` (as `Sandbox::tree`).
fn tree_at(root: &std::path::Path, n: usize, dirs: usize, size: usize) {
    for i in 0..n {
        let p = root.join(format!("d{:02}/f{:05}.dat", i % dirs, i));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let mut data = format!("{i:08}").into_bytes();
        data.resize(size, b'x');
        std::fs::write(p, data).unwrap();
    }
}

#[test]
fn ftp_mirror_pull_and_push_2000_files_against_vsftpd() {
    let s = Sandbox::new();
    let r = Remote::vsftpd(Options::default());
    tree_at(&r.root.join("out"), 2000, 20, 4096);
    let src = r.url("out");
    // Pull
    let out = r.run(&s, &["mirror", &src, "pulled", "--json", "-P", "8", "--connections", "8"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 2000);
    assert_eq!(files_under(&s.path("pulled")), files_under(&r.root.join("out")));
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
    let dst = r.url("in");
    let out = r.run(&s, &["mirror", "pulled", &dst, "--json", "-P", "8", "--connections", "8"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 2000);
    assert_eq!(files_under(&r.root.join("in")), files_under(&s.path("pulled")));
    let out = r.run(&s, &["mirror", "pulled", &dst, "--json"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 0, "no-op push");
    s.write("pulled/d07/f00007.dat", b"changed locally");
    std::fs::write(r.root.join("in/stale.txt"), b"old").unwrap();
    let out = r.run(&s, &["mirror", "pulled", &dst, "--json", "--delete"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 1);
    assert_eq!(out.json()["report"]["summary"]["deleted"], 1);
    assert_eq!(std::fs::read(r.root.join("in/d07/f00007.dat")).unwrap(), b"changed locally");
    assert!(!r.root.join("in/stale.txt").exists());
    r.run(&s, &["check", "pulled", &dst]).expect(0);
}

#[test]
fn ftp_resume_continues_a_half_download_and_a_half_upload() {
    let s = Sandbox::new();
    let r = Remote::vsftpd(Options::default());
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

#[test]
fn ftp_pool_shrinks_on_421_too_many_connections() {
    let s = Sandbox::new();
    let r = Remote::vsftpd(Options { max_per_ip: Some(2), ..Default::default() });
    tree_at(&r.root.join("many"), 60, 3, 2000);
    let out = r.run(&s, &["mirror", &r.url("many"), "got", "--connections", "6", "-P", "6", "--json"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 60);
    assert!(out.stderr.contains("421"), "the shrink is reported: {}", out.stderr);
    assert_eq!(files_under(&s.path("got")), files_under(&r.root.join("many")));
}
