//! A deterministic synthetic handbook in Zola layout, for benchmarks:
//! nested sections, governance front matter with roles, 3–6 KB Markdown
//! bodies with tables, code blocks and `@/` links. The same site builds
//! with Zola, so the two can be timed side by side, and an equivalent
//! Hugo site can be written beside it.
//!
//! Two shapes. [`Shape::Plain`] is bare templates (a page, a section
//! list): it measures the engine, but no real theme is that thin.
//! [`Shape::Real`] is shaped like the themes people use: navigation from
//! `get_section(…, metadata_only=true)` in the base template of every
//! page, a table of contents on every page, two taxonomies whose few terms
//! each list thousands of pages on their term page, section lists with
//! dates and summaries, and a code block in one page of five.
//! [`Shape::Handbook`] is the real shape's content built with the bundled
//! theme and handbook settings (roles, glossary, register, matrix, review
//! status, search): what an organisation's own handbook grows into. Only
//! handbok builds it.

use std::fmt::Write as _;
use std::path::Path;

/// A tiny deterministic generator (xorshift), so every run writes the
/// same site.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const WORDS: &[&str] = &[
    "informationssäkerhet",
    "behörighet",
    "verksamhet",
    "rutin",
    "anvisning",
    "ansvar",
    "chef",
    "incident",
    "klassning",
    "kontinuitet",
    "leverantör",
    "uppföljning",
    "dataskydd",
    "risk",
    "åtgärd",
    "översyn",
    "system",
    "information",
    "medarbetare",
    "utbildning",
    "och",
    "att",
    "som",
    "för",
    "med",
    "ska",
    "inom",
    "genom",
    "enligt",
    "samt",
    "vid",
    "till",
    "av",
    "den",
];

const ROLES: &[&str] = &[
    "isam",
    "dso",
    "chef",
    "objektagare",
    "objektledare",
    "medarbetare",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str() + ".",
        None => s,
    }
}

/// Which kind of site to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)]
pub(crate) enum Shape {
    /// Bare templates: the engine alone.
    Plain,
    /// Navigation, tables of contents, taxonomies and long lists.
    Real,
    /// The real shape's content with the bundled theme.
    Handbook,
}

impl Shape {
    #[allow(dead_code)]
    pub(crate) fn name(self) -> &'static str {
        match self {
            Shape::Plain => "plain",
            Shape::Real => "real",
            Shape::Handbook => "handbook",
        }
    }
}

/// The terms of the two taxonomies: few, so each lists thousands of pages.
const KATEGORIER: &[&str] = &[
    "Styrning",
    "Skydd",
    "Uppföljning",
    "Kontinuitet",
    "Dataskydd",
];
const TAGGAR: &[&str] = &[
    "behörighet",
    "incident",
    "leverantör",
    "klassning",
    "utbildning",
    "loggning",
    "kryptering",
    "backup",
];

/// Path (relative to content/) of page `i` of a site with `sections` leaf sections.
fn page_path(i: usize, sections: usize) -> String {
    let leaf = i % sections;
    format!("omrade-{}/del-{}/sida-{i}.md", leaf / 5, leaf % 5)
}

