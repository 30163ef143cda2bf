//! `/console/products…`: the product catalogue. Viewers read it, clerks and admins change
//! it; products are archived, never deleted (orders name them). Every change and every failed
//! attempt is audited. What the book does the same way is [`super::book`]'s.

use frontdesk_core::book::csv::preview_products;
use frontdesk_core::book::{Product, ProductInput};
use frontdesk_core::validate::validate_book_product;
use worker::Request;

use super::Ctx;
use super::book as shelf;
use super::console::internal;
use crate::auth::Principal;
use crate::book::{BookOp, Shelf};
use crate::db;
use crate::error::{ProxyError, ProxyReply};
use crate::products::{self, ProductRow};

/// Run `op` on the catalogue ([`super::book::handle`] audits a failed write).
pub(super) async fn run(
    ctx: &Ctx,
    mut req: Request,
    principal: &Principal,
    op: &BookOp,
    url: &worker::Url,
) -> Result<ProxyReply, ProxyError> {
    match op {
        BookOp::List => shelf::list::<Product>(ctx, url, principal).await,
        BookOp::Get(id) => shelf::get::<Product>(ctx, principal, id).await,
        BookOp::Create => {
            let input = shelf::checked_body(ctx, &mut req, validate_book_product).await?;
            let id = shelf::new_id(Shelf::Products)?;
            let product = input.into_product(id, &principal.id(), ctx.now_ms);
            shelf::created(ctx, principal, product).await
        }
        BookOp::Update(id) => update(ctx, &mut req, principal, id).await,
        BookOp::Archive(id) => shelf::archive::<Product>(ctx, &mut req, principal, id).await,
        BookOp::ImportPreview => shelf::preview(ctx, &mut req, preview_products).await,
        BookOp::Import => import(ctx, &mut req, principal).await,
        // The router gives products neither (no erasure, no data export).
        BookOp::Erase(_) | BookOp::Export(_) => Err(ProxyError::NotFound),
    }
}

/// `PUT /console/products/{id}`: the whole editable product; the audit row names the fields
/// that changed.
async fn update(
    ctx: &Ctx,
    req: &mut Request,
    principal: &Principal,
    id: &str,
) -> Result<ProxyReply, ProxyError> {
    let input = shelf::checked_body(ctx, req, validate_book_product).await?;
    let before: Product = shelf::find(&ctx.db()?, id).await?;
    let fields = input.changed_fields(&before);
    let after = input.applied_to(before, &principal.id(), ctx.now_ms);
    shelf::updated(ctx, principal, after, &fields).await
}

/// `POST /console/products/import` `{"rows": [{"line", "value"}]}`: the preview's accepted
/// rows, checked again (one refused row refuses all), a known product id updated, the rest
/// added, in one batch with one audit row; answers what each row did.
async fn import(
    ctx: &Ctx,
    req: &mut Request,
    principal: &Principal,
) -> Result<ProxyReply, ProxyError> {
    let rows = shelf::import_rows(ctx, req, validate_book_product).await?;
    let db = ctx.db()?;
    let inputs: Vec<&ProductInput> = rows.iter().map(|(_, p)| p).collect();
    let mut existing: Vec<Product> = Vec::new();
    for q in products::by_product_ids_sql(&inputs) {
        let found: Vec<ProductRow> = db::all(&db, &q).await.map_err(internal)?;
        existing.extend(found.into_iter().map(ProductRow::product));
    }
    shelf::run_import::<Product>(ctx, principal, rows.len(), |next_id, who| {
        products::plan_import(rows, existing, next_id, who)
    })
    .await
}
