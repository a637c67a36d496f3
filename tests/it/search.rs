//! The handbook's own search (`[handbook.search]`, pagefind): the binary on
//! a handbook made by `init --handbook` writes the index, its browser
//! runtime and the search page into the site; drafts are never indexed;
//! a plain Zola site's output does not change. pagefind's index files are
//! gzip-compressed, so they are read decompressed ([`index_text`]).

use crate::common::TestSite;
use std::io::Read;
use std::path::Path;

/// A new handbook in `hb/`, made by the binary, with search on (the
/// skeleton's config turns it on).
fn handbook() -> TestSite {
    let s = TestSite::empty();
    let run = s.run_cli(&["init", "--handbook", "hb", "--base-url", "/"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    s
}

/// Every file under `dir/pagefind` as text, gzip-compressed ones
/// decompressed, each behind its path.
pub(crate) fn index_text(dir: &Path) -> String {
    let mut all = String::new();
    for entry in walkdir::WalkDir::new(dir.join("pagefind"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let bytes = std::fs::read(entry.path()).expect("readable index file");
        all.push_str(&entry.path().to_string_lossy());
        all.push('\n');
        all.push_str(&String::from_utf8_lossy(&decompressed(&bytes)));
        all.push('\n');
    }
    all
}

/// The bytes, gunzipped when they are gzip (pagefind's index files).
pub(crate) fn decompressed(bytes: &[u8]) -> Vec<u8> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        if flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .is_ok()
        {
            return out;
        }
    }
    bytes.to_vec()
}

const DRAFT: &str =
    "+++\ntitle = \"Utkast om Draftxq\"\ndraft = true\n+++\nDraftxq står bara här.\n";

#[test]
fn a_handbook_with_search_on_writes_the_index_its_runtime_and_the_search_page() {
    let s = handbook();
    let hb = s.root.join("hb");
    s.write("hb/content/styrdokument/utkast-draftxq.md", DRAFT);
    let run = s.run_cli(&["--root", "hb", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = hb.join("public");
    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-worker.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.sv.pagefind",
        "sok/index.html",
        "handbok-search.js",
    ] {
        assert!(public.join(file).is_file(), "{file} is written");
    }
    for unused in [
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-component-ui.js",
    ] {
        assert!(!public.join(unused).exists(), "{unused} is not served");
    }
    let entry =
        std::fs::read_to_string(public.join("pagefind/pagefind-entry.json")).expect("entry");
    assert!(entry.contains("\"sv\""), "one Swedish index: {entry}");

    let index = index_text(&public);
    assert!(
        index.contains("UTB-ANV-001"),
        "documents carry their doc id"
    );
    assert!(index.contains("kind"), "documents carry their kind filter");
    assert!(
        !index.to_lowercase().contains("draftxq"),
        "a draft is never indexed"
    );

    let search = std::fs::read_to_string(public.join("sok/index.html")).expect("search page");
    assert!(search
        .contains("<form class=\"search-form\" role=\"search\" method=\"get\" action=\"/sok/\""));
    assert!(search.contains("aria-live=\"polite\""));
    assert!(search.contains("<noscript>"));
    let page = std::fs::read_to_string(public.join("styrdokument/incidenthantering/index.html"))
        .expect("a document page");
    assert!(
        page.contains(
            "<form class=\"header-search\" role=\"search\" method=\"get\" action=\"/sok/\""
        ),
        "every page has the header search field"
    );
}

#[test]
fn drafts_stay_out_of_the_index_even_when_drafts_are_built() {
    let s = handbook();
    s.write("hb/content/styrdokument/utkast-draftxq.md", DRAFT);
    let run = s.run_cli(&["--root", "hb", "build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = s.root.join("hb/public");
    assert!(
        public
            .join("styrdokument/utkast-draftxq/index.html")
            .is_file(),
        "the draft page itself is built"
    );
    assert!(!index_text(&public).to_lowercase().contains("draftxq"));
}

#[test]
fn a_page_opted_out_of_the_search_index_is_not_indexed() {
    let s = handbook();
    s.write(
        "hb/content/utanfor.md",
        "+++\ntitle = \"Optoutxq\"\nin_search_index = false\n+++\nOptoutxq.\n",
    );
    let run = s.run_cli(&["--root", "hb", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!index_text(&s.root.join("hb/public"))
        .to_lowercase()
        .contains("optoutxq"));
}

#[test]
fn search_turned_off_writes_neither_index_nor_search_page_nor_header_field() {
    let s = handbook();
    let config = s.root.join("hb/config.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, text.replace("enabled = true", "enabled = false")).expect("write");
    let run = s.run_cli(&["--root", "hb", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = s.root.join("hb/public");
    assert!(!public.join("pagefind").exists());
    assert!(!public.join("sok").exists());
    let home = std::fs::read_to_string(public.join("index.html")).expect("home");
    assert!(!home.contains("header-search"));
}

#[test]
fn a_wrong_search_setting_is_a_located_error_and_an_unknown_key_a_warning() {
    let s = handbook();
    let config = s.root.join("hb/config.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(
        &config,
        text.replace("enabled = true", "enabled = \"ja\"\nsida = \"/x/\""),
    )
    .expect("write");
    let run = s.run_cli(&["--root", "hb", "build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("config.toml:")
            && run
                .stderr
                .contains("`handbook.search.enabled` must be true or false"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown key `handbook.search.sida`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_zola_site_gets_no_handbook_search() {
    let s = TestSite::minimal();
    s.write(
        "config.toml",
        "base_url = \"https://example.org\"\nbuild_search_index = true\n",
    );
    s.build();
    let paths = s.output_paths();
    assert_eq!(
        paths,
        [
            "404.html",
            "a/index.html",
            "elasticlunr.min.js",
            "index.html",
            "robots.txt",
            "search_index.en.js",
            "sitemap.xml"
        ],
        "exactly Zola's outputs"
    );
}
