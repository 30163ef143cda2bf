//! The console's first load against its budget, and what frontdesk-core adds to the wasm.
//!
//! Sizes are measured on `dist/` as the release build leaves it (`split.rs`): raw, gzip -9 and
//! brotli q11, as a CDN would serve them, and summed per entry route from the split manifest.
//! The per-crate split reads the function names of cargo's wasm (before the split,
//! wasm-bindgen and wasm-opt shrink it), so it is a share, not an exact byte count.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use wasmparser::{Name, Parser, Payload};

/// The budget: one fifth of Front Payment's own portal (800 KB brotli).
pub const FIRST_LOAD_BUDGET_BROTLI: u64 = 160_000;

#[derive(Debug, Clone)]
pub struct Asset {
    pub name: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// Every file the console may download: `index.html` and what it links (style sheet, the
/// main module and its loader, the wasm and its chunks), named by their path under `dist/`.
pub fn first_load(dist: &Path) -> Result<Vec<Asset>> {
    let mut assets = Vec::new();
    collect(dist, "", &mut assets)?;
    assets.sort_by_key(|asset| std::cmp::Reverse(asset.brotli));
    Ok(assets)
}

fn collect(dir: &Path, prefix: &str, assets: &mut Vec<Asset>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let name = format!(
            "{prefix}{}",
            path.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        );
        if path.is_dir() {
            collect(&path, &format!("{name}/"), assets)?;
            continue;
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !["wasm", "js", "css", "html"].contains(&ext) {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        assets.push(Asset {
            name,
            raw: bytes.len() as u64,
            gzip: gzip_len(&bytes)?,
            brotli: brotli_len(&bytes)?,
        });
    }
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> Result<u64> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len() as u64)
}

fn brotli_len(bytes: &[u8]) -> Result<u64> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out.len() as u64)
}

