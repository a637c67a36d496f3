//! Change history as pages (issue #6): for every governing document a
//! `…/historik/` page merging its formal change log with the commits that
//! touched it, each commit with a readable diff against the version
//! before; a site-wide recent-changes page and its Atom feed; and the
//! per-page `history` data templates read ("changed since", last change).
//!
//! Diffs are word-level for prose and line-level for tables, code and
//! front matter; insertions and deletions are `<ins>`/`<del>` with their
//! meaning in words for screen readers, never colour alone. Must not run
//! git itself: it reads the facts `history` collected.

use crate::config::Config;
use crate::content::{ContentTree, PageId};
use crate::history::{ChangeKind, Commit, FileHistory, History};
use serde_json::{json, Value};
use similar::{ChangeTag, TextDiff};
use std::path::Path;

/// How many commits of one document get a diff on its history page.
const DIFFS_PER_DOCUMENT: usize = 25;
/// How many changes the recent-changes page and feed list.
const RECENT_CHANGES: usize = 60;

/// The words a screen reader hears for a change, in the site's language.
struct Words {
    added: &'static str,
    removed: &'static str,
    unchanged_lines: &'static str,
}

fn words(lang: &str) -> Words {
    if lang == "sv" {
        Words {
            added: "Tillagt: ",
            removed: "Borttaget: ",
            unchanged_lines: "oförändrade rader",
        }
    } else {
        Words {
            added: "Added: ",
            removed: "Removed: ",
            unchanged_lines: "unchanged lines",
        }
    }
}

use crate::markdown::escape::attr as escape;

/// Lines that are structure rather than prose: diffed whole.
fn is_structural(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('|')
        || t.starts_with("```")
        || t.starts_with("+++")
        || t.starts_with("---")
        || t.starts_with("    ")
        || t.contains(" = ")
}

fn ins(text: &str, w: &Words) -> String {
    format!(
        "<ins><span class=\"visually-hidden\">{}</span>{}</ins>",
        w.added,
        escape(text)
    )
}

fn del(text: &str, w: &Words) -> String {
    format!(
        "<del><span class=\"visually-hidden\">{}</span>{}</del>",
        w.removed,
        escape(text)
    )
}

/// An accessible HTML diff of two versions of a file.
pub(crate) fn render_diff(old: &str, new: &str, lang: &str) -> String {
    let w = words(lang);
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::from("<div class=\"diff\">\n");
    for group in diff.grouped_ops(1) {
        out.push_str("<div class=\"diff-hunk\">\n");
        for op in group {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            let old_lines: Vec<&str> = diff.old_slices()[old_range].to_vec();
            let new_lines: Vec<&str> = diff.new_slices()[new_range].to_vec();
            match tag {
                similar::DiffTag::Equal => {
                    for l in old_lines {
                        out.push_str(&format!(
                            "<p class=\"diff-line diff-same\">{}</p>\n",
                            escape(l.trim_end())
                        ));
                    }
                }
                similar::DiffTag::Replace
                    if old_lines.len() == new_lines.len()
                        && !old_lines.iter().chain(&new_lines).any(|l| is_structural(l)) =>
                {
                    for (o, n) in old_lines.iter().zip(&new_lines) {
                        out.push_str("<p class=\"diff-line diff-changed\">");
                        out.push_str(&word_diff(o.trim_end(), n.trim_end(), &w));
                        out.push_str("</p>\n");
                    }
                }
                _ => {
                    for l in old_lines {
                        out.push_str(&format!(
                            "<p class=\"diff-line diff-removed\">{}</p>\n",
                            del(l.trim_end(), &w)
                        ));
                    }
                    for l in new_lines {
                        out.push_str(&format!(
                            "<p class=\"diff-line diff-added\">{}</p>\n",
                            ins(l.trim_end(), &w)
                        ));
                    }
                }
            }
        }
        out.push_str("</div>\n");
    }
    if diff.ratio() >= 1.0 {
        out.push_str(&format!(
            "<p class=\"diff-none\">({})</p>\n",
            w.unchanged_lines
        ));
    }
    out.push_str("</div>");
    out
}

