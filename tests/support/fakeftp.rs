//! A scripted FTP server for what real servers will not do on demand: LIST-only servers with
//! Unix or DOS listings, a 227 reply naming another host, 421 beyond N sessions, 426 in the
//! middle of a download, more bytes than listed, a short download with 226, stalled data
//! connections and listings, a server that never greets, a server that drops commands sent back to back, failing STOR replies, renames only within a directory, hostile and
//! non-UTF-8 names. Canned replies on
//! std threads, one per control connection; uploads are kept in memory for assertions.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What the server says and does.
#[derive(Clone, Default)]
pub struct Script {
    /// FEAT lines (without the leading space); include "MLST type*;size*;modify*;" for MLSD.
    pub feat: Vec<String>,
    /// SYST answer (default "UNIX Type: L8").
    pub syst: Option<String>,
    /// Directory (absolute, no trailing slash; "" is the root) → raw LIST or MLSD payload lines.
    pub listings: BTreeMap<String, Vec<Vec<u8>>>,
    /// Absolute file path → contents for RETR/SIZE.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Answer EPSV with 500 (forces PASV).
    pub no_epsv: bool,
    /// The host a 227 reply names (default 127,0,0,1).
    pub pasv_host: Option<[u8; 4]>,
    /// Sessions beyond this many at once get "421 Too many connections".
    pub max_sessions: Option<usize>,
    /// The first this-many RETRs send half the file, then 426.
    pub fail_retr: usize,
    /// RETR sends this many extra bytes after the file.
    pub extra_bytes: usize,
    /// The MDTM answer for every file (default 20260101120000).
    pub mdtm: Option<String>,
    /// Accept connections and never send a greeting.
    pub silent: bool,
    /// Greet with one 8 MiB line (a broken or hostile server).
    pub giant_greeting: bool,
    /// RETR sends half the file, then closes the data connection with "226" (a short read).
    pub short_retr: bool,
    /// RETR sends half the file, then neither closes nor replies (a stalled data connection).
    pub stall_retr: bool,
    /// LIST/MLSD answers 150 and then sends nothing (a stalled listing).
    pub stall_list: bool,
    /// The first `.0` STORs are answered with the reply `.1` instead of 150.
    pub fail_stor: (usize, &'static str),
    /// Discard whatever arrived after a command line before answering it (servers that cannot
    /// take commands back to back).
    pub drops_pipelined: bool,
    /// RNTO into another directory than RNFR's is refused with 553 (servers that rename only
    /// within a directory).
    pub no_cross_dir_rename: bool,
}

/// A running fake server.
pub struct FakeFtp {
    pub port: u16,
    /// Files stored with STOR (path → bytes).
    pub uploads: Arc<Mutex<BTreeMap<String, Vec<u8>>>>,
    /// Every command line received, in order.
    pub log: Arc<Mutex<Vec<String>>>,
}

struct Shared {
    script: Script,
    sessions: AtomicUsize,
    retr_failures: AtomicUsize,
    stor_failures: AtomicUsize,
    uploads: Arc<Mutex<BTreeMap<String, Vec<u8>>>>,
    log: Arc<Mutex<Vec<String>>>,
}

impl FakeFtp {
    pub fn start(script: Script) -> FakeFtp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let uploads = Arc::new(Mutex::new(BTreeMap::new()));
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::new(Shared {
            script,
            sessions: AtomicUsize::new(0),
            retr_failures: AtomicUsize::new(0),
            stor_failures: AtomicUsize::new(0),
            uploads: uploads.clone(),
            log: log.clone(),
        });
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || session(stream, &shared));
            }
        });
        FakeFtp { port, uploads, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("ftp://tester@127.0.0.1:{}/{}", self.port, path.trim_start_matches('/'))
    }

    /// Flags that log in (any password works).
    pub fn flags(&self) -> Vec<String> {
        vec!["--password-env".into(), "FAKE_FTP_PW".into()]
    }
}

fn reply(w: &mut TcpStream, text: &str) {
    let _ = w.write_all(format!("{text}\r\n").as_bytes());
}

