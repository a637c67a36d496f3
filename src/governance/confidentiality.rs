//! What may be published, checked on every page and section before a build
//! for one audience leaves anything out, so that the same content errors
//! stop every audience's build:
//!
//! - `gov::unknown-audience`: an `audience` value that is not a configured
//!   audience (the nearest one is suggested);
//! - `gov::misplaced-audience`: `audience` above `[extra]`, or spelt with
//!   other capitals;
//! - `gov::audience-on-plain-page` (a warning): `audience` on a page that
//!   is not a governing document, so not in the register;
//! - `gov::audience-wider-than-section`: a page or section that names a
//!   wider audience than a section above it;
//! - `gov::above-classification-ceiling`: a classification above
//!   `[handbook] max_classification`.
//!
//! Then decides, through [`AudienceFilter`], what the build withholds.
//! Must not drop pages itself (the content stage links the tree without
//! what it is given) or render anything.

use super::audience::{self, Audience, AudienceFilter, Audiences, Problem};
use super::locate::Spot;
use super::rules::{Reporter, ABOVE_CEILING, MISPLACED_AUDIENCE, UNKNOWN_AUDIENCE};
use super::rules::{AUDIENCE_ON_PLAIN_PAGE, WIDER_THAN_SECTION};
use super::settings::Settings;
use crate::content::front_matter::{self, Format};
use crate::content::{Loaded, Page, Withheld};
use crate::diagnostics::Diagnostics;
use std::collections::HashSet;
use std::path::PathBuf;

/// Checks every page and section of `loaded`, and returns what a build for
/// `filter`'s audience leaves out (nothing without a filter).
pub(crate) fn review(
    settings: &Settings,
    loaded: &Loaded,
    filter: Option<&AudienceFilter>,
    diags: &Diagnostics,
) -> Withheld {
    let reporter = Reporter::new(diags, settings);
    let checker = Checker {
        audiences: Audiences::new(settings),
        settings,
        reporter,
    };
    let mut sections: Vec<(PathBuf, &str, Option<Audience>)> = Vec::new();
    for s in &loaded.sections {
        let spot = Spot::section_front_matter(s);
        let own = checker.item(&s.meta.extra, &spot);
        sections.push((s.file.parent.clone(), s.file.relative.as_str(), own));
    }
    for (i, s) in loaded.sections.iter().enumerate() {
        if let Some(own) = &sections[i].2 {
            let above = sections
                .iter()
                .filter(|(dir, _, _)| dir != &s.file.parent && s.file.parent.starts_with(dir));
            checker.not_wider(own, above, &Spot::section_front_matter(s));
        }
    }
    let documents: HashSet<(PathBuf, String)> = loaded
        .pages
        .iter()
        .filter(|p| p.meta.extra.contains_key("kind"))
        .map(|p| p.file.translation_key())
        .collect();
    for p in &loaded.pages {
        let spot = Spot::front_matter(p);
        checker.top_level(p, &spot);
        if p.meta.extra.contains_key(audience::KEY)
            && !documents.contains(&p.file.translation_key())
        {
            checker.plain_page(&spot);
        }
        if let Some(own) = checker.item(&p.meta.extra, &spot) {
            let above = sections
                .iter()
                .filter(|(dir, _, _)| p.file.path.starts_with(dir));
            checker.not_wider(&own, above, &spot);
        }
    }
    match filter {
        Some(f) => {
            let mut withheld =
                loaded.withheld(Some(f.name().to_string()), f.reads_everything(), &|extra| {
                    !f.allows(extra)
                });
            withheld.role_ids = super::roles::withheld_role_ids(&withheld, checker.settings);
            withheld
        }
        None => Withheld::default(),
    }
}

struct Checker<'a> {
    audiences: Audiences,
    settings: &'a Settings,
    reporter: Reporter<'a>,
}

