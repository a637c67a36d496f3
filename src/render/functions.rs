//! Zola's global template functions (`get_url`, `get_page`,
//! `get_section`, `trans`, `now`, …). They hold shared, immutable build
//! data behind `Arc`, so Tera can call them from any thread.

use super::context::Views;
use crate::config::Config;
use crate::content::Item;
use crate::diagnostics::{Diagnostic, Diagnostics};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tera::{Function, Result as TeraResult};

/// What the early functions read: known before Markdown is rendered, so
/// shortcodes can use them (Zola's two-phase registration).
pub(crate) struct Early {
    pub(crate) config: Config,
    /// Relative content path → permalink (for `@/` in `get_url`).
    pub(crate) permalinks: HashMap<String, String>,
    pub(crate) diags: Diagnostics,
    /// Role id → `{id, name, abbreviation, permalink}`.
    pub(crate) roles: HashMap<String, Value>,
    /// The governance model's site-wide data (`get_handbook()`).
    pub(crate) handbook: Value,
    /// Term permalinks for `get_taxonomy_url`.
    pub(crate) taxonomy_urls: super::taxonomies::TaxonomyUrls,
    /// Resize work queued by `resize_image`, done after rendering.
    pub(crate) images: super::images::ImageQueue,
    /// What the build's audience may not read (for `@/` links in the
    /// `markdown` filter).
    pub(crate) withheld: crate::content::Withheld,
}

/// Everything the late functions read, built once per build after
/// Markdown: the template views of every page and section.
pub(crate) struct Shared {
    pub(crate) early: Arc<Early>,
    pub(crate) views: Views,
    /// Relative content path → item.
    pub(crate) items: Arc<HashMap<String, Item>>,
    /// Taxonomies and terms as templates see them.
    pub(crate) taxonomies: super::taxonomies::TaxonomyViews,
    /// Recent changes of content files, newest first (`get_changes`).
    pub(crate) changes: Arc<Vec<Value>>,
}

fn arg_str(args: &HashMap<String, Value>, name: &str, func: &str) -> TeraResult<Option<String>> {
    match args.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => {
            Err(format!("`{func}`: argument `{name}` must be a string, got {other}").into())
        }
    }
}

fn arg_bool(args: &HashMap<String, Value>, name: &str, func: &str) -> TeraResult<bool> {
    match args.get(name) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => {
            Err(format!("`{func}`: argument `{name}` must be a boolean, got {other}").into())
        }
    }
}

/// Adds the language suffix Zola uses for `get_page(lang=..)`.
fn with_lang(path: &str, lang: Option<&str>, config: &Config) -> String {
    match lang {
        Some(l) if l != config.default_language => match path.rsplit_once(".md") {
            Some((stem, "")) => format!("{stem}.{l}.md"),
            _ => path.to_string(),
        },
        _ => path.to_string(),
    }
}

/// Registers every function on a Tera instance.
pub(crate) fn register_early(tera: &mut tera::Tera, early: &Arc<Early>) {
    tera.register_function("get_url", GetUrl(early.clone()));
    tera.register_function("trans", Trans(early.clone()));
    tera.register_function("now", Now);
    tera.register_function("get_role", GetRole(early.clone()));
    tera.register_function("get_handbook", GetHandbook(early.clone()));
    // load_data, get_hash, get_image_metadata, resize_image: early in Zola.
    super::data::register(tera, early);
    super::images::register(tera, early);
    // Early in Zola too, so shortcodes can link to terms.
    tera.register_function(
        "get_taxonomy_url",
        super::taxonomies::GetTaxonomyUrl(early.clone()),
    );
}

/// Registers the functions that need every page rendered
/// (`get_page`, `get_section`); not available to shortcodes, as in Zola.
pub(crate) fn register_late(tera: &mut tera::Tera, shared: &Arc<Shared>) {
    tera.register_function("get_changes", GetChanges(shared.clone()));
    tera.register_function("get_page", GetPage(shared.clone()));
    tera.register_function("get_section", GetSection(shared.clone()));
    tera.register_function(
        "get_taxonomy",
        super::taxonomies::GetTaxonomy(shared.clone()),
    );
    tera.register_function(
        "get_taxonomy_term",
        super::taxonomies::GetTaxonomyTerm(shared.clone()),
    );
}

