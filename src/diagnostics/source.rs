//! Byte offsets to 1-based line and column, after ruff's `LineIndex`.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// A 1-based line and character column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters, not bytes.
    pub column: usize,
}

/// Line starts of one text, so that many offsets can be resolved cheaply.
///
/// ```
/// use handbok::diagnostics::LineIndex;
/// let index = LineIndex::new("ab\nåäö\n");
/// assert_eq!(index.line_col(0).line, 1);
/// let pos = index.line_col(3 + "åä".len());
/// assert_eq!((pos.line, pos.column), (2, 3));
/// ```
///
/// The line starts are found on first use: most files never need a
/// position, and a large site has thousands of them.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: OnceLock<Vec<usize>>,
    text: Arc<str>,
}

impl PartialEq for LineIndex {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for LineIndex {}

impl LineIndex {
    /// Indexes a text.
    pub fn new(text: &str) -> Self {
        Self::shared(Arc::from(text))
    }

    /// Indexes a text its owner shares, without copying it.
    pub fn shared(text: Arc<str>) -> Self {
        LineIndex {
            starts: OnceLock::new(),
            text,
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// Resolves a byte offset; offsets past the end clamp to the end and
    /// offsets inside a multi-byte character round down.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.starts();
        let line = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let column = self.text[starts[line]..offset].chars().count() + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Byte offset of the start of a 1-based line (clamped to the text).
    pub fn line_start(&self, line: usize) -> usize {
        let starts = self.starts();
        starts[line.saturating_sub(1).min(starts.len() - 1)]
    }

    /// Byte offset of a 1-based line and byte column.
    pub fn offset(&self, line: usize, byte_column: usize) -> usize {
        (self.line_start(line) + byte_column.saturating_sub(1)).min(self.text.len())
    }
}

/// A file's path (relative to the site root) with its line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to users.
    pub path: PathBuf,
    /// Line starts of the file's full text.
    pub index: LineIndex,
}

impl SourceFile {
    /// Indexes a file's text under its display path.
    pub fn new(path: impl Into<PathBuf>, text: &str) -> Self {
        SourceFile {
            path: path.into(),
            index: LineIndex::new(text),
        }
    }

    /// [`SourceFile::new`] for a text its owner shares, without copying it.
    pub fn shared(path: impl Into<PathBuf>, text: Arc<str>) -> Self {
        SourceFile {
            path: path.into(),
            index: LineIndex::shared(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_lines_and_character_columns() {
        let index = LineIndex::new("a\nbc\n\nå=1");
        assert_eq!(index.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(3), LineCol { line: 2, column: 2 });
        assert_eq!(index.line_col(5), LineCol { line: 3, column: 1 });
        assert_eq!(index.line_col(8), LineCol { line: 4, column: 2 });
        assert_eq!(index.line_col(999), LineCol { line: 4, column: 4 });
    }

    #[test]
    fn offset_inside_a_character_rounds_down() {
        let index = LineIndex::new("åäö");
        assert_eq!(index.line_col(1), LineCol { line: 1, column: 1 });
    }

    proptest::proptest! {
        #[test]
        fn a_position_maps_back_to_its_offset(text in "(\\PC|\n){0,120}", at in 0usize..200) {
            let index = LineIndex::new(&text);
            let mut offset = at.min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            let pos = index.line_col(offset);
            proptest::prop_assert_eq!(pos.line, text[..offset].matches('\n').count() + 1);
            let line_start = index.line_start(pos.line);
            let byte_column = text[line_start..offset].len() + 1;
            proptest::prop_assert_eq!(index.offset(pos.line, byte_column), offset);
            proptest::prop_assert_eq!(pos.column, text[line_start..offset].chars().count() + 1);
        }
    }
}
