//! The backend contract: named cases at the `Backend` trait level, each gated by the backend's
//! `Capabilities`, run against every backend ferry ships — local, vsftpd (plain and FTPS),
//! OpenSSH sshd, `ferry serve ftp` and `ferry serve sftp`. One test per case and backend, so a
//! failure names both. The servers start once per test run and are shared; each case works in
//! its own directory below the server's root, and checks what it did on the server's disk.

use crate::conformance::Remote;
use crate::support::{Sandbox, sha256_hex};
use clap::Parser;
use ferry::backend::{self, Backend, WriteMode};
use ferry::error::ErrorKind;
use ferry::model::{Kind, RelPath};
use std::any::Any;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

/// A backend's server, started once: where its root is on disk, and how to open a backend on
/// a directory below it.
struct Server {
    root: PathBuf,
    /// URL of the root (empty for local).
    base: String,
    flags: Vec<String>,
}

/// Servers live until the test binary exits; `atexit` stops them (a static is never dropped).
fn keep(what: Box<dyn Any + Send>) {
    static KEPT: OnceLock<Mutex<Vec<Box<dyn Any + Send>>>> = OnceLock::new();
    extern "C" fn stop_all() {
        if let Some(k) = KEPT.get() {
            k.lock().unwrap_or_else(|e| e.into_inner()).clear();
        }
    }
    let first = KEPT.get().is_none();
    KEPT.get_or_init(Default::default).lock().unwrap().push(what);
    if first {
        unsafe {
            libc::atexit(stop_all);
        }
    }
}

fn remote(make: impl FnOnce(&Sandbox) -> Remote) -> Server {
    let s = Sandbox::new();
    let r = make(&s);
    let server = Server { root: r.root.clone(), base: r.base.clone(), flags: r.flags.clone() };
    keep(Box::new(r));
    keep(Box::new(s.dir));
    server
}

fn server(name: &str) -> &'static Server {
    macro_rules! once {
        ($make:expr) => {{
            static S: OnceLock<Server> = OnceLock::new();
            S.get_or_init(|| $make)
        }};
    }
    match name {
        "local" => once!({
            let s = Sandbox::new();
            let root = s.path("root");
            std::fs::create_dir_all(&root).unwrap();
            keep(Box::new(s.dir));
            Server { root, base: String::new(), flags: vec![] }
        }),
        "vsftpd" => once!(remote(|_| Remote::vsftpd(Default::default()))),
        "vsftpd_tls" => once!(remote(|_| Remote::vsftpd(crate::support::vsftpd::Options { tls: true, ..Default::default() }))),
        "sshd" => once!(remote(Remote::sshd)),
        "serve_ftp" => once!(remote(|s| Remote::served_ftp(s, false))),
        "serve_sftp" => once!(remote(Remote::served)),
        other => panic!("no backend {other}"),
    }
}

/// One case's view of a backend: the backend rooted at the case's directory, and that
/// directory on disk.
struct Case {
    backend: Option<Arc<dyn Backend>>,
    disk: PathBuf,
    rt: tokio::runtime::Runtime,
}

impl Case {
    fn new(backend: &str, case: &str) -> Case {
        let srv = server(backend);
        let disk = srv.root.join(format!("contract-{case}"));
        std::fs::create_dir_all(&disk).unwrap();
        make_writable(&disk);
        let url =
            if srv.base.is_empty() { disk.display().to_string() } else { format!("{}/contract-{case}/", srv.base.trim_end_matches('/')) };
        // The connection flags go through the CLI's own parser, as a user's would.
        let mut argv = vec!["ferry".to_string(), "ls".into(), url.clone()];
        argv.extend(srv.flags.iter().cloned());
        let cli = ferry::cli::Cli::try_parse_from(&argv).unwrap_or_else(|e| panic!("flags {argv:?}: {e}"));
        let ferry::cli::Command::Ls { conn, .. } = cli.command else { unreachable!() };
        let mut opts = ferry::cmd::conn_options(&conn).unwrap();
        opts.faults.retry_delay = std::time::Duration::from_millis(50);
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let ep = ferry::endpoint::Endpoint::parse(&url, &Default::default()).unwrap();
        let b = rt.block_on(backend::open(&ep, &opts)).unwrap_or_else(|e| panic!("open {url}: {e}"));
        Case { backend: Some(b), disk, rt }
    }

