//! Taxonomy pages as Zola renders them (`components/content/src/
//! taxonomies.rs`, `components/site/src/lib.rs`): the list page from
//! `NAME/list.html` or `taxonomy_list.html`, a page per term from
//! `NAME/single.html` or `taxonomy_single.html` (paginated with the
//! taxonomy's `paginate_by`), term feeds; the template values of
//! taxonomies and terms; and the functions `get_taxonomy`,
//! `get_taxonomy_term` and `get_taxonomy_url`.
//!
//! The terms themselves come from `content::taxonomy`; this module must
//! not change them.

use super::context::Views;
use super::feeds::render_feed;
use super::functions::{Early, Shared};
use super::pages::Renderer;
use super::pagination::Paginator;
use crate::config::{slugify_paths, Config, SlugStrategy};
use crate::content::taxonomy::{Taxonomy, Term};
use crate::diagnostics::{locate_key, Diagnostic, SourceFile};
use crate::output::OutputSet;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use tera::{Function, Result as TeraResult};

/// Template values of every taxonomy and term, built on first use and
/// kept for the build (list pages, term pages and the functions share
/// them).
#[derive(Debug, Default)]
pub(crate) struct TaxonomyViews {
    taxonomies: Vec<Taxonomy>,
    /// Each term with its `pages`.
    terms: Vec<Vec<OnceLock<Value>>>,
    /// Each taxonomy as `get_taxonomy` returns it.
    whole: Vec<OnceLock<Value>>,
}

impl TaxonomyViews {
    /// Views over the taxonomies of the content tree.
    pub(crate) fn new(taxonomies: &[Taxonomy]) -> Self {
        TaxonomyViews {
            terms: taxonomies
                .iter()
                .map(|t| t.terms.iter().map(|_| OnceLock::new()).collect())
                .collect(),
            whole: taxonomies.iter().map(|_| OnceLock::new()).collect(),
            taxonomies: taxonomies.to_vec(),
        }
    }

    /// The taxonomy declared as `kind` for `lang`.
    fn find(&self, kind: &str, lang: &str) -> Option<usize> {
        self.taxonomies
            .iter()
            .position(|t| t.kind.name == kind && t.lang == lang)
    }

    /// A term with its pages (no siblings), as `term` and `terms` give it.
    fn term(&self, views: &Views, t: usize, i: usize) -> &Value {
        super::deps::note(super::deps::Read::Term(t, i));
        self.terms[t][i].get_or_init(|| {
            let term = &self.taxonomies[t].terms[i];
            let pages: Vec<Value> = term
                .pages
                .iter()
                .map(|p| views.page_basic(*p).clone())
                .collect();
            term_value(term, pages)
        })
    }

    /// `{kind, lang, permalink, items}`, as `get_taxonomy` returns it.
    fn taxonomy(&self, views: &Views, t: usize) -> &Value {
        super::deps::note(super::deps::Read::Taxonomy(t));
        self.whole[t].get_or_init(|| {
            let taxonomy = &self.taxonomies[t];
            let items: Vec<Value> = (0..taxonomy.terms.len())
                .map(|i| self.term(views, t, i).clone())
                .collect();
            json!({
                "kind": kind_value(taxonomy),
                "lang": taxonomy.lang,
                "permalink": taxonomy.permalink,
                "items": items,
            })
        })
    }
}

/// The `taxonomy` variable: the config entry, with its slug.
fn kind_value(t: &Taxonomy) -> Value {
    json!({
        "name": t.kind.name,
        "slug": t.slug,
        "paginate_by": t.kind.paginate_by,
        "paginate_path": t.kind.paginate_path,
        "render": t.kind.render,
        "feed": t.kind.feed,
    })
}

fn term_value(term: &Term, pages: Vec<Value>) -> Value {
    json!({
        "name": term.name,
        "slug": term.slug,
        "path": term.path,
        "permalink": term.permalink,
        "pages": pages,
        "page_count": term.pages.len(),
    })
}

/// The templates of a taxonomy that is rendered (`render = true` and
/// terms): (list, single). A missing template is reported once, by the
/// list page (`report`).
fn rendered_templates(r: &Renderer<'_>, t: usize, report: bool) -> Option<(String, String)> {
    let taxonomy = &r.input.tree.taxonomies[t];
    if !taxonomy.kind.render || taxonomy.terms.is_empty() {
        return None;
    }
    Some((
        template(r, taxonomy, "list.html", "taxonomy_list.html", report)?,
        template(r, taxonomy, "single.html", "taxonomy_single.html", report)?,
    ))
}

