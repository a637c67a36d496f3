//! The one pass over the commit log: every commit reachable from `HEAD`,
//! newest first by commit date (as `git log`), each diffed against its
//! parents as trees, restricted to the site's `content/` subtree and config
//! file. Equal subtree ids are skipped without being read, and a commit
//! whose site subtree equals its parent's is skipped without any diff. Blob
//! contents are read only to pair inexact renames (`renames.rs`).
//!
//! Merge rule: like `git log` (whose default shows no diff for merges) the
//! changes that came from a merged branch are attributed once, to the
//! branch commits that made them, since the walk visits those commits too.
//! A merge commit itself is recorded for a file only when its result
//! differs from *every* parent at that path (git's combined-diff rule:
//! a conflict resolution or an edit made in the merge); its change kind is
//! then the one against the first parent.
//!
//! Renames are followed by aliasing: walking newest first, once a commit
//! renames `a` to `b`, older commits that touch `a` belong to `b`'s
//! history. Changes seen under `a` on a branch before the walk reached the
//! rename (interleaved branches) are merged into `b`'s history too, unless
//! `a` is itself a file at `HEAD`.
//!
//! Must not interpret facts or touch the work tree (`worktree.rs` does).

use super::renames::{self, Kind, Raw};
use super::{
    worktree, ChangeKind, Commit, Error, FileHistory, History, HistoryOptions, Repo, SHALLOW,
    UNREADABLE,
};
use crate::diagnostics::Diagnostic;
use chrono::{DateTime, FixedOffset};
use gix::bstr::{BStr, ByteSlice};
use gix::objs::FindExt;
use gix::ObjectId;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Config files at the site root whose history is kept beside `content/`.
pub(super) const CONFIG_FILES: &[&str] = &["config.toml", "zola.toml"];
/// Bytes of decoded objects gix keeps in memory; trees are read twice
/// (once as a commit's, once as its child's parent), so a cache pays.
const OBJECT_CACHE: usize = 64 << 20;
/// Bytes of delta bases kept while inflating packed objects (git's
/// `core.deltaBaseCacheLimit` default is 96 MiB).
const PACK_CACHE: usize = 96 << 20;

/// What [`read`] found: the history and the warnings to report.
pub(super) struct Read {
    pub(super) history: History,
    pub(super) warnings: Vec<Diagnostic>,
}

type Res<T> = Result<T, String>;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Reads the history of the site at `root`.
pub(super) fn read(root: &Path, options: &HistoryOptions) -> Result<Read, Error> {
    let not_a_repo = |reason: String| Error::NotARepository {
        root: root.to_path_buf(),
        reason,
    };
    let sync = gix::ThreadSafeRepository::discover(root).map_err(|e| not_a_repo(err(e)))?;
    let prefix = site_prefix(root, &sync).map_err(not_a_repo)?;
    let mut repo = sync.to_thread_local();
    repo.object_cache_size_if_unset(OBJECT_CACHE);
    // gix sets a delta-base cache only with its `max-performance` feature
    // (which also pulls in threads we do not use); without one, every tree
    // read re-inflates its whole delta chain.
    if !repo.objects.has_pack_cache() {
        repo.objects.set_pack_cache(|| {
            Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(PACK_CACHE))
        });
    }
    let unreadable = |reason: String| Error::Unreadable {
        root: root.to_path_buf(),
        reason,
    };

    let shallow: HashSet<ObjectId> = match repo.shallow_commits().map_err(err) {
        Ok(Some(commits)) => commits.iter().copied().collect(),
        Ok(None) => HashSet::new(),
        Err(e) => return Err(unreadable(e)),
    };
    let is_shallow = !shallow.is_empty();
    let t0 = std::time::Instant::now();
    let head = head_commit(&repo).map_err(unreadable)?;
    let site = Site {
        prefix: prefix.split('/').filter(|s| !s.is_empty()).map(String::from).collect(),
    };
    let head_files = match head {
        Some(id) => {
            let tree = load_info(&repo, id).map_err(unreadable)?.tree;
            site.files(&repo, tree).map_err(unreadable)?
        }
        None => BTreeMap::new(),
    };

    eprintln!("PROFILE head files {:?}", t0.elapsed());
    let mut ledger = Ledger::new(head_files.keys());
    let mut outcome = Outcome::default();
    if let Some(id) = head {
        let mut walk = Walk::new(&repo, &site, options, shallow);
        walk.run(id, &mut ledger).map_err(unreadable)?;
        outcome = walk.outcome;
    }
    eprintln!("PROFILE walk {:?}", t0.elapsed());
    let status = worktree::status(&repo, &prefix, root, &head_files);
    eprintln!("PROFILE status {:?}", t0.elapsed());

    let mut warnings = Vec::new();
    if outcome.graft_reached || !outcome.missing.is_empty() || status.error.is_some() {
        warnings.extend(outcome_warnings(&outcome, status.error.as_deref()));
    }
    let cut = outcome.cut || outcome.graft_reached || !outcome.missing.is_empty();
    let mut by_path = ledger.finish(&prefix, cut, &head_files);
    for (path, flag) in status.files {
        let file = by_path.entry(PathBuf::from(path)).or_default();
        match flag {
            worktree::Flag::Dirty => file.dirty = true,
            worktree::Flag::Untracked => file.untracked = true,
        }
    }
    eprintln!("PROFILE finish {:?}", t0.elapsed());
    Ok(Read {
        history: History {
            by_path,
            shallow: is_shallow,
            available: true,
            repo: Some(Repo { sync }),
        },
        warnings,
    })
}

