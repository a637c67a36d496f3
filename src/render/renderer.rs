//! The one owner of rendering: the templates with every function and
//! filter registered on them, the highlighter, the glossary terms, the
//! data the functions read, and what every output unit read and wrote.
//! Built once per build; `serve` keeps it to render parts of the site
//! again. Partial rebuilds are transactional: they give what changed, or
//! leave the renderer as it was. Must not write to disk or change the
//! earlier stages' data.

use super::body::Bodies;
use super::context::{self, Views};
use super::deps::{Graph, Read, Unit};
use super::facts::{HandbookData, Lookups, RunDiagnostics, SiteFacts};
use super::pass::{Pass, SiteInput};
use super::rendered::RenderedContent;
use super::taxonomy_views::{TaxonomyUrls, TaxonomyViews};
use super::templates::{self, Templates};
use super::{functions, history, images, UnitOutput};
use crate::config::Config;
use crate::content::{ContentTree, Item, PageId, SectionId};
use crate::diagnostics::Diagnostics;
use crate::governance::Model;
use crate::markdown::abbr::{AbbrTerm, Glossary};
use crate::markdown::{Highlighter, Rendered};
use crate::output::{Output, OutputSet};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Template functions whose result depends on the bytes of a file other
/// than a template: while templates call one, an edit to any such file may
/// change rendered pages.
const READS_FILES: &[&str] = &[
    "cachebust",
    "get_hash",
    "load_data",
    "resize_image",
    "get_image_metadata",
    "read_file",
];

/// Owns everything a render needs; see the module header.
pub(crate) struct Renderer {
    templates: Templates,
    highlighter: Arc<Highlighter>,
    /// What the functions shortcodes may call read.
    facts: Arc<SiteFacts>,
    /// The views `get_page` and friends read; `None` before [`Renderer::site`].
    lookups: Option<Arc<Lookups>>,
    /// What every unit read and which output paths it owns.
    graph: Graph,
    /// Glossary terms every body marks on first use.
    glossary_terms: Glossary,
    /// The glossary's own file, which does not mark its terms.
    glossary_page: String,
    /// `build`, `serve` or `check`: `config.mode` in templates.
    mode: &'static str,
}

/// What a partial rebuild rendered.
pub(crate) struct Rerendered {
    /// The text of every output path a re-rendered unit owns.
    pub(crate) files: Vec<(String, Output)>,
    /// How many units were rendered again.
    pub(crate) units: usize,
    /// The first few units, for the log.
    pub(crate) summary: String,
}

/// Why a partial rebuild left the renderer as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rejected {
    /// The edit has errors (in the diagnostics given).
    Errors,
    /// The edit may change more than a partial rebuild covers (other
    /// output paths, a template Markdown uses, a template added or
    /// removed): only a full build is right.
    NeedsFullBuild,
}

impl Rejected {
    /// True when only a full build is right (else the edit has errors).
    pub(crate) fn needs_full_build(self) -> bool {
        self == Rejected::NeedsFullBuild
    }
}

impl Renderer {
    /// The stack size of threads that render: room for the stack every
    /// render runs on (see `stack_guard.rs`) and what called it, so that a
    /// render there never has to map a stack of its own.
    pub(crate) const THREAD_STACK: usize = super::stack_guard::RENDER_STACK + 4 * 1024 * 1024;

    /// Loads the templates and the highlighter and registers what
    /// shortcodes may use. `None` when templates or the highlighting
    /// settings have errors (in `diags`).
    pub(crate) fn new(
        config: &Config,
        tree: &ContentTree,
        model: &Arc<Model>,
        mode: &'static str,
        diags: &Diagnostics,
    ) -> Option<Renderer> {
        let mut templates = templates::load(config, diags)?;
        let highlighter = match Highlighter::new(config) {
            Ok(h) => {
                diags.extend(h.warnings(config));
                Arc::new(h)
            }
            Err(d) => {
                diags.push(d);
                return None;
            }
        };
        let facts = Arc::new(site_facts(config, tree, model, diags));
        register_early(&mut templates, &facts, &highlighter);
        Some(Renderer {
            templates,
            highlighter,
            facts,
            lookups: None,
            graph: Graph::default(),
            glossary_terms: Glossary::new(glossary_terms(model)),
            glossary_page: model
                .glossary_page
                .map(|id| tree.page(id).file.relative.clone())
                .unwrap_or_default(),
            mode,
        })
    }

