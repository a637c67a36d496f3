//! Markdown to HTML, the way Zola 0.19–0.22 renders it: comrak for parsing,
//! Zola's (pulldown-cmark's) HTML shapes for output, heading ids and the
//! table of contents, syntect for code, `@/` links through a resolver the
//! caller passes in, and every outgoing link with its position.
//!
//! Owns: the comrak options (`options`), heading ids and anchors
//! (`headings`), the TOC (`toc`), link rewriting (`links`), code blocks
//! (`fence`, `highlight`), footnotes, the summary split, and the HTML writer
//! (`html`), all driven by one planning pass (`plan`).
//!
//! Must not read files (except the extra syntaxes the configuration names,
//! in [`Highlighter::new`]), know `Page`, sections or governance types, or
//! render templates (anchor links come from the caller's `render_anchor`).
//! Neighbours: `content` gives the body and its offset; `render` and
//! `check` consume [`Rendered`].

pub(crate) mod abbr;
pub(crate) mod escape;
mod fence;
mod footnotes;
mod headings;
mod highlight;
mod html;
mod links;
mod options;
mod plan;
mod position;
mod sanitize;
pub(crate) mod shortcode;
mod summary;
mod textmate;
mod toc;

pub(crate) use highlight::Highlighter;

use crate::config::{Config, InsertAnchor};
use crate::diagnostics::{Diagnostic, SourceFile};
use comrak::nodes::AstNode;
use comrak::options::Plugins;
use comrak::{parse_document, Arena};
use serde::Serialize;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Inputs for one page's Markdown.
pub(crate) struct MdContext<'a> {
    /// The site configuration (`[markdown]`, `[slugify]`, `[link_checker]`).
    pub(crate) config: &'a Config,
    /// The page's own permalink, e.g. `https://ex.org/blog/post/` (relative
    /// links and `#x` are joined to it).
    pub(crate) permalink: &'a str,
    /// The original file, for locating diagnostics.
    pub(crate) source: &'a SourceFile,
    /// Byte offset where the Markdown body starts in the original file;
    /// diagnostics point at body offset + position in the body.
    pub(crate) body_offset: usize,
    /// The section's override of `insert_anchor_links`, already resolved
    /// (falls back to the configuration's).
    pub(crate) insert_anchor_links: InsertAnchor,
    /// Resolves an internal link target "dir/file.md" (the part after "@/",
    /// without "#anchor", percent-decoded) to a permalink.
    pub(crate) resolve_internal: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Renders the anchor link for a heading (the site's `anchor-link.html`)
    /// from (id, level). `Err` carries a message.
    pub(crate) render_anchor: &'a (dyn Fn(&str, u32) -> Result<String, String> + Sync),
    /// The page's language code.
    pub(crate) lang: &'a str,
    /// In a build for one audience, the `@/` targets it may not read.
    pub(crate) withheld: Option<Withholding<'a>>,
}

/// What a build for one audience may not read, as links see it: a link to
/// such a document becomes its text and a short note, with no address and
/// no title, and a warning naming the audience.
#[derive(Clone, Copy)]
pub(crate) struct Withholding<'a> {
    /// The build's audience, for the warning.
    pub(crate) audience: &'a str,
    /// True for an `@/` target (`dir/file.md`) the audience may not read.
    pub(crate) contains: &'a (dyn Fn(&str) -> bool + Sync),
}

/// One entry of `page.toc`, nested as Zola nests it.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct Heading {
    /// 1 to 6.
    pub(crate) level: u32,
    /// The heading's `id`.
    pub(crate) id: String,
    /// Page permalink + `#` + id.
    pub(crate) permalink: String,
    /// The heading's plain text.
    pub(crate) title: String,
    /// Deeper headings that follow it.
    pub(crate) children: Vec<Heading>,
}

/// A link to check once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InternalLink {
    /// "dir/file.md" relative to `content/`; empty for a `#anchor` link to
    /// the page itself.
    pub(crate) target: String,
    /// The anchor after `#`, if any.
    pub(crate) anchor: Option<String>,
    /// Byte offset of the link in the original file.
    pub(crate) offset: usize,
}

