//! Which fields of *other* pages and sections a template can read, so
//! that the values embedded in lists (`section.pages`, `term.pages`,
//! `terms`, pagers, `lower`/`higher`) and those `get_page` and
//! `get_section` return can leave out what no template of the unit shows.
//!
//! A Tera context owns its values, so every list copies the pages it
//! embeds; a taxonomy term on a large site embeds thousands, and a
//! navigation calls `get_section` on every page. Copying fields nobody
//! reads (a page's rendered HTML above all) dominated the time and the
//! peak memory of real-shaped builds. The analysis here reads a
//! template's source and collects every name it could read a field by,
//! erring on more: any way of reaching a field by a name it does not
//! spell out (`json_encode`, a subscript with a variable, iterating over
//! a map, `get`, a filter whose attribute is not a literal) means every
//! field. The body fields (`content`, `summary`, `toc`) count only when
//! read from something other than the template's own `page` or
//! `section`, which are always whole.
//!
//! A projected value keeps only the keys some template names, and at
//! least one, so that it stays truthy. Comparing whole values (`p ==
//! page`, `p in pages`) counts as reading every field. What changes is
//! only the `length` of a page or section itself, its number of keys.

use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

/// The fields of a page or section view that carry its rendered body.
const HEAVY: &[&str] = &["content", "summary", "toc"];

/// A set of field names. Projecting a value tests each of its keys
/// against the set, for every page of every list: a fast hash for these
/// short, trusted names (template sources) halved that.
pub(crate) type Names = rustc_hash::FxHashSet<String>;

/// The fields of listed pages and sections a unit's templates can read.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum Fields {
    /// Any of them: values are given whole.
    #[default]
    All,
    /// Only these; the others may be `null`.
    Named(Arc<Names>),
}

impl Fields {
    /// True when the unit's templates read lists of pages only to count
    /// them: each listed page may then be a placeholder. A taxonomy's
    /// list page that shows each term's number of pages otherwise copies
    /// every page of the site, on every edit of any of them.
    pub(crate) fn counts_pages_only(&self) -> bool {
        matches!(self, Fields::Named(names) if names.contains(PAGES_COUNTED))
    }
}

/// Put in a unit's [`Names`] when none of its templates reads a list of
/// pages other than to count it (no template can name a field so: it has
/// spaces).
pub(crate) const PAGES_COUNTED: &str = "(lists of pages only counted)";

thread_local! {
    static CURRENT: RefCell<Fields> = const { RefCell::new(Fields::All) };
}

/// Runs `f` with `fields` as what lists built on this thread keep, then
/// puts back what was there. Outside any scope, lists are whole.
pub(crate) fn scoped<T>(fields: Fields, f: impl FnOnce() -> T) -> T {
    let outer = CURRENT.with(|c| c.replace(fields));
    let value = f();
    CURRENT.with(|c| *c.borrow_mut() = outer);
    value
}

/// What lists built on this thread now keep.
pub(crate) fn current() -> Fields {
    CURRENT.with(|c| c.borrow().clone())
}

/// `f` of what lists built on this thread now keep, without the copy
/// [`current`] makes: a copy counts a reference shared by every render
/// thread, and a navigation asks on every `get_section` call.
pub(crate) fn with_current<T>(f: impl FnOnce(&Fields) -> T) -> T {
    CURRENT.with(|c| f(&c.borrow()))
}

/// `value` (a page's or section's view) as lists on this thread keep it:
/// borrowed when whole, else a copy of the named fields only, made
/// without copying the others.
pub(crate) fn project(value: &Value) -> std::borrow::Cow<'_, Value> {
    project_laid_out(value, None)
}

/// The keys of an object in order, shared by every value known to have
/// exactly these keys (every page's view does).
pub(crate) type Layout = Arc<Vec<String>>;

/// The keys of `value` when it is an object.
pub(crate) fn layout_of(value: &Value) -> Option<Vec<String>> {
    value.as_object().map(|m| m.keys().cloned().collect())
}

