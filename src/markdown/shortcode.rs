//! Zola's shortcodes in Markdown: `{{ name(args) }}`, `{% name(args) %}`
//! … `{% end %}` (nestable), and the escapes `{{/* … */}}` / `{%/* … */%}`.
//!
//! Parsing is pure and never panics. Expansion calls back into whoever
//! renders templates (this module must not know Tera): Markdown
//! shortcodes are spliced in as text before comrak runs; HTML shortcodes
//! become placeholders that keep the source's line count (so positions
//! of later problems stay right) and are swapped for their HTML after
//! rendering.

use crate::diagnostics::{Diagnostic, SourceFile};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One parsed shortcode call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub(crate) name: String,
    pub(crate) args: Map<String, Value>,
    /// The raw body text of a `{% … %}` call, nested calls included.
    pub(crate) body: Option<String>,
    /// Byte range of the whole call (body and `{% end %}` included).
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Which kind of template a shortcode name has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Html,
    Markdown,
}

/// Renders one call: (name, args with `nth` and `body` added) → output.
pub(crate) type RenderFn<'a> =
    dyn Fn(&str, Kind, &Map<String, Value>) -> Result<String, String> + Sync + 'a;

/// What the expansion needs.
pub(crate) struct Shortcodes<'a> {
    /// Known shortcode names and their kind (a name with both an `.md` and
    /// an `.html` template uses the Markdown one, as Zola does).
    pub(crate) known: &'a HashMap<String, Kind>,
    pub(crate) render: &'a RenderFn<'a>,
}

/// Text with shortcodes expanded, and the HTML to put back afterwards.
#[derive(Debug, Default)]
pub(crate) struct Expanded {
    pub(crate) text: String,
    pub(crate) placeholders: Vec<(String, String)>,
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

struct Cursor<'s> {
    s: &'s str,
    pos: usize,
}

impl<'s> Cursor<'s> {
    fn rest(&self) -> &'s str {
        self.s.get(self.pos..).unwrap_or("")
    }
    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start_matches([' ', '\t', '\n', '\r']);
        self.pos = self.s.len() - trimmed.len();
    }
    fn eat(&mut self, token: &str) -> bool {
        if self.rest().starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }
    fn ident(&mut self) -> Option<&'s str> {
        let rest = self.rest();
        let mut chars = rest.char_indices();
        match chars.next() {
            Some((_, c)) if is_ident_start(c) => {}
            _ => return None,
        }
        let len = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        self.pos += len;
        rest.get(..len)
    }
    fn value(&mut self) -> Result<Value, String> {
        self.skip_ws();
        let rest = self.rest();
        let Some(first) = rest.chars().next() else {
            return Err("expected a value".into());
        };
        match first {
            '"' | '\'' | '`' => {
                let Some(close) = rest[1..].find(first) else {
                    return Err("unterminated string".into());
                };
                self.pos += close + 2;
                Ok(Value::String(rest[1..1 + close].to_string()))
            }
            '[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    if self.eat("]") {
                        return Ok(Value::Array(items));
                    }
                    items.push(self.value()?);
                    self.skip_ws();
                    if !self.eat(",") {
                        self.skip_ws();
                        if self.eat("]") {
                            return Ok(Value::Array(items));
                        }
                        return Err("expected `,` or `]` in an array".into());
                    }
                }
            }
            _ => {
                let len = rest
                    .find(|c: char| {
                        !(c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.' | '_'))
                    })
                    .unwrap_or(rest.len());
                let word = &rest[..len];
                let v = match word {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => {
                        if let Ok(i) = word.parse::<i64>() {
                            Value::from(i)
                        } else if let Some(n) = word
                            .parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                        {
                            Value::Number(n)
                        } else {
                            return Err(format!(
                                "`{word}` is not a string, number, boolean or array"
                            ));
                        }
                    }
                };
                self.pos += len;
                Ok(v)
            }
        }
    }
    /// `(k = v, …)` after the name. As in Zola's grammar, arguments are
    /// separated by a comma or by white space alone (`a="x" b="y"`, or
    /// one per line), and a trailing comma is not allowed.
    fn args(&mut self) -> Result<Map<String, Value>, String> {
        let mut args = Map::new();
        self.skip_ws();
        if self.eat(")") {
            return Ok(args);
        }
        loop {
            self.skip_ws();
            let key = self.ident().ok_or("expected an argument name")?.to_string();
            self.skip_ws();
            if !self.eat("=") {
                return Err(format!("expected `=` after argument `{key}`"));
            }
            let v = self.value()?;
            args.insert(key, v);
            self.skip_ws();
            if self.eat(")") {
                return Ok(args);
            }
            if !self.eat(",") && !self.rest().starts_with(is_ident_start) {
                return Err("expected `,`, `)` or another argument".into());
            }
        }
    }
}

