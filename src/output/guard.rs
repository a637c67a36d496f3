//! Refusing an output folder that would destroy the site's sources: the
//! site root, an ancestor of it, or a folder the site is read from
//! (`content/`, `templates/`, `static/`, `sass/`, `themes/`, `data/`,
//! `.git/`), or one inside them. A build replaces its output folder
//! wholesale, so these are refused always, whatever the flags.
//!
//! Must not touch the file system beyond reading where paths lead.

use std::path::{Component, Path, PathBuf};

/// Folders of a site root that hold its sources (Zola's layout, plus git).
const SOURCE_FOLDERS: &[&str] = &[
    "content",
    "templates",
    "static",
    "sass",
    "themes",
    "data",
    ".git",
];

/// The source folder `out` would replace or write into, if any.
pub(crate) fn source_clash(root: &Path, out: &Path) -> Option<PathBuf> {
    let root = resolve(root);
    let out = resolve(out);
    if root.starts_with(&out) {
        return Some(root);
    }
    SOURCE_FOLDERS
        .iter()
        .map(|name| root.join(name))
        .find(|folder| out.starts_with(folder) || folder.starts_with(&out))
}

/// An absolute path with `.` and `..` resolved and the longest existing
/// ancestor canonicalized (so symbolic links and `..` cannot disguise a
/// folder), the rest appended as written.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut lexical = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |acc, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_its_ancestors_and_source_folders_clash() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/a")).unwrap_or_else(|e| panic!("{e}"));
        for clash in [
            root.clone(),
            root.join("."),
            dir.path().to_path_buf(),
            root.join("content"),
            root.join("content/a/../a"),
            root.join("content/public"),
            root.join("templates"),
            root.join("static"),
            root.join("sass"),
            root.join("themes"),
            root.join("data"),
            root.join(".git"),
            root.join("public/../content"),
        ] {
            assert!(
                source_clash(&root, &clash).is_some(),
                "{} must clash",
                clash.display()
            );
        }
        for fine in [
            root.join("public"),
            root.join("docs"),
            dir.path().join("elsewhere"),
        ] {
            assert_eq!(source_clash(&root, &fine), None, "{}", fine.display());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_to_a_source_folder_clashes() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap_or_else(|e| panic!("{e}"));
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(root.join("content"), &link).unwrap_or_else(|e| panic!("{e}"));
        assert!(source_clash(&root, &link).is_some());
    }

    proptest::proptest! {
        #[test]
        fn anything_inside_a_source_folder_clashes_and_a_sibling_does_not(
            folder in proptest::sample::select(SOURCE_FOLDERS.to_vec()),
            parts in proptest::collection::vec("[a-z]{1,6}", 0..4),
        ) {
            let root = std::env::temp_dir().join("handbok-guard-property");
            let inside = parts.iter().fold(root.join(folder), |p, s| p.join(s));
            proptest::prop_assert!(source_clash(&root, &inside).is_some());
            // Climbing with `..` lands in the folder, the root or above it.
            let climbed = inside.join("..").join("..");
            proptest::prop_assert!(source_clash(&root, &climbed).is_some());
            let sibling = parts.iter().fold(root.join(format!("ut-{folder}")), |p, s| p.join(s));
            proptest::prop_assert_eq!(source_clash(&root, &sibling), None);
        }
    }
}
