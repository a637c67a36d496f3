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
use comrak::nodes::{AlertType, AstNode, NodeValue, TableAlignment};
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

/// The formatter handed to `comrak::html::format_document_with_formatter`.
pub(crate) fn format_node<'a>(
    context: &mut Ctx<'_, '_, '_>,
    node: &'a AstNode<'a>,
    entering: bool,
) -> Result<ChildRendering, fmt::Error> {
    let plan = context.user.plan;
    let key = node_key(node);
    let data = node.data();
    match &data.value {
        NodeValue::Text(text) => {
            if entering {
                write_body_text(context, text)?;
            }
        }
        NodeValue::Code(code) => {
            if entering {
                context.write_str("<code>")?;
                write_body_text(context, &code.literal)?;
                context.write_str("</code>")?;
            }
        }
        NodeValue::Heading(_) if plan.headings.contains_key(&key) => {
            let html = &plan.headings[&key];
            if entering {
                context.cr()?;
                context.write_str(&html.open)?;
            } else {
                context.write_str(&html.close)?;
            }
        }
        NodeValue::Link(_) if plan.external_links.contains_key(&key) => {
            context.write_str(if entering {
                &plan.external_links[&key]
            } else {
                "</a>"
            })?;
        }
        NodeValue::Image(link) if context.user.lazy_images => {
            if entering {
                // Zola's lazy image: title (escaped as an href, as Zola does)
                // before alt, then the loading attributes.
                context.write_str("<img src=\"")?;
                context.escape_href(&link.url)?;
                if !link.title.is_empty() {
                    context.write_str("\" title=\"")?;
                    context.escape_href(&link.title)?;
                }
                context.write_str("\" alt=\"")?;
                return Ok(ChildRendering::Plain);
            }
            context.write_str("\" loading=\"lazy\" decoding=\"async\" />")?;
        }
        NodeValue::CodeBlock(_) => {
            if entering {
                context.cr()?;
                if let Some(html) = plan.code_blocks.get(&key) {
                    context.write_str(html)?;
                }
            }
        }
        NodeValue::HtmlBlock(block) if plan.more == Some(key) => {
            if entering {
                context.cr()?;
                context.write_str(&summary::replace_marker_line(&block.literal))?;
                context.cr()?;
            }
        }
        NodeValue::HtmlInline(_) if plan.more == Some(key) => {
            if entering {
                context.write_str(summary::SENTINEL)?;
            }
        }
        NodeValue::FootnoteReference(_) => {
            if entering {
                if let Some(html) = plan.footnotes.refs.get(&key) {
                    context.write_str(html)?;
                }
            }
        }
        NodeValue::FootnoteDefinition(_) => match plan.footnotes.defs.get(&key) {
            Some((open, close)) => {
                if entering {
                    context.cr()?;
                    context.write_str(open)?;
                } else {
                    context.write_str(close)?;
                }
            }
            None => return Ok(ChildRendering::Skip),
        },
        // comrak would add its own back-reference to a footnote's last
        // paragraph; Zola's (bottom mode only) are planned in `footnotes`.
        NodeValue::Paragraph if !entering && in_footnote_definition(node) => {
            if let Some(suffix) = plan.footnotes.paragraph_suffix.get(&key) {
                context.write_str(suffix)?;
            }
            context.write_str("</p>\n")?;
        }
        NodeValue::Table(_) => {
            if entering {
                context.cr()?;
                context.write_str("<table>")?;
            } else {
                context.write_str("</tbody></table>\n")?;
            }
        }
        NodeValue::TableRow(header) => context.write_str(match (*header, entering) {
            (true, true) => "<thead><tr>",
            (true, false) => "</tr></thead><tbody>\n",
            (false, true) => "<tr>",
            (false, false) => "</tr>\n",
        })?,
        NodeValue::TableCell => write_table_cell(context, node, entering)?,
        NodeValue::TaskItem(task) => {
            if entering {
                context.cr()?;
                context.write_str("<li>")?;
                context.write_str(if task.symbol.is_some() {
                    "<input disabled=\"\" type=\"checkbox\" checked=\"\"/>\n"
                } else {
                    "<input disabled=\"\" type=\"checkbox\"/>\n"
                })?;
            } else {
                context.write_str("</li>\n")?;
            }
        }
        NodeValue::Alert(alert) => {
            context.cr()?;
            if entering {
                let kind = match alert.alert_type {
                    AlertType::Note => "note",
                    AlertType::Tip => "tip",
                    AlertType::Important => "important",
                    AlertType::Warning => "warning",
                    AlertType::Caution => "caution",
                };
                writeln!(context, "<blockquote class=\"markdown-alert-{kind}\">")?;
            } else {
                context.write_str("</blockquote>\n")?;
            }
        }
        _ => {
            drop(data);
            return format_node_default(context, node, entering);
        }
    }
    Ok(ChildRendering::HTML)
}

fn in_footnote_definition(node: &AstNode<'_>) -> bool {
    node.parent()
        .is_some_and(|p| matches!(p.data().value, NodeValue::FootnoteDefinition(_)))
}

/// pulldown-cmark escapes only `&`, `<` and `>` in text.
fn write_body_text(context: &mut Ctx<'_, '_, '_>, text: &str) -> fmt::Result {
    let mut out = String::with_capacity(text.len());
    escape::escape_body(&mut out, text);
    context.write_str(&out)
}

/// `<th>`/`<td>` with pulldown-cmark's `style="text-align: …"`.
fn write_table_cell<'a>(
    context: &mut Ctx<'_, '_, '_>,
    cell: &'a AstNode<'a>,
    entering: bool,
) -> fmt::Result {
    let row = cell.parent();
    let header = row.is_some_and(|r| matches!(r.data().value, NodeValue::TableRow(true)));
    if !entering {
        return context.write_str(if header { "</th>" } else { "</td>" });
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
    })
}
