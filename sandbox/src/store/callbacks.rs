//! The callback queue: a row per status change of an order with a callback URL, queued in the
//! status change's own transaction, then every delivery attempt logged against it. Sending
//! is `crate::callbacks`.

use frontdesk_core::money::Money;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{OrderRow, Store, StoreError, lock, orders};
use crate::rules;

/// One callback to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackJob {
    pub id: i64,
    pub url: String,
    pub order_uuid: String,
    pub status: String,
    pub created_at: i64,
    pub payment_method: String,
    pub amount: Money,
    pub attempts: i64,
}

/// One delivery attempt as logged (and shown by the controls).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptLog {
    pub attempt: i64,
    pub at_ms: i64,
    pub url: String,
    pub http_status: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// One queued callback with its attempts, for the controls' delivery log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackLog {
    pub id: i64,
    pub url: String,
    pub status: String,
    pub payment_method: String,
    pub event_at: i64,
    pub state: String,
    pub attempts: Vec<AttemptLog>,
}

/// Queue the callback for `order` having entered its status; `None` when it has no callback
/// URL, else the queued row's id.
pub(super) fn enqueue(
    tx: &Transaction<'_>,
    order: &OrderRow,
    now: i64,
) -> Result<Option<i64>, StoreError> {
    let Some(url) = &order.callback_url else {
        return Ok(None);
    };
    let method = rules::payment_method(order.invoice_number.is_some(), order.status);
    tx.prepare_cached("INSERT INTO callbacks(order_seq, url, status, payment_method, event_at, state) VALUES(?1, ?2, ?3, ?4, ?5, 'pending')")?
        .execute(params![order.seq, url, order.status.as_str(), method, now])?;
    Ok(Some(tx.last_insert_rowid()))
}

impl Store {
    /// The callback delivery log of one order; `None` if there is no such order.
    pub fn callback_log(&self, uuid: &str) -> Result<Option<Vec<CallbackLog>>, StoreError> {
        self.read(|c| {
            let Some(o) = orders::load_order(c, uuid)? else { return Ok(None) };
            let mut st = c.prepare_cached(
                "SELECT id, url, status, payment_method, event_at, state FROM callbacks WHERE order_seq = ?1 ORDER BY id",
            )?;
            let mut logs: Vec<CallbackLog> = st
                .query_map([o.seq], |r| {
                    Ok(CallbackLog {
                        id: r.get(0)?,
                        url: r.get(1)?,
                        status: r.get(2)?,
                        payment_method: r.get(3)?,
                        event_at: r.get(4)?,
                        state: r.get(5)?,
                        attempts: Vec::new(),
                    })
                })?
                .collect::<Result<_, _>>()?;
            let mut at = c.prepare_cached(
                "SELECT attempt, at_ms, url, http_status, error, duration_ms FROM callback_attempts WHERE callback_id = ?1 ORDER BY attempt",
            )?;
            for l in &mut logs {
                l.attempts = at
                    .query_map([l.id], |r| {
                        Ok(AttemptLog {
                            attempt: r.get(0)?,
                            at_ms: r.get(1)?,
                            url: r.get(2)?,
                            http_status: r.get(3)?,
                            error: r.get(4)?,
                            duration_ms: r.get(5)?,
                        })
                    })?
                    .collect::<Result<_, _>>()?;
            }
            Ok(Some(logs))
        })
    }

    /// Ids of the callbacks still pending (resumed at start), oldest first.
    pub fn pending_callbacks(&self) -> Result<Vec<i64>, StoreError> {
        let conn = lock(&self.writer);
        let mut st =
            conn.prepare_cached("SELECT id FROM callbacks WHERE state = 'pending' ORDER BY id")?;
        let ids = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    /// What delivering callback `id` needs; `None` once it is no longer pending.
    pub fn callback_job(&self, id: i64) -> Result<Option<CallbackJob>, StoreError> {
        let conn = lock(&self.writer);
        let mut st = conn.prepare_cached(
            "SELECT c.id, c.url, o.uuid, c.status, o.created_at, c.payment_method, o.amount, c.attempts, c.state \
             FROM callbacks c JOIN orders o ON o.seq = c.order_seq WHERE c.id = ?1",
        )?;
        let row = st
            .query_row([id], |r| {
                Ok((
                    CallbackJob {
                        id: r.get(0)?,
                        url: r.get(1)?,
                        order_uuid: r.get(2)?,
                        status: r.get(3)?,
                        created_at: r.get(4)?,
                        payment_method: r.get(5)?,
                        amount: Money::from_ore(r.get(6)?),
                        attempts: r.get(7)?,
                    },
                    r.get::<_, String>(8)?,
                ))
            })
            .optional()?;
        Ok(row.and_then(|(job, state)| (state == "pending").then_some(job)))
    }

    /// Log one delivery attempt; `final_state` ends the delivery (`delivered` / `failed`).
    pub fn log_attempt(
        &self,
        id: i64,
        log: &AttemptLog,
        final_state: Option<&str>,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO callback_attempts(callback_id, attempt, at_ms, url, http_status, error, duration_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![id, log.attempt, log.at_ms, log.url, log.http_status, log.error, log.duration_ms])?;
            tx.prepare_cached("UPDATE callbacks SET attempts = ?1, state = COALESCE(?2, state) WHERE id = ?3")?
                .execute(params![log.attempt, final_state, id])?;
            Ok::<_, StoreError>(())
        })
    }
}
