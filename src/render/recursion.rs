//! Finding template recursion that can never end, before rendering: an
//! `include` of a template that (through other templates) includes itself,
//! or a macro that calls itself, with no `if` or `for` between the call
//! and itself. Tera renders recursively, so such a template would overflow
//! the stack and kill the process (and `serve` with it). Recursion under an
//! `if` or a `for` (a macro drawing a nested menu) may end and is allowed.
//!
//! Reads Tera's parsed templates only; must not render.

use std::collections::{BTreeMap, BTreeSet};
use tera::ast::{Expr, ExprVal, Node};

/// Something a render enters: a template or one macro of a template file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Unit {
    Template(String),
    Macro { file: String, name: String },
}

impl Unit {
    /// How the unit is named to users.
    pub(crate) fn label(&self) -> String {
        match self {
            Unit::Template(name) => format!("`{name}`"),
            Unit::Macro { file, name } => format!("macro `{name}` of `{file}`"),
        }
    }

    /// The template file its source text is in.
    fn file(&self) -> &str {
        match self {
            Unit::Template(name) | Unit::Macro { file: name, .. } => name,
        }
    }
}

/// A cycle of unconditional includes or macro calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cycle {
    /// The units in order, the first repeated at the end, as shown to users.
    pub(crate) chain: Vec<String>,
    /// The template whose source holds the first call of the cycle.
    pub(crate) file: String,
    /// Text in that source that locates the call.
    pub(crate) needle: String,
}

/// An unconditional step from one unit into another, and the text that
/// locates it in the source.
type Edges = BTreeMap<Unit, Vec<(Unit, String)>>;

/// Every step from one unit into another, conditional or not, with the
/// text that locates it: where a render may recurse.
pub(crate) type Graph = Edges;

/// Every include and macro call of `tera`, also those under an `if` or a
/// `for`.
pub(crate) fn all_edges(tera: &tera::Tera) -> Graph {
    edges(tera, true)
}

/// The shortest cycle of `graph` through `unit`, if it is in one.
pub(crate) fn cycle_through(graph: &Graph, unit: &Unit) -> Option<Cycle> {
    // Breadth-first from `unit`, remembering each unit's predecessor and
    // the needle of the step into it.
    let mut came_from: BTreeMap<&Unit, (&Unit, &str)> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([unit]);
    while let Some(at) = queue.pop_front() {
        for (next, needle) in graph.get(at).map(Vec::as_slice).unwrap_or_default() {
            if came_from.contains_key(next) {
                continue;
            }
            came_from.insert(next, (at, needle));
            if next == unit {
                return Some(unwind(&came_from, unit));
            }
            queue.push_back(next);
        }
    }
    None
}

/// The cycle that ends back at `unit`, read backwards from `came_from`.
fn unwind(came_from: &BTreeMap<&Unit, (&Unit, &str)>, unit: &Unit) -> Cycle {
    let mut units = vec![unit];
    let mut needle = "";
    let mut at = unit;
    while let Some(&(prev, step)) = came_from.get(at) {
        needle = step;
        if prev == unit {
            break;
        }
        units.push(prev);
        at = prev;
    }
    units.push(unit);
    units.reverse();
    Cycle {
        chain: units.iter().map(|u| u.label()).collect(),
        file: unit.file().to_string(),
        needle: needle.to_string(),
    }
}

/// Every cycle of unconditional includes and macro calls, each once, in a
/// stable order.
pub(crate) fn find_cycles(tera: &tera::Tera) -> Vec<Cycle> {
    let edges = edges(tera, false);
    let mut cycles = Vec::new();
    let mut seen: BTreeSet<BTreeSet<Unit>> = BTreeSet::new();
    let mut done: BTreeSet<Unit> = BTreeSet::new();
    for start in edges.keys() {
        let mut path: Vec<(Unit, String)> = Vec::new();
        visit(start, &edges, &mut path, &mut done, &mut |cycle| {
            let members: BTreeSet<Unit> = cycle.iter().map(|(u, _)| u.clone()).collect();
            if seen.insert(members) {
                let mut chain: Vec<String> = cycle.iter().map(|(u, _)| u.label()).collect();
                chain.push(cycle[0].0.label());
                cycles.push(Cycle {
                    chain,
                    file: cycle[0].0.file().to_string(),
                    needle: cycle[0].1.clone(),
                });
            }
        });
    }
    cycles
}

