//! The merchant's rate limit, as Laravel's `throttle:N,1` keeps it on the live server: a fixed
//! 60-second window that opens with the first request after the last one closed; N requests
//! pass in it, the rest get `429` with `Retry-After` (seconds until the window closes) and are
//! not counted as hits. Time is the real monotonic clock, never the sandbox's movable one.
//!
//! Laravel keys the window by the bearer token. The sandbox accepts exactly one token (anything
//! else is 401 before the limiter, as Laravel's `auth` runs before `throttle`), so one window is
//! one per token. Pure logic here ([`Window`]); [`Limiter`] is the shared, locked one.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;

/// Laravel's `throttle:N,1`: one minute.
pub const WINDOW: Duration = Duration::from_secs(60);

/// What one request gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The limit is off (0): no rate headers, never a 429.
    Unlimited,
    /// Passed; `remaining` is what is left of the window after this request.
    Allowed { limit: u32, remaining: u32 },
    /// Refused: the window is spent for another `retry_after_secs` (1 ..= 60).
    Limited { limit: u32, retry_after_secs: u64 },
}

/// What the limiter has seen, for `GET /_sandbox/rate-limit`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// The limit; 0 = off.
    pub per_minute: u32,
    /// Requests let through in the current window (0 when it has closed).
    pub window_requests: u32,
    /// Every API request seen since start, refused ones included.
    pub total_requests: u64,
    /// Requests refused with 429 since start.
    pub limited_requests: u64,
}

/// One fixed window and the counters.
#[derive(Debug, Clone)]
pub struct Window {
    limit: u32,
    started: Option<Instant>,
    hits: u32,
    total: u64,
    limited: u64,
}

impl Window {
    pub fn new(limit: u32) -> Self {
        Window {
            limit,
            started: None,
            hits: 0,
            total: 0,
            limited: 0,
        }
    }

    /// A new limit starts a fresh window (tests seed with the limit off, then turn it on).
    pub fn set_limit(&mut self, limit: u32) {
        self.limit = limit;
        self.started = None;
        self.hits = 0;
    }

    /// Count one request at `now` and say whether it passes.
    pub fn hit(&mut self, now: Instant) -> Verdict {
        self.total = self.total.saturating_add(1);
        let started = self.open_window(now);
        if self.limit == 0 {
            self.hits = self.hits.saturating_add(1);
            return Verdict::Unlimited;
        }
        if self.hits >= self.limit {
            self.limited = self.limited.saturating_add(1);
            let left = WINDOW.saturating_sub(now.saturating_duration_since(started));
            return Verdict::Limited {
                limit: self.limit,
                retry_after_secs: ceil_secs(left).clamp(1, WINDOW.as_secs()),
            };
        }
        self.hits += 1;
        Verdict::Allowed {
            limit: self.limit,
            remaining: self.limit - self.hits,
        }
    }

    pub fn stats(&self, now: Instant) -> Stats {
        Stats {
            per_minute: self.limit,
            window_requests: if self.is_open(now) { self.hits } else { 0 },
            total_requests: self.total,
            limited_requests: self.limited,
        }
    }

    fn is_open(&self, now: Instant) -> bool {
        self.started
            .is_some_and(|s| now.saturating_duration_since(s) < WINDOW)
    }

    /// The current window's start; a closed (or never opened) window reopens at `now`.
    fn open_window(&mut self, now: Instant) -> Instant {
        if let (true, Some(s)) = (self.is_open(now), self.started) {
            return s;
        }
        self.started = Some(now);
        self.hits = 0;
        now
    }
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The sandbox's one window, shared by every request.
#[derive(Debug)]
pub struct Limiter(Mutex<Window>);

impl Limiter {
    pub fn new(limit: u32) -> Self {
        Limiter(Mutex::new(Window::new(limit)))
    }
    pub fn hit(&self) -> Verdict {
        self.lock().hit(Instant::now())
    }
    pub fn set_limit(&self, limit: u32) {
        self.lock().set_limit(limit);
    }
    pub fn stats(&self) -> Stats {
        self.lock().stats(Instant::now())
    }
    fn lock(&self) -> MutexGuard<'_, Window> {
        // Nothing panics while holding it; if something did, the counters are still usable.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn counts_down_then_refuses_until_the_window_closes() {
        let t0 = Instant::now();
        let mut w = Window::new(3);
        for left in [2, 1, 0] {
            assert_eq!(
                w.hit(t0 + secs(1)),
                Verdict::Allowed {
                    limit: 3,
                    remaining: left
                }
            );
        }
        assert_eq!(
            w.hit(t0 + secs(11)),
            Verdict::Limited {
                limit: 3,
                retry_after_secs: 50
            }
        );
        // Refusals are not hits: the window still closes 60 s after its first request.
        assert_eq!(
            w.hit(t0 + Duration::from_millis(60_500)),
            Verdict::Limited {
                limit: 3,
                retry_after_secs: 1
            }
        );
        assert_eq!(
            w.hit(t0 + secs(61)),
            Verdict::Allowed {
                limit: 3,
                remaining: 2
            }
        );
        let s = w.stats(t0 + secs(61));
        assert_eq!(
            (
                s.per_minute,
                s.window_requests,
                s.total_requests,
                s.limited_requests
            ),
            (3, 1, 6, 2)
        );
        assert_eq!(w.stats(t0 + secs(200)).window_requests, 0);
    }

    #[test]
    fn retry_after_rounds_up_and_stays_in_range() {
        let t0 = Instant::now();
        let mut w = Window::new(1);
        assert!(matches!(w.hit(t0), Verdict::Allowed { remaining: 0, .. }));
        for (at_ms, want) in [(0, 60), (1, 60), (999, 60), (1_000, 59), (59_999, 1)] {
            assert_eq!(
                w.hit(t0 + Duration::from_millis(at_ms)),
                Verdict::Limited {
                    limit: 1,
                    retry_after_secs: want
                },
                "{at_ms} ms"
            );
        }
    }

    #[test]
    fn off_never_refuses_but_still_counts() {
        let t0 = Instant::now();
        let mut w = Window::new(0);
        for _ in 0..1_000 {
            assert_eq!(w.hit(t0), Verdict::Unlimited);
        }
        let s = w.stats(t0);
        assert_eq!((s.window_requests, s.total_requests), (1_000, 1_000));
    }

    #[test]
    fn a_new_limit_starts_a_fresh_window() {
        let t0 = Instant::now();
        let mut w = Window::new(0);
        for _ in 0..500 {
            w.hit(t0);
        }
        w.set_limit(2);
        assert_eq!(
            w.hit(t0 + secs(1)),
            Verdict::Allowed {
                limit: 2,
                remaining: 1
            }
        );
        assert!(matches!(w.hit(t0 + secs(1)), Verdict::Allowed { .. }));
        assert!(matches!(w.hit(t0 + secs(2)), Verdict::Limited { .. }));
        assert_eq!(w.stats(t0 + secs(2)).total_requests, 503);
    }
}
