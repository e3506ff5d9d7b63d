//! get, put (files, trees, stdin), cat, ls, stat, mkdir, rm, mv on local paths.

use crate::support::{Sandbox, files_under, sha256_hex};
use std::io::Write;
use std::process::Stdio;

#[test]
fn get_and_put_single_files_follow_the_trailing_slash_rule() {
    let s = Sandbox::new();
    s.write("remote/inv.edi", b"UNA:+.? '");
    std::fs::create_dir_all(s.path("inbox")).unwrap();
    // Existing local directory: the name is appended (as cp and scp do).
    s.run(&["get", "remote/inv.edi", "inbox"]).expect(0);
    assert_eq!(s.read("inbox/inv.edi"), b"UNA:+.? '");
    // No slash, not a directory: the destination is the new name.
    s.run(&["get", "remote/inv.edi", "renamed.edi"]).expect(0);
    assert_eq!(s.read("renamed.edi"), b"UNA:+.? '");
    // Trailing slash on a missing directory: created, name appended.
    s.run(&["put", "renamed.edi", "out/new/"]).expect(0);
    assert_eq!(s.read("out/new/renamed.edi"), b"UNA:+.? '");
    // No partial files are left behind.
    assert_eq!(files_under(&s.path("out")), ["new/renamed.edi"]);
    // The mtime is preserved.
    let a = std::fs::metadata(s.path("remote/inv.edi")).unwrap().modified().unwrap();
    let b = std::fs::metadata(s.path("inbox/inv.edi")).unwrap().modified().unwrap();
    assert_eq!(a, b);
}

#[test]
fn put_trees_and_multiple_sources() {
    let s = Sandbox::new();
    s.tree("dist", 20, 4, 64);
    s.write("notes.txt", b"n");
    // Without -r a directory is refused.
    let r = s.run(&["put", "dist", "rel/"]).expect(2);
    assert!(r.stderr.contains("use -r"), "{}", r.stderr);
    s.run(&["put", "-r", "dist", "rel/1.4/"]).expect(0);
    assert_eq!(files_under(&s.path("rel/1.4/dist")).len(), 20);
    s.run(&["put", "-r", "dist", "notes.txt", "multi"]).expect(0);
    assert_eq!(files_under(&s.path("multi")).len(), 21);
    // --delete is for mirror only.
    s.run(&["put", "-r", "dist", "rel/", "--delete"]).expect(2);
}

