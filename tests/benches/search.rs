//! The cost of the handbook's search on synthetic handbooks (1k and 10k
//! pages): build time with `[handbook.search]` on against off (the same
//! site, runs alternating), the size of the index written, and, when Node.js,
//! Chromium and tests/browser's packages are there, the time from a
//! keystroke to the first results on the search page in headless Chromium.
//!
//! The synthetic site comes from `synth.rs` (shared with the build
//! benchmark, so not edited here); this file adds its own copy of the
//! config change: a root-relative `base_url`, the `handbok` theme for the
//! search page's form and script, a search page that places the theme's
//! form in the synthetic base template, and a second config with search on.
//!
//! Run: `cargo bench --bench search` (add sizes, e.g. `-- 1000 10000`;
//! `SEARCH_BENCH_KEEP=DIR` keeps the sites).

#[path = "synth.rs"]
mod synth;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;

/// Adds the theme and a search-on config beside the synthetic site's own.
fn add_search_config(root: &Path) -> std::io::Result<()> {
    // Root-relative links, so that the site works from the local server
    // the browser timing uses.
    let config = std::fs::read_to_string(root.join("config.toml"))?
        .replace("base_url = \"https://example.org\"", "base_url = \"/\"");
    let off = format!("theme = \"handbok\"\n{config}");
    std::fs::write(root.join("config.toml"), &off)?;
    std::fs::write(
        root.join("config-search.toml"),
        format!("{off}\n[handbook.search]\nenabled = true\n"),
    )?;
    std::fs::create_dir_all(root.join("templates/handbok"))?;
    std::fs::write(
        root.join("templates/handbok/search.html"),
        "{% extends \"base.html\" %}{% import \"macros.html\" as m %}{% block main %}{% include \"partials/search.html\" %}{% endblock %}",
    )
}

fn build(root: &Path, config: &str, out: &str) -> Option<Duration> {
    let start = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_handbok"))
        .current_dir(root)
        .args(["-c", config, "build", "-o", out, "-f"])
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!(
            "build with {config} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        return None;
    }
    Some(start.elapsed())
}

fn median(mut v: Vec<Duration>) -> Option<Duration> {
    v.sort();
    v.get(v.len() / 2).copied()
}

/// (files, bytes) of the index proper (fragments, word index, filters,
/// metadata) and of pagefind's browser runtime (JS, worker, WebAssembly).
fn index_size(dir: &Path) -> ((usize, u64), (usize, u64)) {
    let (mut index, mut runtime) = ((0, 0), (0, 0));
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        let name = entry.file_name().to_string_lossy();
        let slot = if name.contains(".pf_") {
            &mut index
        } else {
            &mut runtime
        };
        slot.0 += 1;
        slot.1 += size;
    }
    (index, runtime)
}

/// Runs tests/browser/search-timing.mjs on the built site when it can.
fn browser_timing(site: &Path) {
    let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !browser.join("node_modules/playwright-core").is_dir() || !Path::new(&chromium).exists() {
        println!("        (no Chromium or tests/browser packages: browser timing skipped)");
        return;
    }
    let out = Command::new("node")
        .arg("search-timing.mjs")
        .env("HANDBOK_SITE", site)
        .env("CHROMIUM", &chromium)
        .current_dir(&browser)
        .output();
    match out {
        Ok(o) => {
            print!("{}", String::from_utf8_lossy(&o.stdout));
            if !o.status.success() {
                eprintln!("{}", String::from_utf8_lossy(&o.stderr));
            }
        }
        Err(e) => println!("        (node could not run: {e})"),
    }
}

fn kib(bytes: u64) -> String {
    format!("{:.0} KiB", bytes as f64 / 1024.0)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1000, 10000]
    } else {
        sizes
    };
    for pages in sizes {
        // SEARCH_BENCH_KEEP=DIR keeps each site in DIR/<pages> to look at.
        let dir = tempfile::tempdir().expect("temporary folder");
        let kept = std::env::var_os("SEARCH_BENCH_KEEP")
            .map(|d| std::path::PathBuf::from(d).join(pages.to_string()));
        let root = kept.as_deref().unwrap_or(dir.path());
        synth::generate(root, pages).expect("generate the synthetic site");
        add_search_config(root).expect("write the search config");
        // An untimed build of each first: later builds replace an output.
        let _ = build(root, "config.toml", "out-off");
        let _ = build(root, "config-search.toml", "out-on");
        let (mut off, mut on) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            off.extend(build(root, "config.toml", "out-off"));
            on.extend(build(root, "config-search.toml", "out-on"));
        }
        let (off, on) = (median(off), median(on));
        let ((index_files, index_bytes), (runtime_files, runtime_bytes)) =
            index_size(&root.join("out-on/pagefind"));
        let ms = |d: Option<Duration>| {
            d.map(|d| format!("{:.0} ms", d.as_secs_f64() * 1000.0))
                .unwrap_or_else(|| "-".into())
        };
        let cost = match (off, on) {
            (Some(a), Some(b)) => format!(
                "+{:.0} ms ({:+.0} %)",
                (b.as_secs_f64() - a.as_secs_f64()) * 1000.0,
                (b.as_secs_f64() / a.as_secs_f64() - 1.0) * 100.0
            ),
            _ => "-".into(),
        };
        println!(
            "{pages:>6} pages: build without search {}, with search {} (median of {ROUNDS}): {cost}",
            ms(off),
            ms(on)
        );
        println!(
            "        index: {index_files} files, {} ({} per page); runtime: {runtime_files} files, {}",
            kib(index_bytes),
            kib(index_bytes / pages.max(1) as u64),
            kib(runtime_bytes)
        );
        browser_timing(&root.join("out-on"));
    }
}
