//! Reading typed governance fields out of front matter `[extra]` or a
//! review data file, both seen as JSON values: text, lists of text, dates,
//! durations, flags and arrays of tables. A value of the wrong shape is a
//! located `gov::invalid-field`, `gov::invalid-date` or
//! `gov::invalid-duration`, and reads as absent.
//!
//! Must not resolve references or judge content (that is `resolve.rs` and
//! `rules/`).

use super::dates::{parse_date, IsoDuration};
use super::locate::Spot;
use super::rules::{self, Reporter, Rule};
use crate::diagnostics::LineCol;
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// The fields of one table, with where they are written.
#[derive(Clone)]
pub(crate) struct Fields<'s> {
    /// The table.
    pub(crate) map: &'s Map<String, Value>,
    /// The file it was read from.
    pub(crate) spot: &'s Spot<'s>,
    /// Key path of the table in the file (`["extra"]`, `["events", "2"]`).
    pub(crate) prefix: Vec<String>,
    /// Where problems go.
    pub(crate) reporter: Reporter<'s>,
}

impl<'s> Fields<'s> {
    /// The fields of `map`, written at `prefix` in `spot`.
    pub(crate) fn new(
        map: &'s Map<String, Value>,
        spot: &'s Spot<'s>,
        prefix: &[&str],
        reporter: Reporter<'s>,
    ) -> Self {
        Fields {
            map,
            spot,
            prefix: prefix.iter().map(|s| s.to_string()).collect(),
            reporter,
        }
    }

    /// The full key path of `keys` below this table.
    pub(crate) fn path<'k>(&'k self, keys: &[&'k str]) -> Vec<&'k str> {
        self.prefix
            .iter()
            .map(String::as_str)
            .chain(keys.iter().copied())
            .collect()
    }

    /// Reports `rule` at the value of `keys` (error unless configured).
    pub(crate) fn report(
        &self,
        rule: Rule,
        keys: &[&str],
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.reporter
            .at(rule, self.spot, &self.path(keys), message, help);
    }

    /// Reports `rule` at `keys` as a warning unless configured otherwise.
    pub(crate) fn warn(
        &self,
        rule: Rule,
        keys: &[&str],
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.reporter
            .warn_at(rule, self.spot, &self.path(keys), message, help);
    }

    /// `file:line:col` of the value at `keys`.
    pub(crate) fn describe(&self, keys: &[&str]) -> String {
        self.spot.describe(&self.path(keys))
    }

    /// Line and column of the value at `keys`.
    pub(crate) fn line_col(&self, keys: &[&str]) -> LineCol {
        let offset = self.spot.offset(&self.path(keys));
        self.spot.source().index.line_col(offset)
    }

    /// The key path as users write it (`extra.changes[1].version`).
    pub(crate) fn dotted(&self, keys: &[&str]) -> String {
        let mut out = String::new();
        for part in self.path(keys) {
            if part.parse::<usize>().is_ok() {
                out.push_str(&format!("[{part}]"));
            } else {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(part);
            }
        }
        out
    }

    /// The raw value of a key.
    pub(crate) fn get(&self, key: &str) -> Option<&'s Value> {
        self.map.get(key)
    }

    fn wrong_type(&self, key: &str, wanted: &str, example: &str) {
        self.report(
            rules::INVALID_FIELD,
            &[key],
            format!("`{}` must be {wanted}", self.dotted(&[key])),
            Some(format!("write e.g. `{key} = {example}`")),
        );
    }

