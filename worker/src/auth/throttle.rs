//! The sign-in throttle (also guarding the current-password check of a password change).
//!
//! Every attempt is recorded BEFORE it is judged, in one D1 batch with the two counts
//! ([`attempt_sql`]): D1 runs a batch as one transaction, one at a time, so of N parallel
//! guesses the k-th sees k attempts and no guess can slip past the limit in the gap between
//! a read and a write. A success clears its (user, address) attempts ([`clear_sql`]); refused
//! and failed attempts stay for [`WINDOW_MS`].
//!
//! Counted within the last 15 minutes, per (user name, client address) and per client address
//! across names (see [`super::client`] for the address):
//! - the first [`PAIR_LIMIT`] (5) attempts of a (user, address), and the first
//!   [`ADDRESS_LIMIT`] (20) of an address, pass without delay;
//! - beyond that, the n-th attempt must come at least 2^(n − limit) seconds after the one
//!   before (2, 4, 8 … s, capped at [`MAX_DELAY_SECS`]); sooner, it is refused with 429 and a
//!   `Retry-After` that holds for the next try (refused attempts count: hammering only makes
//!   the wait longer).
//!
//! Unknown user names are judged the same way before any password hashing, so guessing names
//! costs the guesser (a 429 after 20 from one address), not PBKDF2 time here. 200 parallel
//! guesses for one name from one address run PBKDF2 at most [`PAIR_LIMIT`] times.

use crate::sql::Query;

/// Fifteen minutes.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Attempts a (user, address) makes without delay within the window.
pub const PAIR_LIMIT: usize = 5;
/// Attempts an address makes without delay within the window, across user names.
pub const ADDRESS_LIMIT: usize = 20;
/// The longest delay between attempts past a limit (the window: then the oldest leave).
pub const MAX_DELAY_SECS: u64 = 900;

/// Rows worth reading for a limit: the delay is at its cap from 10 past it.
pub const fn rows_needed(limit: usize) -> usize {
    limit + 11
}

/// How long the n-th attempt in the window (1-based, this one included) must wait after the
/// one before, in ms.
pub fn delay_ms(n: usize, limit: usize) -> i64 {
    let Some(excess) = n.checked_sub(limit).filter(|e| *e > 0) else {
        return 0;
    };
    let secs = 1u64
        .checked_shl(u32::try_from(excess).unwrap_or(u32::MAX))
        .unwrap_or(u64::MAX)
        .min(MAX_DELAY_SECS);
    i64::try_from(secs * 1000).unwrap_or(i64::MAX)
}

/// One scope's verdict from its attempt times (Unix ms, newest first, this attempt first,
/// within the window): `Some(retry_after_secs)` when refused.
pub fn refused(times: &[i64], limit: usize, now_ms: i64) -> Option<u64> {
    let need = delay_ms(times.len(), limit);
    let previous = times.get(1)?;
    if need == 0 || now_ms.saturating_sub(*previous) >= need {
        return None;
    }
    // This refused attempt counts too: the next one is the (n+1)-th, timed from now.
    let next = delay_ms(times.len() + 1, limit);
    Some(
        u64::try_from((next + 999) / 1000)
            .unwrap_or(MAX_DELAY_SECS)
            .max(1),
    )
}

/// Both scopes: `Err(retry_after_secs)` when either refuses (the longer wait).
pub fn check(pair: &[i64], address: &[i64], now_ms: i64) -> Result<(), u64> {
    let waits = [
        refused(pair, PAIR_LIMIT, now_ms),
        refused(address, ADDRESS_LIMIT, now_ms),
    ];
    match waits.into_iter().flatten().max() {
        Some(secs) => Err(secs),
        None => Ok(()),
    }
}

/// The batch that records an attempt and reads both scopes' recent attempt times:
/// `[insert, pair times, address times]`. `address` is a throttle key
/// ([`super::client::throttle_key`]).
pub fn attempt_sql(username: &str, address: &str, now_ms: i64) -> [Query; 3] {
    let since = now_ms - WINDOW_MS;
    let mut insert = Query::new("");
    let (u, a, at) = (
        insert.bind(username),
        insert.bind(address),
        insert.bind(now_ms),
    );
    insert.sql =
        format!("INSERT INTO login_failures (username, address, at) VALUES ({u}, {a}, {at})");
    let mut pair = Query::new("");
    let (u, a, s) = (pair.bind(username), pair.bind(address), pair.bind(since));
    pair.sql = format!(
        "SELECT at FROM login_failures WHERE username = {u} AND address = {a} AND at > {s} ORDER BY at DESC LIMIT {}",
        rows_needed(PAIR_LIMIT)
    );
    let mut by_address = Query::new("");
    let (a, s) = (by_address.bind(address), by_address.bind(since));
    by_address.sql = format!(
        "SELECT at FROM login_failures WHERE address = {a} AND at > {s} ORDER BY at DESC LIMIT {}",
        rows_needed(ADDRESS_LIMIT)
    );
    [insert, pair, by_address]
}

