//! Rendered HTML to the plain text a search index holds, as Zola's
//! `clean_and_truncate_body` gives it (ammonia with no tags allowed):
//! every tag dropped, `script`, `style` and `pre` dropped with their
//! content, comments dropped, text re-escaped the way html5ever serializes
//! it (`&amp;`, `&lt;`, `&gt;`, `&nbsp;`), each line's whitespace
//! collapsed, blank lines removed, then cut to a number of code points.

/// Elements removed together with everything inside them.
const DROPPED: &[&str] = &["script", "style", "pre"];

/// Cleans `html` and truncates it to `limit` code points.
pub(crate) fn clean_and_truncate(html: &str, limit: Option<usize>) -> String {
    let text = strip_tags(html);
    let mut clean = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(limit) = limit {
        if let Some((cut, _)) = clean.char_indices().nth(limit) {
            clean.truncate(cut);
        }
    }
    clean
}

/// The text of `html` without markup, escaped again for HTML.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut text_start = 0;
    let mut i = 0;
    // Inside a dropped element: its name and nesting depth.
    let mut dropping: Option<(&'static str, usize)> = None;
    let bytes = html.as_bytes();
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let Some(markup) = markup_at(html, i) else {
            i += 1;
            continue;
        };
        if dropping.is_none() {
            push_text(&mut out, &html[text_start..i]);
        }
        let end = markup.end;
        match (markup.kind, &mut dropping) {
            (Kind::Start(name), None) => {
                if let Some(dropped) = DROPPED.iter().find(|d| **d == name) {
                    if matches!(*dropped, "script" | "style") {
                        // Raw text: nothing inside is markup.
                        i = raw_text_end(html, end, dropped);
                        text_start = i;
                        continue;
                    }
                    dropping = Some((dropped, 1));
                }
            }
            (Kind::Start(name), Some((open, depth))) if name == *open => *depth += 1,
            (Kind::End(name), Some((open, depth))) if name == *open => {
                *depth -= 1;
                if *depth == 0 {
                    dropping = None;
                }
            }
            _ => {}
        }
        i = end;
        text_start = end;
    }
    if dropping.is_none() {
        push_text(&mut out, &html[text_start..]);
    }
    out
}

enum Kind {
    Start(String),
    End(String),
    Other,
}

struct Markup {
    kind: Kind,
    /// Byte just past the markup.
    end: usize,
}

/// The tag, comment or declaration starting at `i` (a `<`), if it is one;
/// a `<` that starts none of them is text.
fn markup_at(html: &str, i: usize) -> Option<Markup> {
    let rest = &html[i..];
    if let Some(after) = rest.strip_prefix("<!--") {
        let end = after.find("-->").map_or(html.len(), |p| i + 4 + p + 3);
        return Some(Markup {
            kind: Kind::Other,
            end,
        });
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        let end = rest.find('>').map_or(html.len(), |p| i + p + 1);
        return Some(Markup {
            kind: Kind::Other,
            end,
        });
    }
    let (closing, name_start) = match rest.as_bytes().get(1) {
        Some(b'/') => (true, 2),
        _ => (false, 1),
    };
    if !rest
        .as_bytes()
        .get(name_start)
        .is_some_and(u8::is_ascii_alphabetic)
    {
        return None;
    }
    let name_len = rest[name_start..]
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len() - name_start);
    let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
    let end = tag_end(html, i + name_start + name_len);
    Some(Markup {
        kind: if closing {
            Kind::End(name)
        } else {
            Kind::Start(name)
        },
        end,
    })
}

/// Byte past the `>` that closes a tag, skipping quoted attribute values.
fn tag_end(html: &str, from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (offset, &b) in html.as_bytes()[from..].iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return from + offset + 1,
            _ => {}
        }
    }
    html.len()
}

/// Byte past the `</name>` that ends a raw-text element opened before `from`.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let lower = html[from..].to_ascii_lowercase();
    let needle = format!("</{name}");
    match lower.find(&needle) {
        Some(p) => tag_end(html, from + p + needle.len()),
        None => html.len(),
    }
}

/// Appends text: entities decoded, then escaped as html5ever serializes
/// text (`&`, `<`, `>` and no-break spaces).
fn push_text(out: &mut String, raw: &str) {
    for c in decode_entities(raw).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
}

/// Decodes `&name;`, `&#nn;` and `&#xhh;` references.
fn decode_entities(raw: &str) -> std::borrow::Cow<'_, str> {
    if !raw.contains('&') {
        return raw.into();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        match decode_one(tail) {
            Some((text, used)) => {
                out.push_str(&text);
                rest = &tail[used..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// The reference at the start of `s` (which starts with `&`), and its length.
fn decode_one(s: &str) -> Option<(String, usize)> {
    let semi = s[..s.len().min(40)].find(';')?;
    let body = &s[1..semi];
    if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        let c = char::from_u32(code)
            .filter(|c| *c != '\0')
            .unwrap_or('\u{fffd}');
        return Some((c.to_string(), semi + 1));
    }
    let reference = &s[..=semi];
    entities::ENTITIES
        .iter()
        .find(|e| e.entity == reference)
        .map(|e| (e.characters.to_string(), semi + 1))
}

#[cfg(test)]
mod tests {
    use super::clean_and_truncate as clean;

    #[test]
    fn matches_zolas_cleaning() {
        assert_eq!(clean("hello world", None), "hello world");
        assert_eq!(
            clean("hello <script>alert('<b>x</b>')</script> world", None),
            "hello world"
        );
        assert_eq!(clean("hello", Some(100)), "hello");
        assert_eq!(clean("hello", Some(2)), "he");
        assert_eq!(clean("hello \u{202E} world", Some(7)), "hello \u{202e}");
        assert_eq!(clean("hello    \n    world", None), "hello\nworld");
        assert_eq!(
            clean("\n hello  \n \n \n   world\n   ", None),
            "hello\nworld"
        );
    }

    #[test]
    fn drops_pre_style_and_comments_keeps_text() {
        let html = "<h1 id=\"a\" title='x>y'>Rubrik</h1>\n<!-- note -->\n<pre><code>let x = 1;\n</code></pre>\n\
                    <style>p{}</style><p>Ett &amp; två &lt;tre&gt; &quot;fyra&quot;&nbsp;fem &#229;&#xe4;</p>";
        assert_eq!(
            clean(html, None),
            "Rubrik\nEtt &amp; två &lt;tre&gt; \"fyra\"&nbsp;fem åä"
        );
    }

    #[test]
    fn nested_pre_is_dropped_whole() {
        assert_eq!(clean("a<pre>b<pre>c</pre>d</pre>e", None), "ae");
        assert_eq!(clean("a < b", None), "a &lt; b");
    }
}
