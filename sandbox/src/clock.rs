//! Sandbox time: the wall clock plus a persisted offset that `POST /_sandbox/clock` moves.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Real unix time in milliseconds.
pub fn wall_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Real unix seconds.
pub fn wall_secs() -> i64 {
    wall_millis().div_euclid(1000)
}

#[derive(Debug, Default)]
pub struct Clock {
    offset: AtomicI64,
}

impl Clock {
    pub fn new(offset_secs: i64) -> Self {
        Clock {
            offset: AtomicI64::new(offset_secs),
        }
    }
    /// Sandbox unix seconds.
    pub fn now(&self) -> i64 {
        wall_secs().saturating_add(self.offset())
    }
    pub fn offset(&self) -> i64 {
        self.offset.load(Ordering::Acquire)
    }
    pub fn set_offset(&self, secs: i64) {
        self.offset.store(secs, Ordering::Release);
    }
}
