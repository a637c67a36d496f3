//! Heading ids, classes, plain-text titles and anchor links, the way Zola
//! makes them with pulldown-cmark's heading attributes.
//!
//! Owns: finding `{#id .class}` blocks at the end of heading lines, choosing
//! unique ids (`x`, `x-1`, `x-2`…), and the opening/closing HTML of each
//! heading. Must not nest the table of contents (see `toc`) or render links.

use super::escape;
use super::position::BodyPositions;
use crate::config::InsertAnchor;
use comrak::nodes::{AstNode, NodeValue};
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// What an explicit `{…}` block at the end of a heading line asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HeadingAttributes {
    /// `#id`: kept exactly as written (not slugified).
    pub(crate) id: Option<String>,
    /// `.class` entries, in order.
    pub(crate) classes: Vec<String>,
}

/// The byte range of a trailing attribute block in one heading line, found
/// as pulldown-cmark does: after trailing whitespace (and an ATX closing
/// sequence) the line must end with `}`, and scanning back over anything but
/// `{ } < > \` must reach `{`.
pub(crate) fn find_attribute_block(line: &str, atx: bool) -> Option<(usize, usize)> {
    let bytes = line.as_bytes();
    let mut end = trim_end_ws(bytes, bytes.len());
    if atx {
        let hashes = bytes[..end]
            .iter()
            .rev()
            .take_while(|b| **b == b'#')
            .count();
        if hashes > 0 {
            let before = end - hashes;
            if before == 0 || matches!(bytes[before - 1], b' ' | b'\t') {
                end = trim_end_ws(bytes, before);
            }
        }
    }
    if end == 0 || bytes[end - 1] != b'}' {
        return None;
    }
    let close = end - 1;
    let mut i = close;
    while i > 0
        && !matches!(
            bytes[i - 1],
            b'{' | b'}' | b'<' | b'>' | b'\\' | b'\n' | b'\r'
        )
    {
        i -= 1;
    }
    if i == 0 || bytes[i - 1] != b'{' {
        return None;
    }
    Some((i - 1, close + 1))
}

fn trim_end_ws(bytes: &[u8], mut end: usize) -> usize {
    while end > 0 && matches!(bytes[end - 1], b' ' | b'\t' | b'\n' | b'\r') {
        end -= 1;
    }
    end
}

/// Parses the inside of an attribute block (pulldown-cmark's rules: tokens
/// split on ASCII whitespace, `#x` sets the id (last wins), `.x` adds a
/// class, anything else is ignored by Zola).
pub(crate) fn parse_attribute_block(inside: &str) -> HeadingAttributes {
    let mut attrs = HeadingAttributes::default();
    for token in inside.split_ascii_whitespace() {
        if token.len() < 2 {
            continue;
        }
        if let Some(id) = token.strip_prefix('#') {
            attrs.id = Some(id.to_string());
        } else if let Some(class) = token.strip_prefix('.') {
            attrs.classes.push(class.to_string());
        }
    }
    attrs
}

/// The attribute blocks of every heading in a parsed document, with the
/// body text where those blocks are blanked out (same length, so every
/// source position stays valid). `None` when no heading has a block.
pub(crate) fn strip_attribute_blocks<'a>(
    root: &'a AstNode<'a>,
    body: &str,
    positions: &BodyPositions,
) -> Option<(String, Vec<(usize, HeadingAttributes)>)> {
    let mut found = Vec::new();
    for node in root.descendants() {
        let data = node.data();
        let NodeValue::Heading(heading) = &data.value else {
            continue;
        };
        let sp = data.sourcepos;
        let line_no = if heading.setext {
            sp.end.line.saturating_sub(1)
        } else {
            sp.start.line
        };
        let Some((line_start, line)) = positions.line(body, line_no) else {
            continue;
        };
        if let Some((open, close)) = find_attribute_block(line, !heading.setext) {
            // Blanking a setext line that holds only the block would leave a
            // blank line, which ends the heading's paragraph and changes the
            // document; such a block stays text (a rare deviation).
            if heading.setext && line[..open].chars().all(|c| c.is_whitespace() || c == '>') {
                continue;
            }
            let inside = line.get(open + 1..close - 1).unwrap_or("");
            found.push((
                sp.start.line,
                line_start + open,
                line_start + close,
                parse_attribute_block(inside),
            ));
        }
    }
    if found.is_empty() {
        return None;
    }
    let mut bytes = body.as_bytes().to_vec();
    for (_, from, to, _) in &found {
        for b in bytes.get_mut(*from..*to).into_iter().flatten() {
            *b = b' ';
        }
    }
    // Blanking whole `{…}` ranges of a valid string with ASCII spaces only
    // removes complete characters, so the result is still UTF-8.
    let text = String::from_utf8(bytes).ok()?;
    Some((
        text,
        found
            .into_iter()
            .map(|(line, _, _, attrs)| (line, attrs))
            .collect(),
    ))
}

