//! The "Föreslå en ändring" link of a governing document: `[handbook]
//! edit_url` with `{path}` replaced by the document's file path from the
//! site root (`content/styrdokument/a.md`), as MkDocs' `edit_uri`. No link
//! when the setting is absent or empty.
//!
//! Must not read files; only joins the setting and a path.

use crate::config::Config;

/// The edit link for the content file at `display` (path from the site
/// root), or `None` when the handbook sets no `edit_url`.
pub(crate) fn edit_url(config: &Config, display: &std::path::Path) -> Option<String> {
    let pattern = config.handbook.get("edit_url")?.as_str()?.trim();
    if pattern.is_empty() {
        return None;
    }
    let path = display.to_string_lossy().replace('\\', "/");
    let encoded = percent_encoding::utf8_percent_encode(&path, PATH).to_string();
    let url = if pattern.contains("{path}") {
        pattern.replace("{path}", &encoded)
    } else {
        format!("{}/{encoded}", pattern.trim_end_matches('/'))
    };
    // Templates put the link in an attribute unescaped, as `history_url`.
    Some(url.replace('"', "%22"))
}

/// What a path segment may not hold unescaped (`/` is kept as a separator).
const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config(handbook: &str) -> Config {
        Config::from_str_for_tests(&format!("base_url = '/'\n[handbook]\n{handbook}"))
            .unwrap_or_else(|d| panic!("{:?}", d.sorted()))
    }

    #[test]
    fn the_path_of_the_file_replaces_the_placeholder() {
        let c = config("edit_url = 'https://git.example.se/handbok/-/edit/main/{path}'");
        assert_eq!(
            edit_url(&c, Path::new("content/styrdokument/incidenthantering.md")).as_deref(),
            Some("https://git.example.se/handbok/-/edit/main/content/styrdokument/incidenthantering.md")
        );
    }

    #[test]
    fn there_is_no_link_when_the_setting_is_absent_or_empty() {
        assert_eq!(edit_url(&config(""), Path::new("content/a.md")), None);
        assert_eq!(
            edit_url(&config("edit_url = ''"), Path::new("content/a.md")),
            None
        );
    }

    #[test]
    fn spaces_and_non_ascii_letters_in_paths_are_escaped() {
        let c = config("edit_url = 'https://x/{path}'");
        assert_eq!(
            edit_url(&c, Path::new("content/å b.md")).as_deref(),
            Some("https://x/content/%C3%A5%20b.md")
        );
    }
}
