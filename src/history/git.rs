//! The one pass over the commit log. Every commit reachable from `HEAD` is
//! visited once, newest first by commit date (as `git log`), and diffed
//! against its parents as trees, restricted to the site's `content/`
//! subtree and config file: equal subtree ids are skipped without being
//! read, and a commit whose site subtree equals its parent's needs no diff
//! at all. Blob contents are read only to pair inexact renames
//! (`renames.rs`).
//!
//! Three phases: (1) plan the walk, reading only commit objects (order,
//! limits, shallow grafts); (2) diff the planned commits in parallel, in
//! contiguous chunks (each worker with its own object caches); (3) feed
//! the changes in walk order to the [`Ledger`], which follows renames. The
//! work-tree status (`worktree.rs`) runs beside phases 1–3.
//!
//! Merge rule: as in `git log`, whose default shows no diff for merges,
//! the changes that came from a merged branch are attributed once, to the
//! branch commits that made them (the walk visits those commits too). A
//! merge commit itself is recorded for a file only when its result differs
//! from *every* parent at that path (git's combined-diff rule: a conflict
//! resolution or an edit made in the merge); its change kind is then the
//! one against the first parent.
//!
//! Must not interpret facts or touch the work tree.

use super::ledger::{Ledger, Meta};
use super::renames::{self, Raw};
use super::{worktree, Error, History, HistoryOptions, Repo, SHALLOW, UNREADABLE};
use crate::diagnostics::Diagnostic;
use chrono::{DateTime, FixedOffset};
use gix::bstr::{BStr, ByteSlice};
use gix::diff::tree::visit;
use gix::objs::FindExt;
use gix::ObjectId;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::path::Path;

/// Config files at the site root whose history is kept beside `content/`.
pub(super) const CONFIG_FILES: &[&str] = &["config.toml", "zola.toml"];
/// Bytes of decoded objects each reader keeps: a commit's trees are read
/// again as its child's parent trees.
const OBJECT_CACHE: usize = 32 << 20;
/// Bytes of delta bases kept while inflating packed objects (git's
/// `core.deltaBaseCacheLimit` default is 96 MiB).
const PACK_CACHE: usize = 32 << 20;

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
    let unreadable = |reason: String| Error::Unreadable {
        root: root.to_path_buf(),
        reason,
    };
    let sync = gix::ThreadSafeRepository::discover(root).map_err(|e| not_a_repo(err(e)))?;
    let prefix = site_prefix(root, &sync).map_err(not_a_repo)?;
    let repo = open(&sync);
    let shallow: HashSet<ObjectId> = match repo.shallow_commits() {
        Ok(Some(commits)) => commits.iter().copied().collect(),
        Ok(None) => HashSet::new(),
        Err(e) => return Err(unreadable(err(e))),
    };
    let head = head_commit(&repo).map_err(unreadable)?;
    let site = Site {
        prefix: prefix
            .split('/')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    };
    let head_files = match head {
        Some(id) => {
            let tree = load_info(&repo, id).map_err(unreadable)?.tree;
            site.files(&repo, tree).map_err(unreadable)?
        }
        None => BTreeMap::new(),
    };

    let (walked, status) = rayon::join(
        || match head {
            Some(id) => walk(&sync, &site, options, &shallow, id, &head_files),
            None => Ok((Ledger::new(head_files.keys()), Outcome::default())),
        },
        || worktree::status(&open(&sync), &prefix, root, &head_files),
    );
    let (ledger, outcome) = walked.map_err(unreadable)?;

    let warnings = outcome_warnings(&outcome, status.error.as_deref());
    let cut = outcome.cut || outcome.graft_reached || !outcome.missing.is_empty();
    let mut by_path = ledger.finish(&prefix, cut, &head_files);
    worktree::apply(status.files, &mut by_path);
    Ok(Read {
        history: History {
            by_path,
            shallow: !shallow.is_empty(),
            available: true,
            repo: Some(Repo {
                sync,
                prefix,
                head,
                head_files,
            }),
            ignore: None,
            withheld_words: Vec::new(),
        },
        warnings,
    })
}

