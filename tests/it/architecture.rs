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

/// The files of `src/render` that `file` imports (`super::x` or
/// `crate::render::x`), by file stem.
fn render_imports(text: &str) -> std::collections::BTreeSet<String> {
    let re = regex::Regex::new(r"(?:super|crate::render)::\{?([a-z_]+)").expect("valid regex");
    let group = regex::Regex::new(r"super::\{([^}]*)\}").expect("valid regex");
    let mut found = std::collections::BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for cap in re.captures_iter(line) {
            found.insert(cap[1].to_string());
        }
        for cap in group.captures_iter(line) {
            for name in cap[1].split(',') {
                let name = name.trim().split("::").next().unwrap_or("").trim();
                if !name.is_empty() {
                    found.insert(name.to_string());
                }
            }
        }
    }
    found
}

#[test]
fn render_files_import_each_other_in_one_direction() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render");
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        // mod.rs declares every file and dispatches to them: it is the top.
        if stem == "mod" || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let siblings = render_imports(&text)
            .into_iter()
            .filter(|n| n != stem && dir.join(format!("{n}.rs")).is_file())
            .collect();
        graph.insert(stem.to_string(), siblings);
    }
    assert!(graph.len() > 10, "the render files were not found");
    // Depth-first search for a cycle, reporting the path that closes it.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, Vec<String>>,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = std::collections::BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, &graph, &mut Vec::new(), &mut done) {
            panic!(
                "render files import each other in a circle: {}",
                cycle.join(" -> ")
            );
        }
    }
}

#[test]
fn the_pipeline_names_few_render_items_and_no_markdown() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pipeline"),
        &mut files,
    );
    let re = regex::Regex::new(r"crate::render::(\{[^}]*\}|[A-Za-z_]+)").expect("valid regex");
    let mut names = std::collections::BTreeSet::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        assert!(
            !text.contains("crate::markdown"),
            "{} uses the Markdown stage directly; go through render",
            file.display()
        );
        for cap in re.captures_iter(&text) {
            for name in cap[1].trim_matches(|c| c == '{' || c == '}').split(',') {
                names.insert(name.trim().to_string());
            }
        }
    }
    let expected: std::collections::BTreeSet<String> = ["RenderedContent", "Renderer", "SiteInput"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(
        names, expected,
        "the pipeline should reach render only through these"
    );
}
