//! Site-wide template data (`site_value`): roles, the document register,
//! the responsibility matrix, review status, the glossary, the activity
//! register across reviews (grouped by `key`, showing which recur), and
//! the configured lists. Also the pages handbok generates and the text of
//! the governance part of `handbok check`.
//!
//! JSON and plain text only; must not render HTML or write files.

use super::dates::iso;
use super::matrix::{matrix_value, CELL_FIELDS};
use super::model::{CheckKind, Document, Model, ReviewState};
use super::view::{doc_ref, item_value, kept_object, object, role_ref, DOC_REF_FIELDS};
use serde_json::{json, Value};

/// A page handbok generates from the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GeneratedPage {
    /// Output path, `/dokumentregister/`.
    pub(crate) path: String,
    /// Template, `handbok/register.html`.
    pub(crate) template: String,
    /// Page title, `Dokumentregister`.
    pub(crate) title: String,
}

/// The generated pages: name in `[handbook.pages]`, template, title.
const GENERATED: &[(&str, &str, &str)] = &[
    ("register", "handbok/register.html", "Dokumentregister"),
    ("matrix", "handbok/matrix.html", "Ansvarsmatris"),
    (
        "review_status",
        "handbok/review_status.html",
        "Granskningsstatus",
    ),
    ("activities", "handbok/activities.html", "Aktiviteter"),
];

/// The pages that are turned on, in a fixed order; the search page last,
/// when `[handbook.search]` turns search on.
pub(crate) fn generated_pages(model: &Model) -> Vec<GeneratedPage> {
    let mut pages: Vec<GeneratedPage> = GENERATED
        .iter()
        .filter_map(|(name, template, title)| {
            Some(GeneratedPage {
                path: model.settings.pages.get(name)?.to_string(),
                template: (*template).to_string(),
                title: (*title).to_string(),
            })
        })
        .collect();
    if let Some(path) = &model.settings.search_page {
        pages.push(GeneratedPage {
            path: path.clone(),
            template: "handbok/search.html".into(),
            title: "Sök".into(),
        });
    }
    pages
}

/// The fields of a register entry, in the order an entry has them.
const ENTRY_FIELDS: [&str; 16] = [
    "doc_id",
    "title",
    "permalink",
    "kind",
    "version",
    "status",
    "owner",
    "approved",
    "valid_from",
    "valid_to",
    "last_reviewed",
    "next_review",
    "review_state",
    "days_until_review",
    "audience",
    "example",
];

/// Which fields of a register entry (and which review-status groups) a
/// reader shows. A generated page of a large handbook makes an entry per
/// document, some of them twice, on every edit `serve` sees; fields its
/// template never names need not be made.
pub(crate) struct Shown {
    entry: [bool; ENTRY_FIELDS.len()],
    groups: [bool; 4],
    /// Of a matrix row's document.
    pub(super) document: [bool; DOC_REF_FIELDS.len()],
    /// Of a matrix cell.
    pub(super) cell: [bool; CELL_FIELDS.len()],
}

impl Shown {
    /// Every field and group.
    pub(crate) fn all() -> Self {
        Shown {
            entry: [true; ENTRY_FIELDS.len()],
            groups: [true; 4],
            document: [true; DOC_REF_FIELDS.len()],
            cell: [true; CELL_FIELDS.len()],
        }
    }

    /// The fields and groups `named` holds.
    pub(crate) fn named(named: &dyn Fn(&str) -> bool) -> Self {
        Shown {
            entry: ENTRY_FIELDS.map(named),
            groups: GROUPS.map(|(name, _)| named(name)),
            document: DOC_REF_FIELDS.map(named),
            cell: CELL_FIELDS.map(named),
        }
    }
}

