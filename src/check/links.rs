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
