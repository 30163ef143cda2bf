//! `/console/products…`: the product catalogue. Viewers read it, clerks and admins change
//! it; products are archived, never deleted (orders name them). Every change and every failed
//! attempt is audited. What the book does the same way is [`super::book`]'s.

use frontdesk_core::book::csv::preview_products;
use frontdesk_core::book::{Product, ProductInput};
use frontdesk_core::validate::validate_book_product;

use super::Ctx;
use super::book::{self as shelf, Check, Handlers, Preview};
use super::console::internal;
use crate::auth::Principal;
use crate::book::Shelf;
use crate::db;
use crate::error::{ProxyError, ProxyReply};
use crate::products::{self, ProductRow};

/// The catalogue's own handlers; it has no erasure and no data export (orders name products).
impl Handlers for Product {
    type Input = ProductInput;
    const CHECK: Check<ProductInput> = validate_book_product;
    const PREVIEW: Preview<ProductInput> = preview_products;

    /// `POST /console/products`.
    async fn create(
        ctx: &Ctx,
        principal: &Principal,
        input: ProductInput,
    ) -> Result<ProxyReply, ProxyError> {
        let id = shelf::new_id(Shelf::Products)?;
        let product = input.into_product(id, &principal.id(), ctx.now_ms);
        shelf::created(ctx, principal, product).await
    }

    /// `PUT /console/products/{id}`: the whole editable product; the audit row names the
    /// fields that changed.
    async fn update(
        ctx: &Ctx,
        principal: &Principal,
        input: ProductInput,
        id: &str,
    ) -> Result<ProxyReply, ProxyError> {
        let before: Product = shelf::find(&ctx.db()?, id).await?;
        let fields = input.changed_fields(&before);
        let after = input.applied_to(before, &principal.id(), ctx.now_ms);
        shelf::updated(ctx, principal, after, &fields).await
    }

    /// `POST /console/products/import`: a known product id (any case) is updated, the rest
    /// added, in one batch with one audit row.
    async fn import(
        ctx: &Ctx,
        principal: &Principal,
        rows: Vec<(usize, ProductInput)>,
    ) -> Result<ProxyReply, ProxyError> {
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
}
