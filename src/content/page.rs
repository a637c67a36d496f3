//! A page: a Markdown file that is not `_index.md`, with the slug, path and
//! permalink Zola would give it.

use super::file_info::{split_dated_name, FileInfo, FileKind};
use super::front_matter::{self, parse_datetime, DateText, PageFrontMatter};
use super::{PageId, SectionId};
use crate::config::{slugify_paths, Config};
use crate::diagnostics::{Diagnostic, SourceFile};
use chrono::{Datelike, NaiveDateTime};
use std::path::PathBuf;
use unicode_segmentation::UnicodeSegmentation;

/// One page, as loaded; sibling and ancestor ids are filled by the tree.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub(crate) file: FileInfo,
    pub(crate) source: SourceFile,
    /// The whole file, for locating front-matter keys later.
    pub(crate) text: std::sync::Arc<str>,
    pub(crate) front_matter_offset: usize,
    pub(crate) front_matter_len: usize,
    pub(crate) body_offset: usize,
    pub(crate) meta: PageFrontMatter,
    /// Date from front matter or, failing that, the file name.
    pub(crate) date: Option<DateText>,
    pub(crate) datetime: Option<NaiveDateTime>,
    pub(crate) updated_datetime: Option<NaiveDateTime>,
    pub(crate) slug: String,
    /// Always starts and ends with `/`.
    pub(crate) path: String,
    pub(crate) components: Vec<String>,
    pub(crate) permalink: String,
    pub(crate) lang: String,
    /// Files copied beside the page (bundles only), absolute paths.
    pub(crate) assets: Vec<PathBuf>,
    pub(crate) word_count: usize,
    pub(crate) reading_time: usize,
    pub(crate) parent_section: Option<SectionId>,
    pub(crate) ancestors: Vec<SectionId>,
    pub(crate) lower: Option<PageId>,
    pub(crate) higher: Option<PageId>,
    pub(crate) translations: Vec<PageId>,
}

impl Page {
    /// The Markdown body.
    pub(crate) fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// The page after an edit of its file to `text`, if only the body
    /// changed (everything up to the body is byte for byte the same): the
    /// front matter, and so the page's place in the tree, is kept; the
    /// body-derived fields are computed again. `None` when more changed.
    pub(crate) fn with_body(&self, text: String) -> Option<Page> {
        let (word_count, reading_time) = body_only_edit(&self.text, self.body_offset, &text)?;
        let text: std::sync::Arc<str> = text.into();
        Some(Page {
            source: SourceFile::shared(&self.file.display, text.clone()),
            text,
            word_count,
            reading_time,
            ..self.clone()
        })
    }

    /// The page after an edit of its file to `text` that leaves its place
    /// in the site as it was: its path, date, weight, slug, taxonomies,
    /// template and every other key that places or lists it are unchanged;
    /// only `title`, `description`, `extra` and the body may differ. Keeps
    /// what linking the tree set (section, neighbours, assets). `None` when
    /// more changed, or the new text has problems (a full build reports
    /// them).
    pub(crate) fn with_front_matter(&self, text: String, config: &Config) -> Option<Page> {
        let mut problems = Vec::new();
        let new = parse(self.file.clone(), text, config, &mut problems)?;
        let (a, b) = (&self.meta, &new.meta);
        let same_keys = a.date == b.date
            && a.updated == b.updated
            && a.weight == b.weight
            && a.draft == b.draft
            && a.render == b.render
            && a.slug == b.slug
            && a.path == b.path
            && a.aliases == b.aliases
            && a.authors == b.authors
            && a.in_search_index == b.in_search_index
            && a.template == b.template
            && a.taxonomies == b.taxonomies;
        let same_place = new.path == self.path
            && new.permalink == self.permalink
            && new.slug == self.slug
            && new.components == self.components
            && new.lang == self.lang
            && new.date == self.date
            && new.datetime == self.datetime
            && new.updated_datetime == self.updated_datetime;
        (problems.is_empty() && same_keys && same_place).then(|| Page {
            source: new.source,
            text: new.text,
            front_matter_offset: new.front_matter_offset,
            front_matter_len: new.front_matter_len,
            body_offset: new.body_offset,
            meta: new.meta,
            word_count: new.word_count,
            reading_time: new.reading_time,
            ..self.clone()
        })
    }

    /// The front matter text.
    pub(crate) fn front_matter(&self) -> &str {
        &self.text[self.front_matter_offset..self.front_matter_offset + self.front_matter_len]
    }

    /// Assets as templates see them (`page.assets`): `/` and each file's
    /// path under `content/`.
    pub(crate) fn serialized_assets(&self) -> Vec<String> {
        let Some(dir) = self.file.bundle_dir() else {
            return vec![];
        };
        self.assets
            .iter()
            .filter_map(|a| a.strip_prefix(dir).ok())
            .map(|rel| {
                // The file's path under `content/`, as Zola gives it (not
                // the page's URL, which a translation or `path` changes):
                // what `resize_image` and `load_data` look up.
                let folder = std::path::Path::new(&self.file.relative)
                    .parent()
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                let rel = rel.to_string_lossy().replace('\\', "/");
                if folder.is_empty() {
                    format!("/{rel}")
                } else {
                    format!("/{folder}/{rel}")
                }
            })
            .collect()
    }