/// A rendered taxonomy's list page.
pub(super) fn render_list(r: &Renderer<'_>, t: usize) -> Vec<(String, String)> {
    let Some((list, _)) = rendered_templates(r, t, true) else {
        return Vec::new();
    };
    let taxonomy = &r.input.tree.taxonomies[t];
    let tax = r.shared.taxonomies.taxonomy(&r.shared.views, t);
    let kind = &tax["kind"];
    let mut ctx = r.base_context(&taxonomy.lang, &taxonomy.path, &taxonomy.permalink);
    ctx.insert("taxonomy", kind);
    ctx.insert("terms", &tax["items"]);
    let what = format!("the taxonomy `{}`", taxonomy.kind.name);
    r.render(&list, &ctx, &what)
        .map(|html| (OutputSet::page_path(&taxonomy.path), html))
        .into_iter()
        .collect()
}

/// A rendered taxonomy's term: its page (or pagers) and feeds.
pub(super) fn render_term_unit(r: &Renderer<'_>, t: usize, i: usize) -> Vec<(String, String)> {
    match rendered_templates(r, t, false) {
        Some((_, single)) => render_term(r, t, i, &single),
        None => Vec::new(),
    }
}

/// A term's page (or pagers) and feeds.
fn render_term(r: &Renderer<'_>, t: usize, i: usize, template: &str) -> Vec<(String, String)> {
    let taxonomy = &r.input.tree.taxonomies[t];
    let term = &taxonomy.terms[i];
    let views = &r.shared.views;
    let tax = r.shared.taxonomies.taxonomy(views, t);
    let kind = &tax["kind"];
    let value = r.shared.taxonomies.term(views, t, i);
    let what = format!("the term `{}` of `{}`", term.name, taxonomy.kind.name);
    let context = |path: &str, permalink: &str| {
        let mut ctx = r.base_context(&taxonomy.lang, path, permalink);
        ctx.insert("taxonomy", kind);
        ctx.insert("term", value);
        ctx
    };
    let mut outputs = match taxonomy.paginate_by() {
        Some(by) => Paginator::new(
            by,
            (&term.permalink, &term.path),
            &taxonomy.kind.paginate_path,
            &term.pages,
            false,
            r.input.tree,
        )
        .render(r, template, &context, &what),
        None => r
            .render(template, &context(&term.path, &term.permalink), &what)
            .map(|html| (OutputSet::page_path(&term.path), html))
            .into_iter()
            .collect(),
    };
    if taxonomy.kind.feed {
        // Feeds see the term without its pages (Zola's feed term).
        let short = json!({"name": term.name, "slug": term.slug, "permalink": term.permalink});
        let insert = |ctx: &mut tera::Context| {
            ctx.insert("taxonomy", kind);
            ctx.insert("term", &short);
        };
        let base = term.path.trim_start_matches('/');
        outputs.extend(render_feed(
            r,
            &taxonomy.lang,
            &term.pages,
            base,
            &insert,
            &what,
        ));
    }
    outputs
}

/// `NAME/<specific>` if the site or theme has it, else the generic
/// template; neither is an error located at the taxonomy in the config.
fn template(
    r: &Renderer<'_>,
    taxonomy: &Taxonomy,
    specific: &str,
    generic: &str,
    report: bool,
) -> Option<String> {
    let own = format!("{}/{specific}", taxonomy.kind.name);
    if r.has_template(&own) {
        return Some(own);
    }
    if r.has_template(generic) {
        return Some(generic.to_string());
    }
    if !report {
        return None;
    }
    let config = r.input.config;
    let mut d = Diagnostic::error(
        "template::not-found",
        format!(
            "taxonomy `{}` has terms but neither `{own}` nor `{generic}` exists",
            taxonomy.kind.name
        ),
    )
    .with_help(format!(
        "create templates/{generic} (or templates/{own}), or set `render = false` on the taxonomy"
    ));
    let display = config
        .config_path
        .strip_prefix(&config.root)
        .unwrap_or(&config.config_path)
        .to_path_buf();
    // Only read again to point at the taxonomy; a failure keeps the file name.
    match std::fs::read_to_string(&config.config_path) {
        Ok(text) => {
            let at = locate_name(&text, &taxonomy.kind.name);
            d = d.at(&SourceFile::new(&display, &text), at);
        }
        Err(_) => d = d.in_file(display),
    }
    r.diags.push(d);
    None
}

/// Where `name = "NAME"` of a taxonomy sits in the config text.
fn locate_name(text: &str, name: &str) -> usize {
    [format!("\"{name}\""), format!("'{name}'")]
        .iter()
        .filter_map(|quoted| text.find(quoted.as_str()))
        .min()
        .or_else(|| locate_key(text, &["taxonomies"]))
        .unwrap_or(0)
}

/// Sitemap permalinks of rendered taxonomies with terms: the list, every
/// term and, unless excluded, every term pager.
pub(super) fn sitemap_permalinks(r: &Renderer<'_>) -> Vec<String> {
    let tree = r.input.tree;
    let mut out = Vec::new();
    for taxonomy in &tree.taxonomies {
        if !taxonomy.kind.render || taxonomy.terms.is_empty() {
            continue;
        }
        out.push(taxonomy.permalink.clone());
        for term in &taxonomy.terms {
            out.push(term.permalink.clone());
            if let (Some(by), false) = (
                taxonomy.paginate_by(),
                r.input.config.exclude_paginated_pages_in_sitemap,
            ) {
                let paginator = Paginator::new(
                    by,
                    (&term.permalink, &term.path),
                    &taxonomy.kind.paginate_path,
                    &term.pages,
                    false,
                    tree,
                );
                out.extend(paginator.sitemap_permalinks());
            }
        }
    }
    out
}

