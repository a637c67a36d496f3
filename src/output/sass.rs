//! Sass as Zola compiles it, with grass: every `sass/**/*.{scss,sass}` that
//! is not a partial (a file or folder whose name starts with `_`) becomes
//! compressed CSS at the same path with `.css`. The theme's `sass/` is
//! always compiled; the site's only with `compile_sass = true`, and it
//! wins where both give the same file. Two sources that give the same CSS
//! file (`a.scss` and `a.sass`) are an error, as in Zola.
//!
//! Errors are diagnostics located in the Sass file at the line and column
//! grass reports. Imports may not read files outside the site root.
//! Produces text for the [`OutputSet`]; writes nothing itself.

use super::OutputSet;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use walkdir::WalkDir;

/// Compiles the theme's Sass, then the site's when `compile_sass` is on,
/// adding the CSS to `out`.
pub(crate) fn compile(config: &Config, diags: &Diagnostics, out: &mut OutputSet) {
    // The theme built into the binary first; CSS from the disk replaces it.
    super::embedded_sass::compile(&config.embedded_theme_files("sass"), diags, out);
    let root = config
        .root
        .canonicalize()
        .unwrap_or_else(|_| config.root.clone());
    let fs = ConfinedFs {
        root: root.clone(),
        ..ConfinedFs::default()
    };
    let mut dirs = Vec::new();
    if let Some(theme) = config.theme_dir() {
        dirs.push(theme.join("sass"));
    }
    if config.compile_sass {
        dirs.push(config.root.join("sass"));
    }
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        for (css_path, result) in compile_dir(dir, &fs, &root, config, diags) {
            match result {
                Ok(css) => out.text(css_path, css),
                Err(d) => diags.push(*d),
            }
        }
    }
}

/// Every non-partial Sass file of `dir` → (output path, CSS or error).
fn compile_dir(
    dir: &Path,
    fs: &ConfinedFs,
    root: &Path,
    config: &Config,
    diags: &Diagnostics,
) -> Vec<(String, Result<String, Box<Diagnostic>>)> {
    let options = grass::Options::default()
        .style(grass::OutputStyle::Compressed)
        .fs(fs);
    let mut by_output: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('_'))
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let is_sass = path.extension().is_some_and(|e| e == "scss" || e == "sass");
        if !is_sass || entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = path.strip_prefix(dir) else {
            continue;
        };
        let css = rel
            .with_extension("css")
            .to_string_lossy()
            .replace('\\', "/");
        by_output.entry(css).or_default().push(path.to_path_buf());
    }
    let mut results = Vec::new();
    for (css, sources) in by_output {
        if sources.len() > 1 {
            let names: Vec<String> = sources.iter().map(|s| display(s, &config.root)).collect();
            diags.push(
                Diagnostic::error(
                    "sass::conflict",
                    format!(
                        "Sass path conflict: {} both compile to `{css}`",
                        names
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                )
                .in_file(&names[0])
                .with_help("rename or remove one of them"),
            );
            continue;
        }
        let source = &sources[0];
        fs.take_refused();
        let result = grass::from_path(source, &options).map_err(|e| {
            let mut d = sass_diagnostic(*e, source, root, config);
            let refused = fs.take_refused();
            if !refused.is_empty() {
                let names: Vec<String> = refused
                    .iter()
                    .map(|p| format!("`{}`", p.display()))
                    .collect();
                d.message.push_str(&format!(
                    " ({} is outside the site root; Sass may only read files inside it)",
                    names.join(", ")
                ));
            }
            Box::new(d)
        });
        results.push((css, result));
    }
    results
}

/// A grass error as a located diagnostic (in the file that failed, which
/// may be an imported partial).
fn sass_diagnostic(e: grass::Error, entry: &Path, root: &Path, config: &Config) -> Diagnostic {
    match e.kind() {
        grass::ErrorKind::ParseError { message, loc, .. } => {
            let file = loc.file.name().to_string();
            let file_path = Path::new(&file);
            let shown = file_path
                .canonicalize()
                .ok()
                .and_then(|c| c.strip_prefix(root).ok().map(Path::to_path_buf))
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| display(file_path, &config.root));
            Diagnostic::error("sass::compile", message)
                .at_line_col(shown, loc.begin.line + 1, loc.begin.column + 1)
                .with_help(format!(
                    "fix the Sass; it was compiled for `{}`",
                    display(entry, &config.root)
                ))
        }
        other => Diagnostic::error("sass::compile", format!("cannot compile Sass: {other:?}"))
            .in_file(display(entry, &config.root)),
    }
}

fn display(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// grass's file access, refusing anything outside the site root (an
/// `@import "../../x"` or a symbolic link leading out). Such files look
/// absent to grass, whose "can't find stylesheet" error is then explained
/// with the refused paths (an I/O error from an import would make grass
/// 0.13 panic).
#[derive(Debug, Default)]
struct ConfinedFs {
    root: PathBuf,
    refused: Mutex<Vec<PathBuf>>,
}

impl ConfinedFs {
    fn inside(&self, path: &Path) -> bool {
        let inside = path.canonicalize().is_ok_and(|c| c.starts_with(&self.root));
        if !inside && path.exists() {
            self.refused
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(path.to_path_buf());
        }
        inside
    }

    /// The paths refused since the last call.
    fn take_refused(&self) -> Vec<PathBuf> {
        std::mem::take(&mut *self.refused.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl grass::Fs for ConfinedFs {
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir() && self.inside(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file() && self.inside(path)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if !self.inside(path) {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "`{}` is outside the site root; Sass may only read files inside it",
                    path.display()
                ),
            ));
        }
        std::fs::read(path)
    }
}
