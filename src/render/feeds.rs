//! Feeds and the sitemap's split, as Zola writes them
//! (`components/site/src/feeds.rs`, `sitemap.rs`): one feed per name in
//! `feed_filenames`, rendered from the template of that name (the built-in
//! `atom.xml` and `rss.xml` unless a site or theme overrides them), for the
//! site (per language), for sections with `generate_feeds`, and for taxonomy
//! terms with `feed = true`; and `sitemap.xml` split into numbered files
//! with an index from 30 000 entries on.
//!
//! Renders through a `Pass`; must not decide which pages a taxonomy or
//! section holds.

use super::pass::Pass;
use crate::content::PageId;
use serde_json::Value;

/// Zola's limit of entries in one sitemap file.
const SITEMAP_LIMIT: usize = 30_000;

/// Renders the feeds of `pages` for `lang` under `base` (a folder path
/// without a leading `/`, empty for the root), one per feed file name.
/// `extra` adds the `section` or `taxonomy`/`term` variables. Returns
/// (output path, text) pairs.
pub(super) fn render_feed(
    r: &Pass<'_>,
    lang: &str,
    pages: &[PageId],
    base: &str,
    extra: &dyn Fn(&mut tera::Context),
    what: &str,
) -> Vec<(String, String)> {
    let config = r.input.config;
    let tree = r.input.tree;
    let views = &r.lookups.views;
    // Only dated pages, newest first, ties by permalink (Zola's order).
    let mut dated: Vec<PageId> = pages
        .iter()
        .copied()
        .filter(|p| tree.pages[p.0].datetime.is_some())
        .collect();
    dated.sort_by(|a, b| {
        let (pa, pb) = (&tree.pages[a.0], &tree.pages[b.0]);
        pb.datetime
            .cmp(&pa.datetime)
            .then_with(|| pa.permalink.cmp(&pb.permalink))
    });
    let mut ctx = tera::Context::new();
    // The latest of every `updated` and the newest `date`, compared as
    // text as Zola does.
    let last_updated = dated
        .iter()
        .filter_map(|p| views.page_meta(*p).get("updated").and_then(Value::as_str))
        .chain(
            dated
                .first()
                .and_then(|p| views.page_meta(*p).get("date").and_then(Value::as_str)),
        )
        .max();
    if let Some(last) = last_updated {
        ctx.insert("last_updated", last);
    }
    let limit = config.feed_limit.unwrap_or(dated.len());
    // Feeds carry every entry's body whatever the template around them.
    let entries: Vec<std::borrow::Cow<'_, Value>> =
        super::listing::scoped(super::listing::Fields::All, || {
            dated
                .iter()
                .take(limit)
                .map(|p| views.page_listed(*p))
                .collect()
        });
    ctx.insert("pages", &entries);
    ctx.insert("config", r.config_value(lang));
    ctx.insert("lang", lang);
    extra(&mut ctx);
    let filenames = config
        .languages
        .get(lang)
        .unwrap_or_else(|| config.default_lang())
        .feed_filenames
        .clone();
    filenames
        .iter()
        .filter_map(|name| {
            let path = format!("{base}{name}");
            let mut ctx = ctx.clone();
            ctx.insert("feed_url", &config.make_permalink(&path));
            let xml = r.render(name, &ctx, &format!("the feed {path} of {what}"))?;
            Some((path, xml))
        })
        .collect()
}

/// The site's feeds (each language with `generate_feeds`, the default at
/// the root and the others under `/LANG/`) and the feeds of sections with
/// `generate_feeds = true`.
pub(super) fn render_site_and_sections(r: &Pass<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let config = r.input.config;
    let tree = r.input.tree;
    for (id, s) in tree.section_ids().zip(&tree.sections) {
        if !(s.meta.generate_feeds || s.meta.generate_feed) {
            continue;
        }
        let section = &r.lookups.views.section(id);
        let insert = |ctx: &mut tera::Context| ctx.insert("section", section);
        let base = s.path.trim_start_matches('/');
        let what = format!("section {}", s.file.display.display());
        out.extend(render_feed(r, &s.lang, &s.pages, base, &insert, &what));
    }
    for (lang, options) in &config.languages {
        if !options.generate_feeds {
            continue;
        }
        let pages: Vec<PageId> = tree
            .page_ids()
            .filter(|p| &tree.pages[p.0].lang == lang)
            .collect();
        let base = if *lang == config.default_language {
            String::new()
        } else {
            format!("{lang}/")
        };
        let what = format!("the site (language `{lang}`)");
        out.extend(render_feed(r, lang, &pages, &base, &|_| {}, &what));
    }
    out
}

/// The files a sitemap of `count` entries is written to, with the range
/// of entries each holds: `sitemap.xml` alone below `limit`, else
/// `sitemap1.xml`, `sitemap2.xml`, … of `limit` entries each (an index
/// then takes the name `sitemap.xml`).
fn sitemap_files(count: usize, limit: usize) -> Vec<(String, std::ops::Range<usize>)> {
    if count < limit {
        return vec![("sitemap.xml".to_string(), 0..count)];
    }
    (0..count.div_ceil(limit))
        .map(|i| {
            let range = i * limit..((i + 1) * limit).min(count);
            (format!("sitemap{}.xml", i + 1), range)
        })
        .collect()
}

/// Writes `sitemap.xml` from `entries` (sorted, de-duplicated); from
/// 30 000 entries on, `sitemap1.xml`, `sitemap2.xml`, … plus an index
/// `sitemap.xml` from `split_sitemap_index.xml` with `sitemaps` (their
/// permalinks). `base` holds the variables every sitemap file gets.
pub(super) fn render_sitemap(
    r: &Pass<'_>,
    base: &tera::Context,
    entries: Vec<Value>,
    out: &mut Vec<(String, String)>,
) {
    let files = sitemap_files(entries.len(), SITEMAP_LIMIT);
    let split = files.first().is_some_and(|(name, _)| name != "sitemap.xml");
    let mut sitemaps = Vec::new();
    for (name, range) in files {
        let mut ctx = base.clone();
        ctx.insert("entries", &entries[range]);
        if let Some(xml) = r.render("sitemap.xml", &ctx, &name) {
            out.push((name.clone(), xml));
        }
        let mut url = r.input.config.make_permalink(&name);
        if url.ends_with('/') {
            url.pop();
        }
        sitemaps.push(url);
    }
    if split {
        let mut ctx = base.clone();
        ctx.insert("sitemaps", &sitemaps);
        if let Some(xml) = r.render("split_sitemap_index.xml", &ctx, "the sitemap index") {
            out.push(("sitemap.xml".into(), xml));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sitemap_files;

    #[test]
    fn sitemap_splits_at_the_limit() {
        assert_eq!(sitemap_files(0, 3), [("sitemap.xml".to_string(), 0..0)]);
        assert_eq!(sitemap_files(2, 3), [("sitemap.xml".to_string(), 0..2)]);
        assert_eq!(
            sitemap_files(3, 3),
            [("sitemap1.xml".to_string(), 0..3)],
            "Zola splits from the limit on, not past it"
        );
        assert_eq!(
            sitemap_files(7, 3),
            [
                ("sitemap1.xml".to_string(), 0..3),
                ("sitemap2.xml".to_string(), 3..6),
                ("sitemap3.xml".to_string(), 6..7),
            ]
        );
    }
}
