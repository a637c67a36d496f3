//! Per-file git facts: which commits touched each file under `content/`
//! (and the site's `config.toml` or `zola.toml`), who made them, when and
//! under which name (renames are followed), and whether the work tree holds
//! uncommitted or untracked changes. [`collect`] reads them once per build in
//! one pass over the commit log; later stages ask [`History::file`], and
//! diffs and the point-in-time build (`--as-of`) read old versions lazily
//! through [`History::content_at`] and [`History::state_as_of`].
//!
//! Must not interpret the facts ("overdue", "new since", page dates and
//! history pages are governance's and render's calls), and imports only
//! `diagnostics` and `config`. Never fails a build: a site outside git, a
//! shallow clone or an unreadable object become warnings
//! (`history::not-a-repository`, `history::shallow`, `history::unreadable`)
//! and an empty or partial history. Runs after `content::load`, before
//! `markdown`.
//!
//! Library: `gix` (pure Rust) rather than `git2`. They cost about the same
//! to compile on two cores (a cold build of gix with the features we use
//! ~90 s, git2 ~75 s, most of it libgit2's C build), but gix needs no C
//! toolchain, its `ThreadSafeRepository` is `Sync` (so [`History`] keeps
//! the repository for lazy reads from parallel renderers), and its
//! allocation-free tree diff lets us skip equal subtrees cheaply. Rename
//! pairing is ours (`renames.rs`), so gix's heavier `blob-diff` feature is
//! not needed. Reading 5 000 commits of a 10 000-file repository takes
//! 0.7 times the wall time of `git log --name-status` on an idle two-core
//! machine (the diffs run on both cores; it is 1.3 times git's CPU time);
//! see `cargo bench --bench history`.
//!
//! Files: `options.rs` (`[handbook.history]`), `git.rs` (the walk and its
//! merge rule), `renames.rs` (pairing deletions with additions), `ledger.rs`
//! (following renames across commits), `worktree.rs` (dirty and untracked
//! files), `versions.rs` (the runs of commits that share one version of a
//! document), `tests.rs`.

mod git;
mod ledger;
mod options;
mod renames;
mod versions;
mod worktree;

pub(crate) use options::{options, reader_trailer, trailer_value, HistoryOptions};
pub(crate) use versions::{version_spans, VersionSpan};

use crate::diagnostics::{Diagnostic, Diagnostics};
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Warning: the site is not inside a git work tree; history is empty.
pub(crate) const NOT_A_REPOSITORY: &str = "history::not-a-repository";
/// Warning: the repository is a shallow clone; history stops at the graft.
pub(crate) const SHALLOW: &str = "history::shallow";
/// Warning: git data could not be read; history is empty or partial.
pub(crate) const UNREADABLE: &str = "history::unreadable";
/// Error: a `[handbook.history]` value of the wrong type or form.
pub(crate) const INVALID_SETTING: &str = "history::invalid-setting";
/// Warning: a `[handbook.history]` key that is not known.
pub(crate) const UNKNOWN_SETTING: &str = "history::unknown-setting";

/// Why the history could not be read at all. [`collect`] turns each variant
/// into a warning and an empty history; callers that need to tell the cases
/// apart (a CLI `history` command, tests) match on it.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// No git repository holds the site (git's "not a git repository"; the
    /// `GitNotFound` case of the architecture notes), or the repository is
    /// bare and has no work tree containing the site.
    #[error("{root} is not inside a git work tree")]
    NotARepository {
        /// The site root.
        root: PathBuf,
        /// What discovery said.
        reason: String,
    },
    /// A repository was found but its references or objects could not be
    /// read.
    #[error("could not read the git history of {root}: {reason}")]
    Unreadable {
        /// The site root.
        root: PathBuf,
        /// What went wrong, from gix.
        reason: String,
    },
}

impl Error {
    /// The warning [`collect`] reports for this error.
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            Error::NotARepository { reason, .. } => Diagnostic::warning(
                NOT_A_REPOSITORY,
                format!("the site is not in a git repository, so pages have no change history ({reason})"),
            )
            .with_help("run `git init` and commit the site, or set `enabled = false` under `[handbook.history]`"),
            Error::Unreadable { reason, .. } => Diagnostic::warning(
                UNREADABLE,
                format!("the git history could not be read, so pages have no change history: {reason}"),
            )
            .with_help("check the repository with `git fsck`"),
        }
    }
}