/// Depth-first search; `path` holds each unit on the way with the needle of
/// the step out of it. Iterative over edges, recursive over units, so its
/// depth is bounded by the number of units.
fn visit(
    unit: &Unit,
    edges: &Edges,
    path: &mut Vec<(Unit, String)>,
    done: &mut BTreeSet<Unit>,
    found: &mut impl FnMut(&[(Unit, String)]),
) {
    if done.contains(unit) {
        return;
    }
    for (next, needle) in edges.get(unit).map(Vec::as_slice).unwrap_or_default() {
        path.push((unit.clone(), needle.clone()));
        if let Some(at) = path.iter().position(|(u, _)| u == next) {
            found(&path[at..]);
        } else {
            visit(next, edges, path, done, found);
        }
        path.pop();
    }
    done.insert(unit.clone());
}

/// The steps out of every unit: only the unconditional ones, or `all`.
fn edges(tera: &tera::Tera, all: bool) -> Edges {
    let mut edges = Edges::new();
    for (name, template) in &tera.templates {
        let mut out = Vec::new();
        let walker = Walker {
            tera,
            file: name,
            all,
        };
        walker.nodes(&template.ast, &mut out);
        // Rendering a child renders its parents' layouts around its blocks.
        for parent in &template.parents {
            if let Some(p) = tera.templates.get(parent) {
                let walker = Walker {
                    tera,
                    file: parent,
                    all,
                };
                walker.nodes(&p.ast, &mut out);
            }
        }
        edges.insert(Unit::Template(name.clone()), out);
        for (macro_name, definition) in &template.macros {
            let mut out = Vec::new();
            walker.nodes(&definition.body, &mut out);
            let unit = Unit::Macro {
                file: name.clone(),
                name: macro_name.clone(),
            };
            edges.insert(unit, out);
        }
    }
    edges
}

/// Collects the steps of one template file's nodes: the unconditional
/// ones, or `all`.
struct Walker<'a> {
    tera: &'a tera::Tera,
    file: &'a str,
    all: bool,
}

