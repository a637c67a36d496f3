//! The typed governance model: roles, governing documents, inline duties,
//! yearly reviews and glossary terms, with references already resolved to
//! role ids and page ids. Built once per build by `mod.rs`, read by the
//! JSON views (`view.rs`, `site.rs`) and by `check`.
//!
//! Plain data; must not read files, report problems or know templates.

use super::dates::IsoDuration;
use super::settings::Settings;
use super::swedish_cmp;
use crate::content::PageId;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// What templates need of any page the model refers to.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PageInfo {
    /// Title (or the relative path when untitled).
    pub(crate) title: String,
    /// Absolute permalink.
    pub(crate) permalink: String,
    /// The page's `doc_id`, when it is a document with one.
    pub(crate) doc_id: Option<String>,
    /// The page's `description`.
    pub(crate) description: Option<String>,
}

/// A role: one page in the roles section.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Role {
    /// `role_id`, or the file stem.
    pub(crate) id: String,
    /// The role page.
    pub(crate) page: PageId,
    /// The page title.
    pub(crate) name: String,
    /// `abbreviation` (`ISAM`).
    pub(crate) abbreviation: Option<String>,
    /// The page's `description`.
    pub(crate) description: Option<String>,
    /// `reports_to`, when it names a known role.
    pub(crate) reports_to: Option<String>,
    /// `required_reading`, resolved.
    pub(crate) required_reading: Vec<PageId>,
}

/// `approved_by`: a role, or a person's name kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Approver {
    /// A known role id.
    Role(String),
    /// Free text (a name or body that is not a role).
    Name(String),
}

/// One entry of a document's formal change log.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Change {
    /// Version label.
    pub(crate) version: Option<String>,
    /// When the change was decided.
    pub(crate) date: Option<NaiveDate>,
    /// What changed.
    pub(crate) summary: Option<String>,
    /// Who approved it.
    pub(crate) approved_by: Option<Approver>,
    /// `major`, `minor` or `granskad`.
    pub(crate) kind: Option<String>,
    /// Position in the file (0-based), for locating and tie-breaking.
    pub(crate) index: usize,
}

/// One `{ role, duty }` of a document's `responsibilities`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Responsibility {
    /// The role, when known.
    pub(crate) role: Option<String>,
    /// The duty text.
    pub(crate) duty: String,
}

/// A KLASSA consequence level per aspect (k, r, t and optionally s).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Classification {
    /// `(aspect letter, level 0–4)` in the order k, r, t, s.
    pub(crate) levels: Vec<(&'static str, u8)>,
}

/// Where a document stands against its review date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReviewState {
    /// The next review date has passed.
    Overdue,
    /// Due within `due_soon_days`.
    DueSoon,
    /// Not due yet.
    Ok,
    /// No review date (no approval or review to count from, or repealed).
    None,
}

impl ReviewState {
    /// The name templates see.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ReviewState::Overdue => "overdue",
            ReviewState::DueSoon => "due_soon",
            ReviewState::Ok => "ok",
            ReviewState::None => "none",
        }
    }
}

/// A governing document: any page with `extra.kind`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Document {
    /// Its page.
    pub(crate) page: PageId,
    /// `kind`.
    pub(crate) kind: String,
    /// `doc_id`.
    pub(crate) doc_id: Option<String>,
    /// `version`.
    pub(crate) version: Option<String>,
    /// `status`.
    pub(crate) status: Option<String>,
    /// `owner`, when it names a known role.
    pub(crate) owner: Option<String>,
    /// `approved_by`.
    pub(crate) approved_by: Option<Approver>,
    /// `approved`.
    pub(crate) approved: Option<NaiveDate>,
    /// `valid_from`.
    pub(crate) valid_from: Option<NaiveDate>,
    /// `valid_to`.
    pub(crate) valid_to: Option<NaiveDate>,
    /// `last_reviewed`.
    pub(crate) last_reviewed: Option<NaiveDate>,
    /// `review_interval`, or the default, with its text.
    pub(crate) review_interval: (IsoDuration, String),
    /// `next_review`: given, or computed.
    pub(crate) next_review: Option<NaiveDate>,
    /// `next_review` as written in front matter, if it was.
    pub(crate) next_review_given: Option<NaiveDate>,
    /// Against "today".
    pub(crate) review_state: ReviewState,
    /// Days from today to `next_review` (negative when overdue).
    pub(crate) days_until_review: Option<i64>,
    /// `audience`, as a list.
    pub(crate) audience: Vec<String>,
    /// `example`: the page only describes a document the review mentions.
    pub(crate) example: bool,
    /// `classification`.
    pub(crate) classification: Option<Classification>,
    /// `related`, resolved.
    pub(crate) related: Vec<PageId>,
    /// `supersedes`, resolved.
    pub(crate) supersedes: Vec<PageId>,
    /// `responsibilities`.
    pub(crate) responsibilities: Vec<Responsibility>,
    /// `changes`, newest first.
    pub(crate) changes: Vec<Change>,
    /// `retention`: where the information management plan says how long.
    pub(crate) retention: Option<String>,
    /// Date of the last commit touching the file, when history is known.
    pub(crate) last_changed: Option<NaiveDate>,
}

