//! Round trips per file, counted by the WAN emulator (not timed): at 20–100 ms from a partner,
//! each round trip a file costs is what decides a small-file exchange, so a change that adds one
//! fails here before any benchmark shows it. Each case runs the same mirror with few and with
//! many files at `-P 1` and divides the difference, so login, listing and directories cancel out.

use crate::support::sshd::Sshd;
use crate::support::vsftpd::{self, Vsftpd};
use crate::support::wan::{Counts, Wan};
use crate::support::{Sandbox, files_under};

const FEW: usize = 6;
const MANY: usize = 26;
/// A few milliseconds, so writes a client makes back to back reach the server together (as on
/// a real link) and are counted as one turn.
const RTT_MS: u32 = 4;

/// Round trips per file between a FEW-file and a MANY-file run of `run(n)`.
fn per_file(mut run: impl FnMut(usize) -> Counts) -> f64 {
    let (few, many) = (run(FEW), run(MANY));
    (many.cost() as f64 - few.cost() as f64) / (MANY - FEW) as f64
}

fn ftp(s: &Sandbox, push: bool) -> f64 {
    let srv = Vsftpd::start(vsftpd::Options::default());
    per_file(|n| {
        let name = format!("t{n}");
        if push {
            s.tree(&format!("up/{name}"), n, 1, 1000);
        } else {
            s.tree(&format!("srv/{name}"), n, 1, 1000);
            std::fs::rename(s.path(&format!("srv/{name}")), srv.data().join(&name)).unwrap();
            vsftpd::chown_ftp(&srv.data());
        }
        let wan = Wan::start(srv.port, RTT_MS, true);
        let url = format!("ftp://127.0.0.2:{}/data/{name}/", wan.port);
        let local = s.p(&format!("{}/{name}/", if push { "up" } else { "down" }));
        let (from, to) = if push { (local.as_str(), url.as_str()) } else { (url.as_str(), local.as_str()) };
        s.run(&["mirror", "-P", "1", from, to]).expect(0);
        let (a, b) = if push {
            (s.path(&format!("up/{name}")), srv.data().join(&name))
        } else {
            (srv.data().join(&name), s.path(&format!("down/{name}")))
        };
        assert_eq!(files_under(&a), files_under(&b));
        wan.counts()
    })
}

fn sftp(s: &Sandbox, push: bool) -> f64 {
    let d = Sshd::start();
    let flags = vec!["--key-file".into(), d.path("id_ed25519").display().to_string(), "--host-key".into(), d.fingerprint()];
    per_file(|n| {
        let name = format!("t{n}");
        let (src, dst) = if push { ("up", "srv") } else { ("srv", "down") };
        s.tree(&format!("{src}/{name}"), n, 1, 1000);
        let wan = Wan::start(d.port, RTT_MS, false);
        let remote = format!("sftp://{}@127.0.0.2:{}/{}/", d.user, wan.port, s.path(&format!("srv/{name}")).display());
        let local = s.p(&format!("{}/{name}/", if push { "up" } else { "down" }));
        let (from, to) = if push { (local.as_str(), remote.as_str()) } else { (remote.as_str(), local.as_str()) };
        s.run_with(&["mirror", "-P", "1", from, to], &flags, &[]).expect(0);
        assert_eq!(files_under(&s.path(&format!("{src}/{name}"))), files_under(&s.path(&format!("{dst}/{name}"))));
        wan.counts()
    })
}

#[test]
fn ftp_round_trips_per_file() {
    let s = Sandbox::new();
    let (push, pull) = (ftp(&s, true), ftp(&s, false));
    eprintln!("FTP round trips per file: push {push:.2}, pull {pull:.2}");
    assert!(push <= 5.0, "FTP push costs {push:.2} round trips per file");
    assert!(pull <= 3.25, "FTP pull costs {pull:.2} round trips per file");
}

#[test]
fn sftp_round_trips_per_file() {
    let s = Sandbox::new();
    let (push, pull) = (sftp(&s, true), sftp(&s, false));
    eprintln!("SFTP round trips per file: push {push:.2}, pull {pull:.2}");
    assert!(push <= 3.0, "SFTP push costs {push:.2} round trips per file");
    assert!(pull <= 2.25, "SFTP pull costs {pull:.2} round trips per file");
}