impl Checker<'_> {
    /// Checks one item's `[extra]`; returns its own audience when it names
    /// one that can be read.
    fn item(&self, extra: &toml::Table, spot: &Spot<'_>) -> Option<Audience> {
        for key in audience::misspelt_keys(extra) {
            self.reporter.at(
                MISPLACED_AUDIENCE,
                spot,
                &["extra", key],
                format!("`extra.{key}` is not read: the key is `audience`, in lower case"),
                Some("rename it to `audience`".into()),
            );
        }
        self.ceiling(extra, spot);
        let value = extra.get(audience::KEY)?;
        match audience::parse(value, &self.audiences) {
            Ok(a) => Some(a),
            Err(problems) => {
                for problem in problems {
                    self.report(problem, spot);
                }
                None
            }
        }
    }

    fn report(&self, problem: Problem, spot: &Spot<'_>) {
        match problem {
            Problem::Unknown { index, written } => {
                let index = index.map(|i| i.to_string());
                let mut path = vec!["extra", audience::KEY];
                path.extend(index.as_deref());
                self.reporter.at(
                    UNKNOWN_AUDIENCE,
                    spot,
                    &path,
                    format!("unknown audience `{}`", written.trim()),
                    Some(self.audiences.help(&written)),
                );
            }
            Problem::WrongType => self.reporter.at(
                UNKNOWN_AUDIENCE,
                spot,
                &["extra", audience::KEY],
                "`extra.audience` must be an audience or a non-empty list of audiences",
                Some(self.audiences.help("")),
            ),
        }
    }

    /// `audience` written in a page's front matter outside `[extra]`,
    /// where Zola ignores unknown keys (a section's front matter refuses
    /// them already).
    fn top_level(&self, page: &Page, spot: &Spot<'_>) {
        if !may_name_audience(page.front_matter()) {
            return;
        }
        for key in top_level_keys(&page.text) {
            if audience::normalise(&key) != audience::KEY {
                continue;
            }
            self.reporter.at(
                MISPLACED_AUDIENCE,
                spot,
                &[key.as_str()],
                format!(
                    "`{key}` above `[extra]` is not read: the page would be published to everyone"
                ),
                Some("move it under `[extra]` (TOML) or `extra:` (YAML) as `audience`".into()),
            );
        }
    }

    /// `audience` on a page that is not a governing document.
    fn plain_page(&self, spot: &Spot<'_>) {
        self.reporter.warn_at(
            AUDIENCE_ON_PLAIN_PAGE,
            spot,
            &["extra", audience::KEY],
            "`audience` on a page that is not a governing document: it is withheld, but not in the document register",
            Some("give it a `kind` (and a `doc_id`), or place it in a section with this audience".into()),
        );
    }

    /// A page or section may narrow, never widen, the sections above it.
    fn not_wider<'s>(
        &self,
        own: &Audience,
        above: impl Iterator<Item = &'s (PathBuf, &'s str, Option<Audience>)>,
        spot: &Spot<'_>,
    ) {
        let narrowest = above
            .filter_map(|(_, file, a)| Some((a.as_ref()?.widest(), *file)))
            .max_by_key(|(rank, _)| *rank);
        let Some((rank, section)) = narrowest else {
            return;
        };
        if own.widest() >= rank {
            return;
        }
        self.reporter.at(
            WIDER_THAN_SECTION,
            spot,
            &["extra", audience::KEY],
            format!(
                "`audience` names `{}`, wider than `{}` of the section `content/{section}` above it",
                self.audiences.name(own.widest()),
                self.audiences.name(rank)
            ),
            Some(
                "a section's audience hides everything in it: narrow this value, or move the file out of the section"
                    .into(),
            ),
        );
    }

    /// `classification` above `[handbook] max_classification`, aspect by
    /// aspect.
    fn ceiling(&self, extra: &toml::Table, spot: &Spot<'_>) {
        let Some(levels) = extra.get("classification").and_then(|v| v.as_table()) else {
            return;
        };
        for (aspect, max) in &self.settings.max_classification {
            let Some(level) = levels.get(*aspect).and_then(toml::Value::as_integer) else {
                continue;
            };
            if level <= i64::from(*max) {
                continue;
            }
            self.reporter.at(
                ABOVE_CEILING,
                spot,
                &["extra", "classification", aspect],
                format!(
                    "classified `{aspect} = {level}`, above this site's ceiling `{aspect} = {max}`"
                ),
                Some(
                    "`[handbook] max_classification` in config.toml: a document above it must not be published on this site for any audience; publish it elsewhere, or correct its classification"
                        .into(),
                ),
            );
        }
    }
}

/// The top-level keys of a file's front matter (TOML or YAML).
/// False when no key of `front_matter` can be `audience` in any case:
/// the text spells it nowhere, in any case, and has no escape that could
/// spell it. Parsing every page's front matter once more only to look
/// was a fifth of reading a large site. (No letter outside ASCII lowers
/// to one of `audience`'s.)
fn may_name_audience(front_matter: &str) -> bool {
    front_matter.contains('\\')
        || front_matter
            .as_bytes()
            .windows(audience::KEY.len())
            .any(|w| w.eq_ignore_ascii_case(audience::KEY.as_bytes()))
}

fn top_level_keys(text: &str) -> Vec<String> {
    let Ok(split) = front_matter::split(text) else {
        return Vec::new();
    };
    match split.format {
        Format::Toml => toml::from_str::<toml::Table>(split.front_matter)
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default(),
        Format::Yaml => {
            crate::content::yaml::from_str::<serde_yaml_ng::Mapping>(split.front_matter)
                .map(|m| {
                    m.keys()
                        .filter_map(|k| k.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        }
    }
}
