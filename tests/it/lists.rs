//! Lists keep only the fields their templates can read: a term page that
//! shows titles does not copy every page's HTML. Whatever the templates
//! do, the output must be exactly what whole values give
//! (`HANDBOK_WHOLE_LISTS` turns the projection off).

use crate::common::{TestSite, Way};
use std::collections::BTreeMap;

/// Builds `s` with and without the projection and asserts the outputs
/// are the same, file by file; gives the output.
fn assert_same_with_whole_lists(s: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let projected = Way {
        out: "out-projected",
        env: &[],
    };
    let whole = Way {
        out: "out-whole",
        env: &[("HANDBOK_WHOLE_LISTS", "1")],
    };
    s.assert_builds_alike(projected, whole).1
}

/// Templates that reach listed pages' bodies in every roundabout way a
/// theme might: a macro whose parameter is named `page`, a sibling's
/// content, `get_page`, a pager, a comparison of whole pages, a
/// subscript, a filter's attribute, `json_encode`.
fn tricky_site() -> TestSite {
    let s = TestSite::empty();
    s.write(
        "config.toml",
        "base_url = \"https://example.org\"\ntitle = \"T\"\ntaxonomies = [{ name = \"tags\" }, { name = \"cats\", paginate_by = 1 }]\n",
    );
    s.write(
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nHome body.\n",
    );
    s.write(
        "content/blog/_index.md",
        "+++\ntitle = \"Blog\"\nsort_by = \"date\"\n+++\nBlog body.\n",
    );
    for (i, day) in ["01", "02", "03"].iter().enumerate() {
        s.write(
            &format!("content/blog/p{i}.md"),
            &format!(
                "+++\ntitle = \"P{i}\"\ndate = 2024-01-{day}\n[taxonomies]\ntags = [\"a\"]\ncats = [\"c\"]\n+++\nSummary {i}.\n<!-- more -->\n## Heading {i}\n\nBody {i}.\n"
            ),
        );
    }
    s.write(
        "templates/macros.html",
        "{% macro card(page) %}[{{ page.summary | safe }}]{% endmacro card %}",
    );
    s.write(
        "templates/index.html",
        "{% set s = get_section(path=\"blog/_index.md\") %}{% for p in s.pages %}{% if p == s.pages[0] %}first:{% endif %}{{ p.word_count }};{% endfor %}{{ section.content | safe }}",
    );
    s.write(
        "templates/section.html",
        "{% import \"macros.html\" as m %}{{ section.content | safe }}{% for p in section.pages %}{{ p.title }}{% if p.lower %}<{{ p.lower.content | safe }}>{% endif %}{{ m::card(page=p) }}{% endfor %}",
    );
    s.write(
        "templates/page.html",
        "{{ page.content | safe }}{% set s = get_section(path=\"blog/_index.md\") %}{% for q in s.pages %}{% if q.permalink == page.permalink %}*{% endif %}{{ q.title }}{% endfor %}|{% set g = get_page(path=\"blog/p0.md\") %}{{ g.summary | safe }}|{{ s.pages | map(attribute=\"toc\") | length }}|{{ s.pages[1][\"content\"] | safe }}",
    );
    s.write(
        "templates/taxonomy_list.html",
        "{% for t in terms %}{{ t.name }}{{ t.pages | length }}{% for p in t.pages %}{{ p.toc | length }}{% endfor %}{% endfor %}{{ terms | last | json_encode }}",
    );
    s.write(
        "templates/taxonomy_single.html",
        "{% if paginator %}{% for p in paginator.pages %}{{ p.content | safe }}{% endfor %}{% else %}{% for p in term.pages %}{{ p.title }}{% endfor %}{% endif %}",
    );
    s
}

#[test]
fn templates_that_reach_listed_bodies_roundabout_see_them_whole() {
    let out = assert_same_with_whole_lists(&tricky_site());
    let text = |p: &str| String::from_utf8_lossy(&out[p]).into_owned();
    // The macro's `page` is a listed page: its summary shows.
    assert!(
        text("blog/index.html").contains("[<p>Summary 0.</p>"),
        "{}",
        text("blog/index.html")
    );
    assert!(
        text("cats/c/index.html").contains("Body"),
        "{}",
        text("cats/c/index.html")
    );
}

#[test]
fn real_sites_render_the_same_with_whole_lists() {
    for fixture in [
        "zola/theme_demo",
        "zola/pagination",
        "zola/taxonomies",
        "zola/feeds",
        "governance/audience",
    ] {
        assert_same_with_whole_lists(&TestSite::from_fixture(fixture));
    }
    let s = TestSite::bundled();
    assert_same_with_whole_lists(&s);
}

