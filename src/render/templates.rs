//! Loading Tera templates as Zola does: built-ins first, then the theme's
//! (also reachable as `THEME/templates/x.html` for `extends`), then the
//! site's, each overriding the one before. The theme's layer is the copy
//! built into the binary (for `handbok`) under the site's `themes/<name>/`.

use super::stack_guard;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use std::path::Path;
use walkdir::WalkDir;

/// Zola's built-in templates, overridable by a site or theme.
const BUILTINS: &[(&str, &str)] = &[
    (
        "anchor-link.html",
        include_str!("builtins/anchor-link.html"),
    ),
    ("404.html", include_str!("builtins/404.html")),
    (
        "internal/alias.html",
        include_str!("builtins/internal/alias.html"),
    ),
    (
        "summary-cutoff.html",
        include_str!("builtins/summary-cutoff.html"),
    ),
    ("robots.txt", include_str!("builtins/robots.txt")),
    ("sitemap.xml", include_str!("builtins/sitemap.xml")),
    (
        "split_sitemap_index.xml",
        include_str!("builtins/split_sitemap_index.xml"),
    ),
    ("atom.xml", include_str!("builtins/atom.xml")),
    ("rss.xml", include_str!("builtins/rss.xml")),
    (
        "shortcodes/ansvar.html",
        include_str!("builtins/shortcodes/ansvar.html"),
    ),
    (
        "handbok/layout.html",
        include_str!("builtins/handbok/layout.html"),
    ),
    (
        "handbok/register.html",
        include_str!("builtins/handbok/register.html"),
    ),
    (
        "handbok/matrix.html",
        include_str!("builtins/handbok/matrix.html"),
    ),
    (
        "handbok/review_status.html",
        include_str!("builtins/handbok/review_status.html"),
    ),
    (
        "handbok/activities.html",
        include_str!("builtins/handbok/activities.html"),
    ),
    (
        "handbok/history.html",
        include_str!("builtins/handbok/history.html"),
    ),
    (
        "handbok/changes.html",
        include_str!("builtins/handbok/changes.html"),
    ),
    (
        "handbok/changes.xml",
        include_str!("builtins/handbok/changes.xml"),
    ),
    (
        "handbok/search.html",
        include_str!("builtins/handbok/search.html"),
    ),
];

/// Extensions Zola loads from a site's `templates/` (theme: only `*ml`/`md`).
fn is_template(path: &Path, site: bool) -> bool {
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
        return false;
    };
    ext.ends_with("ml") || ext == "md" || (site && matches!(ext, "txt" | "json" | "ics"))
}

fn collect(
    dir: &Path,
    site: bool,
    prefix: &str,
    out: &mut Vec<(String, String, String)>,
    diags: &Diagnostics,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if !entry.file_type().is_file() || !is_template(path, site) {
            continue;
        }
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read_to_string(path) {
            Ok(text) => out.push((format!("{prefix}{rel}"), text, path.display().to_string())),
            Err(e) => diags.push(
                Diagnostic::error("template::unreadable", format!("cannot read template: {e}"))
                    .in_file(path),
            ),
        }
    }
}

/// The parsed templates, and where each came from (to locate runtime
/// errors, which Tera reports without a line).
pub(crate) struct Templates {
    pub(crate) tera: tera::Tera,
    /// Template name → (path shown to users, source text).
    sources: std::collections::HashMap<String, (String, String)>,
    /// Per template, the fields of listed pages and sections it or a
    /// template it uses can read.
    listed_fields: std::collections::HashMap<String, super::listing::Fields>,
    /// Templates that, with those they use, never name `governance` or
    /// `history` (nor dump the context): a page rendered with one need
    /// not have its governance data and history made.
    without_page_data: std::collections::HashSet<String>,
    /// Loops rendered once per build when what they read is the same.
    pub(crate) fragments: std::sync::Arc<super::fragments::Fragments>,
}

