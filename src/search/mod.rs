//! The search indexes. `pagefind/` is the handbook's own search (on with
//! `[handbook.search]`); the rest of this module is the index for themes
//! that use Zola's: `search_index.<lang>.js`
//! (`window.searchIndex = …`) or `.json`, in elasticlunr's or Fuse's format
//! as `[search]` says, plus `elasticlunr.min.js` for the elasticlunr
//! formats. Built for the default language and for each language with
//! `build_search_index`, from the rendered HTML of the pages and sections
//! the build publishes.
//!
//! Neighbours: runs after `render` (the pipeline passes the rendered HTML
//! in, since `search` may not know `render`'s types) and adds its files to
//! the [`OutputSet`]. Must not render pages, or index what the build's
//! audience may not read: the tree holds only what the audience may read;
//! of that, every section and page except those with `in_search_index =
//! false` (a section's flag also hides its pages, as in Zola) and
//! `redirect_to` sections.

mod index;
pub(crate) mod pagefind;
mod strip;

use crate::config::{Config, SearchConfig};
use crate::content::{ContentTree, PageId, SectionId};
use crate::diagnostics::{locate_key, Diagnostic, Diagnostics};
use crate::output::OutputSet;
use std::collections::HashSet;

/// elasticlunr.js 0.9.5 from the npm package `elasticlunr` (MIT; see
/// `assets/LICENSE-elasticlunr`), written beside the index.
const ELASTICLUNR_JS: &str = include_str!("assets/elasticlunr.min.js");

/// What the index is built from.
pub(crate) struct SearchInput<'a> {
    pub(crate) config: &'a Config,
    pub(crate) tree: &'a ContentTree,
    /// A page's rendered HTML body, if it was rendered.
    pub(crate) page_html: &'a dyn Fn(PageId) -> Option<&'a str>,
    /// A section's rendered HTML body, if it was rendered.
    pub(crate) section_html: &'a dyn Fn(SectionId) -> Option<&'a str>,
}

/// `[search] index_format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IndexFormat {
    ElasticlunrJavascript,
    ElasticlunrJson,
    FuseJavascript,
    FuseJson,
}

impl IndexFormat {
    fn parse(s: &str) -> Option<IndexFormat> {
        Some(match s {
            "elasticlunr_javascript" => IndexFormat::ElasticlunrJavascript,
            "elasticlunr_json" => IndexFormat::ElasticlunrJson,
            "fuse_javascript" => IndexFormat::FuseJavascript,
            "fuse_json" => IndexFormat::FuseJson,
            _ => return None,
        })
    }

    fn is_javascript(self) -> bool {
        matches!(
            self,
            IndexFormat::ElasticlunrJavascript | IndexFormat::FuseJavascript
        )
    }

    fn is_elasticlunr(self) -> bool {
        matches!(
            self,
            IndexFormat::ElasticlunrJavascript | IndexFormat::ElasticlunrJson
        )
    }

    fn file_name(self, lang: &str) -> String {
        let ext = if self.is_javascript() { "js" } else { "json" };
        format!("search_index.{lang}.{ext}")
    }
}

/// One page or section in a language's index.
#[derive(Debug, Clone, PartialEq)]
struct IndexItem<'a> {
    url: &'a str,
    title: &'a str,
    description: &'a str,
    /// RFC 3339, pages with a date only.
    date: Option<String>,
    path: &'a str,
    /// Rendered HTML.
    html: &'a str,
}

