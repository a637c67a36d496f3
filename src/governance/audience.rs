//! Audiences: a build is made for one audience, and a document that
//! audience may not read must leave no trace in it. The configured
//! audiences (`[handbook] audiences`, default `alla`, `personal`,
//! `chefer`) run from widest to narrowest: a build for an audience can read
//! documents for it and for every wider one. A page without `audience` is
//! for everyone.
//!
//! Owns the decision only; the content stage drops the pages.

use super::settings::Settings;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Which pages a build for one audience keeps.
#[derive(Debug, Clone)]
pub(crate) struct AudienceFilter {
    /// Audiences the build may read, the build's own included.
    readable: Vec<String>,
}

impl AudienceFilter {
    /// Builds the filter for `audience`; an unknown audience is an error
    /// (a build must never silently fall back to a wider one).
    pub(crate) fn new(
        config: &Config,
        audience: &str,
        diags: &Diagnostics,
    ) -> Option<AudienceFilter> {
        let quiet = Diagnostics::new();
        let settings = Settings::from_config(config, &quiet);
        let Some(rank) = settings.audiences.iter().position(|a| a == audience) else {
            let known: Vec<&str> = settings.audiences.iter().map(String::as_str).collect();
            diags.push(
                Diagnostic::error(
                    "gov::unknown-audience",
                    format!(
                        "the build audience `{audience}` is not one of the configured audiences"
                    ),
                )
                .in_file("config.toml")
                .with_help(format!("use one of: {}", known.join(", "))),
            );
            return None;
        };
        Some(AudienceFilter {
            readable: settings.audiences[..=rank].to_vec(),
        })
    }

    /// True if a page with this `[extra]` may appear in the build.
    pub(crate) fn allows(&self, extra: &toml::Table) -> bool {
        match extra.get("audience") {
            None => true,
            Some(toml::Value::String(a)) => self.readable.contains(a),
            Some(toml::Value::Array(list)) => list.iter().any(|a| {
                a.as_str()
                    .is_some_and(|a| self.readable.iter().any(|r| r == a))
            }),
            // A malformed audience is reported by the document rules; keep
            // the page out of a filtered build rather than risk a leak.
            Some(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrower_documents_are_left_out_of_wider_builds() {
        let config = Config::from_str_for_tests("base_url='/'").unwrap_or_else(|_| unreachable!());
        let diags = Diagnostics::new();
        let personal =
            AudienceFilter::new(&config, "personal", &diags).unwrap_or_else(|| unreachable!());
        let extra = |s: &str| -> toml::Table { s.parse().unwrap_or_default() };
        assert!(personal.allows(&extra("")));
        assert!(personal.allows(&extra("audience = 'alla'")));
        assert!(personal.allows(&extra("audience = ['personal']")));
        assert!(!personal.allows(&extra("audience = 'chefer'")));
        assert!(!personal.allows(&extra("audience = 3")));
        assert!(AudienceFilter::new(&config, "okänd", &diags).is_none());
        assert!(diags.has_errors());
    }
}
