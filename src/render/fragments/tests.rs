use super::*;
use std::sync::atomic::AtomicUsize;

/// `get_url(path)`: the path in capitals, counting its calls (a pure
/// function as far as the wrapping knows).
struct Counted(Arc<AtomicUsize>);

impl tera::Function for Counted {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        self.0.fetch_add(1, Ordering::SeqCst);
        let path = args.get("path").and_then(Value::as_str).unwrap_or("?");
        Ok(Value::String(path.to_uppercase()))
    }
}

/// `now()`: a different value on every call.
struct Ticking(Arc<AtomicUsize>);

impl tera::Function for Ticking {
    fn call(&self, _: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(Value::from(self.0.fetch_add(1, Ordering::SeqCst)))
    }
}

struct Site {
    tera: tera::Tera,
    fragments: Arc<Fragments>,
    calls: Arc<AtomicUsize>,
}

fn site(templates: &[(&str, &str)]) -> Site {
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(templates.to_vec())
        .unwrap_or_else(|e| panic!("{e}"));
    let calls = Arc::new(AtomicUsize::new(0));
    tera.register_function("get_url", Counted(calls.clone()));
    tera.register_function("now", Ticking(Arc::new(AtomicUsize::new(0))));
    let fragments = install(&mut tera);
    fragments.begin();
    Site {
        tera,
        fragments,
        calls,
    }
}

fn context(pairs: &[(&str, Value)]) -> tera::Context {
    let mut ctx = tera::Context::new();
    for (k, v) in pairs {
        ctx.insert(*k, v);
    }
    ctx
}

