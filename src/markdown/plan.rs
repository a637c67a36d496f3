//! The planning pass: one walk over the parsed tree, in document order,
//! that makes every decision before anything is written: heading ids and
//! anchors, link rewrites (and the links to check later), highlighted code,
//! footnote numbers, the `<!-- more -->` marker, and the diagnostics.
//!
//! Owns those decisions and the only calls to the caller's callbacks
//! (`resolve_internal`, `render_anchor`). Must not write HTML for the page
//! (see `html`) or nest the table of contents (see `toc`).

use super::footnotes::{FootnoteCollector, FootnoteHtml};
use super::headings::{self, HeadingAttributes, HeadingHtml};
use super::highlight::Highlighter;
use super::links::{self, LinkTarget};
use super::position::BodyPositions;
use super::{node_key, summary, Heading, InternalLink, MdContext};
use crate::config::{slugify_anchors, InsertAnchor};
use crate::diagnostics::{Diagnostic, Severity};
use comrak::nodes::{AstNode, NodeValue};
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Decisions the writer applies, keyed by node.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Opening and closing HTML of each heading.
    pub(crate) headings: HashMap<usize, HeadingHtml>,
    /// Zola's external `<a …>` for links that get `external_links_*`.
    pub(crate) external_links: HashMap<usize, String>,
    /// Links into documents the build's audience may not read: their text
    /// is kept, closed by this note instead of a link.
    pub(crate) withheld_links: HashMap<usize, String>,
    /// The complete HTML of each code block.
    pub(crate) code_blocks: HashMap<usize, String>,
    /// Footnote references and definitions.
    pub(crate) footnotes: FootnoteHtml,
    /// The HTML node holding the first `<!-- more -->`.
    pub(crate) more: Option<usize>,
    /// Tags the summary must close when the marker is inside elements.
    pub(crate) more_closers: Vec<String>,
}

/// What the walk collects for `Rendered`.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    /// Headings in document order (flat).
    pub(crate) headings: Vec<Heading>,
    /// Every id the page defines.
    pub(crate) anchors: Vec<String>,
    /// `@/` links and `#anchor` links.
    pub(crate) internal_links: Vec<InternalLink>,
    /// `http(s)` links with their offsets.
    pub(crate) external_links: Vec<(String, usize)>,
    /// Problems found.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Inputs of the planning pass.
pub(crate) struct Planner<'c, 'x> {
    /// The page's inputs.
    pub(crate) ctx: &'c MdContext<'x>,
    /// Code highlighting.
    pub(crate) highlighter: &'c Highlighter,
    /// Body positions, for diagnostics.
    pub(crate) positions: &'c BodyPositions,
    /// Explicit heading attributes by heading start line.
    pub(crate) heading_attrs: &'c HashMap<usize, HeadingAttributes>,
}

