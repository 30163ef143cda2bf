//! OpenAPI 3.1 description of the 12 endpoints, generated from the types (feature `openapi`,
//! native tools only). `docs/openapi.json` is this document; a test keeps it current
//! (`UPDATE_OPENAPI=1 cargo test -p frontdesk-core --features openapi openapi` rewrites it).

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value, json};

use crate::endpoint::{Endpoint, Method};
use crate::envelope::ApiMessage;
use crate::ids::OrderId;
use crate::order::CreateOrder;
use crate::requests::{CancelRequest, RefundRequest, ResendRequest};
use crate::responses::{
    CreatedOrder, InvoiceNumber, OrderDetails, OrderStatusDetail, OrderStatusItem,
};
use crate::status::OrderStatus;

fn schema<T: JsonSchema>(g: &mut SchemaGenerator) -> Value {
    g.subschema_for::<T>().to_value()
}

/// The request body schema of an endpoint, if it has one.
fn request_body(ep: Endpoint, g: &mut SchemaGenerator) -> Option<Value> {
    Some(match ep {
        Endpoint::CreatePaymentLink
        | Endpoint::CreateInvoice
        | Endpoint::CreateEFaktura
        | Endpoint::CreateEhf => schema::<CreateOrder>(g),
        Endpoint::Resend => schema::<ResendRequest>(g),
        Endpoint::Cancel => schema::<CancelRequest>(g),
        Endpoint::Refund => schema::<RefundRequest>(g),
        _ => return None,
    })
}

/// The `data` schema of an endpoint's success answer.
fn data(ep: Endpoint, g: &mut SchemaGenerator) -> Value {
    match ep {
        Endpoint::CreatePaymentLink
        | Endpoint::CreateInvoice
        | Endpoint::CreateEFaktura
        | Endpoint::CreateEhf => schema::<CreatedOrder>(g),
        Endpoint::StatusAll => json!({"type": "array", "items": schema::<OrderStatusItem>(g)}),
        Endpoint::Status => schema::<OrderStatusDetail>(g),
        Endpoint::Details => schema::<OrderDetails>(g),
        Endpoint::InvoiceNumber => schema::<InvoiceNumber>(g),
        Endpoint::Resend | Endpoint::Cancel | Endpoint::Refund | Endpoint::DelayedCharge => {
            json!({"type": "null"})
        }
    }
}

/// Error answers an endpoint can give, beyond 401 (every endpoint).
fn errors(ep: Endpoint) -> Vec<ApiMessage> {
    use ApiMessage::*;
    let mut v = match ep {
        Endpoint::CreatePaymentLink
        | Endpoint::CreateInvoice
        | Endpoint::CreateEFaktura
        | Endpoint::CreateEhf => {
            vec![
                PayloadValidationErrors,
                InternalErrorOccurredPleaseTryAgainLater,
            ]
        }
        Endpoint::Resend => vec![
            OrderNotFound,
            PayloadValidationErrors,
            OrderStatusAlreadyPaid,
            OrderStatusAlreadyCancelled,
        ],
        Endpoint::Cancel => vec![
            OrderNotFound,
            PayloadValidationErrors,
            OrderStatusAlreadyPaid,
            OrderStatusAlreadyCancelled,
        ],
        Endpoint::Refund => vec![
            OrderNotFound,
            PayloadValidationErrors,
            RefundRejectionForRefundRequestGreaterThanOrderAmount,
            RequestProductIdNotAvailable,
            RefundRejectionForProductAmountExceed,
            RefundRejectionForRequestAmountThresholdExceed,
            RefundRejectionForWeeklyThresholdExceed,
        ],
        Endpoint::StatusAll => vec![],
        Endpoint::Status
        | Endpoint::Details
        | Endpoint::InvoiceNumber
        | Endpoint::DelayedCharge => vec![OrderNotFound],
    };
    v.push(Unauthenticated);
    v.push(SomethingWentWrong);
    v
}

fn success_envelope(ep: Endpoint, data: Value) -> Value {
    let m = ep.success();
    json!({
        "type": "object",
        "required": ["status_code", "status_message", "message", "is_data", "data"],
        "properties": {
            "status_code": {"const": m.status_code()},
            "status_message": {"const": m.status_message()},
            "message": {"const": m.as_str()},
            "is_data": {"type": "boolean"},
            "data": data
        }
    })
}

fn error_envelope() -> Value {
    let mut all: Vec<&str> = ApiMessage::ALL
        .iter()
        .filter(|m| !m.is_success())
        .map(|m| m.as_str())
        .collect();
    all.push(crate::envelope::ORDER_NOT_FOUND_STATUS);
    json!({
        "type": "object",
        "description": "Error answer. For 417, `errors` is an array of Laravel sentences as the live server sends them; the proxy's own 417 adds `fields` (dotted path → failed rules with code and params). A 404 is shaped as recorded (`is_data: false, data: null`; `message` is `Order Not Found` from the status endpoints). Clients must also accept `errors` as an object keyed by path, a string, null or another object.",
        "required": ["status_code", "status_message", "message"],
        "properties": {
            "status_code": {"type": "integer"},
            "status_message": {"type": "string"},
            "message": {"type": "string", "enum": all},
            "is_error": {"type": "boolean"},
            "errors": {"anyOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                {"type": "object"},
                {"type": "array"},
                {"type": "string"},
                {"type": "null"}
            ]},
            "is_data": {"const": false},
            "data": {"type": "null"},
            "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {
                "type": "object",
                "required": ["code"],
                "properties": {"code": {"type": "string"}, "params": {"type": "object"}}
            }}}
        },
        "anyOf": [{"required": ["is_error", "errors"]}, {"required": ["is_data", "data"]}]
    })
}

