//! The data template functions read, in two layers as Zola registers its
//! functions: [`SiteFacts`], known before any Markdown is rendered (so
//! shortcodes may use it), and [`Lookups`], the views of every page and
//! section, which exist only after Markdown. Both are shared behind `Arc`
//! so Tera can call the functions from any thread; this module holds data
//! only and renders nothing.

use super::context::Views;
use super::data::GeneratedFiles;
use super::images::ImageQueue;
use super::taxonomy_views::{TaxonomyUrls, TaxonomyViews};
use crate::config::Config;
use crate::content::{Item, PageId};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::governance::Model;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// What the functions shortcodes may call read: the configuration, the
/// content index, roles, the handbook's site-wide data, term URLs and the
/// resize queue.
pub(crate) struct SiteFacts {
    pub(crate) config: Config,
    /// Relative content path → permalink (for `@/` in `get_url`).
    pub(crate) permalinks: HashMap<String, String>,
    /// Where functions report warnings: the diagnostics of the run in
    /// progress, so a partial rebuild's warnings reach its own report.
    pub(crate) diagnostics: RunDiagnostics,
    /// Role id → `{id, name, abbreviation, permalink}`.
    pub(crate) roles: HashMap<String, Value>,
    /// The governance model's site-wide data (`get_handbook()`).
    pub(crate) handbook: HandbookData,
    /// Term permalinks for `get_taxonomy_url`.
    pub(crate) taxonomy_urls: TaxonomyUrls,
    /// Resize work queued by `resize_image`, done after rendering.
    pub(crate) images: Arc<ImageQueue>,
    /// Compiled Sass and the search index, which `get_hash` and
    /// `cachebust` can read before the pages render.
    pub(crate) generated: Arc<GeneratedFiles>,
    /// What the build's audience may not read (for `@/` links in the
    /// `markdown` filter).
    pub(crate) withheld: crate::content::Withheld,
    /// `cachebust` hashes already computed, by path: every page's base
    /// template asks for the same stylesheet's, and reading and hashing
    /// it once per page showed in profiles. Fresh for every render, as
    /// the files may change between them.
    pub(crate) cachebust: FileHashes,
}

/// Path → first hex digits of the file's hash (`None`: not found).
#[derive(Default)]
pub(crate) struct FileHashes(std::sync::RwLock<HashMap<String, Option<String>>>);

impl FileHashes {
    pub(crate) fn clear(&self) {
        self.0
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// The hash of `path`, computed by `hash` the first time it is asked.
    pub(crate) fn get_or(
        &self,
        path: &str,
        hash: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        if let Some(known) = self
            .0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(path)
        {
            return known.clone();
        }
        let value = hash();
        self.0
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_string(), value.clone());
        value
    }
}

/// What `get_page`, `get_section`, `get_taxonomy*` and `get_changes` read:
/// built once per build after Markdown, replaced when a partial rebuild
/// serializes pages again.
pub(crate) struct Lookups {
    pub(crate) facts: Arc<SiteFacts>,
    /// Every page and section as templates see it.
    pub(crate) views: Views,
    /// Relative content path → item.
    pub(crate) items: Arc<HashMap<String, Item>>,
    /// Taxonomies and terms as templates see them.
    pub(crate) taxonomies: TaxonomyViews,
    /// Recent changes of content files, newest first (`get_changes`).
    pub(crate) changes: Arc<Vec<Value>>,
    /// Pages and sections this build's audience may not read, by relative
    /// content path: `get_page` and `get_section` give null for them.
    pub(crate) withheld: Arc<std::collections::BTreeSet<String>>,
}

/// The handbook's site-wide data, made from the governance model only
/// when something reads it. On a large handbook the register, the matrix
/// and the review status each hold an entry per document; a site whose
/// templates never call `get_handbook` should not hold them for the whole
/// build, and a generated page showing the register should not make the
/// matrix.
pub(crate) struct HandbookData {
    model: Arc<Model>,
    whole: OnceLock<Value>,
    /// Pages by permalink, for one register entry at a time.
    by_permalink: OnceLock<HashMap<String, PageId>>,
}

impl HandbookData {
    /// Data made from `model` on first use.
    pub(crate) fn new(model: Arc<Model>) -> Self {
        HandbookData {
            model,
            whole: OnceLock::new(),
            by_permalink: OnceLock::new(),
        }
    }

    /// The register entry of the document at `permalink`, `null` when no
    /// document is there. A section listing its documents asks for each
    /// one's entry: filtering the whole register per listed page copied
    /// the register once per page, pages × documents.
    pub(crate) fn register_entry(&self, permalink: &str) -> Value {
        let index = self.by_permalink.get_or_init(|| {
            (self.model.pages.iter().enumerate())
                .map(|(i, p)| (p.permalink.clone(), PageId(i)))
                .collect()
        });
        index
            .get(permalink)
            .and_then(|id| self.model.register_entry(*id))
            .unwrap_or(Value::Null)
    }

    /// The whole value, made once: what `get_handbook` reads, so a
    /// template calling it on every page pays for it once. Made on the
    /// calling thread alone: a render thread that waited on it in rayon
    /// could start another render that waits on it too.
    pub(crate) fn whole(&self) -> &Value {
        self.whole.get_or_init(|| self.model.site_value())
    }

    /// The value with only the parts `wanted` names, the others `null`:
    /// copied from the whole value when it is made, else made alone, with
    /// only the entry fields `shown` names, and not kept.
    pub(crate) fn parts(
        &self,
        wanted: &(dyn Fn(&str) -> bool + Sync),
        shown: &(dyn Fn(&str) -> bool + Sync),
    ) -> Value {
        match self.whole.get() {
            Some(Value::Object(whole)) => Value::Object(
                whole
                    .iter()
                    .map(|(key, value)| {
                        let value = if wanted(key) {
                            value.clone()
                        } else {
                            Value::Null
                        };
                        (key.clone(), value)
                    })
                    .collect(),
            ),
            Some(other) => other.clone(),
            None => self.model.site_value_with(wanted, shown),
        }
    }
}

/// The diagnostics collector of the run in progress. Functions registered
/// once on Tera outlive a run; each run points this at its own collector.
#[derive(Default)]
pub(crate) struct RunDiagnostics(Mutex<Diagnostics>);

impl RunDiagnostics {
    /// Reports to `diags` from now on.
    pub(crate) fn direct_to(&self, diags: &Diagnostics) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = diags.clone();
    }

    /// Adds a diagnostic to the current run's collector.
    pub(crate) fn push(&self, diagnostic: Diagnostic) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(diagnostic);
    }
}
