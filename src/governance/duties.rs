//! Inline duties: `{% ansvar(roll="chef") %}…{% end %}` (also `role=`)
//! marks a passage of a page as a duty of a role. The n-th `ansvar` call of
//! a page (1-based, in document order, the inline `{{ ansvar(…) }}` form
//! counted too, as Zola's `nth` does) has the anchor `ansvar-{n}`, which
//! the shortcode template renders as the passage's id. The text is the body
//! with Markdown punctuation stripped.
//!
//! Recognises only the shortcode call syntax; must not render or parse
//! Markdown beyond stripping marks from the duty text.

use super::model::Duty;
use super::resolve::Resolver;
use super::rules::{Reporter, INVALID_DUTY, UNKNOWN_ROLE};
use crate::content::{Page, PageId};
use crate::diagnostics::Diagnostic;

/// The shortcode name.
pub(crate) const SHORTCODE: &str = "ansvar";

/// One `ansvar` call found in a body (offsets into the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Call {
    /// 1-based position among the page's ansvar calls.
    pub(crate) nth: usize,
    /// Offset of `{%` or `{{`.
    pub(crate) start: usize,
    /// The role id and the offset of its argument name (`roll`).
    pub(crate) role: Option<(String, usize)>,
    /// The body between the call and `{% end %}`; `None` for the inline
    /// form, or when `{% end %}` is missing (`closed` says which).
    pub(crate) body: Option<String>,
    /// False when a body call has no `{% end %}`.
    pub(crate) closed: bool,
}

/// Finds every ansvar call in a Markdown body.
pub(crate) fn scan(body: &str) -> Vec<Call> {
    let mut calls = Vec::new();
    let mut pos = 0;
    // The `memchr` crate's search (SIMD) rather than `str::find`'s: every
    // page's body is scanned each time the model is made, which `serve`
    // does on each front-matter edit.
    while let Some(found) = memchr::memchr(b'{', &body.as_bytes()[pos..]) {
        let start = pos + found;
        pos = start + 1;
        let rest = &body[start..];
        let block = rest.starts_with("{%");
        if !(block || rest.starts_with("{{")) {
            continue;
        }
        let inner = rest[2..].trim_start_matches(['-', ' ', '\t', '\n', '\r']);
        let Some(after_name) = inner.strip_prefix(SHORTCODE) else {
            continue;
        };
        let Some(args_text) = after_name.trim_start().strip_prefix('(') else {
            continue;
        };
        let args_start = body.len() - args_text.len();
        let Some((role, args_end)) = parse_args(body, args_start) else {
            continue;
        };
        let close = if block { "%}" } else { "}}" };
        let after_args = &body[args_end..];
        let Some(close_at) = after_args.find(close) else {
            continue;
        };
        if !after_args[..close_at]
            .trim_matches(['-', ' ', '\t'])
            .is_empty()
        {
            continue;
        }
        let call_end = args_end + close_at + close.len();
        let (text, closed) = if block {
            match find_end(body, call_end) {
                Some((end_start, end_len)) => {
                    pos = end_start + end_len;
                    (Some(body[call_end..end_start].to_string()), true)
                }
                None => (None, false),
            }
        } else {
            pos = call_end;
            (None, true)
        };
        calls.push(Call {
            nth: calls.len() + 1,
            start,
            role,
            body: text,
            closed,
        });
    }
    calls
}

