//! Where a governance value sits in its file, so that every diagnostic
//! points at the exact key or value: front matter (TOML or YAML, through
//! `diagnostics::locate_key`) and review data files (TOML, or JSON through
//! a small span-keeping scanner here).
//!
//! Owns only offsets; must not decide what is wrong.

use crate::content::{front_matter, Page, Section};
use crate::diagnostics::{locate_key, Diagnostic, SourceFile};

/// One text whose keys can be located: a page's front matter, or a whole
/// data file.
#[derive(Debug, Clone)]
pub(crate) struct Spot<'a> {
    source: &'a SourceFile,
    /// The text the key paths are relative to.
    text: &'a str,
    /// Offset of `text` in the file.
    base: usize,
    json: bool,
}

impl<'a> Spot<'a> {
    /// The front matter of a page; paths start at its top (`["extra", …]`).
    pub(crate) fn front_matter(page: &'a Page) -> Spot<'a> {
        Spot {
            source: &page.source,
            text: page.front_matter(),
            base: page.front_matter_offset,
            json: false,
        }
    }

    /// The front matter of a section; paths start at its top.
    pub(crate) fn section_front_matter(section: &'a Section) -> Spot<'a> {
        let (text, base) = match front_matter::split(&section.text) {
            Ok(split) => (split.front_matter, split.front_matter_offset),
            Err(_) => ("", 0),
        };
        Spot {
            source: &section.source,
            text,
            base,
            json: false,
        }
    }

    /// A whole data file, TOML or JSON.
    pub(crate) fn data(source: &'a SourceFile, text: &'a str, json: bool) -> Spot<'a> {
        Spot {
            source,
            text,
            base: 0,
            json,
        }
    }

    /// The file as shown in diagnostics.
    pub(crate) fn source(&self) -> &'a SourceFile {
        self.source
    }

    /// File offset of the value at `path` (or of its key, or of the nearest
    /// enclosing key, when the value cannot be pinned down).
    pub(crate) fn offset(&self, path: &[&str]) -> usize {
        if self.json {
            return self.base + json_locate(self.text, path).unwrap_or(0);
        }
        let key = locate_key(self.text, path).unwrap_or(0);
        self.base + value_after_key(self.text, key)
    }

    /// File offset of the key at `path` itself (for unknown keys).
    pub(crate) fn key_offset(&self, path: &[&str]) -> usize {
        if self.json {
            return self.offset(path);
        }
        self.base + locate_key(self.text, path).unwrap_or(0)
    }

    /// Locates a diagnostic at the value of `path`.
    pub(crate) fn at(&self, diagnostic: Diagnostic, path: &[&str]) -> Diagnostic {
        diagnostic.at(self.source, self.offset(path))
    }

    /// `file:line:col` of a value, for messages that name another place.
    pub(crate) fn describe(&self, path: &[&str]) -> String {
        let pos = self.source.index.line_col(self.offset(path));
        format!("{}:{}:{}", self.source.path.display(), pos.line, pos.column)
    }
}

/// From a key at `at` (`owner = "x"`, `"k" = 1`, `owner: x`) to the start
/// of its value; positions that are already a value stay where they are.
fn value_after_key(text: &str, at: usize) -> usize {
    let Some(rest) = text.get(at..) else {
        return at;
    };
    let key_len = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
            Some(end) => end + 2,
            None => return at,
        },
        _ => rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .unwrap_or(rest.len()),
    };
    let after = &rest[key_len..];
    let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
    let after = &after[spaces..];
    let is_key = after.starts_with('=') || after.starts_with(": ") || after.starts_with(":\t");
    if !is_key || key_len == 0 {
        return at;
    }
    let value = &after[1..];
    let skip = value.len() - value.trim_start_matches([' ', '\t']).len();
    at + key_len + spaces + 1 + skip
}

/// Byte offset of the value at `path` in a JSON text (numeric parts index
/// arrays); the deepest value found when the path goes further.
pub(crate) fn json_locate(text: &str, path: &[&str]) -> Option<usize> {
    let mut scanner = JsonScanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.skip_ws();
    scanner.find(path)
}

