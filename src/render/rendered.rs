//! Rendered Markdown of every page and section: a side table keyed like
//! the content tree, so `content` does not depend on `markdown`. Data
//! only; the bodies are made in `body.rs`.

use crate::content::{Item, PageId, SectionId};
use crate::markdown::{InternalLink, Rendered};

/// Rendered Markdown of every page and section, indexed like the tree.
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
            .map(|r| &*r.body)
    }

    /// A section's rendered HTML, if it was rendered.
    pub(crate) fn section_html(&self, id: SectionId) -> Option<&str> {
        self.sections
            .get(id.0)
            .and_then(Option::as_ref)
            .map(|r| &*r.body)
    }

    /// The rendered Markdown of a page or section.
    pub(crate) fn get(&self, item: Item) -> Option<&Rendered> {
        match item {
            Item::Page(p) => self.pages.get(p.0),
            Item::Section(s) => self.sections.get(s.0),
        }
        .and_then(Option::as_ref)
    }

    /// The slot of a page or section, for replacing one after an edit.
    pub(crate) fn slot(&mut self, item: Item) -> &mut Option<Rendered> {
        match item {
            Item::Page(p) => &mut self.pages[p.0],
            Item::Section(s) => &mut self.sections[s.0],
        }
    }

    /// Puts back what [`Renderer::render_edited_bodies`] replaced.
    ///
    /// [`Renderer::render_edited_bodies`]: super::Renderer::render_edited_bodies
    pub(crate) fn restore(&mut self, before: Vec<(Item, Option<Rendered>)>) {
        for (item, r) in before {
            *self.slot(item) = r;
        }
    }

    /// The `@/` links an item makes and the anchors it defines, for the
    /// link checks.
    pub(crate) fn links_and_anchors(&self, item: Item) -> Option<(&[InternalLink], &[String])> {
        self.get(item).map(Rendered::links_and_anchors)
    }

    /// An item's HTML and the `http(s)` links its Markdown recorded, with
    /// their byte offsets in the source file, for `check --external`.
    pub(crate) fn external_links(&self, item: Item) -> Option<(&str, &[(String, usize)])> {
        self.get(item)
            .map(|r| (&*r.body, r.external_links.as_slice()))
    }
}
