//! `handbok build`.

use super::{options, print_diagnostics, print_summary, BuildArgs, Cli};
use crate::pipeline::{self, Mode};
use anyhow::Context;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

pub(super) fn run(cli: &Cli, args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let mut opts = options(cli, &args.common, Mode::Build);
    opts.base_url = args.base_url.clone();
    opts.output_dir = args.output_dir.clone();
    opts.force = args.force;
    opts.as_of = args.as_of;
    let report =
        pipeline::build(&opts).context("the build failed; the previous output is unchanged")?;
    print_diagnostics(&report.diagnostics)?;
    if report.has_errors() {
        let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
        writeln!(
            std::io::stderr(),
            "Error: {errors} error(s); nothing was written and the previous output is unchanged"
        )?;
        return Ok(ExitCode::from(1));
    }
    print_summary(&report)?;
    let mut out = std::io::stdout().lock();
    if let Some(dir) = &report.written {
        tracing::info!("wrote {}", dir.display());
    }
    for (stage, time) in &report.timings {
        tracing::debug!("{stage}: {:?}", time);
    }
    writeln!(out, "Done in {}ms.", start.elapsed().as_millis())?;
    Ok(ExitCode::SUCCESS)
}
