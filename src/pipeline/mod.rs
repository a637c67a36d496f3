//! The only place that knows the order of the stages:
//!
//! ```text
//! config::load -> content::load -> history::collect -> governance::build
//!   -> Renderer::new -> Renderer::render_bodies (Markdown) -> check::links
//!   -> Renderer::render_site -> search, Sass, images, static files
//!   -> output::write | serve | check
//! ```
//!
//! Governance runs before Markdown because the glossary marks terms in
//! bodies and shortcodes read roles. Holds the build options (drafts, base
//! URL, output folder, run mode, "today") and the timings; contains no
//! stage logic of its own.

mod as_of;
mod authoring_input;
pub(crate) mod incremental;
mod timing;
mod withhold;

pub(crate) use authoring_input::load_authoring_input;
use timing::Timer;
pub use timing::{peak_memory_kib, Stage};

use crate::check;
use crate::config::{self, Config};
use crate::content::{self, ContentTree};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::governance::{self, GovOptions};
use crate::history::History;
use crate::output::{self, passes, OutputSet};
use crate::render::{RenderedContent, Renderer, SiteInput};
use crate::search;
use chrono::NaiveDate;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

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
    pub(crate) fn as_str(self) -> &'static str {
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
    /// Wall time (and memory) per stage, in order.
    pub timings: Vec<Stage>,
    /// Review status of the governing documents (overdue, due soon,
    /// missing owner), grouped by file, for `handbok check`.
    pub review_report: String,
    /// In a build for one audience, the content files it publishes
    /// (site-relative, `content/a.md`), so that `serve` can keep every
    /// other content path out of what it shows; `None` when everything is
    /// built or the content was not read.
    pub visible_content: Option<std::collections::HashSet<PathBuf>>,
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
    pub(crate) history: History,
    /// Shared with the renderer, which makes the handbook's data for
    /// templates from it only when a template asks.
    pub(crate) model: Arc<governance::Model>,
    /// What rendering parts of the site again needs.
    pub(crate) renderer: Renderer,
    /// In a build, the folder the pages were streamed into, to be
    /// finished and swapped in.
    staging: Option<Arc<output::Staging>>,
}

impl Site {
    /// What the render stage reads, and the renderer, for rendering parts
    /// again.
    pub(crate) fn renderer_and_input(&mut self) -> (&mut Renderer, SiteInput<'_>) {
        let input = SiteInput {
            config: &self.config,
            tree: &self.tree,
            rendered: &self.rendered,
            model: &self.model,
            history: &self.history,
        };
        (&mut self.renderer, input)
    }

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
    check::external::run(
        &site.config,
        &site.tree,
        &|item| site.rendered.external_links(item),
        &diags,
    );
    report.diagnostics = diags.sorted();
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
    previous_history: Option<&History>,
) -> Result<(Option<Site>, Report), Error> {
    render_into(options, previous_history, None)
}

/// Where a build streams its pages: the output folder's staging folder,
/// opened (and locked) as soon as the configuration names the output.
struct StreamTo<'a> {
    /// The sources the output must never replace.
    source_root: &'a std::path::Path,
    force: bool,
}

