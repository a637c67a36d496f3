use super::*;
use crate::diagnostics::{render_plain, Severity};
use proptest::prelude::*;

const FRONT_MATTER: &str = "+++\ntitle = \"T\"\n+++\n";
const PERMALINK: &str = "https://ex.org/blog/post/";

/// A site written for Zola 0.19-0.21 (its older highlighting key says so),
/// which most tests here describe; `config_022` is one for Zola 0.22.
fn config(extra: &str) -> Config {
    let text = format!("base_url = \"https://ex.org\"\nhighlight_code = false\n{extra}");
    match Config::from_str_for_tests(&text) {
        Ok(c) => c,
        Err(d) => panic!("bad test config: {}", render_plain(&d.sorted())),
    }
}

/// A site with no highlighting keys at all: Zola 0.22's behaviour.
fn config_022(extra: &str) -> Config {
    let text = format!("base_url = \"https://ex.org\"\n{extra}");
    match Config::from_str_for_tests(&text) {
        Ok(c) => c,
        Err(d) => panic!("bad test config: {}", render_plain(&d.sorted())),
    }
}

fn resolve(path: &str) -> Option<String> {
    match path {
        "blog/other.md" => Some("https://ex.org/blog/other/".into()),
        "_index.md" => Some("https://ex.org/".into()),
        "docs/å ö.md" => Some("https://ex.org/docs/a-o/".into()),
        _ => None,
    }
}

fn zola_anchor(id: &str, _level: u32) -> Result<String, String> {
    Ok(format!(
        "<a class=\"zola-anchor\" href=\"#{id}\" aria-label=\"Anchor link for: {id}\">🔗</a>"
    ))
}

/// Renders `md` as the body of a page whose file starts with front matter.
fn render_opts(config: &Config, md: &str, insert: InsertAnchor) -> Rendered {
    let text = format!("{FRONT_MATTER}{md}");
    let source = SourceFile::new("content/blog/post.md", &text);
    let highlighter = match Highlighter::new(config) {
        Ok(h) => h,
        Err(d) => panic!("highlighter: {}", render_plain(&[d])),
    };
    let ctx = MdContext {
        config,
        permalink: PERMALINK,
        source: &source,
        body_offset: FRONT_MATTER.len(),
        insert_anchor_links: insert,
        resolve_internal: &resolve,
        render_anchor: &zola_anchor,
        lang: "sv",
        withheld: None,
    };
    render(md, &ctx, &highlighter)
}

fn render_with(config: &Config, md: &str) -> Rendered {
    render_opts(config, md, InsertAnchor::None)
}

fn body(md: &str) -> String {
    render_with(&config(""), md).body.to_string()
}

fn diags(r: &Rendered) -> String {
    render_plain(&r.diagnostics)
}

// Headings ------------------------------------------------------------------

#[test]
fn swedish_heading_gets_transliterated_id() {
    assert_eq!(
        body("## Årlig översyn"),
        "<h2 id=\"arlig-oversyn\">Årlig översyn</h2>\n"
    );
}

#[test]
fn duplicate_headings_get_numbered_ids() {
    let r = render_with(&config(""), "# Hej\n\n## Hej\n\n### Hej\n");
    assert_eq!(
        &*r.body,
        "<h1 id=\"hej\">Hej</h1>\n<h2 id=\"hej-1\">Hej</h2>\n<h3 id=\"hej-2\">Hej</h3>\n"
    );
    assert_eq!(r.anchors, vec!["hej", "hej-1", "hej-2"]);
}

#[test]
fn explicit_ids_and_classes_are_honoured_and_stripped() {
    let r = render_with(
        &config(""),
        "# Hello\n# Hello {#hello}\n# Roller {#custom-id .a .b}\n# Auto {#*matic*}\n# Literal {#…&#125;\nSetext {#st}\n===\n",
    );
    assert_eq!(
        &*r.body,
        "<h1 id=\"hello-1\">Hello</h1>\n<h1 id=\"hello\">Hello</h1>\n\
         <h1 id=\"custom-id\" class=\"a b\">Roller</h1>\n<h1 id=\"*matic*\">Auto</h1>\n\
         <h1 id=\"literal\">Literal {#…}</h1>\n<h1 id=\"st\">Setext</h1>\n"
    );
}