fn operation(ep: Endpoint, g: &mut SchemaGenerator) -> Value {
    let mut op = Map::new();
    op.insert("operationId".into(), json!(ep.name()));
    let mut params = Vec::new();
    if ep.takes_order_id() {
        params.push(json!({"name": "ORDER_UUID", "in": "path", "required": true, "schema": schema::<OrderId>(g)}));
    }
    if ep == Endpoint::StatusAll {
        params.push(json!({
            "name": "type", "in": "query", "required": false,
            "description": "Only orders in this status (case-insensitive, e.g. `Paid`).",
            "schema": schema::<OrderStatus>(g)
        }));
    }
    if !params.is_empty() {
        op.insert("parameters".into(), Value::Array(params));
    }
    if let Some(body) = request_body(ep, g) {
        let mut body_doc =
            json!({"required": true, "content": {"application/json": {"schema": body}}});
        if let Some(kind) = ep.kind() {
            body_doc["description"] = json!(format!(
                "Create request for kind {kind}; fields of other kinds are ignored."
            ));
        }
        op.insert("requestBody".into(), body_doc);
    }
    let mut responses = Map::new();
    let ok = ep.success();
    responses.insert(
        ok.status_code().to_string(),
        json!({
            "description": ok.as_str(),
            "content": {"application/json": {"schema": success_envelope(ep, data(ep, g))}}
        }),
    );
    let mut by_status: std::collections::BTreeMap<u16, Vec<&str>> = Default::default();
    for m in errors(ep) {
        by_status
            .entry(m.status_code())
            .or_default()
            .push(m.as_str());
    }
    for (status, messages) in by_status {
        responses.insert(
            status.to_string(),
            json!({
                "description": messages.join(", "),
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
            }),
        );
    }
    op.insert("responses".into(), Value::Object(responses));
    Value::Object(op)
}

/// The whole OpenAPI 3.1 document.
pub fn document() -> Value {
    let settings = SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = "/components/schemas".into();
        s.meta_schema = None;
    });
    let mut g = settings.into_generator();
    let mut paths = Map::new();
    for ep in Endpoint::ALL {
        let method = match ep.method() {
            Method::Get => "get",
            Method::Post => "post",
        };
        let item = paths.entry(ep.path_template()).or_insert_with(|| json!({}));
        item[method] = operation(ep, &mut g);
    }
    let mut schemas = g.take_definitions(true);
    schemas.insert("ErrorEnvelope".into(), error_envelope());
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Front Payment Connect orders (as used by Frontdesk)",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Generated by frontdesk-core from its types: do not edit by hand."
        },
        "servers": [
            {"url": "https://demo-api.frontpayment.no", "description": "Demo"},
            {"url": "https://apigo.frontpayment.no", "description": "Production"}
        ],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
        }
    })
}

/// Keys sorted at every level, so the text is the same whether or not some other crate in the
/// build turns on serde_json's `preserve_order`.
fn sorted(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// The document as committed: pretty JSON, keys sorted, with a trailing newline.
pub fn document_text() -> String {
    let mut s = serde_json::to_string_pretty(&sorted(document())).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.json");

    #[test]
    fn document_covers_every_endpoint() {
        let doc = document();
        for ep in Endpoint::ALL {
            let method = ep.method().as_str().to_ascii_lowercase();
            let op = &doc["paths"][ep.path_template()][&method];
            assert_eq!(op["operationId"], ep.name(), "{ep}");
            assert!(
                op["responses"][ep.success_status().to_string()].is_object(),
                "{ep}"
            );
            assert_eq!(op["requestBody"].is_object(), ep.has_body(), "{ep}");
        }
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for name in [
            "CreateOrder",
            "Product",
            "OrderDetails",
            "RefundRequest",
            "Money",
            "ErrorEnvelope",
        ] {
            assert!(schemas.contains_key(name), "{name}");
        }
        let text = document_text();
        assert!(!text.contains("#/$defs"), "all refs point into components");
    }

    #[test]
    fn committed_document_is_current() {
        let fresh = document_text();
        if std::env::var_os("UPDATE_OPENAPI").is_some_and(|v| v == "1") {
            std::fs::write(COMMITTED, &fresh).expect("write docs/openapi.json");
            return;
        }
        let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
        assert!(
            committed == fresh,
            "docs/openapi.json is stale or missing. Regenerate it with:\n  UPDATE_OPENAPI=1 cargo test -p frontdesk-core --features openapi openapi\nand commit the result."
        );
    }
}