/// Word-level changes of one line: runs of deleted and inserted words
/// are each marked once (`<del>a b</del><ins>c d</ins>`), not word by word.
fn word_diff(old: &str, new: &str, w: &Words) -> String {
    let diff = TextDiff::from_words(old, new);
    let mut out = String::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    let flush = |out: &mut String, deleted: &mut String, inserted: &mut String| {
        if !deleted.is_empty() {
            out.push_str(&del(deleted, w));
            deleted.clear();
        }
        if !inserted.is_empty() {
            out.push_str(&ins(inserted, w));
            inserted.clear();
        }
    };
    for change in diff.iter_all_changes() {
        let text = change.value();
        match change.tag() {
            // Whitespace between two changed words stays inside the run.
            ChangeTag::Equal
                if text.trim().is_empty() && (!deleted.is_empty() || !inserted.is_empty()) =>
            {
                if !deleted.is_empty() {
                    deleted.push_str(text);
                }
                if !inserted.is_empty() {
                    inserted.push_str(text);
                }
            }
            ChangeTag::Equal => {
                flush(&mut out, &mut deleted, &mut inserted);
                out.push_str(&escape(text));
            }
            ChangeTag::Delete => deleted.push_str(text),
            ChangeTag::Insert => inserted.push_str(text),
        }
    }
    flush(&mut out, &mut deleted, &mut inserted);
    out
}

fn site_relative(tree: &ContentTree, id: PageId) -> std::path::PathBuf {
    Path::new("content").join(&tree.pages[id.0].file.relative)
}

fn commit_value(c: &Commit) -> Value {
    json!({
        "hash": c.hash, "short": c.short, "author": c.author,
        "date": c.date.format("%Y-%m-%d").to_string(),
        "datetime": c.date.to_rfc3339(),
        "message": c.message, "body": c.body, "withheld": c.withheld,
        "change": match &c.change {
            ChangeKind::Added => "added",
            ChangeKind::Modified => "modified",
            ChangeKind::Renamed { .. } => "renamed",
            ChangeKind::Deleted => "deleted",
        },
        "renamed_from": match &c.change { ChangeKind::Renamed { from } => Some(from.clone()), _ => None },
    })
}

/// The `history` variable of a page: its commits (newest first), first and
/// last change, last meaningful change, and whether the work tree has
/// uncommitted edits of it.
pub(crate) fn page_value(
    history: &History,
    tree: &ContentTree,
    id: PageId,
    ignore: Option<&regex::Regex>,
) -> Value {
    let Some(file) = history.file(&site_relative(tree, id)) else {
        return json!({"available": history.available, "commits": [], "dirty": false, "untracked": history.available});
    };
    let meaningful = ignore
        .and_then(|re| file.last_meaningful(re))
        .or_else(|| file.last());
    json!({
        "available": history.available,
        "commits": file.commits.iter().map(commit_value).collect::<Vec<_>>(),
        "first": file.first().map(commit_value),
        "last": file.last().map(commit_value),
        "last_meaningful": meaningful.map(commit_value),
        "dirty": file.dirty,
        "untracked": file.untracked,
        "truncated": file.truncated,
    })
}

/// The date of a page's last meaningful commit (`page.updated` fallback).
pub(crate) fn last_meaningful_date(
    history: &History,
    tree: &ContentTree,
    id: PageId,
    ignore: Option<&regex::Regex>,
) -> Option<String> {
    let file = history.file(&site_relative(tree, id))?;
    let c = ignore
        .and_then(|re| file.last_meaningful(re))
        .or_else(|| file.last())?;
    Some(c.date.format("%Y-%m-%d").to_string())
}

