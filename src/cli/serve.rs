//! `handbok serve`: maps the flags to [`ServeOptions`], runs the server on
//! a thread, prints the address and one line per rebuild, and stops it on
//! Ctrl-C.

use super::{options, print_diagnostics, Cli, ServeArgs};
use crate::pipeline::Mode;
use crate::serve::{self, BuildLog, Event, ServeOptions};
use anyhow::Context;
use std::io::Write;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

pub(super) fn run(cli: &Cli, args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let mut build = options(cli, &args.common, Mode::Serve);
    build.output_dir = args.output_dir.clone();
    let (events_tx, events) = mpsc::channel();
    let options = ServeOptions {
        build,
        interface: args.interface,
        port: args.port,
        base_url: args.base_url.clone(),
        debounce: Duration::from_millis(args.debounce),
        events: Some(events_tx),
        ..ServeOptions::default()
    };
    let (ready_tx, ready) = mpsc::channel();
    let (stop_tx, stop) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .context("cannot catch Ctrl-C")?;
    writeln!(std::io::stdout(), "Building site...")?;
    let server = std::thread::spawn(move || serve::run(options, ready_tx, stop));
    let mut printer = Printer::default();
    // The first build's log comes before the address.
    let mut ready_addr = None;
    for event in &events {
        printer.print(&event)?;
        if ready_addr.is_none() {
            if let Ok(addr) = ready.recv() {
                ready_addr = Some(addr);
                announce(addr, args)?;
            }
        }
    }
    match server.join() {
        Ok(result) => result.context("handbok serve stopped")?,
        Err(_) => anyhow::bail!("the server thread panicked"),
    }
    writeln!(std::io::stdout(), "Stopped.")?;
    Ok(ExitCode::SUCCESS)
}

fn announce(addr: std::net::SocketAddr, args: &ServeArgs) -> anyhow::Result<()> {
    let url = serve_url(addr);
    let mut out = std::io::stdout().lock();
    writeln!(out, "Web server is available at {url} (bound to {addr})")?;
    writeln!(out, "Listening for changes; press Ctrl+C to stop")?;
    drop(out);
    if args.open {
        open_browser(&url);
    }
    Ok(())
}

/// The address to browse to (an unspecified interface is shown as loopback).
fn serve_url(addr: std::net::SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("http://127.0.0.1:{}/", addr.port())
    } else {
        format!("http://{addr}/")
    }
}

/// Best effort: a browser that does not start is no reason to stop.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match cmd.spawn() {
        // Reap the opener so that it leaves no zombie behind.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => tracing::warn!("could not open a browser: {e}"),
    }
}

/// Prints builds; warnings only when they differ from the last ones shown.
#[derive(Default)]
struct Printer {
    warnings: Vec<crate::diagnostics::Diagnostic>,
}

impl Printer {
    fn print(&mut self, event: &Event) -> anyhow::Result<()> {
        match event {
            Event::WatchError(e) => {
                writeln!(std::io::stderr(), "Warning: watching the files: {e}")?;
            }
            Event::Built(log) => self.built(log)?,
        }
        Ok(())
    }

    fn built(&mut self, log: &BuildLog) -> anyhow::Result<()> {
        let warnings: Vec<_> = log
            .diagnostics
            .iter()
            .filter(|d| !d.is_error())
            .cloned()
            .collect();
        let errors: Vec<_> = log
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        if !log.trigger.is_empty() {
            let now = chrono::Local::now().format("%H:%M:%S");
            writeln!(
                std::io::stdout(),
                "Change detected @ {now}: {}",
                log.trigger.join(", ")
            )?;
        }
        if warnings != self.warnings && log.strategy == "full" {
            print_diagnostics(&warnings)?;
            self.warnings = warnings;
        }
        let ms = log.took.as_millis();
        if !errors.is_empty() {
            print_diagnostics(&errors)?;
            writeln!(
                std::io::stderr(),
                "Error: {} error(s) in {ms} ms; still serving the last good build",
                errors.len()
            )?;
            return Ok(());
        }
        let (pages, orphans, sections) = log.counts;
        if log.trigger.is_empty() {
            writeln!(
                std::io::stdout(),
                "-> Creating {pages} pages ({orphans} orphan) and {sections} sections\nDone in {ms} ms."
            )?;
        } else {
            writeln!(
                std::io::stdout(),
                "Rebuilt ({}) in {ms} ms: {} output(s) rendered, {} changed",
                log.strategy,
                log.rendered,
                log.changed.len()
            )?;
        }
        Ok(())
    }
}
