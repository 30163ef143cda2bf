//! Thin D1 helpers over [`crate::sql::Query`] (wasm only).

use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result, Result};

use crate::sql::{Query, SqlValue};

fn js(v: &SqlValue) -> JsValue {
    match v {
        SqlValue::Null => JsValue::NULL,
        // D1 binds JS numbers; every integer we store fits in 2^53.
        SqlValue::Int(i) => JsValue::from_f64(*i as f64),
        SqlValue::Text(t) => JsValue::from_str(t),
    }
}

pub fn statement(db: &D1Database, q: &Query) -> Result<D1PreparedStatement> {
    let params: Vec<JsValue> = q.params.iter().map(js).collect();
    db.prepare(&q.sql).bind(&params)
}

pub async fn run(db: &D1Database, q: &Query) -> Result<usize> {
    let r = statement(db, q)?.run().await?;
    Ok(r.meta()?.and_then(|m| m.changes).unwrap_or(0))
}

pub async fn all<T: DeserializeOwned>(db: &D1Database, q: &Query) -> Result<Vec<T>> {
    statement(db, q)?.all().await?.results()
}

pub async fn first<T: DeserializeOwned>(db: &D1Database, q: &Query) -> Result<Option<T>> {
    statement(db, q)?.first(None).await
}

/// Run statements as one D1 batch (one round trip, one transaction).
pub async fn batch(db: &D1Database, queries: &[Query]) -> Result<Vec<D1Result>> {
    let statements = queries
        .iter()
        .map(|q| statement(db, q))
        .collect::<Result<Vec<_>>>()?;
    db.batch(statements).await
}