impl Planner<'_, '_> {
    /// Walks the tree once and decides everything.
    pub(crate) fn plan<'a>(&self, root: &'a AstNode<'a>) -> (Plan, Collected) {
        let mut plan = Plan::default();
        let mut out = Collected::default();
        let mut headings = Vec::new();
        let mut footnotes = FootnoteCollector::default();
        let nodes: Vec<&'a AstNode<'a>> = root.descendants().collect();
        for node in nodes {
            let kind = NodeKind::of(node);
            match kind {
                NodeKind::Heading => headings.push(node),
                NodeKind::Link => self.plan_link(node, &mut plan, &mut out),
                NodeKind::Image => plan_image(node, self.ctx.permalink),
                NodeKind::CodeBlock => self.plan_code_block(node, &mut plan, &mut out),
                NodeKind::Footnote => footnotes.visit(node),
                NodeKind::Html => self.plan_html(node, &mut plan, &mut out),
                NodeKind::Other => {}
            }
        }
        self.plan_headings(&headings, &mut plan, &mut out);
        plan.footnotes = footnotes.finish(root, self.ctx.config.markdown.bottom_footnotes);
        out.anchors.extend(plan.footnotes.anchors.iter().cloned());
        (plan, out)
    }

    fn file_offset(&self, node: &AstNode<'_>) -> usize {
        self.positions.file_offset(node.data().sourcepos.start)
    }

    fn plan_link<'a>(&self, node: &'a AstNode<'a>, plan: &mut Plan, out: &mut Collected) {
        let (url, title) = match &node.data().value {
            NodeValue::Link(link) => (link.url.clone(), link.title.clone()),
            _ => return,
        };
        let offset = self.file_offset(node);
        let md = &self.ctx.config.markdown;
        let new_url = match links::classify_link(
            &url,
            self.ctx.permalink,
            self.ctx.resolve_internal,
        ) {
            LinkTarget::Empty => {
                out.diagnostics.push(
                    Diagnostic::error("link::empty", "link has an empty URL")
                        .at(self.ctx.source, offset)
                        .with_help("write the destination between the parentheses, e.g. `[text](@/section/page.md)`"),
                );
                Some("#".to_string())
            }
            LinkTarget::Internal {
                href,
                target,
                anchor,
            } => {
                out.internal_links.push(InternalLink {
                    target,
                    anchor,
                    offset,
                });
                Some(href)
            }
            LinkTarget::Broken { target }
                if self.ctx.withheld.is_some_and(|w| (w.contains)(&target)) =>
            {
                let audience = self.ctx.withheld.map_or("", |w| w.audience);
                out.diagnostics.push(
                    Diagnostic::warning(
                        "link::withheld",
                        format!("this link leads to a document the audience `{audience}` may not read; it is shown as plain text"),
                    )
                    .at(self.ctx.source, offset)
                    .with_help("readers of this build see the link text with a note, without the address; remove the link if the text alone says too much"),
                );
                plan.withheld_links
                    .insert(node_key(node), withheld_note(self.ctx.lang));
                Some(String::new())
            }
            LinkTarget::Broken { target } => {
                let severity = if self.ctx.config.link_checker.internal_level == "warn" {
                    Severity::Warning
                } else {
                    Severity::Error
                };
                out.diagnostics.push(
                    Diagnostic::error("link::broken-internal", format!("broken internal link `{url}`: `content/{target}` does not exist"))
                        .with_severity(severity)
                        .at(self.ctx.source, offset)
                        .with_help("`@/` paths are relative to the content/ directory and name the .md file, e.g. `@/blog/post.md` or `@/blog/_index.md`"),
                );
                None
            }
            LinkTarget::External => {
                out.external_links.push((url.clone(), offset));
                if links::has_external_link_tweaks(md) {
                    let mut href = String::new();
                    // comrak's href escape writes into any `fmt::Write`.
                    if comrak::html::escape_href(&mut href, &url, false).is_ok() {
                        plan.external_links
                            .insert(node_key(node), links::external_link_tag(md, &href, &title));
                    }
                }
                None
            }
            LinkTarget::Colocated(href) => Some(href),
            LinkTarget::SelfAnchor { href, anchor } => {
                out.internal_links.push(InternalLink {
                    target: String::new(),
                    anchor: Some(anchor),
                    offset,
                });
                Some(href)
            }
            LinkTarget::Unchanged => None,
        };
        if let Some(new_url) = new_url {
            if let NodeValue::Link(link) = &mut node.data_mut().value {
                link.url = new_url;
            }
        }
    }

    fn plan_code_block<'a>(&self, node: &'a AstNode<'a>, plan: &mut Plan, out: &mut Collected) {
        let md = &self.ctx.config.markdown;
        let block = match &node.data().value {
            NodeValue::CodeBlock(cb) => {
                let info = if cb.fenced { cb.info.as_str() } else { "" };
                self.highlighter.render_code_block(md, info, &cb.literal)
            }
            _ => return,
        };
        let offset = self.file_offset(node);
        if let Some(lang) = &block.unknown_language {
            let error = md
                .highlighting
                .as_ref()
                .is_some_and(|h| h.error_on_missing_language);
            let diagnostic = Diagnostic::warning(
                "markdown::unknown-language",
                format!("no syntax highlighting is available for language `{lang}`; the block is shown as plain text"),
            )
            .at(self.ctx.source, offset)
            .with_help("check the language name after the fence, or add a `.sublime-syntax` file to a directory listed in `extra_syntaxes_and_themes`");
            out.diagnostics.push(if error {
                diagnostic.with_severity(Severity::Error)
            } else {
                diagnostic
            });
        }
        for key in &block.unknown_annotations {
            out.diagnostics.push(
                Diagnostic::warning("markdown::unknown-annotation", format!("unknown code fence annotation `{key}`"))
                    .at(self.ctx.source, offset)
                    .with_help("known annotations are linenos, linenostart=N, hl_lines=…, hide_lines=…, name=… and copy"),
            );
        }
        plan.code_blocks.insert(node_key(node), block.html);
    }

    fn plan_html<'a>(&self, node: &'a AstNode<'a>, plan: &mut Plan, out: &mut Collected) {
        let data = node.data();
        let literal = match &data.value {
            NodeValue::HtmlBlock(block) => block.literal.as_str(),
            NodeValue::HtmlInline(html) => html.as_str(),
            _ => return,
        };
        if plan.more.is_none() && summary::find_marker(literal).is_some() {
            plan.more = Some(node_key(node));
            plan.more_closers = summary::closing_tags(node);
            out.anchors.push("continue-reading".to_string());
        }
        out.anchors.extend(raw_html_ids(literal));
    }

    fn plan_headings<'a>(&self, nodes: &[&'a AstNode<'a>], plan: &mut Plan, out: &mut Collected) {
        let strategy = self.ctx.config.slugify.anchors;
        let mut wanted = Vec::with_capacity(nodes.len());
        let mut details = Vec::with_capacity(nodes.len());
        for node in nodes {
            let data = node.data();
            let NodeValue::Heading(h) = &data.value else {
                continue;
            };
            let attrs = self
                .heading_attrs
                .get(&data.sourcepos.start.line)
                .cloned()
                .unwrap_or_default();
            let title = headings::plain_text(node);
            wanted.push((attrs.id.clone(), slugify_anchors(&title, strategy)));
            details.push((*node, u32::from(h.level), title, attrs.classes));
        }
        let ids = headings::assign_ids(&wanted);
        let insert = self.ctx.insert_anchor_links;
        for ((node, level, title, classes), id) in details.into_iter().zip(ids) {
            let anchor = if insert == InsertAnchor::None {
                None
            } else {
                match (self.ctx.render_anchor)(&id, level) {
                    Ok(html) => Some(html),
                    Err(message) => {
                        out.diagnostics.push(
                            Diagnostic::error("markdown::anchor-link", format!("could not render the anchor link for heading `{id}`: {message}"))
                                .at(self.ctx.source, self.file_offset(node))
                                .with_help("check the site's `anchor-link.html` template"),
                        );
                        None
                    }
                }
            };
            let html = headings::heading_html(level, &id, &classes, insert, anchor.as_deref());
            plan.headings.insert(node_key(node), html);
            out.anchors.push(id.clone());
            out.headings.push(Heading {
                level,
                permalink: format!("{}#{}", self.ctx.permalink, id),
                id,
                title,
                children: Vec::new(),
            });
        }
    }
}

