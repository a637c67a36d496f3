//! Which file each path belongs to as the walk goes back in time, and the
//! commits recorded for each: renames are followed by aliasing. Walking
//! newest first, once a commit renames `a` to `b`, older commits that touch
//! `a` belong to `b`'s history. Changes recorded under `a` before the walk
//! reached the rename (newer commits on a branch that still had `a`) join
//! `b`'s history too, unless `a` is itself a file at `HEAD` or was touched
//! by the renaming commit.
//!
//! Must not read git; `git.rs` feeds it paired changes in walk order.

use super::renames::{Change, Kind};
use super::{ChangeKind, Commit, FileHistory};
use chrono::{DateTime, FixedOffset};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// The per-commit part of [`Commit`], shared by the files it touched.
#[derive(Debug, Clone)]
pub(super) struct Meta {
    pub(super) hash: String,
    pub(super) author: String,
    pub(super) email: String,
    pub(super) date: DateTime<FixedOffset>,
    pub(super) committed: DateTime<FixedOffset>,
    pub(super) message: String,
    pub(super) body: String,
}

/// One file's identity through renames.
struct Key {
    /// Site-relative path: its name at `HEAD`, or its last name if deleted.
    name: String,
    /// A file at `HEAD` (never merged into another key).
    live: bool,
    /// Union-find parent after a rename joined two keys.
    parent: Option<usize>,
    /// (index into `metas`, change kind, site-relative path at the commit).
    changes: Vec<(usize, Kind, String)>,
}

/// Files and their recorded commits.
pub(super) struct Ledger {
    keys: Vec<Key>,
    alias: HashMap<String, usize>,
    metas: Vec<Meta>,
}

impl Ledger {
    /// A ledger whose live files are the site's files at `HEAD`.
    pub(super) fn new<'a>(head_files: impl Iterator<Item = &'a String>) -> Ledger {
        let mut ledger = Ledger {
            keys: Vec::new(),
            alias: HashMap::new(),
            metas: Vec::new(),
        };
        for name in head_files {
            ledger.add_key(name, true);
        }
        ledger
    }

    fn add_key(&mut self, name: &str, live: bool) -> usize {
        self.keys.push(Key {
            name: name.to_string(),
            live,
            parent: None,
            changes: Vec::new(),
        });
        let k = self.keys.len() - 1;
        self.alias.insert(name.to_string(), k);
        k
    }

    fn find(&self, mut k: usize) -> usize {
        while let Some(p) = self.keys[k].parent {
            k = p;
        }
        k
    }

    fn key_for(&mut self, path: &str) -> usize {
        match self.alias.get(path) {
            Some(&k) => self.find(k),
            None => self.add_key(path, false),
        }
    }

    /// Records one commit's changes; commits must come newest first.
    pub(super) fn record(&mut self, meta: Meta, changes: Vec<Change>) {
        let seq = self.metas.len();
        self.metas.push(meta);
        // Resolve every path before any alias changes, so that a commit that
        // renames `a` to `b` and adds a new `a` keeps them apart.
        let keys: Vec<usize> = changes.iter().map(|c| self.key_for(&c.path)).collect();
        let mut renamed = Vec::new();
        for (change, k) in changes.into_iter().zip(keys) {
            if let Kind::Renamed(from) = &change.kind {
                renamed.push((from.clone(), k));
            }
            self.keys[k].changes.push((seq, change.kind, change.path));
        }
        for (from, k) in renamed {
            self.alias_old_name(&from, k, seq);
        }
    }

    /// From now on (older commits), `from` names the file `k`.
    fn alias_old_name(&mut self, from: &str, k: usize, seq: usize) {
        if let Some(&old) = self.alias.get(from) {
            let old = self.find(old);
            let same_commit = self.keys[old].changes.iter().any(|(s, _, _)| *s == seq);
            if old != k && !self.keys[old].live && !same_commit {
                self.keys[old].parent = Some(k);
            }
        }
        self.alias.insert(from.to_string(), k);
    }

    /// The histories by site path; `prefix` makes paths repository-relative.
    /// `cut` says the walk stopped before the root commits, so files not
    /// seen being added are truncated.
    pub(super) fn finish(
        self,
        prefix: &str,
        cut: bool,
        head_files: &BTreeMap<String, gix::ObjectId>,
    ) -> HashMap<PathBuf, FileHistory> {
        let mut merged: BTreeMap<usize, Vec<(usize, Kind, String)>> = BTreeMap::new();
        for (k, key) in self.keys.iter().enumerate() {
            let root = self.find(k);
            merged
                .entry(root)
                .or_default()
                .extend(key.changes.iter().cloned());
        }
        let mut out = HashMap::new();
        for (root, mut changes) in merged {
            let key = &self.keys[root];
            if changes.is_empty() && !head_files.contains_key(&key.name) {
                continue;
            }
            changes.sort_by_key(|(seq, _, _)| *seq);
            let commits: Vec<Commit> = changes
                .into_iter()
                .map(|(seq, kind, path)| self.commit(seq, kind, &path, prefix))
                .collect();
            let truncated = cut && commits.last().is_none_or(|c| c.change != ChangeKind::Added);
            out.insert(
                PathBuf::from(&key.name),
                FileHistory {
                    commits,
                    truncated,
                    ..FileHistory::default()
                },
            );
        }
        out
    }

    fn commit(&self, seq: usize, kind: Kind, path: &str, prefix: &str) -> Commit {
        let meta = &self.metas[seq];
        Commit {
            hash: meta.hash.clone(),
            short: meta.hash.chars().take(7).collect(),
            author: meta.author.clone(),
            email: meta.email.clone(),
            date: meta.date,
            committed: meta.committed,
            message: meta.message.clone(),
            body: meta.body.clone(),
            path_at_commit: format!("{prefix}{path}"),
            withheld: false,
            change: match kind {
                Kind::Added => ChangeKind::Added,
                Kind::Modified => ChangeKind::Modified,
                Kind::Deleted => ChangeKind::Deleted,
                Kind::Renamed(from) => ChangeKind::Renamed {
                    from: format!("{prefix}{from}"),
                },
            },
        }
    }
}
