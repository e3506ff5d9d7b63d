//! A real PostgreSQL for the shared-ledger tests: Debian's server binaries, a cluster made by
//! `initdb` (as the `postgres` user when the tests run as root, since initdb refuses root) in a
//! temporary directory, listening on 127.0.0.1 at a port chosen at run time. `shared()` is one
//! server per test-binary run with a fresh database per call of `db()`; `Pg::start()` makes a
//! private one for tests that stop and restart it. A missing PostgreSQL fails, never skips.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub struct Pg {
    pub dir: PathBuf,
    pub port: u16,
    bin: PathBuf,
}

/// The role whose logins need a password (scram-sha-256); every other role is trusted.
pub const PW_USER: &str = "pwuser";
pub const PW: &str = "s3cret-ledger-pw";

fn bin_dir() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").exists())
        .collect();
    found.sort();
    found.pop().expect("PostgreSQL server binaries not found under /usr/lib/postgresql (scripts/test.sh installs `postgresql`)")
}

fn as_postgres(bin: &Path, tool: &str) -> Command {
    if unsafe { libc::geteuid() } == 0 {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    }
}

#[track_caller]
fn ok(c: &mut Command) -> String {
    let o = c.output().unwrap_or_else(|e| panic!("{c:?}: {e}"));
    assert!(o.status.success(), "{c:?} failed:\n{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

static SHARED: OnceLock<Pg> = OnceLock::new();

extern "C" fn stop_shared() {
    if let Some(pg) = SHARED.get() {
        pg.stop();
        let _ = std::fs::remove_dir_all(&pg.dir);
    }
}

/// The test binary's one PostgreSQL, started on first use and stopped when the binary exits.
pub fn shared() -> &'static Pg {
    SHARED.get_or_init(|| {
        let pg = Pg::start();
        unsafe { libc::atexit(stop_shared) };
        pg
    })
}

impl Pg {
    /// A new cluster, started. Its directory is removed when the value drops.
    pub fn start() -> Pg {
        let bin = bin_dir();
        let dir = tempfile::Builder::new().prefix("ferry-pg-").tempdir().unwrap().keep();
        if unsafe { libc::geteuid() } == 0 {
            ok(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir));
        }
        let data = dir.join("data");
        ok(as_postgres(&bin, "initdb").args(["-D"]).arg(&data).args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]));
        std::fs::write(
            data.join("pg_hba.conf"),
            format!("host all {PW_USER} 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\nlocal all all trust\n"),
        )
        .unwrap();
        let pg = Pg { dir, port: free_port(), bin };
        pg.start_again();
        pg.sql("postgres", &format!("CREATE ROLE {PW_USER} LOGIN SUPERUSER PASSWORD '{PW}'"));
        pg
    }

    /// Start the (stopped) server again, on the same port. `fsync=off` only skips flushing the
    /// OS's cache, which an immediate stop keeps; commits stay synchronous, so no committed row
    /// is lost when a test stops the server.
    pub fn start_again(&self) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
            self.port,
            self.dir.display()
        );
        ok(as_postgres(&self.bin, "pg_ctl")
            .args(["-D"])
            .arg(self.dir.join("data"))
            .args(["-l"])
            .arg(self.dir.join("log"))
            .args(["-w", "-t", "30", "-o", &opts, "start"]));
    }

    /// Stop the server at once (connections are cut, as when its host dies).
    pub fn stop(&self) {
        let _ = as_postgres(&self.bin, "pg_ctl").args(["-D"]).arg(self.dir.join("data")).args(["-m", "immediate", "-w", "stop"]).output();
    }

    /// Freeze (`SIGSTOP`) or thaw (`SIGCONT`) the server and all its processes: a database that
    /// accepts connections in the kernel but answers nothing, as a hung host does.
    pub fn signal_all(&self, sig: i32) {
        let pid = std::fs::read_to_string(self.dir.join("data/postmaster.pid")).unwrap();
        let pid: i32 = pid.lines().next().unwrap().trim().parse().unwrap();
        let children = Command::new("pgrep").args(["-P", &pid.to_string()]).output().unwrap();
        for c in String::from_utf8_lossy(&children.stdout).split_whitespace() {
            unsafe { libc::kill(c.parse().unwrap(), sig) };
        }
        unsafe { libc::kill(pid, sig) };
    }

    /// Run one SQL statement in `db` as the superuser; its output, unaligned.
    pub fn sql(&self, db: &str, sql: &str) -> String {
        ok(Command::new(self.bin.join("psql")).args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "-d", db, "-XAtq", "-c", sql]))
    }

    /// A fresh, empty database; its `postgresql://` URL (trusted, no password).
    pub fn db(&self) -> String {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let name = format!("t{}_{}", std::process::id(), N.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
        self.sql("postgres", &format!("CREATE DATABASE {name}"));
        format!("postgresql://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// The database name at the end of `url`.
    pub fn name_of(url: &str) -> &str {
        url.rsplit('/').next().unwrap().split('?').next().unwrap()
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
