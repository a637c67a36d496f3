//! Taxonomies as Zola builds them (`components/content/src/taxonomies.rs`
//! and `library.rs`): the terms pages list under `[taxonomies]`, their
//! slugs, URLs and merging, and the checks on them (an undeclared taxonomy
//! or an empty term is a located error).
//!
//! Plain data keyed by `PageId`; rendering the list and term pages is
//! `render::taxonomies`. Must not render or call Tera.

use super::{Page, PageId};
use crate::config::{slugify_paths, Config, Taxonomy as TaxonomyConfig};
use crate::diagnostics::{locate_key, Diagnostic, Diagnostics};
use indexmap::IndexMap;
use std::cmp::Ordering;
use std::collections::HashMap;

/// One declared taxonomy of one language, with every term its pages use.
/// Declared taxonomies without terms are kept (as in Zola, where
/// `get_taxonomy` then returns an empty `items`).
#[derive(Debug, Clone)]
pub(crate) struct Taxonomy {
    /// The config entry (the first one, when two names share a slug).
    pub(crate) kind: TaxonomyConfig,
    pub(crate) lang: String,
    /// The name slugified per `slugify.taxonomies` (`podcast-authors`).
    pub(crate) slug: String,
    /// `/NAME/`, `/LANG/NAME/` or with `taxonomy_root` in front.
    pub(crate) path: String,
    pub(crate) permalink: String,
    /// Sorted by slug (then name); one term per slug.
    pub(crate) terms: Vec<Term>,
}

impl Taxonomy {
    /// `paginate_by` when it paginates (a positive number).
    pub(crate) fn paginate_by(&self) -> Option<usize> {
        self.kind.paginate_by.filter(|n| *n > 0)
    }
}

/// One term and the pages that use it.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    /// As first written (of the spellings merged into this slug, the one
    /// that sorts first, as in Zola).
    pub(crate) name: String,
    pub(crate) slug: String,
    pub(crate) path: String,
    pub(crate) permalink: String,
    /// Dated pages newest first (ties by permalink), then undated ones.
    pub(crate) pages: Vec<PageId>,
}

/// `/[LANG/][ROOT/]SLUG/`.
fn taxonomy_path(config: &Config, lang: &str, slug: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if lang != config.default_language {
        parts.push(lang);
    }
    if let Some(root) = config.taxonomy_root.as_deref() {
        let root = root.trim_matches('/');
        if !root.is_empty() {
            parts.push(root);
        }
    }
    parts.push(slug);
    format!("/{}/", parts.join("/"))
}

