//! The console's release build, one wasm chunk per group of pages (issue 17).
//!
//! trunk has no split step (trunk-rs/trunk#1022), so xtask drives the release build; `trunk
//! serve` still builds the whole console in one wasm for development, and the wasm tests build
//! without the split too. The steps:
//! 1. cargo, `--features split` (`src/routes.rs`: each group of pages behind a `wasm_split`
//!    point, the login and the shell in the main module), linked with `--emit-relocs` so the
//!    splitter can move code;
//! 2. `wasm_split_cli_support`: the main module, one chunk per group plus chunks of code that
//!    several groups share, and `__wasm_split.js`, which fetches them when a page opens;
//! 3. wasm-bindgen `--keep-lld-exports` (the chunks call the main module by its lld exports);
//! 4. wasm-opt on every wasm, with the flags `index.html` gives trunk;
//! 5. `dist/`: `index.html` (the source page, its trunk links replaced), the style sheet, and
//!    the package in `pkg-{hash}/`, scripts and style sheet minified by esbuild. The hash is of
//!    the package's content: a tab still running an older release never fetches a newer
//!    release's chunk into its memory (the old chunk is gone, and the page offers "Try again").

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::proc::{describe, human_duration, run};
use crate::size::ROUTES;
use crate::toolchain::Toolchain;

/// The main module's name (wasm-bindgen's `--out-name`).
const MAIN: &str = "frontdesk-console";
/// The loader the main module imports its chunks' load functions from.
const LOADER: &str = "__wasm_split.js";
/// Which chunks each split point needs, written into the package (`size.rs` reads it; no page
/// fetches it).
pub const MANIFEST: &str = "__wasm_split_manifest.json";

/// Builds `dist/` (release, split) from the sources.
pub fn build(toolchain: &Toolchain) -> Result<()> {
    let root = &toolchain.root;
    let work = root.join("target/console-split");
    let _ = std::fs::remove_dir_all(&work);
    let pkg = work.join("pkg");
    std::fs::create_dir_all(&pkg)?;

    let mut clock = Steps::start("cargo (release, --features split, --emit-relocs)");
    link(toolchain)?;
    clock.next("wasm-split");
    let main_in = work.join("main.wasm");
    split(root, &pkg, &main_in)?;
    clock.next("wasm-bindgen --keep-lld-exports");
    bindgen(toolchain, &pkg, &main_in)?;
    let flags = wasm_opt_flags(&std::fs::read_to_string(root.join("index.html"))?)?;
    let wasms = files_with_extension(&pkg, "wasm")?;
    clock.next(&format!("wasm-opt ({} files)", wasms.len()));
    optimise_all(toolchain, &flags, &wasms)?;
    clock.next("esbuild --minify (js, css) and dist/");
    write_dist(toolchain, &pkg)?;
    clock.done();
    Ok(())
}

/// cargo's wasm with its relocations: only the final link gets `--emit-relocs`, so the
/// dependencies' build stays cached.
fn link(toolchain: &Toolchain) -> Result<()> {
    run(toolchain.command("cargo").args([
        "rustc",
        "--quiet",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        MAIN,
        "--bin",
        MAIN,
        "--features",
        "split",
        "--",
        "-C",
        "link-arg=--emit-relocs",
    ]))
}

/// The main module to `main_in`; the chunks, the loader and the manifest into `pkg`.
fn split(root: &Path, pkg: &Path, main_in: &Path) -> Result<()> {
    let linked = std::fs::read(cargo_wasm(root)).context("reading cargo's wasm")?;
    let main_module = format!("./{MAIN}.js");
    let link_name = format!("./{LOADER}");
    let mut options = wasm_split_cli_support::Options::new(&linked);
    options.output_dir = pkg;
    options.main_out_path = main_in;
    options.main_module = &main_module;
    options.link_name = &link_name;
    let split = wasm_split_cli_support::transform(options)
        .map_err(|error| anyhow::anyhow!("wasm-split: {error:#}"))?;
    let prefetch: BTreeMap<_, _> = split.prefetch_map.into_iter().collect();
    std::fs::write(pkg.join(MANIFEST), serde_json::to_string_pretty(&prefetch)?)?;
    Ok(())
}

/// The main module's JS glue and wasm into `pkg`, its lld exports kept for the chunks.
fn bindgen(toolchain: &Toolchain, pkg: &Path, main_in: &Path) -> Result<()> {
    run(toolchain
        .command("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--keep-lld-exports",
            "--no-typescript",
            "--out-name",
            MAIN,
        ])
        .arg("--out-dir")
        .arg(pkg)
        .arg(main_in))
}

/// Prints each step of the build as it starts, and how long the one before took.
struct Steps {
    name: String,
    started: std::time::Instant,
}

