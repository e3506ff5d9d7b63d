//! TLS for FTPS: one rustls client configuration per server, shared by the control connection
//! and every data connection so their sessions resume (servers such as vsftpd with
//! `require_ssl_reuse=YES` refuse data connections that do not resume the control session).

use crate::error::{Error, ErrorKind, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::Arc;

/// Where trust comes from.
#[derive(Debug, Clone, Default)]
pub struct TlsOptions {
    /// Extra PEM roots (`--ca-file`), added to the system's; a server certificate that is itself
    /// in the file is trusted as it is.
    pub ca_file: Option<String>,
    /// Accept any certificate (`--insecure`).
    pub insecure: bool,
    /// Trust exactly the certificate with this SHA-256 (`--tls-fingerprint`), chain unchecked.
    pub fingerprint: Option<String>,
}

/// `SHA256:` and the lower-case hex SHA-256 of a certificate's DER bytes.
pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    use sha2::Digest;
    format!("SHA256:{}", hex::encode(sha2::Sha256::digest(cert.as_ref())))
}

/// Check a `--tls-fingerprint` value: `SHA256:` and 64 hex digits (colons allowed, as
/// `openssl x509 -fingerprint -sha256` prints them). Returns the canonical form.
pub fn parse_fingerprint(s: &str) -> Result<String> {
    let hexpart = s.strip_prefix("SHA256:").or_else(|| s.strip_prefix("sha256:")).unwrap_or(s).replace(':', "").to_ascii_lowercase();
    if hexpart.len() == 64 && hexpart.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(format!("SHA256:{hexpart}"))
    } else {
        Err(Error::usage(format!("TLS fingerprint {s:?} is not SHA256: and 64 hex digits (ferry prints it when it refuses a certificate)")))
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Makes one client configuration per control connection. Each has its own session store:
/// servers that fork a process per session (vsftpd) can resume only their own sessions, so a
/// ticket from one control connection must never be offered on another's data connection.
#[derive(Clone)]
pub struct TlsFactory {
    verifier: Arc<dyn ServerCertVerifier>,
    /// Off only for `doctor`'s "does the server require session reuse?" probe.
    resume: bool,
    /// The fingerprint of the last certificate the server presented (for `doctor`).
    seen: Arc<std::sync::Mutex<Option<String>>>,
}

impl TlsFactory {
    /// Load the trust roots once (system store plus `--ca-file`, or none with `--insecure`).
    pub fn new(opts: &TlsOptions) -> Result<TlsFactory> {
        if opts.insecure {
            return Ok(TlsFactory::recording(Arc::new(AcceptAny(provider()))));
        }
        if let Some(fp) = &opts.fingerprint {
            return Ok(TlsFactory::recording(Arc::new(Pinned { want: parse_fingerprint(fp)?, any: AcceptAny(provider()) })));
        }
        let mut roots = RootCertStore::empty();
        let mut exact = Vec::new();
        // An unreadable system store is not fatal when --ca-file supplies the root.
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        if let Some(f) = &opts.ca_file {
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(f)
                .and_then(|it| it.collect::<std::result::Result<Vec<_>, _>>())
                .map_err(|e| Error::new(ErrorKind::Usage, format!("cannot read CA file {f}: {e}")))?;
            if certs.is_empty() {
                return Err(Error::new(ErrorKind::Usage, format!("CA file {f} holds no PEM certificate")));
            }
            for c in &certs {
                roots.add(c.clone()).map_err(|e| Error::new(ErrorKind::Usage, format!("CA file {f}: {e}")))?;
            }
            exact = certs;
        }
        let chain = rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .map_err(|e| Error::new(ErrorKind::Usage, format!("no usable TLS trust roots: {e}")))?;
        Ok(TlsFactory::recording(Arc::new(Trusted { chain, exact, any: AcceptAny(provider()) })))
    }

    /// `verifier`, noting the fingerprint of every certificate it is shown.
    fn recording(verifier: Arc<dyn ServerCertVerifier>) -> TlsFactory {
        let seen = Arc::new(std::sync::Mutex::new(None));
        TlsFactory { verifier: Arc::new(Recording { inner: verifier, seen: seen.clone() }), resume: true, seen }
    }

    /// The fingerprint of the server's certificate, once a handshake has shown it.
    pub fn seen_fingerprint(&self) -> Option<String> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A fresh configuration (and session store) for one control connection and its data
    /// connections; TLS 1.2 sessions and TLS 1.3 tickets both resume, and the last TLS 1.3
    /// ticket is never used up (see `sessions`).
    pub fn config(&self) -> Arc<ClientConfig> {
        let mut config = ClientConfig::builder_with_provider(provider())
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .expect("ring supports TLS 1.2 and 1.3")
            .dangerous()
            .with_custom_certificate_verifier(self.verifier.clone())
            .with_no_client_auth();
        config.resumption = if self.resume {
            rustls::client::Resumption::store(Arc::new(super::sessions::ControlSessions::default()))
        } else {
            rustls::client::Resumption::disabled()
        };
        Arc::new(config)
    }

    /// The same trust, never resuming a session.
    pub fn without_resumption(&self) -> TlsFactory {
        TlsFactory { verifier: self.verifier.clone(), resume: false, seen: self.seen.clone() }
    }
}

/// The handshake-signature checks of a verifier that only changes how the certificate itself is
/// judged: delegated to `self.$field`, so every verifier checks signatures the same way.
macro_rules! signatures_from {
    ($field:ident) => {
        fn verify_tls12_signature(
            &self,
            m: &[u8],
            c: &CertificateDer<'_>,
            d: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            self.$field.verify_tls12_signature(m, c, d)
        }
        fn verify_tls13_signature(
            &self,
            m: &[u8],
            c: &CertificateDer<'_>,
            d: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            self.$field.verify_tls13_signature(m, c, d)
        }
        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.$field.supported_verify_schemes()
        }
    };
}

