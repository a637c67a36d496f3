//! Entry points for the fuzz targets under `tests/fuzz`, a separate crate
//! that reaches only public items. Each takes arbitrary text, runs one
//! parser or the Markdown pipeline on it as a build would, and drops the
//! result: the property fuzzed is "never panics, never hangs". Hidden from
//! the documentation; not a supported API.

use crate::config::{Config, InsertAnchor};
use crate::content::front_matter::{self, PageFrontMatter};
use crate::diagnostics::SourceFile;
use crate::markdown::shortcode::{self, Kind, Shortcodes};
use crate::markdown::{self, Highlighter, MdContext};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Splits a content file and parses its front matter (TOML or YAML).
pub fn front_matter(text: &str) {
    let source = SourceFile::new("content/fuzz.md", text);
    if let Ok(split) = front_matter::split(text) {
        let _ = front_matter::parse::<PageFrontMatter>(&split, &source);
    }
}

/// Expands and restores the shortcode calls of a Markdown body, with two
/// known shortcodes (one HTML, one Markdown).
pub fn shortcodes(text: &str) {
    let known = HashMap::from([
        ("box".to_string(), Kind::Html),
        ("note".to_string(), Kind::Markdown),
    ]);
    let render = |name: &str, _: Kind, args: &Map<String, Value>| -> Result<String, String> {
        Ok(format!("<{name} {}>", Value::Object(args.clone())))
    };
    let sc = Shortcodes {
        known: &known,
        render: &render,
    };
    let (expanded, _) = shortcode::expand(text, &sc, &SourceFile::new("content/fuzz.md", text), 0);
    let _ = shortcode::restore(&expanded.text, &expanded.placeholders);
}

/// Renders a Markdown body as a page of a site with every Markdown
/// extension on, internal links resolving to a fixed page.
pub fn markdown(text: &str) {
    let Ok(config) = Config::from_str_for_tests(
        "base_url = \"https://ex.org\"\n[markdown]\nrender_emoji = true\nsmart_punctuation = true\n\
         insert_anchor_links = \"right\"\nexternal_links_target_blank = true\n",
    ) else {
        return;
    };
    let Ok(highlighter) = Highlighter::new(&config) else {
        return;
    };
    let source = SourceFile::new("content/fuzz.md", text);
    let resolve = |path: &str| (path == "a.md").then(|| "https://ex.org/a/".to_string());
    let anchor = |id: &str, _level: u32| Ok(format!("<a href=\"#{id}\">#</a>"));
    let ctx = MdContext {
        config: &config,
        permalink: "https://ex.org/fuzz/",
        source: &source,
        body_offset: 0,
        insert_anchor_links: InsertAnchor::Right,
        resolve_internal: &resolve,
        render_anchor: &anchor,
        lang: "sv",
        withheld: None,
    };
    let _ = markdown::render(text, &ctx, &highlighter);
}

/// Parses and resolves a `config.toml`.
pub fn config(text: &str) {
    let _ = Config::from_str_for_tests(text);
}

/// Parses a template source as a site's template is parsed (nesting
/// bound, Tera's parser, recursion checks, stack guard).
pub fn template(text: &str) {
    let _ = crate::render::parse_template_alone(text);
}

/// A fuzz target: takes any text, must never panic or hang.
pub type Target = fn(&str);

/// The targets by name, for harnesses that run them all.
pub const TARGETS: &[(&str, Target)] = &[
    ("front_matter", front_matter),
    ("shortcodes", shortcodes),
    ("markdown", markdown),
    ("config", config),
    ("template", template),
];
