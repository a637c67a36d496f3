//! Template views of pages and sections, serialized once per build with
//! Zola's field names and shapes (Zola's `ser.rs`), then shared by every
//! render and by `get_page` / `get_section`.

use super::deps::{self, Read};
use super::listing;
use super::rendered::RenderedContent;
use super::views::{self, Backlink, PageView, SectionView};
use crate::content::{ContentTree, PageId, SectionId};
use crate::markdown::Heading;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// Every page and section as template values. Each page is serialized
/// once; the shapes that embed other pages (`lower`/`higher`,
/// `section.pages`) are assembled from those on each use, as Zola does:
/// keeping every section's full value would hold each page's content three
/// times over for the whole build. A page's HTML and table of contents
/// are not in its stored value: they are shared with the rendered
/// Markdown and put into `content` and `toc` only in the values handed
/// out that keep those fields, so a large site holds them once (as
/// structs, not as template values, which take several times the room). Every accessor notes what it hands out ([`deps::note`]).
/// Cloning is cheap (shared values), so `serve` can make the next build's
/// views by replacing a few.
#[derive(Debug, Default, Clone)]
pub(crate) struct Views {
    /// Pages without siblings, `content` and `toc` left empty.
    basic: Vec<Arc<Value>>,
    /// Each page's HTML and headings, for `content` and `toc`.
    bodies: Vec<PageBody>,
    /// The keys of a page's stored value, and for each page whether its
    /// value has exactly those: projecting a listed page then skips
    /// comparing its keys (see [`listing::project_laid_out`]).
    page_layout: listing::Layout,
    laid_out: Vec<bool>,
    /// `lower`/`higher` of each page.
    siblings: Arc<Vec<(Option<PageId>, Option<PageId>)>>,
    /// Sections without `pages` (`get_section(metadata_only=true)`).
    sections_meta: Vec<Arc<Value>>,
    /// Page lists of each section.
    section_pages: Arc<Vec<Vec<PageId>>>,
    /// Each section's metadata as each template's lists keep it, made on
    /// first use: a navigation calls `get_section` for every section on
    /// every page, and projecting anew each time was a tenth of a large
    /// build.
    sections_projected: Arc<Vec<ProjectedCache>>,
}

/// Projected copies of one value, by the field set they keep (compared
/// by identity: each template's set is made once and lives as long as
/// the templates, and holding it here keeps its address from being
/// reused).
type ProjectedCache = std::sync::RwLock<Vec<(Arc<listing::Names>, Value)>>;

impl Views {
    /// A page as templates see it, with `lower`/`higher` (one level deep).
    pub(crate) fn page(&self, id: PageId) -> Value {
        deps::note(Read::Page(id));
        self.page_unrecorded(id)
    }

    fn page_unrecorded(&self, id: PageId) -> Value {
        self.page_with_siblings(id, self.page_whole_unrecorded(id))
    }

    /// Page `id`'s stored value with its HTML and headings.
    fn page_whole_unrecorded(&self, id: PageId) -> Value {
        let mut v = (*self.basic[id.0]).clone();
        self.fill_content(id, &mut v);
        v
    }

    /// Puts page `id`'s HTML and headings into `v`'s `content` and
    /// `toc`, where `v` (the page's value, whole or projected) has those
    /// fields.
    fn fill_content(&self, id: PageId, v: &mut Value) {
        let (Value::Object(m), Some(body)) = (v, self.bodies.get(id.0)) else {
            return;
        };
        if !body.content.is_empty() {
            if let Some(slot) = m.get_mut("content") {
                *slot = Value::String(body.content.to_string());
            }
        }
        if !body.toc.is_empty() {
            if let Some(slot) = m.get_mut("toc") {
                *slot = views::to_value(&&*body.toc);
            }
        }
    }

