//! `/console/customers…`: the customer book. Viewers read it (personal numbers masked),
//! clerks and admins change it, admins erase; every change and every failed attempt is
//! audited. [`remember`] is how an order created through Frontdesk fills it. What the
//! catalogue does the same way is [`super::book`]'s.

use frontdesk_core::book::csv::preview_customers;
use frontdesk_core::book::{Customer, CustomerExport, CustomerInput, Erasure, Keys};
use frontdesk_core::envelope::ApiMessage;
use frontdesk_core::validate::validate_book_customer;
use serde_json::{Value, json};
use worker::D1Database;

use super::Ctx;
use super::auth::run_batch;
use super::book::{self as shelf, Check, Handlers, Preview, changed};
use super::console::{data, internal};
use crate::auth::Principal;
use crate::book::{BookOp, Shelf, actions};
use crate::customers::{
    self, CustomerRow, RememberOrder, distinct, expand_json, remember_from_order,
};
use crate::db;
use crate::error::{ProxyError, ProxyReply};

/// The book's own handlers: a number another entry holds is refused, rows are matched by
/// core, and a customer can be erased and their data exported.
impl Handlers for Customer {
    type Input = CustomerInput;
    const CHECK: Check<CustomerInput> = validate_book_customer;
    const PREVIEW: Preview<CustomerInput> = preview_customers;

    /// `POST /console/customers` `{customerDetails, notes}`.
    async fn create(
        ctx: &Ctx,
        principal: &Principal,
        input: CustomerInput,
    ) -> Result<ProxyReply, ProxyError> {
        no_twins(&ctx.db()?, &input, None).await?;
        let id = shelf::new_id(Shelf::Customers)?;
        let customer = input.into_customer(id, &principal.id(), ctx.now_ms);
        shelf::created(ctx, principal, customer).await
    }

    /// `PUT /console/customers/{id}`: the whole editable entry (details and notes); the audit
    /// row names the fields that changed.
    async fn update(
        ctx: &Ctx,
        principal: &Principal,
        input: CustomerInput,
        id: &str,
    ) -> Result<ProxyReply, ProxyError> {
        let db = ctx.db()?;
        let before: Customer = shelf::find(&db, id).await?;
        no_twins(&db, &input, Some(id)).await?;
        let fields = before.changed_fields(&input);
        let after = input.applied_to(before, &principal.id(), ctx.now_ms);
        shelf::updated(ctx, principal, after, &fields).await
    }

    /// `POST /console/customers/import`: the rows matched against the book (and the rows
    /// before them), written in one batch with one audit row.
    async fn import(
        ctx: &Ctx,
        principal: &Principal,
        rows: Vec<(usize, CustomerInput)>,
    ) -> Result<ProxyReply, ProxyError> {
        let keys: Vec<Keys> = rows
            .iter()
            .map(|(_, input)| Keys::of(&input.customer_details))
            .collect();
        let known = candidates(&ctx.db()?, &keys).await?;
        shelf::run_import::<Customer>(ctx, principal, rows.len(), |next_id, who| {
            customers::plan_import(rows, known, next_id, who)
        })
        .await
    }

    /// Erasure and the data export.
    async fn own(ctx: &Ctx, principal: &Principal, op: &BookOp) -> Result<ProxyReply, ProxyError> {
        match op {
            BookOp::Erase(id) => erase(ctx, principal, id).await,
            BookOp::Export(id) => export(ctx, principal, id).await,
            _ => Err(ProxyError::NotFound),
        }
    }
}

/// The entries that could be the customers of `keys` (each once).
async fn candidates(db: &D1Database, keys: &[Keys]) -> Result<Vec<Customer>, ProxyError> {
    let mut rows: Vec<CustomerRow> = Vec::new();
    for q in customers::candidates_sql(keys) {
        rows.extend(db::all::<CustomerRow>(db, &q).await.map_err(internal)?);
    }
    Ok(distinct(rows))
}

/// A personal or organisation number of `input` that another entry (not `except`) holds is a
/// 409 naming that entry.
async fn no_twins(
    db: &D1Database,
    input: &CustomerInput,
    except: Option<&str>,
) -> Result<(), ProxyError> {
    let known = candidates(db, &[Keys::of(&input.customer_details)]).await?;
    let twins = customers::duplicates(input, &known, except);
    if twins.is_empty() {
        Ok(())
    } else {
        Err(ProxyError::CustomerExists(twins))
    }
}

/// `DELETE /console/customers/{id}`: erase (GDPR). The entry goes, their orders' personal
/// data is anonymised in the index and the audit details; ids, amounts, VAT and statuses stay.
async fn erase(ctx: &Ctx, principal: &Principal, id: &str) -> Result<ProxyReply, ProxyError> {
    let db = ctx.db()?;
    let customer: Customer = shelf::find(&db, id).await?;
    let changes = run_batch(&db, &customers::erase_sql(&customer)).await?;
    let erasure = Erasure {
        id: customer.id,
        audit_rows: changes.first().copied().unwrap_or(0),
        orders: changes.get(1).copied().unwrap_or(0),
    };
    changed(
        ctx,
        principal,
        actions::CUSTOMER_ERASED,
        &json!({"customer": id, "orders": erasure.orders, "auditRows": erasure.audit_rows}),
    );
    data(ApiMessage::CustomerErased, &erasure)
}

/// `GET /console/customers/{id}/export`: everything kept about one customer, as JSON (the
/// stored requests and audit details as objects).
async fn export(ctx: &Ctx, principal: &Principal, id: &str) -> Result<ProxyReply, ProxyError> {
    let db = ctx.db()?;
    let customer: Customer = shelf::find(&db, id).await?;
    let mut orders: Vec<Value> = db::all(&db, &customers::export_orders_sql(&customer))
        .await
        .map_err(internal)?;
    orders.iter_mut().for_each(|o| expand_json(o, "request"));
    let mut audit: Vec<Value> = db::all(&db, &customers::export_audit_sql(&customer))
        .await
        .map_err(internal)?;
    audit.iter_mut().for_each(|a| expand_json(a, "detail"));
    changed(
        ctx,
        principal,
        actions::CUSTOMER_EXPORTED,
        &json!({"customer": id}),
    );
    let export = CustomerExport {
        customer,
        orders,
        audit,
        exported_at: ctx.now_ms,
    };
    data(ApiMessage::CustomersRetrievedSuccessfully, &export)
}

/// Remember the customer of an order just created through Frontdesk (the create path calls
/// this after indexing the order): core's matching finds them or not, the entry is created or
/// brought up to date and the order linked; an ambiguous match changes nothing but leaves an
/// audit row for a person to decide. A failure here is logged, never the order's.
pub async fn remember(ctx: &Ctx, db: &D1Database, order: RememberOrder<'_>) {
    if let Err(e) = try_remember(ctx, db, &order).await {
        super::log_error(Some(&ctx.cfg), "customer book", &format!("{e:?}"));
    }
}

async fn try_remember(
    ctx: &Ctx,
    db: &D1Database,
    order: &RememberOrder<'_>,
) -> Result<(), ProxyError> {
    let known = candidates(db, &[Keys::of(order.details)]).await?;
    let id = shelf::new_id(Shelf::Customers)?;
    let remembered = remember_from_order(order, &known, id);
    if !remembered.queries.is_empty() {
        run_batch(db, &remembered.queries).await?;
    }
    shelf::record(ctx, remembered.audit);
    Ok(())
}
