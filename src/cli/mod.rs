//! The command line, shaped like Zola's: global `-r/--root` and
//! `-c/--config`, then `build`, `check`, … Maps flags to
//! [`BuildOptions`], prints, and returns the exit status: 0 success,
//! 1 content errors, 2 operational failure. No domain logic here.

mod build;
mod check;
mod init;
mod init_handbook;
mod new;
mod review;
mod serve;

use crate::diagnostics::{render_plain, Diagnostic};
use crate::pipeline::{self, BuildOptions, Mode, Report};
use clap::{Args, Parser, Subcommand};
pub use init::InitArgs;
pub use new::NewArgs;
pub use review::ReviewArgs;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// handbok: a governance handbook from Markdown in git, as a Zola-compatible static site.
#[derive(Debug, Parser)]
#[command(name = "handbok", version, about, long_about = None)]
pub struct Cli {
    /// Directory to use as the site root (where config.toml and content/ are)
    #[arg(
        short = 'r',
        long,
        global = true,
        default_value = ".",
        value_name = "DIR"
    )]
    pub root: PathBuf,
    /// Configuration file to use instead of zola.toml or config.toml in the root
    #[arg(short = 'c', long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site: config.toml, content/, sass/, static/, templates/ and themes/ (with --handbook: a whole handbook)
    Init(InitArgs),
    /// Build the site into the output folder (public/ by default)
    Build(BuildArgs),
    /// Load and render the whole site without writing it, and report every problem
    Check(CheckArgs),
    /// Serve the site from memory with live reload, rebuilding when files change
    Serve(ServeArgs),
    /// Write a new governing document with the next free doc_id, status utkast
    New(NewArgs),
    /// Record a review or a new version in a document's front matter, then check it
    Review(ReviewArgs),
}

/// Flags shared by commands that render the site.
#[derive(Debug, Args, Clone)]
pub struct CommonArgs {
    /// Include pages and sections marked `draft = true`
    #[arg(long)]
    pub drafts: bool,
    /// Judge review dates against this date (YYYY-MM-DD) instead of today
    #[arg(long, value_name = "DATE")]
    pub today: Option<chrono::NaiveDate>,
    /// Build for one audience (e.g. alla, personal, chefer): documents it may not read are left out entirely
    #[arg(long, value_name = "AUDIENCE")]
    pub audience: Option<String>,
}

/// `handbok build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Base URL to use instead of the one in the config (such as `https://intranet.example/handbok`)
    #[arg(short = 'u', long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Output folder to write to instead of the config's output_dir
    #[arg(short = 'o', long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Replace the output folder even if handbok did not create it
    #[arg(short = 'f', long)]
    pub force: bool,
    /// Build the handbook as it stood on this date (YYYY-MM-DD), from its git history, labelled on every page
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<chrono::NaiveDate>,
    /// Print how long each stage took, and the peak memory, to stderr.
    #[arg(long)]
    pub timings: bool,
    /// Shared rendering flags
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `handbok serve` (Zola's flags).
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Interface to listen on (0.0.0.0 for every interface)
    #[arg(short = 'i', long, default_value = "127.0.0.1", value_name = "IP")]
    pub interface: std::net::IpAddr,
    /// Port to listen on; 0 picks a free one
    #[arg(short = 'p', long, default_value_t = 1111)]
    pub port: u16,
    /// Base URL: a full URL, or a host name to which the port is added [default: http://INTERFACE:PORT]
    #[arg(short = 'u', long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Output folder, for Zola compatibility: serve writes nothing, and the watcher ignores this folder
    #[arg(short = 'o', long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Open the site in the default web browser (best effort)
    #[arg(short = 'O', long)]
    pub open: bool,
    /// Milliseconds without file events before a rebuild starts
    #[arg(short = 'd', long, default_value_t = 50, value_name = "MS")]
    pub debounce: u64,
    /// Shared rendering flags
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `handbok check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Treat warnings as errors (exit 1 if there are any), for CI gates
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also request every external link (10 s timeout, one request per host every 0.5 s)
    #[arg(long)]
    pub external: bool,
    /// Zola's flag, accepted: external links are skipped unless --external is given
    #[arg(long)]
    pub skip_external_links: bool,
    /// Shared rendering flags
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Parses arguments, runs the command and gives the exit status.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_logging();
    pipeline::configure_render_threads();
    let result = match &cli.command {
        Command::Build(args) => build::run(&cli, args),
        Command::Check(args) => check::run(&cli, args),
        Command::Init(args) => init::run(args),
        Command::Serve(args) => serve::run(&cli, args),
        Command::New(args) => new::run(&cli, args),
        Command::Review(args) => review::run(&cli, args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            let mut msg = format!("Error: {e}");
            for cause in e.chain().skip(1) {
                msg.push_str(&format!("\nReason: {cause}"));
            }
            eprintln!("{msg}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    use std::io::IsTerminal;
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .without_time()
        .try_init();
}

/// Options common to every rendering command.
fn options(cli: &Cli, common: &CommonArgs, mode: Mode) -> BuildOptions {
    BuildOptions {
        root: cli.root.clone(),
        config_file: cli.config.clone(),
        drafts: common.drafts,
        today: common.today,
        audience: common.audience.clone(),
        mode,
        ..BuildOptions::default()
    }
}

/// Prints diagnostics to stderr in the plain `file:line:col` format.
/// Creates `path` (and its folders) with `text`; never overwrites, even
/// should the file appear in the meantime.
fn create_new_file(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create `{}`", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("could not create `{}`", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("could not write `{}`", path.display()))?;
    Ok(())
}

/// The handbook `new` and `review` work on, as `-r` and `-c` give it.
fn authoring_options(cli: &Cli) -> BuildOptions {
    BuildOptions {
        root: cli.root.clone(),
        config_file: cli.config.clone(),
        ..BuildOptions::default()
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) -> std::io::Result<()> {
    if diagnostics.is_empty() {
        return Ok(());
    }
    let mut err = std::io::stderr().lock();
    err.write_all(render_plain(diagnostics).as_bytes())
}

/// The closing summary line, as Zola prints it.
fn print_summary(report: &Report) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "-> Creating {} pages ({} orphan) and {} sections",
        report.pages, report.orphans, report.sections
    )
}
