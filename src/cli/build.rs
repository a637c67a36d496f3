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
    for (stage, time) in &report.timings {
        tracing::debug!("{stage}: {:?}", time);
    }
    if args.timings {
        print_timings(&report.timings, start.elapsed())?;
    }
    writeln!(out, "Done in {}ms.", start.elapsed().as_millis())?;
    Ok(ExitCode::SUCCESS)
}

/// The stage table of `--timings`: where a build's time went, for an
/// author wondering why theirs is slow (and for benchmarks).
fn print_timings(timings: &[(&str, Duration)], total: Duration) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    let total_ms = total.as_secs_f64() * 1000.0;
    writeln!(err, "{:<18} {:>9} {:>6}", "stage", "ms", "share")?;
    for (stage, time) in timings {
        let ms = time.as_secs_f64() * 1000.0;
        let share = if total_ms > 0.0 {
            ms / total_ms * 100.0
        } else {
            0.0
        };
        writeln!(err, "{stage:<18} {ms:>9.1} {share:>5.1}%")?;
    }
    writeln!(err, "{:<18} {total_ms:>9.1} {:>5.1}%", "total", 100.0)?;
    if let Some(peak) = peak_memory_kib() {
        writeln!(err, "peak memory        {:>9.1} MiB", peak as f64 / 1024.0)?;
    }
    Ok(())
}

/// The process's peak resident memory, where the system tells it
/// (Linux's `VmHWM`); `None` elsewhere.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
