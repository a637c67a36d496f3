//! Glue between the content tree and the Markdown renderer: for each page
//! and section, expands shortcodes (rendered by the template stage),
//! renders the Markdown, puts the HTML shortcodes back and marks glossary
//! terms; then hands the recorded `@/…#anchor` links to the check stage.

use crate::config::Config;
use crate::content::{ContentTree, Item};
use crate::diagnostics::{Diagnostics, SourceFile};
use crate::markdown::abbr::{mark_terms, AbbrTerm};
use crate::markdown::shortcode::{self, Shortcodes};
use crate::markdown::{self, Highlighter, MdContext, Rendered, Withholding};
use crate::render::shortcodes::Caller;
use crate::render::templates::{error_chain, Templates};
use crate::render::{Early, RenderedContent};
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;

/// What every page's Markdown shares.
pub(super) struct Stage<'a> {
    pub(super) config: &'a Config,
    pub(super) tree: &'a ContentTree,
    pub(super) templates: &'a Templates,
    pub(super) early: &'a Early,
    pub(super) highlighter: &'a Highlighter,
    pub(super) terms: &'a [AbbrTerm],
    /// Where the glossary page is, so it does not mark its own terms.
    pub(super) glossary: Option<&'a str>,
    pub(super) mode: &'a str,
}

/// One page or section to render.
struct Unit<'a> {
    body: &'a str,
    source: &'a SourceFile,
    body_offset: usize,
    permalink: &'a str,
    lang: &'a str,
    relative: &'a str,
    anchors: crate::config::InsertAnchor,
    caller_key: &'static str,
    caller: Value,
}

