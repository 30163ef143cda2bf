//! Pacing background work by the merchant's rate limit.
//!
//! Front Payment allows a merchant's token a number of requests a minute (Laravel's
//! `throttle:240,1` on the demo API) and says how many are left in `x-ratelimit-remaining` on
//! every answer. People and the proxy's background work (cron re-reads, callback re-reads, the
//! re-read after a write, sync) spend the same budget, so background work stops while no more
//! than a **reserve** is left: `max(limit / 4, 10)` requests, 60 of the demo's 240. A merchant's
//! click then never meets a 429 the proxy's own reads caused.
//!
//! The last reading is kept per isolate ([`remember`] / [`last`]), updated from every upstream
//! answer, people's included, so background work sees what people spent.

use std::cell::Cell;

use frontdesk_core::envelope::DEFAULT_RATE_LIMIT;

use crate::upstream::{Outcome, RateHeaders, retry_after_secs};

/// The limit's window: a reading older than this is of a window that has reset.
pub const WINDOW_MS: i64 = 60_000;
/// The smallest reserve kept for people, whatever the limit.
pub const MIN_RESERVE: u32 = 10;
/// Longest wait taken from a `Retry-After` (a bigger one still only pauses background work).
const MAX_WAIT_SECS: u64 = 3600;

/// One reading of upstream's rate-limit headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Requests a window allows.
    pub limit: u32,
    /// Requests left in the window when read.
    pub remaining: u32,
    /// When it was read (ms since the epoch).
    pub seen_at_ms: i64,
}

impl Budget {
    /// From upstream's headers. `None` without a readable `x-ratelimit-remaining`, or with a
    /// limit of 0 (no limit: the sandbox with `--rate-limit 0`); a missing limit is the default.
    pub fn read(rate: &RateHeaders, now_ms: i64) -> Option<Budget> {
        let count = |v: &Option<String>| v.as_deref().and_then(|v| v.trim().parse::<u32>().ok());
        let limit = count(&rate.limit).unwrap_or(DEFAULT_RATE_LIMIT);
        let remaining = count(&rate.remaining)?;
        (limit > 0).then_some(Budget {
            limit,
            remaining: remaining.min(limit),
            seen_at_ms: now_ms,
        })
    }

    /// After a 429: nothing left until `Retry-After` has passed (the reading is dated so that
    /// it expires then).
    pub fn spent(limit: u32, retry_after_secs: u64, now_ms: i64) -> Budget {
        let wait_ms = retry_after_secs.min(MAX_WAIT_SECS) as i64 * 1000;
        Budget {
            limit,
            remaining: 0,
            seen_at_ms: now_ms + wait_ms - WINDOW_MS,
        }
    }

    /// Requests kept for people: a quarter of the limit, at least [`MIN_RESERVE`].
    pub fn reserve(&self) -> u32 {
        (self.limit / 4).max(MIN_RESERVE)
    }

    /// Requests a window leaves background work (a batch's job): the limit less the reserve.
    pub fn background_share(&self) -> u32 {
        self.limit.saturating_sub(self.reserve())
    }

    /// May background work spend a request now? Yes while more than the reserve is left, or
    /// once the reading is a window old (the window has reset since).
    pub fn allows_background(&self, now_ms: i64) -> bool {
        self.expired(now_ms) || self.remaining > self.reserve()
    }

    /// Whole seconds until the reading expires, rounded up, at least 1: a `Retry-After` for
    /// work paced now.
    pub fn wait_secs(&self, now_ms: i64) -> u64 {
        let ms = (self.seen_at_ms + WINDOW_MS - now_ms).max(0) as u64;
        ms.div_ceil(1000).max(1)
    }

    fn expired(&self, now_ms: i64) -> bool {
        now_ms - self.seen_at_ms >= WINDOW_MS
    }
}

thread_local! {
    /// The isolate's last reading (a Worker isolate is single-threaded).
    static LAST: Cell<Option<Budget>> = const { Cell::new(None) };
}

/// The last reading seen by this isolate.
pub fn last() -> Option<Budget> {
    LAST.with(Cell::get)
}

/// Keep a reading (`None`: upstream has no limit).
pub fn remember(budget: Option<Budget>) {
    LAST.with(|c| c.set(budget));
}

/// Learn from an upstream answer: its headers, or a 429. Answers without headers (timeouts, a
/// proxy in between) change nothing.
pub fn observe(out: &Outcome, now_ms: i64) {
    match out {
        Outcome::RateLimited { retry_after, rate } => {
            let limit = Budget::read(rate, now_ms)
                .map(|b| b.limit)
                .or_else(|| last().map(|b| b.limit))
                .unwrap_or(DEFAULT_RATE_LIMIT);
            remember(Some(Budget::spent(
                limit,
                retry_after_secs(retry_after.as_deref()),
                now_ms,
            )));
        }
        Outcome::Json { rate, .. } if rate.remaining.is_some() => {
            remember(Budget::read(rate, now_ms));
        }
        _ => {}
    }
}

/// May background work spend a request now? (Yes when no reading is known.)
pub fn background_allowed(now_ms: i64) -> bool {
    last().is_none_or(|b| b.allows_background(now_ms))
}

