//! What `serve --audience` may show of the site's own files: a changed
//! file's path in the status and the log, and the file, message and help of
//! a diagnostic in the status, the log and the error overlay. A content
//! path the audience's build does not publish is never shown; a
//! diagnostic located in such a file becomes a bare notice.
//!
//! Must not decide what is published (the pipeline's report says).

use crate::diagnostics::Diagnostic;
use crate::pipeline::Report;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Shown instead of a withheld path.
const WITHHELD: &str = "(a file this audience may not read)";

/// The filter for one serve session.
#[derive(Debug, Default)]
pub(crate) struct Redactor {
    /// Serving for one audience.
    active: bool,
    /// Content files the latest full build published (site-relative).
    visible: Option<HashSet<PathBuf>>,
}

impl Redactor {
    /// A redactor for a serve for one audience (`active`), or one that
    /// shows everything.
    pub(crate) fn new(active: bool) -> Redactor {
        Redactor {
            active,
            visible: None,
        }
    }

    /// Takes the published files of a full build; a partial rebuild keeps
    /// the previous ones (it cannot change which documents are published).
    pub(crate) fn update(&mut self, report: &Report) {
        if let Some(v) = &report.visible_content {
            self.visible = Some(v.clone());
        }
    }

    /// True when a site-relative path may be shown: anything outside
    /// `content/`, and content the build publishes. Before any build has
    /// said what it publishes, no content path is shown.
    pub(crate) fn shows(&self, site_relative: &Path) -> bool {
        if !self.active || !site_relative.starts_with("content") {
            return true;
        }
        self.visible
            .as_ref()
            .is_some_and(|v| v.contains(site_relative))
    }

    /// A path for the status and the log.
    pub(crate) fn path(&self, site_relative: &Path) -> String {
        if self.shows(site_relative) {
            site_relative.display().to_string()
        } else {
            WITHHELD.to_string()
        }
    }

    /// The diagnostics with those located in a withheld file replaced by
    /// a notice that says nothing of the file.
    pub(crate) fn diagnostics(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .map(|d| match &d.file {
                Some(file) if !self.shows(file) => {
                    let mut notice = Diagnostic::error(
                        "serve::withheld",
                        "a file this audience may not read has a problem",
                    )
                    .with_help("run `handbok check` without `--audience` to see it");
                    notice.severity = d.severity;
                    notice
                }
                _ => d,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_published_content_paths_are_shown_for_an_audience() {
        let mut r = Redactor::new(true);
        assert!(!r.shows(Path::new("content/hemlig.md")), "before any build");
        assert!(r.shows(Path::new("templates/page.html")));
        r.update(&Report {
            visible_content: Some([PathBuf::from("content/oppen.md")].into()),
            ..Report::default()
        });
        r.update(&Report::default());
        assert!(r.shows(Path::new("content/oppen.md")));
        assert_eq!(r.path(Path::new("content/hemlig.md")), WITHHELD);
        let d = Diagnostic::warning("x::y", "secret words").in_file("content/hemlig.md");
        let shown = r.diagnostics(vec![d]);
        assert_eq!(shown[0].code, "serve::withheld");
        assert!(shown[0].file.is_none() && !shown[0].message.contains("secret"));
        assert!(Redactor::new(false).shows(Path::new("content/hemlig.md")));
    }
}
