//! A governing document's history as staff read it: its versions, newest
//! first, each with its change-log entry (version, date, kind, summary,
//! approver) and the reviews recorded under it, the changed fields in
//! words and the text diff since the previous version, and the commits of
//! the version as a technical trail. Outside git, the change log alone.
//!
//! Also the diff of two states of a document used for every commit of the
//! trail: front matter as fields in words, body as an accessible diff in
//! which blank lines are not changes. Must not run git itself.

use super::diff::render_diff;
use super::reader_text::Labels;
use crate::history::{version_spans, FileHistory, History, VersionSpan};
use serde_json::{json, Value};

/// The TOML front matter and the body of a content file (the whole text
/// as body when it has no `+++` front matter).
fn split(text: &str) -> (Option<toml::Table>, &str) {
    let Some(rest) = text.strip_prefix("+++") else {
        return (None, text);
    };
    let Some(rest) = rest
        .strip_prefix('\n')
        .or_else(|| rest.strip_prefix("\r\n"))
    else {
        return (None, text);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return (front.parse().ok(), body);
        }
        offset += line.len();
    }
    (None, text)
}

/// `extra.version` of a file's front matter.
pub(crate) fn read_version(text: &str) -> Option<String> {
    let (front, _) = split(text);
    match front?.get("extra")?.get("version")? {
        toml::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A value in words, or `None` for a structure (a table or a list of
/// tables), which is reported as changed without its contents.
fn words(key: &str, value: &toml::Value, labels: &Labels<'_>) -> Option<String> {
    Some(match value {
        toml::Value::String(s) => labels.value(key, s),
        toml::Value::Array(items) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|item| match item {
                    toml::Value::Table(_) | toml::Value::Array(_) => None,
                    toml::Value::String(s) => Some(labels.value(key, s)),
                    other => Some(other.to_string()),
                })
                .collect();
            parts?.join(", ")
        }
        toml::Value::Table(_) => return None,
        toml::Value::Boolean(b) => labels.yes_no(*b),
        other => other.to_string(),
    })
}

/// The fields of a front matter, `[extra]` flattened into the top level,
/// the change log left out (the versions show it).
fn fields(front: Option<&toml::Table>) -> Vec<(String, toml::Value)> {
    let mut out = Vec::new();
    let Some(front) = front else { return out };
    for (key, value) in front {
        if key == "extra" {
            if let toml::Value::Table(extra) = value {
                out.extend(
                    extra
                        .iter()
                        .filter(|(k, _)| k.as_str() != "changes")
                        .map(|(k, v)| (k.clone(), v.clone())),
                );
            }
        } else {
            out.push((key.clone(), value.clone()));
        }
    }
    out
}

/// The front-matter fields that differ, in words: `{label, old, new}`
/// (an empty side is absent), or `{label, changed: true}` for a structure.
pub(crate) fn field_changes(old: &str, new: &str, labels: &Labels<'_>) -> Vec<Value> {
    let (old_front, _) = split(old);
    let (new_front, _) = split(new);
    let old_fields = fields(old_front.as_ref());
    let new_fields = fields(new_front.as_ref());
    let find = |list: &[(String, toml::Value)], key: &str| {
        list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    let mut keys: Vec<String> = new_fields.iter().map(|(k, _)| k.clone()).collect();
    keys.extend(
        old_fields
            .iter()
            .map(|(k, _)| k.clone())
            .filter(|k| find(&new_fields, k).is_none()),
    );
    let mut out = Vec::new();
    for key in keys {
        let (before, after) = (find(&old_fields, &key), find(&new_fields, &key));
        if before == after {
            continue;
        }
        let label = labels.field(&key);
        let in_words = |v: &Option<toml::Value>| v.as_ref().map(|v| words(&key, v, labels));
        match (in_words(&before), in_words(&after)) {
            (Some(None), _) | (_, Some(None)) => {
                out.push(json!({"key": key, "label": label, "changed": true}));
            }
            (b, a) => out.push(json!({
                "key": key, "label": label,
                "old": b.flatten(), "new": a.flatten(),
            })),
        }
    }
    out
}

/// The body without blank lines: adding or removing one is not a change
/// a reader should see.
fn without_blank_lines(body: &str) -> String {
    body.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The changed fields as an HTML list, in the page's words.
fn render_field_changes(changes: &[Value], labels: &Labels<'_>) -> String {
    if changes.is_empty() {
        return String::new();
    }
    let to = labels.get("history_changed_to", ("ändrat till", "changed to"));
    let changed = labels.get("field_changed", ("ändrat", "changed"));
    let esc = crate::markdown::escape::attr;
    let mut out = String::from("<ul class=\"field-changes\">\n");
    for c in changes {
        let label = c["label"].as_str().unwrap_or_default();
        if c["changed"].as_bool() == Some(true) {
            out.push_str(&format!("<li>{}: {}</li>\n", esc(label), esc(&changed)));
            continue;
        }
        let side = |v: &Value| v.as_str().map_or_else(|| "–".to_string(), esc);
        out.push_str(&format!(
            "<li>{}: {} <span aria-hidden=\"true\">→</span><span class=\"visually-hidden\"> {}</span> {}</li>\n",
            esc(label),
            side(&c["old"]),
            esc(&to),
            side(&c["new"]),
        ));
    }
    out.push_str("</ul>\n");
    out
}

/// What changed between two states of a document: fields in words, then
/// the text; blank lines are not changes.
pub(crate) fn document_diff(old: &str, new: &str, labels: &Labels<'_>, lang: &str) -> String {
    // A new file's fields are all new: its text says it all.
    let fields = if old.is_empty() {
        String::new()
    } else {
        render_field_changes(&field_changes(old, new, labels), labels)
    };
    let (_, old_body) = split(old);
    let (_, new_body) = split(new);
    let (old_body, new_body) = (without_blank_lines(old_body), without_blank_lines(new_body));
    if old_body == new_body && !fields.is_empty() {
        return fields;
    }
    format!("{fields}{}", render_diff(&old_body, &new_body, lang))
}

/// The distinct versions of a change log in order of first appearance,
/// each with its entries.
fn log_versions(changes: &[Value]) -> Vec<(String, Vec<Value>)> {
    let mut sorted: Vec<&Value> = changes.iter().collect();
    // Stable: entries of one day keep the order they are written in.
    sorted.sort_by_key(|c| c["date"].as_str().unwrap_or_default().to_string());
    let mut out: Vec<(String, Vec<Value>)> = Vec::new();
    for c in sorted {
        let version = match &c["version"] {
            Value::String(s) => s.clone(),
            Value::Null => continue,
            other => other.to_string(),
        };
        match out.iter_mut().find(|(v, _)| *v == version) {
            Some((_, entries)) => entries.push(c.clone()),
            None => out.push((version, vec![c.clone()])),
        }
    }
    out
}

/// The versions of a document for its history page, newest first.
/// `commit_value` words one commit as the page shows it.
pub(crate) fn versions(
    history: &History,
    file: &FileHistory,
    changes: &[Value],
    labels: &Labels<'_>,
    lang: &str,
    commit_value: &dyn Fn(&crate::history::Commit) -> Value,
) -> Vec<Value> {
    let spans = if history.available {
        version_spans(history, file, &read_version)
    } else {
        Vec::new()
    };
    let span_of = |version: &str| -> Option<&VersionSpan> {
        spans.iter().rev().find(|s| s.version == version)
    };
    let logged = log_versions(changes);
    let mut out = Vec::new();
    for (i, (version, entries)) in logged.iter().enumerate() {
        // The entry that made the version (not a later review of it).
        let made = entries
            .iter()
            .find(|e| e["kind"].as_str() != Some("granskad"))
            .unwrap_or(&entries[0]);
        let reviews: Vec<&Value> = entries.iter().filter(|e| !std::ptr::eq(*e, made)).collect();
        let previous = i.checked_sub(1).map(|p| logged[p].0.as_str());
        let span = span_of(version);
        let diff = match (previous.and_then(span_of), span) {
            (Some(before), Some(now)) => Some(document_diff(
                &before.last_text,
                &now.first_text,
                labels,
                lang,
            )),
            _ => None,
        };
        let trail: Vec<Value> = span
            .map(|s| {
                (s.newest..=s.oldest)
                    .map(|k| commit_value(&file.commits[k]))
                    .collect()
            })
            .unwrap_or_default();
        out.push(json!({
            "version": version,
            "entry": made,
            "reviews": reviews,
            "previous": previous,
            "first": i == 0,
            "diff": diff,
            "trail": trail,
        }));
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn config() -> Config {
        let text = "base_url = '/'\ndefault_language = 'sv'\n[translations]\nstatus = 'Status'\nstatus_draft = 'Utkast'\nstatus_current = 'Gällande'\nlast_reviewed = 'Senast granskat'\nresponsibilities = 'Ansvarsfördelning'\n";
        Config::from_str_for_tests(text).unwrap_or_else(|d| panic!("{:?}", d.sorted()))
    }

    const OLD: &str = "+++\ntitle = \"R\"\n[extra]\nversion = \"1.0\"\nstatus = \"utkast\"\nlast_reviewed = 2025-03-12\n[[extra.responsibilities]]\nrole = \"isam\"\nduty = \"a\"\n[[extra.changes]]\nversion = \"1.0\"\n+++\nEtt.\n\nTvå.\n";

    #[test]
    fn fields_are_listed_by_the_themes_labels_with_values_in_words() {
        let config = config();
        let labels = Labels::new(&config, "sv");
        let new = OLD
            .replace("utkast", "gällande")
            .replace("2025-03-12", "2026-03-10")
            .replace("duty = \"a\"", "duty = \"b\"")
            .replace(
                "[[extra.changes]]\nversion = \"1.0\"",
                "[[extra.changes]]\nversion = \"1.1\"",
            );
        let changes = field_changes(OLD, &new, &labels);
        let text: Vec<String> = changes
            .iter()
            .map(|c| match c["changed"].as_bool() {
                Some(true) => format!("{}: ändrat", c["label"].as_str().unwrap_or_default()),
                _ => format!(
                    "{}: {} → {}",
                    c["label"].as_str().unwrap_or_default(),
                    c["old"].as_str().unwrap_or("–"),
                    c["new"].as_str().unwrap_or("–")
                ),
            })
            .collect();
        assert_eq!(
            text,
            [
                "Status: Utkast → Gällande",
                "Senast granskat: 2025-03-12 → 2026-03-10",
                "Ansvarsfördelning: ändrat",
            ],
            "the change log itself is not a field change"
        );
    }

    #[test]
    fn blank_lines_are_not_changes() {
        let config = config();
        let labels = Labels::new(&config, "sv");
        let new = OLD.replace("Ett.\n\nTvå.", "Ett.\n\n\nTvå.\n");
        let html = document_diff(OLD, &new, &labels, "sv");
        assert!(!html.contains("<ins>"), "{html}");
        assert!(!html.contains("<del>"), "{html}");
    }

    #[test]
    fn the_version_is_read_from_the_front_matter() {
        assert_eq!(read_version(OLD).as_deref(), Some("1.0"));
        assert_eq!(read_version("no front matter"), None);
    }
}
