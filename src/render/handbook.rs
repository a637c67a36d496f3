//! handbok's own pages: each governing document's history page, the
//! recent-changes page with its feed, and the generated governance pages
//! (register, matrix, review status, roles…), each from its template. The
//! governance model and the history decide what they hold; this module
//! only renders them.

use super::pass::{insert_owned, Pass};
use crate::content::PageId;
use crate::output::OutputSet;
use serde_json::Value;

impl Pass<'_> {
    /// A governing document's `…/historik/` page.
    pub(super) fn history_page(&self, id: PageId) -> Option<(String, String)> {
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
        own.insert("page".into(), self.lookups.views.page_basic(id));
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
    pub(super) fn changes_page(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if !self.input.model.is_active() {
            return out;
        }
        let config = self.input.config;
        let lang = config.default_language.as_str();
        let path = super::history::changes_path(config);
        let permalink = config.make_permalink(&path);
        let feed_path = format!("{path}atom.xml");
        let feed_url = config.make_permalink(&feed_path);
        let changes: &Vec<Value> = &self.lookups.changes;
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

    /// The `handbook` variable for `template`: each part of the handbook's
    /// data (register, matrix, glossary…) that no template it uses names
    /// is left `null`, its key kept. A copy per page is unavoidable (a
    /// context owns its values), and on a large handbook copying (or
    /// making) the parts a page does not show was most of its cost.
    fn handbook_for(&self, template: &str) -> Value {
        let data = &self.lookups.facts.handbook;
        let names = [template.to_string()];
        if self
            .templates
            .closure_any(&names, super::listing::reads_by_unseen_name)
        {
            return data.whole().clone();
        }
        let fields = self.templates.fields_for(template);
        data.parts(
            &|part| self.templates.closure_mentions_any(&names, &[part]),
            &|field| match &fields {
                super::listing::Fields::All => true,
                super::listing::Fields::Named(named) => named.contains(field),
            },
        )
    }

    pub(super) fn generated(&self) -> Vec<(String, String)> {
        let lang = self.input.config.default_language.as_str();
        let pages = self.input.model.generated_pages();
        let render = |g: crate::governance::GeneratedPage| {
            let permalink = self.input.config.make_permalink(&g.path);
            let mut ctx = self.base_context(lang, &g.path, &permalink);
            ctx.insert("title", &g.title);
            insert_owned(&mut ctx, "handbook", self.handbook_for(&g.template));
            let html = self.render(&g.template, &ctx, &format!("the generated page {}", g.path))?;
            Some((OutputSet::page_path(&g.path), html))
        };
        // In a build, one after another: each page makes the parts of the
        // handbook's data it shows (register, matrix…), in parallel, and on
        // a large handbook those are the largest values of the build; made
        // side by side they raised its peak memory by a fifth. `serve`,
        // timed per edit, renders them side by side.
        if self.serving {
            super::deps::par_filter_map(pages, render)
        } else {
            pages.into_iter().filter_map(render).collect()
        }
    }
}
