//! What the customer book's and the catalogue's handlers share: reading their bodies (JSON, or
//! a CSV file), new ids, running their writes as one batch, their audit rows, and the handlers
//! that are the same on both shelves (list, get, archive, save), generic over [`Shelved`].

use frontdesk_core::book::{ArchiveRequest, Customer, ImportRequest, ImportRow, Page, Product};
use frontdesk_core::csv::{self, CsvError};
use frontdesk_core::envelope::ApiMessage;
use frontdesk_core::json::parse_strict;
use frontdesk_core::validate::{Context, Report, Validated};
use serde::Serialize;
use serde_json::{Value, json};
use worker::{D1Database, Request};

use super::auth::{random_bytes, run_batch};
use super::console::{data, internal, pairs};
use super::{Ctx, header};
use crate::audit;
use crate::auth::Principal;
use crate::book::{
    self, BookOp, ID_BYTES, ImportPlan, Importer, ListQuery, Shelf, Shelved, validate_rows,
};
use crate::bounded::{API_MAX, SMALL_MAX};
use crate::db;
use crate::error::{ProxyError, ProxyReply};

/// `/console/customers…` or `/console/products…`: run `op` on its shelf; a failed write is
/// audited with its reason.
pub async fn handle(
    ctx: &Ctx,
    req: Request,
    principal: &Principal,
    (shelf, op): (Shelf, BookOp),
    url: &worker::Url,
) -> Result<ProxyReply, ProxyError> {
    let result = match shelf {
        Shelf::Customers => run::<Customer>(ctx, req, principal, &op, url).await,
        Shelf::Products => run::<Product>(ctx, req, principal, &op, url).await,
    };
    if let Err(e) = &result {
        audit_failure(ctx, principal, shelf, &op, e);
    }
    result
}

/// Core's check of a shelf's body (`validate_book_customer`, `validate_book_product`).
pub(super) type Check<I> = fn(&Value, &Context) -> Result<Validated<I>, Report>;

/// Core's check of a shelf's CSV file (`preview_customers`, `preview_products`).
pub(super) type Preview<I> = fn(&str, &Context) -> Result<Vec<ImportRow<I>>, CsvError>;

/// What each shelf's handlers do their own way (`customers.rs`, `products.rs`); the rest is
/// [`run`]'s, the same for both.
pub(super) trait Handlers: Shelved {
    /// The body of a create, an update and an import row.
    type Input: Serialize;
    /// Core's rules for [`Handlers::Input`].
    const CHECK: Check<Self::Input>;
    /// Core's preview of an import file.
    const PREVIEW: Preview<Self::Input>;

    /// `POST /console/{shelf}` with a checked body.
    async fn create(
        ctx: &Ctx,
        principal: &Principal,
        input: Self::Input,
    ) -> Result<ProxyReply, ProxyError>;

    /// `PUT /console/{shelf}/{id}` with a checked body.
    async fn update(
        ctx: &Ctx,
        principal: &Principal,
        input: Self::Input,
        id: &str,
    ) -> Result<ProxyReply, ProxyError>;

    /// `POST /console/{shelf}/import` with every row checked.
    async fn import(
        ctx: &Ctx,
        principal: &Principal,
        rows: Vec<(usize, Self::Input)>,
    ) -> Result<ProxyReply, ProxyError>;

    /// The operations only this shelf has (the book's erasure and export); none by default
    /// (the router gives them to no other shelf).
    async fn own(
        _ctx: &Ctx,
        _principal: &Principal,
        _op: &BookOp,
    ) -> Result<ProxyReply, ProxyError> {
        Err(ProxyError::NotFound)
    }
}

/// Run `op` on shelf `T`: reads, archiving and the preview here, the rest by its [`Handlers`].
async fn run<T: Handlers>(
    ctx: &Ctx,
    mut req: Request,
    principal: &Principal,
    op: &BookOp,
    url: &worker::Url,
) -> Result<ProxyReply, ProxyError> {
    match op {
        BookOp::List => list::<T>(ctx, url, principal).await,
        BookOp::Get(id) => get::<T>(ctx, principal, id).await,
        BookOp::Create => {
            let input = checked_body(ctx, &mut req, T::CHECK).await?;
            T::create(ctx, principal, input).await
        }
        BookOp::Update(id) => {
            let input = checked_body(ctx, &mut req, T::CHECK).await?;
            T::update(ctx, principal, input, id).await
        }
        BookOp::Archive(id) => archive::<T>(ctx, &mut req, principal, id).await,
        BookOp::ImportPreview => preview(ctx, &mut req, T::PREVIEW).await,
        BookOp::Import => {
            let rows = import_rows(ctx, &mut req, T::CHECK).await?;
            T::import(ctx, principal, rows).await
        }
        BookOp::Erase(_) | BookOp::Export(_) => T::own(ctx, principal, op).await,
    }
}

