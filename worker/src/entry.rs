//! The Worker's entry point: turns `worker::Request`s into plain values and answers.

use worker::{Context, Env, Request, Response, Result, event};

use crate::health::health;

#[event(fetch)]
async fn fetch(request: Request, env: Env, _ctx: Context) -> Result<Response> {
    let sandbox_controls = env
        .var("SANDBOX_CONTROLS")
        .map(|value| value.to_string() == "true")
        .unwrap_or(false);
    match request.path().as_str() {
        "/health" => Response::from_json(&health(sandbox_controls)),
        _ => env.assets("ASSETS")?.fetch_request(request).await,
    }
}
