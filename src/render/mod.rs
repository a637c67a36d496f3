//! Rendering the site with Tera: templates with theme fallback, Zola's
//! functions and filters, template views of pages and sections, and every
//! generated file (pages, sections, aliases, redirects, 404, robots,
//! sitemap, handbok's governance pages). Produces an [`OutputSet`]; must
//! not write to disk or change earlier stages' data. The one exception is
//! `resize_image`'s cache, `static/processed_images/`, where Zola keeps it
//! (see `images.rs`).
//!
//! Two phases, as in Zola: [`prepare`] registers what shortcodes may use
//! (before Markdown); [`site`] adds `get_page`/`get_section` and renders.

mod context;
mod data;
pub(crate) mod deps;
mod feeds;
mod filters;
mod functions;
mod history;
pub(crate) mod images;
mod pages;
mod pagination;
mod recursion;
pub(crate) mod shortcodes;
mod taxonomies;
pub(crate) mod templates;

use crate::config::Config;
use crate::content::{ContentTree, Item, PageId};
use crate::diagnostics::Diagnostics;
use crate::governance::Model;
use crate::history::History;
use crate::markdown::{Highlighter, Rendered};
use crate::output::OutputSet;
pub(crate) use functions::Early;
pub(crate) use pages::UnitOutput;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Rendered Markdown of every page and section, indexed like the tree
/// (a side table, so content does not depend on markdown).
#[derive(Default)]
pub(crate) struct RenderedContent {
    pub(crate) pages: Vec<Option<Rendered>>,
    pub(crate) sections: Vec<Option<Rendered>>,
}

impl RenderedContent {
    /// A page's rendered HTML, if it was rendered.
    pub(crate) fn page_html(&self, id: PageId) -> Option<&str> {
        self.pages
            .get(id.0)
            .and_then(Option::as_ref)
            .map(|r| r.body.as_str())
    }

    /// A section's rendered HTML, if it was rendered.
    pub(crate) fn section_html(&self, id: crate::content::SectionId) -> Option<&str> {
        self.sections
            .get(id.0)
            .and_then(Option::as_ref)
            .map(|r| r.body.as_str())
    }
}

/// What rendering needs from earlier stages.
pub(crate) struct RenderInput<'a> {
    pub(crate) config: &'a Config,
    pub(crate) tree: &'a ContentTree,
    pub(crate) rendered: &'a RenderedContent,
    pub(crate) governance: &'a Model,
    /// `build`, `serve` or `check`, as `config.mode` in templates.
    pub(crate) mode: &'a str,
    /// A page's last change from history, when its front matter has none.
    pub(crate) updated_fallback: &'a (dyn Fn(PageId) -> Option<String> + Sync),
    /// Stylesheets for class-mode highlighting: (file name, CSS).
    pub(crate) highlight_css: Vec<(String, String)>,
    /// What git knows about every content file.
    pub(crate) history: &'a History,
    /// Commit subjects that are not a meaningful change.
    pub(crate) history_ignore: Option<&'a regex::Regex>,
}

/// The date of a page's last meaningful commit: `page.updated` when the
/// front matter has none.
pub(crate) fn history_updated(
    history: &History,
    tree: &ContentTree,
    id: PageId,
    ignore: Option<&regex::Regex>,
) -> Option<String> {
    history::last_meaningful_date(history, tree, id, ignore)
}

/// Phase one: registers the functions and filters shortcodes and the
/// `markdown` filter may use. Returns the shared data for phase two.
pub(crate) fn prepare(
    templates: &mut templates::Templates,
    config: &Config,
    tree: &ContentTree,
    governance: &Model,
    highlighter: &Arc<Highlighter>,
    diags: &Diagnostics,
) -> Arc<Early> {
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
    let handbook = governance.site_value();
    let roles: HashMap<String, Value> = handbook
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
        .unwrap_or_default();
    let early = Arc::new(Early {
        config: config.clone(),
        permalinks,
        diags: diags.clone(),
        roles,
        handbook,
        taxonomy_urls: taxonomies::TaxonomyUrls::new(config, &tree.taxonomies),
        images: images::ImageQueue::default(),
    });
    functions::register_early(&mut templates.tera, &early);
    filters::register(&mut templates.tera, &early, highlighter);
    early
}

/// What `serve` keeps of a build to render parts of it again: the
/// templates with their functions, the views they read, and what every
/// unit read and wrote.
pub(crate) struct Session {
    templates: templates::Templates,
    shared: Arc<functions::Shared>,
    pub(crate) graph: deps::Graph,
}