    /// Text; numbers are taken as their text (`version = 1.0`).
    pub(crate) fn text(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => {
                self.wrong_type(key, "text", "\"…\"");
                None
            }
        }
    }

    /// Text that is not blank, trimmed.
    pub(crate) fn nonblank(&self, key: &str) -> Option<String> {
        self.text(key)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    /// A boolean; absent is false.
    pub(crate) fn flag(&self, key: &str) -> bool {
        match self.get(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.wrong_type(key, "true or false", "true");
                false
            }
        }
    }

    /// A date (`approved = 2025-03-12`).
    pub(crate) fn date(&self, key: &str) -> Option<NaiveDate> {
        let value = self.get(key)?;
        let parsed = value.as_str().and_then(parse_date);
        if parsed.is_none() {
            let shown = match value {
                Value::String(s) => format!("\"{s}\""),
                other => other.to_string(),
            };
            self.report(
                rules::INVALID_DATE,
                &[key],
                format!("`{}` is not a date: {shown}", self.dotted(&[key])),
                Some(format!(
                    "write a date as YYYY-MM-DD, e.g. `{key} = 2025-03-12`"
                )),
            );
        }
        parsed
    }

    /// An ISO 8601 duration (`review_interval = "P1Y"`), with its text.
    pub(crate) fn duration(&self, key: &str) -> Option<(IsoDuration, String)> {
        let value = self.get(key)?;
        let text = value.as_str().unwrap_or_default();
        match IsoDuration::parse(text) {
            Some(d) => Some((d, text.trim().to_string())),
            None => {
                self.report(
                    rules::INVALID_DURATION,
                    &[key],
                    format!(
                        "`{}` is not an ISO 8601 duration: {value}",
                        self.dotted(&[key])
                    ),
                    Some("write e.g. \"P1Y\" (yearly), \"P6M\", \"P2W\" or \"P30D\"".into()),
                );
                None
            }
        }
    }

    /// Text or a list of text, each with the key path of where it is
    /// written (`[key]` for a single value, `[key, "2"]` for a list item).
    pub(crate) fn texts(&self, key: &str) -> Vec<(Vec<String>, String)> {
        match self.get(key) {
            None => vec![],
            Some(Value::String(s)) => vec![(vec![key.to_string()], s.clone())],
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| match v {
                    Value::String(s) => Some((vec![key.to_string(), i.to_string()], s.clone())),
                    _ => {
                        self.report(
                            rules::INVALID_FIELD,
                            &[key, &i.to_string()],
                            format!("`{}` must hold only text", self.dotted(&[key])),
                            Some(format!("write e.g. `{key} = [\"…\", \"…\"]`")),
                        );
                        None
                    }
                })
                .collect(),
            Some(_) => {
                self.wrong_type(key, "text or a list of text", "[\"…\"]");
                vec![]
            }
        }
    }

    /// An array of tables (`[[extra.changes]]`), each as fields.
    pub(crate) fn tables(&self, key: &str) -> Vec<Fields<'s>> {
        let items = match self.get(key) {
            None => return vec![],
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.wrong_type(key, "a list of tables", "[{ … }]");
                return vec![];
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let index = i.to_string();
            match item {
                Value::Object(map) => {
                    let mut prefix = self.prefix.clone();
                    prefix.push(key.to_string());
                    prefix.push(index);
                    out.push(Fields {
                        map,
                        spot: self.spot,
                        prefix,
                        reporter: self.reporter,
                    });
                }
                _ => self.report(
                    rules::INVALID_FIELD,
                    &[key, &index],
                    format!("`{}` must hold tables", self.dotted(&[key])),
                    Some(format!(
                        "write each entry as `[[{}]]` with its keys",
                        self.dotted(&[key])
                    )),
                ),
            }
        }
        out
    }

    /// A sub-table (`classification = { k = 1 }`).
    pub(crate) fn table(&self, key: &str) -> Option<Fields<'s>> {
        match self.get(key)? {
            Value::Object(map) => {
                let mut prefix = self.prefix.clone();
                prefix.push(key.to_string());
                Some(Fields {
                    map,
                    spot: self.spot,
                    prefix,
                    reporter: self.reporter,
                })
            }
            _ => {
                self.wrong_type(key, "a table", "{ … }");
                None
            }
        }
    }
}