/// Rows a minute a batch's job may send: its share of the last reading's limit, or of the
/// live API's limit when this isolate has seen none.
pub fn job_rows_per_minute() -> u32 {
    last()
        .unwrap_or(Budget {
            limit: DEFAULT_RATE_LIMIT,
            remaining: 0,
            seen_at_ms: 0,
        })
        .background_share()
}

/// Seconds until background work may run again (0 when it may now).
pub fn background_wait_secs(now_ms: i64) -> u64 {
    match last() {
        Some(b) if !b.allows_background(now_ms) => b.wait_secs(now_ms),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::Exchange;

    fn rate(limit: Option<&str>, remaining: Option<&str>) -> RateHeaders {
        RateHeaders {
            limit: limit.map(str::to_owned),
            remaining: remaining.map(str::to_owned),
        }
    }

    fn budget(limit: u32, remaining: u32) -> Budget {
        Budget {
            limit,
            remaining,
            seen_at_ms: 1_000_000,
        }
    }

    #[test]
    fn the_reserve_is_a_quarter_of_the_limit_at_least_ten() {
        assert_eq!(budget(240, 0).reserve(), 60);
        assert_eq!(budget(1000, 0).reserve(), 250);
        assert_eq!(budget(20, 0).reserve(), 10);
        assert_eq!(budget(1, 0).reserve(), 10);
    }

    #[test]
    fn background_stops_at_the_reserve_until_the_window_resets() {
        let now = 1_000_000;
        assert!(budget(240, 239).allows_background(now));
        assert!(budget(240, 61).allows_background(now));
        assert!(!budget(240, 60).allows_background(now));
        assert!(!budget(240, 0).allows_background(now + WINDOW_MS - 1));
        assert!(budget(240, 0).allows_background(now + WINDOW_MS));
        assert_eq!(budget(240, 0).wait_secs(now), 60);
        assert_eq!(budget(240, 0).wait_secs(now + WINDOW_MS - 1), 1);
        assert_eq!(budget(240, 0).wait_secs(now + 2 * WINDOW_MS), 1);
    }

    #[test]
    fn readings() {
        let now = 5_000;
        assert_eq!(
            Budget::read(&rate(Some("240"), Some(" 234 ")), now),
            Some(Budget {
                limit: 240,
                remaining: 234,
                seen_at_ms: now
            })
        );
        // No limit header: the documented default.
        assert_eq!(
            Budget::read(&rate(None, Some("7")), now).map(|b| b.limit),
            Some(DEFAULT_RATE_LIMIT)
        );
        // No count, garbage, or no limit at all.
        assert_eq!(Budget::read(&rate(Some("240"), None), now), None);
        assert_eq!(Budget::read(&rate(Some("240"), Some("-1")), now), None);
        assert_eq!(Budget::read(&rate(Some("0"), Some("0")), now), None);
    }

    #[test]
    fn a_429_pauses_background_work_for_its_retry_after() {
        let now = 10_000_000;
        let b = Budget::spent(240, 5, now);
        assert_eq!(b.remaining, 0);
        assert!(!b.allows_background(now + 4_999));
        assert!(b.allows_background(now + 5_000));
        let long = Budget::spent(240, u64::MAX, now);
        assert!(!long.allows_background(now + WINDOW_MS));
        assert!(long.allows_background(now + MAX_WAIT_SECS as i64 * 1000));
    }

    fn answer(status: u16, retry_after: Option<&str>, headers: RateHeaders) -> Outcome {
        let body = r#"{"status_code":200,"message":"Order Status Retrieved Successfully","is_data":true,"data":{"uuid":"ODR1000000001","status":"SENT"}}"#;
        Outcome::from_exchange(Exchange::Answer {
            status,
            content_type: Some("application/json".into()),
            body: body.into(),
            retry_after: retry_after.map(str::to_owned),
            rate: headers,
        })
    }

    #[test]
    fn the_isolate_learns_from_every_answer() {
        let now = 20_000_000;
        remember(None);
        assert!(background_allowed(now));
        assert_eq!(background_wait_secs(now), 0);
        observe(&answer(200, None, rate(Some("240"), Some("100"))), now);
        assert_eq!(last().map(|b| b.remaining), Some(100));
        assert!(background_allowed(now));
        observe(&answer(200, None, rate(Some("240"), Some("60"))), now + 1);
        assert!(!background_allowed(now + 1));
        assert_eq!(background_wait_secs(now + 1), 60);
        // Answers without headers change nothing.
        observe(&answer(200, None, RateHeaders::default()), now + 2);
        observe(&Outcome::Timeout, now + 2);
        assert!(!background_allowed(now + 2));
        // The window resets.
        assert!(background_allowed(now + 1 + WINDOW_MS));
        // A 429 without headers keeps the known limit and waits its Retry-After.
        observe(&answer(429, Some("30"), RateHeaders::default()), now + 3);
        assert_eq!(last().map(|b| (b.limit, b.remaining)), Some((240, 0)));
        assert!(!background_allowed(now + 3 + 29_999));
        assert!(background_allowed(now + 3 + 30_000));
        // Upstream without a limit (limit 0): nothing to pace by.
        observe(&answer(200, None, rate(Some("0"), Some("0"))), now + 4);
        assert_eq!(last(), None);
        assert!(background_allowed(now + 4));
    }
}