/// [`render_site_with`], streaming the generated files into the output's
/// staging folder as they are rendered when `stream` says where, so that a
/// build's memory does not grow with the size of its output.
fn render_into(
    options: &BuildOptions,
    previous_history: Option<&History>,
    stream: Option<StreamTo<'_>>,
) -> Result<(Option<Site>, Report), Error> {
    let diags = Diagnostics::new();
    let mut timer = Timer::new();
    let Some(config) = load_config(options, &diags)? else {
        return Ok((None, report(&diags, None, timer)));
    };
    let staging = match stream {
        Some(to) => {
            let write_options = output::WriteOptions {
                root: to.source_root,
                force: to.force,
                keep_dotfiles: config.preserve_dotfiles_in_output,
            };
            let staging = output::Staging::open(&config.output_path(), write_options)
                .map_err(|e| Error::Write(Box::new(e)))?;
            Some(Arc::new(staging))
        }
        None => None,
    };
    timer.lap("config");
    let settings = governance::Settings::from_config(&config, &diags);
    let Some(tree) = load_content(options, &config, &settings, &diags) else {
        return Ok((None, report(&diags, None, timer)));
    };
    timer.lap("content");
    let history_options = crate::history::options(&config, &diags);
    let mut history = read_history(options, &config, &history_options, previous_history, &diags);
    withhold::commit_messages(
        &config,
        &tree,
        &mut history,
        history_options.withhold_authors,
    );
    timer.lap("history");
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let options_gov = GovOptions { today };
    let model = Arc::new(governance::build(
        &config,
        &settings,
        &tree,
        &history,
        &options_gov,
        &diags,
    ));
    timer.lap("governance");
    let Some(mut renderer) = Renderer::new(&config, &tree, &model, options.mode.as_str(), &diags)
    else {
        return Ok((None, report(&diags, Some(&tree), timer)));
    };
    timer.lap("templates");
    let rendered = renderer.render_bodies(&config, &tree, &diags);
    check::links::check_site(&config, &tree, &|i| rendered.links_and_anchors(i), &diags);
    timer.lap("markdown and links");
    let input = SiteInput {
        config: &config,
        tree: &tree,
        rendered: &rendered,
        model: &model,
        history: &history,
    };
    // Zola makes Sass and the search index before any page (templates
    // may hash them); a page at the same output path wins. The handbook's
    // own index reads only the Markdown bodies, and pagefind parses pages
    // one at a time: it is built on a thread of its own while the pages
    // render, unless a template could hash one of its files.
    // `check` writes nothing, and the handbook's index is the costly one
    // (pagefind parses every page): only Zola's is made there, as Zola does.
    let beside = options.mode != Mode::Check && !renderer.may_hash_search_files();
    let first = if beside || options.mode == Mode::Check {
        Searches::Zola
    } else {
        Searches::Both
    };
    let mut generated = sass_and_search(&config, &tree, &rendered, &model, first, &diags);
    timer.lap("sass and search");
    let out = match &staging {
        Some(staging) => OutputSet::streaming_into(staging.clone()),
        None => OutputSet::default(),
    };
    let (mut out, handbook_index) = std::thread::scope(|scope| {
        let index = beside.then(|| {
            scope.spawn(|| {
                let mut files = OutputSet::default();
                add_search(
                    &config,
                    &tree,
                    &rendered,
                    &model,
                    Searches::Handbook,
                    &diags,
                    &mut files,
                );
                files
            })
        });
        let out = renderer.render_site(&input, &generated, out, &diags);
        (out, index.map(|i| i.join()))
    });
    match handbook_index {
        Some(Ok(files)) => generated.files.extend(files.files),
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        None => {}
    }
    for (path, file) in generated.files {
        out.files.entry(path).or_insert(file);
    }
    timer.lap("render");
    if options.mode != Mode::Check {
        renderer.process_images(&config, &mut out, &diags);
        timer.lap("images");
    }
    output::static_files::collect(&config, &mut out, &diags);
    withhold::review_data(&tree, &model, &mut out);
    renderer.keep_outputs_of(&out);
    timer.lap("static files");
    let mut report = report(&diags, Some(&tree), timer);
    report.review_report = model.check_report();
    if report.has_errors() {
        return Ok((None, report));
    }
    let output = Arc::new(out);
    let site = Site {
        config,
        tree,
        rendered,
        output,
        history,
        model,
        renderer,
        staging,
    };
    Ok((Some(site), report))
}

/// The configuration with the command line's overrides; `None` when it
/// has errors (in `diags`).
fn load_config(options: &BuildOptions, diags: &Diagnostics) -> Result<Option<Config>, Error> {
    let mut config = match config::load(&options.root, options.config_file.as_deref(), diags) {
        Ok(c) => c,
        Err(config::Error::Invalid) => return Ok(None),
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
            return Ok(None);
        }
        config.set_base_url(url);
    }
    if let Some(dir) = &options.output_dir {
        config.output_dir = dir.clone();
    }
    Ok(Some(config))
}

