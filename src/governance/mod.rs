//! The governance model: what makes handbok a governance handbook rather
//! than a Zola clone. From front matter `[extra]`, inline `ansvar`
//! shortcodes, the glossary page and the yearly reviews' data files it
//! builds typed roles, governing documents, duties, reviews and terms;
//! checks them with coded, located diagnostics (see `rules/mod.rs` for the
//! catalogue); and offers them to templates as JSON (`page_value`,
//! `site_value`) plus the pages it generates and the `handbok check` lines.
//!
//! Owns `[handbook]` settings and everything under `extra` that GOVERNANCE.md
//! defines. Must not parse Markdown (it only finds shortcode calls), run
//! git (history facts are passed in), use Tera, or read the clock ("today"
//! is [`GovOptions::today`]). Neighbours: after `content::load` (and
//! `history`), before `render`; the glossary is read earlier, for the
//! Markdown stage.
//!
//! Files: `settings.rs` (`[handbook]`), `extract.rs` (typed fields),
//! `locate.rs` (positions), `resolve.rs` (role and document references),
//! `roles.rs`, `documents.rs`, `duties.rs`, `review.rs`, `glossary.rs`,
//! `dates.rs`, `collate.rs` (Swedish order), `rules/` (the checks),
//! `model.rs` (the types), `view.rs`, `matrix.rs` and `site.rs` (JSON).

mod audience;
mod confidentiality;
mod dates;
mod documents;
mod duties;
mod extract;
mod glossary;
mod locate;
mod matrix;
mod model;
mod resolve;
mod review;
mod roles;
mod rules;
mod settings;
mod site;
mod view;

#[cfg(test)]
mod tests;

pub(crate) use crate::config::swedish_cmp;
pub(crate) use audience::AudienceFilter;
pub(crate) use confidentiality::review as review_confidentiality;
pub(crate) use model::Model;
pub(crate) use settings::Settings;
pub(crate) use site::GeneratedPage;

use crate::config::Config;
use crate::content::{ContentTree, PageId};
use crate::diagnostics::Diagnostics;
use crate::history::History;
use chrono::NaiveDate;
use model::PageInfo;
use resolve::Resolver;
use rules::{uniqueness, Reporter};
use std::collections::BTreeMap;

/// What a governance build needs besides config and content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GovOptions {
    /// The date reviews are judged against (a build option, never the clock).
    pub(crate) today: NaiveDate,
}

/// Builds the model; every content problem goes to `diags` with its code,
/// file, line and column. The history gives each document its last
/// meaningful change (`document.last_changed`, the theme's "Senast
/// ändrat").
pub(crate) fn build(
    config: &Config,
    settings: &Settings,
    tree: &ContentTree,
    history: &History,
    options: &GovOptions,
    diags: &Diagnostics,
) -> Model {
    let settings = settings.clone();
    let reporter = Reporter::new(diags, &settings);
    let lang = config.default_language.as_str();

    let role_pages = roles::role_pages(tree, &settings, lang);
    uniqueness::role_ids(tree, &role_pages, reporter);
    let ids = documents::doc_ids(tree, lang);
    uniqueness::doc_ids(tree, &ids, reporter);
    let role_ids = role_pages.iter().map(|(_, id)| id.clone()).collect();
    let resolver = Resolver::new(tree, role_ids, documents::doc_id_index(&ids))
        .with_withheld_roles(tree.withheld.role_ids.clone());

    let roles = roles::extract(tree, &role_pages, &resolver, reporter);
    let cx = documents::Context {
        lang,
        settings: &settings,
        resolver: &resolver,
        reporter,
        today: options.today,
    };
    let (mut docs, check) = documents::extract(tree, &cx);
    for doc in &mut docs {
        let file = std::path::Path::new("content").join(&tree.page(doc.page).file.relative);
        doc.last_changed = history.last_meaningful(&file).map(|c| c.date.date_naive());
    }
    // A site with no governing documents and no roles is a plain Zola
    // site: its own `ansvar` shortcode, if it has one, is none of ours.
    let handbook = !docs.is_empty() || !roles.is_empty();
    // Page by page in parallel, kept in page order.
    let duties = {
        use rayon::prelude::*;
        tree.page_ids()
            .filter(|id| handbook && tree.page(*id).lang == lang)
            .collect::<Vec<_>>()
            .into_par_iter()
            .flat_map_iter(|id| duties::extract(id, tree.page(id), &resolver, reporter))
            .collect()
    };
    let mut reviews: Vec<model::Review> = docs
        .iter()
        .filter(|d| d.kind == review::REVIEW_KIND)
        .filter_map(|d| review::load(d.page, tree.page(d.page), &resolver, reporter))
        .collect();
    reviews.sort_by(|a, b| {
        (a.year, &tree.page(a.page).file.relative).cmp(&(b.year, &tree.page(b.page).file.relative))
    });
    let glossary_page = glossary::page(tree, &settings, lang);
    let glossary = glossary_page
        .map(|id| glossary::terms(tree, id, Some(&resolver), reporter))
        .unwrap_or_default();

    Model::assemble(model::Parts {
        settings,
        today: options.today,
        pages: page_infos(tree, &docs),
        roles,
        documents: docs,
        duties,
        reviews,
        glossary,
        glossary_page,
        check,
    })
}

