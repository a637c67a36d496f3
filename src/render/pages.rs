//! Rendering pages, sections, redirects, aliases and the fixed files
//! (404, robots.txt, sitemap.xml) into the output set.

use super::deps::{self, Graph, Recorded, Unit};
use super::functions::Shared;
use super::templates::Templates;
use super::RenderInput;
use crate::content::{normalize_alias, Page, PageId, Section, SectionId};
use crate::diagnostics::{locate_key, Diagnostic, Diagnostics, SourceFile};
use crate::output::OutputSet;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// One unit's rendered files and what it read.
pub(crate) struct UnitOutput {
    pub(crate) unit: Unit,
    pub(crate) reads: Recorded,
    pub(crate) files: Vec<(String, String)>,
}

/// Every template-rendered unit of the site, in output order: a later
/// unit's file wins over an earlier one's at the same path (aliases first,
/// so that a real page wins; taxonomies last, as in Zola).
fn all_units(tree: &crate::content::ContentTree, docs: Vec<PageId>) -> Vec<Vec<Unit>> {
    let mut taxonomies = Vec::new();
    for (t, taxonomy) in tree.taxonomies.iter().enumerate() {
        taxonomies.push(Unit::TaxonomyList(t));
        taxonomies.extend((0..taxonomy.terms.len()).map(|i| Unit::Term(t, i)));
    }
    vec![
        vec![Unit::Aliases],
        tree.section_ids().map(Unit::Section).collect(),
        tree.rendered_pages().map(Unit::Page).collect(),
        vec![Unit::Generated],
        docs.into_iter().map(Unit::History).collect(),
        vec![Unit::Changes, Unit::Feeds, Unit::Fixed],
        taxonomies,
    ]
}

/// Renders units in parallel, recording what each read.
pub(super) fn render_units(r: &Renderer<'_>, units: &[Unit]) -> Vec<UnitOutput> {
    units
        .par_iter()
        .map(|&unit| {
            let (files, reads) = deps::record(|| r.unit(unit));
            UnitOutput { unit, reads, files }
        })
        .collect()
}

/// Renders everything into `out`; template problems go to `diags`.
/// Gives what every unit read and wrote.
pub(super) fn render_all(
    input: &RenderInput<'_>,
    templates: &Templates,
    shared: &Arc<Shared>,
    diags: &Diagnostics,
    out: &mut OutputSet,
) -> Graph {
    let r = Renderer::new(input, templates, shared, diags);
    let mut graph = Graph::default();
    let groups = all_units(input.tree, r.documents());
    let (before, after) = groups.split_at(5);
    let mut emit = |outputs: Vec<UnitOutput>, out: &mut OutputSet| {
        for o in outputs {
            let paths = o
                .files
                .iter()
                .map(|(p, _)| crate::output::normalize(p))
                .collect();
            graph.add(o.unit, o.reads, paths);
            for (path, text) in o.files {
                out.text(path, text);
            }
        }
    };
    for group in before {
        emit(render_units(&r, group), out);
    }
    r.assets(out);
    for group in after {
        emit(render_units(&r, group), out);
    }
    graph
}

/// What every renderer of the site shares (pages, sections, feeds,
/// taxonomies, pagers).
pub(super) struct Renderer<'a> {
    pub(super) input: &'a RenderInput<'a>,
    templates: &'a Templates,
    pub(super) shared: &'a Arc<Shared>,
    pub(super) diags: &'a Diagnostics,
    configs: HashMap<&'a str, Value>,
}

impl<'a> Renderer<'a> {
    pub(super) fn new(
        input: &'a RenderInput<'a>,
        templates: &'a Templates,
        shared: &'a Arc<Shared>,
        diags: &'a Diagnostics,
    ) -> Self {
        let configs = input
            .config
            .languages
            .keys()
            .map(|l| (l.as_str(), input.config.template_value(l, input.mode)))
            .collect();
        Renderer {
            input,
            templates,
            shared,
            diags,
            configs,
        }
    }

    /// Renders one unit's files.
    pub(super) fn unit(&self, unit: Unit) -> Vec<(String, String)> {
        match unit {
            Unit::Aliases => self.aliases(),
            Unit::Page(id) => self.page(id).into_iter().collect(),
            Unit::Section(id) => self.section(id),
            Unit::Generated => self.generated(),
            Unit::History(id) => self.history_page(id).into_iter().collect(),
            Unit::Changes => self.changes_page(),
            Unit::Feeds => super::feeds::render_site_and_sections(self),
            Unit::Fixed => self.fixed_files(),
            Unit::TaxonomyList(t) => super::taxonomies::render_list(self, t),
            Unit::Term(t, i) => super::taxonomies::render_term_unit(self, t, i),
        }
    }

    /// The `config` variable for `lang` (the default language's if unknown).
    pub(super) fn config_value(&self, lang: &str) -> &Value {
        self.configs
            .get(lang)
            .or_else(|| {
                self.configs
                    .get(self.input.config.default_language.as_str())
            })
            .unwrap_or(&Value::Null)
    }

