//! The TLS session store of one FTPS control connection and its data connections.
//!
//! Servers that require data connections to resume the control connection's session accept
//! only tickets that control connection was given. Under TLS 1.3 some never give more: ProFTPD
//! sends two tickets after the control handshake and none on upload data connections. A store
//! that uses each ticket once (rustls' default) runs dry on the third data connection, which the
//! server then refuses (`425 Unable to build data connection`). This store uses tickets oldest
//! first and offers the last one again instead of using it up, as OpenSSL's clients (curl, lftp)
//! do; servers that send fresh tickets on data connections still get fresh ones used.

use rustls::NamedGroup;
use rustls::client::{ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::pki_types::ServerName;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Tickets kept per server; servers send one or two per handshake.
const MAX_TICKETS: usize = 8;

#[derive(Debug, Default)]
struct Sessions {
    kx_hint: Option<NamedGroup>,
    tls12: Option<Tls12ClientSessionValue>,
    tls13: VecDeque<Tls13ClientSessionValue>,
}

/// One control connection's sessions, keyed by server name (data connections use the same one).
#[derive(Debug, Default)]
pub struct ControlSessions {
    by_server: Mutex<HashMap<ServerName<'static>, Sessions>>,
}

impl ControlSessions {
    fn with<R>(&self, name: &ServerName<'_>, f: impl FnOnce(&mut Sessions) -> R) -> R {
        let mut map = self.by_server.lock().unwrap_or_else(|e| e.into_inner());
        f(map.entry(name.to_owned()).or_default())
    }
}

impl ClientSessionStore for ControlSessions {
    fn set_kx_hint(&self, name: ServerName<'static>, group: NamedGroup) {
        self.with(&name, |s| s.kx_hint = Some(group));
    }

    fn kx_hint(&self, name: &ServerName<'_>) -> Option<NamedGroup> {
        self.with(name, |s| s.kx_hint)
    }

    fn set_tls12_session(&self, name: ServerName<'static>, value: Tls12ClientSessionValue) {
        self.with(&name, |s| s.tls12 = Some(value));
    }

    fn tls12_session(&self, name: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        self.with(name, |s| s.tls12.clone())
    }

    fn remove_tls12_session(&self, name: &ServerName<'static>) {
        self.with(name, |s| s.tls12 = None);
    }

    fn insert_tls13_ticket(&self, name: ServerName<'static>, value: Tls13ClientSessionValue) {
        self.with(&name, |s| {
            if s.tls13.len() == MAX_TICKETS {
                s.tls13.pop_front();
            }
            s.tls13.push_back(value);
        });
    }

    /// The oldest ticket; the last one is handed out as a copy and kept for the next connection.
    fn take_tls13_ticket(&self, name: &ServerName<'static>) -> Option<Tls13ClientSessionValue> {
        self.with(name, |s| if s.tls13.len() > 1 { s.tls13.pop_front() } else { s.tls13.front().cloned() })
    }
}
