//! Audiences: a build is made for one audience, and a document that
//! audience may not read must leave no trace in it. The configured
//! audiences (`[handbook] audiences`, default `alla`, `personal`,
//! `chefer`) run from widest to narrowest: a build for an audience can read
//! documents for it and for every wider one. A page without `audience` is
//! for everyone.
//!
//! Owns the one reading of an `audience` value (trimmed, compared without
//! regard to case) that the rules, the register and the build filter all
//! use, and the decision "may this build show it". Must not locate or
//! report problems in content (that is `confidentiality.rs`), nor drop
//! pages (the content stage does, from the set it is given).

use super::rules::suggest;
use super::settings::Settings;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The key under `[extra]` that restricts a page or section.
pub(crate) const KEY: &str = "audience";

/// How a written audience is compared: without surrounding spaces and
/// without regard to case, so that `"Chefer "` and `chefer` are one
/// audience everywhere.
pub(crate) fn normalise(written: &str) -> String {
    written.trim().to_lowercase()
}

/// The configured audiences, widest first.
#[derive(Debug, Clone)]
pub(crate) struct Audiences {
    /// As configured (for messages and the register).
    names: Vec<String>,
}

impl Audiences {
    /// The audiences of `[handbook] audiences`.
    pub(crate) fn new(settings: &Settings) -> Audiences {
        Audiences {
            names: settings.audiences.clone(),
        }
    }

    /// The rank of a written audience (0 is the widest), if it is one.
    pub(crate) fn rank(&self, written: &str) -> Option<usize> {
        let key = normalise(written);
        self.names.iter().position(|n| normalise(n) == key)
    }

    /// The configured spelling of the audience at `rank`.
    pub(crate) fn name(&self, rank: usize) -> &str {
        self.names.get(rank).map_or("", String::as_str)
    }

    /// The help line for a value that is not an audience.
    pub(crate) fn help(&self, written: &str) -> String {
        let known: Vec<&str> = self.names.iter().map(String::as_str).collect();
        format!(
            "{}; the list is `[handbook] audiences` in config.toml",
            suggest(written.trim(), &known, "audiences")
        )
    }
}

/// An `audience` value that was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Audience {
    /// Ranks of the audiences it names, in the order written.
    ranks: Vec<usize>,
}

impl Audience {
    /// The widest audience that may read it: a list means "any of these",
    /// so the widest entry decides.
    pub(crate) fn widest(&self) -> usize {
        self.ranks.iter().copied().min().unwrap_or(usize::MAX)
    }

    /// The audiences named, as configured, in the order written.
    pub(crate) fn names<'a>(&self, audiences: &'a Audiences) -> Vec<&'a str> {
        self.ranks.iter().map(|r| audiences.name(*r)).collect()
    }
}

/// What is wrong with one entry of an `audience` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// Not a configured audience; `index` is the list position, if a list.
    Unknown {
        /// Position in the list, `None` for a plain text value.
        index: Option<usize>,
        /// The value as written.
        written: String,
    },
    /// Not text (or an empty list, which no one could read).
    WrongType,
}

/// Reads an `audience` value: text or a list of text, each a configured
/// audience. The one parse the rules, the register and the filter share.
pub(crate) fn parse(value: &toml::Value, audiences: &Audiences) -> Result<Audience, Vec<Problem>> {
    let entries: Vec<(Option<usize>, &toml::Value)> = match value {
        toml::Value::Array(list) if !list.is_empty() => {
            list.iter().enumerate().map(|(i, v)| (Some(i), v)).collect()
        }
        toml::Value::String(_) => vec![(None, value)],
        _ => return Err(vec![Problem::WrongType]),
    };
    let mut ranks = Vec::new();
    let mut problems = Vec::new();
    for (index, entry) in entries {
        let Some(text) = entry.as_str() else {
            problems.push(Problem::WrongType);
            continue;
        };
        match audiences.rank(text) {
            Some(rank) => ranks.push(rank),
            None => problems.push(Problem::Unknown {
                index,
                written: text.to_string(),
            }),
        }
    }
    if problems.is_empty() {
        Ok(Audience { ranks })
    } else {
        Err(problems)
    }
}

/// Keys of a table that are `audience` written another way (`Audience`,
/// `AUDIENCE`, ` audience`): misplaced, and restrictive all the same.
pub(crate) fn misspelt_keys(table: &toml::Table) -> Vec<&str> {
    table
        .keys()
        .filter(|k| k.as_str() != KEY && normalise(k) == KEY)
        .map(String::as_str)
        .collect()
}

