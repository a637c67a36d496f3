//! Writing an [`OutputSet`] to disk through a staging folder.

use super::{Output, OutputSet};
use std::path::{Path, PathBuf};

/// File that marks a folder as handbok output, so that `--output-dir`
/// can refuse to replace anything else without `--force`.
pub(crate) const MARKER: &str = ".handbok-output";

/// Why the output could not be written. Every variant is returned before
/// the output folder was touched: the previous output is as it was.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
    /// The output folder exists and was not made by handbok.
    #[error("{0} exists and is not a handbok output folder; use --force to replace it")]
    NotOurs(PathBuf),
    /// The output folder is, contains or lies inside the site's sources.
    #[error(
        "refusing to write the output to {out}: a build replaces that folder, and it would \
         destroy the site's sources in {source_folder}; choose an output folder outside them \
         (for example `public`)"
    )]
    SourceFolder {
        out: PathBuf,
        source_folder: PathBuf,
    },
    /// The previous output cannot be written to, so it could neither be
    /// reused nor cleaned up after the swap.
    #[error("{0} is not writable; fix its permissions or remove it, then build again")]
    NotWritable(PathBuf, #[source] std::io::Error),
    /// A file operation failed.
    #[error("{action} {path}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> WriteError + 'a {
    move |source| WriteError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// True if `dir` is absent, empty, or a previous handbok output.
fn replaceable(dir: &Path) -> bool {
    if !dir.exists() {
        return true;
    }
    if dir.join(MARKER).is_file() {
        return true;
    }
    std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

/// How to write the output.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WriteOptions<'a> {
    /// The site root: the output may not be, contain or lie inside it or
    /// its source folders, whatever `force` says.
    pub(crate) root: &'a Path,
    /// Replace a folder handbok did not make (`--force`).
    pub(crate) force: bool,
    /// Carry root dotfiles of the old output over (Zola's
    /// `preserve_dotfiles_in_output`).
    pub(crate) keep_dotfiles: bool,
}

/// The names of the folders a build keeps beside the output `out`.
#[derive(Debug)]
struct Beside {
    parent: PathBuf,
    name: String,
    staging: PathBuf,
    spare: PathBuf,
    old: PathBuf,
}

impl Beside {
    fn new(out: &Path) -> Beside {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        Beside {
            staging: parent.join(format!(".{name}.handbok-staging")),
            spare: parent.join(format!(".{name}.handbok-spare")),
            old: parent.join(format!(".{name}.handbok-old")),
            parent,
            name,
        }
    }
}

/// Writes the whole set into `.<out>.handbok-staging`, then swaps it into
/// place: [`Staging::open`] then [`Staging::finish`].
pub(crate) fn write(
    set: &OutputSet,
    out: &Path,
    options: WriteOptions<'_>,
) -> Result<(), WriteError> {
    Staging::open(out, options)?.finish(set)
}

/// The folder a build is written into before it replaces the output,
/// holding the output's lock (see `lock`) from opening to the swap, so
/// that concurrent builds into one folder take turns.
///
/// Files can be put into it while the site is still rendering
/// ([`Staging::put`]), so that a large build does not hold its whole
/// output in memory; [`Staging::finish`] writes the rest, removes what the
/// new site no longer has, and swaps it into place (see `swap`). A build
/// that fails never finishes: the output folder is untouched.
///
/// The replaced output is not deleted: it is kept beside the output as
/// `.<out>.handbok-spare` (ignored by git through a `.gitignore` of its
/// own) and becomes the next build's staging folder, brought up to date in
/// place: files that did not change are only read, and no file or folder
/// is created or deleted unless the site's shape changed. Deleting and
/// creating tens of thousands of files is most of a large build's time on
/// common file systems.
#[derive(Debug)]
pub(crate) struct Staging {
    out: PathBuf,
    beside: Beside,
    keep_dotfiles: bool,
    /// Set once the folder was swapped in or given up: nothing is left to
    /// tidy when it is dropped.
    finished: std::sync::atomic::AtomicBool,
    _lock: super::lock::OutputLock,
}

impl Staging {
    /// Checks that `out` may be replaced, takes its lock, tidies up after
    /// an interrupted build and makes the staging folder (from the spare
    /// when there is one). Nothing in `out` changes.
    pub(crate) fn open(out: &Path, options: WriteOptions<'_>) -> Result<Staging, WriteError> {
        if let Some(source_folder) = super::guard::source_clash(options.root, out) {
            return Err(WriteError::SourceFolder {
                out: out.to_path_buf(),
                source_folder,
            });
        }
        if !options.force && !replaceable(out) {
            return Err(WriteError::NotOurs(out.to_path_buf()));
        }
        let beside = Beside::new(out);
        std::fs::create_dir_all(&beside.parent).map_err(io("create", &beside.parent))?;
        let lock = super::lock::acquire(&beside.parent, &beside.name, out).map_err(io(
            "lock",
            &super::lock::lock_path(&beside.parent, &beside.name),
        ))?;
        recover(out, &beside)?;
        check_writable(out)?;
        let staging = &beside.staging;
        let reused = beside.spare.join(MARKER).is_file()
            && check_writable(&beside.spare).is_ok()
            && std::fs::rename(&beside.spare, staging).is_ok();
        if beside.spare.exists() {
            remove_tree(&beside.spare).map_err(io("remove", &beside.spare))?;
        }
        if !reused {
            std::fs::create_dir_all(staging).map_err(io("create", staging))?;
            std::fs::write(staging.join(MARKER), b"built by handbok\n")
                .map_err(io("write", staging))?;
        }
        Ok(Staging {
            out: out.to_path_buf(),
            beside,
            keep_dotfiles: options.keep_dotfiles,
            finished: false.into(),
            _lock: lock,
        })
    }

    /// Puts generated bytes at `rel` (`a/b/index.html`) now, unless the
    /// staging folder already has exactly these bytes there. Safe to call
    /// from several threads, for different paths.
    pub(crate) fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        put_bytes(&self.beside.staging, rel, bytes)
    }

    /// Writes what `set` still holds in memory, removes every file the new
    /// site does not have (whatever was [`put`](Self::put) is in `set` as
    /// [`Output::Staged`]), then swaps the staging folder into place.
    ///
    /// An error means the output folder was not changed; problems tidying
    /// up after the swap are only logged, and the next build tidies again.
    pub(crate) fn finish(&self, set: &OutputSet) -> Result<(), WriteError> {
        use std::sync::atomic::Ordering;
        let staging = self.beside.staging.clone();
        if let Err(e) = update(set, &staging) {
            self.finished.store(true, Ordering::SeqCst);
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
        if self.keep_dotfiles && self.out.is_dir() {
            carry_dotfiles(&self.out, &staging)?;
        }
        self.finished.store(true, Ordering::SeqCst);
        let previous = match super::swap::swap(&staging, &self.out, &self.beside.old) {
            Ok(super::swap::Swapped::Fresh) => None,
            Ok(super::swap::Swapped::Exchanged) => Some(&staging),
            Ok(super::swap::Swapped::MovedAside) => Some(&self.beside.old),
            Err(source) => {
                return Err(WriteError::Io {
                    action: "move into place",
                    path: self.out.clone(),
                    source,
                })
            }
        };
        if let Some(previous) = previous {
            retire(previous, &self.beside.spare);
        }
        Ok(())
    }
}

impl Drop for Staging {
    /// A build that did not finish (it had errors) leaves its staging
    /// folder as the next build's spare, as an interrupted one would.
    fn drop(&mut self) {
        if *self.finished.get_mut() {
            return;
        }
        let (staging, spare) = (&self.beside.staging, &self.beside.spare);
        if !spare.exists() && std::fs::rename(staging, spare).is_ok() {
            return;
        }
        let _ = remove_tree(staging);
    }
}

/// Puts leftovers of an interrupted build right before anything else: an
/// output moved aside but never replaced goes back; other leftovers go.
/// Fails only when a leftover is in the way and cannot be removed.
fn recover(out: &Path, beside: &Beside) -> Result<(), WriteError> {
    let old = &beside.old;
    if old.exists() && !out.exists() && old.join(MARKER).is_file() {
        tracing::warn!(
            "an earlier build was interrupted while replacing {}; putting its previous output back",
            out.display()
        );
        std::fs::rename(old, out).map_err(io("restore", old))?;
    }
    if old.exists() {
        if !beside.spare.exists() && old.join(MARKER).is_file() {
            std::fs::rename(old, &beside.spare).map_err(io("move aside", old))?;
        } else {
            remove_tree(old).map_err(io("remove", old))?;
        }
    }
    let staging = &beside.staging;
    // A staging folder left by an interrupted build is as good a spare.
    if staging.exists() && !beside.spare.exists() && staging.join(MARKER).is_file() {
        std::fs::rename(staging, &beside.spare).map_err(io("move aside", staging))?;
    }
    if staging.exists() {
        remove_tree(staging).map_err(io("remove", staging))?;
    }
    Ok(())
}

/// Checks that files can be created and removed in `dir` (if it exists):
/// the previous output becomes the next build's spare and is updated in
/// place, so an unwritable one would fail every later build.
fn check_writable(dir: &Path) -> Result<(), WriteError> {
    if !dir.is_dir() {
        return Ok(());
    }
    let probe = dir.join(".handbok-write-probe");
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| WriteError::NotWritable(dir.to_path_buf(), e))
}

