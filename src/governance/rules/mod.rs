//! The catalogue of governance rule codes, their default severities and
//! which of them `[handbook.severity]` may change, plus the [`Reporter`]
//! that applies those severities. The checks themselves live beside this
//! file, one concern each:
//!
//! - `document_control.rs`: kind, status, approval, version, classification,
//!   audience, owner and doc_id presence of each governing document;
//! - `uniqueness.rs`: duplicate doc ids, role ids and glossary terms;
//! - `review_dates.rs`: overdue reviews (and the due-soon check lines).
//!
//! Audience and classification-ceiling problems are found on every page
//! and section before a build leaves any out (`confidentiality.rs`).
//!
//! Reference problems (`gov::unknown-role`, `gov::broken-reference`) are
//! raised where references are resolved (`resolve.rs`), and malformed
//! values (`gov::invalid-date`, `gov::invalid-duration`, `gov::invalid-field`)
//! where fields are read (`extract.rs`), because only there is the raw
//! value at hand.
//!
//! Must not decide where a value sits (that is `locate.rs`) or read files.

pub(crate) mod document_control;
pub(crate) mod review_dates;
pub(crate) mod uniqueness;

use super::locate::Spot;
use super::settings::{Level, Settings};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

/// One rule: a stable code users can look up and configure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rule {
    /// Stable code, e.g. `gov::unknown-role`.
    pub(crate) code: &'static str,
    /// Severity unless `[handbook.severity]` says otherwise.
    pub(crate) default: Severity,
    /// Whether `[handbook.severity]` may change it (softer rules only:
    /// the hard ones would leave the model inconsistent).
    pub(crate) configurable: bool,
}

const fn hard(code: &'static str) -> Rule {
    Rule {
        code,
        default: Severity::Error,
        configurable: false,
    }
}

const fn soft(code: &'static str, default: Severity) -> Rule {
    Rule {
        code,
        default,
        configurable: true,
    }
}

/// Two documents share a `doc_id`. Why: the id is how documents are cited
/// and superseded, so it must name one document. Fix: give one of them a
/// new id (both files are named in the message).
pub(crate) const DUPLICATE_DOC_ID: Rule = hard("gov::duplicate-doc-id");
/// Two role pages share a role id. Why: every reference to the id would be
/// ambiguous. Fix: set a distinct `role_id` (the default is the file stem).
pub(crate) const DUPLICATE_ROLE: Rule = hard("gov::duplicate-role");
/// A glossary term is listed twice. Why: only one entry can be linked; the
/// first wins. Fix: merge them.
pub(crate) const DUPLICATE_TERM: Rule = soft("gov::duplicate-term", Severity::Warning);
/// A role id (owner, responsibility, inline duty, review activity,
/// `reports_to`, glossary `role`) names no role page. Why: duties of an
/// unknown role reach nobody. Fix: use one of the suggested ids, or add a
/// page under the roles section. (For `approved_by`, which may be a
/// person's name, only id-like text is checked, as a warning.)
pub(crate) const UNKNOWN_ROLE: Rule = hard("gov::unknown-role");
/// `kind` is not one of `[handbook] kinds`. Why: the kind groups the
/// register and picks templates; a typo would hide the document. Fix: use
/// a listed kind or add it to the list.
pub(crate) const UNKNOWN_KIND: Rule = hard("gov::unknown-kind");
/// `status` is not one of `[handbook] statuses`. Why: the status tells
/// readers whether the document is in force. Fix: use a listed status.
pub(crate) const UNKNOWN_STATUS: Rule = hard("gov::unknown-status");
/// A date is not `YYYY-MM-DD`. Why: review dates are computed from it.
/// Fix: write a TOML date such as `approved = 2025-03-12`.
pub(crate) const INVALID_DATE: Rule = hard("gov::invalid-date");
/// A review interval is not an ISO 8601 duration. Fix: write `P1Y`,
/// `P6M`, `P2W` or `P30D`.
pub(crate) const INVALID_DURATION: Rule = hard("gov::invalid-duration");
/// A governance field has the wrong type (a number where text belongs, a
/// table where a list belongs). Fix: follow the shape in the message.
pub(crate) const INVALID_FIELD: Rule = hard("gov::invalid-field");
/// A `gällande` document lacks `approved_by` or `approved`. Why: ISO/IEC
/// 27001 7.5.2 c, a document in force must be approved. Fix: add both, or
/// keep the status `utkast`/`remiss`.
pub(crate) const UNAPPROVED_IN_FORCE: Rule = soft("gov::unapproved-in-force", Severity::Error);
/// `related`, `supersedes`, `required_reading` or a review's `documents`
/// names a page that does not exist. Accepted forms: `@/path.md` or a
/// `doc_id`. Fix: correct the path or id.
pub(crate) const BROKEN_REFERENCE: Rule = hard("gov::broken-reference");
/// The newest `changes` entry has another version than `version`. Why: the
/// change log is the formal record of versions. Fix: add the change entry
/// or correct `version`.
pub(crate) const VERSION_MISMATCH: Rule = soft("gov::version-mismatch", Severity::Error);
/// A governing document has no `owner`. Fix: name the owning role.
pub(crate) const MISSING_OWNER: Rule = soft("gov::missing-owner", Severity::Warning);
/// A governing document has no `doc_id`. Fix: give it a unique id.
pub(crate) const MISSING_DOC_ID: Rule = soft("gov::missing-doc-id", Severity::Warning);
/// The next review date has passed. Why: Annex A 5.1, policies are
/// reviewed at planned intervals. Fix: review the document and record it
/// in `last_reviewed` (and a `granskad` change entry). A review due within
/// `due_soon_days` is not a diagnostic: `handbok check` lists it.
pub(crate) const REVIEW_OVERDUE: Rule = soft("gov::review-overdue", Severity::Warning);
/// A classification level is outside KLASSA's 0–4. Fix: use 0 (ingen/
/// försumbar) to 4 (synnerligen allvarlig).
pub(crate) const INVALID_CLASSIFICATION: Rule = hard("gov::invalid-classification");
/// `audience` is not one of `[handbook] audiences`. Why: a build for one
/// audience must know whether the document belongs to it. Fix: use a
/// listed audience.
pub(crate) const UNKNOWN_AUDIENCE: Rule = hard("gov::unknown-audience");
/// `audience` written where the build does not read it: in the front
/// matter above `[extra]`, or spelt with other capitals (`Audience`). Why:
/// the writer meant to restrict the page, and a restriction that is not
/// read would publish it. Fix: write `audience` in lower case under
/// `[extra]`.
pub(crate) const MISPLACED_AUDIENCE: Rule = hard("gov::misplaced-audience");
/// `audience` on a page that is not a governing document (no `kind`, nor
/// a translation of one). Why: the page is withheld as asked, but it is
/// not in the document register, so no one reviews who may read it. Fix:
/// give it a `kind`, or place it in a section with that audience (or turn
/// the rule off under `[handbook.severity]`).
pub(crate) const AUDIENCE_ON_PLAIN_PAGE: Rule =
    soft("gov::audience-on-plain-page", Severity::Warning);
