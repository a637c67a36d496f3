//! Enforces the allowed `use crate::` edges between modules (ARCHITECTURE.md),
//! since a single crate has no Cargo boundary to do it.

use std::collections::BTreeMap;
use std::path::Path;

fn allowed() -> BTreeMap<&'static str, &'static [&'static str]> {
    BTreeMap::from([
        ("diagnostics", &[][..]),
        ("config", &["diagnostics"][..]),
        ("content", &["diagnostics", "config"][..]),
        ("markdown", &["diagnostics", "config"][..]),
        ("history", &["diagnostics", "config"][..]),
        ("output", &["diagnostics", "config"][..]),
        (
            "governance",
            &["diagnostics", "config", "content", "history"][..],
        ),
        (
            "authoring",
            &["diagnostics", "config", "content", "governance"][..],
        ),
        (
            "render",
            &[
                "diagnostics",
                "config",
                "content",
                "history",
                "governance",
                "markdown",
                "output",
            ][..],
        ),
        (
            "search",
            &["diagnostics", "config", "content", "governance", "output"][..],
        ),
        (
            "check",
            &[
                "diagnostics",
                "config",
                "content",
                "markdown",
                "governance",
                "output",
            ][..],
        ),
        (
            "pipeline",
            &[
                "diagnostics",
                "config",
                "content",
                "history",
                "markdown",
                "governance",
                "render",
                "search",
                "output",
                "check",
                "authoring",
            ][..],
        ),
        (
            "serve",
            &["pipeline", "output", "config", "diagnostics"][..],
        ),
        (
            "cli",
            &[
                "pipeline",
                "serve",
                "check",
                "config",
                "diagnostics",
                "authoring",
            ][..],
        ),
    ])
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn modules_only_import_what_the_architecture_allows() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let re = regex::Regex::new(r"crate::([a-z_]+)").expect("valid regex");
    let mut violations = Vec::new();
    for (module, may) in allowed() {
        let mut files = Vec::new();
        let dir = src.join(module);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        }
        let single = src.join(format!("{module}.rs"));
        if single.is_file() {
            files.push(single);
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for (n, line) in text.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                for cap in re.captures_iter(line) {
                    let target = &cap[1];
                    if target != module && !may.contains(&target) {
                        violations.push(format!(
                            "{}:{}: `{module}` uses `crate::{target}`",
                            file.display(),
                            n + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "forbidden imports:\n{}",
        violations.join("\n")
    );
}
