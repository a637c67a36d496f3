//! Rendering a loop once per build when what it reads is the same. A
//! theme's navigation is typically a `{% for %}` over `get_section` or
//! `config.extra` menus in the base template: the same HTML on every page,
//! made again for each one. On a real-shaped site of 10 000 pages that
//! loop was a third of the build's CPU time.
//!
//! How: every top-level `{% for %}` of a template whose reads can be told
//! apart is wrapped, in Tera's parsed tree, in
//!
//! ```text
//! {% if __handbok_fragment_on(id=N)
//!       and __handbok_fragment_hit(id=N, k=[every free name, and whether defined]) %}
//!   {{ __handbok_fragment_out() | safe }}
//! {% else %}
//!   {% filter __handbok_fragment_store(id=N) %}the loop as written{% endfilter %}
//! {% endif %}
//! ```
//!
//! so the loop renders as before and its output is kept under the values
//! of every name it reads from outside (exactly, not by hash), the
//! template the render started from and the fields lists keep; a later
//! render with equal values writes the kept output. A loop qualifies only
//! when nothing in it can change anything outside it or differ between two
//! calls with equal arguments: no include, block, macro call or
//! `set_global`, and only the functions, filters and tests listed below.
//! `config` is keyed by `lang`, as each language has one `config`.
//!
//! Kept outputs live for one render of the site (or of the units `serve`
//! renders again after an edit). What the loop read while it rendered
//! (`get_section`, `get_page` …) is kept with its output and noted again
//! for every unit that writes it, so `serve` still knows which units an
//! edit affects. A loop that keeps missing (one that reads the page it is
//! on) stops being looked up.

use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, RwLock};
use tera::ast::{
    Expr, ExprVal, FilterSection, FunctionCall, If, LogicExpr, LogicOperator, Node, Test, WS,
};

const ON: &str = "__handbok_fragment_on";
const HIT: &str = "__handbok_fragment_hit";
const OUT: &str = "__handbok_fragment_out";
const STORE: &str = "__handbok_fragment_store";

/// What a missing name is keyed as (no template value can be this).
const UNDEFINED: &str = "\u{0}handbok: undefined\u{0}";

/// Functions that give the same value for the same arguments during one
/// render of the site and change nothing.
const PURE_FUNCTIONS: &[&str] = &[
    "get_section",
    "get_page",
    "get_taxonomy",
    "get_taxonomy_term",
    "get_taxonomy_url",
    "get_url",
    "trans",
    "get_role",
];

/// Tera's built-in filters and handbok's own whose result depends on their
/// input and arguments alone.
const PURE_FILTERS: &[&str] = &[
    "safe",
    "default",
    "upper",
    "lower",
    "capitalize",
    "replace",
    "addslashes",
    "slugify",
    "title",
    "trim",
    "trim_start",
    "trim_end",
    "trim_start_matches",
    "trim_end_matches",
    "truncate",
    "linebreaksbr",
    "spaceless",
    "indent",
    "striptags",
    "escape",
    "escape_xml",
    "urlencode",
    "urlencode_strict",
    "length",
    "reverse",
    "wordcount",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "group_by",
    "filter",
    "map",
    "concat",
    "slice",
    "split",
    "int",
    "float",
    "json_encode",
    "as_str",
    "date",
    "filesizeformat",
    "pluralize",
    "round",
    "abs",
    "get",
    "base64_encode",
    "base64_decode",
    "regex_replace",
    "num_format",
];

/// Names the render contexts give that are the same for every render in
/// one language.
const SITE_WIDE: &[&str] = &["config", "lang", "handbok_version"];

/// Names the render contexts give that differ from render to render (the
/// page, section, list or path a render is about): a loop that reads one
/// would miss on almost every page, after copying the value to look it
/// up, so it is not wrapped even where a template assigns the name too.
const PER_RENDER: &[&str] = &[
    "page",
    "section",
    "paginator",
    "current_path",
    "current_url",
    "term",
    "terms",
    "taxonomy",
    "pages",
    "entries",
    "sitemaps",
    "feed_url",
    "last_updated",
    "changes",
    "governance",
    "groups",
    "history",
    "history_available",
    "timeline",
    "versions",
    "title",
    "url",
    "id",
    "level",
    "role",
    "__tera_context",
];

/// After this many misses, a loop that missed more often than it hit is
/// no longer looked up.
const MISSES_BEFORE_GIVING_UP: u32 = 32;

