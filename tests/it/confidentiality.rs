//! Confidentiality: a build for one audience leaves no trace of what that
//! audience may not read, in any output file or file name; odd and
//! misplaced audience values are located errors; the classification
//! ceiling stops every audience's build.
//!
//! The leak scan builds a copy of the bundled handbook (real theme, real
//! config, its own git history made here with fixed dates) with the
//! `confidentiality/overlay` fixture laid over it: a restricted page with
//! an untagged translation, a restricted section with a subsection, a
//! page and an attachment, a restricted bundle with attachments and an
//! untagged translation, duties of roles in both, a visible page linking
//! and referring to all of them, and a commit that touches both sides and
//! names the restricted one in its message.

use crate::common::{git, Run, TestSite};
use crate::search::{decompressed, index_text};
use std::path::Path;

/// Marker words of what only `chefer` may read (lower case; every title,
/// id, slug, path, sentence, duty, attachment and commit message of those
/// documents carries one).
const CHEFER_ONLY: &[&str] = &[
    "zetaxq",
    "zetaxqtag",
    "utb-plan-9901",
    "dutyxq",
    "inlinexq",
    "enxq",
    "omegaxq",
    "lonexq",
    "utb-rut-9902",
    "djupxq",
    "rhoxq",
    "krisvag",
];
/// Marker words of what `personal` (and `chefer`) may read, `alla` not.
const PERSONAL_AND_UP: &[&str] = &["sigmaxq", "utb-plan-9903"];

const DAY1: &str = "2026-01-10T10:00:00+01:00";
const DAY2: &str = "2026-02-10T10:00:00+01:00";
const DAY3: &str = "2026-03-10T10:00:00+01:00";

/// The bundled handbook, copied, with a search index turned on so that it
/// is scanned too.
fn bundled() -> TestSite {
    let s = TestSite::empty();
    for folder in ["content", "themes"] {
        s.copy_in(Path::new(folder), folder);
    }
    let config = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml"))
        .expect("the bundled config");
    s.write(
        "config.toml",
        &format!(
            "build_search_index = true\ntaxonomies = [{{ name = \"tags\", feed = true }}]\n{config}"
        ),
    );
    // Everything a template can read of the handbook, dumped on one page.
    s.write(
        "templates/dump.html",
        "{% set h = get_handbook() %}{% set root = get_section(path=\"_index.md\") %}{% set docs = get_section(path=\"styrdokument/_index.md\") %}{% set roles = get_section(path=\"roller/_index.md\") %}{% set intro = get_section(path=\"introduktion/_index.md\") %}<pre>{{ h | json_encode() }}{{ root | json_encode() }}{{ docs | json_encode() }}{{ roles | json_encode() }}{{ intro | json_encode() }}{{ page | json_encode() }}{% if governance %}{{ governance | json_encode() }}{% endif %}</pre>",
    );
    // The theme has no taxonomy pages; these list every term and page.
    s.write(
        "templates/taxonomy_list.html",
        "<main>{% for t in terms %}{{ t.name }} {{ t.permalink }}{% endfor %}</main>",
    );
    s.write(
        "templates/taxonomy_single.html",
        "<main>{{ term.name }}{% for p in term.pages %}{{ p.title }} {{ p.permalink }}{% endfor %}</main>",
    );
    s
}

