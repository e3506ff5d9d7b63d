//! mirror/get/put of trees on local folders: idempotence, single changes, deletes, resume.

use crate::support::{Sandbox, files_under, sha256_hex};
use std::time::Duration;

#[test]
fn mirror_2000_files_then_noop_then_one_change() {
    let s = Sandbox::new();
    let files = s.tree("src", 2000, 20, 4096);
    let r = s.run(&["mirror", "src", "dst", "--json"]).expect(0);
    let report = &r.json()["report"];
    assert_eq!(report["summary"]["files"], 2000);
    assert_eq!(report["summary"]["bytes"], 2000 * 4096);
    assert_eq!(files_under(&s.path("dst")), files_under(&s.path("src")));
    for f in files.iter().step_by(97) {
        assert_eq!(s.read(f), s.read(&f.replacen("src", "dst", 1)));
    }

    // A second run rewrites nothing: same inodes, nothing transferred.
    let inodes: Vec<u64> = files.iter().map(|f| s.inode(&f.replacen("src", "dst", 1))).collect();
    let r = s.run(&["mirror", "src", "dst", "--json"]).expect(0);
    assert_eq!(r.json()["report"]["summary"]["files"], 0);
    assert_eq!(r.json()["report"]["summary"]["skipped"], 2000);
    let after: Vec<u64> = files.iter().map(|f| s.inode(&f.replacen("src", "dst", 1))).collect();
    assert_eq!(inodes, after, "a no-op mirror must not rewrite files");

    // Change one file: exactly one transfer.
    s.write("src/d07/f00007.dat", b"changed content");
    let r = s.run(&["mirror", "src", "dst", "--json"]).expect(0);
    let j = r.json();
    assert_eq!(j["report"]["summary"]["files"], 1);
    let copies: Vec<_> = j["plan"]["actions"].as_array().unwrap().iter().filter(|a| a["action"] == "copy").collect();
    assert_eq!(copies.len(), 1);
    assert_eq!(copies[0]["dst"], "d07/f00007.dat");
    assert_eq!(s.read("dst/d07/f00007.dat"), b"changed content");
}

#[test]
fn delete_only_with_flag_and_max_delete_stops_everything() {
    let s = Sandbox::new();
    s.tree("src", 10, 2, 100);
    s.run(&["mirror", "src", "dst"]).expect(0);
    for i in 0..3 {
        s.write(&format!("dst/extra{i}.txt"), b"old");
    }
    // Without --delete, extras stay.
    s.run(&["mirror", "src", "dst"]).expect(0);
    assert!(s.exists("dst/extra0.txt"));

    // --max-delete below the plan's deletes: exit 6 and nothing changes, not even new copies.
    s.write("src/new.txt", b"new");
    let r = s.run(&["mirror", "src", "dst", "--delete", "--max-delete", "2"]).expect(6);
    assert!(r.stderr.contains("more than --max-delete 2"), "{}", r.stderr);
    assert!(s.exists("dst/extra0.txt") && s.exists("dst/extra2.txt"));
    assert!(!s.exists("dst/new.txt"), "a safety stop changes nothing");

    // Within the limit: deletes happen after the copies.
    let r = s.run(&["mirror", "src", "dst", "--delete", "--max-delete", "3", "--json"]).expect(0);
    assert_eq!(r.json()["report"]["summary"]["deleted"], 3);
    assert!(!s.exists("dst/extra0.txt"));
    assert!(s.exists("dst/new.txt"));
    assert_eq!(files_under(&s.path("dst")), files_under(&s.path("src")));
}

#[test]
fn empty_source_with_delete_is_a_safety_stop() {
    let s = Sandbox::new();
    std::fs::create_dir_all(s.path("empty")).unwrap();
    s.tree("dst", 5, 1, 10);
    let r = s.run(&["mirror", "empty", "dst", "--delete"]).expect(6);
    assert!(r.stderr.contains("source listing is empty"), "{}", r.stderr);
    assert_eq!(files_under(&s.path("dst")).len(), 5);
    // Asked for by name, it proceeds.
    s.run(&["mirror", "empty", "dst", "--delete", "--delete-empty-source"]).expect(0);
    assert_eq!(files_under(&s.path("dst")).len(), 0);
}

#[test]
fn missing_source_exits_4() {
    let s = Sandbox::new();
    let r = s.run(&["mirror", "nope", "dst"]).expect(4);
    assert!(r.stderr.contains("nope"), "{}", r.stderr);
    s.run(&["get", "nope.txt", "x"]).expect(4);
    assert!(!s.exists("dst") && !s.exists("x"));
}

#[test]
fn deletes_are_skipped_when_a_transfer_fails() {
    let s = Sandbox::new();
    s.write("src/ok.txt", b"ok");
    s.write("src/blocked/file.txt", b"data");
    s.write("dst/stale.txt", b"stale");
    // A file where the source has a directory: that entry fails, so no delete may run.
    s.write("dst/blocked", b"i am a file");
    let r = s.run(&["mirror", "src", "dst", "--delete"]).expect(1);
    assert!(r.stderr.contains("blocked"), "{}", r.stderr);
    assert!(s.exists("dst/stale.txt"), "deletes run only after every transfer succeeded");
    assert_eq!(s.read("dst/ok.txt"), b"ok");
}

