//! `handbok review FILE --by ROLE [--version X --summary "…"] [--date D]
//! [--dry-run]`: records a review (or a new version) in a document's front
//! matter through `authoring`, prints the change as a diff, writes it
//! (unless `--dry-run`), then checks the handbook and reports the
//! document's own diagnostics, located. Nothing is written on an error.

use super::{print_diagnostics, Cli};
use crate::authoring::{apply_review, ReviewRequest};
use crate::pipeline::{self, BuildOptions, Mode};
use anyhow::Context;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `handbok review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The document (a Markdown file under content/)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The role that reviewed or approved it (a role id)
    #[arg(long, value_name = "ROLE")]
    pub by: String,
    /// Approve a new version (sets version, approved, approved_by)
    #[arg(long = "version", value_name = "X")]
    pub new_version: Option<String>,
    /// What changed, for the change log
    #[arg(long, value_name = "TEXT")]
    pub summary: Option<String>,
    /// The day of the review (YYYY-MM-DD); today by default
    #[arg(long, value_name = "DATE")]
    pub date: Option<chrono::NaiveDate>,
    /// Print the change as a diff and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub(super) fn run(cli: &Cli, args: &ReviewArgs) -> anyhow::Result<ExitCode> {
    let opts = super::authoring_options(cli);
    let (input, diagnostics) = pipeline::load_authoring_input(&opts)?;
    let Some(input) = input else {
        print_diagnostics(&diagnostics)?;
        return Ok(ExitCode::from(1));
    };
    let path = locate_file(&args.file, &input.root);
    let root = input
        .root
        .canonicalize()
        .unwrap_or_else(|_| input.root.clone());
    let display = path
        .strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.clone());
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("could not read `{}`", path.display()))?;
    let request = ReviewRequest {
        by: args.by.clone(),
        version: args.new_version.clone(),
        summary: args.summary.clone(),
        date: args
            .date
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
    };
    let result = match apply_review(&input.handbook, &display, &text, &request) {
        Ok(r) => r,
        Err(d) => {
            print_diagnostics(&[*d])?;
            return Ok(ExitCode::from(1));
        }
    };
    let name = display.display().to_string();
    let diff = similar::TextDiff::from_lines(&text, &result.text)
        .unified_diff()
        .context_radius(2)
        .header(&name, &name)
        .to_string();
    let mut out = std::io::stdout().lock();
    out.write_all(diff.as_bytes())?;
    if args.dry_run {
        writeln!(out, "Dry run: {name} was not changed")?;
        return Ok(ExitCode::SUCCESS);
    }
    std::fs::write(&path, &result.text)
        .with_context(|| format!("could not write `{}`", path.display()))?;
    writeln!(out, "Recorded in {name}:")?;
    for change in &result.changes {
        writeln!(out, "  {change}")?;
    }
    drop(out);
    check_document(cli, &display)
}

/// FILE as given, else relative to the site root.
fn locate_file(file: &Path, root: &Path) -> PathBuf {
    if file.exists() || file.is_absolute() {
        return file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
    }
    let under_root = root.join(file);
    under_root.canonicalize().unwrap_or(under_root)
}

/// Checks the whole handbook and reports the diagnostics of the document.
fn check_document(cli: &Cli, display: &Path) -> anyhow::Result<ExitCode> {
    let opts = BuildOptions {
        root: cli.root.clone(),
        config_file: cli.config.clone(),
        mode: Mode::Check,
        ..BuildOptions::default()
    };
    let (_, report) = pipeline::render_site(&opts)?;
    let own: Vec<_> = report
        .diagnostics
        .into_iter()
        .filter(|d| d.file.as_deref() == Some(display))
        .collect();
    print_diagnostics(&own)?;
    let errors = own.iter().filter(|d| d.is_error()).count();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}: {errors} error(s), {} warning(s)",
        display.display(),
        own.len() - errors
    )?;
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