impl Stage<'_> {
    /// The shortcodes and `config` values every unit needs.
    fn shared(&self) -> (HashMap<String, shortcode::Kind>, HashMap<&str, Value>) {
        let known = crate::render::shortcodes::known(self.templates);
        let configs: HashMap<&str, Value> = self
            .config
            .languages
            .keys()
            .map(|l| (l.as_str(), self.config.template_value(l, self.mode)))
            .collect();
        (known, configs)
    }

    /// Renders one page's Markdown (for `serve`, after a body edit); its
    /// diagnostics are in the result.
    pub(super) fn page(&self, id: crate::content::PageId) -> Rendered {
        let (known, configs) = self.shared();
        self.render_page(&self.tree.pages[id.0], &known, &configs)
    }

    fn render_page(
        &self,
        p: &crate::content::Page,
        known: &HashMap<String, shortcode::Kind>,
        configs: &HashMap<&str, Value>,
    ) -> Rendered {
        let tree = self.tree;
        let anchors = p
            .parent_section
            .map(|s| tree.section(s).insert_anchor_links(self.config))
            .unwrap_or(self.config.markdown.insert_anchor_links);
        let caller = json!({
            "title": p.meta.title, "description": p.meta.description, "permalink": p.permalink,
            "path": p.path, "relative_path": p.file.relative, "colocated_path": p.file.colocated_path,
            "extra": crate::content::front_matter::table_to_json(&p.meta.extra), "lang": p.lang,
            "slug": p.slug, "date": p.date.as_ref().map(|d| d.0.clone()), "assets": p.serialized_assets(),
            "translations": [], "backlinks": [], "ancestors": [],
        });
        let unit = Unit {
            body: p.body(),
            source: &p.source,
            body_offset: p.body_offset,
            permalink: &p.permalink,
            lang: &p.lang,
            relative: &p.file.relative,
            anchors,
            caller_key: "page",
            caller,
        };
        self.render_unit(&unit, known, configs)
    }

    /// Renders all Markdown in parallel.
    pub(super) fn run(&self, diags: &Diagnostics) -> RenderedContent {
        let (known, configs) = self.shared();
        let tree = self.tree;
        let pages: Vec<Option<Rendered>> = tree
            .pages
            .par_iter()
            .map(|p| Some(self.render_page(p, &known, &configs)))
            .collect();
        let sections: Vec<Option<Rendered>> = tree
            .sections
            .par_iter()
            .map(|s| Some(self.render_section(s, &known, &configs)))
            .collect();
        let rendered = RenderedContent { pages, sections };
        for r in rendered.pages.iter().chain(&rendered.sections).flatten() {
            diags.extend(r.diagnostics.iter().cloned());
        }
        self.check_links(&rendered, diags);
        rendered
    }

    /// Renders one section's Markdown (for `serve`, after a body edit).
    pub(super) fn section(&self, id: crate::content::SectionId) -> Rendered {
        let (known, configs) = self.shared();
        self.render_section(&self.tree.sections[id.0], &known, &configs)
    }

    fn render_section(
        &self,
        s: &crate::content::Section,
        known: &HashMap<String, shortcode::Kind>,
        configs: &HashMap<&str, Value>,
    ) -> Rendered {
        let caller = json!({
            "title": s.meta.title, "description": s.meta.description, "permalink": s.permalink,
            "path": s.path, "relative_path": s.file.relative,
            "extra": crate::content::front_matter::table_to_json(&s.meta.extra), "lang": s.lang,
            "assets": s.serialized_assets(), "pages": [], "subsections": [], "translations": [], "backlinks": [], "ancestors": [],
        });
        let unit = Unit {
            body: s.body(),
            source: &s.source,
            body_offset: s.body_offset,
            permalink: &s.permalink,
            lang: &s.lang,
            relative: &s.file.relative,
            anchors: s.insert_anchor_links(self.config),
            caller_key: "section",
            caller,
        };
        self.render_unit(&unit, known, configs)
    }

    fn render_unit(
        &self,
        unit: &Unit<'_>,
        known: &HashMap<String, shortcode::Kind>,
        configs: &HashMap<&str, Value>,
    ) -> Rendered {
        let config_value = configs
            .get(unit.lang)
            .or_else(|| configs.get(self.config.default_language.as_str()));
        let null = Value::Null;
        let caller = Caller {
            key: unit.caller_key,
            value: &unit.caller,
            lang: unit.lang,
            config: config_value.unwrap_or(&null),
        };
        let render_sc = |name: &str, kind, args: &serde_json::Map<String, Value>| {
            crate::render::shortcodes::render(self.templates, self.early, &caller, name, kind, args)
        };
        let (expanded, sc_diags) = if shortcode::may_contain(unit.body) {
            shortcode::expand(
                unit.body,
                &Shortcodes {
                    known,
                    render: &render_sc,
                },
                unit.source,
                unit.body_offset,
            )
        } else {
            (
                shortcode::Expanded {
                    text: unit.body.to_string(),
                    placeholders: vec![],
                },
                vec![],
            )
        };
        let resolve = |target: &str| self.tree.permalink_of(target).map(String::from);
        let withheld = |target: &str| self.tree.withheld.contains(target);
        let render_anchor = |id: &str, level: u32| {
            let mut ctx = tera::Context::new();
            ctx.insert("id", id);
            ctx.insert("level", &level);
            ctx.insert("lang", unit.lang);
            self.templates
                .tera
                .render("anchor-link.html", &ctx)
                .map_err(|e| error_chain(&e))
        };
        let ctx = MdContext {
            config: self.config,
            permalink: unit.permalink,
            source: unit.source,
            body_offset: unit.body_offset,
            insert_anchor_links: unit.anchors,
            resolve_internal: &resolve,
            render_anchor: &render_anchor,
            lang: unit.lang,
            withheld: self
                .tree
                .withheld
                .audience
                .as_deref()
                .map(|audience| Withholding {
                    audience,
                    contains: &withheld,
                }),
        };
        let mut rendered = markdown::render(&expanded.text, &ctx, self.highlighter);
        rendered.diagnostics.extend(sc_diags);
        if !expanded.placeholders.is_empty() {
            rendered.body = shortcode::restore(&rendered.body, &expanded.placeholders);
            rendered.summary = rendered
                .summary
                .map(|s| shortcode::restore(&s, &expanded.placeholders));
        }
        // Same-page `#anchor` links are recorded with an empty target.
        for link in &mut rendered.internal_links {
            if link.target.is_empty() {
                link.target = unit.relative.to_string();
            }
        }
        if !self.terms.is_empty() && self.glossary != Some(unit.relative) {
            rendered.body = mark_terms(&rendered.body, self.terms);
        }
        rendered
    }

    /// After one page's Markdown was rendered again: checks its links, and
    /// the links of every page or section that points at it (its anchors
    /// may have changed).
    pub(super) fn check_links_of(
        &self,
        item: Item,
        new: &Rendered,
        rendered: &RenderedContent,
        diags: &Diagnostics,
    ) {
        let tree = self.tree;
        let (relative, source) = match item {
            Item::Page(p) => (
                tree.pages[p.0].file.relative.as_str(),
                &tree.pages[p.0].source,
            ),
            Item::Section(s) => (
                tree.sections[s.0].file.relative.as_str(),
                &tree.sections[s.0].source,
            ),
        };
        let mut links: Vec<(&SourceFile, Vec<markdown::InternalLink>)> =
            vec![(source, new.internal_links.clone())];
        let pages = tree
            .pages
            .iter()
            .map(|p| &p.source)
            .zip(&rendered.pages)
            .enumerate()
            .filter(|(i, _)| item != Item::Page(crate::content::PageId(*i)))
            .map(|(_, x)| x);
        let sections = tree
            .sections
            .iter()
            .map(|s| &s.source)
            .zip(&rendered.sections)
            .enumerate()
            .filter(|(i, _)| item != Item::Section(crate::content::SectionId(*i)))
            .map(|(_, x)| x);
        for (src, r) in pages.chain(sections) {
            let Some(r) = r else { continue };
            let to_it: Vec<markdown::InternalLink> = r
                .internal_links
                .iter()
                .filter(|l| l.target == relative)
                .cloned()
                .collect();
            if !to_it.is_empty() {
                links.push((src, to_it));
            }
        }
        let links: Vec<(&SourceFile, &[markdown::InternalLink])> =
            links.iter().map(|(s, l)| (*s, l.as_slice())).collect();
        crate::check::links::check_anchors(
            self.config,
            tree,
            &links,
            &|target| match target {
                t if t == item => Some(new.anchors.as_slice()),
                Item::Page(p) => rendered.pages[p.0].as_ref().map(|r| r.anchors.as_slice()),
                Item::Section(s) => rendered.sections[s.0]
                    .as_ref()
                    .map(|r| r.anchors.as_slice()),
            },
            diags,
        );
    }

    fn check_links(&self, rendered: &RenderedContent, diags: &Diagnostics) {
        let tree = self.tree;
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
            self.config,
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
    }
}
