//! Engine core: a Zola-layout site builds to Zola's output paths and
//! page content.

use crate::common::TestSite;

const CONFIG: &str = "base_url = \"https://example.org\"\ntitle = \"Test\"\n";
const PAGE_TPL: &str = "<main>{{ page.content | safe }}</main>\n<p id=\"meta\">{{ page.title }}|{{ page.permalink | safe }}|lower={% if page.lower %}{{ page.lower.title }}{% endif %}|higher={% if page.higher %}{{ page.higher.title }}{% endif %}|date={{ page.date }}|words={{ page.word_count }}</p>";
const SECTION_TPL: &str = "<main>{{ section.content | safe }}<ul>{% for p in section.pages %}<li>{{ p.title }}</li>{% endfor %}</ul></main>";

/// A site with the test templates and these content files.
fn site(files: &[(&str, &str)]) -> TestSite {
    let site = TestSite::with_files(&[
        ("config.toml", CONFIG),
        ("templates/page.html", PAGE_TPL),
        ("templates/section.html", SECTION_TPL),
        ("templates/index.html", SECTION_TPL),
    ]);
    for (p, t) in files {
        site.write(p, t);
    }
    site
}

fn page(title: &str, extra: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n{extra}\n+++\n{body}")
}

#[test]
fn pages_sections_bundles_and_orphans_get_zola_paths() {
    let s = site(&[
        ("content/_index.md", "+++\n+++\nHem"),
        ("content/om.md", &page("Om", "", "text")),
        ("content/blogg/_index.md", "+++\ntitle = \"Blogg\"\n+++\n"),
        ("content/blogg/forsta.md", &page("Första", "", "a")),
        (
            "content/blogg/paket/index.md",
            &page("Paket", "", "![bild](bild.png)"),
        ),
        ("content/blogg/paket/bild.png", "PNG"),
        ("content/blogg/paket/under/data.txt", "x"),
        ("content/lösa/sida.md", &page("Lös", "", "orphan")),
        ("content/blogg/.dold.md", &page("Dold", "", "")),
        ("static/robots-extra.txt", "static"),
    ]);
    let run = s.build();
    assert!(
        run.stdout
            .contains("-> Creating 4 pages (1 orphan) and 2 sections"),
        "{}",
        run.stdout
    );
    let paths = s.output_paths();
    for expected in [
        "index.html",
        "om/index.html",
        "blogg/index.html",
        "blogg/forsta/index.html",
        "blogg/paket/index.html",
        "blogg/paket/bild.png",
        "blogg/paket/under/data.txt",
        "lösa/sida/index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "robots-extra.txt",
    ] {
        assert!(
            paths.contains(&expected.to_string()),
            "missing {expected} in {paths:?}"
        );
    }
    assert!(
        !paths.iter().any(|p| p.contains("dold")),
        "hidden file rendered: {paths:?}"
    );
    // Colocated images become absolute URLs beside the page.
    assert!(s
        .output("blogg/paket/index.html")
        .contains("src=\"https://example.org/blogg/paket/bild.png\""));
}

#[test]
fn a_plain_zola_site_gets_exactly_zolas_output_paths() {
    let s = site(&[
        ("content/_index.md", "+++\n+++\n"),
        ("content/a.md", &page("A", "", "")),
        ("content/b/_index.md", "+++\n+++\n"),
        ("content/b/c.md", &page("C", "", "")),
    ]);
    s.build();
    assert_eq!(
        s.output_paths(),
        [
            "404.html",
            "a/index.html",
            "b/c/index.html",
            "b/index.html",
            "index.html",
            "robots.txt",
            "sitemap.xml"
        ]
    );
}

