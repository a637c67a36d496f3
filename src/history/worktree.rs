//! Uncommitted state of the site's files: which tracked files differ from
//! `HEAD` (in the index or the work tree) and which files git does not
//! track. Like `git status`, a file whose index stat data still matches is
//! taken as unchanged without reading it; only files whose stat changed (or
//! is racy) are hashed.
//!
//! Limits: content filters (`core.autocrlf`, `.gitattributes` `text`/`eol`)
//! are not applied before hashing, so a file that differs only in line
//! endings from its checked-in form counts as dirty once its stat changes.
//!
//! Must not read history (`git.rs` does) or interpret the flags.

use super::git::CONFIG_FILES;
use super::FileHistory;
use gix::index::entry::stat;
use gix::ObjectId;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What is uncommitted about a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flag {
    /// Tracked (in `HEAD` or the index) and changed, staged, deleted or
    /// added without a commit.
    Dirty,
    /// In the work tree, not in the index, not ignored.
    Untracked,
}

/// Flags by site-relative path, sorted, plus a reason when the index could
/// not be read (then nothing is flagged).
#[derive(Debug, Default)]
pub(super) struct Status {
    pub(super) files: Vec<(String, Flag)>,
    pub(super) error: Option<String>,
}

/// Compares `HEAD`'s site files (`head`, site-relative), the index and the
/// work tree under `root`.
pub(super) fn status(
    repo: &gix::Repository,
    prefix: &str,
    root: &Path,
    head: &BTreeMap<String, ObjectId>,
) -> Status {
    let index = match repo.index_or_empty() {
        Ok(index) => index,
        Err(e) => {
            return Status {
                files: Vec::new(),
                error: Some(e.to_string()),
            }
        }
    };
    // Sub-second times (git records them in the index) keep files written in
    // the same second as the index, as after a fresh checkout, from all
    // counting as racy and being hashed.
    let options = stat::Options {
        use_nsec: true,
        ..stat::Options::default()
    };
    let timestamp = index.timestamp();
    let mut flags: BTreeMap<String, Flag> = BTreeMap::new();
    let mut indexed: HashSet<String> = HashSet::new();

    for entry in index.entries() {
        let path = entry.path(&index).to_string();
        let Some(site_path) = path.strip_prefix(prefix) else {
            continue;
        };
        if !is_site_file(site_path) {
            continue;
        }
        indexed.insert(site_path.to_string());
        let racy = entry.stat.is_racy(timestamp, options);
        let clean = entry.stage_raw() == 0
            && head.get(site_path) == Some(&entry.id)
            && matches_work_tree(repo, entry, &root.join(site_path), racy, options);
        if !clean {
            flags.insert(site_path.to_string(), Flag::Dirty);
        }
    }
    // Deleted from the index but still in HEAD: a staged deletion.
    for path in head.keys() {
        if !indexed.contains(path) {
            flags.insert(path.clone(), Flag::Dirty);
        }
    }
    for path in untracked(root) {
        if !indexed.contains(&path) {
            flags.insert(path, Flag::Untracked);
        }
    }
    Status {
        files: flags.into_iter().collect(),
        error: None,
    }
}

/// The flag of one site file, as [`status`] would give it, without
/// walking the other files: for `serve` after an edit to that file.
pub(super) fn file_flag(
    repo: &gix::Repository,
    prefix: &str,
    root: &Path,
    head: &BTreeMap<String, ObjectId>,
    site_path: &str,
) -> Option<Flag> {
    let index = repo.index_or_empty().ok()?;
    let full = format!("{prefix}{site_path}");
    let options = stat::Options {
        use_nsec: true,
        ..stat::Options::default()
    };
    match index.entry_by_path(full.as_str().into()) {
        Some(entry) => {
            let racy = entry.stat.is_racy(index.timestamp(), options);
            let clean = entry.stage_raw() == 0
                && head.get(site_path) == Some(&entry.id)
                && matches_work_tree(repo, entry, &root.join(site_path), racy, options);
            (!clean).then_some(Flag::Dirty)
        }
        None if head.contains_key(site_path) => Some(Flag::Dirty),
        None if root.join(site_path).is_file() => Some(Flag::Untracked),
        None => None,
    }
}

/// Sets the flags on the histories, adding entries for files git has no
/// commits for.
pub(super) fn apply(files: Vec<(String, Flag)>, by_path: &mut HashMap<PathBuf, FileHistory>) {
    for (path, flag) in files {
        let file = by_path.entry(PathBuf::from(path)).or_default();
        match flag {
            Flag::Dirty => file.dirty = true,
            Flag::Untracked => file.untracked = true,
        }
    }
}

/// Paths whose history is kept: `content/**` and the config files.
fn is_site_file(site_path: &str) -> bool {
    site_path.starts_with("content/") || CONFIG_FILES.contains(&site_path)
}

/// True if the file on disk has the content the index records.
fn matches_work_tree(
    repo: &gix::Repository,
    entry: &gix::index::Entry,
    file: &Path,
    racy: bool,
    options: stat::Options,
) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(file) else {
        return false; // deleted in the work tree
    };
    if meta.file_type().is_symlink() || entry.mode == gix::index::entry::Mode::SYMLINK {
        return meta.file_type().is_symlink() == (entry.mode == gix::index::entry::Mode::SYMLINK);
    }
    if !meta.is_file() {
        return false;
    }
    let same_stat = gix::index::fs::Metadata::from_path_no_follow(file)
        .ok()
        .and_then(|m| gix::index::entry::Stat::from_fs(&m).ok())
        .is_some_and(|s| entry.stat.matches(&s, options));
    if same_stat && !racy {
        return true;
    }
    let Ok(data) = std::fs::read(file) else {
        return false;
    };
    gix::objs::compute_hash(repo.object_hash(), gix::objs::Kind::Blob, &data)
        .is_ok_and(|id| id == entry.id)
}

/// Files under `root/content` and the config files that exist and are not
/// ignored, as site-relative paths.
fn untracked(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for name in CONFIG_FILES {
        if root.join(name).is_file() {
            out.push(name.to_string());
        }
    }
    let content = root.join("content");
    if !content.is_dir() {
        return out;
    }
    let walk = ignore::WalkBuilder::new(&content)
        .hidden(false)
        .ignore(false) // `.ignore` files are ripgrep's, not git's
        .parents(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(true)
        .build();
    for entry in walk.flatten() {
        if !entry
            .file_type()
            .is_some_and(|t| t.is_file() || t.is_symlink())
        {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(root) else {
            continue;
        };
        let parts: Option<Vec<&str>> = relative
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect();
        if let Some(parts) = parts {
            out.push(parts.join("/"));
        }
    }
    out
}