    /// `page.year`, `page.month`, `page.day`.
    pub(crate) fn ymd(&self) -> Option<(i32, u32, u32)> {
        self.datetime.map(|d| (d.year(), d.month(), d.day()))
    }

    /// The title, or an empty string.
    pub(crate) fn title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or("")
    }
}

/// The new body's word count and reading time if `new` differs from `old`
/// only after `body_offset` (the front matter and its delimiters are the
/// same); `None` otherwise.
pub(crate) fn body_only_edit(old: &str, body_offset: usize, new: &str) -> Option<(usize, usize)> {
    let same_head = new.len() >= body_offset
        && new.is_char_boundary(body_offset)
        && new[..body_offset] == old[..body_offset];
    same_head.then(|| reading_analytics(&new[body_offset..]))
}

/// Zola's word count (Unicode words outside ``` fences) and reading time
/// (200 words a minute, rounded up).
pub(crate) fn reading_analytics(body: &str) -> (usize, usize) {
    let words: usize = body.split("```").step_by(2).map(count_words).sum();
    (words, words.div_ceil(200))
}

/// `text.unicode_words().count()`, faster. Unicode's word rules never
/// join across ASCII white space, so the text can be counted piece by
/// piece between white space; a piece of Latin letters and digits alone
/// is one word (the rules never break inside one), also with opening
/// brackets or quotes before it and closing punctuation after it (which
/// the rules split off and do not count). That is most pieces of Swedish
/// or English prose.
/// Any other piece is segmented with the white-space character before it,
/// which is all the context the rules look back at (a combining mark after
/// a space belongs to the space).
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut end = 0;
    while end < bytes.len() {
        if bytes[end].is_ascii_whitespace() {
            end += 1;
            continue;
        }
        // One pass finds the piece's end and whether it is letters and
        // digits alone: ASCII ones, and the two-byte Latin letters of
        // Latin-1 and Latin Extended-A (lead byte C3 to C5), less × and ÷.
        // Swedish prose is mostly such pieces.
        let start = end;
        let mut letters = true;
        while end < bytes.len() && !bytes[end].is_ascii_whitespace() {
            let b = bytes[end];
            if b.is_ascii_alphanumeric() {
                end += 1;
            } else if matches!(b, 0xC3..=0xC5)
                && !(b == 0xC3 && matches!(bytes.get(end + 1), Some(0x97 | 0xB7)))
            {
                // Valid UTF-8: the lead byte is followed by one
                // continuation byte.
                end += 2;
            } else {
                letters = false;
                end += 1;
            }
        }
        if letters || is_plain_word(&text[start..end]) {
            words += 1;
        } else {
            let from = start.saturating_sub(1);
            words += text[from..end].unicode_words().count();
        }
    }
    words
}

/// A piece that is one word: Latin letters (Latin-1 and Latin
/// Extended-A, all of them letters to the word rules) and ASCII digits,
/// between opening and closing punctuation.
fn is_plain_word(piece: &str) -> bool {
    let core = piece
        .trim_start_matches(['(', '"'])
        .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
    !core.is_empty()
        && core.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || (matches!(c, '\u{C0}'..='\u{17F}') && c != '\u{D7}' && c != '\u{F7}')
        })
}