    /// True if a template could hash a file of the handbook's search index
    /// (`get_hash` or `cachebust` of a path that names `pagefind`, or is
    /// not written out), so the index must exist before pages render
    /// rather than beside them.
    pub(crate) fn may_hash_search_files(&self) -> bool {
        self.templates.any_source(hashes_search_files)
    }

    fn bodies<'a>(&'a self, config: &'a Config, tree: &'a ContentTree) -> Bodies<'a> {
        Bodies {
            config,
            tree,
            templates: &self.templates,
            facts: &self.facts,
            highlighter: &self.highlighter,
            terms: &self.glossary_terms,
            glossary: &self.glossary_page,
            mode: self.mode,
        }
    }

    /// Phase one: the Markdown of every page and section, with shortcodes
    /// and glossary terms; each body's problems go to `diags`.
    pub(crate) fn render_bodies(
        &self,
        config: &Config,
        tree: &ContentTree,
        diags: &Diagnostics,
    ) -> RenderedContent {
        self.facts.diagnostics.direct_to(diags);
        self.bodies(config, tree).all(diags)
    }

    /// The Markdown of edited pages and sections again, put into
    /// `rendered`; their problems go to `diags`. Gives what each slot held,
    /// for [`RenderedContent::restore`] should the edit be refused.
    pub(crate) fn render_edited_bodies(
        &self,
        config: &Config,
        tree: &ContentTree,
        rendered: &mut RenderedContent,
        items: &[Item],
        diags: &Diagnostics,
    ) -> Vec<(Item, Option<Rendered>)> {
        let bodies = self.bodies(config, tree);
        items
            .iter()
            .map(|&item| {
                let new = match item {
                    Item::Page(id) => bodies.page(id),
                    Item::Section(id) => bodies.section(id),
                };
                diags.extend(new.diagnostics.iter().cloned());
                (item, rendered.slot(item).replace(new))
            })
            .collect()
    }

    /// Phase two: every template-rendered output of the site, the copied
    /// page assets and the highlighting stylesheets. `generated` are the
    /// files made before any template (Sass, the search index), which
    /// templates may hash. Template problems go to `diags`.
    pub(crate) fn render_site(
        &mut self,
        input: &SiteInput<'_>,
        generated: &OutputSet,
        mut out: OutputSet,
        diags: &Diagnostics,
    ) -> OutputSet {
        self.facts.diagnostics.direct_to(diags);
        let bytes = generated
            .files
            .iter()
            .filter_map(|(path, output)| match output {
                Output::Bytes(b) => Some((path.clone(), b.clone())),
                Output::Copy(_) | Output::Staged => None,
            })
            .collect();
        self.facts.generated.set(bytes);
        let backlinks = context::collect_backlinks(input.tree, input.rendered);
        let updated = updated_from_history(input);
        let views = context::build_views(input.tree, input.rendered, &backlinks, &updated);
        let lookups = self.lookups_with(input, views, None);
        functions::register_late(&mut self.templates.tera, &lookups);
        let pass = Pass::new(input, &self.templates, &lookups, self.mode, diags);
        self.facts.generated.set_copies(colocated_copies(&pass));
        // Hashes taken before this render (by shortcodes, or by an earlier
        // render in `serve`) may be of files that have changed since.
        self.facts.cachebust.clear();
        self.templates.fragments.begin();
        self.graph = super::render_all(&pass, &mut out);
        self.templates.fragments.end();
        for (name, css) in self.highlighter.css_files(input.config) {
            out.text(name, css);
        }
        self.lookups = Some(lookups);
        out
    }

    /// Lookups over `views`; the rest is kept from `previous` when given.
    fn lookups_with(
        &self,
        input: &SiteInput<'_>,
        views: Views,
        previous: Option<&Lookups>,
    ) -> Arc<Lookups> {
        let (items, changes) = match previous {
            Some(p) => (p.items.clone(), p.changes.clone()),
            None => (
                Arc::new(content_index(input.tree)),
                Arc::new(history::recent_changes(
                    input.history,
                    input.tree,
                    &|id| input.model.page_value(id),
                    input.config,
                )),
            ),
        };
        Arc::new(Lookups {
            facts: self.facts.clone(),
            views,
            items,
            taxonomies: TaxonomyViews::new(&input.tree.taxonomies),
            changes,
            withheld: Arc::new(input.tree.withheld.items.keys().cloned().collect()),
        })
    }

    /// Does the resizing `resize_image` queued while rendering (Zola's
    /// cache, `static/processed_images/`, is the one place written).
    pub(crate) fn process_images(&self, config: &Config, out: &mut OutputSet, diags: &Diagnostics) {
        images::process(&self.facts.images, config, out, diags);
    }

    /// Forgets the rendered files that a later stage replaced (a static
    /// file at the same path wins, as in Zola).
    pub(crate) fn keep_outputs_of(&mut self, out: &OutputSet) {
        self.graph.keep_owners(|path| {
            matches!(out.files.get(path), Some(Output::Bytes(_) | Output::Staged))
        });
    }

    /// True if a rendered unit owns the output at `path`.
    pub(crate) fn owns(&self, path: &str) -> bool {
        self.graph.owner(path).is_some()
    }

    /// True if any template calls a function that reads files other than
    /// templates (so a copied file may change rendered pages).
    pub(crate) fn templates_read_files(&self) -> bool {
        self.templates.mention_any(READS_FILES)
    }

    /// After the bodies of `edited` items changed (the new Markdown is
    /// already in `input.rendered`; `before` is what was there): serializes
    /// again the pages and sections whose views change, and renders again
    /// only the units that read them.
    pub(crate) fn rerender_bodies(
        &mut self,
        input: &SiteInput<'_>,
        before: &[(Item, Option<Rendered>)],
        diags: &Diagnostics,
    ) -> Result<Rerendered, Rejected> {
        self.facts.diagnostics.direct_to(diags);
        let Some(previous) = self.lookups.clone() else {
            return Err(Rejected::NeedsFullBuild);
        };
        let (pages, sections) = reserialized(input, before);
        let views = views_replacing(input, &previous.views, &pages, &sections);
        let lookups = self.lookups_with(input, views, Some(&previous));
        let affected = body_edit_reads(input.tree, &lookups.views, &pages, &sections);
        // A list that shows only titles, dates and the like is not
        // rendered again for a body edit of a page it lists.
        let mut units = self.graph.readers(&affected.direct);
        for unit in self.graph.readers(&affected.listed) {
            if !units.contains(&unit)
                && self
                    .templates
                    .closure_mentions_any(self.graph.templates_of(unit), BODY_FIELDS)
            {
                units.push(unit);
            }
        }
        units.sort();
        self.render_with_lookups(input, &units, lookups, &previous, diags)
    }

    /// Renders `units` again with `lookups` registered for the template
    /// functions, and keeps them when the result is accepted; when it is
    /// not, the functions read `previous` again.
    fn render_with_lookups(
        &mut self,
        input: &SiteInput<'_>,
        units: &[Unit],
        lookups: Arc<Lookups>,
        previous: &Arc<Lookups>,
        diags: &Diagnostics,
    ) -> Result<Rerendered, Rejected> {
        functions::register_late(&mut self.templates.tera, &lookups);
        let outputs = {
            let pass = Pass::new(input, &self.templates, &lookups, self.mode, diags);
            self.templates.fragments.begin();
            let outputs = super::render_units(&pass, units);
            self.templates.fragments.end();
            outputs
        };
        let accepted = self.accept(outputs, diags);
        match accepted {
            Ok(_) => self.lookups = Some(lookups),
            Err(_) => functions::register_late(&mut self.templates.tera, previous),
        }
        accepted
    }

    /// After front-matter edits that leave every edited page where it was
    /// (`Page::with_front_matter`), with `input.model` the governance model
    /// made again and `old_model` the one the last render used: renders
    /// again what shows the edited pages (whatever their templates show:
    /// titles appear in every list) or governance data that changed.
    /// `before` are the edited pages with their Markdown as it was.
    pub(crate) fn rerender_front_matter(
        &mut self,
        input: &SiteInput<'_>,
        old_model: &Model,
        before: &[(Item, Option<Rendered>)],
        diags: &Diagnostics,
    ) -> Result<Rerendered, Rejected> {
        self.facts.diagnostics.direct_to(diags);
        let Some(previous) = self.lookups.clone() else {
            return Err(Rejected::NeedsFullBuild);
        };
        // Bodies mark glossary terms and may show roles: those must be as
        // the last render saw them, as must which pages are documents
        // (each has a history page).
        let documents_same = input
            .tree
            .page_ids()
            .all(|id| old_model.document(id).is_some() == input.model.document(id).is_some());
        if glossary_terms(input.model) != self.glossary_terms.terms()
            || old_model.is_active() != input.model.is_active()
            || !documents_same
        {
            return Err(Rejected::NeedsFullBuild);
        }
        let facts = Arc::new(facts_with(&self.facts, input.model, diags));
        let handbook_changed = !old_model.same_site_inputs(input.model);
        if facts.roles != self.facts.roles
            || (handbook_changed && self.templates.shortcodes_mention(&["get_handbook"]))
        {
            return Err(Rejected::NeedsFullBuild);
        }
        let (pages, sections) = reserialized_with(input, before, true);
        let views = views_replacing(input, &previous.views, &pages, &sections);
        let old_facts = std::mem::replace(&mut self.facts, facts);
        let meta_changed: Vec<PageId> = pages
            .iter()
            .copied()
            .filter(|p| views.page_meta_differs(&previous.views, *p))
            .collect();
        let lookups = self.lookups_with(input, views, None);
        let mut units = self.front_matter_units(input, old_model, &pages, &meta_changed, &sections);
        if handbook_changed {
            // A site that is no handbook generates no pages.
            let generates = input.model.is_active();
            // Each template's closure is read once, not once per unit.
            let mut mentions: HashMap<&str, bool> = HashMap::new();
            for u in self.graph.units() {
                let reads = (u == Unit::Generated && generates)
                    || self.graph.templates_of(u).iter().any(|t| {
                        *mentions.entry(t.as_str()).or_insert_with(|| {
                            self.templates
                                .closure_mentions_any(std::slice::from_ref(t), &["get_handbook"])
                        })
                    });
                if reads {
                    units.push(u);
                }
            }
        }
        units.sort();
        units.dedup();
        register_early(&mut self.templates, &self.facts, &self.highlighter);
        let accepted = self.render_with_lookups(input, &units, lookups, &previous, diags);
        if accepted.is_err() {
            self.facts = old_facts;
            register_early(&mut self.templates, &self.facts, &self.highlighter);
        }
        accepted
    }

    /// The units a front-matter edit of `pages` affects: every reader of
    /// the re-serialized views (of their dates and `extra` only where
    /// those changed, `meta_changed`), the sections and terms listing
    /// them, the pages and history pages whose governance data changed,
    /// and the recent changes.
    fn front_matter_units(
        &self,
        input: &SiteInput<'_>,
        old_model: &Model,
        pages: &[PageId],
        meta_changed: &[PageId],
        sections: &[SectionId],
    ) -> Vec<Unit> {
        use rayon::prelude::*;
        let changed: HashSet<PageId> = pages.iter().copied().collect();
        let mut reads: Vec<Read> = Vec::new();
        for p in pages {
            reads.extend([Read::Page(*p), Read::PageListed(*p)]);
        }
        reads.extend(meta_changed.iter().map(|p| Read::PageMeta(*p)));
        for s in sections {
            reads.extend([Read::Section(*s), Read::SectionMeta(*s)]);
        }
        for s in input.tree.section_ids() {
            if input.tree.sections[s.0]
                .pages
                .iter()
                .any(|p| changed.contains(p))
            {
                reads.push(Read::Section(s));
            }
        }
        for (t, taxonomy) in input.tree.taxonomies.iter().enumerate() {
            for (i, term) in taxonomy.terms.iter().enumerate() {
                if term.pages.iter().any(|p| changed.contains(p)) {
                    reads.extend([Read::Term(t, i), Read::Taxonomy(t)]);
                }
            }
        }
        let mut units = self.graph.readers(&reads);
        let differs = |id: &PageId| {
            changed.contains(id) || old_model.page_value(*id) != input.model.page_value(*id)
        };
        // A page's governance data shows only on its page, where the
        // template reads it, and on its history page.
        let shows_data = |id: &PageId| {
            let templates = self.graph.templates_of(Unit::Page(*id));
            self.graph.knows(Unit::History(*id))
                || (self.graph.knows(Unit::Page(*id))
                    && (templates.is_empty()
                        || templates.iter().any(|t| self.templates.reads_page_data(t))))
        };
        let governed: Vec<PageId> = input
            .model
            .pages_whose_data_may_differ(old_model, pages)
            .into_iter()
            .filter(shows_data)
            .collect::<Vec<_>>()
            .into_par_iter()
            .filter(differs)
            .collect();
        debug_assert!(
            input
                .tree
                .page_ids()
                .filter(|id| shows_data(id) && differs(id))
                .all(|id| governed.contains(&id)),
            "a page whose governance data changed is not among the candidates"
        );
        for id in governed {
            units.extend([Unit::Page(id), Unit::History(id)]);
        }
        units.push(Unit::Changes);
        units.retain(|u| self.graph.knows(*u));
        units
    }

    /// After templates changed on disk: loads them again and renders again
    /// the units that rendered a changed template (or one extending,
    /// including or importing it), without touching Markdown.
    pub(crate) fn rerender_templates(
        &mut self,
        input: &SiteInput<'_>,
        diags: &Diagnostics,
    ) -> Result<(Rerendered, Vec<String>), Rejected> {
        self.facts.diagnostics.direct_to(diags);
        let Some(lookups) = self.lookups.clone() else {
            return Err(Rejected::NeedsFullBuild);
        };
        let Some(mut new) = templates::load(input.config, diags) else {
            return Err(Rejected::Errors);
        };
        let changed = new
            .changed_since(&self.templates)
            .filter(|c| !c.iter().any(|n| used_by_markdown(n)))
            .ok_or(Rejected::NeedsFullBuild)?;
        let users = new.users_of(&changed);
        register_early(&mut new, &self.facts, &self.highlighter);
        functions::register_late(&mut new.tera, &lookups);
        let old = std::mem::replace(&mut self.templates, new);
        let units = self.graph.rendering(&users);
        let outputs = {
            let pass = Pass::new(input, &self.templates, &lookups, self.mode, diags);
            self.templates.fragments.begin();
            let outputs = super::render_units(&pass, &units);
            self.templates.fragments.end();
            outputs
        };
        match self.accept(outputs, diags) {
            Ok(done) => Ok((done, changed)),
            Err(why) => {
                self.templates = old;
                Err(why)
            }
        }
    }

    /// Takes the outputs of units rendered again if there are no errors
    /// and every unit wrote the same paths as before (else other units'
    /// files may be involved); records what they read now.
    fn accept(
        &mut self,
        outputs: Vec<UnitOutput>,
        diags: &Diagnostics,
    ) -> Result<Rerendered, Rejected> {
        if diags.has_errors() {
            return Err(Rejected::Errors);
        }
        let same_paths = outputs.iter().all(|o| {
            let mut now: Vec<String> = o
                .files
                .iter()
                .map(|(p, _)| crate::output::normalize(p))
                .collect();
            let mut before = self.graph.wrote(o.unit).to_vec();
            now.sort();
            before.sort();
            now == before
        });
        if !same_paths {
            return Err(Rejected::NeedsFullBuild);
        }
        let units = outputs.len();
        let shown: Vec<String> = outputs
            .iter()
            .take(4)
            .map(|o| format!("{:?}", o.unit))
            .collect();
        let summary = format!("{}{}", shown.join(", "), if units > 4 { ", …" } else { "" });
        let mut files = Vec::new();
        for UnitOutput {
            unit,
            reads,
            files: texts,
        } in outputs
        {
            for (path, text) in texts {
                let path = crate::output::normalize(&path);
                if self.graph.owner(&path) == Some(unit) {
                    files.push((path, Output::Bytes(text.into_bytes().into())));
                }
            }
            self.graph.set_reads(unit, reads);
        }
        Ok(Rerendered {
            files,
            units,
            summary,
        })
    }
}