/// `get_role(id)`: a role's `{id, name, abbreviation, permalink}`.
struct GetRole(Arc<Early>);

impl Function for GetRole {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        let id = arg_str(args, "id", "get_role")?.ok_or("`get_role` requires an `id` argument")?;
        match self.0.roles.get(&id) {
            Some(v) => Ok(v.clone()),
            None => Err(format!("`get_role`: no role `{id}`").into()),
        }
    }
}

/// `get_handbook(part?)`: the site-wide governance data, or one part of it
/// (`register`, `matrix`, `review_status`, `glossary`, `roles`, …).
struct GetHandbook(Arc<Early>);

impl Function for GetHandbook {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        match arg_str(args, "part", "get_handbook")? {
            None => Ok(self.0.handbook.clone()),
            Some(part) => self
                .0
                .handbook
                .get(&part)
                .cloned()
                .ok_or_else(|| format!("`get_handbook`: no part `{part}`").into()),
        }
    }
}

/// `get_url(path, lang?, trailing_slash=false, cachebust=false)`.
struct GetUrl(Arc<Early>);

impl Function for GetUrl {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        let s = &self.0;
        let path =
            arg_str(args, "path", "get_url")?.ok_or("`get_url` requires a `path` argument")?;
        let lang = arg_str(args, "lang", "get_url")?;
        if let Some(l) = &lang {
            if !s.config.has_language(l) {
                return Err(
                    format!("`get_url`: language `{l}` is not declared in the config").into(),
                );
            }
        }
        if let Some(rel) = path.strip_prefix("@/") {
            let (file, anchor) = rel
                .split_once('#')
                .map(|(f, a)| (f, Some(a)))
                .unwrap_or((rel, None));
            let file = with_lang(file, lang.as_deref(), &s.config);
            let permalink = s
                .permalinks
                .get(&file)
                .ok_or_else(|| format!("`get_url`: no content file `{file}` for `{path}`"))?;
            return Ok(Value::String(match anchor {
                Some(a) => format!("{permalink}#{a}"),
                None => permalink.clone(),
            }));
        }
        if path.starts_with("http://") || path.starts_with("https://") {
            return Ok(Value::String(path));
        }
        let mut segments = Vec::new();
        if let Some(l) = lang.as_deref().filter(|l| *l != s.config.default_language) {
            segments.push(l.to_string());
        }
        segments.push(path.trim_start_matches('/').to_string());
        let mut permalink = s.config.make_permalink(&segments.join("/"));
        if !arg_bool(args, "trailing_slash", "get_url")? && permalink.ends_with('/') {
            permalink.pop();
        }
        if arg_bool(args, "cachebust", "get_url")? {
            let hash = cachebust_hash(&s.config, &path)
                .ok_or_else(|| format!("`get_url`: cannot find `{path}` to cachebust"))?;
            permalink.push_str(&format!("?h={hash}"));
        }
        Ok(Value::String(permalink))
    }

    /// A URL, not text: Zola marks it safe, so templates need no `| safe`.
    fn is_safe(&self) -> bool {
        true
    }
}

/// First 20 hex digits of the file's SHA-256, as Zola's `cachebust`.
fn cachebust_hash(config: &Config, path: &str) -> Option<String> {
    use sha2::Digest;
    // Zola's file search rule, confined to the site root like load_data.
    let found = super::data::SiteFiles::new(config)
        .find(path.trim_start_matches('/'))
        .ok()??;
    let bytes = std::fs::read(&found.path).ok()?;
    let digest = sha2::Sha256::digest(&bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Some(hex[..20].to_string())
}

/// A `get_page`/`get_section` path relative to `content/`: `@/` is
/// dropped, and an absolute path into `content/` (as `translations[].path`
/// gives, Zola's file path) is made relative.
fn content_relative(path: &str, config: &Config) -> String {
    let path = path.trim_start_matches("@/");
    let as_path = std::path::Path::new(path);
    if as_path.is_absolute() {
        let content = config.root.join("content");
        let canonical = content.canonicalize().ok();
        let inside = as_path.strip_prefix(&content).ok().or_else(|| {
            canonical
                .as_ref()
                .and_then(|c| as_path.strip_prefix(c).ok())
        });
        if let Some(rel) = inside {
            return rel.to_string_lossy().replace('\\', "/");
        }
    }
    path.to_string()
}

/// `get_page(path, lang?)`.
struct GetPage(Arc<Shared>);

impl Function for GetPage {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        let s = &self.0;
        let path =
            arg_str(args, "path", "get_page")?.ok_or("`get_page` requires a `path` argument")?;
        let path = with_lang(
            &content_relative(&path, &s.early.config),
            arg_str(args, "lang", "get_page")?.as_deref(),
            &s.early.config,
        );
        match s.items.get(&path) {
            Some(Item::Page(p)) => Ok(s.views.page(*p)),
            _ => Err(format!("`get_page`: page `{path}` not found").into()),
        }
    }
}

