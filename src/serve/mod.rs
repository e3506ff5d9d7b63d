//! `ferry serve`: ferry's own servers, for quick local endpoints, users' pipeline tests and
//! ferry's hermetic tests. Never used by the client path.

pub mod ftp;
pub mod ftpfs;
pub mod jail;
pub mod sftp;
pub mod sftpfs;
