//! `/console/customers…`: the customer book. Viewers read it (personal numbers masked),
//! clerks and admins change it, admins erase; every change and every failed attempt is
//! audited. [`remember`] is how an order created through Frontdesk fills it.

use frontdesk_core::book::csv::preview_customers;
use frontdesk_core::book::{
    ArchiveRequest, Customer, CustomerExport, Erasure, ImportRequest, Keys, Page,
};
use frontdesk_core::envelope::ApiMessage;
use frontdesk_core::roles::Role;
use frontdesk_core::validate::validate_book_customer;
use serde_json::{Value, json};
use worker::{D1Database, Request};

use super::Ctx;
use super::auth::run_batch;
use super::book::{self as shelf, changed, data, internal, json_body, new_ids, rules};
use super::console::pairs;
use crate::auth::Principal;
use crate::book::{self, BookOp, Importer, ListQuery, Shelf, actions, validate_rows};
use crate::bounded::{API_MAX, SMALL_MAX};
use crate::customers::{
    self, CustomerRow, RememberOrder, distinct, expand_json, remember_from_order,
};
use crate::db;
use crate::error::{ProxyError, ProxyReply};

/// Run `op`; a failed write is audited with its reason.
pub async fn handle(
    ctx: &Ctx,
    req: Request,
    principal: &Principal,
    op: BookOp,
    url: &worker::Url,
) -> Result<ProxyReply, ProxyError> {
    let result = run(ctx, req, principal, &op, url).await;
    if let Err(e) = &result {
        shelf::audit_failure(ctx, principal, Shelf::Customers, &op, e);
    }
    result
}

async fn run(
    ctx: &Ctx,
    mut req: Request,
    principal: &Principal,
    op: &BookOp,
    url: &worker::Url,
) -> Result<ProxyReply, ProxyError> {
    match op {
        BookOp::List => list(ctx, url, principal).await,
        BookOp::Get(id) => {
            let c = find(&ctx.db()?, id).await?;
            data(
                ApiMessage::CustomersRetrievedSuccessfully,
                &shown(c, principal),
            )
        }
        BookOp::Create => create(ctx, &mut req, principal).await,
        BookOp::Update(id) => update(ctx, &mut req, principal, id).await,
        BookOp::Archive(id) => archive(ctx, &mut req, principal, id).await,
        BookOp::Erase(id) => erase(ctx, principal, id).await,
        BookOp::Export(id) => export(ctx, principal, id).await,
        BookOp::ImportPreview => {
            let text = shelf::csv_body(&mut req).await?;
            let rows = preview_customers(&text, &rules(ctx)).map_err(ProxyError::BadCsv)?;
            data(ApiMessage::ImportPreviewed, &rows)
        }
        BookOp::Import => import(ctx, &mut req, principal).await,
    }
}

/// A customer as `principal` may see it: viewers see the date part of a personal number.
fn shown(c: Customer, principal: &Principal) -> Customer {
    if principal.role == Role::Viewer {
        c.masked()
    } else {
        c
    }
}

/// `GET /console/customers?q=&cursor=&limit=&archived=`: a page in name order.
async fn list(
    ctx: &Ctx,
    url: &worker::Url,
    principal: &Principal,
) -> Result<ProxyReply, ProxyError> {
    let query = ListQuery::parse(&pairs(url))?;
    let reveal = principal.role != Role::Viewer;
    let rows: Vec<CustomerRow> = db::all(&ctx.db()?, &customers::page_sql(&query, reveal))
        .await
        .map_err(internal)?;
    let limit = query.limit as usize;
    let next_cursor = if rows.len() > limit {
        rows.get(limit - 1)
            .map(|r| book::next_cursor(&r.name_lc, &r.id))
    } else {
        None
    };
    let items: Vec<Customer> = rows
        .into_iter()
        .take(limit)
        .filter_map(CustomerRow::customer)
        .map(|c| shown(c, principal))
        .collect();
    data(
        ApiMessage::CustomersRetrievedSuccessfully,
        &Page { items, next_cursor },
    )
}

/// One entry; 404 `customerNotFound` without it.
async fn find(db: &D1Database, id: &str) -> Result<Customer, ProxyError> {
    db::first::<CustomerRow>(db, &customers::get_sql(id))
        .await
        .map_err(internal)?
        .and_then(CustomerRow::customer)
        .ok_or(ProxyError::UnknownCustomer)
}

/// The entries that could be the customers of `keys` (each once).
async fn candidates(db: &D1Database, keys: &[Keys]) -> Result<Vec<Customer>, ProxyError> {
    let mut rows: Vec<CustomerRow> = Vec::new();
    for q in customers::candidates_sql(keys) {
        rows.extend(db::all::<CustomerRow>(db, &q).await.map_err(internal)?);
    }
    Ok(distinct(rows))
}