    /// `config`, `lang`, `current_path` and `current_url`, as every page,
    /// section, pager and taxonomy template gets them.
    pub(super) fn base_context(&self, lang: &str, path: &str, permalink: &str) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("config", self.config_value(lang));
        ctx.insert("lang", lang);
        ctx.insert("current_path", path);
        ctx.insert("current_url", permalink);
        ctx.insert("zola_version", "0.21.0");
        ctx.insert("handbok_version", env!("CARGO_PKG_VERSION"));
        ctx
    }

    /// True if the site, theme or built-ins have this template.
    pub(super) fn has_template(&self, name: &str) -> bool {
        self.templates.tera.get_template_names().any(|n| n == name)
    }

    /// Renders `name`, or reports a located error and gives `None`.
    pub(super) fn render(&self, name: &str, ctx: &tera::Context, what: &str) -> Option<String> {
        deps::note_template(name);
        match self.templates.tera.render(name, ctx) {
            Ok(html) => Some(html),
            Err(e) => {
                self.diags.push(self.templates.render_error(name, what, &e));
                None
            }
        }
    }

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

    fn page(&self, id: PageId) -> Option<(String, String)> {
        let page = &self.input.tree.pages[id.0];
        let (template, explicit) = self.page_template(page);
        let html = if self.has_template(&template) {
            let mut ctx = self.base_context(&page.lang, &page.path, &page.permalink);
            // Moved in rather than inserted: `insert` would copy the page
            // (its HTML and its siblings') once more.
            let mut own = serde_json::Map::new();
            own.insert("page".into(), self.shared.views.page(id));
            own.insert("governance".into(), self.governance_value(id));
            own.insert("history".into(), self.history_value(id));
            if let Ok(extra) = tera::Context::from_value(Value::Object(own)) {
                ctx.extend(extra);
            }
            self.render(&template, &ctx, &page.file.display.display().to_string())?
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
    fn section(&self, id: SectionId) -> Vec<(String, String)> {
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
                return super::pagination::render_section(self, id, &paginator, &template);
            }
            let mut ctx = self.base_context(&s.lang, &s.path, &s.permalink);
            // Moved in, not copied (see `page`).
            let mut own = serde_json::Map::new();
            own.insert("section".into(), self.shared.views.section(id));
            own.insert("governance".into(), Value::Null);
            if let Ok(extra) = tera::Context::from_value(Value::Object(own)) {
                ctx.extend(extra);
            }
            self.render(&template, &ctx, &s.file.display.display().to_string())
        } else {
            self.missing_template(&template, explicit, &s.source, (0, &s.text), "template")
        };
        html.map(|html| (OutputSet::page_path(&s.path), html))
            .into_iter()
            .collect()
    }

    /// Zola's redirect page (`internal/alias.html`) to `url`.
    pub(super) fn redirect(&self, url: &str) -> Option<String> {
        let mut ctx = tera::Context::new();
        ctx.insert("url", url);
        ctx.insert(
            "config",
            self.configs
                .get(self.input.config.default_language.as_str())
                .unwrap_or(&Value::Null),
        );
        self.render("internal/alias.html", &ctx, "a redirect")
    }

    fn aliases(&self) -> Vec<(String, String)> {
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

    /// handbok's governance pages (register, matrix, review status,
    /// activities), each from its own template.
    /// A page's governance data, with the link to its history page.
    fn governance_value(&self, id: PageId) -> Value {
        let mut v = self.input.governance.page_value(id).unwrap_or(Value::Null);
        let has_history = self.has_history_page(id);
        if let Some(doc) = v.get_mut("document").and_then(Value::as_object_mut) {
            // Null (not absent) without a page, so that templates may read it.
            let url =
                has_history.then(|| format!("{}historik/", self.input.tree.pages[id.0].permalink));
            doc.insert("history_url".into(), url.map_or(Value::Null, Value::String));
            let file = &self.input.tree.pages[id.0].file.display;
            let edit = super::edit_link::edit_url(self.input.config, file);
            doc.insert("edit_url".into(), edit.map_or(Value::Null, Value::String));
        }
        v
    }

    /// A page's `history` (commits, first and last change).
    fn history_value(&self, id: PageId) -> Value {
        super::history::page_value(
            self.input.history,
            self.input.tree,
            id,
            self.input.history_ignore,
            self.input.config,
        )
    }

    /// The governing documents: each has a `…/historik/` page.
    fn documents(&self) -> Vec<PageId> {
        self.input
            .tree
            .rendered_pages()
            .filter(|id| self.has_history_page(*id))
            .collect()
    }

    /// A governing document has a history page when there is something to
    /// show: git history, or a change log in its front matter. Outside git
    /// a document without a change log gets no page (and no link to one).
    fn has_history_page(&self, id: PageId) -> bool {
        self.input
            .governance
            .document(id)
            .is_some_and(|d| self.input.history.available || !d.changes.is_empty())
    }

    /// A governing document's `…/historik/` page.
    fn history_page(&self, id: PageId) -> Option<(String, String)> {
        let page = &self.input.tree.pages[id.0];
        let path = format!("{}historik/", page.path);
        let permalink = self.input.config.make_permalink(&path);
        let governance = self.governance_value(id);
        let changes: Vec<Value> = governance["document"]["changes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let file_path = std::path::Path::new("content").join(&page.file.relative);
        let empty = crate::history::FileHistory::default();
        let file = self.input.history.file(&file_path).unwrap_or(&empty);
        let timeline = super::history::timeline(
            self.input.history,
            file,
            &changes,
            &page.lang,
            self.input.config,
        );
        let versions = super::history::versions_value(
            self.input.history,
            file,
            &changes,
            &page.lang,
            self.input.config,
        );
        let mut ctx = self.base_context(&page.lang, &path, &permalink);
        let mut own = serde_json::Map::new();
        own.insert("page".into(), self.shared.views.page_basic(id).clone());
        own.insert("governance".into(), governance);
        own.insert("history".into(), self.history_value(id));
        own.insert("timeline".into(), Value::Array(timeline));
        own.insert("versions".into(), Value::Array(versions));
        let label = if page.lang == "sv" {
            "Historik"
        } else {
            "History"
        };
        own.insert(
            "title".into(),
            Value::String(format!("{label}: {}", page.title())),
        );
        if let Ok(extra) = tera::Context::from_value(Value::Object(own)) {
            ctx.extend(extra);
        }
        let what = format!("the history of {}", page.file.display.display());
        self.render("handbok/history.html", &ctx, &what)
            .map(|html| (OutputSet::page_path(&path), html))
    }

    /// The recent-changes page and its Atom feed.
    fn changes_page(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if !self.input.governance.is_active() {
            return out;
        }
        let config = self.input.config;
        let lang = config.default_language.as_str();
        let path = super::history::changes_path(config);
        let permalink = config.make_permalink(&path);
        let feed_path = format!("{path}atom.xml");
        let feed_url = config.make_permalink(&feed_path);
        let changes: &Vec<Value> = &self.shared.changes;
        let mut ctx = self.base_context(lang, &path, &permalink);
        ctx.insert("changes", changes);
        ctx.insert("groups", &super::history::group_by_date(changes));
        ctx.insert("feed_url", &feed_url);
        ctx.insert("history_available", &self.input.history.available);
        ctx.insert(
            "title",
            if lang == "sv" {
                "Senaste ändringar"
            } else {
                "Recent changes"
            },
        );
        if let Some(html) = self.render("handbok/changes.html", &ctx, "the recent-changes page") {
            out.push((OutputSet::page_path(&path), html));
        }
        ctx.insert(
            "last_updated",
            &changes
                .first()
                .and_then(|c| c["commit"]["datetime"].as_str())
                .unwrap_or("1970-01-01T00:00:00+00:00"),
        );
        if let Some(xml) = self.render("handbok/changes.xml", &ctx, "the feed of changes") {
            out.push((feed_path.trim_start_matches('/').to_string(), xml));
        }
        out
    }

    fn generated(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let lang = self.input.config.default_language.as_str();
        for g in self.input.governance.generated_pages() {
            let permalink = self.input.config.make_permalink(&g.path);
            let mut ctx = self.base_context(lang, &g.path, &permalink);
            ctx.insert("title", &g.title);
            ctx.insert("handbook", &self.shared.early.handbook);
            if let Some(html) =
                self.render(&g.template, &ctx, &format!("the generated page {}", g.path))
            {
                out.push((OutputSet::page_path(&g.path), html));
            }
        }
        out
    }

    /// Bundle assets beside their page; section assets in the section folder.
    fn assets(&self, out: &mut OutputSet) {
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

    fn fixed_files(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let config = self.input.config;
        let lang = config.default_language.as_str();
        let mut ctx = tera::Context::new();
        ctx.insert("config", self.configs.get(lang).unwrap_or(&Value::Null));
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
            let view = self.shared.views.page_meta(id);
            let updated = view
                .get("updated")
                .and_then(Value::as_str)
                .map(String::from)
                .or_else(|| p.date.as_ref().map(|d| d.0.clone()));
            entries.push((
                p.permalink.clone(),
                updated.map(|u| u.chars().take(10).collect()),
                view.get("extra").cloned().unwrap_or(Value::Null),
            ));
        }
        for (i, s) in tree.sections.iter().enumerate() {
            if s.meta.render && s.meta.redirect_to.is_none() {
                entries.push((
                    s.permalink.clone(),
                    None,
                    self.shared
                        .views
                        .section_meta(crate::content::SectionId(i))
                        .get("extra")
                        .cloned()
                        .unwrap_or(Value::Null),
                ));
            }
        }
        for g in self.input.governance.generated_pages() {
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
