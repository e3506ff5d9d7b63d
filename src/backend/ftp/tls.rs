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
    /// Extra PEM roots (`--ca-file`), added to the system's.
    pub ca_file: Option<String>,
    /// Accept any certificate (`--insecure`).
    pub insecure: bool,
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
}

impl TlsFactory {
    /// Load the trust roots once (system store plus `--ca-file`, or none with `--insecure`).
    pub fn new(opts: &TlsOptions) -> Result<TlsFactory> {
        if opts.insecure {
            return Ok(TlsFactory { verifier: Arc::new(AcceptAny(provider())), resume: true });
        }
        let mut roots = RootCertStore::empty();
        // An unreadable system store is not fatal when --ca-file supplies the root.
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        if let Some(f) = &opts.ca_file {
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(f)
                .and_then(|it| it.collect::<std::result::Result<Vec<_>, _>>())
                .map_err(|e| Error::new(ErrorKind::Usage, format!("cannot read CA file {f}: {e}")))?;
            if certs.is_empty() {
                return Err(Error::new(ErrorKind::Usage, format!("CA file {f} holds no PEM certificate")));
            }
            for c in certs {
                roots.add(c).map_err(|e| Error::new(ErrorKind::Usage, format!("CA file {f}: {e}")))?;
            }
        }
        let verifier = rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .map_err(|e| Error::new(ErrorKind::Usage, format!("no usable TLS trust roots: {e}")))?;
        Ok(TlsFactory { verifier, resume: true })
    }

    /// A fresh configuration (and session store) for one control connection and its data
    /// connections; TLS 1.2 sessions and TLS 1.3 tickets both resume.
    pub fn config(&self) -> Arc<ClientConfig> {
        let mut config = ClientConfig::builder_with_provider(provider())
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .expect("ring supports TLS 1.2 and 1.3")
            .dangerous()
            .with_custom_certificate_verifier(self.verifier.clone())
            .with_no_client_auth();
        config.resumption =
            if self.resume { rustls::client::Resumption::in_memory_sessions(32) } else { rustls::client::Resumption::disabled() };
        Arc::new(config)
    }

    /// The same trust, never resuming a session.
    pub fn without_resumption(&self) -> TlsFactory {
        TlsFactory { verifier: self.verifier.clone(), resume: false }
    }
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