fn session(stream: TcpStream, sh: &Shared) {
    let live = sh.sessions.fetch_add(1, Ordering::SeqCst) + 1;
    let mut w = stream.try_clone().unwrap();
    if sh.script.max_sessions.is_some_and(|m| live > m) {
        reply(&mut w, "421 Too many connections from your address.");
        sh.sessions.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    if sh.script.silent {
        // Hold the connection open, say nothing, until the client hangs up.
        let mut sink = [0u8; 512];
        let mut r = stream;
        let _ = r.set_read_timeout(Some(std::time::Duration::from_secs(60)));
        while matches!(r.read(&mut sink), Ok(n) if n > 0) {}
        sh.sessions.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    if sh.script.giant_greeting {
        let mut line = b"220 ".to_vec();
        line.resize(8 << 20, b'x');
        let _ = w.write_all(&line);
        let _ = w.write_all(b"\r\n");
        sh.sessions.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    reply(&mut w, "220 fake FTP ready");
    let mut r = BufReader::new(stream);
    let mut data: Option<TcpListener> = None;
    let mut cwd = String::new();
    let mut rest = 0usize;
    let mut rnfr = String::new();
    let s = &sh.script;
    loop {
        let mut line = Vec::new();
        if r.read_until(b'\n', &mut line).unwrap_or(0) == 0 {
            break;
        }
        if s.drops_pipelined {
            let extra = r.buffer().len();
            r.consume(extra);
        }
        let line = String::from_utf8_lossy(&line).trim_end_matches(['\r', '\n']).to_string();
        sh.log.lock().unwrap().push(line.clone());
        let (cmd, arg) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        let abs = |a: &str| -> String {
            let p = if a.starts_with('/') { a.to_string() } else { format!("{cwd}/{a}") };
            p.trim_end_matches('/').to_string()
        };
        let open_data = |data: &mut Option<TcpListener>| -> Option<TcpStream> { data.take().and_then(|l| l.accept().ok()).map(|(s, _)| s) };
        match cmd.to_ascii_uppercase().as_str() {
            "USER" => reply(&mut w, "331 password please"),
            "PASS" => reply(&mut w, "230 logged in"),
            "FEAT" => {
                let mut t = String::from("211-Features:\r\n");
                for f in &s.feat {
                    t.push_str(&format!(" {f}\r\n"));
                }
                t.push_str("211 End");
                reply(&mut w, &t);
            }
            "SYST" => reply(&mut w, &format!("215 {}", s.syst.clone().unwrap_or_else(|| "UNIX Type: L8".into()))),
            "TYPE" | "OPTS" | "NOOP" => reply(&mut w, "200 ok"),
            "PWD" => reply(&mut w, "257 \"/\" is the current directory"),
            "CWD" => {
                let d = abs(arg);
                if d.is_empty() || s.listings.contains_key(&d) {
                    cwd = d;
                    reply(&mut w, "250 ok");
                } else {
                    reply(&mut w, "550 no such directory");
                }
            }
            "EPSV" if s.no_epsv => reply(&mut w, "500 EPSV not understood"),
            "EPSV" => {
                let l = TcpListener::bind("127.0.0.1:0").unwrap();
                reply(&mut w, &format!("229 Entering Extended Passive Mode (|||{}|)", l.local_addr().unwrap().port()));
                data = Some(l);
            }
            "PASV" => {
                let l = TcpListener::bind("127.0.0.1:0").unwrap();
                let p = l.local_addr().unwrap().port();
                let h = s.pasv_host.unwrap_or([127, 0, 0, 1]);
                reply(&mut w, &format!("227 Entering Passive Mode ({},{},{},{},{},{})", h[0], h[1], h[2], h[3], p / 256, p % 256));
                data = Some(l);
            }
            "LIST" | "MLSD" | "NLST" => {
                let target = if arg.is_empty() || arg.starts_with('-') { cwd.clone() } else { abs(arg) };
                match s.listings.get(&target) {
                    Some(_) if s.stall_list => {
                        reply(&mut w, "150 listing");
                        let held = open_data(&mut data);
                        std::thread::sleep(std::time::Duration::from_secs(30));
                        drop(held);
                    }
                    Some(lines) => {
                        reply(&mut w, "150 listing");
                        if let Some(mut d) = open_data(&mut data) {
                            for l in lines {
                                let _ = d.write_all(l);
                                let _ = d.write_all(b"\r\n");
                            }
                        }
                        reply(&mut w, "226 done");
                    }
                    None => reply(&mut w, "550 no such directory"),
                }
            }
            "XSHA256" if s.feat.iter().any(|f| f == "XSHA256") => match s.files.get(&abs(arg)) {
                Some(f) => {
                    use sha2::Digest;
                    reply(&mut w, &format!("250 {}", hex::encode(sha2::Sha256::digest(f))))
                }
                None => reply(&mut w, "550 no such file"),
            },
            "SIZE" => match s.files.get(&abs(arg)) {
                Some(f) => reply(&mut w, &format!("213 {}", f.len())),
                None => reply(&mut w, "550 no such file"),
            },
            "MDTM" => match s.files.get(&abs(arg)) {
                Some(_) => reply(&mut w, &format!("213 {}", s.mdtm.clone().unwrap_or_else(|| "20260101120000".into()))),
                None => reply(&mut w, "550 no such file"),
            },
            "REST" => {
                rest = arg.parse().unwrap_or(0);
                reply(&mut w, "350 restarting");
            }
            "RETR" => match s.files.get(&abs(arg)) {
                Some(f) => {
                    reply(&mut w, "150 sending");
                    let from = std::mem::take(&mut rest).min(f.len());
                    let mut d = open_data(&mut data).unwrap();
                    if s.short_retr {
                        let _ = d.write_all(&f[from..from + (f.len() - from) / 2]);
                        drop(d);
                        reply(&mut w, "226 done");
                    } else if s.stall_retr {
                        let _ = d.write_all(&f[from..from + (f.len() - from) / 2]);
                        std::thread::sleep(std::time::Duration::from_secs(30));
                        drop(d);
                    } else if sh.retr_failures.fetch_add(1, Ordering::SeqCst) < s.fail_retr {
                        let _ = d.write_all(&f[from..from + (f.len() - from) / 2]);
                        drop(d);
                        reply(&mut w, "426 Connection closed; transfer aborted.");
                    } else {
                        let _ = d.write_all(&f[from..]);
                        let _ = d.write_all(&vec![b'!'; s.extra_bytes]);
                        drop(d);
                        reply(&mut w, "226 done");
                    }
                }
                None => reply(&mut w, "550 no such file"),
            },
            "STOR" | "APPE" if sh.stor_failures.fetch_add(1, Ordering::SeqCst) < s.fail_stor.0 => {
                let _ = open_data(&mut data);
                reply(&mut w, s.fail_stor.1);
            }
            "STOR" | "APPE" => {
                reply(&mut w, "150 send it");
                let mut buf = Vec::new();
                if let Some(mut d) = open_data(&mut data) {
                    let _ = d.read_to_end(&mut buf);
                }
                sh.uploads.lock().unwrap().insert(abs(arg), buf);
                reply(&mut w, "226 stored");
            }
            "RNFR" => {
                rnfr = abs(arg);
                reply(&mut w, "350 ready");
            }
            "RNTO" if s.no_cross_dir_rename && abs(arg).rsplit_once('/').map(|x| x.0) != rnfr.rsplit_once('/').map(|x| x.0) => {
                reply(&mut w, "553 Renaming into another directory is not allowed");
            }
            "RNTO" => {
                let mut up = sh.uploads.lock().unwrap();
                if let Some(b) = up.remove(&rnfr) {
                    up.insert(abs(arg), b);
                }
                reply(&mut w, "250 renamed");
            }
            "MKD" => reply(&mut w, &format!("257 \"{}\" created", abs(arg))),
            "MFMT" if s.feat.iter().any(|f| f == "MFMT") => reply(&mut w, "213 modified"),
            "DELE" | "RMD" => reply(&mut w, "250 ok"),
            "QUIT" => {
                reply(&mut w, "221 bye");
                break;
            }
            _ => reply(&mut w, "502 not implemented"),
        }
    }
    sh.sessions.fetch_sub(1, Ordering::SeqCst);
}
