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

/// The glossary's terms, prepared once per render so that marking a page
/// lowercases each text node once and searches with a prebuilt finder,
/// rather than lowercasing the text again for every term.
#[derive(Debug, Default)]
pub(crate) struct Glossary {
    terms: Vec<AbbrTerm>,
    prepared: Vec<Prepared>,
}

#[derive(Debug)]
struct Prepared {
    /// Abbreviations (all capitals or digits, like `ISAM`, `NIS2`) match
    /// case-sensitively as whole words; other terms match
    /// case-insensitively and long ones may carry an inflection.
    abbreviation: bool,
    inflects: bool,
    finder: memchr::memmem::Finder<'static>,
}

impl Glossary {
    pub(crate) fn new(terms: Vec<AbbrTerm>) -> Self {
        let prepared = terms
            .iter()
            .map(|t| {
                let abbreviation = t.term.chars().all(|c| !c.is_lowercase());
                let needle = if abbreviation {
                    t.term.clone()
                } else {
                    t.term.to_lowercase()
                };
                Prepared {
                    abbreviation,
                    inflects: !abbreviation && t.term.chars().count() >= 6,
                    finder: memchr::memmem::Finder::new(needle.as_bytes()).into_owned(),
                }
            })
            .collect();
        Glossary { terms, prepared }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms as given, so a rebuild can tell whether they changed.
    pub(crate) fn terms(&self) -> &[AbbrTerm] {
        &self.terms
    }
}

/// Where a term first occurs in `text` as a word: `lower` is `text`
/// lowercased, or `None` where lowercasing changed its byte length (then
/// only abbreviations, which match case-sensitively, can be found).
fn find_term(text: &str, lower: Option<&str>, term: &Prepared) -> Option<(usize, usize)> {
    if term.finder.needle().is_empty() {
        return None;
    }
    let hay = if term.abbreviation { text } else { lower? };
    let mut from = 0;
    while let Some(i) = term.finder.find(&hay.as_bytes()[from..]) {
        let start = from + i;
        let end = start + term.finder.needle().len();
        // Byte offsets of `hay` are offsets of `text` (same length); a
        // match that does not fall on character boundaries there is not one.
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            from = start + 1;
            continue;
        }
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c));
        let mut stop = end;
        if term.inflects {
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
pub(crate) fn mark_terms(html: &str, glossary: &Glossary) -> String {
    if glossary.is_empty() {
        return html.to_string();
    }
    let mut done = vec![false; glossary.terms.len()];
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
        mark_text(&mut out, text, glossary, &mut done);
    }
    out
}

/// Marks terms in one text node (entity-escaped text from comrak).
fn mark_text(out: &mut String, text: &str, glossary: &Glossary, done: &mut [bool]) {
    // Earliest match first, longest term on ties; repeat on the rest.
    let mut rest = text;
    loop {
        let lowered = rest.to_lowercase();
        let lower = (lowered.len() == rest.len()).then_some(lowered.as_str());
        let best = glossary
            .prepared
            .iter()
            .enumerate()
            .filter(|(i, _)| !done[*i])
            .filter_map(|(i, t)| {
                find_term(rest, lower, t).map(|(s, e)| (s, std::cmp::Reverse(e - s), i, e))
            })
            .min();
        let Some((start, _, i, end)) = best else {
            out.push_str(rest);
            return;
        };
        done[i] = true;
        let t = &glossary.terms[i];
        out.push_str(&rest[..start]);
        out.push_str("<a class=\"term\" href=\"");
        out.push_str(&super::escape::attr(&t.href));
        out.push_str("\"><abbr title=\"");
        out.push_str(&super::escape::attr(&t.title));
        out.push_str("\">");
        out.push_str(&rest[start..end]);
        out.push_str("</abbr></a>");
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

    fn terms() -> Glossary {
        Glossary::new(vec![
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
        ])
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

    #[test]
    fn text_whose_lowercase_shifts_characters_is_left_alone_without_panicking() {
        // The Kelvin sign shrinks and `Ⱥ` grows when lowercased, so the
        // lowercased text has the same length but other character
        // boundaries; a match found there must not be used to slice.
        // Here the lowercased text matches the term two bytes further on,
        // ending inside the Kelvin sign of the text.
        let text = "<p>\u{23A}\u{23A}informationsklassning \u{212A}</p>";
        assert_eq!(mark_terms(text, &terms()), text);
        let out = mark_terms("<p>\u{212A}\u{23A}\u{23A} ISAM</p>", &terms());
        assert!(
            out.contains("<abbr title=\"Informationssäkerhetssamordnare\">ISAM</abbr>"),
            "{out}"
        );
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
