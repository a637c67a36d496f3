//! `handbok check`: everything `build` does except writing.

use super::{options, print_diagnostics, print_summary, CheckArgs, Cli};
use crate::pipeline::{self, Mode};
use std::io::Write;
use std::process::ExitCode;

pub(super) fn run(cli: &Cli, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let opts = options(cli, &args.common, Mode::Check);
    let (site, mut report) = pipeline::render_site(&opts)?;
    if let Some(site) = site.filter(|_| args.external && !args.skip_external_links) {
        pipeline::check_external_links(&site, &mut report);
    }
    print_diagnostics(&report.diagnostics)?;
    let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = report.diagnostics.len() - errors;
    print_summary(&report)?;
    let mut out = std::io::stdout().lock();
    if !report.review_report.is_empty() {
        writeln!(out, "Review status:\n{}", report.review_report.trim_end())?;
    }
    writeln!(out, "{errors} error(s), {warnings} warning(s)")?;
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
