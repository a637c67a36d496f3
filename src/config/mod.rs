//! The resolved site configuration: `config.toml` (or `zola.toml`) read
//! with Zola's defaults, the theme's `[extra]` merged under the site's, and
//! unknown keys reported as located warnings (Zola fails; we warn).
//!
//! Owns reading the config file and `theme.toml`. Must not read `content/`,
//! know command-line flags or run mode, or read the clock.

mod collate;
pub(crate) mod embedded_theme;
mod raw;
mod slug;
mod theme;

pub(crate) use collate::{swedish_cmp, swedish_key};
pub(crate) use slug::{slugify_anchors, slugify_paths};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use globset::{Glob, GlobSet, GlobSetBuilder};
use indexmap::IndexMap;
use raw::{RawConfig, RawLanguage, RawTaxonomy};
use serde::Serialize;
use std::path::{Path, PathBuf};

pub(crate) use raw::RawSearch as SearchConfig;
pub(crate) use raw::RawTaxonomy as Taxonomy;

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Neither `zola.toml` nor `config.toml` was found.
    #[error("no zola.toml or config.toml in {0} or its parents")]
    NotFound(PathBuf),
    /// The file exists but could not be read.
    #[error("could not read {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file was read but is not valid; the diagnostics say where.
    #[error("the configuration has errors")]
    Invalid,
}

/// How a path, taxonomy term or anchor is turned into a URL piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SlugStrategy {
    /// Transliterate to ASCII, lowercase, hyphens (å/ä/ö → a/a/o).
    On,
    /// Only strip characters that are unsafe in file names.
    Safe,
    /// Keep as written.
    Off,
}

/// The `[slugify]` table, resolved.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SlugifyConfig {
    pub(crate) paths: SlugStrategy,
    pub(crate) taxonomies: SlugStrategy,
    pub(crate) anchors: SlugStrategy,
    pub(crate) paths_keep_dates: bool,
}

/// Where heading anchor links go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub(crate) enum InsertAnchor {
    Left,
    Right,
    Heading,
    #[default]
    None,
}

impl InsertAnchor {
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "left" => Some(Self::Left),
            "right" => Some(Self::Right),
            "heading" => Some(Self::Heading),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

/// Inline `style=` attributes, or CSS classes with a stylesheet written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum HighlightStyle {
    Inline,
    Class,
}

/// Code highlighting, when on.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Highlighting {
    /// syntect theme name for inline styles.
    pub(crate) theme: String,
    pub(crate) dark_theme: Option<String>,
    pub(crate) style: HighlightStyle,
    /// Stylesheets to write for class mode: (theme, output file name).
    pub(crate) css_files: Vec<(String, String)>,
    pub(crate) error_on_missing_language: bool,
}

/// `[markdown]`, resolved from either Zola's ≤0.21 keys or 0.22's table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MarkdownConfig {
    pub(crate) highlighting: Option<Highlighting>,
    /// Zola 0.22 changed the shape of unhighlighted code blocks; we follow
    /// whichever generation of keys the site uses.
    pub(crate) zola_022_code_shape: bool,
    pub(crate) extra_syntaxes_and_themes: Vec<String>,
    /// Zola 0.22's `[markdown.highlighting] extra_grammars`: files relative
    /// to the site root (TextMate JSON or `.sublime-syntax`).
    pub(crate) extra_grammars: Vec<String>,
    /// Zola 0.22's `[markdown.highlighting] extra_themes` (VS Code JSON or
    /// `.tmTheme`).
    pub(crate) extra_themes: Vec<String>,
    pub(crate) render_emoji: bool,
    pub(crate) external_links_class: Option<String>,
    pub(crate) external_links_target_blank: bool,
    pub(crate) external_links_no_follow: bool,
    pub(crate) external_links_no_referrer: bool,
    pub(crate) external_links_external: bool,
    pub(crate) smart_punctuation: bool,
    pub(crate) definition_list: bool,
    pub(crate) github_alerts: bool,
    pub(crate) bottom_footnotes: bool,
    pub(crate) lazy_async_image: bool,
    pub(crate) insert_anchor_links: InsertAnchor,
    /// `config.markdown` as templates see it: the shape of the Zola
    /// version whose keys the site uses (0.22's `highlighting` table as
    /// written, or 0.19–0.21's `highlight_code` and friends).
    #[serde(skip)]
    pub(crate) template_value: serde_json::Value,
    /// Raw HTML written in content goes through an allow-list (`sanitize
    /// = true`, handbok's own key): a handbook has many writers, and a
    /// pasted `<script>` or `onclick` must not reach every reader.
    pub(crate) sanitize: bool,
}