#[test]
fn a_setext_line_holding_only_an_attribute_block_is_left_as_text() {
    assert_eq!(
        body("Foo\n{#x}\n===\n"),
        "<h1 id=\"foo-x\">Foo\n{#x}</h1>\n"
    );
}

#[test]
fn heading_ids_follow_the_slugify_strategy() {
    let r = render_with(
        &config("[slugify]\nanchors = \"safe\""),
        "# L'écologie et vous\n",
    );
    assert_eq!(
        &*r.body,
        "<h1 id=\"L&#39;écologie_et_vous\">L'écologie et vous</h1>\n"
    );
}

#[test]
fn heading_title_is_plain_text_of_markup() {
    let r = render_with(
        &config(""),
        "# `hi` *there* [Rust](https://rust-lang.org)\n",
    );
    assert_eq!(r.toc[0].title, "hi there Rust");
    assert_eq!(r.toc[0].id, "hi-there-rust");
}

#[test]
fn anchor_links_are_inserted_left_right_or_around_the_heading() {
    let c = config("");
    let left = render_opts(&c, "## Hej", InsertAnchor::Left).body;
    assert_eq!(
        &*left,
        "<h2 id=\"hej\"><a class=\"zola-anchor\" href=\"#hej\" aria-label=\"Anchor link for: hej\">🔗</a>Hej</h2>\n"
    );
    let right = render_opts(&c, "## Hej", InsertAnchor::Right).body;
    assert_eq!(
        &*right,
        "<h2 id=\"hej\">Hej<a class=\"zola-anchor\" href=\"#hej\" aria-label=\"Anchor link for: hej\">🔗</a></h2>\n"
    );
    let heading = render_opts(&c, "## Hej", InsertAnchor::Heading).body;
    assert_eq!(
        &*heading,
        "<h2 id=\"hej\"><a class=\"zola-anchor\" href=\"#hej\" aria-label=\"Anchor link for: hej\">Hej</a></h2>\n"
    );
}

#[test]
fn failing_anchor_template_is_a_located_error() {
    let c = config("");
    let text = format!("{FRONT_MATTER}intro\n\n## Hej\n");
    let source = SourceFile::new("content/blog/post.md", &text);
    let fail = |_: &str, _: u32| -> Result<String, String> { Err("boom".into()) };
    let ctx = MdContext {
        config: &c,
        permalink: PERMALINK,
        source: &source,
        body_offset: FRONT_MATTER.len(),
        insert_anchor_links: InsertAnchor::Left,
        resolve_internal: &resolve,
        render_anchor: &fail,
        lang: "sv",
        withheld: None,
    };
    let highlighter = Highlighter::new(&c).ok();
    let r = render(
        "intro\n\n## Hej\n",
        &ctx,
        highlighter
            .as_ref()
            .unwrap_or_else(|| panic!("highlighter")),
    );
    assert!(
        diags(&r).contains("content/blog/post.md:6:1: error[markdown::anchor-link]"),
        "{}",
        diags(&r)
    );
    assert!(r.body.contains("<h2 id=\"hej\">Hej</h2>"));
}

// Table of contents -----------------------------------------------------------

#[test]
fn toc_nests_by_level_with_permalinks() {
    let r = render_with(&config(""), "# A\n## B\n### C\n## D\n# E\n");
    assert_eq!(r.toc.len(), 2);
    let a = &r.toc[0];
    assert_eq!((a.level, a.id.as_str(), a.title.as_str()), (1, "a", "A"));
    assert_eq!(a.permalink, "https://ex.org/blog/post/#a");
    assert_eq!(
        a.children.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        vec!["b", "d"]
    );
    assert_eq!(a.children[0].children[0].id, "c");
    assert_eq!(r.toc[1].id, "e");
}

// Links -----------------------------------------------------------------------