    /// `v` (page `id`'s value, whole or projected) with `lower` and
    /// `higher` as lists on this thread keep them.
    fn page_with_siblings(&self, id: PageId, mut v: Value) -> Value {
        if let (Value::Object(m), Some((lower, higher))) = (&mut v, self.siblings.get(id.0)) {
            for (key, sibling) in [("lower", lower), ("higher", higher)] {
                let value = match sibling {
                    Some(s) => {
                        deps::note(Read::Page(*s));
                        self.listed_unrecorded(*s).into_owned()
                    }
                    None => Value::Null,
                };
                m.insert(key.into(), value);
            }
        }
        v
    }

    /// A page as `get_page` gives it: like [`Views::page`], but projected as
    /// lists on this thread keep it (the template reaches it through a
    /// variable, as it does a listed page).
    pub(crate) fn page_fetched(&self, id: PageId) -> Value {
        deps::note(Read::Page(id));
        let own = self.listed_unrecorded(id).into_owned();
        self.page_with_siblings(id, own)
    }

    /// A section as `get_section` gives it, with its pages unless
    /// `metadata_only`, as lists on this thread keep it.
    pub(crate) fn section_fetched(&self, id: SectionId, metadata_only: bool) -> Value {
        let meta = self.section_projected(id);
        match metadata_only {
            true => {
                deps::note(Read::SectionMeta(id));
                meta
            }
            false => {
                deps::note(Read::Section(id));
                self.with_pages(id, meta)
            }
        }
    }

    /// Section `id`'s metadata as lists on this thread keep it.
    fn section_projected(&self, id: SectionId) -> Value {
        listing::with_current(|fields| {
            let listing::Fields::Named(names) = fields else {
                return (*self.sections_meta[id.0]).clone();
            };
            let Some(cache) = self.sections_projected.get(id.0) else {
                return listing::project(&self.sections_meta[id.0]).into_owned();
            };
            // Read-locked: every page of a navigation reads these at once,
            // and an exclusive lock made the render threads wait on each
            // other.
            let found = |cache: &[(Arc<listing::Names>, Value)]| {
                cache
                    .iter()
                    .find(|(n, _)| Arc::ptr_eq(n, names))
                    .map(|(_, v)| v.clone())
            };
            let read = cache
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(v) = found(&read) {
                return v;
            }
            drop(read);
            let mut cache = cache
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(v) = found(&cache) {
                return v;
            }
            let v = listing::project(&self.sections_meta[id.0]).into_owned();
            cache.push((names.clone(), v.clone()));
            v
        })
    }

    /// A page without siblings.
    pub(crate) fn page_basic(&self, id: PageId) -> Value {
        deps::note(Read::Page(id));
        self.page_whole_unrecorded(id)
    }