/// The content tree, without what the build's audience may not read (every
/// page's and section's audience and classification are checked first);
/// `None` when the audience is unknown.
fn load_content(
    options: &BuildOptions,
    config: &Config,
    settings: &governance::Settings,
    diags: &Diagnostics,
) -> Option<ContentTree> {
    let filter = match &options.audience {
        Some(a) => Some(governance::AudienceFilter::new(settings, a, diags)?),
        None => None,
    };
    let loaded = content::read(config, options.drafts, diags);
    let withheld = governance::review_confidentiality(settings, &loaded, filter.as_ref(), diags);
    Some(content::link(config, loaded, withheld, diags))
}

/// The site's git history: none for a point-in-time copy (its history was
/// used to make it), the previous build's while `HEAD` has not moved, else
/// read now.
fn read_history(
    options: &BuildOptions,
    config: &Config,
    history_options: &crate::history::HistoryOptions,
    previous: Option<&History>,
    diags: &Diagnostics,
) -> History {
    let mut history = if options.as_of.is_some() {
        History::empty()
    } else if let Some(previous) = previous.filter(|h| h.is_current()) {
        let mut history = previous.clone();
        history.refresh_work_tree(&config.root);
        history
    } else {
        crate::history::collect(&config.root, history_options, diags)
    };
    history.ignore_subjects(history_options.ignore_regex());
    history
}

/// Sass and the search indexes `searches` names. Zola writes both before
/// the pages, so a page at the same output path wins.
fn sass_and_search(
    config: &Config,
    tree: &ContentTree,
    rendered: &RenderedContent,
    model: &governance::Model,
    searches: Searches,
    diags: &Diagnostics,
) -> OutputSet {
    let mut assets = OutputSet::default();
    output::sass::compile(config, diags, &mut assets);
    add_search(config, tree, rendered, model, searches, diags, &mut assets);
    assets
}

/// Which search indexes [`add_search`] makes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Searches {
    /// Zola's (`build_search_index`).
    Zola,
    /// The handbook's own (`[handbook.search]`).
    Handbook,
    Both,
}

/// The search indexes the config asks for, of those `searches` names.
fn add_search(
    config: &Config,
    tree: &ContentTree,
    rendered: &RenderedContent,
    model: &governance::Model,
    searches: Searches,
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
    if searches != Searches::Handbook {
        search::write_index(&input, diags, assets);
    }
    if searches != Searches::Zola {
        search::pagefind::write_index(&input, model, diags, assets);
    }
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
        visible_content: tree
            .filter(|t| t.withheld.audience.is_some())
            .map(withhold::visible_content),
    }
}

/// Gives the threads that render pages (rayon's global pool) stacks large
/// enough that a render never grows its own; without this every page
/// render maps and unmaps a stack. Call once, before the first build; a
/// pool already built is left as it is.
pub fn configure_render_threads() {
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(Renderer::THREAD_STACK)
        .build_global();
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
    // A point-in-time build labels every page after rendering, so it keeps
    // its pages in memory; any other build streams them to disk.
    let stream = options.as_of.is_none().then_some(StreamTo {
        source_root: &source_root,
        force: options.force,
    });
    let (site, mut report) = render_into(&options, None, stream)?;
    let Some(mut site) = site else {
        return Ok(report);
    };
    if let Some(date) = options.as_of {
        let banner = as_of::Banner(as_of::banner(date, &site.config.default_language));
        passes::apply_to_pages(Arc::make_mut(&mut site.output), &[&banner]);
    }
    let start = Instant::now();
    let Site {
        config,
        output: files,
        staging,
        tree,
        rendered,
        history,
        model,
        renderer,
    } = site;
    // Freeing a large site's pages, views and templates takes a while and
    // nothing below needs them: it happens beside the write (and not at
    // all when the process ends first).
    std::thread::spawn(move || drop((tree, rendered, history, model, renderer)));
    let out = config.output_path();
    let written = match &staging {
        Some(staging) => staging.finish(&files),
        None => {
            let write_options = output::WriteOptions {
                root: &source_root,
                force: options.force,
                keep_dotfiles: config.preserve_dotfiles_in_output,
            };
            output::write(&files, &out, write_options)
        }
    };
    written.map_err(|e| Error::Write(Box::new(e)))?;
    report
        .timings
        .push(Stage::finished("write", start.elapsed()));
    report.written = Some(out);
    Ok(report)
}