fn outcome_warnings(outcome: &Outcome, status_error: Option<&str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if outcome.graft_reached {
        out.push(
            Diagnostic::warning(
                SHALLOW,
                "the repository is a shallow clone, so change history stops at its oldest fetched commit",
            )
            .with_help("fetch the full history (`git fetch --unshallow`, or `fetch-depth: 0` in CI)"),
        );
    }
    if let Some(first) = outcome.missing.first() {
        out.push(
            Diagnostic::warning(
                UNREADABLE,
                format!(
                    "{} commit(s) of the history could not be read (first: {first}), so history stops there",
                    outcome.missing.len()
                ),
            )
            .with_help("check the repository with `git fsck`; a partial clone needs `git fetch --refetch`"),
        );
    }
    if let Some(e) = status_error {
        out.push(
            Diagnostic::warning(
                UNREADABLE,
                format!("uncommitted changes could not be detected: {e}"),
            )
            .with_help("check the index with `git status`"),
        );
    }
    out
}

/// Repository-relative path of the site root with a trailing `/` (empty at
/// the top of the work tree).
fn site_prefix(root: &Path, sync: &gix::ThreadSafeRepository) -> Res<String> {
    let workdir = sync
        .work_dir()
        .ok_or_else(|| "the repository is bare".to_string())?;
    let root = std::fs::canonicalize(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let workdir =
        std::fs::canonicalize(workdir).map_err(|e| format!("{}: {e}", workdir.display()))?;
    let relative = root
        .strip_prefix(&workdir)
        .map_err(|_| format!("the site is outside the work tree {}", workdir.display()))?;
    let mut prefix = String::new();
    for part in relative.components() {
        let part = part
            .as_os_str()
            .to_str()
            .ok_or_else(|| format!("{} is not valid UTF-8", relative.display()))?;
        prefix.push_str(part);
        prefix.push('/');
    }
    Ok(prefix)
}

/// The commit `HEAD` points to, attached or detached; `None` in a
/// repository without commits.
fn head_commit(repo: &gix::Repository) -> Res<Option<ObjectId>> {
    let mut head = repo.head().map_err(err)?;
    if head.is_unborn() {
        return Ok(None);
    }
    let id = head.peel_to_commit().map_err(err)?.id;
    Ok(Some(id))
}

/// The blob at `path` (repository-relative) in `commit`, for
/// [`History::content_at`].
pub(super) fn blob_at(repo: &gix::Repository, commit: &str, path: &str) -> Option<Vec<u8>> {
    let id = ObjectId::from_hex(commit.as_bytes()).ok()?;
    let tree = load_info(repo, id).ok()?.tree;
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let mut buf = Vec::new();
    let (mode, id) = entry_at(repo, tree, &parts, &mut buf).ok()??;
    if !mode.is_blob() {
        return None;
    }
    let blob = repo.objects.find_blob(&id, &mut buf).ok()?;
    Some(blob.data.to_vec())
}

/// The entry at `parts` below `tree`.
fn entry_at(
    repo: &gix::Repository,
    mut tree: ObjectId,
    parts: &[&str],
    buf: &mut Vec<u8>,
) -> Res<Option<(gix::objs::tree::EntryMode, ObjectId)>> {
    let Some((last, dirs)) = parts.split_last() else {
        return Ok(None);
    };
    for dir in dirs {
        match child(repo, tree, dir.as_bytes(), buf)? {
            Some((mode, id)) if mode.is_tree() => tree = id,
            _ => return Ok(None),
        }
    }
    child(repo, tree, last.as_bytes(), buf)
}

fn child(
    repo: &gix::Repository,
    tree: ObjectId,
    name: &[u8],
    buf: &mut Vec<u8>,
) -> Res<Option<(gix::objs::tree::EntryMode, ObjectId)>> {
    for entry in repo.objects.find_tree_iter(&tree, buf).map_err(err)? {
        let entry = entry.map_err(err)?;
        if entry.filename.as_bytes() == name {
            return Ok(Some((entry.mode, entry.oid.to_owned())));
        }
    }
    Ok(None)
}

/// A commit's graph facts, read once when it is queued.
#[derive(Debug, Clone)]
struct Info {
    tree: ObjectId,
    parents: Vec<ObjectId>,
    /// Committer time in seconds, for the walk order.
    seconds: i64,
    committed: DateTime<FixedOffset>,
}

fn load_info(repo: &gix::Repository, id: ObjectId) -> Res<Info> {
    let mut buf = Vec::new();
    let commit = repo.objects.find_commit(&id, &mut buf).map_err(err)?;
    let time = commit.time().unwrap_or_default();
    Ok(Info {
        tree: commit.tree(),
        parents: commit.parents().collect(),
        seconds: time.seconds,
        committed: to_chrono(time),
    })
}

fn to_chrono(time: gix::date::Time) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(time.offset)
        .unwrap_or_else(|| FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()));
    DateTime::from_timestamp(time.seconds, 0)
        .unwrap_or_default()
        .with_timezone(&offset)
}

