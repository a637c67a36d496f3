//! The theme's `static/` (the copy built into the binary, then the one
//! under `themes/`), then the site's (which wins), copied verbatim to the
//! output root, minus `ignored_static`.

use super::OutputSet;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use walkdir::WalkDir;

/// Adds every static file to `out`; like Zola, static files are copied
/// last and so win over generated files at the same path.
/// A symbolic link that leads outside the site root is an error and its
/// target is never copied: the output must hold only the site's own files.
pub(crate) fn collect(config: &Config, out: &mut OutputSet, diags: &Diagnostics) {
    let root = config
        .root
        .canonicalize()
        .unwrap_or_else(|_| config.root.clone());
    // The theme built into the binary first: every later file at the same
    // path (the site's `themes/<name>/static/`, its `static/`) replaces it.
    for (rel, bytes) in config.embedded_theme_files("static") {
        if !config.ignored_static.is_match(rel) {
            out.bytes(rel, bytes);
        }
    }
    let mut dirs = Vec::new();
    if let Some(theme) = config.theme_dir() {
        dirs.push(theme.join("static"));
    }
    dirs.push(config.root.join("static"));
    let mut files = std::collections::BTreeMap::new();
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        let outside =
            |path: &std::path::Path| path.canonicalize().is_ok_and(|p| !p.starts_with(&root));
        let report = |path: &std::path::Path| {
            diags.push(
                Diagnostic::error("static::outside-root", "a symbolic link in a static folder leads outside the site root; it was not copied")
                    .in_file(path.strip_prefix(&config.root).unwrap_or(path))
                    .with_help("copy the file or folder into the site instead of linking to it"),
            );
        };
        for entry in WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            // A linked folder outside the root is reported once and never
            // walked.
            .filter_entry(|e| {
                let linked_out = e.path_is_symlink() && e.file_type().is_dir() && outside(e.path());
                if linked_out {
                    report(e.path());
                }
                !linked_out
            })
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            if outside(entry.path()) {
                report(entry.path());
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            if rel.to_str().is_none() {
                diags.push(
                    Diagnostic::error(
                        "static::name-not-utf8",
                        "the file name is not valid UTF-8; it was not copied",
                    )
                    .in_file(
                        entry
                            .path()
                            .strip_prefix(&config.root)
                            .unwrap_or(entry.path()),
                    )
                    .with_help("rename the file using UTF-8"),
                );
                continue;
            }
            if config.ignored_static.is_match(rel) {
                continue;
            }
            files.insert(
                rel.to_string_lossy().replace('\\', "/"),
                entry.path().to_path_buf(),
            );
        }
    }
    for (rel, path) in files {
        out.copy(rel, path);
    }
}