/// Per-language settings (the default language included).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LanguageOptions {
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) generate_feeds: bool,
    pub(crate) feed_filenames: Vec<String>,
    pub(crate) taxonomies: Vec<Taxonomy>,
    pub(crate) build_search_index: bool,
    pub(crate) search: SearchConfig,
    pub(crate) translations: IndexMap<String, String>,
}

/// The resolved configuration every later stage reads.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site root (directory holding `content/`).
    pub root: PathBuf,
    /// The configuration file that was read.
    pub config_path: PathBuf,
    pub(crate) base_url: String,
    pub(crate) default_language: String,
    pub(crate) author: Option<String>,
    pub(crate) theme: Option<String>,
    /// Where `build` writes, relative to the root unless absolute.
    pub output_dir: PathBuf,
    pub(crate) preserve_dotfiles_in_output: bool,
    pub(crate) compile_sass: bool,
    pub(crate) ignored_content: GlobSet,
    pub(crate) ignored_static: GlobSet,
    pub(crate) feed_limit: Option<usize>,
    #[expect(
        dead_code,
        reason = "Zola copies static files by hard link when set; handbok always copies, which gives the same output"
    )]
    pub(crate) hard_link_static: bool,
    pub(crate) taxonomy_root: Option<String>,
    pub(crate) generate_sitemap: bool,
    pub(crate) generate_robots_txt: bool,
    pub(crate) exclude_paginated_pages_in_sitemap: bool,
    pub(crate) markdown: MarkdownConfig,
    pub(crate) slugify: SlugifyConfig,
    pub(crate) link_checker: raw::RawLinkChecker,
    /// Every language, the default first.
    pub(crate) languages: IndexMap<String, LanguageOptions>,
    /// Site `[extra]` with the theme's merged under it.
    pub(crate) extra: toml::Table,
    /// handbok's own `[handbook]` table, interpreted by governance.
    pub(crate) handbook: toml::Table,
    /// The top-level `build_search_index`: Zola builds no search index
    /// at all without it, whatever a `[languages.*]` table says.
    pub(crate) build_search_index: bool,
    /// The config file as read, so a stage locates a key without reading
    /// the file again.
    source: SourceFile,
    text: std::sync::Arc<str>,
    /// The largest content file read, in bytes (`[handbook]
    /// max_content_file_mb`): a bigger one is an error, so one huge file
    /// cannot make a build take gigabytes.
    pub(crate) max_content_bytes: u64,
}

impl Config {
    /// The config file's display path and line index, for diagnostics.
    pub(crate) fn source(&self) -> &SourceFile {
        &self.source
    }

    /// The config file's text, as it was read.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Where the key `path` (`["handbook", "history", "ignore"]`) is
    /// written in the config file, as a byte offset.
    pub(crate) fn locate(&self, path: &[&str]) -> Option<usize> {
        crate::diagnostics::locate_key(&self.text, path)
    }

    /// `d` placed at the key `path` of the config file, or at the start of
    /// the file when the key is not written there.
    pub(crate) fn at_key(&self, d: Diagnostic, path: &[&str]) -> Diagnostic {
        d.at(&self.source, self.locate(path).unwrap_or(0))
    }

    /// The default language's options.
    pub(crate) fn default_lang(&self) -> &LanguageOptions {
        &self.languages[&self.default_language]
    }

    /// Replaces `base_url` (the `--base-url` flag of build and serve).
    pub fn set_base_url(&mut self, url: &str) {
        self.base_url = url.to_string();
    }

