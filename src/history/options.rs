//! `[handbook.history]` of `config.toml`, resolved with defaults: whether
//! history is read at all, how far back, which commit subjects are not a
//! "meaningful" change (typo fixes), and which commit messages readers see
//! (`messages = "all"` subjects, or `"trailer"`: only a trailer such as
//! `Ändring: …`). Problems are located diagnostics.
//!
//! Must not read content or git; reads `config.toml` only to locate keys.

use super::{INVALID_SETTING, UNKNOWN_SETTING};
use crate::config::{nearest, Config};
use crate::diagnostics::{Diagnostic, Diagnostics};
use chrono::NaiveDate;

/// Keys `[handbook.history]` understands.
const KNOWN_KEYS: &[&str] = &[
    "enabled",
    "max_commits",
    "since",
    "ignore",
    "messages",
    "trailer",
    "withhold_authors",
];

/// The trailer readers see by default in `messages = "trailer"` mode.
pub(crate) const DEFAULT_TRAILER: &str = "Ändring";

/// Commit subjects that are not a meaningful change by default: typo fixes,
/// in English and Swedish.
pub(crate) const DEFAULT_IGNORE: &str = "(?i)^(typo|stavfel|fix typo)";

/// What [`super::collect`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HistoryOptions {
    /// Read git history at all (`enabled = false` turns it off silently).
    pub(crate) enabled: bool,
    /// Stop after this many commits of the walk (all commits reachable
    /// from `HEAD` count, whether or not they touch the site).
    pub(crate) max_commits: Option<usize>,
    /// Stop at the first commit committed before this day.
    pub(crate) since: Option<NaiveDate>,
    /// Commits whose subject matches are not "meaningful"; validated as a
    /// regular expression by [`options`].
    pub(crate) ignore_pattern: Option<String>,
    /// In a build for one audience, a commit whose message is withheld
    /// (it touched a file the audience may not read) shows no author
    /// either.
    pub(crate) withhold_authors: bool,
}

impl Default for HistoryOptions {
    fn default() -> Self {
        HistoryOptions {
            enabled: true,
            max_commits: None,
            since: None,
            ignore_pattern: Some(DEFAULT_IGNORE.to_string()),
            withhold_authors: false,
        }
    }
}

impl HistoryOptions {
    /// The compiled `ignore_pattern` (`None` when unset or invalid).
    pub(crate) fn ignore_regex(&self) -> Option<regex::Regex> {
        self.ignore_pattern
            .as_deref()
            .and_then(|p| regex::Regex::new(p).ok())
    }
}

/// From config.handbook's `[handbook.history]` table (`enabled = true`,
/// `max_commits`, `since`, `ignore = "(?i)^(typo|stavfel|fix typo)"`).
/// Invalid values are errors at their key and fall back to the default;
/// unknown keys are warnings.
pub(crate) fn options(config: &Config, diags: &Diagnostics) -> HistoryOptions {
    let mut out = HistoryOptions::default();
    let Some(value) = config.handbook.get("history") else {
        return out;
    };
    let reader = Reader { config, diags };
    let Some(table) = value.as_table() else {
        reader.invalid(
            None,
            "`handbook.history` must be a table".into(),
            "write `[handbook.history]` then e.g. `max_commits = 1000`",
        );
        return out;
    };
    for (key, value) in table {
        reader.read(key, value, &mut out);
    }
    out
}

struct Reader<'a> {
    config: &'a Config,
    diags: &'a Diagnostics,
}

