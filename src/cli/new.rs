//! `handbok new KIND "Titel" [--owner ROLE] [--section DIR]`: writes a new
//! governing document with the next free id. Loads the handbook through
//! the pipeline, asks `authoring` for the file, and writes it only if no
//! file is at that path; any problem is a diagnostic and nothing is written.

use super::{print_diagnostics, Cli};
use crate::authoring::{plan_new, NewRequest};
use crate::diagnostics::Diagnostic;
use crate::pipeline;
use chrono::Datelike;
use clap::Args;
use std::io::Write;
use std::process::ExitCode;

/// `handbok new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The document's kind, one of the handbook's kinds (policy, riktlinje, anvisning, rutin, plan, …)
    #[arg(value_name = "KIND")]
    pub kind: String,
    /// The document's title; the file name is made from it
    #[arg(value_name = "TITLE")]
    pub title: String,
    /// The role that owns the document (a role id); by default the usual owner of the kind
    #[arg(long, value_name = "ROLE")]
    pub owner: Option<String>,
    /// Folder under content/ to put it in; by default where documents of the kind are
    #[arg(long, value_name = "DIR")]
    pub section: Option<String>,
}

pub(super) fn run(cli: &Cli, args: &NewArgs) -> anyhow::Result<ExitCode> {
    let opts = super::authoring_options(cli);
    let (input, diagnostics) = pipeline::load_authoring_input(&opts)?;
    let Some(input) = input else {
        print_diagnostics(&diagnostics)?;
        return Ok(ExitCode::from(1));
    };
    let request = NewRequest {
        kind: args.kind.clone(),
        title: args.title.clone(),
        owner: args.owner.clone(),
        section: args.section.clone(),
        year: chrono::Local::now().year(),
    };
    let planned = match plan_new(&input.handbook, &request) {
        Ok(p) => p,
        Err(d) => {
            print_diagnostics(&[*d])?;
            return Ok(ExitCode::from(1));
        }
    };
    let display = format!("content/{}", planned.relative);
    let path = input.root.join(&display);
    if path.exists() {
        let d = Diagnostic::error(
            "authoring::file-exists",
            format!("`{display}` already exists; nothing was written"),
        )
        .in_file(&display)
        .with_help("choose another title, or edit the existing document");
        print_diagnostics(&[d])?;
        return Ok(ExitCode::from(1));
    }
    super::create_new_file(&path, &planned.text)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Created {display}: {} \"{}\", {}, owner {}, status utkast",
        args.kind, args.title, planned.doc_id, planned.owner
    )?;
    Ok(ExitCode::SUCCESS)
}