fn string_arg(args: &HashMap<String, Value>, name: &str, func: &str) -> TeraResult<Option<String>> {
    match args.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => {
            Err(format!("`{func}`: argument `{name}` must be a string, got {other}").into())
        }
    }
}

fn required_string(args: &HashMap<String, Value>, name: &str, func: &str) -> TeraResult<String> {
    string_arg(args, name, func)?
        .ok_or_else(|| format!("`{func}` requires a `{name}` argument with a string value").into())
}

fn bool_arg(
    args: &HashMap<String, Value>,
    name: &str,
    func: &str,
    default: bool,
) -> TeraResult<bool> {
    match args.get(name) {
        None => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(format!(
            "`{func}`: argument `{name}` must be a boolean (true or false), got {other}"
        )
        .into()),
    }
}

/// Term permalinks by (taxonomy name, language) and term slug, for
/// `get_taxonomy_url`, which Zola registers before Markdown is rendered
/// (so shortcodes can call it).
#[derive(Debug)]
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
}

/// `get_taxonomy_url(kind, name, lang?, required=true)`: the permalink of
/// a term given as written (it is slugified for the lookup). With
/// `required = false` an unknown taxonomy gives null; an unknown term is
/// always an error, as in Zola.
pub(crate) struct GetTaxonomyUrl(pub(crate) Arc<Early>);

impl Function for GetTaxonomyUrl {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        const F: &str = "get_taxonomy_url";
        let urls = &self.0.taxonomy_urls;
        let kind = required_string(args, "kind", F)?;
        let name = required_string(args, "name", F)?;
        let lang = string_arg(args, "lang", F)?.unwrap_or_else(|| urls.default_language.clone());
        let required = bool_arg(args, "required", F, true)?;
        let Some(terms) = urls.urls.get(&(kind.clone(), lang)) else {
            return if required {
                Err(format!("`{F}` received an unknown taxonomy as kind: {kind}").into())
            } else {
                Ok(Value::Null)
            };
        };
        let slug = slugify_paths(&name, urls.slugify);
        match terms.get(&slug) {
            Some(permalink) => Ok(Value::String(permalink.clone())),
            None => Err(format!("`{F}`: couldn't find `{name}` in `{kind}` taxonomy").into()),
        }
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `get_taxonomy(kind, lang?, required=true)`: `{kind, items, lang,
/// permalink}`, each item a term with its pages.
pub(crate) struct GetTaxonomy(pub(crate) Arc<Shared>);

impl Function for GetTaxonomy {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        const F: &str = "get_taxonomy";
        let s = &self.0;
        let kind = required_string(args, "kind", F)?;
        let required = bool_arg(args, "required", F, true)?;
        let lang =
            string_arg(args, "lang", F)?.unwrap_or_else(|| s.early.config.default_language.clone());
        match s.taxonomies.find(&kind, &lang) {
            Some(t) => Ok(s.taxonomies.taxonomy(&s.views, t).clone()),
            None if required => {
                Err(format!("`{F}` received an unknown taxonomy as kind: {kind}").into())
            }
            None => Ok(Value::Null),
        }
    }
}

/// `get_taxonomy_term(kind, term, lang?, include_pages=true,
/// required=true)`: one term by its name as written; `page_count` is
/// right without the pages too.
pub(crate) struct GetTaxonomyTerm(pub(crate) Arc<Shared>);

impl Function for GetTaxonomyTerm {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        const F: &str = "get_taxonomy_term";
        let s = &self.0;
        let kind = required_string(args, "kind", F)?;
        let name = required_string(args, "term", F)?;
        let include_pages = bool_arg(args, "include_pages", F, true)?;
        let required = bool_arg(args, "required", F, true)?;
        let lang =
            string_arg(args, "lang", F)?.unwrap_or_else(|| s.early.config.default_language.clone());
        let Some(t) = s.taxonomies.find(&kind, &lang) else {
            return if required {
                Err(format!("`{F}` received an unknown taxonomy as kind: {kind}").into())
            } else {
                Ok(Value::Null)
            };
        };
        let terms = &s.taxonomies.taxonomies[t].terms;
        let Some(i) = terms.iter().position(|x| x.name == name) else {
            return if required {
                Err(format!("`{F}` received an unknown term: {name}").into())
            } else {
                Ok(Value::Null)
            };
        };
        if include_pages {
            Ok(s.taxonomies.term(&s.views, t, i).clone())
        } else {
            Ok(term_value(&terms[i], Vec::new()))
        }
    }
}