impl Reader<'_> {
    fn read(&self, key: &str, value: &toml::Value, out: &mut HistoryOptions) {
        match key {
            "enabled" => match value.as_bool() {
                Some(b) => out.enabled = b,
                None => self.invalid(
                    Some(key),
                    "`handbook.history.enabled` must be true or false".into(),
                    "write `enabled = false` to build without git history",
                ),
            },
            "withhold_authors" => match value.as_bool() {
                Some(b) => out.withhold_authors = b,
                None => self.invalid(
                    Some(key),
                    "`handbook.history.withhold_authors` must be true or false".into(),
                    "write `withhold_authors = true` to leave out the authors of withheld commit messages",
                ),
            },
            "max_commits" => match value.as_integer().map(usize::try_from) {
                Some(Ok(n)) if n > 0 => out.max_commits = Some(n),
                _ => self.invalid(
                    Some(key),
                    "`handbook.history.max_commits` must be a whole number above 0".into(),
                    "write e.g. `max_commits = 2000`, or leave it out to read all history",
                ),
            },
            "since" => match parse_date(value) {
                Some(d) => out.since = Some(d),
                None => self.invalid(
                    Some(key),
                    "`handbook.history.since` must be a date".into(),
                    "write e.g. `since = 2020-01-01`",
                ),
            },
            "ignore" => match value {
                toml::Value::Boolean(false) => out.ignore_pattern = None,
                toml::Value::String(s) if s.is_empty() => out.ignore_pattern = None,
                toml::Value::String(s) => match regex::Regex::new(s) {
                    Ok(_) => out.ignore_pattern = Some(s.clone()),
                    Err(e) => self.invalid(
                        Some(key),
                        format!("`handbook.history.ignore` is not a valid regular expression: {e}"),
                        "write e.g. `ignore = \"(?i)^(typo|stavfel)\"`, or `false` to count every commit",
                    ),
                },
                _ => self.invalid(
                    Some(key),
                    "`handbook.history.ignore` must be a regular expression or false".into(),
                    "write e.g. `ignore = \"(?i)^(typo|stavfel)\"`",
                ),
            },
            "messages" => match value.as_str() {
                Some("all" | "trailer") => {}
                _ => self.invalid(
                    Some(key),
                    "`handbook.history.messages` must be \"all\" or \"trailer\"".into(),
                    "write `messages = \"trailer\"` to show readers only `Ändring:` lines, or \"all\" for every commit subject",
                ),
            },
            "trailer" => match value.as_str() {
                Some(t) if !t.trim().is_empty() && !t.contains(':') => {}
                _ => self.invalid(
                    Some(key),
                    "`handbook.history.trailer` must be a word without `:`".into(),
                    "write e.g. `trailer = \"Ändring\"` for lines such as `Ändring: Nya krav på lösenord`",
                ),
            },
            other => {
                let help = match nearest(other, KNOWN_KEYS) {
                    Some(best) => format!("did you mean `{best}`? this key is ignored"),
                    None => format!("known keys: {}; this key is ignored", KNOWN_KEYS.join(", ")),
                };
                let d = Diagnostic::warning(
                    UNKNOWN_SETTING,
                    format!("unknown key `handbook.history.{other}`"),
                )
                .with_help(help);
                self.diags.push(self.at(d, Some(other)));
            }
        }
    }

    fn invalid(&self, key: Option<&str>, message: String, help: &str) {
        let d = Diagnostic::error(INVALID_SETTING, message).with_help(help);
        self.diags.push(self.at(d, key));
    }

    fn at(&self, d: Diagnostic, key: Option<&str>) -> Diagnostic {
        let mut path = vec!["handbook", "history"];
        path.extend(key);
        self.config.at_key(d, &path)
    }
}

/// The trailer whose value readers see instead of commit subjects, when
/// `[handbook.history] messages = "trailer"`; `None` when readers see every
/// subject (the default). Invalid values were reported by [`options`].
pub(crate) fn reader_trailer(config: &Config) -> Option<String> {
    let table = config.handbook.get("history")?.as_table()?;
    if table.get("messages")?.as_str()? != "trailer" {
        return None;
    }
    let trailer = table
        .get("trailer")
        .and_then(toml::Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.contains(':'))
        .unwrap_or(DEFAULT_TRAILER);
    Some(trailer.to_string())
}

/// The value of the trailer `name` in a commit message body (the last
/// `Name: value` line, the name compared without regard to case), as git's
/// `interpret-trailers` reads it.
pub(crate) fn trailer_value(body: &str, name: &str) -> Option<String> {
    let wanted = name.to_lowercase();
    body.lines()
        .filter_map(|line| line.split_once(':'))
        .filter(|(key, _)| key.trim().to_lowercase() == wanted)
        .map(|(_, value)| value.trim().to_string())
        .rfind(|value| !value.is_empty())
}

/// A TOML date (`2020-01-01`) or a string holding one.
fn parse_date(value: &toml::Value) -> Option<NaiveDate> {
    let text = match value {
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
        toml::Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok()
}
