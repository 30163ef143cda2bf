//! Creates: the check (our callback URL added when missing, core's validation, `orderDate` in
//! upstream's format), settling an unknown outcome by finding the order upstream, and the
//! index row of an order created through the proxy.

use std::collections::HashMap;

use frontdesk_core::callback;
use frontdesk_core::envelope::{ApiMessage, Envelope};
use frontdesk_core::order::rewrite_order_date;
use frontdesk_core::validate::validate_create;
use frontdesk_core::{CreateOrder, Endpoint, OrderId, OrderKind};
use serde_json::{Value, json};

use super::keys::Settled;
use super::{Checked, Note, WriteCtx, rules};
use crate::customers::RememberOrder;
use crate::db;
use crate::edge::upstream as up;
use crate::edge::{Ctx, customers};
use crate::error::{ProxyError, ProxyReply};
use crate::index::{self, KnownRow, NewOrder};
use crate::reconcile::{self, Found};
use crate::sql::Query;
use crate::upstream::{api_url, listed_orders};

/// Most upstream orders looked at when settling a create.
const MAX_LISTED: usize = 5000;

/// A create's body checked for its kind; returns the top-level members the proxy changed
/// (everything else goes upstream as sent). The amount goes to the audit row.
pub fn check(
    ctx: &Ctx,
    kind: OrderKind,
    value: &mut Value,
    note: &mut Note,
) -> Result<(Checked, Vec<&'static str>), ProxyError> {
    let mut edits = Vec::new();
    // Our callback URL, when the create has none (core's rule, with PUBLIC_URL as its input).
    if let (Some(own), Some(obj)) = (ctx.cfg.own_callback_url(), value.as_object_mut())
        && callback::fill_missing(obj, &own)
    {
        edits.push("callback");
    }
    let v = validate_create(kind, value, &rules(ctx)).map_err(ProxyError::Validation)?;
    note.amount_ore = Some(v.value.order_summary.grand_total.ore());
    if rewrite_order_date(value, ctx.cfg.order_date_format) {
        edits.push("orderDate");
    }
    Ok((Checked::Create(kind, Box::new(v.value)), edits))
}

/// A create of unknown outcome: the order, if it was made, is an upstream order the index does
/// not know (or learnt only since the attempt) whose details match the request. Exactly one →
/// it is adopted as the answer; none → send again; several, or anything unreadable → a person
/// checks.
pub async fn settle(
    w: &WriteCtx<'_>,
    kind: OrderKind,
    req: &CreateOrder,
    attempt_at: i64,
) -> Settled {
    let Some(candidates) = candidates(w, attempt_at).await else {
        return Settled::Unresolved;
    };
    let Some(matches) = matching(w, req, &candidates).await else {
        return Settled::Unresolved;
    };
    match reconcile::pick(matches) {
        Found::None => Settled::NotDone,
        Found::Ambiguous => Settled::Unresolved,
        Found::One {
            uuid,
            customer_uuid,
        } => adopt(w, kind, req, uuid, customer_uuid).await,
    }
}

/// Upstream's orders that may be the attempt's doing (`None`: the list is unreadable, too long,
/// or leaves too many to read).
async fn candidates(w: &WriteCtx<'_>, attempt_at: i64) -> Option<Vec<String>> {
    let template = Endpoint::StatusAll.path_template();
    let all = up::get(w.ctx, &api_url(&w.ctx.cfg.api_base, template, None), None).await;
    let list = listed_orders(&all)?;
    if list.len() > MAX_LISTED {
        return None;
    }
    let uuids: Vec<String> = list
        .iter()
        .filter_map(|o| o.get("uuid")?.as_str().map(str::to_owned))
        .collect();
    let mut known = HashMap::new();
    for chunk in uuids.chunks(index::KNOWN_PER_QUERY) {
        let rows = db::all::<KnownRow>(&w.db, &index::known_sql(chunk))
            .await
            .ok()?;
        for r in rows {
            known.insert(r.uuid.clone(), r);
        }
    }
    let candidates: Vec<String> = uuids
        .into_iter()
        .filter(|u| known.get(u).is_none_or(|k| k.learnt_since(attempt_at)))
        .collect();
    (candidates.len() <= reconcile::MAX_CANDIDATES).then_some(candidates)
}

/// The candidates whose details match the request, with their customer's uuid (`None`: one
/// could not be read).
async fn matching(
    w: &WriteCtx<'_>,
    req: &CreateOrder,
    candidates: &[String],
) -> Option<Vec<(String, Option<String>)>> {
    let mut matches = Vec::new();
    for u in candidates {
        let Ok(id) = u.parse::<OrderId>() else {
            continue;
        };
        let Some(path) = Endpoint::Details.path(Some(&id)) else {
            continue;
        };
        let out = up::get(w.ctx, &api_url(&w.ctx.cfg.api_base, &path, None), None).await;
        match up::data(&out) {
            Some(d) if reconcile::details_match(req, d) => {
                let cu = d
                    .pointer("/customerDetails/uuid")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                matches.push((u.clone(), cu));
            }
            Some(_) => {}
            None => return None,
        }
    }
    Some(matches)
}

/// The one matching order is the attempt's: indexed as `reconciled`, answered as the create
/// would have been.
async fn adopt(
    w: &WriteCtx<'_>,
    kind: OrderKind,
    req: &CreateOrder,
    uuid: String,
    customer_uuid: Option<String>,
) -> Settled {
    let row = NewOrder::from_create(
        kind,
        req,
        &uuid,
        customer_uuid.as_deref(),
        "reconciled",
        w.ctx.now_ms,
    );
    let _ = db::run(&w.db, &row.upsert()).await;
    let data = json!({"uuid": uuid, "customerUuid": customer_uuid});
    Settled::Done(ProxyReply::envelope(&Envelope::ok(
        ApiMessage::OrderAddedSuccessfully,
        data,
    )))
}

/// An order a create made: its uuid and customer's, and its index row (what it was sent with,
/// by whom), which commits with the key's answer ([`super::send`]).
pub struct Created {
    pub uuid: String,
    customer_uuid: Option<String>,
    pub upsert: Query,
}

/// The order a create's answer `data` names (`None` when it names none).
pub fn index_row(
    w: &WriteCtx<'_>,
    kind: OrderKind,
    req: &CreateOrder,
    data: &Value,
) -> Option<Created> {
    let uuid = data.get("uuid").and_then(Value::as_str)?.to_owned();
    let customer_uuid = data
        .get("customerUuid")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let row = NewOrder::from_create(
        kind,
        req,
        &uuid,
        customer_uuid.as_deref(),
        &w.attempt.principal,
        w.ctx.now_ms,
    );
    Some(Created {
        upsert: row.upsert(),
        uuid,
        customer_uuid,
    })
}

/// The customer of a create that went through, into the book.
pub async fn remember(w: &WriteCtx<'_>, kind: OrderKind, req: &CreateOrder, created: &Created) {
    let order = RememberOrder {
        kind,
        details: &req.customer_details,
        order_uuid: &created.uuid,
        customer_uuid: created.customer_uuid.as_deref(),
        by: &w.attempt.principal,
        role: w.attempt.role,
        now_ms: w.ctx.now_ms,
    };
    customers::remember(w.ctx, &w.db, order).await;
}