/// The usual chain check, plus the certificates of `--ca-file` trusted as they are: a server
/// certificate that is itself in the file passes whatever its CA flag or names (self-signed
/// certificates made by `openssl req -x509` are CA:TRUE and often name the host only in the
/// CN), as curl and lftp accept them. A refusal names the certificate's fingerprint.
#[derive(Debug)]
struct Trusted {
    chain: Arc<rustls::client::WebPkiServerVerifier>,
    exact: Vec<CertificateDer<'static>>,
    any: AcceptAny,
}

impl ServerCertVerifier for Trusted {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match self.chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Ok(v) => Ok(v),
            Err(_) if self.exact.iter().any(|c| c.as_ref() == end_entity.as_ref()) => Ok(ServerCertVerified::assertion()),
            Err(e) => {
                let fp = fingerprint(end_entity);
                Err(rustls::Error::General(format!(
                    "certificate {fp} is not trusted ({e}); trust it with --ca-file (a file holding this certificate or its CA) or pin it with --tls-fingerprint {fp}"
                )))
            }
        }
    }
    signatures_from!(any);
}

/// `--tls-fingerprint`: exactly one certificate, by its SHA-256, chain and names unchecked
/// (WinSCP's `-certificate=`, curl's `--pinnedpubkey`); the handshake signatures still are.
#[derive(Debug)]
struct Pinned {
    want: String,
    any: AcceptAny,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let got = fingerprint(end_entity);
        if got == self.want {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(format!(
                "certificate {got} does not match the pinned --tls-fingerprint {}; refusing to connect",
                self.want
            )))
        }
    }
    signatures_from!(any);
}

/// Notes each certificate's fingerprint, then asks the real verifier.
#[derive(Debug)]
struct Recording {
    inner: Arc<dyn ServerCertVerifier>,
    seen: Arc<std::sync::Mutex<Option<String>>>,
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(fingerprint(end_entity));
        self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }
    signatures_from!(inner);
}

/// `--insecure`: accepts every certificate but still checks the handshake signatures.
#[derive(Debug)]
struct AcceptAny(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