    /// The site's base URL without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// Zola's permalink join: a trailing `/` is added unless the path ends
    /// with one, holds a `#`, is empty, or names a feed or a file with an
    /// extension that templates ask for (Zola's `make_permalink`).
    pub(crate) fn make_permalink(&self, path: &str) -> String {
        let trailing = if path.ends_with('/')
            || path.contains('#')
            || path.is_empty()
            || self
                .default_lang()
                .feed_filenames
                .iter()
                .any(|f| path.ends_with(f.as_str()))
        {
            ""
        } else {
            "/"
        };
        let path = path.trim_start_matches('/');
        if path.is_empty() {
            format!("{}/", self.base_url())
        } else {
            format!("{}/{}{}", self.base_url(), path, trailing)
        }
    }

    /// True for a language code the site declares.
    pub(crate) fn has_language(&self, code: &str) -> bool {
        self.languages.contains_key(code)
    }

    /// Where the theme lives, if one is set.
    pub(crate) fn theme_dir(&self) -> Option<PathBuf> {
        self.theme
            .as_ref()
            .map(|t| self.root.join("themes").join(t))
    }

    /// The files of the theme built into the binary under `folder/`
    /// (`templates`, `static`), as (path inside the folder, bytes); the
    /// layer below the site's `themes/<name>/` files. Empty unless the
    /// site's theme is the embedded one.
    pub(crate) fn embedded_theme_files(&self, folder: &str) -> Vec<(&'static str, &'static [u8])> {
        self.theme
            .as_deref()
            .map(|t| embedded_theme::files_in(t, folder))
            .unwrap_or_default()
    }

    /// Resolved output directory.
    pub fn output_path(&self) -> PathBuf {
        if self.output_dir.is_absolute() {
            self.output_dir.clone()
        } else {
            self.root.join(&self.output_dir)
        }
    }

    /// The `config` object templates see, for one language and run mode.
    pub(crate) fn template_value(&self, lang: &str, mode: &str) -> serde_json::Value {
        let opts = self
            .languages
            .get(lang)
            .unwrap_or_else(|| self.default_lang());
        let others: IndexMap<&String, &LanguageOptions> = self
            .languages
            .iter()
            .filter(|(code, _)| code.as_str() != lang)
            .collect();
        let languages: serde_json::Map<String, serde_json::Value> = others
            .iter()
            .map(|(code, l)| {
                (
                    code.to_string(),
                    serde_json::json!({
                        "title": l.title, "description": l.description,
                        "generate_feeds": l.generate_feeds, "generate_feed": l.generate_feeds,
                        "feed_filenames": l.feed_filenames, "build_search_index": l.build_search_index,
                        "taxonomies": l.taxonomies, "search": l.search,
                    }),
                )
            })
            .collect();
        serde_json::json!({
            "base_url": self.base_url,
            "mode": mode,
            "title": opts.title,
            "description": opts.description,
            "default_language": self.default_language,
            "languages": languages,
            "generate_feeds": opts.generate_feeds,
            "generate_feed": opts.generate_feeds,
            "feed_filenames": opts.feed_filenames,
            "feed_filename": opts.feed_filenames.first(),
            "taxonomies": opts.taxonomies,
            "author": self.author,
            "build_search_index": opts.build_search_index,
            "extra": self.extra,
            "markdown": self.markdown.template_value,
            "search": { "index_format": opts.search.index_format },
            "generate_sitemap": self.generate_sitemap,
            "generate_robots_txt": self.generate_robots_txt,
            "exclude_paginated_pages_in_sitemap": if self.exclude_paginated_pages_in_sitemap { "all" } else { "none" },
            "translations": opts.translations,
        })
    }
}

/// Finds the configuration file: an explicit one, else `zola.toml`, else
/// `config.toml` in `root` or its ancestors (as Zola does).
pub fn find(root: &Path, explicit: Option<&Path>) -> Result<PathBuf, Error> {
    if let Some(p) = explicit {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            root.join(p)
        };
        return if p.is_file() {
            Ok(p)
        } else {
            Err(Error::NotFound(p))
        };
    }
    for dir in root.ancestors() {
        for name in ["zola.toml", "config.toml"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(Error::NotFound(root.to_path_buf()))
}

/// Reads and resolves the configuration. Content problems (bad TOML, wrong
/// types, unknown keys) go to `diags`; unknown keys are only warnings.
pub fn load(root: &Path, explicit: Option<&Path>, diags: &Diagnostics) -> Result<Config, Error> {
    let path = find(root, explicit)?;
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let site_root = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.to_path_buf());
    let display = path
        .file_name()
        .map(PathBuf::from)
        .unwrap_or_else(|| path.clone());
    let config = parse(&text, &display, diags)?;
    let mut config = resolve(config, site_root, path.clone(), &display, &text, diags)?;
    theme::merge_theme_extra(&mut config, diags)?;
    Ok(config)
}

