//! The audit log: one row per authenticated write attempt, per sign-in and account change
//! ([`account`]), and `GET /console/audit`. Account rows carry the client's address; only
//! admins read them.

use frontdesk_core::proxy::{AuditPage, AuditRow, ResendDetail};

use crate::error::{ProxyError, ProxyReply};
use crate::sql::{Query, cursor};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub at: i64,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub order_uuid: Option<String>,
    pub amount_ore: Option<i64>,
    pub status: u16,
    pub message: String,
    pub idempotency_key: Option<String>,
    pub replayed: bool,
    /// What the write carried, as JSON: refunds the lines (`{"<product id>": øre}`, see
    /// [`refund_lines`]); resends to whom (`{"to": {…}}`, [`resend_detail`]); cancels the note
    /// (`{"cancellationNote": "…"}`); internal notes the text (`{"note": "…"}`).
    pub detail: Option<String>,
}

impl Entry {
    pub fn insert(&self) -> Query {
        self.insert_from(None)
    }

    /// The row with the client's address ([`crate::auth::client::address`]).
    pub fn insert_from(&self, address: Option<&str>) -> Query {
        let mut q = Query::new("");
        let p = [
            q.bind(self.at),
            q.bind(self.actor.as_str()),
            q.bind(self.role.as_str()),
            q.bind(self.action.as_str()),
            q.bind(self.order_uuid.clone()),
            q.bind(self.amount_ore),
            q.bind(i64::from(self.status)),
            q.bind(self.message.chars().take(200).collect::<String>()),
            q.bind(self.idempotency_key.clone()),
            q.bind(i64::from(self.replayed)),
            q.bind(self.detail.clone()),
            q.bind(address),
        ];
        q.sql = format!(
            "INSERT INTO audit_log (at, actor, role, action, order_uuid, amount_ore, status, message, idempotency_key, replayed, detail, address) VALUES ({})",
            p.join(", ")
        );
        q
    }
}

/// A refund's lines as the audit detail (core's `RefundRequest::by_line`, as JSON).
pub fn refund_lines(request: &frontdesk_core::RefundRequest) -> String {
    serde_json::to_string(&request.by_line()).unwrap_or_default()
}

/// A resend's recipients as the audit detail (core's [`ResendDetail`]): the timeline says to
/// whom the link went.
pub fn resend_detail(request: &frontdesk_core::ResendRequest) -> String {
    serde_json::to_string(&ResendDetail {
        to: request.clone(),
    })
    .unwrap_or_default()
}

/// Any other request body worth keeping with its audit row (a cancel's note, an internal note).
pub fn detail_of<T: serde::Serialize>(request: &T) -> String {
    serde_json::to_string(request).unwrap_or_default()
}

/// The audit action of `PUT /console/orders/{uuid}/note`.
pub const NOTE_ACTION: &str = "orderNote";

/// The audit actions of sign-ins, sessions, users and API keys (issue 15). A failed or
/// refused one has its reason as the row's `message` (`password`, `unknownUser`, `disabled`,
/// `throttled`, `badApiKey`, `apiKeyRevoked`, …).
pub mod actions {
    pub const SIGN_IN: &str = "signIn";
    pub const SIGN_IN_FAILED: &str = "signInFailed";
    pub const SIGN_OUT: &str = "signOut";
    pub const SIGN_OUT_EVERYWHERE: &str = "signOutEverywhere";
    pub const SESSION_REVOKED: &str = "sessionRevoked";
    pub const PASSWORD_CHANGED: &str = "passwordChanged";
    pub const PASSWORD_RESET: &str = "passwordReset";
    pub const USER_CREATED: &str = "userCreated";
    pub const USER_CHANGED: &str = "userChanged";
    pub const API_KEY_REVOKED: &str = "apiKeyRevoked";
    pub const API_KEY_REFUSED: &str = "apiKeyRefused";

    /// All of them: the rows only admins read.
    pub const ALL: [&str; 11] = [
        SIGN_IN,
        SIGN_IN_FAILED,
        SIGN_OUT,
        SIGN_OUT_EVERYWHERE,
        SESSION_REVOKED,
        PASSWORD_CHANGED,
        PASSWORD_RESET,
        USER_CREATED,
        USER_CHANGED,
        API_KEY_REVOKED,
        API_KEY_REFUSED,
    ];
}

/// A row of `action` by `actor` (an account change, a write, a note): `actor` as
/// [`crate::auth::Principal::id`] (`user:kari`, `key:ci`, or `unknown`), status 200 and
/// message `ok` unless the caller sets them.
pub fn by(at: i64, actor: String, role: &str, action: &str) -> Entry {
    Entry {
        at,
        actor,
        role: role.to_owned(),
        action: action.to_owned(),
        order_uuid: None,
        amount_ore: None,
        status: 200,
        message: "ok".into(),
        idempotency_key: None,
        replayed: false,
        detail: None,
    }
}

