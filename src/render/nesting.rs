//! Bounding how deeply a template's source nests, before Tera parses it:
//! Tera's parser and renderer recurse once per nested tag (`{% if %}`
//! inside `{% if %}`) and per nested bracket of an expression, so a few
//! kilobytes of `{% if true %}` or `((((` would overflow the stack and
//! abort the process. No real theme nests anywhere near [`MAX_NESTING`].
//!
//! Reads source text only; must not parse or render with Tera.

/// The deepest nesting of tags, and of brackets within one tag, that a
/// template may have.
pub(crate) const MAX_NESTING: usize = 100;

/// Tags that open a body closed by an `end…` tag.
const OPENERS: &[&str] = &["if", "for", "block", "macro", "filter"];

/// The byte offset of the first tag or bracket nested deeper than
/// [`MAX_NESTING`], if any.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    let mut open_tags = 0usize;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'{', &text.as_bytes()[at..]) {
        let start = at + found;
        let rest = &text[start..];
        let close = if rest.starts_with("{{") {
            "}}"
        } else if rest.starts_with("{%") {
            "%}"
        } else if rest.starts_with("{#") {
            "#}"
        } else {
            at = start + 1;
            continue;
        };
        let len = rest[2..].find(close)?;
        let inner = &rest[2..2 + len];
        at = start + 2 + len + 2;
        if close == "#}" {
            continue;
        }
        if brackets_too_deep(inner) {
            return Some(start);
        }
        if close != "%}" {
            continue;
        }
        let word = inner
            .trim_matches(|c: char| c == '-' || c.is_whitespace())
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .next()
            .unwrap_or_default();
        if word == "raw" {
            // A raw body is text: skip to its end tag.
            match text[at..].find("endraw") {
                Some(end) => at += end,
                None => return None,
            }
        } else if OPENERS.contains(&word) {
            open_tags += 1;
            if open_tags > MAX_NESTING {
                return Some(start);
            }
        } else if word.starts_with("end") {
            open_tags = open_tags.saturating_sub(1);
        }
    }
    None
}

/// True if the brackets of one tag's expression nest too deeply (quoted
/// strings skipped).
fn brackets_too_deep(expr: &str) -> bool {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in expr.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return true;
                }
            }
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_templates_pass() {
        let t = "{% if a %}{% for x in y %}{{ (x + (1)) | f(a=[1, [2]]) }}{% endfor %}{% endif %}\
                 {% raw %}{% if %}{% if %}{% endraw %}(((( text";
        assert_eq!(too_deep(t), None);
    }

    #[test]
    fn deeply_nested_tags_are_found_at_the_first_too_deep() {
        let n = MAX_NESTING + 1;
        let t = format!("x{}y{}", "{% if true %}".repeat(n), "{% endif %}".repeat(n));
        assert_eq!(too_deep(&t), Some(1 + MAX_NESTING * "{% if true %}".len()));
        let fine = "{% if true %}{% endif %}".repeat(10 * MAX_NESTING);
        assert_eq!(too_deep(&fine), None);
    }

    #[test]
    fn deeply_nested_brackets_are_found_but_not_in_strings_or_text() {
        let n = MAX_NESTING + 1;
        let deep = format!("a{{{{ {}1{} }}}}", "(".repeat(n), ")".repeat(n));
        assert_eq!(too_deep(&deep), Some(1));
        let quoted = format!("{{{{ \"{}\" }}}}", "(".repeat(n));
        assert_eq!(too_deep(&quoted), None);
        assert_eq!(too_deep(&"(".repeat(n)), None);
    }
}