fn body(rng: &mut Rng, i: usize, pages: usize, sections: usize, shape: Shape) -> String {
    let mut b = String::from("## Syfte\n\nDen här rutinen beskriver ansvar och arbetssätt.\n\n");
    let target = 3000 + rng.below(3000) as usize;
    let mut n = 0;
    while b.len() < target {
        n += 1;
        let _ = writeln!(
            b,
            "## Avsnitt {n} om {}\n",
            WORDS[rng.below(WORDS.len() as u64) as usize]
        );
        for _ in 0..3 {
            let words = 20 + rng.below(20) as usize;
            let _ = writeln!(b, "{}\n", sentence(rng, words));
        }
        match n % 3 {
            0 => {
                b.push_str("| Roll | Ansvar | Frist |\n|---|---|---|\n");
                for (r, role) in ROLES.iter().enumerate().take(4) {
                    let _ = writeln!(b, "| {role} | {} | 2026-0{}-15 |", sentence(rng, 5), r + 1);
                }
                b.push('\n');
            }
            1 if shape == Shape::Plain || (i.is_multiple_of(5) && n == 1) => {
                b.push_str("```rust\nfn kontrollera(behorighet: &str) -> bool {\n    behorighet.starts_with(\"las\")\n}\n```\n\n");
            }
            1 => {
                let _ = writeln!(b, "- {}\n- {}\n", sentence(rng, 8), sentence(rng, 8));
            }
            _ => {
                let other = (i + 1 + rng.below(pages as u64 - 1) as usize) % pages;
                let _ = writeln!(
                    b,
                    "Se även [sida {other}](@/{}#syfte).\n",
                    page_path(other, sections)
                );
            }
        }
    }
    b
}

/// Writes a plain-shaped site of `pages` pages into `root`.
#[allow(dead_code)]
pub(crate) fn generate(root: &Path, pages: usize) -> std::io::Result<()> {
    generate_shaped(root, pages, Shape::Plain)
}

const PLAIN_BASE: &str = "<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{% block title %}{{ config.title }}{% endblock %}</title></head><body><main>{% block main %}{% endblock %}</main></body></html>";
const PLAIN_PAGE: &str = "{% extends \"base.html\" %}{% block title %}{{ page.title }}{% endblock %}{% block main %}<h1>{{ page.title }}</h1>{% if page.extra.owner %}<dl><dt>Ägare</dt><dd>{{ page.extra.owner }}</dd><dt>Version</dt><dd>{{ page.extra.version }}</dd></dl>{% endif %}{{ page.content | safe }}{% if page.lower %}<a href=\"{{ page.lower.permalink | safe }}\">{{ page.lower.title }}</a>{% endif %}{% endblock %}";
const PLAIN_SECTION: &str = "{% extends \"base.html\" %}{% block main %}<h1>{{ section.title }}</h1><ul>{% for p in section.pages %}<li><a href=\"{{ p.permalink | safe }}\">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}";

