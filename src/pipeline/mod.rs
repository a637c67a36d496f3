//! The only place that knows the order of the stages: config → content →
//! history → markdown → governance → render → output. Holds the build
//! options (drafts, base URL, output folder, run mode, "today") and the
//! timings; contains no stage logic of its own.

mod as_of;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod incremental;
mod markdown_stage;

use crate::check;
use crate::config::{self, Config};
use crate::content::{self, ContentTree, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::governance::{self, GovOptions};
use crate::markdown::abbr::AbbrTerm;
use crate::markdown::Highlighter;
use crate::output::{self, OutputSet};
use crate::render::{self, RenderInput, RenderedContent};
use crate::search;
use chrono::NaiveDate;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Which command is running; templates see it as `config.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// `handbok build`.
    #[default]
    Build,
    /// `handbok serve`.
    Serve,
    /// `handbok check`.
    Check,
}

impl Mode {
    fn as_str(self) -> &'static str {
        match self {
            Mode::Build => "build",
            Mode::Serve => "serve",
            Mode::Check => "check",
        }
    }
}

/// Everything a run may vary; options, never globals.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root (where `config.toml` and `content/` are).
    pub root: PathBuf,
    /// An explicit configuration file (`-c`).
    pub config_file: Option<PathBuf>,
    /// Replaces the config's `base_url` (`-u`).
    pub base_url: Option<String>,
    /// Replaces the config's `output_dir` (`-o`).
    pub output_dir: Option<PathBuf>,
    /// Replace an output folder handbok did not make (`-f`).
    pub force: bool,
    /// Include drafts (`--drafts`).
    pub drafts: bool,
    /// Build, serve or check.
    pub mode: Mode,
    /// The date reviews are judged against; the real date when `None`.
    pub today: Option<NaiveDate>,
    /// Build for one audience: documents it may not read leave no trace.
    /// Everything is built when `None`.
    pub audience: Option<String>,
    /// Build the handbook as it stood on this date (from git history),
    /// labelled as such on every page.
    pub as_of: Option<NaiveDate>,
}

/// A problem that stops the run outright (as opposed to content problems,
/// which are diagnostics).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration could not be found or read.
    #[error(transparent)]
    Config(config::Error),
    /// The output could not be written; the previous output is intact.
    #[error("could not write the output")]
    Write(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The result of a run: what was found, and what was produced.
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Rendered pages.
    pub pages: usize,
    /// Pages outside any section.
    pub orphans: usize,
    /// Sections.
    pub sections: usize,
    /// Where the output was written, if it was.
    pub written: Option<PathBuf>,
    /// Wall time per stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Review status of the governing documents (overdue, due soon,
    /// missing owner), grouped by file, for `handbok check`.
    pub review_report: String,
}

impl Report {
    /// True if any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The immutable result of every stage, for check and serve.
pub struct Site {
    /// The resolved configuration.
    pub config: Config,
    pub(crate) tree: ContentTree,
    pub(crate) rendered: RenderedContent,
    /// Shared with the pages `serve` is answering while the next build
    /// replaces some of its files.
    pub(crate) output: Arc<OutputSet>,
    /// The history the build used; `serve` hands it to the next rebuild,
    /// which reuses it while `HEAD` has not moved.
    pub(crate) history: crate::history::History,
    /// What rendering parts of the site again needs.
    pub(crate) kept: Kept,
}

/// The later stages' state that `serve` keeps to render only what an edit
/// affects (see `incremental`).
pub(crate) struct Kept {
    /// Taken while a partial rebuild uses it.
    pub(crate) session: Option<render::Session>,
    pub(crate) model: governance::Model,
    pub(crate) highlighter: Arc<Highlighter>,
    pub(crate) terms: Vec<AbbrTerm>,
    pub(crate) glossary: String,
    pub(crate) mode: Mode,
    pub(crate) highlight_css: Vec<(String, String)>,
    pub(crate) history_ignore: Option<regex::Regex>,
}

/// `page.updated` when front matter has none: the last meaningful commit,
/// in a handbook (a site with governing documents). A plain Zola site keeps
/// Zola's `updated`, so its templates and sitemap are as Zola makes them.
fn updated_from_history(
    history: &crate::history::History,
    tree: &ContentTree,
    model: &governance::Model,
    id: content::PageId,
    ignore: Option<&regex::Regex>,
) -> Option<String> {
    if !model.is_active() {
        return None;
    }
    crate::render::history_updated(history, tree, id, ignore)
}

impl Site {
    /// The render stage's input, for rendering parts again.
    pub(crate) fn with_render_input<T>(&self, f: impl FnOnce(&RenderInput<'_>) -> T) -> T {
        let k = &self.kept;
        let updated = |id| {
            updated_from_history(
                &self.history,
                &self.tree,
                &k.model,
                id,
                k.history_ignore.as_ref(),
            )
        };
        let input = RenderInput {
            config: &self.config,
            tree: &self.tree,
            rendered: &self.rendered,
            governance: &k.model,
            mode: k.mode.as_str(),
            updated_fallback: &updated,
            highlight_css: k.highlight_css.clone(),
            history: &self.history,
            history_ignore: k.history_ignore.as_ref(),
        };
        f(&input)
    }
}

impl Site {
    /// Generated text at an output path (`a/b/index.html`), for tests and serve.
    pub fn output_text(&self, path: &str) -> Option<&str> {
        self.output.get_text(path)
    }

    /// Every output path.
    pub fn output_paths(&self) -> Vec<String> {
        self.output.files.keys().cloned().collect()
    }
}

/// `check --external`: requests every external link of the rendered
/// content (the network, so only when asked) and merges the problems into
/// the report.
pub fn check_external_links(site: &Site, report: &mut Report) {
    let diags = Diagnostics::new();
    diags.extend(std::mem::take(&mut report.diagnostics));
    let rendered = &site.rendered;
    let page_html = |id: content::PageId| rendered.page_html(id);
    let section_html = |id: content::SectionId| rendered.section_html(id);
    check::external::run(&site.config, &site.tree, &page_html, &section_html, &diags);
    report.diagnostics = diags.sorted();
}

struct Timer {
    timings: Vec<(&'static str, Duration)>,
    last: Instant,
}

impl Timer {
    fn new() -> Self {
        Timer {
            timings: vec![],
            last: Instant::now(),
        }
    }
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.timings.push((stage, now - self.last));
        self.last = now;
    }
}

/// Loads and renders the whole site in memory; nothing is written.
/// Content problems are in the report; `Site` is `None` when there are
/// errors.
pub fn render_site(options: &BuildOptions) -> Result<(Option<Site>, Report), Error> {
    render_site_with(options, None)
}

/// [`render_site`], reusing an earlier build's history when `HEAD` has not
/// moved since (only the work-tree flags are refreshed): the git log is
/// read once, not on every edit in `serve`.
pub(crate) fn render_site_with(
    options: &BuildOptions,
    previous_history: Option<&crate::history::History>,
) -> Result<(Option<Site>, Report), Error> {
    let diags = Diagnostics::new();
    let mut timer = Timer::new();
    let mut config = match config::load(&options.root, options.config_file.as_deref(), &diags) {
        Ok(c) => c,
        Err(config::Error::Invalid) => return Ok((None, report(&diags, None, timer))),
        Err(e) => return Err(Error::Config(e)),
    };
    if let Some(url) = &options.base_url {
        if let Err(why) = config::check_base_url(url) {
            diags.push(
                Diagnostic::error(
                    "config::invalid-base-url",
                    format!("`--base-url {url:?}` {why}"),
                )
                .with_help("give an http or https address, or a root path such as `/`"),
            );
            return Ok((None, report(&diags, None, timer)));
        }
        config.set_base_url(url);
    }
    if let Some(dir) = &options.output_dir {
        config.output_dir = dir.clone();
    }
    timer.lap("config");
    let filter = match &options.audience {
        Some(a) => match governance::AudienceFilter::new(&config, a, &diags) {
            Some(f) => Some(f),
            None => return Ok((None, report(&diags, None, timer))),
        },
        None => None,
    };
    let keep = |extra: &toml::Table| filter.as_ref().is_none_or(|f| f.allows(extra));
    let load_options = LoadOptions {
        drafts: options.drafts,
        keep: Some(&keep),
    };
    let tree = content::load(&config, load_options, &diags);
    timer.lap("content");
    let history_options = crate::history::options(&config, &diags);
    // A point-in-time copy is not a repository; its history was used to
    // make it.
    let history = if options.as_of.is_some() {
        crate::history::History::empty()
    } else if let Some(previous) = previous_history.filter(|h| h.is_current()) {
        let mut history = previous.clone();
        history.refresh_work_tree(&config.root);
        history
    } else {
        crate::history::collect(&config.root, &history_options, &diags)
    };
    let history_ignore = history_options.ignore_regex();
    timer.lap("history");
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let model = governance::build(&config, &tree, &GovOptions { today }, &diags);
    let terms: Vec<AbbrTerm> = governance::glossary_terms(&config, &tree)
        .into_iter()
        .map(|t| AbbrTerm {
            title: if t.expansion.trim().is_empty() {
                t.definition
            } else {
                t.expansion
            },
            term: t.term,
            href: t.permalink,
        })
        .collect();
    timer.lap("governance");
    let Some(mut templates) = render::templates::load(&config, &diags) else {
        return Ok((None, report(&diags, Some(&tree), timer)));
    };
    let highlighter = match Highlighter::new(&config) {
        Ok(h) => {
            diags.extend(h.warnings(&config));
            Arc::new(h)
        }
        Err(d) => {
            diags.push(d);
            return Ok((None, report(&diags, Some(&tree), timer)));
        }
    };
    let early = render::prepare(&mut templates, &config, &tree, &model, &highlighter, &diags);
    timer.lap("templates");
    let glossary_page = config
        .handbook
        .get("glossary")
        .and_then(|v| v.as_str())
        .unwrap_or("ordlista.md")
        .to_string();
    let stage = markdown_stage::Stage {
        config: &config,
        tree: &tree,
        templates: &templates,
        early: &early,
        highlighter: &highlighter,
        terms: &terms,
        glossary: Some(glossary_page.as_str()),
        mode: options.mode.as_str(),
    };
    let rendered = stage.run(&diags);
    timer.lap("markdown");
    let review_report = model.check_report();
    let input = RenderInput {
        config: &config,
        tree: &tree,
        rendered: &rendered,
        governance: &model,
        mode: options.mode.as_str(),
        updated_fallback: &|id| {
            updated_from_history(&history, &tree, &model, id, history_ignore.as_ref())
        },
        highlight_css: highlighter.css_files(&config),
        history: &history,
        history_ignore: history_ignore.as_ref(),
    };
    let highlight_css = input.highlight_css.clone();
    let (mut out, mut session) = render::site(&input, templates, early.clone(), &diags);
    add_sass_and_search(&config, &tree, &rendered, &diags, &mut out);
    if options.mode != Mode::Check {
        // Writes only Zola's resize cache, static/processed_images/.
        render::images::process(&early.images, &config, &mut out, &diags);
    }
    output::static_files::collect(&config, &mut out, &diags);
    session
        .graph
        .keep_owners(|path| matches!(out.files.get(path), Some(output::Output::Bytes(_))));
    timer.lap("render");
    let mut report = report(&diags, Some(&tree), timer);
    report.review_report = review_report;
    if report.has_errors() {
        return Ok((None, report));
    }
    Ok((
        Some(Site {
            config,
            tree,
            rendered,
            output: Arc::new(out),
            history,
            kept: Kept {
                session: Some(session),
                model,
                highlighter,
                terms,
                glossary: glossary_page,
                mode: options.mode,
                highlight_css,
                history_ignore,
            },
        }),
        report,
    ))
}

/// Sass and the search index. Zola writes both before the pages, so a
/// page at the same output path wins.
fn add_sass_and_search(
    config: &Config,
    tree: &ContentTree,
    rendered: &RenderedContent,
    diags: &Diagnostics,
    out: &mut OutputSet,
) {
    let mut assets = OutputSet::default();
    output::sass::compile(config, diags, &mut assets);
    add_search(config, tree, rendered, diags, &mut assets);
    for (path, file) in assets.files {
        out.files.entry(path).or_insert(file);
    }
}

/// The search index, when the config asks for one.
fn add_search(
    config: &Config,
    tree: &ContentTree,
    rendered: &RenderedContent,
    diags: &Diagnostics,
    assets: &mut OutputSet,
) {
    let page_html = |id: content::PageId| rendered.page_html(id);
    let section_html = |id: content::SectionId| rendered.section_html(id);
    let input = search::SearchInput {
        config,
        tree,
        page_html: &page_html,
        section_html: &section_html,
    };
    search::write_index(&input, diags, assets);
}

fn report(diags: &Diagnostics, tree: Option<&ContentTree>, timer: Timer) -> Report {
    let (pages, orphans, sections) = match tree {
        Some(t) => (
            t.rendered_pages().count(),
            t.rendered_pages()
                .filter(|p| t.page(*p).parent_section.is_none())
                .count(),
            t.sections.iter().filter(|s| !s.synthetic).count(),
        ),
        None => (0, 0, 0),
    };
    Report {
        diagnostics: diags.sorted(),
        pages,
        orphans,
        sections,
        written: None,
        timings: timer.timings,
        review_report: String::new(),
    }
}

/// `handbok build`: renders the site and, only if there were no errors,
/// swaps it into the output folder.
pub fn build(options: &BuildOptions) -> Result<Report, Error> {
    let _copy;
    let mut options = options.clone();
    // The sources the output must never replace: the real root, also when
    // a point-in-time build renders from a copy.
    let source_root = options.root.clone();
    if let Some(date) = options.as_of {
        let diags = Diagnostics::new();
        let config = match config::load(&options.root, options.config_file.as_deref(), &diags) {
            Ok(c) => c,
            Err(config::Error::Invalid) => return Ok(report(&diags, None, Timer::new())),
            Err(e) => return Err(Error::Config(e)),
        };
        let dir = tempfile::tempdir().map_err(|e| Error::Write(Box::new(e)))?;
        let files = as_of::materialize(&config, date, dir.path(), &diags)
            .map_err(|e| Error::Write(Box::new(e)))?;
        if files == 0 {
            // Said plainly, rather than as the theme errors an empty site
            // would give.
            diags.push(
                Diagnostic::error(
                    "history::before-first-commit",
                    format!("`--as-of {date}` is before the handbook's history: no content file had been committed by then"),
                )
                .with_help("give a date on or after the first commit of a file in content/ (`git log --reverse --format=%as -- content | head -1`)"),
            );
            return Ok(report(&diags, None, Timer::new()));
        }
        let out = options.output_dir.clone().map(|d| {
            if d.is_absolute() {
                d
            } else {
                options.root.join(d)
            }
        });
        let out = out.unwrap_or_else(|| config.output_path());
        // The build runs in another folder: the output must not be relative.
        options.output_dir = Some(std::path::absolute(&out).unwrap_or(out));
        options.root = dir.path().to_path_buf();
        options.config_file = None;
        options.today = Some(date);
        _copy = dir;
    }
    let (site, mut report) = render_site(&options)?;
    let Some(mut site) = site else {
        return Ok(report);
    };
    if let Some(date) = options.as_of {
        let banner = as_of::banner(date, &site.config.default_language);
        for output in Arc::make_mut(&mut site.output).files.values_mut() {
            if let output::Output::Bytes(bytes) = output {
                if let Ok(html) = std::str::from_utf8(bytes) {
                    if html.contains("<body") {
                        *bytes = as_of::label(html, &banner).into_bytes().into();
                    }
                }
            }
        }
    }
    let start = Instant::now();
    let out = site.config.output_path();
    let write_options = output::WriteOptions {
        root: &source_root,
        force: options.force,
        keep_dotfiles: site.config.preserve_dotfiles_in_output,
    };
    output::write(&site.output, &out, write_options).map_err(|e| Error::Write(Box::new(e)))?;
    report.timings.push(("write", start.elapsed()));
    report.written = Some(out);
    Ok(report)
}
