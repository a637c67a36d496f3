//! Change history from git: history pages with diffs, recent
//! changes and their feed, `page.updated` from commits, point-in-time
//! builds, and a site outside git still building.

use crate::common::{git, TestSite};

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

/// A handbook started with `init --handbook` whose incident instruction
/// goes through three versions, with the commit messages a real ISAM
/// would write: a trailer for readers, an editorial fix without one.
fn three_versions() -> TestSite {
    // Outside any repository, so `init --handbook` makes one of its own
    // (inside the project's, as under CI, it would not).
    let s = TestSite::outside_any_repository();
    let run = s.run_cli(&["init", "--handbook", ".", "--base-url", "/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = "content/styrdokument/incidenthantering.md";
    let v1 = "+++\ntitle = \"Incidentanvisning\"\n\n[extra]\nkind = \"anvisning\"\ndoc_id = \"UTB-ANV-001\"\nversion = \"1.0\"\nstatus = \"gällande\"\nowner = \"isam\"\napproved_by = \"forvaltningschef\"\napproved = 2025-01-15\nlast_reviewed = 2025-01-15\naudience = \"alla\"\n\n[[extra.changes]]\nversion = \"1.0\"\ndate = 2025-01-15\nsummary = \"Första fastställda version.\"\napproved_by = \"forvaltningschef\"\nkind = \"major\"\n+++\n\n## Om du upptäcker en incident\n\nAnmäl incidenten till ISAM samma dag.\n\nBeskriv vad som hänt.\n";
    s.write(doc, v1);
    git(&s, &["add", "."], "2025-01-15T10:00:00+01:00");
    git(
        &s,
        &[
            "commit",
            "-q",
            "-m",
            "Engine skeleton: config, content tree",
        ],
        "2025-01-15T10:00:00+01:00",
    );
    let review = |version: &str, summary: &str, date: &str| {
        let run = s.run_cli(&[
            "review",
            doc,
            "--by",
            "forvaltningschef",
            "--version",
            version,
            "--summary",
            summary,
            "--date",
            date,
        ]);
        assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    };
    review("1.1", "Anmälan inom en timme.", "2025-06-01");
    let text = std::fs::read_to_string(s.root.join(doc)).expect("doc");
    s.write(doc, &text.replace("samma dag.", "inom en timme.\n\n"));
    git(
        &s,
        &[
            "commit",
            "-q",
            "-am",
            "Tighten reporting\n\nÄndring: Incidenter anmäls inom en timme.",
        ],
        "2025-06-01T09:00:00+02:00",
    );
    let text = std::fs::read_to_string(s.root.join(doc)).expect("doc");
    s.write(
        doc,
        &text.replace("Beskriv vad som hänt.", "Beskriv vad som har hänt."),
    );
    git(
        &s,
        &["commit", "-q", "-am", "fix wording in incident doc"],
        "2025-07-01T09:00:00+02:00",
    );
    review(
        "2.0",
        "Ny process för personuppgiftsincidenter.",
        "2026-02-01",
    );
    let text = std::fs::read_to_string(s.root.join(doc)).expect("doc");
    s.write(
        doc,
        &format!("{text}\n## Personuppgiftsincidenter\n\nKontakta också DSO.\n"),
    );
    git(
        &s,
        &[
            "commit",
            "-q",
            "-am",
            "Refactor incident page\n\nÄndring: Personuppgiftsincidenter anmäls också till DSO.",
        ],
        "2026-02-01T09:00:00+01:00",
    );
    s
}

#[test]
fn the_history_page_leads_with_versions_their_text_changes_and_fields_in_words() {
    let s = three_versions();
    s.build();
    let page = s.main_html("styrdokument/incidenthantering/historik/index.html");
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing: {page}"))
    };
    assert!(
        at("Version 2.0</h3>") < at("Version 1.1</h3>")
            && at("Version 1.1</h3>") < at("Version 1.0</h3>"),
        "three versions, newest first: {page}"
    );
    let v2 = &page[at("Version 2.0</h3>")..at("Version 1.1</h3>")];
    assert!(
        v2.contains("Ny process för personuppgiftsincidenter."),
        "{v2}"
    );
    assert!(v2.contains("Ändringar sedan version 1.1"), "{v2}");
    assert!(
        v2.contains(
            "<ins><span class=\"visually-hidden\">Tillagt: </span>Kontakta också DSO.</ins>"
        ),
        "{v2}"
    );
    assert!(
        !v2.contains("samma dag"),
        "only the changes since 1.1: {v2}"
    );
    let v11 = &page[at("Version 1.1</h3>")..at("Version 1.0</h3>")];
    assert!(
        v11.contains("<del><span class=\"visually-hidden\">Borttaget: </span>samma dag.</del>"),
        "{v11}"
    );
    assert!(
        v11.contains("<ins><span class=\"visually-hidden\">Tillagt: </span>inom en timme.</ins>"),
        "{v11}"
    );
    assert!(
        v11.contains("Senast granskat: 2025-01-15 <span aria-hidden=\"true\">→</span><span class=\"visually-hidden\"> ändrat till</span> 2025-06-01"),
        "fields in words: {v11}"
    );
    assert!(
        v11.contains("Version: 1.0 <span aria-hidden=\"true\">→</span>"),
        "{v11}"
    );
    assert!(!page.contains("last_reviewed ="), "no raw TOML: {page}");
    assert!(!page.contains("[[extra.changes]]"), "no raw TOML: {page}");
    assert!(
        !page.contains("Tillagt: </span></ins>"),
        "a blank line is not a change: {page}"
    );
    assert!(page.contains("Den första versionen."), "{page}");
}

#[test]
fn readers_see_only_trailers_where_the_handbook_says_so() {
    let s = three_versions();
    s.build();
    let history = s.output("styrdokument/incidenthantering/historik/index.html");
    let changes = s.output("andringar/index.html");
    let feed = s.output("andringar/atom.xml");
    for subject in [
        "Engine skeleton",
        "Tighten reporting",
        "fix wording",
        "Refactor incident page",
    ] {
        for (name, text) in [
            ("history", &history),
            ("changes", &changes),
            ("feed", &feed),
        ] {
            assert!(
                !text.contains(subject),
                "`{subject}` shown on the {name} page"
            );
        }
    }
    assert!(
        history.contains("Incidenter anmäls inom en timme."),
        "{history}"
    );
    assert!(history.contains("Redaktionell ändring"), "{history}");
    assert!(
        changes.contains("Personuppgiftsincidenter anmäls också till DSO."),
        "{changes}"
    );
    assert!(changes.contains("Redaktionell ändring"), "{changes}");
}

#[test]
fn every_subject_is_shown_when_the_handbook_asks_for_all() {
    let s = three_versions();
    let config = std::fs::read_to_string(s.root.join("config.toml")).expect("config");
    s.write(
        "config.toml",
        &config.replace("messages = \"trailer\"", "messages = \"all\""),
    );
    s.build();
    let history = s.output("styrdokument/incidenthantering/historik/index.html");
    assert!(history.contains("fix wording in incident doc"), "{history}");
    assert!(!history.contains("Redaktionell ändring"), "{history}");
}

#[test]
fn history_breadcrumbs_lead_through_the_section_and_the_document() {
    let s = three_versions();
    s.build();
    let html = s.output("styrdokument/incidenthantering/historik/index.html");
    let crumbs = &html[html.find("class=\"breadcrumbs\"").expect("breadcrumbs")..];
    let crumbs = &crumbs[..crumbs.find("</nav>").expect("end of the breadcrumbs")];
    let at = |needle: &str| {
        crumbs
            .find(needle)
            .unwrap_or_else(|| panic!("{needle}: {crumbs}"))
    };
    assert!(at(">Start</a>") < at(">Styrdokument</a>"));
    assert!(at(">Styrdokument</a>") < at(">Incidentanvisning</a>"));
    assert!(at(">Incidentanvisning</a>") < at("aria-current=\"page\">Historik</span>"));
}