/// One register line: what the register, review status and search need,
/// with the fields `shown` keeps.
pub(super) fn register_entry(model: &Model, doc: &Document, shown: &Shown) -> Value {
    // Made for every document by the register and by the review status:
    // built from owned values, not serialized.
    let info = model.page(doc.page);
    let text = |s: &Option<String>| s.clone().map_or(Value::Null, Value::String);
    let date = |d: Option<chrono::NaiveDate>| d.map_or(Value::Null, |d| Value::String(iso(d)));
    let make = |field: &str| -> Value {
        match field {
            "doc_id" => text(&doc.doc_id),
            "title" => Value::String(info.title.clone()),
            "permalink" => Value::String(info.permalink.clone()),
            "kind" => Value::String(doc.kind.clone()),
            "version" => text(&doc.version),
            "status" => text(&doc.status),
            "owner" => doc
                .owner
                .as_deref()
                .map_or(Value::Null, |o| role_ref(model, o)),
            "approved" => date(doc.approved),
            "valid_from" => date(doc.valid_from),
            "valid_to" => date(doc.valid_to),
            "last_reviewed" => date(doc.last_reviewed),
            "next_review" => date(doc.next_review),
            "review_state" => Value::String(doc.review_state.as_str().into()),
            "days_until_review" => doc.days_until_review.map_or(Value::Null, Value::from),
            "audience" => doc.audience.iter().cloned().map(Value::String).collect(),
            "example" => Value::Bool(doc.example),
            _ => Value::Null,
        }
    };
    kept_object(&ENTRY_FIELDS, &shown.entry, make)
}

/// The review-status groups, by the state of their documents.
const GROUPS: [(&str, ReviewState); 4] = [
    ("overdue", ReviewState::Overdue),
    ("due_soon", ReviewState::DueSoon),
    ("ok", ReviewState::Ok),
    ("none", ReviewState::None),
];

fn review_status(model: &Model, shown: &Shown) -> Value {
    let mut value = object([
        ("today", json!(iso(model.today))),
        ("due_soon_days", json!(model.settings.due_soon_days)),
    ]);
    for ((name, state), _) in GROUPS.iter().zip(shown.groups).filter(|(_, keep)| *keep) {
        let mut docs: Vec<&Document> = model
            .documents
            .iter()
            .filter(|d| d.review_state == *state)
            .collect();
        docs.sort_by_key(|d| d.next_review);
        let list = docs
            .iter()
            .map(|d| register_entry(model, d, shown))
            .collect();
        value[*name] = Value::Array(list);
    }
    value
}

/// Activities of all reviews as one register, grouped by `key` in order of
/// first appearance; `recurring` when a key appears in more than one period.
fn activity_register(model: &Model) -> Vec<Value> {
    let mut keys: Vec<&str> = Vec::new();
    for review in &model.reviews {
        for item in &review.activities {
            if !keys.contains(&item.key.as_str()) {
                keys.push(&item.key);
            }
        }
    }
    keys.into_iter()
        .map(|key| {
            let occurrences: Vec<_> = model
                .reviews
                .iter()
                .flat_map(|r| {
                    r.activities
                        .iter()
                        .filter(|i| i.key == key)
                        .map(move |i| (r, i))
                })
                .collect();
            let mut periods: Vec<&str> = Vec::new();
            let mut roles: Vec<&str> = Vec::new();
            let mut documents = Vec::new();
            for (_, item) in &occurrences {
                if !periods.contains(&item.period.as_str()) {
                    periods.push(&item.period);
                }
                for r in &item.roles {
                    if !roles.contains(&r.as_str()) {
                        roles.push(r);
                    }
                }
                for d in &item.documents {
                    if !documents.contains(d) {
                        documents.push(*d);
                    }
                }
            }
            let title = occurrences
                .last()
                .map(|(_, i)| i.title.as_str())
                .unwrap_or("");
            object([
                ("key", json!(key)),
                ("title", json!(title)),
                ("recurring", json!(periods.len() > 1)),
                ("periods", json!(periods)),
                ("roles", roles.iter().map(|r| role_ref(model, r)).collect()),
                (
                    "documents",
                    documents.iter().map(|d| doc_ref(model, *d)).collect(),
                ),
                (
                    "occurrences",
                    occurrences
                        .iter()
                        .map(|(r, i)| item_value(model, r, i))
                        .collect(),
                ),
            ])
        })
        .collect()
}