/// The colocated files of pages and sections, by the output path they are
/// copied to, and their source.
fn colocated_copies(pass: &Pass<'_>) -> HashMap<String, std::path::PathBuf> {
    let mut assets = OutputSet::default();
    pass.assets(&mut assets);
    assets
        .files
        .into_iter()
        .filter_map(|(path, output)| match output {
            Output::Copy(source) => Some((path, source)),
            Output::Bytes(_) | Output::Staged => None,
        })
        .collect()
}

/// Registers the functions and filters shortcodes and the `markdown`
/// filter may use (Zola's first phase).
fn register_early(
    templates: &mut Templates,
    facts: &Arc<SiteFacts>,
    highlighter: &Arc<Highlighter>,
) {
    functions::register_early(&mut templates.tera, facts);
    super::filters::register(&mut templates.tera, facts, highlighter);
}

/// Templates Markdown renders (shortcodes, anchor links, the summary
/// cut-off): a change to one changes bodies, which a template rebuild does
/// not render again.
fn used_by_markdown(name: &str) -> bool {
    name.starts_with("shortcodes/")
        || name.contains("/templates/shortcodes/")
        || name.ends_with("anchor-link.html")
        || name.ends_with("summary-cutoff.html")
}

/// What the early functions read, from the config, the tree and the
/// governance model.
fn site_facts(
    config: &Config,
    tree: &ContentTree,
    model: &Arc<Model>,
    diags: &Diagnostics,
) -> SiteFacts {
    let permalinks = tree
        .pages
        .iter()
        .map(|p| (p.file.relative.clone(), p.permalink.clone()))
        .chain(
            tree.sections
                .iter()
                .map(|s| (s.file.relative.clone(), s.permalink.clone())),
        )
        .collect();
    let handbook = HandbookData::new(model.clone());
    let roles = roles_of(&handbook.parts(&|part| part == "roles", &|_| true));
    let diagnostics = RunDiagnostics::default();
    diagnostics.direct_to(diags);
    SiteFacts {
        config: config.clone(),
        permalinks,
        diagnostics,
        roles,
        handbook,
        taxonomy_urls: TaxonomyUrls::new(config, &tree.taxonomies),
        images: Arc::default(),
        generated: Arc::default(),
        withheld: tree.withheld.clone(),
        cachebust: Default::default(),
    }
}

