//! One page as the indexer sees it: a small HTML document made for the
//! index, not the published page. It carries the title, the rendered body,
//! the governance facts as pagefind metadata and filters (kind, doc id,
//! status, roles, whether the document is still in force), and index-only
//! text (compound parts, glossary counterparts) that readers never see on
//! the page itself.
//!
//! Pure: facts in, HTML out. Must not decide what is indexed (the caller
//! has already left out what the build's audience may not read).

use std::fmt::Write as _;

/// Whether a document is still in force; anything else ranks last and is
/// marked in the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Standing {
    /// In force, or not a governing document at all.
    Current,
    /// Another document supersedes it.
    Superseded,
    /// Its status is the repealed one (`upphävd`).
    Repealed,
}

impl Standing {
    /// The value of the `standing` metadata the theme's script reads.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Standing::Current => "current",
            Standing::Superseded => "superseded",
            Standing::Repealed => "repealed",
        }
    }
}

/// What one indexed page says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Record<'a> {
    /// The page's language (`sv`): pagefind keeps one index per language
    /// and stems with that language's rules.
    pub(super) lang: &'a str,
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    /// The rendered Markdown body (HTML), without the theme around it.
    pub(super) body: &'a str,
    /// `kind`, for governing documents.
    pub(super) kind: Option<&'a str>,
    pub(super) doc_id: Option<&'a str>,
    pub(super) status: Option<&'a str>,
    /// The owner and every role with a duty in the document (ids).
    pub(super) roles: Vec<&'a str>,
    pub(super) standing: Standing,
    /// Index-only words that belong with the title (its compound parts).
    pub(super) title_words: Vec<String>,
    /// Index-only words found through the glossary and their parts.
    pub(super) related_words: Vec<String>,
}

impl Record<'_> {
    /// The HTML handed to the indexer.
    pub(super) fn to_html(&self) -> String {
        let mut h = String::with_capacity(self.body.len() + 1024);
        let _ = write!(
            h,
            "<!DOCTYPE html><html lang=\"{}\"><head><title>{}</title></head><body><main data-pagefind-body>",
            attr(self.lang),
            text(self.title)
        );
        let _ = write!(h, "<h1>{}</h1>", text(self.title));
        self.write_facts(&mut h);
        // A governing document's own words weigh double: the handbook's
        // search is for its documents first, and a short role or start
        // page that mentions a word in passing should not outrank the
        // instruction about it.
        let weight = if self.kind.is_some() { "2" } else { "1" };
        let _ = write!(h, "<div data-pagefind-weight=\"{weight}\">");
        if !self.description.is_empty() {
            let _ = write!(h, "<p>{}</p>", text(self.description));
        }
        h.push_str(self.body);
        h.push_str("</div>");
        // Index-only text: the title's parts weigh most, so that a part of
        // a title finds that page first; glossary words weigh less than the
        // page's own words.
        if !self.title_words.is_empty() {
            let _ = write!(
                h,
                "<p data-pagefind-weight=\"10\">{}</p>",
                text(&self.title_words.join(" "))
            );
        }
        if !self.related_words.is_empty() {
            let _ = write!(
                h,
                "<p data-pagefind-weight=\"0.5\">{}</p>",
                text(&self.related_words.join(" "))
            );
        }
        h.push_str("</main></body></html>");
        h
    }

    /// Metadata (shown in results) and filters (to narrow them), as empty
    /// elements the indexer reads but does not index as text.
    fn write_facts(&self, h: &mut String) {
        let mut fact = |kind: &str, key: &str, value: &str| {
            let _ = write!(
                h,
                "<span data-pagefind-ignore data-pagefind-{kind}=\"{key}:{}\"></span>",
                attr(value)
            );
        };
        fact("meta", "title", self.title);
        fact("meta", "standing", self.standing.as_str());
        fact("filter", "standing", self.standing.as_str());
        if let Some(kind) = self.kind {
            fact("meta", "kind", kind);
            fact("filter", "kind", kind);
        }
        if let Some(id) = self.doc_id {
            fact("meta", "doc_id", id);
        }
        if let Some(status) = self.status {
            fact("meta", "status", status);
            fact("filter", "status", status);
        }
        for role in &self.roles {
            fact("filter", "role", role);
        }
    }
}

/// Text escaped for an element's content.
fn text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text escaped for a double-quoted attribute.
fn attr(s: &str) -> String {
    text(s).replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record<'static> {
        Record {
            lang: "sv",
            title: "Anvisning för <incidenter>",
            description: "Så rapporterar du",
            body: "<p>Rapportera till ISAM.</p>",
            kind: Some("anvisning"),
            doc_id: Some("UTB-ANV-002"),
            status: Some("gällande"),
            roles: vec!["isam", "chef"],
            standing: Standing::Current,
            title_words: vec!["incident".into()],
            related_words: vec!["Informationssäkerhetssamordnare".into()],
        }
    }

    #[test]
    fn the_record_carries_facts_as_metadata_and_filters_and_escapes_text() {
        let html = record().to_html();
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"sv\">"));
        assert!(html.contains("<h1>Anvisning för &lt;incidenter&gt;</h1>"));
        assert!(html.contains("data-pagefind-filter=\"kind:anvisning\""));
        assert!(html.contains("data-pagefind-meta=\"doc_id:UTB-ANV-002\""));
        assert!(html.contains("data-pagefind-filter=\"status:gällande\""));
        assert!(html.contains("data-pagefind-filter=\"role:isam\""));
        assert!(html.contains("data-pagefind-filter=\"role:chef\""));
        assert!(html.contains("data-pagefind-meta=\"standing:current\""));
        assert!(html.contains("<p>Rapportera till ISAM.</p>"));
        assert!(html.contains(">Informationssäkerhetssamordnare</p>"));
    }

    #[test]
    fn a_page_that_is_no_document_has_no_kind_or_status() {
        let r = Record {
            kind: None,
            doc_id: None,
            status: None,
            roles: vec![],
            title_words: vec![],
            related_words: vec![],
            ..record()
        };
        let html = r.to_html();
        assert!(!html.contains("kind:"));
        assert!(!html.contains("status:"));
        assert!(html.contains("<div data-pagefind-weight=\"1\">"));
        assert!(!html.contains("data-pagefind-weight=\"10\""));
    }
}