/// The real shape's templates, as themes write them: the navigation is
/// looked up on every page, not passed in.
const REAL_BASE: &str = r#"<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock %}</title></head>
<body>
<nav><ul>
{% set root = get_section(path="_index.md", metadata_only=true) %}
{% for s in root.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink | safe }}">{{ sub.title }}</a></li>
{% endfor %}
</ul></nav>
<main>{% block main %}{% endblock %}</main>
<footer>{{ config.title }}</footer>
</body>
</html>
"#;
const REAL_PAGE: &str = r#"{% extends "base.html" %}
{% block title %}{{ page.title }} – {{ config.title }}{% endblock %}
{% block main %}
<article>
<h1>{{ page.title }}</h1>
{% if page.extra.owner %}<dl><dt>Dokument-id</dt><dd>{{ page.extra.doc_id }}</dd><dt>Ägare</dt><dd>{{ page.extra.owner }}</dd><dt>Version</dt><dd>{{ page.extra.version }}</dd><dt>Datum</dt><dd>{{ page.date }}</dd></dl>{% endif %}
{% if page.toc %}<nav class="toc"><ol>
{% for h in page.toc %}<li><a href="{{ h.permalink | safe }}">{{ h.title }}</a>{% if h.children %}<ol>{% for c in h.children %}<li><a href="{{ c.permalink | safe }}">{{ c.title }}</a></li>{% endfor %}</ol>{% endif %}</li>
{% endfor %}</ol></nav>{% endif %}
{{ page.content | safe }}
{% if page.taxonomies.kategorier %}<p>Kategori: {% for t in page.taxonomies.kategorier %}<a href="{{ get_taxonomy_url(kind="kategorier", name=t) | safe }}">{{ t }}</a> {% endfor %}</p>{% endif %}
{% if page.taxonomies.taggar %}<ul class="taggar">{% for t in page.taxonomies.taggar %}<li><a href="{{ get_taxonomy_url(kind="taggar", name=t) | safe }}">{{ t }}</a></li>{% endfor %}</ul>{% endif %}
<nav class="grannar">{% if page.lower %}<a href="{{ page.lower.permalink | safe }}">{{ page.lower.title }}</a>{% endif %}{% if page.higher %}<a href="{{ page.higher.permalink | safe }}">{{ page.higher.title }}</a>{% endif %}</nav>
</article>
{% endblock %}
"#;
const REAL_SECTION: &str = r#"{% extends "base.html" %}
{% block title %}{{ section.title }} – {{ config.title }}{% endblock %}
{% block main %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
{% if section.subsections %}<ul class="avsnitt">{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink | safe }}">{{ sub.title }}</a></li>{% endfor %}</ul>{% endif %}
<ul class="sidor">
{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> <time>{{ p.date }}</time>{% if p.extra.doc_id %} {{ p.extra.doc_id }}{% endif %}</li>
{% endfor %}
</ul>
{% endblock %}
"#;
const REAL_TAXONOMY_LIST: &str = r#"{% extends "base.html" %}
{% block main %}
<h1>{{ taxonomy.name }}</h1>
<ul>{% for term in terms %}<li><a href="{{ term.permalink | safe }}">{{ term.name }}</a> ({{ term.pages | length }})</li>{% endfor %}</ul>
{% endblock %}
"#;
const REAL_TAXONOMY_SINGLE: &str = r#"{% extends "base.html" %}
{% block title %}{{ term.name }} – {{ config.title }}{% endblock %}
{% block main %}
<h1>{{ term.name }}</h1>
<ul>
{% for p in term.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> <time>{{ p.date }}</time></li>
{% endfor %}
</ul>
{% endblock %}
"#;

/// One page's parts, written out in Zola's or Hugo's front matter.
struct PageSpec {
    i: usize,
    owner: &'static str,
    kategori: &'static str,
    taggar: [&'static str; 2],
    body: String,
}

/// Every page of a site, in order; the same for Zola and Hugo.
fn page_specs(pages: usize, sections: usize, shape: Shape) -> Vec<PageSpec> {
    let mut rng = Rng::new(42);
    (0..pages)
        .map(|i| {
            let owner = ROLES[rng.below(ROLES.len() as u64) as usize];
            let body = body(&mut rng, i, pages, sections, shape);
            PageSpec {
                i,
                owner,
                kategori: KATEGORIER[i % KATEGORIER.len()],
                taggar: [TAGGAR[i % TAGGAR.len()], TAGGAR[(i / 3 + 1) % TAGGAR.len()]],
                body,
            }
        })
        .collect()
}

fn sections_for(pages: usize) -> usize {
    (pages / 50).clamp(5, 200) / 5 * 5
}

/// Writes a site of `pages` pages into `root` (config, templates, content).
pub(crate) fn generate_shaped(root: &Path, pages: usize, shape: Shape) -> std::io::Result<()> {
    let sections = sections_for(pages);
    let content = root.join("content");
    let templates = root.join("templates");
    std::fs::create_dir_all(root)?;
    let taxonomies = match shape {
        Shape::Plain => "",
        Shape::Real | Shape::Handbook => {
            "taxonomies = [{ name = \"kategorier\" }, { name = \"taggar\" }]\n"
        }
    };
    if shape == Shape::Handbook {
        std::fs::write(
            root.join("config.toml"),
            format!("base_url = \"https://example.org\"\ntitle = \"Syntetisk handbok\"\ndefault_language = \"sv\"\ntheme = \"handbok\"\n{taxonomies}generate_feeds = true\n{HANDBOOK_CONFIG}"),
        )?;
        write_sections(&content, sections, "sort_by = \"weight\"\n")?;
        write_handbook_pages(&content)?;
    } else {
        std::fs::write(
            root.join("config.toml"),
            format!("base_url = \"https://example.org\"\ntitle = \"Syntetisk handbok\"\ndefault_language = \"sv\"\n{taxonomies}\n[markdown.highlighting]\ntheme = \"solarized-light\"\n"),
        )?;
        write_templates(&templates, shape)?;
        write_sections(&content, sections, "sort_by = \"weight\"\n")?;
    }
    for spec in page_specs(pages, sections, shape) {
        let i = spec.i;
        let taxonomies = match shape {
            Shape::Plain => String::new(),
            Shape::Real | Shape::Handbook => format!(
                "\n[taxonomies]\nkategorier = [\"{}\"]\ntaggar = [\"{}\", \"{}\"]\n",
                spec.kategori, spec.taggar[0], spec.taggar[1]
            ),
        };
        let text = format!(
            "+++\ntitle = \"Rutin {i}\"\nweight = {i}\ndate = 2025-{:02}-{:02}\n{taxonomies}\n[extra]\nkind = \"rutin\"\ndoc_id = \"SYN-RUT-{i:05}\"\nversion = \"1.{}\"\nstatus = \"gällande\"\nowner = \"{}\"\napproved_by = \"chef\"\napproved = 2026-06-01\nreview_interval = \"P1Y\"\n+++\n{}",
            1 + i % 12,
            1 + i % 28,
            i % 7,
            spec.owner,
            spec.body
        );
        std::fs::write(content.join(page_path(i, sections)), text)?;
    }
    Ok(())
}

/// The handbook shape's settings, as the bundled handbook's `config.toml`
/// has them (history off: the synthetic site is not a repository).
const HANDBOOK_CONFIG: &str = r#"
[markdown]
highlight_code = true
highlight_theme = "InspiredGitHub"
sanitize = true

[handbook]
roles_section = "roller"
glossary = "ordlista.md"
default_review_interval = "P1Y"

[handbook.history]
enabled = false

[handbook.search]
enabled = true
page = "/sok/"
"#;

/// The pages the bundled theme links from every page (menu, footer,
/// incident call-out), and a glossary whose terms occur in every body.
fn write_handbook_pages(content: &Path) -> std::io::Result<()> {
    let files = [
        ("styrdokument/_index.md", "+++\ntitle = \"Styrdokument\"\n+++\n".to_string()),
        ("styrdokument/incidenthantering.md", "+++\ntitle = \"Incidenthantering\"\n+++\n## Om du upptäcker en incident\n\nRing ISAM.\n".to_string()),
        ("introduktion/_index.md", "+++\ntitle = \"Introduktion\"\n+++\n".to_string()),
        ("genomgangar/_index.md", "+++\ntitle = \"Genomgångar\"\n+++\n".to_string()),
        ("kontakt.md", "+++\ntitle = \"Kontakt\"\n+++\nKontakta ISAM.\n".to_string()),
        ("tillganglighet.md", "+++\ntitle = \"Tillgänglighet\"\n+++\n".to_string()),
        ("ordlista.md", glossary()),
    ];
    for (path, text) in files {
        let path = content.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}

/// A glossary of abbreviations and words the bodies use, so every page
/// marks terms.
fn glossary() -> String {
    let mut text = String::from("+++\ntitle = \"Ordlista\"\n\n[extra]\nglossary = true\n");
    let terms = [
        ("ISAM", "Informationssäkerhetssamordnare", Some("isam")),
        ("DSO", "Dataskyddsombud", Some("dso")),
        ("LIS", "Ledningssystem för informationssäkerhet", None),
        ("Informationssäkerhet", "", None),
        ("Kontinuitet", "", None),
        ("Klassning", "", None),
        ("Behörighet", "", None),
        ("Incident", "", None),
        ("Leverantör", "", None),
        ("Uppföljning", "", None),
        ("Dataskydd", "", None),
        ("Översyn", "", None),
    ];
    for (term, expansion, role) in terms {
        let _ = write!(
            text,
            "\n[[extra.terms]]\nterm = \"{term}\"\nexpansion = \"{expansion}\"\ndefinition = \"Vad {term} betyder i handboken.\"\n"
        );
        if let Some(role) = role {
            let _ = writeln!(text, "role = \"{role}\"");
        }
    }
    text.push_str("+++\n");
    text
}

/// The templates of the plain and real shapes.
fn write_templates(templates: &Path, shape: Shape) -> std::io::Result<()> {
    std::fs::create_dir_all(templates)?;
    let files: &[(&str, &str)] = match shape {
        Shape::Plain => &[
            ("base.html", PLAIN_BASE),
            ("page.html", PLAIN_PAGE),
            ("section.html", PLAIN_SECTION),
        ],
        Shape::Real | Shape::Handbook => &[
            ("base.html", REAL_BASE),
            ("page.html", REAL_PAGE),
            ("section.html", REAL_SECTION),
            ("taxonomy_list.html", REAL_TAXONOMY_LIST),
            ("taxonomy_single.html", REAL_TAXONOMY_SINGLE),
        ],
    };
    for (name, text) in files {
        std::fs::write(templates.join(name), text)?;
    }
    std::fs::write(
        templates.join("index.html"),
        "{% extends \"section.html\" %}",
    )
}

/// The section tree and the roles, with `sort` in each section's front
/// matter (empty for Hugo, which sorts by weight anyway).
fn write_sections(content: &Path, sections: usize, sort: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(content)?;
    std::fs::write(
        content.join("_index.md"),
        "+++\ntitle = \"Start\"\n+++\nVälkommen.\n",
    )?;
    for s in 0..sections {
        let dir = content.join(format!("omrade-{}", s / 5));
        if s % 5 == 0 {
            std::fs::create_dir_all(&dir)?;
            std::fs::write(
                dir.join("_index.md"),
                format!("+++\ntitle = \"Område {}\"\n{sort}+++\n", s / 5),
            )?;
        }
        let sub = dir.join(format!("del-{}", s % 5));
        std::fs::create_dir_all(&sub)?;
        std::fs::write(
            sub.join("_index.md"),
            format!("+++\ntitle = \"Del {s}\"\n{sort}+++\n"),
        )?;
    }
    let roles = content.join("roller");
    std::fs::create_dir_all(&roles)?;
    std::fs::write(
        roles.join("_index.md"),
        format!(
            "+++\ntitle = \"Roller\"\n{}+++\n",
            if sort.is_empty() {
                ""
            } else {
                "sort_by = \"title\"\n"
            }
        ),
    )?;
    for role in ROLES {
        std::fs::write(roles.join(format!("{role}.md")), format!("+++\ntitle = \"Roll {role}\"\n[extra]\nrole_id = \"{role}\"\n+++\nBeskrivning av rollen.\n"))?;
    }
    Ok(())
}

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><title>{{ block "title" . }}{{ site.Title }}{{ end }}</title></head>
<body>
<nav><ul>
{{ range site.Home.Sections }}<li><a href="{{ .Permalink }}">{{ .Title }}</a></li>
{{ end }}
</ul></nav>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ site.Title }}</footer>
</body>
</html>
"#;
const HUGO_SINGLE: &str = r#"{{ define "title" }}{{ .Title }} – {{ site.Title }}{{ end }}
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.owner }}<dl><dt>Dokument-id</dt><dd>{{ $.Params.doc_id }}</dd><dt>Ägare</dt><dd>{{ . }}</dd><dt>Version</dt><dd>{{ $.Params.version }}</dd><dt>Datum</dt><dd>{{ $.Date.Format "2006-01-02" }}</dd></dl>{{ end }}
{{ .TableOfContents }}
{{ .Content }}
{{ with .GetTerms "kategorier" }}<p>Kategori: {{ range . }}<a href="{{ .Permalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ with .GetTerms "taggar" }}<ul class="taggar">{{ range . }}<li><a href="{{ .Permalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
<nav class="grannar">{{ with .PrevInSection }}<a href="{{ .Permalink }}">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href="{{ .Permalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>
{{ end }}
"#;
const HUGO_LIST: &str = r#"{{ define "title" }}{{ .Title }} – {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ with .Sections }}<ul class="avsnitt">{{ range . }}<li><a href="{{ .Permalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
<ul class="sidor">
{{ range .RegularPages }}<li><a href="{{ .Permalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time> {{ .Params.doc_id }}</li>
{{ end }}
</ul>
{{ end }}
"#;
const HUGO_TAXONOMY: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.Permalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
"#;
const HUGO_TERM: &str = r#"{{ define "title" }}{{ .Title }} – {{ site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages }}<li><a href="{{ .Permalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}
</ul>
{{ end }}
"#;

/// The real-shaped site for Hugo: the same pages, sections, terms and
/// templates doing the same work (`@/` links become `ref` shortcodes,
/// which Hugo checks as Zola checks internal links).
#[allow(dead_code)]
pub(crate) fn generate_hugo(root: &Path, pages: usize) -> std::io::Result<()> {
    let sections = sections_for(pages);
    let content = root.join("content");
    let layouts = root.join("layouts/_default");
    std::fs::create_dir_all(&layouts)?;
    std::fs::write(
        root.join("hugo.toml"),
        "baseURL = \"https://example.org/\"\ntitle = \"Syntetisk handbok\"\nlanguageCode = \"sv\"\ndisableKinds = [\"RSS\"]\n\n[taxonomies]\nkategori = \"kategorier\"\ntagg = \"taggar\"\n\n[markup.highlight]\nstyle = \"solarized-light\"\n\n[markup.tableOfContents]\nstartLevel = 1\nendLevel = 6\n",
    )?;
    for (name, text) in [
        ("baseof.html", HUGO_BASEOF),
        ("single.html", HUGO_SINGLE),
        ("list.html", HUGO_LIST),
        ("taxonomy.html", HUGO_TAXONOMY),
        ("term.html", HUGO_TERM),
    ] {
        std::fs::write(layouts.join(name), text)?;
    }
    write_sections(&content, sections, "")?;
    for spec in page_specs(pages, sections, Shape::Real) {
        let i = spec.i;
        let body = hugo_links(&spec.body);
        let text = format!(
            "+++\ntitle = \"Rutin {i}\"\nweight = {}\ndate = 2025-{:02}-{:02}\nkategorier = [\"{}\"]\ntaggar = [\"{}\", \"{}\"]\nkind = \"rutin\"\ndoc_id = \"SYN-RUT-{i:05}\"\nversion = \"1.{}\"\nstatus = \"gällande\"\nowner = \"{}\"\napproved_by = \"chef\"\napproved = 2026-06-01\nreview_interval = \"P1Y\"\n+++\n{body}",
            i + 1,
            1 + i % 12,
            1 + i % 28,
            spec.kategori,
            spec.taggar[0],
            spec.taggar[1],
            i % 7,
            spec.owner,
        );
        std::fs::write(content.join(page_path(i, sections)), text)?;
    }
    Ok(())
}

/// `](@/a/b.md#x)` → `]({{< ref "/a/b.md#x" >}})`.
fn hugo_links(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    let mut rest = body;
    while let Some(at) = rest.find("](@/") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 4..];
        let end = after.find(')').unwrap_or(after.len());
        let _ = write!(out, "]({{{{< ref \"/{}\" >}}}})", &after[..end]);
        rest = &after[(end + 1).min(after.len())..];
    }
    out.push_str(rest);
    out
}