/// Keeps the replaced output as the next spare if it is ours, else removes
/// it. The new output is already in place: failures are logged, not
/// returned, and the next build removes what is left.
fn retire(previous: &Path, spare: &Path) {
    let ours = previous.join(MARKER).is_file()
        && std::fs::write(
            previous.join(".gitignore"),
            "# handbok's spare output folder\n*\n",
        )
        .is_ok()
        && std::fs::rename(previous, spare).is_ok();
    if ours {
        return;
    }
    let removed = if previous.is_dir() {
        remove_tree(previous)
    } else {
        std::fs::remove_file(previous)
    };
    if let Err(e) = removed {
        tracing::warn!(
            "the new output is in place, but the previous one could not be removed from {}: {e}",
            previous.display()
        );
    }
}

/// Brings a previous output in `dir` up to `set`: removes what the set
/// does not have, rewrites only files whose bytes differ. Files already
/// put there ([`Output::Staged`]) are kept as they are.
fn update(set: &OutputSet, dir: &Path) -> Result<(), WriteError> {
    use rayon::prelude::*;
    prune(set, dir)?;
    set.files
        .par_iter()
        .try_for_each(|(rel, output)| match output {
            Output::Bytes(b) => put_bytes(dir, rel, b),
            Output::Staged => Ok(()),
            Output::Copy(from) => {
                let target = prepare_target(dir, rel)?;
                if same_file_content(from, &target) {
                    return Ok(());
                }
                std::fs::copy(from, &target)
                    .map(|_| ())
                    .map_err(io("copy", from))
            }
        })
}