/// Where the site sits in each commit's tree, and what of it is tracked.
struct Site {
    /// Path components of the site root inside the repository.
    prefix: Vec<String>,
}

/// The ids that decide whether a commit changed the site: its `content/`
/// tree and its config files. Equal snapshots mean no change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Snapshot {
    content: Option<ObjectId>,
    config: [Option<ObjectId>; 2],
}

impl Site {
    fn snapshot(&self, repo: &gix::Repository, root_tree: ObjectId, buf: &mut Vec<u8>) -> Res<Snapshot> {
        let mut tree = root_tree;
        for dir in &self.prefix {
            match child(repo, tree, dir.as_bytes(), buf)? {
                Some((mode, id)) if mode.is_tree() => tree = id,
                _ => return Ok(Snapshot::default()),
            }
        }
        let mut snapshot = Snapshot::default();
        for entry in repo.objects.find_tree_iter(&tree, buf).map_err(err)? {
            let entry = entry.map_err(err)?;
            let name = entry.filename.as_bytes();
            if name == b"content" && entry.mode.is_tree() {
                snapshot.content = Some(entry.oid.to_owned());
            } else if entry.mode.is_blob() {
                if let Some(i) = CONFIG_FILES.iter().position(|c| c.as_bytes() == name) {
                    snapshot.config[i] = Some(entry.oid.to_owned());
                }
            }
        }
        Ok(snapshot)
    }

