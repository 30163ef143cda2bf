//! `cargo xtask bench [--only GROUP]`: every performance figure, side by side, in one run.
//!
//! Each group runs a program that prints its own figures (medians, spreads, ratios measured in
//! the same run: these machines are noisy); this command streams them, and writes them with the
//! command, the machine and the date into docs/BENCHMARKS.md. Budgets are checked by the groups
//! that have one (the console's size); nothing else asserts a speed.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::ValueEnum;

use crate::proc::{describe, human_duration, run};
use crate::stack;
use crate::toolchain::{self, Toolchain};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Group {
    /// The console's first load (raw/gzip/brotli) and frontdesk-core's share of the wasm.
    Size,
    /// The console in headless Chromium: create form usable (1×, 4× CPU), keystroke → error.
    Console,
    /// Sandbox direct vs a JavaScript pass-through worker vs the Rust proxy, same workerd.
    Proxy,
    /// The sandbox alone: creates/s, status of 100,000 orders, memory.
    Sandbox,
    /// Growth curves: validation at 10 / 1,000 / 10,000 lines; orders list at 10 / 1,000 / 100,000.
    Scaling,
    /// The overview (two months) and the VAT report at 100,000 indexed orders: at the proxy
    /// (goal ≤ 300 ms) and usable in headless Chromium after navigation (goal ≤ 500 ms).
    Report,
    /// The customer book at 100,000 customers and 10,000 products: a type-ahead keystroke to
    /// suggestions at the proxy (goal ≤ 50 ms) and in the order form's customer finder in
    /// headless Chromium (goal ≤ 100 ms); keyset pages 1, 10 and 100.
    Book,
    /// Send to many: rows sent per minute at a 240/min limit with the reserve for people kept
    /// (goal ≥ 95 % of what is left), the job's wall time and workerd CPU per order, and the
    /// preview of a 1,000-row sheet in headless Chromium at 1× and 4× CPU (goal ≤ 1 s).
    Batch,
}

struct Section {
    title: &'static str,
    command: String,
    output: String,
    took: std::time::Duration,
    failed: Option<String>,
}

pub fn run_bench(root: &Path, only: Option<Group>) -> Result<()> {
    let started = Instant::now();
    let toolchain = toolchain::ensure(root, true)?;
    eprintln!("[bench] building (release console, release proxy, sandbox)…");
    stack::build_all(&toolchain)?;
    run(toolchain.command("cargo").args([
        "build",
        "--quiet",
        "--release",
        "-p",
        "frontdesk-sandbox",
        "--examples",
    ]))?;

    let groups = match only {
        Some(group) => vec![group],
        None => Group::value_variants().to_vec(),
    };
    let mut sections = Vec::new();
    for group in groups {
        sections.push(match group {
            Group::Size => section_size(root),
            Group::Console => section_console(&toolchain),
            Group::Proxy => section_program(
                "Proxy: sandbox direct vs JS pass-through vs Rust proxy (Miniflare, one run)",
                worker_node(&toolchain, "bench/proxy-bench.mjs"),
            ),
            Group::Sandbox => section_program(
                "Sandbox: creates/s, status of 100,000 orders, memory",
                cargo_example(&toolchain, "frontdesk-sandbox", "bench"),
            ),
            Group::Scaling => section_scaling(&toolchain),
            Group::Report => two_part(&toolchain, REPORT),
            Group::Book => two_part(&toolchain, BOOK),
            Group::Batch => two_part(&toolchain, BATCH),
        });
    }

    let markdown = render(root, &sections, only, started.elapsed())?;
    if only.is_none() {
        std::fs::write(root.join("docs/BENCHMARKS.md"), markdown)
            .context("writing docs/BENCHMARKS.md")?;
        eprintln!("[bench] wrote docs/BENCHMARKS.md");
    } else {
        eprintln!("[bench] one group only: docs/BENCHMARKS.md left as it is");
    }
    eprintln!("[bench] finished in {}", human_duration(started.elapsed()));
    let failures: Vec<&str> = sections
        .iter()
        .filter_map(|s| s.failed.as_deref())
        .collect();
    if !failures.is_empty() {
        bail!(
            "{} group(s) failed: {}",
            failures.len(),
            failures.join("; ")
        );
    }
    Ok(())
}

fn section_size(root: &Path) -> Section {
    let started = Instant::now();
    // report_console prints to stderr; capture by re-running it through ourselves.
    let exe = std::env::current_exe().unwrap_or_else(|_| "xtask".into());
    let mut command = Command::new(exe);
    command.args(["size", "--no-build"]).current_dir(root);
    let mut section = section_program(
        "Console size (first load) and frontdesk-core's share",
        command,
    );
    section.took = started.elapsed();
    section
}

