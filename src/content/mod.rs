//! The Zola content model: walking `content/`, front matter, pages,
//! sections, bundles and their assets, slugs and permalinks, and the tree
//! that links them (ancestors, sort orders, siblings, translations).
//! Loading is two steps, [`read`] and [`link`], so that a build for one
//! audience can leave out what governance says it may not read (with
//! everything in those folders, see [`Loaded::withheld`]) before anything
//! is linked to it.
//!
//! Must not render Markdown, call Tera, run git or write files.

mod file_info;
pub(crate) mod front_matter;
mod page;
mod section;
pub(crate) mod taxonomy;
mod tree;
pub(crate) mod yaml;

pub(crate) use file_info::FileKind;
pub(crate) use page::Page;
pub(crate) use section::Section;
pub(crate) use tree::normalize_alias;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use file_info::{FileInfo, UnknownLanguage};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Index of a page in [`ContentTree::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PageId(pub(crate) usize);

/// Index of a section in [`ContentTree::sections`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SectionId(pub(crate) usize);

/// A page or a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Item {
    Page(PageId),
    Section(SectionId),
}

/// What the content loader needs besides the config.
#[cfg(test)]
#[derive(Clone, Copy, Default)]
pub(crate) struct LoadOptions {
    /// Include `draft = true` pages and sections.
    pub(crate) drafts: bool,
}

/// What a build for one audience leaves out: these pages and sections are
/// not in the tree at all, and files under their folders are not assets
/// of anything. Kept so that links and references into them can be told
/// apart from broken ones.
#[derive(Debug, Clone, Default)]
pub(crate) struct Withheld {
    /// The build's audience as configured (`None`: nothing is left out).
    pub(crate) audience: Option<String>,
    /// The pages and sections left out, by path relative to `content/`,
    /// with their `[extra]`.
    pub(crate) items: BTreeMap<String, toml::Table>,
    /// Folders whose every file is left out (hidden sections and bundles).
    folders: Vec<PathBuf>,
    /// The audience may read every audience's documents, so nothing it
    /// meets (a file deleted since included) can be withheld from it.
    pub(crate) reads_everything: bool,
    /// The ids of the roles whose pages are left out (set by governance,
    /// which knows where roles live): kept pages show them as
    /// [`WITHHELD_ROLE`].
    pub(crate) role_ids: Vec<String>,
}

/// What a reference to a role the build's audience may not read shows
/// instead of the role's id: the id would tell that the role exists.
pub(crate) const WITHHELD_ROLE: &str = "…";

impl Withheld {
    /// True for a page or section (path relative to `content/`) the build
    /// leaves out.
    pub(crate) fn contains(&self, relative: &str) -> bool {
        self.items.contains_key(relative)
    }

    /// True for a reference (`@/path.md#anchor`, or the `doc_id` other
    /// documents cite it by) to a page or section the build leaves out.
    pub(crate) fn is_named_by(&self, reference: &str) -> bool {
        let reference = reference.trim();
        match reference.strip_prefix("@/") {
            Some(path) => self.contains(path.split('#').next().unwrap_or(path)),
            None => self.items.values().any(|extra| {
                extra
                    .get("doc_id")
                    .and_then(toml::Value::as_str)
                    .is_some_and(|id| id.trim() == reference)
            }),
        }
    }

    /// Removes from a kept page's `[extra]` every text that is a reference
    /// to something left out (list entries, or the whole key), so that no
    /// template, whatever it prints, can show it.
    fn scrub(&self, extra: &mut toml::Table) {
        extra.retain(|_, v| !self.scrub_value(v));
    }

    /// Scrubs inside `value`; true when `value` itself is such a reference.
    fn scrub_value(&self, value: &mut toml::Value) -> bool {
        match value {
            toml::Value::String(s) if self.role_ids.iter().any(|r| r == s.trim()) => {
                *s = WITHHELD_ROLE.to_string();
                false
            }
            toml::Value::String(s) => self.is_named_by(s),
            toml::Value::Array(items) => {
                items.retain_mut(|v| !self.scrub_value(v));
                false
            }
            toml::Value::Table(t) => {
                t.retain(|_, v| !self.scrub_value(v));
                false
            }
            _ => false,
        }
    }

    /// True for a file (absolute path) under a left-out folder.
    pub(crate) fn covers(&self, path: &Path) -> bool {
        self.folders.iter().any(|f| path.starts_with(f))
    }
}

