//! handbok's `[handbook]` table of `config.toml`, resolved with defaults:
//! where roles and the glossary live, the allowed kinds, statuses and
//! audiences, review timing, the paths of generated pages and per-rule
//! severities. Unknown keys are located warnings with the nearest known key.
//!
//! Must not read content or files.

use super::dates::IsoDuration;
use super::locate::Spot;
use super::rules::{self, Rule};
use crate::config::{nearest, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};
use std::collections::BTreeMap;

/// Keys `[handbook]` understands. Another stage that reads `[handbook]`
/// must add its keys here, or they are reported as unknown.
pub(crate) const KNOWN_KEYS: &[&str] = &[
    "roles_section",
    "glossary",
    "kinds",
    "statuses",
    "audiences",
    "default_review_interval",
    "due_soon_days",
    "severity",
    "pages",
    "history",
    "changes_path",
    "edit_url",
    "max_classification",
    "max_content_file_mb",
    "search",
];

/// Default governing-document kinds.
const KINDS: &[&str] = &[
    "policy",
    "riktlinje",
    "anvisning",
    "rutin",
    "plan",
    "metod",
    "villkor",
    "analys",
    "genomgang",
];
/// Default statuses, in life-cycle order.
const STATUSES: &[&str] = &["utkast", "remiss", "gällande", "upphävd"];
/// KLASSA aspects: konfidentialitet, riktighet, tillgänglighet, spårbarhet.
pub(crate) const CLASSIFICATION_ASPECTS: &[&str] = &["k", "r", "t", "s"];
/// Default audiences, widest first.
const AUDIENCES: &[&str] = &["alla", "personal", "chefer"];

/// What `[handbook.severity]` may set a rule to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// Fails the build.
    Error,
    /// Printed; fails only under `--deny-warnings`.
    Warning,
    /// Not reported at all.
    Off,
}

/// The pages handbok generates, by name (`register`, `matrix`,
/// `review_status`, `activities`), with their path or `None` when turned
/// off with `false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PagePaths(pub(crate) Vec<(&'static str, Option<String>)>);

impl PagePaths {
    /// The path of a generated page, if it is on.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, p)| p.as_deref())
    }
}

/// Resolved `[handbook]` settings.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Folder under `content/` whose pages are roles (`roller`).
    pub(crate) roles_section: String,
    /// The glossary file, relative to `content/` (`ordlista.md`).
    pub(crate) glossary: String,
    /// Allowed `kind` values.
    pub(crate) kinds: Vec<String>,
    /// Allowed `status` values.
    pub(crate) statuses: Vec<String>,
    /// Allowed `audience` values.
    pub(crate) audiences: Vec<String>,
    /// Review interval of documents that give none.
    pub(crate) default_review_interval: IsoDuration,
    /// How many days ahead a review counts as due soon.
    pub(crate) due_soon_days: i64,
    /// Paths of the generated pages.
    pub(crate) pages: PagePaths,
    /// `max_classification`: the highest KLASSA level per aspect (k, r, t,
    /// s) this site may publish; empty when there is no ceiling.
    pub(crate) max_classification: Vec<(&'static str, u8)>,
    /// `[handbook.search]`: the path of the search page when the
    /// handbook's own (pagefind) search is on, `None` when it is off (the
    /// default, so a plain Zola site's output never changes).
    pub(crate) search_page: Option<String>,
    severity: BTreeMap<&'static str, Level>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            roles_section: "roller".into(),
            glossary: "ordlista.md".into(),
            kinds: KINDS.iter().map(|s| s.to_string()).collect(),
            statuses: STATUSES.iter().map(|s| s.to_string()).collect(),
            audiences: AUDIENCES.iter().map(|s| s.to_string()).collect(),
            default_review_interval: IsoDuration {
                years: 1,
                ..IsoDuration::default()
            },
            due_soon_days: 60,
            pages: PagePaths(vec![
                ("register", Some("/dokumentregister/".into())),
                ("matrix", Some("/ansvarsmatris/".into())),
                ("review_status", Some("/granskning/".into())),
                ("activities", Some("/aktiviteter/".into())),
            ]),
            max_classification: Vec::new(),
            search_page: None,
            severity: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// The level a rule is reported at.
    pub(crate) fn level(&self, rule: Rule) -> Level {
        self.severity
            .get(rule.code)
            .copied()
            .unwrap_or(match rule.default {
                crate::diagnostics::Severity::Error => Level::Error,
                crate::diagnostics::Severity::Warning => Level::Warning,
            })
    }

    /// Reads `[handbook]` from the config's table (no file is read); its
    /// problems go to `diags`. Read once per build, by the pipeline, and
    /// handed to every governance step.
    pub(crate) fn from_config(config: &Config, diags: &Diagnostics) -> Settings {
        let spot = Spot::data(config.source(), config.text(), false);
        let mut reader = Reader { spot: &spot, diags };
        reader.read(&config.handbook)
    }
}

