//! The theme's `static/`, then the site's (which wins), copied verbatim
//! to the output root, minus `ignored_static`.

use super::OutputSet;
use crate::config::Config;
use walkdir::WalkDir;

/// Adds every static file to `out`; like Zola, static files are copied
/// last and so win over generated files at the same path.
pub(crate) fn collect(config: &Config, out: &mut OutputSet) {
    let mut dirs = Vec::new();
    if let Some(theme) = config.theme_dir() {
        dirs.push(theme.join("static"));
    }
    dirs.push(config.root.join("static"));
    let mut files = std::collections::BTreeMap::new();
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        for entry in WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
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
