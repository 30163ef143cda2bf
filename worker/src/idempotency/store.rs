//! The `idempotency_keys` statements, as plain [`Query`] values (run by the adapter): claim,
//! load, take over, finish, release, and the refund hold that keeps one keyed refund of an
//! order in flight at a time.

use frontdesk_core::Endpoint;

use super::{State, Stored};
use crate::error::ProxyReply;
use crate::reconcile::Baseline;
use crate::sql::Query;

/// How long a refund in flight or of unknown outcome holds back other refunds of its order.
pub const REFUND_HOLD_MS: i64 = 150_000;

/// One key's row: keys are per principal, so both name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRef<'a> {
    /// [`crate::auth::Principal::id`].
    pub principal: &'a str,
    /// The `Idempotency-Key` header, checked by [`super::validate_key`].
    pub key: &'a str,
}

/// What a new claim records besides its [`KeyRef`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim<'a> {
    /// [`super::fingerprint`] of the request.
    pub fingerprint: &'a str,
    pub endpoint: Endpoint,
    pub order: Option<&'a str>,
    pub now_ms: i64,
}

/// Claim the key atomically: one row changed means it is ours, none means it existed.
pub fn claim(row: KeyRef<'_>, claim: &Claim<'_>) -> Query {
    let mut q = Query::new("");
    let p = [
        q.bind(row.principal),
        q.bind(row.key),
        q.bind(claim.fingerprint),
        q.bind(claim.endpoint.name()),
        q.bind(claim.order),
        q.bind(claim.now_ms),
    ];
    q.sql = format!(
        "INSERT INTO idempotency_keys (principal, key, fingerprint, endpoint, order_uuid, state, created_at, updated_at) \
         VALUES ({}, {}, {}, {}, {}, 'in_flight', {5}, {5}) ON CONFLICT DO NOTHING",
        p[0], p[1], p[2], p[3], p[4], p[5]
    );
    q
}

/// The existing row (a [`KeyRow`]).
pub fn load(row: KeyRef<'_>) -> Query {
    let mut q = Query::new("");
    let (p, k) = (q.bind(row.principal), q.bind(row.key));
    q.sql = format!(
        "SELECT state, fingerprint, status, body, baseline, created_at, updated_at FROM idempotency_keys WHERE principal = {p} AND key = {k}"
    );
    q
}

/// Take a row of unknown outcome over for settling: it changes only if nobody touched it since
/// it was read at `was` (so two retries never settle at once).
pub fn take_over(row: KeyRef<'_>, was: i64, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (now, pr, k, was) = (
        q.bind(now_ms),
        q.bind(row.principal),
        q.bind(row.key),
        q.bind(was),
    );
    q.sql = format!(
        "UPDATE idempotency_keys SET state = 'in_flight', updated_at = {now} WHERE principal = {pr} AND key = {k} AND updated_at = {was} AND state <> 'done'"
    );
    q
}

/// Record how the attempt ended: `done` with the answer to replay, or `unknown` without one.
pub fn finish(row: KeyRef<'_>, state: State, reply: Option<&ProxyReply>, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let p = [
        q.bind(state.as_str()),
        q.bind(reply.map(|r| i64::from(r.status))),
        q.bind(reply.map(|r| r.body.clone())),
        q.bind(now_ms),
        q.bind(row.principal),
        q.bind(row.key),
    ];
    q.sql = format!(
        "UPDATE idempotency_keys SET state = {}, status = {}, body = {}, updated_at = {} WHERE principal = {} AND key = {}",
        p[0], p[1], p[2], p[3], p[4], p[5]
    );
    q
}

/// Give the key back: nothing happened upstream (a 429), or the write never went out.
pub fn release(row: KeyRef<'_>) -> Query {
    let mut q = Query::new("");
    let (pr, k) = (q.bind(row.principal), q.bind(row.key));
    q.sql = format!("DELETE FROM idempotency_keys WHERE principal = {pr} AND key = {k}");
    q
}

/// Keep what the order looked like before the attempt (`baseline`, JSON of a [`Baseline`]).
pub fn set_baseline(row: KeyRef<'_>, baseline: &str) -> Query {
    let mut q = Query::new("");
    let (bp, pr, k) = (q.bind(baseline), q.bind(row.principal), q.bind(row.key));
    q.sql =
        format!("UPDATE idempotency_keys SET baseline = {bp} WHERE principal = {pr} AND key = {k}");
    q
}

