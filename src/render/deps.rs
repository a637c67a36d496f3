//! What each rendered output read, recorded while it is rendered, so that
//! `serve` can render again only the outputs an edit affects.
//!
//! Recording happens where template data is handed out (the page, section
//! and taxonomy views, whether through a template's context or through
//! `get_page`, `get_section`, `get_taxonomy`…), not by guessing from
//! templates. The unit being rendered is known to the thread rendering it
//! (template functions have no other way to know it); work a unit splits
//! across threads goes through [`par_filter_map`], which carries the
//! recording to every thread it uses.

use crate::content::{PageId, SectionId};
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

/// One thing a render may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Read {
    /// A page's whole view (its content, summary, toc, back-links …).
    Page(PageId),
    /// Only a page's front-matter and history fields (`updated`, `date`,
    /// `extra`), which a body edit cannot change.
    PageMeta(PageId),
    /// A page's whole view as an item of a list (a term's or a pager's
    /// pages, a feed's entries): a body edit changes what the list shows
    /// only if its templates show a body field.
    PageListed(PageId),
    /// A section with its pages.
    Section(SectionId),
    /// A section without its pages.
    SectionMeta(SectionId),
    /// A taxonomy term with its pages.
    Term(usize, usize),
    /// A whole taxonomy with every term.
    Taxonomy(usize),
}

/// A unit of rendering: everything rendered for it is rendered again
/// together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Unit {
    /// Redirect pages for every alias.
    Aliases,
    /// A page.
    Page(PageId),
    /// A section with its pagers, or its redirect.
    Section(SectionId),
    /// handbok's generated governance pages.
    Generated,
    /// A governing document's history page.
    History(PageId),
    /// The recent-changes page and its feed.
    Changes,
    /// The site's and sections' feeds.
    Feeds,
    /// 404, robots.txt and the sitemap.
    Fixed,
    /// A taxonomy's list page.
    TaxonomyList(usize),
    /// A taxonomy term's page(s) and feeds.
    Term(usize, usize),
}

/// What one unit read, and the templates it rendered (by name; those
/// they extend, include or import are found from the sources).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Recorded {
    pub(crate) reads: Vec<Read>,
    pub(crate) templates: Vec<String>,
}

#[derive(Default)]
struct Recording {
    reads: rustc_hash::FxHashSet<Read>,
    templates: HashSet<String>,
}

/// The recording of one unit, shared by the threads rendering it.
type SharedRecording = Arc<Mutex<Recording>>;

thread_local! {
    static CURRENT: RefCell<Option<SharedRecording>> = const { RefCell::new(None) };
    /// The reads noted since [`capture`] on this thread, besides the
    /// unit's recording.
    static CAPTURED: RefCell<Option<Vec<Read>>> = const { RefCell::new(None) };
}

/// Runs `f` on the recording of the unit this thread renders, if any.
fn with_current(f: impl FnOnce(&mut Recording)) {
    CURRENT.with(|c| {
        if let Some(r) = c.borrow().as_ref() {
            f(&mut r.lock().unwrap_or_else(PoisonError::into_inner));
        }
    });
}

/// Notes that the unit being rendered on this thread read `read`; nothing
/// happens outside [`record`].
pub(crate) fn note(read: Read) {
    with_current(|r| {
        r.reads.insert(read);
    });
    CAPTURED.with(|c| {
        if let Some(reads) = c.borrow_mut().as_mut() {
            reads.push(read);
        }
    });
}

/// Starts keeping a list of the reads this thread notes from now on (a
/// loop whose output is kept notes its reads again wherever the output is
/// written), in place of any list being kept.
pub(crate) fn capture() {
    CAPTURED.with(|c| *c.borrow_mut() = Some(Vec::new()));
}

/// Stops keeping the list [`capture`] started and gives it.
pub(crate) fn captured() -> Option<Vec<Read>> {
    CAPTURED.with(|c| c.borrow_mut().take())
}

/// Notes that the unit being rendered on this thread rendered template
/// `name`.
pub(crate) fn note_template(name: &str) {
    with_current(|r| {
        if !r.templates.contains(name) {
            r.templates.insert(name.to_string());
        }
    });
}

/// Runs `f` with `recording` as this thread's, then puts back what was
/// there.
fn within<T>(recording: Option<SharedRecording>, f: impl FnOnce() -> T) -> T {
    let outer = CURRENT.with(|c| std::mem::replace(&mut *c.borrow_mut(), recording));
    let value = f();
    CURRENT.with(|c| *c.borrow_mut() = outer);
    value
}

