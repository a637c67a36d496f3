//! Splitting a content file into front matter and body, and parsing the
//! front matter (TOML between `+++`, YAML between `---`) into Zola's page
//! and section fields. Errors are located in the original file.

use crate::diagnostics::{Diagnostic, SourceFile};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use indexmap::IndexMap;
use serde::{Deserialize, Deserializer};

/// Which syntax the front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Toml,
    Yaml,
}

/// The pieces of a content file, with byte offsets into the whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    pub(crate) format: Format,
    pub(crate) front_matter: &'a str,
    /// Byte offset of `front_matter` in the file.
    pub(crate) front_matter_offset: usize,
    pub(crate) body: &'a str,
    /// Byte offset of `body` in the file.
    pub(crate) body_offset: usize,
}

/// Splits a file into front matter and body. Leading whitespace before the
/// opening delimiter is allowed (Zola); a missing delimiter is an error.
pub(crate) fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    let (format, delim) = if rest.starts_with("+++") {
        (Format::Toml, "+++")
    } else if rest.starts_with("---") {
        (Format::Yaml, "---")
    } else {
        return Err((
            start,
            "the file has no front matter: it must start with `+++` (TOML) or `---` (YAML)".into(),
        ));
    };
    let after_open = start + delim.len();
    let open_line_end = match text[after_open..].find('\n') {
        Some(i) => after_open + i + 1,
        None => {
            return Err((
                start,
                format!("the front matter opened with `{delim}` is never closed"),
            ))
        }
    };
    if !text[after_open..open_line_end].trim().is_empty() {
        return Err((
            after_open,
            format!("nothing may follow the opening `{delim}` on its line"),
        ));
    }
    // The closing delimiter is a line that starts with the delimiter.
    let mut pos = open_line_end;
    loop {
        if pos >= text.len() {
            return Err((
                start,
                format!("the front matter opened with `{delim}` is never closed"),
            ));
        }
        let line_end = text[pos..]
            .find('\n')
            .map(|i| pos + i + 1)
            .unwrap_or(text.len());
        let line = &text[pos..line_end];
        if line.starts_with(delim) && line[delim.len()..].trim().is_empty() {
            let body_offset = line_end;
            return Ok(Split {
                format,
                front_matter: &text[open_line_end..pos],
                front_matter_offset: open_line_end,
                body: &text[body_offset..],
                body_offset,
            });
        }
        pos = line_end;
    }
}

/// Parses the front matter into `T`, locating errors in the original file.
pub(crate) fn parse<T: for<'de> Deserialize<'de>>(
    split: &Split<'_>,
    source: &SourceFile,
) -> Result<T, Diagnostic> {
    match split.format {
        Format::Toml => toml::from_str::<T>(split.front_matter).map_err(|e| {
            let offset = split.front_matter_offset
                + crate::diagnostics::toml_error_offset(split.front_matter, e.span(), e.message());
            Diagnostic::error("front-matter::invalid", e.message().trim().to_string())
                .at(source, offset)
                .with_help("fix the TOML front matter; see Zola's page and section documentation for the fields")
        }),
        Format::Yaml => super::yaml::from_str::<T>(split.front_matter).map_err(|e| {
            let offset = split.front_matter_offset + e.offset;
            Diagnostic::error("front-matter::invalid", e.message)
                .at(source, offset)
                .with_help("fix the YAML front matter; see Zola's page and section documentation for the fields")
        }),
    }
}

/// A date as written (TOML datetime or string), kept as text for templates
/// and parsed for sorting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateText(pub(crate) String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Toml(toml::value::Datetime),
            Text(String),
        }
        Ok(match Either::deserialize(d)? {
            Either::Toml(dt) => DateText(dt.to_string()),
            Either::Text(s) => DateText(s),
        })
    }
}

/// Parses the date forms Zola accepts: RFC 3339, a local date-time (taken
/// as UTC) or a plain `YYYY-MM-DD` (midnight UTC).
pub(crate) fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc).naive_utc());
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(dt);
        }
    }
    if let Ok(dt) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f %z") {
        return Some(dt.with_timezone(&Utc).naive_utc());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

fn yes() -> bool {
    true
}

/// Zola's page front matter. Unknown keys are ignored, as in Zola.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PageFrontMatter {
    #[serde(default)]
    pub(crate) title: Option<String>,
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) date: Option<DateText>,
    #[serde(default)]
    pub(crate) updated: Option<DateText>,
    #[serde(default)]
    pub(crate) weight: Option<usize>,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default = "yes")]
    pub(crate) render: bool,
    #[serde(default)]
    pub(crate) slug: Option<String>,
    #[serde(default)]
    pub(crate) path: Option<String>,
    #[serde(default)]
    pub(crate) aliases: Vec<String>,
    #[serde(default)]
    pub(crate) authors: Vec<String>,
    #[serde(default = "yes")]
    pub(crate) in_search_index: bool,
    #[serde(default)]
    pub(crate) template: Option<String>,
    #[serde(default)]
    pub(crate) taxonomies: IndexMap<String, Vec<String>>,
    #[serde(default)]
    pub(crate) extra: toml::Table,
}