/// `facts` with the handbook's data of `model`; the rest (permalinks,
/// generated files, the image queue…) shared or copied.
fn facts_with(facts: &SiteFacts, model: &Arc<Model>, diags: &Diagnostics) -> SiteFacts {
    let handbook = HandbookData::new(model.clone());
    let diagnostics = RunDiagnostics::default();
    diagnostics.direct_to(diags);
    SiteFacts {
        config: facts.config.clone(),
        permalinks: facts.permalinks.clone(),
        diagnostics,
        roles: roles_of(&handbook.parts(&|part| part == "roles", &|_| true)),
        handbook,
        taxonomy_urls: facts.taxonomy_urls.clone(),
        images: facts.images.clone(),
        generated: facts.generated.clone(),
        withheld: facts.withheld.clone(),
        cachebust: Default::default(),
    }
}

/// Role id → `{id, name, abbreviation, permalink}`, for `get_role`.
fn roles_of(handbook: &Value) -> HashMap<String, Value> {
    handbook
        .get("roles")
        .and_then(Value::as_array)
        .map(|roles| {
            roles
                .iter()
                .filter_map(|r| {
                    let id = r.get("id")?.as_str()?.to_string();
                    let short = serde_json::json!({
                        "id": id, "name": r.get("name"), "abbreviation": r.get("abbreviation"), "permalink": r.get("permalink"),
                    });
                    Some((id, short))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// See [`Renderer::may_hash_search_files`]: looks at each `get_hash(…)`
/// and `get_url(…, cachebust=true)` call of one template's source.
fn hashes_search_files(text: &str) -> bool {
    ["get_hash(", "get_url("].iter().any(|call| {
        text.match_indices(call).any(|(at, _)| {
            let args = &text[at + call.len()..];
            let args = &args[..args.find(')').unwrap_or(args.len())];
            if *call == "get_url(" && !args.contains("cachebust") {
                return false;
            }
            let Some(path) = args.find("path").map(|i| args[i + 4..].trim_start()) else {
                return false;
            };
            let literal = path
                .strip_prefix('=')
                .map(str::trim_start)
                .and_then(|p| p.strip_prefix(['"', '\'', '`']))
                .map(|p| &p[..p.find(['"', '\'', '`']).unwrap_or(p.len())]);
            literal.is_none_or(|p| p.contains("pagefind"))
        })
    })
}

/// The glossary's terms as bodies mark them: the expansion as the title,
/// or the definition where there is none.
fn glossary_terms(model: &Model) -> Vec<AbbrTerm> {
    model
        .glossary
        .iter()
        .map(|t| AbbrTerm {
            title: if t.expansion.trim().is_empty() {
                t.definition.clone()
            } else {
                t.expansion.clone()
            },
            term: t.term.clone(),
            href: t.permalink.clone(),
        })
        .collect()
}

/// Relative content path → item, for `get_page` and `get_section`.
fn content_index(tree: &ContentTree) -> HashMap<String, Item> {
    tree.pages
        .iter()
        .map(|p| p.file.relative.clone())
        .chain(tree.sections.iter().map(|s| s.file.relative.clone()))
        .filter_map(|rel| tree.get(&rel).map(|item| (rel, item)))
        .collect()
}

/// `page.updated` where front matter has none: the date of the last
/// meaningful commit, in a handbook (a site with governing documents). A
/// plain Zola site keeps Zola's `updated`, so its templates and sitemap
/// are as Zola makes them.
fn updated_from_history<'a>(
    input: &'a SiteInput<'a>,
) -> impl Fn(PageId) -> Option<String> + Sync + 'a {
    let active = input.model.is_active();
    move |id| {
        if !active {
            return None;
        }
        let path = std::path::Path::new("content").join(&input.tree.pages[id.0].file.relative);
        input
            .history
            .last_meaningful(&path)
            .map(|c| c.date.format("%Y-%m-%d").to_string())
    }
}

/// The pages and sections serialized again after body edits: the edited
/// ones, and those whose back-links change with the edit.
fn reserialized(
    input: &SiteInput<'_>,
    before: &[(Item, Option<Rendered>)],
) -> (Vec<PageId>, Vec<SectionId>) {
    reserialized_with(input, before, false)
}

/// [`reserialized`]; with `every_target`, every page or section an edited
/// one links to, before or after the edit (their back-links show the
/// edited page's title), not only those whose links changed.
fn reserialized_with(
    input: &SiteInput<'_>,
    before: &[(Item, Option<Rendered>)],
    every_target: bool,
) -> (Vec<PageId>, Vec<SectionId>) {
    let mut pages: HashSet<PageId> = HashSet::new();
    let mut sections: HashSet<SectionId> = HashSet::new();
    let mut add = |item: Item| match item {
        Item::Page(p) => pages.insert(p),
        Item::Section(s) => sections.insert(s),
    };
    let targets = |r: Option<&Rendered>| -> HashSet<String> {
        r.map(|r| r.internal_links.iter().map(|l| l.target.clone()).collect())
            .unwrap_or_default()
    };
    for (item, old) in before {
        add(*item);
        let was = targets(old.as_ref());
        let now = targets(input.rendered.get(*item));
        let targets: Vec<&String> = match every_target {
            true => was.union(&now).collect(),
            false => was.symmetric_difference(&now).collect(),
        };
        for target in targets {
            if let Some(target) = input.tree.get(target) {
                add(target);
            }
        }
    }
    let mut pages: Vec<PageId> = pages.into_iter().collect();
    pages.sort();
    let mut sections: Vec<SectionId> = sections.into_iter().collect();
    sections.sort();
    (pages, sections)
}

/// `views` with `pages` and `sections` serialized again.
fn views_replacing(
    input: &SiteInput<'_>,
    views: &Views,
    pages: &[PageId],
    sections: &[SectionId],
) -> Views {
    let targets: HashSet<&str> = pages
        .iter()
        .map(|p| input.tree.pages[p.0].file.relative.as_str())
        .chain(
            sections
                .iter()
                .map(|s| input.tree.sections[s.0].file.relative.as_str()),
        )
        .collect();
    let backlinks = context::collect_backlinks_to(input.tree, input.rendered, Some(&targets));
    let updated = updated_from_history(input);
    let pages = pages
        .iter()
        .map(|&id| {
            let date = updated(id);
            let value =
                context::basic_page(input.tree, id, input.rendered, &backlinks, date.as_deref());
            (id, value)
        })
        .collect();
    let sections = sections
        .iter()
        .map(|&id| {
            let value = context::section_value(input.tree, id, input.rendered, &backlinks);
            (id, value)
        })
        .collect();
    views.replacing(pages, sections)
}

/// What a body edit changes: the page views (not their front matter), the
/// sections embedding them or edited, and the terms listing them.
fn body_edit_reads(
    tree: &ContentTree,
    views: &Views,
    pages: &[PageId],
    sections: &[SectionId],
) -> BodyEditReads {
    let changed: HashSet<PageId> = pages.iter().copied().collect();
    let own: HashSet<SectionId> = sections.iter().copied().collect();
    let mut direct: Vec<Read> = changed.iter().map(|p| Read::Page(*p)).collect();
    direct.extend(own.iter().map(|s| Read::Section(*s)));
    direct.extend(own.iter().map(|s| Read::SectionMeta(*s)));
    let mut listed: Vec<Read> = changed.iter().map(|p| Read::PageListed(*p)).collect();
    for s in tree.section_ids() {
        if !own.contains(&s) && views.pages_of(s).iter().any(|p| changed.contains(p)) {
            listed.push(Read::Section(s));
        }
    }
    for (t, taxonomy) in tree.taxonomies.iter().enumerate() {
        for (i, term) in taxonomy.terms.iter().enumerate() {
            if term.pages.iter().any(|p| changed.contains(p)) {
                listed.push(Read::Term(t, i));
                listed.push(Read::Taxonomy(t));
            }
        }
    }
    BodyEditReads { direct, listed }
}

/// What a body edit changes: views read directly (the edited page or
/// section itself), and views that only list an edited page.
struct BodyEditReads {
    direct: Vec<Read>,
    listed: Vec<Read>,
}

/// How templates read the fields of a page's view that its body decides
/// (and `json_encode`, which shows them all): a list whose templates read
/// none of them shows nothing a body edit can change. Field access, not
/// bare words, so that a `{% block content %}` does not count.
const BODY_FIELDS: &[&str] = &[
    ".content",
    ".summary",
    ".toc",
    ".word_count",
    ".reading_time",
    ".backlinks",
    "[\"content\"]",
    "['content']",
    "[\"summary\"]",
    "['summary']",
    "json_encode",
];

#[cfg(test)]
mod tests {
    #[test]
    fn only_hashing_a_search_file_or_an_unknown_path_keeps_the_index_first() {
        use super::hashes_search_files as h;
        assert!(!h(
            "{{ get_url(path='handbok.css', cachebust=true) }} {{ get_url(path='pagefind/pagefind.js') }}"
        ));
        assert!(!h(
            "{{ get_hash(literal='pagefind') }} {{ get_hash(path=\"style.css\") }}"
        ));
        assert!(h(
            "{{ get_url(path='pagefind/pagefind.js', cachebust=true) }}"
        ));
        assert!(h("{{ get_hash(path = \"pagefind/pagefind-entry.json\") }}"));
        assert!(h("{{ get_url(path=file, cachebust=true) }}"));
    }
}
