//! Per-page template data (`page_value`): a page's document-control block,
//! its role page data, the inline duties written on it, the review
//! activities and events that concern it, its back-links, and for a review
//! page the review's data with resolved rows. Also the small reference
//! shapes (role, document, approver) every governance value uses.
//!
//! JSON only; must not render HTML or know template names.

use super::dates::iso;
use super::model::{Approver, Classification, Document, Model, Review, ReviewItem, Role, RowList};
use crate::content::PageId;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// KLASSA consequence levels 0–4 (SKR KLASSA 4.0).
pub(crate) const KLASSA_LEVELS: &[&str] = &[
    "ingen/försumbar",
    "måttlig",
    "betydande",
    "allvarlig",
    "synnerligen allvarlig",
];

/// KLASSA aspects by letter.
const ASPECT_NAMES: &[(&str, &str)] = &[
    ("k", "konfidentialitet"),
    ("r", "riktighet"),
    ("t", "tillgänglighet"),
    ("s", "spårbarhet"),
];

/// A role as other data points at it (`owner`, `approved_by`, a duty's
/// role): `{id, name, abbreviation, permalink}`; an approver named in
/// words has a null id and link.
#[derive(Serialize)]
pub(crate) struct RoleRef<'a> {
    id: Option<&'a str>,
    name: &'a str,
    abbreviation: Option<&'a str>,
    permalink: Option<&'a str>,
}

impl<'a> RoleRef<'a> {
    fn new(model: &'a Model, id: &'a str) -> Self {
        match model.role(id) {
            Some(role) => RoleRef {
                id: Some(&role.id),
                name: &role.name,
                abbreviation: role.abbreviation.as_deref(),
                permalink: Some(&model.page(role.page).permalink),
            },
            // An unknown role (already reported) is shown by its id.
            None => RoleRef {
                id: Some(id),
                name: id,
                abbreviation: None,
                permalink: None,
            },
        }
    }

    fn approver(model: &'a Model, approver: &'a Approver) -> Self {
        match approver {
            Approver::Role(id) => RoleRef::new(model, id),
            Approver::Name(name) => RoleRef {
                id: None,
                name,
                abbreviation: None,
                permalink: None,
            },
        }
    }
}

/// A document as other data points at it (related documents, reading
/// lists, register rows).
#[derive(Serialize)]
pub(crate) struct DocRef<'a> {
    title: &'a str,
    permalink: &'a str,
    doc_id: Option<&'a str>,
    description: Option<&'a str>,
    kind: Option<&'a str>,
    status: Option<&'a str>,
    version: Option<&'a str>,
}

impl<'a> DocRef<'a> {
    fn new(model: &'a Model, page: PageId) -> Self {
        let info = model.page(page);
        let doc = model.document(page);
        DocRef {
            title: &info.title,
            permalink: &info.permalink,
            doc_id: info.doc_id.as_deref(),
            description: info.description.as_deref(),
            kind: doc.map(|d| d.kind.as_str()),
            status: doc.and_then(|d| d.status.as_deref()),
            version: doc.and_then(|d| d.version.as_deref()),
        }
    }
}

/// The fields of a [`DocRef`], in its order.
pub(crate) const DOC_REF_FIELDS: [&str; 7] = [
    "title",
    "permalink",
    "doc_id",
    "description",
    "kind",
    "status",
    "version",
];

/// [`doc_ref`] with only the fields `keep` marks (in
/// [`DOC_REF_FIELDS`]' order): the matrix has a row per document, and a
/// description copied into every row no template shows was most of what
/// the matrix cost.
pub(crate) fn doc_ref_kept(model: &Model, page: PageId, keep: &[bool; 7]) -> Value {
    let r = DocRef::new(model, page);
    let text = |s: Option<&str>| s.map_or(Value::Null, |s| Value::String(s.to_string()));
    let make = |field: &str| match field {
        "title" => Value::String(r.title.to_string()),
        "permalink" => Value::String(r.permalink.to_string()),
        "doc_id" => text(r.doc_id),
        "description" => text(r.description),
        "kind" => text(r.kind),
        "status" => text(r.status),
        "version" => text(r.version),
        _ => Value::Null,
    };
    kept_object(&DOC_REF_FIELDS, keep, make)
}

