//! `GET /callbacks/frontpayment?…&checksum=`: checksum (core's rule), freshness, the order id.
//! A good callback is only a hint: the adapter re-reads the status upstream before recording.

use frontdesk_core::OrderId;
use frontdesk_core::callback;

/// Largest accepted difference between the callback's `timestamp` and our clock.
pub const MAX_SKEW_SECS: i64 = 600;

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
    Ok(Hint {
        order,
        status: get("status").map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(params: &[(&str, &str)], secret: &str) -> Vec<(String, String)> {
        let sum = callback::checksum(params, secret);
        params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .chain([("checksum".to_owned(), sum)])
            .collect()
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