/// Kept outputs per loop and starting template at most.
const MAX_KEPT: usize = 64;

/// The most values (counting each item of a list or map) a key may hold,
/// and the longest output kept. A navigation's are far smaller; a loop
/// over a register of thousands of documents, assigned to a name first,
/// is made once per page that shows it, and keeping it would hold a copy
/// of the register until the build ends.
const MAX_KEY_VALUES: usize = 4096;
const MAX_OUTPUT_BYTES: usize = 256 * 1024;

/// One kept output.
struct Kept {
    top: String,
    key: Vec<Value>,
    output: Arc<str>,
    /// What rendering the loop read, noted again for each unit that
    /// writes the output (`serve` renders again the units that read what
    /// an edit changed).
    reads: Arc<[super::deps::Read]>,
}

/// The kept outputs of one site render, and how often each loop hit.
#[derive(Default)]
pub(crate) struct Fragments {
    on: AtomicBool,
    kept: RwLock<HashMap<(u32, usize), Vec<Kept>>>,
    counts: RwLock<Vec<(AtomicU32, AtomicU32)>>,
}

impl Fragments {
    /// Starts keeping outputs, for one render of the whole site.
    pub(crate) fn begin(&self) {
        self.clear();
        self.on.store(true, Ordering::SeqCst);
    }

    /// Stops keeping outputs and forgets them.
    pub(crate) fn end(&self) {
        self.on.store(false, Ordering::SeqCst);
        let (hits, misses) = self.totals();
        tracing::debug!(
            "loops rendered once and written again: {hits} times, rendered {misses} times"
        );
        self.clear();
    }

    /// How often a kept output was written, and how often one was made.
    pub(crate) fn totals(&self) -> (u64, u64) {
        let counts = self
            .counts
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        counts.iter().fold((0, 0), |(h, m), (hits, misses)| {
            (
                h + u64::from(hits.load(Ordering::Relaxed)),
                m + u64::from(misses.load(Ordering::Relaxed)),
            )
        })
    }

    fn clear(&self) {
        self.kept
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
        for (hits, misses) in self
            .counts
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
        {
            hits.store(0, Ordering::Relaxed);
            misses.store(0, Ordering::Relaxed);
        }
    }

    fn looked_up(&self, id: u32) -> bool {
        if !self.on.load(Ordering::Relaxed) {
            return false;
        }
        let counts = self
            .counts
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some((hits, misses)) = counts.get(id as usize) else {
            return false;
        };
        let misses = misses.load(Ordering::Relaxed);
        misses < MISSES_BEFORE_GIVING_UP || hits.load(Ordering::Relaxed) >= misses
    }

    /// Stops looking loop `id` up for the rest of this render, and
    /// forgets what it kept.
    fn give_up(&self, id: u32) {
        if let Some((_, misses)) = self
            .counts
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(id as usize)
        {
            misses.fetch_add(MISSES_BEFORE_GIVING_UP, Ordering::Relaxed);
        }
        self.kept
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|(kept_id, _), _| *kept_id != id);
    }

    fn count(&self, id: u32, hit: bool) {
        let counts = self
            .counts
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((hits, misses)) = counts.get(id as usize) {
            match hit {
                true => hits.fetch_add(1, Ordering::Relaxed),
                false => misses.fetch_add(1, Ordering::Relaxed),
            };
        }
    }
}

/// Where this thread's current render started, and what a loop looked up
/// and did not find (stored when its output is made) or found (written
/// next).
#[derive(Default)]
struct ThreadState {
    top: Option<String>,
    pending: Option<(u32, usize, Vec<Value>)>,
    found: Option<Arc<str>>,
}

thread_local! {
    static STATE: RefCell<ThreadState> = RefCell::new(ThreadState::default());
}

/// Runs `f`, a render of template `name`, with loops of it kept under
/// that name (the template a render starts from decides, among other
/// things, whether output is escaped).
pub(crate) fn rendering<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let outer = STATE.with(|s| s.borrow_mut().top.replace(name.to_string()));
    let value = f();
    // A loop whose render failed left what it looked up and the reads it
    // was noting: neither may reach the next render on this thread.
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.top = outer;
        s.pending = None;
        s.found = None;
    });
    super::deps::captured();
    value
}

