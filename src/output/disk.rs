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

/// Writes the whole set into `<out>.handbok-staging`, then swaps it into
/// place. `keep_dotfiles` carries root dotfiles of the old output over
/// (Zola's `preserve_dotfiles_in_output`).
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
    let old = parent.join(format!(".{name}.handbok-old"));
    for leftover in [&staging, &old] {
        if leftover.exists() {
            remove_tree(leftover).map_err(io("remove", leftover))?;
        }
    }
    if let Err(e) = fill(set, &staging) {
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
        // Put the previous output back before reporting.
        let _ = std::fs::rename(&old, out);
        return Err(WriteError::Io {
            action: "move into place",
            path: out.to_path_buf(),
            source,
        });
    }
    if old.exists() {
        remove_tree(&old).map_err(io("remove", &old))?;
    }
    Ok(())
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
    use rayon::prelude::*;
    set.files.par_iter().try_for_each(|(rel, output)| {
        let target = staging.join(rel);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(io("create", dir))?;
        }
        match output {
            Output::Bytes(b) => std::fs::write(&target, b).map_err(io("write", &target)),
            Output::Copy(from) => std::fs::copy(from, &target)
                .map(|_| ())
                .map_err(io("copy", from)),
        }
    })
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
}