impl Steps {
    fn start(name: &str) -> Steps {
        eprintln!("  {name}…");
        Steps {
            name: name.into(),
            started: std::time::Instant::now(),
        }
    }

    fn next(&mut self, name: &str) {
        self.done();
        *self = Steps::start(name);
    }

    fn done(&self) {
        eprintln!(
            "  ({}: {})",
            self.name,
            human_duration(self.started.elapsed())
        );
    }
}

/// wasm-opt on every file, one process per core at a time (dozens of chunks).
fn optimise_all(toolchain: &Toolchain, flags: &[String], wasms: &[PathBuf]) -> Result<()> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    loop {
                        let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(wasm) = wasms.get(at) else {
                            return Ok(());
                        };
                        let mut command = toolchain.command("wasm-opt");
                        command.args(flags).arg(wasm).arg("-o").arg(wasm);
                        quiet(&mut command)?;
                    }
                })
            })
            .collect();
        handles.into_iter().try_for_each(|handle| {
            handle
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("a wasm-opt worker panicked")))
        })
    })
}

/// Runs a command, its output shown only when it fails.
fn quiet(command: &mut std::process::Command) -> Result<()> {
    let output = command
        .output()
        .with_context(|| format!("could not start {}", describe(command)))?;
    if !output.status.success() {
        bail!(
            "{} exited with {}: {}",
            describe(command),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// Replaces `dist/` with the page, the style sheet and the hashed package, the script and the
/// style sheet minified as trunk's release build did (esbuild, which wrangler already brings).
fn write_dist(toolchain: &Toolchain, pkg: &Path) -> Result<()> {
    let root = &toolchain.root;
    for script in files_with_extension(pkg, "js")? {
        minify(toolchain, &script, &script)?;
    }
    let dist = root.join("dist");
    let _ = std::fs::remove_dir_all(&dist);
    let dir = format!("pkg-{}", content_hash(pkg)?);
    copy_dir(pkg, &dist.join(&dir))?;
    minify(
        toolchain,
        &root.join("style/main.css"),
        &dist.join("main.css"),
    )?;
    let manifest = std::fs::read_to_string(pkg.join(MANIFEST))?;
    let preloads = preloads(&serde_json::from_str(&manifest)?)?;
    let source = std::fs::read_to_string(root.join("index.html"))?;
    std::fs::write(dist.join("index.html"), page(&source, &dir, &preloads)?)?;
    Ok(())
}

/// A path pattern and the files a visit of it needs beyond the main module.
type Preload = (String, Vec<String>);

/// For each counted entry route with a chunk (`size::ROUTES`), its path as a pattern and the
/// wasm files of its group: the page asks for them at once, beside the main module, instead of
/// once the main module runs (a round trip saved on a slow network).
fn preloads(manifest: &BTreeMap<String, Vec<String>>) -> Result<Vec<Preload>> {
    let mut out = Vec::new();
    for route in ROUTES {
        let Some(chunk) = route.chunk else { continue };
        let Some(files) = manifest.get(chunk) else {
            bail!(
                "the split manifest has no chunk `{chunk}` for {}",
                route.path
            );
        };
        let pattern: Vec<&str> = route
            .path
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    "[^/]+"
                } else {
                    segment
                }
            })
            .collect();
        let files = files.iter().map(|file| format!("{file}.wasm")).collect();
        out.push((format!("^{}$", pattern.join("/")), files));
    }
    Ok(out)
}

fn minify(toolchain: &Toolchain, from: &Path, to: &Path) -> Result<()> {
    let mut command = toolchain.command("esbuild");
    command
        .arg("--minify")
        .arg("--log-level=error")
        .arg("--allow-overwrite")
        .arg(format!("--outfile={}", to.display()))
        .arg(from);
    quiet(&mut command)
}

