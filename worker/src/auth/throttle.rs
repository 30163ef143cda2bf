//! Failed logins: after [`MAX_FAILURES`] failures for one username within [`WINDOW_MS`], further
//! attempts are refused (429 + Retry-After) until the oldest of them leaves the window. Counted
//! for unknown usernames too, so the answer never tells which names exist.

pub const MAX_FAILURES: usize = 5;
/// Fifteen minutes.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// Given the failure times (Unix ms) of the last [`MAX_FAILURES`] failures inside the window,
/// `Some(retry_after_seconds)` when locked.
pub fn locked(recent_failures_ms: &[i64], now_ms: i64) -> Option<u64> {
    let inside: Vec<i64> = recent_failures_ms
        .iter()
        .copied()
        .filter(|t| now_ms - t < WINDOW_MS)
        .collect();
    if inside.len() < MAX_FAILURES {
        return None;
    }
    let mut sorted = inside;
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    // The lock lifts when the MAX_FAILURES-th most recent failure leaves the window.
    let pivot = sorted[MAX_FAILURES - 1];
    let wait_ms = (pivot + WINDOW_MS - now_ms).max(1000);
    Some(u64::try_from((wait_ms + 999) / 1000).unwrap_or(1))
}

/// Rows older than this can be purged.
pub fn purge_before(now_ms: i64) -> i64 {
    now_ms - WINDOW_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_in_fifteen_minutes() {
        let now = 10_000_000_000;
        assert_eq!(locked(&[], now), None);
        let four = [now - 1000, now - 2000, now - 3000, now - 4000];
        assert_eq!(locked(&four, now), None);
        let five = [now - 1000, now - 2000, now - 3000, now - 4000, now - 60_000];
        assert_eq!(
            locked(&five, now),
            Some(((WINDOW_MS - 60_000) / 1000) as u64)
        );
        let old = [
            now - 1000,
            now - 2000,
            now - 3000,
            now - 4000,
            now - WINDOW_MS,
        ];
        assert_eq!(locked(&old, now), None);
        let edge = [now; 5];
        assert_eq!(locked(&edge, now), Some(900));
        assert!(purge_before(now) < now);
    }
}