/// The fields lists keep on this thread, as a key part.
fn fields_key() -> usize {
    super::listing::with_current(|fields| match fields {
        super::listing::Fields::All => 0,
        super::listing::Fields::Named(names) => Arc::as_ptr(names) as usize,
    })
}

fn id_of(args: &HashMap<String, Value>) -> Option<u32> {
    args.get("id")?.as_u64()?.try_into().ok()
}

struct On(Arc<Fragments>);

impl tera::Function for On {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            s.pending = None;
            s.found = None;
        });
        super::deps::captured();
        let shortcode = STATE.with(|s| {
            s.borrow()
                .top
                .as_deref()
                .is_none_or(|t| t.starts_with("shortcodes/"))
        });
        let on = !shortcode && id_of(args).is_some_and(|id| self.0.looked_up(id));
        Ok(Value::Bool(on))
    }
}

struct Hit(Arc<Fragments>);

impl tera::Function for Hit {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let (Some(id), Some(Value::Array(key))) = (id_of(args), args.get("k")) else {
            return Ok(Value::Bool(false));
        };
        let Some(top) = STATE.with(|s| s.borrow().top.clone()) else {
            return Ok(Value::Bool(false));
        };
        if !within_values(key, MAX_KEY_VALUES) {
            self.0.give_up(id);
            return Ok(Value::Bool(false));
        }
        let fields = fields_key();
        let found = {
            let kept = self
                .0
                .kept
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            kept.get(&(id, fields)).and_then(|list| {
                list.iter()
                    .find(|k| k.top == top && &k.key == key)
                    .map(|k| (k.output.clone(), k.reads.clone()))
            })
        };
        self.0.count(id, found.is_some());
        let hit = found.is_some();
        match found {
            Some((output, reads)) => {
                for read in reads.iter() {
                    super::deps::note(*read);
                }
                STATE.with(|s| s.borrow_mut().found = Some(output));
            }
            None => {
                super::deps::capture();
                STATE.with(|s| s.borrow_mut().pending = Some((id, fields, key.clone())));
            }
        }
        Ok(Value::Bool(hit))
    }
}

/// True if `values` and everything in them count at most `limit` values.
fn within_values(values: &[Value], limit: usize) -> bool {
    fn count(v: &Value, left: &mut usize) -> bool {
        if *left == 0 {
            return false;
        }
        *left -= 1;
        match v {
            Value::Array(items) => items.iter().all(|i| count(i, left)),
            Value::Object(map) => map.values().all(|i| count(i, left)),
            _ => true,
        }
    }
    let mut left = limit;
    values.iter().all(|v| count(v, &mut left))
}

struct Out;

