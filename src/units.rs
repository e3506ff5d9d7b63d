//! Human durations (`90s`, `15m`, `2h`, `7d`) and sizes (`10k`, `5MiB`), parsed by well-kept crates.

use crate::error::{Error, Result};
use std::time::Duration;

/// Parse a duration such as `90s`, `15m`, `2h`, `7d` or `1h30m`; a bare number means seconds.
pub fn parse_duration(s: &str) -> Result<Duration> {
    let t = s.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<u64>().map(Duration::from_secs).map_err(|_| bad_duration(s));
    }
    humantime::parse_duration(t).map_err(|_| bad_duration(s))
}

fn bad_duration(s: &str) -> Error {
    Error::usage(format!("invalid duration {s:?} (expected e.g. 90s, 15m, 2h, 7d)"))
}

/// Parse a size such as `10k`, `5MiB`, `1.5G` or `4096`; `k`/`M`/`G` alone are binary multiples,
/// as in rclone and lftp.
pub fn parse_size(s: &str) -> Result<u64> {
    let t = s.trim();
    let bad = || Error::usage(format!("invalid size {s:?} (expected e.g. 4096, 10k, 5MiB, 1G)"));
    if t.is_empty() {
        return Err(bad());
    }
    // A single-letter suffix means a binary unit (10k = 10 KiB), like rclone's --min-size.
    let normalized = match t.char_indices().last() {
        Some((i, c)) if "kKmMgGtT".contains(c) && t[..i].chars().last().is_some_and(|p| p.is_ascii_digit() || p == ' ') => {
            format!("{}{}iB", t[..i].trim_end(), c.to_ascii_uppercase())
        }
        _ => t.to_string(),
    };
    normalized.parse::<bytesize::ByteSize>().map(|b| b.as_u64()).map_err(|_| bad())
}

/// Parse a transfer rate such as `10MiB/s`, `500k` or `1M/s` into bytes per second (0 is refused).
pub fn parse_rate(s: &str) -> Result<u64> {
    let t = s.trim();
    let t = t.strip_suffix("/s").unwrap_or(t);
    let n = parse_size(t).map_err(|_| Error::usage(format!("invalid rate {s:?} (expected e.g. 10MiB/s, 500k)")))?;
    if n == 0 {
        return Err(Error::usage(format!("invalid rate {s:?}: must be more than 0")));
    }
    Ok(n)
}

/// Format a byte count the way people read it (binary units).
pub fn human_bytes(n: u64) -> String {
    bytesize::ByteSize::b(n).display().iec().to_string()
}

/// `n` and the noun in the right number: "1 file", "2 files".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A duration flag that must be more than zero.
pub fn positive(s: &str, what: &str) -> Result<std::time::Duration> {
    let d = parse_duration(s).map_err(|e| Error::usage(format!("{what}: {}", e.message)))?;
    if d.is_zero() {
        return Err(Error::usage(format!("{what}: must be more than zero")));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let ok = [("90s", 90), ("15m", 900), ("2h", 7200), ("7d", 7 * 86400), ("1h30m", 5400), ("42", 42)];
        for (s, secs) in ok {
            assert_eq!(parse_duration(s).unwrap(), Duration::from_secs(secs), "{s}");
        }
        for s in ["", "abc", "5 parsecs", "-3s"] {
            let e = parse_duration(s).unwrap_err();
            assert!(e.message.contains(&format!("{s:?}")), "{}", e.message);
        }
    }

    #[test]
    fn sizes() {
        let ok = [("4096", 4096), ("10k", 10 * 1024), ("10K", 10240), ("5MiB", 5 << 20), ("1G", 1 << 30), ("2MB", 2_000_000)];
        for (s, n) in ok {
            assert_eq!(parse_size(s).unwrap(), n, "{s}");
        }
        for s in ["", "x", "10 bananas", "-1"] {
            assert!(parse_size(s).is_err(), "{s}");
        }
    }

    #[test]
    fn rates() {
        assert_eq!(parse_rate("10MiB/s").unwrap(), 10 << 20);
        assert_eq!(parse_rate("500k").unwrap(), 500 << 10);
        assert!(parse_rate("0").is_err());
        assert!(parse_rate("fast").is_err());
    }
}