/// Title, permalink and doc_id of every page, by id.
fn page_infos(tree: &ContentTree, docs: &[model::Document]) -> Vec<PageInfo> {
    let doc_ids: BTreeMap<PageId, &str> = docs
        .iter()
        .filter_map(|d| Some((d.page, d.doc_id.as_deref()?)))
        .collect();
    tree.page_ids()
        .map(|id| {
            let p = tree.page(id);
            PageInfo {
                title: p
                    .meta
                    .title
                    .clone()
                    .unwrap_or_else(|| p.file.relative.clone()),
                permalink: p.permalink.clone(),
                doc_id: doc_ids.get(&id).map(|s| s.to_string()),
                description: p.meta.description.clone(),
            }
        })
        .collect()
}

impl Model {
    /// Per-page template data, `None` for pages governance knows nothing
    /// about. Shape:
    ///
    /// ```text
    /// { document: {doc_id, title, permalink, kind, version, status,
    ///              owner: role|null, approved_by: role|{name}|null,
    ///              approved, valid_from, valid_to, review_interval,
    ///              last_reviewed, next_review, review_state, days_until_review,
    ///              audience: [..], example, is_example,
    ///              classification: {k|r|t|s|max: {level, name, aspect}}|null,
    ///              related, supersedes, superseded_by: [doc],
    ///              responsibilities: [{role, duty}], changes (newest first):
    ///              [{version, date, summary, approved_by, kind}], retention,
    ///              last_changed} | null,
    ///   role: {id, name, abbreviation, description, permalink, reports_to,
    ///          reports, owns, approves, documents: [doc + {owns, approves}],
    ///          responsibilities: [{document, duty}],
    ///          duties: [{page, title, permalink, anchor, text}],
    ///          activities, other_activities, events: [item],
    ///          required_reading: [doc], glossary: [{term, expansion, permalink}]} | null,
    ///   duties: [{role, anchor, permalink, text}],      // written on this page
    ///   activities: [item], events: [item],             // that concern this page
    ///   backlinks: [{title, permalink, via: related|supersedes|activity, items?}],
    ///   review: {…data file…, activities/events/other_activities rows with
    ///            anchor, permalink, roles: [role], documents: [doc],
    ///            roles_written, documents_written; training rows with
    ///            percent {part: 7.66} and parts_sum; review: {…}} | null }
    /// role = {id, name, abbreviation, permalink}
    /// doc  = {title, permalink, doc_id, kind, status, version}
    /// item = {review: {title, permalink, doc_id, year}, key, period, id,
    ///         group, title, anchor, permalink, roles: [role], documents: [doc]}
    /// ```
    pub(crate) fn page_value(&self, id: PageId) -> Option<serde_json::Value> {
        view::page_value(self, id)
    }

    /// The pages whose [`Model::page_value`] may differ between `old` and
    /// this model when only the `edited` pages changed: a partial rebuild
    /// compares the values of these alone instead of making every page's
    /// value twice. A page's value shows, besides its own front matter and
    /// duties, only the titles and ids of the documents it names or is
    /// named by (`related`, `supersedes`), of role pages (which list
    /// documents) and of review pages and the pages their rows are about;
    /// so those, in either model, are the candidates. When an edited page
    /// is a role, the glossary or a page outside either model, every page
    /// is a candidate. A superset, never less.
    pub(crate) fn pages_whose_data_may_differ(
        &self,
        old: &Model,
        edited: &[PageId],
    ) -> std::collections::BTreeSet<PageId> {
        let every = || (0..self.pages.len()).map(PageId).collect();
        let mut out = std::collections::BTreeSet::new();
        for model in [old, self] {
            for &page in edited {
                if page.0 >= model.pages.len()
                    || model.role_of_page(page).is_some()
                    || model.glossary_page == Some(page)
                {
                    return every();
                }
                out.insert(page);
                if let Some(doc) = model.document(page) {
                    out.extend(doc.related.iter().chain(&doc.supersedes));
                }
                for named_by in [&model.links.related_from, &model.links.superseded_by] {
                    out.extend(named_by.get(&page).into_iter().flatten());
                }
            }
            out.extend(model.roles.iter().map(|r| r.page));
            out.extend(model.reviews.iter().map(|r| r.page));
            out.extend(model.links.rows_about.keys());
        }
        out
    }

