//! Finding where a key sits in front matter or config text, so that a
//! problem found after parsing (an unknown role, a bad date) still points
//! at its line and column. Works on TOML (tables, dotted keys, arrays of
//! tables, inline tables, arrays) and simple indented YAML.

/// Byte offset of the key path `parts` in `text`, e.g.
/// `["extra", "changes", "1", "version"]`. Numeric parts index arrays and
/// arrays of tables. Falls back to the deepest enclosing key found.
///
/// ```
/// use handbok::diagnostics::locate_key;
/// let text = "title = 'x'\n[extra]\nowner = 'isam'\n";
/// assert_eq!(locate_key(text, &["extra", "owner"]), Some(20));
/// ```
pub fn locate_key(text: &str, parts: &[&str]) -> Option<usize> {
    if looks_like_yaml(text) {
        return locate_yaml(text, parts);
    }
    let mut table: Vec<String> = Vec::new();
    let mut counters: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut best: Option<(usize, usize)> = None; // (matched depth, offset)
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if let Some(name) = trimmed
            .strip_prefix("[[")
            .and_then(|r| r.split("]]").next())
        {
            let name = name.trim().to_string();
            let n = counters.entry(name.clone()).or_insert(0);
            table = name
                .split('.')
                .map(|s| s.trim().trim_matches('"').to_string())
                .collect();
            table.push(n.to_string());
            *n += 1;
            consider(&table, parts, offset + indent, &mut best);
        } else if let Some(name) = trimmed.strip_prefix('[').and_then(|r| r.split(']').next()) {
            table = name
                .split('.')
                .map(|s| s.trim().trim_matches('"').to_string())
                .collect();
            consider(&table, parts, offset + indent, &mut best);
        } else if let Some((lhs, rhs)) = trimmed.split_once('=') {
            let mut full = table.clone();
            full.extend(
                lhs.split('.')
                    .map(|s| s.trim().trim_matches('"').trim_matches('\'').to_string()),
            );
            let key_offset = offset + indent;
            consider(&full, parts, key_offset, &mut best);
            if full.len() < parts.len() && prefix_matches(&full, parts) {
                let value_start = key_offset + (trimmed.len() - rhs.len());
                if let Some(inner) = locate_in_value(rhs, &parts[full.len()..]) {
                    let depth = parts.len();
                    if best.is_none_or(|(d, _)| d < depth) {
                        best = Some((depth, value_start + inner));
                    }
                }
            }
        }
        offset += line.len();
    }
    best.map(|(_, o)| o)
}

fn prefix_matches(full: &[String], parts: &[&str]) -> bool {
    full.len() <= parts.len() && full.iter().zip(parts).all(|(a, b)| a == b)
}

fn consider(full: &[String], parts: &[&str], offset: usize, best: &mut Option<(usize, usize)>) {
    if prefix_matches(full, parts) && best.is_none_or(|(d, _)| d < full.len()) {
        *best = Some((full.len(), offset));
    }
}

/// Inside an inline value: `{ k = 1 }` finds `k`; `["a", "b"]` with index
/// 1 finds `"b"`.
fn locate_in_value(value: &str, rest: &[&str]) -> Option<usize> {
    let first = rest.first()?;
    if let Ok(index) = first.parse::<usize>() {
        let mut seen = 0;
        let mut in_string = false;
        for (i, c) in value.char_indices() {
            if c == '"' || c == '\'' {
                if !in_string {
                    if seen == index {
                        return Some(i);
                    }
                    seen += 1;
                }
                in_string = !in_string;
            }
        }
        return None;
    }
    let bytes = value.as_bytes();
    let mut from = 0;
    while let Some(i) = value[from..].find(first) {
        let at = from + i;
        let before_ok = at == 0 || matches!(bytes[at - 1], b'{' | b',' | b' ' | b'\t');
        let after = value[at + first.len()..].trim_start();
        if before_ok && after.starts_with('=') {
            return Some(at);
        }
        from = at + first.len();
    }
    None
}

fn looks_like_yaml(text: &str) -> bool {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    match first {
        Some(l) => !l.starts_with('[') && !l.contains('=') && l.contains(':'),
        None => false,
    }
}

fn locate_yaml(text: &str, parts: &[&str]) -> Option<usize> {
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut best: Option<(usize, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if let Some((key, _)) = trimmed.split_once(':') {
            if !key.is_empty() && !key.starts_with('-') && !key.starts_with('#') {
                while stack.last().is_some_and(|(i, _)| *i >= indent) {
                    stack.pop();
                }
                stack.push((indent, key.trim().trim_matches('"').to_string()));
                let full: Vec<String> = stack.iter().map(|(_, k)| k.clone()).collect();
                consider(&full, parts, offset + indent, &mut best);
            }
        }
        offset += line.len();
    }
    best.map(|(_, o)| o)
}

/// The nesting the `toml` crate allows before it stops with "recursion
/// limit" (its parser's `LIMIT`).
const TOML_NESTING_LIMIT: usize = 80;

/// Where a TOML parse error is, as a byte offset into `text`: the start of
/// its span, or, for the error the `toml` crate gives without a span (a
/// dotted key of more parts than its recursion limit), the first part past
/// the limit on the first line that has that many; else 0.
///
/// ```
/// use handbok::diagnostics::toml_error_offset;
/// let text = format!("a = 1\n{} = 2\n", vec!["k"; 100].join("."));
/// assert_eq!(toml_error_offset(&text, None, "recursion limit"), 6 + 2 * 79);
/// assert_eq!(toml_error_offset(&text, Some(3..4), "anything"), 3);
/// ```
pub fn toml_error_offset(text: &str, span: Option<std::ops::Range<usize>>, message: &str) -> usize {
    if let Some(span) = span {
        return span.start;
    }
    if !message.contains("recursion limit") {
        return 0;
    }
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let key_end = if line.trim_start().starts_with('[') {
            line.find(']')
        } else {
            line.find('=')
        };
        let key = &line[..key_end.unwrap_or(0)];
        if let Some((dot, _)) = key.match_indices('.').nth(TOML_NESTING_LIMIT - 2) {
            return line_start + dot + 1;
        }
        line_start += line.len();
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_in_tables_arrays_and_inline_tables() {
        let text = "title = 'x'\n[extra]\nowner = 'isam'\nclassification = { k = 1, r = 5 }\nrelated = [\"@/a.md\", \"@/b.md\"]\n[[extra.changes]]\nversion = '1'\n[[extra.changes]]\nversion = '2'\n";
        let at = |p: &[&str]| locate_key(text, p).map(|o| &text[o..o + 6]);
        assert_eq!(at(&["extra", "owner"]), Some("owner "));
        assert_eq!(at(&["extra", "classification", "r"]), Some("r = 5 "));
        assert_eq!(at(&["extra", "related", "1"]), Some("\"@/b.m"));
        assert_eq!(at(&["extra", "changes", "1", "version"]), Some("versio"));
        let second = locate_key(text, &["extra", "changes", "1", "version"]).unwrap_or(0);
        assert!(text[..second].contains("version = '1'"));
        assert_eq!(at(&["title"]), Some("title "));
        assert_eq!(at(&["extra", "missing"]), Some("[extra"));
    }

    #[test]
    fn finds_yaml_keys() {
        let text = "title: x\nextra:\n  owner: isam\n";
        assert_eq!(locate_key(text, &["extra", "owner"]), Some(18));
    }
}