#[test]
fn internal_links_resolve_with_anchor_and_are_recorded() {
    let md = "See [other](@/blog/other.md#roller) and [home](@/_index.md) and [ö](@/docs/%C3%A5%20%C3%B6.md).";
    let r = render_with(&config(""), md);
    assert_eq!(
        &*r.body,
        "<p>See <a href=\"https://ex.org/blog/other/#roller\">other</a> and <a href=\"https://ex.org/\">home</a> \
         and <a href=\"https://ex.org/docs/a-o/\">ö</a>.</p>\n"
    );
    assert!(r.diagnostics.is_empty(), "{}", diags(&r));
    let targets: Vec<(&str, Option<&str>)> = r
        .internal_links
        .iter()
        .map(|l| (l.target.as_str(), l.anchor.as_deref()))
        .collect();
    assert_eq!(
        targets,
        vec![
            ("blog/other.md", Some("roller")),
            ("_index.md", None),
            ("docs/å ö.md", None)
        ]
    );
    assert_eq!(r.internal_links[0].offset, FRONT_MATTER.len() + 4);
}

#[test]
fn broken_internal_link_is_an_error_at_its_position_in_the_file() {
    let md = "Intro\n\n- item with [bad](@/nope.md#x)\n";
    let r = render_with(&config(""), md);
    let out = diags(&r);
    // Front matter takes lines 1-3, so body line 3 is file line 6.
    assert!(
        out.contains("content/blog/post.md:6:13: error[link::broken-internal]"),
        "{out}"
    );
    assert!(out.contains("relative to the content/ directory"), "{out}");
    assert!(r.body.contains("href=\"@/nope.md#x\""));
}

#[test]
fn broken_internal_link_is_a_warning_when_the_link_checker_says_so() {
    let r = render_with(
        &config("[link_checker]\ninternal_level = \"warn\""),
        "[x](@/nope.md)",
    );
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].severity, Severity::Warning);
}

#[test]
fn relative_links_and_images_are_joined_to_the_permalink() {
    let r = render_with(&config(""), "![Karta](karta.png) [pdf](./a.pdf) [sec](#roller) [abs](/x/) [up](../y/) [mail](mailto:a@b.se)");
    assert_eq!(
        &*r.body,
        "<p><img src=\"https://ex.org/blog/post/karta.png\" alt=\"Karta\" /> \
         <a href=\"https://ex.org/blog/post/./a.pdf\">pdf</a> \
         <a href=\"https://ex.org/blog/post/#roller\">sec</a> <a href=\"/x/\">abs</a> \
         <a href=\"../y/\">up</a> <a href=\"mailto:a@b.se\">mail</a></p>\n"
    );
    assert_eq!(r.internal_links.len(), 1);
    assert_eq!(r.internal_links[0].target, "");
    assert_eq!(r.internal_links[0].anchor.as_deref(), Some("roller"));
}

#[test]
fn empty_link_is_an_error() {
    let r = render_with(&config(""), "a [x]() b");
    assert!(
        diags(&r).contains("content/blog/post.md:4:3: error[link::empty]"),
        "{}",
        diags(&r)
    );
    assert!(r.body.contains("<a href=\"#\">x</a>"));
}

#[test]
fn external_links_get_zola_attributes_and_are_recorded() {
    let c = config(
        "[markdown]\nexternal_links_class = \"ext\"\nexternal_links_target_blank = true\n\
         external_links_no_follow = true\nexternal_links_no_referrer = true",
    );
    let r = render_with(
        &c,
        "[Rust](https://rust-lang.org \"Home\") <http://a.se/?q=1&b=2>",
    );
    assert_eq!(
        &*r.body,
        "<p><a class=\"ext\" rel=\"noopener nofollow noreferrer\" target=\"_blank\" title=\"Home\" href=\"https://rust-lang.org\">Rust</a> \
         <a class=\"ext\" rel=\"noopener nofollow noreferrer\" target=\"_blank\" href=\"http://a.se/?q=1&amp;b=2\">http://a.se/?q=1&amp;b=2</a></p>\n"
    );
    let offsets: Vec<usize> = r
        .external_links
        .iter()
        .map(|(_, o)| *o - FRONT_MATTER.len())
        .collect();
    assert_eq!(offsets, vec![0, 37]);
    assert_eq!(r.external_links[0].0, "https://rust-lang.org");
}

