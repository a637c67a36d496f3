//! Change history from git (issue #6): history pages with diffs, recent
//! changes and their feed, `page.updated` from commits, point-in-time
//! builds, and a site outside git still building.

use crate::common::TestSite;
use std::process::Command;

fn git(site: &TestSite, args: &[&str], date: &str) {
    let status = Command::new("git")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(&site.root)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env("GIT_AUTHOR_NAME", "Ida Isam")
        .env("GIT_AUTHOR_EMAIL", "isam@example.se")
        .env("GIT_COMMITTER_NAME", "Ida Isam")
        .env("GIT_COMMITTER_EMAIL", "isam@example.se")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?}");
}

const DOC_V1: &str = "+++\ntitle = \"Incidentrutin\"\n[extra]\nkind = \"rutin\"\ndoc_id = \"R-1\"\nversion = \"1.0\"\n+++\nISAM granskar rutinen årligen.\n";
const DOC_V2: &str = "+++\ntitle = \"Incidentrutin\"\n[extra]\nkind = \"rutin\"\ndoc_id = \"R-1\"\nversion = \"1.0\"\n+++\nISAM granskar rutinen varje år.\n";

fn site() -> TestSite {
    let s = TestSite::with_files(&[
        ("config.toml", "base_url = \"https://intra.example\"\ndefault_language = \"sv\"\n"),
        ("templates/page.html", "<html><body><main>{{ page.content | safe }}<p id=\"upd\">{{ page.updated }}</p>{% if governance.document %}<a href=\"{{ governance.document.history_url | safe }}\">Historik</a>{% endif %}</main></body></html>"),
        ("templates/index.html", "<html><body><main>start</main></body></html>"),
        ("content/_index.md", "+++\n+++\n"),
        ("content/rutin.md", DOC_V1),
    ]);
    git(&s, &["init", "-q"], "2025-01-01T10:00:00+01:00");
    git(&s, &["add", "."], "2025-01-01T10:00:00+01:00");
    git(
        &s,
        &["commit", "-q", "-m", "Första versionen av incidentrutinen"],
        "2025-01-01T10:00:00+01:00",
    );
    s.write("content/rutin.md", DOC_V2);
    git(
        &s,
        &["commit", "-q", "-am", "Förtydliga granskningen"],
        "2025-08-01T09:00:00+02:00",
    );
    s
}

#[test]
fn history_page_shows_commits_with_word_level_diffs() {
    let s = site();
    let run = s.build();
    assert!(!run.stderr.contains("history::"), "{}", run.stderr);
    let page = s.output("rutin/index.html");
    assert!(
        page.contains("<p id=\"upd\">2025-08-01</p>"),
        "updated from the last commit: {page}"
    );
    assert!(
        page.contains("https://intra.example/rutin/historik/"),
        "{page}"
    );
    let history = s.output("rutin/historik/index.html");
    assert!(
        history.contains("Förtydliga granskningen")
            && history.contains("Första versionen av incidentrutinen"),
        "{history}"
    );
    assert!(
        history.contains("<del><span class=\"visually-hidden\">Borttaget: </span>årligen.</del>"),
        "{history}"
    );
    assert!(
        history.contains("<ins><span class=\"visually-hidden\">Tillagt: </span>varje år.</ins>"),
        "{history}"
    );
    let changes = s.output("andringar/index.html");
    assert!(
        changes.find("Förtydliga").unwrap_or(usize::MAX)
            < changes.find("Första versionen").unwrap_or(0),
        "newest first: {changes}"
    );
    assert!(s.output("andringar/atom.xml").contains("<entry"));
}

#[test]
fn uncommitted_edits_are_flagged_not_fatal() {
    let s = site();
    s.write(
        "content/rutin.md",
        &DOC_V2.replace("varje år", "varje halvår"),
    );
    s.build();
    assert!(s
        .output("rutin/historik/index.html")
        .contains("inte är incheckade"));
}

#[test]
fn as_of_builds_the_handbook_as_it_stood_then() {
    let s = site();
    let run = s.run_cli(&["build", "--as-of", "2025-06-30"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = s.output("rutin/index.html");
    assert!(
        page.contains("årligen") && !page.contains("varje år"),
        "{page}"
    );
    assert!(
        page.contains("class=\"as-of-banner\"") && page.contains("30 juni 2025"),
        "{page}"
    );
    assert!(
        s.output("index.html").contains("as-of-banner"),
        "every page is labelled"
    );
    // Before the first commit there is no handbook to show: said plainly
    // (not as the errors of an empty site), and the output stays as it was.
    let run = s.run_cli(&["build", "--as-of", "2024-12-31"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[history::before-first-commit]: `--as-of 2024-12-31` is before the handbook's history"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("error[").count(), 1, "{}", run.stderr);
    assert!(s.output("rutin/index.html").contains("30 juni 2025"));
}

#[test]
fn a_site_outside_git_builds_with_a_warning() {
    // Outside the project's own repository, which holds the test folders.
    let s = TestSite::outside_any_repository();
    s.write("config.toml", "base_url = \"https://intra.example\"\n");
    s.write(
        "templates/page.html",
        "<main>{{ page.content | safe }}</main>",
    );
    s.write("content/a.md", "+++\ntitle = \"A\"\n+++\nHej");
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[history::not-a-repository]"),
        "{}",
        run.stderr
    );
}

#[test]
fn outside_git_only_documents_with_a_change_log_get_a_history_page() {
    let s = TestSite::outside_any_repository();
    s.write("config.toml", "base_url = \"https://intra.example\"\n");
    s.write(
        "templates/page.html",
        "<main>{{ page.content | safe }}|{% if governance.document.history_url %}{{ governance.document.history_url | safe }}{% endif %}</main>",
    );
    let doc = |id: &str, log: &str| {
        format!("+++\ntitle = \"{id}\"\n[extra]\nkind = \"rutin\"\ndoc_id = \"{id}\"\nversion = \"1.0\"\nstatus = \"utkast\"\n{log}+++\nText.\n")
    };
    s.write("content/utan.md", &doc("R-1", ""));
    s.write(
        "content/med.md",
        &doc(
            "R-2",
            "[[extra.changes]]\nversion = \"1.0\"\ndate = 2025-01-10\nsummary = \"Första versionen\"\n",
        ),
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!s.has_output("utan/historik/index.html"));
    assert!(!s.output("utan/index.html").contains("historik"));
    assert!(s
        .output("med/historik/index.html")
        .contains("Första versionen"));
    assert!(s
        .output("med/index.html")
        .contains("https://intra.example/med/historik/"));
}
