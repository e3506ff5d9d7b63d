//! A file's SHA-256 from wherever it can be had: the server's own command (FTP `HASH`/`XSHA256`,
//! an SFTP server's `sha256sum`), else by reading the file through the connection and hashing
//! it here, as rclone's `check --download` does.

use super::Backend;
use crate::error::{ErrorKind, Result};
use crate::model::RelPath;
use sha2::{Digest, Sha256};

/// The server's SHA-256 of `path`, or `None` when it has no way to compute one.
pub async fn on_server(b: &dyn Backend, path: &RelPath) -> Result<Option<String>> {
    if !b.capabilities().hash_sha256 {
        return Ok(None);
    }
    match b.hash_sha256(path).await {
        Ok(h) => Ok(Some(h)),
        // Detected only when first asked (SFTP): "none found" is an answer, not a failure.
        Err(e) if e.kind == ErrorKind::Unsupported => Ok(None),
        Err(e) => Err(e),
    }
}

/// How a hash was had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Server,
    /// Read through the connection (the server has no hash command, or `--download`).
    Reading,
}

/// The SHA-256 of `path`: the server's unless `read_through`, else (or when it has none) the
/// bytes read through the connection.
pub async fn sha256(b: &dyn Backend, path: &RelPath, read_through: bool) -> Result<(String, Via)> {
    if !read_through && let Some(h) = on_server(b, path).await? {
        return Ok((h, Via::Server));
    }
    Ok((by_reading(b, path).await?, Via::Reading))
}

/// Stream the whole file and hash it.
pub async fn by_reading(b: &dyn Backend, path: &RelPath) -> Result<String> {
    let mut r = b.read(path, 0, None).await?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        buf.resize(1 << 20, 0);
        let n = r.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}
