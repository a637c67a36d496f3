//! The glossary: one content page (`[handbook] glossary`, default
//! `ordlista.md`, or else the page with `extra.glossary = true`) holding
//! `[[extra.terms]]` with `term`, `expansion`, `definition` and an optional
//! `role`. Terms are sorted in Swedish order and get the anchor
//! `term-{slug}` on the glossary page. Available before Markdown rendering
//! so that the Markdown stage can mark first uses as `<abbr>`.
//!
//! Must not mark anything in pages itself (that is the Markdown stage).

use super::extract::Fields;
use super::locate::Spot;
use super::model::Term;
use super::resolve::Resolver;
use super::rules::{uniqueness::first_seen, Reporter, DUPLICATE_TERM, INVALID_FIELD};
use super::settings::Settings;
use super::swedish_cmp;
use crate::content::front_matter::table_to_json;
use crate::content::{ContentTree, Item, PageId};

/// The glossary page, if the site has one.
pub(crate) fn page(tree: &ContentTree, settings: &Settings, lang: &str) -> Option<PageId> {
    if let Some(Item::Page(id)) = tree.get(&settings.glossary) {
        return Some(id);
    }
    tree.page_ids().find(|id| {
        let p = tree.page(*id);
        p.lang == lang && p.meta.extra.get("glossary").and_then(|v| v.as_bool()) == Some(true)
    })
}

/// Reads the terms of the glossary page, sorted in Swedish order. With a
/// resolver, roles are checked and problems reported; without, the terms
/// are read as they are (for the Markdown stage, before validation).
pub(crate) fn terms(
    tree: &ContentTree,
    id: PageId,
    resolver: Option<&Resolver<'_>>,
    reporter: Reporter<'_>,
) -> Vec<Term> {
    let page = tree.page(id);
    let spot = Spot::front_matter(page);
    let extra = table_to_json(&page.meta.extra);
    let map = extra.as_object().cloned().unwrap_or_default();
    let fields = Fields::new(&map, &spot, &["extra"], reporter);
    let rows = fields.tables("terms");
    let mut read: Vec<(Term, usize)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let Some(term) = row.nonblank("term") else {
            if resolver.is_some() {
                row.report(
                    INVALID_FIELD,
                    &["term"],
                    "a glossary entry has no `term`",
                    Some("write e.g. `term = \"ISAM\"`".into()),
                );
            }
            continue;
        };
        let role = row.nonblank("role").and_then(|r| match resolver {
            Some(res) => res.role_at(row, &["role"], &r),
            None => Some(r),
        });
        let anchor = format!("term-{}", slug::slugify(&term));
        read.push((
            Term {
                permalink: format!("{}#{anchor}", page.permalink),
                anchor,
                expansion: row.nonblank("expansion").unwrap_or_default(),
                definition: row.nonblank("definition").unwrap_or_default(),
                role,
                term,
            },
            i,
        ));
    }
    let keyed: Vec<(String, usize)> = read
        .iter()
        .map(|(t, i)| (t.term.to_lowercase(), *i))
        .collect();
    let firsts = first_seen(&keyed);
    let mut terms = Vec::new();
    for ((term, i), first) in read.into_iter().zip(firsts) {
        match first {
            None => terms.push(term),
            Some(first) if resolver.is_some() => {
                let index = i.to_string();
                fields.warn(
                    DUPLICATE_TERM,
                    &["terms", &index, "term"],
                    format!(
                        "the term `{}` is already defined at {}",
                        term.term,
                        fields.describe(&["terms", &first.to_string(), "term"])
                    ),
                    Some("merge the two entries; the first one is used".into()),
                );
            }
            Some(_) => {}
        }
    }
    terms.sort_by(|a, b| swedish_cmp(&a.term, &b.term));
    terms
}
