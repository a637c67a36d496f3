//! The shapes templates see, as types: a page, a section, a translation
//! and a back-link, with Zola's field names and order (Zola's `ser.rs`).
//! Borrowed from the content tree and the rendered Markdown; serialized
//! once per build by `context.rs`. The type is the documentation of what
//! a template may read.

use crate::content::front_matter::table_to_json;
use crate::content::{ContentTree, Page, PageId, Section, SectionId};
use crate::markdown::{Heading, Rendered};
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

/// `page`, as page templates, `section.pages`, `get_page` and shortcodes
/// see it. `lower` and `higher` are filled in on use.
#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    relative_path: &'a str,
    colocated_path: Option<&'a str>,
    /// The rendered HTML (empty before Markdown, for shortcodes).
    content: &'a str,
    permalink: &'a str,
    slug: &'a str,
    /// Relative paths of the sections above, outermost first.
    ancestors: Vec<&'a str>,
    title: Option<&'a str>,
    description: Option<&'a str>,
    /// Front matter's `updated`, else the last meaningful change in git
    /// (in a handbook).
    updated: Option<String>,
    date: Option<&'a str>,
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    taxonomies: &'a IndexMap<String, Vec<String>>,
    authors: &'a [String],
    extra: Value,
    path: &'a str,
    components: &'a [String],
    /// The HTML before `<!-- more -->`, when the page has the marker.
    summary: Option<&'a str>,
    toc: &'a [Heading],
    word_count: usize,
    reading_time: usize,
    /// Permalink paths of the colocated files.
    assets: Vec<String>,
    draft: bool,
    lang: &'a str,
    lower: Option<Value>,
    higher: Option<Value>,
    translations: Vec<Translation<'a>>,
    backlinks: Vec<Backlink<'a>>,
}

/// `section`, as section templates and `get_section` see it; `pages` is
/// filled in on use.
#[derive(Serialize)]
pub(crate) struct SectionView<'a> {
    relative_path: &'a str,
    colocated_path: Option<&'a str>,
    content: &'a str,
    permalink: &'a str,
    draft: bool,
    ancestors: Vec<&'a str>,
    title: Option<&'a str>,
    description: Option<&'a str>,
    extra: Value,
    path: &'a str,
    components: &'a [String],
    toc: &'a [Heading],
    word_count: usize,
    reading_time: usize,
    lang: &'a str,
    assets: Vec<String>,
    pages: [Value; 0],
    /// Relative paths of the sections below.
    subsections: Vec<&'a str>,
    translations: Vec<Translation<'a>>,
    backlinks: Vec<Backlink<'a>>,
    generate_feeds: bool,
    transparent: bool,
    paginate_by: Option<usize>,
    paginate_reversed: bool,
}

/// One entry of `translations`: the same page in another language.
#[derive(Serialize)]
pub(crate) struct Translation<'a> {
    lang: &'a str,
    permalink: &'a str,
    title: Option<&'a str>,
    /// The file's absolute path, as Zola gives it (and `get_page` takes).
    path: String,
}

/// One entry of `backlinks`: a page or section linking here with `@/`.
#[derive(Serialize)]
pub(crate) struct Backlink<'a> {
    pub(crate) permalink: &'a str,
    pub(crate) title: &'a str,
}

/// A view as a template value. Views have only string keys, so
/// serializing cannot fail; a failure would show as `null`.
pub(crate) fn to_value(view: &impl Serialize) -> Value {
    serde_json::to_value(view).unwrap_or(Value::Null)
}

fn ancestors<'a>(tree: &'a ContentTree, ids: &[SectionId]) -> Vec<&'a str> {
    ids.iter()
        .map(|s| tree.sections[s.0].file.relative.as_str())
        .collect()
}

impl<'a> Translation<'a> {
    fn new(
        lang: &'a str,
        permalink: &'a str,
        title: Option<&'a str>,
        file: &std::path::Path,
    ) -> Self {
        // The file's absolute path, as Zola gives it.
        let path = std::path::absolute(file)
            .unwrap_or_else(|_| file.to_path_buf())
            .to_string_lossy()
            .into_owned();
        Translation {
            lang,
            permalink,
            title,
            path,
        }
    }
}

impl<'a> PageView<'a> {
    /// The view of page `id`, with its rendered Markdown (`None` before
    /// Markdown, as shortcodes see the page), its back-links and its
    /// `updated` fallback.
    pub(crate) fn new(
        tree: &'a ContentTree,
        id: PageId,
        rendered: Option<&'a Rendered>,
        backlinks: Vec<Backlink<'a>>,
        updated_fallback: Option<&str>,
    ) -> Self {
        let p: &'a Page = &tree.pages[id.0];
        let ymd = p.ymd();
        let translations = p
            .translations
            .iter()
            .map(|t| {
                let o = &tree.pages[t.0];
                Translation::new(&o.lang, &o.permalink, o.meta.title.as_deref(), &o.file.path)
            })
            .collect();
        PageView {
            relative_path: &p.file.relative,
            colocated_path: p.file.colocated_path.as_deref(),
            content: rendered.map_or("", |r| &*r.body),
            permalink: &p.permalink,
            slug: &p.slug,
            ancestors: ancestors(tree, &p.ancestors),
            title: p.meta.title.as_deref(),
            description: p.meta.description.as_deref(),
            updated: p
                .meta
                .updated
                .as_ref()
                .map(|d| d.0.clone())
                .or(updated_fallback.map(String::from)),
            date: p.date.as_ref().map(|d| d.0.as_str()),
            year: ymd.map(|(y, _, _)| y),
            month: ymd.map(|(_, m, _)| m),
            day: ymd.map(|(_, _, d)| d),
            taxonomies: &p.meta.taxonomies,
            authors: &p.meta.authors,
            extra: table_to_json(&p.meta.extra),
            path: &p.path,
            components: &p.components,
            summary: rendered.and_then(|r| r.summary.as_deref()),
            toc: rendered.map_or(&[], |r| &*r.toc),
            word_count: p.word_count,
            reading_time: p.reading_time,
            assets: p.serialized_assets(),
            draft: p.meta.draft,
            lang: &p.lang,
            lower: None,
            higher: None,
            translations,
            backlinks,
        }
    }
}