struct Reader<'s, 'a> {
    spot: &'s Spot<'a>,
    diags: &'s Diagnostics,
}

impl Reader<'_, '_> {
    fn read(&mut self, table: &toml::Table) -> Settings {
        let mut s = Settings::default();
        for (key, value) in table {
            match key.as_str() {
                "roles_section" => {
                    if let Some(v) = self.string(key, value) {
                        s.roles_section = v.trim_matches('/').to_string();
                    }
                }
                "glossary" => {
                    if let Some(v) = self.string(key, value) {
                        s.glossary = v
                            .trim_start_matches('/')
                            .trim_start_matches("@/")
                            .to_string();
                    }
                }
                "kinds" => s.kinds = self.list(key, value).unwrap_or(s.kinds),
                "statuses" => s.statuses = self.list(key, value).unwrap_or(s.statuses),
                "audiences" => s.audiences = self.list(key, value).unwrap_or(s.audiences),
                "default_review_interval" => {
                    let text = self.string(key, value).unwrap_or_default();
                    match IsoDuration::parse(&text) {
                        Some(d) => s.default_review_interval = d,
                        None => self.invalid(
                            &[key],
                            format!("`handbook.{key}` must be an ISO 8601 duration"),
                            "write e.g. \"P1Y\" (yearly), \"P6M\" or \"P2W\"",
                        ),
                    }
                }
                "due_soon_days" => match value.as_integer() {
                    Some(n) if n >= 0 => s.due_soon_days = n,
                    _ => self.invalid(
                        &[key],
                        format!("`handbook.{key}` must be a whole number of days, 0 or more"),
                        "write e.g. `due_soon_days = 60`",
                    ),
                },
                "severity" => s.severity = self.severities(value),
                "pages" => self.pages(value, &mut s.pages),
                "max_classification" => s.max_classification = self.ceiling(value),
                "search" => s.search_page = self.search(value),
                // Read by the history stage and the recent-changes page;
                // `edit_url` by the render stage's edit link.
                "history" | "changes_path" | "edit_url" => {}
                // Read and checked by the config.
                "max_content_file_mb" => {}
                other => self.unknown(&[other], &format!("handbook.{other}"), KNOWN_KEYS),
            }
        }
        s
    }

    fn invalid(&self, path: &[&str], message: String, help: &str) {
        let d = Diagnostic::error(rules::INVALID_SETTING.code, message).with_help(help);
        self.diags.push(self.at(d, path));
    }

    fn at(&self, d: Diagnostic, path: &[&str]) -> Diagnostic {
        let full: Vec<&str> = std::iter::once("handbook")
            .chain(path.iter().copied())
            .collect();
        self.spot.at(d, &full)
    }

    fn unknown(&self, path: &[&str], shown: &str, known: &[&str]) {
        let last = path.last().copied().unwrap_or_default();
        let help = match nearest(last, known) {
            Some(best) => format!("did you mean `{best}`? this key is ignored"),
            None => format!("known keys: {}; this key is ignored", known.join(", ")),
        };
        let full: Vec<&str> = std::iter::once("handbook")
            .chain(path.iter().copied())
            .collect();
        let d = Diagnostic::warning(
            rules::UNKNOWN_SETTING.code,
            format!("unknown key `{shown}`"),
        )
        .with_help(help)
        .at(self.spot.source(), self.spot.key_offset(&full));
        self.diags.push(d);
    }