/// Take this order's refund slot for our row, atomically: no row changes while another keyed
/// refund of the order holds it (in flight or of unknown outcome, active within
/// [`REFUND_HOLD_MS`]). Holding = a non-null `baseline` (the `refundedAmount` read before
/// sending).
pub fn hold_refund(row: KeyRef<'_>, order: &str, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (ep, o, pr, k, since) = (
        q.bind(Endpoint::Refund.name()),
        q.bind(order),
        q.bind(row.principal),
        q.bind(row.key),
        q.bind(now_ms - REFUND_HOLD_MS),
    );
    q.sql = format!(
        "UPDATE idempotency_keys SET baseline = COALESCE(baseline, 'holding') WHERE principal = {pr} AND key = {k} \
         AND NOT EXISTS (SELECT 1 FROM idempotency_keys WHERE endpoint = {ep} AND order_uuid = {o} \
         AND baseline IS NOT NULL AND state IN ('in_flight', 'unknown') AND updated_at >= {since} \
         AND NOT (principal = {pr} AND key = {k}))"
    );
    q
}

/// How many other refunds of this order (keyed and possibly done, or without a key and
/// answered 2xx / of unknown outcome) went through the proxy since `since` (a [`CountRow`]).
pub fn other_refunds_since(row: KeyRef<'_>, order: &str, since: i64) -> Query {
    let mut q = Query::new("");
    let (ep, o, pr, k, at) = (
        q.bind(Endpoint::Refund.name()),
        q.bind(order),
        q.bind(row.principal),
        q.bind(row.key),
        q.bind(since),
    );
    q.sql = format!(
        "SELECT (SELECT COUNT(*) FROM idempotency_keys WHERE endpoint = {ep} AND order_uuid = {o} \
           AND updated_at >= {at} AND NOT (principal = {pr} AND key = {k}) \
           AND (state IN ('in_flight', 'unknown') OR status BETWEEN 200 AND 299)) \
         + (SELECT COUNT(*) FROM audit_log WHERE action = {ep} AND order_uuid = {o} AND at >= {at} \
           AND idempotency_key IS NULL AND (status BETWEEN 200 AND 299 OR status >= 500)) AS n"
    );
    q
}

/// A row of [`other_refunds_since`] (D1 gives numbers as floats).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct CountRow {
    pub n: f64,
}

/// A row of [`load`] as D1 gives it (numbers as floats).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct KeyRow {
    pub state: String,
    pub fingerprint: String,
    pub status: Option<f64>,
    pub body: Option<String>,
    pub baseline: Option<String>,
    pub created_at: f64,
    pub updated_at: f64,
}

/// What the earlier attempt under a key left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earlier {
    /// What [`super::on_existing`] decides on.
    pub stored: Stored,
    /// The order before the attempt, for settling a refund.
    pub baseline: Option<Baseline>,
    /// When the attempt began: orders and refunds seen since then may be its doing.
    pub created_at: i64,
}

