//! The whole product on 127.0.0.1: the sandbox, the proxy under `wrangler dev` (real workerd,
//! local D1) and the console, either as the proxy's static assets or under `trunk serve`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::proc::{Service, free_port, run};
use crate::toolchain::Toolchain;

/// How long a service may take to answer its health check once built (wrangler dev still
/// runs the worker's build command, a no-op after `build_all`).
const HEALTH_TIMEOUT: Duration = Duration::from_secs(120);

/// What a client needs to use a running stack: printed as one JSON line by `cargo xtask stack`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StackInfo {
    pub sandbox: String,
    pub proxy: String,
    pub console: String,
    pub token: String,
    pub callback_secret: String,
    pub api_key: String,
    /// The admin; `password` also signs in the users `clerk` and `viewer`.
    pub username: String,
    pub password: String,
    /// Logs, the env file and the D1 state (`wrangler/`), for tools that inspect a running stack.
    pub state_dir: String,
}

/// Ports and state for one run.
pub struct StackOptions {
    pub upstream: Upstream,
    pub proxy_port: u16,
    pub state_dir: PathBuf,
    pub credentials: Credentials,
}

/// What the proxy forwards to.
pub enum Upstream {
    /// Our own sandbox; its state in a file under the state dir (kept) or in memory.
    Sandbox { port: u16, persist: bool },
    /// Front Payment itself (demo or production), with a real token.
    FrontPayment { base: String, token: String },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    pub token: String,
    pub callback_secret: String,
    pub session_secret: String,
    pub api_key: String,
    pub username: String,
    pub password: String,
}

impl Credentials {
    /// Fresh random secrets: nothing a test or a demo uses is guessable or shared between runs.
    pub fn random() -> Result<Credentials> {
        Ok(Credentials {
            token: format!("sbx_{}", random_hex(16)?),
            callback_secret: random_hex(16)?,
            session_secret: random_hex(32)?,
            api_key: format!("fdk_{}", random_hex(24)?),
            username: "admin".into(),
            password: random_hex(8)?,
        })
    }
}

pub fn random_hex(bytes: usize) -> Result<String> {
    use std::io::Read;
    let mut buffer = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut buffer))
        .context("reading /dev/urandom")?;
    Ok(hex::encode(buffer))
}

/// Builds the three deployables: the sandbox binary, the console's `dist/` and the worker bundle.
pub fn build_all(toolchain: &Toolchain) -> Result<()> {
    eprintln!("[build 1/3] sandbox (cargo build -p frontdesk-sandbox)…");
    run(toolchain
        .command("cargo")
        .args(["build", "--quiet", "-p", "frontdesk-sandbox"]))?;
    build_console(toolchain)?;
    eprintln!("[build 3/3] proxy (worker-build --release)…");
    run(toolchain
        .command("worker-build")
        .arg("--release")
        .current_dir(toolchain.root.join("worker")))?;
    Ok(())
}

pub fn build_console(toolchain: &Toolchain) -> Result<()> {
    eprintln!("[build 2/3] console (trunk build --release)…");
    run(toolchain.command("trunk").args(["build", "--release"]))
}

pub fn sandbox_binary(root: &Path) -> PathBuf {
    root.join("target/debug/frontdesk-sandbox")
}

/// The running services; dropping it stops them all.
pub struct Stack {
    pub info: StackInfo,
    pub sandbox: Option<Service>,
    pub proxy: Service,
}