/// Parses `name="value", …)` from `at`; returns the role argument and the
/// offset after `)`.
fn parse_args(body: &str, at: usize) -> Option<(Option<(String, usize)>, usize)> {
    let bytes = body.as_bytes();
    let mut i = at;
    let mut role = None;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() || bytes.get(i) == Some(&b',') {
            i += 1;
        }
        match bytes.get(i)? {
            b')' => return Some((role, i + 1)),
            c if c.is_ascii_alphabetic() || *c == b'_' => {}
            _ => return None,
        }
        let name_start = i;
        while bytes
            .get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            i += 1;
        }
        let name = &body[name_start..i];
        while bytes.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        if bytes.get(i)? != &b'=' {
            return None;
        }
        i += 1;
        while bytes.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        let value = match bytes.get(i)? {
            q @ (b'"' | b'\'' | b'`') => {
                let end = body[i + 1..].find(*q as char)? + i + 1;
                let v = body[i + 1..end].to_string();
                i = end + 1;
                v
            }
            _ => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|c| !matches!(c, b',' | b')') && !c.is_ascii_whitespace())
                {
                    i += 1;
                }
                body[start..i].to_string()
            }
        };
        if (name == "roll" || name == "role") && role.is_none() {
            role = Some((value, name_start));
        }
    }
}

/// The next `{% end %}` after `from`: (offset, length).
fn find_end(body: &str, from: usize) -> Option<(usize, usize)> {
    let mut pos = from;
    while let Some(found) = body[pos..].find("{%") {
        let start = pos + found;
        let rest = &body[start + 2..];
        let inner = rest.trim_start_matches(['-', ' ', '\t']);
        if let Some(after) = inner.strip_prefix("end") {
            let after_trim = after.trim_start_matches(['-', ' ', '\t']);
            if after_trim.starts_with("%}") {
                let len = 2 + (rest.len() - after_trim.len()) + 2;
                return Some((start, len));
            }
        }
        pos = start + 2;
    }
    None
}

