//! Footnotes in Zola's two shapes.
//!
//! - Default (pulldown-cmark): references `<sup class="footnote-reference">
//!   <a href="#NAME">N</a></sup>` and definitions left where they are written
//!   as `<div class="footnote-definition" id="NAME">`, numbered by first
//!   appearance of a reference or definition.
//! - `bottom_footnotes`: references get `id="fr-NAME-K"`, only
//!   referenced notes are kept, moved to a `<section class="footnotes">` at
//!   the end in reference order, with `↩` back-references.
//!
//! Owns numbering, ids and moving definition nodes. Must not render other
//! nodes.

use super::escape;
use super::node_key as key;
use comrak::nodes::{AstNode, NodeValue};
use std::collections::HashMap;

/// The HTML decided for footnote nodes, keyed by node.
#[derive(Debug, Default)]
pub(crate) struct FootnoteHtml {
    /// Complete HTML of each reference.
    pub(crate) refs: HashMap<usize, String>,
    /// Opening and closing HTML of each definition.
    pub(crate) defs: HashMap<usize, (String, String)>,
    /// Back-references written before `</p>` of a definition's last paragraph.
    pub(crate) paragraph_suffix: HashMap<usize, String>,
    /// Ids the footnotes define.
    pub(crate) anchors: Vec<String>,
}

/// Collects footnote nodes in document order (definitions still in place).
#[derive(Debug, Default)]
pub(crate) struct FootnoteCollector<'a> {
    refs: Vec<(&'a AstNode<'a>, String)>,
    defs: Vec<(&'a AstNode<'a>, String)>,
    /// Default-mode numbers: first appearance of a reference or definition.
    numbers: HashMap<String, usize>,
    /// Bottom-mode numbers and reference counts: references only.
    ref_numbers: HashMap<String, (usize, usize)>,
    /// Per reference node: (default number, bottom number, occurrence).
    ref_info: Vec<(usize, usize, usize)>,
    def_numbers: Vec<usize>,
}

impl<'a> FootnoteCollector<'a> {
    /// Records a node if it is a footnote reference or definition.
    pub(crate) fn visit(&mut self, node: &'a AstNode<'a>) {
        let name = match &node.data().value {
            NodeValue::FootnoteReference(r) => (true, r.name.clone()),
            NodeValue::FootnoteDefinition(d) => (false, d.name.clone()),
            _ => return,
        };
        let next = self.numbers.len() + 1;
        let number = *self.numbers.entry(name.1.clone()).or_insert(next);
        if name.0 {
            let next = self.ref_numbers.len() + 1;
            let entry = self.ref_numbers.entry(name.1.clone()).or_insert((next, 0));
            entry.1 += 1;
            self.ref_info.push((number, entry.0, entry.1));
            self.refs.push((node, name.1));
        } else {
            self.def_numbers.push(number);
            self.defs.push((node, name.1));
        }
    }

    /// Decides the HTML; in bottom mode also moves referenced definitions to
    /// the end of `root` (in reference order) and drops unreferenced ones.
    pub(crate) fn finish(self, root: &'a AstNode<'a>, bottom: bool) -> FootnoteHtml {
        let mut out = FootnoteHtml::default();
        if bottom {
            self.finish_bottom(root, &mut out);
        } else {
            for ((node, name), number) in self.refs.iter().zip(&self.ref_info) {
                let name = escape::attr(name);
                out.refs.insert(
                    key(node),
                    format!(
                        "<sup class=\"footnote-reference\"><a href=\"#{name}\">{}</a></sup>",
                        number.0
                    ),
                );
            }
            for ((node, name), number) in self.defs.iter().zip(&self.def_numbers) {
                let id = escape::attr(name);
                out.defs.insert(
                    key(node),
                    (
                        format!("<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{number}</sup>"),
                        "</div>\n".to_string(),
                    ),
                );
                out.anchors.push(name.clone());
            }
        }
        out
    }

    fn finish_bottom(self, root: &'a AstNode<'a>, out: &mut FootnoteHtml) {
        for ((node, name), info) in self.refs.iter().zip(&self.ref_info) {
            let (number, occurrence) = (info.1, info.2);
            let esc = escape::attr(name);
            out.refs.insert(
                key(node),
                format!("<sup class=\"footnote-reference\" id=\"fr-{esc}-{occurrence}\"><a href=\"#fn-{esc}\">{number}</a></sup>"),
            );
            out.anchors.push(format!("fr-{name}-{occurrence}"));
        }
        let mut kept: Vec<(usize, &'a AstNode<'a>, &String)> = Vec::new();
        for (node, name) in &self.defs {
            node.detach();
            if let Some((number, _)) = self.ref_numbers.get(name) {
                kept.push((*number, node, name));
            }
        }
        kept.sort_by_key(|(number, _, _)| *number);
        let last = kept.len().saturating_sub(1);
        for (i, (_, node, name)) in kept.into_iter().enumerate() {
            root.append(node);
            let uses = self.ref_numbers.get(name).map_or(0, |(_, uses)| *uses);
            let esc = escape::attr(name);
            let backrefs: String = (1..=uses)
                .map(|k| match k {
                    1 => format!(" <a href=\"#fr-{esc}-1\">↩</a>"),
                    k => format!(" <a href=\"#fr-{esc}-{k}\">↩{k}</a>"),
                })
                .collect();
            let mut open = String::new();
            if i == 0 {
                open.push_str("<section class=\"footnotes\">\n<ol class=\"footnotes-list\">\n");
            }
            open.push_str(&format!("<li id=\"fn-{esc}\">"));
            let mut close = String::new();
            match node.last_child() {
                Some(p) if matches!(p.data().value, NodeValue::Paragraph) => {
                    out.paragraph_suffix.insert(key(p), backrefs);
                }
                _ => close.push_str(&backrefs),
            }
            close.push_str("</li>\n");
            if i == last {
                close.push_str("</ol>\n</section>\n");
            }
            out.defs.insert(key(node), (open, close));
            out.anchors.push(format!("fn-{name}"));
        }
    }
}
