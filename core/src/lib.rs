//! The one source of truth for Front Payment's Connect order API.
//!
//! Shared by the merchant console (wasm), the edge proxy (wasm) and the sandbox (native):
//!
//! - [`dialect`]: the docs' reading of the API and the recorded live server's ([`Dialect`]).
//! - [`endpoint`]: the 12 endpoints (method, path, success answer) and a pure router.
//! - [`envelope`]: the response envelope and every `message` code ([`envelope::ApiMessage`]).
//! - [`order`], [`requests`], [`responses`], [`customer`]: typed bodies with the API's JSON names.
//! - [`money`]: integer øre; [`order::lines`] / [`order::summary`]: VAT-inclusive math.
//! - [`json`]: strict parsing of request bodies (duplicate object keys refused).
//! - [`validate`]: Laravel-style validation of raw JSON into typed requests (a create read by
//!   part of the payload), the 417 wording, refund rules (`validate::refund`), the proxy's account rules.
//! - [`draft`]: the create form's data as typed ([`draft::OrderDraft`]), its one conversion to
//!   the create payload, and the one table of the create members ([`draft::fields`]).
//! - [`ids`]: order/customer ids, fødselsnummer, organisasjonsnummer, phones, countries.
//! - [`status`]: order statuses and kinds; [`lifecycle`]: the actions and transitions each
//!   status allows.
//! - [`clock`]: the Europe/Oslo day (callers pass `now`).
//! - [`callback`]: callback checksums, and who supplies a create's callback URL.
//! - [`roles`]: the proxy's roles and what each may do.
//! - [`proxy`]: the proxy's own API beside Front Payment's (`/health`, `/auth/*`, `/console/*`,
//!   its 417 detail): one type per request and answer, for the worker and the console.
//! - [`report`]: the overview and the VAT report (periods of Oslo days, ages, VAT per rate).
//! - [`batch`]: send to many: spreadsheets of orders or customers → validated drafts, the
//!   templates, the send job's states and progress, the `/console/batches` types.
//! - [`book`]: the customer book and the product catalogue (matching, CSV import and export).
//! - [`csv`]: CSV both ways for every file (the nb and en layouts, BOM, RFC 4180 quoting, the
//!   formula guard, the row cap, amounts as cells).
//! - `openapi` (feature `openapi`, native tools only): the OpenAPI description, from the types.
//!
//! Nothing here reads a clock, does I/O or panics on input.

pub mod batch;
pub mod book;
pub mod callback;
pub mod clock;
pub mod csv;
pub mod customer;
pub mod dialect;
pub mod draft;
pub mod endpoint;
pub mod envelope;
pub mod ids;
pub mod json;
pub mod lifecycle;
pub mod money;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod order;
pub mod proxy;
pub mod report;
pub mod requests;
pub mod responses;
pub mod roles;
pub mod status;
pub mod validate;

pub use customer::{Address, CustomerDetails, CustomerType, Language};
pub use dialect::{DateFormat, Dialect};
pub use endpoint::{Endpoint, Method, RouteError};
pub use envelope::{ApiMessage, Envelope, Errors};
pub use ids::{CustomerId, OrderId};
pub use money::{Money, Quantity, TaxRate};
pub use order::{CreateOrder, OrderSummary, Product, summarize};
pub use requests::{CancelRequest, RefundProduct, RefundRequest, RefundType, ResendRequest};
pub use responses::{
    CreatedOrder, DetailCustomer, DetailProduct, DetailSummary, InvoiceNumber, OrderDetails,
    OrderStatusDetail, OrderStatusItem,
};
pub use status::{OrderKind, OrderStatus};
pub use validate::{Code, Context, Issue, Report, Validated};

/// Refund rules, also reachable as `frontdesk_core::refund`.
pub mod refund {
    pub use crate::validate::{
        MerchantLimits, RefundRejection, RefundableOrder, RefundableProduct, check_refund,
        validate_refund,
    };
}

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