#[test]
fn external_links_without_tweaks_are_plain() {
    assert_eq!(
        body("[a](https://a.se)"),
        "<p><a href=\"https://a.se\">a</a></p>\n"
    );
}

#[test]
fn bare_urls_are_not_autolinked_as_in_zola() {
    assert_eq!(
        body("see https://a.se now"),
        "<p>see https://a.se now</p>\n"
    );
}

// Footnotes, tables, task lists, other blocks -------------------------------

#[test]
fn footnotes_follow_pulldown_cmark_by_default() {
    let r = render_with(
        &config(""),
        "Text[^1] and[^n].\n\n[^1]: First.\n\n[^n]: Second.\n",
    );
    assert_eq!(
        &*r.body,
        "<p>Text<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup> and<sup class=\"footnote-reference\"><a href=\"#n\">2</a></sup>.</p>\n\
         <div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup>\n<p>First.</p>\n</div>\n\
         <div class=\"footnote-definition\" id=\"n\"><sup class=\"footnote-definition-label\">2</sup>\n<p>Second.</p>\n</div>\n"
    );
    assert_eq!(r.anchors, vec!["1", "n"]);
}

#[test]
fn bottom_footnotes_match_zola_github_style() {
    let c = config("[markdown]\nbottom_footnotes = true");
    let md = "This text has two[^1] identical footnotes[^1]\n[^1]: So one is present.\n[^2]: But another in not.";
    let r = render_with(&c, md);
    assert_eq!(
        &*r.body,
        "<p>This text has two<sup class=\"footnote-reference\" id=\"fr-1-1\"><a href=\"#fn-1\">1</a></sup> identical footnotes<sup class=\"footnote-reference\" id=\"fr-1-2\"><a href=\"#fn-1\">1</a></sup></p>\n\
         <section class=\"footnotes\">\n<ol class=\"footnotes-list\">\n<li id=\"fn-1\">\n\
         <p>So one is present. <a href=\"#fr-1-1\">↩</a> <a href=\"#fr-1-2\">↩2</a></p>\n</li>\n</ol>\n</section>\n"
    );
    assert_eq!(r.anchors, vec!["fr-1-1", "fr-1-2", "fn-1"]);
    let reordered = render_with(
        &c,
        "Two[^2] notes[^1]\n[^1]: not sorted.\n[^2]: But they are",
    )
    .body;
    assert!(reordered.contains("<li id=\"fn-2\">\n<p>But they are <a href=\"#fr-2-1\">↩</a></p>\n</li>\n<li id=\"fn-1\">"), "{reordered}");
}

#[test]
fn tables_use_zola_shape() {
    assert_eq!(
        body("| A | B |\n|:--|--:|\n| 1 | 2 |\n"),
        "<table><thead><tr><th style=\"text-align: left\">A</th><th style=\"text-align: right\">B</th></tr></thead><tbody>\n\
         <tr><td style=\"text-align: left\">1</td><td style=\"text-align: right\">2</td></tr>\n</tbody></table>\n"
    );
}

#[test]
fn task_lists_use_zola_shape() {
    assert_eq!(
        body("- [ ] todo\n- [x] done\n"),
        "<ul>\n<li><input disabled=\"\" type=\"checkbox\"/>\ntodo</li>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\ndone</li>\n</ul>\n"
    );
}

#[test]
fn strikethrough_quotes_and_raw_html_pass_as_in_zola() {
    assert_eq!(
        body("~~no~~ \"yes\" <kbd>K</kbd>"),
        "<p><del>no</del> \"yes\" <kbd>K</kbd></p>\n"
    );
}

#[test]
fn optional_extensions_follow_the_config() {
    let c = config("[markdown]\nsmart_punctuation = true\ndefinition_list = true\ngithub_alerts = true\nrender_emoji = true");
    let r = render_with(
        &c,
        "This -- is \"it\"...\n\nterm\n: definition\n\n> [!NOTE]\n> alert :smile:\n",
    );
    assert_eq!(
        &*r.body,
        "<p>This – is “it”…</p>\n<dl>\n<dt>term</dt>\n<dd>definition</dd>\n</dl>\n\
         <blockquote class=\"markdown-alert-note\">\n<p>alert 😄</p>\n</blockquote>\n"
    );
}