    /// A page as an item of a list (a term's, a pager's or a feed's
    /// pages).
    pub(crate) fn page_listed(&self, id: PageId) -> Cow<'_, Value> {
        deps::note(Read::PageListed(id));
        self.listed_unrecorded(id)
    }

    /// A page without siblings, as lists on this thread keep it.
    fn listed_unrecorded(&self, id: PageId) -> Cow<'_, Value> {
        let layout = self.laid_out[id.0].then_some(&self.page_layout);
        let mut v = listing::project_laid_out(&self.basic[id.0], layout);
        let has_body = self.bodies.get(id.0).is_some_and(PageBody::is_some);
        if has_body && (v.get("content").is_some() || v.get("toc").is_some()) {
            self.fill_content(id, v.to_mut());
        }
        v
    }

    /// A page, for reading only its front-matter and history fields
    /// (`updated`, `date`, `extra`): a body edit does not affect the
    /// reader, and `content` is empty.
    pub(crate) fn page_meta(&self, id: PageId) -> &Value {
        deps::note(Read::PageMeta(id));
        &self.basic[id.0]
    }

    /// True when what [`Views::page_meta`] readers read of page `id`
    /// (`updated`, `date`, `extra`) differs between these views and
    /// `other`: only then does a front-matter edit reach them (a sitemap
    /// or a feed's dates, not a new title).
    pub(crate) fn page_meta_differs(&self, other: &Views, id: PageId) -> bool {
        let (Some(a), Some(b)) = (self.basic.get(id.0), other.basic.get(id.0)) else {
            return true;
        };
        ["updated", "date", "extra"]
            .iter()
            .any(|k| a.get(k) != b.get(k))
    }

    /// A section without its pages.
    pub(crate) fn section_meta(&self, id: SectionId) -> &Value {
        deps::note(Read::SectionMeta(id));
        &self.sections_meta[id.0]
    }

    /// A section with its `pages`.
    pub(crate) fn section(&self, id: SectionId) -> Value {
        deps::note(Read::Section(id));
        self.with_pages(id, (*self.sections_meta[id.0]).clone())
    }

    /// `ids` as a list of pages (a term's or a pager's), as lists on this
    /// thread keep them: placeholders when their templates only count
    /// them.
    pub(crate) fn listed_pages(&self, ids: &[PageId]) -> Vec<Value> {
        placeholders(ids).unwrap_or_else(|| {
            ids.iter()
                .map(|p| self.page_listed(*p).into_owned())
                .collect()
        })
    }

    /// `v` (section `id`'s value, whole or projected) with its `pages`.
    fn with_pages(&self, id: SectionId, mut v: Value) -> Value {
        let ids = &self.section_pages[id.0];
        let list = placeholders(ids).unwrap_or_else(|| {
            ids.iter()
                .map(|p| {
                    let own = self.listed_unrecorded(*p).into_owned();
                    self.page_with_siblings(*p, own)
                })
                .collect()
        });
        if let Value::Object(m) = &mut v {
            m.insert("pages".into(), Value::Array(list));
        }
        v
    }

    /// The pages a section's full value embeds.
    pub(crate) fn pages_of(&self, id: SectionId) -> &[PageId] {
        &self.section_pages[id.0]
    }

    /// These views with some pages and sections serialized again (after
    /// a body edit).
    pub(crate) fn replacing(
        &self,
        pages: Vec<(PageId, PageValue)>,
        sections: Vec<(SectionId, Value)>,
    ) -> Views {
        let mut next = self.clone();
        for (id, page) in pages {
            next.laid_out[id.0] = listing::has_layout(&page.value, &next.page_layout);
            next.basic[id.0] = Arc::new(page.value);
            next.bodies[id.0] = page.body;
        }
        for (id, value) in sections {
            next.sections_meta[id.0] = Arc::new(value);
        }
        next.sections_projected = Arc::new(empty_caches(next.sections_meta.len()));
        next
    }
}

/// A list of placeholders for `ids` when lists on this thread are only
/// counted.
fn placeholders(ids: &[PageId]) -> Option<Vec<Value>> {
    listing::with_current(listing::Fields::counts_pages_only).then(|| vec![Value::Null; ids.len()])
}

fn empty_caches(n: usize) -> Vec<ProjectedCache> {
    (0..n).map(|_| ProjectedCache::default()).collect()
}

/// Who links to whom through `@/` links: target relative path → sources.
pub(crate) type Backlinks = HashMap<String, Vec<(String, String)>>;

/// Collects back-links from the recorded internal links, sorted by
/// permalink as Zola does.
pub(crate) fn collect_backlinks(tree: &ContentTree, rendered: &RenderedContent) -> Backlinks {
    collect_backlinks_to(tree, rendered, None)
}

/// [`collect_backlinks`], only for the `targets` given (all when `None`).
pub(crate) fn collect_backlinks_to(
    tree: &ContentTree,
    rendered: &RenderedContent,
    targets: Option<&std::collections::HashSet<&str>>,
) -> Backlinks {
    let mut map: Backlinks = HashMap::new();
    let mut add = |target: &str, permalink: &str, title: &str| {
        if targets.is_some_and(|t| !t.contains(target)) {
            return;
        }
        let list = map.entry(target.to_string()).or_default();
        // One page's links are added together, so a repeat of the same
        // link is always the last one added.
        if list.last().is_none_or(|(p, _)| p != permalink) {
            list.push((permalink.to_string(), title.to_string()));
        }
    };
    for (i, r) in rendered.pages.iter().enumerate() {
        let page = &tree.pages[i];
        for link in r.iter().flat_map(|r| &r.internal_links) {
            add(&link.target, &page.permalink, page.title());
        }
    }
    for (i, r) in rendered.sections.iter().enumerate() {
        let s = &tree.sections[i];
        for link in r.iter().flat_map(|r| &r.internal_links) {
            add(&link.target, &s.permalink, s.title());
        }
    }
    for list in map.values_mut() {
        list.sort();
    }
    map
}

