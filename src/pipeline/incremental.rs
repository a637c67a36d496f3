//! Rebuilding after files change, for `handbok serve`: decides, from the
//! changed paths and the previous [`Site`], whether anything has to be
//! rendered again, renders, and says which outputs changed.
//!
//! Three strategies; anything not provably covered by the first two gets
//! the third, so a wrong page is never served:
//!
//! - **unchanged**: every changed path is either a content file whose bytes
//!   are what the previous build read (an editor saving without an edit,
//!   a `touch`), or the source of a copied output (a static file or a page
//!   asset) that no template reads (no `cachebust`, `get_hash`,
//!   `load_data`, `resize_image`, `get_image_metadata`, `read_file`).
//!   Copied outputs are read from their source at each request, so nothing
//!   is rendered.
//! - **partial** (content): every changed path is a page or section whose
//!   front matter is byte for byte what the previous build read, and whose
//!   edit leaves the governance model as it was. Only their Markdown is rendered
//!   again; their views (and those of pages whose back-links changed) are
//!   serialized again; and only the units that read one of them while
//!   the previous build rendered them (the render stage records this) are
//!   rendered again: the page itself, its neighbours, its sections and
//!   their pagers, its terms, feeds, and anything that called `get_page`
//!   or `get_section` on it. A failure leaves the previous site as it was.
//!   The search index, when there is one, is built again afterwards
//!   ([`refresh_search`]): it covers the whole site and takes seconds on a
//!   large one, so `serve` shows the edited page first.
//! - **partial** (front matter): every changed path is a page whose edit
//!   changes only its `title`, `description`, `extra` or body, leaves it
//!   in its place in every section's order, and has no translation in
//!   another language. The confidentiality review and the governance
//!   model are made again; their Markdown is rendered again; and every
//!   unit that read the edited pages (whatever field: a title shows in
//!   every list), the pages their links point to (whose back-links name
//!   them), the pages and history pages whose governance data changed, the
//!   recent changes and, when the handbook's data changed, its generated
//!   pages are rendered again. What Markdown reads (roles, the glossary,
//!   which pages are documents) must be as it was.
//! - **full**: [`super::render_site_with`] (reusing the history read before) again, in memory, and a comparison of
//!   the new outputs with the previous ones.
//!
//! Must not contain stage logic: it only calls the stages' entry points
//! and reads their results.

use super::{render_site_with, BuildOptions, Error, Report, Site};
use crate::content::{Item, Page, PageId, SectionId};
use crate::diagnostics::Diagnostics;
use crate::output::Output;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How a rebuild was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strategy {
    /// Nothing needed rendering; the previous site is still right.
    Unchanged,
    /// Only what the edited pages affect was rendered again.
    Partial,
    /// The whole site was rendered again, in memory.
    Full,
}

