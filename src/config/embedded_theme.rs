//! The bundled `handbok` theme, compiled into the binary by `build.rs`, so
//! that `theme = "handbok"` works in a handbook with no `themes/` folder.
//! It is the lowest layer of the theme: a site's own `themes/handbok/…`
//! files, then its `templates/` and `static/`, override it file by file.
//!
//! Owns only the list of embedded files and lookups in it. Must not read
//! the disk: the stages that load templates, static files and `theme.toml`
//! ask it for the files of one folder and layer the disk's over them.

/// Every file of `themes/handbok` as (path inside the theme, bytes).
const FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));

/// The name under which the embedded theme answers `theme = "…"`.
pub(crate) const NAME: &str = "handbok";

/// The embedded files under `folder/` (e.g. `templates`), as (path inside
/// that folder, bytes), in path order. Empty for another theme name.
pub(crate) fn files_in(theme: &str, folder: &str) -> Vec<(&'static str, &'static [u8])> {
    if theme != NAME {
        return Vec::new();
    }
    let prefix = format!("{}/", folder.trim_end_matches('/'));
    FILES
        .iter()
        .filter_map(|(path, bytes)| path.strip_prefix(prefix.as_str()).map(|rel| (rel, *bytes)))
        .collect()
}

/// One embedded file by its path inside the theme (`theme.toml`).
pub(crate) fn file(theme: &str, path: &str) -> Option<&'static [u8]> {
    if theme != NAME {
        return None;
    }
    FILES.iter().find(|(p, _)| *p == path).map(|(_, b)| *b)
}

/// True when `theme` names the embedded theme.
pub(crate) fn is_embedded(theme: &str) -> bool {
    theme == NAME && !FILES.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handbok_theme_carries_its_templates_static_files_and_theme_toml() {
        let templates = files_in(NAME, "templates");
        assert!(templates.iter().any(|(p, _)| *p == "base.html"));
        assert!(templates.iter().any(|(p, _)| *p == "handbok/history.html"));
        assert!(files_in(NAME, "static")
            .iter()
            .any(|(p, _)| *p == "handbok.css"));
        assert!(file(NAME, "theme.toml").is_some());
        assert!(
            file(NAME, "screenshot.png").is_none(),
            "the screenshot is never read by a build"
        );
    }

    #[test]
    fn another_theme_name_has_no_embedded_files() {
        assert!(files_in("anpassat", "templates").is_empty());
        assert!(!is_embedded("anpassat"));
    }
}
