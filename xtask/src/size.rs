//! The console's first load against its budget, and what frontdesk-core adds to the wasm.
//!
//! Sizes are measured on `dist/` as trunk leaves it (release): raw, gzip -9 and brotli q11, as a
//! CDN would serve them. The per-crate split reads the function names of cargo's wasm (before
//! wasm-bindgen and wasm-opt shrink it), so it is a share, not an exact byte count.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Every file a first visit downloads: index.html and what it links (wasm, js, css).
pub fn first_load(dist: &Path) -> Result<Vec<Asset>> {
    let mut assets = Vec::new();
    for entry in std::fs::read_dir(dist).with_context(|| format!("reading {}", dist.display()))? {
        let path = entry?.path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !["wasm", "js", "css", "html"].contains(&ext) || !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        assets.push(Asset {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            raw: bytes.len() as u64,
            gzip: gzip_len(&bytes)?,
            brotli: brotli_len(&bytes)?,
        });
    }
    assets.sort_by_key(|asset| std::cmp::Reverse(asset.brotli));
    Ok(assets)
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

/// Prints the first load and the core's share; fails past the budget.
pub fn report_console(root: &Path) -> Result<()> {
    let dist = root.join("dist");
    let assets = first_load(&dist)?;
    let total = |pick: fn(&Asset) -> u64| assets.iter().map(pick).sum::<u64>();
    eprintln!("console first load (dist/, release):");
    eprintln!(
        "  {:<48} {:>9} {:>9} {:>9}",
        "file", "raw", "gzip", "brotli"
    );
    for asset in &assets {
        eprintln!(
            "  {:<48} {:>9} {:>9} {:>9}",
            asset.name, asset.raw, asset.gzip, asset.brotli
        );
    }
    let brotli_total = total(|a| a.brotli);
    eprintln!(
        "  {:<48} {:>9} {:>9} {:>9}",
        "total",
        total(|a| a.raw),
        total(|a| a.gzip),
        brotli_total
    );

    let wasm = cargo_wasm(root);
    match code_by_crate(&wasm) {
        Ok(by_crate) => {
            let all: u64 = by_crate.iter().map(|(_, size)| size).sum();
            eprintln!(
                "  code by crate (cargo's wasm before wasm-bindgen/wasm-opt, {all} bytes of code):"
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

    let budget_line = format!(
        "first load {brotli_total} B brotli, budget {FIRST_LOAD_BUDGET_BROTLI} B ({:.0} % used; Front Payment's portal: 800,000 B)",
        brotli_total as f64 * 100.0 / FIRST_LOAD_BUDGET_BROTLI as f64
    );
    if brotli_total > FIRST_LOAD_BUDGET_BROTLI {
        bail!("over budget: {budget_line}");
    }
    eprintln!("  {budget_line}");
    Ok(())
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

/// The console's wasm as cargo linked it (trunk builds it with the release profile).
fn cargo_wasm(root: &Path) -> PathBuf {
    root.join("target/wasm32-unknown-unknown/release/frontdesk-console.wasm")
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

    #[test]
    fn compressed_sizes_shrink_repetitive_text() {
        let text = "frontdesk ".repeat(1000);
        let gzip = gzip_len(text.as_bytes()).unwrap_or(u64::MAX);
        let brotli = brotli_len(text.as_bytes()).unwrap_or(u64::MAX);
        assert!(gzip < 200, "gzip {gzip}");
        assert!(brotli < 100, "brotli {brotli}");
    }
}
