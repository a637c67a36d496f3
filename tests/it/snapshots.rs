//! Exact output where it matters, as insta snapshots (`cargo insta review`
//! after an intended change): the identification block of a governing
//! document, and the located diagnostics of a broken site. Sites are built
//! outside any git repository, so no history or date of today gets in.

use crate::common::TestSite;
use std::path::Path;

/// Copies the bundled handbook (config, content, theme, static files)
/// into `site`, so a test adds only the document it looks at.
fn with_bundled_handbook(site: &TestSite) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "themes/handbok", "static"] {
        let from = repo.join(dir);
        for entry in walkdir::WalkDir::new(&from).into_iter().flatten() {
            let rel = entry.path().strip_prefix(&from).expect("under the folder");
            let to = site.root.join(dir).join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("create folder");
            } else {
                std::fs::copy(entry.path(), &to).expect("copy file");
            }
        }
    }
    let config = std::fs::read_to_string(repo.join("config.toml")).expect("the bundled config");
    site.write("config.toml", &config);
}

const DOCUMENT: &str = r#"+++
title = "Rutin för incidenter"
[extra]
kind = "rutin"
doc_id = "UTB-RUT-009"
version = "2.1"
status = "gällande"
owner = "isam"
approved_by = "isam"
approved = 2026-01-15
valid_from = 2026-02-01
last_reviewed = 2026-01-15
review_interval = "P1Y"
classification = { k = 1, r = 2, t = 1 }

[[extra.responsibilities]]
role = "isam"
duty = "Följer upp varje rapporterad incident."
+++
Rapportera incidenten till ISAM samma dag.
"#;

#[test]
fn a_governing_document_shows_its_identification_block() {
    let site = TestSite::outside_any_repository();
    with_bundled_handbook(&site);
    site.write("content/styrdokument/rutin-for-incidenter.md", DOCUMENT);
    let run = site.run_cli(&["build", "--today", "2026-06-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.output("styrdokument/rutin-for-incidenter/index.html");
    let start = html
        .find("<section class=\"id-block\"")
        .expect("an identification block");
    let end = start + html[start..].find("</section>").expect("closed") + "</section>".len();
    insta::assert_snapshot!(&html[start..end]);
}

#[test]
fn a_broken_site_reports_each_problem_at_its_file_line_and_column() {
    let site = TestSite::outside_any_repository();
    site.write("config.toml", "base_url = \"https://example.org\"\n");
    site.write(
        "templates/page.html",
        "<main>{{ page.content | safe }}</main>",
    );
    site.write(
        "templates/section.html",
        "<main>{{ section.content | safe }}</main>",
    );
    site.write(
        "templates/index.html",
        "<main>{{ section.content | safe }}</main>",
    );
    site.write(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\nSe [B](@/b.md#saknas) och [C](@/c.md).\n",
    );
    site.write("content/b.md", "+++\ntitle = \"B\"\n+++\n## Rubrik\n");
    site.write("content/trasig.md", "+++\ntitle = \"Trasig\n+++\nText\n");
    let run = site.run_cli(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}