/// An accepted callback, for the order's timeline: who told us what, as the status read back.
pub fn callback(at: i64, order_uuid: &str, status: frontdesk_core::OrderStatus) -> Entry {
    Entry {
        order_uuid: Some(order_uuid.to_owned()),
        message: status.as_str().to_owned(),
        ..by(at, "callback".into(), "system", "callback")
    }
}

/// The status and `message` a write was answered with (or refused with), for its audit row.
pub fn outcome(result: &Result<ProxyReply, ProxyError>) -> (u16, String) {
    match result {
        Ok(r) => (r.status, message_of(&r.body)),
        Err(e) => (e.status(), e.envelope().message),
    }
}

/// The `message` of a JSON envelope body (for the audit row), or a placeholder.
pub fn message_of(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned))
        .unwrap_or_else(|| "-".into())
}

/// `GET /console/audit?order=&user=&action=&cursor=&limit=`, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    pub order: Option<String>,
    pub user: Option<String>,
    pub action: Option<String>,
    pub before_id: Option<i64>,
    pub limit: u32,
    /// Include the account rows ([`actions::ALL`]: sign-ins with addresses): admins only.
    pub accounts: bool,
}

impl AuditQuery {
    pub fn parse(pairs: &[(String, String)]) -> Result<AuditQuery, ProxyError> {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.trim().to_owned())
                .filter(|v| !v.is_empty() && v.len() <= 128)
        };
        let before_id = match get("cursor") {
            Some(c) => Some(
                cursor::decode(&c)
                    .map(|(id, _)| id)
                    .ok_or(ProxyError::BadQuery("cursor"))?,
            ),
            None => None,
        };
        let limit = match get("limit") {
            Some(l) => l
                .parse()
                .ok()
                .filter(|l| (1..=100).contains(l))
                .ok_or(ProxyError::BadQuery("limit"))?,
            None => 50,
        };
        Ok(AuditQuery {
            order: get("order").map(|o| o.to_uppercase()),
            user: get("user"),
            action: get("action"),
            before_id,
            limit,
            accounts: false,
        })
    }

    /// Admins also see the account rows.
    pub fn for_role(mut self, role: frontdesk_core::roles::Role) -> AuditQuery {
        self.accounts = role == frontdesk_core::roles::Role::Admin;
        self
    }

    pub fn sql(&self) -> Query {
        let mut q = Query::new("");
        let mut conds = Vec::new();
        if let Some(o) = &self.order {
            conds.push(format!("order_uuid = {}", q.bind(o.as_str())));
        }
        if let Some(u) = &self.user {
            // `alice` matches `user:alice`; a full `key:ci` matches itself.
            let (a, b) = (q.bind(u.as_str()), q.bind(format!("user:{u}")));
            conds.push(format!("actor IN ({a}, {b})"));
        }
        if let Some(a) = &self.action {
            conds.push(format!("action = {}", q.bind(a.as_str())));
        }
        if let Some(id) = self.before_id {
            conds.push(format!("id < {}", q.bind(id)));
        }
        if !self.accounts {
            let hidden: Vec<String> = actions::ALL.iter().map(|a| q.bind(*a)).collect();
            conds.push(format!("action NOT IN ({})", hidden.join(", ")));
        }
        let limit = q.bind(i64::from(self.limit) + 1);
        q.sql = format!(
            "SELECT id, at, actor, role, action, order_uuid AS orderUuid, amount_ore AS amountOre, \
             status, message, idempotency_key AS idempotencyKey, replayed, detail, address \
             FROM audit_log{} ORDER BY id DESC LIMIT {limit}",
            if conds.is_empty() {
                String::new()
            } else {
                format!(" WHERE {}", conds.join(" AND "))
            }
        );
        q
    }

    pub fn next_cursor(id: i64) -> String {
        cursor::encode(id, "")
    }

    /// The page answered from the rows of [`Self::sql`] (one more than the limit when there
    /// is a next page).
    pub fn page(&self, mut rows: Vec<LogRow>) -> AuditPage {
        let limit = self.limit as usize;
        let next_cursor = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|r| AuditQuery::next_cursor(r.audit.id))
        } else {
            None
        };
        AuditPage {
            items: rows.into_iter().map(LogRow::row).collect(),
            next_cursor,
        }
    }
}

/// A row of [`AuditQuery::sql`] as D1 gives it: core's [`AuditRow`] straight from the columns
/// that carry its members' names, beside `replayed`, which D1 gives as 0/1.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct LogRow {
    #[serde(flatten)]
    pub audit: AuditRow,
    #[serde(default)]
    pub replayed: i64,
}

