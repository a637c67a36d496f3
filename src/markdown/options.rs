//! The comrak options that reproduce Zola's pulldown-cmark setup.
//!
//! Owns only the mapping from `[markdown]` to comrak's `Options`. Must not
//! parse or render anything.

use crate::config::MarkdownConfig;
use comrak::Options;

/// comrak options for one site.
///
/// Always on, as in Zola: tables, footnotes, strikethrough and task
/// lists. Heading attributes (`{#id .class}`) are handled by
/// `headings::strip_attribute_blocks`, because comrak's own extension has a
/// different syntax. Bare-URL autolinks stay off: pulldown-cmark has no such
/// extension, so Zola leaves `https://x.org` in text as plain text.
/// Raw HTML passes through (`render.unsafe`), as Zola does.
pub(crate) fn comrak_options(md: &MarkdownConfig) -> Options<'static> {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.footnotes = true;
    options.extension.strikethrough = true;
    options.extension.tasklist = true;
    options.extension.autolink = false;
    options.extension.description_lists = md.definition_list;
    options.extension.alerts = md.github_alerts;
    options.extension.shortcodes = md.render_emoji;
    options.parse.smart = md.smart_punctuation;
    // Footnote definitions stay where they are written, as in pulldown-cmark;
    // `footnotes::plan` moves them to the bottom when `bottom_footnotes` is on.
    options.parse.leave_footnote_definitions = true;
    options.render.r#unsafe = true;
    options
}
