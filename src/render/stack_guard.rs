//! Keeping template recursion from overflowing the stack. Tera renders an
//! include, a macro call and a block by recursing, with no depth limit, so
//! a recursion whose condition never turns false (`{% if true %}{% include
//! "self.html" %}{% endif %}`, a macro calling itself under an `if` that
//! stays true) would overflow the thread's stack and abort the process, and
//! `serve` with it. `recursion.rs` refuses the cycles that are certain
//! before rendering; this file stops the others while they run.
//!
//! How: every render runs on a stack of a known size ([`render`]), and a
//! call of the guard function is put into the parsed templates at the start
//! of every template, macro and block ([`install`]). The guard renders
//! nothing; when the stack left falls below a margin it fails the render
//! with an error that names where it stopped and the recursion that led
//! there. The call goes into Tera's parsed tree, not into the source text,
//! so line numbers, whitespace and output stay as they were.
//!
//! Must not render templates itself or know the site.

use super::recursion::{self, Unit};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};

/// The name the guard function is registered under; no template can mean
/// another function by it.
const GUARD: &str = "__handbok_guard";

/// The stack every render runs on. Legitimate recursion (a macro walking a
/// section tree dozens of levels deep, as Zola themes do for nested menus)
/// fits many times over, in debug builds too; the memory is reserved, and
/// only the part a render touches is used.
pub(crate) const RENDER_STACK: usize = 64 * 1024 * 1024;

/// The stack that must be left when a template, macro or block starts:
/// enough for one level of rendering between two guard calls, including
/// the filters and functions it calls (Markdown, images, data files).
const MARGIN: usize = 4 * 1024 * 1024;

/// The start of every message the guard gives (callers tell its errors
/// from others with [`find`]).
pub(crate) const MESSAGE_START: &str = "template recursion too deep";

/// Renders `name` on a stack of [`RENDER_STACK`].
pub(crate) fn render(tera: &tera::Tera, name: &str, ctx: &tera::Context) -> tera::Result<String> {
    on_render_stack(|| tera.render(name, ctx))
}

/// Runs `f` on a stack of [`RENDER_STACK`], growing the thread's stack
/// only when it has less than that left (also for parsing templates, which
/// recurses per nested tag).
pub(crate) fn on_render_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RENDER_STACK, RENDER_STACK, f)
}

/// Puts the guard call at the start of every template, macro and block of
/// `tera` and registers the guard. Call once, after all templates are
/// added (Tera copies block bodies into each template's inheritance
/// chain when they are added).
pub(crate) fn install(tera: &mut tera::Tera) {
    let graph = Arc::new(recursion::all_edges(tera));
    for template in tera.templates.values_mut() {
        let file = template.name.clone();
        guard_body(&mut template.ast, &file, None);
        for (name, definition) in template.macros.iter_mut() {
            guard_body(&mut definition.body, &file, Some(name));
        }
        for block in template.blocks.values_mut() {
            guard_body(&mut block.body, &file, None);
        }
        for definitions in template.blocks_definitions.values_mut() {
            for (owner, block) in definitions.iter_mut() {
                guard_body(&mut block.body, owner, None);
            }
        }
    }
    tera.register_function(GUARD, Guard { graph });
}

/// Guards `body`, and the bodies of the blocks in it.
fn guard_body(body: &mut Vec<Node>, file: &str, macro_name: Option<&String>) {
    for node in body.iter_mut() {
        if let Node::Block(_, block, _) = node {
            guard_body(&mut block.body, file, None);
        }
    }
    body.insert(0, guard_call(file, macro_name));
}

/// `{{ __handbok_guard(t=file, m=macro) }}` as Tera parses it.
fn guard_call(file: &str, macro_name: Option<&String>) -> Node {
    let mut args = HashMap::new();
    args.insert(
        "t".to_string(),
        Expr::new(ExprVal::String(file.to_string())),
    );
    if let Some(m) = macro_name {
        args.insert("m".to_string(), Expr::new(ExprVal::String(m.clone())));
    }
    let call = FunctionCall {
        name: GUARD.to_string(),
        args,
    };
    Node::VariableBlock(WS::default(), Expr::new(ExprVal::FunctionCall(call)))
}

/// The guard function: nothing while the stack lasts, an error naming the
/// recursion when it runs short.
struct Guard {
    graph: Arc<recursion::Graph>,
}