/// `GET /console/{shelf}?q=&cursor=&limit=&archived=`: a page in name order, as `principal`
/// may see it.
async fn list<T: Shelved>(
    ctx: &Ctx,
    url: &worker::Url,
    principal: &Principal,
) -> Result<ProxyReply, ProxyError> {
    let query = ListQuery::parse(&pairs(url))?;
    let db = ctx.db()?;
    let matches = match book::matches_sql::<T>(&query, principal.role) {
        Some(count) => db::first::<Count>(&db, &count)
            .await
            .map_err(internal)?
            .map_or(0, |c| c.n),
        None => 0,
    };
    let page = book::page_sql::<T>(&query, principal.role, matches);
    let rows: Vec<T::Row> = db::all(&db, &page).await.map_err(internal)?;
    let limit = query.limit as usize;
    let next_cursor = if rows.len() > limit {
        rows.get(limit - 1).map(|r| {
            let (name_lc, id) = T::row_key(r);
            book::next_cursor(name_lc, id)
        })
    } else {
        None
    };
    let items: Vec<T> = rows
        .into_iter()
        .take(limit)
        .filter_map(T::from_row)
        .map(|e| e.shown(principal.role))
        .collect();
    data(T::SHELF.retrieved(), &Page { items, next_cursor })
}

/// A `SELECT count(*) AS n`.
#[derive(serde::Deserialize)]
struct Count {
    n: i64,
}

/// One entry; the shelf's 404 (`customerNotFound`, `productNotFound`) without it.
pub(super) async fn find<T: Shelved>(db: &D1Database, id: &str) -> Result<T, ProxyError> {
    db::first::<T::Row>(db, &book::get_sql::<T>(id))
        .await
        .map_err(internal)?
        .and_then(T::from_row)
        .ok_or(T::SHELF.not_found())
}

/// `GET /console/{shelf}/{id}`: one entry as `principal` may see it.
async fn get<T: Shelved>(
    ctx: &Ctx,
    principal: &Principal,
    id: &str,
) -> Result<ProxyReply, ProxyError> {
    let entry: T = find(&ctx.db()?, id).await?;
    data(T::SHELF.retrieved(), &entry.shown(principal.role))
}

/// Write one created or changed entry.
async fn save<T: Shelved>(db: &D1Database, entry: &T) -> Result<(), ProxyError> {
    run_batch(db, &book::save_sql(std::slice::from_ref(entry)))
        .await
        .map(drop)
}

/// Save a new entry, audit its creation and answer it.
pub(super) async fn created<T: Shelved>(
    ctx: &Ctx,
    principal: &Principal,
    entry: T,
) -> Result<ProxyReply, ProxyError> {
    save(&ctx.db()?, &entry).await?;
    let key = T::SHELF.key();
    let action = T::SHELF.actions().created;
    changed(ctx, principal, action, &json!({ key: entry.id() }));
    data(T::SHELF.saved(), &entry)
}

/// Save a changed entry, audit which `fields` changed (names, never values) and answer it.
pub(super) async fn updated<T: Shelved>(
    ctx: &Ctx,
    principal: &Principal,
    after: T,
    fields: &impl Serialize,
) -> Result<ProxyReply, ProxyError> {
    save(&ctx.db()?, &after).await?;
    let key = T::SHELF.key();
    let action = T::SHELF.actions().updated;
    let detail = json!({ key: after.id(), "fields": fields });
    changed(ctx, principal, action, &detail);
    data(T::SHELF.saved(), &after)
}

/// `POST /console/{shelf}/{id}/archive` `{"archived": bool}`: archived entries are never
/// offered in the order form.
async fn archive<T: Shelved>(
    ctx: &Ctx,
    req: &mut Request,
    principal: &Principal,
    id: &str,
) -> Result<ProxyReply, ProxyError> {
    let body: ArchiveRequest = serde_json::from_value(json_body(req, SMALL_MAX).await?)
        .map_err(|_| ProxyError::MalformedJson)?;
    let (db, shelf) = (ctx.db()?, T::SHELF);
    let q = book::archive_sql(shelf, id, body.archived, &principal.id(), ctx.now_ms);
    if db::run(&db, &q).await.map_err(internal)? == 0 {
        return Err(shelf.not_found());
    }
    let key = shelf.key();
    let detail = json!({ key: id, "archived": body.archived });
    changed(ctx, principal, shelf.actions().archived, &detail);
    let entry: T = find(&db, id).await?;
    data(shelf.saved(), &entry.shown(principal.role))
}