    fn b(&self) -> &Arc<dyn Backend> {
        self.backend.as_ref().expect("open until dropped")
    }

    fn on<T>(&self, f: impl std::future::Future<Output = T>) -> T {
        self.rt.block_on(f)
    }

    fn disk(&self, rel: &str) -> PathBuf {
        self.disk.join(rel)
    }

    fn put_disk(&self, rel: &str, data: &[u8]) {
        let p = self.disk(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let mut dir = p.parent().unwrap();
        while dir.starts_with(&self.disk) {
            make_writable(dir);
            dir = dir.parent().unwrap();
        }
        std::fs::write(&p, data).unwrap();
        make_writable(&p);
    }

    fn write(&self, rel: &str, data: &[u8], mode: WriteMode) {
        self.on(async {
            let mut w = self.b().write(&p(rel), mode).await.unwrap_or_else(|e| panic!("write {rel}: {e}"));
            for chunk in data.chunks(256 * 1024) {
                w.write_all(chunk).await.unwrap();
            }
            w.finish(None).await.unwrap();
        })
    }

    fn read(&self, rel: &str, offset: u64) -> Vec<u8> {
        self.on(async {
            let mut r = self.b().read(&p(rel), offset, None).await.unwrap_or_else(|e| panic!("read {rel}: {e}"));
            let mut out = vec![];
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = r.read(&mut buf).await.unwrap();
                if n == 0 {
                    return out;
                }
                out.extend_from_slice(&buf[..n]);
                buf.resize(64 * 1024, 0);
            }
        })
    }