impl Site {
    fn render(&self, name: &str, ctx: &tera::Context) -> String {
        rendering(name, || self.tera.render(name, ctx)).unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// Renders each context with the loops kept and as written, checks
    /// the two agree, and gives the outputs.
    fn agree(&self, name: &str, contexts: &[tera::Context]) -> Vec<String> {
        let kept: Vec<String> = contexts.iter().map(|c| self.render(name, c)).collect();
        self.fragments.end();
        let plain: Vec<String> = contexts.iter().map(|c| self.render(name, c)).collect();
        self.fragments.begin();
        assert_eq!(kept, plain, "keeping loops changed the output of {name}");
        kept
    }
}

fn config(title: &str, menu: &[&str]) -> Value {
    serde_json::json!({ "base_url": "https://example.org", "title": title, "extra": { "menu": menu } })
}

#[test]
fn a_menu_from_the_config_is_rendered_once_for_every_page() {
    let s = site(&[(
        "page.html",
        "<nav>{% for m in config.extra.menu %}<a href=\"{{ get_url(path=m) }}\">{{ m }}</a>{% endfor %}</nav><h1>{{ page.title }}</h1>",
    )]);
    let contexts: Vec<tera::Context> = (0..5)
        .map(|i| {
            context(&[
                ("config", config("Site", &["om", "kontakt"])),
                ("lang", Value::from("sv")),
                ("page", serde_json::json!({ "title": format!("Sida {i}") })),
            ])
        })
        .collect();
    let before = s.calls.load(Ordering::SeqCst);
    let out = s.agree("page.html", &contexts[..]);
    assert!(out[3].starts_with(
        "<nav><a href=\"OM\">om</a><a href=\"KONTAKT\">kontakt</a></nav><h1>Sida 3</h1>"
    ));
    // Five pages kept, then five as written: the menu's two calls were
    // made once while kept.
    assert_eq!(s.calls.load(Ordering::SeqCst) - before, 2 + 5 * 2);
}

#[test]
fn each_language_keeps_its_own_output() {
    let s = site(&[(
        "page.html",
        "{% for m in config.extra.menu %}{{ m }}/{% endfor %}{{ config.title }}",
    )]);
    let sv = context(&[
        ("config", config("Handbok", &["om"])),
        ("lang", Value::from("sv")),
    ]);
    let en = context(&[
        ("config", config("Handbook", &["about"])),
        ("lang", Value::from("en")),
    ]);
    let out = s.agree("page.html", &[sv.clone(), en.clone(), sv, en]);
    assert_eq!(
        out,
        [
            "om/Handbok",
            "about/Handbook",
            "om/Handbok",
            "about/Handbook"
        ]
    );
}

#[test]
fn a_loop_over_an_assigned_value_is_kept_under_that_value() {
    let s = site(&[(
        "page.html",
        "{% set items = config.extra.menu %}{% for i in items %}[{{ i }}{% if extra is defined %}+{% endif %}]{% endfor %}{% set extra = 1 %}",
    )]);
    let a = context(&[
        ("config", config("A", &["x", "y"])),
        ("lang", Value::from("sv")),
    ]);
    let b = context(&[("config", config("A", &["z"])), ("lang", Value::from("sv"))]);
    let out = s.agree("page.html", &[a.clone(), b.clone(), a, b]);
    assert_eq!(out, ["[x][y]", "[z]", "[x][y]", "[z]"]);
}

#[test]
fn a_name_defined_as_null_is_told_from_a_missing_one() {
    let s = site(&[(
        "page.html",
        "{% set n = 1 %}{% for i in [1] %}{% if flag is defined %}defined{% else %}missing{% endif %}{% endfor %}",
    ), (
        "other.html",
        "{% set flag = 2 %}",
    )]);
    let null = context(&[("flag", Value::Null)]);
    let missing = context(&[]);
    let out = s.agree("page.html", &[null.clone(), missing.clone(), null, missing]);
    assert_eq!(out, ["defined", "missing", "defined", "missing"]);
}

#[test]
fn loops_that_read_the_page_the_path_or_unsteady_functions_are_not_kept() {
    let s = site(&[
        (
            "page.html",
            "{% for t in page.tags %}{{ t }}{% endfor %}|{% for m in config.extra.menu %}{% if current_path == m %}*{% endif %}{{ m }}{% endfor %}|{% for m in config.extra.menu %}{{ now() }}{% endfor %}",
        ),
        (
            "macros.html",
            "{% macro item(m) %}<{{ m }}>{% endmacro %}",
        ),
        (
            "with_macro.html",
            "{% import \"macros.html\" as x %}{% for m in config.extra.menu %}{{ x::item(m=m) }}{% endfor %}{% for m in config.extra.menu %}{% set_global last = m %}{% endfor %}{% for m in config.extra.menu %}{% include \"macros.html\" %}{% endfor %}",
        ),
    ]);
    assert_eq!(s.fragments.counts.read().unwrap().len(), 0);
    let ctx = |path: &str| {
        context(&[
            ("config", config("A", &["a", "b"])),
            ("lang", Value::from("sv")),
            ("current_path", Value::from(path)),
            ("page", serde_json::json!({ "tags": ["t1"] })),
        ])
    };
    // No loop was wrapped: the clock ticks on every call.
    assert_eq!(s.render("page.html", &ctx("a")), "t1|*ab|01");
    assert_eq!(s.render("page.html", &ctx("b")), "t1|a*b|23");
}

#[test]
fn the_list_looped_over_is_read_outside_the_loop() {
    // `x` in `x.children` is the outer `x`, not the loop's.
    let s = site(&[(
        "page.html",
        "{% set x = config.extra %}{% for x in x.menu %}{{ x }};{% endfor %}",
    )]);
    let a = context(&[
        ("config", config("A", &["p", "q"])),
        ("lang", Value::from("sv")),
    ]);
    let b = context(&[("config", config("A", &["r"])), ("lang", Value::from("sv"))]);
    let out = s.agree("page.html", &[a.clone(), b.clone(), a, b]);
    assert_eq!(out, ["p;q;", "r;", "p;q;", "r;"]);
}

#[test]
fn a_shared_partial_is_escaped_as_the_template_that_includes_it() {
    let s = site(&[
        (
            "nav.html",
            "{% for m in config.extra.menu %}{{ m }}{% endfor %}",
        ),
        ("page.html", "{% include \"nav.html\" %}"),
        ("robots.txt", "{% include \"nav.html\" %}"),
    ]);
    let ctx = context(&[
        ("config", config("A", &["<b>"])),
        ("lang", Value::from("sv")),
    ]);
    let page = s.agree("page.html", &[ctx.clone(), ctx.clone()]);
    let txt = s.agree("robots.txt", &[ctx.clone(), ctx]);
    assert_eq!(page[1], "&lt;b&gt;");
    assert_eq!(txt[1], "<b>");
}

#[test]
fn nothing_is_kept_outside_a_site_render() {
    let s = site(&[(
        "page.html",
        "{% for m in config.extra.menu %}{{ get_url(path=m) }}{% endfor %}",
    )]);
    let ctx = context(&[("config", config("A", &["a"])), ("lang", Value::from("sv"))]);
    let before = s.calls.load(Ordering::SeqCst);
    s.fragments.end();
    s.render("page.html", &ctx);
    s.render("page.html", &ctx);
    assert_eq!(s.calls.load(Ordering::SeqCst) - before, 2);
    s.fragments.begin();
    s.render("page.html", &ctx);
    s.render("page.html", &ctx);
    assert_eq!(s.calls.load(Ordering::SeqCst) - before, 3);
}

/// `get_page(path)`: notes that it read page 7.
struct Noting;

impl tera::Function for Noting {
    fn call(&self, _: &HashMap<String, Value>) -> tera::Result<Value> {
        crate::render::deps::note(crate::render::deps::Read::PageMeta(crate::content::PageId(
            7,
        )));
        Ok(Value::from("p7"))
    }
}

#[test]
fn a_unit_that_writes_a_kept_output_records_what_the_loop_read() {
    let mut s = site(&[(
        "page.html",
        "{% for m in config.extra.menu %}{{ get_page(path=m) }}{% endfor %}",
    )]);
    s.tera.register_function("get_page", Noting);
    let ctx = context(&[("config", config("A", &["a"])), ("lang", Value::from("sv"))]);
    for _ in 0..3 {
        let (out, recorded) = crate::render::deps::record(|| s.render("page.html", &ctx));
        assert_eq!(out, "p7");
        assert_eq!(
            recorded.reads,
            [crate::render::deps::Read::PageMeta(crate::content::PageId(
                7
            ))]
        );
    }
    assert_eq!(s.fragments.totals(), (2, 1));
}

#[test]
fn a_loop_that_keeps_missing_is_no_longer_looked_up() {
    let s = site(&[(
        "page.html",
        "{% set items = config.extra.menu %}{% for i in items %}{{ i }}{% endfor %}",
    )]);
    for i in 0..MISSES_BEFORE_GIVING_UP + 10 {
        let ctx = context(&[
            ("config", config("A", &[&format!("item {i}")])),
            ("lang", Value::from("sv")),
        ]);
        assert_eq!(s.render("page.html", &ctx), format!("item {i}"));
    }
    let (hits, misses) = s.fragments.totals();
    assert_eq!((hits, misses), (0, u64::from(MISSES_BEFORE_GIVING_UP)));
}

#[test]
fn a_loop_over_a_large_value_or_with_a_large_output_is_not_kept() {
    let s = site(&[
        (
            "list.html",
            "{% set items = config.extra.menu %}{% for i in items %}{{ i }},{% endfor %}",
        ),
        (
            "long.html",
            "{% for i in config.extra.menu %}{{ config.title }}{% endfor %}",
        ),
    ]);
    let many: Vec<String> = (0..MAX_KEY_VALUES).map(|i| i.to_string()).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let large = context(&[("config", config("A", &many)), ("lang", Value::from("sv"))]);
    s.render("list.html", &large);
    s.render("list.html", &large);
    assert_eq!(
        s.fragments.totals(),
        (0, u64::from(MISSES_BEFORE_GIVING_UP))
    );
    assert!(s.fragments.kept.read().unwrap().is_empty());

    let title = "x".repeat(MAX_OUTPUT_BYTES / 2 + 1);
    let long = context(&[
        ("config", config(&title, &["a", "b"])),
        ("lang", Value::from("sv")),
    ]);
    let out = s.agree("long.html", &[long.clone(), long]);
    assert_eq!(out[1].len(), 2 * title.len());
    assert!(s.fragments.kept.read().unwrap().is_empty());
}
