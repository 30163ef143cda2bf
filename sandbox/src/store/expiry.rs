//! The expiry sweep: SENT payment links whose due time has passed become EXPIRED. The store
//! keeps the earliest due time in memory, so a sweep with nothing due costs one atomic load.

use std::sync::atomic::Ordering;

use frontdesk_core::status::OrderStatus;

use super::{OrderTx, Store, StoreError, orders};

impl Store {
    /// Turn SENT payment links whose due date has passed into EXPIRED. Cheap when nothing is
    /// due. Returns the callbacks queued.
    pub fn expire_due(&self, now: i64) -> Result<Vec<i64>, StoreError> {
        if now < self.next_due.load(Ordering::Acquire) {
            return Ok(Vec::new());
        }
        self.write(|tx| {
            let due: Vec<String> = {
                let mut st = tx.prepare_cached(
                    "SELECT uuid FROM orders WHERE status = 'SENT' AND due_at <= ?1",
                )?;
                st.query_map([now], |r| r.get(0))?
                    .collect::<Result<_, _>>()?
            };
            let mut callbacks = Vec::new();
            for uuid in due {
                if let Some(order) = orders::load_order(tx, &uuid)? {
                    let mut otx = OrderTx::new(tx, order, now);
                    otx.set_status(OrderStatus::Expired, "expired", None)?;
                    callbacks.extend(otx.callbacks);
                }
            }
            let next: Option<i64> = tx
                .prepare_cached("SELECT MIN(due_at) FROM orders WHERE status = 'SENT'")?
                .query_row([], |r| r.get(0))?;
            // Stored under the writer lock: a create commits either before (and is in MIN) or
            // after (and lowers it with its own fetch_min).
            self.next_due
                .store(next.unwrap_or(i64::MAX), Ordering::Release);
            Ok::<_, StoreError>(callbacks)
        })
    }

    /// A new payment link is due at `due`: the next sweep must not wait past it.
    pub(super) fn note_due(&self, due: i64) {
        self.next_due.fetch_min(due, Ordering::AcqRel);
    }

    /// Nothing is due any more (the store was emptied).
    pub(super) fn nothing_due(&self) {
        self.next_due.store(i64::MAX, Ordering::Release);
    }
}
