//! The handbook's own search: a pagefind index of the published pages,
//! written into the site under `pagefind/` with pagefind's browser runtime
//! (`pagefind.js`, its worker and WebAssembly), so that search works offline
//! on an intranet. On only when `[handbook.search]` says `enabled = true`;
//! a plain Zola site's output never changes.
//!
//! Each page goes to the indexer as a small HTML document made for it
//! (`record.rs`): the rendered body plus the governance facts as filters and
//! metadata and index-only Swedish help (`swedish.rs`). pagefind stems
//! Swedish itself (Snowball) from the record's `lang`.
//!
//! Neighbours: runs after `render` (bodies are passed in) and adds files to
//! the [`OutputSet`]. Must not index what the build's audience may not read:
//! the tree holds only that audience's content, and drafts are left out
//! even in a `--drafts` build, as are pages and sections with
//! `in_search_index = false`.

mod driver;
mod record;
mod swedish;

use super::SearchInput;
use crate::content::{ContentTree, PageId};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::governance::Model;
use crate::output::OutputSet;
use rayon::prelude::*;
use record::{Record, Standing};
use swedish::{Lexicon, Synonym, Synonyms};

/// The folder of the index inside the site; the theme's script loads
/// `pagefind/pagefind.js` from the site's base path.
pub(crate) const BUNDLE_DIR: &str = "pagefind";

/// How many records are made at once for the indexer.
const RECORD_BATCH: usize = 64;

/// Builds the index and adds its files when the handbook turns search on.
/// A failure of the indexer is an error diagnostic, located in the config.
pub(crate) fn write_index(
    input: &SearchInput<'_>,
    model: &Model,
    diags: &Diagnostics,
    out: &mut OutputSet,
) {
    if model.settings.search_page.is_none() {
        return;
    }
    let start = std::time::Instant::now();
    let items = indexed_items(input);
    let lexicon = lexicon(&items, model);
    let synonyms = Synonyms::new(
        model
            .glossary
            .iter()
            .map(|t| Synonym {
                abbreviation: t.term.clone(),
                expansion: t.expansion.clone(),
            })
            .collect(),
    );
    // Records are made a batch at a time, in parallel, as the indexer
    // takes them.
    let html = items.chunks(RECORD_BATCH).flat_map(|batch| {
        batch
            .par_iter()
            .map(|item| {
                let record = record_of(item, model, &lexicon, &synonyms);
                (item.url.to_string(), record.to_html())
            })
            .collect::<Vec<_>>()
    });
    let indexed = driver::index(html);
    tracing::debug!(total = ?start.elapsed(), pages = items.len(), "pagefind index built");
    match indexed {
        Ok(files) => {
            for (path, bytes) in files {
                out.bytes(format!("{BUNDLE_DIR}/{path}"), &bytes);
            }
        }
        Err(message) => {
            let d = Diagnostic::error(
                "search::pagefind",
                format!("the search index could not be built: {message}"),
            )
            .with_help("turn `[handbook.search] enabled` off to build without search");
            diags.push(input.config.at_key(d, &["handbook", "search"]));
        }
    }
}

/// A page or section that goes into the index.
struct Item<'a> {
    /// Site-relative URL path (`/styrdokument/a/`).
    url: &'a str,
    lang: &'a str,
    title: &'a str,
    description: &'a str,
    body: &'a str,
    /// The page, for its governance facts (sections have none).
    page: Option<PageId>,
}

/// Every published page and section the index may hold: rendered, not a
/// draft, not opted out with `in_search_index = false`, not a redirect.
fn indexed_items<'a>(input: &SearchInput<'a>) -> Vec<Item<'a>> {
    let tree: &'a ContentTree = input.tree;
    let mut items = Vec::new();
    for id in tree.section_ids() {
        let s = tree.section(id);
        if s.synthetic || !s.meta.render || !s.meta.in_search_index || s.meta.redirect_to.is_some()
        {
            continue;
        }
        let Some(body) = (input.section_html)(id) else {
            continue;
        };
        items.push(Item {
            url: &s.path,
            lang: &s.lang,
            title: s.meta.title.as_deref().unwrap_or_default(),
            description: s.meta.description.as_deref().unwrap_or_default(),
            body,
            page: None,
        });
    }
    for id in tree.rendered_pages() {
        let p = tree.page(id);
        let section_hides = p
            .parent_section
            .is_some_and(|s| !tree.section(s).meta.in_search_index);
        if p.meta.draft || !p.meta.in_search_index || section_hides {
            continue;
        }
        let Some(body) = (input.page_html)(id) else {
            continue;
        };
        items.push(Item {
            url: &p.path,
            lang: &p.lang,
            title: p.meta.title.as_deref().unwrap_or_default(),
            description: p.meta.description.as_deref().unwrap_or_default(),
            body,
            page: Some(id),
        });
    }
    items
}