/// `get_section(path, metadata_only=false, lang?)`.
struct GetSection(Arc<Shared>);

impl Function for GetSection {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        let s = &self.0;
        let path = arg_str(args, "path", "get_section")?
            .ok_or("`get_section` requires a `path` argument")?;
        let path = with_lang(
            &content_relative(&path, &s.early.config),
            arg_str(args, "lang", "get_section")?.as_deref(),
            &s.early.config,
        );
        let meta = arg_bool(args, "metadata_only", "get_section")?;
        match s.items.get(&path) {
            Some(Item::Section(id)) if meta => Ok(s.views.section_meta(*id).clone()),
            Some(Item::Section(id)) => Ok(s.views.section(*id)),
            _ => Err(format!("`get_section`: section `{path}` not found").into()),
        }
    }
}

/// `trans(key, lang?)`: falls back to the default language with a warning
/// where Zola would fail.
struct Trans(Arc<Early>);

impl Function for Trans {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        let s = &self.0;
        let key = arg_str(args, "key", "trans")?.ok_or("`trans` requires a `key` argument")?;
        let lang =
            arg_str(args, "lang", "trans")?.unwrap_or_else(|| s.config.default_language.clone());
        let lookup = |l: &str| {
            s.config
                .languages
                .get(l)
                .and_then(|o| o.translations.get(&key))
                .cloned()
        };
        if let Some(v) = lookup(&lang) {
            return Ok(Value::String(v));
        }
        if lang != s.config.default_language {
            if let Some(v) = lookup(&s.config.default_language) {
                s.diags.push(
                    Diagnostic::warning(
                        "template::missing-translation",
                        format!(
                            "translation `{key}` is missing for language `{lang}`; using `{}`",
                            s.config.default_language
                        ),
                    )
                    .in_file("config.toml")
                    .with_help(format!("add `{key}` under [languages.{lang}.translations]")),
                );
                return Ok(Value::String(v));
            }
        }
        Err(format!("`trans`: no translation `{key}` for language `{lang}`").into())
    }
}

/// `now(utc=false, timestamp=false)`.
struct Now;

impl Function for Now {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        let utc = arg_bool(args, "utc", "now")?;
        if arg_bool(args, "timestamp", "now")? {
            return Ok(Value::from(chrono::Utc::now().timestamp()));
        }
        Ok(Value::String(if utc {
            chrono::Utc::now().to_rfc3339()
        } else {
            chrono::Local::now().to_rfc3339()
        }))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// `get_changes(since?, limit?)`: the most recent changes of content files
/// (newest first), optionally only those on or after a date — for themes
/// that mark new or changed content.
struct GetChanges(Arc<Shared>);

impl Function for GetChanges {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        let since = arg_str(args, "since", "get_changes")?;
        let limit = args
            .get("limit")
            .and_then(Value::as_u64)
            .map(|n| n as usize)
            .unwrap_or(usize::MAX);
        let list: Vec<Value> = self
            .0
            .changes
            .iter()
            .filter(|c| match (&since, c.get("date").and_then(Value::as_str)) {
                (Some(s), Some(d)) => d >= s.as_str(),
                _ => true,
            })
            .take(limit)
            .cloned()
            .collect();
        Ok(Value::Array(list))
    }
}