/// Images only get the colocated-asset rewrite (Zola does not resolve `@/`
/// or record images).
fn plan_image<'a>(node: &'a AstNode<'a>, permalink: &str) {
    if let NodeValue::Image(image) = &mut node.data_mut().value {
        if links::is_colocated(&image.url) {
            image.url = format!("{permalink}{}", image.url);
        }
    }
}

/// The node kinds the walk acts on.
enum NodeKind {
    Heading,
    Link,
    Image,
    CodeBlock,
    Footnote,
    Html,
    Other,
}

impl NodeKind {
    fn of(node: &AstNode<'_>) -> Self {
        match node.data().value {
            NodeValue::Heading(_) => NodeKind::Heading,
            NodeValue::Link(_) => NodeKind::Link,
            NodeValue::Image(_) => NodeKind::Image,
            NodeValue::CodeBlock(_) => NodeKind::CodeBlock,
            NodeValue::FootnoteReference(_) | NodeValue::FootnoteDefinition(_) => {
                NodeKind::Footnote
            }
            NodeValue::HtmlBlock(_) | NodeValue::HtmlInline(_) => NodeKind::Html,
            _ => NodeKind::Other,
        }
    }
}

/// `id`/`name` attribute values in raw HTML (Zola's link checker accepts
/// any of them as an anchor).
fn raw_html_ids(html: &str) -> Vec<String> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| Regex::new(r#"(?i)\s(?:id|name)\s*=\s*["']?([^"'\s>]+)"#).ok())
        .as_ref()
    else {
        return Vec::new();
    };
    re.captures_iter(html)
        .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
        .collect()
}

/// What closes the text of a link into a withheld document: a short note
/// in the page's language, with nothing of the document itself.
fn withheld_note(lang: &str) -> String {
    let note = if lang == "sv" {
        "ej tillgängligt för den här målgruppen"
    } else {
        "not available to this audience"
    };
    format!("</span> <small class=\"withheld-note\">({note})</small>")
}