    fn names(&self, dir: &str) -> Vec<(String, Kind)> {
        let mut v: Vec<(String, Kind)> = self
            .on(self.b().list_dir(&p(dir)))
            .unwrap()
            .into_iter()
            .map(|e| (e.name.unwrap_or_else(|u| format!("<unusable {}>", u.shown)), e.kind))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    fn kind_of<T: std::fmt::Debug>(r: ferry::error::Result<T>) -> ErrorKind {
        r.expect_err("an error").kind
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        // A backend closes its sessions on drop, which needs the runtime it was made in.
        let _in = self.rt.enter();
        self.backend.take();
    }
}

fn p(rel: &str) -> RelPath {
    RelPath::parse(rel).unwrap()
}

/// Servers that log in as another user (vsftpd's anonymous `ftp`) must be able to write.
fn make_writable(p: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = if p.is_dir() { 0o777 } else { 0o666 };
    let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
}

// ---- the cases ---------------------------------------------------------------------------

fn list_and_stat(c: &Case) {
    c.put_disk("a.txt", b"alpha");
    c.put_disk("sub/b.txt", b"bravo!");
    assert_eq!(c.names(""), [("a.txt".to_string(), Kind::File), ("sub".to_string(), Kind::Dir)]);
    let e = c.on(c.b().stat(&p("sub/b.txt"))).unwrap();
    assert_eq!((e.kind, e.size), (Kind::File, 6));
    assert!(e.mtime.is_some(), "a file's mtime is reported");
    assert!(c.on(c.b().stat(&RelPath::root())).unwrap().is_dir(), "the root is a directory");
    assert_eq!(Case::kind_of(c.on(c.b().stat(&p("nope.txt")))), ErrorKind::NotFound);
    assert_eq!(Case::kind_of(c.on(c.b().list_dir(&p("nope")))), ErrorKind::NotFound);
}

fn read_ranges(c: &Case) {
    let data: Vec<u8> = (0..1_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    c.put_disk("big.bin", &data);
    assert!(c.read("big.bin", 0) == data, "the whole file");
    assert!(c.read("big.bin", 300_001) == data[300_001..], "from an offset");
    assert_eq!(c.read("big.bin", data.len() as u64), b"", "reading from the end gives nothing");
    // A missing file fails when it is opened or, at the latest, at the first read.
    let missing = c.on(async {
        let mut r = c.b().read(&p("missing.bin"), 0, None).await?;
        r.read(&mut vec![0u8; 1024]).await
    });
    assert_eq!(Case::kind_of(missing), ErrorKind::NotFound);
}

fn write_then_rename(c: &Case) {
    c.write("f.tmp", b"payload", WriteMode::Truncate);
    assert_eq!(std::fs::read(c.disk("f.tmp")).unwrap(), b"payload");
    c.on(c.b().rename(&p("f.tmp"), &p("f.txt"))).unwrap();
    assert_eq!(std::fs::read(c.disk("f.txt")).unwrap(), b"payload");
    assert!(!c.disk("f.tmp").exists());
    // Truncate really truncates.
    c.write("f.txt", b"pay", WriteMode::Truncate);
    assert_eq!(std::fs::read(c.disk("f.txt")).unwrap(), b"pay");
}

fn rename_over_existing(c: &Case) {
    c.put_disk("old.txt", b"old contents, longer");
    c.put_disk("new.tmp", b"new");
    c.on(c.b().rename(&p("new.tmp"), &p("old.txt"))).unwrap();
    assert_eq!(std::fs::read(c.disk("old.txt")).unwrap(), b"new", "rename replaces the target");
    assert!(!c.disk("new.tmp").exists());
}

fn mkdir_p(c: &Case) {
    c.on(c.b().mkdir_all(&p("x/y/z"))).unwrap();
    assert!(c.disk("x/y/z").is_dir());
    c.on(c.b().mkdir_all(&p("x/y"))).expect("an existing directory is success");
    c.put_disk("file", b"f");
    assert_eq!(Case::kind_of(c.on(c.b().mkdir_all(&p("file/sub")))), ErrorKind::AlreadyExists, "a file in the way");
}

fn remove(c: &Case) {
    c.put_disk("d/keep.txt", b"k");
    assert_eq!(Case::kind_of(c.on(c.b().remove_dir(&p("d")))), ErrorKind::NotEmpty);
    assert!(c.disk("d/keep.txt").exists());
    c.on(c.b().remove_file(&p("d/keep.txt"))).unwrap();
    c.on(c.b().remove_dir(&p("d"))).unwrap();
    assert!(!c.disk("d").exists());
    assert_eq!(Case::kind_of(c.on(c.b().remove_file(&p("gone.txt")))), ErrorKind::NotFound);
}

fn set_mtime(c: &Case) {
    if !c.b().capabilities().set_mtime {
        return;
    }
    c.put_disk("m.txt", b"m");
    let when = chrono::DateTime::parse_from_rfc3339("2024-02-29T12:34:56Z").unwrap().with_timezone(&chrono::Utc);
    // An FTP server shows which command sets times only when asked: a backend may learn that it
    // cannot, and from then on says so.
    if let Err(e) = c.on(c.b().set_mtime(&p("m.txt"), when)) {
        assert_eq!(e.kind, ErrorKind::Unsupported, "{e}");
        assert!(!c.b().capabilities().set_mtime, "after learning it cannot, the backend says so");
        return;
    }
    let on_disk: chrono::DateTime<chrono::Utc> = std::fs::metadata(c.disk("m.txt")).unwrap().modified().unwrap().into();
    assert_eq!(on_disk, when);
    assert_eq!(c.on(c.b().stat(&p("m.txt"))).unwrap().mtime, Some(when), "stat reports what was set");
}

fn hash(c: &Case) {
    if !c.b().capabilities().hash_sha256 {
        return;
    }
    c.put_disk("h.bin", b"hash me");
    // "May hash" (an SFTP server's command is found on first use): an answer, or a server that
    // has none — after which the capability says so.
    match c.on(ferry::backend::hash::on_server(&**c.b(), &p("h.bin"))).unwrap() {
        Some(h) => assert_eq!(h, sha256_hex(b"hash me")),
        None => assert!(!c.b().capabilities().hash_sha256, "no hash, yet the capability still offers one"),
    }
}

fn append(c: &Case) {
    if !c.b().capabilities().append {
        return;
    }
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    c.put_disk("r.bin", &data[..80_000]);
    c.write("r.bin", &data[80_000..], WriteMode::Append(80_000));
    assert!(std::fs::read(c.disk("r.bin")).unwrap() == data, "continued after the first 80,000 bytes");
    // A partial longer than the resume point is cut back, or refused where the storage cannot
    // cut a file (never appended to, which would corrupt it).
    c.put_disk("long.bin", &[&data[..80_000], b"stale tail".as_slice()].concat());
    let r = c.on(async {
        let mut w = c.b().write(&p("long.bin"), WriteMode::Append(80_000)).await?;
        w.write_all(&data[80_000..]).await?;
        w.finish(None).await
    });
    let got = std::fs::read(c.disk("long.bin")).unwrap();
    match r {
        Ok(_) => assert!(got == data, "cut back to 80,000 bytes and continued"),
        Err(e) => {
            assert_eq!(e.kind, ErrorKind::Unsupported, "{e}");
            assert_eq!(got.len(), 80_010, "a refused append leaves the partial as it was");
        }
    }
}

fn empty_files(c: &Case) {
    c.write("empty", b"", WriteMode::Truncate);
    assert_eq!(std::fs::metadata(c.disk("empty")).unwrap().len(), 0);
    assert_eq!(c.on(c.b().stat(&p("empty"))).unwrap().size, 0);
    assert_eq!(c.read("empty", 0), b"");
}

fn large_files(c: &Case) {
    let data: Vec<u8> = (0..(12u32 << 20)).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    c.write("large.bin", &data, WriteMode::Truncate);
    assert_eq!(sha256_hex(&std::fs::read(c.disk("large.bin")).unwrap()), sha256_hex(&data));
    assert_eq!(sha256_hex(&c.read("large.bin", 0)), sha256_hex(&data));
}

fn utf8_names(c: &Case) {
    let names = ["Übersicht 2026.csv", "заказ-№7.edi", "請求書.xml", "emoji-📦.txt"];
    for n in names {
        c.write(n, n.as_bytes(), WriteMode::Truncate);
    }
    for n in names {
        assert_eq!(std::fs::read(c.disk(n)).unwrap(), n.as_bytes(), "{n} on disk under its own name");
        assert_eq!(c.read(n, 0), n.as_bytes());
    }
    let mut want: Vec<(String, Kind)> = names.iter().map(|n| (n.to_string(), Kind::File)).collect();
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(c.names(""), want);
}

fn awkward_names(c: &Case) {
    // Legal names that trip naive quoting: spaces, a leading dash, %, #, brackets, quotes.
    let names = ["with space.txt", "-leading-dash", "100% done#1.txt", "[bracket]{brace}.txt", "it's \"quoted\""];
    for n in names {
        c.write(n, b"x", WriteMode::Truncate);
        assert!(c.disk(n).exists(), "{n:?} written under its own name");
    }
    let listed: Vec<String> = c.names("").into_iter().map(|(n, _)| n).collect();
    for n in names {
        assert!(listed.iter().any(|l| l == n), "{n:?} listed as itself: {listed:?}");
    }
    // A name ferry refuses (a backslash) is reported as the storage has it, never as another
    // usable name, so the scan can refuse it by name.
    c.put_disk("back\\slash", b"b");
    let listed: Vec<String> = c.names("").into_iter().map(|(n, _)| n).collect();
    assert!(listed.iter().any(|l| l == "back\\slash" || l.starts_with("<unusable")), "{listed:?}");
    assert!(!listed.iter().any(|l| l == "backslash" || l == "back" || l == "slash"), "{listed:?}");
}

macro_rules! contract {
    ([$($backend:ident),*] $cases:tt) => {
        $( contract!(@one $backend $cases); )*
    };
    (@one $backend:ident [$($case:ident),* $(,)?]) => {
        mod $backend {
            $(
                #[test]
                fn $case() {
                    let c = super::Case::new(stringify!($backend), stringify!($case));
                    super::$case(&c);
                }
            )*
        }
    };
}

contract!(
    [local, vsftpd, vsftpd_tls, sshd, serve_ftp, serve_sftp]
    [
        list_and_stat,
        read_ranges,
        write_then_rename,
        rename_over_existing,
        mkdir_p,
        remove,
        set_mtime,
        hash,
        append,
        empty_files,
        large_files,
        utf8_names,
        awkward_names,
    ]
);
