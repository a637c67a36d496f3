//! Writing an [`OutputSet`] to disk through a staging folder.

use super::{Output, OutputSet};
use std::path::{Path, PathBuf};

/// File that marks a folder as handbok output, so that `--output-dir`
/// can refuse to replace anything else without `--force`.
pub(crate) const MARKER: &str = ".handbok-output";

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
    /// The output folder exists and was not made by handbok.
    #[error("{0} exists and is not a handbok output folder; use --force to replace it")]
    NotOurs(PathBuf),
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

/// Writes the whole set into `.<out>.handbok-staging`, then swaps it into
/// place. `keep_dotfiles` carries root dotfiles of the old output over
/// (Zola's `preserve_dotfiles_in_output`).
///
/// The replaced output is not deleted: it is kept beside the output as
/// `.<out>.handbok-spare` (ignored by git through a `.gitignore` of its
/// own) and becomes the next build's staging folder, brought up to date in
/// place: files that did not change are only read, and no file or folder
/// is created or deleted unless the site's shape changed. Deleting and
/// creating tens of thousands of files is most of a large build's time on
/// common file systems.
pub(crate) fn write(
    set: &OutputSet,
    out: &Path,
    force: bool,
    keep_dotfiles: bool,
) -> Result<(), WriteError> {
    if !force && !replaceable(out) {
        return Err(WriteError::NotOurs(out.to_path_buf()));
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io("create", parent))?;
    let staging = parent.join(format!(".{name}.handbok-staging"));
    let spare = parent.join(format!(".{name}.handbok-spare"));
    let old = parent.join(format!(".{name}.handbok-old"));
    if old.exists() {
        remove_tree(&old).map_err(io("remove", &old))?;
    }
    // A staging folder left by an interrupted build is as good a spare.
    if staging.exists() && !spare.exists() && staging.join(MARKER).is_file() {
        std::fs::rename(&staging, &spare).map_err(io("move aside", &staging))?;
    }
    if staging.exists() {
        remove_tree(&staging).map_err(io("remove", &staging))?;
    }
    let reused = spare.join(MARKER).is_file() && std::fs::rename(&spare, &staging).is_ok();
    if spare.exists() {
        remove_tree(&spare).map_err(io("remove", &spare))?;
    }
    let filled = if reused {
        update(set, &staging)
    } else {
        fill(set, &staging)
    };
    if let Err(e) = filled {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if keep_dotfiles && out.is_dir() {
        carry_dotfiles(out, &staging)?;
    }
    if out.exists() {
        std::fs::rename(out, &old).map_err(io("move aside", out))?;
    }
    if let Err(source) = std::fs::rename(&staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(WriteError::Io {
            action: "move into place",
            path: out.to_path_buf(),
            source,
        });
    }
    if old.exists() {
        // Only ever a previous output (checked above, or `--force`): keep
        // it as the next spare if it is ours, else remove it.
        let ours = old.join(MARKER).is_file()
            && std::fs::write(
                old.join(".gitignore"),
                "# handbok's spare output folder\n*\n",
            )
            .is_ok()
            && std::fs::rename(&old, &spare).is_ok();
        if !ours {
            remove_tree(&old).map_err(io("remove", &old))?;
        }
    }
    Ok(())
}

/// Brings a previous output in `dir` up to `set`: removes what the set
/// does not have, rewrites only files whose bytes differ.
fn update(set: &OutputSet, dir: &Path) -> Result<(), WriteError> {
    use rayon::prelude::*;
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
    // Children before their folder, so that emptied folders can go.
    for entry in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
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
    set.files.par_iter().try_for_each(|(rel, output)| {
        let target = dir.join(rel);
        if let Some(parent) = target.parent() {
            if !parent.is_dir() {
                std::fs::create_dir_all(parent).map_err(io("create", parent))?;
            }
        }
        match output {
            Output::Bytes(b) => {
                if std::fs::read(&target).is_ok_and(|old| old[..] == b[..]) {
                    return Ok(());
                }
                std::fs::write(&target, b).map_err(io("write", &target))
            }
            Output::Copy(from) => {
                if same_file_content(from, &target) {
                    return Ok(());
                }
                std::fs::copy(from, &target)
                    .map(|_| ())
                    .map_err(io("copy", from))
            }
        }
    })
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

fn fill(set: &OutputSet, staging: &Path) -> Result<(), WriteError> {
    std::fs::create_dir_all(staging).map_err(io("create", staging))?;
    std::fs::write(staging.join(MARKER), b"built by handbok\n").map_err(io("write", staging))?;
    update(set, staging)
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

    #[test]
    fn refuses_a_foreign_folder_unless_forced() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap_or_default();
        std::fs::write(out.join("mine.txt"), "x").unwrap_or_default();
        let mut set = OutputSet::default();
        set.text("index.html", "hi".into());
        assert!(matches!(
            write(&set, &out, false, false),
            Err(WriteError::NotOurs(_))
        ));
        write(&set, &out, true, false).unwrap_or_else(|e| panic!("{e}"));
        assert!(!out.join("mine.txt").exists());
        assert!(out.join(MARKER).is_file());
        // Now it is ours: no force needed.
        write(&set, &out, false, false).unwrap_or_else(|e| panic!("{e}"));
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
        write(&first, &out, false, false).unwrap_or_else(|e| panic!("{e}"));
        assert!(!spare.exists(), "nothing to keep after the first build");

        // a/ goes, b/ stays unchanged, c becomes a folder, a page is added.
        let mut second = OutputSet::default();
        second.text("index.html", "två".into());
        second.text("b/index.html", "b".into());
        second.text("c/index.html", "c is a folder".into());
        second.text("d/e/index.html", "new".into());
        second.copy("logo.svg", source.clone());
        write(&second, &out, false, false).unwrap_or_else(|e| panic!("{e}"));
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
        write(&third, &out, false, false).unwrap_or_else(|e| panic!("{e}"));
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
}