/// Zola's heading title: the text and inline code of the heading, without
/// markup, HTML or footnote references.
pub(crate) fn plain_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut title = String::new();
    for child in node.descendants().skip(1) {
        match &child.data().value {
            NodeValue::Text(text) => title.push_str(text),
            NodeValue::Code(code) => title.push_str(&code.literal),
            NodeValue::ShortCode(sc) => title.push_str(&sc.emoji),
            _ => {}
        }
    }
    title
}

/// Unique ids for a page's headings, in document order: explicit ids are
/// reserved first, then each generated slug takes the first free of `slug`,
/// `slug-1`, `slug-2`… (Zola's `find_anchor`).
pub(crate) fn assign_ids(wanted: &[(Option<String>, String)]) -> Vec<String> {
    assign_ids_counting(wanted).0
}

/// [`assign_ids`], also counting the candidate ids it tried. Each slug
/// remembers the next suffix to try: ids are only ever added, so every
/// smaller suffix is still taken, and n equal headings cost O(n) probes
/// rather than O(n²).
fn assign_ids_counting(wanted: &[(Option<String>, String)]) -> (Vec<String>, usize) {
    let mut taken: HashSet<String> = wanted.iter().filter_map(|(id, _)| id.clone()).collect();
    let mut next_suffix: HashMap<&str, usize> = HashMap::new();
    let mut probes = 0;
    let ids = wanted
        .iter()
        .map(|(explicit, slug)| {
            let id = match explicit {
                Some(id) => id.clone(),
                None => {
                    let n = next_suffix.entry(slug.as_str()).or_insert(0);
                    free_anchor(&taken, slug, n, &mut probes)
                }
            };
            taken.insert(id.clone());
            id
        })
        .collect();
    (ids, probes)
}

/// The first free of `slug` (when `*n` is 0) and `slug-n`, `slug-(n+1)`…;
/// leaves `*n` at the suffix after the one returned.
fn free_anchor(taken: &HashSet<String>, slug: &str, n: &mut usize, probes: &mut usize) -> String {
    loop {
        *probes += 1;
        let candidate = if *n == 0 {
            slug.to_string()
        } else {
            format!("{slug}-{n}")
        };
        *n += 1;
        if !taken.contains(&candidate) {
            return candidate;
        }
    }
}

/// The HTML written around one heading's content.
#[derive(Debug, Clone, Default)]
pub(crate) struct HeadingHtml {
    /// `<h2 id="…" class="…">` plus a left anchor or the opening `<a>`.
    pub(crate) open: String,
    /// A right anchor or `</a>`, then `</h2>` and a newline.
    pub(crate) close: String,
}