impl Strategy {
    /// `unchanged` or `full`, for logs and the status endpoint.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Strategy::Unchanged => "unchanged",
            Strategy::Partial => "partial",
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
    /// previous one stays (unchanged), was updated in place (partial), or
    /// when there are errors.
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
    /// Content changed but the search index was not built again yet: call
    /// [`refresh_search`].
    pub(crate) search_pending: bool,
}

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
    mut previous: Option<&mut Site>,
    clean: bool,
    changed: &[PathBuf],
) -> Result<Rebuild, Error> {
    let start = Instant::now();
    if let Some(site) = previous.as_deref_mut().filter(|_| clean) {
        if let Some(edits) = body_edits(site, changed) {
            if let Some(mut rebuild) = partial(site, edits) {
                rebuild.took = start.elapsed();
                return Ok(rebuild);
            }
        } else if only_templates(site, changed) {
            if let Some(mut rebuild) = templates_partial(site, Diagnostics::new()) {
                rebuild.took = start.elapsed();
                return Ok(rebuild);
            }
        } else if let Some(edits) = front_matter_edits(site, changed) {
            if let Some(mut rebuild) = front_matter_partial(options, site, edits) {
                rebuild.took = start.elapsed();
                return Ok(rebuild);
            }
        }
    }
    let previous = previous.map(|s| &*s);
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
                search_pending: false,
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
        search_pending: false,
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
            if site.renderer.templates_read_files() {
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
    crate::content::read_source(path).is_ok_and(|now| *now == **text)
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

/// A page or section whose body alone changed, with its new state.
enum BodyEdit {
    Page(PageId, Page),
    Section(SectionId, crate::content::Section),
}

impl BodyEdit {
    fn item(&self) -> Item {
        match self {
            BodyEdit::Page(id, _) => Item::Page(*id),
            BodyEdit::Section(id, _) => Item::Section(*id),
        }
    }
}

/// The pages and sections whose body alone changed, with their new state;
/// `None` if any changed path is something else (a new or deleted file,
/// front matter, a template …) or the edit changes the governance model,
/// so that only a full rebuild is right.
fn body_edits(site: &Site, changed: &[PathBuf]) -> Option<Vec<BodyEdit>> {
    let root = site.config.root.canonicalize().ok()?;
    let content = root.join("content");
    let mut edits: Vec<BodyEdit> = Vec::new();
    // Images are queued while rendering and processed after it.
    let reads_images = |b: &str| b.contains("resize_image") || b.contains("get_image_metadata");
    for path in changed {
        let path = path.canonicalize().ok()?;
        if path.extension().is_none_or(|e| e != "md") {
            return None;
        }
        let rel = path.strip_prefix(&content).ok()?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        let item = site.tree.get(&rel)?;
        if edits.iter().any(|e| e.item() == item) {
            continue;
        }
        let text = crate::content::read_source(&path).ok()?;
        let edit = match item {
            Item::Page(id) => {
                let old = site.tree.page(id);
                if *text == *old.text {
                    continue;
                }
                let new = old.with_body(text)?;
                let neutral = site.model.body_edit_is_neutral(id, old.body(), new.body());
                if !neutral || reads_images(old.body()) || reads_images(new.body()) {
                    return None;
                }
                BodyEdit::Page(id, new)
            }
            // Governance reads no section bodies.
            Item::Section(id) => {
                let old = site.tree.section(id);
                if *text == *old.text {
                    continue;
                }
                let new = old.with_body(text)?;
                if reads_images(old.body()) || reads_images(new.body()) {
                    return None;
                }
                BodyEdit::Section(id, new)
            }
        };
        edits.push(edit);
    }
    (!edits.is_empty()).then_some(edits)
}

/// The pages whose front matter changed but not their place in the site
/// (see `Page::with_front_matter`), with their new state; `None` if any
/// changed path is something else or a page with translations in other
/// languages (which show its title).
fn front_matter_edits(site: &Site, changed: &[PathBuf]) -> Option<Vec<(PageId, Page)>> {
    let root = site.config.root.canonicalize().ok()?;
    let content = root.join("content");
    let reads_images = |b: &str| b.contains("resize_image") || b.contains("get_image_metadata");
    let mut edits: Vec<(PageId, Page)> = Vec::new();
    for path in changed {
        let path = path.canonicalize().ok()?;
        if path.extension().is_none_or(|e| e != "md") {
            return None;
        }
        let rel = path.strip_prefix(&content).ok()?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        let Item::Page(id) = site.tree.get(&rel)? else {
            return None;
        };
        if edits.iter().any(|(e, _)| *e == id) {
            continue;
        }
        let text = crate::content::read_source(&path).ok()?;
        let old = site.tree.page(id);
        if *text == *old.text {
            continue;
        }
        if old.translations.iter().any(|t| *t != id) || reads_images(old.body()) {
            return None;
        }
        let new = old.with_front_matter(text, &site.config)?;
        if reads_images(new.body()) {
            return None;
        }
        edits.push((id, new));
    }
    (!edits.is_empty()).then_some(edits)
}

/// Renders again, in place, what front-matter edits affect: the edited
/// pages' Markdown, the governance model (made again), and every unit
/// that shows an edited page or governance data that changed. `None`
/// when only a full build is right (the edit withholds a page, changes
/// what Markdown reads, or has errors a full build reports); the site is
/// then as it was.
fn front_matter_partial(
    options: &BuildOptions,
    site: &mut Site,
    edits: Vec<(PageId, Page)>,
) -> Option<Rebuild> {
    let _span = tracing::debug_span!("front_matter_partial").entered();
    let diags = Diagnostics::new();
    // The confidentiality review a full build makes, of the edited pages.
    let filter = match &options.audience {
        Some(a) => Some(crate::governance::AudienceFilter::new(
            &site.model.settings,
            a,
            &diags,
        )?),
        None => None,
    };
    let loaded = crate::content::Loaded::of_pages(
        edits.iter().map(|(_, p)| p.clone()).collect(),
        site.tree.sections.clone(),
        site.config.root.join("content"),
    );
    let withheld = crate::governance::review_confidentiality(
        &site.model.settings,
        &loaded,
        filter.as_ref(),
        &diags,
    );
    if diags.has_errors()
        || edits
            .iter()
            .any(|(_, p)| withheld.contains(&p.file.relative))
    {
        return None;
    }
    let items: Vec<Item> = edits.iter().map(|(id, _)| Item::Page(*id)).collect();
    let old_tree = swap_into_tree(
        site,
        edits
            .into_iter()
            .map(|(id, page)| BodyEdit::Page(id, page))
            .collect(),
    );
    // A new title may move a page in a section sorted by title.
    if !site.tree.still_in_order() {
        swap_into_tree(site, old_tree);
        return None;
    }
    refresh_history(site, &items);
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let model = Arc::new(crate::governance::build(
        &site.config,
        &site.model.settings,
        &site.tree,
        &site.history,
        &crate::governance::GovOptions { today },
        &diags,
    ));
    if diags.has_errors() {
        swap_into_tree(site, old_tree);
        return None;
    }
    let old_model = std::mem::replace(&mut site.model, model);
    let before = site.renderer.render_edited_bodies(
        &site.config,
        &site.tree,
        &mut site.rendered,
        &items,
        &diags,
    );
    check_edited_links(site, &items, &diags);
    let outcome = (!diags.has_errors()).then(|| {
        let (renderer, input) = site.renderer_and_input();
        renderer.rerender_front_matter(&input, &old_model, &before, &diags)
    });
    let done = match outcome {
        Some(Ok(done)) => done,
        failure => {
            site.rendered.restore(before);
            site.model = old_model;
            swap_into_tree(site, old_tree);
            let needs_full_build = matches!(failure, Some(Err(why)) if why.needs_full_build());
            return rejected(needs_full_build, diags);
        }
    };
    let reason = format!(
        "only titles, descriptions, extra fields or bodies of {} page(s) changed; {} unit(s) show them ({})",
        items.len(),
        done.units,
        done.summary
    );
    let search_pending = has_search_index(site);
    let note = Done {
        units: done.units,
        reason,
        search_pending,
    };
    Some(applied(site, done.files, note, diags))
}

/// Reads again the git state of edited files (now uncommitted changes).
fn refresh_history(site: &mut Site, items: &[Item]) {
    for &item in items {
        let relative = match item {
            Item::Page(id) => &site.tree.pages[id.0].file.relative,
            Item::Section(id) => &site.tree.sections[id.0].file.relative,
        };
        let file = Path::new("content").join(relative);
        site.history.refresh_file(&site.config.root, &file);
    }
}

/// The `@/` links of edited pages and sections, checked as a build
/// checks them; problems go to `diags`.
fn check_edited_links(site: &Site, items: &[Item], diags: &Diagnostics) {
    let rendered = &site.rendered;
    for &item in items {
        crate::check::links::check_edit(
            &site.config,
            &site.tree,
            item,
            &|i| rendered.links_and_anchors(i),
            diags,
        );
    }
}

/// Puts edited pages and sections into the tree; gives what was there.
fn swap_into_tree(site: &mut Site, edits: Vec<BodyEdit>) -> Vec<BodyEdit> {
    edits
        .into_iter()
        .map(|edit| match edit {
            BodyEdit::Page(id, page) => {
                BodyEdit::Page(id, std::mem::replace(&mut site.tree.pages[id.0], page))
            }
            BodyEdit::Section(id, section) => BodyEdit::Section(
                id,
                std::mem::replace(&mut site.tree.sections[id.0], section),
            ),
        })
        .collect()
}

/// Renders again what body edits affect, in place. `None` when the edit
/// turns out to need a full rebuild (a unit would now write other files);
/// the site is then as it was.
fn partial(site: &mut Site, edits: Vec<BodyEdit>) -> Option<Rebuild> {
    let _span = tracing::debug_span!("partial").entered();
    let diags = Diagnostics::new();
    let items: Vec<Item> = edits.iter().map(BodyEdit::item).collect();
    let old_tree = swap_into_tree(site, edits);
    let before = site.renderer.render_edited_bodies(
        &site.config,
        &site.tree,
        &mut site.rendered,
        &items,
        &diags,
    );
    check_edited_links(site, &items, &diags);
    // Errors in the edited bodies or their links: nothing is rendered.
    let outcome = (!diags.has_errors()).then(|| {
        refresh_history(site, &items);
        let (renderer, input) = site.renderer_and_input();
        renderer.rerender_bodies(&input, &before, &diags)
    });
    let done = match outcome {
        Some(Ok(done)) => done,
        failure => {
            site.rendered.restore(before);
            swap_into_tree(site, old_tree);
            let needs_full_build = matches!(failure, Some(Err(why)) if why.needs_full_build());
            return rejected(needs_full_build, diags);
        }
    };
    let reason = format!(
        "only the body of {} page(s) or section(s) changed; {} unit(s) read them ({})",
        items.len(),
        done.units,
        done.summary
    );
    let search_pending = has_search_index(site);
    let done_note = Done {
        units: done.units,
        reason,
        search_pending,
    };
    Some(applied(site, done.files, done_note, diags))
}

/// True if the site has a search index, which content edits make stale.
fn has_search_index(site: &Site) -> bool {
    site.config.languages.values().any(|l| l.build_search_index)
        || site.model.settings.search_page.is_some()
}

/// The rebuild after a partial render that was not taken: a full build
/// (`None`), or the errors to show while the previous site stays.
fn rejected(needs_full_build: bool, diags: Diagnostics) -> Option<Rebuild> {
    (!needs_full_build).then(|| failed(diags))
}

/// What a partial render did: which units, and why.
struct Done {
    units: usize,
    reason: String,
    search_pending: bool,
}

/// Puts the files a partial render made into the site's output.
fn applied(
    site: &mut Site,
    files: Vec<(String, Output)>,
    done: Done,
    diags: Diagnostics,
) -> Rebuild {
    let changed = replace_files(site, files);
    Rebuild {
        strategy: Strategy::Partial,
        reason: done.reason,
        site: None,
        report: Report {
            diagnostics: diags.sorted(),
            ..Report::default()
        },
        rendered: done.units,
        changed,
        took: Duration::ZERO,
        search_pending: done.search_pending,
    }
}

/// Replaces files of the site's output; gives the paths whose bytes
/// changed, sorted.
fn replace_files(site: &mut Site, files: Vec<(String, Output)>) -> Vec<String> {
    let out = Arc::make_mut(&mut site.output);
    let mut changed = Vec::new();
    for (path, file) in files {
        if out.files.get(&path) != Some(&file) {
            out.files.insert(path.clone(), file);
            changed.push(path);
        }
    }
    changed.sort();
    changed
}

/// Builds the search index again after a partial rebuild of content (see
/// [`Rebuild::search_pending`]); gives the paths whose bytes changed.
pub(crate) fn refresh_search(site: &mut Site) -> Vec<String> {
    let diags = Diagnostics::new();
    let mut search = crate::output::OutputSet::default();
    super::add_search(
        &site.config,
        &site.tree,
        &site.rendered,
        &site.model,
        super::Searches::Both,
        &diags,
        &mut search,
    );
    let fresh: Vec<(String, Output)> = search
        .files
        .into_iter()
        .filter(|(path, _)| !site.renderer.owns(path))
        .collect();
    // pagefind names its index files by content hash: the previous index's
    // files go, so that no text the pages no longer say stays served (only
    // when the handbook's search made them, never a site's own files).
    let bundle = format!("{}/", crate::search::pagefind::BUNDLE_DIR);
    let kept: std::collections::HashSet<&str> = fresh
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| p.starts_with(&bundle))
        .collect();
    let stale: Vec<String> = site
        .output
        .files
        .keys()
        .filter(|p| !kept.is_empty() && p.starts_with(&bundle) && !kept.contains(p.as_str()))
        .cloned()
        .collect();
    let mut changed = stale.clone();
    if !stale.is_empty() {
        let out = Arc::make_mut(&mut site.output);
        for path in stale {
            out.files.remove(&path);
        }
    }
    changed.extend(replace_files(site, fresh));
    changed.sort();
    changed
}

/// Renders again, in place, the units that rendered an edited template
/// (or one that extends, includes or imports it), without touching
/// Markdown. `None` when a full build is needed: a template was added or
/// removed, or one Markdown uses changed.
fn templates_partial(site: &mut Site, diags: Diagnostics) -> Option<Rebuild> {
    let (renderer, input) = site.renderer_and_input();
    let outcome = renderer.rerender_templates(&input, &diags);
    let (done, changed) = match outcome {
        Ok(done) => done,
        Err(why) => return rejected(why.needs_full_build(), diags),
    };
    let reason = format!(
        "templates changed ({}); {} unit(s) rendered them",
        changed.join(", "),
        done.units
    );
    let note = Done {
        units: done.units,
        reason,
        search_pending: false,
    };
    Some(applied(site, done.files, note, diags))
}

/// True if every path is a template of the site or its theme.
fn only_templates(site: &Site, changed: &[PathBuf]) -> bool {
    let Ok(root) = site.config.root.canonicalize() else {
        return false;
    };
    let mut dirs = vec![root.join("templates")];
    if let Some(theme) = site.config.theme_dir().and_then(|d| d.canonicalize().ok()) {
        dirs.push(theme.join("templates"));
    }
    !changed.is_empty()
        && changed.iter().all(|p| {
            // A deleted template cannot be canonicalized: a full build.
            p.canonicalize()
                .is_ok_and(|p| dirs.iter().any(|d| p.starts_with(d)))
        })
}

/// A partial rebuild that found errors: the previous site stays.
fn failed(diags: Diagnostics) -> Rebuild {
    Rebuild {
        strategy: Strategy::Partial,
        reason: "the edit has errors; the last good site is served".into(),
        site: None,
        report: Report {
            diagnostics: diags.sorted(),
            ..Report::default()
        },
        rendered: 0,
        changed: Vec::new(),
        took: Duration::ZERO,
        search_pending: false,
    }
}

#[cfg(test)]
mod tests;
