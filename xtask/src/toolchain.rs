//! Every tool Frontdesk builds and tests with: pinned here, installed offline, skipped when present.
//!
//! Cargo-installed tools are pinned below. The wasm-bindgen CLI is pinned by Cargo.lock (it must
//! equal the library exactly), and npm tools by `worker/package.json` and `tests/package.json` with
//! their lockfiles. Nothing downloads a prebuilt binary from outside a package registry.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::proc::{human_duration, run};

/// trunk 0.22 needs a newer rustc than these machines have.
pub const TRUNK: &str = "0.21.14";
/// Must match the `worker` crate's minor version.
pub const WORKER_BUILD: &str = "0.8.7";
/// Schema fuzzing (tests/reliability): schemathesis from PyPI, in its own venv.
pub const SCHEMATHESIS: &str = "4.32.5";
/// The npm folders whose `node_modules` the project needs.
const NPM_FOLDERS: [&str; 2] = ["worker", "tests"];

/// Paths and environment of an installed toolchain, handed to every build and test command.
#[derive(Clone, Debug)]
pub struct Toolchain {
    pub root: PathBuf,
    cargo_bin: PathBuf,
}

impl Toolchain {
    pub fn new(root: &Path) -> Toolchain {
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
            .unwrap_or_else(|| PathBuf::from(".cargo"));
        Toolchain {
            root: root.to_path_buf(),
            cargo_bin: cargo_home.join("bin"),
        }
    }

    pub fn worker_bin(&self) -> PathBuf {
        self.root.join("worker/node_modules/.bin")
    }

    /// A command with the toolchain's environment: npm and cargo tool folders first on PATH, the
    /// binaries worker-build would otherwise download, and wrangler kept offline.
    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![self.worker_bin(), self.cargo_bin.clone()];
        dirs.extend(std::env::split_paths(&path));
        if let Ok(joined) = std::env::join_paths(dirs) {
            command.env("PATH", joined);
        }
        command
            .env("WASM_BINDGEN_BIN", self.cargo_bin.join("wasm-bindgen"))
            .env("WASM_OPT_BIN", self.worker_bin().join("wasm-opt"))
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .env("WRANGLER_SEND_METRICS", "false")
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .current_dir(&self.root);
        if let Some(esbuild) = self.esbuild() {
            command.env("ESBUILD_BIN", esbuild);
        }
        command
    }

    /// esbuild's binary ships in a per-platform npm package (`@esbuild/linux-x64`, …).
    fn esbuild(&self) -> Option<PathBuf> {
        let dir = self.root.join("worker/node_modules/@esbuild");
        std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|entry| entry.path().join("bin/esbuild"))
            .find(|path| path.is_file())
    }
}

/// One set-up step: what it is, how long it takes cold, whether it is already done, how to do it.
struct Step {
    name: String,
    cold_time: &'static str,
    present: Box<dyn Fn() -> bool>,
    install: Box<dyn Fn() -> Result<()>>,
}

/// Installs whatever is missing, step by step, saying what it does and how long it should take.
pub fn ensure(root: &Path, quiet: bool) -> Result<Toolchain> {
    let toolchain = Toolchain::new(root);
    let wasm_bindgen = wasm_bindgen_version(root)?;
    check_trunk_pins(root, &wasm_bindgen)?;

    let steps = steps(&toolchain, &wasm_bindgen);
    let total = steps.len();
    let started = Instant::now();
    let mut installed = 0;
    for (index, step) in steps.iter().enumerate() {
        let label = format!("[setup {}/{total}] {}", index + 1, step.name);
        if (step.present)() {
            if !quiet {
                eprintln!("{label}: present");
            }
            continue;
        }
        eprintln!(
            "{label}: installing (about {} on a cold machine)…",
            step.cold_time
        );
        let step_started = Instant::now();
        (step.install)().with_context(|| {
            format!(
                "{label} failed. Its output is above; fix the cause and run `cargo xtask setup` \
                 again (steps already done are skipped)."
            )
        })?;
        if !(step.present)() {
            bail!(
                "{label}: installed, but the version check still fails; run `cargo xtask setup` again"
            );
        }
        installed += 1;
        eprintln!(
            "{label}: done in {}",
            human_duration(step_started.elapsed())
        );
    }
    if installed > 0 || !quiet {
        eprintln!(
            "[setup] toolchain ready ({installed} installed, {} present) in {}",
            total - installed,
            human_duration(started.elapsed())
        );
    }
    Ok(toolchain)
}

