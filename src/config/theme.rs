//! The theme's `theme.toml`: its `[extra]` is deep-merged under the site's
//! `[extra]` (site values win; a type mismatch is an error), and its
//! `[translations.<language>]` tables fill the keys each of the site's
//! languages lacks (a handbok addition: Zola themes carry no strings, but a
//! theme built into the binary must bring its interface text along).
//! The theme is read from `themes/<name>/`, else from the copy built into
//! the binary (see `embedded_theme`).

use super::{Config, Error};
use crate::diagnostics::{Diagnostic, Diagnostics};

pub(super) fn merge_theme_extra(config: &mut Config, diags: &Diagnostics) -> Result<(), Error> {
    let Some(dir) = config.theme_dir() else {
        return Ok(());
    };
    let name = config.theme.clone().unwrap_or_default();
    let embedded = super::embedded_theme::is_embedded(&name);
    if !embedded && !dir.join("templates").is_dir() {
        diags.push(
            Diagnostic::error(
                "config::theme-not-found",
                format!(
                    "theme `{name}` not found: {} has no templates/ directory",
                    dir.display()
                ),
            )
            .in_file("config.toml")
            .with_help("install the theme under themes/ or correct `theme`"),
        );
        return Err(Error::Invalid);
    }
    let path = dir.join("theme.toml");
    let text = if path.is_file() {
        std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?
    } else if let Some(bytes) = super::embedded_theme::file(&name, "theme.toml") {
        String::from_utf8_lossy(bytes).into_owned()
    } else {
        return Ok(());
    };
    let display = std::path::PathBuf::from("themes")
        .join(&name)
        .join("theme.toml");
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let source = crate::diagnostics::SourceFile::new(&display, &text);
            diags.push(
                Diagnostic::error("config::invalid-toml", e.message().trim().to_string()).at(
                    &source,
                    crate::diagnostics::toml_error_offset(&text, e.span(), e.message()),
                ),
            );
            return Err(Error::Invalid);
        }
    };
    if let Some(toml::Value::Table(theme_extra)) = table.get("extra") {
        if let Err(key) = merge_under(&mut config.extra, theme_extra, "extra") {
            diags.push(
                Diagnostic::error("config::theme-extra-mismatch", format!("`{key}` has a different type in the site config than in the theme's theme.toml"))
                    .in_file(&display)
                    .with_help("give the key the same type as the theme expects"),
            );
            return Err(Error::Invalid);
        }
    }
    if let Some(toml::Value::Table(by_language)) = table.get("translations") {
        merge_translations(config, by_language);
    }
    Ok(())
}

/// Fills each language's translations with the theme's strings for that
/// language code that the site does not set itself.
fn merge_translations(config: &mut Config, by_language: &toml::Table) {
    for (code, options) in config.languages.iter_mut() {
        let Some(toml::Value::Table(strings)) = by_language.get(code) else {
            continue;
        };
        for (key, value) in strings {
            if let toml::Value::String(text) = value {
                if !options.translations.contains_key(key) {
                    options.translations.insert(key.clone(), text.clone());
                }
            }
        }
    }
}

/// Fills `site` with the keys of `theme` it lacks, recursively.
pub(super) fn merge_under(
    site: &mut toml::Table,
    theme: &toml::Table,
    path: &str,
) -> Result<(), String> {
    for (key, theme_value) in theme {
        let key_path = format!("{path}.{key}");
        match site.get_mut(key) {
            None => {
                site.insert(key.clone(), theme_value.clone());
            }
            Some(toml::Value::Table(site_table)) => match theme_value {
                toml::Value::Table(theme_table) => merge_under(site_table, theme_table, &key_path)?,
                _ => return Err(key_path),
            },
            Some(site_value) => {
                if std::mem::discriminant(site_value) != std::mem::discriminant(theme_value) {
                    return Err(key_path);
                }
            }
        }
    }
    Ok(())
}
