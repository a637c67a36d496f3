//! The three HTML escapes Zola's output is made of: pulldown-cmark's
//! attribute escape, its body-text escape, and Tera's `escape_html` (used by
//! Zola ≤0.21 for code blocks). Matching them keeps byte-identical output.
//!
//! Owns only escaping. Must not know about the document.

/// Appends `s` to `out` with each byte `replace` names replaced. Copies
/// the runs between replacements whole: every escaped character is ASCII,
/// so a run always ends on a character boundary, and pushing character by
/// character was a tenth of rendering Markdown.
fn escape_with(out: &mut String, s: &str, replace: impl Fn(u8) -> Option<&'static str>) {
    out.reserve(s.len());
    let mut run = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if let Some(with) = replace(b) {
            out.push_str(&s[run..i]);
            out.push_str(with);
            run = i + 1;
        }
    }
    out.push_str(&s[run..]);
}

/// pulldown-cmark's `escape_html`: `"` `&` `'` `<` `>` (for attributes).
pub(crate) fn escape_attr(out: &mut String, s: &str) {
    escape_with(out, s, |b| match b {
        b'"' => Some("&quot;"),
        b'&' => Some("&amp;"),
        b'\'' => Some("&#39;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        _ => None,
    });
}

/// pulldown-cmark's `escape_html_body_text`: only `&` `<` `>`, so quotes in
/// prose stay as typed (`<p>Block code "fences"</p>`).
pub(crate) fn escape_body(out: &mut String, s: &str) {
    escape_with(out, s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        _ => None,
    });
}

/// Tera's `escape_html`, which Zola ≤0.21 applies to unhighlighted code:
/// also escapes `'` as `&#x27;` and `/` as `&#x2F;`.
pub(crate) fn escape_tera(out: &mut String, s: &str) {
    escape_with(out, s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#x27;"),
        b'/' => Some("&#x2F;"),
        _ => None,
    });
}

/// [`escape_attr`] into a new string.
pub(crate) fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_attr(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_escape_matches_its_zola_counterpart() {
        let s = r#"a<b>&"c'/"#;
        assert_eq!(attr(s), "a&lt;b&gt;&amp;&quot;c&#39;/");
        let mut body = String::new();
        escape_body(&mut body, s);
        assert_eq!(body, r#"a&lt;b&gt;&amp;"c'/"#);
        let mut tera = String::new();
        escape_tera(&mut tera, s);
        assert_eq!(tera, "a&lt;b&gt;&amp;&quot;c&#x27;&#x2F;");
    }

    proptest::proptest! {
        /// Copying runs gives what escaping character by character does,
        /// whatever letters (Swedish, emoji) stand next to the escapes.
        #[test]
        fn escaping_by_runs_matches_escaping_each_character(s in "[a-zåäöÅÄÖ€😀&<>\"'/ ]{0,40}") {
            let each = |table: &[(char, &str)]| -> String {
                s.chars()
                    .map(|c| table.iter().find(|(k, _)| *k == c).map_or(c.to_string(), |(_, v)| v.to_string()))
                    .collect()
            };
            let mut body = String::new();
            escape_body(&mut body, &s);
            proptest::prop_assert_eq!(body, each(&[('&', "&amp;"), ('<', "&lt;"), ('>', "&gt;")]));
            proptest::prop_assert_eq!(
                attr(&s),
                each(&[('"', "&quot;"), ('&', "&amp;"), ('\'', "&#39;"), ('<', "&lt;"), ('>', "&gt;")])
            );
            let mut tera = String::new();
            escape_tera(&mut tera, &s);
            proptest::prop_assert_eq!(
                tera,
                each(&[('&', "&amp;"), ('<', "&lt;"), ('>', "&gt;"), ('"', "&quot;"), ('\'', "&#x27;"), ('/', "&#x2F;")])
            );
        }
    }
}
