//! Rendering the site with Tera: templates with theme fallback, Zola's
//! functions and filters, template views of pages and sections, and every
//! generated file (pages, sections, aliases, redirects, 404, robots,
//! sitemap, feeds, taxonomies, handbok's governance and history pages).
//! Produces an [`OutputSet`]; must not write to disk or change earlier
//! stages' data. The one exception is `resize_image`'s cache,
//! `static/processed_images/`, where Zola keeps it (see `images.rs`).
//!
//! [`Renderer`] owns all of it, in Zola's two phases: the bodies
//! (Markdown with shortcodes, which may call only the early functions),
//! then the site (every template, with `get_page`, `get_section`…). This
//! file dispatches a unit of output to the file that renders its kind.
//!
//! The files below import each other in one direction only (checked by
//! `tests/it/architecture.rs`): `args`, `deps`, `templates`, `rendered`,
//! `views`, `diff`, `listing` at the bottom; `context`, `data`, `images`,
//! `taxonomy_views`, `history`; `facts`;
//! `functions`, `filters`, `shortcodes`, `body`; `pass`; the output kinds
//! (`pagination`, `feeds`, `taxonomies`, `pages`, `handbook`); and
//! `renderer` on top.

mod args;
mod body;
mod context;
mod data;
mod deps;
mod diff;
mod edit_link;
mod facts;
mod feeds;
mod filters;
mod fragments;
mod functions;
mod handbook;
mod history;
mod images;
mod listing;
mod nesting;
mod pages;
mod pagination;
mod pass;
mod reader_text;
mod recursion;
mod rendered;
mod renderer;
mod shortcodes;
mod stack_guard;
mod taxonomies;
mod taxonomy_views;
mod templates;
mod versions;
mod views;

pub(crate) use pass::SiteInput;
pub(crate) use rendered::RenderedContent;
pub(crate) use renderer::Renderer;
pub(crate) use templates::parse_alone as parse_template_alone;

use crate::content::{ContentTree, PageId};
use crate::output::OutputSet;
use deps::{Graph, Recorded, Unit};
use pass::Pass;
use rayon::prelude::*;
use std::collections::HashMap;

/// One unit's rendered files and what it read.
struct UnitOutput {
    unit: Unit,
    reads: Recorded,
    files: Vec<(String, String)>,
}

/// One step of a whole-site render.
enum Step {
    /// Units rendered in parallel (or, when they were rendered ahead,
    /// only handed over).
    Units(Vec<Unit>),
    /// Units rendered in parallel, and beside them units of later steps
    /// whose files are held until their own step: the generated pages
    /// (slow alone but parallel inside, each making a register of every
    /// document), the feeds and sitemap (one unit listing every page)
    /// and the taxonomies (a few units listing thousands of pages each).
    /// Rendered after the pages, such units kept one core waiting for
    /// the other.
    UnitsBeside(Vec<Unit>, Vec<Unit>),
    /// The pages' and sections' colocated files, copied.
    Assets,
}

/// Every step of a whole-site render, in output order: a later step's
/// file wins over an earlier one's at the same path. Aliases come first,
/// so that a real page wins over a redirect; a page's assets after the
/// pages, as Zola copies them; taxonomies last, as in Zola.
fn site_steps(tree: &ContentTree, documents: Vec<PageId>) -> Vec<Step> {
    let mut taxonomies = Vec::new();
    for (t, taxonomy) in tree.taxonomies.iter().enumerate() {
        taxonomies.push(Unit::TaxonomyList(t));
        taxonomies.extend((0..taxonomy.terms.len()).map(|i| Unit::Term(t, i)));
    }
    let site_wide = vec![Unit::Changes, Unit::Feeds, Unit::Fixed];
    let ahead = [vec![Unit::Generated], site_wide.clone(), taxonomies.clone()].concat();
    vec![
        Step::Units(vec![Unit::Aliases]),
        Step::Units(tree.section_ids().map(Unit::Section).collect()),
        Step::UnitsBeside(tree.rendered_pages().map(Unit::Page).collect(), ahead),
        Step::Units(vec![Unit::Generated]),
        Step::Units(documents.into_iter().map(Unit::History).collect()),
        Step::Assets,
        Step::Units(site_wide),
        Step::Units(taxonomies),
    ]
}