/// The bundled handbook with the overlay and a three-commit history whose
/// second commit touches a visible and a restricted document and names
/// the restricted one.
fn overlaid() -> TestSite {
    let s = bundled();
    s.copy_in(
        Path::new("tests/fixtures/confidentiality/overlay/content"),
        "content",
    );
    // The yearly review's activities and a role's reading list name them too.
    replace(
        &s,
        "content/genomgangar/2025/data.toml",
        "documents = [\"@/styrdokument/behorighetshantering.md\"]",
        "documents = [\"@/styrdokument/behorighetshantering.md\", \"@/styrdokument/krisplan-zetaxq.md\", \"UTB-PLAN-9903\"]",
    );
    replace(
        &s,
        "content/roller/chef.md",
        "required_reading = [\n",
        "required_reading = [\n  \"@/styrdokument/krisplan-zetaxq.md\",\n  \"UTB-RUT-9902\",\n",
    );
    git(&s, &["init", "-q"], DAY1);
    git(&s, &["add", "."], DAY1);
    git(&s, &["commit", "-q", "-m", "Första versionen"], DAY1);
    append(
        &s,
        "content/styrdokument/lanksida-oppen.md",
        "\nEn rad till.\n",
    );
    append(
        &s,
        "content/styrdokument/krisplan-zetaxq.md",
        "\nZetaxq har en ny rad.\n",
    );
    git(
        &s,
        &[
            "commit",
            "-q",
            "-am",
            "Flytta Zetaxq-reservledningen\n\nDetaljer om Zetaxq.",
        ],
        DAY2,
    );
    append(
        &s,
        "content/styrdokument/lanksida-oppen.md",
        "\nOch en till.\n",
    );
    git(
        &s,
        &["commit", "-q", "-am", "Förtydliga Visiblexq-länksidan"],
        DAY3,
    );
    s
}

fn replace(s: &TestSite, path: &str, from: &str, to: &str) {
    let full = s.root.join(path);
    let old = std::fs::read_to_string(&full).expect("file to edit");
    assert!(old.contains(from), "{path} has {from}");
    s.write(path, &old.replacen(from, to, 1));
}

fn append(s: &TestSite, path: &str, text: &str) {
    let full = s.root.join(path);
    let old = std::fs::read_to_string(&full).expect("file to append to");
    s.write(path, &format!("{old}{text}"));
}

fn build_for(s: &TestSite, audience: &str, out: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "build",
        "--audience",
        audience,
        "-o",
        out,
        "--today",
        "2026-04-01",
    ];
    args.extend_from_slice(extra);
    let run = s.run_cli(&args);
    assert_eq!(run.code, 0, "build for {audience} failed:\n{}", run.stderr);
    run
}

/// Every `(file, marker)` where a marker occurs in an output file's
/// relative path or bytes (compared in lower case); gzip-compressed files
/// (pagefind's index) are scanned decompressed.
fn scan(dir: &Path, markers: &[&str]) -> Vec<String> {
    let mut hits = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("under the output")
            .to_string_lossy()
            .to_lowercase();
        let bytes = decompressed(&std::fs::read(entry.path()).expect("readable output"));
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for m in markers {
            if rel.contains(m) {
                hits.push(format!("{rel} (file name): {m}"));
            }
            if text.contains(m) {
                hits.push(format!("{rel}: {m}"));
            }
        }
    }
    hits
}

fn all_text(dir: &Path) -> String {
    let mut all = String::new();
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            all.push_str(&entry.path().to_string_lossy());
            all.push('\n');
            all.push_str(&String::from_utf8_lossy(&decompressed(
                &std::fs::read(entry.path()).expect("read"),
            )));
        }
    }
    all.to_lowercase()
}

