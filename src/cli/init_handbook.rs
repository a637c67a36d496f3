//! `handbok init --handbook [DIR]`: a new handbook that builds with the
//! binary alone. The files are the ones under `src/cli/skeleton/`, compiled
//! in; `%BASE_URL%`, `%TODAY%` and `%YEAR%` in a path or text are filled in
//! when written, so the example documents are approved today and due for
//! review in a year. The theme is not copied: it is built into the binary.
//!
//! A handbook is kept in git (its history pages read it), so a folder not
//! yet inside a git work tree becomes a new repository, as `cargo new` does.
//!
//! Must not overwrite a file that exists; holds no domain logic beyond
//! filling in the placeholders.

use anyhow::Context;
use std::path::{Path, PathBuf};

/// Every file of a new handbook, as (path with placeholders, text).
const FILES: &[(&str, &str)] = &[
    ("config.toml", include_str!("skeleton/config.toml")),
    (".gitignore", include_str!("skeleton/.gitignore")),
    (".gitlab-ci.yml", include_str!("skeleton/.gitlab-ci.yml")),
    (
        "content/_index.md",
        include_str!("skeleton/content/_index.md"),
    ),
    (
        "content/ordlista.md",
        include_str!("skeleton/content/ordlista.md"),
    ),
    (
        "content/kontakt.md",
        include_str!("skeleton/content/kontakt.md"),
    ),
    (
        "content/tillganglighet.md",
        include_str!("skeleton/content/tillganglighet.md"),
    ),
    (
        "content/roller/_index.md",
        include_str!("skeleton/content/roller/_index.md"),
    ),
    (
        "content/roller/isam.md",
        include_str!("skeleton/content/roller/isam.md"),
    ),
    (
        "content/roller/dso.md",
        include_str!("skeleton/content/roller/dso.md"),
    ),
    (
        "content/roller/forvaltningschef.md",
        include_str!("skeleton/content/roller/forvaltningschef.md"),
    ),
    (
        "content/roller/chef.md",
        include_str!("skeleton/content/roller/chef.md"),
    ),
    (
        "content/roller/medarbetare.md",
        include_str!("skeleton/content/roller/medarbetare.md"),
    ),
    (
        "content/introduktion/_index.md",
        include_str!("skeleton/content/introduktion/_index.md"),
    ),
    (
        "content/introduktion/alla.md",
        include_str!("skeleton/content/introduktion/alla.md"),
    ),
    (
        "content/styrdokument/_index.md",
        include_str!("skeleton/content/styrdokument/_index.md"),
    ),
    (
        "content/styrdokument/informationssakerhetspolicy.md",
        include_str!("skeleton/content/styrdokument/informationssakerhetspolicy.md"),
    ),
    (
        "content/styrdokument/riktlinje-dataskydd.md",
        include_str!("skeleton/content/styrdokument/riktlinje-dataskydd.md"),
    ),
    (
        "content/styrdokument/incidenthantering.md",
        include_str!("skeleton/content/styrdokument/incidenthantering.md"),
    ),
    (
        "content/styrdokument/behorighetshantering.md",
        include_str!("skeleton/content/styrdokument/behorighetshantering.md"),
    ),
    (
        "content/styrdokument/kontinuitetsplan.md",
        include_str!("skeleton/content/styrdokument/kontinuitetsplan.md"),
    ),
    (
        "content/styrdokument/informationsklassning.md",
        include_str!("skeleton/content/styrdokument/informationsklassning.md"),
    ),
    (
        "content/styrdokument/anvandarvillkor.md",
        include_str!("skeleton/content/styrdokument/anvandarvillkor.md"),
    ),
    (
        "content/styrdokument/risk-och-sarbarhetsanalys.md",
        include_str!("skeleton/content/styrdokument/risk-och-sarbarhetsanalys.md"),
    ),
    (
        "content/genomgangar/_index.md",
        include_str!("skeleton/content/genomgangar/_index.md"),
    ),
    (
        "content/genomgangar/%YEAR%/index.md",
        include_str!("skeleton/content/genomgangar/%YEAR%/index.md"),
    ),
];

/// The values of the placeholders.
pub(super) struct Fill<'a> {
    /// `%BASE_URL%`.
    pub(super) base_url: &'a str,
    /// `%TODAY%` (ISO date) and `%YEAR%`.
    pub(super) today: chrono::NaiveDate,
}

impl Fill<'_> {
    fn apply(&self, text: &str) -> String {
        text.replace("%BASE_URL%", self.base_url)
            .replace("%TODAY%", &self.today.format("%Y-%m-%d").to_string())
            .replace("%YEAR%", &self.today.format("%Y").to_string())
    }
}

/// The files of a new handbook with their placeholders filled, as
/// (relative path, text).
pub(super) fn files(fill: &Fill<'_>) -> Vec<(PathBuf, String)> {
    FILES
        .iter()
        .map(|(path, text)| (PathBuf::from(fill.apply(path)), fill.apply(text)))
        .collect()
}

/// Writes the handbook under `dir`; returns the files that already existed
/// and were left alone.
pub(super) fn write(dir: &Path, fill: &Fill<'_>) -> anyhow::Result<Vec<PathBuf>> {
    let mut kept = Vec::new();
    for (rel, text) in files(fill) {
        let path = dir.join(&rel);
        if path.exists() {
            kept.push(path);
            continue;
        }
        super::create_new_file(&path, &text)?;
    }
    Ok(kept)
}

/// Makes `dir` a git repository unless it is inside one already; returns
/// whether it did.
pub(super) fn start_repository(dir: &Path) -> anyhow::Result<bool> {
    if gix::discover(dir).is_ok() {
        return Ok(false);
    }
    gix::init(dir)
        .with_context(|| format!("could not start a git repository in `{}`", dir.display()))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill() -> Fill<'static> {
        Fill {
            base_url: "/",
            today: chrono::NaiveDate::from_ymd_opt(2026, 3, 10).expect("a valid date"),
        }
    }

    #[test]
    fn every_placeholder_is_filled_in_paths_and_texts() {
        for (path, text) in files(&fill()) {
            assert!(!path.to_string_lossy().contains('%'), "{}", path.display());
            for placeholder in ["%BASE_URL%", "%TODAY%", "%YEAR%"] {
                assert!(
                    !text.contains(placeholder),
                    "{placeholder} in {}",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn the_yearly_review_is_named_after_the_year_of_creation() {
        let all = files(&fill());
        let review = all
            .iter()
            .find(|(p, _)| p == Path::new("content/genomgangar/2026/index.md"))
            .expect("the review skeleton is written for the current year");
        assert!(review.1.contains("doc_id = \"UTB-LG-2026\""));
    }

    #[test]
    fn every_file_of_the_skeleton_folder_is_written() {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli/skeleton");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&base)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                e.path()
                    .strip_prefix(&base)
                    .ok()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
            })
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = FILES.iter().map(|(p, _)| p.to_string()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
    }

    #[test]
    fn the_config_selects_the_built_in_theme_and_parses() {
        let all = files(&fill());
        let (_, text) = all
            .iter()
            .find(|(p, _)| p == Path::new("config.toml"))
            .expect("a config.toml is written");
        let config = crate::config::Config::from_str_for_tests(text)
            .unwrap_or_else(|d| panic!("{:?}", d.sorted()));
        assert_eq!(config.theme.as_deref(), Some("handbok"));
        assert!(config.handbook.contains_key("roles_section"));
    }
}