impl tera::Function for Out {
    fn call(&self, _: &HashMap<String, Value>) -> tera::Result<Value> {
        let found = STATE.with(|s| s.borrow_mut().found.take());
        Ok(Value::String(
            found.as_deref().unwrap_or_default().to_string(),
        ))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

struct Store(Arc<Fragments>);

impl tera::Filter for Store {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let pending = STATE.with(|s| {
            let mut s = s.borrow_mut();
            let wanted = id_of(args);
            match &s.pending {
                Some((id, _, _)) if Some(*id) == wanted => {
                    s.pending.take().map(|p| (p, s.top.clone()))
                }
                _ => None,
            }
        });
        let reads = pending
            .is_some()
            .then(super::deps::captured)
            .flatten()
            .unwrap_or_default();
        if let (Some(((id, fields, key), Some(top))), Some(output)) = (pending, value.as_str()) {
            if output.len() > MAX_OUTPUT_BYTES {
                self.0.give_up(id);
                return Ok(value.clone());
            }
            let mut kept = self
                .0
                .kept
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let list = kept.entry((id, fields)).or_default();
            if list.len() < MAX_KEPT && !list.iter().any(|k| k.top == top && k.key == key) {
                list.push(Kept {
                    top,
                    key,
                    output: output.into(),
                    reads: reads.into(),
                });
            }
        }
        Ok(value.clone())
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Wraps every loop of `tera`'s templates that qualifies and registers the
/// functions the wrapping calls. Call after all templates are added and
/// the stack guard is installed.
pub(crate) fn install(tera: &mut tera::Tera) -> Arc<Fragments> {
    let config_is_lang = !binds_anywhere(tera, &["config", "lang"]);
    let assigned = assigned_names(tera);
    let mut next = 0u32;
    for template in tera.templates.values_mut() {
        if template.name.starts_with("shortcodes/") {
            continue;
        }
        wrap_loops(&mut template.ast, &assigned, config_is_lang, &mut next);
        for block in template.blocks.values_mut() {
            wrap_loops(&mut block.body, &assigned, config_is_lang, &mut next);
        }
        for definitions in template.blocks_definitions.values_mut() {
            for (_, block) in definitions.iter_mut() {
                wrap_loops(&mut block.body, &assigned, config_is_lang, &mut next);
            }
        }
    }
    let fragments = Arc::new(Fragments::default());
    *fragments
        .counts
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner) =
        (0..next).map(|_| Default::default()).collect();
    tera.register_function(ON, On(fragments.clone()));
    tera.register_function(HIT, Hit(fragments.clone()));
    tera.register_function(OUT, Out);
    tera.register_filter(STORE, Store(fragments.clone()));
    fragments
}

/// True if any template assigns or loops over one of `names` (so that,
/// for `config` and `lang`, the context's values may be replaced).
fn binds_anywhere(tera: &tera::Tera, names: &[&str]) -> bool {
    fn nodes(list: &[Node], names: &[&str]) -> bool {
        list.iter().any(|n| match n {
            Node::Set(_, set) => names.contains(&set.key.as_str()),
            Node::Forloop(_, f, _) => {
                names.contains(&f.value.as_str())
                    || f.key.as_deref().is_some_and(|k| names.contains(&k))
                    || nodes(&f.body, names)
                    || f.empty_body.as_deref().is_some_and(|b| nodes(b, names))
            }
            Node::If(i, _) => {
                i.conditions.iter().any(|(_, _, b)| nodes(b, names))
                    || i.otherwise.as_ref().is_some_and(|(_, b)| nodes(b, names))
            }
            Node::Block(_, b, _) => nodes(&b.body, names),
            Node::FilterSection(_, f, _) => nodes(&f.body, names),
            Node::MacroDefinition(_, m, _) => {
                m.args.keys().any(|a| names.contains(&a.as_str())) || nodes(&m.body, names)
            }
            _ => false,
        })
    }
    tera.templates.values().any(|t| {
        nodes(&t.ast, names)
            || t.macros.values().any(|m| {
                m.args.keys().any(|a| names.contains(&a.as_str())) || nodes(&m.body, names)
            })
            || t.blocks_definitions
                .values()
                .any(|defs| defs.iter().any(|(_, b)| nodes(&b.body, names)))
    })
}

/// Every name a template assigns with `set` or binds in a loop.
fn assigned_names(tera: &tera::Tera) -> BTreeSet<String> {
    fn nodes(list: &[Node], out: &mut BTreeSet<String>) {
        for n in list {
            match n {
                Node::Set(_, set) => {
                    out.insert(set.key.clone());
                }
                Node::Forloop(_, f, _) => {
                    out.insert(f.value.clone());
                    out.extend(f.key.clone());
                    nodes(&f.body, out);
                    if let Some(b) = &f.empty_body {
                        nodes(b, out);
                    }
                }
                Node::If(i, _) => {
                    for (_, _, b) in &i.conditions {
                        nodes(b, out);
                    }
                    if let Some((_, b)) = &i.otherwise {
                        nodes(b, out);
                    }
                }
                Node::Block(_, b, _) => nodes(&b.body, out),
                Node::FilterSection(_, f, _) => nodes(&f.body, out),
                Node::MacroDefinition(_, m, _) => nodes(&m.body, out),
                _ => {}
            }
        }
    }
    let mut out = BTreeSet::new();
    for t in tera.templates.values() {
        nodes(&t.ast, &mut out);
        for m in t.macros.values() {
            nodes(&m.body, &mut out);
        }
        for defs in t.blocks_definitions.values() {
            for (_, b) in defs {
                nodes(&b.body, &mut out);
            }
        }
    }
    out
}

/// Wraps the qualifying loops of `body` that are not inside another loop
/// (nor inside a macro: macros are not walked).
fn wrap_loops(
    body: &mut [Node],
    assigned: &BTreeSet<String>,
    config_is_lang: bool,
    next: &mut u32,
) {
    for node in body.iter_mut() {
        match node {
            Node::Forloop(..) => {
                let Node::Forloop(_, forloop, _) = &*node else {
                    continue;
                };
                let Some(free) = free_names(forloop, assigned) else {
                    continue;
                };
                let id = *next;
                *next += 1;
                let original = std::mem::replace(node, Node::Comment(WS::default(), String::new()));
                *node = wrapped(original, id, &free, config_is_lang);
            }
            Node::If(i, _) => {
                for (_, _, b) in i.conditions.iter_mut() {
                    wrap_loops(b, assigned, config_is_lang, next);
                }
                if let Some((_, b)) = i.otherwise.as_mut() {
                    wrap_loops(b, assigned, config_is_lang, next);
                }
            }
            Node::Block(_, b, _) => wrap_loops(&mut b.body, assigned, config_is_lang, next),
            Node::FilterSection(_, f, _) => wrap_loops(&mut f.body, assigned, config_is_lang, next),
            _ => {}
        }
    }
}

/// The names a loop reads from outside itself, when it qualifies: each
/// one site-wide or assigned by a template (the page, section or list a
/// render is about comes from its context). Names the loop assigns count
/// too (before the assignment, a name reads the outer value), which is
/// more than needed and never wrong.
fn free_names(
    forloop: &tera::ast::Forloop,
    assigned: &BTreeSet<String>,
) -> Option<BTreeSet<String>> {
    let mut scan = Scan::default();
    scan.nodes(&forloop.body);
    if let Some(b) = &forloop.empty_body {
        scan.nodes(b);
    }
    let mut names = scan.names;
    names.remove(&forloop.value);
    if let Some(k) = &forloop.key {
        names.remove(k);
    }
    names.remove("loop");
    // The list looped over is read outside the loop: its names are the
    // outer ones, the loop's own name and an outer `loop` included.
    let mut container = Scan::default();
    container.expr(&forloop.container);
    if !scan.ok || !container.ok || container.names.contains("loop") {
        return None;
    }
    names.extend(container.names);
    let kept = |n: &String| {
        !PER_RENDER.contains(&n.as_str())
            && (SITE_WIDE.contains(&n.as_str()) || assigned.contains(n))
    };
    names.iter().all(kept).then_some(names)
}

/// The names a part of a template reads, and whether it qualifies.
struct Scan {
    names: BTreeSet<String>,
    ok: bool,
}

impl Default for Scan {
    fn default() -> Self {
        Scan {
            names: BTreeSet::new(),
            ok: true,
        }
    }
}

impl Scan {
    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            if !self.ok {
                return;
            }
            match node {
                Node::Text(_) | Node::Raw(..) | Node::Comment(..) => {}
                Node::Break(_) | Node::Continue(_) => {}
                Node::VariableBlock(_, e) => self.expr(e),
                Node::Set(_, set) => {
                    if set.global {
                        self.ok = false;
                    }
                    self.names.insert(set.key.clone());
                    self.expr(&set.value);
                }
                Node::FilterSection(_, f, _) => {
                    self.filter(&f.filter);
                    self.nodes(&f.body);
                }
                Node::Forloop(_, f, _) => {
                    self.names.insert(f.value.clone());
                    if let Some(k) = &f.key {
                        self.names.insert(k.clone());
                    }
                    self.expr(&f.container);
                    self.nodes(&f.body);
                    if let Some(b) = &f.empty_body {
                        self.nodes(b);
                    }
                }
                Node::If(i, _) => {
                    for (_, cond, body) in &i.conditions {
                        self.expr(cond);
                        self.nodes(body);
                    }
                    if let Some((_, body)) = &i.otherwise {
                        self.nodes(body);
                    }
                }
                Node::Super
                | Node::MacroDefinition(..)
                | Node::Extends(..)
                | Node::Include(..)
                | Node::ImportMacro(..)
                | Node::Block(..) => self.ok = false,
            }
        }
    }

