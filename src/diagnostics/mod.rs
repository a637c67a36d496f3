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

pub use locate::locate_key;
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
    /// does not depend on thread scheduling.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut all = self.lock().clone();
        all.sort_by(|a, b| {
            (&a.file, a.position, a.code, &a.message)
                .cmp(&(&b.file, b.position, b.code, &b.message))
        });
        all.dedup();
        all
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Diagnostic>> {
        // A poisoned lock only means another thread panicked while pushing;
        // the vector itself is still a valid list of diagnostics.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}
