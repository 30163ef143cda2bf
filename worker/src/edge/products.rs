//! `/console/products…`: the product catalogue. Viewers read it, clerks and admins change
//! it; products are archived, never deleted (orders name them). Every change and every failed
//! attempt is audited.

use frontdesk_core::book::csv::preview_products;
use frontdesk_core::book::{ArchiveRequest, ImportRequest, Page, Product, ProductInput};
use frontdesk_core::envelope::ApiMessage;
use frontdesk_core::validate::validate_book_product;
use serde_json::{Value, json};
use worker::{D1Database, Request};

use super::Ctx;
use super::auth::run_batch;
use super::book::{self as shelf, changed, data, internal, json_body, new_ids, rules};
use super::console::pairs;
use crate::auth::Principal;
use crate::book::{self, BookOp, Importer, ListQuery, Shelf, actions, validate_rows};
use crate::bounded::{API_MAX, SMALL_MAX};
use crate::db;
use crate::error::{ProxyError, ProxyReply};
use crate::products::{self, ProductRow};

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
        shelf::audit_failure(ctx, principal, Shelf::Products, &op, e);
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
        BookOp::List => list(ctx, url).await,
        BookOp::Get(id) => data(
            ApiMessage::ProductsRetrievedSuccessfully,
            &find(&ctx.db()?, id).await?,
        ),
        BookOp::Create => {
            let input = checked_input(ctx, &mut req).await?;
            let id = new_ids(Shelf::Products, 1)?
                .pop()
                .ok_or_else(|| internal("no id"))?;
            let product = input.into_product(id, &principal.id(), ctx.now_ms);
            save(ctx, &product).await?;
            changed(
                ctx,
                principal,
                actions::PRODUCT_CREATED,
                &json!({"product": product.id}),
            );
            data(ApiMessage::ProductSaved, &product)
        }
        BookOp::Update(id) => update(ctx, &mut req, principal, id).await,
        BookOp::Archive(id) => archive(ctx, &mut req, principal, id).await,
        BookOp::ImportPreview => {
            let text = shelf::csv_body(&mut req).await?;
            let rows = preview_products(&text, &rules(ctx)).map_err(ProxyError::BadCsv)?;
            data(ApiMessage::ImportPreviewed, &rows)
        }
        BookOp::Import => import(ctx, &mut req, principal).await,
        // The router gives products neither (no erasure, no data export).
        BookOp::Erase(_) | BookOp::Export(_) => Err(ProxyError::NotFound),
    }
}

/// `GET /console/products?q=&cursor=&limit=&archived=`: a page in name order.
async fn list(ctx: &Ctx, url: &worker::Url) -> Result<ProxyReply, ProxyError> {
    let query = ListQuery::parse(&pairs(url))?;
    let rows: Vec<ProductRow> = db::all(&ctx.db()?, &products::page_sql(&query))
        .await
        .map_err(internal)?;
    let limit = query.limit as usize;
    let next_cursor = if rows.len() > limit {
        rows.get(limit - 1)
            .map(|r| book::next_cursor(&r.name_lc, &r.id))
    } else {
        None
    };
    let items: Vec<Product> = rows
        .into_iter()
        .take(limit)
        .map(ProductRow::product)
        .collect();
    data(
        ApiMessage::ProductsRetrievedSuccessfully,
        &Page { items, next_cursor },
    )
}

/// One product; 404 `productNotFound` without it.
async fn find(db: &D1Database, id: &str) -> Result<Product, ProxyError> {
    db::first::<ProductRow>(db, &products::get_sql(id))
        .await
        .map_err(internal)?
        .map(ProductRow::product)
        .ok_or(ProxyError::UnknownProduct)
}

/// The body of a create or an update, checked by the catalogue's rules.
async fn checked_input(ctx: &Ctx, req: &mut Request) -> Result<ProductInput, ProxyError> {
    let value = json_body(req, SMALL_MAX).await?;
    validate_book_product(&value, &rules(ctx))
        .map(|v| v.value)
        .map_err(ProxyError::Validation)
}

async fn save(ctx: &Ctx, product: &Product) -> Result<(), ProxyError> {
    run_batch(
        &ctx.db()?,
        &products::save_sql(std::slice::from_ref(product)),
    )
    .await
    .map(drop)
}

/// `PUT /console/products/{id}`: the whole editable product; the audit row names the fields
/// that changed.
async fn update(
    ctx: &Ctx,
    req: &mut Request,
    principal: &Principal,
    id: &str,
) -> Result<ProxyReply, ProxyError> {
    let input = checked_input(ctx, req).await?;
    let before = find(&ctx.db()?, id).await?;
    let fields = input.changed_fields(&before);
    let after = input.applied_to(before, &principal.id(), ctx.now_ms);
    save(ctx, &after).await?;
    changed(
        ctx,
        principal,
        actions::PRODUCT_UPDATED,
        &json!({"product": id, "fields": fields}),
    );
    data(ApiMessage::ProductSaved, &after)
}

/// `POST /console/products/{id}/archive` `{"archived": bool}`: archived products are never
/// offered in the order form.
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
        Shelf::Products,
        id,
        body.archived,
        &principal.id(),
        ctx.now_ms,
    );
    if db::run(&db, &q).await.map_err(internal)? == 0 {
        return Err(ProxyError::UnknownProduct);
    }
    changed(
        ctx,
        principal,
        actions::PRODUCT_ARCHIVED,
        &json!({"product": id, "archived": body.archived}),
    );
    data(ApiMessage::ProductSaved, &find(&db, id).await?)
}

/// `POST /console/products/import` `{"rows": [{"line", "value"}]}`: the preview's accepted
/// rows, checked again (one refused row refuses all), a known product id updated, the rest
/// added, in one batch with one audit row; answers what each row did.
async fn import(
    ctx: &Ctx,
    req: &mut Request,
    principal: &Principal,
) -> Result<ProxyReply, ProxyError> {
    let body: ImportRequest<Value> = serde_json::from_value(json_body(req, API_MAX).await?)
        .map_err(|_| ProxyError::MalformedJson)?;
    let vctx = rules(ctx);
    let rows = validate_rows(body.rows, |v| validate_book_product(v, &vctx))
        .map_err(ProxyError::Validation)?;
    let db = ctx.db()?;
    let inputs: Vec<&ProductInput> = rows.iter().map(|(_, p)| p).collect();
    let mut existing: Vec<Product> = Vec::new();
    for q in products::by_product_ids_sql(&inputs) {
        let found: Vec<ProductRow> = db::all(&db, &q).await.map_err(internal)?;
        existing.extend(found.into_iter().map(ProductRow::product));
    }
    let mut ids = new_ids(Shelf::Products, rows.len())?.into_iter();
    let mut next_id = || ids.next().unwrap_or_default();
    let who = Importer {
        principal,
        now_ms: ctx.now_ms,
    };
    let plan = products::plan_import(rows, existing, &mut next_id, who);
    run_batch(&db, &plan.queries).await?;
    data(ApiMessage::ImportCompleted, &plan.done)
}
