//! `cargo xtask dev`: the local loop. Fixed ports, state kept in `.data/`, the console under
//! `trunk serve` (live reload) proxying the proxy's paths (Trunk.toml) so the browser sees one origin.
//!
//! By environment: `FRONTDESK_DIALECT` (`docs`, the default, or `live-2025-07`) and
//! `FRONTDESK_RATE_LIMIT` (requests a minute per token, default 240 as on the real API, 0 = off)
//! for the sandbox; `FRONTPAY_TOKEN`, `FRONTPAY_API_BASE` and `FRONTPAY_ORDER_DATE_FORMAT`
//! (`unix` or `dmy`, as `cargo xtask drift` prints; default: the dialect's) for Front Payment.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use frontdesk_core::envelope::DEFAULT_RATE_LIMIT;

use crate::proc::Service;
use crate::stack::{self, Credentials, Stack, StackOptions, Upstream};
use crate::toolchain;

/// Must match the `[[proxy]]` backends in Trunk.toml and `[serve]` there.
const PROXY_PORT: u16 = 8787;
const CONSOLE_PORT: u16 = 8080;
const SANDBOX_PORT: u16 = 9090;
const DEMO_BASE: &str = "https://demo-api.frontpayment.no/api/v1";

pub fn run(root: &Path) -> Result<()> {
    let stop = crate::wait_for_stop_signal()?;
    let toolchain = toolchain::ensure(root, false)?;
    let data = root.join(".data");
    std::fs::create_dir_all(&data)?;
    let credentials = dev_credentials(&data)?;
    let dialect = stack::dialect_from_env()?;
    let rate_limit = stack::rate_limit_from_env(DEFAULT_RATE_LIMIT)?;

    // Real credentials in the environment switch the proxy to Front Payment; none → sandbox.
    let upstream = match std::env::var("FRONTPAY_TOKEN") {
        Ok(token) if !token.is_empty() => Upstream::FrontPayment {
            base: std::env::var("FRONTPAY_API_BASE").unwrap_or_else(|_| DEMO_BASE.to_string()),
            token,
            date_format: stack::date_format_from_env(dialect)?,
        },
        _ => Upstream::Sandbox {
            port: SANDBOX_PORT,
            persist: true,
        },
    };

    stack::build_all(&toolchain)?;
    let options = StackOptions {
        upstream,
        proxy_port: PROXY_PORT,
        state_dir: data.clone(),
        credentials: credentials.clone(),
        dialect,
        rate_limit,
        watch_proxy: true,
    };
    let mut running = Stack::start(&toolchain, &options)?;

    eprintln!("[dev] console: trunk serve on 127.0.0.1:{CONSOLE_PORT} (live reload)…");
    let mut trunk_cmd = toolchain.command("trunk");
    trunk_cmd.args([
        "serve",
        "--address",
        "127.0.0.1",
        "--port",
        &CONSOLE_PORT.to_string(),
    ]);
    let mut console = Service::start("console", &mut trunk_cmd, &data.join("console.log"))?;
    let console_url = format!("http://127.0.0.1:{CONSOLE_PORT}/");
    console.wait_healthy(&console_url, Duration::from_secs(600))?;

    let upstream_line = match &options.upstream {
        Upstream::Sandbox { .. } => format!(
            "sandbox {} (dialect {dialect}, {}; token in .data/dev-credentials.json)",
            running.info.sandbox,
            rate_limit_words(rate_limit)
        ),
        Upstream::FrontPayment {
            base, date_format, ..
        } => format!("Front Payment at {base} (orderDate as {date_format})"),
    };
    eprintln!(
        "\nFrontdesk is running.\n  open      {console_url}\n  log in    {} / {}  (also clerk and viewer, same password)\n  proxy     {}\n  upstream  {upstream_line}\n  logs      .data/*.log\nCtrl-C stops everything.\n",
        credentials.username, credentials.password, running.info.proxy
    );

    let mut services: Vec<&mut Service> = running.sandbox.iter_mut().collect();
    services.push(&mut running.proxy);
    services.push(&mut console);
    crate::supervise(&stop, &mut services)
}

fn rate_limit_words(limit: u32) -> String {
    match limit {
        0 => "no rate limit".to_owned(),
        n => format!("{n} requests a minute"),
    }
}

/// The demo login and local secrets, made once and kept so a restart keeps the same login.
fn dev_credentials(data: &Path) -> Result<Credentials> {
    let path = data.join("dev-credentials.json");
    let saved = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| serde_json::from_str::<Credentials>(&text).ok());
    if let Some(saved) = saved {
        return Ok(saved);
    }
    let fresh = Credentials::random()?;
    std::fs::write(&path, serde_json::to_string_pretty(&fresh)?)
        .context("saving .data/dev-credentials.json")?;
    Ok(fresh)
}