fn section_console(toolchain: &Toolchain) -> Section {
    section_program_keeping(
        "Console speed in headless Chromium (Playwright on xtask stack)",
        tests_node(toolchain, "bench/console-speed.mjs"),
        Keep::Stdout,
    )
}

fn section_scaling(toolchain: &Toolchain) -> Section {
    let validation = section_program(
        "Scaling: validation (core, release)",
        cargo_example(toolchain, "frontdesk-core", "validation_scaling"),
    );
    let list = section_program(
        "Scaling: orders list (proxy + D1)",
        worker_node(toolchain, "bench/index-scaling.mjs"),
    );
    joined(
        "Scaling: validation time by lines, orders-list time by indexed orders",
        validation,
        list,
    )
}

/// A measure in two programs, each on its own Miniflare proxy: the figures at the proxy
/// (a `worker/` program), then in Chromium (a `tests/` program, the console served by its
/// proxy). Each part is a (title, script) pair.
struct TwoPart {
    title: &'static str,
    proxy: (&'static str, &'static str),
    browser: (&'static str, &'static str),
}

fn two_part(toolchain: &Toolchain, part: TwoPart) -> Section {
    let proxy = section_program(part.proxy.0, worker_node(toolchain, part.proxy.1));
    let browser = section_program(part.browser.0, tests_node(toolchain, part.browser.1));
    joined(part.title, proxy, browser)
}

/// The overview and VAT report at 100,000 indexed orders.
const REPORT: TwoPart = TwoPart {
    title: "Overview and VAT report at 100,000 indexed orders (proxy goal ≤ 300 ms, page usable ≤ 500 ms)",
    proxy: (
        "Report: overview and VAT report at the proxy (Miniflare + D1)",
        "bench/report-scaling.mjs",
    ),
    browser: (
        "Report: overview and VAT report pages in headless Chromium",
        "bench/report-pages.mjs",
    ),
};

/// The customer book at 100,000 customers and 10,000 products: type-ahead and keyset pages at
/// the proxy, then the order form's customer finder.
const BOOK: TwoPart = TwoPart {
    title: "Customer book at 100,000 customers and 10,000 products (keystroke → suggestions: proxy goal ≤ 50 ms, browser ≤ 100 ms)",
    proxy: (
        "Book: type-ahead and keyset pages at the proxy (Miniflare + D1)",
        "bench/book-scaling.mjs",
    ),
    browser: (
        "Book: the order form's customer finder in headless Chromium",
        "bench/book-pages.mjs",
    ),
};

/// Send to many: the job against the sandbox's rate limit (and with none, for its cost per
/// order), then the preview page.
const BATCH: TwoPart = TwoPart {
    title: "Send to many: rows per minute at a 240/min limit (goal ≥ 95 % of the job's share), cost per order, 1,000-row preview (goal ≤ 1 s)",
    proxy: (
        "Batch: rows per minute at the limit, cost per order (Miniflare + D1 + Durable Object)",
        "bench/batch-rate.mjs",
    ),
    browser: (
        "Batch: the preview of a 1,000-row sheet in headless Chromium",
        "bench/batch-preview.mjs",
    ),
};

/// Two programs' figures as one section of the document, under `title`.
fn joined(title: &'static str, mut first: Section, second: Section) -> Section {
    first.title = title;
    first.command = format!("{}\n{}", first.command, second.command);
    first.output = format!("{}\n{}", first.output.trim_end(), second.output);
    first.took += second.took;
    first.failed = first.failed.or(second.failed);
    first
}

/// `node SCRIPT` in worker/ (Miniflare, wrangler: the worker's node_modules).
fn worker_node(toolchain: &Toolchain, script: &str) -> Command {
    node_in(toolchain, "worker", script)
}

/// `node SCRIPT` in tests/ (Playwright: the tests' node_modules).
fn tests_node(toolchain: &Toolchain, script: &str) -> Command {
    node_in(toolchain, "tests", script)
}

fn node_in(toolchain: &Toolchain, dir: &str, script: &str) -> Command {
    let mut command = toolchain.command("node");
    command.arg(script).current_dir(toolchain.root.join(dir));
    command
}

fn cargo_example(toolchain: &Toolchain, package: &str, example: &str) -> Command {
    let mut command = toolchain.command("cargo");
    command.args([
        "run",
        "--quiet",
        "--release",
        "-p",
        package,
        "--example",
        example,
    ]);
    command
}

