//! Review dates (Annex A 5.1: policies reviewed at planned intervals):
//! `next_review` is the one given in front matter, else the latest of
//! `last_reviewed`, `approved` and the newest change-log date plus the
//! review interval. Against "today" a document is overdue, due soon
//! (within `due_soon_days`), ok, or has no review date (nothing to count
//! from, or `upphävd`).
//!
//! Raises `gov::review-overdue` (a warning unless configured) and returns
//! the `handbok check` lines: overdue, due soon (never a diagnostic) and
//! missing owner. Must not read the clock: "today" is passed in.

use super::super::dates::iso;
use super::super::extract::Fields;
use super::super::model::{CheckItem, CheckKind, Document, ReviewState};
use super::super::settings::Settings;
use super::REVIEW_OVERDUE;
use chrono::NaiveDate;

/// The status of a repealed document, which is never due for review.
pub(crate) const REPEALED: &str = "upphävd";

/// Fills `next_review`, `review_state` and `days_until_review`; returns
/// the key path of the date the review date was counted from.
pub(crate) fn schedule(doc: &mut Document, settings: &Settings, today: NaiveDate) -> Vec<String> {
    let (next, basis) = match doc.next_review {
        Some(given) => {
            doc.next_review_given = Some(given);
            (Some(given), vec!["next_review".to_string()])
        }
        None => match base_date(doc) {
            Some((base, basis)) => (doc.review_interval.0.add_to(base), basis),
            None => (None, vec!["kind".to_string()]),
        },
    };
    doc.next_review = next;
    match next {
        Some(next) if is_reviewed(doc) => {
            let days = (next - today).num_days();
            doc.days_until_review = Some(days);
            doc.review_state = if days < 0 {
                ReviewState::Overdue
            } else if days <= settings.due_soon_days {
                ReviewState::DueSoon
            } else {
                ReviewState::Ok
            };
        }
        _ => {
            doc.days_until_review = None;
            doc.review_state = ReviewState::None;
        }
    }
    basis
}

/// Only documents in force are reviewed at planned intervals: drafts and
/// documents out for consultation are still being written, repealed ones
/// are history, and a yearly management review is a record of its year
/// (the next year's review follows it) unless it gives `next_review`.
fn is_reviewed(doc: &Document) -> bool {
    let status_ok = match doc.status.as_deref() {
        None => true,
        Some(s) => s != REPEALED && s != "utkast" && s != "remiss",
    };
    let record = doc.kind == super::super::review::REVIEW_KIND && doc.next_review_given.is_none();
    status_ok && !record
}

/// The latest date a review or approval is recorded, with its key path.
fn base_date(doc: &Document) -> Option<(NaiveDate, Vec<String>)> {
    let mut candidates: Vec<(NaiveDate, Vec<String>)> = Vec::new();
    if let Some(d) = doc.last_reviewed {
        candidates.push((d, vec!["last_reviewed".into()]));
    }
    if let Some(d) = doc.approved {
        candidates.push((d, vec!["approved".into()]));
    }
    if let Some(change) = doc.changes.iter().find(|c| c.date.is_some()) {
        if let Some(d) = change.date {
            candidates.push((
                d,
                vec!["changes".into(), change.index.to_string(), "date".into()],
            ));
        }
    }
    // Stable max: on equal dates the first listed (last_reviewed) wins.
    candidates
        .into_iter()
        .reduce(|best, c| if c.0 > best.0 { c } else { best })
}

/// Reports an overdue review and returns the check lines of a document.
pub(crate) fn check(
    doc: &Document,
    f: &Fields<'_>,
    basis: &[String],
    file: &str,
) -> Vec<CheckItem> {
    let keys: Vec<&str> = basis.iter().map(String::as_str).collect();
    let mut items = Vec::new();
    let item = |keys: &[&str], kind, message: String| {
        let pos = f.line_col(keys);
        CheckItem {
            file: file.to_string(),
            line: pos.line,
            column: pos.column,
            kind,
            message,
        }
    };
    if let (Some(next), Some(days)) = (doc.next_review, doc.days_until_review) {
        match doc.review_state {
            ReviewState::Overdue => {
                let message = format!(
                    "review overdue: the next review was due {} ({} days ago)",
                    iso(next),
                    -days
                );
                f.warn(
                    REVIEW_OVERDUE,
                    &keys,
                    message.clone(),
                    Some("review the document, then set `last_reviewed` and add a `granskad` change entry".into()),
                );
                items.push(item(&keys, CheckKind::Overdue, message));
            }
            ReviewState::DueSoon => {
                let when = match days {
                    0 => "today".to_string(),
                    1 => "in 1 day".to_string(),
                    n => format!("in {n} days"),
                };
                items.push(item(
                    &keys,
                    CheckKind::DueSoon,
                    format!("review due soon: {} ({when})", iso(next)),
                ));
            }
            ReviewState::Ok | ReviewState::None => {}
        }
    }
    if f.get("owner").is_none() {
        items.push(item(
            &["owner"],
            CheckKind::MissingOwner,
            "the document has no owner".into(),
        ));
    }
    items
}