struct JsonScanner<'t> {
    bytes: &'t [u8],
    pos: usize,
}

impl JsonScanner<'_> {
    fn skip_ws(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// At a value: returns the offset of the value at `path` inside it.
    fn find(&mut self, path: &[&str]) -> Option<usize> {
        let here = self.pos;
        let Some(first) = path.first() else {
            return Some(here);
        };
        match self.peek()? {
            b'{' => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    match self.peek()? {
                        b'}' => return Some(here),
                        b',' => self.pos += 1,
                        b'"' => {
                            let key = self.string()?;
                            self.skip_ws();
                            if self.peek()? != b':' {
                                return None;
                            }
                            self.pos += 1;
                            self.skip_ws();
                            if key == *first {
                                return self.find(&path[1..]);
                            }
                            self.skip_value()?;
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                let wanted: usize = first.parse().ok()?;
                self.pos += 1;
                let mut index = 0;
                loop {
                    self.skip_ws();
                    match self.peek()? {
                        b']' => return Some(here),
                        b',' => self.pos += 1,
                        _ => {
                            if index == wanted {
                                return self.find(&path[1..]);
                            }
                            self.skip_value()?;
                            index += 1;
                        }
                    }
                }
            }
            _ => Some(here),
        }
    }

    /// Reads a string at `pos` (escapes kept raw: keys are plain words).
    fn string(&mut self) -> Option<String> {
        let start = self.pos + 1;
        let mut i = start;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b'\\' => i += 2,
                b'"' => {
                    self.pos = i + 1;
                    return std::str::from_utf8(self.bytes.get(start..i)?)
                        .ok()
                        .map(str::to_string);
                }
                _ => i += 1,
            }
        }
        None
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.pos += 1;
                loop {
                    self.skip_ws();
                    match self.peek()? {
                        c if c == close => {
                            self.pos += 1;
                            return Some(());
                        }
                        b',' | b':' => self.pos += 1,
                        _ => self.skip_value()?,
                    }
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
                {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_from_keys_to_values() {
        let text = "owner = \"isam\"\n\"gov::x\" = 'error'\nyaml: value\n[extra]\nlist = [\"a\"]\n";
        let at = |needle: &str| value_after_key(text, text.find(needle).unwrap_or(0));
        assert_eq!(&text[at("owner")..at("owner") + 6], "\"isam\"");
        assert_eq!(&text[at("\"gov")..at("\"gov") + 7], "'error'");
        assert_eq!(&text[at("yaml")..at("yaml") + 5], "value");
        assert_eq!(&text[at("[extra]")..at("[extra]") + 7], "[extra]");
        assert_eq!(&text[at("\"a\"")..at("\"a\"") + 3], "\"a\"");
    }

    proptest::proptest! {
        #[test]
        fn locating_never_panics(text in "\\PC{0,80}", at in 0usize..90) {
            let _ = value_after_key(&text, at);
            let _ = json_locate(&text, &["a", "0", "b"]);
            let _ = super::super::dates::IsoDuration::parse(&text);
            let _ = super::super::dates::parse_date(&text);
        }
    }

    #[test]
    fn finds_values_in_json() {
        let text = r#"{"meta": {"year": 2025}, "activities": [{"id": 1, "roles": ["isam", "x\"y", "dso"]}, {"id": 2, "roles": ["chef"]}]}"#;
        let at = |p: &[&str]| json_locate(text, p).map(|o| &text[o..o + 6]);
        assert_eq!(at(&["meta", "year"]), Some("2025},"));
        assert_eq!(at(&["activities", "0", "roles", "2"]), Some("\"dso\"]"));
        assert_eq!(at(&["activities", "1", "roles", "0"]), Some("\"chef\""));
        assert_eq!(at(&["activities", "1", "missing"]), Some("{\"id\":"));
    }
}