#[test]
fn no_output_of_a_narrower_audience_build_names_what_it_may_not_read() {
    let s = overlaid();
    build_for(&s, "alla", "out-alla", &[]);
    build_for(&s, "personal", "out-personal", &[]);
    build_for(&s, "chefer", "out-chefer", &[]);
    build_for(&s, "alla", "out-alla-asof", &["--as-of", "2026-02-20"]);
    build_for(
        &s,
        "personal",
        "out-personal-asof",
        &["--as-of", "2026-02-20"],
    );

    // The scan can see every marker: the widest reader's build has them all.
    let chefer = all_text(&s.root.join("out-chefer"));
    for m in CHEFER_ONLY.iter().chain(PERSONAL_AND_UP) {
        assert!(chefer.contains(m), "the chefer build should contain {m}");
    }

    let everything: Vec<&str> = CHEFER_ONLY.iter().chain(PERSONAL_AND_UP).copied().collect();
    for (out, markers) in [
        ("out-alla", everything.as_slice()),
        ("out-alla-asof", everything.as_slice()),
        ("out-personal", CHEFER_ONLY),
        ("out-personal-asof", CHEFER_ONLY),
    ] {
        let hits = scan(&s.root.join(out), markers);
        assert!(hits.is_empty(), "{out} leaks:\n{}", hits.join("\n"));
    }

    // The handbook's search index (compressed) is scanned too: the widest
    // reader's index holds the markers, the narrower ones' none of them.
    let chefer_index = index_text(&s.root.join("out-chefer")).to_lowercase();
    for m in ["zetaxq", "utb-plan-9901", "sigmaxq"] {
        assert!(
            chefer_index.contains(m),
            "the chefer index should contain {m}"
        );
    }
    let alla_index = index_text(&s.root.join("out-alla")).to_lowercase();
    assert!(
        alla_index.contains("visiblexq"),
        "the alla index has the visible page"
    );

    // What the audience may read is still there.
    let alla = all_text(&s.root.join("out-alla"));
    assert!(
        alla.contains("visiblexq"),
        "the visible page and its commit"
    );
    assert!(
        alla.contains("redaktionell ändring"),
        "the withheld message's label"
    );
    let personal = all_text(&s.root.join("out-personal"));
    assert!(
        personal.contains("sigmaxq-ritning.txt"),
        "personal gets the bundle's files"
    );
}

#[test]
fn a_link_into_a_withheld_document_is_plain_text_with_a_note_and_a_warning() {
    let s = overlaid();
    build_for(&s, "alla", "out", &[]);
    let page = std::fs::read_to_string(s.root.join("out/styrdokument/lanksida-oppen/index.html"))
        .expect("the visible page");
    assert!(
        page.contains("<span class=\"withheld-link\">krisplanen</span> <small class=\"withheld-note\">(ej tillgängligt för den här målgruppen)</small>"),
        "{page}"
    );
    assert!(!page.contains("titel"), "the link's title is not shown");
    let run = s.run_cli(&["check", "--audience", "alla", "--today", "2026-04-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("warning[link::withheld]"))
        .collect();
    assert_eq!(warnings.len(), 3, "{}", run.stderr);
    assert!(
        warnings
            .iter()
            .all(|w| w.starts_with("content/styrdokument/lanksida-oppen.md:")
                && w.contains("the audience `alla` may not read")),
        "{}",
        run.stderr
    );
    let full = s.run_cli(&["check", "--today", "2026-04-01"]);
    assert!(!full.stderr.contains("link::withheld"), "{}", full.stderr);
}

#[test]
fn the_bundled_handbook_builds_for_every_audience_under_its_ceiling() {
    let s = bundled();
    let mut pages = Vec::new();
    for audience in ["alla", "personal", "chefer"] {
        let out = format!("out-{audience}");
        build_for(&s, audience, &out, &[]);
        let mut files: Vec<String> = walkdir::WalkDir::new(s.root.join(&out))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == "index.html")
            .map(|e| {
                e.path()
                    .strip_prefix(s.root.join(&out))
                    .expect("under")
                    .display()
                    .to_string()
            })
            .collect();
        files.sort();
        pages.push(files);
    }
    // Nothing in the bundled handbook is restricted: every audience reads it all.
    assert!(pages[0].len() > 20 && pages[0] == pages[1] && pages[1] == pages[2]);
}

#[test]
fn a_document_above_the_ceiling_fails_every_audience_build() {
    let s = bundled();
    s.write(
        "content/styrdokument/topphemlig.md",
        "+++\ntitle = \"Topphemlig\"\n[extra]\nkind = \"plan\"\ndoc_id = \"UTB-PLAN-9999\"\nowner = \"isam\"\nstatus = \"utkast\"\nclassification = { k = 3, r = 1, t = 1 }\naudience = \"chefer\"\n+++\nText.\n",
    );
    for audience in [None, Some("alla"), Some("personal"), Some("chefer")] {
        let mut args = vec!["build", "-o", "out", "--today", "2026-04-01"];
        if let Some(a) = audience {
            args.extend(["--audience", a]);
        }
        let run = s.run_cli(&args);
        assert_eq!(run.code, 1, "{audience:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(
                "content/styrdokument/topphemlig.md:8:24: error[gov::above-classification-ceiling]: classified `k = 3`, above this site's ceiling `k = 2`"
            ),
            "{audience:?}: {}",
            run.stderr
        );
        assert!(!s.root.join("out").exists(), "nothing is written");
    }
}