/// The source `index.html` with its trunk links replaced by the style sheet, the preloads of
/// what every route needs (main module, loader, main wasm) and of what the visited entry route
/// needs ([`preloads`]), and the module script that starts the console. The worker's CSP
/// allows both inline scripts by their hashes.
fn page(source: &str, dir: &str, preloads: &[Preload]) -> Result<String> {
    let mut html = source.to_string();
    while let Some(start) = html.find("<link data-trunk") {
        let Some(len) = html[start..].find("/>") else {
            bail!("index.html: a trunk link is not closed with />");
        };
        html.replace_range(start..start + len + 2, "");
    }
    let routes = serde_json::to_string(preloads)?;
    let head = format!(
        r#"<link rel="stylesheet" href="/main.css" />
    <script>(() => {{
  const hit = {routes}.find(([pattern]) => new RegExp(pattern).test(location.pathname));
  for (const file of hit ? hit[1] : []) {{
    const link = Object.assign(document.createElement('link'), {{ rel: 'preload', as: 'fetch', crossOrigin: 'anonymous', href: '/{dir}/' + file }});
    document.head.append(link);
  }}
}})();</script>
    <link rel="modulepreload" href="/{dir}/{MAIN}.js" />
    <link rel="modulepreload" href="/{dir}/{LOADER}" />
    <link rel="preload" href="/{dir}/{MAIN}_bg.wasm" as="fetch" type="application/wasm" crossorigin />
    <script type="module">import init, * as bindings from '/{dir}/{MAIN}.js';
const wasm = await init({{ module_or_path: '/{dir}/{MAIN}_bg.wasm' }});
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", {{ detail: {{ wasm }} }}));</script>
  </head>"#
    );
    let Some(end) = html.find("</head>") else {
        bail!("index.html has no </head>");
    };
    html.replace_range(end..end + "</head>".len(), &head);
    Ok(html
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n")
}

/// `data-wasm-opt="z"` and `data-wasm-opt-params` of the source page, as wasm-opt arguments:
/// the split build optimises exactly as trunk does.
fn wasm_opt_flags(index_html: &str) -> Result<Vec<String>> {
    let attribute = |name: &str| {
        let key = format!("{name}=\"");
        let start = index_html.find(&key)? + key.len();
        let len = index_html[start..].find('"')?;
        Some(index_html[start..start + len].to_string())
    };
    let Some(level) = attribute("data-wasm-opt") else {
        bail!("index.html names no data-wasm-opt level");
    };
    let mut flags = vec![format!("-O{level}")];
    flags.extend(
        attribute("data-wasm-opt-params")
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string),
    );
    Ok(flags)
}

/// The first 16 hex digits of the SHA-256 over the package's files (names and bytes, in name
/// order).
fn content_hash(dir: &Path) -> Result<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        hasher.update(std::fs::read(&file)?);
    }
    Ok(hex::encode(hasher.finalize())[..16].to_string())
}

fn files_with_extension(dir: &Path, extension: &str) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == extension) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        std::fs::copy(&path, to.join(path.file_name().unwrap_or_default()))
            .with_context(|| format!("copying {}", path.display()))?;
    }
    Ok(())
}

/// The console's wasm as cargo linked it.
pub fn cargo_wasm(root: &Path) -> PathBuf {
    root.join("target/wasm32-unknown-unknown/release/frontdesk-console.wasm")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real source page: the test breaks when its trunk links change shape.
    const SOURCE: &str = include_str!("../../index.html");

    #[test]
    fn the_page_loads_the_hashed_package_and_no_trunk_link() {
        let preloads = [(
            "^/orders/[^/]+$".to_string(),
            vec!["split_follow_up.wasm".to_string()],
        )];
        let html = page(SOURCE, "pkg-0123", &preloads).unwrap_or_default();
        assert!(!html.contains("data-trunk"), "{html}");
        assert!(html.contains("<title>Frontdesk</title>"));
        assert!(html.contains("import init, * as bindings from '/pkg-0123/frontdesk-console.js'"));
        assert!(html.contains("module_or_path: '/pkg-0123/frontdesk-console_bg.wasm'"));
        assert!(html.contains(r#"<link rel="modulepreload" href="/pkg-0123/__wasm_split.js" />"#));
        assert!(html.contains(r#"href="/main.css""#));
        assert_eq!(html.matches("</head>").count(), 1);
        assert!(html.contains(r#"[["^/orders/[^/]+$",["split_follow_up.wasm"]]].find("#));
        assert!(html.contains("href: '/pkg-0123/' + file"));
        assert!(page("<html><link data-trunk rel=\"css\"></html>", "x", &[]).is_err());
    }

    #[test]
    fn an_entry_route_preloads_its_groups_files() {
        let manifest: BTreeMap<String, Vec<String>> = [
            ("create", vec!["split_create", "chunk_1"]),
            ("follow_up", vec!["split_follow_up"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
        .collect();
        let got = preloads(&manifest).unwrap_or_default();
        let pattern_of = |file: &str| {
            got.iter()
                .filter(|(_, files)| files.iter().any(|f| f == file))
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(pattern_of("chunk_1.wasm"), ["^/orders/new$"]);
        assert_eq!(
            pattern_of("split_follow_up.wasm"),
            ["^/orders$", "^/orders/[^/]+$"]
        );
        // `/orders/new` comes before `/orders/{uuid}`: the first pattern that matches wins.
        assert_eq!(got.first().map(|(p, _)| p.as_str()), Some("^/orders/new$"));
        assert!(preloads(&BTreeMap::new()).is_err());
    }

    #[test]
    fn wasm_opt_runs_as_trunk_would() {
        assert_eq!(
            wasm_opt_flags(SOURCE).unwrap_or_default(),
            [
                "-Oz",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-reference-types",
                "--enable-multivalue",
                "--enable-mutable-globals"
            ]
        );
        assert!(wasm_opt_flags("<html></html>").is_err());
    }
}