impl KeyRow {
    /// The row as plain values (an unreadable state counts as unknown, a `holding` baseline
    /// as none).
    pub fn earlier(self) -> Earlier {
        Earlier {
            stored: Stored {
                state: State::parse(&self.state).unwrap_or(State::Unknown),
                fingerprint: self.fingerprint,
                status: self.status.map(|s| s as u16),
                body: self.body,
                updated_at: self.updated_at as i64,
            },
            baseline: self.baseline.and_then(|b| serde_json::from_str(&b).ok()),
            created_at: self.created_at as i64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::SqlValue;

    const ROW: KeyRef<'static> = KeyRef {
        principal: "user:kari",
        key: "k1",
    };

    fn text(s: &str) -> SqlValue {
        SqlValue::Text(s.into())
    }

    #[test]
    fn claim_binds_every_member_once_and_now_twice() {
        let q = claim(
            ROW,
            &Claim {
                fingerprint: "fp",
                endpoint: Endpoint::Refund,
                order: Some("ODR1"),
                now_ms: 7,
            },
        );
        assert!(q.sql.starts_with("INSERT INTO idempotency_keys"));
        assert!(
            q.sql.contains(
                "VALUES (?1, ?2, ?3, ?4, ?5, 'in_flight', ?6, ?6) ON CONFLICT DO NOTHING"
            )
        );
        assert_eq!(
            q.params,
            vec![
                text("user:kari"),
                text("k1"),
                text("fp"),
                text(Endpoint::Refund.name()),
                text("ODR1"),
                SqlValue::Int(7),
            ]
        );
        let create = claim(
            ROW,
            &Claim {
                fingerprint: "fp",
                endpoint: Endpoint::CreateInvoice,
                order: None,
                now_ms: 7,
            },
        );
        assert_eq!(create.params[4], SqlValue::Null);
    }

    #[test]
    fn load_and_release_name_the_row() {
        for q in [load(ROW), release(ROW)] {
            assert!(
                q.sql.ends_with("WHERE principal = ?1 AND key = ?2"),
                "{}",
                q.sql
            );
            assert_eq!(q.params, vec![text("user:kari"), text("k1")]);
        }
        assert!(release(ROW).sql.starts_with("DELETE FROM idempotency_keys"));
    }

    #[test]
    fn take_over_only_the_row_as_read() {
        let q = take_over(ROW, 5, 9);
        assert!(q.sql.contains("AND updated_at = ?4 AND state <> 'done'"));
        assert_eq!(
            q.params,
            vec![
                SqlValue::Int(9),
                text("user:kari"),
                text("k1"),
                SqlValue::Int(5)
            ]
        );
    }

    #[test]
    fn finish_keeps_the_answer_only_when_there_is_one() {
        let reply = ProxyReply::json(201, &serde_json::json!({"a": 1}));
        let done = finish(ROW, State::Done, Some(&reply), 3);
        assert_eq!(
            done.params,
            vec![
                text("done"),
                SqlValue::Int(201),
                text(r#"{"a":1}"#),
                SqlValue::Int(3),
                text("user:kari"),
                text("k1"),
            ]
        );
        let unknown = finish(ROW, State::Unknown, None, 3);
        assert_eq!(
            unknown.params[..3],
            [text("unknown"), SqlValue::Null, SqlValue::Null]
        );
    }

    #[test]
    fn refund_statements_look_at_this_order_and_not_our_own_row() {
        let since = 1_000_000;
        let hold = hold_refund(ROW, "ODR1", since + REFUND_HOLD_MS);
        assert_eq!(
            hold.params,
            vec![
                text(Endpoint::Refund.name()),
                text("ODR1"),
                text("user:kari"),
                text("k1"),
                SqlValue::Int(since),
            ]
        );
        assert!(
            hold.sql
                .contains("updated_at >= ?5 AND NOT (principal = ?3 AND key = ?4)")
        );
        let others = other_refunds_since(ROW, "ODR1", since);
        assert_eq!(others.params[4], SqlValue::Int(since));
        assert!(
            others
                .sql
                .contains("FROM audit_log WHERE action = ?1 AND order_uuid = ?2")
        );
        assert!(others.sql.ends_with("AS n"));
        let b = set_baseline(ROW, r#"{"refunded_ore":0}"#);
        assert_eq!(b.params[0], text(r#"{"refunded_ore":0}"#));
    }

    #[test]
    fn rows_become_plain_values() {
        let row = KeyRow {
            state: "done".into(),
            fingerprint: "fp".into(),
            status: Some(201.0),
            body: Some("{}".into()),
            baseline: Some(r#"{"refunded_ore":1500}"#.into()),
            created_at: 10.0,
            updated_at: 20.0,
        };
        let e = row.clone().earlier();
        assert_eq!(e.stored.state, State::Done);
        assert_eq!(e.stored.status, Some(201));
        assert_eq!(e.stored.updated_at, 20);
        assert_eq!(e.created_at, 10);
        assert_eq!(e.baseline, Some(Baseline { refunded_ore: 1500 }));
        let held = KeyRow {
            state: "garbled".into(),
            baseline: Some("holding".into()),
            ..row
        }
        .earlier();
        assert_eq!(held.stored.state, State::Unknown);
        assert_eq!(held.baseline, None);
    }
}