#[test]
fn lazy_images_get_loading_attributes() {
    let c = config("[markdown]\nlazy_async_image = true");
    assert_eq!(
        render_with(&c, "![ha\"h>a](https://example.com/abc.jpg)").body.to_string(),
        "<p><img src=\"https://example.com/abc.jpg\" alt=\"ha&quot;h&gt;a\" loading=\"lazy\" decoding=\"async\" /></p>\n"
    );
}

// Code blocks -----------------------------------------------------------------

#[test]
fn unhighlighted_code_uses_the_021_shape_with_tera_escaping() {
    assert_eq!(
        body("```rust\nlet a = \"b/c\";\n```\n\n```\nplain\n```\n\n    indented <x>\n"),
        "<pre data-lang=\"rust\" class=\"language-rust \"><code class=\"language-rust\" data-lang=\"rust\">let a = &quot;b&#x2F;c&quot;;\n</code></pre>\n\
         <pre><code>plain\n</code></pre>\n<pre><code>indented &lt;x&gt;\n</code></pre>\n"
    );
}

#[test]
fn unhighlighted_code_uses_the_022_shape_with_022_keys() {
    let c = config("[markdown.highlighting]\ntheme = \"base16-ocean-dark\"");
    assert!(c.markdown.zola_022_code_shape);
    let mut c = c;
    c.markdown.highlighting = None;
    assert_eq!(
        render_with(&c, "```rust,linenos\na/'b'\n```\n")
            .body
            .to_string(),
        "<pre><code data-lang=\"rust\">a/&#39;b&#39;\n</code></pre>\n"
    );
}

#[test]
fn highlighted_code_inline_mode() {
    let c = config("[markdown]\nhighlight_code = true");
    let r = render_with(&c, "```rust\nfn main() {}\n```\n");
    assert!(
        r.body.starts_with(
            "<pre data-lang=\"rust\" style=\"background-color:#2b303b;color:#c0c5ce;\" class=\"language-rust \"><code class=\"language-rust\" data-lang=\"rust\"><span style=\"color:#b48ead;\">fn </span>"
        ),
        "{}",
        r.body
    );
    assert!(r.body.ends_with("</code></pre>\n"));
    assert!(r.diagnostics.is_empty(), "{}", diags(&r));
}

#[test]
fn highlighted_code_class_mode_and_stylesheet() {
    let c = config("[markdown]\nhighlight_code = true\nhighlight_theme = \"css\"\nhighlight_themes_css = [{ theme = \"base16-ocean-dark\", filename = \"syntax.css\" }]");
    let r = render_with(&c, "```rust\nfn main() {}\n```\n");
    assert!(
        r.body.starts_with(
            "<pre data-lang=\"rust\" class=\"language-rust z-code\"><code class=\"language-rust\" data-lang=\"rust\"><span class=\"z-source z-rust\">"
        ),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("<span class=\"z-storage z-type z-function z-rust\">fn</span>"),
        "{}",
        r.body
    );
    let Ok(h) = Highlighter::new(&c) else {
        panic!("highlighter")
    };
    let css = h.css_files(&c);
    assert_eq!(css.len(), 1);
    assert_eq!(css[0].0, "syntax.css");
    assert!(css[0].1.contains(".z-code"), "{}", css[0].1);
}

#[test]
fn line_numbers_highlighted_and_hidden_lines() {
    let c = config("[markdown]\nhighlight_code = true\nhighlight_theme = \"css\"");
    let r = render_with(
        &c,
        "```txt,linenos,linenostart=3,hl_lines=2,hide_lines=3,name=a.txt\none\ntwo\nthree\n```\n",
    );
    assert_eq!(
        &*r.body,
        "<pre data-linenos data-lang=\"txt\" data-name=\"a.txt\" class=\"language-txt z-code\"><code class=\"language-txt\" data-lang=\"txt\" data-name=\"a.txt\">\
         <table><tbody><tr><td>3</td><td><span class=\"z-text z-plain\">one\n</span></td></tr>\
         <tr><td><mark>4</mark></td><td><mark><span class=\"z-text z-plain\">two\n</span></mark></td></tr>\
         </tbody></table></code></pre>\n"
    );
    let plain = body("```,hl_lines=1\n<a>\n```\n");
    assert_eq!(plain, "<pre><code><mark>&lt;a&gt;\n</mark></code></pre>\n");
}

