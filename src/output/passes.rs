//! Post-render passes over finished HTML pages, one small trait for all of
//! them (Zola's middleware): the banner of a point-in-time build, the
//! live-reload script `serve` adds to what it sends, and any later
//! rewriting of whole pages. A pass sees one page's text and gives the new
//! text; it must not decide what pages exist.

use super::{Output, OutputSet};
use rayon::prelude::*;

/// A rewrite of a whole HTML page after rendering.
pub(crate) trait HtmlPass: Sync {
    /// The page rewritten, or `None` to leave it as it is.
    fn apply(&self, html: &str) -> Option<String>;
}

/// True if `text` is an HTML document a pass should see (not a feed, a
/// stylesheet or a script).
fn is_html_page(text: &str) -> bool {
    text.contains("<body")
}

/// Runs `passes` in order over every generated HTML page of `out`.
pub(crate) fn apply_to_pages(out: &mut OutputSet, passes: &[&dyn HtmlPass]) {
    if passes.is_empty() {
        return;
    }
    out.files.par_iter_mut().for_each(|(_, output)| {
        let Output::Bytes(bytes) = output else {
            return;
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            return;
        };
        if !is_html_page(text) {
            return;
        }
        if let Some(changed) = apply(text, passes) {
            *bytes = changed.into_bytes().into();
        }
    });
}

/// Runs `passes` in order over one page; `None` when none changed it.
pub(crate) fn apply(html: &str, passes: &[&dyn HtmlPass]) -> Option<String> {
    let mut current: Option<String> = None;
    for pass in passes {
        let text = current.as_deref().unwrap_or(html);
        if let Some(next) = pass.apply(text) {
            current = Some(next);
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Append(&'static str);

    impl HtmlPass for Append {
        fn apply(&self, html: &str) -> Option<String> {
            Some(format!("{html}{}", self.0))
        }
    }

    #[test]
    fn passes_run_in_order_on_pages_only() {
        let mut out = OutputSet::default();
        out.text("a/index.html", "<html><body>a</body></html>".into());
        out.text("atom.xml", "<feed></feed>".into());
        apply_to_pages(&mut out, &[&Append("1"), &Append("2")]);
        assert_eq!(
            out.get_text("a/index.html"),
            Some("<html><body>a</body></html>12")
        );
        assert_eq!(out.get_text("atom.xml"), Some("<feed></feed>"));
    }
}
