//! `GET /callbacks/frontpayment?…&checksum=`: checksum (core's rule), freshness, the order id.
//! A good callback is only a hint: the adapter re-reads the status upstream before recording.
//!
//! A verified callback is remembered by its checksum for as long as it could be accepted
//! ([`REMEMBER_MS`]): a repeat (a replay, or the sender's retry) is answered 200 without
//! another upstream read. Re-reads are also paced per order: at most one per
//! [`REREAD_EVERY_MS`]; a callback inside that window is answered 200 and left to the cron.
//! Both live in one D1 table (`callback_replays`, migration 0005), claimed in one statement
//! ([`remember`]), so concurrent repeats cannot both read.

use frontdesk_core::OrderId;
use frontdesk_core::callback::{self, CHECKSUM_PARAM};

use crate::sql::Query;

/// Largest accepted difference between the callback's `timestamp` and our clock.
pub const MAX_SKEW_SECS: i64 = 600;
/// How long a verified callback is remembered: a callback is accepted from `timestamp − skew`
/// to `timestamp + skew`, so twice the skew after it was first seen covers every repeat.
pub const REMEMBER_MS: i64 = 2 * MAX_SKEW_SECS * 1000;
/// At most one upstream re-read per order in this window, whatever the callbacks say.
pub const REREAD_EVERY_MS: i64 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    #[error("bad checksum")]
    BadChecksum,
    #[error("stale or missing timestamp")]
    Stale,
    #[error("missing or bad orderUuid")]
    BadOrder,
    #[error("callbacks not configured")]
    NotConfigured,
}

impl CallbackError {
    pub const fn code(self) -> &'static str {
        match self {
            CallbackError::BadChecksum => "badChecksum",
            CallbackError::Stale => "staleTimestamp",
            CallbackError::BadOrder => "badOrderUuid",
            CallbackError::NotConfigured => "callbacksNotConfigured",
        }
    }
}

/// A verified hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub order: OrderId,
    pub status: Option<String>,
    /// The checksum, lower-cased (core accepts either case): what a repeat is known by.
    pub checksum: String,
}

/// Check a callback's decoded query pairs (in URL order).
pub fn check(
    pairs: &[(String, String)],
    secret: Option<&str>,
    now_secs: i64,
) -> Result<Hint, CallbackError> {
    let secret = secret.ok_or(CallbackError::NotConfigured)?;
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if !callback::verify(&refs, secret) {
        return Err(CallbackError::BadChecksum);
    }
    let get = |k: &str| refs.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
    let ts: i64 = get("timestamp")
        .and_then(|t| t.trim().parse().ok())
        .ok_or(CallbackError::Stale)?;
    // Accept milliseconds too.
    let ts = if ts > 100_000_000_000 { ts / 1000 } else { ts };
    if (now_secs - ts).abs() > MAX_SKEW_SECS {
        return Err(CallbackError::Stale);
    }
    let order = get("orderUuid")
        .and_then(|o| o.trim().parse::<OrderId>().ok())
        .ok_or(CallbackError::BadOrder)?;
    let checksum = get(CHECKSUM_PARAM)
        .ok_or(CallbackError::BadChecksum)?
        .to_ascii_lowercase();
    Ok(Hint {
        order,
        status: get("status").map(str::to_owned),
        checksum,
    })
}

/// Remember a verified callback and claim the order's re-read, in one statement. It returns
/// no row for a repeat (the checksum is known), else one row whose `reread` is 1 when this
/// callback may read upstream now and 0 when another did within [`REREAD_EVERY_MS`].
pub fn remember(hint: &Hint, now_ms: i64) -> Query {
    let mut q = Query::new("");
    let (c, o, now, since) = (
        q.bind(hint.checksum.as_str()),
        q.bind(hint.order.as_str()),
        q.bind(now_ms),
        q.bind(now_ms - REREAD_EVERY_MS),
    );
    q.sql = format!(
        "INSERT INTO callback_replays (checksum, order_uuid, seen_at, reread) \
         VALUES ({c}, {o}, {now}, NOT EXISTS (SELECT 1 FROM callback_replays \
         WHERE order_uuid = {o} AND reread = 1 AND seen_at > {since})) \
         ON CONFLICT (checksum) DO NOTHING RETURNING reread"
    );
    q
}

