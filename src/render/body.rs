//! The bodies of pages and sections: for each, expands shortcodes
//! (rendered with the site's templates), renders the Markdown, puts the
//! shortcodes' HTML back and marks glossary terms. Checking the recorded
//! `@/…#anchor` links is the check stage's; this module only records them.

use super::facts::SiteFacts;
use super::rendered::RenderedContent;
use super::shortcodes::Caller;
use super::templates::{error_chain, Templates};
use super::views::{self, PageView, SectionView};
use crate::config::Config;
use crate::content::{ContentTree, PageId, SectionId};
use crate::diagnostics::{Diagnostics, SourceFile};
use crate::markdown::abbr::{mark_terms, Glossary};
use crate::markdown::shortcode::{self, Shortcodes};
use crate::markdown::{self, Highlighter, MdContext, Rendered, Withholding};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::HashMap;

/// What every page's Markdown shares.
pub(super) struct Bodies<'a> {
    pub(super) config: &'a Config,
    pub(super) tree: &'a ContentTree,
    pub(super) templates: &'a Templates,
    pub(super) facts: &'a SiteFacts,
    pub(super) highlighter: &'a Highlighter,
    pub(super) terms: &'a Glossary,
    /// Where the glossary page is, so it does not mark its own terms.
    pub(super) glossary: &'a str,
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

impl Bodies<'_> {
    /// The shortcodes and `config` values every unit needs.
    fn shared(&self) -> (HashMap<String, shortcode::Kind>, HashMap<&str, Value>) {
        let known = super::shortcodes::known(self.templates);
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
    pub(super) fn page(&self, id: PageId) -> Rendered {
        let (known, configs) = self.shared();
        self.render_page(id, &known, &configs)
    }

    fn render_page(
        &self,
        id: PageId,
        known: &HashMap<String, shortcode::Kind>,
        configs: &HashMap<&str, Value>,
    ) -> Rendered {
        let tree = self.tree;
        let p = &tree.pages[id.0];
        let anchors = p
            .parent_section
            .map(|s| tree.section(s).insert_anchor_links(self.config))
            .unwrap_or(self.config.markdown.insert_anchor_links);
        // The page as templates see it, before its own Markdown exists.
        let caller = views::to_value(&PageView::new(tree, id, None, Vec::new(), None));
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

    /// Renders all Markdown in parallel; each body's problems go to
    /// `diags`.
    pub(super) fn all(&self, diags: &Diagnostics) -> RenderedContent {
        let (known, configs) = self.shared();
        let tree = self.tree;
        let pages: Vec<Option<Rendered>> = (0..tree.pages.len())
            .into_par_iter()
            .map(|i| Some(self.render_page(PageId(i), &known, &configs)))
            .collect();
        let sections: Vec<Option<Rendered>> = (0..tree.sections.len())
            .into_par_iter()
            .map(|i| Some(self.render_section(SectionId(i), &known, &configs)))
            .collect();
        let rendered = RenderedContent { pages, sections };
        for r in rendered.pages.iter().chain(&rendered.sections).flatten() {
            diags.extend(r.diagnostics.iter().cloned());
        }
        rendered
    }

    /// Renders one section's Markdown (for `serve`, after a body edit).
    pub(super) fn section(&self, id: SectionId) -> Rendered {
        let (known, configs) = self.shared();
        self.render_section(id, &known, &configs)
    }

    fn render_section(
        &self,
        id: SectionId,
        known: &HashMap<String, shortcode::Kind>,
        configs: &HashMap<&str, Value>,
    ) -> Rendered {
        let s = &self.tree.sections[id.0];
        let caller = views::to_value(&SectionView::new(self.tree, id, None, Vec::new()));
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
            super::shortcodes::render(self.templates, self.facts, &caller, name, kind, args)
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
            rendered.body = shortcode::restore(&rendered.body, &expanded.placeholders).into();
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
        if !self.terms.is_empty() && self.glossary != unit.relative {
            rendered.body = mark_terms(&rendered.body, self.terms).into();
        }
        rendered
    }
}
