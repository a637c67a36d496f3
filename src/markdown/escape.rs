//! The three HTML escapes Zola's output is made of: pulldown-cmark's
//! attribute escape, its body-text escape, and Tera's `escape_html` (used by
//! Zola ≤0.21 for code blocks). Matching them keeps byte-identical output.
//!
//! Owns only escaping. Must not know about the document.

/// pulldown-cmark's `escape_html`: `"` `&` `'` `<` `>` (for attributes).
pub(crate) fn escape_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// pulldown-cmark's `escape_html_body_text`: only `&` `<` `>`, so quotes in
/// prose stay as typed (`<p>Block code "fences"</p>`).
pub(crate) fn escape_body(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// Tera's `escape_html`, which Zola ≤0.21 applies to unhighlighted code:
/// also escapes `'` as `&#x27;` and `/` as `&#x2F;`.
pub(crate) fn escape_tera(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '/' => out.push_str("&#x2F;"),
            c => out.push(c),
        }
    }
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
}
