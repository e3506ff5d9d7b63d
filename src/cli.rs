//! Command-line definitions (clap). The man page and shell completions are generated from these.
//! No I/O here.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "ferry",
    version,
    about = "Move files between local folders and FTP, FTPS and SFTP servers",
    long_about = "ferry moves files between local folders and FTP, FTPS and SFTP servers: one-off get/put, \
                  lftp/rclone-style mirror, and YAML job files run unattended from cron. A partner never \
                  sees a partial file, nothing is deleted on a bad run, and every failure has a documented \
                  exit code.",
    after_help = "Exit codes: 0 ok, 1 some transfers failed / check found differences, 2 usage or job-file error, \
                  3 connection/auth failure, 4 source missing, 5 job locked, 6 safety stop, 7 verification failed, \
                  8 time limit reached (--max-time / max_duration), 9 nothing transferred (--error-on-no-transfer), \
                  10 an expected delivery is late (ferry expect), 11 check could not compare everything, 130/143 interrupted."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// More log output (-v: info, -vv: debug)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors; no summary line
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Log line format on stderr or --log-file
    ///
    /// With json, every line ferry writes to stderr or --log-file is one JSON object:
    /// {"timestamp", "level", "fields": {"message", ...}}. Lines ferry writes for people carry
    /// fields.event: summary (files, bytes, skipped, failed, refused, deleted, dirs_created,
    /// retries, elapsed_ms), refused (entry, reason), failure (action, src, dst or path, kind),
    /// safety_stop, error (exit_code), note, hook_output (hook, stream) and panic, and name
    /// their job in fields.job when they belong to one. Log events
    /// have no event field. Progress bars are off, and a hook's stdout and stderr are relayed
    /// line by line as hook_output objects.
    #[arg(long, value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    /// Append log lines to FILE instead of stderr
    #[arg(long, value_name = "FILE", global = true)]
    pub log_file: Option<String>,
    /// Progress bars: on a terminal only (auto), always, or never
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto, global = true)]
    pub progress: ProgressMode,
    /// No colours in output (also NO_COLOR)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8
    #[arg(long, value_name = "DUR", global = true)]
    pub max_time: Option<String>,
    /// The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file's
    /// `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or
    /// ~/.pgpass)
    #[arg(long, value_name = "FILE|URL", global = true)]
    pub ledger: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressMode {
    Auto,
    Always,
    Never,
}