fn steps(toolchain: &Toolchain, wasm_bindgen: &str) -> Vec<Step> {
    let cargo_bin = toolchain.cargo_bin.clone();
    let mut steps = vec![
        Step {
            name: "Rust target wasm32-unknown-unknown".into(),
            cold_time: "20 s",
            present: Box::new(|| {
                output_of("rustup", &["target", "list", "--installed"])
                    .is_some_and(|out| out.lines().any(|l| l.trim() == "wasm32-unknown-unknown"))
            }),
            install: Box::new(|| {
                run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
            }),
        },
        Step {
            name: "Chromium + ChromeDriver (Debian packages)".into(),
            cold_time: "1 min",
            present: Box::new(chromium_present),
            install: Box::new(install_chromium),
        },
    ];
    for folder in NPM_FOLDERS {
        let dir = toolchain.root.join(folder);
        let dir_for_install = dir.clone();
        steps.push(Step {
            name: format!("npm packages of {folder}/ (package-lock.json)"),
            cold_time: "15 s",
            present: Box::new(move || npm_stamp(&dir).is_some_and(|(want, have)| want == have)),
            install: Box::new(move || npm_ci(&dir_for_install)),
        });
    }
    for (name, crate_name, version, locked) in [
        ("trunk", "trunk", TRUNK.to_string(), true),
        // Not --locked: one locked dependency of 0.2.130 is missing from the index.
        (
            "wasm-bindgen",
            "wasm-bindgen-cli",
            wasm_bindgen.to_string(),
            false,
        ),
        (
            "worker-build",
            "worker-build",
            WORKER_BUILD.to_string(),
            true,
        ),
    ] {
        let binary = cargo_bin.join(name);
        let wanted = version.clone();
        let cold_time = match name {
            "trunk" => "6.5 min",
            "wasm-bindgen" => "2.5 min",
            _ => "3 min",
        };
        steps.push(Step {
            name: format!("{crate_name} {version} (cargo install)"),
            cold_time,
            present: Box::new(move || {
                output_of(&binary.to_string_lossy(), &["--version"])
                    .is_some_and(|out| out.split_whitespace().any(|word| word == wanted))
            }),
            install: Box::new(move || {
                let mut command = Command::new("cargo");
                command.args(["install", crate_name, "--version", &version, "--force"]);
                if locked {
                    command.arg("--locked");
                }
                run(&mut command)
            }),
        });
    }
    let venv = schemathesis_dir();
    let venv_for_install = venv.clone();
    steps.push(Step {
        name: format!("schemathesis {SCHEMATHESIS} (PyPI, venv under ~/.cache/frontdesk)"),
        cold_time: "40 s",
        present: Box::new(move || {
            output_of(
                &venv.join("bin/schemathesis").to_string_lossy(),
                &["--version"],
            )
            .is_some_and(|out| out.contains(SCHEMATHESIS))
        }),
        install: Box::new(move || {
            run(Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv_for_install))?;
            run(Command::new(venv_for_install.join("bin/pip")).args([
                "install",
                "--quiet",
                &format!("schemathesis=={SCHEMATHESIS}"),
            ]))
        }),
    });
    steps
}

/// Where the pinned schemathesis venv lives (outside the repository, shared between clones).
pub fn schemathesis_dir() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    cache
        .join("frontdesk")
        .join(format!("schemathesis-{SCHEMATHESIS}"))
}

/// Both present and of the same major version (the runner refuses a mismatched driver).
fn chromium_present() -> bool {
    let major = |program: &str| {
        output_of(program, &["--version"]).and_then(|out| {
            out.split_whitespace()
                .find(|word| word.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .and_then(|version| version.split('.').next().map(str::to_string))
        })
    };
    match (major("/usr/bin/chromium"), major("/usr/bin/chromedriver")) {
        (Some(browser), Some(driver)) => browser == driver,
        _ => false,
    }
}

fn install_chromium() -> Result<()> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        bail!(
            "installing Debian packages needs root: run `sudo apt-get install -y chromium chromium-driver`"
        );
    }
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// (hash of package.json + lockfile, hash recorded after the last `npm ci`).
fn npm_stamp(dir: &Path) -> Option<(String, String)> {
    let mut hasher = Sha256::new();
    hasher.update(std::fs::read(dir.join("package.json")).ok()?);
    hasher.update(std::fs::read(dir.join("package-lock.json")).ok()?);
    let want = hex::encode(hasher.finalize());
    let have =
        std::fs::read_to_string(dir.join("node_modules/.frontdesk-stamp")).unwrap_or_default();
    Some((want, have))
}

fn npm_ci(dir: &Path) -> Result<()> {
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir))?;
    let (want, _) = npm_stamp(dir).context("package.json or package-lock.json is missing")?;
    std::fs::write(dir.join("node_modules/.frontdesk-stamp"), want)?;
    Ok(())
}

/// The wasm-bindgen version Cargo.lock resolved: the CLI must be exactly this one.
pub fn wasm_bindgen_version(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_string());
        }
    }
    bail!("Cargo.lock has no wasm-bindgen entry")
}

/// Trunk.toml names the wasm-bindgen trunk may use; a drift from Cargo.lock would make trunk
/// try to download another version, which fails offline.
fn check_trunk_pins(root: &Path, wasm_bindgen: &str) -> Result<()> {
    let trunk = std::fs::read_to_string(root.join("Trunk.toml")).context("reading Trunk.toml")?;
    let pinned = format!("wasm_bindgen = \"{wasm_bindgen}\"");
    if !trunk.lines().any(|line| line.trim() == pinned) {
        bail!("Trunk.toml must pin `{pinned}` (the wasm-bindgen of Cargo.lock)");
    }
    Ok(())
}

fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