/// An object of the `fields` that `keep` marks, each made by `make`.
pub(crate) fn kept_object(
    fields: &[&str],
    keep: &[bool],
    mut make: impl FnMut(&str) -> Value,
) -> Value {
    // Sized first: collecting through a filter grows the map as it goes.
    let mut out = Map::with_capacity(keep.iter().filter(|k| **k).count());
    for (field, _) in fields.iter().zip(keep).filter(|(_, keep)| **keep) {
        out.insert((*field).to_string(), make(field));
    }
    Value::Object(out)
}

/// A value for templates from a view. Views have string keys only, so
/// serializing cannot fail; a failure would show as `null`.
fn to_value(view: &impl Serialize) -> Value {
    serde_json::to_value(view).unwrap_or(Value::Null)
}

/// A JSON object of owned values, moved in. `json!` serializes each value
/// it is given by reference, a deep copy of every list: on a large
/// handbook the matrix and the register have a row per document.
pub(crate) fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// `{id, name, abbreviation, permalink}` of a role.
pub(crate) fn role_ref(model: &Model, id: &str) -> Value {
    to_value(&RoleRef::new(model, id))
}

/// `{title, permalink, doc_id, description, kind, status, version}` of a
/// page.
pub(crate) fn doc_ref(model: &Model, page: PageId) -> Value {
    to_value(&DocRef::new(model, page))
}

fn classification_value(c: &Classification) -> Value {
    let mut out = Map::new();
    let level = |aspect: &str, n: u8| {
        json!({
            "level": n,
            "name": KLASSA_LEVELS.get(usize::from(n)).copied().unwrap_or(""),
            "aspect": ASPECT_NAMES.iter().find(|(a, _)| *a == aspect).map(|(_, n)| *n),
        })
    };
    for (aspect, n) in &c.levels {
        out.insert((*aspect).to_string(), level(aspect, *n));
    }
    if let Some((aspect, n)) = c.levels.iter().max_by_key(|(_, n)| *n) {
        out.insert("max".into(), level(aspect, *n));
    }
    Value::Object(out)
}

/// `governance.document`: every document-control field of a governing
/// document (GOVERNANCE.md), references resolved.
#[derive(Serialize)]
pub(crate) struct DocumentView<'a> {
    doc_id: Option<&'a str>,
    title: &'a str,
    permalink: &'a str,
    kind: &'a str,
    version: Option<&'a str>,
    status: Option<&'a str>,
    owner: Option<RoleRef<'a>>,
    approved_by: Option<RoleRef<'a>>,
    approved: Option<String>,
    valid_from: Option<String>,
    valid_to: Option<String>,
    /// As written (`P1Y`).
    review_interval: &'a str,
    last_reviewed: Option<String>,
    next_review: Option<String>,
    review_state: &'a str,
    days_until_review: Option<i64>,
    audience: &'a [String],
    example: bool,
    is_example: bool,
    /// `{k|r|t|s|max: {level, name, aspect}}` (KLASSA).
    classification: Option<Value>,
    related: Vec<DocRef<'a>>,
    supersedes: Vec<DocRef<'a>>,
    superseded_by: Vec<DocRef<'a>>,
    responsibilities: Vec<ResponsibilityView<'a>>,
    /// The formal change log, newest first.
    changes: Vec<ChangeView<'a>>,
    retention: Option<&'a str>,
    /// The last meaningful change in git.
    last_changed: Option<String>,
}

/// One `[[extra.responsibilities]]` entry.
#[derive(Serialize)]
pub(crate) struct ResponsibilityView<'a> {
    role: Option<RoleRef<'a>>,
    duty: &'a str,
}

/// One `[[extra.changes]]` entry of the formal change log.
#[derive(Serialize)]
pub(crate) struct ChangeView<'a> {
    version: Option<&'a str>,
    date: Option<String>,
    summary: Option<&'a str>,
    approved_by: Option<RoleRef<'a>>,
    kind: Option<&'a str>,
}