#[test]
fn filters_select_and_prune() {
    let s = Sandbox::new();
    s.write("src/a.edi", b"1");
    s.write("src/a.tmp", b"2");
    s.write("src/sub/b.edi", b"3");
    s.write("src/tmp/c.edi", b"4");
    s.write("src/.hidden.edi", b"5");
    s.write("rules.txt", b"# keep edi only\n- *\n+ *.edi\n");
    s.run(&["mirror", "src", "dst", "--filter-from", "rules.txt", "--exclude", ".*", "--exclude", "tmp"]).expect(0);
    // Filter-file rules come last and win; --exclude tmp prunes the directory.
    assert_eq!(files_under(&s.path("dst")), [".hidden.edi", "a.edi", "sub/b.edi", "tmp/c.edi"]);
    let s2 = Sandbox::new();
    s2.write("src/a.edi", b"1");
    s2.write("src/a.tmp", b"2");
    s2.write("src/tmp/c.edi", b"4");
    s2.run(&["mirror", "src", "dst", "--include", "*.edi", "--exclude", "tmp"]).expect(0);
    assert_eq!(files_under(&s2.path("dst")), ["a.edi"]);
    let r = s2.run(&["mirror", "src", "dst", "--include", "a["]).expect(2);
    assert!(r.stderr.contains("\"a[\""), "{}", r.stderr);
    let r = s2.run(&["mirror", "src", "dst", "--exclude", ""]).expect(2);
    assert!(r.stderr.contains("empty pattern"), "{}", r.stderr);
    s2.run(&["mirror", "src", "dst", "--min-age", "soon"]).expect(2);
}

#[test]
fn sigint_mid_transfer_exits_130_and_resume_completes() {
    let s = Sandbox::new();
    let data: Vec<u8> = (0..8 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    s.write("big.bin", &data);
    let mut child = s.cmd(&["get", "big.bin", "out/", "--bwlimit", "2MiB/s"]).spawn().unwrap();
    // Wait until the partial file has some bytes, then interrupt.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let partial = loop {
        let found = std::fs::read_dir(s.path("out"))
            .ok()
            .and_then(|rd| rd.filter_map(|e| e.ok()).find(|e| e.file_name().to_string_lossy().ends_with(".part")).map(|e| e.path()));
        if let Some(p) = found
            && std::fs::metadata(&p).map(|m| m.len() > 1024 * 1024).unwrap_or(false)
        {
            break p;
        }
        assert!(std::time::Instant::now() < deadline, "no partial file appeared");
        std::thread::sleep(Duration::from_millis(50));
    };
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(!s.exists("out/big.bin"), "no partial under the final name");
    let kept = std::fs::metadata(&partial).expect("partial kept for resume").len();
    assert!(kept > 0 && kept < data.len() as u64);

    let r = s.run(&["get", "-c", "big.bin", "out/", "--json", "--verify"]).expect(0);
    let j = r.json();
    assert_eq!(j["plan"]["actions"][0]["resume_from"], kept, "resumed from the partial");
    assert_eq!(j["report"]["summary"]["bytes"], data.len() as u64 - kept, "only the rest was copied");
    assert_eq!(sha256_hex(&s.read("out/big.bin")), sha256_hex(&data));
    assert_eq!(j["report"]["outcomes"][0]["sha256"], sha256_hex(&data));
    assert!(!partial.exists(), "the partial was renamed into place");
}

