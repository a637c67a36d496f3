//! `handbok review`: records a review, or the approval of a new version, in
//! a document's front matter. `last_reviewed` always; with a version also
//! `version`, `approved`, `approved_by` (and `status = "gällande"` for a
//! draft); and a `[[extra.changes]]` entry that agrees with them (kind
//! `granskad` for a review without change, `major` or `minor` by the
//! version number). Edited with `toml_edit`, so comments, blank lines and
//! key order stay as written.
//!
//! Pure: file text in, new file text out, or a diagnostic located in the file.

use super::Handbook;
use crate::diagnostics::{Diagnostic, SourceFile};
use chrono::{Datelike, NaiveDate};
use std::path::Path;
use toml_edit::{value, ArrayOfTables, DocumentMut, Item, Table, Value};

/// What `handbok review FILE --by ROLE [--version X --summary "…"] [--date D]` asks for.
#[derive(Debug, Clone)]
pub(crate) struct ReviewRequest {
    /// The role that reviewed or approved.
    pub(crate) by: String,
    /// A new version, when the review approves one.
    pub(crate) version: Option<String>,
    /// What changed; a default sentence when `None`.
    pub(crate) summary: Option<String>,
    /// The day of the review.
    pub(crate) date: NaiveDate,
}

/// The edited file and what was done, in words for the CLI to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReviewResult {
    /// The whole new file.
    pub(crate) text: String,
    /// One line per changed field (`version: 1.0 → 1.1`).
    pub(crate) changes: Vec<String>,
}

/// Applies the review to `text` (the file at `display`), or gives a located
/// error: no TOML front matter, not a governing document, unknown role.
pub(crate) fn apply_review(
    hb: &Handbook,
    display: &Path,
    text: &str,
    req: &ReviewRequest,
) -> Result<ReviewResult, Box<Diagnostic>> {
    let source = SourceFile::new(display, text);
    let Some((start, end)) = front_matter_span(text) else {
        return Err(Box::new(
            Diagnostic::error(
                "authoring::no-front-matter",
                "the file has no TOML front matter between `+++` lines",
            )
            .at(&source, 0)
            .with_help("`handbok review` edits governing documents whose front matter is TOML"),
        ));
    };
    let front = &text[start..end];
    let locate = |parts: &[&str]| start + crate::diagnostics::locate_key(front, parts).unwrap_or(0);
    let mut doc: DocumentMut = front.parse().map_err(|e: toml_edit::TomlError| {
        let at = start + crate::diagnostics::toml_error_offset(front, e.span(), e.message());
        Box::new(
            Diagnostic::error("front-matter::invalid-toml", e.message().trim().to_string())
                .at(&source, at),
        )
    })?;
    let is_document = doc
        .get("extra")
        .and_then(|e| e.get("kind"))
        .is_some_and(|k| k.is_str());
    if !is_document {
        return Err(Box::new(
            Diagnostic::error(
                "authoring::not-a-document",
                "the page is not a governing document: it has no `extra.kind`",
            )
            .at(&source, start)
            .with_help("`handbok review` records reviews of governing documents only"),
        ));
    }
    if let Err(d) = hb.check_role(&req.by, "--by") {
        let at = locate(&["extra", "approved_by"]).max(locate(&["extra", "owner"]));
        return Err(Box::new(d.at(&source, at)));
    }
    let extra = doc["extra"].as_table_mut().ok_or_else(|| {
        Box::new(
            Diagnostic::error("authoring::not-a-document", "`extra` is not a table")
                .at(&source, start),
        )
    })?;
    let changes = edit_extra(extra, req);
    let new_front = doc.to_string();
    let mut out = String::with_capacity(text.len() + 200);
    out.push_str(&text[..start]);
    out.push_str(&new_front);
    out.push_str(&text[end..]);
    Ok(ReviewResult { text: out, changes })
}

/// Byte range of the TOML between the `+++` lines (excluding them).
fn front_matter_span(text: &str) -> Option<(usize, usize)> {
    let rest = text.strip_prefix("\u{feff}").unwrap_or(text);
    let bom = text.len() - rest.len();
    let first_end = rest.find('\n')?;
    if rest[..first_end].trim_end() != "+++" {
        return None;
    }
    let start = bom + first_end + 1;
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((start, offset));
        }
        offset += line.len();
    }
    None
}