impl Stack {
    pub fn start(toolchain: &Toolchain, options: &StackOptions) -> Result<Stack> {
        std::fs::create_dir_all(&options.state_dir)?;
        let creds = &options.credentials;
        let proxy_url = format!("http://127.0.0.1:{}", options.proxy_port);
        let (mut sandbox, upstream_base, upstream_token, sandbox_url) = match &options.upstream {
            Upstream::Sandbox { port, persist } => {
                let url = format!("http://127.0.0.1:{port}");
                let mut command = Command::new(sandbox_binary(&toolchain.root));
                command
                    .arg("--addr")
                    .arg(format!("127.0.0.1:{port}"))
                    // Secrets by environment, not argv: argv is visible to every local user.
                    .env("SANDBOX_TOKEN", &creds.token)
                    .env("SANDBOX_CALLBACK_SECRET", &creds.callback_secret);
                if *persist {
                    command
                        .arg("--db")
                        .arg(options.state_dir.join("sandbox.sqlite"));
                } else {
                    command.arg("--memory");
                }
                let service = Service::start(
                    "sandbox",
                    &mut command,
                    &options.state_dir.join("sandbox.log"),
                )?;
                (
                    Some(service),
                    format!("{url}/api/v1"),
                    creds.token.clone(),
                    url,
                )
            }
            Upstream::FrontPayment { base, token } => {
                (None, base.clone(), token.clone(), String::new())
            }
        };

        let worker_dir = toolchain.root.join("worker");
        let d1_dir = options.state_dir.join("wrangler");
        let env_file = write_worker_env(&options.state_dir, creds, &upstream_token)?;
        run(toolchain
            .command("wrangler")
            .args(["d1", "migrations", "apply", "DB", "--local", "--persist-to"])
            .arg(&d1_dir)
            .env("CI", "true")
            .current_dir(&worker_dir))
        .context("applying the D1 migrations")?;

        let mut proxy_cmd = toolchain.command("wrangler");
        proxy_cmd
            .args([
                "dev",
                "--local",
                "--ip",
                "127.0.0.1",
                "--show-interactive-dev-session=false",
            ])
            .arg("--port")
            .arg(options.proxy_port.to_string())
            .arg("--inspector-port")
            .arg(free_port()?.to_string())
            .arg("--persist-to")
            .arg(&d1_dir)
            .arg("--env-file")
            .arg(&env_file)
            .arg("--var")
            .arg(format!("FRONTPAY_API_BASE:{upstream_base}"))
            .arg("--var")
            .arg(format!("SANDBOX_CONTROLS:{}", sandbox.is_some()))
            .arg("--var")
            .arg(format!("PUBLIC_URL:{proxy_url}"))
            .current_dir(&worker_dir);
        let mut proxy = Service::start(
            "proxy",
            &mut proxy_cmd,
            &options.state_dir.join("proxy.log"),
        )?;

        if let Some(sandbox) = sandbox.as_mut() {
            sandbox.wait_healthy(&format!("{sandbox_url}/health"), HEALTH_TIMEOUT)?;
        }
        proxy.wait_healthy(&format!("{proxy_url}/health"), HEALTH_TIMEOUT)?;
        proxy.wait_healthy(&format!("{proxy_url}/"), HEALTH_TIMEOUT)?;

        let info = StackInfo {
            sandbox: sandbox_url,
            console: format!("{proxy_url}/"),
            proxy: proxy_url,
            token: if sandbox.is_some() {
                creds.token.clone()
            } else {
                String::new()
            },
            callback_secret: creds.callback_secret.clone(),
            api_key: creds.api_key.clone(),
            username: creds.username.clone(),
            password: creds.password.clone(),
            state_dir: options.state_dir.display().to_string(),
        };
        Ok(Stack {
            info,
            sandbox,
            proxy,
        })
    }
}

/// The worker's secrets, as `wrangler dev --env-file` reads them (never committed, mode 0600).
fn write_worker_env(dir: &Path, creds: &Credentials, upstream_token: &str) -> Result<PathBuf> {
    use std::os::unix::fs::OpenOptionsExt;
    let path = dir.join("worker.env");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(&path)?;
    // The stack's logins and API key really work: the admin user plus `clerk` and `viewer` with
    // the same password (to try and test the roles), all hashed; the key acts as admin.
    use frontdesk_worker::auth::Role;
    let admin = Role::Admin;
    let users = [
        (creds.username.as_str(), Role::Admin),
        ("clerk", Role::Clerk),
        ("viewer", Role::Viewer),
    ]
    .into_iter()
    .map(|(name, role)| crate::users::user_entry(name, role, &creds.password))
    .collect::<Result<Vec<_>>>()?;
    let users = format!("[{}]", users.join(","));
    let api_keys = format!(
        "[{}]",
        crate::users::key_entry("stack", admin, &creds.api_key)
    );
    for (key, value) in [
        ("FRONTPAY_TOKEN", upstream_token),
        ("CALLBACK_SECRET", creds.callback_secret.as_str()),
        ("SESSION_SECRET", creds.session_secret.as_str()),
        ("USERS", &env_file_literal(&users)?),
        ("API_KEYS", &env_file_literal(&api_keys)?),
    ] {
        writeln!(file, "{key}={value}")?;
    }
    Ok(path)
}

/// A value for wrangler's env files (`--env-file`, `.dev.vars`): single-quoted, with `$` escaped,
/// because wrangler expands `$name` even inside single quotes, and password hashes
/// (`pbkdf2-sha256$100000$salt$hash`) would otherwise lose the parts after `$`.
fn env_file_literal(value: &str) -> Result<String> {
    if value.contains(['\'', '\\', '\n']) {
        anyhow::bail!(
            "a worker secret contains a quote, backslash or newline: cannot write it to an env file"
        );
    }
    Ok(format!("'{}'", value.replace('$', "\\$")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_file_values_keep_every_dollar() {
        let hash = r#"[{"password":"pbkdf2-sha256$100000$c+mn==$0+u2"}]"#;
        assert_eq!(
            env_file_literal(hash).ok().as_deref(),
            Some(r#"'[{"password":"pbkdf2-sha256\$100000\$c+mn==\$0+u2"}]'"#)
        );
        assert!(env_file_literal("it's").is_err());
    }
}
