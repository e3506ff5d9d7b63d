//! The SFTP request handler of `ferry serve sftp`: a directory served through russh-sftp's
//! server side, confined by a `Jail`. Requests arrive one at a time per session.

use super::jail::{Jail, Refused};
use russh_sftp::protocol::{Attrs, Data, File, FileAttributes, Handle, Name, OpenFlags, Packet, Status, StatusCode, Version};
use std::collections::HashMap;
use std::fs;
use std::io::{Seek, SeekFrom, Write};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;

enum Open {
    File(fs::File),
    Dir { entries: Vec<File>, pos: usize },
}

/// One client's SFTP session over a served directory.
pub struct SftpFs {
    jail: Jail,
    handles: HashMap<String, Open>,
    next_handle: u64,
}

fn ok(id: u32) -> Status {
    Status { id, status_code: StatusCode::Ok, error_message: "Ok".into(), language_tag: "en-US".into() }
}

fn io_code(e: &std::io::Error) -> StatusCode {
    match e.kind() {
        std::io::ErrorKind::NotFound => StatusCode::NoSuchFile,
        std::io::ErrorKind::PermissionDenied => StatusCode::PermissionDenied,
        _ => StatusCode::Failure,
    }
}

fn refused(_: Refused) -> StatusCode {
    StatusCode::PermissionDenied
}

impl SftpFs {
    pub fn new(jail: Jail) -> SftpFs {
        SftpFs { jail, handles: HashMap::new(), next_handle: 1 }
    }

    fn add(&mut self, o: Open) -> String {
        let h = self.next_handle.to_string();
        self.next_handle += 1;
        self.handles.insert(h.clone(), o);
        h
    }

    fn attrs(p: &Path, follow: bool) -> Result<FileAttributes, StatusCode> {
        let m = if follow { fs::metadata(p) } else { fs::symlink_metadata(p) };
        m.map(|m| FileAttributes::from(&m)).map_err(|e| io_code(&e))
    }

    fn set_attrs(p: &Path, f: Option<&fs::File>, a: &FileAttributes) -> Result<(), StatusCode> {
        use std::os::unix::fs::PermissionsExt;
        if let Some(size) = a.size {
            let file = match f {
                Some(f) => f.try_clone(),
                None => fs::OpenOptions::new().write(true).open(p),
            }
            .map_err(|e| io_code(&e))?;
            file.set_len(size).map_err(|e| io_code(&e))?;
        }
        if let Some(mode) = a.permissions {
            fs::set_permissions(p, fs::Permissions::from_mode(mode & 0o7777)).map_err(|e| io_code(&e))?;
        }
        if let Some(mtime) = a.mtime {
            let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(mtime as u64);
            let atime = std::time::UNIX_EPOCH + std::time::Duration::from_secs(a.atime.unwrap_or(mtime) as u64);
            let times = fs::FileTimes::new().set_modified(t).set_accessed(atime);
            let file = match f {
                Some(f) => f.try_clone(),
                None => fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW).open(p),
            }
            .map_err(|e| io_code(&e))?;
            file.set_times(times).map_err(|e| io_code(&e))?;
        }
        Ok(())
    }
}

/// Parse SSH strings (u32 length + bytes) from an extended request.
fn ssh_strings(mut data: &[u8]) -> Option<Vec<String>> {
    let mut out = Vec::new();
    while data.len() >= 4 {
        let n = u32::from_be_bytes(data[..4].try_into().ok()?) as usize;
        let s = data.get(4..4 + n)?;
        out.push(String::from_utf8(s.to_vec()).ok()?);
        data = &data[4 + n..];
    }
    Some(out)
}

impl russh_sftp::server::Handler for SftpFs {
    type Error = StatusCode;

    fn unimplemented(&self) -> Self::Error {
        StatusCode::OpUnsupported
    }

    async fn init(&mut self, _version: u32, _ext: HashMap<String, String>) -> Result<Version, Self::Error> {
        let mut v = Version::new();
        v.extensions.insert("posix-rename@openssh.com".into(), "1".into());
        Ok(v)
    }