impl Templates {
    /// Templates whose source differs from `old`'s; `None` when a
    /// template was added or removed.
    pub(crate) fn changed_since(&self, old: &Templates) -> Option<Vec<String>> {
        if self.sources.len() != old.sources.len()
            || self.sources.keys().any(|k| !old.sources.contains_key(k))
        {
            return None;
        }
        let mut changed: Vec<String> = self
            .sources
            .iter()
            .filter(|(name, (_, text))| old.sources.get(*name).is_none_or(|(_, t)| t != text))
            .map(|(name, _)| name.clone())
            .collect();
        changed.sort();
        Some(changed)
    }

    /// True if any template's source mentions one of `names` (a function
    /// it may call).
    /// True if the source of one template satisfies `pred`.
    pub(crate) fn any_source(&self, pred: impl Fn(&str) -> bool) -> bool {
        self.sources.values().any(|(_, text)| pred(text))
    }

    pub(crate) fn mention_any(&self, names: &[&str]) -> bool {
        self.sources
            .values()
            .any(|(_, text)| names.iter().any(|n| text.contains(n)))
    }

    /// True if a shortcode template, or one it uses, mentions one of
    /// `words` (a function Markdown may then call).
    pub(crate) fn shortcodes_mention(&self, words: &[&str]) -> bool {
        let shortcodes: Vec<String> = self
            .sources
            .keys()
            .filter(|n| n.starts_with("shortcodes/") || n.contains("/templates/shortcodes/"))
            .cloned()
            .collect();
        !shortcodes.is_empty() && self.closure_mentions_any(&shortcodes, words)
    }

    /// True if `names` or any template they extend, include or import
    /// (directly or not) mentions one of `words`. Only names in
    /// `extends`, `include` and `import` tags are followed, so a link to
    /// `"atom.xml"` does not pull in the feed's template.
    pub(crate) fn closure_mentions_any(&self, names: &[String], words: &[&str]) -> bool {
        self.closure_any(names, |text| words.iter().any(|w| text.contains(w)))
    }

    /// True if `pred` holds for the source of `names` or of any template
    /// they extend, include or import (directly or not); true for a
    /// template whose source is unknown.
    pub(crate) fn closure_any(&self, names: &[String], pred: impl Fn(&str) -> bool) -> bool {
        self.closure_sources(names)
            .is_none_or(|texts| texts.into_iter().any(pred))
    }