/// How a commit changed one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChangeKind {
    /// The file appeared.
    Added,
    /// The content (or mode) changed under the same name.
    Modified,
    /// The file was renamed (possibly with edits) from `from`, a
    /// repository-relative path.
    Renamed {
        /// The name before the commit, relative to the repository root.
        from: String,
    },
    /// The file was removed.
    Deleted,
}

/// One commit that touched a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Commit {
    /// Full hexadecimal object id.
    pub(crate) hash: String,
    /// The first 7 hex digits, for display (not guaranteed unique).
    pub(crate) short: String,
    /// Author name.
    pub(crate) author: String,
    /// Author email.
    pub(crate) email: String,
    /// Author date, in the author's offset (what `git log` shows).
    pub(crate) date: DateTime<FixedOffset>,
    /// Committer date: when the change landed. Walk order, `since` and
    /// [`History::state_as_of`] use it, since rebases keep author dates.
    pub(crate) committed: DateTime<FixedOffset>,
    /// The subject: the first paragraph of the message on one line.
    pub(crate) message: String,
    /// The rest of the message, trimmed; empty when there is none.
    pub(crate) body: String,
    /// Repository-relative path of the file as named in this commit.
    pub(crate) path_at_commit: String,
    /// What the commit did to the file.
    pub(crate) change: ChangeKind,
    /// The message (and perhaps the author) was replaced by an editorial
    /// label ([`History::withhold_messages`]).
    pub(crate) withheld: bool,
}

/// What git knows about one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FileHistory {
    /// Commits that touched the file, newest first (commit-date order, as
    /// `git log`).
    pub(crate) commits: Vec<Commit>,
    /// The work tree or index differs from `HEAD` for this file (modified,
    /// staged, deleted but not committed, or added but not committed).
    pub(crate) dirty: bool,
    /// The file exists in the work tree but git does not track it (and it
    /// is not ignored).
    pub(crate) untracked: bool,
    /// Older history exists than was read (a shallow clone or the
    /// `max_commits`/`since` limits cut the walk before the file was
    /// added), so [`FileHistory::first`] is not the creation.
    pub(crate) truncated: bool,
}

impl FileHistory {
    /// The oldest commit read (the creation, unless `truncated`).
    pub(crate) fn first(&self) -> Option<&Commit> {
        self.commits.last()
    }

    /// The newest commit.
    pub(crate) fn last(&self) -> Option<&Commit> {
        self.commits.first()
    }

    /// The newest commit whose subject does not match `ignore` (typo fixes
    /// and the like), for `page.updated` when front matter has no date.
    pub(crate) fn last_meaningful(&self, ignore: &regex::Regex) -> Option<&Commit> {
        self.commits.iter().find(|c| !ignore.is_match(&c.message))
    }
}

/// The repository kept for lazy reads ([`History::content_at`]) and for
/// refreshing the work-tree flags without re-reading the log.
#[derive(Clone)]
struct Repo {
    sync: gix::ThreadSafeRepository,
    /// Repository-relative path of the site root with a trailing `/`.
    prefix: String,
    /// The commit the history was read from (`None`: no commits yet).
    head: Option<gix::ObjectId>,
    /// The site's files at `head`: site-relative path to blob id.
    head_files: std::collections::BTreeMap<String, gix::ObjectId>,
}

/// The history of every file of the site, keyed by site-relative path
/// (`content/a.md`, `config.toml`), including files deleted since (keyed by
/// their last name) so that a point-in-time build can find them.
#[derive(Clone, Default)]
pub(crate) struct History {
    by_path: HashMap<PathBuf, FileHistory>,
    /// The repository is a shallow clone: history before the graft is
    /// missing.
    pub(crate) shallow: bool,
    /// History was read from git (false outside git, when turned off, or
    /// when the repository could not be read).
    pub(crate) available: bool,
    repo: Option<Repo>,
    /// Commit subjects that are no meaningful change (typo fixes and the
    /// like): `[handbook.history] ignore`.
    ignore: Option<regex::Regex>,
    /// Words [`History::content_at`] replaces (see
    /// [`History::withhold_words`]), longest first.
    withheld_words: Vec<String>,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("files", &self.by_path.len())
            .field("shallow", &self.shallow)
            .field("available", &self.available)
            .field(
                "repo",
                &self.repo.as_ref().map(|r| r.sync.git_dir().to_path_buf()),
            )
            .finish()
    }
}