/// Renders one unit's files through the file that owns its kind.
fn render_unit(pass: &Pass<'_>, unit: Unit) -> Vec<(String, String)> {
    match unit {
        Unit::Aliases => pass.aliases(),
        Unit::Page(id) => pass.page(id).into_iter().collect(),
        Unit::Section(id) => pass.section(id),
        Unit::Generated => pass.generated(),
        Unit::History(id) => pass.history_page(id).into_iter().collect(),
        Unit::Changes => pass.changes_page(),
        Unit::Feeds => feeds::render_site_and_sections(pass),
        Unit::Fixed => pass.fixed_files(),
        Unit::TaxonomyList(t) => taxonomies::render_list(pass, t),
        Unit::Term(t, i) => taxonomies::render_term_unit(pass, t, i),
    }
}

/// Renders units in parallel, recording what each read when serving
/// (only a later rebuild asks; a build's or a check's run ends here, and
/// noting every read of a large site was a few percent of its time).
fn render_units(pass: &Pass<'_>, units: &[Unit]) -> Vec<UnitOutput> {
    units
        .par_iter()
        .map(|&unit| {
            // Each unit starts with whole lists: a thread waiting inside
            // another unit's parallel work may pick this one up, and must
            // not lend it that unit's projection.
            let render = || listing::scoped(listing::Fields::All, || render_unit(pass, unit));
            let (files, reads) = match pass.serving {
                true => deps::record(render),
                false => deps::unrecorded(render),
            };
            UnitOutput { unit, reads, files }
        })
        .collect()
}

/// How many units are rendered before their files are handed to the
/// output: when the output streams to disk, only this many units' files
/// are held in memory at once.
const BATCH: usize = 256;

/// Renders the whole site into `out`; template problems go to the pass's
/// diagnostics. Gives what every unit read and wrote.
fn render_all(pass: &Pass<'_>, out: &mut OutputSet) -> Graph {
    let mut graph = Graph::default();
    let mut ahead: HashMap<Unit, UnitOutput> = HashMap::new();
    for step in site_steps(pass.input.tree, pass.documents()) {
        match step {
            Step::Units(units) if units.iter().any(|u| ahead.contains_key(u)) => {
                let missing: Vec<Unit> = (units.iter())
                    .filter(|u| !ahead.contains_key(u))
                    .copied()
                    .collect();
                ahead.extend(
                    render_units(pass, &missing)
                        .into_iter()
                        .map(|o| (o.unit, o)),
                );
                let outputs = units.iter().filter_map(|u| ahead.remove(u)).collect();
                add_outputs(outputs, out, &mut graph);
            }
            Step::Units(units) => render_batches(pass, &units, out, &mut graph),
            Step::UnitsBeside(units, beside) => {
                let (side, ()) = rayon::join(
                    || render_units(pass, &beside),
                    || render_batches(pass, &units, out, &mut graph),
                );
                ahead.extend(side.into_iter().map(|o| (o.unit, o)));
            }
            Step::Assets => pass.assets(out),
        }
    }
    graph
}

/// Renders `units` in batches, handing each batch's files to `out`.
fn render_batches(pass: &Pass<'_>, units: &[Unit], out: &mut OutputSet, graph: &mut Graph) {
    for batch in units.chunks(BATCH) {
        add_outputs(render_units(pass, batch), out, graph);
    }
}

/// Hands rendered units' files to `out` and records what they read.
fn add_outputs(outputs: Vec<UnitOutput>, out: &mut OutputSet, graph: &mut Graph) {
    let mut files = Vec::new();
    for o in outputs {
        let paths = o
            .files
            .iter()
            .map(|(p, _)| crate::output::normalize(p))
            .collect();
        graph.add(o.unit, o.reads, paths);
        files.extend(o.files);
    }
    out.texts(files);
}