/// A page or section names a wider audience than a section above it. Why:
/// the section's restriction hides everything under it, so the wider value
/// is a mistake either way. Fix: narrow the page, or move it out of the
/// section.
pub(crate) const WIDER_THAN_SECTION: Rule = hard("gov::audience-wider-than-section");
/// A document is classified above `[handbook] max_classification`. Why:
/// information above the ceiling must not be published on this site at
/// all, for any audience (ISO/IEC 27001 7.5.3 b). Fix: publish it
/// elsewhere, or correct its classification.
pub(crate) const ABOVE_CEILING: Rule = hard("gov::above-classification-ceiling");
/// A `changes` entry has a `kind` other than major, minor or granskad. Why:
/// a `granskad` entry records a review without change (Annex A 5.1). Fix:
/// use one of the three.
pub(crate) const UNKNOWN_CHANGE_KIND: Rule = soft("gov::unknown-change-kind", Severity::Error);
/// An `{% ansvar %}` shortcode lacks its `roll` or its `{% end %}`. Why:
/// the duty would reach no role. Fix: `{% ansvar(roll="isam") %}…{% end %}`.
pub(crate) const INVALID_DUTY: Rule = hard("gov::invalid-duty");
/// A review's `data` path leaves the page's folder (`..`, absolute, or a
/// symbolic link pointing out). Why: files are read only from inside the
/// site. Fix: keep the data file beside the review page.
pub(crate) const UNSAFE_DATA_PATH: Rule = hard("gov::unsafe-data-path");
/// A review's data file is missing, unreadable or not valid TOML/JSON.
/// Why: the review's tables and cross-links come from it. Fix: correct the
/// path or the syntax at the position given.
pub(crate) const INVALID_DATA: Rule = hard("gov::invalid-data");
/// A training row's parts do not add up to its `total`. Fix: check the
/// figures against their source.
pub(crate) const TRAINING_SUM: Rule = soft("gov::training-sum", Severity::Warning);
/// An unknown key in `[handbook]` (with the nearest known key).
pub(crate) const UNKNOWN_SETTING: Rule = soft("gov::unknown-setting", Severity::Warning);
/// A `[handbook]` value of the wrong type or form.
pub(crate) const INVALID_SETTING: Rule = hard("gov::invalid-setting");