/// Forget a callback whose re-read failed, so the sender's retry of it is read again.
pub fn forget(hint: &Hint) -> Query {
    let mut q = Query::new("");
    let c = q.bind(hint.checksum.as_str());
    q.sql = format!("DELETE FROM callback_replays WHERE checksum = {c}");
    q
}

/// Drop what no callback can repeat any more (run now and then, after an answer).
pub fn purge(now_ms: i64) -> Query {
    let mut q = Query::new("");
    let before = q.bind(now_ms - REMEMBER_MS);
    q.sql = format!("DELETE FROM callback_replays WHERE seen_at < {before}");
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::SqlValue;

    fn signed(params: &[(&str, &str)], secret: &str) -> Vec<(String, String)> {
        let sum = callback::checksum(params, secret);
        params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .chain([("checksum".to_owned(), sum)])
            .collect()
    }

    fn hint(checksum: &str) -> Hint {
        Hint {
            order: "ODR1000000001".parse().expect("an order id"),
            status: None,
            checksum: checksum.into(),
        }
    }

    #[test]
    fn a_repeat_is_known_by_its_checksum_in_any_case() {
        let now = 1_700_000_000;
        let ts = now.to_string();
        let p = [("orderUuid", "ODR1000000001"), ("timestamp", ts.as_str())];
        let mut good = signed(&p, "sec");
        let lower = check(&good, Some("sec"), now).map(|h| h.checksum);
        good[2].1 = good[2].1.to_ascii_uppercase();
        assert_eq!(check(&good, Some("sec"), now).map(|h| h.checksum), lower);
    }

    #[test]
    fn remembering_claims_the_reread_in_one_statement() {
        let q = remember(&hint("ab12"), 1_000_000);
        assert!(q.sql.starts_with("INSERT INTO callback_replays"));
        assert!(
            q.sql
                .contains("ON CONFLICT (checksum) DO NOTHING RETURNING reread")
        );
        assert_eq!(
            q.params,
            vec![
                SqlValue::Text("ab12".into()),
                SqlValue::Text("ODR1000000001".into()),
                SqlValue::Int(1_000_000),
                SqlValue::Int(1_000_000 - REREAD_EVERY_MS),
            ]
        );
        assert_eq!(
            forget(&hint("ab12")).params,
            vec![SqlValue::Text("ab12".into())]
        );
        assert_eq!(
            purge(REMEMBER_MS + 5).params,
            vec![SqlValue::Int(5)],
            "rows older than the validity window go"
        );
    }

    #[test]
    fn good_bad_stale() {
        let now = 1_700_000_000;
        let ts = now.to_string();
        let p = [
            ("orderUuid", "ODR1000000001"),
            ("status", "PAID"),
            ("createdAt", "1"),
            ("paymentMethod", "CARD"),
            ("amount", "51.00"),
            ("timestamp", ts.as_str()),
        ];
        let good = signed(&p, "sec");
        assert_eq!(
            check(&good, Some("sec"), now).map(|h| h.status),
            Ok(Some("PAID".into()))
        );
        assert_eq!(
            check(&good, Some("sec"), now + 601),
            Err(CallbackError::Stale)
        );
        assert_eq!(
            check(&good, Some("sec"), now - 601),
            Err(CallbackError::Stale)
        );
        assert_eq!(
            check(&good, Some("other"), now),
            Err(CallbackError::BadChecksum)
        );
        assert_eq!(check(&good, None, now), Err(CallbackError::NotConfigured));
        let mut tampered = good.clone();
        tampered[1].1 = "REFUNDED".into();
        assert_eq!(
            check(&tampered, Some("sec"), now),
            Err(CallbackError::BadChecksum)
        );
        let bad_order = signed(&[("orderUuid", "x"), ("timestamp", ts.as_str())], "sec");
        assert_eq!(
            check(&bad_order, Some("sec"), now),
            Err(CallbackError::BadOrder)
        );
        let ms = (now * 1000).to_string();
        let in_ms = signed(
            &[("orderUuid", "ODR1000000001"), ("timestamp", ms.as_str())],
            "sec",
        );
        assert!(check(&in_ms, Some("sec"), now).is_ok());
    }
}
