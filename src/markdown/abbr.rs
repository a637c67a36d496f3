//! Glossary marking: the first use of each term on a page becomes
//! `<a class="term" href="…"><abbr title="…">TERM</abbr></a>`, never inside
//! code, links, headings, existing abbreviations, scripts or styles.
//!
//! Works on rendered HTML (comrak's well-formed output), tracking which
//! elements the scanner is inside; it never panics and never changes
//! markup, only text.

/// One term to mark, already resolved by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AbbrTerm {
    /// The term as written, e.g. `ISAM` or `Informationsklassning`.
    pub(crate) term: String,
    /// The `title` of the `<abbr>`: what the term stands for.
    pub(crate) title: String,
    /// Link to the glossary entry.
    pub(crate) href: String,
}

/// Elements whose text is never marked.
const SKIP: &[&str] = &[
    "a", "code", "pre", "kbd", "samp", "abbr", "h1", "h2", "h3", "h4", "h5", "h6", "script",
    "style", "svg", "title", "textarea", "button",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Abbreviations (all capitals or digits, like `ISAM`, `NIS2`) match
/// case-sensitively as whole words; other terms match case-insensitively
/// at a word start and may carry a Swedish inflection suffix
/// (`informationsklassningen`).
fn find_term(text: &str, term: &str) -> Option<(usize, usize)> {
    if term.is_empty() {
        return None;
    }
    let is_abbr = term.chars().all(|c| !c.is_lowercase());
    let hay: std::borrow::Cow<'_, str> = if is_abbr {
        text.into()
    } else {
        text.to_lowercase().into()
    };
    let needle: std::borrow::Cow<'_, str> = if is_abbr {
        term.into()
    } else {
        term.to_lowercase().into()
    };
    // Lowercasing can change byte lengths; only use it when it does not.
    if hay.len() != text.len() {
        return None;
    }
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|h| h.find(needle.as_ref())) {
        let start = from + i;
        let end = start + needle.len();
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c));
        let mut stop = end;
        if !is_abbr && term.chars().count() >= 6 {
            // Allow a Swedish inflection ending (-en, -ar, -arna, -s, …),
            // but not a compound's second half.
            let suffix: usize = text[end..]
                .chars()
                .take_while(|c| c.is_lowercase())
                .map(char::len_utf8)
                .sum();
            if text[end..end + suffix].chars().count() <= 4 {
                stop += suffix;
            }
        }
        let after_ok = text[stop..].chars().next().is_none_or(|c| !is_word_char(c));
        if before_ok && after_ok {
            return Some((start, stop));
        }
        from = end;
    }
    None
}

/// Marks the first use of each term in `html`.
pub(crate) fn mark_terms(html: &str, terms: &[AbbrTerm]) -> String {
    if terms.is_empty() {
        return html.to_string();
    }
    let mut done = vec![false; terms.len()];
    let mut out = String::with_capacity(html.len() + 256);
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(tag_body) = rest.strip_prefix('<') {
            let end = tag_body.find('>').map(|i| i + 2).unwrap_or(rest.len());
            let tag = &rest[..end];
            track(&mut stack, tag);
            out.push_str(tag);
            rest = &rest[end..];
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..end];
        rest = &rest[end..];
        if stack.iter().any(|t| SKIP.contains(&t.as_str())) || done.iter().all(|d| *d) {
            out.push_str(text);
            continue;
        }
        out.push_str(&mark_text(text, terms, &mut done));
    }
    out
}

/// Marks terms in one text node (entity-escaped text from comrak).
fn mark_text(text: &str, terms: &[AbbrTerm], done: &mut [bool]) -> String {
    // Earliest match first, longest term on ties; repeat on the rest.
    let mut out = String::new();
    let mut rest = text;
    loop {
        let best = terms
            .iter()
            .enumerate()
            .filter(|(i, _)| !done[*i])
            .filter_map(|(i, t)| {
                find_term(rest, &t.term).map(|(s, e)| (s, std::cmp::Reverse(e - s), i, e))
            })
            .min();
        let Some((start, _, i, end)) = best else {
            out.push_str(rest);
            return out;
        };
        done[i] = true;
        let t = &terms[i];
        out.push_str(&rest[..start]);
        out.push_str(&format!(
            "<a class=\"term\" href=\"{}\"><abbr title=\"{}\">{}</abbr></a>",
            super::escape::attr(&t.href),
            super::escape::attr(&t.title),
            &rest[start..end]
        ));
        rest = &rest[end..];
    }
}

/// Keeps the stack of open elements up to date for one tag.
fn track(stack: &mut Vec<String>, tag: &str) {
    if tag.starts_with("<!") || tag.starts_with("<?") {
        return;
    }
    let closing = tag.starts_with("</");
    let name: String = tag
        .trim_start_matches("</")
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        return;
    }
    const VOID: &[&str] = &[
        "br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "area", "base",
        "embed", "track",
    ];
    if closing {
        if let Some(pos) = stack.iter().rposition(|t| *t == name) {
            stack.truncate(pos);
        }
    } else if !tag.ends_with("/>") && !VOID.contains(&name.as_str()) {
        stack.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn terms() -> Vec<AbbrTerm> {
        vec![
            AbbrTerm {
                term: "ISAM".into(),
                title: "Informationssäkerhetssamordnare".into(),
                href: "/ordlista/#term-isam".into(),
            },
            AbbrTerm {
                term: "Informationsklassning".into(),
                title: "Klassning av information".into(),
                href: "/ordlista/#term-informationsklassning".into(),
            },
        ]
    }

    #[test]
    fn first_use_only_and_never_in_code_links_or_headings() {
        let html = "<h2>ISAM</h2><p><a href=\"x\">ISAM</a> <code>ISAM</code> ISAM:s ansvar och ISAM igen.</p>";
        let out = mark_terms(html, &terms());
        assert_eq!(out.matches("<abbr").count(), 1, "{out}");
        assert!(out.contains("<p><a href=\"x\">ISAM</a> <code>ISAM</code> <a class=\"term\" href=\"/ordlista/#term-isam\"><abbr title=\"Informationssäkerhetssamordnare\">ISAM</abbr></a>:s ansvar och ISAM igen.</p>"), "{out}");
    }

    #[test]
    fn abbreviations_are_whole_words_and_case_sensitive() {
        assert_eq!(
            mark_terms("<p>ISAMX isam</p>", &terms()),
            "<p>ISAMX isam</p>"
        );
    }

    #[test]
    fn longer_terms_match_inflected_forms() {
        let out = mark_terms(
            "<p>Arbetet med informationsklassningen fortsätter.</p>",
            &terms(),
        );
        assert!(out.contains(">informationsklassningen</abbr>"), "{out}");
    }

    proptest! {
        #[test]
        fn marking_only_wraps_terms(s in "(ISAM|DSO|<p>|</p>|<a href=\"x\">|</a>|<code>|</code>| |[a-zåäö]{1,6}|[.,:]){0,40}") {
            // Taking the added link and abbreviation tags away gives the
            // input back: marking never changes or drops the text.
            let out = mark_terms(&s, &terms());
            let tags = regex::Regex::new(r#"<a class="term" href="[^"]*"><abbr title="[^"]*">([^<]*)</abbr></a>"#)
                .expect("valid regex");
            prop_assert_eq!(tags.replace_all(&out, "$1").into_owned(), s.clone());
            // Each term is marked at most once, and never inside a link or code.
            prop_assert!(out.matches("<abbr title=\"Informationssäkerhetssamordnare\"").count() <= 1);
        }
    }
}
