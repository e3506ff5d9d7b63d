//! Handles on the wire are opaque byte strings (draft-ietf-secsh-filexfer-02 §3), not text.
//! Patched for ferry: a handle is carried in a `String` holding one char per byte (U+0000 to
//! U+00FF, Latin-1), so every byte string a server sends comes back byte for byte. Before this,
//! handles were read as UTF-8 with lossy replacement, and a server whose handles hold a byte
//! ≥ 0x80 (asyncssh's counter from its 129th handle on) got `EF BF BD` back instead.
//! Proposed upstream: the same mapping now, and a bytes type for handles in the next major
//! version.

use serde::{Deserialize, Deserializer, Serializer};

/// The handle's bytes from its carrier string.
pub fn to_bytes(handle: &str) -> Result<Vec<u8>, String> {
    handle
        .chars()
        .map(|c| u8::try_from(u32::from(c)).map_err(|_| format!("handle character {c:?} is not a byte")))
        .collect()
}

/// The carrier string of a handle's bytes.
pub fn from_bytes(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

pub fn serialize<S: Serializer>(handle: &str, s: S) -> Result<S::Ok, S::Error> {
    let bytes = to_bytes(handle).map_err(serde::ser::Error::custom)?;
    s.serialize_bytes(&bytes)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let bytes: serde_bytes::ByteBuf = Deserialize::deserialize(d)?;
    Ok(from_bytes(&bytes))
}

/// For `&str` fields (`WriteRef`).
pub mod borrowed {
    use serde::Serializer;

    pub fn serialize<S: Serializer>(handle: &&str, s: S) -> Result<S::Ok, S::Error> {
        super::serialize(handle, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_string_round_trips() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(to_bytes(&from_bytes(&all)).unwrap(), all);
        assert_eq!(to_bytes(&from_bytes(&[0, 0, 0, 0x80])).unwrap(), [0, 0, 0, 0x80]);
        assert!(to_bytes("€").is_err());
    }
}