/// Credentials and server settings for any command that takes a URL.
#[derive(Debug, Args, Clone, Default)]
pub struct ConnArgs {
    /// Login name (overrides the URL's user)
    #[arg(long, value_name = "U")]
    pub user: Option<String>,
    /// Read the password from environment variable VAR
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Read the password from the first line of FILE
    #[arg(long, value_name = "FILE", conflicts_with = "password_env")]
    pub password_file: Option<String>,
    /// SSH private key file
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<String>,
    /// Read the key passphrase from environment variable VAR
    #[arg(long, value_name = "VAR")]
    pub key_passphrase_env: Option<String>,
    /// known_hosts file (default ~/.ssh/known_hosts)
    #[arg(long, value_name = "FILE")]
    pub known_hosts: Option<String>,
    /// Host-key policy: accept-new, or a pinned SHA256:… fingerprint
    #[arg(long, value_name = "POLICY")]
    pub host_key: Option<String>,
    /// Connections per server (SFTP: extra SSH connections that file transfers take turns on)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub connections: Option<u16>,
    /// SFTP: remote command printing a file's SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]
    #[arg(long, value_name = "CMD")]
    pub remote_hash_command: Option<String>,
    /// FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS
    #[arg(long, value_name = "MODE", value_parser = ["explicit", "implicit"])]
    pub tls: Option<String>,
    /// FTPS: trust the PEM certificates in FILE in addition to the system's
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<String>,
    /// FTPS: skip certificate verification (warned about on every run)
    #[arg(long)]
    pub insecure: bool,
    /// FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)
    #[arg(long, value_name = "FP")]
    pub tls_fingerprint: Option<String>,
    /// FTP: active mode (the server connects back; EPRT/PORT)
    #[arg(long)]
    pub active: bool,
    /// FTP: the server's file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)
    #[arg(long, value_name = "ENC")]
    pub encoding: Option<String>,
    /// FTP: time zone of the server's LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default
    #[arg(long, value_name = "TZ")]
    pub timezone: Option<String>,
    /// Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)
    #[arg(long, value_name = "DUR")]
    pub connect_timeout: Option<String>,
    /// Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)
    #[arg(long, value_name = "DUR")]
    pub timeout: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnExistsArg {
    Overwrite,
    Skip,
    Fail,
    RenameExisting,
}

/// Flags shared by get, put, mirror and check (the same keys exist in job files).
#[derive(Debug, Args, Clone, Default)]
pub struct TransferArgs {
    /// Include files matching GLOB (repeatable; ** crosses directories)
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Exclude files and directories matching GLOB (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Read `+ GLOB` / `- GLOB` rules from FILE (last match wins)
    #[arg(long, value_name = "FILE")]
    pub filter_from: Option<String>,
    /// Only files at least this old (90s, 15m, 2h, 7d)
    #[arg(long, value_name = "DUR")]
    pub min_age: Option<String>,
    /// Only files at most this old
    #[arg(long, value_name = "DUR")]
    pub max_age: Option<String>,
    /// Only files at least this big (10k, 5MiB)
    #[arg(long, value_name = "SIZE")]
    pub min_size: Option<String>,
    /// Only files at most this big
    #[arg(long, value_name = "SIZE")]
    pub max_size: Option<String>,
    /// How "already the same" is decided (default size,mtime)
    #[arg(long, value_name = "size,mtime")]
    pub compare: Option<String>,
    /// Stability gate: list the source again after DUR; take only files whose size and mtime held
    #[arg(long, value_name = "DUR")]
    pub stable_for: Option<String>,
    /// Compare by SHA-256
    #[arg(long, conflicts_with_all = ["size_only", "compare"])]
    pub checksum: bool,
    /// Compare by size alone
    #[arg(long, conflicts_with = "compare")]
    pub size_only: bool,
    /// Skip files that are newer on the target
    #[arg(short, long)]
    pub update: bool,
    /// Skip files that exist on the target
    #[arg(long)]
    pub ignore_existing: bool,
    /// What to do when the target name exists
    #[arg(long, value_enum, value_name = "MODE")]
    pub on_exists: Option<OnExistsArg>,
    /// mirror: delete target files that are not in the source (after all transfers succeed)
    #[arg(long)]
    pub delete: bool,
    /// Safety stop (exit 6, nothing changed) when the plan would delete more than N files
    #[arg(long, value_name = "N")]
    pub max_delete: Option<u64>,
    /// Allow --delete even when the source listing is empty
    #[arg(long)]
    pub delete_empty_source: bool,
    /// Resume partial transfers, and continue a shorter file under the final name (default for mirror)
    #[arg(short = 'c', long = "continue")]
    pub resume: bool,
    /// Concurrent transfers [default: 64 over SFTP, 16 over FTP (and as many connections), 4 local]
    #[arg(short = 'P', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub parallel: Option<u16>,
    /// Total bandwidth cap (10MiB/s)
    #[arg(long, value_name = "RATE")]
    pub bwlimit: Option<String>,
    /// Per-file retries for retryable errors
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// First retry delay; doubles each time, with jitter
    #[arg(long, value_name = "DUR", default_value = "1s")]
    pub retry_delay: String,
    /// Write to the final name directly (no temp name + rename)
    #[arg(long, conflicts_with_all = ["temp_name", "staging_dir"])]
    pub inplace: bool,
    /// Write each file into DIR (on the target's server, a path as in its URL) and rename it into
    /// the target directory when complete
    #[arg(long, value_name = "DIR")]
    pub staging_dir: Option<String>,
    /// Temp-name template ({name}, {stem}, {ext}, {fp}); default {name}.{fp}.part
    #[arg(long, value_name = "TEMPLATE")]
    pub temp_name: Option<String>,
    /// After each transfer confirm size and SHA-256
    #[arg(long)]
    pub verify: bool,
    /// Exit 9 when nothing was transferred
    #[arg(long)]
    pub error_on_no_transfer: bool,
    /// FTP: text mode (TYPE A): LF becomes CRLF on upload, CRLF becomes LF on download;
    /// size verification and resume are off
    #[arg(long)]
    pub ascii: bool,
    /// After each complete, verified transfer, delete the source file
    #[arg(long, conflicts_with = "move_to")]
    pub remove_source_files: bool,
    /// After each complete, verified transfer, move the source file into DIR on the source's
    /// side ({yyyy}, {mm}, {dd}, {yyyy-mm-dd}, {name}, {stem}, {ext} expand)
    #[arg(long, value_name = "DIR")]
    pub move_to: Option<String>,
    /// Print the plan, change nothing
    #[arg(short = 'n', long)]
    pub dry_run: bool,
    /// Machine-readable output on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Download a file or (with -r) a tree
    Get {
        /// Source URL or path
        url: String,
        /// Local destination (default: the current directory)
        local: Option<String>,
        /// Copy trees
        #[arg(short, long)]
        recursive: bool,
        #[command(flatten)]
        t: TransferArgs,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Upload files or (with -r) trees; `put - URL` uploads stdin
    Put {
        /// Local files or directories, then the destination URL
        #[arg(required = true, num_args = 2..)]
        paths: Vec<String>,
        /// Copy trees
        #[arg(short, long)]
        recursive: bool,
        #[command(flatten)]
        t: TransferArgs,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Make DST look like SRC (either side may be remote)
    Mirror {
        src: String,
        dst: String,
        #[command(flatten)]
        t: TransferArgs,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Compare SRC and DST; exit 0 when identical, 1 with a report otherwise
    Check {
        src: String,
        dst: String,
        /// Compare SHA-256 of both sides by reading every file through its connection (implies
        /// --checksum), even where a server could hash it
        #[arg(long)]
        download: bool,
        #[command(flatten)]
        t: TransferArgs,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// List a directory
    Ls {
        url: String,
        /// Long format: type, size, mtime
        #[arg(short, long)]
        long: bool,
        /// Recurse
        #[arg(short = 'R', long)]
        recursive: bool,
        /// JSON array of {path, name, type, size, mtime}
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Stream a remote file to stdout
    Cat {
        url: String,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Size, mtime and type of one path
    Stat {
        url: String,
        /// One JSON object
        #[arg(long)]
        json: bool,
        /// Also compute the SHA-256
        #[arg(long)]
        checksum: bool,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Probe a server: features, what works (mtimes, hashes, rename over a file, TLS session
    /// reuse, LIST time offset), max connections and health figures; exit 3 when unreachable
    Doctor {
        url: String,
        /// One JSON object (keys connect_ms, login_ms, noop_ms, reachable, ftp, sftp_extensions, sha256_command, staging)
        #[arg(long)]
        json: bool,
        /// Also check that files written in DIR (as --staging-dir takes it) can be renamed into
        /// another directory: a probe file is written, renamed and removed inside DIR only
        #[arg(long, value_name = "DIR")]
        staging_dir: Option<String>,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Make a directory
    Mkdir {
        url: String,
        /// Create parents; an existing directory is fine
        #[arg(short, long)]
        parents: bool,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Remove files (and with -r, trees)
    ///
    /// Paths are resolved first (`.`/`..` removed from URLs, the kernel resolving local ones). A
    /// path ending in `.` or `..`, or resolving to `/`, the login or working directory or a parent
    /// of it, is refused with exit 6 and nothing is removed.
    Rm {
        #[arg(required = true)]
        urls: Vec<String>,
        #[arg(short, long)]
        recursive: bool,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Rename on the same server
    Mv {
        from: String,
        /// A URL on the same server, or a bare path resolved like a URL path
        to: String,
        /// Replace an existing target
        #[arg(short, long)]
        force: bool,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Run jobs from a job file (all, or the named ones)
    Run {
        jobfile: String,
        jobs: Vec<String>,
        /// Print the plan, change nothing
        #[arg(short = 'n', long)]
        dry_run: bool,
        /// JSON report on stdout
        #[arg(long)]
        json: bool,
        /// Exit 9 when no job transferred anything
        #[arg(long)]
        error_on_no_transfer: bool,
        /// After the run, write every job's metrics to PATH (Prometheus text, replaced atomically; for node_exporter's textfile collector)
        #[arg(long, value_name = "PATH")]
        metrics_file: Option<String>,
    },
    /// Show what `run` would do (same as run --dry-run)
    Plan {
        jobfile: String,
        jobs: Vec<String>,
        /// Write the plan as JSON to FILE
        #[arg(long, value_name = "FILE")]
        out: Option<String>,
        /// JSON on stdout
        #[arg(long)]
        json: bool,
    },
    /// Execute exactly a plan saved by `ferry plan --out`; entries whose source changed are refused
    Apply {
        /// The plan file (JSON)
        plan: String,
    },
    /// Check a job file and report every error with line:column
    ///
    /// Limits on input (each refused with exit 2 and one line naming it): a job file of at most
    /// 4 MiB, with YAML alias expansion and nesting bounded by the parser's budget; a glob of at
    /// most 4096 bytes; at most 10,000 filter rules; URL hosts of letters, digits, `-`, `.`, `_`
    /// (IPv6 in brackets) and ports 1-65535. From servers: a listing line over 64 KiB, or one that
    /// cannot be parsed, is a refused entry; names in messages are escaped and cut at 200
    /// characters.
    Validate { jobfile: String },
    /// Run jobs on their `schedule:` until SIGTERM/SIGINT (SIGHUP reloads the job file)
    ///
    /// Deadlines (`expect:`) that pass while the daemon runs are judged from the ledger; a missed
    /// one is logged and runs the job's `on_late` once.
    Daemon {
        jobfile: String,
        /// Serve Prometheus metrics at http://ADDR/metrics (HOST:PORT; a bare port listens on 127.0.0.1)
        #[arg(long, value_name = "ADDR")]
        metrics: Option<String>,
        /// Write the metrics to PATH after each run (replaced atomically)
        #[arg(long, value_name = "PATH")]
        metrics_file: Option<String>,
    },
    /// Check each job's most recent arrival deadline (`expect:`); exit 10 when one was missed
    ///
    /// A deadline is met when the ledger holds at least `min_files` files the job delivered after
    /// the previous deadline and up to this one. Read-only: `ferry daemon` runs `on_late`.
    Expect {
        jobfile: String,
        /// Only these jobs (each must have `expect:`)
        jobs: Vec<String>,
        /// JSON on stdout
        #[arg(long)]
        json: bool,
    },
    /// One line per job: last run, last delivery, next run, next deadline and whether the last was met, and who runs it now (its lock, or its lease on a shared ledger)
    Status {
        jobfile: String,
        jobs: Vec<String>,
        /// A JSON array instead of a table
        #[arg(long)]
        json: bool,
    },
    /// The transfer ledger: what each job delivered, when
    History {
        #[command(subcommand)]
        action: Option<HistoryAction>,
        /// Only this job
        #[arg(long, value_name = "NAME")]
        job: Option<String>,
        /// Only transfers finished within this duration (2h, 7d)
        #[arg(long, value_name = "DUR")]
        since: Option<String>,
        /// A JSON array instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Serve a directory (ferry's own server, confined to DIR)
    Serve {
        #[command(subcommand)]
        protocol: ServeProtocol,
    },
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum HistoryAction {
    /// Re-arm files of a job so that `once: true` fetches them again
    Forget {
        /// The job
        #[arg(long, value_name = "NAME")]
        job: String,
        /// Only these source paths (relative to the job's source); all of the job's when none
        paths: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ServeProtocol {
    /// SFTP over SSH; prints `listening ADDR host-key SHA256:…` on stdout once ready
    Sftp {
        /// The directory clients see as `/`
        dir: String,
        /// Address to listen on (port 0 picks a free port)
        #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:2222")]
        addr: String,
        /// Allow password logins for this user (with --password-env)
        #[arg(long, value_name = "U", requires = "password_env")]
        user: Option<String>,
        /// Environment variable holding the password for --user
        #[arg(long, value_name = "VAR", requires = "user")]
        password_env: Option<String>,
        /// Allow logins with the keys in this OpenSSH authorized_keys file
        #[arg(long, value_name = "FILE")]
        authorized_keys: Option<String>,
        /// Host key file, created (Ed25519, mode 0600) on first use
        #[arg(long, value_name = "FILE")]
        host_key_file: Option<String>,
    },
    /// FTP (and explicit FTPS with --tls-cert/--tls-key); prints `listening ADDR` on stdout once ready
    Ftp {
        /// The directory clients see as `/`
        dir: String,
        /// Address to listen on (port 0 picks a free port)
        #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:2121")]
        addr: String,
        /// The login name
        #[arg(long, value_name = "U")]
        user: String,
        /// Environment variable holding the password for --user
        #[arg(long, value_name = "VAR")]
        password_env: String,
        /// PEM certificate chain: offer FTPS (AUTH TLS) with it
        #[arg(long, value_name = "FILE", requires = "tls_key")]
        tls_cert: Option<String>,
        /// PEM private key for --tls-cert
        #[arg(long, value_name = "FILE", requires = "tls_cert")]
        tls_key: Option<String>,
        /// Ports for passive data connections
        #[arg(long, value_name = "LOW-HIGH", default_value = "49152-65535")]
        passive_ports: String,
    },
}

/// The clap command, for generating the man page and completions.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// The man pages: `ferry.1` and one `ferry-COMMAND.1` per subcommand, as (file name, bytes).
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    let cmd = command();
    let mut pages = Vec::new();
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf).expect("render to memory");
    pages.push(("ferry.1".to_string(), buf));
    for sub in cmd.get_subcommands() {
        let name = format!("ferry-{}", sub.get_name());
        let mut buf = Vec::new();
        clap_mangen::Man::new(sub.clone().name(name.clone())).render(&mut buf).expect("render to memory");
        pages.push((format!("{name}.1"), buf));
    }
    pages
}

/// Shell completion scripts, as (file name, bytes).
pub fn completion_scripts() -> Vec<(String, Vec<u8>)> {
    use clap_complete::Shell;
    [
        (Shell::Bash, "ferry.bash"),
        (Shell::Zsh, "_ferry"),
        (Shell::Fish, "ferry.fish"),
        (Shell::PowerShell, "_ferry.ps1"),
        (Shell::Elvish, "ferry.elv"),
    ]
    .into_iter()
    .map(|(sh, file)| {
        let mut buf = Vec::new();
        clap_complete::generate(sh, &mut command(), "ferry", &mut buf);
        (file.to_string(), buf)
    })
    .collect()
}