    async fn open(&mut self, id: u32, filename: String, pflags: OpenFlags, attrs: FileAttributes) -> Result<Handle, Self::Error> {
        let p = self.jail.resolve(&filename, true).map_err(refused)?;
        let mut oo = fs::OpenOptions::new();
        oo.read(pflags.contains(OpenFlags::READ))
            .write(pflags.contains(OpenFlags::WRITE) || pflags.contains(OpenFlags::APPEND))
            .append(pflags.contains(OpenFlags::APPEND))
            .truncate(pflags.contains(OpenFlags::TRUNCATE));
        if pflags.contains(OpenFlags::CREATE) {
            if pflags.contains(OpenFlags::EXCLUDE) {
                oo.create_new(true);
            } else {
                oo.create(true);
            }
        }
        let f = oo.open(&p).map_err(|e| io_code(&e))?;
        if pflags.contains(OpenFlags::CREATE) && attrs.permissions.is_some() {
            let _ = Self::set_attrs(&p, Some(&f), &FileAttributes { permissions: attrs.permissions, ..FileAttributes::empty() });
        }
        Ok(Handle { id, handle: self.add(Open::File(f)) })
    }

    async fn close(&mut self, id: u32, handle: String) -> Result<Status, Self::Error> {
        match self.handles.remove(&handle) {
            Some(_) => Ok(ok(id)),
            None => Err(StatusCode::Failure),
        }
    }

