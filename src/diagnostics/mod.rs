//! Content problems as data: a [`Diagnostic`] names a file, a byte span into
//! the original text, a stable code and a help line. Stages push them into a
//! [`Diagnostics`] collector and keep going, so a run reports every problem,
//! not only the first.
//!
//! Must not import any other module of the crate, nor decide which codes are
//! errors (the stage that raises a diagnostic chooses its severity).

mod locate;
mod report;
mod source;

pub use locate::{locate_key, toml_error_offset};
pub use report::render_plain;
pub use source::{LineCol, LineIndex, SourceFile};

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How serious a problem is: errors fail the build, warnings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Printed; the build still succeeds (unless warnings are denied).
    Warning,
    /// The build fails with exit status 1 and the previous output is kept.
    Error,
}

/// One located problem in the user's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code such as `front-matter::invalid-toml`, documented for users.
    pub code: &'static str,
    /// Lowercase sentence, no trailing period.
    pub message: String,
    /// The file, relative to the site root where possible.
    pub file: Option<PathBuf>,
    /// 1-based line and column, already resolved against the original text.
    pub position: Option<LineCol>,
    /// How to fix the problem.
    pub help: Option<String>,
    /// For a problem that follows from another (a template failing on a
    /// value that an earlier error left out): the message without what it
    /// was found in. Follow-on problems are reported after the others, and
    /// those with the same code, place and key once, with a count.
    pub follow_on: Option<String>,
}

impl Diagnostic {
    /// An error with a code and a message, not yet located.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: None,
            position: None,
            help: None,
            follow_on: None,
        }
    }

    /// A warning with a code and a message, not yet located.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Names the file without a position (for whole-file problems).
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Locates the problem at a byte offset of a source file.
    pub fn at(mut self, source: &SourceFile, offset: usize) -> Self {
        self.file = Some(source.path.clone());
        self.position = Some(source.index.line_col(offset));
        self
    }

    /// Locates the problem at an explicit line and column.
    pub fn at_line_col(mut self, file: impl AsRef<Path>, line: usize, column: usize) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self.position = Some(LineCol { line, column });
        self
    }

    /// Adds the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Changes the severity (for rules whose severity is configurable).
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Marks the problem as one that follows from others, repeated for
    /// many pages: `key` is the message without the page.
    pub fn as_follow_on(mut self, key: impl Into<String>) -> Self {
        self.follow_on = Some(key.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A thread-safe collector: parallel stages push into one shared value.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    inner: Arc<Mutex<Vec<Diagnostic>>>,
}

impl Diagnostics {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one problem.
    pub fn push(&self, diagnostic: Diagnostic) {
        self.lock().push(diagnostic);
    }

    /// Records several problems.
    pub fn extend(&self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.lock().extend(diagnostics);
    }

    /// True if any recorded problem is an error.
    pub fn has_errors(&self) -> bool {
        self.lock().iter().any(Diagnostic::is_error)
    }

    /// Number of errors recorded so far.
    pub fn error_count(&self) -> usize {
        self.lock().iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings recorded so far.
    pub fn warning_count(&self) -> usize {
        self.lock().iter().filter(|d| !d.is_error()).count()
    }

    /// All problems, sorted by file, position and code so that output order
    /// does not depend on thread scheduling; follow-on problems come after
    /// the others (the root cause first), and identical ones are collapsed
    /// into one with a count.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut all = self.lock().clone();
        all.sort_by(|a, b| {
            (
                a.follow_on.is_some(),
                &a.file,
                a.position,
                a.code,
                &a.message,
            )
                .cmp(&(
                    b.follow_on.is_some(),
                    &b.file,
                    b.position,
                    b.code,
                    &b.message,
                ))
        });
        all.dedup();
        collapse_follow_ons(all)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Diagnostic>> {
        // A poisoned lock only means another thread panicked while pushing;
        // the vector itself is still a valid list of diagnostics.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Keeps the first of each run of follow-on problems with the same code,
/// place and key, telling how many more there were.
fn collapse_follow_ons(sorted: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let same = |a: &Diagnostic, b: &Diagnostic| {
        a.follow_on.is_some()
            && (a.code, &a.file, a.position, &a.follow_on, a.severity)
                == (b.code, &b.file, b.position, &b.follow_on, b.severity)
    };
    let mut out: Vec<Diagnostic> = Vec::with_capacity(sorted.len());
    let mut more = 0;
    for d in sorted {
        match out.last() {
            Some(last) if same(last, &d) => more += 1,
            _ => {
                note_more(&mut out, more);
                more = 0;
                out.push(d);
            }
        }
    }
    note_more(&mut out, more);
    out
}

fn note_more(out: &mut [Diagnostic], more: usize) {
    if let (Some(last), true) = (out.last_mut(), more > 0) {
        last.message
            .push_str(&format!(" (and {more} more like this)"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_on_problems_come_last_and_repeats_collapse_into_one() {
        let diags = Diagnostics::new();
        for page in ["a", "b", "c"] {
            diags.push(
                Diagnostic::error("template::render", format!("failed for {page}: x"))
                    .at_line_col("templates/page.html", 3, 4)
                    .as_follow_on("failed: x"),
            );
        }
        diags.push(Diagnostic::error("config::invalid", "bad value").at_line_col("z.toml", 9, 1));
        let sorted = diags.sorted();
        let messages: Vec<&str> = sorted.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            vec!["bad value", "failed for a: x (and 2 more like this)"]
        );
    }
}