#[test]
fn put_stdin_and_cat() {
    let s = Sandbox::new();
    let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let mut child = s.cmd(&["put", "-", "up/stream.bin"]).stdin(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(&data).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(sha256_hex(&s.read("up/stream.bin")), sha256_hex(&data));
    assert_eq!(files_under(&s.path("up")), ["stream.bin"]);
    let out = s.cmd(&["cat", "up/stream.bin"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, data);
    s.run(&["put", "-", "up/"]).expect(2);
    s.run(&["cat", "up/missing"]).expect(4);
    // Staged: written in the staging directory, renamed into place, nothing left behind.
    std::fs::create_dir_all(s.path("stage")).unwrap();
    let mut child =
        s.cmd(&["put", "-", "up2/stream.bin", "--staging-dir", "stage"]).stdin(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(&data).unwrap();
    assert!(child.wait().unwrap().success());
    assert!(s.read("up2/stream.bin") == data);
    assert_eq!(files_under(&s.path("stage")), Vec::<String>::new());
}

#[test]
fn ls_stat_json_shapes() {
    let s = Sandbox::new();
    s.write("d/a.txt", b"hello");
    s.write("d/sub/b.txt", b"x");
    let r = s.run(&["ls", "d"]).expect(0);
    assert_eq!(r.stdout, "a.txt\nsub\n");
    let r = s.run(&["ls", "-R", "--json", "d"]).expect(0);
    let v = r.json();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 3);
    assert_eq!(arr[0]["path"], "a.txt");
    assert_eq!(arr[0]["type"], "file");
    assert_eq!(arr[0]["size"], 5);
    assert!(chrono::DateTime::parse_from_rfc3339(arr[0]["mtime"].as_str().unwrap()).is_ok());
    assert_eq!(arr[1]["type"], "dir");
    assert_eq!(arr[2]["path"], "sub/b.txt");
    let r = s.run(&["ls", "-l", "d"]).expect(0);
    assert!(r.stdout.lines().next().unwrap().starts_with("-            5 "), "{}", r.stdout);
    let r = s.run(&["stat", "--json", "--checksum", "d/a.txt"]).expect(0);
    let v = r.json();
    assert_eq!(v["name"], "a.txt");
    assert_eq!(v["size"], 5);
    assert_eq!(v["hash"]["sha256"], sha256_hex(b"hello"));
    s.run(&["stat", "d/nope"]).expect(4);
    s.run(&["ls", "nope"]).expect(4);
}

#[test]
fn mkdir_rm_mv() {
    let s = Sandbox::new();
    s.run(&["mkdir", "a/b/c"]).expect(1);
    s.run(&["mkdir", "-p", "a/b/c"]).expect(0);
    s.run(&["mkdir", "-p", "a/b/c"]).expect(0);
    s.run(&["mkdir", "a/b/c"]).expect(1);
    s.run(&["mkdir", "a/d"]).expect(0);
    s.write("a/b/c/f.txt", b"f");
    s.write("a/x.txt", b"x");
    s.write("a/y.txt", b"y");
    let r = s.run(&["mv", "a/x.txt", "a/y.txt"]).expect(1);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(s.read("a/y.txt"), b"y");
    s.run(&["mv", "--force", "a/x.txt", "a/y.txt"]).expect(0);
    assert_eq!(s.read("a/y.txt"), b"x");
    s.run(&["mv", "a/y.txt", "a/d/"]).expect(0);
    assert_eq!(s.read("a/d/y.txt"), b"x");
    s.run(&["mv", "a/nope", "a/z"]).expect(4);
    let r = s.run(&["rm", "a/b"]).expect(2);
    assert!(r.stderr.contains("use -r"), "{}", r.stderr);
    s.run(&["rm", "-r", "a/b"]).expect(0);
    assert!(!s.exists("a/b"));
    s.run(&["rm", "a/d/y.txt"]).expect(0);
    assert!(!s.exists("a/d/y.txt"));
    s.run(&["rm", "a/d/y.txt"]).expect(4);
}

#[test]
fn error_on_no_transfer_exits_9() {
    let s = Sandbox::new();
    s.tree("src", 3, 1, 10);
    s.run(&["mirror", "src", "dst", "--error-on-no-transfer"]).expect(0);
    s.run(&["mirror", "src", "dst", "--error-on-no-transfer"]).expect(9);
}

#[test]
fn verify_and_inplace_and_custom_temp_names() {
    let s = Sandbox::new();
    s.tree("src", 10, 2, 1000);
    s.run(&["mirror", "src", "a", "--verify"]).expect(0);
    s.run(&["mirror", "src", "b", "--inplace"]).expect(0);
    s.run(&["mirror", "src", "c", "--temp-name", "{name}.part"]).expect(0);
    for d in ["a", "b", "c"] {
        assert_eq!(files_under(&s.path(d)), files_under(&s.path("src")));
    }
    let r = s.run(&["mirror", "src", "d", "--temp-name", "fixed"]).expect(2);
    assert!(r.stderr.contains("{name}"), "{}", r.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let s = Sandbox::new();
    s.run(&["frobnicate"]).expect(2);
    s.run(&["mirror", "onlyone"]).expect(2);
    s.run(&["mirror", "a", "b", "--bwlimit", "fast"]).expect(2);
    s.run(&["get", "gopher://h/x"]).expect(2);
    s.run(&["--version"]).expect(0);
    s.run(&["get", "ftp://127.0.0.1:1/x", "--tls", "sometimes"]).expect(2);
    let r = s.run(&["get", "sftp://127.0.0.1:1/x", "--ascii"]).expect(2);
    assert!(r.stderr.contains("--ascii applies to FTP"), "{}", r.stderr);
}

#[test]
fn check_exit_codes_tell_differences_from_could_not_compare() {
    let s = Sandbox::new();
    s.write("a/x.txt", b"same");
    s.write("b/x.txt", b"same");
    // The same mtime on both sides, so only content and names can differ.
    let m = std::fs::metadata(s.path("a/x.txt")).unwrap().modified().unwrap();
    std::fs::File::options().write(true).open(s.path("b/x.txt")).unwrap().set_modified(m).unwrap();
    s.run(&["check", "--checksum", "a", "b"]).expect(0);
    // A refused entry is not a difference: nothing else differs, so exit 11, naming it.
    s.write("a/bad\x1bname.txt", b"?");
    let r = s.run(&["check", "a", "b"]).expect(11);
    assert!(r.stderr.contains("refused entry") && r.stdout.is_empty(), "{}", r.stderr);
    // A real difference still exits 1, refusal or not.
    s.write("a/y.txt", b"only here");
    s.run(&["check", "a", "b"]).expect(1);
    // A missing side is 4, a bad flag 2.
    s.run(&["check", "nope", "b"]).expect(4);
    s.run(&["check", "--checksum", "--bogus", "a", "b"]).expect(2);
}