#[test]
fn sigterm_exits_143() {
    let s = Sandbox::new();
    s.write("big.bin", &vec![7u8; 4 * 1024 * 1024]);
    let mut child = s.cmd(&["get", "big.bin", "out/", "--bwlimit", "1MiB/s"]).spawn().unwrap();
    // Signal only once the transfer is under way (its partial file exists), as a slow machine
    // may still be starting the process after any fixed sleep.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while files_under(&s.path("out")).is_empty() {
        assert!(std::time::Instant::now() < deadline, "the transfer never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    assert_eq!(child.wait().unwrap().code(), Some(143));
    assert!(!s.exists("out/big.bin"), "no partial under the final name");
}

#[test]
fn a_changed_source_never_resumes_onto_stale_bytes() {
    let s = Sandbox::new();
    s.write("src/f.bin", &vec![1u8; 100_000]);
    // A partial from another version of the file (a different fingerprint) sits in the target.
    s.write("dst/f.bin.00000000.part", &vec![9u8; 50_000]);
    s.run(&["mirror", "src", "dst"]).expect(0);
    assert_eq!(s.read("dst/f.bin"), vec![1u8; 100_000]);
}

#[test]
fn checksum_compare_and_update_and_ignore_existing() {
    let s = Sandbox::new();
    s.write("src/a.txt", b"same");
    s.write("src/b.txt", b"AAAA");
    s.run(&["mirror", "src", "dst"]).expect(0);
    // Same size, different content, same mtime: only --checksum notices.
    s.write("dst/b.txt", b"BBBB");
    let m = std::fs::metadata(s.path("src/b.txt")).unwrap().modified().unwrap();
    std::fs::File::options().write(true).open(s.path("dst/b.txt")).unwrap().set_modified(m).unwrap();
    let r = s.run(&["mirror", "src", "dst", "--json"]).expect(0);
    assert_eq!(r.json()["report"]["summary"]["files"], 0);
    let r = s.run(&["mirror", "src", "dst", "--checksum", "--json"]).expect(0);
    assert_eq!(r.json()["report"]["summary"]["files"], 1);
    assert_eq!(s.read("dst/b.txt"), b"AAAA");

    s.write("dst/a.txt", b"newer on target");
    s.run(&["mirror", "src", "dst", "--update"]).expect(0);
    assert_eq!(s.read("dst/a.txt"), b"newer on target");
    s.run(&["mirror", "src", "dst", "--ignore-existing"]).expect(0);
    assert_eq!(s.read("dst/a.txt"), b"newer on target");
    s.run(&["mirror", "src", "dst"]).expect(0);
    assert_eq!(s.read("dst/a.txt"), b"same");
}

#[test]
fn on_exists_modes() {
    let s = Sandbox::new();
    s.write("a.txt", b"new version");
    s.write("out/a.txt", b"old");
    let r = s.run(&["put", "a.txt", "out/a.txt", "--on-exists", "fail"]).expect(1);
    assert!(r.stderr.contains("exists and differs"), "{}", r.stderr);
    assert_eq!(s.read("out/a.txt"), b"old");
    s.run(&["put", "a.txt", "out/a.txt", "--on-exists", "rename-existing"]).expect(0);
    assert_eq!(s.read("out/a.txt"), b"new version");
    let kept: Vec<_> = files_under(&s.path("out")).into_iter().filter(|f| f.starts_with("a.txt.")).collect();
    assert_eq!(kept.len(), 1, "old version kept aside");
    assert_eq!(s.read(&format!("out/{}", kept[0])), b"old");
}

#[test]
fn dry_run_changes_nothing() {
    let s = Sandbox::new();
    s.tree("src", 5, 1, 10);
    s.write("dst/extra", b"x");
    let r = s.run(&["mirror", "src", "dst", "--delete", "-n"]).expect(0);
    assert!(r.stdout.contains("copy") && r.stdout.contains("delete   extra"), "{}", r.stdout);
    assert_eq!(files_under(&s.path("dst")), ["extra"]);
}

#[test]
fn remove_source_files_and_move_to_act_only_after_delivery() {
    let s = Sandbox::new();
    s.write("out/a.txt", b"a");
    s.write("out/sub/b.txt", b"b");
    s.write("dst/sub/b.txt", b"b");
    let m = std::fs::metadata(s.path("out/sub/b.txt")).unwrap().modified().unwrap();
    std::fs::File::options().write(true).open(s.path("dst/sub/b.txt")).unwrap().set_modified(m).unwrap();
    // b is already identical at the target: it is settled (removed) without a transfer.
    let r = s.run(&["mirror", "out", "dst", "--remove-source-files", "--json"]).expect(0);
    assert_eq!(r.json()["report"]["summary"]["files"], 1);
    assert_eq!(files_under(&s.path("out")), Vec::<String>::new());
    assert_eq!(files_under(&s.path("dst")), ["a.txt", "sub/b.txt"]);
    // --move-to archives the source instead (relative paths are local to the working directory).
    s.write("out2/c.txt", b"c");
    s.run(&["put", "out2/c.txt", "up/", "--move-to", "archive/{yyyy}/"]).expect(0);
    let year = chrono::Local::now().format("%Y").to_string();
    assert_eq!(files_under(&s.path(&format!("archive/{year}"))), ["c.txt"]);
    assert_eq!(s.read("up/c.txt"), b"c");
    s.run(&["put", "up/c.txt", "x/", "--move-to", "a/{week}/"]).expect(2);
}

#[test]
fn stable_for_leaves_files_that_are_still_being_written() {
    let s = Sandbox::new();
    s.write("src/done.edi", b"complete");
    s.write("src/growing.edi", b"part");
    s.write("dst/growing.edi", b"an older copy");
    let child = s
        .cmd(&["mirror", "src", "dst", "--stable-for", "1500ms", "--delete", "--json"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The partner is still writing one file while ferry watches.
    std::thread::sleep(Duration::from_millis(500));
    let mut f = std::fs::OpenOptions::new().append(true).open(s.path("src/growing.edi")).unwrap();
    std::io::Write::write_all(&mut f, b" and more").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["report"]["summary"]["files"], 1);
    let skips = j["plan"]["skips"].as_array().unwrap();
    assert!(skips.iter().any(|k| k["path"] == "growing.edi" && k["reason"] == "still_changing"), "{skips:?}");
    assert_eq!(s.read("dst/done.edi"), b"complete");
    assert_eq!(s.read("dst/growing.edi"), b"an older copy", "neither copied nor deleted");
    // Next run, it is stable and goes.
    s.run(&["mirror", "src", "dst", "--stable-for", "200ms"]).expect(0);
    assert_eq!(s.read("dst/growing.edi"), b"part and more");
}
