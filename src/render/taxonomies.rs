//! Taxonomy pages as Zola renders them (`components/content/src/
//! taxonomies.rs`, `components/site/src/lib.rs`): the list page from
//! `NAME/list.html` or `taxonomy_list.html`, a page per term from
//! `NAME/single.html` or `taxonomy_single.html` (paginated with the
//! taxonomy's `paginate_by`), and term feeds.
//!
//! The terms themselves come from `content::taxonomy`; this module must
//! not change them.

use super::deps::{self, Read};
use super::feeds::render_feed;
use super::pagination::Paginator;
use super::pass::{insert_owned, Pass};
use super::taxonomy_views::kind_value;
use crate::content::taxonomy::Taxonomy;
use crate::diagnostics::{locate_key, Diagnostic};
use crate::output::OutputSet;
use serde_json::{json, Value};

/// The templates of a taxonomy that is rendered (`render = true` and
/// terms): (list, single). A missing template is reported once, by the
/// list page (`report`).
fn rendered_templates(r: &Pass<'_>, t: usize, report: bool) -> Option<(String, String)> {
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
pub(super) fn render_list(r: &Pass<'_>, t: usize) -> Vec<(String, String)> {
    let Some((list, _)) = rendered_templates(r, t, true) else {
        return Vec::new();
    };
    let taxonomy = &r.input.tree.taxonomies[t];
    deps::note(Read::Taxonomy(t));
    r.with_lists_for(&list, || {
        let terms = r.lookups.taxonomies.terms(&r.lookups.views, t);
        let mut ctx = r.base_context(&taxonomy.lang, &taxonomy.path, &taxonomy.permalink);
        ctx.insert("taxonomy", &kind_value(taxonomy));
        insert_owned(&mut ctx, "terms", Value::Array(terms));
        let what = format!("the taxonomy `{}`", taxonomy.kind.name);
        r.render(&list, &ctx, &what)
            .map(|html| (OutputSet::page_path(&taxonomy.path), html))
            .into_iter()
            .collect()
    })
}

/// A rendered taxonomy's term: its page (or pagers) and feeds.
pub(super) fn render_term_unit(r: &Pass<'_>, t: usize, i: usize) -> Vec<(String, String)> {
    match rendered_templates(r, t, false) {
        Some((_, single)) => {
            let mut out = r.with_lists_for(&single, || render_term(r, t, i, &single));
            out.extend(render_term_feeds(r, t, i));
            out
        }
        None => Vec::new(),
    }
}

/// A term's page (or pagers).
fn render_term(r: &Pass<'_>, t: usize, i: usize, template: &str) -> Vec<(String, String)> {
    let taxonomy = &r.input.tree.taxonomies[t];
    let term = &taxonomy.terms[i];
    let kind = &kind_value(taxonomy);
    let value = r.lookups.taxonomies.term(&r.lookups.views, t, i);
    let what = format!("the term `{}` of `{}`", term.name, taxonomy.kind.name);
    let context = |path: &str, permalink: &str| {
        let mut ctx = r.base_context(&taxonomy.lang, path, permalink);
        ctx.insert("taxonomy", kind);
        ctx.insert("term", &value);
        ctx
    };
    match taxonomy.paginate_by() {
        Some(by) => Paginator::new(
            by,
            (&term.permalink, &term.path),
            &taxonomy.kind.paginate_path,
            &term.pages,
            false,
            r.input.tree,
        )
        .render(r, template, &context, &what),
        None => {
            // One page: the term's value moves into the context instead of
            // being copied (it embeds every page the term lists).
            let mut ctx = r.base_context(&taxonomy.lang, &term.path, &term.permalink);
            ctx.insert("taxonomy", kind);
            insert_owned(&mut ctx, "term", value);
            r.render(template, &ctx, &what)
                .map(|html| (OutputSet::page_path(&term.path), html))
                .into_iter()
                .collect()
        }
    }
}

/// A term's feeds, when its taxonomy has them.
fn render_term_feeds(r: &Pass<'_>, t: usize, i: usize) -> Vec<(String, String)> {
    let taxonomy = &r.input.tree.taxonomies[t];
    let term = &taxonomy.terms[i];
    let kind = &kind_value(taxonomy);
    let what = format!("the term `{}` of `{}`", term.name, taxonomy.kind.name);
    let mut outputs = Vec::new();
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
    r: &Pass<'_>,
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
    let at = locate_name(config.text(), &taxonomy.kind.name);
    d = d.at(config.source(), at);
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

/// Sitemap permalinks of rendered taxonomies: the list, every term and,
/// unless excluded, every term pager.
pub(super) fn sitemap_permalinks(r: &Pass<'_>) -> Vec<String> {
    let tree = r.input.tree;
    let mut out = Vec::new();
    for taxonomy in &tree.taxonomies {
        // Zola lists a rendered taxonomy's list page even without terms
        // (though it writes no page for it).
        if !taxonomy.kind.render {
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
