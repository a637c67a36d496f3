//! Internal link checks: every `@/x.md#anchor` must name an id that the
//! target defines.

use crate::config::Config;
use crate::content::{ContentTree, Item};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, SourceFile};
use crate::markdown::InternalLink;

/// Checks the anchors of every recorded internal link (`#top` and an
/// empty anchor are always fine, as in Zola). `anchors_of` gives the ids a
/// target defines.
pub(crate) fn check_anchors<'a>(
    config: &Config,
    tree: &ContentTree,
    links: &[(&SourceFile, &[InternalLink])],
    anchors_of: &dyn Fn(Item) -> Option<&'a [String]>,
    diags: &Diagnostics,
) {
    let severity = if config.link_checker.internal_level == "warn" {
        Severity::Warning
    } else {
        Severity::Error
    };
    for (source, links) in links {
        for link in links.iter() {
            let Some(anchor) = link
                .anchor
                .as_deref()
                .filter(|a| !a.is_empty() && *a != "top")
            else {
                continue;
            };
            if config
                .link_checker
                .skip_anchor_prefixes
                .iter()
                .any(|p| anchor.starts_with(p.as_str()))
            {
                continue;
            }
            // A missing target was already reported as a broken link.
            let Some(known) = tree.get(&link.target).and_then(anchors_of) else {
                continue;
            };
            if known.iter().any(|a| a == anchor) {
                continue;
            }
            let names: Vec<&str> = known.iter().map(String::as_str).collect();
            let d = Diagnostic::error(
                "link::broken-anchor",
                format!("`@/{}` has no anchor `#{anchor}`", link.target),
            )
            .with_severity(severity)
            .at(source, link.offset);
            diags.push(match crate::config::nearest(anchor, &names) {
                Some(best) => d.with_help(format!("did you mean `#{best}`?")),
                None => d.with_help("anchors are the ids of the target's headings"),
            });
        }
    }
}

/// What an item's rendered Markdown links to and defines, by item.
pub(crate) type LinksOf<'a> = dyn Fn(Item) -> Option<(&'a [InternalLink], &'a [String])> + 'a;

/// Every item of the tree with its source file.
fn items(tree: &ContentTree) -> impl Iterator<Item = (Item, &SourceFile)> {
    let pages = tree
        .page_ids()
        .map(|p| (Item::Page(p), &tree.page(p).source));
    let sections = tree
        .section_ids()
        .map(|s| (Item::Section(s), &tree.section(s).source));
    pages.chain(sections)
}

/// Checks the anchors of every internal link of the site.
pub(crate) fn check_site<'a>(
    config: &Config,
    tree: &'a ContentTree,
    links_of: &LinksOf<'a>,
    diags: &Diagnostics,
) {
    let links: Vec<(&SourceFile, &[InternalLink])> = items(tree)
        .filter_map(|(item, source)| links_of(item).map(|(links, _)| (source, links)))
        .collect();
    check_anchors(
        config,
        tree,
        &links,
        &|item| links_of(item).map(|(_, a)| a),
        diags,
    );
}

/// After one item's Markdown changed: checks its own links, and the links
/// of every item that points at it (its anchors may have changed).
/// `links_of` already gives the item's new links and anchors.
pub(crate) fn check_edit<'a>(
    config: &Config,
    tree: &'a ContentTree,
    edited: Item,
    links_of: &LinksOf<'a>,
    diags: &Diagnostics,
) {
    let relative = match edited {
        Item::Page(p) => tree.page(p).file.relative.as_str(),
        Item::Section(s) => tree.section(s).file.relative.as_str(),
    };
    let mut links: Vec<(&SourceFile, Vec<InternalLink>)> = Vec::new();
    for (item, source) in items(tree) {
        let Some((item_links, _)) = links_of(item) else {
            continue;
        };
        let relevant: Vec<InternalLink> = if item == edited {
            item_links.to_vec()
        } else {
            item_links
                .iter()
                .filter(|l| l.target == relative)
                .cloned()
                .collect()
        };
        if !relevant.is_empty() {
            links.push((source, relevant));
        }
    }
    let links: Vec<(&SourceFile, &[InternalLink])> =
        links.iter().map(|(s, l)| (*s, l.as_slice())).collect();
    check_anchors(
        config,
        tree,
        &links,
        &|item| links_of(item).map(|(_, a)| a),
        diags,
    );
}