impl History {
    /// No history: outside git, or with `[handbook.history] enabled = false`.
    pub(crate) fn empty() -> History {
        History::default()
    }

    /// Sets which commit subjects are no meaningful change.
    pub(crate) fn ignore_subjects(&mut self, ignore: Option<regex::Regex>) {
        self.ignore = ignore;
    }

    /// The newest meaningful commit of a file (its newest commit when no
    /// subjects are ignored): what readers see as its last change, and
    /// `page.updated` where front matter has no date.
    pub(crate) fn last_meaningful(&self, site_relative: &Path) -> Option<&Commit> {
        let file = self.file(site_relative)?;
        self.ignore
            .as_ref()
            .and_then(|re| file.last_meaningful(re))
            .or_else(|| file.last())
    }

    /// For unit tests of other modules: facts without git. `content_at` and
    /// `state_as_of` find no content in such a history.
    #[cfg(test)]
    pub(crate) fn from_facts(facts: Vec<(PathBuf, FileHistory)>) -> History {
        History {
            by_path: facts.into_iter().collect(),
            shallow: false,
            available: true,
            repo: None,
            ignore: None,
            withheld_words: Vec::new(),
        }
    }

    /// The history of a file, by its path relative to the site root
    /// (`content/policies/access.md`); `None` for files git never saw.
    pub(crate) fn file(&self, site_relative: &Path) -> Option<&FileHistory> {
        self.by_path.get(&normalize(site_relative))
    }

    /// Every file with a history or an uncommitted state, sorted by path
    /// (deleted files included, under their last name).
    pub(crate) fn paths(&self) -> Vec<&Path> {
        let mut paths: Vec<&Path> = self.by_path.keys().map(PathBuf::as_path).collect();
        paths.sort();
        paths
    }

    /// Replaces the message of every commit that touched a file `visible`
    /// rejects (site-relative paths) with `label` and drops its body; with
    /// `authors`, its author and email too. For a build for one audience:
    /// a message may name what the audience may not read, even on the
    /// history of a document it may. Files git saw but the site no longer
    /// has count as not visible.
    pub(crate) fn withhold_messages(
        &mut self,
        visible: &dyn Fn(&Path) -> bool,
        label: &str,
        authors: bool,
    ) {
        let prefix = self
            .repo
            .as_ref()
            .map_or(String::new(), |r| r.prefix.clone());
        // A rename's old name (repository-relative) counts as a file the
        // commit touched.
        let old_name_hidden = |c: &Commit| match &c.change {
            ChangeKind::Renamed { from } => !visible(&normalize(Path::new(
                from.strip_prefix(prefix.as_str()).unwrap_or(from),
            ))),
            _ => false,
        };
        let mut withheld: HashSet<String> = HashSet::new();
        for (path, file) in &self.by_path {
            let all = !visible(path);
            withheld.extend(
                file.commits
                    .iter()
                    .filter(|c| all || old_name_hidden(c))
                    .map(|c| c.hash.clone()),
            );
        }
        for file in self.by_path.values_mut() {
            for c in file.commits.iter_mut() {
                if old_name_hidden(c) {
                    c.change = ChangeKind::Renamed { from: "…".into() };
                }
            }
            for c in file
                .commits
                .iter_mut()
                .filter(|c| withheld.contains(&c.hash))
            {
                c.message = label.to_string();
                c.body = String::new();
                c.withheld = true;
                if authors {
                    c.author = label.to_string();
                    c.email = String::new();
                }
            }
        }
    }

    /// From now on [`History::content_at`] shows each of `words` as `…`:
    /// for a build for one audience, the paths and ids of what it may not
    /// read, which a visible document's old text (its front matter, its
    /// links) may name in a diff.
    pub(crate) fn withhold_words(&mut self, mut words: Vec<String>) {
        words.retain(|w| !w.trim().is_empty());
        words.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        words.dedup();
        self.withheld_words = words;
    }

    /// The file's content at a commit (for diffs), read lazily from the
    /// object store; `path_at_commit` is repository-relative, as in
    /// [`Commit::path_at_commit`]. `None` if the commit, the path or git is
    /// missing; invalid UTF-8 is replaced.
    pub(crate) fn content_at(&self, commit: &str, path_at_commit: &str) -> Option<String> {
        let repo = self.repo.as_ref()?;
        let bytes = git::blob_at(&repo.sync.to_thread_local(), commit, path_at_commit)?;
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        for word in &self.withheld_words {
            text = text.replace(word.as_str(), "…");
        }
        Some(text)
    }

