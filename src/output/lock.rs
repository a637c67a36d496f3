//! The exclusive lock a build holds on its output folder while it writes:
//! two builds into one folder take turns instead of interleaving their
//! renames (which loses files). The lock is a file beside the output,
//! `.<out>.handbok-lock`, locked with the operating system's advisory
//! lock, so a killed build releases it by dying.
//!
//! Must not touch the output folder itself.

use std::fs::File;
use std::path::{Path, PathBuf};

/// Held while the output is written; dropping it releases the lock.
#[derive(Debug)]
pub(crate) struct OutputLock {
    _file: File,
}

/// The lock file for the output folder `name` inside `parent`.
pub(crate) fn lock_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.handbok-lock"))
}

/// Takes the lock, waiting for another build that holds it: the second
/// build then writes its own complete output after the first.
pub(crate) fn acquire(parent: &Path, name: &str, out: &Path) -> std::io::Result<OutputLock> {
    let path = lock_path(parent, name);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)?;
    // Called through the trait: newer standard libraries have inherent
    // `File::lock` methods with the same names.
    match fs4::FileExt::try_lock(&file) {
        Ok(()) => {}
        Err(fs4::TryLockError::WouldBlock) => {
            tracing::warn!(
                "another handbok build is writing to {}; waiting for it to finish",
                out.display()
            );
            fs4::FileExt::lock(&file)?;
        }
        Err(fs4::TryLockError::Error(e)) => return Err(e),
    }
    Ok(OutputLock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_until_the_first_releases() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let out = dir.path().join("public");
        let first = acquire(dir.path(), "public", &out).unwrap_or_else(|e| panic!("{e}"));
        let other = File::open(lock_path(dir.path(), "public")).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            matches!(
                fs4::FileExt::try_lock(&other),
                Err(fs4::TryLockError::WouldBlock)
            ),
            "the lock is exclusive while held"
        );
        drop(first);
        assert!(fs4::FileExt::try_lock(&other).is_ok(), "released on drop");
    }
}
