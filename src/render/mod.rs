//! Rendering the site with Tera: templates with theme fallback, Zola's
//! functions, template views of pages and sections, and every generated
//! file (pages, sections, aliases, redirects, 404, robots, sitemap).
//! Produces an [`OutputSet`]; must not write to disk or change earlier
//! stages' data.

mod context;
mod functions;
mod pages;
pub(crate) mod templates;

use crate::config::Config;
use crate::content::{ContentTree, Item, PageId};
use crate::diagnostics::Diagnostics;
use crate::markdown::Rendered;
use crate::output::OutputSet;
use std::collections::HashMap;
use std::sync::Arc;

/// Rendered Markdown of every page and section, indexed like the tree
/// (a side table, so content does not depend on markdown).
#[derive(Default)]
pub(crate) struct RenderedContent {
    pub(crate) pages: Vec<Option<Rendered>>,
    pub(crate) sections: Vec<Option<Rendered>>,
}

/// What rendering needs from earlier stages.
pub(crate) struct RenderInput<'a> {
    pub(crate) config: &'a Config,
    pub(crate) tree: &'a ContentTree,
    pub(crate) rendered: &'a RenderedContent,
    /// `build`, `serve` or `check`, as `config.mode` in templates.
    pub(crate) mode: &'a str,
    /// A page's last change from history, when its front matter has none.
    pub(crate) updated_fallback: &'a (dyn Fn(PageId) -> Option<String> + Sync),
    /// Stylesheets for class-mode highlighting: (file name, CSS).
    pub(crate) highlight_css: Vec<(String, String)>,
}

/// Renders every output file of the site.
pub(crate) fn site(
    input: &RenderInput<'_>,
    mut templates: templates::Templates,
    diags: &Diagnostics,
) -> OutputSet {
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
    let permalinks = items
        .keys()
        .filter_map(|rel| {
            input
                .tree
                .permalink_of(rel)
                .map(|p| (rel.clone(), p.to_string()))
        })
        .collect();
    let shared = Arc::new(functions::Shared {
        config: input.config.clone(),
        views,
        items,
        permalinks,
        diags: diags.clone(),
    });
    functions::register(&mut templates.tera, &shared);
    let mut out = OutputSet::default();
    pages::render_all(input, &templates, &shared, diags, &mut out);
    for (name, css) in &input.highlight_css {
        out.text(name.clone(), css.clone());
    }
    out
}