/// Parses one page file. Problems go to `errors`; `None` when the page
/// cannot be built at all.
pub(crate) fn parse(
    file: FileInfo,
    text: String,
    config: &Config,
    errors: &mut Vec<Diagnostic>,
) -> Option<Page> {
    let text: std::sync::Arc<str> = text.into();
    let source = SourceFile::shared(&file.display, text.clone());
    let split = match front_matter::split(&text) {
        Ok(s) => s,
        Err((offset, msg)) => {
            errors.push(
                Diagnostic::error("front-matter::missing", msg)
                    .at(&source, offset)
                    .with_help(
                        "start the file with a `+++` line, the TOML fields, and another `+++` line",
                    ),
            );
            return None;
        }
    };
    let meta: PageFrontMatter = match front_matter::parse(&split, &source) {
        Ok(m) => m,
        Err(d) => {
            errors.push(d);
            return None;
        }
    };
    let (fm_offset, fm_len, body_offset) = (
        split.front_matter_offset,
        split.front_matter.len(),
        split.body_offset,
    );
    let locate = |key: &str| {
        fm_offset + crate::diagnostics::locate_key(split.front_matter, &[key]).unwrap_or(0)
    };

    // Dated file (or bundle folder) names give a date and a shorter slug.
    let base_name = match file.kind {
        FileKind::Bundle => file
            .path
            .parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        _ => file.name.clone(),
    };
    let (file_date, name_for_slug) = match split_dated_name(&base_name) {
        Some((date, rest)) if !config.slugify.paths_keep_dates => (Some(date), rest),
        Some((date, _)) => (Some(date), base_name.clone()),
        None => (None, base_name.clone()),
    };
    let date = meta.date.clone().or_else(|| file_date.map(DateText));
    let datetime = date.as_ref().and_then(|d| parse_datetime(&d.0));
    if let Some(d) = &date {
        if datetime.is_none() {
            errors.push(
                Diagnostic::error("front-matter::invalid-date", format!("`date` \"{}\" is not a date Zola understands", d.0))
                    .at(&source, locate("date"))
                    .with_help("write `date = 2025-03-12` or an RFC 3339 date-time such as `2025-03-12T09:00:00+01:00`"),
            );
        }
    }
    let updated_datetime = meta.updated.as_ref().and_then(|d| parse_datetime(&d.0));
    if let (Some(u), None) = (&meta.updated, updated_datetime) {
        errors.push(
            Diagnostic::error(
                "front-matter::invalid-date",
                format!("`updated` \"{}\" is not a date Zola understands", u.0),
            )
            .at(&source, locate("updated"))
            .with_help("write `updated = 2025-03-12` or an RFC 3339 date-time"),
        );
    }

    let slug = match &meta.slug {
        Some(s) if s.trim().is_empty() => {
            errors.push(
                Diagnostic::error("front-matter::empty-slug", "`slug` must not be empty")
                    .at(&source, locate("slug")),
            );
            return None;
        }
        Some(s) => slugify_paths(s.trim(), config.slugify.paths),
        None => slugify_paths(&name_for_slug, config.slugify.paths),
    };
    if meta.path.is_none() && !usable_slug(&slug) {
        let (at, origin) = match &meta.slug {
            Some(s) => (locate("slug"), format!("`slug = {s:?}`")),
            None => (0, format!("the file name `{base_name}`")),
        };
        errors.push(
            Diagnostic::error(
                "content::empty-slug",
                format!(
                    "{origin} gives the slug `{slug}`, which names no folder: the page would \
                     take the place of its section's index page"
                ),
            )
            .at(&source, at)
            .with_help("give the page a `slug` with letters or digits, or rename the file"),
        );
        return None;
    }
    let path = match &meta.path {
        Some(p) if p.trim().trim_matches('/').is_empty() => {
            errors.push(
                Diagnostic::error("front-matter::empty-path", "`path` must not be empty")
                    .at(&source, locate("path")),
            );
            return None;
        }
        Some(p) if !usable_slug(p.trim()) => {
            errors.push(
                Diagnostic::error(
                    "front-matter::invalid-path",
                    format!("`path = {p:?}` names no folder below the site root"),
                )
                .at(&source, locate("path"))
                .with_help(
                    "write a path such as `path = \"om/kontakt\"`, without `.` or `..` parts",
                ),
            );
            return None;
        }
        Some(p) => format!("/{}/", p.trim().trim_matches('/')),
        None => {
            let mut parts: Vec<&str> = Vec::new();
            if file.lang != config.default_language {
                parts.push(&file.lang);
            }
            parts.extend(file.components.iter().map(String::as_str));
            parts.push(&slug);
            format!("/{}/", parts.join("/"))
        }
    };
    let components = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let permalink = config.make_permalink(&path);
    let (word_count, reading_time) = reading_analytics(split.body);
    let lang = file.lang.clone();
    Some(Page {
        file,
        source,
        front_matter_offset: fm_offset,
        front_matter_len: fm_len,
        body_offset,
        meta,
        date,
        datetime,
        updated_datetime,
        slug,
        path,
        components,
        permalink,
        lang,
        assets: vec![],
        word_count,
        reading_time,
        parent_section: None,
        ancestors: vec![],
        lower: None,
        higher: None,
        translations: vec![],
        text,
    })
}

/// True if a slug (or `path`) names a folder of its own: not empty, and no
/// `/`-separated part is empty, `.` or `..` (which would collapse onto the
/// section's or site's own path).
pub(crate) fn usable_slug(slug: &str) -> bool {
    let trimmed = slug.trim_matches('/');
    !trimmed.is_empty()
        && trimmed
            .split('/')
            .all(|part| !part.trim().is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod word_count_tests {
    proptest::proptest! {
        #[test]
        fn the_fast_word_count_equals_unicode_segmentation(
            text in "([a-zA-Z0-9åäöÅÄÖéßÿĀſ×÷ª_'\".,:;!?()\\-]|\u{301}|\u{200d}|\u{200b}|\u{3000}|\u{a0}|[ \t\r\n]|😀|日本|1\\.5){0,60}"
        ) {
            use unicode_segmentation::UnicodeSegmentation;
            proptest::prop_assert_eq!(super::count_words(&text), text.unicode_words().count(), "{:?}", text);
        }
    }
}
