//! comrak source positions (1-based line and byte column, relative to the
//! Markdown body) turned into byte offsets of the original file, so that
//! diagnostics point at `file:line:col` of what the author edits.
//!
//! Owns only the conversion. Must not build diagnostics itself.

use comrak::nodes::LineColumn;

/// Line starts of the Markdown body, plus where the body sits in its file.
#[derive(Debug)]
pub(crate) struct BodyPositions {
    line_starts: Vec<usize>,
    len: usize,
    body_offset: usize,
}

impl BodyPositions {
    /// Indexes `body`, which starts at byte `body_offset` of its file.
    pub(crate) fn new(body: &str, body_offset: usize) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
        BodyPositions {
            line_starts,
            len: body.len(),
            body_offset,
        }
    }

    /// Byte offset in the body of a 1-based line and byte column, clamped to
    /// the body (comrak reports line 0 for synthesized nodes).
    pub(crate) fn body_offset_of(&self, pos: LineColumn) -> usize {
        let line = pos.line.max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(self.len);
        (start + pos.column.saturating_sub(1)).min(self.len)
    }

    /// Byte offset in the original file.
    pub(crate) fn file_offset(&self, pos: LineColumn) -> usize {
        self.body_offset + self.body_offset_of(pos)
    }

    /// The text of a 1-based line of `body`, without its line ending, and the
    /// body offset where it starts.
    pub(crate) fn line<'b>(&self, body: &'b str, line: usize) -> Option<(usize, &'b str)> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .map(|next| next - 1)
            .unwrap_or(body.len());
        let text = body.get(start..end)?;
        Some((start, text.strip_suffix('\r').unwrap_or(text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_rebased_on_the_file() {
        let body = "ab\ncdé\n";
        let p = BodyPositions::new(body, 10);
        assert_eq!(p.file_offset(LineColumn { line: 2, column: 3 }), 10 + 5);
        assert_eq!(p.file_offset(LineColumn { line: 0, column: 0 }), 10);
        assert_eq!(
            p.file_offset(LineColumn {
                line: 99,
                column: 9
            }),
            10 + body.len()
        );
        assert_eq!(p.line(body, 2), Some((3, "cdé")));
        assert_eq!(p.line(body, 3), Some((body.len(), "")));
        assert_eq!(p.line(body, 4), None);
    }
}