    /// Every tracked file of the site in a tree: site-relative path to blob.
    fn files(&self, repo: &gix::Repository, root_tree: ObjectId) -> Res<BTreeMap<String, ObjectId>> {
        let mut buf = Vec::new();
        let snapshot = self.snapshot(repo, root_tree, &mut buf)?;
        let mut out = BTreeMap::new();
        for (name, id) in CONFIG_FILES.iter().zip(snapshot.config) {
            if let Some(id) = id {
                out.insert(name.to_string(), id);
            }
        }
        let mut stack: Vec<(ObjectId, String)> = snapshot
            .content
            .map(|id| (id, "content".to_string()))
            .into_iter()
            .collect();
        while let Some((tree, base)) = stack.pop() {
            for entry in repo.objects.find_tree_iter(&tree, &mut buf).map_err(err)? {
                let entry = entry.map_err(err)?;
                let path = format!("{base}/{}", entry.filename.to_str_lossy());
                if entry.mode.is_tree() {
                    stack.push((entry.oid.to_owned(), path));
                } else if entry.mode.is_blob_or_symlink() {
                    out.insert(path, entry.oid.to_owned());
                }
            }
        }
        Ok(out)
    }
}

/// How the walk ended.
#[derive(Debug, Default)]
struct Outcome {
    /// `max_commits` or `since` stopped it.
    cut: bool,
    /// It reached a commit whose parents a shallow clone left out.
    graft_reached: bool,
    /// Parents that could not be read (not shallow: corrupt or partial).
    missing: Vec<ObjectId>,
}

struct Walk<'r> {
    repo: &'r gix::Repository,
    site: &'r Site,
    options: &'r HistoryOptions,
    shallow: HashSet<ObjectId>,
    /// Queued commits: newest committer time first, then queue order.
    queue: BinaryHeap<(i64, Reverse<u64>, ObjectId)>,
    seen: HashSet<ObjectId>,
    infos: HashMap<ObjectId, Info>,
    snapshots: HashMap<ObjectId, Snapshot>,
    buf: Vec<u8>,
    state: gix::diff::tree::State,
    outcome: Outcome,
    pushed: u64,
}