impl Walker<'_> {
    fn nodes(&self, nodes: &[Node], out: &mut Vec<(Unit, String)>) {
        for node in nodes {
            match node {
                Node::VariableBlock(_, e) => self.expr(e, out),
                Node::Set(_, set) => self.expr(&set.value, out),
                Node::Include(_, names, _) => {
                    // Tera renders the first of the names that exists.
                    if let Some(name) = names.iter().find(|n| self.tera.templates.contains_key(*n))
                    {
                        out.push((Unit::Template(name.clone()), name.clone()));
                    }
                }
                Node::FilterSection(_, section, _) => {
                    section.filter.args.values().for_each(|e| self.expr(e, out));
                    self.nodes(&section.body, out);
                }
                Node::Block(_, block, _) => self.nodes(&block.body, out),
                // The body may run zero times; the container always runs.
                Node::Forloop(_, forloop, _) => {
                    self.expr(&forloop.container, out);
                    if self.all {
                        self.nodes(&forloop.body, out);
                        self.nodes(forloop.empty_body.as_deref().unwrap_or_default(), out);
                    }
                }
                // Only the first condition always runs.
                Node::If(branches, _) if self.all => {
                    for (_, condition, body) in &branches.conditions {
                        self.expr(condition, out);
                        self.nodes(body, out);
                    }
                    if let Some((_, body)) = &branches.otherwise {
                        self.nodes(body, out);
                    }
                }
                Node::If(branches, _) => {
                    if let Some((_, condition, _)) = branches.conditions.first() {
                        self.expr(condition, out);
                    }
                }
                _ => {}
            }
        }
    }

    fn expr(&self, e: &Expr, out: &mut Vec<(Unit, String)>) {
        self.value(&e.val, out);
        for filter in &e.filters {
            filter.args.values().for_each(|a| self.expr(a, out));
        }
    }

    fn value(&self, v: &ExprVal, out: &mut Vec<(Unit, String)>) {
        match v {
            ExprVal::MacroCall(call) => {
                call.args.values().for_each(|a| self.expr(a, out));
                if let Some(unit) = self.resolve(&call.namespace, &call.name) {
                    out.push((unit, format!("{}::{}(", call.namespace, call.name)));
                }
            }
            ExprVal::FunctionCall(call) => call.args.values().for_each(|a| self.expr(a, out)),
            ExprVal::Math(m) => {
                self.expr(&m.lhs, out);
                self.expr(&m.rhs, out);
            }
            // `and` / `or` may skip their right side.
            ExprVal::Logic(l) => {
                self.expr(&l.lhs, out);
                if self.all {
                    self.expr(&l.rhs, out);
                }
            }
            ExprVal::Test(t) => t.args.iter().for_each(|a| self.expr(a, out)),
            ExprVal::Array(items) => items.iter().for_each(|a| self.expr(a, out)),
            ExprVal::StringConcat(c) => c.values.iter().for_each(|v| self.value(v, out)),
            ExprVal::In(i) => {
                self.expr(&i.lhs, out);
                self.expr(&i.rhs, out);
            }
            _ => {}
        }
    }

    /// The macro `namespace::name` called from this file, if it exists.
    fn resolve(&self, namespace: &str, name: &str) -> Option<Unit> {
        let file = if namespace == "self" {
            self.file.to_string()
        } else {
            let template = self.tera.templates.get(self.file)?;
            template
                .imported_macro_files
                .iter()
                .find(|(_, ns)| ns == namespace)
                .map(|(path, _)| path.clone())?
        };
        self.tera
            .templates
            .get(&file)?
            .macros
            .contains_key(name)
            .then(|| Unit::Macro {
                file,
                name: name.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(templates: &[(&str, &str)]) -> tera::Tera {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(templates.to_vec())
            .unwrap_or_else(|e| panic!("{e}"));
        tera
    }

    fn chains(templates: &[(&str, &str)]) -> Vec<String> {
        find_cycles(&tera(templates))
            .into_iter()
            .map(|c| c.chain.join(" → "))
            .collect()
    }

    #[test]
    fn a_template_including_itself_is_a_cycle() {
        assert_eq!(
            chains(&[("a.html", "x{% include \"a.html\" %}")]),
            vec!["`a.html` → `a.html`"]
        );
    }

    #[test]
    fn an_include_cycle_through_a_shortcode_names_every_template() {
        let found = find_cycles(&tera(&[
            ("page.html", "{% include \"shortcodes/box.html\" %}"),
            (
                "shortcodes/box.html",
                "<div>{% include \"shortcodes/inner.html\" %}</div>",
            ),
            (
                "shortcodes/inner.html",
                "{{ 1 }}{% include \"shortcodes/box.html\" %}",
            ),
        ]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].chain.join(" → "),
            "`shortcodes/box.html` → `shortcodes/inner.html` → `shortcodes/box.html`"
        );
        assert_eq!(found[0].file, "shortcodes/box.html");
        assert_eq!(found[0].needle, "shortcodes/inner.html");
    }

    #[test]
    fn a_macro_calling_itself_unconditionally_is_a_cycle() {
        let found = chains(&[
            (
                "m.html",
                "{% macro f(n) %}{{ self::f(n=n) }}{% endmacro f %}",
            ),
            ("page.html", "{% import \"m.html\" as m %}{{ m::f(n=1) }}"),
        ]);
        assert_eq!(found, vec!["macro `f` of `m.html` → macro `f` of `m.html`"]);
    }

    #[test]
    fn macros_calling_each_other_through_an_import_are_a_cycle() {
        let found = chains(&[
            (
                "a.html",
                "{% import \"b.html\" as b %}{% macro f() %}{{ b::g() }}{% endmacro f %}",
            ),
            (
                "b.html",
                "{% import \"a.html\" as a %}{% macro g() %}{{ a::f() | upper }}{% endmacro g %}",
            ),
        ]);
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn recursion_under_if_or_for_may_end_and_is_allowed() {
        let found = chains(&[
            (
                "menu.html",
                "{% macro tree(s) %}{% for c in s.children %}{{ self::tree(s=c) }}{% endfor %}{% endmacro tree %}\
                 {% macro count(n) %}{% if n > 0 %}{{ self::count(n=n-1) }}{% endif %}{% endmacro count %}",
            ),
            ("a.html", "{% if false %}{% include \"a.html\" %}{% endif %}"),
        ]);
        assert!(found.is_empty(), "{found:?}");
    }
}
