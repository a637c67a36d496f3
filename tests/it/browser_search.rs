//! The browser test of the bundled handbook's search (tests/browser/
//! search.mjs): Swedish queries with their expected first results, filters,
//! a superseded document ranked last, and axe-core on the search page with
//! results at 1280 and 320 px, in Debian's headless Chromium.
//!
//! The site is a copy of the bundled handbook plus one older incident
//! instruction that the current one supersedes, so that the ranking of a
//! superseded document can be seen. Ignored by a plain `cargo test`, like
//! every browser test; `.ci/run` runs them with `--ignored`.

use crate::browser::tools;
use crate::common::TestSite;
use std::path::Path;
use std::process::Command;

/// An older incident instruction, superseded by the current one.
const SUPERSEDED: &str = r#"+++
title = "Anvisning för incidenthantering 2020"
description = "Den tidigare anvisningen för hur incidenter anmäls."

[extra]
kind = "anvisning"
doc_id = "UTB-ANV-090"
version = "0.9"
status = "upphävd"
owner = "isam"
audience = "alla"
+++

Incidenter anmäldes till förvaltningens servicedesk. Den här anvisningen om incidenter gäller inte längre.
"#;

#[test]
#[ignore = "drives headless Chromium (apt-get install chromium nodejs); run with --ignored"]
fn bundled_handbook_search_finds_filters_and_ranks_in_the_browser() {
    let tools = tools("the search browser tests");
    let s = TestSite::empty();
    for folder in ["content", "themes"] {
        s.copy_in(Path::new(folder), folder);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("config.toml"), s.root.join("config.toml")).expect("copy config");
    s.write("content/styrdokument/incidenthantering-2020.md", SUPERSEDED);
    let current = "content/styrdokument/incidenthantering.md";
    let text = std::fs::read_to_string(s.root.join(current)).expect("the incident instruction");
    s.write(
        current,
        &text.replacen(
            "related = [",
            "supersedes = [\"@/styrdokument/incidenthantering-2020.md\"]\nrelated = [",
            1,
        ),
    );
    let run = s.run_cli(&["build", "--today", "2026-11-29", "-o", "site"]);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    let out = Command::new("node")
        .args(["--test", "--test-concurrency=1", "search.mjs"])
        .env("HANDBOK_SITE", s.root.join("site"))
        .env("CHROMIUM", &tools.chromium)
        .current_dir(&tools.dir)
        .output()
        .expect("run node --test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The timing line, for the benchmark figures.
    for line in stdout
        .lines()
        .filter(|l| l.contains("time to first results"))
    {
        eprintln!("{}", line.trim_start_matches(['#', ' ']));
    }
    assert!(
        out.status.success(),
        "search browser tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
