//! A total bandwidth cap shared by every transfer of a run (`--bwlimit`).

use std::sync::Mutex;
use tokio::time::{Duration, Instant};

/// Hands out time slots so that all transfers together stay at `bytes_per_sec`.
pub struct RateLimit {
    bytes_per_sec: f64,
    next_free: Mutex<Instant>,
}

impl RateLimit {
    pub fn new(bytes_per_sec: u64) -> Self {
        RateLimit { bytes_per_sec: bytes_per_sec as f64, next_free: Mutex::new(Instant::now()) }
    }

    /// Wait until `n` more bytes may pass. Slots are reserved in order, so concurrent callers
    /// share the rate fairly; idle time is not saved up into a burst.
    pub async fn take(&self, n: usize) {
        let wait = {
            let mut next = self.next_free.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let start = (*next).max(now);
            *next = start + Duration::from_secs_f64(n as f64 / self.bytes_per_sec);
            start - now
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn paces_to_the_rate() {
        let l = RateLimit::new(1000);
        let t0 = Instant::now();
        for _ in 0..5 {
            l.take(1000).await;
        }
        // The first kilobyte passes at once; the next four wait a second each.
        let took = t0.elapsed();
        assert!(took >= Duration::from_secs(4) && took < Duration::from_millis(4100), "{took:?}");
    }
}