/// A parallel `filter_map` inside a unit: every item's reads count for
/// the unit, and its lists keep the unit's fields, whichever thread
/// renders it.
pub(crate) fn par_filter_map<T, R>(
    items: Vec<T>,
    f: impl Fn(T) -> Option<R> + Sync + Send,
) -> Vec<R>
where
    T: Send,
    R: Send,
{
    let recording = CURRENT.with(|c| c.borrow().clone());
    let fields = super::listing::current();
    items
        .into_par_iter()
        .filter_map(|item| {
            within(recording.clone(), || {
                super::listing::scoped(fields.clone(), || f(item))
            })
        })
        .collect()
}

/// Runs `f` recording nothing, not even into a recording this thread
/// may have been lent by another unit's parallel work.
pub(crate) fn unrecorded<T>(f: impl FnOnce() -> T) -> (T, Recorded) {
    (within(None, f), Recorded::default())
}

/// Runs `f` and gives what it read. Nested calls record into their own
/// set and leave the outer one as it was.
pub(crate) fn record<T>(f: impl FnOnce() -> T) -> (T, Recorded) {
    let shared: SharedRecording = Arc::default();
    let value = within(Some(shared.clone()), f);
    let recording = std::mem::take(&mut *shared.lock().unwrap_or_else(PoisonError::into_inner));
    let mut reads: Vec<Read> = recording.reads.into_iter().collect();
    reads.sort();
    let mut templates: Vec<String> = recording.templates.into_iter().collect();
    templates.sort();
    (value, Recorded { reads, templates })
}

/// What every unit read and which output paths it owns (the paths it wrote
/// that no later unit overwrote).
#[derive(Debug, Default, Clone)]
pub(crate) struct Graph {
    reads: HashMap<Unit, Recorded>,
    /// Output path → the unit whose text is at that path.
    owner: HashMap<String, Unit>,
    /// Unit → the paths it wrote.
    wrote: HashMap<Unit, Vec<String>>,
    /// Read → the units that read it.
    readers: HashMap<Read, Vec<Unit>>,
}

impl Graph {
    /// Records a unit's reads and outputs, in output order: a later unit
    /// writing the same path owns it.
    pub(crate) fn add(&mut self, unit: Unit, reads: Recorded, paths: Vec<String>) {
        for p in &paths {
            self.owner.insert(p.clone(), unit);
        }
        self.set_reads(unit, reads);
        self.wrote.insert(unit, paths);
    }

    /// Forgets owners of paths where `rendered` says no unit's text
    /// ended up (a copied file replaced it).
    pub(crate) fn keep_owners(&mut self, rendered: impl Fn(&str) -> bool) {
        self.owner.retain(|path, _| rendered(path));
    }

    /// Replaces a unit's reads after it was rendered again.
    pub(crate) fn set_reads(&mut self, unit: Unit, reads: Recorded) {
        // Both lists are sorted (see `record`). Only reads that come or go
        // touch the readers: a section every page's navigation reads has
        // thousands, and a unit rendered again mostly reads as before.
        let old = self.reads.remove(&unit).unwrap_or_default();
        let (mut i, mut j) = (0, 0);
        while i < old.reads.len() || j < reads.reads.len() {
            match (old.reads.get(i), reads.reads.get(j)) {
                (Some(a), Some(b)) if a == b => {
                    i += 1;
                    j += 1;
                }
                (Some(a), b) if b.is_none_or(|b| a < b) => {
                    if let Some(units) = self.readers.get_mut(a) {
                        units.retain(|u| *u != unit);
                    }
                    i += 1;
                }
                (_, Some(b)) => {
                    self.readers.entry(*b).or_default().push(unit);
                    j += 1;
                }
                (_, None) => i += 1,
            }
        }
        self.reads.insert(unit, reads);
    }

    /// The unit whose output is at `path`.
    pub(crate) fn owner(&self, path: &str) -> Option<Unit> {
        self.owner.get(path).copied()
    }

    /// The paths a unit wrote when it was last rendered in full.
    pub(crate) fn wrote(&self, unit: Unit) -> &[String] {
        self.wrote.get(&unit).map_or(&[], Vec::as_slice)
    }

    /// Every unit that read one of `reads`, sorted.
    pub(crate) fn readers(&self, reads: &[Read]) -> Vec<Unit> {
        let mut units: Vec<Unit> = reads
            .iter()
            .filter_map(|r| self.readers.get(r))
            .flatten()
            .copied()
            .collect();
        units.sort();
        units.dedup();
        units
    }

