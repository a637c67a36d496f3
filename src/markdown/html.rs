//! The HTML writer: comrak's renderer with the node kinds where Zola's
//! pulldown-cmark output differs replaced (headings, links, images, code
//! blocks, footnotes, tables, task items, alerts, text escaping) and the
//! decisions of the planning pass applied.
//!
//! Owns only writing. Every decision (ids, hrefs, highlighted code,
//! footnote numbers) is made beforehand in `plan`; this module must not
//! raise diagnostics or call back into the caller.

use super::escape;
use super::node_key;
use super::plan::Plan;
use super::summary;
use comrak::html::{format_node_default, ChildRendering, Context};
use comrak::nodes::{AlertType, AstNode, NodeLink, NodeValue, TableAlignment};
use std::fmt::{self, Write as _};

/// What the writer needs besides the tree.
#[derive(Debug)]
pub(crate) struct Writer<'p> {
    /// Decisions of the planning pass.
    pub(crate) plan: &'p Plan,
    /// `lazy_async_image`.
    pub(crate) lazy_images: bool,
}

type Ctx<'o, 'c, 'p> = Context<'o, 'c, Writer<'p>>;

/// What a writer function returns: how comrak should treat the children.
type Written = Result<ChildRendering, fmt::Error>;

const HTML: Written = Ok(ChildRendering::HTML);

/// The formatter handed to `comrak::html::format_document_with_formatter`.
pub(crate) fn format_node<'a>(
    context: &mut Ctx<'_, '_, '_>,
    node: &'a AstNode<'a>,
    entering: bool,
) -> Written {
    let plan = context.user.plan;
    let key = node_key(node);
    let data = node.data();
    match &data.value {
        NodeValue::Text(text) if entering => body_text(context, text),
        NodeValue::Code(code) if entering => inline_code(context, &code.literal),
        NodeValue::Heading(_) if plan.headings.contains_key(&key) => {
            let html = &plan.headings[&key];
            block_open_close(context, entering, &html.open, &html.close)
        }
        NodeValue::Link(_) if plan.withheld_links.contains_key(&key) => open_close(
            context,
            entering,
            "<span class=\"withheld-link\">",
            &plan.withheld_links[&key],
        ),
        NodeValue::Link(_) if plan.external_links.contains_key(&key) => {
            open_close(context, entering, &plan.external_links[&key], "</a>")
        }
        NodeValue::Image(link) if context.user.lazy_images => lazy_image(context, link, entering),
        NodeValue::CodeBlock(_) if entering => block(
            context,
            plan.code_blocks.get(&key).map_or("", String::as_str),
        ),
        NodeValue::CodeBlock(_) => HTML,
        NodeValue::HtmlBlock(html) if plan.more == Some(key) && entering => {
            block(context, &summary::replace_marker_line(&html.literal))?;
            context.cr()?;
            HTML
        }
        NodeValue::HtmlInline(_) if plan.more == Some(key) && entering => {
            context.write_str(summary::SENTINEL)?;
            HTML
        }
        NodeValue::FootnoteReference(_) if entering => {
            context.write_str(plan.footnotes.refs.get(&key).map_or("", String::as_str))?;
            HTML
        }
        NodeValue::FootnoteDefinition(_) => match plan.footnotes.defs.get(&key) {
            Some((open, close)) => block_open_close(context, entering, open, close),
            None => Ok(ChildRendering::Skip),
        },
        // comrak would add its own back-reference to a footnote's last
        // paragraph; Zola's (bottom mode only) are planned in `footnotes`.
        NodeValue::Paragraph if !entering && in_footnote_definition(node) => {
            context.write_str(
                plan.footnotes
                    .paragraph_suffix
                    .get(&key)
                    .map_or("", String::as_str),
            )?;
            context.write_str("</p>\n")?;
            HTML
        }
        NodeValue::Table(_) => block_open_close(context, entering, "<table>", "</tbody></table>\n"),
        NodeValue::TableRow(true) => {
            open_close(context, entering, "<thead><tr>", "</tr></thead><tbody>\n")
        }
        NodeValue::TableRow(false) => open_close(context, entering, "<tr>", "</tr>\n"),
        NodeValue::TableCell => table_cell(context, node, entering),
        NodeValue::TaskItem(task) => task_item(context, task.symbol.is_some(), entering),
        NodeValue::Alert(alert) => alert_block(context, alert.alert_type, entering),
        _ => {
            drop(data);
            format_node_default(context, node, entering)
        }
    }
}