    fn string(&self, key: &str, value: &toml::Value) -> Option<String> {
        match value.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.invalid(
                    &[key],
                    format!("`handbook.{key}` must be text"),
                    "quote the value",
                );
                None
            }
        }
    }

    fn list(&self, key: &str, value: &toml::Value) -> Option<Vec<String>> {
        let items: Option<Vec<String>> = value
            .as_array()
            .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect());
        if items.is_none() {
            self.invalid(
                &[key],
                format!("`handbook.{key}` must be a list of text"),
                "write e.g. [\"a\", \"b\"]",
            );
        }
        items
    }

    fn severities(&self, value: &toml::Value) -> BTreeMap<&'static str, Level> {
        let mut out = BTreeMap::new();
        let Some(table) = value.as_table() else {
            self.invalid(
                &["severity"],
                "`handbook.severity` must be a table of rule codes".into(),
                "write `[handbook.severity]` then `\"gov::review-overdue\" = \"error\"`",
            );
            return out;
        };
        let codes: Vec<&str> = rules::ALL.iter().map(|r| r.code).collect();
        for (code, level) in table {
            let path = ["severity", code.as_str()];
            let Some(rule) = rules::ALL.iter().find(|r| r.code == code) else {
                self.unknown(&path, &format!("handbook.severity.\"{code}\""), &codes);
                continue;
            };
            if !rule.configurable {
                self.invalid(
                    &path,
                    format!("the severity of `{code}` cannot be changed"),
                    "only softer rules are configurable; fix the content instead",
                );
                continue;
            }
            let level = match level.as_str() {
                Some("error") => Level::Error,
                Some("warning") => Level::Warning,
                Some("off") => Level::Off,
                _ => {
                    self.invalid(
                        &path,
                        format!(
                            "the severity of `{code}` must be \"error\", \"warning\" or \"off\""
                        ),
                        "write e.g. \"error\"",
                    );
                    continue;
                }
            };
            out.insert(rule.code, level);
        }
        out
    }

    /// `max_classification = { k = 2 }`: KLASSA aspects with a level 0–4.
    fn ceiling(&self, value: &toml::Value) -> Vec<(&'static str, u8)> {
        let help = "write e.g. `max_classification = { k = 2 }` (aspects k, r, t, s; levels 0–4)";
        let Some(table) = value.as_table() else {
            self.invalid(
                &["max_classification"],
                "`handbook.max_classification` must be a table of KLASSA levels".into(),
                help,
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (aspect, level) in table {
            let path = ["max_classification", aspect.as_str()];
            let Some(known) = CLASSIFICATION_ASPECTS.iter().find(|a| **a == aspect) else {
                self.invalid(
                    &path,
                    format!(
                        "unknown classification aspect `{aspect}` in `handbook.max_classification`"
                    ),
                    help,
                );
                continue;
            };
            match level.as_integer().and_then(|l| u8::try_from(l).ok()) {
                Some(l @ 0..=4) => out.push((*known, l)),
                _ => self.invalid(
                    &path,
                    format!("`handbook.max_classification.{aspect}` must be a KLASSA level 0–4"),
                    help,
                ),
            }
        }
        out
    }

    /// `[handbook.search]`: `enabled` (default false) and `page`, the
    /// search page's path (default `/sok/`). The path when search is on.
    fn search(&self, value: &toml::Value) -> Option<String> {
        const KEYS: &[&str] = &["enabled", "page"];
        let Some(table) = value.as_table() else {
            self.invalid(
                &["search"],
                "`handbook.search` must be a table".into(),
                "write `[handbook.search]` then `enabled = true`",
            );
            return None;
        };
        let mut enabled = false;
        let mut page = "/sok/".to_string();
        for (key, value) in table {
            match (key.as_str(), value) {
                ("enabled", toml::Value::Boolean(b)) => enabled = *b,
                ("enabled", _) => self.invalid(
                    &["search", key],
                    "`handbook.search.enabled` must be true or false".into(),
                    "write `enabled = true`",
                ),
                ("page", toml::Value::String(p)) if !p.trim().trim_matches('/').is_empty() => {
                    page = format!("/{}/", p.trim().trim_matches('/'));
                }
                ("page", _) => self.invalid(
                    &["search", key],
                    "`handbook.search.page` must be a path".into(),
                    "write e.g. `page = \"/sok/\"`",
                ),
                (other, _) => self.unknown(
                    &["search", other],
                    &format!("handbook.search.{other}"),
                    KEYS,
                ),
            }
        }
        enabled.then_some(page)
    }

    fn pages(&self, value: &toml::Value, pages: &mut PagePaths) {
        let Some(table) = value.as_table() else {
            self.invalid(
                &["pages"],
                "`handbook.pages` must be a table".into(),
                "write `[handbook.pages]` then e.g. `register = \"/register/\"`",
            );
            return;
        };
        let names: Vec<&str> = pages.0.iter().map(|(n, _)| *n).collect();
        for (name, path) in table {
            let Some(slot) = pages.0.iter_mut().find(|(n, _)| n == name) else {
                self.unknown(&["pages", name], &format!("handbook.pages.{name}"), &names);
                continue;
            };
            match path {
                toml::Value::Boolean(false) => slot.1 = None,
                toml::Value::String(p) if !p.trim().trim_matches('/').is_empty() => {
                    slot.1 = Some(format!("/{}/", p.trim().trim_matches('/')));
                }
                _ => self.invalid(
                    &["pages", name],
                    format!("`handbook.pages.{name}` must be a path or false"),
                    "write e.g. \"/dokumentregister/\", or false to leave the page out",
                ),
            }
        }
    }
}