/// Writes the index files when `build_search_index` is on. Problems (an
/// unknown `index_format`, a language without a stemmer, a root section
/// that leaves the index) are error diagnostics located in the config or
/// the section.
pub(crate) fn write_index(input: &SearchInput<'_>, diags: &Diagnostics, out: &mut OutputSet) {
    let config = input.config;
    let default = config.default_lang();
    if !config.build_search_index {
        return;
    }
    check_root_sections(input.tree, diags);
    let Some(format) = IndexFormat::parse(&default.search.index_format) else {
        config_error(
            config,
            &["search", "index_format"],
            format!(
                "unknown search `index_format` `{}`",
                default.search.index_format
            ),
            "use elasticlunr_javascript, elasticlunr_json, fuse_javascript or fuse_json",
            diags,
        );
        return;
    };
    let languages = config
        .languages
        .iter()
        .enumerate()
        .filter(|(i, (_, opts))| *i == 0 || opts.build_search_index)
        .map(|(_, (code, opts))| (code, &opts.search));
    for (lang, search) in languages {
        let items = collect_items(input, lang);
        let body = if format.is_elasticlunr() {
            match index::elasticlunr(lang, search, &items) {
                Ok(json) => json,
                Err(message) => {
                    let key: &[&str] = if lang == &config.default_language {
                        &["default_language"]
                    } else {
                        &["languages", lang]
                    };
                    config_error(
                        config,
                        key,
                        message,
                        "turn `build_search_index` off for this language, or use a Fuse \
                         `index_format`, which needs no stemmer",
                        diags,
                    );
                    continue;
                }
            }
        } else {
            index::fuse(search, &items)
        };
        let text = if format.is_javascript() {
            format!("window.searchIndex = {body}")
        } else {
            body
        };
        out.text(format.file_name(lang), text);
    }
    if format.is_elasticlunr() {
        out.text("elasticlunr.min.js", ELASTICLUNR_JS.to_string());
    }
}

/// Zola refuses a search index when a root section opts out of it.
fn check_root_sections(tree: &ContentTree, diags: &Diagnostics) {
    for section in tree.sections.iter().filter(|s| s.is_root()) {
        if section.meta.in_search_index {
            continue;
        }
        let offset = locate_key(&section.text, &["in_search_index"]).unwrap_or(0);
        diags.push(
            Diagnostic::error(
                "search::root-excluded",
                "`build_search_index` is on, but the root section sets `in_search_index = false`",
            )
            .at(&section.source, offset)
            .with_help(
                "turn `build_search_index` off in the config, or remove `in_search_index = false`",
            ),
        );
    }
}

/// Every section of `lang` that is in the index, each followed by its
/// pages (Zola's order and rules), each page once.
fn collect_items<'a>(input: &SearchInput<'a>, lang: &str) -> Vec<IndexItem<'a>> {
    let tree = input.tree;
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    for id in tree.section_ids() {
        let section = tree.section(id);
        // As Zola: only `in_search_index` and `redirect_to` decide, so a
        // `render = false` section and its pages are indexed too.
        if section.lang != lang || !section.meta.in_search_index {
            continue;
        }
        if section.meta.redirect_to.is_none() {
            items.push(IndexItem {
                url: &section.permalink,
                title: section.meta.title.as_deref().unwrap_or_default(),
                description: section.meta.description.as_deref().unwrap_or_default(),
                date: None,
                path: &section.path,
                html: (input.section_html)(id).unwrap_or_default(),
            });
        }
        for &page_id in &section.pages {
            let page = tree.page(page_id);
            if page.lang != lang
                || !page.meta.in_search_index
                || tree.is_ignored(page_id)
                || !seen.insert(page_id)
            {
                continue;
            }
            items.push(IndexItem {
                url: &page.permalink,
                title: page.meta.title.as_deref().unwrap_or_default(),
                description: page.meta.description.as_deref().unwrap_or_default(),
                date: page_date(page),
                path: &page.path,
                html: (input.page_html)(page_id).unwrap_or_default(),
            });
        }
    }
    items
}

/// The page's `date` as RFC 3339, its offset kept; dates without one are
/// UTC (Zola's reading).
fn page_date(page: &crate::content::Page) -> Option<String> {
    use chrono::SecondsFormat;
    let text = page.meta.date.as_ref()?.0.trim().to_string();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(&text) {
        return Some(dt.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
    let naive = page.datetime?;
    Some(naive.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// An error located at a key of the config file.
fn config_error(config: &Config, key: &[&str], message: String, help: &str, diags: &Diagnostics) {
    let d = Diagnostic::error("search::config", message).with_help(help);
    diags.push(config.at_key(d, key));
}

/// The fields of a `[search]` table, for the index builders.
fn fields(search: &SearchConfig) -> Vec<&'static str> {
    let mut fields = Vec::new();
    if search.include_title {
        fields.push("title");
    }
    if search.include_description {
        fields.push("description");
    }
    if search.include_date {
        fields.push("date");
    }
    if search.include_path {
        fields.push("path");
    }
    if search.include_content {
        fields.push("body");
    }
    fields
}

#[cfg(test)]
mod tests;