/// Every document-control field of a document, references resolved.
pub(crate) fn document_value(model: &Model, doc: &Document) -> Value {
    let info = model.page(doc.page);
    let refs = |pages: &[PageId]| pages.iter().map(|p| DocRef::new(model, *p)).collect();
    let superseded_by = refs(
        model
            .links
            .superseded_by
            .get(&doc.page)
            .map_or(&[][..], Vec::as_slice),
    );
    to_value(&DocumentView {
        doc_id: doc.doc_id.as_deref(),
        title: &info.title,
        permalink: &info.permalink,
        kind: &doc.kind,
        version: doc.version.as_deref(),
        status: doc.status.as_deref(),
        owner: doc.owner.as_deref().map(|o| RoleRef::new(model, o)),
        approved_by: doc
            .approved_by
            .as_ref()
            .map(|a| RoleRef::approver(model, a)),
        approved: doc.approved.map(iso),
        valid_from: doc.valid_from.map(iso),
        valid_to: doc.valid_to.map(iso),
        review_interval: &doc.review_interval.1,
        last_reviewed: doc.last_reviewed.map(iso),
        next_review: doc.next_review.map(iso),
        review_state: doc.review_state.as_str(),
        days_until_review: doc.days_until_review,
        audience: &doc.audience,
        example: doc.example,
        is_example: doc.example,
        classification: doc.classification.as_ref().map(classification_value),
        related: refs(&doc.related),
        supersedes: refs(&doc.supersedes),
        superseded_by,
        responsibilities: doc
            .responsibilities
            .iter()
            .map(|r| ResponsibilityView {
                role: r.role.as_deref().map(|id| RoleRef::new(model, id)),
                duty: &r.duty,
            })
            .collect(),
        changes: doc
            .changes
            .iter()
            .map(|c| ChangeView {
                version: c.version.as_deref(),
                date: c.date.map(iso),
                summary: c.summary.as_deref(),
                approved_by: c.approved_by.as_ref().map(|a| RoleRef::approver(model, a)),
                kind: c.kind.as_deref(),
            })
            .collect(),
        retention: doc.retention.as_deref(),
        last_changed: doc.last_changed.map(iso),
    })
}

/// `{title, permalink, doc_id, year}` of a review.
fn review_ref(model: &Model, review: &Review) -> Value {
    let info = model.page(review.page);
    json!({
        "title": info.title,
        "permalink": info.permalink,
        "doc_id": info.doc_id,
        "year": review.year,
    })
}

/// A review row for lists elsewhere (role pages, documents, register).
pub(crate) fn item_value(model: &Model, review: &Review, item: &ReviewItem) -> Value {
    let info = model.page(review.page);
    object([
        ("review", review_ref(model, review)),
        ("key", json!(item.key)),
        ("period", json!(item.period)),
        ("id", json!(item.id)),
        ("group", json!(item.group)),
        ("title", json!(item.title)),
        ("anchor", json!(item.anchor)),
        (
            "permalink",
            Value::String(format!("{}#{}", info.permalink, item.anchor)),
        ),
        (
            "roles",
            item.roles.iter().map(|r| role_ref(model, r)).collect(),
        ),
        (
            "documents",
            item.documents.iter().map(|p| doc_ref(model, *p)).collect(),
        ),
    ])
}

