//! Rebuilding after files change, for `handbok serve`: decides, from the
//! changed paths and the previous [`Site`], whether anything has to be
//! rendered again, renders, and says which outputs changed.
//!
//! Two strategies today; anything not provably covered by the first gets
//! the second, so a wrong page is never served:
//!
//! - **unchanged**: every changed path is either a content file whose bytes
//!   are what the previous build read (an editor saving without an edit,
//!   a `touch`), or the source of a copied output (a static file or a page
//!   asset) that no template reads (no `cachebust`, `get_hash`,
//!   `load_data`, `resize_image`, `get_image_metadata`, `read_file`).
//!   Copied outputs are read from their source at each request, so nothing
//!   is rendered.
//! - **full**: [`super::render_site_with`] (reusing the history read before) again, in memory, and a comparison of
//!   the new outputs with the previous ones.
//!
//! Body-only page edits rendered on their own need render hooks (a render
//! session kept between builds, and dependencies recorded while
//! rendering); see issue #7.
//!
//! Must not contain stage logic: it only calls the stages' entry points
//! and reads their results.

use super::{render_site_with, BuildOptions, Error, Report, Site};
use crate::output::Output;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How a rebuild was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strategy {
    /// Nothing needed rendering; the previous site is still right.
    Unchanged,
    /// The whole site was rendered again, in memory.
    Full,
}

impl Strategy {
    /// `unchanged` or `full`, for logs and the status endpoint.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Strategy::Unchanged => "unchanged",
            Strategy::Full => "full",
        }
    }
}

/// The outcome of [`rebuild`].
pub(crate) struct Rebuild {
    /// How it was done.
    pub(crate) strategy: Strategy,
    /// Why that strategy, for the log.
    pub(crate) reason: String,
    /// The new site after a full rebuild without errors; `None` when the
    /// previous one stays (unchanged) or when there are errors.
    pub(crate) site: Option<Site>,
    /// Diagnostics and timings of a full rebuild (empty when unchanged).
    pub(crate) report: Report,
    /// How many outputs were rendered.
    pub(crate) rendered: usize,
    /// Output paths whose served bytes differ from the previous build's
    /// (added, removed or changed), sorted.
    pub(crate) changed: Vec<String>,
    /// Wall time.
    pub(crate) took: Duration,
}

/// Template functions whose result depends on the bytes of a file other
/// than a template: an edit to such a file may change rendered pages.
const READS_FILES: &[&str] = &[
    "cachebust",
    "get_hash",
    "load_data",
    "resize_image",
    "get_image_metadata",
    "read_file",
];

/// Files whose bytes no stage reads: content assets and static files of
/// these kinds are only copied. (Data files, Sass, Markdown and anything
/// unknown are read by some stage.)
const OPAQUE: &[&str] = &[
    "css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "woff",
    "woff2", "ttf", "otf", "eot", "pdf", "txt", "mp4", "webm", "mp3", "ogg", "zip", "docx", "xlsx",
    "pptx", "odt", "ods",
];

/// Rebuilds after `changed` paths changed on disk. `previous` is the last
/// site built without errors; `clean` says whether the latest build was
/// that one (after a failed build, everything is built again so that its
/// errors are re-checked).
pub(crate) fn rebuild(
    options: &BuildOptions,
    previous: Option<&Site>,
    clean: bool,
    changed: &[PathBuf],
) -> Result<Rebuild, Error> {
    let start = Instant::now();
    if let Some(site) = previous.filter(|_| clean) {
        if let Some(copies) = unchanged(site, changed) {
            return Ok(Rebuild {
                strategy: Strategy::Unchanged,
                reason: if copies.is_empty() {
                    "the files are as the last build read them".into()
                } else {
                    "only copied files changed; they are served from disk".into()
                },
                site: None,
                report: Report::default(),
                rendered: 0,
                changed: copies,
                took: start.elapsed(),
            });
        }
    }
    let (site, report) = render_site_with(options, previous.map(|s| &s.history))?;
    let changed = match (&site, previous) {
        (Some(new), Some(old)) => changed_outputs(old, new),
        (Some(new), None) => new.output.files.keys().cloned().collect(),
        (None, _) => vec![],
    };
    Ok(Rebuild {
        strategy: Strategy::Full,
        reason: if previous.is_some() {
            "a page, template, style or setting may have changed".into()
        } else {
            "no previous good build".into()
        },
        rendered: site.as_ref().map_or(0, |s| s.output.files.len()),
        site,
        report,
        changed,
        took: start.elapsed(),
    })
}

/// Output paths whose served bytes differ between two builds.
pub(crate) fn changed_outputs(old: &Site, new: &Site) -> Vec<String> {
    let (a, b) = (&old.output.files, &new.output.files);
    let mut changed: BTreeSet<&String> = BTreeSet::new();
    for (path, output) in a {
        if b.get(path) != Some(output) {
            changed.insert(path);
        }
    }
    changed.extend(b.keys().filter(|p| !a.contains_key(*p)));
    changed.into_iter().cloned().collect()
}

/// `Some(copied outputs affected)` if no output needs rendering after
/// these changes; `None` if a full rebuild is needed.
fn unchanged(site: &Site, changed: &[PathBuf]) -> Option<Vec<String>> {
    let root = site.config.root.canonicalize().ok()?;
    let content = root.join("content");
    let mut copies = Vec::new();
    let mut templates_checked = false;
    for path in changed {
        let path = path.canonicalize().ok()?;
        if let Some(rel) = path
            .strip_prefix(&content)
            .ok()
            .filter(|_| path.extension().is_some_and(|e| e == "md"))
        {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !content_as_read(site, &rel, &path) {
                return None;
            }
            continue;
        }
        let opaque = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| OPAQUE.contains(&e.to_ascii_lowercase().as_str()));
        if !opaque {
            return None;
        }
        let outputs = copied_from(site, &path);
        if outputs.is_empty() {
            return None;
        }
        if !templates_checked {
            if templates_read_files(site) {
                return None;
            }
            templates_checked = true;
        }
        copies.extend(outputs);
    }
    copies.sort();
    copies.dedup();
    Some(copies)
}

/// True if the content file `rel` has exactly the text the build read.
fn content_as_read(site: &Site, rel: &str, path: &Path) -> bool {
    let Some(item) = site.tree.get(rel) else {
        return false;
    };
    let text = match item {
        crate::content::Item::Page(id) => &site.tree.page(id).text,
        crate::content::Item::Section(id) => &site.tree.section(id).text,
    };
    std::fs::read(path).is_ok_and(|bytes| bytes == text.as_bytes())
}

/// Output paths copied from `source` (a canonical path).
fn copied_from(site: &Site, source: &Path) -> Vec<String> {
    let name = source.file_name();
    site.output
        .files
        .iter()
        .filter_map(|(out, o)| match o {
            Output::Copy(from)
                if from.file_name() == name && from.canonicalize().is_ok_and(|f| f == source) =>
            {
                Some(out.clone())
            }
            _ => None,
        })
        .collect()
}

/// True if any site or theme template calls a function that reads files.
fn templates_read_files(site: &Site) -> bool {
    let mut dirs = vec![site.config.root.join("templates")];
    if let Some(theme) = site.config.theme_dir() {
        dirs.push(theme.join("templates"));
    }
    dirs.iter().any(|dir| {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .any(|e| {
                std::fs::read_to_string(e.path())
                    .map(|t| READS_FILES.iter().any(|f| t.contains(f)))
                    .unwrap_or(true)
            })
    })
}