/// A piece of parsed text.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Call(Call, Vec<Piece>),
}

/// Where a shortcode opening begins, if `pos` starts one: returns the
/// opening kind (`{{` or `{%`) or an escape.
enum Opening {
    Inline,
    Block,
    EscapedInline,
    EscapedBlock,
}

fn opening_at(s: &str) -> Option<Opening> {
    if s.starts_with("{{/*") {
        Some(Opening::EscapedInline)
    } else if s.starts_with("{%/*") {
        Some(Opening::EscapedBlock)
    } else if s.starts_with("{{") {
        Some(Opening::Inline)
    } else if s.starts_with("{%") {
        Some(Opening::Block)
    } else {
        None
    }
}

/// A problem at a byte offset of the parsed text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParseError {
    pub(crate) offset: usize,
    pub(crate) message: String,
}

/// Parses `{{ name(` / `{% name(` at `start`; `None` when the text there is
/// not a shortcode at all (no identifier followed by `(`), so it stays text.
/// A parsed call head: name, arguments, and the offset after its closing
/// braces.
type Head = (String, Map<String, Value>, usize);

fn parse_call_head(s: &str, start: usize, block: bool) -> Option<Result<Head, ParseError>> {
    let mut c = Cursor { s, pos: start + 2 };
    c.skip_ws();
    let name = c.ident()?.to_string();
    c.skip_ws();
    if !c.eat("(") {
        return None;
    }
    // As in Zola's grammar, a call whose arguments are not literals
    // (`get_url(path=asset)`) or that is not closed right after `)` is
    // not a shortcode but text: documentation shows template code so.
    let args = c.args().ok()?;
    c.skip_ws();
    let close = if block { "%}" } else { "}}" };
    if !c.eat(close) {
        return None;
    }
    Some(Ok((name, args, c.pos)))
}

/// The length of an escaped call (`{{/* name(args) */}}` with `close`
/// `*/}}`, or the `{%/* … */%}` start of an escaped body) at the start of
/// `s`; `None` when what follows the escape is not a valid call, which
/// Zola leaves as text.
fn escaped_call_len(s: &str, close: &str) -> Option<usize> {
    let mut c = Cursor { s, pos: 4 };
    c.skip_ws();
    c.ident()?;
    c.skip_ws();
    if !c.eat("(") {
        return None;
    }
    c.args().ok()?;
    c.skip_ws();
    c.eat(close).then_some(c.pos)
}

/// In the text after an escaped body start: the length of the body up to
/// `{%/* end */%}` and the length of that end tag.
fn escaped_end(s: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = s[from..].find("{%/*").map(|i| from + i) {
        let mut c = Cursor { s, pos: i + 4 };
        c.skip_ws();
        if c.eat("end") {
            c.skip_ws();
            if c.eat("*/%}") {
                return Some((i, c.pos - i));
            }
        }
        from = i + 4;
    }
    None
}

/// `span` with its first `open` and first `close` replaced, as Zola
/// unescapes (white space inside kept as written).
fn unescape(span: &str, open: &str, close: &str, open_to: &str, close_to: &str) -> String {
    span.replacen(open, open_to, 1).replacen(close, close_to, 1)
}

