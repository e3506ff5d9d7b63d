//! A TCP fault proxy on loopback: forwards connections to a real server and, for the first N of
//! them, cuts or stalls the stream after a number of bytes in one direction, or delays every
//! chunk. Counts what it did, so a test can assert that a fault really happened.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Which way the faulted bytes flow.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dir {
    /// Server → client (downloads, listings, replies).
    Down = 0,
    /// Client → server (uploads, commands).
    Up = 1,
}

#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// Close both sides after `after` bytes in `dir`, on the first `times` connections.
    Cut { after: usize, dir: Dir, times: usize },
    /// Stop forwarding (and keep the connection open) after `after` bytes in `dir`, on the
    /// first `times` connections.
    Stall { after: usize, dir: Dir, times: usize },
    /// Hold every chunk for this long before forwarding it, both ways.
    Delay(Duration),
}

/// A running proxy; dropping it leaves its threads to end with their connections.
pub struct FaultProxy {
    pub port: u16,
    /// Connections accepted so far.
    pub connections: Arc<AtomicUsize>,
    /// Cuts or stalls performed so far.
    pub faults: Arc<AtomicUsize>,
    /// Bytes forwarded server → client and client → server, over all connections.
    pub moved: Arc<[AtomicUsize; 2]>,
}

/// Stalled connections are held at most this long, so no test thread outlives its test by much.
const STALL_HOLD: Duration = Duration::from_secs(60);

impl FaultProxy {
    pub fn start(upstream: u16, fault: Fault) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let faults = Arc::new(AtomicUsize::new(0));
        let moved: Arc<[AtomicUsize; 2]> = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
        let (c, f, m) = (connections.clone(), faults.clone(), moved.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let n = c.fetch_add(1, Ordering::SeqCst);
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else { continue };
                let _ = (client.set_nodelay(true), server.set_nodelay(true));
                let armed = match fault {
                    Fault::Cut { times, .. } | Fault::Stall { times, .. } => n < times,
                    Fault::Delay(_) => false,
                };
                let down = (server.try_clone().unwrap(), client.try_clone().unwrap());
                let up = (client, server);
                for (dir, (from, to)) in [(Dir::Down, down), (Dir::Up, up)] {
                    let (f, m) = (f.clone(), m.clone());
                    std::thread::spawn(move || pump(from, to, dir, fault, armed, &f, &m[dir as usize]));
                }
            }
        });
        FaultProxy { port, connections, faults, moved }
    }

    /// A proxy that only forwards (and counts the bytes).
    pub fn counting(upstream: u16) -> FaultProxy {
        FaultProxy::start(upstream, Fault::Delay(Duration::ZERO))
    }

    /// Bytes forwarded in `dir` so far.
    pub fn bytes(&self, dir: Dir) -> usize {
        self.moved[dir as usize].load(Ordering::SeqCst)
    }

    pub fn faults(&self) -> usize {
        self.faults.load(Ordering::SeqCst)
    }
}

fn pump(mut from: TcpStream, mut to: TcpStream, dir: Dir, fault: Fault, armed: bool, faults: &AtomicUsize, counted: &AtomicUsize) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut moved = 0usize;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut chunk = &buf[..n];
        match fault {
            Fault::Delay(d) if !d.is_zero() => std::thread::sleep(d),
            Fault::Cut { after, dir: d, .. } | Fault::Stall { after, dir: d, .. } if armed && d == dir && moved + n > after => {
                chunk = &buf[..after - moved];
                let _ = to.write_all(chunk);
                faults.fetch_add(1, Ordering::SeqCst);
                if matches!(fault, Fault::Stall { .. }) {
                    // Keep both sockets open and silent until the client gives up.
                    let _ = from.set_read_timeout(Some(STALL_HOLD));
                    let mut sink = [0u8; 4096];
                    while matches!(from.read(&mut sink), Ok(n) if n > 0) {}
                }
                let _ = from.shutdown(Shutdown::Both);
                let _ = to.shutdown(Shutdown::Both);
                return;
            }
            _ => {}
        }
        if to.write_all(chunk).is_err() {
            break;
        }
        counted.fetch_add(n, Ordering::SeqCst);
        moved += n;
    }
    let _ = to.shutdown(Shutdown::Write);
}
