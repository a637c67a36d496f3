//! The plain text form of diagnostics: the contract for CI and tests.
//! `file:line:col: error[code]: message` then `  = help: …`.

use super::{Diagnostic, Severity};

/// Renders diagnostics in the plain, greppable format, one block each.
pub fn render_plain(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let location = match (&d.file, d.position) {
            (Some(f), Some(p)) => format!("{}:{}:{}: ", f.display(), p.line, p.column),
            (Some(f), None) => format!("{}: ", f.display()),
            _ => String::new(),
        };
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "{location}{severity}[{}]: {}\n",
            d.code, d.message
        ));
        if let Some(help) = &d.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
    }
    out
}
