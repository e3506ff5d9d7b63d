//! A real vsftpd on 127.0.0.1 with a temporary config: anonymous logins with write access
//! below `data/`, optionally explicit FTPS with a generated certificate and
//! `require_ssl_reuse=YES`, optionally limited to TLS 1.2 through OpenSSL's configuration.
//! A missing vsftpd fails the test: it is never skipped.

use super::sshd::free_port;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// How to start the server.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub tls: bool,
    /// Refuse TLS 1.3 (OpenSSL MaxProtocol TLSv1.2).
    pub tls12_only: bool,
    /// `max_per_ip`: further connections get 421.
    pub max_per_ip: Option<u32>,
}

pub struct Vsftpd {
    pub dir: tempfile::TempDir,
    pub port: u16,
    child: Child,
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A self-signed certificate for 127.0.0.1 and localhost, usable as its own trust root.
pub fn make_cert(dir: &Path) {
    run(Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:FALSE"])
        .arg("-keyout")
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .stderr(Stdio::null()));
}

impl Vsftpd {
    pub fn start(opts: Options) -> Vsftpd {
        let bin = ["/usr/sbin/vsftpd", "/usr/bin/vsftpd"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .unwrap_or_else(|| panic!("vsftpd is not installed; run scripts/test.sh (it installs vsftpd)"));
        assert_eq!(unsafe { libc::geteuid() }, 0, "vsftpd tests run as root (vsftpd chroots anonymous sessions)");
        // vsftpd's privilege-separation directory, normally made by its package at boot.
        let _ = std::fs::create_dir_all("/var/run/vsftpd/empty");
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // The chroot root must not be writable by the session user; `data/` is.
        let root = d.join("root");
        std::fs::create_dir_all(root.join("data")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
        run(Command::new("chown").arg("ftp").arg(root.join("data")));
        if opts.tls {
            make_cert(d);
        }
        let mut last_err = String::new();
        for _ in 0..5 {
            let port = free_port();
            let mut config = format!(
                "listen=YES\nlisten_address=127.0.0.1\nlisten_port={port}\nbackground=NO\n\
                 anonymous_enable=YES\nanon_root={root}\nno_anon_password=YES\nwrite_enable=YES\n\
                 anon_upload_enable=YES\nanon_mkdir_write_enable=YES\nanon_other_write_enable=YES\n\
                 anon_world_readable_only=NO\nanon_umask=022\nlocal_enable=NO\nseccomp_sandbox=NO\n\
                 xferlog_enable=NO\nuse_localtime=NO\nmax_clients=200\nmdtm_write=YES\n\
                 vsftpd_log_file={d}/vsftpd.log\n",
                root = root.display(),
                d = d.display()
            );
            if let Some(n) = opts.max_per_ip {
                config.push_str(&format!("max_per_ip={n}\n"));
            }
            if opts.tls {
                config.push_str(&format!(
                    "ssl_enable=YES\nallow_anon_ssl=YES\nforce_anon_logins_ssl=YES\nforce_anon_data_ssl=YES\n\
                     require_ssl_reuse=YES\nssl_tlsv1=YES\nssl_sslv2=NO\nssl_sslv3=NO\n\
                     rsa_cert_file={d}/cert.pem\nrsa_private_key_file={d}/key.pem\n",
                    d = d.display()
                ));
            }
            std::fs::write(d.join("vsftpd.conf"), config).unwrap();
            let mut cmd = Command::new(bin);
            cmd.arg(d.join("vsftpd.conf")).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
            if opts.tls12_only {
                let conf = d.join("openssl.cnf");
                std::fs::write(
                    &conf,
                    "openssl_conf = conf\n[conf]\nssl_conf = ssl\n[ssl]\nsystem_default = sys\n[sys]\nMaxProtocol = TLSv1.2\n",
                )
                .unwrap();
                cmd.env("OPENSSL_CONF", conf);
            }
            let mut child = cmd.spawn().expect("start vsftpd");
            match super::sshd::wait_listening(&mut child, port) {
                Ok(()) => return Vsftpd { dir, port, child },
                Err(e) => last_err = e,
            }
        }
        panic!("vsftpd did not start: {last_err}");
    }

    /// The writable directory every URL of this server points into.
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("root/data")
    }

    /// `ftp://` (or `ftpes://` with TLS) URL of `data/`.
    pub fn url(&self, tls: bool) -> String {
        format!("{}://127.0.0.1:{}/data/", if tls { "ftpes" } else { "ftp" }, self.port)
    }

    /// Flags that trust the generated certificate.
    pub fn flags(&self) -> Vec<String> {
        let cert = self.dir.path().join("cert.pem");
        if cert.exists() { vec!["--ca-file".into(), cert.display().to_string()] } else { vec![] }
    }
}

/// Make files a test wrote directly below `dir` belong to the FTP session user.
pub fn chown_ftp(dir: &Path) {
    run(Command::new("chown").args(["-R", "ftp"]).arg(dir));
}

impl Drop for Vsftpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
