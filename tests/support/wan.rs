//! The project's WAN emulator (`bench/latency.py`) in front of a real server, for tests that
//! count what a client costs in round trips. The emulator listens on 127.0.0.2 and writes its
//! counters to a JSON file as connections end.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Wan {
    pub port: u16,
    stats: PathBuf,
    _dir: tempfile::TempDir,
    child: Child,
}

/// What the emulator counted since it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub connections: u64,
    pub data_connections: u64,
    pub round_trips: u64,
}

impl Counts {
    /// Round trips a client waited for: one per turn of a conversation, one per TCP handshake.
    pub fn cost(&self) -> u64 {
        self.round_trips + self.connections
    }
}

impl Wan {
    /// Forward 127.0.0.2:<ephemeral> to 127.0.0.1:`upstream` with `rtt_ms` of delay.
    /// `ftp` follows passive data ports announced on the control connection.
    pub fn start(upstream: u16, rtt_ms: u32, ftp: bool) -> Wan {
        let dir = tempfile::tempdir().unwrap();
        let stats = dir.path().join("stats.json");
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/latency.py");
        let mut cmd = Command::new("python3");
        cmd.arg(&script).args(["--upstream", &upstream.to_string(), "--port", "0", "--rtt-ms", &rtt_ms.to_string()]);
        cmd.arg("--stats").arg(&stats);
        if ftp {
            cmd.arg("--ftp");
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start the WAN emulator ({}): {e}", script.display()));
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .trim()
            .strip_prefix("listening 127.0.0.2 ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the WAN emulator did not start: {line:?}"));
        Wan { port, stats, _dir: dir, child }
    }

    /// The counters after the client has exited. Every byte the client waited for went through
    /// the emulator before the client saw it, so the counts are final by then; they are read once
    /// every connection has ended, or after 3 s if a server is slow to close one.
    pub fn counts(&self) -> Counts {
        let deadline = Instant::now() + Duration::from_secs(3);
        std::thread::sleep(Duration::from_millis(100));
        loop {
            let doc: Option<serde_json::Value> = std::fs::read(&self.stats).ok().and_then(|b| serde_json::from_slice(&b).ok());
            if let Some(d) = &doc
                && (d["open"] == 0 || Instant::now() > deadline)
            {
                let n = |k: &str| d[k].as_u64().unwrap();
                assert!(n("bytes_up") > 0, "the client's traffic went through the emulator: {d}");
                return Counts { connections: n("connections"), data_connections: n("data_connections"), round_trips: n("round_trips") };
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Wan {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
