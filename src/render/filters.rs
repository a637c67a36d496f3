//! Zola's template filters beyond Tera's: `markdown(inline)`,
//! `base64_encode`, `base64_decode`, `regex_replace`, `num_format`.

use super::facts::SiteFacts;
use crate::diagnostics::SourceFile;
use crate::markdown::{self, Highlighter, MdContext, Withholding};
use base64::Engine as _;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tera::{Filter, Result as TeraResult};

/// Registers every filter.
pub(crate) fn register(
    tera: &mut tera::Tera,
    facts: &Arc<SiteFacts>,
    highlighter: &Arc<Highlighter>,
) {
    tera.register_filter(
        "markdown",
        MarkdownFilter {
            facts: facts.clone(),
            highlighter: highlighter.clone(),
        },
    );
    tera.register_filter("base64_encode", Base64Encode);
    tera.register_filter("base64_decode", Base64Decode);
    tera.register_filter(
        "regex_replace",
        RegexReplace {
            cache: Mutex::new(HashMap::new()),
        },
    );
    tera.register_filter(
        "num_format",
        NumFormat {
            default_language: facts.config.default_language.clone(),
        },
    );
}

fn input_str<'a>(value: &'a Value, filter: &str) -> TeraResult<&'a str> {
    value
        .as_str()
        .ok_or_else(|| format!("`{filter}` applies to strings, got {value}").into())
}

/// `markdown(inline=false)`: the site's Markdown settings, `@/` links
/// resolved, no page context.
struct MarkdownFilter {
    facts: Arc<SiteFacts>,
    highlighter: Arc<Highlighter>,
}

impl Filter for MarkdownFilter {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> TeraResult<Value> {
        let text = input_str(value, "markdown")?;
        let inline = args.get("inline").and_then(Value::as_bool).unwrap_or(false);
        let config = &self.facts.config;
        let resolve = |target: &str| self.facts.permalinks.get(target).cloned();
        let facts = &self.facts;
        let withheld = |target: &str| facts.withheld.contains(target);
        let no_anchor = |_: &str, _: u32| Ok(String::new());
        let source = SourceFile::new("(markdown filter)", text);
        // No page is being rendered: as in Zola, `#anchor` and colocated
        // links stay as written.
        let ctx = MdContext {
            config,
            permalink: "",
            source: &source,
            body_offset: 0,
            insert_anchor_links: crate::config::InsertAnchor::None,
            resolve_internal: &resolve,
            render_anchor: &no_anchor,
            lang: &config.default_language,
            withheld: facts
                .withheld
                .audience
                .as_deref()
                .map(|audience| Withholding {
                    audience,
                    contains: &withheld,
                }),
        };
        let rendered = markdown::render(text, &ctx, &self.highlighter);
        let mut html = rendered.body.to_string();
        if inline {
            let trimmed = html.trim();
            if let Some(inner) = trimmed
                .strip_prefix("<p>")
                .and_then(|t| t.strip_suffix("</p>"))
            {
                if !inner.contains("<p>") {
                    html = inner.to_string();
                }
            }
        }
        Ok(Value::String(html))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

struct Base64Encode;

impl Filter for Base64Encode {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> TeraResult<Value> {
        Ok(Value::String(
            base64::engine::general_purpose::STANDARD.encode(input_str(value, "base64_encode")?),
        ))
    }
}

struct Base64Decode;

impl Filter for Base64Decode {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> TeraResult<Value> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(input_str(value, "base64_decode")?)
            .map_err(|e| format!("`base64_decode`: {e}"))?;
        Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    }
}

/// Compiled patterns are cached per build (Zola does the same).
struct RegexReplace {
    cache: Mutex<HashMap<String, regex::Regex>>,
}

impl Filter for RegexReplace {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> TeraResult<Value> {
        let text = input_str(value, "regex_replace")?;
        let pattern = args
            .get("pattern")
            .and_then(Value::as_str)
            .ok_or("`regex_replace` requires `pattern`")?;
        let rep = args
            .get("rep")
            .and_then(Value::as_str)
            .ok_or("`regex_replace` requires `rep`")?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if !cache.contains_key(pattern) {
            let re = regex::Regex::new(pattern)
                .map_err(|e| format!("`regex_replace`: invalid pattern: {e}"))?;
            cache.insert(pattern.to_string(), re);
        }
        let re = cache.get(pattern).ok_or("`regex_replace`: pattern cache")?;
        Ok(Value::String(re.replace_all(text, rep).into_owned()))
    }
}

/// Integers with the locale's thousands separator (`41 000` in Swedish).
struct NumFormat {
    default_language: String,
}

/// Thousands separator per language, as CLDR has them.
fn separator(locale: &str) -> &'static str {
    let lang = locale.split(['-', '_']).next().unwrap_or(locale);
    match lang {
        "sv" | "fi" | "nb" | "nn" | "no" | "fr" | "cs" | "sk" | "pl" | "ru" | "uk" | "et"
        | "lv" | "lt" | "hu" | "bg" => "\u{a0}",
        "de" | "da" | "nl" | "it" | "es" | "pt" | "id" | "tr" | "el" | "ro" | "sl" | "hr"
        | "sr" => ".",
        "de-CH" | "rm" => "’",
        _ => ",",
    }
}

impl Filter for NumFormat {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> TeraResult<Value> {
        let n = value
            .as_i64()
            .ok_or_else(|| format!("`num_format` applies to integers, got {value}"))?;
        let locale = args
            .get("locale")
            .and_then(Value::as_str)
            .unwrap_or(&self.default_language);
        let sep = separator(locale);
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(sep);
            }
            out.push(c);
        }
        if n < 0 {
            out.insert(0, '-');
        }
        Ok(Value::String(out))
    }
}
