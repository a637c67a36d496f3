//! Writing governing documents for the handbook's own commands: `new` (a
//! document with the next free id, every field its kind needs, an owner
//! that exists) and `review` (a review or a new version recorded in the
//! front matter in place, comments and key order kept).
//!
//! Works on facts taken from the loaded content tree and governance model
//! ([`Handbook`]) and on file text; returns new text or a located
//! diagnostic. Must not write files, render, run git or read the clock
//! (the date is passed in): the CLI writes what it returns.
//!
//! Diagnostics (all errors; nothing is written when one is raised):
//!
//! - `authoring::unknown-role`: `--owner` or `--by` names no role page.
//!   Located at the document's `approved_by` (or `owner`) for `review`, at
//!   the roles folder for `new`; the help names the nearest role ids. Fix:
//!   use a role id, the file name of a page under `content/roller/`.
//! - `authoring::unknown-kind`: `new` was given a kind outside `[handbook]
//!   kinds`; the help lists them. Fix: use one, or add it to the list.
//! - `authoring::no-roles`: `new` without `--owner` in a handbook with no
//!   roles. Fix: add a role page.
//! - `authoring::invalid-section`: `new --section` climbs out of
//!   `content/` (`..`). Fix: a folder under `content/`.
//! - `authoring::file-exists` (raised by the CLI): the file `new` would
//!   write exists. Fix: another title, or edit that document.
//! - `authoring::no-front-matter`, `authoring::not-a-document`: `review`
//!   was given a file without TOML front matter or without `extra.kind`.

mod new;
mod review;
#[cfg(test)]
mod tests;

pub(crate) use new::{plan_new, NewRequest};
pub(crate) use review::{apply_review, ReviewRequest};

use crate::config::Config;
use crate::content::ContentTree;
use crate::diagnostics::Diagnostic;
use crate::governance::Model;

/// One existing governing document, as `new` needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocFacts {
    /// `extra.kind`.
    pub(crate) kind: String,
    /// `extra.doc_id`, when given.
    pub(crate) doc_id: Option<String>,
    /// `extra.owner`, when given.
    pub(crate) owner: Option<String>,
    /// Path relative to `content/` (`styrdokument/a.md`).
    pub(crate) relative: String,
}

/// What the authoring commands know of a handbook: its roles, kinds,
/// documents and defaults.
#[derive(Debug, Clone, Default)]
pub(crate) struct Handbook {
    /// Role ids, sorted.
    pub(crate) roles: Vec<String>,
    /// Allowed kinds.
    pub(crate) kinds: Vec<String>,
    /// Allowed audiences, widest first.
    pub(crate) audiences: Vec<String>,
    /// Every governing document.
    pub(crate) documents: Vec<DocFacts>,
    /// The folder of the role pages under `content/` (`roller`).
    pub(crate) roles_section: String,
    /// `[handbook] default_review_interval` as written (`P1Y`).
    pub(crate) review_interval: String,
}

impl Handbook {
    /// The facts of a loaded handbook.
    pub(crate) fn from_model(config: &Config, tree: &ContentTree, model: &Model) -> Handbook {
        let mut roles: Vec<String> = model.roles.iter().map(|r| r.id.clone()).collect();
        roles.sort();
        let documents = model
            .documents
            .iter()
            .map(|d| DocFacts {
                kind: d.kind.clone(),
                doc_id: d.doc_id.clone(),
                owner: d.owner.clone(),
                relative: tree.page(d.page).file.relative.clone(),
            })
            .collect();
        Handbook {
            roles,
            kinds: model.settings.kinds.clone(),
            audiences: model.settings.audiences.clone(),
            documents,
            roles_section: model.settings.roles_section.clone(),
            review_interval: config
                .handbook
                .get("default_review_interval")
                .and_then(|v| v.as_str())
                .unwrap_or("P1Y")
                .to_string(),
        }
    }

    /// `Ok` when `role` is a role id; otherwise an `authoring::unknown-role`
    /// error naming the nearest ids, to be located by the caller.
    pub(crate) fn check_role(&self, role: &str, flag: &str) -> Result<(), Box<Diagnostic>> {
        if self.roles.iter().any(|r| r == role) {
            return Ok(());
        }
        let nearest = nearest_ids(role, &self.roles);
        let help = if nearest.is_empty() {
            format!("give {flag} one of the role ids: {}", self.roles.join(", "))
        } else {
            format!(
                "did you mean {}? Role ids are the file names under content/{}/",
                nearest
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(" or "),
                self.roles_section
            )
        };
        Err(Box::new(
            Diagnostic::error(
                UNKNOWN_ROLE,
                format!("role \"{role}\" given to {flag} is not defined"),
            )
            .with_help(help),
        ))
    }
}

/// The code of an unknown role given on the command line.
pub(crate) const UNKNOWN_ROLE: &str = "authoring::unknown-role";

/// Up to three ids closest to `word`, best first.
fn nearest_ids<'a>(word: &str, ids: &'a [String]) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = ids
        .iter()
        .map(|id| (strsim::jaro_winkler(word, id), id.as_str()))
        .filter(|(score, _)| *score > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, id)| id).collect()
}
