//! Link and image destinations, rewritten as Zola's `fix_link` does:
//! `@/path.md#anchor` through the caller's resolver, colocated assets and
//! `#anchor` joined to the page permalink, external links recorded and
//! given the `external_links_*` attributes.
//!
//! Owns the classification of a destination and the external `<a>` tag.
//! Must not read files or know how pages map to permalinks (the resolver in
//! `MdContext` does).

use super::escape;
use crate::config::MarkdownConfig;
use percent_encoding::percent_decode_str;

/// What becomes of one link destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkTarget {
    /// `[x]()`: an error in Zola; rendered as `#`.
    Empty,
    /// `@/dir/file.md#anchor`, resolved.
    Internal {
        /// The permalink (with `#anchor` when given).
        href: String,
        /// `dir/file.md`, percent-decoded.
        target: String,
        /// The anchor, if any.
        anchor: Option<String>,
    },
    /// `@/…` that the resolver does not know; left as written.
    Broken {
        /// `dir/file.md`, percent-decoded.
        target: String,
    },
    /// An `http:`/`https:` URL.
    External,
    /// A colocated asset (`img.png`, `./doc.pdf`): permalink + link.
    Colocated(String),
    /// `#anchor` on this page: permalink + link.
    SelfAnchor {
        /// Permalink + `#anchor`.
        href: String,
        /// The anchor without `#`.
        anchor: String,
    },
    /// Anything else (`/abs`, `../x`, `mailto:`, `#`): untouched.
    Unchanged,
}

/// True when a destination starts with something that looks like a URL
/// scheme (`[0-9A-Za-z-]+:`), as Zola's `STARTS_WITH_SCHEMA_RE` checks.
fn has_scheme(link: &str) -> bool {
    match link.find(':') {
        Some(i) if i > 0 => link[..i]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        _ => false,
    }
}

/// Zola's colocated-asset rule: not `/…`, `..…`, `#…` or a scheme.
pub(crate) fn is_colocated(link: &str) -> bool {
    !link.starts_with('/') && !link.starts_with("..") && !link.starts_with('#') && !has_scheme(link)
}

/// Only `http:` and `https:` links are external, as in Zola.
pub(crate) fn is_external(link: &str) -> bool {
    link.starts_with("http:") || link.starts_with("https:")
}

/// Classifies a link destination (Zola's `fix_link`, in its order).
pub(crate) fn classify_link(
    link: &str,
    permalink: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> LinkTarget {
    if link.is_empty() {
        LinkTarget::Empty
    } else if let Some(rest) = link.strip_prefix("@/") {
        let mut parts = rest.split('#');
        let path = parts.next().unwrap_or_default();
        let anchor = parts.next().map(str::to_string);
        let target = percent_decode_str(path).decode_utf8_lossy().into_owned();
        match resolve(&target) {
            Some(resolved) => {
                let href = match &anchor {
                    Some(a) => format!("{resolved}#{a}"),
                    None => resolved,
                };
                LinkTarget::Internal {
                    href,
                    target,
                    anchor,
                }
            }
            None => LinkTarget::Broken { target },
        }
    } else if is_colocated(link) {
        LinkTarget::Colocated(format!("{permalink}{link}"))
    } else if is_external(link) {
        LinkTarget::External
    } else if link == "#" {
        LinkTarget::Unchanged
    } else if let Some(anchor) = link.strip_prefix('#') {
        LinkTarget::SelfAnchor {
            href: format!("{permalink}{link}"),
            anchor: anchor.to_string(),
        }
    } else {
        LinkTarget::Unchanged
    }
}

/// True when any `external_links_*` option changes how external links look.
pub(crate) fn has_external_link_tweaks(md: &MarkdownConfig) -> bool {
    md.external_links_target_blank
        || md.external_links_no_follow
        || md.external_links_no_referrer
        || md.external_links_external
        || md.external_links_class.is_some()
}

/// Zola's external `<a>` tag: `class`, `rel`, `target`, `title`, `href`, in
/// that order. `href_escaped` is already escaped for an attribute.
pub(crate) fn external_link_tag(md: &MarkdownConfig, href_escaped: &str, title: &str) -> String {
    let mut tag = String::from("<a ");
    if let Some(class) = &md.external_links_class {
        tag.push_str(&format!("class=\"{}\" ", escape::attr(class)));
    }
    let mut rel = Vec::new();
    if md.external_links_target_blank {
        // Zola adds noopener whenever it opens a new tab.
        rel.push("noopener");
    }
    if md.external_links_no_follow {
        rel.push("nofollow");
    }
    if md.external_links_no_referrer {
        rel.push("noreferrer");
    }
    if md.external_links_external {
        rel.push("external");
    }
    if !rel.is_empty() {
        tag.push_str(&format!("rel=\"{}\" ", rel.join(" ")));
    }
    if md.external_links_target_blank {
        tag.push_str("target=\"_blank\" ");
    }
    if !title.is_empty() {
        tag.push_str(&format!("title=\"{}\" ", escape::attr(title)));
    }
    tag.push_str(&format!("href=\"{href_escaped}\">"));
    tag
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(path: &str) -> Option<String> {
        (path == "blog/a b.md").then(|| "https://ex.org/blog/a-b/".to_string())
    }

    #[test]
    fn destinations_are_classified_in_zola_order() {
        let p = "https://ex.org/page/";
        assert_eq!(classify_link("", p, &resolve), LinkTarget::Empty);
        assert_eq!(
            classify_link("@/blog/a%20b.md#x", p, &resolve),
            LinkTarget::Internal {
                href: "https://ex.org/blog/a-b/#x".into(),
                target: "blog/a b.md".into(),
                anchor: Some("x".into()),
            }
        );
        assert_eq!(
            classify_link("@/nope.md", p, &resolve),
            LinkTarget::Broken {
                target: "nope.md".into()
            }
        );
        assert_eq!(
            classify_link("img.png", p, &resolve),
            LinkTarget::Colocated(format!("{p}img.png"))
        );
        assert_eq!(
            classify_link("./a.pdf", p, &resolve),
            LinkTarget::Colocated(format!("{p}./a.pdf"))
        );
        assert_eq!(
            classify_link("https://x.org", p, &resolve),
            LinkTarget::External
        );
        assert_eq!(classify_link("#", p, &resolve), LinkTarget::Unchanged);
        assert_eq!(
            classify_link("#sec", p, &resolve),
            LinkTarget::SelfAnchor {
                href: format!("{p}#sec"),
                anchor: "sec".into()
            }
        );
        for unchanged in ["/abs/", "../up.md", "mailto:a@b.c", "tel:+1", "xmpp:x@y"] {
            assert_eq!(
                classify_link(unchanged, p, &resolve),
                LinkTarget::Unchanged,
                "{unchanged}"
            );
        }
    }
}
