//! Shortcode templates: which names exist (site, theme and built-in
//! `shortcodes/NAME.html` or `.md`) and rendering one call with Zola's
//! context (`nth`, `lang`, `config`, `page` or `section`, `body`, the
//! arguments). A call that names a role (`roll` or `role`) also gets the
//! role's data as `role`, for handbok's inline duties.

use super::facts::SiteFacts;
use super::templates::{error_chain, Templates};
use crate::markdown::shortcode::Kind;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Every shortcode name with the kind of its template; `.md` wins over
/// `.html` when both exist, as in Zola.
pub(crate) fn known(templates: &Templates) -> HashMap<String, Kind> {
    let mut known = HashMap::new();
    for name in templates.tera.get_template_names() {
        let Some(rest) = name.strip_prefix("shortcodes/") else {
            continue;
        };
        if let Some(n) = rest.strip_suffix(".md") {
            known.insert(n.to_string(), Kind::Markdown);
        } else if let Some(n) = rest.strip_suffix(".html") {
            known.entry(n.to_string()).or_insert(Kind::Html);
        }
    }
    known
}

/// The page or section a shortcode is called from, as `page` or
/// `section` in its context.
pub(crate) struct Caller<'a> {
    pub(crate) key: &'static str,
    pub(crate) value: &'a Value,
    pub(crate) lang: &'a str,
    pub(crate) config: &'a Value,
}

/// Renders one call.
pub(crate) fn render(
    templates: &Templates,
    facts: &SiteFacts,
    caller: &Caller<'_>,
    name: &str,
    kind: Kind,
    args: &Map<String, Value>,
) -> Result<String, String> {
    let mut ctx = tera::Context::new();
    for (k, v) in args {
        ctx.insert(k.as_str(), v);
    }
    ctx.insert("lang", caller.lang);
    ctx.insert("config", caller.config);
    ctx.insert(caller.key, caller.value);
    let role_id = args
        .get("roll")
        .or_else(|| args.get("role"))
        .and_then(Value::as_str);
    if let Some(role) = role_id.and_then(|id| facts.roles.get(id)) {
        ctx.insert("role", role);
    }
    let ext = match kind {
        Kind::Html => "html",
        Kind::Markdown => "md",
    };
    templates
        .render(&format!("shortcodes/{name}.{ext}"), &ctx)
        .map_err(|e| match super::stack_guard::find(&e) {
            Some(stop) => stop.to_string(),
            None => error_chain(&e),
        })
}
