//! The whole product on 127.0.0.1: the sandbox, the proxy under `wrangler dev` (real workerd,
//! local D1) and the console, either as the proxy's static assets or under `trunk serve`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};
use frontdesk_core::{DateFormat, Dialect};
use serde::{Deserialize, Serialize};

use crate::proc::{Service, free_port, run};
use crate::toolchain::Toolchain;

/// How long a service may take to answer its health check once built (wrangler dev still
/// runs the worker's build command, a no-op after `build_all`).
const HEALTH_TIMEOUT: Duration = Duration::from_secs(120);

/// `cargo xtask stack`'s sandbox rate limit unless `FRONTDESK_RATE_LIMIT` says otherwise: off,
/// because test suites burst far past the merchant's 240 requests a minute.
pub const STACK_RATE_LIMIT: u32 = 0;

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
    /// The upstream's dialect (`docs` or `live-2025-07`), the proxy's `orderDate` format with it.
    pub dialect: Dialect,
}

/// Ports and state for one run.
pub struct StackOptions {
    pub upstream: Upstream,
    pub proxy_port: u16,
    pub state_dir: PathBuf,
    pub credentials: Credentials,
    /// The sandbox's dialect.
    pub dialect: Dialect,
    /// The sandbox's requests a minute per token; 0 = off.
    pub rate_limit: u32,
    /// `wrangler dev` rebuilds the proxy when its sources change (`cargo xtask dev`), at the
    /// cost of a full `worker-build --release` at every start; off, it serves the build as it is.
    pub watch_proxy: bool,
}

impl StackOptions {
    /// The `orderDate` format the proxy sends upstream: the sandbox's dialect's, or what was
    /// set for Front Payment (`cargo xtask drift` tells which).
    pub fn order_date_format(&self) -> DateFormat {
        match &self.upstream {
            Upstream::Sandbox { .. } => self.dialect.order_date_format(),
            Upstream::FrontPayment { date_format, .. } => *date_format,
        }
    }
}

/// What the proxy forwards to.
pub enum Upstream {
    /// Our own sandbox; its state in a file under the state dir (kept) or in memory.
    Sandbox { port: u16, persist: bool },
    /// Front Payment itself (demo or production), with a real token and the `orderDate` format
    /// it takes.
    FrontPayment {
        base: String,
        token: String,
        date_format: DateFormat,
    },
}

/// `FRONTDESK_DIALECT`: the sandbox's dialect, `docs` (the default) or `live-2025-07`.
pub fn dialect_from_env() -> Result<Dialect> {
    let default = Dialect::default();
    env_or("FRONTDESK_DIALECT", default, "docs or live-2025-07")
}

/// `FRONTDESK_RATE_LIMIT`: the sandbox's requests a minute per token (0 = off), else `default`.
pub fn rate_limit_from_env(default: u32) -> Result<u32> {
    env_or("FRONTDESK_RATE_LIMIT", default, "a whole number (0 = off)")
}

/// `FRONTPAY_ORDER_DATE_FORMAT` for a real upstream (`unix` or `dmy`), else `dialect`'s.
pub fn date_format_from_env(dialect: Dialect) -> Result<DateFormat> {
    let default = dialect.order_date_format();
    env_or("FRONTPAY_ORDER_DATE_FORMAT", default, "unix or dmy")
}

/// The variable `name` parsed, or `default` when it is unset or empty.
fn env_or<T>(name: &str, default: T, expected: &str) -> Result<T>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let raw = std::env::var(name).ok();
    setting(name, raw.as_deref(), default, expected)
}

fn setting<T>(name: &str, raw: Option<&str>, default: T, expected: &str) -> Result<T>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    match raw.map(str::trim) {
        None | Some("") => Ok(default),
        Some(v) => v
            .parse::<T>()
            .with_context(|| format!("{name}={v:?}: expected {expected}")),
    }
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
    write_prebuilt_config(&toolchain.root)?;
    Ok(())
}

/// Where [`write_prebuilt_config`] puts its config (tests/support/processes.mjs reads it too).
pub fn prebuilt_config(root: &Path) -> PathBuf {
    root.join("worker/build/wrangler.prebuilt.toml")
}

/// `worker/wrangler.toml` without its `[build]` table, its paths made absolute: `wrangler dev`
/// runs the build command at every start (a whole `worker-build --release`, ~90 s on 2 cores),
/// which is wasted on a bundle just built. Written next to the bundle it serves.
pub fn write_prebuilt_config(root: &Path) -> Result<PathBuf> {
    let worker = root.join("worker");
    let source = std::fs::read_to_string(worker.join("wrangler.toml"))
        .context("reading worker/wrangler.toml")?;
    let target = prebuilt_config(root);
    let written = without_build_table(&source, &worker);
    // Write then rename: two stacks starting at once never read half a file.
    let partial = target.with_extension(format!("toml.{}", std::process::id()));
    std::fs::write(&partial, written).with_context(|| format!("writing {}", partial.display()))?;
    std::fs::rename(&partial, &target)?;
    Ok(target)
}