#[test]
fn unknown_language_is_a_warning_at_the_fence() {
    let c = config("[markdown]\nhighlight_code = true");
    let r = render_with(&c, "Text\n\n```klingon\nqapla'\n```\n");
    let out = diags(&r);
    assert!(
        out.contains("content/blog/post.md:6:1: warning[markdown::unknown-language]"),
        "{out}"
    );
    assert!(r.body.contains("data-lang=\"klingon\""));
    let strict = config(
        "[markdown.highlighting]\ntheme = \"base16-ocean-dark\"\nerror_on_missing_language = true",
    );
    let r = render_with(&strict, "```klingon\nx\n```\n");
    assert!(r.diagnostics.iter().any(|d| d.is_error()), "{}", diags(&r));
}

#[test]
fn bundled_syntaxes_and_zola_theme_names_are_available() {
    let c = config("[markdown]\nhighlight_code = true\nhighlight_theme = \"dracula\"");
    let r = render_with(
        &c,
        "```toml\n[extra]\nowner = \"cfo\"\n```\n\n```js\nlet a = 1;\n```\n\n```text\nplain\n```\n",
    );
    assert!(r.diagnostics.is_empty(), "{}", diags(&r));
    assert!(
        r.body
            .starts_with("<pre data-lang=\"toml\" style=\"background-color:#282a36;"),
        "{}",
        r.body
    );
    let classes = config("[markdown]\nhighlight_code = true\nhighlight_theme = \"css\"");
    let js = render_with(&classes, "```js\nlet a = 1;\n```\n").body;
    assert!(js.contains("<span class=\"z-source z-ts\">"), "{js}");
}

#[test]
fn unknown_theme_fails_the_highlighter() {
    let c = config("[markdown]\nhighlight_code = true\nhighlight_theme = \"nope\"");
    let Err(d) = Highlighter::new(&c) else {
        panic!("expected an error")
    };
    assert_eq!(d.code, "config::unknown-highlight-theme");
}

#[test]
fn common_blocks_match_zola_output() {
    let md = "___\n\n> Nested...\n>> ...quotes\n\n57. foo\n1. bar\n\nLoose:\n\n1. loose\n\n2. list\n\nCode:\n\n    // indented\n\n\
              ![Minion](https://e.org/m.png)\n![Trooper](https://e.org/t.jpg \"The Trooper\")\n\n![Alt][id]\n\n\
              [id]: https://e.org/d.jpg  \"The Dojocat\"\n";
    assert_eq!(
        body(md),
        "<hr />\n<blockquote>\n<p>Nested...</p>\n<blockquote>\n<p>...quotes</p>\n</blockquote>\n</blockquote>\n\
         <ol start=\"57\">\n<li>foo</li>\n<li>bar</li>\n</ol>\n<p>Loose:</p>\n<ol>\n<li>\n<p>loose</p>\n</li>\n<li>\n<p>list</p>\n</li>\n</ol>\n\
         <p>Code:</p>\n<pre><code>&#x2F;&#x2F; indented\n</code></pre>\n\
         <p><img src=\"https://e.org/m.png\" alt=\"Minion\" />\n<img src=\"https://e.org/t.jpg\" alt=\"Trooper\" title=\"The Trooper\" /></p>\n\
         <p><img src=\"https://e.org/d.jpg\" alt=\"Alt\" title=\"The Dojocat\" /></p>\n"
    );
}

// Summary ---------------------------------------------------------------------

