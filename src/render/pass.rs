//! One rendering pass over some units of the site: the borrowed state
//! every output kind renders through (the site's stages' results, the
//! templates, the views and this pass's diagnostics), with the helpers they
//! share — contexts, template look-up, error reporting. Owns nothing and
//! decides nothing about which units are rendered.

use super::deps;
use super::facts::Lookups;
use super::rendered::RenderedContent;
use super::templates::Templates;
use crate::config::Config;
use crate::content::{ContentTree, PageId};
use crate::diagnostics::Diagnostics;
use crate::governance::Model;
use crate::history::History;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// What rendering the site reads from the earlier stages.
pub(crate) struct SiteInput<'a> {
    pub(crate) config: &'a Config,
    pub(crate) tree: &'a ContentTree,
    pub(crate) rendered: &'a RenderedContent,
    pub(crate) model: &'a Arc<Model>,
    /// What git knows about every content file.
    pub(crate) history: &'a History,
}

/// The state a unit renders through.
pub(crate) struct Pass<'a> {
    pub(super) input: &'a SiteInput<'a>,
    pub(super) templates: &'a Templates,
    pub(super) lookups: &'a Arc<Lookups>,
    pub(super) diags: &'a Diagnostics,
    /// The `config` variable of each language.
    configs: HashMap<&'a str, Value>,
    /// True in `serve`, which keeps its outputs in memory and is timed
    /// per edit: there, work is spread over threads even where a build
    /// would rather keep its peak memory down.
    pub(super) serving: bool,
}

impl<'a> Pass<'a> {
    /// A pass over `input`; `mode` is `config.mode` in templates.
    pub(super) fn new(
        input: &'a SiteInput<'a>,
        templates: &'a Templates,
        lookups: &'a Arc<Lookups>,
        mode: &str,
        diags: &'a Diagnostics,
    ) -> Self {
        let configs = input
            .config
            .languages
            .keys()
            .map(|l| (l.as_str(), input.config.template_value(l, mode)))
            .collect();
        Pass {
            input,
            templates,
            lookups,
            diags,
            configs,
            serving: mode == "serve",
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
        match self.templates.render(name, ctx) {
            Ok(html) => Some(html),
            Err(e) => {
                let (key, d) = self.templates.render_error(name, what, &e);
                self.diags.push_follow_on(key, d);
                None
            }
        }
    }

    /// Runs `f`, which builds the context of `template` and renders it,
    /// with listed pages and sections keeping only the fields its templates
    /// can read.
    pub(super) fn with_lists_for<T>(&self, template: &str, f: impl FnOnce() -> T) -> T {
        super::listing::scoped(self.templates.fields_for(template), f)
    }

    /// Zola's redirect page (`internal/alias.html`) to `url`.
    pub(super) fn redirect(&self, url: &str) -> Option<String> {
        let mut ctx = tera::Context::new();
        ctx.insert("url", url);
        ctx.insert(
            "config",
            self.config_value(&self.input.config.default_language),
        );
        self.render("internal/alias.html", &ctx, "a redirect")
    }

    /// A page's governance data, with the link to its history page.
    pub(super) fn governance_value(&self, id: PageId) -> Value {
        let mut v = self.input.model.page_value(id).unwrap_or(Value::Null);
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
    pub(super) fn history_value(&self, id: PageId) -> Value {
        super::history::page_value(self.input.history, self.input.tree, id, self.input.config)
    }

    /// The governing documents: each has a `…/historik/` page.
    pub(super) fn documents(&self) -> Vec<PageId> {
        self.input
            .tree
            .rendered_pages()
            .filter(|id| self.has_history_page(*id))
            .collect()
    }

    /// A governing document has a history page when there is something to
    /// show: git history, or a change log in its front matter. Outside git
    /// a document without a change log gets no page (and no link to one).
    pub(super) fn has_history_page(&self, id: PageId) -> bool {
        self.input
            .model
            .document(id)
            .is_some_and(|d| self.input.history.available || !d.changes.is_empty())
    }
}

/// Puts `value` into `ctx` under `key` without copying it. `insert`
/// serializes its argument, which for a `Value` is a deep copy: for a term
/// or a list page that embeds thousands of pages, the copy was most of
/// the page's cost.
pub(super) fn insert_owned(ctx: &mut tera::Context, key: &str, value: serde_json::Value) {
    let mut map = serde_json::Map::new();
    map.insert(key.to_string(), value);
    if let Ok(owned) = tera::Context::from_value(serde_json::Value::Object(map)) {
        ctx.extend(owned);
    }
}
