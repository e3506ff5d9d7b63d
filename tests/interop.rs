//! The servers partners run, besides vsftpd and OpenSSH: ProFTPD (plain, explicit FTPS under
//! TLS 1.2 and 1.3 with its default reuse-required TLS, mod_sftp), Pure-FTPd (plain, FTPS),
//! pyftpdlib and `rclone serve sftp`. Each runs the conformance suite; the regressions for the
//! defects these servers showed live here too.

use crate::conformance::{Remote, conformance, mirror_2000, resume_both_ways, ten_each_way};
use crate::support::foreign::{Flavour, Foreign};
use crate::support::{Sandbox, files_under, sha256_hex};

#[test]
fn proftpd_plain_conformance_mirror_and_resume() {
    let s = Sandbox::new();
    let r = Remote::foreign(Foreign::proftpd(Flavour::Plain));
    conformance(&s, &r);
    ten_each_way(&s, &r);
    mirror_2000(&s, &r);
    resume_both_ways(&s, &r);
}

#[test]
fn proftpd_ftpes_tls13_300_file_push_resumes_every_data_connection() {
    let s = Sandbox::new();
    let f = Foreign::proftpd(Flavour::Tls13);
    let log = f.file("tls.log");
    let r = Remote::foreign(f);
    conformance(&s, &r);
    ten_each_way(&s, &r);
    // ProFTPD gives two TLS 1.3 tickets per control connection and none on upload data
    // connections; every upload must still resume (no retries to hide a 425).
    s.tree("push", 300, 6, 700);
    let out = r.run(&s, &["mirror", "push", &r.url("push"), "--retries", "0", "-P", "4", "--connections", "4", "--json"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 300);
    assert_eq!(files_under(&r.root.join("push")), files_under(&s.path("push")));
    let out = r.run(&s, &["mirror", &r.url("push"), "pull", "--retries", "0", "--json"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 300);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("TLSv1.3 data connection accepted"), "the data connections really were TLS 1.3:\n{text}");
    assert!(!text.contains("did not reuse TLS session"), "a data connection did not resume:\n{text}");
}

#[test]
fn proftpd_ftpes_tls12_conformance() {
    let s = Sandbox::new();
    let f = Foreign::proftpd(Flavour::Tls12);
    let log = f.file("tls.log");
    let r = Remote::foreign(f);
    conformance(&s, &r);
    ten_each_way(&s, &r);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("TLSv1.2 data connection accepted"), "{text}");
    assert!(!text.contains("did not reuse TLS session"), "{text}");
}

#[test]
fn proftpd_mod_sftp_conformance_mirror_and_resume() {
    let s = Sandbox::new();
    let r = Remote::foreign(Foreign::proftpd(Flavour::Sftp));
    conformance(&s, &r);
    ten_each_way(&s, &r);
    mirror_2000(&s, &r);
    resume_both_ways(&s, &r);
}

#[test]
fn pureftpd_plain_conformance_mirror_and_resume() {
    let s = Sandbox::new();
    let r = Remote::foreign(Foreign::pureftpd(Flavour::Plain));
    conformance(&s, &r);
    ten_each_way(&s, &r);
    mirror_2000(&s, &r);
    resume_both_ways(&s, &r);
}

#[test]
fn pureftpd_ftpes_conformance() {
    let s = Sandbox::new();
    let r = Remote::foreign(Foreign::pureftpd(Flavour::Tls));
    conformance(&s, &r);
    ten_each_way(&s, &r);
}

#[test]
fn pyftpdlib_conformance_mirror_and_resume() {
    let s = Sandbox::new();
    let r = Remote::foreign(Foreign::pyftpdlib());
    conformance(&s, &r);
    ten_each_way(&s, &r);
    mirror_2000(&s, &r);
    resume_both_ways(&s, &r);
}

#[test]
fn rclone_serve_sftp_short_reads_and_in_order_writes() {
    let s = Sandbox::new();
    let r = Remote::foreign(Foreign::rclone_sftp());
    // 40 MiB each way: the server answers reads with at most 32 KiB and fails a write that
    // does not continue where the last one ended.
    let data: Vec<u8> = (0..40 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    s.write("big.bin", &data);
    r.run(&s, &["put", "big.bin", &r.url("big.bin"), "--retries", "0"]).expect(0);
    assert_eq!(sha256_hex(&std::fs::read(r.root.join("big.bin")).unwrap()), sha256_hex(&data));
    r.run(&s, &["get", &r.url("big.bin"), "back.bin", "--retries", "0"]).expect(0);
    assert_eq!(sha256_hex(&s.read("back.bin")), sha256_hex(&data));
    conformance(&s, &r);
}

#[test]
fn one_login_per_server_for_scan_and_transfers_against_pyftpdlib() {
    let s = Sandbox::new();
    let f = Foreign::pyftpdlib();
    let log = f.file("pyftpdlib.log");
    let r = Remote::foreign(f);
    let logins = || std::fs::read_to_string(&log).unwrap_or_default().matches("logged in").count();
    for (i, name) in ["tree/a.txt", "tree/sub/b.txt", "tree/sub/c.txt"].iter().enumerate() {
        let p = r.root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, format!("file {i}")).unwrap();
    }
    // One connection: the scan's login carries the transfers too.
    r.run(&s, &["mirror", &r.url("tree"), "local", "-P", "1", "--connections", "1"]).expect(0);
    assert_eq!(logins(), 1, "a one-connection mirror logged in more than once");
    // A no-op mirror: one login, for the scan, and nothing more.
    r.run(&s, &["mirror", &r.url("tree"), "local"]).expect(0);
    assert_eq!(logins(), 2, "a no-op mirror logged in more than once");
    r.run(&s, &["stat", &r.url("tree/a.txt")]).expect(0);
    assert_eq!(logins(), 3, "stat logged in more than once");
}

#[test]
fn doctor_measures_the_list_offset_of_a_list_only_server_in_another_zone() {
    let s = Sandbox::new();
    // LIST-only (no MLST/MLSD), LIST and MDTM both in the server's zone, UTC+2: comparing
    // LIST with MDTM cannot see the offset; a file written just now can.
    let r = Remote::foreign(Foreign::pyftpdlib_with(&["--no-mlst", "--local-times"], &[("TZ", "Etc/GMT-2")]));
    let out = r.run(&s, &["doctor", &r.base]).expect(0);
    assert!(out.stdout.contains("MLSD/MLST: no"), "{}", out.stdout);
    assert!(out.stdout.contains("LIST time offset: 120 min"), "{}", out.stdout);
}