/// Pages and sections as read from `content/`, before a build for one
/// audience leaves any out and before they are linked into a tree.
pub(crate) struct Loaded {
    /// Every page read.
    pub(crate) pages: Vec<Page>,
    /// Every section read.
    pub(crate) sections: Vec<Section>,
    others: Vec<PathBuf>,
    content_dir: PathBuf,
}

impl Loaded {
    /// Some pages with every section, as read: what the confidentiality
    /// review needs to check pages edited after a build.
    pub(crate) fn of_pages(pages: Vec<Page>, sections: Vec<Section>, content_dir: PathBuf) -> Self {
        Loaded {
            pages,
            sections,
            others: Vec::new(),
            content_dir,
        }
    }
}

impl Loaded {
    /// What a build leaves out when `hides` rejects items on their own
    /// `[extra]`: a hidden section takes everything in its folder with it
    /// (pages, subsections, bundles, assets), and a hidden page takes every
    /// language version of itself with it. Translations are one document
    /// sharing one bundle's files, so the narrowest version decides for
    /// all: a forgotten `audience` on a translation never publishes the
    /// original's text or attachments.
    pub(crate) fn withheld(
        &self,
        audience: Option<String>,
        reads_everything: bool,
        hides: &dyn Fn(&toml::Table) -> bool,
    ) -> Withheld {
        let mut folders: Vec<PathBuf> = self
            .sections
            .iter()
            .filter(|s| hides(&s.meta.extra))
            .map(|s| s.file.parent.clone())
            .collect();
        let hidden_groups: HashSet<(PathBuf, String)> = self
            .pages
            .iter()
            .filter(|p| hides(&p.meta.extra))
            .map(|p| p.file.translation_key())
            .collect();
        folders.extend(
            self.pages
                .iter()
                .filter(|p| hidden_groups.contains(&p.file.translation_key()))
                .filter_map(|p| p.file.bundle_dir().map(Path::to_path_buf)),
        );
        let under = |p: &Path| folders.iter().any(|f| p.starts_with(f));
        let mut items = BTreeMap::new();
        for s in &self.sections {
            if under(&s.file.parent) {
                items.insert(s.file.relative.clone(), s.meta.extra.clone());
            }
        }
        for p in &self.pages {
            if under(&p.file.path) || hidden_groups.contains(&p.file.translation_key()) {
                items.insert(p.file.relative.clone(), p.meta.extra.clone());
            }
        }
        folders.sort();
        folders.dedup();
        Withheld {
            audience,
            items,
            folders,
            reads_everything,
            role_ids: Vec::new(),
        }
    }
}

/// Every page and section of the site, linked.
#[derive(Debug, Clone, Default)]
pub(crate) struct ContentTree {
    pub(crate) content_dir: PathBuf,
    pub(crate) pages: Vec<Page>,
    pub(crate) sections: Vec<Section>,
    by_relative: HashMap<String, Item>,
    ignored: HashSet<PageId>,
    /// Every declared taxonomy of every language, with its terms.
    pub(crate) taxonomies: Vec<taxonomy::Taxonomy>,
    /// What this build's audience may not read.
    pub(crate) withheld: Withheld,
}

impl ContentTree {
    /// Looks up a file by its path relative to `content/` (`blog/a.md`).
    pub(crate) fn get(&self, relative: &str) -> Option<Item> {
        self.by_relative.get(relative).copied()
    }

    /// The permalink of a page or section by relative path.
    pub(crate) fn permalink_of(&self, relative: &str) -> Option<&str> {
        match self.get(relative)? {
            Item::Page(p) => Some(&self.pages[p.0].permalink),
            Item::Section(s) => Some(&self.sections[s.0].permalink),
        }
    }

    /// True for a page left out because it lacks its section's sort key.
    pub(crate) fn is_ignored(&self, id: PageId) -> bool {
        self.ignored.contains(&id)
    }