    /// The sources of `names` and of every template they extend, include
    /// or import (directly or not); `None` when one is unknown.
    fn closure_sources(&self, names: &[String]) -> Option<Vec<&str>> {
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut todo: Vec<String> = names.to_vec();
        let mut texts = Vec::new();
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let (_, text) = self.sources.get(&name)?;
            texts.push(text.as_str());
            todo.extend(used_templates(text).filter(|n| !seen.contains(n)));
        }
        Some(texts)
    }

    /// The fields of listed pages and sections that template `name`, or
    /// a template it uses, can read (see `listing.rs`).
    pub(crate) fn fields_for(&self, name: &str) -> super::listing::Fields {
        self.listed_fields.get(name).cloned().unwrap_or_default()
    }

    /// True if a page rendered with template `name` may read its
    /// `governance` and `history` variables.
    pub(crate) fn reads_page_data(&self, name: &str) -> bool {
        !self.without_page_data.contains(name)
    }

    /// The union of the names read by `name`'s closure.
    fn closure_fields(&self, name: &str) -> super::listing::Fields {
        let Some(texts) = self.closure_sources(&[name.to_string()]) else {
            return super::listing::Fields::All;
        };
        let mut all = super::listing::Names::default();
        for text in &texts {
            match super::listing::names_read(text) {
                Some(names) => all.extend(names),
                None => return super::listing::Fields::All,
            }
        }
        if texts.iter().all(|t| super::listing::counts_pages_only(t)) {
            all.insert(super::listing::PAGES_COUNTED.to_string());
        }
        super::listing::Fields::Named(std::sync::Arc::new(all))
    }

    /// `changed` and every template that extends, includes or imports one
    /// of them, directly or not: a template naming another in quotes is
    /// taken to use it (a superset, never a miss).
    pub(crate) fn users_of(&self, changed: &[String]) -> std::collections::HashSet<String> {
        let mut found: std::collections::HashSet<String> = changed.iter().cloned().collect();
        let mut todo: Vec<String> = changed.to_vec();
        while let Some(name) = todo.pop() {
            let quoted = [format!("\"{name}\""), format!("'{name}'")];
            for (user, (_, text)) in &self.sources {
                if !found.contains(user) && quoted.iter().any(|q| text.contains(q.as_str())) {
                    found.insert(user.clone());
                    todo.push(user.clone());
                }
            }
        }
        found
    }

    /// Renders the template `name` with `ctx`, on a stack that template
    /// recursion cannot overflow (see `stack_guard.rs`).
    pub(crate) fn render(&self, name: &str, ctx: &tera::Context) -> tera::Result<String> {
        super::fragments::rendering(name, || stack_guard::render(&self.tera, name, ctx))
    }

    /// Turns a Tera render error into a diagnostic naming the innermost
    /// template and, where the failing expression can be found in its
    /// source, its line and column.
    /// Also gives the message without `what`, under which the same error
    /// for other pages is counted rather than repeated.
    pub(crate) fn render_error(
        &self,
        name: &str,
        what: &str,
        e: &tera::Error,
    ) -> (String, Diagnostic) {
        if let Some(stop) = stack_guard::find(e) {
            let key = format!("failed to render `{name}`: {stop}");
            return (key, self.too_deep_error(name, what, stop));
        }
        let chain = error_chain(e);
        let re = regex::Regex::new(r"while rendering '([^']+)'").ok();
        let inner = re
            .and_then(|re| re.captures_iter(&chain).last().map(|c| c[1].to_string()))
            .unwrap_or_else(|| name.to_string());
        let mut d = Diagnostic::error(
            "template::render",
            format!("failed to render `{name}` for {what}: {chain}"),
        )
        .with_help(format!(
            "the error is in template `{inner}` (or one it extends, includes or imports)"
        ));
        if let Some((path, text)) = self.sources.get(&inner) {
            let needle = regex::Regex::new(r"`([^`]+)`")
                .ok()
                .and_then(|re| re.captures(&chain).map(|c| c[1].to_string()));
            let offset = needle.and_then(|n| text.find(&n)).unwrap_or(0);
            d = d.at(&crate::diagnostics::SourceFile::new(path, text), offset);
        }
        (format!("failed to render `{name}`: {chain}"), d)
    }
}