/// Phase two: renders every output file of the site.
pub(crate) fn site(
    input: &RenderInput<'_>,
    mut templates: templates::Templates,
    early: Arc<Early>,
    diags: &Diagnostics,
) -> (OutputSet, Session) {
    let backlinks = context::collect_backlinks(input.tree, input.rendered);
    let views = context::build_views(
        input.config,
        input.tree,
        input.rendered,
        &backlinks,
        input.updated_fallback,
    );
    let items: HashMap<String, Item> = input
        .tree
        .pages
        .iter()
        .map(|p| p.file.relative.clone())
        .chain(input.tree.sections.iter().map(|s| s.file.relative.clone()))
        .filter_map(|rel| input.tree.get(&rel).map(|item| (rel, item)))
        .collect();
    let changes = history::recent_changes(input.history, input.tree, &|id| {
        input.governance.page_value(id)
    });
    let shared = Arc::new(functions::Shared {
        early,
        views,
        items: Arc::new(items),
        taxonomies: taxonomies::TaxonomyViews::new(&input.tree.taxonomies),
        changes: Arc::new(changes),
    });
    functions::register_late(&mut templates.tera, &shared);
    let mut out = OutputSet::default();
    let graph = pages::render_all(input, &templates, &shared, diags, &mut out);
    for (name, css) in &input.highlight_css {
        out.text(name.clone(), css.clone());
    }
    let session = Session {
        templates,
        shared,
        graph,
    };
    (out, session)
}

impl Session {
    /// The templates, for the Markdown of pages rendered again.
    pub(crate) fn templates(&self) -> &templates::Templates {
        &self.templates
    }

    /// The functions shortcodes may use.
    pub(crate) fn early(&self) -> &Arc<Early> {
        &self.shared.early
    }

    /// Serializes pages and sections again (after their Markdown was
    /// rendered again, or their back-links changed) and gives views with
    /// them replaced; [`Session::use_views`] makes templates read those.
    pub(crate) fn views_replacing(
        &self,
        input: &RenderInput<'_>,
        pages: &[PageId],
        sections: &[crate::content::SectionId],
    ) -> context::Views {
        let targets: std::collections::HashSet<&str> = pages
            .iter()
            .map(|p| input.tree.pages[p.0].file.relative.as_str())
            .chain(
                sections
                    .iter()
                    .map(|s| input.tree.sections[s.0].file.relative.as_str()),
            )
            .collect();
        let backlinks = context::collect_backlinks_to(input.tree, input.rendered, Some(&targets));
        let pages = pages
            .iter()
            .map(|&id| {
                let updated = (input.updated_fallback)(id);
                let value = context::basic_page(
                    input.tree,
                    id,
                    input.rendered,
                    &backlinks,
                    updated.as_deref(),
                );
                (id, value)
            })
            .collect();
        let sections = sections
            .iter()
            .map(|&id| {
                let value = context::section_value(
                    input.tree,
                    id,
                    input.rendered,
                    &backlinks,
                    serde_json::json!([]),
                );
                (id, value)
            })
            .collect();
        self.shared.views.replacing(pages, sections)
    }

    /// Makes templates read `views` from now on; gives the views they read
    /// before, to go back to when rendering fails.
    pub(crate) fn use_views(
        &mut self,
        input: &RenderInput<'_>,
        views: context::Views,
    ) -> context::Views {
        let old = self.shared.views.clone();
        let shared = Arc::new(functions::Shared {
            early: self.shared.early.clone(),
            views,
            items: self.shared.items.clone(),
            taxonomies: taxonomies::TaxonomyViews::new(&input.tree.taxonomies),
            changes: self.shared.changes.clone(),
        });
        functions::register_late(&mut self.templates.tera, &shared);
        self.shared = shared;
        old
    }

    /// Uses `new` templates from now on (with every function and filter
    /// registered on them); gives the previous ones, to go back to when
    /// rendering fails.
    pub(crate) fn use_templates(
        &mut self,
        mut new: templates::Templates,
        highlighter: &Arc<Highlighter>,
    ) -> templates::Templates {
        functions::register_early(&mut new.tera, &self.shared.early);
        filters::register(&mut new.tera, &self.shared.early, highlighter);
        functions::register_late(&mut new.tera, &self.shared);
        std::mem::replace(&mut self.templates, new)
    }

    /// The pages a section's value embeds.
    pub(crate) fn pages_of(&self, id: crate::content::SectionId) -> &[PageId] {
        self.shared.views.pages_of(id)
    }

    /// Renders `units` again with the current views.
    pub(crate) fn render_units(
        &self,
        input: &RenderInput<'_>,
        units: &[deps::Unit],
        diags: &Diagnostics,
    ) -> Vec<UnitOutput> {
        let r = pages::Renderer::new(input, &self.templates, &self.shared, diags);
        pages::render_units(&r, units)
    }
}