impl LogRow {
    /// The row as the console reads it (core's [`AuditRow`]).
    pub fn row(self) -> AuditRow {
        AuditRow {
            replayed: self.replayed != 0,
            ..self.audit
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_and_query() {
        let e = Entry {
            at: 1,
            actor: "user:a".into(),
            role: "admin".into(),
            action: "cancelOrder".into(),
            order_uuid: Some("ODR1000000001".into()),
            amount_ore: None,
            status: 202,
            message: "cancelledOrderSuccessfully".into(),
            idempotency_key: Some("k".into()),
            replayed: false,
            detail: None,
        };
        let q = e.insert();
        assert_eq!(q.params.len(), 12);
        assert_eq!(q.params[11], crate::sql::SqlValue::Null);
        let located = e.insert_from(Some("192.0.2.1"));
        assert_eq!(
            located.params[11],
            crate::sql::SqlValue::Text("192.0.2.1".into())
        );
        assert!(q.sql.starts_with("INSERT INTO audit_log"));
        let pairs = vec![
            ("order".to_owned(), "odr1000000001".to_owned()),
            ("user".to_owned(), "a".to_owned()),
        ];
        let a = AuditQuery::parse(&pairs).unwrap_or_else(|_| panic!());
        assert_eq!(a.order.as_deref(), Some("ODR1000000001"));
        let s = a.sql();
        assert!(s.sql.contains("order_uuid = ?1") && s.sql.contains("actor IN (?2, ?3)"));
        // Account rows (sign-ins, addresses) are for admins.
        assert!(s.sql.contains("action NOT IN (?4, "), "{}", s.sql);
        let admin = a.clone().for_role(frontdesk_core::roles::Role::Admin).sql();
        assert!(!admin.sql.contains("NOT IN"), "{}", admin.sql);
        let clerk = a.for_role(frontdesk_core::roles::Role::Clerk);
        assert!(!clerk.accounts);
        let row = by(1, "user:kari".into(), "admin", actions::SIGN_IN);
        assert_eq!((row.status, row.order_uuid), (200, None));
        assert!(AuditQuery::parse(&[("cursor".into(), "!".into())]).is_err());
        assert_eq!(message_of(r#"{"message":"x"}"#), "x");
        let two = AuditQuery {
            limit: 1,
            ..AuditQuery::parse(&[]).unwrap_or_else(|_| panic!())
        };
        // As D1 gives it: an object keyed by the query's result names, `replayed` 0/1.
        let log = |id: i64| -> LogRow {
            serde_json::from_value(serde_json::json!({
                "id": id, "at": 1, "actor": "user:a", "role": "clerk", "action": "refundOrder",
                "orderUuid": "ODR1000000001", "amountOre": 2000, "status": 202, "message": "ok",
                "idempotencyKey": null, "replayed": 1, "detail": null, "address": null
            }))
            .unwrap_or_else(|e| panic!("{e}"))
        };
        for name in ["orderUuid", "amountOre", "idempotencyKey"] {
            assert!(two.sql().sql.contains(&format!("AS {name}")), "{name}");
        }
        assert_eq!(log(9).audit.amount_ore, Some(2000));
        let page = two.page(vec![log(9), log(8)]);
        assert_eq!(page.items.len(), 1);
        assert!(page.items[0].replayed && page.items[0].succeeded());
        assert_eq!(page.next_cursor, Some(AuditQuery::next_cursor(9)));
        assert_eq!(two.page(vec![log(9)]).next_cursor, None);
        assert_eq!(message_of("nope"), "-");
    }

    #[test]
    fn refund_lines_sum_repeated_ids() {
        use frontdesk_core::{Money, RefundProduct, RefundRequest, RefundType};
        let line = |id, ore| RefundProduct {
            id,
            amount: Money::from_ore(ore),
        };
        let r = RefundRequest {
            refund_type: RefundType::Regular,
            grand_total: Money::from_ore(600),
            products: vec![line(2, 100), line(1, 200), line(2, 300)],
        };
        assert_eq!(refund_lines(&r), r#"{"1":200,"2":400}"#);
        let to = frontdesk_core::ResendRequest {
            country_code: Some("+47".into()),
            msisdn: Some("91234567".into()),
            email: None,
        };
        assert_eq!(
            resend_detail(&to),
            r#"{"to":{"countryCode":"+47","msisdn":"91234567"}}"#
        );
        let cancel = frontdesk_core::CancelRequest {
            cancellation_note: "Wrong size".into(),
        };
        assert_eq!(detail_of(&cancel), r#"{"cancellationNote":"Wrong size"}"#);
        let cb = callback(5, "ODR1000000001", frontdesk_core::OrderStatus::Paid);
        assert_eq!(
            (cb.actor.as_str(), cb.message.as_str()),
            ("callback", "PAID")
        );
    }
}