    /// Every unit rendered, in no order.
    pub(crate) fn units(&self) -> impl Iterator<Item = Unit> + '_ {
        self.reads.keys().copied()
    }

    /// True if the last render rendered `unit`.
    pub(crate) fn knows(&self, unit: Unit) -> bool {
        self.reads.contains_key(&unit)
    }

    /// The templates a unit rendered (by name).
    pub(crate) fn templates_of(&self, unit: Unit) -> &[String] {
        self.reads.get(&unit).map_or(&[], |r| &r.templates[..])
    }

    /// Every unit that rendered one of `templates`, sorted.
    pub(crate) fn rendering(&self, templates: &HashSet<String>) -> Vec<Unit> {
        let mut units: Vec<Unit> = self
            .reads
            .iter()
            .filter(|(_, r)| r.templates.iter().any(|t| templates.contains(t)))
            .map(|(u, _)| *u)
            .collect();
        units.sort();
        units
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_only_inside_record_and_nests() {
        note(Read::Page(PageId(9)));
        let ((), outer) = record(|| {
            note(Read::Page(PageId(1)));
            note_template("page.html");
            let ((), inner) = record(|| note(Read::Section(SectionId(2))));
            assert_eq!(inner.reads, vec![Read::Section(SectionId(2))]);
            assert!(inner.templates.is_empty());
            note(Read::Page(PageId(1)));
        });
        assert_eq!(outer.reads, vec![Read::Page(PageId(1))]);
        assert_eq!(outer.templates, vec!["page.html".to_string()]);
    }

    #[test]
    fn work_split_across_threads_records_for_its_unit() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .expect("a thread pool of four can be built");
        let ((), recorded) = pool.install(|| {
            record(|| {
                let found = par_filter_map((0..64).collect(), |i| {
                    note(Read::Page(PageId(i)));
                    Some(i)
                });
                assert_eq!(found.len(), 64);
            })
        });
        let expected: Vec<Read> = (0..64).map(|i| Read::Page(PageId(i))).collect();
        assert_eq!(recorded.reads, expected);
        // Nothing is left recording on the threads afterwards.
        let leftover = pool.install(|| par_filter_map((0..8).collect(), |i: usize| Some(i)));
        assert_eq!(leftover.len(), 8);
    }

    #[test]
    fn later_units_own_shared_paths_and_readers_are_found() {
        let mut g = Graph::default();
        let reads = |r: Read| Recorded {
            reads: vec![r],
            templates: vec!["page.html".into()],
        };
        g.add(
            Unit::Page(PageId(0)),
            reads(Read::Page(PageId(0))),
            vec!["a/index.html".into()],
        );
        g.add(
            Unit::TaxonomyList(0),
            reads(Read::Taxonomy(0)),
            vec!["a/index.html".into()],
        );
        assert_eq!(g.owner("a/index.html"), Some(Unit::TaxonomyList(0)));
        assert_eq!(
            g.readers(&[Read::Page(PageId(0))]),
            vec![Unit::Page(PageId(0))]
        );
        // Rendering again with other reads moves the unit.
        g.set_reads(
            Unit::Page(PageId(0)),
            Recorded {
                reads: vec![Read::Page(PageId(1))],
                templates: vec![],
            },
        );
        assert!(g.readers(&[Read::Page(PageId(0))]).is_empty());
        assert_eq!(
            g.readers(&[Read::Page(PageId(1))]),
            vec![Unit::Page(PageId(0))]
        );
        let page: HashSet<String> = ["page.html".to_string()].into();
        assert_eq!(g.rendering(&page), vec![Unit::TaxonomyList(0)]);
    }

    #[test]
    fn rendering_again_keeps_shared_reads_and_moves_only_what_changed() {
        let mut g = Graph::default();
        let recorded = |reads: &[Read]| Recorded {
            reads: reads.to_vec(),
            templates: vec![],
        };
        let (a, b, c, d) = (
            Read::Page(PageId(1)),
            Read::Page(PageId(2)),
            Read::SectionMeta(SectionId(0)),
            Read::Term(0, 0),
        );
        let (one, two) = (Unit::Page(PageId(1)), Unit::Page(PageId(2)));
        g.add(one, recorded(&[a, b, c]), vec!["1/index.html".into()]);
        g.add(two, recorded(&[b, c]), vec!["2/index.html".into()]);
        g.set_reads(one, recorded(&[b, c, d]));
        assert!(g.readers(&[a]).is_empty());
        assert_eq!(g.readers(&[b]), vec![one, two]);
        assert_eq!(g.readers(&[c]), vec![one, two]);
        assert_eq!(g.readers(&[d]), vec![one]);
        g.set_reads(one, recorded(&[]));
        assert_eq!(g.readers(&[b, c, d]), vec![two]);
        g.set_reads(one, recorded(&[a, d]));
        assert_eq!(g.readers(&[a]), vec![one]);
        assert_eq!(g.readers(&[c]), vec![two]);
        // The same reads again leave every list as it was, without
        // duplicates.
        g.set_reads(two, recorded(&[b, c]));
        assert_eq!(g.readers[&b], vec![two]);
    }
}