/// Markdown marks removed, whitespace collapsed: the duty as plain text.
pub(crate) fn strip_markdown(text: &str) -> String {
    let mut lines = Vec::new();
    for line in text.lines() {
        let mut l = line.trim();
        l = l.trim_start_matches('#').trim_start();
        while let Some(rest) = l.strip_prefix('>') {
            l = rest.trim_start();
        }
        for marker in ["- ", "* ", "+ "] {
            if let Some(rest) = l.strip_prefix(marker) {
                l = rest;
            }
        }
        let digits = l.len() - l.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && l[digits..].starts_with(". ") {
            l = &l[digits + 2..];
        }
        lines.push(inline_text(l));
    }
    lines
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Links and images to their text; emphasis, code marks and tags dropped.
fn inline_text(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '!' if chars.get(i + 1) == Some(&'[') => i += 1,
            '[' | '*' | '`' => i += 1,
            ']' => {
                i += 1;
                if chars.get(i) == Some(&'(') {
                    // Skip the link target.
                    let close = chars[i..].iter().position(|c| *c == ')');
                    i = close.map_or(chars.len(), |p| i + p + 1);
                }
            }
            '_' => {
                let prev = i.checked_sub(1).and_then(|p| chars.get(p));
                let next = chars.get(i + 1);
                let inside_word = prev.is_some_and(|c| c.is_alphanumeric())
                    && next.is_some_and(|c| c.is_alphanumeric());
                if inside_word {
                    out.push('_');
                }
                i += 1;
            }
            '<' => {
                let close = chars[i..].iter().position(|c| *c == '>');
                match close {
                    Some(p)
                        if chars
                            .get(i + 1)
                            .is_some_and(|c| c.is_ascii_alphabetic() || *c == '/') =>
                    {
                        i += p + 1;
                    }
                    _ => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The duties of one page; unknown roles and malformed calls are reported
/// at the exact `roll="…"` (or the call).
pub(crate) fn extract(
    id: PageId,
    page: &Page,
    resolver: &Resolver<'_>,
    reporter: Reporter<'_>,
) -> Vec<Duty> {
    let base = page.body_offset;
    let mut duties = Vec::new();
    for call in scan(page.body()) {
        if !call.closed {
            reporter.push(
                INVALID_DUTY,
                Diagnostic::error(INVALID_DUTY.code, "`ansvar` has no `{% end %}`")
                    .at(&page.source, base + call.start)
                    .with_help("end the passage with `{% end %}`"),
            );
            continue;
        }
        let role = match &call.role {
            None => {
                reporter.push(
                    INVALID_DUTY,
                    Diagnostic::error(INVALID_DUTY.code, "`ansvar` names no role")
                        .at(&page.source, base + call.start)
                        .with_help("write `{% ansvar(roll=\"isam\") %}`"),
                );
                None
            }
            Some((role, _)) if resolver.is_role(role.trim()) => Some(role.trim().to_string()),
            Some((role, at)) => {
                reporter.push(
                    UNKNOWN_ROLE,
                    Diagnostic::error(
                        UNKNOWN_ROLE.code,
                        format!("unknown role `{role}` in `ansvar`"),
                    )
                    .at(&page.source, base + at)
                    .with_help(resolver.role_help(role)),
                );
                None
            }
        };
        duties.push(Duty {
            page: id,
            anchor: format!("ansvar-{}", call.nth),
            role,
            text: strip_markdown(call.body.as_deref().unwrap_or("")),
        });
    }
    duties
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_calls_in_order_with_roles_and_bodies() {
        let body = "Intro.\n\n{% ansvar(roll=\"isam\") %}\nISAM **ansvarar** för [översynen](@/a.md).\n{% end %}\n\n{{ ansvar(role='chef') }}\n\n{%ansvar( roll = \"dso\", kind=\"x\" )%}\n- punkt ett\n- `kod`\n{%end%}\n";
        let calls = scan(body);
        assert_eq!(calls.len(), 3);
        assert_eq!(calls[0].nth, 1);
        assert_eq!(calls[0].role.as_ref().map(|r| r.0.as_str()), Some("isam"));
        let at = calls[0].role.as_ref().map(|r| r.1).unwrap_or(0);
        assert!(body[at..].starts_with("roll=\"isam\""));
        assert_eq!(
            strip_markdown(calls[0].body.as_deref().unwrap_or("")),
            "ISAM ansvarar för översynen."
        );
        assert_eq!(calls[1].body, None);
        assert_eq!(calls[1].role.as_ref().map(|r| r.0.as_str()), Some("chef"));
        assert_eq!(calls[2].nth, 3);
        assert_eq!(
            strip_markdown(calls[2].body.as_deref().unwrap_or("")),
            "punkt ett kod"
        );
    }

    #[test]
    fn ignores_other_shortcodes_escaped_calls_and_text() {
        let body =
            "{% note() %}x{% end %} {{/* ansvar(roll=\"a\") */}} {ansvar} ansvar(roll=\"b\")";
        assert!(scan(body).is_empty());
    }

    #[test]
    fn an_unclosed_call_is_reported_as_such() {
        let calls = scan("{% ansvar(roll=\"isam\") %}\ntext");
        assert_eq!(calls.len(), 1);
        assert!(!calls[0].closed);
    }

    proptest::proptest! {
        #[test]
        fn scanning_and_stripping_never_panic(tail in "\\PC{0,60}", args in "[ a-zÅÄÖåäö=\"',()…\u{a0}\u{85}]{0,30}") {
            let body = format!("{{% ansvar({args}) %}}{tail}{{% end %}}{{{{ ansvar({args}{tail}");
            for call in scan(&body) {
                let _ = strip_markdown(call.body.as_deref().unwrap_or(""));
            }
            let _ = strip_markdown(&tail);
        }
    }

    #[test]
    fn an_unquoted_non_ascii_argument_is_read_whole() {
        let calls = scan("{% ansvar(roll=Åsa) %}x{% end %}");
        assert_eq!(calls[0].role.as_ref().map(|r| r.0.as_str()), Some("Åsa"));
    }

    #[test]
    fn strips_markdown_marks() {
        assert_eq!(
            strip_markdown(
                "## Rubrik\n> Citat med _kursiv_ och snake_case\n1. Ett ![bild](x.png) <b>fet</b>"
            ),
            "Rubrik Citat med kursiv och snake_case Ett bild fet"
        );
    }
}