/// Parses config text (pure, for tests): the raw form with unknown keys
/// reported as warnings.
fn parse(text: &str, display: &Path, diags: &Diagnostics) -> Result<RawConfig, Error> {
    let source = SourceFile::new(display, text);
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let offset = crate::diagnostics::toml_error_offset(text, e.span(), e.message());
            diags.push(
                Diagnostic::error("config::invalid-toml", e.message().trim().to_string())
                    .at(&source, offset)
                    .with_help("fix the TOML syntax or the value's type; see Zola's configuration documentation"),
            );
            return Err(Error::Invalid);
        }
    };
    report_unknown_keys(text, &source, diags);
    Ok(raw)
}

fn report_unknown_keys(text: &str, source: &SourceFile, diags: &Diagnostics) {
    let Ok(value) = text.parse::<toml::Table>() else {
        return;
    };
    let mut unknown = Vec::new();
    let _: Result<RawConfig, _> = serde_ignored::deserialize(toml::Value::Table(value), |path| {
        unknown.push(path.to_string())
    });
    for key_path in unknown {
        let parts: Vec<&str> = key_path.split('.').collect();
        let (table, key) = match parts.as_slice() {
            [key] => (String::new(), *key),
            [.., key] => {
                let parents = &parts[..parts.len() - 1];
                // languages.<code>.key and taxonomies.<n>.key share one key list.
                let table = match parents.first() {
                    Some(&"languages") => "languages".to_string(),
                    Some(&"taxonomies") => "taxonomies".to_string(),
                    _ => parents.join("."),
                };
                (table, *key)
            }
            [] => continue,
        };
        let offset = locate_key(text, &parts);
        let mut d = Diagnostic::warning(
            "config::unknown-key",
            format!("unknown key `{key_path}` in the configuration"),
        )
        .at(source, offset);
        let known = raw::known_keys(&table);
        if let Some(best) = nearest(key, known) {
            d = d.with_help(format!(
                "did you mean `{best}`? user settings belong in [extra]"
            ));
        } else {
            d = d.with_help("user settings belong in [extra]; this key is ignored");
        }
        diags.push(d);
    }
}

/// Closest candidate by edit distance, if it is close enough to be a typo.
pub(crate) fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Byte offset of a dotted key in the config text (start of file if absent).
fn locate_key(text: &str, parts: &[&str]) -> usize {
    crate::diagnostics::locate_key(text, parts).unwrap_or(0)
}

fn parse_slug(
    s: &str,
    what: &str,
    source: &SourceFile,
    text: &str,
    diags: &Diagnostics,
) -> SlugStrategy {
    match s {
        "on" => SlugStrategy::On,
        "safe" => SlugStrategy::Safe,
        "off" => SlugStrategy::Off,
        other => {
            diags.push(
                Diagnostic::error(
                    "config::invalid-value",
                    format!(
                        "`slugify.{what}` must be \"on\", \"safe\" or \"off\", not \"{other}\""
                    ),
                )
                .at(source, locate_key(text, &["slugify", what])),
            );
            SlugStrategy::On
        }
    }
}

