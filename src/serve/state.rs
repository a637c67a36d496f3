//! What `handbok serve` is serving: an immutable [`Snapshot`] (the last
//! good site, the latest errors, the build log), replaced whole after each
//! rebuild. Requests clone an `Arc` of it and never wait for a build.
//!
//! Must not build or answer requests.

use crate::diagnostics::Diagnostic;
use crate::output::{Output, OutputSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One build or rebuild, as the terminal and the status endpoint show it.
#[derive(Debug, Clone)]
pub struct BuildLog {
    /// Counts up with every change in what is served (pages reload when it
    /// differs from the one they were served with).
    pub generation: u64,
    /// The changed files that caused it, as `kind: path` (empty for the first build).
    pub trigger: Vec<String>,
    /// `full` (rendered again) or `unchanged` (nothing to render).
    pub strategy: &'static str,
    /// Why that strategy.
    pub reason: String,
    /// Wall time of the rebuild.
    pub took: Duration,
    /// How many outputs were rendered.
    pub rendered: usize,
    /// Output paths whose served bytes changed.
    pub changed: Vec<String>,
    /// Every diagnostic of the build (errors mean the previous site is kept).
    pub diagnostics: Vec<Diagnostic>,
    /// Pages, orphan pages and sections of the site being served.
    pub counts: (usize, usize, usize),
}

impl BuildLog {
    /// True if the build failed and the previous site is still served.
    pub fn failed(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// What is served now.
pub(crate) struct Snapshot {
    /// See [`BuildLog::generation`].
    pub(crate) generation: u64,
    /// The files of the last site built without errors.
    pub(crate) site: Option<Arc<OutputSet>>,
    /// The error overlay while the latest build has errors.
    pub(crate) overlay: Option<String>,
    /// Folders a copied file may really live in (the site root and the
    /// theme, canonical); symbolic links leading elsewhere are refused.
    pub(crate) roots: Vec<PathBuf>,
    /// The base URL's path (`/`, or `/handbok/`).
    pub(crate) base_path: String,
    /// The latest build.
    pub(crate) last: Option<BuildLog>,
}

impl Snapshot {
    /// An output of the last good site.
    pub(crate) fn output(&self, path: &str) -> Option<&Output> {
        self.site.as_ref()?.files.get(path)
    }

    /// The latest build as JSON (`/__handbok/status`), for tests and tools.
    pub(crate) fn status_json(&self) -> String {
        let last = self.last.as_ref().map(|l| {
            serde_json::json!({
                "generation": l.generation,
                "trigger": l.trigger,
                "strategy": l.strategy,
                "reason": l.reason,
                "millis": l.took.as_secs_f64() * 1000.0,
                "rendered": l.rendered,
                "changed": l.changed,
                "errors": crate::diagnostics::render_plain(
                    &l.diagnostics.iter().filter(|d| d.is_error()).cloned().collect::<Vec<_>>()
                ),
            })
        });
        serde_json::json!({
            "generation": self.generation,
            "serving": self.site.is_some(),
            "broken": self.overlay.is_some(),
            "last": last,
        })
        .to_string()
    }
}

/// The current snapshot, swapped whole.
#[derive(Clone)]
pub(crate) struct Current(Arc<Mutex<Arc<Snapshot>>>);

impl Current {
    pub(crate) fn new(snapshot: Snapshot) -> Current {
        Current(Arc::new(Mutex::new(Arc::new(snapshot))))
    }

    /// The snapshot being served.
    pub(crate) fn get(&self) -> Arc<Snapshot> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Serves `snapshot` from now on.
    pub(crate) fn set(&self, snapshot: Snapshot) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
    }
}
