//! The Sass of the theme built into the binary, compiled from memory as
//! Zola compiles a theme's `sass/`: every file that is not a partial (no
//! name on its path starts with `_`) becomes compressed CSS at the same
//! path with `.css`. grass reads the files through an in-memory file system
//! rooted at a folder that exists nowhere, so `@use` and `@import` between
//! them resolve and nothing outside the binary is read.
//!
//! Runs before the site's own theme and site Sass, whose CSS at the same
//! path replaces this one. Produces text for the [`OutputSet`] only.

use super::OutputSet;
use crate::diagnostics::{Diagnostic, Diagnostics};
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

/// Where the embedded files seem to live, for grass and for messages.
const VIRTUAL_ROOT: &str = "/(built-in theme)/sass";

/// Compiles `files` (path inside the theme's `sass/`, bytes) into `out`.
pub(crate) fn compile(files: &[(&str, &[u8])], diags: &Diagnostics, out: &mut OutputSet) {
    if files.is_empty() {
        return;
    }
    let fs = MemoryFs::new(files);
    let options = grass::Options::default()
        .style(grass::OutputStyle::Compressed)
        .fs(&fs);
    for (rel, _) in files {
        let is_sass = rel.ends_with(".scss") || rel.ends_with(".sass");
        if !is_sass || rel.split('/').any(|part| part.starts_with('_')) {
            continue;
        }
        let css = Path::new(rel)
            .with_extension("css")
            .to_string_lossy()
            .replace('\\', "/");
        match grass::from_path(Path::new(VIRTUAL_ROOT).join(rel), &options) {
            Ok(text) => out.text(css, text),
            Err(e) => diags.push(
                Diagnostic::error(
                    "sass::compile",
                    format!("the built-in theme's Sass `{rel}` does not compile: {e}"),
                )
                .with_help("override the file in the site's themes/<name>/sass/, or report it to handbok's developers"),
            ),
        }
    }
}

/// The embedded files as a read-only file system for grass.
struct MemoryFs<'a> {
    files: BTreeMap<PathBuf, &'a [u8]>,
    dirs: BTreeSet<PathBuf>,
}

impl<'a> MemoryFs<'a> {
    fn new(files: &[(&str, &'a [u8])]) -> MemoryFs<'a> {
        let root = Path::new(VIRTUAL_ROOT);
        let mut dirs = BTreeSet::new();
        let mut map = BTreeMap::new();
        for (rel, bytes) in files {
            let path = root.join(rel);
            for dir in path.ancestors().skip(1) {
                dirs.insert(dir.to_path_buf());
            }
            map.insert(path, *bytes);
        }
        MemoryFs { files: map, dirs }
    }
}

impl std::fmt::Debug for MemoryFs<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryFs")
            .field("files", &self.files.keys())
            .finish()
    }
}

impl grass::Fs for MemoryFs<'_> {
    fn is_dir(&self, path: &Path) -> bool {
        self.dirs.contains(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files.get(path).map(|b| b.to_vec()).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("`{}` is not in the built-in theme", path.display()),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_sass_compiles_with_its_partials_and_skips_them() {
        let files: &[(&str, &[u8])] = &[
            (
                "main.scss",
                b"@use 'parts/colors';\nbody { color: colors.$text; }\n",
            ),
            ("parts/_colors.scss", b"$text: #123456;\n"),
        ];
        let diags = Diagnostics::new();
        let mut out = OutputSet::default();
        compile(files, &diags, &mut out);
        assert!(diags.sorted().is_empty(), "{:?}", diags.sorted());
        assert_eq!(
            out.get_text("main.css").map(str::trim),
            Some("body{color:#123456}")
        );
        assert!(out.get_text("parts/_colors.css").is_none());
    }

    #[test]
    fn a_broken_embedded_file_is_an_error_not_a_panic() {
        let files: &[(&str, &[u8])] = &[("main.scss", b"body { color: ; ")];
        let diags = Diagnostics::new();
        let mut out = OutputSet::default();
        compile(files, &diags, &mut out);
        assert_eq!(diags.error_count(), 1);
    }
}