/// One `{% ansvar(roll="…") %}…{% end %}` passage.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Duty {
    /// The page it is written on.
    pub(crate) page: PageId,
    /// `ansvar-{n}`: the n-th ansvar call of the page, 1-based.
    pub(crate) anchor: String,
    /// The role, when known.
    pub(crate) role: Option<String>,
    /// The passage without Markdown.
    pub(crate) text: String,
}

/// A row of a review's data that concerns roles and documents: an
/// activity, an event (undesired event followed up) or another activity.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReviewItem {
    /// Activities: `key` (the same activity across periods and reviews);
    /// other rows: empty.
    pub(crate) key: String,
    /// Activities: `period` as written (`2027–2028`); other rows: empty.
    pub(crate) period: String,
    /// `id` as text (empty when the row has none).
    pub(crate) id: String,
    /// Other activities: `group`.
    pub(crate) group: Option<String>,
    /// `title`.
    pub(crate) title: String,
    /// Anchor on the review page.
    pub(crate) anchor: String,
    /// `roles`, known ones only.
    pub(crate) roles: Vec<String>,
    /// `documents`, resolved.
    pub(crate) documents: Vec<PageId>,
    /// The row as written, plus its anchor, for templates.
    pub(crate) value: serde_json::Value,
}

/// A yearly review (kind `genomgang`) with its structured data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Review {
    /// The review page.
    pub(crate) page: PageId,
    /// `meta.year`, else the approval year.
    pub(crate) year: Option<i64>,
    /// `activities`.
    pub(crate) activities: Vec<ReviewItem>,
    /// `events`.
    pub(crate) events: Vec<ReviewItem>,
    /// `other_activities`.
    pub(crate) other_activities: Vec<ReviewItem>,
    /// The whole data file as templates see it (rows with anchors,
    /// training with percentages).
    pub(crate) data: serde_json::Value,
    /// The data file (absolute): a bundle asset, but its references may
    /// name documents a build's audience may not read.
    pub(crate) data_file: std::path::PathBuf,
}

/// A glossary entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    /// The term as written (`ISAM`).
    pub(crate) term: String,
    /// What it stands for.
    pub(crate) expansion: String,
    /// Its explanation.
    pub(crate) definition: String,
    /// Id of its entry on the glossary page (`term-isam`).
    pub(crate) anchor: String,
    /// Glossary permalink plus `#` and the anchor.
    pub(crate) permalink: String,
    /// A role the term names, when it names one.
    pub(crate) role: Option<String>,
}

/// What `handbok check` lists besides diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum CheckKind {
    /// Past its review date.
    Overdue,
    /// Due within `due_soon_days`.
    DueSoon,
    /// No owner.
    MissingOwner,
}

/// One line of the governance part of `handbok check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckItem {
    /// The document's file (`content/styrdokument/a.md`).
    pub(crate) file: String,
    /// 1-based line of the relevant key.
    pub(crate) line: usize,
    /// 1-based column.
    pub(crate) column: usize,
    /// What it is about.
    pub(crate) kind: CheckKind,
    /// One sentence.
    pub(crate) message: String,
}

/// Which list of a review a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowList {
    /// `activities`.
    Activities,
    /// `events`.
    Events,
    /// `other_activities`.
    Others,
}

/// A row of a review: review index, list, row index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RowRef {
    pub(crate) review: usize,
    pub(crate) list: RowList,
    pub(crate) index: usize,
}

/// Reverse lookups, so that per-page values do not scan every document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Links {
    /// Documents whose `related` names the page, in document order.
    pub(crate) related_from: BTreeMap<PageId, Vec<PageId>>,
    /// Documents whose `supersedes` names the page.
    pub(crate) superseded_by: BTreeMap<PageId, Vec<PageId>>,
    /// Review rows whose `documents` name the page, in review order.
    pub(crate) rows_about: BTreeMap<PageId, Vec<RowRef>>,
    /// Indexes into `duties` of the duties written on the page.
    pub(crate) duties_on: BTreeMap<PageId, Vec<usize>>,
}

impl Links {
    fn new(documents: &[Document], reviews: &[Review], duties: &[Duty]) -> Links {
        let mut links = Links::default();
        for doc in documents {
            for target in doc.related.iter().filter(|t| **t != doc.page) {
                links
                    .related_from
                    .entry(*target)
                    .or_default()
                    .push(doc.page);
            }
            for target in doc.supersedes.iter().filter(|t| **t != doc.page) {
                links
                    .superseded_by
                    .entry(*target)
                    .or_default()
                    .push(doc.page);
            }
        }
        for (r, review) in reviews.iter().enumerate() {
            for (list, rows) in [
                (RowList::Activities, &review.activities),
                (RowList::Events, &review.events),
                (RowList::Others, &review.other_activities),
            ] {
                for (index, row) in rows.iter().enumerate() {
                    for doc in &row.documents {
                        let refs = links.rows_about.entry(*doc).or_default();
                        refs.push(RowRef {
                            review: r,
                            list,
                            index,
                        });
                    }
                }
            }
        }
        for (i, duty) in duties.iter().enumerate() {
            links.duties_on.entry(duty.page).or_default().push(i);
        }
        links
    }
}