/// The review's data as written, with each row's roles and documents
/// replaced by references (`roles_written`/`documents_written` keep the
/// text) and rows carrying `anchor` and `permalink`.
fn review_value(model: &Model, review: &Review) -> Value {
    let mut data = match &review.data {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    let permalink = &model.page(review.page).permalink;
    for (key, items) in [
        ("activities", &review.activities),
        ("events", &review.events),
        ("other_activities", &review.other_activities),
    ] {
        let rows: Vec<Value> = items
            .iter()
            .map(|item| {
                let mut row = match &item.value {
                    Value::Object(m) => m.clone(),
                    _ => Map::new(),
                };
                for field in ["roles", "documents"] {
                    if let Some(written) = row.remove(field) {
                        row.insert(format!("{field}_written"), written);
                    }
                }
                row.insert(
                    "roles".into(),
                    item.roles.iter().map(|r| role_ref(model, r)).collect(),
                );
                row.insert(
                    "documents".into(),
                    item.documents.iter().map(|p| doc_ref(model, *p)).collect(),
                );
                row.insert(
                    "permalink".into(),
                    Value::String(format!("{permalink}#{}", item.anchor)),
                );
                Value::Object(row)
            })
            .collect();
        data.insert(key.into(), Value::Array(rows));
    }
    data.insert("review".into(), review_ref(model, review));
    Value::Object(data)
}

/// Review rows from `lists` that concern this page.
fn items_about(model: &Model, page: PageId, lists: &[RowList]) -> Vec<Value> {
    model
        .rows_about(page, lists)
        .into_iter()
        .map(|(r, i)| item_value(model, r, i))
        .collect()
}

fn activities_of(r: &Review) -> &[ReviewItem] {
    &r.activities
}

fn events_of(r: &Review) -> &[ReviewItem] {
    &r.events
}

fn others_of(r: &Review) -> &[ReviewItem] {
    &r.other_activities
}

/// Back-links from `related`, `supersedes` and review rows.
pub(crate) fn backlinks(model: &Model, page: PageId) -> Vec<Value> {
    let mut out = Vec::new();
    for (via, sources) in [
        ("related", model.links.related_from.get(&page)),
        ("supersedes", model.links.superseded_by.get(&page)),
    ] {
        for source in sources.into_iter().flatten() {
            let info = model.page(*source);
            out.push(json!({ "title": info.title, "permalink": info.permalink, "via": via }));
        }
    }
    let all = [RowList::Activities, RowList::Events, RowList::Others];
    let rows = model.rows_about(page, &all);
    for review in &model.reviews {
        if review.page == page {
            continue;
        }
        let info = model.page(review.page);
        let items: Vec<Value> = rows
            .iter()
            .filter(|(r, _)| r.page == review.page)
            .map(|(_, i)| {
                json!({ "title": i.title, "permalink": format!("{}#{}", info.permalink, i.anchor) })
            })
            .collect();
        if !items.is_empty() {
            out.push(object([
                ("title", json!(info.title)),
                ("permalink", json!(info.permalink)),
                ("via", json!("activity")),
                ("items", Value::Array(items)),
            ]));
        }
    }
    out
}

/// `governance.role` on a role's page: who the role is, what it owns,
/// approves and answers for, its duties written anywhere, the review's
/// activities and events it is responsible for, and what it must read.
#[derive(Serialize)]
pub(crate) struct RoleView<'a> {
    id: &'a str,
    name: &'a str,
    abbreviation: Option<&'a str>,
    description: Option<&'a str>,
    permalink: &'a str,
    reports_to: Option<RoleRef<'a>>,
    /// The roles reporting to this one.
    reports: Vec<RoleRef<'a>>,
    owns: Vec<DocRef<'a>>,
    approves: Vec<DocRef<'a>>,
    /// What `owns` and `approves` hold, each document once: owned ones
    /// first, then those only approved, each saying which it is, so a
    /// template shows a role's documents without comparing the two lists
    /// (which is quadratic for a role that approves thousands).
    documents: Vec<RoleDocument<'a>>,
    /// `[[extra.responsibilities]]` entries naming the role.
    responsibilities: Vec<DocumentDuty<'a>>,
    /// `ansvar` passages naming the role, wherever they are written.
    duties: Vec<InlineDuty<'a>>,
    activities: Vec<Value>,
    other_activities: Vec<Value>,
    events: Vec<Value>,
    required_reading: Vec<DocRef<'a>>,
    /// Glossary terms that stand for the role.
    glossary: Vec<TermRef<'a>>,
}

/// A document a role owns or approves.
#[derive(Serialize)]
pub(crate) struct RoleDocument<'a> {
    #[serde(flatten)]
    document: DocRef<'a>,
    owns: bool,
    approves: bool,
}

/// A duty a document gives a role.
#[derive(Serialize)]
pub(crate) struct DocumentDuty<'a> {
    document: DocRef<'a>,
    duty: &'a str,
}

/// An `ansvar` passage, linked at its anchor.
#[derive(Serialize)]
pub(crate) struct InlineDuty<'a> {
    page: PageLink<'a>,
    title: &'a str,
    permalink: String,
    anchor: &'a str,
    text: &'a str,
}

/// `{title, permalink}` of a page.
#[derive(Serialize)]
pub(crate) struct PageLink<'a> {
    title: &'a str,
    permalink: &'a str,
}

/// A glossary term as a role page lists it.
#[derive(Serialize)]
pub(crate) struct TermRef<'a> {
    term: &'a str,
    expansion: &'a str,
    permalink: &'a str,
}