/// True when `value` is an object whose keys are `layout`, in order.
pub(crate) fn has_layout(value: &Value, layout: &[String]) -> bool {
    value
        .as_object()
        .is_some_and(|m| m.len() == layout.len() && m.keys().zip(layout).all(|(a, b)| a == b))
}

/// [`project`] of a value whose keys the caller knows to be `layout`
/// (checked when the value was made), which spares comparing them.
pub(crate) fn project_laid_out<'a>(
    value: &'a Value,
    layout: Option<&Layout>,
) -> std::borrow::Cow<'a, Value> {
    CURRENT.with(|c| match (&*c.borrow(), value) {
        (Fields::Named(names), Value::Object(map)) => {
            let mut out: serde_json::Map<String, Value> = PLAN.with(|plan| {
                let mut plan = plan.borrow_mut();
                let kept = plan.kept(names, map, layout);
                let mut out = serde_json::Map::with_capacity(kept.iter().filter(|k| **k).count());
                for ((k, v), _) in map.iter().zip(kept).filter(|(_, keep)| **keep) {
                    out.insert(k.clone(), v.clone());
                }
                out
            });
            if out.is_empty() {
                // An empty object is false in a test; this one was not.
                if let Some((k, v)) = map.iter().find(|(_, v)| !is_large(v)) {
                    out.insert(k.clone(), v.clone());
                }
            }
            std::borrow::Cow::Owned(Value::Object(out))
        }
        _ => std::borrow::Cow::Borrowed(value),
    })
}

thread_local! {
    static PLAN: RefCell<Plan> = RefCell::new(Plan::default());
}

/// Which of an object's keys a set of names keeps, for the last key
/// sequence projected on this thread. Every page's view has the same keys
/// in the same order, as does every section's, so a list of thousands of
/// pages tests its names once: testing every key of every listed page
/// against the set, or even comparing each page's keys with the last
/// ones, was most of what a term page with thousands of pages cost.
#[derive(Default)]
struct Plan {
    names: Option<Arc<Names>>,
    keys: Layout,
    kept: Vec<bool>,
}

impl Plan {
    /// For each of `map`'s keys in order, whether `names` holds it.
    /// `layout`, when given, is `map`'s keys.
    fn kept(
        &mut self,
        names: &Arc<Names>,
        map: &serde_json::Map<String, Value>,
        layout: Option<&Layout>,
    ) -> &[bool] {
        let same_names = self.names.as_ref().is_some_and(|n| Arc::ptr_eq(n, names));
        let same_keys = match layout {
            Some(l) => Arc::ptr_eq(l, &self.keys),
            None => {
                self.keys.len() == map.len()
                    && map.keys().zip(self.keys.iter()).all(|(a, b)| a == b)
            }
        };
        if !(same_names && same_keys) {
            self.names = Some(names.clone());
            self.keys = match layout {
                Some(l) => l.clone(),
                None => Arc::new(map.keys().cloned().collect()),
            };
            self.kept = map.keys().map(|k| names.contains(k)).collect();
        }
        &self.kept
    }
}

/// A value not worth copying just to keep an object non-empty.
fn is_large(v: &Value) -> bool {
    match v {
        Value::String(s) => s.len() > 256,
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => false,
    }
}

/// The names one template's source may read a listed value's field by,
/// or `None` when it may read any field.
pub(crate) fn names_read(text: &str) -> Option<HashSet<String>> {
    let code = tag_code(text);
    if code.iter().any(|c| dynamic_access(c)) {
        return None;
    }
    let rebinds = code.iter().any(|c| rebinds_own_names(c));
    let mut names = HashSet::new();
    for c in &code {
        literal_names(c, &mut names);
        field_names(c, !rebinds, &mut names);
    }
    Some(names)
}

