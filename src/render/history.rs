//! Change history as pages: for every governing document a
//! `…/historik/` page merging its formal change log with the commits that
//! touched it, each commit with a readable diff against the version
//! before; a site-wide recent-changes page and its Atom feed; and the
//! per-page `history` data templates read ("changed since", last change).
//!
//! Diffs are word-level for prose and line-level for tables, code and
//! front matter; insertions and deletions are `<ins>`/`<del>` with their
//! meaning in words for screen readers, never colour alone. Must not run
//! git itself: it reads the facts `history` collected.

use super::reader_text::{Labels, Messages};
use crate::config::Config;
use crate::content::{ContentTree, PageId};
use crate::history::{ChangeKind, Commit, FileHistory, History};
use serde_json::{json, Value};
use std::path::Path;

/// How many commits of one document get a diff on its history page.
const DIFFS_PER_DOCUMENT: usize = 25;
/// How many changes the recent-changes page and feed list.
const RECENT_CHANGES: usize = 60;

fn site_relative(tree: &ContentTree, id: PageId) -> std::path::PathBuf {
    Path::new("content").join(&tree.pages[id.0].file.relative)
}

/// One commit as readers see it (`history.commits`, the recent changes):
/// its message as `[handbook.history] messages` allows, `editorial` when
/// only the editorial label is shown, `withheld` when the build's audience
/// may not see what it touched.
#[derive(serde::Serialize)]
pub(crate) struct CommitView<'a> {
    hash: &'a str,
    short: &'a str,
    author: &'a str,
    /// `YYYY-MM-DD`, author date.
    date: String,
    /// RFC 3339, author date.
    datetime: String,
    message: String,
    body: String,
    editorial: bool,
    withheld: bool,
    /// `added`, `modified`, `renamed` or `deleted`.
    change: &'static str,
    renamed_from: Option<&'a str>,
}

/// A commit's template value.
pub(crate) fn commit_value(c: &Commit, messages: &Messages) -> Value {
    let (message, body, editorial) = messages.for_commit(c);
    let view = CommitView {
        hash: &c.hash,
        short: &c.short,
        author: &c.author,
        date: c.date.format("%Y-%m-%d").to_string(),
        datetime: c.date.to_rfc3339(),
        message,
        body,
        editorial: editorial || c.withheld,
        withheld: c.withheld,
        change: match &c.change {
            ChangeKind::Added => "added",
            ChangeKind::Modified => "modified",
            ChangeKind::Renamed { .. } => "renamed",
            ChangeKind::Deleted => "deleted",
        },
        renamed_from: match &c.change {
            ChangeKind::Renamed { from } => Some(from),
            _ => None,
        },
    };
    super::views::to_value(&view)
}

/// The `history` variable of a page: its commits (newest first), first and
/// last change, last meaningful change, and whether the work tree has
/// uncommitted edits of it.
pub(crate) fn page_value(
    history: &History,
    tree: &ContentTree,
    id: PageId,
    config: &Config,
) -> Value {
    let messages = Messages::new(config, &Labels::new(config, &tree.pages[id.0].lang));
    let commit_value = |c: &Commit| commit_value(c, &messages);
    let Some(file) = history.file(&site_relative(tree, id)) else {
        return json!({"available": history.available, "commits": [], "dirty": false, "untracked": history.available});
    };
    let meaningful = history.last_meaningful(&site_relative(tree, id));
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

/// The timeline of a document's history page: change-log entries and
/// commits merged newest first; each commit with its diff.
pub(crate) fn timeline(
    history: &History,
    file: &FileHistory,
    changes: &[Value],
    lang: &str,
    config: &Config,
) -> Vec<Value> {
    let labels = Labels::new(config, lang);
    let messages = Messages::new(config, &labels);
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
        let mut v = json!({"type": "commit", "commit": commit_value(c, &messages)});
        if i < DIFFS_PER_DOCUMENT && c.change != ChangeKind::Deleted {
            let new = history
                .content_at(&c.hash, &c.path_at_commit)
                .unwrap_or_default();
            let old = file
                .commits
                .get(i + 1)
                .and_then(|p| history.content_at(&p.hash, &p.path_at_commit))
                .unwrap_or_default();
            v["diff"] = Value::String(super::versions::document_diff(&old, &new, &labels, lang));
        }
        items.push((c.date.format("%Y-%m-%dT%H:%M:%S").to_string(), v));
    }
    items.sort_by(|a, b| b.0.cmp(&a.0));
    items.into_iter().map(|(_, v)| v).collect()
}

/// A document's versions for its history page, newest first (see
/// `versions.rs`), commits worded as readers see them.
pub(crate) fn versions_value(
    history: &History,
    file: &FileHistory,
    changes: &[Value],
    lang: &str,
    config: &Config,
) -> Vec<Value> {
    let labels = Labels::new(config, lang);
    let messages = Messages::new(config, &labels);
    super::versions::versions(history, file, changes, &labels, lang, &|c| {
        commit_value(c, &messages)
    })
}

/// The most recent changes to content files, newest first: each with the
/// page it touched, for the recent-changes page and feed.
pub(crate) fn recent_changes(
    history: &History,
    tree: &ContentTree,
    governance: &dyn Fn(PageId) -> Option<Value>,
    config: &Config,
) -> Vec<Value> {
    let messages = Messages::new(config, &Labels::new(config, &config.default_language));
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
                "title": p.meta.title, "permalink": p.permalink, "commit": commit_value(c, &messages),
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
