//! A partial rebuild must give exactly what a full build of the edited
//! files gives: every test edits a copy of a site, rebuilds partially,
//! builds the edited copy in full, and compares every output byte for
//! byte.

use super::{rebuild, Strategy};
use crate::pipeline::{render_site, BuildOptions, Mode, Site};
use std::path::{Path, PathBuf};

fn copy_site(from: &Path, parts: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for part in parts {
        let source = from.join(part);
        if source.is_dir() {
            crate::output::copy_tree(&source, &dir.path().join(part)).expect("copy the site");
        } else if source.is_file() {
            std::fs::copy(&source, dir.path().join(part)).expect("copy the config");
        }
    }
    dir
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        mode: Mode::Serve,
        base_url: Some("http://127.0.0.1:1111".into()),
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 29),
        ..BuildOptions::default()
    }
}

fn build(options: &BuildOptions) -> Site {
    let (site, report) = render_site(options).expect("build runs");
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    site.expect("a site without errors")
}

/// Every output path whose bytes differ between two builds.
fn differences(a: &crate::output::OutputSet, b: &crate::output::OutputSet) -> Vec<String> {
    let mut paths: Vec<&String> = a.files.keys().chain(b.files.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| a.files.get(*p) != b.files.get(*p))
        .cloned()
        .collect()
}

/// A broken edit to `file` after a good build: the rebuild reports errors
/// and leaves every output as it was. Gives the rebuild, the site, the
/// options, the edited path and its good text (to fix it again).
fn broken_edit(
    dir: &Path,
    file: &str,
    break_it: impl Fn(&str) -> String,
) -> (super::Rebuild, Site, BuildOptions, PathBuf, String) {
    let options = options(dir);
    let mut site = build(&options);
    let before = site.output.clone();
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, break_it(&text)).expect("write");
    let result =
        rebuild(&options, Some(&mut site), true, std::slice::from_ref(&path)).expect("runs");
    assert!(result.report.has_errors());
    assert!(differences(&before, &site.output).is_empty());
    (result, site, options, path, text)
}

struct Edited {
    strategy: Strategy,
    /// How many outputs the rebuild rendered.
    rendered: usize,
    search_pending: bool,
    changed: Vec<String>,
    reason: String,
}

/// Builds `root`, applies `edit` to `file` (relative to the root),
/// rebuilds, and checks the result against a full build.
fn edit_and_compare(root: &Path, file: &str, edit: impl Fn(&str) -> String) -> Edited {
    let options = options(root);
    let mut site = build(&options);
    let path: PathBuf = root.join(file);
    let text = std::fs::read_to_string(&path).expect("read the page");
    std::fs::write(&path, edit(&text)).expect("edit the page");
    let result = rebuild(&options, Some(&mut site), true, &[path]).expect("rebuild runs");
    assert!(
        !result.report.has_errors(),
        "{:?}",
        result.report.diagnostics
    );
    let search_pending = result.search_pending;
    let mut site = result.site.unwrap_or(site);
    if search_pending {
        super::refresh_search(&mut site);
    }
    let full = build(&options);
    let differ = differences(&site.output, &full.output);
    assert!(
        differ.is_empty(),
        "after a {} rebuild these outputs differ from a full build: {differ:?}",
        result.strategy.as_str()
    );
    Edited {
        strategy: result.strategy,
        rendered: result.rendered,
        search_pending,
        changed: result.changed,
        reason: result.reason,
    }
}

/// A copy of the Zola theme demo (taxonomies, feeds, pagination, a theme).
fn theme_demo() -> tempfile::TempDir {
    copy_site(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zola/theme_demo"),
        &[
            "config.toml",
            "content",
            "themes",
            "templates",
            "static",
            "data",
        ],
    )
}

fn bundled() -> tempfile::TempDir {
    copy_site(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["config.toml", "content", "themes", "static"],
    )
}

#[test]
fn a_body_edit_with_a_new_link_renders_the_page_its_neighbours_and_the_link_target() {
    let dir = bundled();
    let edited = edit_and_compare(
        dir.path(),
        "content/styrdokument/incidenthantering.md",
        |t| {
            format!("{t}\n\n## Nytt avsnitt\n\nGäller även vid [upphandling](@/styrdokument/informationssakerhet-vid-upphandling.md).\n")
        },
    );
    assert_eq!(edited.strategy, Strategy::Partial, "{}", edited.reason);
    let changed = edited.changed.join(" ");
    assert!(
        changed.contains("styrdokument/incidenthantering/index.html"),
        "{changed}"
    );
    // The target lists the new back-link.
    assert!(
        changed.contains("styrdokument/informationssakerhet-vid-upphandling/index.html"),
        "{changed}"
    );
    // Unrelated documents are not rendered again.
    assert!(!changed.contains("roller/isam/index.html"), "{changed}");
}

