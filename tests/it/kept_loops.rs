//! A loop whose reads are the same on every page (a navigation over
//! `get_section`, a menu from `config.extra`) is rendered once per build
//! and its output written again. The output must be exactly what
//! rendering every loop gives (`HANDBOK_RENDER_EVERY_LOOP` turns keeping
//! off), in every language and whatever includes the loop.

use crate::common::{TestSite, Way};

/// Builds `s` with loops kept and rendering every loop, asserts the
/// outputs are the same file by file, and gives how often a kept output
/// was written again.
fn assert_same_rendering_every_loop(s: &TestSite) -> u64 {
    let kept = Way {
        out: "out-kept",
        env: &[("RUST_LOG", "handbok=debug")],
    };
    let every = Way {
        out: "out-every",
        env: &[("HANDBOK_RENDER_EVERY_LOOP", "1")],
    };
    let (kept, _) = s.assert_builds_alike(kept, every);
    let line = kept
        .stderr
        .lines()
        .find(|l| l.contains("written again"))
        .unwrap_or_else(|| panic!("no count of kept loops in:\n{}", kept.stderr));
    line.split("written again: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unreadable count: {line}"))
}

/// Two languages, a navigation and menus in the base template, a partial
/// included by HTML and by plain-text templates, and loops that must not
/// be kept (the current path, the page's own tags).
fn navigated_site() -> TestSite {
    let s = TestSite::empty();
    s.write(
        "config.toml",
        r#"base_url = "https://example.org"
title = "Handbok"
default_language = "sv"
taxonomies = [{ name = "taggar" }]

[extra]
menu = ["om", "kontakt & <hjälp>"]

[languages.en]
title = "Handbook"
taxonomies = [{ name = "tags" }]

[languages.en.translations]
home = "Home"

[translations]
home = "Hem"
"#,
    );
    s.write("content/_index.md", "+++\ntitle = \"Start\"\n+++\nStart.\n");
    s.write(
        "content/_index.en.md",
        "+++\ntitle = \"Start (en)\"\n+++\nStart.\n",
    );
    for (dir, title) in [("rutiner", "Rutiner"), ("policyer", "Policyer")] {
        s.write(
            &format!("content/{dir}/_index.md"),
            &format!("+++\ntitle = \"{title}\"\n+++\n"),
        );
        s.write(
            &format!("content/{dir}/_index.en.md"),
            &format!("+++\ntitle = \"{title} (en)\"\n+++\n"),
        );
        for i in 0..3 {
            s.write(
                &format!("content/{dir}/sida-{i}.md"),
                &format!("+++\ntitle = \"{title} {i}\"\n[taxonomies]\ntaggar = [\"t{i}\"]\n+++\nText {i}.\n"),
            );
            s.write(
                &format!("content/{dir}/sida-{i}.en.md"),
                &format!("+++\ntitle = \"{title} {i} (en)\"\n[taxonomies]\ntags = [\"t{i}\"]\n+++\nText {i}.\n"),
            );
        }
    }
    s.write(
        "templates/partials/menu.html",
        "{% for m in config.extra.menu %}<a>{{ m }} ({{ config.title }})</a>{% endfor %}",
    );
    s.write(
        "templates/base.html",
        r#"<title>{{ config.title }}</title><nav>{% set root = get_section(path="_index.md", lang=lang, metadata_only=true) %}{% for s in root.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<a href="{{ sub.permalink | safe }}">{{ sub.title }}</a>{% for p in sub.pages %}{{ p.title }};{% endfor %}{% endfor %}</nav>
<ul>{% for s in root.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li{% if current_path is starting_with(sub.path) %} class="here"{% endif %}>{{ sub.title }}</li>{% endfor %}</ul>
{% include "partials/menu.html" %}{{ trans(key="home", lang=lang) }}{% for t in [1, 2] %}{{ trans(key="home", lang=lang) }}{{ t }}{% endfor %}
{% block main %}{% endblock %}"#,
    );
    s.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{% for t in page.taxonomies.taggar | default(value=[]) %}{{ t }}{% endfor %}{% for n in [1, 2] %}{{ get_taxonomy_url(kind=\"taggar\", name=\"t1\") }}{% endfor %}{% endblock %}",
    );
    s.write(
        "templates/section.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ section.title }}</h1>{% for p in section.pages %}{{ p.title }}{% endfor %}{% endblock %}",
    );
    s.write(
        "templates/index.html",
        "{% extends \"base.html\" %}{% block main %}index{% endblock %}",
    );
    s.write(
        "templates/taxonomy_list.html",
        "{% extends \"base.html\" %}{% block main %}{% for t in terms %}{{ t.name }}{% endfor %}{% endblock %}",
    );
    s.write(
        "templates/taxonomy_single.html",
        "{% extends \"base.html\" %}{% block main %}{{ term.name }}{% endblock %}",
    );
    s.write(
        "templates/robots.txt",
        "{% include \"partials/menu.html\" %}\nUser-agent: *\n",
    );
    s
}

#[test]
fn a_navigation_kept_between_pages_gives_what_rendering_it_on_each_gives() {
    let s = navigated_site();
    let written_again = assert_same_rendering_every_loop(&s);
    assert!(
        written_again > 20,
        "kept outputs written {written_again} times"
    );
    let page =
        std::fs::read_to_string(s.root.join("out-kept/rutiner/sida-1/index.html")).expect("a page");
    assert!(
        page.contains("<a href=\"https://example.org/policyer/\">Policyer</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a>kontakt &amp; &lt;hjälp&gt; (Handbok)</a>"),
        "{page}"
    );
    assert!(page.contains("Hem1Hem2"), "{page}");
    assert!(
        page.contains("<li>Policyer</li><li class=\"here\">Rutiner</li>"),
        "{page}"
    );
    let english = std::fs::read_to_string(s.root.join("out-kept/en/rutiner/sida-1/index.html"))
        .expect("an English page");
    assert!(english.contains(">Policyer (en)</a>"), "{english}");
    assert!(english.contains("Home1Home2"), "{english}");
    assert!(english.contains("<a>om (Handbook)</a>"), "{english}");
    let robots = std::fs::read_to_string(s.root.join("out-kept/robots.txt")).expect("robots.txt");
    assert!(
        robots.contains("<a>kontakt & <hjälp> (Handbok)</a>"),
        "{robots}"
    );
}

#[test]
fn the_bundled_handbook_is_the_same_with_loops_kept() {
    let s = TestSite::bundled();
    assert_same_rendering_every_loop(&s);
}