/// True when every `pages` that `text` (one template's source) names is
/// counted, `… pages | length`, and nothing else: no loop over it, no
/// filter, no subscript, no assignment, no argument. Anything else that
/// spells the word (a string, a longer name) counts as a read.
pub(crate) fn counts_pages_only(text: &str) -> bool {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    tag_code(text).iter().all(|code| {
        code.match_indices("pages").all(|(at, _)| {
            let end = at + "pages".len();
            if code[..at].bytes().next_back().is_some_and(ident)
                || code[end..].bytes().next().is_some_and(ident)
            {
                return true;
            }
            code[end..]
                .trim_start()
                .strip_prefix('|')
                .map(str::trim_start)
                .and_then(|rest| rest.strip_prefix("length"))
                .is_some_and(|rest| !rest.bytes().next().is_some_and(ident))
        })
    })
}

/// True when `text` (one template's source) may reach a field whose name
/// it does not spell out, so that any field may be read.
pub(crate) fn reads_by_unseen_name(text: &str) -> bool {
    tag_code(text).iter().any(|c| dynamic_access(c))
}

/// The code of every `{{ … }}` and `{% … %}` tag (comments skipped),
/// string literals included; ends at a closing delimiter outside a string.
fn tag_code(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        let open = (bytes[i], bytes[i + 1]);
        let close = match open {
            (b'{', b'{') => b'}',
            (b'{', b'%') => b'%',
            (b'{', b'#') => {
                i = text[i + 2..]
                    .find("#}")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let start = i + 2;
        let mut j = start;
        let mut quote: Option<u8> = None;
        while j < bytes.len() {
            let b = bytes[j];
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if matches!(b, b'"' | b'\'' | b'`') => quote = Some(b),
                None if b == close && bytes.get(j + 1) == Some(&b'}') => break,
                None => {}
            }
            j += 1;
        }
        out.push(&text[start..j.min(bytes.len())]);
        i = j + 2;
    }
    out
}