    /// Pages that produce output.
    pub(crate) fn rendered_pages(&self) -> impl Iterator<Item = PageId> + '_ {
        (0..self.pages.len())
            .map(PageId)
            .filter(|id| self.pages[id.0].meta.render && !self.is_ignored(*id))
    }

    /// All page ids.
    pub(crate) fn page_ids(&self) -> impl Iterator<Item = PageId> {
        (0..self.pages.len()).map(PageId)
    }

    /// All section ids.
    pub(crate) fn section_ids(&self) -> impl Iterator<Item = SectionId> {
        (0..self.sections.len()).map(SectionId)
    }

    /// Page by id.
    pub(crate) fn page(&self, id: PageId) -> &Page {
        &self.pages[id.0]
    }

    /// Section by id.
    /// True if every section's pages are still in its sort order (see
    /// `tree::still_in_order`).
    pub(crate) fn still_in_order(&self) -> bool {
        tree::still_in_order(self)
    }

    pub(crate) fn section(&self, id: SectionId) -> &Section {
        &self.sections[id.0]
    }
}

/// Files found under `content/`, before parsing.
struct Walked {
    markdown: Vec<PathBuf>,
    others: Vec<PathBuf>,
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// Editor backups and swap files are never assets (Zola's rule).
fn is_temp_file(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
}

fn walk(content_dir: &Path, config: &Config, diags: &Diagnostics) -> Walked {
    let root = config
        .root
        .canonicalize()
        .unwrap_or_else(|_| config.root.clone());
    let mut walked = Walked {
        markdown: vec![],
        others: vec![],
    };
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_hidden(&e.file_name().to_string_lossy()) {
                return false;
            }
            // A linked folder outside the root is reported once and never
            // walked: a link to `/usr` must not mean a walk of `/usr`.
            if e.path_is_symlink() && e.file_type().is_dir() && leads_outside(e.path(), &root) {
                diags.push(outside_root(e.path(), content_dir));
                return false;
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content_dir.to_path_buf());
                diags.push(
                    Diagnostic::error("content::unreadable", format!("cannot read: {e}"))
                        .in_file(path),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        if path
            .strip_prefix(content_dir)
            .unwrap_or(path)
            .to_str()
            .is_none()
        {
            diags.push(not_utf8(path, content_dir));
            continue;
        }
        // Content is read only from inside the site root, symbolic links
        // included. Only a link can lead out: the folders walked through
        // were checked as they were entered (above), so a plain file in
        // them is inside, and resolving every file's path cost a fifth of
        // reading a large site.
        if entry.path_is_symlink() && leads_outside(path, &root) {
            diags.push(outside_root(path, content_dir));
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let relative = path.strip_prefix(content_dir).unwrap_or(path);
        if config.ignored_content.is_match(relative)
            || config.ignored_content.is_match(name.as_ref())
        {
            continue;
        }
        if path.extension().is_some_and(|e| e == "md") {
            walked.markdown.push(path.to_path_buf());
        } else if !is_temp_file(&name) {
            walked.others.push(path.to_path_buf());
        }
    }
    walked
}

/// True if `path` resolves (through symbolic links) outside `root`.
fn leads_outside(path: &Path, root: &Path) -> bool {
    path.canonicalize().is_ok_and(|p| !p.starts_with(root))
}

fn outside_root(path: &Path, content_dir: &Path) -> Diagnostic {
    Diagnostic::error(
        "content::outside-root",
        "a symbolic link in content/ leads outside the site root; it was not read",
    )
    .in_file(Path::new("content").join(path.strip_prefix(content_dir).unwrap_or(path)))
    .with_help("copy the file or folder into the site instead of linking to it")
}

/// A file name that is not UTF-8 cannot become a URL or a title without
/// guessing; it is reported rather than converted silently.
fn not_utf8(path: &Path, content_dir: &Path) -> Diagnostic {
    Diagnostic::error(
        "content::name-not-utf8",
        "the file name is not valid UTF-8; the file was not read",
    )
    .in_file(Path::new("content").join(path.strip_prefix(content_dir).unwrap_or(path)))
    .with_help("rename the file using UTF-8 (most editors and git do by default)")
}

enum Parsed {
    Page(Box<Page>),
    Section(Box<Section>),
}

/// A content file's text, without the UTF-8 byte order mark some editors
/// write first (Zola accepts such files too).
pub(crate) fn read_source(path: &Path) -> std::io::Result<String> {
    let text = std::fs::read_to_string(path)?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

fn parse_file(
    path: &Path,
    content_dir: &Path,
    config: &Config,
) -> (Option<Parsed>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let info = match FileInfo::new(path, content_dir, config) {
        Ok(i) => i,
        Err(UnknownLanguage(code)) => {
            let display = Path::new("content").join(path.strip_prefix(content_dir).unwrap_or(path));
            errors.push(
                Diagnostic::error("content::unknown-language", format!("the file name has the language code `{code}`, which the config does not declare"))
                    .in_file(display)
                    .with_help(format!("add `[languages.{code}]` to the config, or rename the file")),
            );
            return (None, errors);
        }
    };
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if size > config.max_content_bytes {
        errors.push(
            Diagnostic::error(
                "content::too-large",
                format!(
                    "the file is {} MiB; content files may be at most {} MiB",
                    size.div_ceil(1 << 20),
                    config.max_content_bytes >> 20
                ),
            )
            .at_line_col(&info.display, 1, 1)
            .with_help("split the file into several pages, or raise `max_content_file_mb` under `[handbook]` in config.toml"),
        );
        return (None, errors);
    }
    let text = match read_source(path) {
        Ok(t) => t,
        Err(e) => {
            errors.push(
                Diagnostic::error("content::unreadable", format!("cannot read the file: {e}"))
                    .in_file(&info.display),
            );
            return (None, errors);
        }
    };
    let parsed = match info.kind {
        FileKind::Section => {
            section::parse(info, text, config, &mut errors).map(|s| Parsed::Section(Box::new(s)))
        }
        _ => page::parse(info, text, config, &mut errors).map(|p| Parsed::Page(Box::new(p))),
    };
    (parsed, errors)
}

/// Loads and links all content, nothing withheld (for tests of later
/// stages). Problems go to `diags`; the tree holds everything that could
/// be loaded.
#[cfg(test)]
pub(crate) fn load(config: &Config, options: LoadOptions, diags: &Diagnostics) -> ContentTree {
    let loaded = read(config, options.drafts, diags);
    link(config, loaded, Withheld::default(), diags)
}

/// Walks and parses `content/` (drafts only when asked). Problems go to
/// `diags`.
pub(crate) fn read(config: &Config, drafts: bool, diags: &Diagnostics) -> Loaded {
    let content_dir = config.root.join("content");
    let walked = if content_dir.is_dir() {
        walk(&content_dir, config, diags)
    } else {
        Walked {
            markdown: vec![],
            others: vec![],
        }
    };
    let results: Vec<(Option<Parsed>, Vec<Diagnostic>)> = walked
        .markdown
        .par_iter()
        .map(|p| parse_file(p, &content_dir, config))
        .collect();
    let mut pages = Vec::new();
    let mut sections = Vec::new();
    for (parsed, errors) in results {
        diags.extend(errors);
        match parsed {
            Some(Parsed::Page(p)) => pages.push(*p),
            Some(Parsed::Section(s)) => sections.push(*s),
            None => {}
        }
    }
    check_index_files(&pages, &sections, &content_dir, diags);
    if !drafts {
        let drafted: Vec<PathBuf> = sections
            .iter()
            .filter(|s| s.meta.draft)
            .map(|s| s.file.parent.clone())
            .collect();
        let under_draft = |p: &Path| drafted.iter().any(|d| p.starts_with(d));
        sections.retain(|s| !under_draft(&s.file.parent));
        pages.retain(|p| !p.meta.draft && !under_draft(&p.file.path));
    }
    Loaded {
        pages,
        sections,
        others: walked.others,
        content_dir,
    }
}

/// Links what [`read`] found into the tree, leaving out what `withheld`
/// names (and every file under its folders). Problems go to `diags`.
pub(crate) fn link(
    config: &Config,
    loaded: Loaded,
    withheld: Withheld,
    diags: &Diagnostics,
) -> ContentTree {
    let Loaded {
        mut pages,
        mut sections,
        mut others,
        content_dir,
    } = loaded;
    pages.retain(|p| !withheld.contains(&p.file.relative));
    sections.retain(|s| !withheld.contains(&s.file.relative));
    others.retain(|f| !withheld.covers(f));
    if !withheld.items.is_empty() {
        for p in &mut pages {
            withheld.scrub(&mut p.meta.extra);
        }
        for s in &mut sections {
            withheld.scrub(&mut s.meta.extra);
        }
    }
    for lang in config.languages.keys() {
        if !sections.iter().any(|s| s.is_root() && &s.lang == lang) {
            sections.push(section::synthetic_root(&content_dir, lang, config));
        }
    }
    // Deterministic order whatever the thread scheduling was.
    pages.sort_by(|a, b| a.file.relative.cmp(&b.file.relative));
    sections.sort_by(|a, b| a.file.relative.cmp(&b.file.relative));
    assign_assets(&mut pages, &mut sections, &others);
    let by_relative = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.file.relative.clone(), Item::Page(PageId(i))))
        .chain(
            sections
                .iter()
                .enumerate()
                .map(|(i, s)| (s.file.relative.clone(), Item::Section(SectionId(i)))),
        )
        .collect();
    let mut tree = ContentTree {
        content_dir,
        pages,
        sections,
        by_relative,
        ignored: HashSet::new(),
        taxonomies: Vec::new(),
        withheld,
    };
    tree::populate(&mut tree, config, diags);
    tree.ignored = tree
        .sections
        .iter()
        .flat_map(|s| s.ignored_pages.iter().copied())
        .collect();
    tree.taxonomies = taxonomy::collect(&tree.pages, config, diags);
    tree
}

/// `content/index.md`, and `index.md` beside `_index.md`, are errors.
fn check_index_files(
    pages: &[Page],
    sections: &[Section],
    content_dir: &Path,
    diags: &Diagnostics,
) {
    let section_dirs: HashSet<&Path> = sections.iter().map(|s| s.file.parent.as_path()).collect();
    for p in pages {
        if p.file.name != "index" {
            continue;
        }
        let dir = p.file.path.parent().unwrap_or(content_dir);
        if dir == content_dir {
            diags.push(
                Diagnostic::error(
                    "content::root-index",
                    "content/index.md is not allowed: the home page is a section",
                )
                .in_file(&p.file.display)
                .with_help("rename it to content/_index.md"),
            );
        } else if section_dirs.contains(dir) {
            diags.push(
                Diagnostic::error("content::index-beside-section", "index.md cannot sit beside _index.md: the folder cannot be both a section and a page")
                    .in_file(&p.file.display)
                    .with_help("move the page into a folder of its own, or rename it"),
            );
        }
    }
}

/// Bundle folders own every file under them; sections own the files
/// directly in their folder.
fn assign_assets(pages: &mut [Page], sections: &mut [Section], others: &[PathBuf]) {
    let bundles: HashMap<PathBuf, Vec<usize>> =
        pages
            .iter()
            .enumerate()
            .fold(HashMap::new(), |mut m, (i, p)| {
                if let Some(dir) = p.file.bundle_dir() {
                    m.entry(dir.to_path_buf()).or_default().push(i);
                }
                m
            });
    let section_dirs: HashMap<PathBuf, Vec<usize>> =
        sections
            .iter()
            .enumerate()
            .fold(HashMap::new(), |mut m, (i, s)| {
                if !s.synthetic || s.file.parent.is_dir() {
                    m.entry(s.file.parent.clone()).or_default().push(i);
                }
                m
            });
    for file in others {
        let bundle = file.ancestors().skip(1).find_map(|a| bundles.get(a));
        if let Some(ids) = bundle {
            for &i in ids {
                pages[i].assets.push(file.clone());
            }
        } else if let Some(ids) = file.parent().and_then(|d| section_dirs.get(d)) {
            for &i in ids {
                sections[i].assets.push(file.clone());
            }
        }
    }
}
