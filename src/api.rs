//! The console's only way out: HTTP to the proxy on the same origin.

use serde::Deserialize;

/// The proxy's `GET /health` answer.
#[derive(Clone, Debug, Deserialize)]
pub struct Health {
    pub status: String,
    pub upstream: String,
}

pub async fn health() -> Result<Health, String> {
    let response = gloo_net::http::Request::get("/health")
        .send()
        .await
        .map_err(|error| error.to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    response.json::<Health>().await.map_err(|error| error.to_string())
}