    /// True when `HEAD` still points to the commit this history was read
    /// from, so that `serve` can keep it across edits and only
    /// [`refresh_work_tree`](History::refresh_work_tree); false without git
    /// or once a commit, checkout or pull moved `HEAD` (read it again then).
    pub(crate) fn is_current(&self) -> bool {
        self.repo.as_ref().is_some_and(|repo| {
            git::head_commit(&repo.sync.to_thread_local()).is_ok_and(|head| head == repo.head)
        })
    }

    /// Recomputes the `dirty` and `untracked` flags from the index and the
    /// work tree under `root` without reading the commit log (for `serve`
    /// after an edit). Does nothing without git.
    pub(crate) fn refresh_work_tree(&mut self, root: &Path) {
        let Some(repo) = &self.repo else {
            return;
        };
        let status = worktree::status(&git::open(&repo.sync), &repo.prefix, root, &repo.head_files);
        // Entries that exist only because of a flag are rebuilt below.
        self.by_path.retain(|path, file| {
            file.dirty = false;
            file.untracked = false;
            !file.commits.is_empty()
                || path
                    .to_str()
                    .is_some_and(|p| repo.head_files.contains_key(p))
        });
        worktree::apply(status.files, &mut self.by_path);
    }

    /// [`refresh_work_tree`](History::refresh_work_tree) for one file
    /// (site-relative, `content/a.md`) that was edited: cheaper, since no
    /// other file is looked at. Does nothing without git.
    pub(crate) fn refresh_file(&mut self, root: &Path, site_relative: &Path) {
        let Some(repo) = &self.repo else {
            return;
        };
        let path = normalize(site_relative);
        let Some(site_path) = path.to_str() else {
            return;
        };
        let flag = worktree::file_flag(
            &git::open(&repo.sync),
            &repo.prefix,
            root,
            &repo.head_files,
            site_path,
        );
        let file = self.by_path.entry(path.clone()).or_default();
        file.dirty = flag == Some(worktree::Flag::Dirty);
        file.untracked = flag == Some(worktree::Flag::Untracked);
    }

    /// The file as it stood at the end of `date` (for `build --as-of`): the
    /// newest commit committed on or before that day (in the committer's
    /// offset) that touched it, and its content then (`None` when that
    /// commit deleted it). `None` when no such commit was read.
    ///
    /// Commits are taken by commit date, not by when they reached the main
    /// line: a branch commit dated before `date` but merged after it counts
    /// as in force.
    pub(crate) fn state_as_of(
        &self,
        site_relative: &Path,
        date: NaiveDate,
    ) -> Option<(Commit, Option<String>)> {
        let file = self.file(site_relative)?;
        let commit = file
            .commits
            .iter()
            .find(|c| c.committed.date_naive() <= date)?;
        let content = match commit.change {
            ChangeKind::Deleted => None,
            _ => self.content_at(&commit.hash, &commit.path_at_commit),
        };
        Some((commit.clone(), content))
    }
}

/// Reads the history of every file under `root/content` (and the config
/// file) in one pass over the commit log, following renames. Problems are
/// warnings in `diags`; the result is then empty or partial, never an error.
pub(crate) fn collect(root: &Path, options: &HistoryOptions, diags: &Diagnostics) -> History {
    if !options.enabled {
        return History::empty();
    }
    let _span = tracing::debug_span!("history::collect").entered();
    match git::read(root, options) {
        Ok(read) => {
            diags.extend(read.warnings);
            read.history
        }
        Err(error) => {
            tracing::debug!("{error}");
            diags.push(error.to_diagnostic());
            History::empty()
        }
    }
}

/// Exists only for `tests/benches/history.rs`, which cannot reach
/// `pub(crate)` items: runs [`collect`] with default options on `root` and
/// returns the number of (file, commit) facts read.
#[doc(hidden)]
pub fn bench_collect(root: &Path) -> usize {
    let history = collect(root, &HistoryOptions::default(), &Diagnostics::new());
    history.by_path.values().map(|f| f.commits.len()).sum()
}

/// `./content/a.md` becomes `content/a.md`.
fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