/// One section fetched by templates that read different fields of it,
/// on many pages (the copies made for one template are reused for the
/// next page, never handed to another template), and listed pages'
/// tables of contents, which are kept apart from the stored pages.
#[test]
fn a_section_fetched_by_templates_reading_different_fields_shows_each_its_own() {
    let s = TestSite::empty();
    s.write(
        "config.toml",
        "base_url = \"https://example.org\"\ntitle = \"T\"\n",
    );
    s.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
    s.write(
        "content/blog/_index.md",
        "+++\ntitle = \"Blog title\"\ndescription = \"Blog description\"\nsort_by = \"weight\"\n+++\n",
    );
    for i in 0..4 {
        s.write(
            &format!("content/blog/p{i}.md"),
            &format!("+++\ntitle = \"P{i}\"\nweight = {i}\n+++\n## Rubrik {i}\n\nText {i}.\n"),
        );
    }
    s.write(
        "templates/index.html",
        "{{ get_section(path=\"blog/_index.md\", metadata_only=true) | json_encode | safe }}",
    );
    s.write(
        "templates/section.html",
        "{% set b = get_section(path=\"blog/_index.md\", metadata_only=true) %}[{{ b.description }}]{% for p in section.pages %}{% for h in p.toc %}<{{ h.title }}>{% endfor %}{% endfor %}",
    );
    s.write(
        "templates/page.html",
        "{% set b = get_section(path=\"blog/_index.md\", metadata_only=true) %}[{{ b.title }}]{{ page.toc | length }}{% if page.lower %}{{ page.lower.toc | length }}{% endif %}",
    );
    let out = assert_same_with_whole_lists(&s);
    let text = |p: &str| String::from_utf8_lossy(&out[p]).into_owned();
    assert!(text("index.html").contains("Blog description"));
    assert!(text("index.html").contains("Blog title"));
    assert_eq!(
        text("blog/index.html"),
        "[Blog description]<Rubrik 0><Rubrik 1><Rubrik 2><Rubrik 3>"
    );
    assert_eq!(text("blog/p2/index.html"), "[Blog title]11");
    assert_eq!(text("blog/p0/index.html"), "[Blog title]1");
}

/// Templates that only count lists of pages get placeholders in them:
/// every count is right, on term pages, a taxonomy's list, a section and
/// a pager, beside a template of the same site that shows the pages.
#[test]
fn lists_of_pages_that_templates_only_count_still_count_right() {
    let s = TestSite::empty();
    s.write(
        "config.toml",
        "base_url = \"https://example.org\"\ntitle = \"T\"\ntaxonomies = [{ name = \"tags\" }, { name = \"cats\", paginate_by = 2 }]\n",
    );
    s.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
    s.write(
        "content/blog/_index.md",
        "+++\ntitle = \"Blog\"\nsort_by = \"weight\"\n+++\n",
    );
    for i in 0..5 {
        let tags = if i % 2 == 0 {
            "[\"a\", \"b\"]"
        } else {
            "[\"a\"]"
        };
        s.write(
            &format!("content/blog/p{i}.md"),
            &format!("+++\ntitle = \"P{i}\"\nweight = {i}\n[taxonomies]\ntags = {tags}\ncats = [\"c\"]\n+++\nText {i}.\n"),
        );
    }
    s.write(
        "templates/index.html",
        "{% set b = get_section(path=\"blog/_index.md\") %}{{ b.pages | length }}",
    );
    s.write(
        "templates/section.html",
        "{{ section.title }}:{{ section.pages | length }}",
    );
    s.write("templates/page.html", "{{ page.title }}");
    s.write(
        "templates/taxonomy_list.html",
        "{% for t in terms %}{{ t.name }}={{ t.pages | length }};{% endfor %}",
    );
    s.write(
        "templates/taxonomy_single.html",
        "{% if paginator %}{{ paginator.pages | length }}/{{ term.pages | length }}{% else %}{% for p in term.pages %}{{ p.title }},{% endfor %}{% endif %}",
    );
    let out = assert_same_with_whole_lists(&s);
    let text = |p: &str| String::from_utf8_lossy(&out[p]).into_owned();
    assert_eq!(text("index.html"), "5");
    assert_eq!(text("blog/index.html"), "Blog:5");
    assert_eq!(text("tags/index.html"), "a=5;b=3;");
    assert_eq!(text("tags/b/index.html"), "P0,P2,P4,");
    assert_eq!(text("cats/c/index.html"), "2/5");
    assert_eq!(text("cats/c/page/3/index.html"), "1/5");
}