impl PageView<'_> {
    /// The view with `content` and `toc` left empty (where they are kept
    /// elsewhere and put in on use).
    pub(crate) fn without_body(mut self) -> Self {
        self.content = "";
        self.toc = &[];
        self
    }
}

impl<'a> SectionView<'a> {
    /// The view of section `id` without its pages.
    pub(crate) fn new(
        tree: &'a ContentTree,
        id: SectionId,
        rendered: Option<&'a Rendered>,
        backlinks: Vec<Backlink<'a>>,
    ) -> Self {
        let s: &'a Section = &tree.sections[id.0];
        let translations = s
            .translations
            .iter()
            .map(|t| {
                let o = &tree.sections[t.0];
                Translation::new(&o.lang, &o.permalink, o.meta.title.as_deref(), &o.file.path)
            })
            .collect();
        SectionView {
            relative_path: &s.file.relative,
            colocated_path: None,
            content: rendered.map_or("", |r| &*r.body),
            permalink: &s.permalink,
            draft: s.meta.draft,
            ancestors: ancestors(tree, &s.ancestors),
            title: s.meta.title.as_deref(),
            description: s.meta.description.as_deref(),
            extra: table_to_json(&s.meta.extra),
            path: &s.path,
            components: &s.components,
            toc: rendered.map_or(&[], |r| &*r.toc),
            word_count: s.word_count,
            reading_time: s.reading_time,
            lang: &s.lang,
            assets: s.serialized_assets(),
            pages: [],
            subsections: s
                .subsections
                .iter()
                .map(|x| tree.sections[x.0].file.relative.as_str())
                .collect(),
            translations,
            backlinks,
            generate_feeds: s.meta.generate_feeds || s.meta.generate_feed,
            transparent: s.meta.transparent,
            paginate_by: s.meta.paginate_by,
            paginate_reversed: s.meta.paginate_reversed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The top-level keys of a serialized view, in order.
    fn keys(value: &Value) -> Vec<String> {
        value
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn tree() -> ContentTree {
        let dir = tempfile::tempdir().expect("temporary folder");
        let write = |path: &str, text: &str| {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().expect("a parent")).expect("create folder");
            std::fs::write(p, text).expect("write");
        };
        write("config.toml", "base_url = 'https://example.org'\n");
        write("content/_index.md", "+++\ntitle = 'Start'\n+++\n");
        write(
            "content/a.md",
            "+++\ntitle = 'A'\ndate = 2025-03-04\n[taxonomies]\n[extra]\nx = 1\n+++\nText\n",
        );
        let diags = crate::diagnostics::Diagnostics::new();
        let config = crate::config::load(dir.path(), None, &diags).expect("config");
        crate::content::load(&config, Default::default(), &diags)
    }

    #[test]
    fn a_page_has_zolas_fields_in_zolas_order() {
        let tree = tree();
        let id = tree.page_ids().next().expect("one page");
        let value = to_value(&PageView::new(
            &tree,
            id,
            None,
            Vec::new(),
            Some("2025-05-01"),
        ));
        assert_eq!(
            keys(&value),
            [
                "relative_path",
                "colocated_path",
                "content",
                "permalink",
                "slug",
                "ancestors",
                "title",
                "description",
                "updated",
                "date",
                "year",
                "month",
                "day",
                "taxonomies",
                "authors",
                "extra",
                "path",
                "components",
                "summary",
                "toc",
                "word_count",
                "reading_time",
                "assets",
                "draft",
                "lang",
                "lower",
                "higher",
                "translations",
                "backlinks",
            ]
        );
        assert_eq!(
            value["updated"], "2025-05-01",
            "git's date where front matter has none"
        );
        assert_eq!(
            (value["year"].clone(), value["month"].clone()),
            (2025.into(), 3.into())
        );
        assert_eq!(value["extra"]["x"], 1);
        assert_eq!(value["ancestors"], serde_json::json!(["_index.md"]));
        assert!(value["lower"].is_null() && value["summary"].is_null());
    }

    #[test]
    fn a_section_has_its_pages_filled_in_on_use() {
        let tree = tree();
        let id = tree.section_ids().next().expect("the root section");
        let link = Backlink {
            permalink: "https://example.org/a/",
            title: "A",
        };
        let value = to_value(&SectionView::new(&tree, id, None, vec![link]));
        assert_eq!(value["pages"], serde_json::json!([]));
        assert_eq!(value["backlinks"][0]["title"], "A");
        assert_eq!(value["relative_path"], "_index.md");
        assert!(value["colocated_path"].is_null());
    }
}