/// A role page's `governance.role`.
pub(crate) fn role_value(model: &Model, role: &Role) -> Value {
    let docs = |keep: &dyn Fn(&Document) -> bool| -> Vec<DocRef<'_>> {
        model
            .documents
            .iter()
            .filter(|d| keep(d))
            .map(|d| DocRef::new(model, d.page))
            .collect()
    };
    let id = role.id.as_str();
    let owns_doc = |d: &Document| d.owner.as_deref() == Some(id);
    let approves_doc = |d: &Document| matches!(&d.approved_by, Some(Approver::Role(r)) if r == id);
    let role_document = |d: &Document| RoleDocument {
        document: DocRef::new(model, d.page),
        owns: owns_doc(d),
        approves: approves_doc(d),
    };
    let documents = (model.documents.iter().filter(|d| owns_doc(d)))
        .chain(
            model
                .documents
                .iter()
                .filter(|d| approves_doc(d) && !owns_doc(d)),
        )
        .map(role_document)
        .collect();
    let responsibilities = model
        .documents
        .iter()
        .flat_map(|d| d.responsibilities.iter().map(move |r| (d, r)))
        .filter(|(_, r)| r.role.as_deref() == Some(id))
        .map(|(d, r)| DocumentDuty {
            document: DocRef::new(model, d.page),
            duty: &r.duty,
        })
        .collect();
    let duties = model
        .duties
        .iter()
        .filter(|d| d.role.as_deref() == Some(id))
        .map(|d| {
            let info = model.page(d.page);
            InlineDuty {
                page: PageLink {
                    title: &info.title,
                    permalink: &info.permalink,
                },
                title: &info.title,
                permalink: format!("{}#{}", info.permalink, d.anchor),
                anchor: &d.anchor,
                text: &d.text,
            }
        })
        .collect();
    let rows = |pick: fn(&Review) -> &[ReviewItem]| -> Vec<Value> {
        model
            .reviews
            .iter()
            .flat_map(|r| {
                pick(r)
                    .iter()
                    .filter(|i| i.roles.iter().any(|x| x == id))
                    .map(move |i| (r, i))
            })
            .map(|(r, i)| item_value(model, r, i))
            .collect()
    };
    let reports = model
        .roles
        .iter()
        .filter(|r| r.reports_to.as_deref() == Some(id))
        .map(|r| RoleRef::new(model, &r.id))
        .collect();
    let glossary = model
        .glossary
        .iter()
        .filter(|t| t.role.as_deref() == Some(id))
        .map(|t| TermRef {
            term: &t.term,
            expansion: &t.expansion,
            permalink: &t.permalink,
        })
        .collect();
    to_value(&RoleView {
        id,
        name: &role.name,
        abbreviation: role.abbreviation.as_deref(),
        description: role.description.as_deref(),
        permalink: &model.page(role.page).permalink,
        reports_to: role.reports_to.as_deref().map(|r| RoleRef::new(model, r)),
        reports,
        owns: docs(&owns_doc),
        approves: docs(&approves_doc),
        documents,
        responsibilities,
        duties,
        activities: rows(activities_of),
        other_activities: rows(others_of),
        events: rows(events_of),
        required_reading: role
            .required_reading
            .iter()
            .map(|p| DocRef::new(model, *p))
            .collect(),
        glossary,
    })
}

/// The per-page value; `None` when governance has nothing for the page.
pub(crate) fn page_value(model: &Model, page: PageId) -> Option<Value> {
    if page.0 >= model.pages.len() {
        return None;
    }
    let document = model.document(page).map(|d| document_value(model, d));
    let role = model.role_of_page(page).map(|r| role_value(model, r));
    let duties: Vec<Value> = model
        .links
        .duties_on
        .get(&page)
        .into_iter()
        .flatten()
        .filter_map(|i| model.duties.get(*i))
        .map(|d| {
            json!({
                "role": d.role.as_deref().map(|r| role_ref(model, r)),
                "anchor": d.anchor,
                "permalink": format!("{}#{}", model.page(page).permalink, d.anchor),
                "text": d.text,
            })
        })
        .collect();
    let activities = items_about(model, page, &[RowList::Activities, RowList::Others]);
    let events = items_about(model, page, &[RowList::Events]);
    let backlinks = backlinks(model, page);
    let review = model
        .reviews
        .iter()
        .find(|r| r.page == page)
        .map(|r| review_value(model, r));
    let empty = document.is_none()
        && role.is_none()
        && review.is_none()
        && duties.is_empty()
        && activities.is_empty()
        && events.is_empty()
        && backlinks.is_empty();
    if empty {
        return None;
    }
    Some(object([
        ("document", document.unwrap_or(Value::Null)),
        ("role", role.unwrap_or(Value::Null)),
        ("duties", Value::Array(duties)),
        ("activities", Value::Array(activities)),
        ("events", Value::Array(events)),
        ("backlinks", Value::Array(backlinks)),
        ("review", review.unwrap_or(Value::Null)),
    ]))
}