/// The words known to stand alone anywhere in the indexed text and the
/// glossary: what tells a compound's split points.
fn lexicon(items: &[Item<'_>], model: &Model) -> Lexicon {
    let mut lexicon = items
        .par_iter()
        .map(|item| {
            let mut l = Lexicon::default();
            l.add_text(item.title);
            l.add_text(item.description);
            l.add_text(&strip_tags(item.body));
            l
        })
        .reduce(Lexicon::default, |mut a, b| {
            a.merge(b);
            a
        });
    for term in &model.glossary {
        lexicon.add_text(&term.expansion);
        lexicon.add_text(&term.definition);
    }
    lexicon
}

/// The record of one item, with its governance facts and index-only words.
fn record_of<'a>(
    item: &Item<'a>,
    model: &'a Model,
    lexicon: &Lexicon,
    synonyms: &Synonyms,
) -> Record<'a> {
    let doc = item.page.and_then(|p| model.document(p));
    let mut title_words = Vec::new();
    for word in swedish::words(item.title) {
        for part in lexicon.parts(word) {
            if !title_words.contains(&part) {
                title_words.push(part);
            }
        }
    }
    let mut scanned = String::with_capacity(item.title.len() + item.body.len() + 1);
    scanned.push_str(item.title);
    scanned.push(' ');
    scanned.push_str(item.body);
    // The counterparts only, not their compound parts: a part on every
    // page that names ISAM would make `samordnare` a common word, and
    // pagefind ranks a common word low everywhere, the ISAM page included.
    let related_words: Vec<String> = synonyms
        .counterparts(&scanned)
        .into_iter()
        .map(str::to_string)
        .collect();
    Record {
        lang: item.lang,
        title: item.title,
        description: item.description,
        body: item.body,
        kind: doc.map(|d| d.kind.as_str()),
        doc_id: doc.and_then(|d| d.doc_id.as_deref()),
        status: doc.and_then(|d| d.status.as_deref()),
        roles: item.page.map(|p| roles_of(model, p)).unwrap_or_default(),
        standing: item.page.map_or(Standing::Current, |p| standing(model, p)),
        title_words,
        related_words,
    }
}

/// The owner, the roles of `responsibilities` and of inline duties, each
/// once, in that order.
fn roles_of(model: &Model, page: PageId) -> Vec<&str> {
    fn add<'a>(roles: &mut Vec<&'a str>, role: &'a str) {
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    let mut roles: Vec<&str> = Vec::new();
    if let Some(doc) = model.document(page) {
        if let Some(owner) = &doc.owner {
            add(&mut roles, owner);
        }
        for r in doc
            .responsibilities
            .iter()
            .filter_map(|r| r.role.as_deref())
        {
            add(&mut roles, r);
        }
    }
    for &i in model.links.duties_on.get(&page).into_iter().flatten() {
        if let Some(role) = model.duties.get(i).and_then(|d| d.role.as_deref()) {
            add(&mut roles, role);
        }
    }
    roles
}

/// Superseded when another document says it supersedes this one, else
/// repealed by its status (the last of the configured life cycle, by
/// default `upphävd`).
fn standing(model: &Model, page: PageId) -> Standing {
    let Some(doc) = model.document(page) else {
        return Standing::Current;
    };
    let superseded = model
        .links
        .superseded_by
        .get(&page)
        .is_some_and(|by| !by.is_empty());
    let repealed = model.settings.statuses.last();
    if superseded {
        Standing::Superseded
    } else if doc.status.is_some() && doc.status.as_ref() == repealed {
        Standing::Repealed
    } else {
        Standing::Current
    }
}

/// The text of HTML, tags dropped (entities are left: they are rare in
/// words and the lexicon only needs words).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::strip_tags;

    #[test]
    fn tags_are_dropped_and_separate_words() {
        assert_eq!(
            strip_tags("<p>Rapportera<br>incidenter</p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["Rapportera", "incidenter"]
        );
    }
}
