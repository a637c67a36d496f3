//! Serde mirror of `config.toml` / `zola.toml`: Zola's keys with Zola's
//! defaults, plus handbok's `[handbook]` table. Nothing here is validated;
//! `config::load` turns it into the resolved [`super::Config`].

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

fn yes() -> bool {
    true
}
fn page_str() -> String {
    "page".to_string()
}

/// The whole file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct RawConfig {
    pub(crate) base_url: String,
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) default_language: String,
    pub(crate) author: Option<String>,
    pub(crate) theme: Option<String>,
    pub(crate) output_dir: String,
    pub(crate) preserve_dotfiles_in_output: bool,
    pub(crate) compile_sass: bool,
    pub(crate) minify_html: bool,
    pub(crate) ignored_content: Vec<String>,
    pub(crate) ignored_static: Vec<String>,
    pub(crate) generate_feeds: Option<bool>,
    /// Pre-0.19 spelling, still accepted.
    pub(crate) generate_feed: Option<bool>,
    pub(crate) feed_filenames: Option<Vec<String>>,
    /// Pre-0.19 spelling, still accepted.
    pub(crate) feed_filename: Option<String>,
    pub(crate) feed_limit: Option<usize>,
    pub(crate) hard_link_static: bool,
    pub(crate) taxonomies: Vec<RawTaxonomy>,
    pub(crate) taxonomy_root: Option<String>,
    pub(crate) build_search_index: bool,
    pub(crate) generate_sitemap: bool,
    pub(crate) generate_robots_txt: bool,
    pub(crate) exclude_paginated_pages_in_sitemap: String,
    pub(crate) markdown: RawMarkdown,
    pub(crate) slugify: RawSlugify,
    pub(crate) search: RawSearch,
    pub(crate) link_checker: RawLinkChecker,
    pub(crate) translations: IndexMap<String, String>,
    pub(crate) languages: IndexMap<String, RawLanguage>,
    pub(crate) extra: toml::Table,
    pub(crate) handbook: toml::Table,
    // Keys that ≤0.21 allowed at the top level and later moved to [markdown].
    pub(crate) highlight_code: Option<bool>,
    pub(crate) highlight_theme: Option<String>,
}

impl Default for RawConfig {
    fn default() -> Self {
        RawConfig {
            base_url: String::new(),
            title: None,
            description: None,
            default_language: "en".into(),
            author: None,
            theme: None,
            output_dir: "public".into(),
            preserve_dotfiles_in_output: false,
            compile_sass: false,
            minify_html: false,
            ignored_content: vec![],
            ignored_static: vec![],
            generate_feeds: None,
            generate_feed: None,
            feed_filenames: None,
            feed_filename: None,
            feed_limit: None,
            hard_link_static: false,
            taxonomies: vec![],
            taxonomy_root: None,
            build_search_index: false,
            generate_sitemap: true,
            generate_robots_txt: true,
            exclude_paginated_pages_in_sitemap: "none".into(),
            markdown: RawMarkdown::default(),
            slugify: RawSlugify::default(),
            search: RawSearch::default(),
            link_checker: RawLinkChecker::default(),
            translations: IndexMap::new(),
            languages: IndexMap::new(),
            extra: toml::Table::new(),
            handbook: toml::Table::new(),
            highlight_code: None,
            highlight_theme: None,
        }
    }
}

/// One `taxonomies` entry.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub(crate) struct RawTaxonomy {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) feed: bool,
    #[serde(default)]
    pub(crate) paginate_by: Option<usize>,
    #[serde(default = "page_str")]
    pub(crate) paginate_path: String,
    #[serde(default = "yes")]
    pub(crate) render: bool,
    #[serde(default)]
    pub(crate) lang: Option<String>,
}

/// `[markdown]`, with both the ≤0.21 highlight keys and the 0.22 table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RawMarkdown {
    pub(crate) highlight_code: Option<bool>,
    pub(crate) highlight_theme: Option<String>,
    pub(crate) highlight_themes_css: Vec<RawThemeCss>,
    pub(crate) extra_syntaxes_and_themes: Vec<String>,
    pub(crate) error_on_missing_highlight: bool,
    pub(crate) highlighting: Option<RawHighlighting>,
    pub(crate) render_emoji: bool,
    pub(crate) external_links_class: Option<String>,
    pub(crate) external_links_target_blank: bool,
    pub(crate) external_links_no_follow: bool,
    pub(crate) external_links_no_referrer: bool,
    pub(crate) external_links_external: Option<bool>,
    pub(crate) smart_punctuation: bool,
    pub(crate) definition_list: bool,
    pub(crate) github_alerts: bool,
    pub(crate) bottom_footnotes: bool,
    pub(crate) lazy_async_image: bool,
    pub(crate) insert_anchor_links: Option<String>,
    /// handbok's own: pass raw HTML in content through an allow-list.
    pub(crate) sanitize: bool,
}