    fn expr(&mut self, expr: &Expr) {
        self.val(&expr.val);
        for f in &expr.filters {
            self.filter(f);
        }
    }

    fn filter(&mut self, f: &FunctionCall) {
        if !PURE_FILTERS.contains(&f.name.as_str()) {
            self.ok = false;
        }
        for a in f.args.values() {
            self.expr(a);
        }
    }

    fn val(&mut self, val: &ExprVal) {
        match val {
            ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
            ExprVal::Ident(ident) => self.ident(ident),
            ExprVal::Math(m) => {
                self.expr(&m.lhs);
                self.expr(&m.rhs);
            }
            ExprVal::Logic(l) => {
                self.expr(&l.lhs);
                self.expr(&l.rhs);
            }
            ExprVal::In(i) => {
                self.expr(&i.lhs);
                self.expr(&i.rhs);
            }
            ExprVal::Test(t) => {
                self.ident(&t.ident);
                for a in &t.args {
                    self.expr(a);
                }
            }
            ExprVal::MacroCall(_) => self.ok = false,
            ExprVal::FunctionCall(f) => {
                if !PURE_FUNCTIONS.contains(&f.name.as_str()) {
                    self.ok = false;
                }
                for a in f.args.values() {
                    self.expr(a);
                }
            }
            ExprVal::Array(items) => {
                for e in items {
                    self.expr(e);
                }
            }
            ExprVal::StringConcat(c) => {
                for v in &c.values {
                    self.val(v);
                }
            }
        }
    }

