//! Zola's pagination (`components/content/src/pagination.rs`): splitting a
//! section's or a taxonomy term's pages into pagers, the `paginator`
//! template variable, the pager URLs (`…/page/N/`, or `…/N/` with an empty
//! `paginate_path`) and the redirect from `…/page/1/` to the first pager.
//!
//! Renders through a `Pass`; must not decide which template a section
//! uses or write anything but pagers.

use super::context::Views;
use super::deps;
use super::pass::{insert_owned, Pass};
use crate::content::{ContentTree, PageId, SectionId};
use crate::output::OutputSet;
use serde_json::{json, Value};

/// The pagers of one section or term.
pub(super) struct Paginator<'a> {
    paginate_by: usize,
    /// Of the first pager (the section or term itself).
    permalink: &'a str,
    path: &'a str,
    paginate_path: &'a str,
    /// The pages shown, in order: rendered ones only, reversed if asked.
    pages: Vec<PageId>,
    /// Every page of the list, as Zola's `total_pages` counts them.
    total: usize,
}

impl<'a> Paginator<'a> {
    /// A paginator over `all` (already sorted); `paginate_by` must be > 0.
    pub(super) fn new(
        paginate_by: usize,
        (permalink, path): (&'a str, &'a str),
        paginate_path: &'a str,
        all: &[PageId],
        reversed: bool,
        tree: &ContentTree,
    ) -> Self {
        let mut pages = all.to_vec();
        if reversed {
            pages.reverse();
        }
        pages.retain(|p| tree.pages[p.0].meta.render);
        Paginator {
            paginate_by: paginate_by.max(1),
            permalink,
            path,
            paginate_path,
            pages,
            total: all.len(),
        }
    }

    /// How many pagers: at least one, even with no pages.
    pub(super) fn number_pagers(&self) -> usize {
        self.pages.len().div_ceil(self.paginate_by).max(1)
    }

    /// `page/N/`, or `N/` when `paginate_path` is empty.
    fn suffix(&self, n: usize) -> String {
        if self.paginate_path.is_empty() {
            format!("{n}/")
        } else {
            format!("{}/{n}/", self.paginate_path)
        }
    }

    /// Permalink of pager `n` (1-based); the first is the list itself.
    pub(super) fn permalink(&self, n: usize) -> String {
        if n == 1 {
            self.permalink.to_string()
        } else {
            format!("{}{}", self.permalink, self.suffix(n))
        }
    }

    /// URL path of pager `n` (1-based).
    pub(super) fn path(&self, n: usize) -> String {
        if n == 1 {
            self.path.to_string()
        } else {
            format!("{}{}", self.path, self.suffix(n))
        }
    }

    /// The `paginator` variable for pager `n` (1-based).
    pub(super) fn value(&self, n: usize, views: &Views) -> Value {
        let last = self.number_pagers();
        let start = (n - 1) * self.paginate_by;
        let end = (start + self.paginate_by).min(self.pages.len());
        let pages = views.listed_pages(self.pages.get(start..end).unwrap_or_default());
        let base_url = if self.paginate_path.is_empty() {
            self.permalink.to_string()
        } else {
            format!("{}{}/", self.permalink, self.paginate_path)
        };
        let mut value = json!({
            "paginate_by": self.paginate_by,
            "base_url": base_url,
            "number_pagers": last,
            "first": self.permalink,
            "last": self.permalink(last),
            "previous": (n > 1).then(|| self.permalink(n - 1)),
            "next": (n < last).then(|| self.permalink(n + 1)),
            "pages": [],
            "current_index": n,
            "total_pages": self.total,
        });
        // Moved in: `json!` would copy every page once more.
        value["pages"] = Value::Array(pages);
        value
    }

    /// Renders every pager with `template`, the context of each made by
    /// `context(path, permalink)` plus `paginator`, and the redirect from
    /// `…/page/1/` to the first pager. Returns (output path, text) pairs.
    pub(super) fn render(
        &self,
        r: &Pass<'_>,
        template: &str,
        context: &(dyn Fn(&str, &str) -> tera::Context + Sync),
        what: &str,
    ) -> Vec<(String, String)> {
        let pagers: Vec<usize> = (1..=self.number_pagers()).collect();
        let mut out = deps::par_filter_map(pagers, |n| {
            let (path, permalink) = (self.path(n), self.permalink(n));
            let mut ctx = context(&path, &permalink);
            insert_owned(&mut ctx, "paginator", self.value(n, &r.lookups.views));
            let html = r.render(template, &ctx, &format!("{what} (pager {n})"))?;
            Some((OutputSet::page_path(&path), html))
        });
        if let Some(html) = r.redirect(self.permalink) {
            out.push((
                OutputSet::page_path(&format!("{}{}", self.path, self.suffix(1))),
                html,
            ));
        }
        out
    }

    /// Permalinks of every pager, the `…/page/1/` redirect included (Zola
    /// lists them so in the sitemap); none for an empty list.
    pub(super) fn sitemap_permalinks(&self) -> Vec<String> {
        let count = self.pages.len().div_ceil(self.paginate_by);
        (1..=count)
            .map(|n| format!("{}{}", self.permalink, self.suffix(n)))
            .collect()
    }
}

/// The paginator of a section with `paginate_by > 0`.
pub(super) fn for_section(tree: &ContentTree, id: SectionId) -> Option<Paginator<'_>> {
    let s = &tree.sections[id.0];
    let by = s.meta.paginate_by.filter(|n| *n > 0)?;
    Some(Paginator::new(
        by,
        (&s.permalink, &s.path),
        s.meta.paginate_path.as_deref().unwrap_or("page"),
        &s.pages,
        s.meta.paginate_reversed,
        tree,
    ))
}

/// Every pager of a paginated section rendered with `template`: the
/// section is given without its pages, as in Zola.
pub(super) fn render_section(
    r: &Pass<'_>,
    id: SectionId,
    paginator: &Paginator<'_>,
    template: &str,
) -> Vec<(String, String)> {
    let s = &r.input.tree.sections[id.0];
    let section = r.lookups.views.section_meta(id);
    let context = |path: &str, permalink: &str| {
        let mut ctx = r.base_context(&s.lang, path, permalink);
        ctx.insert("section", section);
        ctx.insert("governance", &Value::Null);
        ctx
    };
    paginator.render(r, template, &context, &s.file.display.display().to_string())
}

/// Sitemap permalinks of the pagers of every rendered paginated section.
pub(super) fn section_sitemap_permalinks(tree: &ContentTree) -> Vec<String> {
    tree.section_ids()
        .filter(|id| {
            let s = &tree.sections[id.0];
            s.meta.render && s.meta.redirect_to.is_none()
        })
        .filter_map(|id| for_section(tree, id))
        .flat_map(|p| p.sitemap_permalinks())
        .collect()
}