/// Code bytes per crate in a wasm with a name section, largest first.
pub fn code_by_crate(wasm: &Path) -> Result<Vec<(String, u64)>> {
    let bytes = std::fs::read(wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let mut imported = 0u32;
    let mut sizes: Vec<u64> = Vec::new();
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    for payload in Parser::new(0).parse_all(&bytes) {
        match payload? {
            Payload::ImportSection(imports) => {
                for import in imports.into_imports() {
                    if matches!(import?.ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let range = body.range();
                sizes.push(range.end - range.start);
            }
            Payload::CustomSection(section) => {
                if let wasmparser::KnownCustom::Name(reader) = section.as_known() {
                    for name in reader {
                        if let Ok(Name::Function(map)) = name {
                            for naming in map.into_iter().flatten() {
                                names.insert(naming.index, naming.name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if names.is_empty() {
        bail!(
            "{} has no name section: cannot split it by crate",
            wasm.display()
        );
    }
    let mut by_crate: BTreeMap<String, u64> = BTreeMap::new();
    for (offset, size) in sizes.iter().enumerate() {
        let index = imported + offset as u32;
        let owner = names
            .get(&index)
            .map(|name| owning_crate(&rustc_demangle::demangle(name).to_string()))
            .unwrap_or_else(|| "(unnamed)".into());
        *by_crate.entry(owner).or_default() += size;
    }
    let mut sorted: Vec<(String, u64)> = by_crate.into_iter().collect();
    sorted.sort_by_key(|(_, size)| std::cmp::Reverse(*size));
    Ok(sorted)
}

/// A function belongs to frontdesk-core when its path mentions it anywhere (generic code
/// instantiated for core's types is core's cost); otherwise to the first crate of its path, or
/// of the trait's path for `<T as Trait>::f` on a primitive or generic type.
fn owning_crate(demangled: &str) -> String {
    if demangled.contains("frontdesk_core") {
        return "frontdesk_core".into();
    }
    let head = |text: &str| -> String {
        let text = text
            .trim_start_matches(['<', '&', '*', ' ', '['])
            .trim_start_matches("mut ")
            .trim_start_matches("dyn ");
        let segment = text.split("::").next().unwrap_or(text);
        // v0 mangling adds a disambiguator: `core[c5930c85a12de822]`.
        segment
            .split(['[', ' ', '<', '>', '(', ';'])
            .next()
            .unwrap_or(segment)
            .to_string()
    };
    let first = head(demangled);
    let is_crate = first.contains('_') || first.chars().all(|c| c.is_ascii_lowercase());
    let primitive = [
        "str", "u8", "u16", "u32", "u64", "usize", "i32", "i64", "f64", "bool", "char", "mut",
    ];
    if (!is_crate || primitive.contains(&first.as_str()))
        && let Some((_, rest)) = demangled.split_once(" as ")
    {
        return head(rest);
    }
    if first.is_empty() {
        "(other)".into()
    } else {
        first
    }
}

/// The routes a cold visit is counted for, each with the page chunk it opens (`src/routes.rs`
/// names the chunks after their functions) and whether the budget applies to it.
pub const ROUTES: [Route; 4] = [
    Route {
        path: "/login",
        chunk: None,
        budgeted: true,
    },
    Route {
        path: "/orders/new",
        chunk: Some("create"),
        budgeted: true,
    },
    Route {
        path: "/orders",
        chunk: Some("follow_up"),
        budgeted: false,
    },
    Route {
        path: "/orders/{uuid}",
        chunk: Some("follow_up"),
        budgeted: false,
    },
];

/// An entry route of the console.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub path: &'static str,
    /// The split point its page sits behind; `None`: in the main module.
    pub chunk: Option<&'static str>,
    /// Counted against [`FIRST_LOAD_BUDGET_BROTLI`].
    pub budgeted: bool,
}

/// What a cold visit of a route downloads before its page is usable.
#[derive(Debug)]
pub struct Visit {
    pub route: Route,
    pub files: usize,
    pub brotli: u64,
}

/// Every route's visit: the page, its style sheet, the main module and its loader, plus the
/// chunks the route's split point needs (the splitter's manifest). A build without a manifest
/// (not split) downloads everything on every route.
pub fn visits(
    assets: &[Asset],
    manifest: Option<&BTreeMap<String, Vec<String>>>,
) -> Result<Vec<Visit>> {
    let is_chunk = |asset: &Asset| {
        manifest.is_some() && asset.name.ends_with(".wasm") && !asset.name.ends_with("_bg.wasm")
    };
    let common: Vec<&Asset> = assets.iter().filter(|a| !is_chunk(a)).collect();
    let mut out = Vec::new();
    for route in ROUTES {
        let mut files: Vec<&Asset> = common.clone();
        if let (Some(manifest), Some(chunk)) = (manifest, route.chunk) {
            let Some(needed) = manifest.get(chunk) else {
                bail!(
                    "the split manifest has no chunk `{chunk}` for {}",
                    route.path
                );
            };
            for name in needed {
                let file = format!("{name}.wasm");
                let Some(asset) = assets
                    .iter()
                    .find(|a| a.name.rsplit('/').next() == Some(&file))
                else {
                    bail!("{file} (needed by {}) is not in dist/", route.path);
                };
                files.push(asset);
            }
        }
        out.push(Visit {
            route,
            files: files.len(),
            brotli: files.iter().map(|a| a.brotli).sum(),
        });
    }
    Ok(out)
}

/// Prints each entry route's first load, the largest files and the core's share; fails when a
/// budgeted route is past the budget.
pub fn report_console(root: &Path) -> Result<()> {
    let dist = root.join("dist");
    let assets = first_load(&dist)?;
    let manifest = read_manifest(&dist)?;
    let total = |pick: fn(&Asset) -> u64| assets.iter().map(pick).sum::<u64>();
    eprintln!(
        "console (dist/, release{}): {} files, {} B raw, {} B brotli in all",
        if manifest.is_some() {
            ", split per page group"
        } else {
            ", one wasm"
        },
        assets.len(),
        total(|a| a.raw),
        total(|a| a.brotli)
    );
    eprintln!(
        "  {:<48} {:>9} {:>9} {:>9}",
        "largest files", "raw", "gzip", "brotli"
    );
    for asset in assets.iter().take(8) {
        eprintln!(
            "  {:<48} {:>9} {:>9} {:>9}",
            asset.name, asset.raw, asset.gzip, asset.brotli
        );
    }
    print_core_share(root);

    let visits = visits(&assets, manifest.as_ref())?;
    eprintln!(
        "  first load per entry route (a cold visit, brotli; budget {FIRST_LOAD_BUDGET_BROTLI} B on /login and /orders/new):"
    );
    let mut over = Vec::new();
    for visit in &visits {
        let share = visit.brotli as f64 * 100.0 / FIRST_LOAD_BUDGET_BROTLI as f64;
        let verdict = match (
            visit.route.budgeted,
            visit.brotli <= FIRST_LOAD_BUDGET_BROTLI,
        ) {
            (false, _) => "printed",
            (true, true) => "within budget",
            (true, false) => "OVER BUDGET",
        };
        eprintln!(
            "    {:<16} {:>9} B  {:>4.0} %  {:>4} files  {verdict}",
            visit.route.path, visit.brotli, share, visit.files
        );
        if visit.route.budgeted && visit.brotli > FIRST_LOAD_BUDGET_BROTLI {
            over.push(format!(
                "{} {} B ({share:.0} %)",
                visit.route.path, visit.brotli
            ));
        }
    }
    eprintln!("  (Front Payment's portal: 800,000 B)");
    if !over.is_empty() {
        bail!(
            "over the {FIRST_LOAD_BUDGET_BROTLI} B budget: {}",
            over.join(", ")
        );
    }
    Ok(())
}

/// The splitter's manifest in `dist/pkg-*/`, if the build was split.
fn read_manifest(dist: &Path) -> Result<Option<BTreeMap<String, Vec<String>>>> {
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path().join(crate::split::MANIFEST);
        if path.is_file() {
            let text = std::fs::read_to_string(&path)?;
            return Ok(Some(
                serde_json::from_str(&text)
                    .with_context(|| format!("reading {}", path.display()))?,
            ));
        }
    }
    Ok(None)
}

/// frontdesk-core's share of the console's code, from cargo's wasm (names intact).
fn print_core_share(root: &Path) {
    let wasm = crate::split::cargo_wasm(root);
    match code_by_crate(&wasm) {
        Ok(by_crate) => {
            let all: u64 = by_crate.iter().map(|(_, size)| size).sum();
            eprintln!(
                "  code by crate (cargo's wasm before the split, wasm-bindgen and wasm-opt, {all} bytes of code):"
            );
            for (name, size) in by_crate.iter().take(8) {
                eprintln!(
                    "    {name:<28} {size:>8} B  {:>5.1} %",
                    *size as f64 * 100.0 / all.max(1) as f64
                );
            }
            let core = by_crate
                .iter()
                .find(|(name, _)| name == "frontdesk_core")
                .map(|(_, size)| *size)
                .unwrap_or(0);
            eprintln!(
                "  frontdesk-core: {core} B of code ({:.1} % of the wasm's code)",
                core as f64 * 100.0 / all.max(1) as f64
            );
        }
        Err(error) => eprintln!("  (no per-crate split: {error:#})"),
    }
}

/// Prints a wasm's code split by crate, largest first.
pub fn print_crates(wasm: &Path, rows: usize) -> Result<()> {
    let by_crate = code_by_crate(wasm)?;
    let all: u64 = by_crate.iter().map(|(_, size)| size).sum();
    eprintln!("{}: {all} bytes of code", wasm.display());
    for (name, size) in by_crate.iter().take(rows) {
        eprintln!(
            "  {name:<28} {size:>8} B  {:>5.1} %",
            *size as f64 * 100.0 / all.max(1) as f64
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_generic_code_to_core() {
        assert_eq!(
            owning_crate("<frontdesk_core::money::Money as core::fmt::Display>::fmt"),
            "frontdesk_core"
        );
        assert_eq!(
            owning_crate("serde_json::de::from_str<frontdesk_core::envelope::Envelope>"),
            "frontdesk_core"
        );
        assert_eq!(owning_crate("leptos::mount::mount_to_body"), "leptos");
        assert_eq!(
            owning_crate("<alloc::vec::Vec<u8> as core::clone::Clone>::clone"),
            "alloc"
        );
    }

    fn asset(name: &str, brotli: u64) -> Asset {
        Asset {
            name: name.into(),
            raw: brotli * 3,
            gzip: brotli * 2,
            brotli,
        }
    }

    #[test]
    fn a_route_downloads_the_common_files_and_its_own_chunks_only() {
        let assets = [
            asset("index.html", 1),
            asset("main.css", 10),
            asset("pkg-1/frontdesk-console.js", 100),
            asset("pkg-1/__wasm_split.js", 1_000),
            asset("pkg-1/frontdesk-console_bg.wasm", 10_000),
            asset("pkg-1/split_create.wasm", 100_000),
            asset("pkg-1/chunk_1.wasm", 1_000_000),
            asset("pkg-1/split_follow_up.wasm", 10_000_000),
            asset("pkg-1/split_book.wasm", 20_000_000),
        ];
        let manifest: BTreeMap<String, Vec<String>> = [
            ("create", vec!["split_create", "chunk_1"]),
            ("follow_up", vec!["split_follow_up", "chunk_1"]),
            ("book", vec!["split_book"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
        .collect();
        let split = visits(&assets, Some(&manifest)).unwrap_or_default();
        let by_path = |path: &str| {
            split
                .iter()
                .find(|v| v.route.path == path)
                .map(|v| (v.brotli, v.files))
        };
        assert_eq!(by_path("/login"), Some((11_111, 5)));
        assert_eq!(by_path("/orders/new"), Some((1_111_111, 7)));
        assert_eq!(by_path("/orders"), Some((11_011_111, 7)));
        assert_eq!(by_path("/orders/{uuid}"), Some((11_011_111, 7)));

        // Unsplit: every route downloads everything.
        let whole = visits(&assets[..6], None).unwrap_or_default();
        assert!(whole.iter().all(|v| v.brotli == 111_111 && v.files == 6));

        // A route whose chunk the manifest lacks is an error, not a small number.
        let mut partial = manifest.clone();
        partial.remove("follow_up");
        assert!(visits(&assets, Some(&partial)).is_err());
    }

    #[test]
    fn compressed_sizes_shrink_repetitive_text() {
        let text = "frontdesk ".repeat(1000);
        let gzip = gzip_len(text.as_bytes()).unwrap_or(u64::MAX);
        let brotli = brotli_len(text.as_bytes()).unwrap_or(u64::MAX);
        assert!(gzip < 200, "gzip {gzip}");
        assert!(brotli < 100, "brotli {brotli}");
    }
}
