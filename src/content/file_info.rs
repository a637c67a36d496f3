//! Where a content file sits: its path relative to `content/`, the
//! directories above it, its language, and whether it is a page bundle.

use crate::config::Config;
use std::path::{Path, PathBuf};

/// What kind of content file this is, from its name alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// `_index.md` or `_index.<lang>.md`.
    Section,
    /// `index.md` or `index.<lang>.md` inside a folder of its own.
    Bundle,
    /// Any other `*.md`.
    Page,
}

/// Location facts of one content file.
#[derive(Debug, Clone)]
pub(crate) struct FileInfo {
    pub(crate) kind: FileKind,
    /// Absolute path.
    pub(crate) path: PathBuf,
    /// Path relative to `content/`, with `/` separators (Zola's `relative_path`).
    pub(crate) relative: String,
    /// Path shown in diagnostics, relative to the site root.
    pub(crate) display: PathBuf,
    /// The folder whose `_index.md` is this file's section (a bundle's parent folder).
    pub(crate) parent: PathBuf,
    /// Folder names from `content/` down to `parent`.
    pub(crate) components: Vec<String>,
    /// File stem without language; `index` for bundles, `_index` for sections.
    pub(crate) name: String,
    /// Language code; the default language when the name has none.
    pub(crate) lang: String,
    /// For bundles, the bundle folder relative to `content/` with a trailing `/`.
    pub(crate) colocated_path: Option<String>,
}

/// Why a file name could not be placed.
pub(crate) struct UnknownLanguage(pub(crate) String);

impl FileInfo {
    /// Classifies a Markdown file under `content_dir`.
    pub(crate) fn new(
        path: &Path,
        content_dir: &Path,
        config: &Config,
    ) -> Result<FileInfo, UnknownLanguage> {
        let relative_path = path.strip_prefix(content_dir).unwrap_or(path);
        let relative = relative_path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (name, lang) = split_language(&stem, config)?;
        let kind = match name.as_str() {
            "_index" => FileKind::Section,
            "index" if relative.contains('/') => FileKind::Bundle,
            _ => FileKind::Page,
        };
        let mut components: Vec<String> = relative_path
            .parent()
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let mut parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut colocated_path = None;
        if kind == FileKind::Bundle {
            colocated_path = Some(format!("{}/", components.join("/")));
            components.pop();
            parent = parent.parent().map(Path::to_path_buf).unwrap_or_default();
        }
        let display = Path::new("content").join(relative_path);
        Ok(FileInfo {
            kind,
            path: path.to_path_buf(),
            relative,
            display,
            parent,
            components,
            name,
            lang,
            colocated_path,
        })
    }

    /// What the language versions of one page share: the bundle folder,
    /// or the folder and the name without language.
    pub(crate) fn translation_key(&self) -> (PathBuf, String) {
        match self.bundle_dir() {
            Some(dir) => (dir.to_path_buf(), String::new()),
            None => (self.parent.clone(), self.name.clone()),
        }
    }

    /// The folder holding a bundle's assets (the bundle folder itself).
    pub(crate) fn bundle_dir(&self) -> Option<&Path> {
        match self.kind {
            FileKind::Bundle => self.path.parent(),
            _ => None,
        }
    }
}

/// `post.fr.md` → (`post`, `fr`) when `fr` is a declared language.
fn split_language(stem: &str, config: &Config) -> Result<(String, String), UnknownLanguage> {
    if let Some((name, code)) = stem.rsplit_once('.') {
        if config.has_language(code) {
            return Ok((name.to_string(), code.to_string()));
        }
        let looks_like_code =
            (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase());
        if looks_like_code && (name == "_index" || name == "index" || config.languages.len() > 1) {
            return Err(UnknownLanguage(code.to_string()));
        }
    }
    Ok((stem.to_string(), config.default_language.clone()))
}

/// A date at the start of a file or folder name sets the page date
/// (Zola: `2024-05-01-title.md`, also with a time) and is removed from the
/// slug unless `paths_keep_dates`.
pub(crate) fn split_dated_name(name: &str) -> Option<(String, String)> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r"^(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})?)?)(?:[ _-](.+))?$",
        )
        .expect("the dated-file-name pattern is a valid regex")
    });
    let caps = re.captures(name)?;
    let date = caps.get(1)?.as_str().to_string();
    let slug = caps
        .get(2)
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| name.to_string());
    Some((date, slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_names() {
        assert_eq!(
            split_dated_name("2024-05-01-hello"),
            Some(("2024-05-01".into(), "hello".into()))
        );
        assert_eq!(
            split_dated_name("2024-05-01_hello world"),
            Some(("2024-05-01".into(), "hello world".into()))
        );
        assert_eq!(
            split_dated_name("2018-10-10"),
            Some(("2018-10-10".into(), "2018-10-10".into()))
        );
        assert_eq!(split_dated_name("hello"), None);
    }

    #[test]
    fn bundles_take_their_parent_as_section() {
        let config = Config::from_str_for_tests("base_url='/'").unwrap_or_else(|_| unreachable!());
        let info = FileInfo::new(
            Path::new("/s/content/blog/post/index.md"),
            Path::new("/s/content"),
            &config,
        )
        .unwrap_or_else(|_| unreachable!());
        assert_eq!(info.kind, FileKind::Bundle);
        assert_eq!(info.components, vec!["blog".to_string()]);
        assert_eq!(info.colocated_path.as_deref(), Some("blog/post/"));
        assert_eq!(info.relative, "blog/post/index.md");
    }
}