/// The site-wide value with only the parts `wanted` names filled in; the
/// others are `null`, their keys kept in place. A page that shows the
/// register need not pay for the matrix: on a large handbook each of the
/// big parts has an entry per document. `parallel` makes the big parts
/// side by side; a caller that holds a lock other render threads wait on
/// must not, as a thread waiting in rayon may pick up a render that waits
/// on that lock.
pub(crate) fn site_value_with(
    model: &Model,
    wanted: &(dyn Fn(&str) -> bool + Sync),
    shown: &Shown,
    parallel: bool,
) -> Value {
    fn join<A: Send, B: Send>(
        parallel: bool,
        a: impl FnOnce() -> A + Send,
        b: impl FnOnce() -> B + Send,
    ) -> (A, B) {
        if parallel {
            rayon::join(a, b)
        } else {
            (a(), b())
        }
    }
    let part = |name: &str, make: &dyn Fn() -> Value| -> Value {
        if wanted(name) {
            make()
        } else {
            Value::Null
        }
    };
    let roles = part("roles", &|| {
        let roles: Vec<Value> = model
            .roles
            .iter()
            .map(|r| {
                object([
                    ("id", json!(r.id)),
                    ("name", json!(r.name)),
                    ("abbreviation", json!(r.abbreviation)),
                    ("description", json!(r.description)),
                    ("permalink", json!(model.page(r.page).permalink)),
                    (
                        "reports_to",
                        r.reports_to
                            .as_deref()
                            .map_or(Value::Null, |x| role_ref(model, x)),
                    ),
                    (
                        "required_reading",
                        r.required_reading
                            .iter()
                            .map(|p| doc_ref(model, *p))
                            .collect(),
                    ),
                ])
            })
            .collect();
        Value::Array(roles)
    });
    let glossary = part("glossary", &|| {
        let glossary: Vec<Value> = model
            .glossary
            .iter()
            .map(|t| {
                json!({
                    "term": t.term,
                    "expansion": t.expansion,
                    "definition": t.definition,
                    "anchor": t.anchor,
                    "permalink": t.permalink,
                    "role": t.role.as_deref().map(|r| role_ref(model, r)),
                })
            })
            .collect();
        Value::Array(glossary)
    });
    let reviews = part("reviews", &|| {
        let reviews: Vec<Value> = model
            .reviews
            .iter()
            .map(|r| {
                let info = model.page(r.page);
                json!({ "title": info.title, "permalink": info.permalink, "doc_id": info.doc_id, "year": r.year })
            })
            .collect();
        Value::Array(reviews)
    });
    let mut pages: serde_json::Map<String, Value> = model
        .settings
        .pages
        .0
        .iter()
        .map(|(name, path)| ((*name).to_string(), json!(path)))
        .collect();
    if let Some(path) = &model.settings.search_page {
        pages.insert("search".into(), json!(path));
    }
    // The large parts are made side by side and moved in: `json!` would
    // copy each once more, and on a large handbook the register alone has
    // an entry per document.
    use rayon::prelude::*;
    let (register, (matrix, (review, activities))) = join(
        parallel,
        || {
            part("register", &|| {
                let entry = |d| register_entry(model, d, shown);
                let docs = &model.documents;
                Value::Array(match parallel {
                    true => docs.par_iter().map(entry).collect(),
                    false => docs.iter().map(entry).collect(),
                })
            })
        },
        || {
            join(
                parallel,
                || part("matrix", &|| matrix_value(model, shown)),
                || {
                    join(
                        parallel,
                        || part("review_status", &|| review_status(model, shown)),
                        || part("activities", &|| Value::Array(activity_register(model))),
                    )
                },
            )
        },
    );
    let mut value = serde_json::Map::new();
    value.insert("roles".into(), roles);
    value.insert("register".into(), register);
    value.insert("matrix".into(), matrix);
    value.insert("review_status".into(), review);
    value.insert("glossary".into(), glossary);
    value.insert(
        "glossary_page".into(),
        json!(model.glossary_page.map(|p| model.page(p).permalink.clone())),
    );
    value.insert("activities".into(), activities);
    value.insert("reviews".into(), reviews);
    // The date review states are judged against, as `review_status.today`
    // has it: a page footer shows it without copying the review status.
    value.insert("today".into(), Value::String(iso(model.today)));
    value.insert("kinds".into(), json!(model.settings.kinds));
    value.insert("statuses".into(), json!(model.settings.statuses));
    value.insert("audiences".into(), json!(model.settings.audiences));
    value.insert("pages".into(), Value::Object(pages));
    Value::Object(value)
}

/// The governance part of `handbok check`, grouped by file:
///
/// ```text
/// content/styrdokument/a.md
///   16:17 overdue: review overdue: the next review was due …
/// ```
pub(crate) fn render_check_report(model: &Model) -> String {
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for item in &model.check {
        if current != Some(item.file.as_str()) {
            out.push_str(&item.file);
            out.push('\n');
            current = Some(&item.file);
        }
        let label = match item.kind {
            CheckKind::Overdue => "overdue",
            CheckKind::DueSoon => "due soon",
            CheckKind::MissingOwner => "missing owner",
        };
        out.push_str(&format!(
            "  {}:{} {label}: {}\n",
            item.line, item.column, item.message
        ));
    }
    out
}