impl tera::Function for Guard {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        if stacker::remaining_stack().is_none_or(|left| left >= MARGIN) {
            return Ok(Value::String(String::new()));
        }
        let file = args.get("t").and_then(Value::as_str).unwrap_or_default();
        let unit = match args.get("m").and_then(Value::as_str) {
            Some(name) => Unit::Macro {
                file: file.to_string(),
                name: name.to_string(),
            },
            None => Unit::Template(file.to_string()),
        };
        let stop = TooDeep {
            cycle: recursion::cycle_through(&self.graph, &unit),
            unit,
        };
        Err(tera::Error::chain(stop.to_string(), stop))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Why the guard stopped a render: where, and the cycle through there when
/// the templates have one. Travels as the source of Tera's error, so the
/// caller can locate it (see [`find`]).
#[derive(Debug)]
pub(crate) struct TooDeep {
    unit: Unit,
    /// The includes and macro calls that lead back to `unit`.
    pub(crate) cycle: Option<recursion::Cycle>,
}

impl std::fmt::Display for TooDeep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{MESSAGE_START} in {}", self.unit.label())?;
        match &self.cycle {
            Some(cycle) => write!(
                f,
                ": it recurses through {} without reaching an end",
                cycle.chain.join(" → ")
            ),
            None => write!(f, ": the render used up its stack"),
        }
    }
}

impl std::error::Error for TooDeep {}

/// The guard's reason, if the guard is what stopped this render.
pub(crate) fn find(e: &tera::Error) -> Option<&TooDeep> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(stop) = c.downcast_ref::<TooDeep>() {
            return Some(stop);
        }
        cause = c.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(templates: &[(&str, &str)]) -> tera::Tera {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(templates.to_vec())
            .unwrap_or_else(|e| panic!("{e}"));
        install(&mut tera);
        tera
    }

    fn rendered(tera: &tera::Tera, name: &str) -> Result<String, String> {
        render(tera, name, &tera::Context::new()).map_err(|e| match find(&e) {
            Some(stop) => stop.to_string(),
            None => e.to_string(),
        })
    }

    #[test]
    fn an_include_of_itself_under_a_true_condition_stops_with_the_cycle() {
        let t = tera(&[(
            "self.html",
            "x{% if true %}{% include \"self.html\" %}{% endif %}",
        )]);
        let e = rendered(&t, "self.html").expect_err("never ends");
        assert!(e.contains(MESSAGE_START), "{e}");
        assert!(e.contains("`self.html` → `self.html`"), "{e}");
    }

    #[test]
    fn a_macro_calling_itself_while_a_condition_holds_stops() {
        let t = tera(&[(
            "m.html",
            "{% macro f(n) %}{% if n > 0 %}{{ self::f(n=n+1) }}{% endif %}{% endmacro f %}{{ self::f(n=1) }}",
        )]);
        let e = rendered(&t, "m.html").expect_err("never ends");
        assert!(
            e.contains("macro `f` of `m.html` → macro `f` of `m.html`"),
            "{e}"
        );
    }

    #[test]
    fn a_block_including_its_own_template_stops() {
        let t = tera(&[
            ("base.html", "<b>{% block main %}{% endblock main %}</b>"),
            (
                "child.html",
                "{% extends \"base.html\" %}{% block main %}{% if true %}{% include \"inner.html\" %}{% endif %}{% endblock main %}",
            ),
            ("inner.html", "{% include \"inner.html\" %}"),
        ]);
        let e = rendered(&t, "child.html").expect_err("never ends");
        assert!(e.contains(MESSAGE_START), "{e}");
    }

    #[test]
    fn a_macro_walking_a_deep_tree_renders_and_the_guard_prints_nothing() {
        let t = tera(&[(
            "menu.html",
            "{% macro tree(n) %}<li>{{ n }}{% if n < 200 %}<ul>{{ self::tree(n=n+1) }}</ul>{% endif %}</li>{% endmacro tree %}\
             {% block nav %}{{ self::tree(n=1) }}{% endblock nav %}",
        )]);
        let out = rendered(&t, "menu.html").expect("200 levels fit");
        assert!(out.contains("<li>200</li>"), "{out}");
        assert!(!out.contains("guard"), "{out}");
    }

    #[test]
    fn the_guard_leaves_text_and_whitespace_control_as_they_were() {
        let source = "a {%- if true %} b {% endif -%} c{% macro m() %} d {% endmacro m %}";
        let mut plain = tera::Tera::default();
        plain
            .add_raw_template("t.html", source)
            .unwrap_or_else(|e| panic!("{e}"));
        let guarded = tera(&[("t.html", source)]);
        assert_eq!(
            rendered(&guarded, "t.html"),
            plain
                .render("t.html", &tera::Context::new())
                .map_err(|e| e.to_string())
        );
    }
}
