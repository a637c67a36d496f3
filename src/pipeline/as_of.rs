//! Point-in-time builds (`build --as-of DATE`): the handbook as it stood
//! on a date, for auditors. The site's presentation (config, templates,
//! theme, static files) is copied as it is now into a temporary folder;
//! every content file is replaced by its last committed version on or
//! before the date, and files that did not exist then are left out. The
//! build then runs on that copy, judges reviews against the date, and every
//! page carries a banner saying what it is.

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::history::{self, History};
use crate::output::passes::HtmlPass;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Folders of a site that make up its presentation (content is rebuilt).
const PRESENTATION: &[&str] = &["templates", "themes", "static", "sass"];

/// Writes the site as of `date` into `into` (a fresh folder). Returns the
/// number of content files it holds.
pub(super) fn materialize(
    config: &Config,
    date: NaiveDate,
    into: &Path,
    diags: &Diagnostics,
) -> std::io::Result<usize> {
    let root = &config.root;
    let config_name = config
        .config_path
        .file_name()
        .map(PathBuf::from)
        .unwrap_or_else(|| "config.toml".into());
    std::fs::copy(&config.config_path, into.join(&config_name))?;
    for dir in PRESENTATION {
        if root.join(dir).is_dir() {
            crate::output::copy_tree(&root.join(dir), &into.join(dir))?;
        }
    }
    let history: History = history::collect(root, &history::options(config, diags), diags);
    let mut files = 0;
    for path in history.paths() {
        if !path.starts_with("content") {
            continue;
        }
        if let Some((_, Some(text))) = history.state_as_of(path, date) {
            let target = into.join(path);
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(target, text)?;
            files += 1;
        }
    }
    std::fs::create_dir_all(into.join("content"))?;
    Ok(files)
}

/// The banner every page of a point-in-time build carries, right after
/// `<body…>`: visible, announced as a note, and printed.
pub(super) fn banner(date: NaiveDate, lang: &str) -> String {
    let text = if lang == "sv" {
        format!(
            "Så här såg handboken ut den {}. Sidan är byggd i efterhand ur versionshistoriken och visar inte nu gällande dokument.",
            swedish_date(date)
        )
    } else {
        format!("The handbook as it stood on {}. Rebuilt afterwards from the version history; not the documents in force today.", date.format("%-d %B %Y"))
    };
    format!(
        "<div class=\"as-of-banner\" role=\"note\" style=\"background:#fff4ce;color:#3b2f00;border-bottom:3px solid #8a6d00;padding:.75rem 1rem;font-weight:bold\">{text}</div>"
    )
}

fn swedish_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ];
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// The banner of a point-in-time build, as a pass over every page.
pub(super) struct Banner(pub(super) String);

impl HtmlPass for Banner {
    fn apply(&self, html: &str) -> Option<String> {
        Some(label(html, &self.0))
    }
}

/// Puts the banner after the opening `<body>` tag of an HTML page.
fn label(html: &str, banner: &str) -> String {
    match html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
    {
        Some(at) => format!("{}{banner}{}", &html[..at], &html[at..]),
        None => format!("{banner}{html}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banner_goes_right_after_body() {
        let d = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default();
        let out = label(
            "<html><body class=\"x\"><main>a</main></body></html>",
            &banner(d, "sv"),
        );
        assert!(
            out.starts_with("<html><body class=\"x\"><div class=\"as-of-banner\""),
            "{out}"
        );
        assert!(out.contains("den 30 juni 2025"), "{out}");
    }
}