/// `POST /console/{shelf}/import/preview` (a CSV body): every row checked by the shelf's
/// `check` (core's `preview_customers`, `preview_products`), nothing written.
async fn preview<I: Serialize>(
    ctx: &Ctx,
    req: &mut Request,
    check: Preview<I>,
) -> Result<ProxyReply, ProxyError> {
    let text = csv_body(req).await?;
    let rows = check(&text, &rules(ctx)).map_err(ProxyError::BadCsv)?;
    data(ApiMessage::ImportPreviewed, &rows)
}

/// The body of a create or an update, checked by the shelf's rules.
async fn checked_body<I>(ctx: &Ctx, req: &mut Request, check: Check<I>) -> Result<I, ProxyError> {
    let value = json_body(req, SMALL_MAX).await?;
    check(&value, &rules(ctx))
        .map(|v| v.value)
        .map_err(ProxyError::Validation)
}

/// The rows of `POST /console/{shelf}/import` `{"rows": [{"line", "value"}]}`: the preview's
/// accepted rows, each checked again (one refused row refuses all).
async fn import_rows<I>(
    ctx: &Ctx,
    req: &mut Request,
    check: Check<I>,
) -> Result<Vec<(usize, I)>, ProxyError> {
    let body: ImportRequest<Value> = serde_json::from_value(json_body(req, API_MAX).await?)
        .map_err(|_| ProxyError::MalformedJson)?;
    let vctx = rules(ctx);
    validate_rows(body.rows, |v| check(v, &vctx)).map_err(ProxyError::Validation)
}

/// Plan an import of `rows` rows with fresh ids (`plan` is the shelf's own), write it as one
/// batch and answer what each row did.
pub(super) async fn run_import<T: Shelved>(
    ctx: &Ctx,
    principal: &Principal,
    rows: usize,
    plan: impl FnOnce(&mut dyn FnMut() -> String, Importer<'_>) -> ImportPlan,
) -> Result<ProxyReply, ProxyError> {
    let mut ids = new_ids(T::SHELF, rows)?.into_iter();
    let mut next_id = || ids.next().unwrap_or_default();
    let who = Importer {
        principal,
        now_ms: ctx.now_ms,
    };
    let plan = plan(&mut next_id, who);
    run_batch(&ctx.db()?, &plan.queries).await?;
    data(ApiMessage::ImportCompleted, &plan.done)
}

/// The one new id of a create on `shelf`.
pub(super) fn new_id(shelf: Shelf) -> Result<String, ProxyError> {
    new_ids(shelf, 1)?.pop().ok_or_else(|| internal("no id"))
}

/// The rules' context: the time, the configured VAT rates (core's list) and dialect.
fn rules(ctx: &Ctx) -> Context {
    Context::new(ctx.now_secs()).with_dialect(ctx.cfg.dialect())
}

/// A JSON body of at most `max` bytes (a [`crate::bounded`] cap), duplicate keys refused.
async fn json_body(req: &mut Request, max: usize) -> Result<Value, ProxyError> {
    if let Some(ct) = header(req, "content-type")
        && !ct.to_ascii_lowercase().contains("json")
    {
        return Err(ProxyError::UnsupportedMediaType);
    }
    Ok(parse_strict(&super::body::read(req, max).await?)?)
}

/// A CSV file as the body (`text/csv` or plain text, UTF-8 with or without a BOM), at most the
/// API's cap.
async fn csv_body(req: &mut Request) -> Result<String, ProxyError> {
    if let Some(ct) = header(req, "content-type")
        && !["csv", "text/plain"]
            .iter()
            .any(|t| ct.to_ascii_lowercase().contains(t))
    {
        return Err(ProxyError::UnsupportedMediaType);
    }
    let bytes = super::body::read(req, crate::bounded::API_MAX).await?;
    csv::decode(&bytes)
        .map(str::to_owned)
        .map_err(ProxyError::BadCsv)
}

/// `n` new ids on `shelf`, from one call to the runtime's CSPRNG.
fn new_ids(shelf: Shelf, n: usize) -> Result<Vec<String>, ProxyError> {
    let random = random_bytes(ID_BYTES * n.max(1))?;
    Ok(random
        .chunks(ID_BYTES)
        .map(|bytes| shelf.new_id(bytes))
        .collect())
}

/// Keep an audit row (after the answer).
pub(super) fn record(ctx: &Ctx, entry: audit::Entry) {
    ctx.write_later(entry.insert(), "audit");
}

/// The audit row of a change by `principal` (`detail` names the entry and what changed).
pub(super) fn changed(ctx: &Ctx, principal: &Principal, action: &str, detail: &Value) {
    record(
        ctx,
        book::entry(ctx.now_ms, principal, action, None, detail),
    );
}

/// Audit a write that failed or was refused (reads are not audited).
pub fn audit_failure(ctx: &Ctx, principal: &Principal, shelf: Shelf, op: &BookOp, e: &ProxyError) {
    if let Some(entry) = book::failure(ctx.now_ms, principal, shelf, op, e) {
        record(ctx, entry);
    }
}
