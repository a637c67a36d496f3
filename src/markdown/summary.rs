//! The `<!-- more -->` split: the first marker (any case and spacing,
//! block or inline) becomes `<span id="continue-reading"></span>` in the
//! body, and everything before it is the summary, with footnote references
//! removed and the elements it cuts through closed.
//!
//! Owns finding the marker and cutting the summary. Must not render nodes.

use comrak::nodes::{AstNode, ListType, NodeValue};
use regex::Regex;
use std::sync::OnceLock;

/// What Zola writes where the marker was.
pub(crate) const CONTINUE_READING: &str = "<span id=\"continue-reading\"></span>";

/// Written by the renderer at the marker and replaced afterwards. Input
/// NUL bytes are replaced by comrak, so this cannot come from content.
pub(crate) const SENTINEL: &str = "\u{0}handbok-continue-reading\u{0}";

/// Zola's default `summary-cutoff.html` (with its final newline), appended
/// when the cut is inside an element.
const SUMMARY_CUTOFF: &str = "&hellip;\n";

fn more_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?is)<!--\s*more\s*-->").ok())
        .as_ref()
}

fn footnote_ref_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"<sup class="footnote-reference"><a href=\s*.*?>\s*.*?</a></sup>"#).ok()
    })
    .as_ref()
}

/// The byte range of the first marker in a piece of raw HTML.
pub(crate) fn find_marker(html: &str) -> Option<(usize, usize)> {
    more_re()?.find(html).map(|m| (m.start(), m.end()))
}

/// An HTML block with the line holding its marker replaced by the sentinel
/// (pulldown-cmark gives Zola one event per line of an HTML block).
pub(crate) fn replace_marker_line(literal: &str) -> String {
    let Some((start, end)) = find_marker(literal) else {
        return literal.to_string();
    };
    let line_start = literal[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = literal[end..]
        .find('\n')
        .map_or(literal.len(), |i| end + i + 1);
    format!(
        "{}{SENTINEL}{}",
        &literal[..line_start],
        &literal[line_end..]
    )
}

/// Closing tags, innermost first, for the elements that contain `node`, in
/// pulldown-cmark's shapes (paragraphs of tight lists have no tags).
pub(crate) fn closing_tags<'a>(node: &'a AstNode<'a>) -> Vec<String> {
    let mut tags = Vec::new();
    for ancestor in node.ancestors().skip(1) {
        let tag = match &ancestor.data().value {
            NodeValue::Paragraph if in_tight_list(ancestor) => continue,
            NodeValue::Paragraph => "</p>\n".to_string(),
            NodeValue::Heading(h) => format!("</h{}>\n", h.level),
            NodeValue::BlockQuote | NodeValue::Alert(_) => "</blockquote>\n".to_string(),
            NodeValue::List(l) if l.list_type == ListType::Ordered => "</ol>\n".to_string(),
            NodeValue::List(_) => "</ul>\n".to_string(),
            NodeValue::Item(_) | NodeValue::TaskItem(_) => "</li>\n".to_string(),
            NodeValue::Table(_) => "</tbody></table>\n".to_string(),
            NodeValue::TableRow(true) => "</tr></thead><tbody>\n".to_string(),
            NodeValue::TableRow(false) => "</tr>\n".to_string(),
            NodeValue::TableCell => match ancestor.parent().map(|r| r.data().value.clone()) {
                Some(NodeValue::TableRow(true)) => "</th>".to_string(),
                _ => "</td>".to_string(),
            },
            NodeValue::Emph => "</em>".to_string(),
            NodeValue::Strong => "</strong>".to_string(),
            NodeValue::Strikethrough => "</del>".to_string(),
            NodeValue::Superscript => "</sup>".to_string(),
            NodeValue::Link(_) => "</a>".to_string(),
            NodeValue::FootnoteDefinition(_) => "</div>\n".to_string(),
            NodeValue::DescriptionList => "</dl>\n".to_string(),
            NodeValue::DescriptionTerm => "</dt>\n".to_string(),
            NodeValue::DescriptionDetails => "</dd>\n".to_string(),
            _ => continue,
        };
        tags.push(tag);
    }
    tags
}

/// True for a paragraph directly inside an item of a tight list.
pub(crate) fn in_tight_list(paragraph: &AstNode<'_>) -> bool {
    let Some(item) = paragraph.parent() else {
        return false;
    };
    if !matches!(
        item.data().value,
        NodeValue::Item(_) | NodeValue::TaskItem(_)
    ) {
        return false;
    }
    let list = item.parent();
    list.is_some_and(|l| matches!(&l.data().value, NodeValue::List(nl) if nl.tight))
}

/// Splits rendered HTML at the sentinel: `(body, summary)`. Without a
/// sentinel the body is returned unchanged and there is no summary.
pub(crate) fn split(html: String, closers: &[String]) -> (String, Option<String>) {
    let Some(at) = html.find(SENTINEL) else {
        return (html, None);
    };
    let before = &html[..at];
    let mut summary = match footnote_ref_re() {
        Some(re) => re.replace_all(before, "").into_owned(),
        None => before.to_string(),
    };
    summary.truncate(summary.trim_end().len());
    if !closers.is_empty() {
        summary.push_str(SUMMARY_CUTOFF);
        for tag in closers {
            summary.push_str(tag);
        }
    }
    let body = html.replacen(SENTINEL, CONTINUE_READING, 1);
    (body, Some(summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_match_regardless_of_case_and_spacing() {
        for m in [
            "<!-- more -->",
            "<!--more-->",
            "<!-- MORE -->",
            "<!--\t MoRe \t-->",
        ] {
            assert!(find_marker(m).is_some(), "{m}");
        }
        assert!(find_marker("<!-- less -->").is_none());
        assert_eq!(replace_marker_line("<!-- more -->\n"), SENTINEL);
        assert_eq!(
            replace_marker_line("<div>\n<!-- more -->\n</div>\n"),
            format!("<div>\n{SENTINEL}</div>\n")
        );
    }
}
