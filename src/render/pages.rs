//! Rendering pages, sections, redirects, aliases and the fixed files
//! (404, robots.txt, sitemap.xml) into the output set.

use super::pass::Pass;
use crate::content::{normalize_alias, Page, PageId, Section, SectionId};
use crate::diagnostics::{locate_key, Diagnostic, SourceFile};
use crate::output::OutputSet;
use serde_json::Value;

impl Pass<'_> {
    /// Template for a page: its own, the nearest ancestor's
    /// `page_template`, or `page.html`.
    fn page_template(&self, page: &Page) -> (String, bool) {
        if let Some(t) = &page.meta.template {
            return (t.clone(), true);
        }
        for a in page.ancestors.iter().rev() {
            if let Some(t) = &self.input.tree.sections[a.0].meta.page_template {
                return (t.clone(), true);
            }
        }
        ("page.html".into(), false)
    }

    /// A missing template: an error located at the front-matter key that
    /// names it, or Zola's placeholder page for a missing default.
    fn missing_template(
        &self,
        name: &str,
        explicit: bool,
        source: &SourceFile,
        front_matter: (usize, &str),
        key: &str,
    ) -> Option<String> {
        if explicit {
            let offset = front_matter.0 + locate_key(front_matter.1, &[key]).unwrap_or(0);
            self.diags.push(
                Diagnostic::error(
                    "template::not-found",
                    format!("template `{name}` does not exist"),
                )
                .at(source, offset)
                .with_help("create it under templates/ (or the theme's), or correct the name"),
            );
            return None;
        }
        Some(format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>handbok</title></head><body><p>No template <code>{name}</code> was found: add templates/{name} or set a theme.</p></body></html>"
        ))
    }

    /// Page `id` rendered with `template`, which exists.
    fn page_html(&self, id: PageId, template: &str) -> Option<String> {
        let page = &self.input.tree.pages[id.0];
        let mut ctx = self.base_context(&page.lang, &page.path, &page.permalink);
        // Zola gives its version to page templates only (the version of
        // its content crate, which 0.22.1 still numbers 0.21.0).
        ctx.insert("zola_version", "0.21.0");
        // Moved in rather than inserted: `insert` would copy the page
        // (its HTML and its siblings') once more.
        let mut own = serde_json::Map::new();
        own.insert("page".into(), self.lookups.views.page(id));
        // Made only for templates that can read them (an absent variable
        // they never name changes nothing): on a large handbook they were
        // a tenth of a page's render.
        if self.templates.reads_page_data(template) {
            own.insert("governance".into(), self.governance_value(id));
            own.insert("history".into(), self.history_value(id));
        }
        if let Ok(extra) = tera::Context::from_value(Value::Object(own)) {
            ctx.extend(extra);
        }
        self.render(template, &ctx, &page.file.display.display().to_string())
    }

    pub(super) fn page(&self, id: PageId) -> Option<(String, String)> {
        let page = &self.input.tree.pages[id.0];
        let (template, explicit) = self.page_template(page);
        let html = if self.has_template(&template) {
            self.with_lists_for(&template, || self.page_html(id, &template))?
        } else {
            let key = if page.meta.template.is_some() {
                "template"
            } else {
                "page_template"
            };
            // A page_template comes from an ancestor section: point there.
            let owner = page
                .ancestors
                .iter()
                .rev()
                .map(|a| &self.input.tree.sections[a.0])
                .find(|s| s.meta.page_template.is_some());
            match (page.meta.template.is_some(), owner) {
                (false, Some(s)) => {
                    self.missing_template(&template, explicit, &s.source, (0, &s.text), key)?
                }
                _ => self.missing_template(
                    &template,
                    explicit,
                    &page.source,
                    (page.front_matter_offset, page.front_matter()),
                    key,
                )?,
            }
        };
        Some((OutputSet::page_path(&page.path), html))
    }

    /// A section's page (its pagers when paginated), or its redirect.
    pub(super) fn section(&self, id: SectionId) -> Vec<(String, String)> {
        let s: &Section = &self.input.tree.sections[id.0];
        if let Some(target) = &s.meta.redirect_to {
            let url = if target.starts_with("http://") || target.starts_with("https://") {
                target.clone()
            } else {
                self.input.config.make_permalink(target)
            };
            return self
                .redirect(&url)
                .map(|html| (OutputSet::page_path(&s.path), html))
                .into_iter()
                .collect();
        }
        if !s.meta.render {
            return Vec::new();
        }
        let default = if s.is_root() {
            "index.html"
        } else {
            "section.html"
        };
        let (template, explicit) = match &s.meta.template {
            Some(t) => (t.clone(), true),
            None => (default.to_string(), false),
        };
        let html = if self.has_template(&template) {
            if let Some(paginator) = super::pagination::for_section(self.input.tree, id) {
                return self.with_lists_for(&template, || {
                    super::pagination::render_section(self, id, &paginator, &template)
                });
            }
            self.with_lists_for(&template, || {
                let mut ctx = self.base_context(&s.lang, &s.path, &s.permalink);
                // Moved in, not copied (see `page`).
                let mut own = serde_json::Map::new();
                own.insert("section".into(), self.lookups.views.section(id));
                own.insert("governance".into(), Value::Null);
                if let Ok(extra) = tera::Context::from_value(Value::Object(own)) {
                    ctx.extend(extra);
                }
                self.render(&template, &ctx, &s.file.display.display().to_string())
            })
        } else {
            self.missing_template(&template, explicit, &s.source, (0, &s.text), "template")
        };
        html.map(|html| (OutputSet::page_path(&s.path), html))
            .into_iter()
            .collect()
    }

    pub(super) fn aliases(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let tree = self.input.tree;
        let pages = tree.rendered_pages().map(|id| {
            let p = &tree.pages[id.0];
            (&p.meta.aliases, &p.permalink)
        });
        let sections = tree
            .sections
            .iter()
            .map(|s| (&s.meta.aliases, &s.permalink));
        for (aliases, permalink) in pages.chain(sections) {
            for alias in aliases {
                if let Some(html) = self.redirect(permalink) {
                    out.push((OutputSet::page_path(&normalize_alias(alias)), html));
                }
            }
        }
        out
    }

    /// Bundle assets beside their page; section assets in the section folder.
    pub(super) fn assets(&self, out: &mut OutputSet) {
        let tree = self.input.tree;
        for id in tree.rendered_pages() {
            let p = &tree.pages[id.0];
            let Some(dir) = p.file.bundle_dir() else {
                continue;
            };
            for a in &p.assets {
                if let Ok(rel) = a.strip_prefix(dir) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    out.copy(
                        format!("{}{}", p.path.trim_start_matches('/'), rel),
                        a.clone(),
                    );
                }
            }
        }
        for s in &tree.sections {
            for a in &s.assets {
                if let Some(name) = a.file_name() {
                    out.copy(
                        format!(
                            "{}{}",
                            s.path.trim_start_matches('/'),
                            name.to_string_lossy()
                        ),
                        a.clone(),
                    );
                }
            }
        }
    }

    pub(super) fn fixed_files(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let config = self.input.config;
        let lang = config.default_language.as_str();
        let mut ctx = tera::Context::new();
        ctx.insert("config", self.config_value(lang));
        ctx.insert("lang", lang);
        if let Some(html) = self.render("404.html", &ctx, "the 404 page") {
            out.push(("404.html".into(), html));
        }
        if config.generate_robots_txt {
            if let Some(txt) = self.render("robots.txt", &ctx, "robots.txt") {
                out.push(("robots.txt".into(), txt));
            }
        }
        if config.generate_sitemap {
            super::feeds::render_sitemap(self, &ctx, self.sitemap_entries(), &mut out);
        }
        out
    }

    /// Rendered pages and sections, sorted and de-duplicated.
    fn sitemap_entries(&self) -> Vec<Value> {
        let tree = self.input.tree;
        let mut entries: Vec<(String, Option<String>, Value)> = Vec::new();
        for id in tree.rendered_pages() {
            let p = &tree.pages[id.0];
            let view = self.lookups.views.page_meta(id);
            let updated = view
                .get("updated")
                .and_then(Value::as_str)
                .map(String::from)
                .or_else(|| p.date.as_ref().map(|d| d.0.clone()));
            // As written in front matter, date and time (Zola's `lastmod`).
            entries.push((
                p.permalink.clone(),
                updated,
                view.get("extra").cloned().unwrap_or(Value::Null),
            ));
        }
        for (i, s) in tree.sections.iter().enumerate() {
            // Zola lists a section that redirects too.
            if s.meta.render {
                entries.push((
                    s.permalink.clone(),
                    None,
                    self.lookups
                        .views
                        .section_meta(crate::content::SectionId(i))
                        .get("extra")
                        .cloned()
                        .unwrap_or(Value::Null),
                ));
            }
        }
        for g in self.input.model.generated_pages() {
            entries.push((self.input.config.make_permalink(&g.path), None, Value::Null));
        }
        let pagers = if self.input.config.exclude_paginated_pages_in_sitemap {
            Vec::new()
        } else {
            super::pagination::section_sitemap_permalinks(tree)
        };
        for permalink in pagers
            .into_iter()
            .chain(super::taxonomies::sitemap_permalinks(self))
        {
            entries.push((permalink, None, Value::Null));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|a, b| a.0 == b.0);
        entries
            .into_iter()
            .map(|(permalink, updated, extra)| serde_json::json!({"permalink": permalink, "updated": updated, "extra": extra}))
            .collect()
    }
}