/// Everything governance knows after a build.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    pub(crate) settings: Settings,
    pub(crate) today: NaiveDate,
    /// Every page's title and permalink, by id.
    pub(crate) pages: Vec<PageInfo>,
    /// Roles in Swedish order of name.
    pub(crate) roles: Vec<Role>,
    /// Documents in Swedish order of title.
    pub(crate) documents: Vec<Document>,
    /// Inline duties in page and document order.
    pub(crate) duties: Vec<Duty>,
    /// Reviews by year, then path.
    pub(crate) reviews: Vec<Review>,
    /// Glossary terms in Swedish order.
    pub(crate) glossary: Vec<Term>,
    /// The glossary page.
    pub(crate) glossary_page: Option<PageId>,
    /// Overdue, due-soon and missing-owner lines, by file.
    pub(crate) check: Vec<CheckItem>,
    pub(crate) role_index: BTreeMap<String, usize>,
    pub(crate) doc_index: BTreeMap<PageId, usize>,
    pub(crate) links: Links,
}

/// The pieces of a model, as extracted, before ordering and indexing.
#[derive(Debug, Clone)]
pub(crate) struct Parts {
    pub(crate) settings: Settings,
    pub(crate) today: NaiveDate,
    pub(crate) pages: Vec<PageInfo>,
    pub(crate) roles: Vec<Role>,
    pub(crate) documents: Vec<Document>,
    pub(crate) duties: Vec<Duty>,
    pub(crate) reviews: Vec<Review>,
    pub(crate) glossary: Vec<Term>,
    pub(crate) glossary_page: Option<PageId>,
    pub(crate) check: Vec<CheckItem>,
}

impl Model {
    /// Orders the parts for display (roles and documents in Swedish order,
    /// ties by permalink; the first role page of a duplicated id wins;
    /// check lines by file and position) and indexes them.
    pub(crate) fn assemble(parts: Parts) -> Model {
        let Parts {
            settings,
            today,
            pages,
            mut roles,
            mut documents,
            duties,
            reviews,
            glossary,
            glossary_page,
            mut check,
        } = parts;
        let permalink = |id: PageId| pages.get(id.0).map_or("", |p| p.permalink.as_str());
        let title = |id: PageId| pages.get(id.0).map_or("", |p| p.title.as_str());
        let mut seen = BTreeSet::new();
        roles.retain(|r| seen.insert(r.id.clone()));
        roles.sort_by(|a, b| {
            swedish_cmp(&a.name, &b.name).then_with(|| permalink(a.page).cmp(permalink(b.page)))
        });
        // By collation keys, made once per title in parallel: collating
        // titles on every comparison was most of assembling a large
        // handbook's model (and of a title edit in `serve`).
        use rayon::slice::ParallelSliceMut;
        documents.par_sort_by_cached_key(|d| {
            (
                crate::config::swedish_key(title(d.page)),
                permalink(d.page).to_string(),
            )
        });
        check.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.kind).cmp(&(&b.file, b.line, b.column, b.kind))
        });
        let role_index = roles
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let doc_index = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.page, i))
            .collect();
        let links = Links::new(&documents, &reviews, &duties);
        Model {
            links,
            settings,
            today,
            pages,
            roles,
            documents,
            duties,
            reviews,
            glossary,
            glossary_page,
            check,
            role_index,
            doc_index,
        }
    }

    /// A role by id.
    pub(crate) fn role(&self, id: &str) -> Option<&Role> {
        self.role_index.get(id).map(|&i| &self.roles[i])
    }

    /// The document on a page.
    pub(crate) fn document(&self, page: PageId) -> Option<&Document> {
        self.doc_index.get(&page).map(|&i| &self.documents[i])
    }

    /// Title and permalink of a page.
    pub(crate) fn page(&self, page: PageId) -> &PageInfo {
        &self.pages[page.0]
    }

    /// A review row.
    pub(crate) fn row(&self, row: RowRef) -> Option<(&Review, &ReviewItem)> {
        let review = self.reviews.get(row.review)?;
        let rows = match row.list {
            RowList::Activities => &review.activities,
            RowList::Events => &review.events,
            RowList::Others => &review.other_activities,
        };
        Some((review, rows.get(row.index)?))
    }

    /// The rows of all reviews concerning a page, from one list.
    pub(crate) fn rows_about(
        &self,
        page: PageId,
        lists: &[RowList],
    ) -> Vec<(&Review, &ReviewItem)> {
        self.links
            .rows_about
            .get(&page)
            .into_iter()
            .flatten()
            .filter(|r| lists.contains(&r.list))
            .filter_map(|r| self.row(*r))
            .collect()
    }

    /// The role whose page this is.
    pub(crate) fn role_of_page(&self, page: PageId) -> Option<&Role> {
        self.roles.iter().find(|r| r.page == page)
    }
}
