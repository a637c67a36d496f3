//! A section: a folder with an `_index.md`, and the root section that
//! exists even without one.

use super::file_info::FileInfo;
use super::front_matter::{self, SectionFrontMatter};
use super::page::reading_analytics;
use super::{PageId, SectionId};
use crate::config::{Config, InsertAnchor};
use crate::diagnostics::{Diagnostic, SourceFile};
use std::path::PathBuf;

/// One section; page and subsection lists are filled by the tree.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub(crate) file: FileInfo,
    pub(crate) source: SourceFile,
    pub(crate) text: std::sync::Arc<str>,
    pub(crate) body_offset: usize,
    pub(crate) meta: SectionFrontMatter,
    /// Always starts and ends with `/`.
    pub(crate) path: String,
    pub(crate) components: Vec<String>,
    pub(crate) permalink: String,
    pub(crate) lang: String,
    /// Non-Markdown files directly in the section folder.
    pub(crate) assets: Vec<PathBuf>,
    pub(crate) word_count: usize,
    pub(crate) reading_time: usize,
    /// Sorted pages shown in `section.pages` (transparent children included).
    pub(crate) pages: Vec<PageId>,
    /// Pages lacking the sort key: not rendered, as in Zola.
    pub(crate) ignored_pages: Vec<PageId>,
    pub(crate) subsections: Vec<SectionId>,
    pub(crate) parent: Option<SectionId>,
    pub(crate) ancestors: Vec<SectionId>,
    pub(crate) translations: Vec<SectionId>,
    /// True for a root section made up because `content/_index.md` is absent.
    pub(crate) synthetic: bool,
}

impl Section {
    /// The section after an edit of its file to `text`, if only the body
    /// changed (see `Page::with_body`).
    pub(crate) fn with_body(&self, text: String) -> Option<Section> {
        let (word_count, reading_time) =
            super::page::body_only_edit(&self.text, self.body_offset, &text)?;
        let text: std::sync::Arc<str> = text.into();
        Some(Section {
            source: SourceFile::shared(&self.file.display, text.clone()),
            text,
            word_count,
            reading_time,
            ..self.clone()
        })
    }

    /// The Markdown body.
    pub(crate) fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// True for the root section of any language.
    pub(crate) fn is_root(&self) -> bool {
        self.file.components.is_empty()
    }

    /// Assets as template paths (`/path/file`).
    pub(crate) fn serialized_assets(&self) -> Vec<String> {
        self.assets
            .iter()
            .filter_map(|a| a.file_name())
            .map(|n| format!("{}{}", self.path, n.to_string_lossy()))
            .collect()
    }

    /// The section's `insert_anchor_links`, falling back to the config's.
    pub(crate) fn insert_anchor_links(&self, config: &Config) -> InsertAnchor {
        self.meta
            .insert_anchor_links
            .as_deref()
            .and_then(InsertAnchor::parse)
            .unwrap_or(config.markdown.insert_anchor_links)
    }

    /// The title, or an empty string.
    pub(crate) fn title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or("")
    }
}

fn path_for(file: &FileInfo, config: &Config) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if file.lang != config.default_language {
        parts.push(&file.lang);
    }
    parts.extend(file.components.iter().map(String::as_str));
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/{}/", parts.join("/"))
    }
}

/// Parses one `_index.md`.
pub(crate) fn parse(
    file: FileInfo,
    text: String,
    config: &Config,
    errors: &mut Vec<Diagnostic>,
) -> Option<Section> {
    let text: std::sync::Arc<str> = text.into();
    let source = SourceFile::shared(&file.display, text.clone());
    let split = match front_matter::split(&text) {
        Ok(s) => s,
        Err((offset, msg)) => {
            errors.push(
                Diagnostic::error("front-matter::missing", msg)
                    .at(&source, offset)
                    .with_help("sections need front matter even when empty: `+++` on two lines"),
            );
            return None;
        }
    };
    let meta: SectionFrontMatter = match front_matter::parse(&split, &source) {
        Ok(m) => m,
        Err(d) => {
            errors.push(d.with_help(
                "section front matter accepts only Zola's section fields; put anything else under [extra]",
            ));
            return None;
        }
    };
    if let Some(v) = &meta.insert_anchor_links {
        if InsertAnchor::parse(v).is_none() {
            let offset = split.front_matter_offset
                + crate::diagnostics::locate_key(split.front_matter, &["insert_anchor_links"])
                    .unwrap_or(0);
            errors.push(
                Diagnostic::error(
                    "front-matter::invalid",
                    format!(
                        "`insert_anchor_links` must be left, right, heading or none, not \"{v}\""
                    ),
                )
                .at(&source, offset),
            );
        }
    }
    let body_offset = split.body_offset;
    let (word_count, reading_time) = reading_analytics(split.body);
    Some(build(
        file,
        source,
        text,
        body_offset,
        meta,
        word_count,
        reading_time,
        config,
    ))
}

#[expect(clippy::too_many_arguments, reason = "a plain constructor of a record")]
fn build(
    file: FileInfo,
    source: SourceFile,
    text: std::sync::Arc<str>,
    body_offset: usize,
    meta: SectionFrontMatter,
    word_count: usize,
    reading_time: usize,
    config: &Config,
) -> Section {
    let path = path_for(&file, config);
    let components = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let permalink = config.make_permalink(&path);
    let lang = file.lang.clone();
    Section {
        file,
        source,
        text,
        body_offset,
        meta,
        path,
        components,
        permalink,
        lang,
        assets: vec![],
        word_count,
        reading_time,
        pages: vec![],
        ignored_pages: vec![],
        subsections: vec![],
        parent: None,
        ancestors: vec![],
        translations: vec![],
        synthetic: false,
    }
}

/// The root section Zola makes when `content/_index.md` is missing.
pub(crate) fn synthetic_root(
    content_dir: &std::path::Path,
    lang: &str,
    config: &Config,
) -> Section {
    let name = if lang == config.default_language {
        "_index.md".to_string()
    } else {
        format!("_index.{lang}.md")
    };
    let file = FileInfo {
        kind: super::file_info::FileKind::Section,
        path: content_dir.join(&name),
        relative: name.clone(),
        display: PathBuf::from("content").join(&name),
        parent: content_dir.to_path_buf(),
        components: vec![],
        name: "_index".into(),
        lang: lang.to_string(),
        colocated_path: None,
    };
    let source = SourceFile::new(&file.display, "");
    let mut s = build(
        file,
        source,
        std::sync::Arc::from(""),
        0,
        SectionFrontMatter::default(),
        0,
        0,
        config,
    );
    s.synthetic = true;
    s
}