/// A small site with plain templates and these extra files.
fn small(files: &[(&str, &str)]) -> TestSite {
    let mut all = vec![
        ("config.toml", "base_url = \"https://intra.example\"\ndefault_language = \"sv\"\n"),
        ("templates/index.html", "<main>{% for s in section.subsections %}{{ s }}{% endfor %}{% for p in section.pages %}{{ p.title }}{% endfor %}</main>"),
        ("templates/section.html", "<main>{{ section.title }}{% for p in section.pages %}{{ p.title }}{% endfor %}</main>"),
        ("templates/page.html", "<main>{{ page.title }}{{ page.content | safe }}</main>"),
        ("content/_index.md", "+++\n+++\n"),
    ];
    all.extend_from_slice(files);
    TestSite::with_files(&all)
}

fn outputs(s: &TestSite, out: &str) -> String {
    let mut paths: Vec<String> = walkdir::WalkDir::new(s.root.join(out))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(s.root.join(out))
                .expect("under")
                .display()
                .to_string()
        })
        .collect();
    paths.sort();
    paths.join("\n")
}

#[test]
fn spaces_and_capitals_in_an_audience_are_read_the_same_by_rules_and_filter() {
    let s = small(&[(
        "content/plan.md",
        "+++\ntitle = \"Plan\"\n[extra]\naudience = \"Chefer \"\n+++\nText.\n",
    )]);
    let run = s.run_cli(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    build_for(&s, " CHEFER", "out-chefer", &[]);
    assert!(outputs(&s, "out-chefer").contains("plan/index.html"));
    build_for(&s, "personal", "out-personal", &[]);
    assert!(!outputs(&s, "out-personal").contains("plan"));
}

#[test]
fn an_unknown_audience_is_a_located_error_in_every_build_on_every_kind_of_file() {
    let s = small(&[
        (
            "content/plan.md",
            "+++\ntitle = \"Plan\"\n[extra]\naudience = \"chefr\"\n+++\n",
        ),
        (
            "content/dok.md",
            "+++\ntitle = \"Dok\"\n[extra]\nkind = \"plan\"\naudience = [\"alla\", 3]\n+++\n",
        ),
        (
            "content/rum/_index.md",
            "+++\ntitle = \"Rum\"\n[extra]\naudience = \"\"\n+++\n",
        ),
    ]);
    for args in [
        &["check"][..],
        &["build", "--audience", "chefer"],
        &["build", "--audience", "alla"],
    ] {
        let run = s.run_cli(args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        for expected in [
            "content/plan.md:4:12: error[gov::unknown-audience]: unknown audience `chefr`\n  = help: did you mean `chefer`?",
            "content/dok.md:5:12: error[gov::unknown-audience]: `extra.audience` must be an audience or a non-empty list of audiences",
            "content/rum/_index.md:4:12: error[gov::unknown-audience]: unknown audience ``",
        ] {
            assert!(run.stderr.contains(expected), "{args:?}: {expected}\n{}", run.stderr);
        }
    }
}

#[test]
fn an_audience_outside_extra_or_with_capitals_is_a_located_error() {
    let s = small(&[
        (
            "content/a.md",
            "+++\ntitle = \"A\"\naudience = \"chefer\"\n+++\n",
        ),
        ("content/b.md", "---\ntitle: B\nAudience: chefer\n---\n"),
        (
            "content/c.md",
            "+++\ntitle = \"C\"\n[extra]\nAudience = \"chefer\"\n+++\n",
        ),
        // The key spelt with an escape, which no plain search finds.
        (
            "content/d.md",
            "+++\ntitle = \"D\"\n\"\\u0061udience\" = \"chefer\"\n+++\n",
        ),
    ]);
    let run = s.run_cli(&["build", "--audience", "personal", "-o", "out"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "content/a.md:3:12: error[gov::misplaced-audience]: `audience` above `[extra]` is not read",
        "content/b.md:3:11: error[gov::misplaced-audience]: `Audience` above `[extra]` is not read",
        "content/c.md:4:12: error[gov::misplaced-audience]: `extra.Audience` is not read: the key is `audience`, in lower case",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
    assert!(
        run.stderr.lines().any(|l| l.starts_with("content/d.md:")
            && l.contains("error[gov::misplaced-audience]: `audience` above `[extra]`")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_restricted_section_hides_its_pages_subsections_and_files() {
    let s = small(&[
        (
            "content/rum/_index.md",
            "+++\ntitle = \"Rummet\"\n[extra]\naudience = \"chefer\"\n+++\n",
        ),
        ("content/rum/sida.md", "+++\ntitle = \"Sidan\"\n+++\n"),
        ("content/rum/bilaga.txt", "bilaga"),
        (
            "content/rum/paket/index.md",
            "+++\ntitle = \"Paketet\"\n+++\n",
        ),
        ("content/rum/paket/ritning.txt", "ritning"),
        (
            "content/rum/under/_index.md",
            "+++\ntitle = \"Under\"\n+++\n",
        ),
        (
            "content/rum/under/djup.md",
            "+++\ntitle = \"Djup\"\n[extra]\naudience = \"chefer\"\n+++\n",
        ),
        ("content/oppen.md", "+++\ntitle = \"Öppen\"\n+++\n"),
    ]);
    build_for(&s, "personal", "out-personal", &[]);
    assert_eq!(
        outputs(&s, "out-personal"),
        ".handbok-output\n404.html\nindex.html\noppen/index.html\nrobots.txt\nsitemap.xml"
    );
    build_for(&s, "chefer", "out-chefer", &[]);
    let chefer = outputs(&s, "out-chefer");
    for file in [
        "rum/index.html",
        "rum/sida/index.html",
        "rum/bilaga.txt",
        "rum/paket/ritning.txt",
        "rum/under/djup/index.html",
    ] {
        assert!(chefer.contains(file), "{file} in\n{chefer}");
    }
}

#[test]
fn a_page_may_not_widen_its_sections_audience() {
    let s = small(&[
        (
            "content/rum/_index.md",
            "+++\ntitle = \"Rummet\"\n[extra]\naudience = \"personal\"\n+++\n",
        ),
        (
            "content/rum/sida.md",
            "+++\ntitle = \"Sidan\"\n[extra]\naudience = \"alla\"\n+++\n",
        ),
        (
            "content/rum/smal.md",
            "+++\ntitle = \"Smal\"\n[extra]\naudience = \"chefer\"\n+++\n",
        ),
    ]);
    let run = s.run_cli(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/rum/sida.md:4:12: error[gov::audience-wider-than-section]: `audience` names `alla`, wider than `personal` of the section `content/rum/_index.md` above it"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("smal.md:4:12: error"),
        "narrowing is allowed: {}",
        run.stderr
    );
}

/// A visible and a restricted page, committed together twice and the
/// visible one alone once.
fn shared_commits(history_settings: &str) -> TestSite {
    let s = small(&[
        (
            "templates/page.html",
            "<main>{% for c in history.commits %}[{{ c.message }}|{{ c.body }}|{{ c.author }}]{% endfor %}</main>",
        ),
        ("content/oppen.md", "+++\ntitle = \"Öppen\"\n+++\nEtt.\n"),
        ("content/hemlig.md", "+++\ntitle = \"Hemlig\"\n[extra]\naudience = \"chefer\"\n+++\nEtt.\n"),
    ]);
    append(&s, "config.toml", history_settings);
    git(&s, &["init", "-q"], DAY1);
    git(&s, &["add", "."], DAY1);
    git(&s, &["commit", "-q", "-m", "Start"], DAY1);
    append(&s, "content/oppen.md", "Två.\n");
    append(&s, "content/hemlig.md", "Två.\n");
    git(
        &s,
        &[
            "commit",
            "-q",
            "-am",
            "Zetaxq flyttas\n\nZetaxq i brödtexten.",
        ],
        DAY2,
    );
    append(&s, "content/oppen.md", "Tre.\n");
    git(&s, &["commit", "-q", "-am", "Öppen ändring"], DAY3);
    s
}

#[test]
fn a_commit_touching_a_withheld_file_shows_only_an_editorial_label() {
    let s = shared_commits("");
    build_for(&s, "personal", "out", &[]);
    let page = std::fs::read_to_string(s.root.join("out/oppen/index.html")).expect("page");
    assert!(
        page.contains("[Öppen ändring||Ida Isam][Redaktionell ändring||Ida Isam][Redaktionell ändring||Ida Isam]"),
        "{page}"
    );
    build_for(&s, "chefer", "out-chefer", &[]);
    let page = std::fs::read_to_string(s.root.join("out-chefer/oppen/index.html")).expect("page");
    assert!(
        page.contains("[Zetaxq flyttas|Zetaxq i brödtexten.|Ida Isam]"),
        "{page}"
    );
}

#[test]
fn authors_of_withheld_commits_are_withheld_when_configured() {
    let s = shared_commits("\n[handbook.history]\nwithhold_authors = true\n");
    build_for(&s, "personal", "out", &[]);
    let page = std::fs::read_to_string(s.root.join("out/oppen/index.html")).expect("page");
    assert!(
        page.contains("[Öppen ändring||Ida Isam][Redaktionell ändring||Redaktionell ändring]"),
        "{page}"
    );
}

#[test]
fn the_markdown_filter_shows_a_link_into_a_withheld_document_as_text() {
    let s = small(&[
        (
            "templates/page.html",
            "<main>{{ page.extra.note | markdown | safe }}</main>",
        ),
        (
            "content/oppen.md",
            "+++\ntitle = \"Öppen\"\n[extra]\nnote = \"Se [planen](@/hemlig-zetaxq.md).\"\n+++\n",
        ),
        (
            "content/hemlig-zetaxq.md",
            "+++\ntitle = \"Hemlig\"\n[extra]\naudience = \"chefer\"\n+++\n",
        ),
    ]);
    build_for(&s, "personal", "out", &[]);
    let page = std::fs::read_to_string(s.root.join("out/oppen/index.html")).expect("page");
    assert!(
        page.contains("<span class=\"withheld-link\">planen</span>"),
        "{page}"
    );
    assert!(!page.contains("zetaxq"), "{page}");
}

#[test]
fn an_audience_on_a_page_that_is_not_a_document_is_a_located_warning() {
    let s = small(&[
        (
            "config.toml",
            "base_url = \"https://intra.example\"\ndefault_language = \"sv\"\n[languages.en]\n",
        ),
        (
            "content/plain.md",
            "+++\ntitle = \"Plain\"\n[extra]\naudience = \"chefer\"\n+++\n",
        ),
        (
            "content/dok.md",
            "+++\ntitle = \"Dok\"\n[extra]\nkind = \"plan\"\naudience = \"chefer\"\n+++\n",
        ),
        (
            "content/dok.en.md",
            "+++\ntitle = \"Doc\"\n[extra]\naudience = \"chefer\"\n+++\n",
        ),
        (
            "content/rum/_index.md",
            "+++\ntitle = \"Rum\"\n[extra]\naudience = \"chefer\"\n+++\n",
        ),
    ]);
    let run = s.run_cli(&["check"]);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("gov::audience-on-plain-page"))
        .collect();
    assert_eq!(
        warnings,
        ["content/plain.md:4:12: warning[gov::audience-on-plain-page]: `audience` on a page that is not a governing document: it is withheld, but not in the document register"],
        "{}",
        run.stderr
    );
}

#[test]
fn a_document_moved_out_of_a_withheld_section_shows_neither_its_old_path_nor_the_message() {
    let s = small(&[
        (
            "templates/page.html",
            "<main>{% for c in history.commits %}[{{ c.message }}|{{ c.renamed_from }}]{% endfor %}</main>",
        ),
        ("content/rum-zetaxq/_index.md", "+++\ntitle = \"Rum\"\n[extra]\naudience = \"chefer\"\n+++\n"),
        ("content/rum-zetaxq/plan.md", "+++\ntitle = \"Plan\"\n+++\nEn plan med lite text i.\n"),
    ]);
    git(&s, &["init", "-q"], DAY1);
    git(&s, &["add", "."], DAY1);
    git(&s, &["commit", "-q", "-m", "Start"], DAY1);
    git(
        &s,
        &["mv", "content/rum-zetaxq/plan.md", "content/plan.md"],
        DAY2,
    );
    git(&s, &["commit", "-q", "-m", "Ut ur rum-zetaxq"], DAY2);
    build_for(&s, "personal", "out", &[]);
    let page = std::fs::read_to_string(s.root.join("out/plan/index.html")).expect("page");
    assert!(
        page.contains("[Redaktionell ändring|…]") && !page.contains("zetaxq"),
        "{page}"
    );
    build_for(&s, "chefer", "out-chefer", &[]);
    let page = std::fs::read_to_string(s.root.join("out-chefer/plan/index.html")).expect("page");
    assert!(
        page.contains("[Ut ur rum-zetaxq|content&#x2F;rum-zetaxq&#x2F;plan.md]"),
        "{page}"
    );
}

#[test]
fn a_narrower_build_succeeds_where_the_full_build_does_with_withheld_roles_and_pages() {
    let s = small(&[
        ("content/roller/_index.md", "+++\ntitle = \"Roller\"\n+++\n"),
        (
            "content/roller/krisledare.md",
            "+++\ntitle = \"Krisledare\"\n[extra]\naudience = \"chefer\"\n+++\nx\n",
        ),
        (
            "content/roller/isam.md",
            "+++\ntitle = \"ISAM\"\n[extra]\nrole_id = \"isam\"\n+++\nx\n",
        ),
        ("content/dok/_index.md", "+++\ntitle = \"Dok\"\n+++\n"),
        (
            "content/dok/oppen.md",
            "+++\ntitle = \"Öppen\"\n[extra]\nkind = \"rutin\"\ndoc_id = \"UTB-RUT-001\"\nowner = \"krisledare\"\nstatus = \"utkast\"\n+++\nText.\n",
        ),
        (
            "content/dok/hemlig.md",
            "+++\ntitle = \"Hemlig\"\n[extra]\nkind = \"plan\"\ndoc_id = \"UTB-PLAN-002\"\nowner = \"isam\"\nstatus = \"utkast\"\naudience = \"chefer\"\n+++\nText.\n",
        ),
        (
            "templates/page.html",
            "<main>{{ page.title }}{% set p = get_page(path=\"dok/hemlig.md\") %}{% if p %} se {{ p.title }}{% endif %} ägare: {{ page.extra.owner | default(value=\"-\") }}</main>",
        ),
    ]);
    let full = s.run_cli(&["build", "-o", "full"]);
    assert_eq!(full.code, 0, "{}", full.stderr);
    let page = std::fs::read_to_string(s.root.join("full/dok/oppen/index.html")).expect("page");
    assert!(page.contains("se Hemlig ägare: krisledare"), "{page}");

    let narrow = build_for(&s, "alla", "alla", &[]);
    assert!(!narrow.stderr.contains("unknown-role"), "{}", narrow.stderr);
    let page = std::fs::read_to_string(s.root.join("alla/dok/oppen/index.html")).expect("page");
    assert!(page.contains("<main>Öppen ägare: …</main>"), "{page}");
    let everything = all_text(&s.root.join("alla"));
    for marker in ["krisledare", "hemlig"] {
        assert!(
            !everything.to_lowercase().contains(marker),
            "`{marker}` leaks into the build for alla"
        );
    }
}
