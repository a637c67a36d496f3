//! Starting and keeping a handbook with the binary alone: `init --handbook`
//! (the theme built in, overridable file by file), `new` and `review` on a
//! copy of the bundled handbook, and their errors.

use crate::common::TestSite;
use std::path::Path;

/// A new handbook in `hb/` of an empty folder, made by the binary.
fn new_handbook() -> TestSite {
    let s = TestSite::empty();
    let run = s.run_cli(&["init", "--handbook", "hb", "--base-url", "/"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    s
}

#[test]
fn init_handbook_in_an_empty_folder_builds_with_the_binary_alone() {
    let s = new_handbook();
    let hb = s.root.join("hb");
    assert!(!hb.join("themes").exists(), "the theme is not copied");
    for file in [
        ".gitignore",
        ".gitlab-ci.yml",
        "content/ordlista.md",
        "content/roller/isam.md",
        "content/styrdokument/incidenthantering.md",
    ] {
        assert!(hb.join(file).is_file(), "{file}");
    }
    let check = s.run_cli(&["--root", "hb", "check", "--deny-warnings"]);
    assert_eq!(check.code, 0, "{}\n{}", check.stdout, check.stderr);
    assert!(
        check.stdout.contains("0 error(s), 0 warning(s)"),
        "{}",
        check.stdout
    );
    let build = s.run_cli(&["--root", "hb", "build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let out = |p: &str| {
        std::fs::read_to_string(hb.join("public").join(p))
            .unwrap_or_else(|e| panic!("cannot read {p}: {e}"))
    };
    let start = out("index.html");
    assert!(start.contains("<html lang=\"sv\""), "{start}");
    assert!(
        start.contains("Till huvudinnehåll"),
        "the theme's Swedish strings: {start}"
    );
    assert!(
        start.contains("handbok.css?h="),
        "the theme's stylesheet, cachebusted"
    );
    let doc = out("styrdokument/incidenthantering/index.html");
    for expected in [
        "Dokument-id",
        "UTB-ANV-001",
        "Informationssäkerhetssamordnare",
        "Exempeldokument",
    ] {
        assert!(doc.contains(expected), "{expected}: {doc}");
    }
    assert!(
        out("handbok.css").contains(".id-block__history"),
        "the theme's static files"
    );
    for generated in [
        "dokumentregister/index.html",
        "ansvarsmatris/index.html",
        "granskning/index.html",
    ] {
        assert!(hb.join("public").join(generated).is_file(), "{generated}");
    }
    assert!(
        out("dokumentregister/index.html").contains("UTB-LG-"),
        "the yearly review skeleton"
    );
}

#[test]
fn a_handbooks_own_theme_files_override_the_built_in_ones_file_by_file() {
    let s = new_handbook();
    s.write(
        "hb/themes/handbok/static/handbok.css",
        "/* förvaltningens egna färger */\n",
    );
    s.write(
        "hb/templates/partials/toc.html",
        "<p id=\"egen-toc\">Egen innehållsförteckning</p>",
    );
    let build = s.run_cli(&["--root", "hb", "build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let public = s.root.join("hb/public");
    let css = std::fs::read_to_string(public.join("handbok.css")).expect("css");
    assert_eq!(css, "/* förvaltningens egna färger */\n");
    assert!(
        public.join("handbok.js").is_file(),
        "the other static files stay built in"
    );
    let doc = std::fs::read_to_string(public.join("styrdokument/incidenthantering/index.html"))
        .expect("doc");
    assert!(doc.contains("egen-toc"), "the site's template wins");
    assert!(
        doc.contains("Dokument-id"),
        "the rest of the theme is still built in"
    );
}

#[test]
fn the_edit_link_appears_on_documents_only_when_configured() {
    let s = new_handbook();
    let doc = "hb/public/styrdokument/incidenthantering/index.html";
    s.run_cli(&["--root", "hb", "build"]);
    let without = std::fs::read_to_string(s.root.join(doc)).expect("doc");
    assert!(!without.contains("Föreslå en ändring"));
    let config = std::fs::read_to_string(s.root.join("hb/config.toml")).expect("config");
    s.write(
        "hb/config.toml",
        &config.replace("# edit_url = ", "edit_url = "),
    );
    let run = s.run_cli(&["--root", "hb", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let with = std::fs::read_to_string(s.root.join(doc)).expect("doc");
    assert!(
        with.contains("<a href=\"https://git.example.se/handbok/-/edit/main/content/styrdokument/incidenthantering.md\">Föreslå en ändring"),
        "{with}"
    );
}

/// The bundled handbook's config and content, without its theme folder.
fn bundled_copy() -> TestSite {
    let s = TestSite::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("config.toml"), s.root.join("config.toml")).expect("config");
    for entry in walkdir::WalkDir::new(repo.join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry
            .path()
            .strip_prefix(repo)
            .expect("under the repository");
        let target = s.root.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("file");
        }
    }
    s
}

fn read(s: &TestSite, path: &str) -> String {
    std::fs::read_to_string(s.root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn new_writes_a_draft_with_the_next_free_id_that_passes_check() {
    let s = bundled_copy();
    let run = s.run_cli(&[
        "new",
        "anvisning",
        "Hantering av lösenord",
        "--owner",
        "isam",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = read(&s, "content/styrdokument/hantering-av-losenord.md");
    assert!(
        text.contains("doc_id = \"UTB-ANV-003\""),
        "after UTB-ANV-002: {text}"
    );
    assert!(text.contains("status = \"utkast\""), "{text}");
    assert!(text.contains("owner = \"isam\""), "{text}");
    let check = s.run_cli(&["check"]);
    assert!(
        !check.stderr.contains("hantering-av-losenord"),
        "the new document has no problems: {}",
        check.stderr
    );
    assert_eq!(check.code, 0, "{}", check.stderr);
    let again = s.run_cli(&["new", "anvisning", "Hantering av lösenord"]);
    assert_eq!(again.code, 1, "an existing file is never overwritten");
    assert!(
        again.stderr.contains("error[authoring::file-exists]"),
        "{}",
        again.stderr
    );
    assert_eq!(
        read(&s, "content/styrdokument/hantering-av-losenord.md"),
        text
    );
}

#[test]
fn new_refuses_an_unknown_owner_naming_the_nearest_roles_and_writes_nothing() {
    let s = bundled_copy();
    let run = s.run_cli(&["new", "rutin", "Säkerhetskopiering", "--owner", "isma"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error[authoring::unknown-role]: role \"isma\"")
            && run.stderr.contains("`isam`"),
        "{}",
        run.stderr
    );
    assert!(!s
        .root
        .join("content/styrdokument/sakerhetskopiering.md")
        .exists());
}

#[test]
fn review_records_a_new_version_keeping_comments_and_key_order_and_passes_check() {
    let s = bundled_copy();
    let path = "content/styrdokument/incidenthantering.md";
    let before = read(&s, path);
    let commented = before.replace("owner = \"isam\"", "owner = \"isam\" # ägs av samordnaren");
    s.write(path, &commented);
    let run = s.run_cli(&[
        "review",
        path,
        "--by",
        "utbildningsdirektor",
        "--version",
        "1.1",
        "--summary",
        "Anmälan ska göras inom en timme.",
        "--date",
        "2026-11-20",
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("-version = \"1.0\"\n+version = \"1.1\""),
        "a diff: {}",
        run.stdout
    );
    let after = read(&s, path);
    assert!(
        after.contains("owner = \"isam\" # ägs av samordnaren"),
        "comment kept: {after}"
    );
    assert!(after.contains("last_reviewed = 2026-11-20"), "{after}");
    assert!(after.contains("approved = 2026-11-20"), "{after}");
    let order = |text: &str| -> Vec<usize> {
        [
            "kind =",
            "doc_id =",
            "version =",
            "status =",
            "owner =",
            "approved_by =",
            "approved =",
            "valid_from =",
        ]
        .iter()
        .map(|k| text.find(&format!("\n{k}")).unwrap_or(usize::MAX))
        .collect()
    };
    assert!(
        order(&after).windows(2).all(|w| w[0] < w[1]),
        "key order kept: {after}"
    );
    let entry = after.rfind("[[extra.changes]]").expect("a change entry");
    assert!(after[entry..].contains("version = \"1.1\"\ndate = 2026-11-20\nsummary = \"Anmälan ska göras inom en timme.\"\napproved_by = \"utbildningsdirektor\"\nkind = \"minor\""), "{after}");
    assert!(
        run.stdout.contains(&format!("{path}: 0 error(s)")),
        "{}",
        run.stdout
    );
    let check = s.run_cli(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn review_with_an_unknown_role_is_a_located_error_that_writes_nothing() {
    let s = bundled_copy();
    let path = "content/styrdokument/incidenthantering.md";
    let before = read(&s, path);
    let run = s.run_cli(&["review", path, "--by", "utbildningsdirektr"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains(&format!("{path}:12:1: error[authoring::unknown-role]")),
        "located at approved_by: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`utbildningsdirektor`"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&s, path), before, "nothing written");
}

#[test]
fn review_dry_run_prints_the_diff_and_writes_nothing() {
    let s = bundled_copy();
    let path = "content/styrdokument/incidenthantering.md";
    let before = read(&s, path);
    let run = s.run_cli(&[
        "review",
        path,
        "--by",
        "isam",
        "--date",
        "2027-03-01",
        "--dry-run",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("+last_reviewed = 2027-03-01"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("+kind = \"granskad\""),
        "{}",
        run.stdout
    );
    assert_eq!(read(&s, path), before);
}