/// `POST /console/customers` `{customerDetails, notes}`: checked by the order form's rules; a
/// personal or organisation number already in the book is a 409 naming that entry.
async fn create(
    ctx: &Ctx,
    req: &mut Request,
    principal: &Principal,
) -> Result<ProxyReply, ProxyError> {
    let value = json_body(req, SMALL_MAX).await?;
    let input = validate_book_customer(&value, &rules(ctx))
        .map_err(ProxyError::Validation)?
        .value;
    let db = ctx.db()?;
    let known = candidates(&db, &[Keys::of(&input.customer_details)]).await?;
    let twins = customers::duplicates(&input, &known, None);
    if !twins.is_empty() {
        return Err(ProxyError::CustomerExists(twins));
    }
    let id = new_ids(Shelf::Customers, 1)?
        .pop()
        .ok_or_else(|| internal("no id"))?;
    let customer = input.into_customer(id, &principal.id(), ctx.now_ms);
    run_batch(&db, &customers::save_sql(std::slice::from_ref(&customer))).await?;
    changed(
        ctx,
        principal,
        actions::CUSTOMER_CREATED,
        &json!({"customer": customer.id}),
    );
    data(ApiMessage::CustomerSaved, &customer)
}

/// `PUT /console/customers/{id}`: the whole editable entry (details and notes); the audit row
/// names the fields that changed.
async fn update(
    ctx: &Ctx,
    req: &mut Request,
    principal: &Principal,
    id: &str,
) -> Result<ProxyReply, ProxyError> {
    let value = json_body(req, SMALL_MAX).await?;
    let input = validate_book_customer(&value, &rules(ctx))
        .map_err(ProxyError::Validation)?
        .value;
    let db = ctx.db()?;
    let before = find(&db, id).await?;
    let known = candidates(&db, &[Keys::of(&input.customer_details)]).await?;
    let twins = customers::duplicates(&input, &known, Some(id));
    if !twins.is_empty() {
        return Err(ProxyError::CustomerExists(twins));
    }
    let fields = before.changed_fields(&input);
    let after = input.applied_to(before, &principal.id(), ctx.now_ms);
    run_batch(&db, &customers::save_sql(std::slice::from_ref(&after))).await?;
    changed(
        ctx,
        principal,
        actions::CUSTOMER_UPDATED,
        &json!({"customer": id, "fields": fields}),
    );
    data(ApiMessage::CustomerSaved, &after)
}

/// `POST /console/customers/{id}/archive` `{"archived": bool}`.
async fn archive(
    ctx: &Ctx,
    req: &mut Request,
    principal: &Principal,
    id: &str,
) -> Result<ProxyReply, ProxyError> {
    let body: ArchiveRequest = serde_json::from_value(json_body(req, SMALL_MAX).await?)
        .map_err(|_| ProxyError::MalformedJson)?;
    let db = ctx.db()?;
    let q = book::archive_sql(
        Shelf::Customers,
        id,
        body.archived,
        &principal.id(),
        ctx.now_ms,
    );
    if db::run(&db, &q).await.map_err(internal)? == 0 {
        return Err(ProxyError::UnknownCustomer);
    }
    changed(
        ctx,
        principal,
        actions::CUSTOMER_ARCHIVED,
        &json!({"customer": id, "archived": body.archived}),
    );
    data(
        ApiMessage::CustomerSaved,
        &shown(find(&db, id).await?, principal),
    )
}

/// `DELETE /console/customers/{id}`: erase (GDPR). The entry goes, their orders' personal
/// data is anonymised in the index and the audit details; ids, amounts, VAT and statuses stay.
async fn erase(ctx: &Ctx, principal: &Principal, id: &str) -> Result<ProxyReply, ProxyError> {
    let db = ctx.db()?;
    let customer = find(&db, id).await?;
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
    let customer = find(&db, id).await?;
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

/// `POST /console/customers/import` `{"rows": [{"line", "value"}]}`: the preview's accepted
/// rows, checked again (one refused row refuses all), matched against the book, written in
/// one batch with one audit row; answers what each row did.
async fn import(
    ctx: &Ctx,
    req: &mut Request,
    principal: &Principal,
) -> Result<ProxyReply, ProxyError> {
    let body: ImportRequest<Value> = serde_json::from_value(json_body(req, API_MAX).await?)
        .map_err(|_| ProxyError::MalformedJson)?;
    let vctx = rules(ctx);
    let rows = validate_rows(body.rows, |v| validate_book_customer(v, &vctx))
        .map_err(ProxyError::Validation)?;
    let db = ctx.db()?;
    let keys: Vec<Keys> = rows
        .iter()
        .map(|(_, input)| Keys::of(&input.customer_details))
        .collect();
    let known = candidates(&db, &keys).await?;
    let mut ids = new_ids(Shelf::Customers, rows.len())?.into_iter();
    let mut next_id = || ids.next().unwrap_or_default();
    let who = Importer {
        principal,
        now_ms: ctx.now_ms,
    };
    let plan = customers::plan_import(rows, known, &mut next_id, who);
    run_batch(&db, &plan.queries).await?;
    data(ApiMessage::ImportCompleted, &plan.done)
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
    let id = new_ids(Shelf::Customers, 1)?
        .pop()
        .ok_or_else(|| internal("no id"))?;
    let remembered = remember_from_order(order, &known, id);
    if !remembered.queries.is_empty() {
        run_batch(db, &remembered.queries).await?;
    }
    shelf::record(ctx, remembered.audit);
    Ok(())
}
