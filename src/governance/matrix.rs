//! The responsibility matrix: roles × documents, each cell listing what
//! the role does in the document: "äger" (owner), "fastställer"
//! (approved_by), its duties (front-matter responsibilities and inline
//! duties, with links to the passages) and "läser" (required reading).
//!
//! JSON only; must not render HTML.

use super::model::{Approver, Document, Model, Role};
use super::view::{doc_ref, object, role_ref};
use serde_json::{json, Value};

/// `{roles: [role refs], rows: [{document, cells: [cell | null per role]}]}`.
pub(crate) fn matrix_value(model: &Model) -> Value {
    let roles: Vec<Value> = model.roles.iter().map(|r| role_ref(model, &r.id)).collect();
    let rows: Vec<Value> = model
        .documents
        .iter()
        .map(|doc| {
            let cells: Vec<Value> = model
                .roles
                .iter()
                .map(|role| cell(model, doc, role))
                .collect();
            object([
                ("document", doc_ref(model, doc.page)),
                ("cells", Value::Array(cells)),
            ])
        })
        .collect();
    object([("roles", Value::Array(roles)), ("rows", Value::Array(rows))])
}

/// What one role does in one document, or null.
fn cell(model: &Model, doc: &Document, role: &Role) -> Value {
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
    object([
        ("role", json!(id)),
        ("labels", json!(labels)),
        ("owner", json!(doc.owner.as_deref() == Some(id))),
        ("approves", json!(approves)),
        ("reads", json!(reads)),
        ("duties", Value::Array(duties)),
    ])
}