fn date_value(date: NaiveDate) -> toml_edit::Datetime {
    toml_edit::Datetime {
        date: Some(toml_edit::Date {
            year: u16::try_from(date.year()).unwrap_or(0),
            month: u8::try_from(date.month()).unwrap_or(1),
            day: u8::try_from(date.day()).unwrap_or(1),
        }),
        time: None,
        offset: None,
    }
}

/// Sets `key` to `new`, keeping the comments around an existing value;
/// returns the old value as written, when there was one.
fn set(table: &mut Table, key: &str, new: Value) -> Option<String> {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            let decor = old.decor().clone();
            let mut bare = old.clone();
            bare.decor_mut().clear();
            let before = bare.to_string();
            *old = new;
            *old.decor_mut() = decor;
            Some(before)
        }
        None => {
            table.insert(key, value(new));
            None
        }
    }
}

/// Records the change in words (`fält: före → efter`).
fn note(changes: &mut Vec<String>, key: &str, before: Option<String>, after: &str) {
    match before {
        Some(b) if b == after => {}
        Some(b) => changes.push(format!("{key}: {b} → {after}")),
        None => changes.push(format!("{key}: {after} (new)")),
    }
}

/// The edits to `[extra]`; returns them in words.
fn edit_extra(extra: &mut Table, req: &ReviewRequest) -> Vec<String> {
    let mut changes = Vec::new();
    let date = date_value(req.date);
    let date_text = date.to_string();
    let old_version = extra
        .get("version")
        .and_then(Item::as_str)
        .map(str::to_string);
    let before = set(extra, "last_reviewed", Value::from(date));
    note(&mut changes, "last_reviewed", before, &date_text);
    let kind = match &req.version {
        Some(version) => {
            let before = set(extra, "version", Value::from(version.as_str()));
            note(&mut changes, "version", before, &format!("{version:?}"));
            let before = set(extra, "approved", Value::from(date));
            note(&mut changes, "approved", before, &date_text);
            let before = set(extra, "approved_by", Value::from(req.by.as_str()));
            note(
                &mut changes,
                "approved_by",
                before,
                &format!("{:?}", req.by),
            );
            let draft = extra
                .get("status")
                .and_then(Item::as_str)
                .is_some_and(|s| s == "utkast" || s == "remiss");
            if draft {
                let before = set(extra, "status", Value::from("gällande"));
                note(&mut changes, "status", before, "\"gällande\"");
            }
            change_kind(old_version.as_deref(), version)
        }
        None => "granskad",
    };
    let version = req
        .version
        .clone()
        .or(old_version)
        .unwrap_or_else(|| "1.0".to_string());
    let summary = req.summary.clone().unwrap_or_else(|| match kind {
        "granskad" => "Granskad utan ändring.".to_string(),
        _ => format!("Version {version} fastställd."),
    });
    let mut entry = Table::new();
    entry.insert("version", value(version.as_str()));
    entry.insert("date", value(date));
    entry.insert("summary", value(summary.as_str()));
    entry.insert("approved_by", value(req.by.as_str()));
    entry.insert("kind", value(kind));
    match extra.get_mut("changes") {
        Some(Item::ArrayOfTables(list)) => list.push(entry),
        Some(Item::Value(Value::Array(list))) => {
            list.push(Value::InlineTable(entry.into_inline_table()));
        }
        _ => {
            let mut list = ArrayOfTables::new();
            list.push(entry);
            extra.insert("changes", Item::ArrayOfTables(list));
        }
    }
    changes.push(format!(
        "changes: + {version} {date_text} ({kind}) {summary}"
    ));
    changes
}

/// `granskad` when the version stays the same (a re-approval), `major`
/// when its first number grows (or there was none), else `minor`.
fn change_kind(old: Option<&str>, new: &str) -> &'static str {
    if old == Some(new) {
        return "granskad";
    }
    let major = |v: &str| {
        v.split('.')
            .next()
            .and_then(|n| n.trim().parse::<u64>().ok())
    };
    match (old.and_then(major), major(new)) {
        (Some(a), Some(b)) if b > a => "major",
        (Some(_), Some(_)) => "minor",
        _ => "major",
    }
}

#[cfg(test)]
mod tests {
    use super::change_kind;

    #[test]
    fn the_kind_of_a_change_follows_the_version_number() {
        assert_eq!(change_kind(Some("1.0"), "2.0"), "major");
        assert_eq!(change_kind(Some("0.1"), "1.0"), "major");
        assert_eq!(change_kind(Some("1.0"), "1.1"), "minor");
        assert_eq!(change_kind(Some("1.1"), "1.1"), "granskad");
        assert_eq!(change_kind(None, "1.0"), "major");
    }
}
