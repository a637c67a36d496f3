//! A deterministic synthetic handbook in Zola layout, for benchmarks:
//! nested sections, governance front matter with roles, 3–6 KB Markdown
//! bodies with tables, code blocks and `@/` links. The same site builds
//! with Zola, so the two can be timed side by side.

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

/// Path (relative to content/) of page `i` of a site with `sections` leaf sections.
fn page_path(i: usize, sections: usize) -> String {
    let leaf = i % sections;
    format!("omrade-{}/del-{}/sida-{i}.md", leaf / 5, leaf % 5)
}

fn body(rng: &mut Rng, i: usize, pages: usize, sections: usize) -> String {
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
            1 => {
                b.push_str("```rust\nfn kontrollera(behorighet: &str) -> bool {\n    behorighet.starts_with(\"las\")\n}\n```\n\n");
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

/// Writes a site of `pages` pages into `root` (config, templates, content).
pub(crate) fn generate(root: &Path, pages: usize) -> std::io::Result<()> {
    let sections = (pages / 50).clamp(5, 200) / 5 * 5;
    let content = root.join("content");
    std::fs::create_dir_all(root.join("templates"))?;
    std::fs::write(
        root.join("config.toml"),
        "base_url = \"https://example.org\"\ntitle = \"Syntetisk handbok\"\ndefault_language = \"sv\"\n\n[markdown.highlighting]\ntheme = \"solarized-light\"\n",
    )?;
    std::fs::write(
        root.join("templates/base.html"),
        "<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{% block title %}{{ config.title }}{% endblock %}</title></head><body><main>{% block main %}{% endblock %}</main></body></html>",
    )?;
    std::fs::write(
        root.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block title %}{{ page.title }}{% endblock %}{% block main %}<h1>{{ page.title }}</h1>{% if page.extra.owner %}<dl><dt>Ägare</dt><dd>{{ page.extra.owner }}</dd><dt>Version</dt><dd>{{ page.extra.version }}</dd></dl>{% endif %}{{ page.content | safe }}{% if page.lower %}<a href=\"{{ page.lower.permalink | safe }}\">{{ page.lower.title }}</a>{% endif %}{% endblock %}",
    )?;
    std::fs::write(
        root.join("templates/section.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>{{ section.title }}</h1><ul>{% for p in section.pages %}<li><a href=\"{{ p.permalink | safe }}\">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}",
    )?;
    std::fs::write(
        root.join("templates/index.html"),
        "{% extends \"section.html\" %}",
    )?;
    std::fs::create_dir_all(&content)?;
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
                format!(
                    "+++\ntitle = \"Område {}\"\nsort_by = \"weight\"\n+++\n",
                    s / 5
                ),
            )?;
        }
        let sub = dir.join(format!("del-{}", s % 5));
        std::fs::create_dir_all(&sub)?;
        std::fs::write(
            sub.join("_index.md"),
            format!("+++\ntitle = \"Del {s}\"\nsort_by = \"weight\"\n+++\n"),
        )?;
    }
    let roles = content.join("roller");
    std::fs::create_dir_all(&roles)?;
    std::fs::write(
        roles.join("_index.md"),
        "+++\ntitle = \"Roller\"\nsort_by = \"title\"\n+++\n",
    )?;
    for role in ROLES {
        std::fs::write(roles.join(format!("{role}.md")), format!("+++\ntitle = \"Roll {role}\"\n[extra]\nrole_id = \"{role}\"\n+++\nBeskrivning av rollen.\n"))?;
    }
    let mut rng = Rng::new(42);
    for i in 0..pages {
        let owner = ROLES[rng.below(ROLES.len() as u64) as usize];
        let text = format!(
            "+++\ntitle = \"Rutin {i}\"\nweight = {i}\ndate = 2025-{:02}-{:02}\n\n[extra]\nkind = \"rutin\"\ndoc_id = \"SYN-RUT-{i:05}\"\nversion = \"1.{}\"\nstatus = \"gällande\"\nowner = \"{owner}\"\napproved_by = \"chef\"\napproved = 2026-06-01\nreview_interval = \"P1Y\"\n+++\n{}",
            1 + i % 12,
            1 + i % 28,
            i % 7,
            body(&mut rng, i, pages, sections)
        );
        std::fs::write(content.join(page_path(i, sections)), text)?;
    }
    Ok(())
}
