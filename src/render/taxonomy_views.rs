//! The template values of taxonomies and terms, as templates see them
//! through a term page, `get_taxonomy` and `get_taxonomy_term`, and term
//! permalinks for `get_taxonomy_url`. Built from `content::taxonomy`,
//! whose terms this module must not change; renders nothing.

use super::context::Views;
use super::deps::{self, Read};
use crate::config::{slugify_paths, Config, SlugStrategy};
use crate::content::taxonomy::{Taxonomy, Term};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Template values of every taxonomy and term, built on each use and
/// never kept: a term's value embeds every page it lists, so keeping the
/// values for the whole build held each page's content once per term (and
/// again per taxonomy). Each use needs its own copy anyway, since a
/// template context owns its values; Zola serializes on each use too.
#[derive(Debug, Default)]
pub(crate) struct TaxonomyViews {
    pub(super) taxonomies: Vec<Taxonomy>,
}

impl TaxonomyViews {
    /// Views over the taxonomies of the content tree.
    pub(crate) fn new(taxonomies: &[Taxonomy]) -> Self {
        TaxonomyViews {
            taxonomies: taxonomies.to_vec(),
        }
    }

    /// The taxonomy declared as `kind` for `lang`.
    pub(super) fn find(&self, kind: &str, lang: &str) -> Option<usize> {
        self.taxonomies
            .iter()
            .position(|t| t.kind.name == kind && t.lang == lang)
    }

    /// A term with its pages (no siblings), as `term` and `terms` give it.
    pub(super) fn term(&self, views: &Views, t: usize, i: usize) -> Value {
        deps::note(Read::Term(t, i));
        let term = &self.taxonomies[t].terms[i];
        term_value(term, views.listed_pages(&term.pages))
    }

    /// Every term of taxonomy `t` with its pages, as a list page's `terms`.
    pub(super) fn terms(&self, views: &Views, t: usize) -> Vec<Value> {
        (0..self.taxonomies[t].terms.len())
            .map(|i| self.term(views, t, i))
            .collect()
    }

    /// `{kind, lang, permalink, items}`, as `get_taxonomy` returns it.
    pub(super) fn taxonomy(&self, views: &Views, t: usize) -> Value {
        deps::note(Read::Taxonomy(t));
        let taxonomy = &self.taxonomies[t];
        let mut map = serde_json::Map::new();
        map.insert("kind".into(), kind_value(taxonomy));
        map.insert("lang".into(), Value::String(taxonomy.lang.clone()));
        map.insert(
            "permalink".into(),
            Value::String(taxonomy.permalink.clone()),
        );
        map.insert("items".into(), Value::Array(self.terms(views, t)));
        Value::Object(map)
    }
}

/// The `taxonomy` variable: the config entry, with its slug.
pub(super) fn kind_value(t: &Taxonomy) -> Value {
    json!({
        "name": t.kind.name,
        "slug": t.slug,
        "paginate_by": t.kind.paginate_by,
        "paginate_path": t.kind.paginate_path,
        "render": t.kind.render,
        "feed": t.kind.feed,
    })
}

/// A term's value with `pages` moved in (`json!` would copy every page
/// once more).
pub(super) fn term_value(term: &Term, pages: Vec<Value>) -> Value {
    let mut value = json!({
        "name": term.name,
        "slug": term.slug,
        "path": term.path,
        "permalink": term.permalink,
        "pages": [],
        "page_count": term.pages.len(),
    });
    value["pages"] = Value::Array(pages);
    value
}

/// Term permalinks by (taxonomy name, language) and term slug, for
/// `get_taxonomy_url`, which Zola registers before Markdown is rendered
/// (so shortcodes can call it).
#[derive(Debug, Clone)]
pub(crate) struct TaxonomyUrls {
    default_language: String,
    slugify: SlugStrategy,
    urls: HashMap<(String, String), HashMap<String, String>>,
}

impl TaxonomyUrls {
    /// The permalinks of every term of `taxonomies`.
    pub(crate) fn new(config: &Config, taxonomies: &[Taxonomy]) -> Self {
        let urls = taxonomies
            .iter()
            .map(|t| {
                let terms = t
                    .terms
                    .iter()
                    .map(|term| (term.slug.clone(), term.permalink.clone()))
                    .collect();
                ((t.kind.name.clone(), t.lang.clone()), terms)
            })
            .collect();
        TaxonomyUrls {
            default_language: config.default_language.clone(),
            slugify: config.slugify.taxonomies,
            urls,
        }
    }

    /// The terms of taxonomy `kind` in `lang` (the default language when
    /// `None`), by slug; `None` for an unknown taxonomy.
    pub(super) fn terms(&self, kind: &str, lang: Option<&str>) -> Option<&HashMap<String, String>> {
        let lang = lang.unwrap_or(&self.default_language).to_string();
        self.urls.get(&(kind.to_string(), lang))
    }

    /// A term's name as written, slugified as the config says.
    pub(super) fn slug(&self, name: &str) -> String {
        slugify_paths(name, self.slugify)
    }
}
