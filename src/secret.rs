//! A secret (password, passphrase) whose Debug and Display print `***`, so no log line, plan,
//! report, error or panic message can carry it by accident.

use crate::error::{Error, Result};
use std::fmt;

/// A secret value; only `expose()` gives the bytes, for the one place that sends them.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The secret itself, for handing to a protocol's login step and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("***")
    }
}

/// Read a secret from an environment variable; unset or empty is a usage error naming it.
pub fn secret_from_env(var: &str, what: &str) -> Result<Secret> {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => Ok(Secret::new(v)),
        _ => Err(Error::usage(format!("{what}: environment variable {var} is not set"))),
    }
}

/// Read a secret from the first line of a file.
pub fn secret_from_file(path: &str, what: &str) -> Result<Secret> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::usage(format!("{what}: cannot read {path}: {}", e.kind())))?;
    Ok(Secret::new(text.lines().next().unwrap_or("").to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_itself() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(***)");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"***\"");
        assert_eq!(s.expose(), "hunter2");
    }
}