/// The config text minus the `[build]` table, with `main`, `directory` and `migrations_dir`
/// made absolute against `worker`.
fn without_build_table(source: &str, worker: &Path) -> String {
    let mut out = String::new();
    let mut in_build = false;
    for line in source.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_build = trimmed == "[build]";
        }
        if in_build {
            continue;
        }
        out.push_str(&absolute_path_line(line, worker).unwrap_or_else(|| line.to_string()));
        out.push('\n');
    }
    out
}

fn absolute_path_line(line: &str, worker: &Path) -> Option<String> {
    let (key, value) = line.split_once(" = ")?;
    if !matches!(key, "main" | "directory" | "migrations_dir") {
        return None;
    }
    let relative = value.strip_prefix('"')?.strip_suffix('"')?;
    let path = worker.join(relative);
    Some(format!("{key} = {:?}", path.display().to_string()))
}

pub fn build_console(toolchain: &Toolchain) -> Result<()> {
    eprintln!("[build 2/3] console (release, split per page group)…");
    crate::split::build(toolchain)
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
                    .arg("--dialect")
                    .arg(options.dialect.as_str())
                    .arg("--rate-limit")
                    .arg(options.rate_limit.to_string())
                    // The proxy it calls back is on 127.0.0.1, a loopback address the sandbox
                    // refuses by default (issue 15).
                    .arg("--allow-private-callbacks")
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
            Upstream::FrontPayment { base, token, .. } => {
                (None, base.clone(), token.clone(), String::new())
            }
        };

        let date_format = options.order_date_format();
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
            .arg("--var")
            .arg(format!("FRONTPAY_ORDER_DATE_FORMAT:{date_format}"))
            .current_dir(&worker_dir);
        if !options.watch_proxy {
            proxy_cmd
                .arg("--config")
                .arg(write_prebuilt_config(&toolchain.root)?);
        }
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
            dialect: date_format.dialect(),
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
    fn prebuilt_config_drops_the_build_table_and_anchors_paths() {
        let source = "name = \"frontdesk\"\nmain = \"build/index.js\"\n\n[build]\ncommand = \"worker-build --release\"\n\n[assets]\ndirectory = \"../dist\"\n[[d1_databases]]\nmigrations_dir = \"migrations\"\n";
        let out = without_build_table(source, Path::new("/repo/worker"));
        assert!(
            !out.contains("[build]") && !out.contains("worker-build"),
            "{out}"
        );
        assert!(
            out.contains("main = \"/repo/worker/build/index.js\""),
            "{out}"
        );
        assert!(
            out.contains("directory = \"/repo/worker/../dist\""),
            "{out}"
        );
        assert!(
            out.contains("migrations_dir = \"/repo/worker/migrations\""),
            "{out}"
        );
        assert!(
            out.contains("[assets]") && out.contains("name = \"frontdesk\""),
            "{out}"
        );
    }

    #[test]
    fn env_file_values_keep_every_dollar() {
        let hash = r#"[{"password":"pbkdf2-sha256$100000$c+mn==$0+u2"}]"#;
        assert_eq!(
            env_file_literal(hash).ok().as_deref(),
            Some(r#"'[{"password":"pbkdf2-sha256\$100000\$c+mn==\$0+u2"}]'"#)
        );
        assert!(env_file_literal("it's").is_err());
    }

    #[test]
    fn settings_default_when_unset_or_empty_and_refuse_the_unknown() {
        let dialect = |raw: Option<&str>| setting("FRONTDESK_DIALECT", raw, Dialect::Docs, "a");
        assert_eq!(dialect(None).ok(), Some(Dialect::Docs));
        assert_eq!(dialect(Some(" ")).ok(), Some(Dialect::Docs));
        let live = dialect(Some("live-2025-07")).ok();
        assert_eq!(live, Some(Dialect::Live202507));
        let error = dialect(Some("live")).err().map(|e| format!("{e:#}"));
        let error = error.unwrap_or_default();
        assert!(error.starts_with("FRONTDESK_DIALECT=\"live\""), "{error}");
        assert_eq!(setting("N", Some("0"), 240_u32, "n").ok(), Some(0));
        assert!(setting("N", Some("-1"), 240_u32, "n").is_err());
    }
}