/// Zola's section front matter. Unknown keys are errors, as in Zola.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SectionFrontMatter {
    #[serde(default)]
    pub(crate) title: Option<String>,
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default)]
    pub(crate) sort_by: SortBy,
    #[serde(default)]
    pub(crate) weight: usize,
    #[serde(default)]
    pub(crate) template: Option<String>,
    #[serde(default)]
    pub(crate) page_template: Option<String>,
    #[serde(default)]
    pub(crate) paginate_by: Option<usize>,
    #[serde(default)]
    pub(crate) paginate_path: Option<String>,
    #[serde(default)]
    pub(crate) paginate_reversed: bool,
    #[serde(default)]
    pub(crate) insert_anchor_links: Option<String>,
    #[serde(default = "yes")]
    pub(crate) in_search_index: bool,
    #[serde(default = "yes")]
    pub(crate) render: bool,
    #[serde(default)]
    pub(crate) redirect_to: Option<String>,
    #[serde(default)]
    pub(crate) transparent: bool,
    #[serde(default)]
    pub(crate) aliases: Vec<String>,
    #[serde(default)]
    pub(crate) generate_feeds: bool,
    /// Pre-0.19 spelling.
    #[serde(default)]
    pub(crate) generate_feed: bool,
    #[serde(default)]
    pub(crate) extra: toml::Table,
}

impl Default for SectionFrontMatter {
    fn default() -> Self {
        SectionFrontMatter {
            title: None,
            description: None,
            draft: false,
            sort_by: SortBy::None,
            weight: 0,
            template: None,
            page_template: None,
            paginate_by: None,
            paginate_path: None,
            paginate_reversed: false,
            insert_anchor_links: None,
            in_search_index: true,
            render: true,
            redirect_to: None,
            transparent: false,
            aliases: vec![],
            generate_feeds: false,
            generate_feed: false,
            extra: toml::Table::new(),
        }
    }
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SortBy {
    #[default]
    None,
    Date,
    UpdateDate,
    Title,
    TitleBytes,
    Weight,
    Slug,
    Permalink,
}

/// A TOML value as JSON for templates; datetimes become their text.
pub(crate) fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(a) => serde_json::Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => table_to_json(t),
    }
}

/// A TOML table as a JSON object, keeping key order.
pub(crate) fn table_to_json(table: &toml::Table) -> serde_json::Value {
    serde_json::Value::Object(
        table
            .iter()
            .map(|(k, v)| (k.clone(), toml_to_json(v)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_toml_and_yaml() {
        let s = split("+++\ntitle = \"a\"\n+++\nbody").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            (s.format, s.front_matter, s.body, s.body_offset),
            (Format::Toml, "title = \"a\"\n", "body", 20)
        );
        let s = split("\n---\ntitle: a\n---\n").unwrap();
        assert_eq!(
            (s.format, s.front_matter, s.body),
            (Format::Yaml, "title: a\n", "")
        );
        assert!(split("no front matter").is_err());
        assert!(split("+++\ntitle = 1\n").is_err());
    }

    #[test]
    fn dates_in_all_zola_forms() {
        for s in [
            "2025-03-12",
            "2025-03-12T10:00:00",
            "2025-03-12T10:00:00Z",
            "2025-03-12T10:00:00+01:00",
            "2025-03-12 10:00:00",
        ] {
            assert!(parse_datetime(s).is_some(), "{s}");
        }
        assert!(parse_datetime("12 mars 2025").is_none());
    }

    #[test]
    fn toml_dates_are_kept_as_text() {
        let s = split("+++\ndate = 2025-03-12\n[extra]\napproved = 2024-01-01\n+++\n").unwrap();
        let fm: PageFrontMatter = parse(&s, &SourceFile::new("a.md", "")).unwrap();
        assert_eq!(fm.date, Some(DateText("2025-03-12".into())));
        assert_eq!(table_to_json(&fm.extra)["approved"], "2024-01-01");
    }

    #[test]
    fn section_rejects_unknown_keys_with_location() {
        let text = "+++\ntitle = \"x\"\nsort = \"date\"\n+++\n";
        let s = split(text).unwrap();
        let err = parse::<SectionFrontMatter>(&s, &SourceFile::new("_index.md", text)).unwrap_err();
        assert_eq!(err.position.map(|p| p.line), Some(3));
    }

    proptest! {
        #[test]
        fn split_never_panics_and_keeps_the_body(text in "\\PC{0,200}", body in "\\PC{0,50}") {
            let _ = split(&text);
            let doc = format!("+++\ntitle = \"t\"\n+++\n{body}");
            let s = split(&doc).unwrap();
            prop_assert_eq!(s.body, body.as_str());
            prop_assert_eq!(&doc[s.body_offset..], body.as_str());
        }
    }
}