fn build_globset(
    patterns: &[String],
    key: &str,
    source: &SourceFile,
    text: &str,
    diags: &Diagnostics,
) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        match Glob::new(p) {
            Ok(g) => {
                builder.add(g);
            }
            Err(e) => diags.push(
                Diagnostic::error(
                    "config::invalid-glob",
                    format!("invalid glob `{p}` in `{key}`: {e}"),
                )
                .at(source, locate_key(text, &[key])),
            ),
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

fn language_options(raw: &RawLanguage, base: &RawConfig) -> LanguageOptions {
    let feeds = raw.generate_feeds.or(raw.generate_feed).unwrap_or(false);
    LanguageOptions {
        title: raw.title.clone(),
        description: raw.description.clone(),
        generate_feeds: feeds,
        feed_filenames: raw
            .feed_filenames
            .clone()
            .unwrap_or_else(|| vec!["atom.xml".to_string()]),
        taxonomies: raw.taxonomies.clone(),
        build_search_index: raw.build_search_index,
        search: raw.search.clone().unwrap_or_else(|| base.search.clone()),
        translations: raw.translations.clone(),
    }
}

/// Why `url` cannot be the site's base URL: every link and feed starts
/// with it, unescaped in places (Zola's templates print it `| safe`), so
/// only an http(s) address or a root path is accepted, and characters
/// that could end an HTML attribute or start markup are refused. Empty is
/// left to the "required" check.
pub(crate) fn check_base_url(url: &str) -> Result<(), String> {
    if url.trim().is_empty() {
        return Ok(());
    }
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>`\\{}|^".contains(*c))
    {
        return Err(format!(
            "contains {c:?}, which a URL may not hold unescaped"
        ));
    }
    let lower = url.to_ascii_lowercase();
    let after_scheme = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme));
    match after_scheme {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => Err("has no host name".into()),
        Some(_) => Ok(()),
        None if url.starts_with('/') => Ok(()),
        None => Err("is neither an http(s) address nor a path from the root".into()),
    }
}

/// The content file size limit when the config sets none: far above any
/// handbook page, far below what a build can afford to hold many times.
pub(crate) const DEFAULT_MAX_CONTENT_MB: u64 = 2;

/// `[handbook] max_content_file_mb`, in bytes: a whole number of
/// megabytes from 1 to 1024.
fn max_content_bytes(
    handbook: &toml::Table,
    source: &SourceFile,
    text: &str,
    diags: &Diagnostics,
) -> u64 {
    let mb = match handbook.get("max_content_file_mb") {
        None => DEFAULT_MAX_CONTENT_MB,
        Some(toml::Value::Integer(n)) if (1..=1024).contains(n) => *n as u64,
        Some(_) => {
            diags.push(
                Diagnostic::error(
                    "config::invalid-value",
                    "`handbook.max_content_file_mb` must be a whole number of megabytes from 1 to 1024",
                )
                .at(source, locate_key(text, &["handbook", "max_content_file_mb"]))
                .with_help(format!("write e.g. `max_content_file_mb = {DEFAULT_MAX_CONTENT_MB}`")),
            );
            DEFAULT_MAX_CONTENT_MB
        }
    };
    mb << 20
}

fn resolve(
    raw: RawConfig,
    root: PathBuf,
    config_path: PathBuf,
    display: &Path,
    text: &str,
    diags: &Diagnostics,
) -> Result<Config, Error> {
    let source = SourceFile::new(display, text);
    let before = diags.error_count();
    if let Err(why) = check_base_url(&raw.base_url) {
        diags.push(
            Diagnostic::error(
                "config::invalid-base-url",
                format!("`base_url = {:?}` {why}", raw.base_url),
            )
            .at(&source, locate_key(text, &["base_url"]))
            .with_help("write an http or https address such as `base_url = \"https://intranet.example.se/handbok\"`, or a root such as \"/\" for a portable build"),
        );
    }
    if raw.base_url.trim().is_empty() {
        diags.push(
            Diagnostic::error(
                "config::missing-base-url",
                "`base_url` is required and must not be empty",
            )
            .in_file(display)
            .with_help("add `base_url = \"https://example.org\"` (or \"/\" for a portable build)"),
        );
    }
    let slugify = SlugifyConfig {
        paths: parse_slug(&raw.slugify.paths, "paths", &source, text, diags),
        taxonomies: parse_slug(&raw.slugify.taxonomies, "taxonomies", &source, text, diags),
        anchors: parse_slug(&raw.slugify.anchors, "anchors", &source, text, diags),
        paths_keep_dates: raw.slugify.paths_keep_dates,
    };
    let markdown = markdown_config(&raw, &source, text, diags);
    let default_raw = RawLanguage {
        title: raw.title.clone(),
        description: raw.description.clone(),
        generate_feeds: raw.generate_feeds.or(raw.generate_feed),
        generate_feed: None,
        feed_filenames: raw
            .feed_filenames
            .clone()
            .or_else(|| raw.feed_filename.clone().map(|f| vec![f])),
        taxonomies: raw.taxonomies.clone(),
        build_search_index: raw.build_search_index,
        search: Some(raw.search.clone()),
        translations: raw.translations.clone(),
    };
    let mut languages = IndexMap::new();
    languages.insert(
        raw.default_language.clone(),
        language_options(&default_raw, &raw),
    );
    for (code, lang) in &raw.languages {
        if code == &raw.default_language {
            // Zola 0.22 lets [languages.<default>] carry the default's options.
            let merged = RawLanguage {
                title: lang.title.clone().or(default_raw.title.clone()),
                description: lang.description.clone().or(default_raw.description.clone()),
                generate_feeds: lang
                    .generate_feeds
                    .or(lang.generate_feed)
                    .or(default_raw.generate_feeds),
                feed_filenames: lang
                    .feed_filenames
                    .clone()
                    .or(default_raw.feed_filenames.clone()),
                taxonomies: if lang.taxonomies.is_empty() {
                    default_raw.taxonomies.clone()
                } else {
                    lang.taxonomies.clone()
                },
                build_search_index: lang.build_search_index || default_raw.build_search_index,
                translations: if lang.translations.is_empty() {
                    default_raw.translations.clone()
                } else {
                    lang.translations.clone()
                },
                ..lang.clone()
            };
            languages.insert(code.clone(), language_options(&merged, &raw));
            continue;
        }
        if !is_language_code(code) {
            diags.push(
                Diagnostic::error(
                    "config::invalid-language",
                    format!("`{code}` is not a valid language code"),
                )
                .at(&source, locate_key(text, &["languages", code]))
                .with_help("use a BCP 47 code such as `sv`, `en` or `fr-CA`"),
            );
        }
        languages.insert(code.clone(), language_options(lang, &raw));
    }
    check_taxonomies(&raw.taxonomies, &source, text, diags);
    let ignored_content = build_globset(
        &raw.ignored_content,
        "ignored_content",
        &source,
        text,
        diags,
    );
    let ignored_static = build_globset(&raw.ignored_static, "ignored_static", &source, text, diags);
    if raw.minify_html {
        // Zola minifies with the minify-html crate, whose CSS and JS
        // minifiers would double handbok's build time; pages differ only
        // in white space, so say so rather than fail.
        diags.push(
            Diagnostic::warning(
                "config::unsupported",
                "`minify_html = true` is not supported: pages are written as rendered, not minified",
            )
            .at(&source, locate_key(text, &["minify_html"]))
            .with_help("remove `minify_html`, or minify the output folder with a separate tool"),
        );
    }
    let max_content_bytes = max_content_bytes(&raw.handbook, &source, text, diags);
    if diags.error_count() > before {
        return Err(Error::Invalid);
    }
    Ok(Config {
        max_content_bytes,
        root,
        config_path,
        base_url: raw.base_url.clone(),
        default_language: raw.default_language.clone(),
        author: raw.author.clone(),
        theme: raw.theme.clone(),
        output_dir: PathBuf::from(&raw.output_dir),
        preserve_dotfiles_in_output: raw.preserve_dotfiles_in_output,
        compile_sass: raw.compile_sass,
        ignored_content,
        ignored_static,
        feed_limit: raw.feed_limit,
        hard_link_static: raw.hard_link_static,
        taxonomy_root: raw.taxonomy_root.clone(),
        generate_sitemap: raw.generate_sitemap,
        generate_robots_txt: raw.generate_robots_txt,
        exclude_paginated_pages_in_sitemap: raw.exclude_paginated_pages_in_sitemap == "all",
        markdown,
        slugify,
        link_checker: raw.link_checker.clone(),
        languages,
        extra: raw.extra.clone(),
        handbook: raw.handbook.clone(),
        build_search_index: raw.build_search_index,
        source,
        text: text.into(),
    })
}

fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn check_taxonomies(
    taxonomies: &[RawTaxonomy],
    source: &SourceFile,
    text: &str,
    diags: &Diagnostics,
) {
    let mut seen = std::collections::HashSet::new();
    for t in taxonomies {
        if t.name.is_empty() || !seen.insert(t.name.clone()) {
            diags.push(
                Diagnostic::error(
                    "config::invalid-taxonomy",
                    format!("taxonomy `{}` is empty or declared twice", t.name),
                )
                .at(source, locate_key(text, &["taxonomies"])),
            );
        }
    }
}

fn markdown_config(
    raw: &RawConfig,
    source: &SourceFile,
    text: &str,
    diags: &Diagnostics,
) -> MarkdownConfig {
    let md = &raw.markdown;
    let legacy_on = md.highlight_code.or(raw.highlight_code).unwrap_or(false);
    // A site written for Zola 0.19-0.21 says so with the older
    // highlighting keys; any other site gets Zola 0.22's behaviour, as
    // Zola 0.22 gives it (rel="external", the newer code block shape).
    let zola_022 = !uses_legacy_highlighting(raw, md);
    let legacy_theme = md
        .highlight_theme
        .clone()
        .or_else(|| raw.highlight_theme.clone())
        .unwrap_or_else(|| "base16-ocean-dark".to_string());
    let highlighting = if let Some(h) = &md.highlighting {
        let style = match h.style.as_deref() {
            Some("class") => HighlightStyle::Class,
            Some("inline") | None => HighlightStyle::Inline,
            Some(other) => {
                diags.push(
                    Diagnostic::error("config::invalid-value", format!("`markdown.highlighting.style` must be \"inline\" or \"class\", not \"{other}\""))
                        .at(source, locate_key(text, &["markdown", "highlighting", "style"])),
                );
                HighlightStyle::Inline
            }
        };
        let theme = h
            .theme
            .clone()
            .or_else(|| h.light_theme.clone())
            .unwrap_or_else(|| "base16-ocean-dark".to_string());
        let mut css_files = Vec::new();
        if style == HighlightStyle::Class {
            if let Some(dark) = &h.dark_theme {
                css_files.push((theme.clone(), "giallo-light.css".to_string()));
                css_files.push((dark.clone(), "giallo-dark.css".to_string()));
            } else {
                css_files.push((theme.clone(), "giallo.css".to_string()));
            }
        }
        Some(Highlighting {
            theme,
            dark_theme: h.dark_theme.clone(),
            style,
            css_files,
            error_on_missing_language: h.error_on_missing_language,
        })
    } else if legacy_on {
        let class = legacy_theme == "css";
        Some(Highlighting {
            theme: if class {
                "base16-ocean-dark".into()
            } else {
                legacy_theme
            },
            dark_theme: None,
            style: if class {
                HighlightStyle::Class
            } else {
                HighlightStyle::Inline
            },
            css_files: md
                .highlight_themes_css
                .iter()
                .map(|c| (c.theme.clone(), c.filename.clone()))
                .collect(),
            error_on_missing_language: md.error_on_missing_highlight,
        })
    } else {
        None
    };
    let insert_anchor_links = match md.insert_anchor_links.as_deref() {
        None => InsertAnchor::None,
        Some(s) => InsertAnchor::parse(s).unwrap_or_else(|| {
            diags.push(
                Diagnostic::error("config::invalid-value", format!("`markdown.insert_anchor_links` must be left, right, heading or none, not \"{s}\""))
                    .at(source, locate_key(text, &["markdown", "insert_anchor_links"])),
            );
            InsertAnchor::None
        }),
    };
    let template_value = markdown_template_value(raw, md, insert_anchor_links);
    MarkdownConfig {
        template_value,
        zola_022_code_shape: zola_022,
        highlighting,
        extra_syntaxes_and_themes: md.extra_syntaxes_and_themes.clone(),
        extra_grammars: md
            .highlighting
            .as_ref()
            .map(|h| h.extra_grammars.clone())
            .unwrap_or_default(),
        extra_themes: md
            .highlighting
            .as_ref()
            .map(|h| h.extra_themes.clone())
            .unwrap_or_default(),
        render_emoji: md.render_emoji,
        external_links_class: md.external_links_class.clone(),
        external_links_target_blank: md.external_links_target_blank,
        external_links_no_follow: md.external_links_no_follow,
        external_links_no_referrer: md.external_links_no_referrer,
        // `rel="external"` is Zola 0.22's default; earlier versions had no
        // such option. Follow the generation of keys the site uses.
        external_links_external: md.external_links_external.unwrap_or(zola_022),
        smart_punctuation: md.smart_punctuation,
        definition_list: md.definition_list,
        github_alerts: md.github_alerts,
        bottom_footnotes: md.bottom_footnotes,
        lazy_async_image: md.lazy_async_image,
        sanitize: md.sanitize,
        insert_anchor_links,
    }
}

