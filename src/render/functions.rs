//! Zola's global template functions (`get_url`, `get_page`,
//! `get_section`, `get_taxonomy*`, `trans`, `now`, …) and handbok's
//! (`get_role`, `get_handbook`, `get_changes`), registered in Zola's two
//! phases. They read [`SiteFacts`] and [`Lookups`] and change nothing.

use super::args::{arg_bool, arg_str, required_str};
use super::facts::{Lookups, SiteFacts};
use super::taxonomy_views::term_value;
use crate::config::Config;
use crate::content::Item;
use crate::diagnostics::Diagnostic;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tera::{Function, Result as TeraResult};

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

/// Registers the functions shortcodes may call (before Markdown).
pub(super) fn register_early(tera: &mut tera::Tera, facts: &Arc<SiteFacts>) {
    tera.register_function("get_url", GetUrl(facts.clone()));
    tera.register_function("trans", Trans(facts.clone()));
    tera.register_function("now", Now);
    tera.register_function("get_role", GetRole(facts.clone()));
    tera.register_function("get_handbook", GetHandbook(facts.clone()));
    // load_data, get_hash, get_image_metadata, resize_image: early in Zola.
    super::data::register(tera, &facts.config, &facts.generated);
    super::images::register(tera, &facts.config, &facts.images);
    // Early in Zola too, so shortcodes can link to terms.
    tera.register_function("get_taxonomy_url", GetTaxonomyUrl(facts.clone()));
}

/// Registers the functions that need every page rendered
/// (`get_page`, `get_section`); not available to shortcodes, as in Zola.
pub(super) fn register_late(tera: &mut tera::Tera, lookups: &Arc<Lookups>) {
    tera.register_function("get_changes", GetChanges(lookups.clone()));
    tera.register_function("get_page", GetPage(lookups.clone()));
    tera.register_function("get_section", GetSection(lookups.clone()));
    tera.register_function("get_taxonomy", GetTaxonomy(lookups.clone()));
    tera.register_function("get_taxonomy_term", GetTaxonomyTerm(lookups.clone()));
}

/// `get_role(id)`: a role's `{id, name, abbreviation, permalink}`.
struct GetRole(Arc<SiteFacts>);

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
/// (`register`, `matrix`, `review_status`, `glossary`, `roles`, …);
/// `get_handbook(part="register", permalink=…)`: one document's entry.
struct GetHandbook(Arc<SiteFacts>);

impl Function for GetHandbook {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        let data = &self.0.handbook;
        match arg_str(args, "part", "get_handbook")? {
            // Only the parts the calling template can name, as lists keep
            // only the fields it can read: on a large handbook a copy of
            // the whole value per page was most of a page's cost.
            None => Ok(match super::listing::current() {
                super::listing::Fields::All => data.whole().clone(),
                super::listing::Fields::Named(names) => {
                    data.whole();
                    data.parts(&|part| names.contains(part), &|_| true)
                }
            }),
            // One document's entry, without copying the register.
            Some(part) if part == "register" && args.contains_key("permalink") => {
                let permalink = arg_str(args, "permalink", "get_handbook")?.unwrap_or_default();
                Ok(data.register_entry(&permalink))
            }
            Some(part) => data
                .whole()
                .get(&part)
                .cloned()
                .ok_or_else(|| format!("`get_handbook`: no part `{part}`").into()),
        }
    }
}

/// `get_url(path, lang?, trailing_slash=false, cachebust=false)`.
struct GetUrl(Arc<SiteFacts>);

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
        // As Zola: no language prefix when the path already starts with
        // it (Zola looks from the path's second character on).
        let has_prefix = |l: &str| path.get(1..).is_some_and(|rest| rest.starts_with(l));
        if let Some(l) = lang
            .as_deref()
            .filter(|l| *l != s.config.default_language && !has_prefix(l))
        {
            segments.push(l.to_string());
        }
        segments.push(path.trim_start_matches('/').to_string());
        let mut permalink = s.config.make_permalink(&segments.join("/"));
        if !arg_bool(args, "trailing_slash", "get_url", false)? && permalink.ends_with('/') {
            permalink.pop();
        }
        if arg_bool(args, "cachebust", "get_url", false)? {
            let hash = (s.cachebust)
                .get_or(&path, || cachebust_hash(s, &path))
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
fn cachebust_hash(facts: &SiteFacts, path: &str) -> Option<String> {
    use sha2::Digest;
    // Zola's file search rule, confined to the site root like load_data.
    let rel = path.trim_start_matches('/');
    let config = &facts.config;
    let bytes = match super::data::SiteFiles::new(config)
        .read(rel, &facts.generated)
        .ok()?
    {
        Some(bytes) => bytes,
        // A static file of the theme built into the binary.
        None => config
            .embedded_theme_files("static")
            .into_iter()
            .find(|(p, _)| *p == rel)?
            .1
            .to_vec(),
    };
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
struct GetPage(Arc<Lookups>);

impl Function for GetPage {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        let s = &self.0;
        let path =
            arg_str(args, "path", "get_page")?.ok_or("`get_page` requires a `path` argument")?;
        let path = with_lang(
            &content_relative(&path, &s.facts.config),
            arg_str(args, "lang", "get_page")?.as_deref(),
            &s.facts.config,
        );
        match s.items.get(&path) {
            Some(Item::Page(p)) => Ok(s.views.page_fetched(*p)),
            // As if the page were optional: a template that checks the
            // value (`{% if p %}`) builds for every audience, and nothing
            // names the page.
            None if s.withheld.contains(&path) => Ok(Value::Null),
            _ => Err(format!("`get_page`: page `{path}` not found").into()),
        }
    }
}

/// `get_section(path, metadata_only=false, lang?)`.
struct GetSection(Arc<Lookups>);

impl Function for GetSection {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        let s = &self.0;
        let path = arg_str(args, "path", "get_section")?
            .ok_or("`get_section` requires a `path` argument")?;
        let path = with_lang(
            &content_relative(&path, &s.facts.config),
            arg_str(args, "lang", "get_section")?.as_deref(),
            &s.facts.config,
        );
        let meta = arg_bool(args, "metadata_only", "get_section", false)?;
        match s.items.get(&path) {
            Some(Item::Section(id)) => Ok(s.views.section_fetched(*id, meta)),
            None if s.withheld.contains(&path) => Ok(Value::Null),
            _ => Err(format!("`get_section`: section `{path}` not found").into()),
        }
    }
}

