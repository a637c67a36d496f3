//! The binary's contract: exit codes, located errors, and a failed build
//! that loses nothing.

use crate::common::TestSite;

fn site() -> TestSite {
    TestSite::minimal()
}

#[test]
fn clap_definition_is_valid() {
    use clap::CommandFactory;
    handbok::cli::Cli::command().debug_assert();
}

#[test]
fn every_error_is_located_and_all_are_listed() {
    let s = site();
    s.write(
        "content/trasig.md",
        "+++\ntitle = \"T\"\ndate = \"igår\"\n+++\nSe [x](@/finns-inte.md).\n",
    );
    s.write("content/fel.md", "+++\ntitle = 3\n+++\n");
    s.write(
        "content/ankare.md",
        "+++\ntitle = \"X\"\n+++\n\n\nLänk [a](@/a.md#saknas)\n",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let err = &run.stderr;
    assert!(
        err.contains("content/trasig.md:3:1: error[front-matter::invalid-date]"),
        "{err}"
    );
    assert!(
        err.contains("content/trasig.md:5:4: error[link::broken-internal]"),
        "{err}"
    );
    assert!(
        err.contains("content/fel.md:2:9: error[front-matter::invalid]"),
        "{err}"
    );
    assert!(
        err.contains("content/ankare.md:6:6: error[link::broken-anchor]"),
        "{err}"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let s = site();
    s.build();
    let before = s.output("a/index.html");
    let paths = s.output_paths();
    s.write(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\nÄndrad [x](@/saknas.md)",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(s.output("a/index.html"), before);
    assert_eq!(s.output_paths(), paths);
}

#[test]
fn index_md_beside_index_section_is_an_error() {
    let s = site();
    s.write("content/x/_index.md", "+++\n+++\n");
    s.write("content/x/index.md", "+++\n+++\n");
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/x/index.md: error[content::index-beside-section]"),
        "{}",
        run.stderr
    );
}

#[test]
fn path_collision_names_both_files() {
    let s = site();
    s.write("content/b.md", "+++\ntitle = \"B\"\npath = \"a\"\n+++\n");
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content::path-collision")
            && run.stderr.contains("content/a.md")
            && run.stderr.contains("content/b.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_template_named_in_front_matter_is_located() {
    let s = site();
    s.write(
        "content/t.md",
        "+++\ntitle = \"T\"\ntemplate = \"finns-inte.html\"\n+++\n",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/t.md:3:1: error[template::not-found]"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_syntax_error_names_template_line_and_column() {
    let s = site();
    s.write(
        "templates/page.html",
        "<main>\n{{ page.content | safe }\n</main>",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("templates/page.html:2:"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_runtime_error_names_template_and_page() {
    let s = site();
    s.write(
        "templates/base.html",
        "<html>\n{% block main %}{% endblock %}\n</html>",
    );
    s.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<main>\n  {{ page.nothing.deeper }}</main>{% endblock %}",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("templates/page.html:4:6: error[template::render]: failed to render `page.html` for content/a.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_config_key_warns_with_suggestion() {
    let s = site();
    s.write("config.toml", "base_url = \"/\"\ntitel = \"x\"\n");
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("config.toml:2:1: warning[config::unknown-key]: unknown key `titel`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `title`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_config_is_an_operational_failure() {
    let s = TestSite::empty();
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("Error: "), "{}", run.stderr);
}

#[test]
fn output_dir_that_is_not_ours_is_refused_without_force() {
    let s = site();
    s.write("annat/viktigt.txt", "behåll");
    let run = s.run_cli(&["build", "-o", "annat"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(s.root.join("annat/viktigt.txt").is_file());
    let run = s.run_cli(&["build", "-o", "annat", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(s.root.join("annat/a/index.html").is_file());
}

#[test]
fn base_url_flag_replaces_the_config() {
    let s = site();
    s.write("content/b.md", "+++\ntitle = \"B\"\n+++\n[a](@/a.md)");
    let run = s.run_cli(&["build", "-u", "https://intranet.example/handbok"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(s
        .output("b/index.html")
        .contains("https://intranet.example/handbok/a/"));
}

/// DESIGN.md, Reliability and security: files are read only from inside the
/// site root, also through symbolic links.
#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_site_are_refused() {
    let outside = TestSite::empty();
    outside.write("hemlig.txt", "HEMLIGT");
    outside.write("hemlig.md", "+++\ntitle = \"Hemlig\"\n+++\nHEMLIGT");
    let s = site();
    std::fs::create_dir_all(s.root.join("static")).unwrap_or_default();
    std::os::unix::fs::symlink(
        outside.root.join("hemlig.txt"),
        s.root.join("static/lank.txt"),
    )
    .unwrap_or_default();
    std::os::unix::fs::symlink(
        outside.root.join("hemlig.md"),
        s.root.join("content/lank.md"),
    )
    .unwrap_or_default();
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("static/lank.txt: error[static::outside-root]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/lank.md: error[content::outside-root]"),
        "{}",
        run.stderr
    );
    assert!(!s.root.join("public").exists(), "nothing written");
}