fn regex(cell: &'static std::sync::OnceLock<regex::Regex>, pattern: &str) -> &'static regex::Regex {
    cell.get_or_init(|| {
        regex::Regex::new(pattern).unwrap_or_else(|_| unreachable!("a valid pattern"))
    })
}

/// Ways to reach a field whose name the template does not spell out.
fn dynamic_access(code: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = regex(
        &RE,
        concat!(
            r"json_encode|__tera_context",
            // the `get` filter, whose key may be a variable
            r"|\bget\s*\(",
            // a subscript that is not a number or a string literal
            r#"|\[\s*[^\s\d"'`\]-]"#,
            // a filter's attribute given as a variable (a `key` names a
            // field only in `get`, above; `trans(key=…)` names a string)
            r#"|\battribute\s*=\s*[^\s"'`]"#,
            // iterating over a map's keys and values
            r"|^\s*-?\s*for\s+\w+\s*,\s*\w+\s+in\b",
        ),
    );
    re.is_match(code) || compares_whole_values(code)
}

/// `a == b`, `a != b` or `a in b` where both sides may be whole pages or
/// sections (`p == page`, `page in section.pages`): a projected value
/// would no longer equal the whole one.
fn compares_whole_values(code: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = regex(&RE, r"==|!=|\sin\s");
    if code
        .trim_start()
        .trim_start_matches('-')
        .trim_start()
        .starts_with("for ")
    {
        return false;
    }
    let operand = |b: u8| b.is_ascii_alphanumeric() || b"_.[]\"'`()".contains(&b);
    re.find_iter(code).any(|m| {
        let left = code[..m.start()].trim_end();
        let start = left.len() - left.bytes().rev().take_while(|b| operand(*b)).count();
        let right = code[m.end()..].trim_start();
        let len = right.bytes().take_while(|b| operand(*b)).count();
        let (left, right) = (&left[start..], &right[..len]);
        !is_literal(left) && !is_literal(right) && may_be_object(left) && may_be_object(right)
    })
}

fn is_literal(operand: &str) -> bool {
    operand.is_empty()
        || operand.starts_with(|c: char| c.is_ascii_digit() || "\"'`-".contains(c))
        || matches!(
            operand,
            "true" | "false" | "True" | "False" | "none" | "None"
        )
}

/// An operand that may hold a page or a section: a bare name, a subscript
/// or call, or a field that holds one.
fn may_be_object(operand: &str) -> bool {
    const HOLDERS: &[&str] = &["page", "section", "pages", "lower", "higher", "subsections"];
    operand.ends_with([']', ')'])
        || match operand.rsplit_once('.') {
            None => true,
            Some((_, last)) => HOLDERS.contains(&last),
        }
}

/// A tag that gives the names `page` or `section` another value: a loop
/// variable, a `set` or a macro parameter. After one, `page.content` may
/// be a listed page's.
fn rebinds_own_names(code: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = regex(
        &RE,
        r"^\s*-?\s*(?:for\s+[^%]*?\b(?:page|section)\b[^%]*?\bin\b|set(?:_global)?\s+(?:page|section)\s*=|macro\s+\w+\s*\([^)]*\b(?:page|section)\b)",
    );
    re.is_match(code)
}

/// Every segment of every string literal, as a name a filter's
/// `attribute` or a subscript may read (`attribute="lower.content"`,
/// `p["toc"]`).
fn literal_names(code: &str, names: &mut HashSet<String>) {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = regex(&RE, r#""([^"]*)"|'([^']*)'|`([^`]*)`"#);
    for c in re.captures_iter(code) {
        let s = c
            .get(1)
            .or_else(|| c.get(2))
            .or_else(|| c.get(3))
            .map_or("", |m| m.as_str());
        names.extend(s.split('.').map(|part| part.trim().to_string()));
    }
}

/// Every name read as a field (`x.name`); a body field only where X is
/// not the template's own `page` or `section` (when `own_is_own`:
/// nothing rebinds those names).
fn field_names(code: &str, own_is_own: bool, names: &mut HashSet<String>) {
    let bytes = code.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    for (dot, _) in code.match_indices('.') {
        let rest = code[dot + 1..].trim_start();
        let len = rest.bytes().take_while(|b| ident(*b)).count();
        let name = &rest[..len];
        if name.is_empty() || name.as_bytes()[0].is_ascii_digit() {
            continue;
        }
        if HEAVY.contains(&name) {
            // The receiver: the dotted name just before the dot.
            let mut start = dot;
            while start > 0 && (ident(bytes[start - 1]) || bytes[start - 1] == b'.') {
                start -= 1;
            }
            let receiver = &code[start..dot];
            let before = code[..start].trim_end().as_bytes().last().copied();
            let plain = !matches!(before, Some(b']' | b')' | b'"' | b'\'' | b'`'));
            if own_is_own && plain && matches!(receiver, "page" | "section") {
                continue;
            }
        }
        names.insert(name.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &str) -> Option<Vec<String>> {
        names_read(t).map(|n| {
            let mut v: Vec<String> = n.into_iter().collect();
            v.sort();
            v
        })
    }

    /// True when listed values read through `t` must keep `field`.
    fn reads(t: &str, field: &str) -> bool {
        names_read(t).is_none_or(|n| n.contains(field))
    }

    #[test]
    fn a_list_of_titles_and_dates_names_only_those() {
        assert_eq!(
            names("{% for p in term.pages %}<a href=\"{{ p.permalink }}\">{{ p.title }}</a> {{ p.date }}{% endfor %}"),
            Some(vec!["date".into(), "pages".into(), "permalink".into(), "title".into()])
        );
    }

    #[test]
    fn the_own_page_s_body_does_not_make_listed_bodies_read() {
        let t = "{{ section.content | safe }}{{ page.content }}{{ page.lower.title }}{% block content %}{% endblock content %}";
        assert!(!reads(t, "content"));
        assert!(reads(t, "title"));
        assert!(!reads(
            "{# p.content #}<p>content and .content in text</p>",
            "content"
        ));
    }

    #[test]
    fn a_listed_page_s_body_by_name_is_read() {
        assert!(reads(
            "{% for p in section.pages %}{{ p.summary | safe }}{% endfor %}",
            "summary"
        ));
        assert!(reads("{{ page.lower.content }}", "content"));
        assert!(reads("{{ paginator.pages[0].content }}", "content"));
        assert!(reads("{{ get_page(path='a.md').toc }}", "toc"));
        assert!(reads("{{ p [\"content\"] }}", "content"));
        assert!(reads(
            "{{ pages | map(attribute='content') | join }}",
            "content"
        ));
        assert!(reads(
            "{{ pages | sort(attribute=\"lower.summary\") }}",
            "summary"
        ));
        assert!(reads("{{ p . content }}", "content"));
        assert!(reads("{{ pages | group_by(attribute='year') }}", "year"));
    }

    #[test]
    fn every_template_of_the_bundled_theme_names_the_fields_it_reads() {
        // One template that reaches a field by a name it does not spell
        // out makes every list of every page using it whole: on a large
        // handbook that is most of the render's time and memory.
        let templates = crate::config::embedded_theme::files_in("handbok", "templates");
        assert!(templates.len() > 20);
        for (name, bytes) in templates {
            let text = std::str::from_utf8(bytes).expect("templates are UTF-8");
            assert!(
                names_read(text).is_some(),
                "{name} reads fields by unseen names"
            );
        }
    }

    #[test]
    fn own_names_that_are_rebound_count_as_listed_pages() {
        assert!(reads(
            "{% for page in section.pages %}{{ page.content }}{% endfor %}",
            "content"
        ));
        assert!(reads(
            "{% set page = term.pages | first %}{{ page.summary }}",
            "summary"
        ));
        assert!(reads(
            "{% macro card(page) %}{{ page.content }}{% endmacro %}",
            "content"
        ));
        assert!(reads(
            "{%- for i, page in pages %}{{ page.toc }}{% endfor %}",
            "toc"
        ));
    }

    #[test]
    fn fields_reached_by_a_name_not_spelled_out_mean_every_field() {
        for t in [
            "{{ p | json_encode }}",
            "{{ __tera_context }}",
            "{{ p[field] }}",
            "{{ p | get(key=k) }}",
            "{{ pages | map(attribute=name) }}",
            "{% for k, v in p %}{{ v }}{% endfor %}",
            "{% if p == page %}x{% endif %}",
            "{% if p != current %}x{% endif %}",
            "{{ p==page }}",
            "{% if page in section.pages %}x{% endif %}",
            "{% if p not in list %}x{% endif %}",
            "{% if s.pages == section.pages and x %}x{% endif %}",
        ] {
            assert_eq!(names(t), None, "{t}");
        }
        for t in [
            "{{ p[0].title }}{{ p[\"title\"] }}",
            // A translation key is a string's name, not a field's.
            "{{ trans(key=item.key, lang=lang) }}",
            "{% if p.title == page.title %}x{% endif %}",
            "{% if lang == \"sv\" %}x{% endif %}",
            "{% if p.permalink == current_url and x %}x{% endif %}",
            "{% if x.year != 2024 %}x{% endif %}",
            "{% for p in section.pages %}{{ p.title }}{% endfor %}",
            "{% if \"a\" in p.title %}x{% endif %}",
        ] {
            assert!(names(t).is_some(), "{t}");
        }
    }

    #[test]
    fn delimiters_inside_strings_do_not_end_a_tag() {
        assert!(reads("{{ \"}}\" ~ p.content }}", "content"));
        assert!(reads("{% set x = '%}' %}{{ x }}{{ p.toc }}", "toc"));
    }

    #[test]
    fn projected_values_keep_only_the_named_fields_and_stay_truthy() {
        let full =
            serde_json::json!({"title": "T", "content": "<p>x</p>", "toc": [1], "word_count": 3});
        let named: Names = ["title".to_string()].into_iter().collect();
        let fields = Fields::Named(Arc::new(named));
        let projected = scoped(fields, || project(&full).into_owned());
        assert_eq!(projected, serde_json::json!({"title": "T"}));
        assert_eq!(project(&full).into_owned(), full);
        let unnamed = scoped(Fields::Named(Arc::default()), || {
            project(&full).into_owned()
        });
        assert_eq!(unnamed, serde_json::json!({"title": "T"}), "kept non-empty");
    }

    #[test]
    fn values_of_a_known_layout_project_as_values_whose_keys_are_compared() {
        let page = |t: &str| serde_json::json!({"title": t, "permalink": "/p/", "date": null});
        let other = serde_json::json!({"date": "2025-01-01", "title": "S"});
        let layout: Layout = Arc::new(layout_of(&page("a")).unwrap_or_default());
        assert!(has_layout(&page("b"), &layout));
        assert!(!has_layout(&other, &layout));
        let title: Names = ["title".to_string()].into_iter().collect();
        let date: Names = ["date".to_string()].into_iter().collect();
        let (title, date) = (Arc::new(title), Arc::new(date));
        // Alternating layouts and field sets on one thread: each answer
        // is the one its own value and set give.
        scoped(Fields::Named(title.clone()), || {
            assert_eq!(
                project_laid_out(&page("a"), Some(&layout)).into_owned(),
                serde_json::json!({"title": "a"})
            );
            assert_eq!(
                project(&other).into_owned(),
                serde_json::json!({"title": "S"})
            );
            assert_eq!(
                project_laid_out(&page("b"), Some(&layout)).into_owned(),
                serde_json::json!({"title": "b"})
            );
        });
        scoped(Fields::Named(date), || {
            assert_eq!(
                project_laid_out(&page("a"), Some(&layout)).into_owned(),
                serde_json::json!({"date": null})
            );
            assert_eq!(
                project(&other).into_owned(),
                serde_json::json!({"date": "2025-01-01"})
            );
        });
        scoped(Fields::Named(title), || {
            assert_eq!(
                project(&page("c")).into_owned(),
                serde_json::json!({"title": "c"})
            );
        });
    }

    #[test]
    fn only_templates_that_do_nothing_but_count_page_lists_count_them_only() {
        for counted in [
            "{{ term.pages | length }}",
            "{% if section.pages|length > 0 %}{{ page_count }}{% endif %}",
            "{% for t in terms %}{{ t.name }} ({{ t.pages | length }}){% endfor %}",
            "{# {% for p in term.pages %} #}{{ subpages }}{{ pages_seen }}",
            "no tags at all: pages",
        ] {
            assert!(counts_pages_only(counted), "{counted}");
        }
        for read in [
            "{% for p in term.pages %}{{ p.title }}{% endfor %}",
            "{{ term.pages | first }}",
            "{{ term.pages | length }}{{ section.pages[0].title }}",
            "{% set ps = section.pages %}",
            "{{ m::list(pages=term.pages) }}",
            "{{ term | get(key=\"pages\") }}",
            "{{ section[\"pages\"] | length }}",
            "{% if paginator.pages %}x{% endif %}",
            "{{ term.pages | lengthy }}",
        ] {
            assert!(!counts_pages_only(read), "{read}");
        }
    }

    #[test]
    fn scopes_nest_and_restore() {
        let some = Fields::Named(Arc::default());
        assert_eq!(current(), Fields::All);
        scoped(some.clone(), || {
            assert_eq!(current(), some);
            scoped(Fields::All, || assert_eq!(current(), Fields::All));
            assert_eq!(current(), some);
        });
        assert_eq!(current(), Fields::All);
    }
}
