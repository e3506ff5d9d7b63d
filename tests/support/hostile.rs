//! An SFTP server whose listings carry hostile names (`..`, `a/b`, absolute paths, `\`, control
//! characters), for what no real server sends on demand. It runs ferry's own SSH server code
//! with a scripted SFTP handler, in a thread of the test process.

use russh_sftp::protocol::{Attrs, Data, File, FileAttributes, Handle, Name, OpenFlags, Status, StatusCode, Version};
use std::collections::HashMap;

const GOOD: &[u8] = b"GOOD";

/// Names the listing of `/out` returns besides `good.edi`.
pub const HOSTILE: &[&str] =
    &[".", "..", "a/b.edi", "/etc/passwd", "..\\evil.edi", "cr\rlf.edi", "../../escape.edi", "esc\x1b]0;pwned\x07.edi"];

fn file_attrs(size: u64) -> FileAttributes {
    FileAttributes {
        size: Some(size),
        permissions: Some(0o100644),
        mtime: Some(1_700_000_000),
        atime: Some(1_700_000_000),
        ..FileAttributes::empty()
    }
}

fn dir_attrs() -> FileAttributes {
    FileAttributes { permissions: Some(0o040755), mtime: Some(1_700_000_000), atime: Some(1_700_000_000), ..FileAttributes::empty() }
}

#[derive(Default)]
struct Hostile {
    listed: bool,
}

impl russh_sftp::server::Handler for Hostile {
    type Error = StatusCode;

    fn unimplemented(&self) -> Self::Error {
        StatusCode::OpUnsupported
    }

    async fn init(&mut self, _v: u32, _e: HashMap<String, String>) -> Result<Version, Self::Error> {
        Ok(Version::new())
    }

    async fn realpath(&mut self, id: u32, _path: String) -> Result<Name, Self::Error> {
        Ok(Name { id, files: vec![File::dummy("/")] })
    }

    async fn stat(&mut self, id: u32, path: String) -> Result<Attrs, Self::Error> {
        self.lstat(id, path).await
    }

    async fn lstat(&mut self, id: u32, path: String) -> Result<Attrs, Self::Error> {
        match path.trim_end_matches('/') {
            "" | "/out" => Ok(Attrs { id, attrs: dir_attrs() }),
            "/out/good.edi" => Ok(Attrs { id, attrs: file_attrs(GOOD.len() as u64) }),
            _ => Err(StatusCode::NoSuchFile),
        }
    }

    async fn opendir(&mut self, id: u32, _path: String) -> Result<Handle, Self::Error> {
        self.listed = false;
        Ok(Handle { id, handle: "dir".into() })
    }

    async fn readdir(&mut self, id: u32, _handle: String) -> Result<Name, Self::Error> {
        if self.listed {
            return Err(StatusCode::Eof);
        }
        self.listed = true;
        let mut files = vec![File::new("good.edi", file_attrs(GOOD.len() as u64))];
        files.extend(HOSTILE.iter().map(|n| File::new(*n, file_attrs(GOOD.len() as u64))));
        Ok(Name { id, files })
    }

    async fn open(&mut self, id: u32, filename: String, _f: OpenFlags, _a: FileAttributes) -> Result<Handle, Self::Error> {
        if filename == "/out/good.edi" { Ok(Handle { id, handle: "good".into() }) } else { Err(StatusCode::NoSuchFile) }
    }

    async fn read(&mut self, id: u32, _handle: String, offset: u64, len: u32) -> Result<Data, Self::Error> {
        let start = (offset as usize).min(GOOD.len());
        let end = (start + len as usize).min(GOOD.len());
        if start == end {
            return Err(StatusCode::Eof);
        }
        Ok(Data { id, data: GOOD[start..end].to_vec() })
    }

    async fn close(&mut self, id: u32, _handle: String) -> Result<Status, Self::Error> {
        Ok(Status { id, status_code: StatusCode::Ok, error_message: "Ok".into(), language_tag: "en-US".into() })
    }
}

/// A running hostile server: its port, the client key and the pinned host-key fingerprint.
pub struct HostileServer {
    pub port: u16,
    pub fingerprint: String,
    pub keys: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl HostileServer {
    pub fn start() -> HostileServer {
        let keys = tempfile::tempdir().unwrap();
        super::sshd::keygen(&keys.path().join("id"), "ed25519");
        let logins = ferry::serve::sftp::Logins {
            password: None,
            keys: ferry::serve::sftp::load_authorized_keys(&keys.path().join("id.pub")).unwrap(),
        };
        let host_key = ferry::serve::sftp::load_or_create_host_key(&keys.path().join("host")).unwrap();
        let fingerprint = ferry::serve::sftp::fingerprint(&host_key);
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                port_tx.send(listener.local_addr().unwrap().port()).unwrap();
                let make: ferry::serve::sftp::HandlerFactory<Hostile> = std::sync::Arc::new(Hostile::default);
                let _ = ferry::serve::sftp::serve_with(make, listener, host_key, logins, async {
                    let _ = stop_rx.await;
                })
                .await;
            });
        });
        let port = port_rx.recv().unwrap();
        HostileServer { port, fingerprint, keys, stop: Some(stop_tx) }
    }

    pub fn flags(&self) -> Vec<String> {
        vec!["--key-file".into(), self.keys.path().join("id").display().to_string(), "--host-key".into(), self.fingerprint.clone()]
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}
