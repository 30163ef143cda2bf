//! `cargo xtask …`: everything a developer or CI runs, from a fresh machine on.

mod bench;
mod dev;
mod drift;
mod proc;
mod size;
mod split;
mod stack;
mod suite;
mod toolchain;
mod users;

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Frontdesk's task runner")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install every pinned tool that is missing (offline-safe; present ones are skipped).
    Setup,
    /// Run the whole product locally: sandbox, proxy (wrangler dev) and console (trunk serve).
    Dev,
    /// Start sandbox + proxy + console on free ports and print one JSON line once all answer.
    Stack,
    /// Run every test and check; ends with `N passed, N failed`.
    Test {
        /// Skip the browser end-to-end suites (faster inner loop).
        #[arg(long)]
        no_e2e: bool,
    },
    /// Build the console for release into dist/ (split per page group, as deployed).
    Console,
    /// Build the console (release) and check its first load against the size budget.
    Size {
        /// Instead: split this wasm's code by crate (it needs a name section).
        #[arg(long, value_name = "WASM")]
        crates: Option<PathBuf>,
        /// Measure dist/ as it is, without building the console first.
        #[arg(long)]
        no_build: bool,
    },
    /// Every performance figure in one run; writes docs/BENCHMARKS.md (≤ 15 minutes).
    Bench {
        /// Run one group only (docs/BENCHMARKS.md is then left as it is).
        #[arg(long, value_enum)]
        only: Option<bench::Group>,
    },
    /// Console users and API keys for the proxy's USERS / API_KEYS secrets.
    User {
        #[command(subcommand)]
        command: users::UserCommand,
    },
    /// Read-only check that a real Front Payment API still answers as recorded (July 2025);
    /// prints the FRONTPAY_ORDER_DATE_FORMAT it wants and fails when a behaviour changed.
    Drift {
        /// The API base, as in FRONTPAY_API_BASE (https://demo-api.frontpayment.no/api/v1).
        #[arg(long, env = "FRONTPAY_API_BASE")]
        base: String,
        /// The merchant's bearer token. Prefer the FRONTPAY_TOKEN variable: the command line
        /// is visible to every local user.
        #[arg(long, env = "FRONTPAY_TOKEN", hide_env_values = true)]
        token: String,
    },
}

fn main() {
    if let Err(error) = run() {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let root = repo_root()?;
    match Cli::parse().command {
        Task::Setup => toolchain::ensure(&root, false).map(drop),
        Task::Dev => dev::run(&root),
        Task::Stack => stack_command(&root),
        Task::Test { no_e2e } => suite::run(&root, !no_e2e),
        Task::Size {
            crates: Some(wasm), ..
        } => size::print_crates(&wasm, 25),
        Task::Size {
            crates: None,
            no_build,
        } => {
            if !no_build {
                let toolchain = toolchain::ensure(&root, true)?;
                stack::build_console(&toolchain)?;
            }
            size::report_console(&root)
        }
        Task::Console => stack::build_console(&toolchain::ensure(&root, true)?),
        Task::Bench { only } => bench::run_bench(&root, only),
        Task::User { command } => users::run(command),
        Task::Drift { base, token } => drift::run(&base, &token),
    }
}

/// The workspace root: xtask lives one level below it.
fn repo_root() -> Result<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(PathBuf::from)
        .context("xtask has no parent folder")
}

/// Blocks until SIGINT or SIGTERM.
pub fn wait_for_stop_signal() -> Result<mpsc::Receiver<()>> {
    let (sender, receiver) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = sender.send(());
    })
    .context("installing the signal handler")?;
    Ok(receiver)
}

/// `cargo xtask stack`. Options by environment (unset: build everything, state in a fresh temp
/// dir, deleted on exit):
/// - `FRONTDESK_STACK_KEEP=<dir>`: state (D1, `sandbox.log`, `proxy.log`, `worker.env`) in
///   `<dir>`, emptied first and kept on exit, e.g. to scan the logs for secrets afterwards;
/// - `FRONTDESK_STACK_NO_BUILD=1`: use the sandbox, `dist/` and `worker/build/` as they are;
/// - `FRONTDESK_DIALECT=docs|live-2025-07`: the sandbox's dialect (default `docs`), the proxy's
///   `orderDate` format with it;
/// - `FRONTDESK_RATE_LIMIT=N`: the sandbox's requests a minute per token (default 0 = off:
///   test suites burst far past the merchant's 240).
fn stack_command(root: &std::path::Path) -> Result<()> {
    let dialect = stack::dialect_from_env()?;
    let rate_limit = stack::rate_limit_from_env(stack::STACK_RATE_LIMIT)?;
    let stop = wait_for_stop_signal()?;
    let toolchain = toolchain::ensure(root, true)?;
    if std::env::var_os("FRONTDESK_STACK_NO_BUILD").is_none_or(|v| v.is_empty()) {
        stack::build_all(&toolchain)?;
    }
    let keep = std::env::var_os("FRONTDESK_STACK_KEEP")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let state_dir = match &keep {
        Some(dir) => {
            // Emptied only if it is a previous stack's state (it has our worker.env) or empty:
            // a mistyped path to something else is refused, never deleted.
            let ours = dir.join("worker.env").is_file()
                || std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none());
            if !ours {
                anyhow::bail!(
                    "FRONTDESK_STACK_KEEP={}: not empty and not a stack's state dir",
                    dir.display()
                );
            }
            let _ = std::fs::remove_dir_all(dir);
            std::path::absolute(dir)?
        }
        None => std::env::temp_dir().join(format!("frontdesk-stack-{}", std::process::id())),
    };
    let options = stack::StackOptions {
        upstream: stack::Upstream::Sandbox {
            port: proc::free_port()?,
            persist: false,
        },
        proxy_port: proc::free_port()?,
        state_dir: state_dir.clone(),
        credentials: stack::Credentials::random()?,
        dialect,
        rate_limit,
        watch_proxy: false,
    };
    let mut running = stack::Stack::start(&toolchain, &options)?;
    println!("{}", serde_json::to_string(&running.info)?);
    let mut services: Vec<&mut proc::Service> = running.sandbox.iter_mut().collect();
    services.push(&mut running.proxy);
    let outcome = supervise(&stop, &mut services);
    drop(running);
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&state_dir);
    }
    outcome
}

/// Waits for a stop signal; fails if a service dies first.
pub fn supervise(stop: &mpsc::Receiver<()>, services: &mut [&mut proc::Service]) -> Result<()> {
    loop {
        if stop.recv_timeout(Duration::from_millis(500)).is_ok() {
            eprintln!("stopping…");
            return Ok(());
        }
        for service in services.iter_mut() {
            if !service.running() {
                anyhow::bail!(
                    "{} stopped unexpectedly\n{}",
                    service.name,
                    service.log_tail()
                );
            }
        }
    }
}