/// Which pages a build for one audience keeps.
#[derive(Debug, Clone)]
pub(crate) struct AudienceFilter {
    audiences: Audiences,
    /// The rank of the build's audience.
    rank: usize,
}

impl AudienceFilter {
    /// Builds the filter for `audience` (trimmed, any case); an unknown
    /// audience is an error with the nearest configured one (a build must
    /// never silently fall back to a wider one).
    pub(crate) fn new(
        settings: &Settings,
        audience: &str,
        diags: &Diagnostics,
    ) -> Option<AudienceFilter> {
        let audiences = Audiences::new(settings);
        let Some(rank) = audiences.rank(audience) else {
            diags.push(
                Diagnostic::error(
                    "gov::unknown-audience",
                    format!(
                        "the build audience `{audience}` is not one of the configured audiences"
                    ),
                )
                .in_file("config.toml")
                .with_help(audiences.help(audience)),
            );
            return None;
        };
        Some(AudienceFilter { audiences, rank })
    }

    /// The build's audience as configured (for messages).
    pub(crate) fn name(&self) -> &str {
        self.audiences.name(self.rank)
    }

    /// True for the narrowest audience, which may read what every other
    /// audience may.
    pub(crate) fn reads_everything(&self) -> bool {
        self.rank + 1 >= self.audiences.names.len()
    }

    /// True if an item with this `[extra]` may appear in the build, judged
    /// on its own front matter. A value that cannot be read, and `audience`
    /// written with other capitals, keep the item out rather than risk a
    /// leak (both are errors of their own).
    pub(crate) fn allows(&self, extra: &toml::Table) -> bool {
        let readable = |value: &toml::Value| {
            parse(value, &self.audiences).is_ok_and(|a| a.widest() <= self.rank)
        };
        extra.get(KEY).is_none_or(readable)
            && misspelt_keys(extra)
                .iter()
                .all(|k| extra.get(*k).is_some_and(readable))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn config() -> Config {
        Config::from_str_for_tests("base_url='/'").unwrap_or_else(|_| unreachable!())
    }

    /// The bundled defaults' filter for `audience`; problems go to `diags`.
    fn filter(audience: &str, diags: &Diagnostics) -> Option<AudienceFilter> {
        AudienceFilter::new(
            &Settings::from_config(&config(), &Diagnostics::new()),
            audience,
            diags,
        )
    }

    fn extra(s: &str) -> toml::Table {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn narrower_documents_are_left_out_of_wider_builds() {
        let diags = Diagnostics::new();
        let personal = filter("personal", &diags).unwrap_or_else(|| unreachable!());
        assert!(personal.allows(&extra("")));
        assert!(personal.allows(&extra("audience = 'alla'")));
        assert!(personal.allows(&extra("audience = ['personal']")));
        assert!(personal.allows(&extra("audience = ['chefer', 'personal']")));
        assert!(!personal.allows(&extra("audience = 'chefer'")));
        assert!(!personal.allows(&extra("audience = 3")));
        assert!(!personal.allows(&extra("audience = []")));
        assert!(filter("okänd", &diags).is_none());
        assert!(diags.has_errors());
    }

    #[test]
    fn spaces_and_capitals_do_not_change_an_audience() {
        let diags = Diagnostics::new();
        let chefer = filter(" Chefer", &diags).unwrap_or_else(|| unreachable!());
        assert_eq!(chefer.name(), "chefer");
        assert!(chefer.allows(&extra("audience = 'chefer '")));
        assert!(chefer.allows(&extra("audience = 'CHEFER'")));
        let personal = filter("personal", &diags).unwrap_or_else(|| unreachable!());
        assert!(!personal.allows(&extra("audience = ' chefer '")));
        assert!(!diags.has_errors());
    }

    #[test]
    fn audience_written_with_other_capitals_still_restricts() {
        let diags = Diagnostics::new();
        let personal = filter("personal", &diags).unwrap_or_else(|| unreachable!());
        assert!(!personal.allows(&extra("Audience = 'chefer'")));
        assert!(!personal.allows(&extra("AUDIENCE = 'nonsense'")));
        assert!(personal.allows(&extra("Audience = 'alla'")));
    }

    #[test]
    fn unknown_entries_are_named_with_their_position() {
        let audiences = Audiences::new(&Settings::default());
        let v: toml::Value = toml::Value::Array(vec!["alla".into(), "chefen".into()]);
        assert_eq!(
            parse(&v, &audiences),
            Err(vec![Problem::Unknown {
                index: Some(1),
                written: "chefen".into()
            }])
        );
        assert!(audiences.help("chefen").contains("did you mean `chefer`?"));
    }
}