/// All templates parsed into one Tera instance. Parse errors are located
/// diagnostics; `None` when any template failed to parse.
pub(crate) fn load(config: &Config, diags: &Diagnostics) -> Option<Templates> {
    let mut sources: Vec<(String, String, String)> = BUILTINS
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string(), format!("(built-in) {n}")))
        .collect();
    if let (Some(dir), Some(name)) = (config.theme_dir(), config.theme.as_ref()) {
        // The theme built into the binary first, so that the site's
        // `themes/<name>/templates/` overrides it file by file.
        let mut theme = embedded_templates(config, name);
        collect(&dir.join("templates"), false, "", &mut theme, diags);
        for (n, t, p) in &theme {
            sources.push((format!("{name}/templates/{n}"), t.clone(), p.clone()));
        }
        sources.extend(theme);
    }
    collect(
        &config.root.join("templates"),
        true,
        "",
        &mut sources,
        diags,
    );
    // Later entries win: site over theme over built-in.
    let mut unique: indexmap::IndexMap<String, (String, String)> = indexmap::IndexMap::new();
    for (name, text, path) in sources {
        unique.insert(name, (text, path));
    }
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    let mut ok = true;
    // Tera's parser overflows its stack on deep nesting: refuse that first.
    for (text, path) in unique.values() {
        if let Some(offset) = super::nesting::too_deep(text) {
            ok = false;
            let shown = display_path(path, config);
            diags.push(
                Diagnostic::error(
                    "template::nesting",
                    format!(
                        "this template nests deeper than {} tags or brackets",
                        super::nesting::MAX_NESTING
                    ),
                )
                .at(&crate::diagnostics::SourceFile::new(&shown, text), offset)
                .with_help("split the template into macros or includes"),
            );
        }
    }
    if !ok {
        return None;
    }
    let sources = unique
        .iter()
        .map(|(n, (t, p))| (n.clone(), (display_path(p, config), t.clone())))
        .collect();
    // Each distinct text is parsed once: a theme's templates are also
    // reachable as `THEME/templates/x.html`, and those copies are clones.
    let parsed: tera::Result<bool> = stack_guard::on_render_stack(|| {
        let mut by_text: std::collections::HashMap<&str, tera::Template> =
            std::collections::HashMap::new();
        let mut failed = false;
        for (name, (text, path)) in &unique {
            let template = match by_text.get(text.as_str()) {
                Some(t) => {
                    let mut t = t.clone();
                    t.name = name.clone();
                    t
                }
                None => match tera::Template::new(name, None, text) {
                    Ok(t) => {
                        by_text.insert(text, t.clone());
                        t
                    }
                    Err(e) => {
                        failed = true;
                        let (line, col, msg) = parse_error_position(&e);
                        diags.push(
                            Diagnostic::error("template::syntax", msg)
                                .at_line_col(display_path(path, config), line, col)
                                .with_help("fix the Tera syntax of this template"),
                        );
                        continue;
                    }
                },
            };
            tera.templates.insert(name.clone(), template);
        }
        if failed {
            return Ok(false);
        }
        tera.build_inheritance_chains()?;
        tera.check_macro_files()?;
        Ok(true)
    });
    match parsed {
        Ok(true) => {}
        Ok(false) => return None,
        Err(e) => {
            diags.push(
                Diagnostic::error("template::invalid", error_chain(&e))
                    .with_help("check `extends`, `include` and `import` names"),
            );
            return None;
        }
    }
    let mut templates = Templates {
        tera,
        sources,
        listed_fields: Default::default(),
        without_page_data: Default::default(),
        fragments: Default::default(),
    };
    // Set to give every list whole values: to check that the projection
    // changes no output (the tests compare both).
    if std::env::var_os("HANDBOK_WHOLE_LISTS").is_none() {
        templates.listed_fields = templates
            .sources
            .keys()
            .map(|name| (name.clone(), templates.closure_fields(name)))
            .collect();
        let words = ["governance", "history", "__tera_context"];
        templates.without_page_data = templates
            .sources
            .keys()
            .filter(|name| !templates.closure_mentions_any(&[name.to_string()], &words))
            .cloned()
            .collect();
    }
    let cycles = super::recursion::find_cycles(&templates.tera);
    for cycle in &cycles {
        diags.push(templates.recursion_error(cycle));
    }
    stack_guard::install(&mut templates.tera);
    // Set to render every loop each time: to check that keeping their
    // output changes nothing (the tests compare both).
    if std::env::var_os("HANDBOK_RENDER_EVERY_LOOP").is_none() {
        templates.fragments = super::fragments::install(&mut templates.tera);
    }
    cycles.is_empty().then_some(templates)
}

impl Templates {
    /// A recursion the stack guard stopped while rendering, located at the
    /// call that leads into it again.
    fn too_deep_error(&self, name: &str, what: &str, stop: &stack_guard::TooDeep) -> Diagnostic {
        let d = Diagnostic::error(
            "template::recursion",
            format!("failed to render `{name}` for {what}: {stop}"),
        )
        .with_help(
            "make sure the `if` or `for` around the recursive include or macro call ends it",
        );
        let source = stop
            .cycle
            .as_ref()
            .and_then(|cycle| Some((cycle, self.sources.get(&cycle.file)?)));
        match source {
            Some((cycle, (path, text))) => {
                let offset = text.find(&cycle.needle).unwrap_or(0);
                d.at(&crate::diagnostics::SourceFile::new(path, text), offset)
            }
            None => d,
        }
    }

