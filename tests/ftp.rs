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