/// The rendered page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rendered {
    /// The HTML, shared with the template views that embed it, so a
    /// large site holds each page's HTML once.
    pub(crate) body: std::sync::Arc<str>,
    /// The HTML before `<!-- more -->`, if the marker exists.
    pub(crate) summary: Option<String>,
    /// Headings nested as Zola's `page.toc`, shared with the template
    /// views like the HTML.
    pub(crate) toc: std::sync::Arc<[Heading]>,
    /// Every id defined in the page: headings (explicit or generated),
    /// footnotes, `continue-reading`, and `id`/`name` in raw HTML.
    pub(crate) anchors: Vec<String>,
    /// `@/` links and `#anchor` links, in document order.
    pub(crate) internal_links: Vec<InternalLink>,
    /// `http(s)` URLs and their byte offsets in the original file.
    pub(crate) external_links: Vec<(String, usize)>,
    /// Problems found while rendering.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Rendered {
    /// The `@/` links the page makes and the ids it defines: what the link
    /// checks compare.
    pub(crate) fn links_and_anchors(&self) -> (&[InternalLink], &[String]) {
        (&self.internal_links, &self.anchors)
    }
}

/// Key of a node for the planning pass's side tables: its address, which is
/// stable for the life of the arena.
pub(crate) fn node_key(node: &AstNode<'_>) -> usize {
    node as *const AstNode<'_> as usize
}

/// Renders one page's Markdown. Safe to call from many threads at once, and
/// never panics: should a dependency panic on some input, the page is shown
/// as escaped text with a `markdown::internal` error.
pub(crate) fn render(markdown: &str, ctx: &MdContext<'_>, highlighter: &Highlighter) -> Rendered {
    tracing::trace!(
        permalink = ctx.permalink,
        lang = ctx.lang,
        "rendering markdown"
    );
    match catch_unwind(AssertUnwindSafe(|| render_page(markdown, ctx, highlighter))) {
        Ok(rendered) => rendered,
        Err(_) => {
            let mut body = String::from("<pre>");
            escape::escape_body(&mut body, markdown);
            body.push_str("</pre>\n");
            Rendered {
                body: body.into(),
                diagnostics: vec![Diagnostic::error(
                    "markdown::internal",
                    "the Markdown renderer failed on this page; it is shown as plain text",
                )
                .at(ctx.source, ctx.body_offset)
                .with_help("please report this with the page's Markdown")],
                ..Rendered::default()
            }
        }
    }
}

fn render_page(markdown: &str, ctx: &MdContext<'_>, highlighter: &Highlighter) -> Rendered {
    let options = options::comrak_options(&ctx.config.markdown);
    let positions = position::BodyPositions::new(markdown, ctx.body_offset);
    let arena = Arena::new();
    let mut root = parse_document(&arena, markdown, &options);
    let mut heading_attrs = HashMap::new();
    // `{#id .class}` blocks are blanked out (same length, so positions stay
    // valid) and the text parsed again, so they never reach the output.
    if let Some((blanked, attrs)) = headings::strip_attribute_blocks(root, markdown, &positions) {
        root = parse_document(&arena, &blanked, &options);
        heading_attrs.extend(attrs);
    }
    let planner = plan::Planner {
        ctx,
        highlighter,
        positions: &positions,
        heading_attrs: &heading_attrs,
    };
    let (plan, collected) = planner.plan(root);
    let writer = html::Writer {
        plan: &plan,
        lazy_images: ctx.config.markdown.lazy_async_image,
    };
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    let plugins = Plugins::default();
    // Writing into a String cannot fail; on the impossible error the HTML
    // written so far is kept.
    let _ = comrak::html::format_document_with_formatter(
        root,
        &options,
        &mut html,
        &plugins,
        html::format_node,
        writer,
    );
    let (mut body, mut summary) = summary::split(html, &plan.more_closers);
    if ctx.config.markdown.sanitize {
        body = sanitize::clean(&body);
        summary = summary.map(|s| sanitize::clean(&s));
    }
    Rendered {
        body: body.into(),
        summary,
        toc: toc::make_table_of_contents(collected.headings).into(),
        anchors: collected.anchors,
        internal_links: collected.internal_links,
        external_links: collected.external_links,
        diagnostics: collected.diagnostics,
    }
}

#[cfg(test)]
mod tests;
