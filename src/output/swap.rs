//! Putting a finished staging folder in the place of the output folder.
//! On Linux this is one atomic exchange (`renameat2` with
//! `RENAME_EXCHANGE`): at every moment the output path holds a complete
//! output, even if the build is killed mid-swap. Elsewhere, or on file
//! systems without the exchange, two renames through an aside name, which
//! the next build recovers from if it is killed between them.
//!
//! Must not create, fill or delete folders; only renames.

use std::path::Path;

/// How the staging folder came to be the output.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Swapped {
    /// The output did not exist; the staging folder was renamed.
    Fresh,
    /// The two were exchanged: the staging path now holds the previous
    /// output.
    Exchanged,
    /// The previous output was moved to the aside path first.
    MovedAside,
}

/// Makes `staging` the output at `out`. On error the output is as it was
/// (the fallback puts the previous output back if the second rename fails).
pub(crate) fn swap(staging: &Path, out: &Path, aside: &Path) -> std::io::Result<Swapped> {
    if std::fs::symlink_metadata(out).is_err() {
        std::fs::rename(staging, out)?;
        return Ok(Swapped::Fresh);
    }
    if exchange(staging, out)? {
        return Ok(Swapped::Exchanged);
    }
    std::fs::rename(out, aside)?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(aside, out);
        return Err(e);
    }
    Ok(Swapped::MovedAside)
}

/// Exchanges two paths atomically. `Ok(false)` when the platform or file
/// system has no such operation, so the caller falls back.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // Old kernels (ENOSYS) and file systems without the flag (EINVAL).
        Err(e) if e == rustix::io::Errno::NOSYS || e == rustix::io::Errno::INVAL => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(path: &Path, file: &str, text: &str) {
        std::fs::create_dir_all(path).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(path.join(file), text).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn the_staging_folder_takes_the_outputs_place_and_the_old_one_is_kept() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let (staging, out, aside) = (
            dir.path().join("staging"),
            dir.path().join("out"),
            dir.path().join("aside"),
        );
        folder(&staging, "new.txt", "new");
        assert_eq!(swap(&staging, &out, &aside).ok(), Some(Swapped::Fresh));
        assert!(out.join("new.txt").is_file());
        folder(&staging, "newer.txt", "newer");
        let how = swap(&staging, &out, &aside).unwrap_or_else(|e| panic!("{e}"));
        assert!(out.join("newer.txt").is_file());
        let previous = match how {
            Swapped::Exchanged => &staging,
            Swapped::MovedAside => &aside,
            Swapped::Fresh => panic!("the output existed"),
        };
        assert!(
            previous.join("new.txt").is_file(),
            "the previous output is kept"
        );
        #[cfg(target_os = "linux")]
        assert_eq!(how, Swapped::Exchanged, "Linux exchanges atomically");
    }

    #[test]
    fn a_failed_swap_leaves_the_output_in_place() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let (out, aside) = (dir.path().join("out"), dir.path().join("aside"));
        folder(&out, "old.txt", "old");
        let missing = dir.path().join("no-staging");
        assert!(swap(&missing, &out, &aside).is_err());
        assert!(out.join("old.txt").is_file());
        assert!(!aside.exists());
    }
}