/// What of a bench program's output goes into the document (all is streamed to the terminal).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    StdoutAndStderr,
    /// Figures on stdout, progress (a stack starting) on stderr.
    Stdout,
}

/// Runs one bench program, streaming and keeping what it prints (stdout and stderr).
fn section_program(title: &'static str, command: Command) -> Section {
    section_program_keeping(title, command, Keep::StdoutAndStderr)
}

fn section_program_keeping(title: &'static str, mut command: Command, keep: Keep) -> Section {
    eprintln!("\n[bench] {title}: {}", describe(&command));
    let started = Instant::now();
    let outcome = (|| -> Result<(String, std::process::ExitStatus)> {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("could not start {}", describe(&command)))?;
        let stderr = child.stderr.take().context("no stderr")?;
        let errors = std::thread::spawn(move || {
            let mut text = String::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("{line}");
                text.push_str(&line);
                text.push('\n');
            }
            text
        });
        let mut output = String::new();
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines() {
                let line = line?;
                println!("{line}");
                output.push_str(&line);
                output.push('\n');
            }
        }
        let status = child.wait()?;
        let errors = errors.join().unwrap_or_default();
        if keep == Keep::StdoutAndStderr {
            output.push_str(&errors);
        }
        Ok((output, status))
    })();
    // A failing program (a missed budget) still leaves its figures in the document.
    let (output, failed) = match outcome {
        Ok((output, status)) if status.success() => (output, None),
        Ok((output, status)) => (
            format!("{output}FAILED: exited with {status}\n"),
            Some(format!("{title}: exited with {status}")),
        ),
        Err(error) => (
            format!("FAILED: {error:#}\n"),
            Some(format!("{title}: {error:#}")),
        ),
    };
    Section {
        title,
        command: describe(&command).trim_matches('`').to_string(),
        output: keep_figures(&output),
        took: started.elapsed(),
        failed,
    }
}

/// Drops build chatter (cargo, trunk, wrangler progress) so the document keeps the figures.
fn keep_figures(output: &str) -> String {
    output
        .lines()
        .filter(|line| {
            let trimmed = line.trim_start();
            !(trimmed.starts_with("Compiling")
                || trimmed.starts_with("Finished")
                || trimmed.starts_with("Running")
                || trimmed.starts_with("[setup")
                || trimmed.contains(" INFO ")
                || trimmed.contains(" WARN "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn render(
    root: &Path,
    sections: &[Section],
    only: Option<Group>,
    took: std::time::Duration,
) -> Result<String> {
    let mut md = String::new();
    let date = command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default();
    writeln!(md, "# Frontdesk benchmarks\n")?;
    writeln!(
        md,
        "One run of `cargo xtask bench{}` on {date}, {} in all. Every comparison below was made in \
         that same run on the same machine; these machines are noisy, so read ratios and medians, \
         not single absolute times. Rerun it yourself: the command regenerates this file.\n",
        only.map(|g| format!(" --only {g:?}").to_lowercase())
            .unwrap_or_default(),
        human_duration(took)
    )?;
    writeln!(md, "## Machine\n")?;
    for (label, value) in machine_facts(root) {
        writeln!(md, "- {label}: {value}")?;
    }
    for section in sections {
        writeln!(md, "\n## {}\n", section.title)?;
        writeln!(
            md,
            "`{}` ({})\n",
            section.command.replace('\n', "` then `"),
            human_duration(section.took)
        )?;
        writeln!(md, "```text\n{}\n```", section.output.trim_end())?;
    }
    Ok(md)
}

fn machine_facts(root: &Path) -> Vec<(&'static str, String)> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_string())
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| format!("{:.1} GiB", kb as f64 / 1_048_576.0))
        .unwrap_or_default();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    vec![
        ("CPU", format!("{cpu}, {cores} cores")),
        ("memory", memory),
        (
            "rustc",
            command_output("rustc", &["--version"]).unwrap_or_default(),
        ),
        (
            "node",
            command_output("node", &["--version"]).unwrap_or_default(),
        ),
        (
            "chromium",
            command_output("/usr/bin/chromium", &["--version"]).unwrap_or_default(),
        ),
        (
            "workerd",
            command_output(
                &root
                    .join("worker/node_modules/.bin/workerd")
                    .to_string_lossy(),
                &["--version"],
            )
            .unwrap_or_default(),
        ),
    ]
}

fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    Some(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_figures_and_drops_build_chatter() {
        let text = "   Compiling foo v1\n    Finished `release`\nstatus GET p50 1.2 ms\n2026 INFO 📦 starting\n";
        assert_eq!(keep_figures(text), "status GET p50 1.2 ms");
    }
}
