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

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A thread-safe collector: parallel stages push into one shared value.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    inner: Arc<Mutex<Vec<Diagnostic>>>,
    /// Problems that follow from others (a template failing on a value
    /// an earlier error left out), each with its message less what it was
    /// found in: reported after the others, repeats once with a count.
    follow_ons: Arc<Mutex<Vec<(String, Diagnostic)>>>,
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

    /// Records a problem that follows from others and may repeat for many
    /// pages; `key` is its message without the page.
    pub fn push_follow_on(&self, key: impl Into<String>, diagnostic: Diagnostic) {
        lock(&self.follow_ons).push((key.into(), diagnostic));
    }

    /// Records several problems.
    pub fn extend(&self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.lock().extend(diagnostics);
    }

    /// True if any recorded problem is an error.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Number of errors recorded so far.
    pub fn error_count(&self) -> usize {
        self.lock().iter().filter(|d| d.is_error()).count()
            + lock(&self.follow_ons)
                .iter()
                .filter(|(_, d)| d.is_error())
                .count()
    }

    /// Number of warnings recorded so far.
    pub fn warning_count(&self) -> usize {
        self.lock().iter().filter(|d| !d.is_error()).count()
            + lock(&self.follow_ons)
                .iter()
                .filter(|(_, d)| !d.is_error())
                .count()
    }

    /// All problems, sorted by file, position and code so that output order
    /// does not depend on thread scheduling; follow-on problems come after
    /// the others (the root cause first), and identical ones are collapsed
    /// into one with a count.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let order = |d: &Diagnostic| (d.file.clone(), d.position, d.code, d.message.clone());
        let mut all = self.lock().clone();
        all.sort_by_key(order);
        all.dedup();
        let mut follow_ons = lock(&self.follow_ons).clone();
        follow_ons.sort_by_key(|(key, d)| (order(d), key.clone()));
        follow_ons.dedup();
        all.extend(collapse(follow_ons));
        all
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Diagnostic>> {
        lock(&self.inner)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A poisoned lock only means another thread panicked while pushing;
    // the vector itself is still a valid list of diagnostics.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Keeps the first of the follow-on problems with the same code, place,
/// severity and key, telling how many more there were.
fn collapse(follow_ons: Vec<(String, Diagnostic)>) -> Vec<Diagnostic> {
    let mut groups: Vec<(Diagnostic, usize)> = Vec::new();
    let mut index: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for (key, d) in follow_ons {
        let id = (d.code, d.file.clone(), d.position, d.severity, key);
        match index.get(&id) {
            Some(&i) => groups[i].1 += 1,
            None => {
                index.insert(id, groups.len());
                groups.push((d, 0));
            }
        }
    }
    groups
        .into_iter()
        .map(|(mut d, more)| {
            if more > 0 {
                d.message.push_str(&format!(" (and {more} more like this)"));
            }
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_on_problems_come_last_and_repeats_collapse_into_one() {
        let diags = Diagnostics::new();
        for page in ["a", "b", "c"] {
            diags.push_follow_on(
                "failed: x",
                Diagnostic::error("template::render", format!("failed for {page}: x")).at_line_col(
                    "templates/page.html",
                    3,
                    4,
                ),
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