/// Removes every file and folder under `dir` that `set` does not have.
fn prune(set: &OutputSet, dir: &Path) -> Result<(), WriteError> {
    let mut folders: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for rel in set.files.keys() {
        let mut path = rel.as_str();
        while let Some((parent, _)) = path.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            path = parent;
        }
    }
    // Each top-level entry's tree on its own thread (a large site's
    // folder tree took a tenth of a build to walk alone); within one,
    // children before their folder, so that emptied folders can go.
    use rayon::prelude::*;
    let top: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io("read", dir))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io("read", dir))?;
    top.par_iter()
        .try_for_each(|path| prune_tree(set, &folders, dir, path))
}

/// [`prune`] of one entry of `dir` and everything under it.
fn prune_tree(
    set: &OutputSet,
    folders: &std::collections::HashSet<&str>,
    dir: &Path,
    top: &Path,
) -> Result<(), WriteError> {
    // A link at the top is removed or kept like a file, never followed.
    let walk = walkdir::WalkDir::new(top)
        .follow_root_links(false)
        .contents_first(true);
    for entry in walk {
        let entry = entry.map_err(|e| WriteError::Io {
            action: "read",
            path: dir.to_path_buf(),
            source: e.into(),
        })?;
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let kind = entry.file_type();
        let keep = if kind.is_dir() {
            folders.contains(rel.as_str())
        } else {
            kind.is_file() && (rel == MARKER || set.files.contains_key(&rel))
        };
        if !keep {
            let path = entry.path();
            let removed = if kind.is_dir() {
                std::fs::remove_dir_all(path)
            } else {
                std::fs::remove_file(path)
            };
            removed.map_err(io("remove", path))?;
        }
    }
    Ok(())
}