    /// True if changing this page's body from `old` to `new` (front
    /// matter unchanged) leaves the model as it is: the page is not the
    /// glossary or a review (whose bodies are data), and its `ansvar` calls
    /// say the same (where they are may change; what they say may not).
    /// `serve` then keeps the model instead of building it again.
    pub(crate) fn body_edit_is_neutral(&self, id: PageId, old: &str, new: &str) -> bool {
        if self.glossary_page == Some(id)
            || self
                .document(id)
                .is_some_and(|d| d.kind == review::REVIEW_KIND)
        {
            return false;
        }
        let said = |body: &str| -> Vec<(usize, Option<String>, Option<String>, bool)> {
            duties::scan(body)
                .into_iter()
                .map(|c| (c.nth, c.role.map(|r| r.0), c.body, c.closed))
                .collect()
        };
        said(old) == said(new)
    }

    /// Site-wide template data:
    ///
    /// ```text
    /// { roles: [{id, name, abbreviation, description, permalink, reports_to,
    ///            required_reading: [doc]}],
    ///   register: [{doc_id, title, permalink, kind, version, status, owner,
    ///               approved, valid_from, valid_to, last_reviewed, next_review,
    ///               review_state, days_until_review, audience, example}],
    ///   matrix: {roles: [role], rows: [{document: doc, cells: [null |
    ///            {role, labels: ["äger", "fastställer", "ansvarar", "läser"],
    ///             owner, approves, reads, duties: [{text, permalink}]}]}]},
    ///   review_status: {today, due_soon_days, overdue, due_soon, ok, none: [register entry]},
    ///   glossary: [{term, expansion, definition, anchor, permalink, role}],
    ///   glossary_page: permalink | null,
    ///   activities: [{key, title, recurring, periods, roles, documents,
    ///                 occurrences: [item]}],
    ///   reviews: [{title, permalink, doc_id, year}],
    ///   today: "YYYY-MM-DD" (as review_status.today),
    ///   kinds, statuses, audiences: [..], pages: {register: "/dokumentregister/", …} }
    /// ```
    ///
    /// Roles, documents and the glossary are in Swedish order. Made on the
    /// calling thread alone: a caller may hold a lock that render threads
    /// wait on, and a thread waiting in rayon may pick up one of those.
    pub(crate) fn site_value(&self) -> serde_json::Value {
        site::site_value_with(self, &|_| true, &site::Shown::all(), false)
    }

    /// [`Model::site_value`] with only the parts `wanted` names, the
    /// others `null`, and of the register entries and review-status
    /// groups only the fields `shown` names; the large parts made in
    /// parallel.
    pub(crate) fn site_value_with(
        &self,
        wanted: &(dyn Fn(&str) -> bool + Sync),
        shown: &(dyn Fn(&str) -> bool + Sync),
    ) -> serde_json::Value {
        site::site_value_with(self, wanted, &site::Shown::named(shown), true)
    }

    /// True when `other` has everything [`Model::site_value`] is made from
    /// as this model has it, settings aside (a partial rebuild makes its
    /// model with the last one's settings): then the two values are
    /// equal, and telling so costs no value made. A difference may not
    /// show in the value (a page's title that no register lists): the
    /// answer errs towards "changed", never the other way.
    pub(crate) fn same_site_inputs(&self, other: &Model) -> bool {
        self.today == other.today
            && self.pages == other.pages
            && self.roles == other.roles
            && self.documents == other.documents
            && self.duties == other.duties
            && self.reviews == other.reviews
            && self.glossary == other.glossary
            && self.glossary_page == other.glossary_page
    }

    /// The register entry of the document at `page` (as in
    /// `site_value().register`), or `None` when the page is no document.
    pub(crate) fn register_entry(&self, page: PageId) -> Option<serde_json::Value> {
        self.document(page)
            .map(|d| site::register_entry(self, d, &site::Shown::all()))
    }

    /// The pages handbok generates (register, matrix, review status,
    /// activities), paths from `[handbook.pages]`.
    pub(crate) fn generated_pages(&self) -> Vec<GeneratedPage> {
        if !self.is_active() {
            return vec![];
        }
        site::generated_pages(self)
    }

    /// True when the site is a governance handbook (it has governing
    /// documents or roles): only then does handbok add its own pages, so a
    /// plain Zola site keeps exactly Zola's output paths.
    pub(crate) fn is_active(&self) -> bool {
        !self.documents.is_empty() || !self.roles.is_empty()
    }

    /// Overdue, due-soon and missing-owner lines for `handbok check`,
    /// grouped by file (overdue ones are also diagnostics).
    pub(crate) fn check_report(&self) -> String {
        site::render_check_report(self)
    }
}