/// True when the site uses Zola 0.19-0.21's highlighting keys (and not
/// 0.22's table).
fn uses_legacy_highlighting(raw: &RawConfig, md: &raw::RawMarkdown) -> bool {
    md.highlighting.is_none()
        && (md.highlight_code.is_some()
            || raw.highlight_code.is_some()
            || md.highlight_theme.is_some()
            || raw.highlight_theme.is_some())
}

/// `config.markdown` for templates, in the shape Zola gives it: 0.22's
/// unless the site uses the older highlighting keys, which Zola 0.19–0.21
/// exposed as they were written.
fn markdown_template_value(
    raw: &RawConfig,
    md: &raw::RawMarkdown,
    insert_anchor_links: InsertAnchor,
) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let legacy = uses_legacy_highlighting(raw, md);
    let anchors = serde_json::to_value(insert_anchor_links).unwrap_or(Value::Null);
    let mut out = Map::new();
    if legacy {
        out.insert(
            "highlight_code".into(),
            json!(md.highlight_code.or(raw.highlight_code).unwrap_or(false)),
        );
        out.insert(
            "highlight_theme".into(),
            json!(md
                .highlight_theme
                .clone()
                .or_else(|| raw.highlight_theme.clone())
                .unwrap_or_else(|| "base16-ocean-dark".into())),
        );
        out.insert(
            "highlight_themes_css".into(),
            json!(md.highlight_themes_css),
        );
    } else {
        let highlighting = md.highlighting.as_ref().map(|h| {
            let mut t = Map::new();
            t.insert(
                "error_on_missing_language".into(),
                json!(h.error_on_missing_language),
            );
            t.insert(
                "style".into(),
                json!(h.style.as_deref().unwrap_or("inline")),
            );
            match (&h.theme, &h.light_theme, &h.dark_theme) {
                (Some(theme), _, _) => {
                    t.insert("theme".into(), json!(theme));
                }
                (None, light, dark) => {
                    t.insert("light_theme".into(), json!(light));
                    t.insert("dark_theme".into(), json!(dark));
                }
            }
            t.insert("extra_grammars".into(), json!(h.extra_grammars));
            t.insert("extra_themes".into(), json!(h.extra_themes));
            Value::Object(t)
        });
        out.insert("highlighting".into(), highlighting.unwrap_or(Value::Null));
    }
    out.insert("render_emoji".into(), json!(md.render_emoji));
    out.insert(
        "external_links_class".into(),
        json!(md.external_links_class),
    );
    out.insert(
        "external_links_target_blank".into(),
        json!(md.external_links_target_blank),
    );
    out.insert(
        "external_links_no_follow".into(),
        json!(md.external_links_no_follow),
    );
    out.insert(
        "external_links_no_referrer".into(),
        json!(md.external_links_no_referrer),
    );
    if !legacy {
        out.insert(
            "external_links_external".into(),
            json!(md.external_links_external.unwrap_or(true)),
        );
    }
    out.insert("smart_punctuation".into(), json!(md.smart_punctuation));
    out.insert("definition_list".into(), json!(md.definition_list));
    out.insert("bottom_footnotes".into(), json!(md.bottom_footnotes));
    if legacy {
        out.insert(
            "extra_syntaxes_and_themes".into(),
            json!(md.extra_syntaxes_and_themes),
        );
    }
    out.insert("lazy_async_image".into(), json!(md.lazy_async_image));
    out.insert("insert_anchor_links".into(), anchors);
    out.insert("github_alerts".into(), json!(md.github_alerts));
    Value::Object(out)
}

impl Config {
    /// A configuration parsed from text, for unit tests and `init`.
    pub fn from_str_for_tests(text: &str) -> Result<Config, Diagnostics> {
        let diags = Diagnostics::new();
        let display = Path::new("config.toml");
        let raw = parse(text, display, &diags).map_err(|_| diags.clone())?;
        resolve(
            raw,
            PathBuf::from("."),
            PathBuf::from("config.toml"),
            display,
            text,
            &diags,
        )
        .map_err(|_| diags.clone())
    }
}

#[cfg(test)]
mod tests;