    /// A cycle of includes or macro calls that would never end, located at
    /// its first call.
    fn recursion_error(&self, cycle: &super::recursion::Cycle) -> Diagnostic {
        let d = Diagnostic::error(
            "template::recursion",
            format!(
                "this template recursion never ends: {}",
                cycle.chain.join(" → ")
            ),
        )
        .with_help("put the recursive include or macro call under an `if` or a `for` that ends it");
        match self.sources.get(&cycle.file) {
            Some((path, text)) => {
                let offset = text.find(&cycle.needle).unwrap_or(0);
                d.at(&crate::diagnostics::SourceFile::new(path, text), offset)
            }
            None => d,
        }
    }
}

/// The templates of the theme built into the binary, as (name, text,
/// path shown in diagnostics).
fn embedded_templates(config: &Config, name: &str) -> Vec<(String, String, String)> {
    config
        .embedded_theme_files("templates")
        .into_iter()
        .filter(|(rel, _)| is_template(Path::new(rel), false))
        .map(|(rel, bytes)| {
            (
                rel.to_string(),
                String::from_utf8_lossy(bytes).into_owned(),
                format!("(built-in theme) themes/{name}/templates/{rel}"),
            )
        })
        .collect()
}

fn display_path(path: &str, config: &Config) -> String {
    Path::new(path)
        .strip_prefix(&config.root)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| path.to_string())
}

/// Tera's parse errors carry a pest message with ` --> line:col`.
fn parse_error_position(e: &tera::Error) -> (usize, usize, String) {
    let chain = error_chain(e);
    let re = regex::Regex::new(r"--> (\d+):(\d+)").ok();
    let (line, col) = re
        .and_then(|re| {
            re.captures(&chain)
                .map(|c| (c[1].parse().unwrap_or(1), c[2].parse().unwrap_or(1)))
        })
        .unwrap_or((1, 1));
    let msg = chain
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("-->") && !l.starts_with('|') && !l.starts_with('=')
        })
        .rfind(|l| {
            !l.chars()
                .all(|c| c.is_ascii_digit() || c == '|' || c == ' ')
        })
        .unwrap_or("template syntax error")
        .to_string();
    (line, col, msg)
}

/// Parses one template's text as a build parses a site's template (the
/// nesting bound, Tera's parser on the render stack, the recursion checks
/// and the stack guard), without rendering it: the fuzz target for
/// template sources.
pub(crate) fn parse_alone(text: &str) -> Result<(), String> {
    if super::nesting::too_deep(text).is_some() {
        return Err("nested too deeply".to_string());
    }
    let mut tera = tera::Tera::default();
    stack_guard::on_render_stack(|| tera.add_raw_template("page.html", text))
        .map_err(|e| error_chain(&e))?;
    let cycles = super::recursion::find_cycles(&tera);
    stack_guard::install(&mut tera);
    match cycles.is_empty() {
        true => Ok(()),
        false => Err("recursion".to_string()),
    }
}

/// The whole `source()` chain of an error, which Tera hides otherwise.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push_str(": ");
        out.push_str(&s.to_string());
        cur = s.source();
    }
    out
}

/// The names in a template's `extends`, `include` and `import` tags.
fn used_templates(text: &str) -> impl Iterator<Item = String> + '_ {
    static TAG: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static NAME: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let tag = TAG.get_or_init(|| {
        regex::Regex::new(r"\{%-?\s*(?:extends|include|import)\b([^%]*)%\}")
            .unwrap_or_else(|_| unreachable!("a valid pattern"))
    });
    let name = NAME.get_or_init(|| {
        regex::Regex::new(r#""([^"]+)"|'([^']+)'"#)
            .unwrap_or_else(|_| unreachable!("a valid pattern"))
    });
    tag.captures_iter(text).flat_map(move |c| {
        let args = c.get(1).map_or("", |m| m.as_str());
        name.captures_iter(args)
            .filter_map(|n| {
                n.get(1)
                    .or_else(|| n.get(2))
                    .map(|m| m.as_str().to_string())
            })
            .collect::<Vec<_>>()
    })
}
