//! `frontdesk-sandbox`: a stateful simulator of Front Payment's Connect order API.
//! CLI only: parse the arguments, open the store, serve, shut down on SIGINT / SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use frontdesk_core::dialect::Dialect;
use frontdesk_core::envelope::DEFAULT_RATE_LIMIT;
use frontdesk_core::money::Money;
use frontdesk_sandbox::{Config, Db};

#[derive(Parser, Debug)]
#[command(about = "A faithful, stateful simulator of Front Payment's Connect order API")]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "SANDBOX_ADDR", default_value = "127.0.0.1:9090")]
    addr: SocketAddr,
    /// The bearer token clients must send.
    #[arg(long, env = "SANDBOX_TOKEN")]
    token: String,
    /// The merchant secret that callback checksums are made with.
    #[arg(long, env = "SANDBOX_CALLBACK_SECRET")]
    callback_secret: String,
    /// SQLite file that keeps the state across restarts (default .data/sandbox.sqlite).
    #[arg(long, env = "SANDBOX_DB", conflicts_with = "memory")]
    db: Option<PathBuf>,
    /// Keep state in memory only (tests).
    #[arg(long)]
    memory: bool,
    /// Which reading of the API to speak: `docs` (the endpoint text) or `live-2025-07` (the demo
    /// server as recorded in July 2025: `orderDate` as `d M, Y`, EHF needing more members).
    #[arg(long, env = "SANDBOX_DIALECT", default_value_t = Dialect::Docs)]
    dialect: Dialect,
    /// API requests a minute per token before 429 (Laravel's `throttle:N,1`); 0 = off.
    #[arg(long, env = "SANDBOX_RATE_LIMIT", default_value_t = DEFAULT_RATE_LIMIT)]
    rate_limit: u32,
    /// Largest single refund in kroner (off by default).
    #[arg(long, value_parser = parse_kr)]
    refund_limit: Option<Money>,
    /// Largest sum of refunds over 7 days in kroner (off by default).
    #[arg(long, value_parser = parse_kr)]
    weekly_refund_limit: Option<Money>,
    /// Share of API calls that get a random fault, 0 to 1.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    fault_rate: f64,
    /// How long the `timeout` fault holds a request, in seconds.
    #[arg(long, default_value_t = 30)]
    fault_timeout_secs: u64,
    /// Deliver callbacks to loopback, link-local, private and CGNAT addresses too (local
    /// receivers such as a proxy on 127.0.0.1). Off by default: such callbacks are refused and
    /// logged as `refused`. Metadata addresses are refused either way.
    #[arg(long, env = "SANDBOX_ALLOW_PRIVATE_CALLBACKS")]
    allow_private_callbacks: bool,
}

fn parse_kr(s: &str) -> Result<Money, String> {
    Money::parse_non_negative(s).map_err(|e| format!("{s:?}: {e}"))
}

fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("{s:?}: a number from 0 to 1")),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    eprintln!("frontdesk-sandbox: shutting down");
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let db = if args.memory {
        Db::Memory
    } else {
        Db::File(
            args.db
                .unwrap_or_else(|| PathBuf::from(".data/sandbox.sqlite")),
        )
    };
    let mut config = Config::new(args.token, args.callback_secret);
    config.dialect = args.dialect;
    config.rate_limit = args.rate_limit;
    config.refund_limit = args.refund_limit;
    config.weekly_refund_limit = args.weekly_refund_limit;
    config.fault_rate = args.fault_rate;
    config.fault_timeout = Duration::from_secs(args.fault_timeout_secs);
    config.allow_private_callbacks = args.allow_private_callbacks;
    let state = frontdesk_sandbox::open(config, &db).map_err(std::io::Error::other)?;
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    eprintln!(
        "frontdesk-sandbox listening on http://{} ({db:?}, dialect {}, rate limit {}, callbacks to {})",
        listener.local_addr()?,
        state.config.dialect,
        match state.config.rate_limit {
            0 => "off".to_owned(),
            n => format!("{n}/min"),
        },
        if state.config.allow_private_callbacks {
            "public and private addresses"
        } else {
            "public addresses only"
        }
    );
    frontdesk_sandbox::serve(listener, state.clone(), shutdown_signal()).await?;
    if let Err(e) = state.store.checkpoint() {
        eprintln!(
            "frontdesk-sandbox: checkpoint at shutdown failed (data is safe in the WAL): {e}"
        );
    }
    Ok(())
}
