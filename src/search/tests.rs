//! Index shape and selection, on small sites written to a temporary folder.

use super::*;
use crate::config::Config;
use crate::content::{self, LoadOptions};
use serde_json::Value;

/// A loaded site and the HTML each page "rendered" to.
struct Site {
    _dir: tempfile::TempDir,
    config: Config,
    tree: ContentTree,
}

fn site(files: &[(&str, &str)]) -> Site {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("create folder");
        std::fs::write(p, text).expect("write file");
    }
    let diags = Diagnostics::new();
    let config = crate::config::load(dir.path(), None, &diags).expect("config loads");
    let tree = content::load(&config, LoadOptions::default(), &diags);
    assert!(!diags.has_errors(), "{:?}", diags.sorted());
    Site {
        _dir: dir,
        config,
        tree,
    }
}

/// HTML for each page: its title in a paragraph, plus code and a script
/// that must not reach the index.
fn build(site: &Site) -> (OutputSet, Diagnostics) {
    let page_html: Vec<String> = site
        .tree
        .pages
        .iter()
        .map(|p| {
            format!(
                "<p>Text om {} &amp; ansvar</p>\n<pre><code>hemlig_kod()</code></pre>\n<script>var x = 'skript';</script>",
                p.meta.title.clone().unwrap_or_default()
            )
        })
        .collect();
    let section_html: Vec<String> = site
        .tree
        .sections
        .iter()
        .map(|s| {
            format!(
                "<p>Sektion {}</p>",
                s.meta.title.clone().unwrap_or_default()
            )
        })
        .collect();
    let pages = |id: PageId| page_html.get(id.0).map(String::as_str);
    let sections = |id: SectionId| section_html.get(id.0).map(String::as_str);
    let input = SearchInput {
        config: &site.config,
        tree: &site.tree,
        page_html: &pages,
        section_html: &sections,
    };
    let diags = Diagnostics::new();
    let mut out = OutputSet::default();
    write_index(&input, &diags, &mut out);
    (out, diags)
}

const SWEDISH: &str =
    "base_url = 'https://handbok.example/'\ndefault_language = 'sv'\nbuild_search_index = true\n";

fn swedish_site() -> Site {
    site(&[
        ("config.toml", SWEDISH),
        ("content/_index.md", "+++\ntitle = 'Start'\n+++\n"),
        ("content/policy/_index.md", "+++\ntitle = 'Policyer'\n+++\n"),
        (
            "content/policy/sakerhet.md",
            "+++\ntitle = 'Informationssäkerhet'\ndate = 2024-03-01\n+++\nx\n",
        ),
        (
            "content/policy/dold.md",
            "+++\ntitle = 'Dold'\nin_search_index = false\n+++\nx\n",
        ),
        (
            "content/gammal/_index.md",
            "+++\ntitle = 'Gammal'\nredirect_to = 'policy/'\n+++\n",
        ),
        ("content/gammal/kvar.md", "+++\ntitle = 'Kvar'\n+++\nx\n"),
        (
            "content/intern/_index.md",
            "+++\ntitle = 'Intern'\nin_search_index = false\n+++\n",
        ),
        (
            "content/intern/hemlig.md",
            "+++\ntitle = 'Hemlig'\n+++\nx\n",
        ),
    ])
}

fn index_json(out: &OutputSet, path: &str) -> Value {
    let text = out.get_text(path).unwrap_or_else(|| panic!("no {path}"));
    let json = text.strip_prefix("window.searchIndex = ").unwrap_or(text);
    serde_json::from_str(json).expect("the index is JSON")
}

#[test]
fn swedish_elasticlunr_javascript_index_has_zolas_shape() {
    let site = swedish_site();
    let (out, diags) = build(&site);
    assert!(!diags.has_errors(), "{:?}", diags.sorted());
    let mut paths: Vec<&String> = out.files.keys().collect();
    paths.sort();
    assert_eq!(paths, ["elasticlunr.min.js", "search_index.sv.js"]);
    let text = out.get_text("search_index.sv.js").expect("index written");
    assert!(
        text.starts_with("window.searchIndex = {"),
        "{}",
        &text[..40]
    );
    let index = index_json(&out, "search_index.sv.js");
    assert_eq!(index["lang"], "Swedish");
    assert_eq!(index["ref"], "id");
    assert_eq!(index["fields"], serde_json::json!(["title", "body"]));
    assert_eq!(
        index["pipeline"],
        serde_json::json!(["trimmer-sv", "stopWordFilter-sv", "stemmer-sv"])
    );
    let docs = index["documentStore"]["docs"]
        .as_object()
        .expect("documents");
    let mut urls: Vec<&str> = docs.keys().map(String::as_str).collect();
    urls.sort();
    assert_eq!(
        urls,
        [
            "https://handbok.example/",
            "https://handbok.example/gammal/kvar/",
            "https://handbok.example/policy/",
            "https://handbok.example/policy/sakerhet/",
        ]
    );
    let page = &docs["https://handbok.example/policy/sakerhet/"];
    assert_eq!(page["title"], "Informationssäkerhet");
    assert_eq!(page["body"], "Text om Informationssäkerhet &amp; ansvar");
    // Swedish stemming: "ansvar" is indexed under its stem.
    assert!(index["index"]["body"]["root"].is_object());
    assert!(out
        .get_text("elasticlunr.min.js")
        .is_some_and(|js| js.contains("elasticlunr")));
}

