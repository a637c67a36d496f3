//! YAML with a bound on nesting, for front matter and `load_data`: the
//! YAML parser's cost grows with the square of the nesting depth, so a few
//! hundred kilobytes of brackets would take minutes. Deeper input is
//! refused, from a linear scan, before the parser sees it.
//!
//! Must not know what the YAML describes.

use serde::de::DeserializeOwned;

/// Nesting deeper than this is refused. Front matter and data files nest a
/// handful of levels; this leaves plenty of room.
pub(crate) const MAX_DEPTH: usize = 64;

/// Why YAML could not be read: a message and the byte offset it concerns.
#[derive(Debug)]
pub(crate) struct YamlError {
    /// What is wrong, without a position (the caller adds its own).
    pub(crate) message: String,
    /// Byte offset into the text.
    pub(crate) offset: usize,
}

/// Parses `text` into `T`, refusing nesting beyond [`MAX_DEPTH`].
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if let Some(offset) = too_deep(text, MAX_DEPTH) {
        return Err(YamlError {
            message: format!("the YAML nests more than {MAX_DEPTH} levels deep"),
            offset,
        });
    }
    serde_yaml_ng::from_str(text).map_err(|e| {
        let message = e.to_string();
        YamlError {
            message: message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string(),
            offset: e.location().map(|l| l.index()).unwrap_or(0),
        }
    })
}

/// The offset where an over-estimate of the nesting depth first exceeds
/// `limit`, if it does. Counts, per line, the open block indentation
/// levels, the compact `- ` / `? ` / `: ` indicators that open a level on
/// the same line, and the open `[`/`{` brackets (outside quotes and
/// comments, carried across lines). Linear in the text.
fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        let blank = content.trim().is_empty() || content.starts_with('#');
        if flow == 0 && !blank {
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            indents.push(indent);
        }
        let mut compact = 0;
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for (i, c) in content.char_indices() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' if previous == ' ' || "[{,:".contains(previous) => quote = Some(c),
                    '#' if previous == ' ' || previous == '\t' => break,
                    '[' | '{' => flow += 1,
                    ']' | '}' => flow = flow.saturating_sub(1),
                    ' ' if "-?:".contains(previous) => compact += 1,
                    _ => {}
                },
            }
            previous = c;
            if indents.len() + flow + compact > limit {
                return Some(offset + (line.len() - content.len()) + i);
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_front_matter_is_read() {
        let v: serde_json::Value =
            from_str("title: Hej\nextra:\n  roles:\n    - id: isam\n      name: 'A: b'\n")
                .unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(v["extra"]["roles"][0]["name"], "A: b");
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let deep = format!("a: {}{}\n", "[".repeat(200_000), "]".repeat(200_000));
        let err = from_str::<serde_json::Value>(&deep).err();
        let err = err.unwrap_or_else(|| panic!("must be refused"));
        assert!(
            err.message.contains("more than 64 levels"),
            "{}",
            err.message
        );
        assert!(
            (3..3 + MAX_DEPTH).contains(&err.offset),
            "points at the bracket past the limit, not at the end: {}",
            err.offset
        );
    }

    #[test]
    fn deep_block_nesting_is_refused() {
        let dashes = format!("{}x\n", "- ".repeat(100));
        assert!(from_str::<serde_json::Value>(&dashes).is_err());
        let mut indented = String::new();
        for level in 0..100 {
            indented.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
        }
        let err = from_str::<serde_json::Value>(&indented).err();
        assert!(err.is_some_and(|e| e.message.contains("levels deep")));
    }

    #[test]
    fn brackets_in_quotes_and_comments_do_not_count() {
        let text = format!("a: '{}'\nb: 1 # {}\n", "[".repeat(100), "{".repeat(100));
        let v: serde_json::Value = from_str(&text).unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(v["b"], 1);
    }

    proptest::proptest! {
        #[test]
        fn yaml_never_panics(text in "([\\[\\]{}:,'\"#\n -]|\\PC){0,200}") {
            let _ = from_str::<serde_json::Value>(&text);
        }
    }
}