/// Builds a heading's HTML in Zola's shape. `anchor` is the rendered
/// `anchor-link.html` (already produced when `insert` is not `None`).
pub(crate) fn heading_html(
    level: u32,
    id: &str,
    classes: &[String],
    insert: InsertAnchor,
    anchor: Option<&str>,
) -> HeadingHtml {
    let mut open = format!("<h{level} id=\"");
    escape::escape_attr(&mut open, id);
    open.push('"');
    if !classes.is_empty() {
        open.push_str(" class=\"");
        open.push_str(&escape::attr(&classes.join(" ")));
        open.push('"');
    }
    open.push('>');
    let mut close = String::new();
    if let Some(anchor) = anchor {
        match insert {
            InsertAnchor::Left => open.push_str(anchor),
            InsertAnchor::Right => close.push_str(anchor),
            InsertAnchor::Heading => {
                // Zola wraps the text in the template's opening `<a …>` tag
                // and only does so when the template has one.
                if let Some(tag) = opening_a_tag(anchor) {
                    open.push_str(tag);
                    close.push_str("</a>");
                }
            }
            InsertAnchor::None => {}
        }
    }
    close.push_str(&format!("</h{level}>\n"));
    HeadingHtml { open, close }
}

/// The opening tag of the first `<a …>…</a>` in a rendered anchor template.
fn opening_a_tag(html: &str) -> Option<&str> {
    static A_TAG: OnceLock<Option<Regex>> = OnceLock::new();
    let re = A_TAG
        .get_or_init(|| Regex::new(r"(?s)(<\s*a[^>]*>).*?<\s*/\s*a>").ok())
        .as_ref()?;
    re.captures(html)?.get(1).map(|m| m.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_blocks_follow_pulldown_cmark() {
        assert_eq!(
            find_attribute_block("# Hello {#hello}", true),
            Some((8, 16))
        );
        assert_eq!(
            find_attribute_block("# Hello{#hello}  ", true),
            Some((7, 15))
        );
        assert_eq!(find_attribute_block("# Hi {#x} ##", true), Some((5, 9)));
        assert_eq!(find_attribute_block("# Literal {#…&#125;", true), None);
        assert_eq!(find_attribute_block("# A <b>}", true), None);
        assert_eq!(find_attribute_block("# no braces", true), None);
        assert_eq!(find_attribute_block("#", true), None);
        let attrs = parse_attribute_block("#custom-id .a .b key=v #last x");
        assert_eq!(attrs.id.as_deref(), Some("last"));
        assert_eq!(attrs.classes, vec!["a", "b"]);
    }

    #[test]
    fn explicit_ids_are_reserved_before_generated_ones() {
        let wanted = vec![
            (None, "hello".to_string()),
            (None, "hello".to_string()),
            (Some("hello".to_string()), "hello".to_string()),
        ];
        assert_eq!(assign_ids(&wanted), vec!["hello-1", "hello-2", "hello"]);
    }

    #[test]
    fn ten_thousand_equal_headings_take_linear_work() {
        let n = 10_000;
        let wanted: Vec<(Option<String>, String)> = (0..n).map(|_| (None, "a".into())).collect();
        let (ids, probes) = assign_ids_counting(&wanted);
        assert_eq!(ids[0], "a");
        assert_eq!(ids[n - 1], format!("a-{}", n - 1));
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), n, "all distinct");
        assert!(probes <= 2 * n, "{probes} probes for {n} headings");
    }

    #[test]
    fn suffixes_skip_ids_taken_by_other_headings() {
        let wanted = vec![
            (None, "a".to_string()),
            (None, "a-1".to_string()),
            (None, "a".to_string()),
            (None, "a".to_string()),
            (Some("a-3".to_string()), "x".to_string()),
            (None, "a".to_string()),
        ];
        assert_eq!(
            assign_ids(&wanted),
            vec!["a", "a-1", "a-2", "a-4", "a-3", "a-5"]
        );
    }

    #[test]
    fn heading_mode_uses_only_the_opening_tag_of_the_template() {
        let html = heading_html(
            2,
            "a",
            &[],
            InsertAnchor::Heading,
            Some("<a class=\"zola-anchor\" href=\"#a\">🔗</a>"),
        );
        assert_eq!(
            html.open,
            "<h2 id=\"a\"><a class=\"zola-anchor\" href=\"#a\">"
        );
        assert_eq!(html.close, "</a></h2>\n");
        let plain = heading_html(2, "a", &[], InsertAnchor::Heading, Some("no link"));
        assert_eq!(plain.open, "<h2 id=\"a\">");
    }
}