#[test]
fn fuse_json_with_every_field() {
    let config = format!(
        "{SWEDISH}[search]\nindex_format = 'fuse_json'\ninclude_description = true\ninclude_path = true\ntruncate_content_length = 7\n"
    );
    let site = site(&[
        ("config.toml", &config),
        ("content/_index.md", "+++\ntitle = 'Start'\n+++\n"),
        (
            "content/a.md",
            "+++\ntitle = 'A'\ndescription = 'Om A'\n+++\nx\n",
        ),
    ]);
    let (out, diags) = build(&site);
    assert!(!diags.has_errors(), "{:?}", diags.sorted());
    assert!(!out.files.contains_key("elasticlunr.min.js"));
    let index = index_json(&out, "search_index.sv.json");
    assert_eq!(
        index,
        serde_json::json!([
            {"url": "https://handbok.example/", "title": "Start", "description": "", "body": "Sektion", "path": "/"},
            {"url": "https://handbok.example/a/", "title": "A", "description": "Om A", "body": "Text om", "path": "/a/"},
        ])
    );
}

#[test]
fn dates_and_languages() {
    let config =
        "base_url = 'https://x.example'\ndefault_language = 'sv'\nbuild_search_index = true\n\
                  [search]\ninclude_date = true\ninclude_content = false\n\
                  [languages.en]\nbuild_search_index = true\n[languages.fr]\n";
    let site = site(&[
        ("config.toml", config),
        ("content/_index.md", "+++\n+++\n"),
        ("content/_index.en.md", "+++\n+++\n"),
        ("content/_index.fr.md", "+++\n+++\n"),
        (
            "content/a.md",
            "+++\ntitle = 'A'\ndate = 2024-03-01T10:00:00+02:00\n+++\n",
        ),
        (
            "content/a.en.md",
            "+++\ntitle = 'A en'\ndate = 2024-03-01\n+++\n",
        ),
    ]);
    let (out, diags) = build(&site);
    assert!(!diags.has_errors(), "{:?}", diags.sorted());
    assert!(out.files.contains_key("search_index.en.js"));
    assert!(!out.files.contains_key("search_index.fr.js"));
    let sv = index_json(&out, "search_index.sv.js");
    assert_eq!(
        sv["documentStore"]["docs"]["https://x.example/a/"]["date"],
        "2024-03-01T10:00:00+02:00"
    );
    let en = index_json(&out, "search_index.en.js");
    assert_eq!(en["lang"], "English");
    assert_eq!(
        en["documentStore"]["docs"]["https://x.example/en/a/"]["date"],
        "2024-03-01T00:00:00Z"
    );
}

#[test]
fn unsupported_language_and_format_are_located_errors() {
    let bad_format = format!("{SWEDISH}[search]\nindex_format = 'lunr'\n");
    let site1 = site(&[("config.toml", &bad_format)]);
    let (out, diags) = build(&site1);
    assert!(out.files.is_empty());
    let d = &diags.sorted()[0];
    assert_eq!(d.code, "search::config");
    assert_eq!(d.position.map(|p| p.line), Some(5));

    let site2 = site(&[(
        "config.toml",
        "base_url = '/'\ndefault_language = 'is'\nbuild_search_index = true\n",
    )]);
    let (_, diags) = build(&site2);
    let d = &diags.sorted()[0];
    assert!(d.message.contains("language `is`"), "{}", d.message);
    assert_eq!(d.position.map(|p| p.line), Some(2));
}

#[test]
fn root_section_out_of_the_index_is_an_error() {
    let site = site(&[
        ("config.toml", SWEDISH),
        (
            "content/_index.md",
            "+++\ntitle = 'Start'\nin_search_index = false\n+++\n",
        ),
    ]);
    let (_, diags) = build(&site);
    let d = &diags.sorted()[0];
    assert_eq!(d.code, "search::root-excluded");
    assert_eq!(d.position.map(|p| p.line), Some(3));
}

#[test]
fn nothing_without_build_search_index() {
    let site = site(&[("config.toml", "base_url = '/'\n")]);
    let (out, _) = build(&site);
    assert!(out.files.is_empty());
}