    async fn read(&mut self, id: u32, handle: String, offset: u64, len: u32) -> Result<Data, Self::Error> {
        let Some(Open::File(f)) = self.handles.get(&handle) else { return Err(StatusCode::Failure) };
        let mut buf = vec![0u8; (len as usize).min(256 * 1024)];
        let mut filled = 0;
        while filled < buf.len() {
            match f.read_at(&mut buf[filled..], offset + filled as u64) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_code(&e)),
            }
        }
        if filled == 0 && len > 0 {
            return Err(StatusCode::Eof);
        }
        buf.truncate(filled);
        Ok(Data { id, data: buf })
    }

    async fn write(&mut self, id: u32, handle: String, offset: u64, data: Vec<u8>) -> Result<Status, Self::Error> {
        let Some(Open::File(f)) = self.handles.get_mut(&handle) else { return Err(StatusCode::Failure) };
        f.seek(SeekFrom::Start(offset)).map_err(|e| io_code(&e))?;
        f.write_all(&data).map_err(|e| io_code(&e))?;
        Ok(ok(id))
    }

    async fn lstat(&mut self, id: u32, path: String) -> Result<Attrs, Self::Error> {
        let p = self.jail.resolve(&path, false).map_err(refused)?;
        Ok(Attrs { id, attrs: Self::attrs(&p, false)? })
    }

    async fn stat(&mut self, id: u32, path: String) -> Result<Attrs, Self::Error> {
        let p = self.jail.resolve(&path, true).map_err(refused)?;
        Ok(Attrs { id, attrs: Self::attrs(&p, true)? })
    }

    async fn fstat(&mut self, id: u32, handle: String) -> Result<Attrs, Self::Error> {
        let Some(Open::File(f)) = self.handles.get(&handle) else { return Err(StatusCode::Failure) };
        let m = f.metadata().map_err(|e| io_code(&e))?;
        Ok(Attrs { id, attrs: FileAttributes::from(&m) })
    }

    async fn setstat(&mut self, id: u32, path: String, attrs: FileAttributes) -> Result<Status, Self::Error> {
        let p = self.jail.resolve(&path, true).map_err(refused)?;
        Self::set_attrs(&p, None, &attrs)?;
        Ok(ok(id))
    }

    async fn fsetstat(&mut self, id: u32, handle: String, attrs: FileAttributes) -> Result<Status, Self::Error> {
        let Some(Open::File(f)) = self.handles.get(&handle) else { return Err(StatusCode::Failure) };
        let f = f.try_clone().map_err(|e| io_code(&e))?;
        Self::set_attrs(Path::new(""), Some(&f), &attrs)?;
        Ok(ok(id))
    }

    async fn opendir(&mut self, id: u32, path: String) -> Result<Handle, Self::Error> {
        let p = self.jail.resolve(&path, true).map_err(refused)?;
        let mut entries = Vec::new();
        for de in fs::read_dir(&p).map_err(|e| io_code(&e))? {
            let de = de.map_err(|e| io_code(&e))?;
            let Ok(m) = de.metadata() else { continue };
            let name = de.file_name().to_string_lossy().into_owned();
            entries.push(File::new(name, FileAttributes::from(&m)));
        }
        entries.sort_by(|a, b| a.filename.cmp(&b.filename));
        Ok(Handle { id, handle: self.add(Open::Dir { entries, pos: 0 }) })
    }

    async fn readdir(&mut self, id: u32, handle: String) -> Result<Name, Self::Error> {
        let Some(Open::Dir { entries, pos }) = self.handles.get_mut(&handle) else { return Err(StatusCode::Failure) };
        if *pos >= entries.len() {
            return Err(StatusCode::Eof);
        }
        // Batches of 100 keep each reply well under the packet limit.
        let end = (*pos + 100).min(entries.len());
        let files = entries[*pos..end].to_vec();
        *pos = end;
        Ok(Name { id, files })
    }

    async fn remove(&mut self, id: u32, filename: String) -> Result<Status, Self::Error> {
        let p = self.jail.resolve(&filename, false).map_err(refused)?;
        fs::remove_file(&p).map_err(|e| io_code(&e))?;
        Ok(ok(id))
    }

    async fn mkdir(&mut self, id: u32, path: String, _attrs: FileAttributes) -> Result<Status, Self::Error> {
        let p = self.jail.resolve(&path, false).map_err(refused)?;
        fs::create_dir(&p).map_err(|e| io_code(&e))?;
        Ok(ok(id))
    }

    async fn rmdir(&mut self, id: u32, path: String) -> Result<Status, Self::Error> {
        let p = self.jail.resolve(&path, false).map_err(refused)?;
        fs::remove_dir(&p).map_err(|e| io_code(&e))?;
        Ok(ok(id))
    }

    async fn realpath(&mut self, id: u32, path: String) -> Result<Name, Self::Error> {
        self.jail.resolve(&path, true).map_err(refused)?;
        Ok(Name { id, files: vec![File::dummy(Jail::virtual_path(&path))] })
    }

    async fn rename(&mut self, id: u32, oldpath: String, newpath: String) -> Result<Status, Self::Error> {
        let from = self.jail.resolve(&oldpath, false).map_err(refused)?;
        let to = self.jail.resolve(&newpath, false).map_err(refused)?;
        // SFTP v3 rename does not replace an existing target.
        if to.symlink_metadata().is_ok() {
            return Err(StatusCode::Failure);
        }
        fs::rename(&from, &to).map_err(|e| io_code(&e))?;
        Ok(ok(id))
    }

    async fn readlink(&mut self, id: u32, path: String) -> Result<Name, Self::Error> {
        let p = self.jail.resolve(&path, false).map_err(refused)?;
        let target = fs::read_link(&p).map_err(|e| io_code(&e))?;
        Ok(Name { id, files: vec![File::dummy(target.to_string_lossy())] })
    }

    async fn extended(&mut self, id: u32, request: String, data: Vec<u8>) -> Result<Packet, Self::Error> {
        match request.as_str() {
            "posix-rename@openssh.com" => {
                let args = ssh_strings(&data).filter(|a| a.len() == 2).ok_or(StatusCode::BadMessage)?;
                let from = self.jail.resolve(&args[0], false).map_err(refused)?;
                let to = self.jail.resolve(&args[1], false).map_err(refused)?;
                fs::rename(&from, &to).map_err(|e| io_code(&e))?;
                Ok(Packet::Status(ok(id)))
            }
            _ => Err(StatusCode::OpUnsupported),
        }
    }
}