fn backlinks_of<'a>(backlinks: &'a Backlinks, relative: &str) -> Vec<Backlink<'a>> {
    backlinks
        .get(relative)
        .map(|l| {
            l.iter()
                .map(|(permalink, title)| Backlink { permalink, title })
                .collect()
        })
        .unwrap_or_default()
}

/// A page's view as [`Views`] stores it: the value without its HTML and
/// headings, and those, shared with the rendered Markdown.
pub(crate) struct PageValue {
    pub(crate) value: Value,
    pub(crate) body: PageBody,
}

/// A page's HTML and headings.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageBody {
    content: Arc<str>,
    toc: Arc<[Heading]>,
}

impl PageBody {
    fn is_some(&self) -> bool {
        !self.content.is_empty() || !self.toc.is_empty()
    }
}

/// A page without siblings.
pub(crate) fn basic_page(
    tree: &ContentTree,
    id: PageId,
    rendered: &RenderedContent,
    backlinks: &Backlinks,
    updated_fallback: Option<&str>,
) -> PageValue {
    let r = rendered.pages.get(id.0).and_then(Option::as_ref);
    let links = backlinks_of(backlinks, &tree.pages[id.0].file.relative);
    let view = PageView::new(tree, id, r, links, updated_fallback).without_body();
    PageValue {
        value: views::to_value(&view),
        body: r
            .map(|r| PageBody {
                content: r.body.clone(),
                toc: r.toc.clone(),
            })
            .unwrap_or_default(),
    }
}

/// A section without its pages.
pub(crate) fn section_value(
    tree: &ContentTree,
    id: SectionId,
    rendered: &RenderedContent,
    backlinks: &Backlinks,
) -> Value {
    let r = rendered.sections.get(id.0).and_then(Option::as_ref);
    let links = backlinks_of(backlinks, &tree.sections[id.0].file.relative);
    views::to_value(&SectionView::new(tree, id, r, links))
}

/// Serializes everything once. `updated` falls back to `updated_fallback`
/// (git history) per page where front matter has none.
pub(crate) fn build_views(
    tree: &ContentTree,
    rendered: &RenderedContent,
    backlinks: &Backlinks,
    updated_fallback: &(dyn Fn(PageId) -> Option<String> + Sync),
) -> Views {
    use rayon::prelude::*;
    let basic: Vec<PageValue> = tree
        .page_ids()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|id| {
            basic_page(
                tree,
                *id,
                rendered,
                backlinks,
                updated_fallback(*id).as_deref(),
            )
        })
        .collect();
    let sections_meta: Vec<Value> = tree
        .section_ids()
        .map(|id| section_value(tree, id, rendered, backlinks))
        .collect();
    let page_layout = basic
        .first()
        .and_then(|p| listing::layout_of(&p.value))
        .unwrap_or_default();
    let laid_out = basic
        .par_iter()
        .map(|p| listing::has_layout(&p.value, &page_layout))
        .collect();
    let (basic, bodies) = basic
        .into_iter()
        .map(|p| (Arc::new(p.value), p.body))
        .unzip();
    Views {
        basic,
        bodies,
        page_layout: Arc::new(page_layout),
        laid_out,
        siblings: Arc::new(tree.pages.iter().map(|p| (p.lower, p.higher)).collect()),
        sections_meta: sections_meta.into_iter().map(Arc::new).collect(),
        section_pages: Arc::new(tree.sections.iter().map(|s| s.pages.clone()).collect()),
        sections_projected: Arc::new(empty_caches(tree.sections.len())),
    }
}