/// The timeline of a document's history page: change-log entries and
/// commits merged newest first; each commit with its diff.
pub(crate) fn timeline(
    history: &History,
    file: &FileHistory,
    changes: &[Value],
    lang: &str,
) -> Vec<Value> {
    let mut items: Vec<(String, Value)> = Vec::new();
    for c in changes {
        let date = c
            .get("date")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        items.push((date, json!({"type": "change", "change": c})));
    }
    for (i, c) in file.commits.iter().enumerate() {
        let mut v = json!({"type": "commit", "commit": commit_value(c)});
        if i < DIFFS_PER_DOCUMENT && c.change != ChangeKind::Deleted {
            let new = history
                .content_at(&c.hash, &c.path_at_commit)
                .unwrap_or_default();
            let old = file
                .commits
                .get(i + 1)
                .and_then(|p| history.content_at(&p.hash, &p.path_at_commit))
                .unwrap_or_default();
            v["diff"] = Value::String(render_diff(&old, &new, lang));
        }
        items.push((c.date.format("%Y-%m-%dT%H:%M:%S").to_string(), v));
    }
    items.sort_by(|a, b| b.0.cmp(&a.0));
    items.into_iter().map(|(_, v)| v).collect()
}

/// The most recent changes to content files, newest first: each with the
/// page it touched, for the recent-changes page and feed.
pub(crate) fn recent_changes(
    history: &History,
    tree: &ContentTree,
    governance: &dyn Fn(PageId) -> Option<Value>,
) -> Vec<Value> {
    let mut all: Vec<(&Commit, PageId)> = Vec::new();
    for id in tree.rendered_pages() {
        if let Some(file) = history.file(&site_relative(tree, id)) {
            all.extend(file.commits.iter().map(|c| (c, id)));
        }
    }
    all.sort_by(|a, b| {
        b.0.committed
            .cmp(&a.0.committed)
            .then_with(|| a.1.cmp(&b.1))
    });
    all.truncate(RECENT_CHANGES);
    all.into_iter()
        .map(|(c, id)| {
            let p = &tree.pages[id.0];
            let doc = governance(id)
                .and_then(|g| g.get("document").cloned())
                .unwrap_or(Value::Null);
            json!({
                "title": p.meta.title, "permalink": p.permalink, "commit": commit_value(c),
                "date": c.date.format("%Y-%m-%d").to_string(),
                "kind": doc.get("kind"), "owner": doc.get("owner"), "doc_id": doc.get("doc_id"),
            })
        })
        .collect()
}

/// Groups recent changes by day for the page.
pub(crate) fn group_by_date(changes: &[Value]) -> Vec<Value> {
    let mut groups: Vec<Value> = Vec::new();
    for c in changes {
        let date = c.get("date").cloned().unwrap_or(Value::Null);
        match groups.last_mut() {
            Some(g) if g["date"] == date => {
                if let Some(list) = g["changes"].as_array_mut() {
                    list.push(c.clone());
                }
            }
            _ => groups.push(json!({"date": date, "changes": [c]})),
        }
    }
    groups
}

/// Where the recent-changes page lives (`[handbook] changes_path`).
pub(crate) fn changes_path(config: &Config) -> String {
    let p = config
        .handbook
        .get("changes_path")
        .and_then(|v| v.as_str())
        .unwrap_or("andringar");
    format!("/{}/", p.trim_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_changes_are_word_level_and_in_words() {
        let html = render_diff(
            "Titel\nISAM granskar årligen.\nSlut\n",
            "Titel\nISAM granskar varje år.\nSlut\n",
            "sv",
        );
        assert!(
            html.contains("<del><span class=\"visually-hidden\">Borttaget: </span>årligen.</del>"),
            "{html}"
        );
        assert!(
            html.contains("<ins><span class=\"visually-hidden\">Tillagt: </span>varje år.</ins>"),
            "{html}"
        );
        assert!(html.contains("ISAM granskar "), "{html}");
    }

    #[test]
    fn tables_and_front_matter_are_line_level() {
        let html = render_diff(
            "version = \"1.0\"\n| a | b |\n",
            "version = \"1.1\"\n| a | c |\n",
            "en",
        );
        assert!(html.contains("<del><span class=\"visually-hidden\">Removed: </span>version = &quot;1.0&quot;</del>"), "{html}");
        assert!(html.contains("diff-added"), "{html}");
    }
}
