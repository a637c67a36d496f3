//! The responsibility matrix: roles × documents, each cell listing what
//! the role does in the document: "äger" (owner), "fastställer"
//! (approved_by), its duties (front-matter responsibilities and inline
//! duties, with links to the passages) and "läser" (required reading).
//!
//! JSON only; must not render HTML.

use super::model::{Approver, Document, Model, Role};
use super::site::Shown;
use super::view::{doc_ref_kept, kept_object, object, role_ref};
use serde_json::{json, Value};

/// `{roles: [role refs], rows: [{document, cells: [cell | null per role]}]}`.
/// With only the fields of documents and cells that `shown` names.
pub(crate) fn matrix_value(model: &Model, shown: &Shown) -> Value {
    let roles: Vec<Value> = model.roles.iter().map(|r| role_ref(model, &r.id)).collect();
    let rows: Vec<Value> = model
        .documents
        .iter()
        .map(|doc| {
            let cells: Vec<Value> = model
                .roles
                .iter()
                .map(|role| cell(model, doc, role, &shown.cell))
                .collect();
            object([
                ("document", doc_ref_kept(model, doc.page, &shown.document)),
                ("cells", Value::Array(cells)),
            ])
        })
        .collect();
    object([("roles", Value::Array(roles)), ("rows", Value::Array(rows))])
}

/// The fields of a cell, in its order.
pub(super) const CELL_FIELDS: [&str; 6] =
    ["role", "labels", "owner", "approves", "reads", "duties"];

/// What one role does in one document, or null; with the fields `keep`
/// marks.
fn cell(model: &Model, doc: &Document, role: &Role, keep: &[bool; 6]) -> Value {
    let id = role.id.as_str();
    let mut labels = Vec::new();
    if doc.owner.as_deref() == Some(id) {
        labels.push("äger");
    }
    if doc.approved_by == Some(Approver::Role(id.to_string())) {
        labels.push("fastställer");
    }
    let page = model.page(doc.page);
    let mut duties: Vec<Value> = doc
        .responsibilities
        .iter()
        .filter(|r| r.role.as_deref() == Some(id))
        .map(|r| json!({ "text": r.duty, "permalink": page.permalink }))
        .collect();
    duties.extend(
        model
            .links
            .duties_on
            .get(&doc.page)
            .into_iter()
            .flatten()
            .filter_map(|i| model.duties.get(*i))
            .filter(|d| d.role.as_deref() == Some(id))
            .map(|d| json!({ "text": d.text, "permalink": format!("{}#{}", page.permalink, d.anchor) })),
    );
    let reads = role.required_reading.contains(&doc.page);
    if !duties.is_empty() {
        labels.push("ansvarar");
    }
    if reads {
        labels.push("läser");
    }
    if labels.is_empty() {
        return Value::Null;
    }
    let approves = labels.contains(&"fastställer");
    let owner = doc.owner.as_deref() == Some(id);
    let mut duties = Some(duties);
    let make = |field: &str| match field {
        "role" => json!(id),
        "labels" => json!(labels),
        "owner" => json!(owner),
        "approves" => json!(approves),
        "reads" => json!(reads),
        "duties" => Value::Array(duties.take().unwrap_or_default()),
        _ => Value::Null,
    };
    kept_object(&CELL_FIELDS, keep, make)
}
