//! Per-document rules of document control (ISO/IEC 27001 7.5), checked
//! while the document's field locations are at hand:
//!
//! - `gov::unknown-kind`, `gov::unknown-status`: values outside the
//!   `[handbook]` lists (audiences are checked on every page and section
//!   before a build filters, in `confidentiality.rs`);
//! - `gov::unapproved-in-force`: `gällande` without `approved_by` and
//!   `approved`;
//! - `gov::version-mismatch`: the newest `changes` entry disagrees with
//!   `version`;
//! - `gov::unknown-change-kind`: a change that is not major/minor/granskad;
//! - `gov::missing-owner`, `gov::missing-doc-id`.
//!
//! Must not resolve references or compute dates.

use super::super::extract::Fields;
use super::super::model::Document;
use super::super::settings::Settings;
use super::{suggest, MISSING_DOC_ID, MISSING_OWNER, UNAPPROVED_IN_FORCE};
use super::{UNKNOWN_CHANGE_KIND, UNKNOWN_KIND, UNKNOWN_STATUS, VERSION_MISMATCH};
use serde_json::Value;

/// The status that means "in force".
pub(crate) const IN_FORCE: &str = "gällande";
/// The change kinds of a change log.
pub(crate) const CHANGE_KINDS: &[&str] = &["major", "minor", "granskad"];

/// Runs every per-document rule.
pub(crate) fn check(doc: &Document, f: &Fields<'_>, settings: &Settings) {
    listed(
        f,
        "kind",
        Some(&doc.kind),
        &settings.kinds,
        "kinds",
        UNKNOWN_KIND,
    );
    listed(
        f,
        "status",
        doc.status.as_ref(),
        &settings.statuses,
        "statuses",
        UNKNOWN_STATUS,
    );
    in_force_needs_approval(doc, f);
    version_matches_changes(doc, f);
    change_kinds(f);
    if f.get("owner").is_none() {
        f.report(
            MISSING_OWNER,
            &["owner"],
            "the document has no `owner`",
            Some("name the role that owns it, e.g. `owner = \"isam\"`".into()),
        );
    }
    if f.get("doc_id").is_none() {
        f.report(
            MISSING_DOC_ID,
            &["doc_id"],
            "the document has no `doc_id`",
            Some("give it a unique identifier, e.g. `doc_id = \"UTB-ANV-004\"`".into()),
        );
    }
}

fn listed(
    f: &Fields<'_>,
    key: &str,
    value: Option<&String>,
    allowed: &[String],
    what: &str,
    rule: super::Rule,
) {
    let Some(value) = value else { return };
    if value.is_empty() || allowed.iter().any(|a| a == value) {
        return;
    }
    let candidates: Vec<&str> = allowed.iter().map(String::as_str).collect();
    f.report(
        rule,
        &[key],
        format!("unknown {key} `{value}`"),
        Some(format!(
            "{}; the list is `[handbook] {what}` in config.toml",
            suggest(value, &candidates, what)
        )),
    );
}

fn in_force_needs_approval(doc: &Document, f: &Fields<'_>) {
    if doc.status.as_deref() != Some(IN_FORCE) {
        return;
    }
    let missing: Vec<&str> = [
        ("approved_by", f.get("approved_by").is_none()),
        ("approved", f.get("approved").is_none()),
    ]
    .iter()
    .filter(|(_, missing)| *missing)
    .map(|(k, _)| *k)
    .collect();
    if missing.is_empty() {
        return;
    }
    f.report(
        UNAPPROVED_IN_FORCE,
        &["status"],
        format!(
            "the document is `{IN_FORCE}` but has no `{}`",
            missing.join("` or `")
        ),
        Some(format!(
            "a document in force must be approved (ISO/IEC 27001 7.5.2 c): add `{}`, or set `status = \"utkast\"`",
            missing.join("` and `")
        )),
    );
}

fn version_matches_changes(doc: &Document, f: &Fields<'_>) {
    let (Some(version), Some(newest)) = (&doc.version, doc.changes.first()) else {
        return;
    };
    let Some(logged) = &newest.version else {
        return;
    };
    if logged == version {
        return;
    }
    let index = newest.index.to_string();
    f.report(
        VERSION_MISMATCH,
        &["version"],
        format!(
            "`version` is \"{version}\" but the newest change log entry (at {}) is version \"{logged}\"",
            f.describe(&["changes", &index, "version"])
        ),
        Some("add a `[[extra.changes]]` entry for this version, or correct `version`".into()),
    );
}

fn change_kinds(f: &Fields<'_>) {
    let Some(Value::Array(changes)) = f.get("changes") else {
        return;
    };
    for (i, change) in changes.iter().enumerate() {
        let Some(kind) = change.get("kind").and_then(Value::as_str) else {
            continue;
        };
        if CHANGE_KINDS.contains(&kind.trim()) {
            continue;
        }
        f.report(
            UNKNOWN_CHANGE_KIND,
            &["changes", &i.to_string(), "kind"],
            format!("unknown change kind `{kind}`"),
            Some(suggest(kind, CHANGE_KINDS, "change kinds")),
        );
    }
}