/// Every rule, for `[handbook.severity]` validation and documentation.
pub(crate) const ALL: &[Rule] = &[
    DUPLICATE_DOC_ID,
    DUPLICATE_ROLE,
    DUPLICATE_TERM,
    UNKNOWN_ROLE,
    UNKNOWN_KIND,
    UNKNOWN_STATUS,
    INVALID_DATE,
    INVALID_DURATION,
    INVALID_FIELD,
    UNAPPROVED_IN_FORCE,
    BROKEN_REFERENCE,
    VERSION_MISMATCH,
    MISSING_OWNER,
    MISSING_DOC_ID,
    REVIEW_OVERDUE,
    INVALID_CLASSIFICATION,
    UNKNOWN_AUDIENCE,
    MISPLACED_AUDIENCE,
    AUDIENCE_ON_PLAIN_PAGE,
    WIDER_THAN_SECTION,
    ABOVE_CEILING,
    UNKNOWN_CHANGE_KIND,
    INVALID_DUTY,
    UNSAFE_DATA_PATH,
    INVALID_DATA,
    TRAINING_SUM,
    UNKNOWN_SETTING,
    INVALID_SETTING,
];

/// Pushes diagnostics with the severity the settings give their rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reporter<'a> {
    diags: &'a Diagnostics,
    settings: &'a Settings,
}

impl<'a> Reporter<'a> {
    /// A reporter into `diags` under `settings`' severities.
    pub(crate) fn new(diags: &'a Diagnostics, settings: &'a Settings) -> Self {
        Reporter { diags, settings }
    }

    /// Records a diagnostic of `rule` (dropped when the rule is `off`).
    pub(crate) fn push(&self, rule: Rule, diagnostic: Diagnostic) {
        let level = self.settings.level(rule);
        let severity = match level {
            Level::Off => return,
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
        };
        let severity = if diagnostic.severity == Severity::Warning && level == default_level(rule) {
            // A rule raised as a warning in a softer case (approved_by that
            // only looks like a role id) stays a warning by default.
            Severity::Warning
        } else {
            severity
        };
        self.diags.push(diagnostic.with_severity(severity));
    }

    /// Records `message` of `rule` at the value of `path` in `spot`.
    pub(crate) fn at(
        &self,
        rule: Rule,
        spot: &Spot<'_>,
        path: &[&str],
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let mut d = spot.at(Diagnostic::error(rule.code, message), path);
        if let Some(help) = help {
            d = d.with_help(help);
        }
        self.push(rule, d);
    }

    /// Like [`Reporter::at`], but a warning unless configured otherwise.
    pub(crate) fn warn_at(
        &self,
        rule: Rule,
        spot: &Spot<'_>,
        path: &[&str],
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let mut d = spot.at(Diagnostic::warning(rule.code, message), path);
        if let Some(help) = help {
            d = d.with_help(help);
        }
        self.push(rule, d);
    }
}

fn default_level(rule: Rule) -> Level {
    match rule.default {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    }
}

/// The help line for an unknown word: the nearest candidates, or the list.
pub(crate) fn suggest(word: &str, candidates: &[&str], what: &str) -> String {
    let nearest = nearest_many(word, candidates);
    if nearest.is_empty() {
        format!("known {what}: {}", list(candidates))
    } else {
        format!(
            "did you mean {}? known {what}: {}",
            or_list(&nearest),
            list(candidates)
        )
    }
}

/// Up to three candidates close to `word`, best first: similar by
/// Jaro-Winkler, or one edit away (a swap of two letters counts as one,
/// which Jaro-Winkler misses in short ids such as `dos` for `dso`).
pub(crate) fn nearest_many<'c>(word: &str, candidates: &[&'c str]) -> Vec<&'c str> {
    let word = word.to_lowercase();
    let mut scored: Vec<(usize, f64, &str)> = candidates
        .iter()
        .map(|c| {
            let c_low = c.to_lowercase();
            (
                strsim::osa_distance(&word, &c_low),
                strsim::jaro_winkler(&word, &c_low),
                *c,
            )
        })
        .filter(|(edits, score, _)| *score > 0.75 || *edits <= 1)
        .collect();
    scored.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.total_cmp(&a.1))
            .then_with(|| a.2.cmp(b.2))
    });
    scored.into_iter().take(3).map(|(_, _, c)| c).collect()
}

fn list(items: &[&str]) -> String {
    if items.len() > 12 {
        format!("{}, … ({} in all)", items[..12].join(", "), items.len())
    } else {
        items.join(", ")
    }
}

fn or_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
        [] => String::new(),
    }
}