/// Writes `bytes` at `rel` under `dir` unless the file there already has
/// them.
fn put_bytes(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
    // A readable file there means its folders exist and nothing is in the
    // way: the two checks that would otherwise precede every write (most
    // of writing a large site into a reused folder) are needed only when
    // the read fails.
    let target = dir.join(rel);
    if let Ok(old) = std::fs::read(&target) {
        if old[..] == bytes[..] {
            return Ok(());
        }
        return std::fs::write(&target, bytes).map_err(io("write", &target));
    }
    let target = prepare_target(dir, rel)?;
    std::fs::write(&target, bytes).map_err(io("write", &target))
}

/// The path of `rel` under `dir`, with its folders made. Whatever an
/// earlier build left in the way (a file where a folder now goes, or a
/// folder where a file now goes) is removed first.
fn prepare_target(dir: &Path, rel: &str) -> Result<PathBuf, WriteError> {
    let target = dir.join(rel);
    if let Some(parent) = target.parent() {
        if !parent.is_dir() && std::fs::create_dir_all(parent).is_err() {
            let mut at = dir.to_path_buf();
            for part in Path::new(rel)
                .parent()
                .into_iter()
                .flat_map(Path::components)
            {
                at.push(part);
                if at.is_file() || at.is_symlink() {
                    std::fs::remove_file(&at).map_err(io("remove", &at))?;
                }
            }
            std::fs::create_dir_all(parent).map_err(io("create", parent))?;
        }
    }
    if target.is_dir() && !target.is_symlink() {
        std::fs::remove_dir_all(&target).map_err(io("remove", &target))?;
    }
    Ok(target)
}

/// True if `b` has the bytes of `a` (small files only; larger ones are
/// taken as different and copied).
fn same_file_content(a: &Path, b: &Path) -> bool {
    const LIMIT: u64 = 4 << 20;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(ma), Ok(mb)) if ma.len() == mb.len() && ma.len() <= LIMIT && mb.is_file() => {
            matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
}

/// Removes a folder tree, its top-level entries in parallel: on a large
/// site, deleting the previous output is as much work as writing the new.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            std::fs::remove_dir_all(e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

fn carry_dotfiles(out: &Path, staging: &Path) -> Result<(), WriteError> {
    for entry in std::fs::read_dir(out).map_err(io("read", out))?.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') && name != MARKER {
            let target = staging.join(&name);
            if entry.path().is_dir() {
                copy_tree(&entry.path(), &target).map_err(io("copy", &entry.path()))?;
            } else {
                std::fs::copy(entry.path(), &target).map_err(io("copy", &entry.path()))?;
            }
        }
    }
    Ok(())
}