/// A thread-local handle with object and delta-base caches. gix sets a
/// delta-base cache only with its `max-performance` feature; without one,
/// every tree read re-inflates its delta chain.
pub(super) fn open(sync: &gix::ThreadSafeRepository) -> gix::Repository {
    let mut repo = sync.to_thread_local();
    repo.object_cache_size_if_unset(OBJECT_CACHE);
    if !repo.objects.has_pack_cache() {
        repo.objects.set_pack_cache(|| {
            Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                PACK_CACHE,
            ))
        });
    }
    repo
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
                    "{} parent commit(s) could not be read (first: {first}), so history stops there",
                    outcome.missing.len()
                ),
            )
            .with_help("check the repository with `git fsck`"),
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
pub(super) fn head_commit(repo: &gix::Repository) -> Res<Option<ObjectId>> {
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
    let mut tree = load_info(repo, id).ok()?.tree;
    let mut buf = Vec::new();
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let (last, dirs) = parts.split_last()?;
    for dir in dirs {
        match child(repo, tree, dir.as_bytes(), &mut buf).ok()? {
            Some((mode, id)) if mode.is_tree() => tree = id,
            _ => return None,
        }
    }
    let (mode, id) = child(repo, tree, last.as_bytes(), &mut buf).ok()??;
    if !mode.is_blob() {
        return None;
    }
    let blob = repo.objects.find_blob(&id, &mut buf).ok()?;
    Some(blob.data.to_vec())
}

/// The entry called `name` in `tree`.
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

/// A commit as read once when it is queued; `raw` is kept so that author
/// and message are decoded only for commits that touched the site.
struct Info {
    tree: ObjectId,
    parents: Vec<ObjectId>,
    /// Committer time in seconds, for the walk order.
    seconds: i64,
    committed: DateTime<FixedOffset>,
    raw: Vec<u8>,
}

fn load_info(repo: &gix::Repository, id: ObjectId) -> Res<Info> {
    let mut buf = Vec::new();
    let commit = repo.objects.find_commit(&id, &mut buf).map_err(err)?;
    let time = commit.time().unwrap_or_default();
    let tree = commit.tree();
    let parents: Vec<ObjectId> = commit.parents().collect();
    drop(commit);
    Ok(Info {
        tree,
        parents,
        seconds: time.seconds,
        committed: to_chrono(time),
        raw: buf,
    })
}