/// After a success: forget this (user, address)'s attempts.
pub fn clear_sql(username: &str, address: &str) -> Query {
    let mut q = Query::new("");
    let (u, a) = (q.bind(username), q.bind(address));
    q.sql = format!("DELETE FROM login_failures WHERE username = {u} AND address = {a}");
    q
}

/// After an admin's password reset: forget the user's attempts from every address.
pub fn clear_user_sql(username: &str) -> Query {
    let mut q = Query::new("");
    let u = q.bind(username);
    q.sql = format!("DELETE FROM login_failures WHERE username = {u}");
    q
}

/// Rows older than this can be purged.
pub fn purge_before(now_ms: i64) -> i64 {
    now_ms - WINDOW_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 10_000_000_000;

    /// `n` attempts, the newest at `NOW`, `gap_ms` apart.
    fn burst(n: usize, gap_ms: i64) -> Vec<i64> {
        (0..n).map(|i| NOW - gap_ms * i as i64).collect()
    }

    #[test]
    fn delays_double_past_the_limit() {
        assert_eq!(delay_ms(1, 5), 0);
        assert_eq!(delay_ms(5, 5), 0);
        assert_eq!(delay_ms(6, 5), 2000);
        assert_eq!(delay_ms(7, 5), 4000);
        assert_eq!(delay_ms(14, 5), 512_000);
        assert_eq!(delay_ms(15, 5), 900_000);
        assert_eq!(delay_ms(usize::MAX, 5), 900_000);
        assert_eq!(delay_ms(0, 5), 0);
    }

    #[test]
    fn a_burst_gets_the_limit_and_no_more() {
        // Of 200 parallel attempts, the k-th sees k rows (all at about the same time).
        let passed = (1..=200)
            .filter(|k| check(&burst(*k, 0), &burst(*k, 0), NOW).is_ok())
            .count();
        assert_eq!(passed, PAIR_LIMIT);
        // The sixth is refused, and told the wait that lets the seventh through.
        assert_eq!(check(&burst(6, 0), &burst(6, 0), NOW), Err(4));
        assert_eq!(check(&burst(7, 4000), &burst(7, 4000), NOW), Ok(()));
        assert_eq!(check(&burst(7, 3999), &burst(7, 3999), NOW), Err(8));
        // Hammering only lengthens the wait, up to the cap.
        assert_eq!(
            check(&burst(40, 0), &burst(40, 0), NOW),
            Err(MAX_DELAY_SECS)
        );
    }

    #[test]
    fn the_address_limit_spans_names() {
        // Each name is new (one attempt), but the address has made 21 within a second.
        assert_eq!(check(&burst(1, 0), &burst(21, 50), NOW), Err(4));
        assert_eq!(check(&burst(1, 0), &burst(20, 50), NOW), Ok(()));
        // Paced 2 s apart, the 21st passes.
        assert_eq!(check(&burst(1, 0), &burst(21, 2000), NOW), Ok(()));
    }

    #[test]
    fn queries() {
        let [insert, pair, address] = attempt_sql("kari", "192.0.2.1", NOW);
        assert!(insert.sql.starts_with("INSERT INTO login_failures"));
        assert_eq!(insert.params.len(), 3);
        assert!(pair.sql.ends_with("LIMIT 16"), "{}", pair.sql);
        assert!(address.sql.ends_with("LIMIT 31"), "{}", address.sql);
        assert!(address.sql.contains("address = ?1 AND at > ?2"));
        assert_eq!(
            address.params[1],
            crate::sql::SqlValue::Int(NOW - WINDOW_MS)
        );
        assert!(clear_sql("kari", "local").sql.starts_with("DELETE"));
        assert!(clear_user_sql("kari").sql.ends_with("username = ?1"));
        assert!(purge_before(NOW) < NOW);
    }
}