impl<'r> Walk<'r> {
    fn new(
        repo: &'r gix::Repository,
        site: &'r Site,
        options: &'r HistoryOptions,
        shallow: HashSet<ObjectId>,
    ) -> Walk<'r> {
        Walk {
            repo,
            site,
            options,
            shallow,
            queue: BinaryHeap::new(),
            seen: HashSet::new(),
            infos: HashMap::new(),
            snapshots: HashMap::new(),
            buf: Vec::new(),
            state: Default::default(),
            outcome: Outcome::default(),
            pushed: 0,
        }
    }

    /// Queues a commit once; `false` if it cannot be read.
    fn enqueue(&mut self, id: ObjectId) -> bool {
        if self.infos.contains_key(&id) || self.seen.contains(&id) {
            return true;
        }
        match load_info(self.repo, id) {
            Ok(info) => {
                self.queue.push((info.seconds, Reverse(self.pushed), id));
                self.pushed += 1;
                self.infos.insert(id, info);
                true
            }
            Err(_) => false,
        }
    }

    fn run(&mut self, head: ObjectId, ledger: &mut Ledger) -> Res<()> {
        if !self.enqueue(head) {
            return Err(format!("HEAD commit {head} could not be read"));
        }
        let mut walked = 0usize;
        let mut seq = 0u64;
        while let Some((_, _, id)) = self.queue.pop() {
            let Some(info) = self.infos.remove(&id) else {
                continue;
            };
            self.seen.insert(id);
            let too_old = self
                .options
                .since
                .is_some_and(|since| info.committed.date_naive() < since);
            if too_old || self.options.max_commits.is_some_and(|max| walked >= max) {
                self.outcome.cut = true;
                break;
            }
            walked += 1;
            let changes = self.changes(id, &info)?;
            if !changes.is_empty() {
                let meta = self.meta(id, &info)?;
                ledger.record(seq, meta, changes);
                seq += 1;
            }
        }
        Ok(())
    }

    /// The site changes a commit made, by the merge rule in the header.
    fn changes(&mut self, id: ObjectId, info: &Info) -> Res<Vec<renames::Change>> {
        let after = self.snapshot(info.tree)?;
        if self.shallow.contains(&id) {
            // Its parents were not fetched: what it changed is unknown.
            self.outcome.graft_reached = true;
            return Ok(Vec::new());
        }
        let mut parents = Vec::with_capacity(info.parents.len());
        for &parent in &info.parents {
            if !self.enqueue(parent) {
                self.outcome.missing.push(parent);
                return Ok(Vec::new());
            }
            let tree = match self.infos.get(&parent) {
                Some(p) => p.tree,
                // Already walked (seen before its child in a skewed clock).
                None => load_info(self.repo, parent)?.tree,
            };
            parents.push(self.snapshot(tree)?);
        }
        let raw = match parents.as_slice() {
            [] => self.diff(&Snapshot::default(), &after)?,
            [only] => self.diff(only, &after)?,
            [first, others @ ..] => {
                if first == &after || others.iter().any(|p| p == &after) {
                    return Ok(Vec::new());
                }
                let mut raw = self.diff(first, &after)?;
                for other in others {
                    let theirs: HashSet<String> =
                        self.diff(other, &after)?.into_iter().map(|r| r.path).collect();
                    raw.retain(|r| theirs.contains(&r.path));
                }
                raw
            }
        };
        if raw.is_empty() {
            return Ok(Vec::new());
        }
        let repo = self.repo;
        Ok(renames::pair(raw, |blob| {
            let mut buf = Vec::new();
            repo.objects
                .find_blob(blob, &mut buf)
                .ok()
                .map(|b| b.data.to_vec())
        }))
    }

    fn snapshot(&mut self, tree: ObjectId) -> Res<Snapshot> {
        if let Some(s) = self.snapshots.get(&tree) {
            return Ok(*s);
        }
        let s = self.site.snapshot(self.repo, tree, &mut self.buf)?;
        self.snapshots.insert(tree, s);
        Ok(s)
    }

    /// Raw changes between two snapshots: a tree diff of `content/` (equal
    /// subtrees skipped) plus the config files.
    fn diff(&mut self, before: &Snapshot, after: &Snapshot) -> Res<Vec<Raw>> {
        let mut raw = Vec::new();
        if before == after {
            return Ok(raw);
        }
        for (i, name) in CONFIG_FILES.iter().enumerate() {
            if before.config[i] != after.config[i] {
                raw.push(Raw {
                    path: name.to_string(),
                    old: before.config[i],
                    new: after.config[i],
                });
            }
        }
        if before.content != after.content {
            self.diff_content(before.content, after.content, &mut raw)?;
        }
        Ok(raw)
    }

    fn diff_content(
        &mut self,
        before: Option<ObjectId>,
        after: Option<ObjectId>,
        raw: &mut Vec<Raw>,
    ) -> Res<()> {
        let kind = self.repo.object_hash();
        let (mut buf_a, mut buf_b) = (Vec::new(), Vec::new());
        let lhs = match before {
            Some(id) => self.repo.objects.find_tree_iter(&id, &mut buf_a).map_err(err)?,
            None => gix::objs::TreeRefIter::from_bytes(&[], kind),
        };
        let rhs = match after {
            Some(id) => self.repo.objects.find_tree_iter(&id, &mut buf_b).map_err(err)?,
            None => gix::objs::TreeRefIter::from_bytes(&[], kind),
        };
        let mut recorder = gix::diff::tree::Recorder::default();
        gix::diff::tree(lhs, rhs, &mut self.state, &self.repo.objects, &mut recorder)
            .map_err(err)?;
        use gix::diff::tree::recorder::Change as C;
        let path = |p: &BStr| format!("content/{}", p.to_str_lossy());
        for change in recorder.records {
            match change {
                C::Addition { entry_mode, oid, path: p, .. } if entry_mode.is_blob_or_symlink() => {
                    raw.push(Raw { path: path(p.as_ref()), old: None, new: Some(oid) })
                }
                C::Deletion { entry_mode, oid, path: p, .. } if entry_mode.is_blob_or_symlink() => {
                    raw.push(Raw { path: path(p.as_ref()), old: Some(oid), new: None })
                }
                C::Modification { previous_entry_mode, previous_oid, entry_mode, oid, path: p } => {
                    let old = previous_entry_mode.is_blob_or_symlink().then_some(previous_oid);
                    let new = entry_mode.is_blob_or_symlink().then_some(oid);
                    if old.is_some() || new.is_some() {
                        raw.push(Raw { path: path(p.as_ref()), old, new });
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Author, dates and message of a commit that touched the site.
    fn meta(&mut self, id: ObjectId, info: &Info) -> Res<Meta> {
        let commit = self.repo.objects.find_commit(&id, &mut self.buf).map_err(err)?;
        let author = commit.author().map_err(err)?;
        let message = commit.message();
        let hash = id.to_hex().to_string();
        Ok(Meta {
            short: hash.chars().take(7).collect(),
            hash,
            author: author.name.to_str_lossy().into_owned(),
            email: author.email.to_str_lossy().into_owned(),
            date: to_chrono(author.time().unwrap_or_default()),
            committed: info.committed,
            message: message.summary().to_str_lossy().trim().to_string(),
            body: message
                .body
                .map(|b| b.to_str_lossy().trim().to_string())
                .unwrap_or_default(),
        })
    }
}

/// The per-commit part of [`Commit`], shared by the files it touched.
struct Meta {
    hash: String,
    short: String,
    author: String,
    email: String,
    date: DateTime<FixedOffset>,
    committed: DateTime<FixedOffset>,
    message: String,
    body: String,
}

/// One file's identity through renames.
struct Key {
    /// Site-relative path: its name at `HEAD`, or its last name if deleted.
    name: String,
    /// A file at `HEAD` (never merged into another key).
    live: bool,
    /// Union-find parent after a rename joined two keys.
    parent: Option<usize>,
    /// (walk sequence, change kind, site-relative path at the commit).
    changes: Vec<(u64, Kind, String)>,
}

/// Which file each path belongs to as the walk goes back in time, and the
/// commits seen for each.
struct Ledger {
    keys: Vec<Key>,
    alias: HashMap<String, usize>,
    metas: Vec<Meta>,
}

impl Ledger {
    fn new<'a>(head_files: impl Iterator<Item = &'a String>) -> Ledger {
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

    /// Records a commit (`seq` orders commits newest first).
    fn record(&mut self, seq: u64, meta: Meta, changes: Vec<renames::Change>) {
        debug_assert_eq!(seq as usize, self.metas.len(), "one meta per recorded commit");
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

    /// From now on (older commits), `from` names the file `k`. Changes seen
    /// under `from` before (newer commits on another branch) join `k`,
    /// unless `from` is a file at `HEAD` or was touched by this same commit.
    fn alias_old_name(&mut self, from: &str, k: usize, seq: u64) {
        if let Some(&old) = self.alias.get(from) {
            let old = self.find(old);
            let same_commit = self.keys[old].changes.iter().any(|(s, _, _)| *s == seq);
            if old != k && !self.keys[old].live && !same_commit {
                self.keys[old].parent = Some(k);
            }
        }
        self.alias.insert(from.to_string(), k);
    }

    /// The histories by site path. `cut` says the walk stopped before the
    /// root commits, so files not seen being added are truncated.
    fn finish(
        self,
        prefix: &str,
        cut: bool,
        head_files: &BTreeMap<String, ObjectId>,
    ) -> HashMap<PathBuf, FileHistory> {
        let mut merged: BTreeMap<usize, Vec<(u64, Kind, String)>> = BTreeMap::new();
        for (k, key) in self.keys.iter().enumerate() {
            let root = self.find(k);
            merged.entry(root).or_default().extend(key.changes.iter().cloned());
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
            let truncated =
                cut && commits.last().is_none_or(|c| c.change != ChangeKind::Added);
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

    fn commit(&self, seq: u64, kind: Kind, path: &str, prefix: &str) -> Commit {
        let meta = &self.metas[seq as usize];
        Commit {
            hash: meta.hash.clone(),
            short: meta.short.clone(),
            author: meta.author.clone(),
            email: meta.email.clone(),
            date: meta.date,
            committed: meta.committed,
            message: meta.message.clone(),
            body: meta.body.clone(),
            path_at_commit: format!("{prefix}{path}"),
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
