//! `[markdown] sanitize = true`: the HTML of a rendered body goes through
//! ammonia with an allow-list suited to handbooks. Everything Markdown
//! itself produces (headings with ids and anchor links, tables, footnotes,
//! task lists, highlighted code, abbreviations, images) survives; scripts,
//! event handlers, `javascript:` links, forms, frames and styles outside
//! code blocks do not. Shortcode output is put back afterwards and is not
//! sanitized: it comes from the site's own templates.
//!
//! Must not parse Markdown or know pages.

use std::sync::OnceLock;

/// The allow-list, built once (immutable afterwards).
fn builder() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags([
            "section",
            "input",
            "figure",
            "figcaption",
            "details",
            "summary",
            "main",
        ])
        .add_generic_attributes(["id", "class", "title", "lang", "dir", "role"])
        .generic_attribute_prefixes(["aria-", "data-"].into_iter().collect())
        // External-link settings (`rel`, `target`) are the site's own.
        .link_rel(None)
        .add_tag_attributes("a", ["href", "hreflang", "rel", "target"])
        .add_tag_attributes(
            "img",
            ["src", "alt", "width", "height", "loading", "decoding"],
        )
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("th", ["align", "style", "scope"])
        .add_tag_attributes("td", ["align", "style"])
        // Syntax highlighting without a CSS file uses inline styles.
        .add_tag_attributes("pre", ["style"])
        .add_tag_attributes("span", ["style"])
        .add_tag_attributes("ol", ["start", "type"])
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect());
        b
    })
}

/// The allow-listed form of an HTML fragment.
pub(crate) fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let out = clean(
            "<p onclick=\"steal()\">Hej<script>steal()</script></p>\
             <a href=\"javascript:steal()\">x</a><iframe src=\"https://e.example\"></iframe>\
             <img src=x onerror=steal()><form><input name=p></form><style>p{}</style>",
        );
        for gone in [
            "onclick",
            "<script",
            "steal()",
            "javascript:",
            "<iframe",
            "onerror",
            "<form",
            "<style",
        ] {
            assert!(!out.contains(gone), "{gone} survived: {out}");
        }
        assert!(out.contains("<p>Hej</p>"), "{out}");
    }

    #[test]
    fn markup_that_markdown_and_the_theme_rely_on_survives() {
        let html = "<h2 id=\"roller\" class=\"rubrik\">Roller <a class=\"anchor\" href=\"#roller\" aria-label=\"Länk\">#</a></h2>\
             <p><abbr title=\"Informationssäkerhetsansvarig\">ISAM</abbr> och <kbd>Ctrl</kbd><br></p>\
             <table><thead><tr><th style=\"text-align: left\">A</th></tr></thead><tbody><tr><td align=\"right\">1</td></tr></tbody></table>\
             <ul><li><input type=\"checkbox\" checked=\"\" disabled=\"\"> klar</li></ul>\
             <pre style=\"background-color:#fff;\"><code class=\"language-rust\" data-lang=\"rust\"><span style=\"color:#a71d5d;\">fn</span></code></pre>\
             <sup class=\"footnote-reference\" id=\"fr-1-1\"><a href=\"#fn-1\">1</a></sup>\
             <a href=\"https://e.example\" rel=\"noopener external\" target=\"_blank\">e</a>\
             <img src=\"bild.png\" alt=\"Bild\" loading=\"lazy\" decoding=\"async\">\
             <details><summary>Mer</summary>Text</details>";
        let out = clean(html);
        for kept in [
            "id=\"roller\"",
            "class=\"rubrik\"",
            "aria-label=\"Länk\"",
            "<abbr title=\"Informationssäkerhetsansvarig\">",
            "<kbd>Ctrl</kbd>",
            "style=\"text-align: left\"",
            "align=\"right\"",
            "type=\"checkbox\"",
            "<pre style=\"background-color:#fff;\">",
            "data-lang=\"rust\"",
            "<span style=\"color:#a71d5d;\">",
            "id=\"fr-1-1\"",
            "rel=\"noopener external\"",
            "target=\"_blank\"",
            "loading=\"lazy\"",
            "<details><summary>Mer</summary>",
        ] {
            assert!(out.contains(kept), "{kept} lost: {out}");
        }
    }
}