#[test]
fn removing_a_link_and_editing_text_match_a_full_build() {
    let dir = bundled();
    let edited = edit_and_compare(
        dir.path(),
        "content/styrdokument/behorighetshantering.md",
        |t| {
            let body = t.rfind("+++").expect("front matter") + 3;
            let link = regex::Regex::new(r"\[([^\]]+)\]\(@/[^)]+\)").expect("pattern");
            let found = link.find(&t[body..]).expect("a link in the body");
            assert!(found.start() > 0);
            format!(
                "{}{}Ändrad text utan länk.\n",
                &t[..body],
                link.replacen(&t[body..], 1, "$1")
            )
        },
    );
    assert_eq!(edited.strategy, Strategy::Partial, "{}", edited.reason);
}

#[test]
fn a_blog_post_edit_updates_terms_feeds_and_pagers_as_a_full_build_would() {
    let dir = theme_demo();
    // With a search index, which is built again after the pages.
    let config = dir.path().join("config.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, format!("build_search_index = true\n{text}")).expect("config");
    let edited = edit_and_compare(dir.path(), "content/blog/first-post.md", |t| {
        let body = t.rfind("+++").expect("front matter") + 4;
        format!("{}En helt ny första mening.\n\n{}", &t[..body], &t[body..])
    });
    assert_eq!(edited.strategy, Strategy::Partial, "{}", edited.reason);
    // The feeds carry the content, and the term pages its summary.
    assert!(
        edited.changed.iter().any(|p| p.ends_with(".xml")),
        "{:?}",
        edited.changed
    );
    assert!(edited.search_pending);
}

#[test]
fn a_body_edit_leaves_lists_that_show_no_body_field_alone() {
    let edit = |t: &str| {
        let body = t.rfind("+++").expect("front matter") + 4;
        format!("{}Ännu en ny mening.\n\n{}", &t[..body], &t[body..])
    };
    let with_term_template = |items: &str| {
        let dir = theme_demo();
        std::fs::write(
            dir.path().join("themes/plain/templates/taxonomy_single.html"),
            format!("{{% extends \"base.html\" %}}{{% block content %}}<h1>{{{{ term.name }}}}</h1><ul>{{% for p in term.pages %}}<li>{items}</li>{{% endfor %}}</ul>{{% endblock %}}"),
        )
        .expect("write the template");
        let edited = edit_and_compare(dir.path(), "content/blog/first-post.md", edit);
        assert_eq!(edited.strategy, Strategy::Partial, "{}", edited.reason);
        edited
    };
    // Term pages that show each post's summary are rendered again (and
    // match a full build); term pages that list titles only cannot change
    // with a body edit, so they are not (and the site still matches).
    let summaries = with_term_template("{{ p.title }}: {{ p.summary | safe }}");
    let titles = with_term_template("{{ p.title }}");
    assert!(
        titles.rendered < summaries.rendered,
        "titles only: {} outputs ({}), summaries: {} ({})",
        titles.rendered,
        titles.reason,
        summaries.rendered,
        summaries.reason
    );
}

#[test]
fn a_document_title_edit_renders_only_what_shows_it_as_a_full_build_would() {
    let dir = bundled();
    // Its place in the section, sorted by title, stays.
    let edited = edit_and_compare(
        dir.path(),
        "content/styrdokument/incidenthantering.md",
        |t| t.replacen("incidenter\"", "incidenter (reviderad)\"", 1),
    );
    assert_eq!(edited.strategy, Strategy::Partial, "{}", edited.reason);
    // The register and the page itself show the title.
    assert!(
        edited
            .changed
            .iter()
            .any(|p| p.starts_with("styrdokument/incidenthantering/")),
        "{:?}",
        edited.changed
    );
    assert!(edited.search_pending);
    let full = build(&options(dir.path()));
    assert!(
        edited.rendered < full.output.files.len() / 2,
        "{} outputs rendered again",
        edited.rendered
    );
}

#[test]
fn a_review_date_or_owner_edit_updates_the_governance_pages_as_a_full_build_would() {
    let dir = bundled();
    let file = "content/styrdokument/incidenthantering.md";
    let edited = edit_and_compare(dir.path(), file, |t| {
        t.replacen(
            "last_reviewed = 2026-03-10",
            "last_reviewed = 2024-01-10",
            1,
        )
    });
    assert_eq!(edited.strategy, Strategy::Partial, "{}", edited.reason);
    let edited = edit_and_compare(dir.path(), file, |t| {
        t.replacen("owner = \"isam\"", "owner = \"dso\"", 1)
    });
    assert_eq!(edited.strategy, Strategy::Partial, "{}", edited.reason);
}

#[test]
fn a_title_edit_that_moves_a_page_in_a_section_sorted_by_title_is_built_in_full() {
    let dir = bundled();
    let edited = edit_and_compare(
        dir.path(),
        "content/styrdokument/incidenthantering.md",
        |t| t.replacen("title = \"", "title = \"Ö: ", 1),
    );
    assert_eq!(edited.strategy, Strategy::Full, "{}", edited.reason);
}

#[test]
fn a_role_title_edit_is_built_in_full() {
    // Bodies show role names (the responsibility shortcode).
    let dir = bundled();
    let edited = edit_and_compare(dir.path(), "content/roller/isam.md", |t| {
        t.replacen("title = \"", "title = \"Ny: ", 1)
    });
    assert_eq!(edited.strategy, Strategy::Full, "{}", edited.reason);
}

#[test]
fn a_blog_post_title_edit_updates_terms_feeds_and_pagers_as_a_full_build_would() {
    let dir = theme_demo();
    let edited = edit_and_compare(dir.path(), "content/blog/second-post.md", |t| {
        t.replacen("title = \"Second post\"", "title = \"Andra inlägget\"", 1)
    });
    assert_eq!(edited.strategy, Strategy::Partial, "{}", edited.reason);
    assert!(
        edited.changed.iter().any(|p| p.ends_with(".xml")),
        "{:?}",
        edited.changed
    );
}

#[test]
fn a_front_matter_edit_that_moves_a_page_is_built_in_full() {
    let dir = theme_demo();
    let edited = edit_and_compare(dir.path(), "content/blog/second-post.md", |t| {
        t.replacen("date = 2024-02-10", "date = 2024-04-10", 1)
    });
    assert_eq!(edited.strategy, Strategy::Full, "{}", edited.reason);
}

#[test]
fn a_broken_link_keeps_the_previous_site_and_the_next_rebuild_is_full() {
    let dir = bundled();
    let (result, mut site, options, path, text) = broken_edit(
        dir.path(),
        "content/styrdokument/incidenthantering.md",
        |t| format!("{t}\n[trasig](@/finns-inte.md)\n"),
    );
    assert!(result.site.is_none());
    assert!(result.changed.is_empty());
    let error = result
        .report
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    assert!(
        crate::diagnostics::render_plain(std::slice::from_ref(error))
            .contains("incidenthantering.md:"),
        "located: {error:?}"
    );
    // After a failure, everything is checked again.
    std::fs::write(&path, &text).expect("fix");
    let result = rebuild(&options, Some(&mut site), false, &[path]).expect("runs");
    assert_eq!(result.strategy, Strategy::Full);
    assert!(!result.report.has_errors());
}

#[test]
fn a_template_edit_renders_only_the_units_that_use_it() {
    let dir = bundled();
    let edited = edit_and_compare(
        dir.path(),
        "themes/handbok/templates/partials/backlinks.html",
        |t| format!("<!-- mall ändrad -->{t}"),
    );
    assert_eq!(edited.strategy, Strategy::Partial, "{}", edited.reason);
    let changed = edited.changed.join(" ");
    assert!(
        changed.contains("styrdokument/incidenthantering/index.html"),
        "{changed}"
    );
    // The 404 page and the sitemap do not use it.
    assert!(
        !changed.contains("404.html") && !changed.contains("sitemap.xml"),
        "{changed}"
    );
}

#[test]
fn a_base_template_edit_in_a_theme_matches_a_full_build() {
    let dir = theme_demo();
    let edited = edit_and_compare(dir.path(), "themes/plain/templates/base.html", |t| {
        t.replacen("<body", "<!-- ny bas --><body", 1)
    });
    assert_eq!(edited.strategy, Strategy::Partial, "{}", edited.reason);
}

#[test]
fn a_shortcode_template_edit_is_built_in_full() {
    let dir = theme_demo();
    let edited = edit_and_compare(
        dir.path(),
        "themes/plain/templates/shortcodes/greeting.md",
        |t| format!("{t} (ändrad)"),
    );
    assert_eq!(edited.strategy, Strategy::Full, "{}", edited.reason);
}

#[test]
fn a_broken_template_keeps_the_previous_site_with_a_located_error() {
    let dir = bundled();
    let (result, ..) = broken_edit(
        dir.path(),
        "themes/handbok/templates/partials/backlinks.html",
        |t| format!("{t}\n{{% if %}}\n"),
    );
    let shown = crate::diagnostics::render_plain(&result.report.diagnostics);
    assert!(shown.contains("backlinks.html:"), "{shown}");
}

#[test]
fn in_a_git_repository_the_edited_document_shows_its_uncommitted_state_as_a_full_build_does() {
    let dir = bundled();
    let who = ("Handbok Test", "test@example.org");
    let date = "2026-01-15T10:00:00+01:00";
    crate::history::tests::git_in(dir.path(), &["init", "-q"], who, date);
    crate::history::tests::git_in(dir.path(), &["add", "-A"], who, date);
    crate::history::tests::git_in(
        dir.path(),
        &["commit", "-q", "-m", "Första versionen"],
        who,
        date,
    );
    let edited = edit_and_compare(
        dir.path(),
        "content/styrdokument/incidenthantering.md",
        |t| format!("{t}\nEn ny mening som ännu inte är incheckad.\n"),
    );
    assert_eq!(edited.strategy, Strategy::Partial, "{}", edited.reason);
    assert!(
        edited
            .changed
            .iter()
            .any(|p| p == "styrdokument/incidenthantering/historik/index.html"),
        "the history page now says the file has uncommitted changes: {:?}",
        edited.changed
    );
}

#[test]
fn a_section_body_edit_renders_the_section_and_what_reads_it_as_a_full_build_would() {
    let dir = bundled();
    let edited = edit_and_compare(dir.path(), "content/styrdokument/_index.md", |t| {
        format!("{t}\nEn ny inledning till styrdokumenten, se [kontakt](@/kontakt.md).\n")
    });
    assert_eq!(edited.strategy, Strategy::Partial, "{}", edited.reason);
    assert!(
        edited
            .changed
            .iter()
            .any(|p| p == "styrdokument/index.html"),
        "{:?}",
        edited.changed
    );
    let dir = theme_demo();
    let edited = edit_and_compare(dir.path(), "content/blog/_index.md", |t| {
        format!("{t}\nOm bloggen.\n")
    });
    assert_eq!(edited.strategy, Strategy::Partial, "{}", edited.reason);
}

#[test]
fn a_title_edit_leaves_the_sitemap_alone_and_an_extra_edit_updates_it() {
    // A sitemap that shows a field of `extra`: what it reads of a page
    // are its dates and `extra`, which a new title does not change.
    let dir = theme_demo();
    std::fs::create_dir_all(dir.path().join("templates")).expect("make templates");
    std::fs::write(
        dir.path().join("templates/sitemap.xml"),
        "<urlset>{% for e in entries %}<url><loc>{{ e.permalink }}</loc>\
         {% if e.extra.note %}<note>{{ e.extra.note }}</note>{% endif %}</url>{% endfor %}</urlset>\n",
    )
    .expect("write the sitemap template");
    // The theme's 404 page shows the navigation, which lists the post.
    std::fs::write(dir.path().join("templates/404.html"), "<h1>Saknas</h1>\n")
        .expect("write the 404 template");
    let file = "content/blog/second-post.md";
    let title = edit_and_compare(dir.path(), file, |t| {
        t.replacen("title = \"Second post\"", "title = \"Andra inlägget\"", 1)
    });
    assert_eq!(title.strategy, Strategy::Partial, "{}", title.reason);
    assert!(!title.changed.iter().any(|p| p == "sitemap.xml"));
    let extra = edit_and_compare(dir.path(), file, |t| {
        t.replacen("+++\nText", "[extra]\nnote = \"Utkast\"\n+++\nText", 1)
    });
    assert_eq!(extra.strategy, Strategy::Partial, "{}", extra.reason);
    assert!(
        extra.changed.iter().any(|p| p == "sitemap.xml"),
        "{:?}",
        extra.changed
    );
    assert!(
        title.rendered < extra.rendered,
        "a title edit rendered {} units, an extra edit {}",
        title.rendered,
        extra.rendered
    );
}