/// Copies a folder tree: folders and regular files only. Symbolic links
/// are skipped, so a copy never brings in a file from outside the tree.
pub(crate) fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Options for a site whose root is `root`.
    fn opts(root: &Path, force: bool) -> WriteOptions<'_> {
        WriteOptions {
            root,
            force,
            keep_dotfiles: false,
        }
    }

    #[test]
    fn refuses_a_foreign_folder_unless_forced() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap_or_default();
        std::fs::write(out.join("mine.txt"), "x").unwrap_or_default();
        let mut set = OutputSet::default();
        set.text("index.html", "hi".into());
        assert!(matches!(
            write(&set, &out, opts(dir.path(), false)),
            Err(WriteError::NotOurs(_))
        ));
        write(&set, &out, opts(dir.path(), true)).unwrap_or_else(|e| panic!("{e}"));
        assert!(!out.join("mine.txt").exists());
        assert!(out.join(MARKER).is_file());
        // Now it is ours: no force needed.
        write(&set, &out, opts(dir.path(), false)).unwrap_or_else(|e| panic!("{e}"));
    }

    /// Every file under `dir`, relative, sorted.
    fn files(dir: &Path) -> Vec<String> {
        let mut all: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        all.sort();
        all
    }

    /// A link planted in the output folder, to a folder outside with a
    /// file the site does not have, is removed as a link: the walk that
    /// removes what the site no longer has never follows it.
    #[cfg(unix)]
    #[test]
    fn pruning_removes_a_planted_link_and_never_what_it_leads_to() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let out = dir.path().join("public");
        let outside = dir.path().join("elsewhere");
        std::fs::create_dir_all(outside.join("deep")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(outside.join("deep/keep.txt"), "mine").unwrap_or_else(|e| panic!("{e}"));
        let mut set = OutputSet::default();
        set.text("a/index.html", "a".into());
        write(&set, &out, opts(dir.path(), false)).unwrap_or_else(|e| panic!("{e}"));
        for round in 0..3 {
            std::os::unix::fs::symlink(&outside, out.join("link"))
                .unwrap_or_else(|e| panic!("{e}"));
            std::os::unix::fs::symlink(&outside, out.join("a/link"))
                .unwrap_or_else(|e| panic!("{e}"));
            write(&set, &out, opts(dir.path(), false)).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(files(&out), [MARKER, "a/index.html"], "round {round}");
            assert_eq!(
                std::fs::read_to_string(outside.join("deep/keep.txt"))
                    .ok()
                    .as_deref(),
                Some("mine"),
                "round {round}"
            );
        }
    }

    #[test]
    fn an_output_that_cannot_be_written_is_refused_before_anything_moves() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let out = dir.path().join("public");
        let mut set = OutputSet::default();
        set.text("index.html", "ett".into());
        write(&set, &out, opts(dir.path(), false)).unwrap_or_else(|e| panic!("{e}"));
        // Fault injection: a folder where the write probe goes makes the
        // output unwritable for any user, root included (mode 555 is not).
        std::fs::create_dir_all(out.join(".handbok-write-probe")).unwrap_or_else(|e| panic!("{e}"));
        set.text("index.html", "två".into());
        let result = write(&set, &out, opts(dir.path(), false));
        assert!(
            matches!(result, Err(WriteError::NotWritable(..))),
            "{result:?}"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html"))
                .ok()
                .as_deref(),
            Some("ett")
        );
        let beside: Vec<String> = std::fs::read_dir(dir.path())
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            !beside
                .iter()
                .any(|n| n.contains("staging") || n.contains("old")),
            "nothing left half-done: {beside:?}"
        );
    }

    #[test]
    fn concurrent_writes_into_one_folder_take_turns_and_lose_nothing() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let out = dir.path().join("public");
        // Two different sites, so that a mix of the two would show.
        let set = |tag: &str| {
            let mut set = OutputSet::default();
            for i in 0..100 {
                set.text(format!("{tag}/{i}/index.html"), format!("{tag} {i}"));
                set.text(format!("shared/{i}.html"), format!("{tag} {i}"));
            }
            set
        };
        let (a, b) = (set("a"), set("b"));
        let expected = |set: &OutputSet| {
            let mut v: Vec<String> = set.files.keys().cloned().collect();
            v.push(MARKER.into());
            v.sort();
            v
        };
        let (want_a, want_b) = (expected(&a), expected(&b));
        let mismatches = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for set in [&a, &b] {
                let (out, mismatches) = (&out, &mismatches);
                let (want_a, want_b) = (&want_a, &want_b);
                let root = dir.path();
                scope.spawn(move || {
                    for _ in 0..10 {
                        write(set, out, opts(root, false)).unwrap_or_else(|e| panic!("{e}"));
                        // Read as a writer would, under the lock: between
                        // writes the output is always one whole site.
                        let lock = super::super::lock::acquire(root, "public", out)
                            .unwrap_or_else(|e| panic!("{e}"));
                        let now = files(out);
                        drop(lock);
                        if now != *want_a && now != *want_b {
                            mismatches.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        assert_eq!(
            mismatches.into_inner(),
            0,
            "a write saw a mixed or partial output"
        );
        let last = files(&out);
        assert!(
            last == want_a || last == want_b,
            "the output is one whole site"
        );
    }

    #[test]
    fn the_previous_output_is_kept_as_a_spare_and_reused_exactly() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let out = dir.path().join("public");
        let spare = dir.path().join(".public.handbok-spare");
        let source = dir.path().join("logo.svg");
        std::fs::write(&source, "<svg/>").unwrap_or_default();
        let mut first = OutputSet::default();
        first.text("index.html", "ett".into());
        first.text("a/index.html", "a".into());
        first.text("b/index.html", "b".into());
        first.text("c", "c is a file".into());
        first.copy("logo.svg", source.clone());
        write(&first, &out, opts(dir.path(), false)).unwrap_or_else(|e| panic!("{e}"));
        assert!(!spare.exists(), "nothing to keep after the first build");

        // a/ goes, b/ stays unchanged, c becomes a folder, a page is added.
        let mut second = OutputSet::default();
        second.text("index.html", "två".into());
        second.text("b/index.html", "b".into());
        second.text("c/index.html", "c is a folder".into());
        second.text("d/e/index.html", "new".into());
        second.copy("logo.svg", source.clone());
        write(&second, &out, opts(dir.path(), false)).unwrap_or_else(|e| panic!("{e}"));
        assert!(spare.join(".gitignore").is_file(), "git ignores the spare");
        let expected = |set: &OutputSet| {
            let mut v: Vec<String> = set.files.keys().cloned().collect();
            v.push(MARKER.into());
            v.sort();
            v
        };
        assert_eq!(files(&out), expected(&second));

        // The third build updates the first build's folder in place.
        let mut third = second.clone();
        third.text("index.html", "tre".into());
        third.files.remove("d/e/index.html");
        let b_inode = std::fs::metadata(spare.join("b/index.html")).ok();
        write(&third, &out, opts(dir.path(), false)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(files(&out), expected(&third));
        assert!(!out.join("d").exists(), "emptied folders go");
        assert!(
            !out.join(".gitignore").exists(),
            "the spare's .gitignore is not output"
        );
        for (rel, output) in &third.files {
            let on_disk = std::fs::read(out.join(rel)).unwrap_or_default();
            match output {
                Output::Bytes(b) => assert_eq!(on_disk, b[..].to_vec(), "{rel}"),
                Output::Copy(from) => {
                    assert_eq!(on_disk, std::fs::read(from).unwrap_or_default(), "{rel}")
                }
                Output::Staged => {}
            }
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let now = std::fs::metadata(out.join("b/index.html")).ok();
            assert_eq!(
                b_inode.map(|m| m.ino()),
                now.map(|m| m.ino()),
                "an unchanged file is reused, not created again"
            );
        }
    }

    #[test]
    fn a_streamed_build_writes_as_it_goes_and_the_later_file_at_a_path_wins() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let out = dir.path().join("out");
        // A previous output with a file where the new site needs a folder,
        // and a file the new site no longer has.
        let mut first = OutputSet::default();
        first.text("a", "a file".into());
        first.text("gone.html", "old".into());
        write(&first, &out, opts(dir.path(), false)).unwrap_or_else(|e| panic!("{e}"));
        let stage = std::sync::Arc::new(
            Staging::open(&out, opts(dir.path(), false)).unwrap_or_else(|e| panic!("{e}")),
        );
        let mut set = OutputSet::streaming_into(stage.clone());
        set.texts(vec![
            ("a/index.html".into(), "first".into()),
            ("b/index.html".into(), "b".into()),
            ("/a/index.html".into(), "second".into()),
        ]);
        assert!(
            set.files.values().all(|o| matches!(o, Output::Staged)),
            "streamed files are not kept in memory"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a")).unwrap_or_default(),
            "a file",
            "the output is untouched until the build finishes"
        );
        set.text("c.xml", "kept in memory".into());
        stage.finish(&set).unwrap_or_else(|e| panic!("{e}"));
        let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap_or_default();
        assert_eq!(read("a/index.html"), "second");
        assert_eq!(read("b/index.html"), "b");
        assert_eq!(read("c.xml"), "kept in memory");
        assert!(!out.join("gone.html").exists());
    }

    #[test]
    fn a_streamed_build_that_never_finishes_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let out = dir.path().join("out");
        let mut first = OutputSet::default();
        first.text("index.html", "before".into());
        write(&first, &out, opts(dir.path(), false)).unwrap_or_else(|e| panic!("{e}"));
        {
            let stage = std::sync::Arc::new(
                Staging::open(&out, opts(dir.path(), false)).unwrap_or_else(|e| panic!("{e}")),
            );
            let mut set = OutputSet::streaming_into(stage);
            set.texts(vec![("index.html".into(), "half-built".into())]);
            // The build had errors: the staging folder is dropped unfinished.
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap_or_default(),
            "before"
        );
        // The next build starts from the leftover and still gets it right.
        let mut next = OutputSet::default();
        next.text("other.html", "next".into());
        write(&next, &out, opts(dir.path(), false)).unwrap_or_else(|e| panic!("{e}"));
        assert!(!out.join("index.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("other.html")).unwrap_or_default(),
            "next"
        );
    }
}
