//! Glue between the content tree and the Markdown renderer: builds each
//! page's and section's Markdown context and renders them in parallel;
//! then hands the recorded `@/…#anchor` links to the check stage.

use crate::config::Config;
use crate::content::{ContentTree, Item};
use crate::diagnostics::{Diagnostics, SourceFile};
use crate::markdown::{self, Highlighter, MdContext, Rendered};
use crate::render::templates::error_chain;
use crate::render::RenderedContent;
use rayon::prelude::*;

/// Renders all Markdown; returns it with the highlight stylesheets.
pub(super) fn run(
    config: &Config,
    tree: &ContentTree,
    tera: &tera::Tera,
    diags: &Diagnostics,
) -> (RenderedContent, Vec<(String, String)>) {
    let highlighter = match Highlighter::new(config) {
        Ok(h) => h,
        Err(d) => {
            diags.push(d);
            return (RenderedContent::default(), vec![]);
        }
    };
    let resolve = |target: &str| tree.permalink_of(target).map(String::from);
    let render_one = |body: &str,
                      source: &SourceFile,
                      body_offset: usize,
                      permalink: &str,
                      lang: &str,
                      anchors| {
        let render_anchor = |id: &str, level: u32| {
            let mut ctx = tera::Context::new();
            ctx.insert("id", id);
            ctx.insert("level", &level);
            ctx.insert("lang", lang);
            tera.render("anchor-link.html", &ctx)
                .map_err(|e| error_chain(&e))
        };
        let ctx = MdContext {
            config,
            permalink,
            source,
            body_offset,
            insert_anchor_links: anchors,
            resolve_internal: &resolve,
            render_anchor: &render_anchor,
            lang,
        };
        markdown::render(body, &ctx, &highlighter)
    };
    let pages: Vec<Option<Rendered>> = tree
        .pages
        .par_iter()
        .map(|p| {
            let anchors = p
                .parent_section
                .map(|s| tree.section(s).insert_anchor_links(config))
                .unwrap_or(config.markdown.insert_anchor_links);
            Some(render_one(
                p.body(),
                &p.source,
                p.body_offset,
                &p.permalink,
                &p.lang,
                anchors,
            ))
        })
        .collect();
    let sections: Vec<Option<Rendered>> = tree
        .sections
        .par_iter()
        .map(|s| {
            Some(render_one(
                s.body(),
                &s.source,
                s.body_offset,
                &s.permalink,
                &s.lang,
                s.insert_anchor_links(config),
            ))
        })
        .collect();
    let rendered = RenderedContent { pages, sections };
    for r in rendered.pages.iter().chain(&rendered.sections).flatten() {
        diags.extend(r.diagnostics.iter().cloned());
    }
    let links: Vec<(&SourceFile, &[markdown::InternalLink])> = tree
        .pages
        .iter()
        .map(|p| &p.source)
        .zip(&rendered.pages)
        .chain(
            tree.sections
                .iter()
                .map(|s| &s.source)
                .zip(&rendered.sections),
        )
        .filter_map(|(src, r)| r.as_ref().map(|r| (src, r.internal_links.as_slice())))
        .collect();
    crate::check::links::check_anchors(
        config,
        tree,
        &links,
        &|item| match item {
            Item::Page(p) => rendered.pages[p.0].as_ref().map(|r| r.anchors.as_slice()),
            Item::Section(s) => rendered.sections[s.0]
                .as_ref()
                .map(|r| r.anchors.as_slice()),
        },
        diags,
    );
    (rendered, highlighter.css_files(config))
}