/// `trans(key, lang?)`: falls back to the default language with a warning
/// where Zola would fail.
struct Trans(Arc<SiteFacts>);

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
                s.diagnostics.push(
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
        let utc = arg_bool(args, "utc", "now", false)?;
        if arg_bool(args, "timestamp", "now", false)? {
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
struct GetChanges(Arc<Lookups>);

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

/// `get_taxonomy_url(kind, name, lang?, required=true)`: the permalink of
/// a term given as written (it is slugified for the lookup). With
/// `required = false` an unknown taxonomy gives null; an unknown term is
/// always an error, as in Zola.
struct GetTaxonomyUrl(Arc<SiteFacts>);

impl Function for GetTaxonomyUrl {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        const F: &str = "get_taxonomy_url";
        let urls = &self.0.taxonomy_urls;
        let kind = required_str(args, "kind", F)?;
        let name = required_str(args, "name", F)?;
        let lang = arg_str(args, "lang", F)?;
        let required = arg_bool(args, "required", F, true)?;
        let Some(terms) = urls.terms(&kind, lang.as_deref()) else {
            return if required {
                Err(format!("`{F}` received an unknown taxonomy as kind: {kind}").into())
            } else {
                Ok(Value::Null)
            };
        };
        let slug = urls.slug(&name);
        match terms.get(&slug) {
            Some(permalink) => Ok(Value::String(permalink.clone())),
            None => Err(format!("`{F}`: couldn't find `{name}` in `{kind}` taxonomy").into()),
        }
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `get_taxonomy(kind, lang?, required=true)`: `{kind, items, lang,
/// permalink}`, each item a term with its pages.
struct GetTaxonomy(Arc<Lookups>);

impl Function for GetTaxonomy {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        const F: &str = "get_taxonomy";
        let s = &self.0;
        let kind = required_str(args, "kind", F)?;
        let required = arg_bool(args, "required", F, true)?;
        let lang =
            arg_str(args, "lang", F)?.unwrap_or_else(|| s.facts.config.default_language.clone());
        match s.taxonomies.find(&kind, &lang) {
            Some(t) => Ok(s.taxonomies.taxonomy(&s.views, t)),
            None if required => {
                Err(format!("`{F}` received an unknown taxonomy as kind: {kind}").into())
            }
            None => Ok(Value::Null),
        }
    }
}

/// `get_taxonomy_term(kind, term, lang?, include_pages=true,
/// required=true)`: one term by its name as written; `page_count` is
/// right without the pages too.
struct GetTaxonomyTerm(Arc<Lookups>);

impl Function for GetTaxonomyTerm {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        const F: &str = "get_taxonomy_term";
        let s = &self.0;
        let kind = required_str(args, "kind", F)?;
        let name = required_str(args, "term", F)?;
        let include_pages = arg_bool(args, "include_pages", F, true)?;
        let required = arg_bool(args, "required", F, true)?;
        let lang =
            arg_str(args, "lang", F)?.unwrap_or_else(|| s.facts.config.default_language.clone());
        let Some(t) = s.taxonomies.find(&kind, &lang) else {
            return if required {
                Err(format!("`{F}` received an unknown taxonomy as kind: {kind}").into())
            } else {
                Ok(Value::Null)
            };
        };
        let terms = &s.taxonomies.taxonomies[t].terms;
        let Some(i) = terms.iter().position(|x| x.name == name) else {
            return if required {
                Err(format!("`{F}` received an unknown term: {name}").into())
            } else {
                Ok(Value::Null)
            };
        };
        if include_pages {
            Ok(s.taxonomies.term(&s.views, t, i))
        } else {
            Ok(term_value(&terms[i], Vec::new()))
        }
    }
}
