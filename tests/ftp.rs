//! The FTP backend against real vsftpd on 127.0.0.1 — plain FTP and explicit FTPS with
//! `require_ssl_reuse=YES` under TLS 1.2 and TLS 1.3 — plus mirrors of a 2,000-file tree.

use crate::conformance::{Remote, conformance, mirror_2000, resume_both_ways, ten_each_way, tree_at};
use crate::support::vsftpd::Options;
use crate::support::{Sandbox, files_under};

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
fn ftp_conformance_against_ferry_serve_ftp() {
    let s = Sandbox::new();
    let r = Remote::served_ftp(&s, false);
    conformance(&s, &r);
    ten_each_way(&s, &r);
    // A no-op mirror onto ferry's server rewrites nothing: SITE UTIME kept the mtimes.
    let out = r.run(&s, &["mirror", "ten", &r.url("ten"), "--json"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["files"], 0, "{}", out.stdout);
}

#[test]
fn ftpes_conformance_against_ferry_serve_ftp() {
    let s = Sandbox::new();
    let r = Remote::served_ftp(&s, true);
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

#[test]
fn ftp_mirror_pull_and_push_2000_files_against_vsftpd() {
    let s = Sandbox::new();
    let r = Remote::vsftpd(Options::default());
    mirror_2000(&s, &r);
}

#[test]
fn ftp_resume_continues_a_half_download_and_a_half_upload() {
    let s = Sandbox::new();
    let r = Remote::vsftpd(Options::default());
    resume_both_ways(&s, &r);
}

#[test]
fn active_mode_and_ascii_transfers_against_vsftpd() {
    let s = Sandbox::new();
    let r = Remote::vsftpd(Options::default());
    // Active mode (EPRT/PORT): vsftpd connects back to ferry.
    s.write("act/x.bin", &[0u8, 13, 10, 255, 10]);
    r.run(&s, &["put", "--active", "act/x.bin", &r.url("act/")]).expect(0);
    r.run(&s, &["get", "--active", &r.url("act/x.bin"), "act-back/"]).expect(0);
    assert_eq!(s.read("act-back/x.bin"), [0u8, 13, 10, 255, 10], "binary by default: bytes unchanged");
    // TYPE A: LF becomes CRLF on the way up (vsftpd stores what it receives), and back.
    s.write("txt/a.txt", b"line 1\nline 2\n");
    r.run(&s, &["put", "--ascii", "txt/a.txt", &r.url("txt/")]).expect(0);
    assert_eq!(std::fs::read(r.root.join("txt/a.txt")).unwrap(), b"line 1\r\nline 2\r\n");
    r.run(&s, &["get", "--ascii", &r.url("txt/a.txt"), "txt-back/"]).expect(0);
    assert_eq!(s.read("txt-back/a.txt"), b"line 1\nline 2\n");
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

mod fake {
    //! Faults and hostile servers, scripted: each case asserts the exit code and that nothing
    //! outside the target directory changed.

    use crate::support::fakeftp::{FakeFtp, Script};
    use crate::support::{Run, Sandbox, files_under};

    fn unix_line(kind: char, size: usize, name: &[u8]) -> Vec<u8> {
        let mut l = format!("{kind}rw-r--r--    1 1000     1000     {size:>8} Jan 01  2026 ").into_bytes();
        l.extend_from_slice(name);
        l
    }

    fn run(s: &Sandbox, srv: &FakeFtp, args: &[&str]) -> Run {
        s.run_with(args, &srv.flags(), &[("FAKE_FTP_PW", "pw")])
    }

    /// Everything in the sandbox outside `dst/`, for "nothing else changed" checks.
    fn outside(s: &Sandbox) -> Vec<String> {
        files_under(s.dir.path()).into_iter().filter(|p| !p.starts_with("dst/")).collect()
    }

    fn script(names: &[(&[u8], &[u8])]) -> Script {
        let mut sc = Script { feat: vec!["EPSV".into(), "SIZE".into(), "MDTM".into()], ..Default::default() };
        sc.listings.insert("/out".into(), names.iter().map(|(n, d)| unix_line('-', d.len(), n)).collect());
        for (n, d) in names {
            sc.files.insert(format!("/out/{}", String::from_utf8_lossy(n)), d.to_vec());
        }
        sc
    }

    #[test]
    fn a_server_that_renames_only_within_a_directory_refuses_staging_before_anything_moves() {
        let s = Sandbox::new();
        let mut sc = script(&[]);
        sc.listings.insert("/in".into(), vec![]);
        sc.listings.insert("/stage".into(), vec![]);
        sc.no_cross_dir_rename = true;
        let srv = FakeFtp::start(sc);
        s.write("up/a.edi", b"AAAA");
        let r = run(&s, &srv, &["put", "up/a.edi", &srv.url("/in/"), "--staging-dir", "/stage"]).expect(2);
        assert!(r.stderr.contains("does not rename a file written there into another directory"), "{}", r.stderr);
        assert!(srv.uploads.lock().unwrap().keys().all(|k| !k.contains("a.edi")), "nothing of a.edi was sent");
        // doctor says the same, and a dry run does not probe.
        let d = run(&s, &srv, &["doctor", "--json", &srv.url("/in/"), "--staging-dir", "/stage"]).expect(2).json();
        assert_eq!(d["staging"]["rename_across_directories"], false, "{d}");
        run(&s, &srv, &["put", "up/a.edi", &srv.url("/in/"), "--staging-dir", "/stage", "--dry-run"]).expect(0);
    }

    #[test]
    fn list_only_unix_and_dos_servers_mirror_correctly() {
        let s = Sandbox::new();
        let srv = FakeFtp::start(script(&[(b"a.edi", b"AAAA"), (b"with space.txt", b"spaced")]));
        run(&s, &srv, &["mirror", &srv.url("/out"), "dst"]).expect(0);
        assert_eq!(s.read("dst/a.edi"), b"AAAA");
        assert_eq!(s.read("dst/with space.txt"), b"spaced");
        assert!(srv.log.lock().unwrap().iter().any(|l| l == "LIST -a"), "a UNIX server is listed with LIST -a");

        let mut dos = Script { syst: Some("Windows_NT".into()), feat: vec!["SIZE".into()], ..Default::default() };
        dos.listings.insert(
            "/win".into(),
            vec![b"11-20-26  03:31PM                    5 INV 1.TXT".to_vec(), b"11-20-26  03:32PM       <DIR>          sub".to_vec()],
        );
        dos.listings.insert("/win/sub".into(), vec![b"11-21-26  10:00AM                2,048 deep.bin".to_vec()]);
        dos.files.insert("/win/INV 1.TXT".into(), b"hello".to_vec());
        dos.files.insert("/win/sub/deep.bin".into(), vec![7u8; 2048]);
        let srv = FakeFtp::start(dos);
        run(&s, &srv, &["mirror", &srv.url("/win"), "dst/win"]).expect(0);
        assert_eq!(s.read("dst/win/INV 1.TXT"), b"hello");
        assert_eq!(s.read("dst/win/sub/deep.bin"), vec![7u8; 2048]);
        assert!(srv.log.lock().unwrap().iter().any(|l| l == "LIST"), "a Windows server gets a plain LIST");
    }

    #[test]
    fn a_227_naming_another_host_is_ignored() {
        let s = Sandbox::new();
        let mut sc = script(&[(b"x.bin", b"payload")]);
        sc.no_epsv = true;
        // A non-routable address: following it would hang or fail.
        sc.pasv_host = Some([10, 255, 255, 1]);
        let srv = FakeFtp::start(sc);
        let before = outside(&s);
        run(&s, &srv, &["get", &srv.url("/out/x.bin"), "dst/"]).expect(0);
        assert_eq!(s.read("dst/x.bin"), b"payload");
        assert!(srv.log.lock().unwrap().iter().any(|l| l == "PASV"), "fell back from EPSV to PASV");
        assert_eq!(outside(&s), before);
    }

    #[test]
    fn sessions_beyond_the_servers_limit_shrink_the_pool() {
        let s = Sandbox::new();
        let files: Vec<(Vec<u8>, Vec<u8>)> = (0..12).map(|i| (format!("f{i}.dat").into_bytes(), vec![i as u8; 3000])).collect();
        let refs: Vec<(&[u8], &[u8])> = files.iter().map(|(a, b)| (a.as_slice(), b.as_slice())).collect();
        let mut sc = script(&refs);
        sc.max_sessions = Some(1);
        let srv = FakeFtp::start(sc);
        let out = run(&s, &srv, &["mirror", &srv.url("/out"), "dst", "--connections", "4", "-P", "4"]).expect(0);
        assert!(out.stderr.contains("421"), "{}", out.stderr);
        assert_eq!(files_under(&s.path("dst")).len(), 12);
    }

    #[test]
    fn a_server_that_drops_commands_sent_back_to_back_is_served_one_at_a_time_and_remembered() {
        let s = Sandbox::new();
        let sc = Script { drops_pipelined: true, ..script(&[]) };
        let srv = FakeFtp::start(sc);
        s.write("up/a.edi", b"first");
        s.write("up/b.edi", b"second");
        let flags = ["--timeout", "2s", "--retry-delay", "10ms", "-P", "1"];
        let url = srv.url("/in");
        let mut args = vec!["put", "-r", "up", &url];
        args.extend(flags);
        let out = run(&s, &srv, &args).expect(0);
        let up = srv.uploads.lock().unwrap().clone();
        assert_eq!(up.keys().cloned().collect::<Vec<_>>(), ["/in/a.edi", "/in/b.edi"], "{}", out.stderr);
        assert_eq!(up["/in/a.edi"], b"first");
        // The pair was tried once; the rest of the run and the next run send one at a time.
        let pairs = |log: &[String]| log.windows(2).filter(|w| w[0].starts_with("RNFR") && w[1].starts_with("RNTO")).count();
        let renames = |log: &[String]| log.iter().filter(|l| l.starts_with("RNFR")).count();
        let log = srv.log.lock().unwrap().clone();
        assert_eq!(renames(&log), 3, "one lost pair, then one rename per file: {log:?}");
        assert_eq!(pairs(&log), 2, "{log:?}");
        srv.log.lock().unwrap().clear();
        s.write("up/c.edi", b"third");
        let started = std::time::Instant::now();
        run(&s, &srv, &args).expect(0);
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "no second wait for a lost command");
        assert!(srv.uploads.lock().unwrap().contains_key("/in/c.edi"));
    }

    #[test]
    fn a_426_mid_download_is_retried_and_never_lands_half_a_file() {
        let s = Sandbox::new();
        let data = vec![9u8; 100_000];
        let mut sc = script(&[(b"big.bin", &data)]);
        sc.fail_retr = 1;
        let srv = FakeFtp::start(sc);
        run(&s, &srv, &["get", &srv.url("/out/big.bin"), "dst/", "--retry-delay", "10ms"]).expect(0);
        assert_eq!(s.read("dst/big.bin"), data);

        let mut sc = script(&[(b"big.bin", &data)]);
        sc.fail_retr = 100;
        let srv = FakeFtp::start(sc);
        let before = outside(&s);
        let out = run(&s, &srv, &["get", &srv.url("/out/big.bin"), "dst2/", "--retries", "1", "--retry-delay", "10ms"]).expect(1);
        assert!(out.stderr.contains("426"), "{}", out.stderr);
        assert!(!s.exists("dst2/big.bin"), "no partial under the final name");
        assert_eq!(outside(&s).into_iter().filter(|p| !p.starts_with("dst2/")).collect::<Vec<_>>(), before);
    }

    #[test]
    fn more_bytes_than_listed_fails_the_file() {
        let s = Sandbox::new();
        let mut sc = script(&[(b"a.txt", b"0123456789")]);
        sc.extra_bytes = 500;
        let srv = FakeFtp::start(sc);
        // A size mismatch after the transfer: exit 7, nothing renamed into place.
        let out = run(&s, &srv, &["mirror", &srv.url("/out"), "dst", "--retries", "0"]).expect(7);
        assert!(out.stderr.contains("more than"), "{}", out.stderr);
        assert!(!s.exists("dst/a.txt"));
    }

    #[test]
    fn a_garbled_listing_line_is_one_refusal_and_the_rest_transfers() {
        let s = Sandbox::new();
        s.write("dst/stale.txt", b"old");
        // A name holding a line feed splits its LIST line in two; a giant line of junk follows.
        let mut sc = script(&[(b"good.txt", b"fine")]);
        let lines = sc.listings.get_mut("/out").unwrap();
        lines.push(b"-rw-r--r--   1 ftp ftp  5 Jan 01 12:00 split".to_vec());
        lines.push(b"name.txt".to_vec());
        lines.push(vec![b'x'; 200_000]);
        let srv = FakeFtp::start(sc);
        let out = run(&s, &srv, &["mirror", "--delete", &srv.url("/out"), "dst"]).expect(1);
        assert_eq!(s.read("dst/good.txt"), b"fine", "the rest of the directory transferred");
        assert!(s.exists("dst/stale.txt"), "a refusal blocks deletes");
        let refused: Vec<&str> =
            out.stderr.lines().filter(|l| l.contains("refused entry") && l.contains("unreadable listing line")).collect();
        assert_eq!(refused.len(), 2, "{}", out.stderr);
        assert!(out.stderr.len() < 10_000, "messages are bounded ({} bytes)", out.stderr.len());
        let out = run(&s, &srv, &["ls", &srv.url("/out")]).expect(1);
        assert!(out.stdout.contains("good.txt"), "{}", out.stdout);
    }

    #[test]
    fn bare_cr_line_ends_are_lines_not_one_giant_name() {
        let s = Sandbox::new();
        let mut sc = script(&[(b"a.txt", b"AAAA"), (b"b.txt", b"BB")]);
        // Both entries in one "line" joined by bare CRs, as some servers send them.
        let lines = sc.listings.get_mut("/out").unwrap();
        let joined = [lines[0].clone(), lines[1].clone()].join(&b'\r');
        *lines = vec![joined];
        let srv = FakeFtp::start(sc);
        run(&s, &srv, &["mirror", &srv.url("/out"), "dst"]).expect(0);
        assert_eq!(s.read("dst/a.txt"), b"AAAA");
        assert_eq!(s.read("dst/b.txt"), b"BB");
    }

    #[test]
    fn hostile_names_are_refused_one_by_one_and_nothing_escapes() {
        let s = Sandbox::new();
        s.write("victim.txt", b"keep me");
        let mut sc = script(&[(b"good.txt", b"fine")]);
        let hostile: [&[u8]; 6] = [b"..", b"a/b", b"/etc/x", b"cr\rname", b"esc\x1b[31mred", b"../victim.txt"];
        let lines = sc.listings.get_mut("/out").unwrap();
        for h in hostile {
            lines.push(unix_line('-', 4, h));
        }
        let srv = FakeFtp::start(sc);
        let before = outside(&s);
        let out = run(&s, &srv, &["mirror", &srv.url("/out"), "dst"]).expect(1);
        assert_eq!(s.read("dst/good.txt"), b"fine", "the good file still transfers");
        assert_eq!(files_under(&s.path("dst")), ["good.txt"]);
        assert_eq!(outside(&s), before);
        assert_eq!(s.read("victim.txt"), b"keep me");
        assert!(out.stderr.contains("a/b"), "each refused entry is named: {}", out.stderr);
    }

    #[test]
    fn non_utf8_names_are_refused_unless_an_encoding_is_given() {
        let s = Sandbox::new();
        let mut sc = script(&[(b"ok.txt", b"ok")]);
        sc.listings.get_mut("/out").unwrap().push(unix_line('-', 3, b"caf\xe9.txt"));
        // The server stores names as Latin-1 bytes; the fake keys files by their lossy text.
        sc.files.insert("/out/caf\u{fffd}.txt".into(), b"abc".to_vec());
        sc.files.insert("/out/café.txt".into(), b"abc".to_vec());
        let srv = FakeFtp::start(sc);
        let out = run(&s, &srv, &["mirror", &srv.url("/out"), "dst"]).expect(1);
        assert!(out.stderr.contains("UTF-8") || out.stderr.contains("caf"), "{}", out.stderr);
        assert_eq!(files_under(&s.path("dst")), ["ok.txt"]);
        run(&s, &srv, &["mirror", &srv.url("/out"), "dst", "--encoding", "latin1"]).expect(0);
        assert_eq!(s.read("dst/café.txt"), b"abc");
    }

    #[test]
    fn a_server_that_cannot_set_mtimes_is_compared_by_size_on_later_runs() {
        let s = Sandbox::new();
        s.write("up/a.txt", b"aaa");
        s.write("up/b.txt", b"bbbb");
        let mut sc = Script { feat: vec!["EPSV".into(), "SIZE".into(), "MDTM".into()], ..Default::default() };
        // Same sizes as the local files, other mtimes (the server could not keep ours).
        sc.listings.insert("/in".into(), vec![]);
        sc.listings.insert("/in/up".into(), vec![unix_line('-', 3, b"a.txt"), unix_line('-', 4, b"b.txt")]);
        let srv = FakeFtp::start(sc);
        let out = run(&s, &srv, &["put", "-r", "up", &srv.url("/in/"), "--json"]).expect(0);
        assert_eq!(out.json()["report"]["summary"]["files"], 2, "mtimes differ: both are sent");
        assert_eq!(out.stderr.matches("cannot set modification times").count(), 1, "one warning per run: {}", out.stderr);
        assert!(srv.log.lock().unwrap().iter().any(|l| l.starts_with("SITE UTIME")), "the fallbacks were tried");
        // The profile now says "none": the next run does not try again.
        let profile = std::fs::read_to_string(s.path(".state/ferry/servers").join(format!("ftp-127.0.0.1-{}.json", srv.port))).unwrap();
        assert!(profile.contains("\"mtime\": \"none\""), "{profile}");
        srv.log.lock().unwrap().clear();
        let out = run(&s, &srv, &["put", "-r", "up", &srv.url("/in/"), "--json"]).expect(0);
        assert_eq!(out.json()["report"]["summary"]["files"], 0, "same sizes: nothing to send when mtimes cannot be kept");
        assert!(!srv.log.lock().unwrap().iter().any(|l| l.starts_with("SITE") || l.starts_with("MFMT")), "no probing once known");
    }

    #[test]
    fn list_times_in_the_servers_zone_are_detected_from_mdtm() {
        let s = Sandbox::new();
        let mut sc = script(&[]);
        // LIST says 14:00 (server local time, UTC+2); MDTM says 12:00 UTC.
        sc.listings.insert("/tz".into(), vec![b"-rw-r--r--    1 1000     1000            5 Jan 01 14:00 a.txt".to_vec()]);
        sc.files.insert("/tz/a.txt".into(), b"hello".to_vec());
        sc.feat.push("MDTM".into());
        sc.mdtm = Some("20260101120000".into());
        let srv = FakeFtp::start(sc);
        let out = run(&s, &srv, &["ls", "--json", &srv.url("/tz")]).expect(0);
        assert_eq!(out.json()[0]["mtime"], "2026-01-01T12:00:00Z", "{}", out.stdout);
        // Measured again by the next session (a server on local time changes its offset with DST).
        let before = srv.log.lock().unwrap().iter().filter(|l| l.starts_with("MDTM")).count();
        run(&s, &srv, &["ls", "--json", &srv.url("/tz")]).expect(0);
        assert_eq!(srv.log.lock().unwrap().iter().filter(|l| l.starts_with("MDTM")).count(), before + 1);
        // --timezone overrides.
        let out = run(&s, &srv, &["ls", "--json", &srv.url("/tz"), "--timezone", "+01:00"]).expect(0);
        assert_eq!(out.json()[0]["mtime"], "2026-01-01T13:00:00Z");
        // A named zone: January in Berlin is UTC+1.
        let out = run(&s, &srv, &["ls", "--json", &srv.url("/tz"), "--timezone", "Europe/Berlin"]).expect(0);
        assert_eq!(out.json()[0]["mtime"], "2026-01-01T13:00:00Z");
        let r = run(&s, &srv, &["ls", &srv.url("/tz"), "--timezone", "Mars/Olympus"]).expect(2);
        assert!(r.stderr.contains("Mars/Olympus"), "{}", r.stderr);
    }

    #[test]
    fn xsha256_gives_checksums_without_downloading() {
        let s = Sandbox::new();
        let mut sc = script(&[(b"a.txt", b"checked")]);
        sc.feat.push("XSHA256".into());
        let srv = FakeFtp::start(sc);
        let out = run(&s, &srv, &["stat", "--json", "--checksum", &srv.url("/out/a.txt")]).expect(0);
        assert_eq!(out.json()["hash"]["sha256"], crate::support::sha256_hex(b"checked"), "{}", out.stdout);
        let log = srv.log.lock().unwrap();
        assert!(log.iter().any(|l| l == "XSHA256 /out/a.txt") && !log.iter().any(|l| l.starts_with("RETR")), "{log:?}");
    }

    #[test]
    fn cr_lf_never_reach_the_control_channel() {
        let s = Sandbox::new();
        let srv = FakeFtp::start(script(&[(b"a.txt", b"a")]));
        let out = run(&s, &srv, &["ls", &srv.url("/out"), "--user", "bob\r\nDELE x"]).expect(2);
        assert!(out.stderr.contains("CR or LF"), "{}", out.stderr);
        assert!(!srv.log.lock().unwrap().iter().any(|l| l.starts_with("DELE")));
    }
}

#[test]
fn doctor_profiles_vsftpd_ferry_serve_and_unreachable_servers() {
    let s = Sandbox::new();
    let r = Remote::vsftpd(Options { tls: true, max_per_ip: Some(3), ..Default::default() });
    let j = r.run(&s, &["doctor", "--json", &r.url("")]).expect(0).json();
    assert_eq!(j["reachable"], true);
    assert!(j["connect_ms"].is_u64() && j["login_ms"].is_u64() && j["noop_ms"].is_number(), "{j}");
    let f = &j["ftp"];
    assert_eq!(f["mlsd"], false);
    assert_eq!(f["mtime_set"], "MDTM (verified)", "{j}");
    assert_eq!(f["rename_over_existing"], true);
    assert_eq!(f["tls_session_reuse_required"], true, "{j}");
    assert_eq!(f["list_offset_minutes"], 0);
    assert_eq!(f["max_connections"], 3, "{j}");
    assert!(files_under(&r.root).is_empty(), "the scratch files are removed: {:?}", files_under(&r.root));
    // What doctor learned is kept for later runs.
    let servers = s.path(".state/ferry/servers");
    let profile = std::fs::read_to_string(std::fs::read_dir(&servers).unwrap().next().unwrap().unwrap().path()).unwrap();
    assert!(profile.contains("\"max_connections\": 3") && profile.contains("\"mtime\": \"MDTM\""), "{profile}");
    let text = r.run(&s, &["doctor", &r.url("")]).expect(0).stdout;
    assert!(text.contains("TLS session reuse required: yes") && text.contains("set mtime: MDTM (verified)"), "{text}");

    let served = Remote::served_ftp(&s, false);
    let j = served.run(&s, &["doctor", "--json", &served.url("")]).expect(0).json();
    assert_eq!(j["ftp"]["mlsd"], true);
    assert_eq!(j["ftp"]["mtime_set"], "SITE UTIME (verified)", "{j}");

    let port = crate::support::sshd::free_port();
    let out = s.run(&["doctor", "--json", &format!("ftp://127.0.0.1:{port}/")]).expect(3);
    assert_eq!(out.json()["reachable"], false);
    assert!(out.json()["error"].as_str().unwrap().contains("cannot connect"));
}

#[test]
fn serve_ftp_passive_port_range_and_bad_options() {
    let s = Sandbox::new();
    s.write("served/a.txt", b"in range");
    let port = crate::support::sshd::free_port();
    // A range of one port still serves transfers (one at a time).
    let mut child = s
        .cmd(&[
            "serve",
            "ftp",
            "served",
            "--addr",
            "127.0.0.1:0",
            "--user",
            "u",
            "--password-env",
            "PW",
            "--passive-ports",
            &format!("{port}-{port}"),
        ])
        .env("PW", "pw")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    use std::io::BufRead;
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split_whitespace().nth(1).unwrap().to_string();
    let url = format!("ftp://u@{addr}/a.txt");
    s.run_env(&["get", &url, "got/", "--password-env", "PW"], &[("PW", "pw")]).expect(0);
    assert_eq!(s.read("got/a.txt"), b"in range");
    let _ = child.kill();
    let _ = child.wait();
    // Bad input: one clear line, exit 2, nothing served.
    let r = s
        .run_env(&["serve", "ftp", "served", "--user", "u", "--password-env", "PW", "--passive-ports", "9000-100"], &[("PW", "pw")])
        .expect(2);
    assert!(r.stderr.contains("--passive-ports"), "{}", r.stderr);
    let r = s.run_env(&["serve", "ftp", "nope", "--user", "u", "--password-env", "PW"], &[("PW", "pw")]).expect(2);
    assert!(r.stderr.contains("not a directory"), "{}", r.stderr);
    let r = s.run(&["serve", "ftp", "served", "--user", "u", "--password-env", "UNSET_PW_VAR"]).expect(2);
    assert!(r.stderr.contains("UNSET_PW_VAR"), "{}", r.stderr);
}

/// A self-signed certificate made the way server guides say (`openssl req -x509`: CA:TRUE, the
/// host only in the CN) is trusted through `--ca-file` when it is itself in the file, or
/// pinned with `--tls-fingerprint`; a refusal prints the fingerprint to pin.
#[test]
fn self_signed_ca_true_certificates_via_ca_file_or_fingerprint() {
    use crate::support::serve::ServedFtp;
    let s = Sandbox::new();
    let certs = tempfile::tempdir().unwrap();
    let ok = std::process::Command::new("openssl")
        .args(["req", "-x509", "-nodes", "-newkey", "rsa:2048", "-days", "2", "-subj", "/CN=ftp.example.com", "-keyout"])
        .arg(certs.path().join("key.pem"))
        .arg("-out")
        .arg(certs.path().join("cert.pem"))
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success());
    let cert = certs.path().join("cert.pem").display().to_string();
    let out = std::process::Command::new("openssl").args(["x509", "-noout", "-fingerprint", "-sha256", "-in", &cert]).output().unwrap();
    // "sha256 Fingerprint=AB:CD:…"
    let fp = String::from_utf8(out.stdout).unwrap().trim().rsplit('=').next().unwrap().to_string();
    std::fs::create_dir_all(s.path("remote")).unwrap();
    std::fs::write(s.path("remote/a.txt"), b"a").unwrap();
    let srv = ServedFtp::start_with_cert(&s.path("remote"), certs);
    let url = srv.url();
    let pw = ["--password-file".to_string(), s.p("pw")];
    std::fs::write(s.path("pw"), "s3cret\n").unwrap();
    let canonical = format!("SHA256:{}", fp.replace(':', "").to_ascii_lowercase());

    let r = s.run_with(&["ls", &url], &pw, &[]).expect(3);
    assert!(r.stderr.contains(&canonical) && r.stderr.contains("--tls-fingerprint"), "{}", r.stderr);
    let r = s.run_with(&["ls", &url, "--ca-file", &cert], &pw, &[]).expect(0);
    assert_eq!(r.stdout, "a.txt\n");
    let r = s.run_with(&["ls", &url, "--tls-fingerprint", &fp], &pw, &[]).expect(0);
    assert_eq!(r.stdout, "a.txt\n");
    let wrong = format!("SHA256:{}", "0".repeat(64));
    let r = s.run_with(&["ls", &url, "--tls-fingerprint", &wrong], &pw, &[]).expect(3);
    assert!(r.stderr.contains("does not match the pinned"), "{}", r.stderr);
    s.run_with(&["ls", &url, "--tls-fingerprint", "SHA256:nope"], &pw, &[]).expect(2);
    // doctor prints the fingerprint to copy.
    let j = s.run_with(&["doctor", "--json", &url, "--tls-fingerprint", &fp], &pw, &[]).expect(0).json();
    assert_eq!(j["ftp"]["tls_fingerprint"], canonical.as_str(), "{j}");
}

#[test]
fn ftp_continues_a_half_file_left_under_the_final_name_both_ways() {
    const MIB: usize = 1 << 20;
    let s = Sandbox::new();
    let r = Remote::vsftpd(Options::default());
    let data: Vec<u8> = (0..6 * MIB as u32).map(|i| (i.wrapping_mul(2654435761) >> 11) as u8).collect();
    std::fs::write(r.root.join("big.bin"), &data).unwrap();
    // Commands on the wire, to see the REST.
    let wire = [("FERRY_LOG", "suppaftp=trace,ferry=info")];
    s.write("dl/big.bin", &data[..3 * MIB]);
    let plan = r.run(&s, &["get", "-c", &r.url("big.bin"), "dl/big.bin", "--dry-run"]).expect(0);
    assert!(plan.stdout.contains("resume from 3145728 (existing file"), "{}", plan.stdout);
    let out = s.run_with(&["get", "-c", &r.url("big.bin"), "dl/big.bin", "--verify", "--json"], &r.flags, &wire).expect(0);
    assert!(
        out.stderr.contains("REST 3145728"),
        "REST on the wire: {}",
        out.stderr.lines().filter(|l| l.contains("REST") || l.contains("RETR")).collect::<Vec<_>>().join("\n")
    );
    assert_eq!(out.json()["report"]["summary"]["bytes"], 3 * MIB);
    assert!(s.read("dl/big.bin") == data);
    assert_eq!(files_under(&s.path("dl")), ["big.bin"]);

    // Upload onto the first third under the final name on the server.
    std::fs::create_dir_all(r.root.join("up")).unwrap();
    std::fs::write(r.root.join("up/big.bin"), &data[..2 * MIB]).unwrap();
    crate::support::vsftpd::chown_ftp(&r.root);
    let out = s.run_with(&["put", "-c", "dl/big.bin", &r.url("up/"), "--verify", "--json"], &r.flags, &wire).expect(0);
    assert!(out.stderr.contains("REST 2097152") || out.stderr.contains("APPE"), "appended on the wire: {}", out.stderr);
    assert_eq!(out.json()["report"]["summary"]["bytes"], 4 * MIB);
    assert!(std::fs::read(r.root.join("up/big.bin")).unwrap() == data);
    assert_eq!(files_under(&r.root.join("up")), ["big.bin"]);

    // Longer than the source: replaced from zero.
    let mut longer = data.clone();
    longer.extend_from_slice(b"tail");
    std::fs::write(r.root.join("up/big.bin"), &longer).unwrap();
    crate::support::vsftpd::chown_ftp(&r.root);
    let out = r.run(&s, &["put", "-c", "dl/big.bin", &r.url("up/"), "--json"]).expect(0);
    assert_eq!(out.json()["report"]["summary"]["bytes"], 6 * MIB);
    assert!(std::fs::read(r.root.join("up/big.bin")).unwrap() == data);
}

#[test]
fn ftp_check_checksum_reads_files_through_when_the_server_cannot_hash() {
    let s = Sandbox::new();
    let r = Remote::vsftpd(Options::default());
    tree_at(&r.root.join("t"), 6, 2, 3000);
    r.run(&s, &["get", "-r", &r.url("t"), "copy"]).expect(0);
    let victim = files_under(&s.path("copy"))[4].clone();
    let p = s.path("copy").join(&victim);
    let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
    let mut body = std::fs::read(&p).unwrap();
    body[10] ^= 0x20;
    std::fs::write(&p, &body).unwrap();
    std::fs::File::options().write(true).open(&p).unwrap().set_modified(mtime).unwrap();
    r.run(&s, &["check", &r.url("t"), "copy"]).expect(0);
    let out = r.run(&s, &["check", "--checksum", &r.url("t"), "copy"]).expect(1);
    assert_eq!(out.stdout.lines().collect::<Vec<_>>(), [format!("differs  {victim}  (changed (checksum))")], "{}", out.stdout);
    // vsftpd has no HASH: ferry says once that it reads the files through.
    assert_eq!(out.stderr.matches("hashing files by reading them through the connection").count(), 1, "{}", out.stderr);
    // compare: checksum in a mirror copies the changed file back.
    let j = r.run(&s, &["mirror", "--checksum", &r.url("t"), "copy", "--json"]).expect(0).json();
    assert_eq!(j["report"]["summary"]["files"], 1);
    r.run(&s, &["check", "--checksum", &r.url("t"), "copy"]).expect(0);
    r.run(&s, &["check", "--checksum", &r.url("missing"), "copy"]).expect(4);
}

#[test]
fn ftp_staged_upload_shows_only_complete_files_against_vsftpd() {
    let s = Sandbox::new();
    let r = Remote::vsftpd(Options::default());
    crate::conformance::staged_upload(&s, &r);
}