#[test]
fn summary_is_split_at_the_more_marker() {
    let r = render_with(
        &config(""),
        "Top[^1].\n\n<!-- More -->\n\nBottom.\n\n[^1]: Note.\n",
    );
    assert_eq!(r.summary.as_deref(), Some("<p>Top.</p>"));
    assert!(
        r.body.starts_with("<p>Top<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>.</p>\n<span id=\"continue-reading\"></span>\n<p>Bottom.</p>\n"),
        "{}",
        r.body
    );
    assert!(r.anchors.contains(&"continue-reading".to_string()));
    assert_eq!(render_with(&config(""), "No marker").summary, None);
}

#[test]
fn summary_cut_inside_a_paragraph_closes_it() {
    let r = render_with(&config(""), "- one <!--more--> two\n- three\n");
    assert_eq!(
        r.summary.as_deref(),
        Some("<ul>\n<li>one&hellip;\n</li>\n</ul>\n")
    );
    assert!(
        r.body
            .contains("one <span id=\"continue-reading\"></span> two"),
        "{}",
        r.body
    );
}

#[test]
fn raw_html_ids_count_as_anchors() {
    let r = render_with(
        &config(""),
        "<div id=\"box\">\n\nx <a name='old'></a>\n\n</div>\n",
    );
    assert_eq!(r.anchors, vec!["box", "old"]);
}

#[test]
fn render_is_usable_from_many_threads() {
    fn assert_sync<T: Sync + Send>() {}
    assert_sync::<Highlighter>();
    let c = config("[markdown]\nhighlight_code = true");
    let md = "# Rubrik\n\n```rust\nfn main() {}\n```\n";
    let expected = render_with(&c, md).body;
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| render_with(&c, md).body))
            .collect();
        for h in handles {
            assert_eq!(h.join().ok().as_deref(), Some(&*expected));
        }
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn render_never_panics(md in "(\\PC|[\n#*_`\\[\\](){}<>!:|~^@/-]){0,200}") {
        let c = config("[markdown]\nhighlight_code = true\nbottom_footnotes = true\nsmart_punctuation = true\ndefinition_list = true\ngithub_alerts = true\nrender_emoji = true\nlazy_async_image = true");
        let r = render_opts(&c, &md, InsertAnchor::Heading);
        prop_assert!(r.diagnostics.iter().all(|d| d.code != "markdown::internal"));
    }

    #[test]
    fn markdown_structures_never_panic(parts in proptest::collection::vec(prop_oneof![
        Just("# H {#x .y}\n"), Just("Setext {#s}\n===\n"), Just("[^1]\n"), Just("[^1]: n\n"), Just("<!-- more -->\n"),
        Just("| a | b |\n|---|:-:|\n| 1 | 2 |\n"), Just("- [ ] t\n"), Just("```rust,linenos,hl_lines=1-2\nfn x(){}\n```\n"),
        Just("> [!TIP]\n> t\n"), Just("[a](@/nope.md) [b]() ![c](d.png)\n"), Just("term\n: def\n"), Just("\n"), Just("    code\n"),
        Just("<div id=\"q\">\n"), Just("*a <!--more--> b*\n"), Just("> - x\n"),
    ], 0..12)) {
        let md: String = parts.concat();
        let c = config("[markdown]\nbottom_footnotes = true\ndefinition_list = true\ngithub_alerts = true");
        let r = render_opts(&c, &md, InsertAnchor::Left);
        prop_assert!(r.diagnostics.iter().all(|d| d.code != "markdown::internal"));
    }
}

#[test]
fn a_site_without_highlighting_keys_renders_as_zola_0_22_does() {
    // Checked against Zola 0.22.1: rel="external" on external links, and
    // code blocks in 0.22's shape (language on the code, text unescaped
    // but for HTML's own characters).
    let c = config_022("");
    let html = render_with(
        &c,
        "[x](https://x.example/)\n\n```rust\nfn main() {}\n```\n\n```\nplain <b>\n```\n",
    )
    .body;
    assert_eq!(
        &*html,
        "<p><a rel=\"external\" href=\"https://x.example/\">x</a></p>\n<pre><code data-lang=\"rust\">fn main() {}\n</code></pre>\n<pre><code>plain &lt;b&gt;\n</code></pre>\n"
    );
}