/// Zola's order for term pages: by date, newest first, ties by permalink;
/// pages without a date after them, in content order.
fn by_date(pages: &[Page], a: PageId, b: PageId) -> Ordering {
    let (pa, pb) = (&pages[a.0], &pages[b.0]);
    match (pa.datetime, pb.datetime) {
        (Some(da), Some(db)) => db.cmp(&da).then_with(|| pa.permalink.cmp(&pb.permalink)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(&b),
    }
}

/// Every declared taxonomy of every language, in config order, with the
/// terms of `pages`. Undeclared taxonomies and empty terms are reported
/// at their front-matter key and left out.
pub(crate) fn collect(pages: &[Page], config: &Config, diags: &Diagnostics) -> Vec<Taxonomy> {
    let mut taxonomies: Vec<Taxonomy> = Vec::new();
    // (language, declared name) -> taxonomy; names sharing a slug share one.
    let mut by_name: HashMap<(&str, &str), usize> = HashMap::new();
    for (lang, options) in &config.languages {
        for kind in &options.taxonomies {
            let slug = slugify_paths(&kind.name, config.slugify.taxonomies);
            let index = match taxonomies
                .iter()
                .position(|t| &t.lang == lang && t.slug == slug)
            {
                Some(i) => i,
                None => {
                    let path = taxonomy_path(config, lang, &slug);
                    taxonomies.push(Taxonomy {
                        kind: kind.clone(),
                        lang: lang.clone(),
                        permalink: config.make_permalink(&path),
                        path,
                        slug,
                        terms: Vec::new(),
                    });
                    taxonomies.len() - 1
                }
            };
            by_name.insert((lang.as_str(), kind.name.as_str()), index);
        }
    }
    let mut found: Vec<IndexMap<&str, Vec<PageId>>> = vec![IndexMap::new(); taxonomies.len()];
    for (i, page) in pages.iter().enumerate() {
        for (name, terms) in &page.meta.taxonomies {
            let Some(&t) = by_name.get(&(page.lang.as_str(), name.as_str())) else {
                diags.push(undeclared(page, name, config));
                continue;
            };
            for (n, term) in terms.iter().enumerate() {
                if term.trim().is_empty() {
                    let at = locate_key(page.front_matter(), &["taxonomies", name, &n.to_string()])
                        .unwrap_or(0);
                    diags.push(
                        Diagnostic::error(
                            "content::empty-taxonomy-term",
                            format!("a term of taxonomy `{name}` is empty"),
                        )
                        .at(&page.source, page.front_matter_offset + at)
                        .with_help("remove the empty string or write the term"),
                    );
                    continue;
                }
                found[t].entry(term.as_str()).or_default().push(PageId(i));
            }
        }
    }
    for (taxonomy, terms) in taxonomies.iter_mut().zip(found) {
        taxonomy.terms = build_terms(taxonomy, terms, pages, config);
    }
    taxonomies
}

/// Terms sorted by slug then name; spellings with one slug merged into the
/// first (Zola's `dedup_by` on the permalink).
fn build_terms(
    taxonomy: &Taxonomy,
    found: IndexMap<&str, Vec<PageId>>,
    pages: &[Page],
    config: &Config,
) -> Vec<Term> {
    let mut terms: Vec<Term> = found
        .into_iter()
        .map(|(name, ids)| {
            let slug = slugify_paths(name, config.slugify.taxonomies);
            let path = format!("{}{}/", taxonomy.path, slug);
            Term {
                name: name.to_string(),
                permalink: config.make_permalink(&path),
                path,
                slug,
                pages: ids,
            }
        })
        .collect();
    // Each spelling's pages are sorted on their own; spellings that share
    // a slug are then joined in name order, as Zola joins them (a page
    // with both spellings is listed twice, as there).
    for term in &mut terms {
        term.pages.sort_by(|a, b| by_date(pages, *a, *b));
    }
    terms.sort_by(|a, b| a.slug.cmp(&b.slug).then_with(|| a.name.cmp(&b.name)));
    let mut merged: Vec<Term> = Vec::with_capacity(terms.len());
    for term in terms {
        match merged.last_mut() {
            Some(last) if last.permalink == term.permalink => last.pages.extend(term.pages),
            _ => merged.push(term),
        }
    }
    merged
}

fn undeclared(page: &Page, name: &str, config: &Config) -> Diagnostic {
    let at = locate_key(page.front_matter(), &["taxonomies", name]).unwrap_or(0);
    let table = if page.lang == config.default_language {
        String::new()
    } else {
        format!(" under [languages.{}]", page.lang)
    };
    Diagnostic::error(
        "content::unknown-taxonomy",
        format!(
            "taxonomy `{name}` is not declared in the config for language `{}`",
            page.lang
        ),
    )
    .at(&page.source, page.front_matter_offset + at)
    .with_help(format!(
        "add `{{ name = \"{name}\" }}` to `taxonomies`{table} in the config, or remove it from the page"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_language_and_taxonomy_root() {
        let config = Config::from_str_for_tests(
            "base_url = \"https://example.org\"\ntaxonomy_root = \"blog\"\n",
        )
        .expect("valid config");
        assert_eq!(taxonomy_path(&config, "en", "tags"), "/blog/tags/");
        assert_eq!(taxonomy_path(&config, "sv", "tags"), "/sv/blog/tags/");
    }
}