/// Author, dates and message of a commit that touched the site.
fn meta(id: ObjectId, info: &Info) -> Res<Meta> {
    let commit = gix::objs::CommitRef::from_bytes(&info.raw, id.kind()).map_err(err)?;
    let author = commit.author().map_err(err)?;
    let message = commit.message();
    Ok(Meta {
        hash: id.to_hex().to_string(),
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

fn to_chrono(time: gix::date::Time) -> DateTime<FixedOffset> {
    let utc = DateTime::from_timestamp(time.seconds, 0).unwrap_or_default();
    match FixedOffset::east_opt(time.offset) {
        Some(offset) => utc.with_timezone(&offset),
        None => utc.fixed_offset(),
    }
}

/// Where the site sits in each commit's tree.
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
    fn snapshot(
        &self,
        repo: &gix::Repository,
        root_tree: ObjectId,
        buf: &mut Vec<u8>,
    ) -> Res<Snapshot> {
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
    fn files(
        &self,
        repo: &gix::Repository,
        root_tree: ObjectId,
    ) -> Res<BTreeMap<String, ObjectId>> {
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

/// A commit to diff: its root tree and its parents' root trees, or `None`
/// when its parents are unknown (a shallow graft or an unreadable parent),
/// so that what it changed is unknown too.
struct Planned {
    id: ObjectId,
    tree: ObjectId,
    parents: Option<Vec<ObjectId>>,
}

/// The three phases of the module header.
fn walk(
    sync: &gix::ThreadSafeRepository,
    site: &Site,
    options: &HistoryOptions,
    shallow: &HashSet<ObjectId>,
    head: ObjectId,
    head_files: &BTreeMap<String, ObjectId>,
) -> Res<(Ledger, Outcome)> {
    let repo = open(sync);
    let mut plan = Plan::default();
    plan.run(&repo, options, shallow, head)?;

    let threads = rayon::current_num_threads().max(1);
    let chunk = plan.planned.len().div_ceil(threads * 4).max(64);
    let diffs: Vec<Res<Vec<renames::Change>>> = plan
        .planned
        .par_chunks(chunk)
        .flat_map_iter(|chunk| {
            let mut differ = Differ::new(open(sync), site);
            chunk.iter().map(|p| differ.changes(p)).collect::<Vec<_>>()
        })
        .collect();

    let mut ledger = Ledger::new(head_files.keys());
    for (planned, changes) in plan.planned.iter().zip(diffs) {
        let changes = changes?;
        if changes.is_empty() {
            continue;
        }
        let info = plan
            .infos
            .get(&planned.id)
            .ok_or_else(|| format!("commit {} was planned but not read", planned.id))?;
        ledger.record(meta(planned.id, info)?, changes);
    }
    Ok((ledger, plan.outcome))
}

/// Phase 1: the walk order, read from commit objects only.
#[derive(Default)]
struct Plan {
    /// Queued commits: newest committer time first, then queue order.
    queue: BinaryHeap<(i64, Reverse<u64>, ObjectId)>,
    infos: HashMap<ObjectId, Info>,
    pushed: u64,
    planned: Vec<Planned>,
    outcome: Outcome,
}

impl Plan {
    /// Queues a commit once; `false` if it cannot be read.
    fn enqueue(&mut self, repo: &gix::Repository, id: ObjectId) -> bool {
        if self.infos.contains_key(&id) {
            return true;
        }
        match load_info(repo, id) {
            Ok(info) => {
                self.queue.push((info.seconds, Reverse(self.pushed), id));
                self.pushed += 1;
                self.infos.insert(id, info);
                true
            }
            Err(_) => false,
        }
    }

    fn run(
        &mut self,
        repo: &gix::Repository,
        options: &HistoryOptions,
        shallow: &HashSet<ObjectId>,
        head: ObjectId,
    ) -> Res<()> {
        if !self.enqueue(repo, head) {
            return Err(format!("the HEAD commit {head} could not be read"));
        }
        while let Some((_, _, id)) = self.queue.pop() {
            let Some(info) = self.infos.get(&id) else {
                continue;
            };
            let too_old = options
                .since
                .is_some_and(|since| info.committed.date_naive() < since);
            let too_many = options
                .max_commits
                .is_some_and(|max| self.planned.len() >= max);
            if too_old || too_many {
                self.outcome.cut = true;
                break;
            }
            let (tree, parent_ids) = (info.tree, info.parents.clone());
            let parents = if shallow.contains(&id) {
                self.outcome.graft_reached = true;
                None
            } else {
                let mut trees = Some(Vec::with_capacity(parent_ids.len()));
                for parent in parent_ids {
                    match self.enqueue(repo, parent) {
                        true => {
                            let tree = self.infos.get(&parent).map(|p| p.tree);
                            if let (Some(trees), Some(tree)) = (trees.as_mut(), tree) {
                                trees.push(tree);
                            }
                        }
                        false => {
                            self.outcome.missing.push(parent);
                            trees = None;
                        }
                    }
                }
                trees
            };
            self.planned.push(Planned { id, tree, parents });
        }
        Ok(())
    }
}

/// Phase 2: one worker's tree diffs.
struct Differ<'s> {
    repo: gix::Repository,
    site: &'s Site,
    snapshots: HashMap<ObjectId, Snapshot>,
    state: gix::diff::tree::State,
    buf: Vec<u8>,
    lhs: Vec<u8>,
    rhs: Vec<u8>,
}

impl<'s> Differ<'s> {
    fn new(repo: gix::Repository, site: &'s Site) -> Differ<'s> {
        Differ {
            repo,
            site,
            snapshots: HashMap::new(),
            state: Default::default(),
            buf: Vec::new(),
            lhs: Vec::new(),
            rhs: Vec::new(),
        }
    }

    /// The site changes a commit made, by the merge rule in the header.
    fn changes(&mut self, planned: &Planned) -> Res<Vec<renames::Change>> {
        let Some(parent_trees) = &planned.parents else {
            return Ok(Vec::new());
        };
        let after = self.snapshot(planned.tree)?;
        let mut parents = Vec::with_capacity(parent_trees.len());
        for tree in parent_trees {
            parents.push(self.snapshot(*tree)?);
        }
        let raw = match parents.as_slice() {
            [] => self.diff(&Snapshot::default(), &after)?,
            [only] => self.diff(only, &after)?,
            [first, others @ ..] => {
                if first == &after || others.contains(&after) {
                    return Ok(Vec::new());
                }
                let mut raw = self.diff(first, &after)?;
                for other in others {
                    let theirs: HashSet<String> = self
                        .diff(other, &after)?
                        .into_iter()
                        .map(|r| r.path)
                        .collect();
                    raw.retain(|r| theirs.contains(&r.path));
                }
                raw
            }
        };
        if raw.is_empty() {
            return Ok(Vec::new());
        }
        let repo = &self.repo;
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
        let s = self.site.snapshot(&self.repo, tree, &mut self.buf)?;
        self.snapshots.insert(tree, s);
        Ok(s)
    }

    /// Raw changes between two snapshots: the config files, plus a tree
    /// diff of `content/` that skips equal subtrees.
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
        let objects = &self.repo.objects;
        let lhs = match before {
            Some(id) => objects.find_tree_iter(&id, &mut self.lhs).map_err(err)?,
            None => gix::objs::TreeRefIter::from_bytes(&[], kind),
        };
        let rhs = match after {
            Some(id) => objects.find_tree_iter(&id, &mut self.rhs).map_err(err)?,
            None => gix::objs::TreeRefIter::from_bytes(&[], kind),
        };
        let mut visitor = Collect {
            path: b"content".to_vec(),
            lengths: Vec::new(),
            queued: std::collections::VecDeque::new(),
            raw,
        };
        gix::diff::tree(lhs, rhs, &mut self.state, objects, &mut visitor).map_err(err)?;
        Ok(())
    }
}

/// A tree-diff delegate that keeps only blob changes, as [`Raw`] with
/// site-relative paths. Like gix's `Recorder`, but a stack of lengths
/// replaces searching for the last `/` on every pop, and paths are built
/// only for changes.
struct Collect<'r> {
    /// The current path, starting with `content`.
    path: Vec<u8>,
    /// Lengths of `path` before each pushed component.
    lengths: Vec<usize>,
    /// Paths of subtrees whose entries are visited later (breadth first).
    queued: std::collections::VecDeque<Vec<u8>>,
    raw: &'r mut Vec<Raw>,
}

impl Collect<'_> {
    fn push(&mut self, component: &BStr) {
        self.lengths.push(self.path.len());
        if !component.is_empty() {
            self.path.push(b'/');
            self.path.extend_from_slice(component);
        }
    }
}

impl gix::diff::tree::Visit for Collect<'_> {
    fn pop_front_tracked_path_and_set_current(&mut self) {
        self.path = self.queued.pop_front().unwrap_or_default();
        self.lengths.clear();
    }

    fn push_back_tracked_path_component(&mut self, component: &BStr) {
        self.push(component);
        self.queued.push_back(self.path.clone());
    }

    fn push_path_component(&mut self, component: &BStr) {
        self.push(component);
    }

    fn pop_path_component(&mut self) {
        if let Some(len) = self.lengths.pop() {
            self.path.truncate(len);
        }
    }

    fn visit(&mut self, change: visit::Change) -> visit::Action {
        let blob = |mode: gix::objs::tree::EntryMode, id: ObjectId| {
            mode.is_blob_or_symlink().then_some(id)
        };
        let (old, new) = match change {
            visit::Change::Addition {
                entry_mode, oid, ..
            } => (None, blob(entry_mode, oid)),
            visit::Change::Deletion {
                entry_mode, oid, ..
            } => (blob(entry_mode, oid), None),
            visit::Change::Modification {
                previous_entry_mode,
                previous_oid,
                entry_mode,
                oid,
            } => (
                blob(previous_entry_mode, previous_oid),
                blob(entry_mode, oid),
            ),
        };
        if old.is_some() || new.is_some() {
            self.raw.push(Raw {
                path: self.path.to_str_lossy().into_owned(),
                old,
                new,
            });
        }
        std::ops::ControlFlow::Continue(())
    }
}
