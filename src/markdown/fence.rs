//! Code fence annotations: `rust,linenos,linenostart=5,hl_lines=1 3-5,
//! hide_lines=2,name=main.rs,copy`, parsed as Zola ≤0.21 does.
//!
//! Owns only the parsing of the info string. Must not highlight.

use std::ops::RangeInclusive;

/// The settings of one fenced code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FenceSettings {
    /// The language token (the last bare token wins, as in Zola).
    pub(crate) language: Option<String>,
    /// `linenos`: wrap lines in a line-number table.
    pub(crate) line_numbers: bool,
    /// `linenostart=N` (default 1).
    pub(crate) line_number_start: usize,
    /// `hl_lines=…`: 1-based inclusive ranges to wrap in `<mark>`.
    pub(crate) highlight_lines: Vec<RangeInclusive<usize>>,
    /// `hide_lines=…`: 1-based inclusive ranges left out.
    pub(crate) hide_lines: Vec<RangeInclusive<usize>>,
    /// `name=…`: shown as `data-name`.
    pub(crate) name: Option<String>,
    /// `copy`: `data-copy` on `<pre>` (Zola 0.21).
    pub(crate) enable_copy: bool,
    /// `key=value` annotations Zola does not know (it warns about them).
    pub(crate) unknown: Vec<String>,
}

impl Default for FenceSettings {
    fn default() -> Self {
        FenceSettings {
            language: None,
            line_numbers: false,
            line_number_start: 1,
            highlight_lines: Vec::new(),
            hide_lines: Vec::new(),
            name: None,
            enable_copy: false,
            unknown: Vec::new(),
        }
    }
}

impl FenceSettings {
    /// Parses a fence info string; tokens are separated by commas.
    pub(crate) fn parse(info: &str) -> Self {
        let mut me = FenceSettings::default();
        for token in info.split(',') {
            let token = token.trim();
            let mut parts = token.split('=');
            let key = parts.next().unwrap_or("").trim();
            let value = parts.next();
            match key {
                "" => {}
                "linenos" => me.line_numbers = true,
                "linenostart" => {
                    if let Some(n) = value.and_then(|v| v.trim().parse().ok()) {
                        me.line_number_start = n;
                    }
                }
                "hl_lines" => me.highlight_lines.extend(parse_ranges(value)),
                "hide_lines" => me.hide_lines.extend(parse_ranges(value)),
                "name" => {
                    if let Some(n) = value {
                        me.name = Some(n.to_string());
                    }
                }
                "copy" => me.enable_copy = true,
                other if value.is_some() => me.unknown.push(other.to_string()),
                lang => me.language = Some(lang.to_string()),
            }
        }
        me
    }

    /// True when 1-based line `n` is hidden.
    pub(crate) fn is_hidden(&self, n: usize) -> bool {
        self.hide_lines.iter().any(|r| r.contains(&n))
    }

    /// True when 1-based line `n` is highlighted.
    pub(crate) fn is_highlighted(&self, n: usize) -> bool {
        self.highlight_lines.iter().any(|r| r.contains(&n))
    }
}

/// `1 3-5 8`: space-separated numbers and ranges; bad entries are skipped.
fn parse_ranges(value: Option<&str>) -> Vec<RangeInclusive<usize>> {
    value
        .unwrap_or("")
        .split(' ')
        .filter_map(|s| match s.split_once('-') {
            Some((from, to)) => {
                let (from, to): (usize, usize) = (from.parse().ok()?, to.parse().ok()?);
                Some(from.min(to)..=from.max(to))
            }
            None => s.parse().ok().map(|n| n..=n),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_are_parsed_like_zola() {
        let f = FenceSettings::parse(
            "rust,linenos,linenostart=5,hl_lines=1 3-5 x 9-7,hide_lines=2,name=main.rs,copy,wat=1",
        );
        assert_eq!(f.language.as_deref(), Some("rust"));
        assert!(f.line_numbers && f.enable_copy);
        assert_eq!(f.line_number_start, 5);
        assert_eq!(f.highlight_lines, vec![1..=1, 3..=5, 7..=9]);
        assert!(f.is_hidden(2) && !f.is_hidden(3));
        assert_eq!(f.name.as_deref(), Some("main.rs"));
        assert_eq!(f.unknown, vec!["wat"]);
        assert_eq!(FenceSettings::parse(""), FenceSettings::default());
    }
}