/// One `highlight_themes_css` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct RawThemeCss {
    pub(crate) theme: String,
    pub(crate) filename: String,
}

/// Zola 0.22's `[markdown.highlighting]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RawHighlighting {
    pub(crate) theme: Option<String>,
    pub(crate) light_theme: Option<String>,
    pub(crate) dark_theme: Option<String>,
    pub(crate) style: Option<String>,
    pub(crate) extra_grammars: Vec<String>,
    pub(crate) extra_themes: Vec<String>,
    pub(crate) error_on_missing_language: bool,
}

/// `[slugify]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct RawSlugify {
    pub(crate) paths: String,
    pub(crate) taxonomies: String,
    pub(crate) anchors: String,
    pub(crate) paths_keep_dates: bool,
}

impl Default for RawSlugify {
    fn default() -> Self {
        RawSlugify {
            paths: "on".into(),
            taxonomies: "on".into(),
            anchors: "on".into(),
            paths_keep_dates: false,
        }
    }
}

/// `[search]`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub(crate) struct RawSearch {
    pub(crate) include_title: bool,
    pub(crate) include_description: bool,
    pub(crate) include_date: bool,
    pub(crate) include_path: bool,
    pub(crate) include_content: bool,
    pub(crate) truncate_content_length: Option<usize>,
    pub(crate) index_format: String,
}

impl Default for RawSearch {
    fn default() -> Self {
        RawSearch {
            include_title: true,
            include_description: false,
            include_date: false,
            include_path: false,
            include_content: true,
            truncate_content_length: None,
            index_format: "elasticlunr_javascript".into(),
        }
    }
}

/// `[link_checker]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct RawLinkChecker {
    pub(crate) skip_prefixes: Vec<String>,
    pub(crate) skip_anchor_prefixes: Vec<String>,
    pub(crate) internal_level: String,
    pub(crate) external_level: String,
}

impl Default for RawLinkChecker {
    fn default() -> Self {
        RawLinkChecker {
            skip_prefixes: vec![],
            skip_anchor_prefixes: vec![],
            internal_level: "error".into(),
            external_level: "error".into(),
        }
    }
}

/// `[languages.<code>]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RawLanguage {
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) generate_feeds: Option<bool>,
    pub(crate) generate_feed: Option<bool>,
    pub(crate) feed_filenames: Option<Vec<String>>,
    pub(crate) taxonomies: Vec<RawTaxonomy>,
    pub(crate) build_search_index: bool,
    pub(crate) search: Option<RawSearch>,
    pub(crate) translations: IndexMap<String, String>,
}

/// Known keys per table, for "unknown key" warnings with a suggestion.
pub(crate) fn known_keys(table: &str) -> &'static [&'static str] {
    match table {
        "" => &[
            "base_url",
            "title",
            "description",
            "default_language",
            "author",
            "theme",
            "output_dir",
            "preserve_dotfiles_in_output",
            "compile_sass",
            "minify_html",
            "ignored_content",
            "ignored_static",
            "generate_feeds",
            "generate_feed",
            "feed_filenames",
            "feed_filename",
            "feed_limit",
            "hard_link_static",
            "taxonomies",
            "taxonomy_root",
            "build_search_index",
            "generate_sitemap",
            "generate_robots_txt",
            "exclude_paginated_pages_in_sitemap",
            "markdown",
            "slugify",
            "search",
            "link_checker",
            "translations",
            "languages",
            "extra",
            "handbook",
            "highlight_code",
            "highlight_theme",
        ],
        "markdown" => &[
            "highlight_code",
            "highlight_theme",
            "highlight_themes_css",
            "extra_syntaxes_and_themes",
            "error_on_missing_highlight",
            "highlighting",
            "render_emoji",
            "external_links_class",
            "external_links_target_blank",
            "external_links_no_follow",
            "external_links_no_referrer",
            "external_links_external",
            "smart_punctuation",
            "definition_list",
            "github_alerts",
            "bottom_footnotes",
            "lazy_async_image",
            "insert_anchor_links",
            "sanitize",
        ],
        "markdown.highlighting" => &[
            "theme",
            "light_theme",
            "dark_theme",
            "style",
            "extra_grammars",
            "extra_themes",
            "error_on_missing_language",
        ],
        "slugify" => &["paths", "taxonomies", "anchors", "paths_keep_dates"],
        "search" => &[
            "include_title",
            "include_description",
            "include_date",
            "include_path",
            "include_content",
            "truncate_content_length",
            "index_format",
        ],
        "link_checker" => &[
            "skip_prefixes",
            "skip_anchor_prefixes",
            "internal_level",
            "external_level",
        ],
        "languages" => &[
            "title",
            "description",
            "generate_feeds",
            "generate_feed",
            "feed_filenames",
            "taxonomies",
            "build_search_index",
            "search",
            "translations",
        ],
        "taxonomies" => &[
            "name",
            "feed",
            "paginate_by",
            "paginate_path",
            "render",
            "lang",
        ],
        _ => &[],
    }
}