/// Writes `open` on entering and `close` on leaving.
fn open_close(context: &mut Ctx<'_, '_, '_>, entering: bool, open: &str, close: &str) -> Written {
    if entering {
        context.write_str(open)?;
    } else {
        context.write_str(close)?;
    }
    HTML
}

/// Like [`open_close`] for block elements, which pulldown-cmark starts on a
/// new line.
fn block_open_close(
    context: &mut Ctx<'_, '_, '_>,
    entering: bool,
    open: &str,
    close: &str,
) -> Written {
    if entering {
        context.cr()?;
        context.write_str(open)?;
    } else {
        context.write_str(close)?;
    }
    HTML
}

/// A block of ready HTML on its own line.
fn block(context: &mut Ctx<'_, '_, '_>, html: &str) -> Written {
    context.cr()?;
    context.write_str(html)?;
    HTML
}

fn in_footnote_definition(node: &AstNode<'_>) -> bool {
    node.parent()
        .is_some_and(|p| matches!(p.data().value, NodeValue::FootnoteDefinition(_)))
}

/// pulldown-cmark escapes only `&`, `<` and `>` in text.
fn body_text(context: &mut Ctx<'_, '_, '_>, text: &str) -> Written {
    let mut out = String::with_capacity(text.len());
    escape::escape_body(&mut out, text);
    context.write_str(&out)?;
    HTML
}

fn inline_code(context: &mut Ctx<'_, '_, '_>, code: &str) -> Written {
    context.write_str("<code>")?;
    body_text(context, code)?;
    context.write_str("</code>")?;
    HTML
}

/// Zola's lazy image: title (escaped as an href, as Zola does) before
/// alt, then the loading attributes.
fn lazy_image(context: &mut Ctx<'_, '_, '_>, link: &NodeLink, entering: bool) -> Written {
    if !entering {
        context.write_str("\" loading=\"lazy\" decoding=\"async\" />")?;
        return HTML;
    }
    context.write_str("<img src=\"")?;
    context.escape_href(&link.url)?;
    if !link.title.is_empty() {
        context.write_str("\" title=\"")?;
        context.escape_href(&link.title)?;
    }
    context.write_str("\" alt=\"")?;
    Ok(ChildRendering::Plain)
}

fn task_item(context: &mut Ctx<'_, '_, '_>, checked: bool, entering: bool) -> Written {
    let open = if checked {
        "<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\n"
    } else {
        "<li><input disabled=\"\" type=\"checkbox\"/>\n"
    };
    block_open_close(context, entering, open, "</li>\n")
}

/// GitHub alerts as pulldown-cmark writes them: a classed blockquote.
fn alert_block(context: &mut Ctx<'_, '_, '_>, kind: AlertType, entering: bool) -> Written {
    context.cr()?;
    if !entering {
        context.write_str("</blockquote>\n")?;
        return HTML;
    }
    let kind = match kind {
        AlertType::Note => "note",
        AlertType::Tip => "tip",
        AlertType::Important => "important",
        AlertType::Warning => "warning",
        AlertType::Caution => "caution",
    };
    writeln!(context, "<blockquote class=\"markdown-alert-{kind}\">")?;
    HTML
}

/// `<th>`/`<td>` with pulldown-cmark's `style="text-align: …"`.
fn table_cell<'a>(context: &mut Ctx<'_, '_, '_>, cell: &'a AstNode<'a>, entering: bool) -> Written {
    let row = cell.parent();
    let header = row.is_some_and(|r| matches!(r.data().value, NodeValue::TableRow(true)));
    if !entering {
        context.write_str(if header { "</th>" } else { "</td>" })?;
        return HTML;
    }
    let index = cell.preceding_siblings().count().saturating_sub(1);
    let alignment = row
        .and_then(|r| r.parent())
        .and_then(|t| match &t.data().value {
            NodeValue::Table(table) => table.alignments.get(index).copied(),
            _ => None,
        });
    context.write_str(if header { "<th" } else { "<td" })?;
    context.write_str(match alignment {
        Some(TableAlignment::Left) => " style=\"text-align: left\">",
        Some(TableAlignment::Center) => " style=\"text-align: center\">",
        Some(TableAlignment::Right) => " style=\"text-align: right\">",
        _ => ">",
    })?;
    HTML
}