    /// A dotted name's first part, and the names inside its subscripts
    /// (`a[b].c` reads `a` and `b`).
    fn ident(&mut self, ident: &str) {
        let end = ident.find(['.', '[']).unwrap_or(ident.len());
        self.names.insert(ident[..end].to_string());
        let mut rest = &ident[end..];
        while let Some(open) = rest.find('[') {
            let Some(close) = rest[open..].find(']') else {
                self.ok = false;
                return;
            };
            let inner = rest[open + 1..open + close].trim();
            let quoted =
                inner.starts_with('"') || inner.starts_with('\'') || inner.starts_with('`');
            if !quoted && !inner.chars().all(|c| c.is_ascii_digit()) {
                if inner.contains(['[', '"', '\'']) {
                    self.ok = false;
                    return;
                }
                self.ident(inner);
            }
            rest = &rest[open + close + 1..];
        }
    }
}

fn call(name: &str, args: Vec<(&str, Expr)>) -> FunctionCall {
    FunctionCall {
        name: name.to_string(),
        args: args.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
    }
}

fn id_arg(id: u32) -> (&'static str, Expr) {
    ("id", Expr::new(ExprVal::Int(i64::from(id))))
}

/// The key a loop's output is kept under: each free name's value (a
/// missing one as [`UNDEFINED`]) and whether it is defined.
fn key_of(free: &BTreeSet<String>, config_is_lang: bool) -> Vec<Expr> {
    let mut names: BTreeSet<&str> = free.iter().map(String::as_str).collect();
    let mut key = Vec::new();
    if config_is_lang && names.remove("config") {
        names.insert("lang");
        // Whether there is a `config` at all, without copying it.
        key.push(defined("config.base_url"));
    }
    for name in names {
        key.push(Expr::with_filters(
            ExprVal::Ident(name.to_string()),
            vec![call(
                "default",
                vec![("value", Expr::new(ExprVal::String(UNDEFINED.to_string())))],
            )],
        ));
        key.push(defined(name));
    }
    key
}

fn defined(name: &str) -> Expr {
    Expr::new(ExprVal::Test(Test {
        ident: name.to_string(),
        negated: false,
        name: "defined".to_string(),
        args: vec![],
    }))
}

/// `original` (a loop) in the lookup described at the top of this file.
fn wrapped(original: Node, id: u32, free: &BTreeSet<String>, config_is_lang: bool) -> Node {
    let on = Expr::new(ExprVal::FunctionCall(call(ON, vec![id_arg(id)])));
    let hit = Expr::new(ExprVal::FunctionCall(call(
        HIT,
        vec![
            id_arg(id),
            ("k", Expr::new(ExprVal::Array(key_of(free, config_is_lang)))),
        ],
    )));
    let condition = Expr::new(ExprVal::Logic(LogicExpr {
        lhs: Box::new(on),
        rhs: Box::new(hit),
        operator: LogicOperator::And,
    }));
    let out = Node::VariableBlock(
        WS::default(),
        Expr::with_filters(
            ExprVal::FunctionCall(call(OUT, vec![])),
            vec![call("safe", vec![])],
        ),
    );
    let store = Node::FilterSection(
        WS::default(),
        FilterSection {
            filter: call(STORE, vec![id_arg(id)]),
            body: vec![original],
        },
        WS::default(),
    );
    Node::If(
        If {
            conditions: vec![(WS::default(), condition, vec![out])],
            otherwise: Some((WS::default(), vec![store])),
        },
        WS::default(),
    )
}

#[cfg(test)]
mod tests;
