//! Embeds the bundled `handbok` theme into the binary, so that a handbook
//! started with `handbok init --handbook` builds with `theme = "handbok"`
//! and no `themes/` folder (as mdBook ships its theme).
//!
//! Writes `$OUT_DIR/embedded_theme.rs`: one `(path inside the theme,
//! bytes)` pair per file of `themes/handbok`, read by
//! `src/config/embedded_theme.rs`. Asks Cargo to rerun when the theme
//! changes, so the embedded copy never goes stale.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Files of the theme folder that a build never reads.
const SKIPPED: &[&str] = &["screenshot.png"];

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR")
            .expect("Cargo sets CARGO_MANIFEST_DIR for build scripts"),
    );
    let theme = manifest.join("themes").join("handbok");
    println!("cargo:rerun-if-changed=themes/handbok");
    let mut files = Vec::new();
    if theme.is_dir() {
        walk(&theme, &theme, &mut files);
    }
    files.sort();
    let mut code = String::from("&[\n");
    for (rel, abs) in &files {
        let _ = writeln!(code, "    ({rel:?}, include_bytes!({abs:?})),");
    }
    code.push_str("]\n");
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("Cargo sets OUT_DIR for build scripts"));
    std::fs::write(out.join("embedded_theme.rs"), code).expect("OUT_DIR is writable");
}

/// Every file under `dir`, as (path relative to `base` with `/`, absolute path).
fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(base, &path, out);
            continue;
        }
        let Ok(rel) = path.strip_prefix(base) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if SKIPPED.contains(&rel.as_str()) {
            continue;
        }
        out.push((rel, path.to_string_lossy().into_owned()));
    }
}