/// A body's pieces without the white space it starts with: Zola trims a
/// body at both ends before rendering it (the end is trimmed after).
fn trim_body_start(mut children: Vec<Piece>) -> Vec<Piece> {
    if let Some(Piece::Text(t)) = children.first_mut() {
        let trimmed = t.trim_start();
        if trimmed.is_empty() {
            children.remove(0);
        } else if trimmed.len() != t.len() {
            *t = trimmed.to_string();
        }
    }
    children
}

/// `{% end %}` at `pos`, with its length.
fn end_tag_len(s: &str) -> Option<usize> {
    let mut c = Cursor { s, pos: 0 };
    if !c.eat("{%") {
        return None;
    }
    c.skip_ws();
    if !c.eat("end") {
        return None;
    }
    c.skip_ws();
    c.eat("%}").then_some(c.pos)
}

const UNCLOSED: &str = "a body shortcode has no matching `{% end %}`";

/// How deeply body shortcodes may nest. Parsing and expanding recurse once
/// per level, so without a bound a long run of `{% a() %}` overflows the
/// stack; real content nests two or three deep.
const MAX_BODY_NESTING: usize = 32;

/// Parses pieces from `pos`; inside a body (`depth` bodies deep), stops at
/// `{% end %}` and returns (pieces, start of the end tag, end of the end
/// tag).
fn parse_pieces(
    s: &str,
    mut pos: usize,
    depth: usize,
) -> Result<(Vec<Piece>, usize, usize), ParseError> {
    let in_body = depth > 0;
    let mut pieces = Vec::new();
    let mut text = String::new();
    while pos < s.len() {
        let Some(next) = memchr::memchr(b'{', &s.as_bytes()[pos..]).map(|i| pos + i) else {
            text.push_str(&s[pos..]);
            pos = s.len();
            break;
        };
        text.push_str(&s[pos..next]);
        pos = next;
        let here = &s[pos..];
        if in_body {
            if let Some(len) = end_tag_len(here) {
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                return Ok((pieces, pos, pos + len));
            }
        }
        match opening_at(here) {
            Some(Opening::EscapedInline) => match escaped_call_len(here, "*/}}") {
                // Zola unescapes only a valid call: the span as written,
                // less the first `/*` and `*/`.
                Some(len) => {
                    text.push_str(&unescape(&here[..len], "{{/*", "*/}}", "{{", "}}"));
                    pos += len;
                }
                None => {
                    text.push('{');
                    pos += 1;
                }
            },
            Some(Opening::EscapedBlock) => match escaped_call_len(here, "*/%}") {
                Some(start_len) => {
                    let Some((body_len, end_len)) = escaped_end(&here[start_len..]) else {
                        return Err(ParseError {
                            offset: pos,
                            message: "an escaped body shortcode has no matching `{%/* end */%}`"
                                .into(),
                        });
                    };
                    text.push_str(&unescape(&here[..start_len], "{%/*", "*/%}", "{%", "%}"));
                    text.push_str(&here[start_len..start_len + body_len]);
                    let end = &here[start_len + body_len..start_len + body_len + end_len];
                    text.push_str(&unescape(end, "{%/*", "*/%}", "{%", "%}"));
                    pos += start_len + body_len + end_len;
                }
                None => {
                    text.push('{');
                    pos += 1;
                }
            },
            Some(kind @ (Opening::Inline | Opening::Block)) => {
                let block = matches!(kind, Opening::Block);
                match parse_call_head(s, pos, block) {
                    None => {
                        text.push_str(&here[..2]);
                        pos += 2;
                    }
                    Some(Err(e)) => return Err(e),
                    Some(Ok((name, args, after))) => {
                        if !text.is_empty() {
                            pieces.push(Piece::Text(std::mem::take(&mut text)));
                        }
                        if block && depth >= MAX_BODY_NESTING {
                            return Err(ParseError {
                                offset: pos,
                                message: format!(
                                    "body shortcodes nest deeper than {MAX_BODY_NESTING} levels"
                                ),
                            });
                        }
                        if block {
                            let (children, body_end, end) = parse_pieces(s, after, depth + 1)
                                .map_err(|e| {
                                    if e.offset == s.len() && e.message.starts_with(UNCLOSED) {
                                        ParseError {
                                            offset: pos,
                                            message: format!(
                                                "shortcode `{name}` has no matching `{{% end %}}`"
                                            ),
                                        }
                                    } else {
                                        e
                                    }
                                })?;
                            let body = s.get(after..body_end).unwrap_or("").to_string();
                            pieces.push(Piece::Call(
                                Call {
                                    name,
                                    args,
                                    body: Some(body),
                                    start: pos,
                                    end,
                                },
                                trim_body_start(children),
                            ));
                            pos = end;
                        } else {
                            pieces.push(Piece::Call(
                                Call {
                                    name,
                                    args,
                                    body: None,
                                    start: pos,
                                    end: after,
                                },
                                vec![],
                            ));
                            pos = after;
                        }
                    }
                }
            }
            None => {
                text.push('{');
                pos += 1;
            }
        }
    }
    if in_body {
        return Err(ParseError {
            offset: s.len(),
            message: UNCLOSED.into(),
        });
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok((pieces, pos, pos))
}

/// Parses a whole text; errors carry byte offsets into it.
fn parse(s: &str) -> Result<Vec<Piece>, ParseError> {
    parse_pieces(s, 0, 0).map(|(p, _, _)| p)
}

/// Every call in document order (nested ones after their parent).
#[cfg(test)]
fn calls(s: &str) -> Result<Vec<Call>, ParseError> {
    fn walk(pieces: &[Piece], out: &mut Vec<Call>) {
        for p in pieces {
            if let Piece::Call(c, children) = p {
                out.push(c.clone());
                walk(children, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&parse(s)?, &mut out);
    Ok(out)
}

/// True if the text may hold a shortcode (cheap pre-check).
pub(crate) fn may_contain(s: &str) -> bool {
    s.contains("{{") || s.contains("{%")
}

struct State<'a, 'b> {
    sc: &'a Shortcodes<'b>,
    nth: HashMap<String, usize>,
    out: Expanded,
    errors: Vec<(usize, String)>,
    base: usize,
}

impl State<'_, '_> {
    /// Renders pieces to text; HTML results become placeholders when
    /// `top` (outside bodies), or inline HTML inside bodies.
    fn expand(&mut self, pieces: &[Piece], top: bool) -> String {
        let mut text = String::new();
        for p in pieces {
            match p {
                Piece::Text(t) => text.push_str(t),
                Piece::Call(call, children) => {
                    let Some(kind) = self.sc.known.get(&call.name).copied() else {
                        self.errors.push((
                            self.base + call.start,
                            format!("unknown shortcode `{}`", call.name),
                        ));
                        continue;
                    };
                    let n = self.nth.entry(call.name.clone()).or_insert(0);
                    *n += 1;
                    let mut args = call.args.clone();
                    args.insert("nth".into(), Value::from(*n));
                    if call.body.is_some() {
                        let body = self.expand(children, false);
                        args.insert("body".into(), Value::String(body.trim_end().to_string()));
                    }
                    match (self.sc.render)(&call.name, kind, &args) {
                        Ok(rendered) => match kind {
                            Kind::Markdown => text.push_str(&rendered),
                            Kind::Html if top => {
                                let id = format!("hbsc{}x", self.out.placeholders.len());
                                let lines = call
                                    .body
                                    .as_deref()
                                    .map(|b| b.matches('\n').count())
                                    .unwrap_or(0);
                                text.push_str(&id);
                                for _ in 0..lines {
                                    text.push('\n');
                                }
                                self.out.placeholders.push((id, rendered));
                            }
                            Kind::Html => text.push_str(&rendered),
                        },
                        Err(e) => self.errors.push((
                            self.base + call.start,
                            format!("shortcode `{}` failed: {e}", call.name),
                        )),
                    }
                }
            }
        }
        text
    }
}

/// Expands every shortcode of `body`. Problems are located in `source`
/// (the body starts at `body_offset`).
pub(crate) fn expand(
    body: &str,
    sc: &Shortcodes<'_>,
    source: &SourceFile,
    body_offset: usize,
) -> (Expanded, Vec<Diagnostic>) {
    if !may_contain(body) {
        return (
            Expanded {
                text: body.to_string(),
                placeholders: vec![],
            },
            vec![],
        );
    }
    let pieces = match parse(body) {
        Ok(p) => p,
        Err(e) => {
            let d = Diagnostic::error("shortcode::malformed", e.message)
                .at(source, body_offset + e.offset)
                .with_help("write `{{ name(key=\"value\") }}` or `{% name(key=\"value\") %}…{% end %}`; escape literal braces as `{{/* … */}}`");
            return (
                Expanded {
                    text: body.to_string(),
                    placeholders: vec![],
                },
                vec![d],
            );
        }
    };
    let mut state = State {
        sc,
        nth: HashMap::new(),
        out: Expanded::default(),
        errors: vec![],
        base: body_offset,
    };
    state.out.text = state.expand(&pieces, true);
    let diags = state
        .errors
        .iter()
        .map(|(offset, msg)| {
            Diagnostic::error("shortcode::render", msg.clone())
                .at(source, *offset)
                .with_help(
                    "shortcodes live in templates/shortcodes/NAME.html or NAME.md (or the theme's)",
                )
        })
        .collect();
    (state.out, diags)
}

/// Puts HTML shortcode output back: a placeholder alone in a paragraph
/// replaces the whole paragraph (Zola drops the `<p>` wrapper).
pub(crate) fn restore(html: &str, placeholders: &[(String, String)]) -> String {
    let mut out = html.to_string();
    for (id, rendered) in placeholders {
        let para = format!("<p>{id}</p>");
        if out.contains(&para) {
            out = out.replacen(&para, rendered, 1);
        } else {
            out = out.replacen(id.as_str(), rendered, 1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn known() -> HashMap<String, Kind> {
        HashMap::from([
            ("yt".to_string(), Kind::Html),
            ("box".to_string(), Kind::Html),
            ("md".to_string(), Kind::Markdown),
        ])
    }

    fn run(body: &str) -> (String, Vec<Diagnostic>) {
        let k = known();
        let render = |name: &str, _: Kind, args: &Map<String, Value>| -> Result<String, String> {
            Ok(format!(
                "<{name} {}>",
                serde_json::to_string(args).unwrap_or_default()
            ))
        };
        let sc = Shortcodes {
            known: &k,
            render: &render,
        };
        let (e, d) = expand(body, &sc, &SourceFile::new("a.md", body), 0);
        (restore(&e.text, &e.placeholders), d)
    }

    #[test]
    fn parses_all_argument_types() {
        let calls =
            calls("{{ yt(id=\"a\", n=-3, f=1.5, b=true, l=[1, 'x'], t=`q`) }}").unwrap_or_default();
        assert_eq!(calls.len(), 1);
        let a = &calls[0].args;
        assert_eq!(
            (
                a["id"].as_str(),
                a["n"].as_i64(),
                a["f"].as_f64(),
                a["b"].as_bool()
            ),
            (Some("a"), Some(-3), Some(1.5), Some(true))
        );
        assert_eq!(a["l"], serde_json::json!([1, "x"]));
        assert_eq!(a["t"], "q");
    }

    #[test]
    fn bodies_nest_and_count_nth() {
        let (out, d) = run("{% box() %}\nA {{ yt(id='1') }}\n{% box() %}inre{% end %}\n{% end %}\n\n{{ yt(id='2') }}");
        assert!(d.is_empty(), "{d:?}");
        assert!(
            out.contains("\"nth\":1") && out.contains("\"nth\":2"),
            "{out}"
        );
        assert!(out.contains("<yt {\"id\":\"2\",\"nth\":2}>"), "{out}");
    }

    #[test]
    fn escapes_and_non_calls_stay_text() {
        let (out, d) = run("{{/* yt(id=\"a\") */}} och {{ inte en kod }} och {{/*yt()*/}}");
        assert!(d.is_empty());
        assert_eq!(out, "{{ yt(id=\"a\") }} och {{ inte en kod }} och {{yt()}}");
    }

    #[test]
    fn only_a_valid_escaped_call_is_unescaped() {
        for literal in [
            "`{{/*`",
            "{{/* end */}}",
            "{{/* f(path=var) */}}",
            "{%/* extends \"x\" */%}",
            "${{/* secrets.TOKEN */}}",
            "{%/* end */%}",
        ] {
            let (out, d) = run(literal);
            assert!(d.is_empty(), "{literal}: {d:?}");
            assert_eq!(out, literal);
        }
    }

    #[test]
    fn an_escaped_body_is_unescaped_and_its_calls_left_alone() {
        let (out, d) = run("{%/* box(a=1) */%}\n{{ yt() }}\n{%/*end*/%} slut");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(out, "{% box(a=1) %}\n{{ yt() }}\n{%end%} slut");
        let (_, d) = run("{%/* box() */%} utan slut");
        assert_eq!(d[0].code, "shortcode::malformed");
    }

    #[test]
    fn arguments_may_be_separated_by_white_space_alone() {
        let calls =
            calls("{{ yt(id=\"a\" n=2) }} {{ yt(\n  id=\"b\"\n  n=3\n) }}").unwrap_or_default();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].args["n"], 2);
        assert_eq!(calls[1].args["id"], "b");
        // A trailing comma is not Zola's grammar: the text stays.
        let (out, d) = run("{{ yt(id=\"a\",) }}");
        assert!(d.is_empty());
        assert_eq!(out, "{{ yt(id=\"a\",) }}");
    }

    #[test]
    fn a_body_is_trimmed_at_both_ends() {
        let (out, _) = run("{% box() %}\n\n  text\n\n{% end %}");
        assert!(out.contains("\"body\":\"text\""), "{out}");
    }

    #[test]
    fn unknown_and_malformed_calls_are_located() {
        let (_, d) = run("rad\n{{ okand() }}");
        assert_eq!(d[0].position.map(|p| (p.line, p.column)), Some((2, 1)));
        // Not a shortcode in Zola's grammar: text, no error.
        let (e, d) = run("x {{ yt(id=) }} {{ get_url(path=asset) }} {{ f(a=1) | safe }}");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            e,
            "x {{ yt(id=) }} {{ get_url(path=asset) }} {{ f(a=1) | safe }}"
        );
        let (_, d) = run("{% box() %}utan slut");
        assert_eq!(d[0].code, "shortcode::malformed");
    }

    #[test]
    fn body_shortcodes_nested_past_the_limit_are_one_located_error() {
        let text = format!("x\n{}", "{% box() %}".repeat(5000));
        let (_, d) = run(&text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("nest deeper than"), "{d:?}");
        let ok = format!("{}{}", "{% box() %}a".repeat(5), "{% end %}".repeat(5));
        assert!(run(&ok).1.is_empty());
    }

    #[test]
    fn placeholders_keep_the_line_count() {
        let k = known();
        let render = |_: &str, _: Kind, _: &Map<String, Value>| -> Result<String, String> {
            Ok("<div>x</div>".into())
        };
        let sc = Shortcodes {
            known: &k,
            render: &render,
        };
        let body = "{% box() %}\na\nb\n{% end %}\nslut";
        let (e, _) = expand(body, &sc, &SourceFile::new("a.md", body), 0);
        assert_eq!(e.text.lines().count(), body.lines().count());
    }

    #[test]
    fn an_escaped_call_whose_close_overlaps_its_opening_does_not_panic() {
        // Found by the shortcodes fuzz target.
        for body in ["{{/*/}}", "{%/*/%}", "a {{/*/}} b"] {
            let (out, _) = run(body);
            assert!(out.contains("{{") || out.contains("{%"), "{body}: {out}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,120}") {
            let _ = run(&s);
            let _ = calls(&s);
        }

        #[test]
        fn never_panics_on_shortcode_like_input(s in "[{}%()=,\"' a-z0-9/*\\[\\]]{0,60}") {
            let _ = run(&s);
        }
    }
}
