//! `handbok build`.

use super::{options, print_diagnostics, print_summary, BuildArgs, Cli};
use crate::pipeline::{self, Mode};
use anyhow::Context;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

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
    for stage in &report.timings {
        tracing::debug!("{}: {:?}", stage.name, stage.took);
    }
    if args.timings {
        print_timings(&report.timings, start.elapsed())?;
    }
    writeln!(out, "Done in {}ms.", start.elapsed().as_millis())?;
    Ok(ExitCode::SUCCESS)
}

/// The stage table of `--timings`: where a build's time went, for an
/// author wondering why theirs is slow (and for benchmarks).
fn print_timings(timings: &[pipeline::Stage], total: Duration) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    let total_ms = total.as_secs_f64() * 1000.0;
    let mib =
        |kib: Option<u64>| kib.map_or("-".to_string(), |k| format!("{:.0}", k as f64 / 1024.0));
    writeln!(
        err,
        "{:<18} {:>9} {:>6} {:>12}",
        "stage", "ms", "share", "memory MiB"
    )?;
    for stage in timings {
        let ms = stage.took.as_secs_f64() * 1000.0;
        let share = if total_ms > 0.0 {
            ms / total_ms * 100.0
        } else {
            0.0
        };
        writeln!(
            err,
            "{:<18} {ms:>9.1} {share:>5.1}% {:>12}",
            stage.name,
            mib(stage.resident_kib)
        )?;
    }
    writeln!(
        err,
        "{:<18} {total_ms:>9.1} {:>5.1}% {:>12}",
        "total (peak)",
        100.0,
        mib(pipeline::peak_memory_kib())
    )?;
    Ok(())
}