#[test]
fn internal_link_with_anchor_resolves_to_the_permalink() {
    let s = site(&[
        (
            "content/a.md",
            &page("A", "", "Se [årlig översyn](@/b.md#arlig-oversyn)."),
        ),
        ("content/b.md", &page("B", "", "## Årlig översyn\n\ntext")),
    ]);
    s.build();
    assert!(s
        .output("a/index.html")
        .contains("href=\"https://example.org/b/#arlig-oversyn\""));
    assert!(s
        .output("b/index.html")
        .contains("<h2 id=\"arlig-oversyn\">Årlig översyn</h2>"));
}

#[test]
fn drafts_are_skipped_unless_asked_for() {
    let s = site(&[
        ("content/klar.md", &page("Klar", "", "")),
        ("content/utkast.md", &page("Utkast", "draft = true", "")),
        ("content/gammal/_index.md", "+++\ndraft = true\n+++\n"),
        ("content/gammal/sida.md", &page("Sida", "", "")),
    ]);
    s.build();
    assert!(s.has_output("klar/index.html"));
    assert!(!s.has_output("utkast/index.html"));
    assert!(!s.has_output("gammal/sida/index.html"));
    let run = s.run_cli(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(s.has_output("utkast/index.html"));
    assert!(s.has_output("gammal/sida/index.html"));
}

fn sorted_titles(sort_by: &str, pages: &[(&str, &str)]) -> (String, TestSite) {
    let mut files: Vec<(String, String)> = vec![(
        "content/s/_index.md".into(),
        format!("+++\nsort_by = \"{sort_by}\"\n+++\n"),
    )];
    for (i, (title, extra)) in pages.iter().enumerate() {
        files.push((format!("content/s/p{i}.md"), page(title, extra, "")));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let s = site(&refs);
    s.build();
    let html = s.main_html("s/index.html");
    let titles = html
        .split("<li>")
        .skip(1)
        .map(|x| x.split("</li>").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(",");
    (titles, s)
}

#[test]
fn sort_by_date_is_newest_first_and_undated_pages_are_left_out() {
    let (titles, s) = sorted_titles(
        "date",
        &[
            ("Gammal", "date = 2020-01-01"),
            ("Ny", "date = 2025-06-01"),
            ("Mitten", "date = \"2023-03-03T10:00:00Z\""),
            ("Odaterad", ""),
        ],
    );
    assert_eq!(titles, "Ny,Mitten,Gammal");
    assert!(
        !s.has_output("s/p3/index.html"),
        "a page lacking the sort key is not rendered"
    );
    // lower is the previous (newer) page, higher the next (older) one.
    assert!(s
        .output("s/p2/index.html")
        .contains("|lower=Ny|higher=Gammal|"));
}

#[test]
fn sort_by_weight_title_and_title_bytes() {
    let (titles, _) = sorted_titles(
        "weight",
        &[
            ("C", "weight = 3"),
            ("A", "weight = 1"),
            ("B", "weight = 2"),
        ],
    );
    assert_eq!(titles, "A,B,C");
    let (titles, _) = sorted_titles(
        "title",
        &[
            ("sida 10", ""),
            ("Sida 2", ""),
            ("ärende", ""),
            ("zebra", ""),
        ],
    );
    assert_eq!(titles, "ärende,Sida 2,sida 10,zebra");
    let (titles, _) = sorted_titles(
        "title_bytes",
        &[("b", ""), ("B", ""), ("å", ""), ("ä", ""), ("z", "")],
    );
    assert_eq!(titles, "B,b,z,ä,å");
}

#[test]
fn swedish_pages_sort_titles_with_swedish_collation() {
    let pages = [("Öl", ""), ("Zebra", ""), ("Åsa", ""), ("Ära", "")];
    let (titles, s) = sorted_titles("title", &pages);
    assert_eq!(
        titles, "Ära,Åsa,Öl,Zebra",
        "Zola's folding order for an English site"
    );
    s.write(
        "config.toml",
        &format!("{CONFIG}default_language = \"sv\"\n"),
    );
    s.build();
    let html = s.main_html("s/index.html");
    assert!(
        html.contains("<li>Zebra</li><li>Åsa</li><li>Ära</li><li>Öl</li>"),
        "{html}"
    );
}

#[test]
fn sort_by_slug_permalink_and_update_date() {
    let (titles, _) = sorted_titles("slug", &[("X", "slug = \"b\""), ("Y", "slug = \"a\"")]);
    assert_eq!(titles, "Y,X");
    let (titles, _) = sorted_titles(
        "update_date",
        &[
            ("Old", "date = 2020-01-01\nupdated = 2026-01-01"),
            ("New", "date = 2025-01-01"),
        ],
    );
    assert_eq!(titles, "Old,New");
}

#[test]
fn aliases_write_redirect_pages() {
    let s = site(&[(
        "content/ny.md",
        &page("Ny", "aliases = [\"gammal/\", \"/arkiv/gammal.html\"]", ""),
    )]);
    s.build();
    assert!(s
        .output("gammal/index.html")
        .contains("https://example.org/ny/"));
    assert!(s
        .output("arkiv/gammal.html")
        .contains("https://example.org/ny/"));
}

#[test]
fn footnotes_tables_and_task_lists() {
    let s = site(&[("content/a.md", &page("A", "", "Text[^1].\n\n[^1]: Not.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] klar\n- [ ] inte\n\n~~bort~~"))]);
    s.build();
    let html = s.main_html("a/index.html");
    assert!(
        html.contains("<table>") && html.contains("<th>a</th>"),
        "{html}"
    );
    assert!(html.contains("type=\"checkbox\""), "{html}");
    assert!(html.contains("<del>bort</del>"), "{html}");
    assert!(html.contains("Not."), "{html}");
}

#[test]
fn slug_and_path_front_matter_with_swedish_letters() {
    let s = site(&[
        ("content/avsnitt/_index.md", "+++\n+++\n"),
        (
            "content/avsnitt/x.md",
            &page("X", "slug = \"Årlig översyn\"", ""),
        ),
        (
            "content/avsnitt/y.md",
            &page("Y", "path = \"/egen/väg\"", ""),
        ),
        ("content/2024-05-01-nyhet.md", &page("Nyhet", "", "")),
    ]);
    s.build();
    assert!(s.has_output("avsnitt/arlig-oversyn/index.html"));
    assert!(s.has_output("egen/väg/index.html"));
    assert!(s.has_output("nyhet/index.html"));
    assert!(s.output("nyhet/index.html").contains("date=2024-05-01"));
}

#[test]
fn yaml_front_matter_is_read() {
    let s = site(&[(
        "content/y.md",
        "---\ntitle: Yaml-sida\ndate: 2024-02-03\n---\nHej",
    )]);
    s.build();
    assert!(s
        .output("y/index.html")
        .contains("Yaml-sida|https://example.org/y/"));
}

#[test]
fn code_is_highlighted_inline_and_with_classes() {
    let body = "```rust\nfn main() {}\n```\n";
    let s = site(&[("content/k.md", &page("K", "", body))]);
    s.write(
        "config.toml",
        &format!("{CONFIG}[markdown]\nhighlight_code = true\n"),
    );
    s.build();
    let html = s.main_html("k/index.html");
    assert!(
        html.contains("data-lang=\"rust\"") && html.contains("style=\"color:"),
        "{html}"
    );

    s.write(
        "config.toml",
        &format!("{CONFIG}[markdown]\nhighlight_code = true\nhighlight_theme = \"css\"\nhighlight_themes_css = [{{ theme = \"base16-ocean-dark\", filename = \"syntax.css\" }}]\n"),
    );
    s.build();
    let html = s.main_html("k/index.html");
    assert!(html.contains("class=\"z-"), "{html}");
    assert!(s.output("syntax.css").contains(".z-"));
}

#[test]
fn translation_paths_are_file_paths_that_get_page_reads() {
    let s = site(&[
        ("content/a.md", &page("Engelska", "", "en")),
        ("content/a.fr.md", &page("Franska", "", "fr")),
    ]);
    s.write(
        "config.toml",
        &format!("{CONFIG}\n[languages.fr]\ntitle = \"Test fr\"\n"),
    );
    s.write(
        "templates/page.html",
        "<main>{% for t in page.translations %}{% set other = get_page(path=t.path) %}[{{ t.lang }}:{{ other.title }}:{{ t.path is ending_with(\"a.fr.md\") or t.path is ending_with(\"a.md\") }}]{% endfor %}</main>",
    );
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = s.main_html("a/index.html");
    assert!(html.contains("[fr:Franska:true]"), "{html}");
}

#[test]
fn zola_0_22_json_grammars_and_themes_are_used() {
    let body = "```minlang\nom x annars y\n```\n";
    let s = site(&[("content/k.md", &page("K", "", body))]);
    s.write(
        "hl/minlang.json",
        r#"{"name": "minlang", "scopeName": "source.minlang", "patterns": [{"match": "\\b(om|annars)\\b", "name": "keyword.control.minlang"}]}"#,
    );
    s.write(
        "hl/mitt.json",
        r##"{"name": "mitt", "colors": {"editor.background": "#101010", "editor.foreground": "#eeeeee"}, "tokenColors": [{"scope": "keyword", "settings": {"foreground": "#ff0000"}}]}"##,
    );
    s.write(
        "config.toml",
        &format!("{CONFIG}[markdown.highlighting]\ntheme = \"mitt\"\nextra_grammars = [\"hl/minlang.json\"]\nextra_themes = [\"hl/mitt.json\"]\n"),
    );
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning[config::"), "{}", run.stderr);
    let html = s.main_html("k/index.html");
    assert!(
        html.contains("background-color:#101010;")
            && html.contains("<span style=\"color:#ff0000;\">om</span>"),
        "{html}"
    );
}

#[test]
fn get_url_is_safe_and_zola_0_22_sites_mark_external_links() {
    let s = site(&[(
        "content/l.md",
        &page("L", "", "[Zola](https://www.getzola.org/)"),
    )]);
    s.write(
        "templates/page.html",
        "<main><link href=\"{{ get_url(path='site.css') }}\">{{ page.content | safe }}</main>",
    );
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = s.main_html("l/index.html");
    assert!(
        html.contains("href=\"https://example.org/site.css\""),
        "{html}"
    );
    // No highlighting keys at all: Zola 0.22's default, as Zola 0.22.1 does.
    assert!(html.contains("rel=\"external\""), "no keys: {html}");
    s.write(
        "config.toml",
        &format!("{CONFIG}[markdown]\nhighlight_code = false\n"),
    );
    s.build();
    let html = s.main_html("l/index.html");
    assert!(!html.contains("rel=\"external\""), "0.21 keys: {html}");
    s.write(
        "config.toml",
        &format!("{CONFIG}[markdown.highlighting]\ntheme = \"nord\"\n"),
    );
    s.build();
    let html = s.main_html("l/index.html");
    assert!(html.contains("rel=\"external\""), "0.22 default: {html}");
}

#[test]
fn a_byte_order_mark_before_the_front_matter_is_ignored() {
    let s = site(&[(
        "content/bom.md",
        "\u{feff}+++\ntitle = \"Med BOM\"\n+++\nText.\n",
    )]);
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(s.output("bom/index.html").contains("Med BOM"));
}

#[test]
fn a_zola_0_22_giallo_theme_builds_with_a_stand_in_and_a_warning() {
    let body = "```rust\nfn main() {}\n```\n";
    let s = site(&[("content/k.md", &page("K", "", body))]);
    s.write(
        "config.toml",
        &format!("{CONFIG}[markdown.highlighting]\ntheme = \"github-light\"\n"),
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("config.toml") && run.stderr.contains("`github-light`"),
        "{}",
        run.stderr
    );
    let html = s.main_html("k/index.html");
    assert!(html.contains("style=\"color:"), "{html}");
}

/// A section listing its documents asks for each one's register entry by
/// permalink; a page that is no document, and a document the build's
/// audience may not read, have none.
#[test]
fn one_register_entry_is_found_by_permalink() {
    let s = TestSite::from_fixture("governance/audience");
    s.write(
        "templates/section.html",
        "<main>{% for p in section.pages %}{% set e = get_handbook(part='register', permalink=p.permalink) %}\
         {{ p.title }}={% if e %}{{ e.doc_id }}/{{ e.status }}{% else %}none{% endif %};{% endfor %}\
         {% set h = get_handbook(part='register', permalink='https://intra.example/dok/hemlig/') %}\
         hemlig={% if h %}{{ h.title }}{% else %}none{% endif %}</main>",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dok = s.output("dok/index.html");
    assert!(dok.contains("Öppen rutin=T-1/"), "{dok}");
    assert!(dok.contains("hemlig=Hemlig krisplan"), "{dok}");
    let roles = s.output("roller/index.html");
    assert!(roles.contains("=none;"), "{roles}");
    let run = s.run_cli(&["build", "--audience", "personal"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dok = s.output("dok/index.html");
    assert!(dok.contains("hemlig=none"), "{dok}");
    assert!(!dok.contains("Hemlig"), "{dok}");
}

/// DESIGN.md, Audiences: a document the build's audience may not read
/// leaves no trace (page, title, sitemap line, back-link, register entry).
#[test]
fn a_narrower_audience_document_leaves_no_trace() {
    let s = TestSite::from_fixture("governance/audience");
    for (t, body) in [
        ("templates/page.html", "<main>{{ page.content | safe }}{% for b in page.backlinks %}{{ b.title }}{% endfor %}{% if governance %}{% for b in governance.backlinks %}{{ b.title }}{% endfor %}{% endif %}</main>"),
        ("templates/section.html", "<main>{% for p in section.pages %}{{ p.title }}{% endfor %}</main>"),
        ("templates/index.html", "<main>{% for d in get_handbook(part='register') %}{{ d.title }};{% endfor %}</main>"),
    ] {
        s.write(t, body);
    }
    let run = s.run_cli(&["build", "--audience", "personal"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let paths = s.output_paths();
    assert!(!paths.iter().any(|p| p.contains("hemlig")), "{paths:?}");
    let everything: String = paths
        .iter()
        .filter(|p| p.ends_with(".html") || p.ends_with(".xml") || p.ends_with(".txt"))
        .map(|p| s.output(p))
        .collect();
    assert!(
        !everything.contains("Hemlig") && !everything.contains("T-2"),
        "a trace was left"
    );
    assert!(s.output("index.html").contains("Öppen rutin;"));

    let run = s.run_cli(&["build", "--audience", "chefer"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        s.output("dok/oppen/index.html").contains("Hemlig krisplan"),
        "back-link in the managers' build"
    );

    let run = s.run_cli(&["build", "--audience", "okänd"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("gov::unknown-audience"),
        "{}",
        run.stderr
    );
}

/// `build` streams pages to disk as they are rendered; what lands on disk
/// must be exactly what rendering in memory (as `serve` does) produces,
/// also when the build replaces an earlier output in place.
fn assert_streamed_build_matches_memory(s: &TestSite) {
    for round in 0..2 {
        let run = s.run_cli(&["build", "--today", "2026-06-01"]);
        assert_eq!(run.code, 0, "round {round}: {}", run.stderr);
    }
    let options = handbok::pipeline::BuildOptions {
        root: s.root.clone(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
        ..Default::default()
    };
    let (site, report) = handbok::pipeline::render_site(&options).expect("render in memory");
    let site = site.unwrap_or_else(|| panic!("{:?}", report.diagnostics));
    let on_disk = crate::common::files_in(&s.root.join("public"));
    let mut in_memory = site.output_paths();
    in_memory.sort();
    assert_eq!(on_disk.keys().cloned().collect::<Vec<_>>(), in_memory);
    for (path, bytes) in &on_disk {
        if let Some(text) = site.output_text(path) {
            assert_eq!(String::from_utf8_lossy(bytes), text, "{path}");
        }
    }
}

#[test]
fn a_streamed_build_writes_exactly_what_is_rendered_in_memory() {
    let s = TestSite::bundled();
    assert_streamed_build_matches_memory(&s);
    let demo = TestSite::from_fixture("zola/theme_demo");
    assert_streamed_build_matches_memory(&demo);
}

/// An output folder outside the site root (`-o /elsewhere`) holds the
/// previous build's files; building into it again must work as the first
/// time (cache-busting the theme's stylesheet found it there and refused
/// it as outside the root).
#[test]
fn building_twice_into_an_output_folder_outside_the_site_works() {
    let s = TestSite::bundled();
    let elsewhere = tempfile::tempdir().expect("a folder outside the site");
    let out = elsewhere.path().join("site");
    let out = out.to_str().expect("a UTF-8 path");
    for round in 0..2 {
        let run = s.run_cli(&["build", "--today", "2026-06-01", "-o", out]);
        assert_eq!(run.code, 0, "round {round}: {}", run.stderr);
    }
    assert!(std::path::Path::new(out).join("index.html").is_file());
}

/// A handbook that tags its documents: the bundled theme lists a
/// taxonomy's terms with their counts, and a term's documents with their
/// ids and statuses, a page of the list at a time when it paginates.
#[test]
fn the_bundled_theme_lists_taxonomy_terms_and_their_documents() {
    let s = TestSite::bundled();
    let config = std::fs::read_to_string(s.root.join("config.toml")).expect("config");
    s.write(
        "config.toml",
        &config.replacen(
            "theme = \"handbok\"\n",
            "theme = \"handbok\"\ntaxonomies = [{ name = \"kategorier\", paginate_by = 2 }]\n",
            1,
        ),
    );
    let docs = [
        "behorighetshantering.md",
        "incidenthantering.md",
        "informationsklassning.md",
    ];
    for doc in docs {
        let path = format!("content/styrdokument/{doc}");
        let text = std::fs::read_to_string(s.root.join(&path)).expect("document");
        s.write(
            &path,
            &text.replacen(
                "\n[extra]\n",
                "\n[taxonomies]\nkategorier = [\"Åtkomst och skydd\"]\n\n[extra]\n",
                1,
            ),
        );
    }
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list = s.main_html("kategorier/index.html");
    assert!(list.contains("<h1>Kategorier</h1>"), "{list}");
    assert!(
        list.contains("<a href=\"/kategorier/atkomst-och-skydd/\">Åtkomst och skydd</a>"),
        "{list}"
    );
    assert!(list.contains("3 sidor"), "{list}");
    let first = s.main_html("kategorier/atkomst-och-skydd/index.html");
    assert_eq!(
        first.matches("<li><a href=\"/styrdokument/").count(),
        2,
        "{first}"
    );
    assert!(first.contains("(UTB-RUT-001, utkast)"), "{first}");
    assert!(first.contains("Sida 1 av 2"), "{first}");
    assert!(
        first.contains("href=\"/kategorier/atkomst-och-skydd/page/2/\" rel=\"next\""),
        "{first}"
    );
    let second = s.main_html("kategorier/atkomst-och-skydd/page/2/index.html");
    assert_eq!(
        second.matches("<li><a href=\"/styrdokument/").count(),
        1,
        "{second}"
    );
    assert!(second.contains("rel=\"prev\""), "{second}");
    let crumbs = s.output("kategorier/atkomst-och-skydd/index.html");
    assert!(
        crumbs.contains("<li><a href=\"/kategorier/\">Kategorier</a></li>"),
        "{crumbs}"
    );
}
