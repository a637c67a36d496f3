//! Readable diffs of two versions of a document: line by line, with the
//! changed words of a changed line marked, each change announced to
//! screen readers in the site's language. Pure text in, HTML out; used by
//! the history pages and the version-to-version view.

use crate::markdown::escape::attr as escape;
use similar::{ChangeTag, TextDiff};

/// The words a screen reader hears for a change, in the site's language.
struct Words {
    added: &'static str,
    removed: &'static str,
    unchanged_lines: &'static str,
}

fn words(lang: &str) -> Words {
    if lang == "sv" {
        Words {
            added: "Tillagt: ",
            removed: "Borttaget: ",
            unchanged_lines: "oförändrade rader",
        }
    } else {
        Words {
            added: "Added: ",
            removed: "Removed: ",
            unchanged_lines: "unchanged lines",
        }
    }
}

/// Lines that are structure rather than prose: diffed whole.
fn is_structural(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('|')
        || t.starts_with("```")
        || t.starts_with("+++")
        || t.starts_with("---")
        || t.starts_with("    ")
        || t.contains(" = ")
}

fn ins(text: &str, w: &Words) -> String {
    format!(
        "<ins><span class=\"visually-hidden\">{}</span>{}</ins>",
        w.added,
        escape(text)
    )
}

fn del(text: &str, w: &Words) -> String {
    format!(
        "<del><span class=\"visually-hidden\">{}</span>{}</del>",
        w.removed,
        escape(text)
    )
}

/// An accessible HTML diff of two versions of a file.
pub(crate) fn render_diff(old: &str, new: &str, lang: &str) -> String {
    let w = words(lang);
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::from("<div class=\"diff\">\n");
    for group in diff.grouped_ops(1) {
        out.push_str("<div class=\"diff-hunk\">\n");
        for op in group {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            let old_lines: Vec<&str> = diff.old_slices()[old_range].to_vec();
            let new_lines: Vec<&str> = diff.new_slices()[new_range].to_vec();
            match tag {
                similar::DiffTag::Equal => {
                    for l in old_lines {
                        out.push_str(&format!(
                            "<p class=\"diff-line diff-same\">{}</p>\n",
                            escape(l.trim_end())
                        ));
                    }
                }
                similar::DiffTag::Replace
                    if old_lines.len() == new_lines.len()
                        && !old_lines.iter().chain(&new_lines).any(|l| is_structural(l)) =>
                {
                    for (o, n) in old_lines.iter().zip(&new_lines) {
                        out.push_str("<p class=\"diff-line diff-changed\">");
                        out.push_str(&word_diff(o.trim_end(), n.trim_end(), &w));
                        out.push_str("</p>\n");
                    }
                }
                _ => {
                    for l in old_lines {
                        out.push_str(&format!(
                            "<p class=\"diff-line diff-removed\">{}</p>\n",
                            del(l.trim_end(), &w)
                        ));
                    }
                    for l in new_lines {
                        out.push_str(&format!(
                            "<p class=\"diff-line diff-added\">{}</p>\n",
                            ins(l.trim_end(), &w)
                        ));
                    }
                }
            }
        }
        out.push_str("</div>\n");
    }
    if diff.ratio() >= 1.0 {
        out.push_str(&format!(
            "<p class=\"diff-none\">({})</p>\n",
            w.unchanged_lines
        ));
    }
    out.push_str("</div>");
    out
}

/// Word-level changes of one line: runs of deleted and inserted words
/// are each marked once (`<del>a b</del><ins>c d</ins>`), not word by word.
fn word_diff(old: &str, new: &str, w: &Words) -> String {
    let diff = TextDiff::from_words(old, new);
    let mut out = String::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    let flush = |out: &mut String, deleted: &mut String, inserted: &mut String| {
        if !deleted.is_empty() {
            out.push_str(&del(deleted, w));
            deleted.clear();
        }
        if !inserted.is_empty() {
            out.push_str(&ins(inserted, w));
            inserted.clear();
        }
    };
    for change in diff.iter_all_changes() {
        let text = change.value();
        match change.tag() {
            // Whitespace between two changed words stays inside the run.
            ChangeTag::Equal
                if text.trim().is_empty() && (!deleted.is_empty() || !inserted.is_empty()) =>
            {
                if !deleted.is_empty() {
                    deleted.push_str(text);
                }
                if !inserted.is_empty() {
                    inserted.push_str(text);
                }
            }
            ChangeTag::Equal => {
                flush(&mut out, &mut deleted, &mut inserted);
                out.push_str(&escape(text));
            }
            ChangeTag::Delete => deleted.push_str(text),
            ChangeTag::Insert => inserted.push_str(text),
        }
    }
    flush(&mut out, &mut deleted, &mut inserted);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_changes_are_word_level_and_in_words() {
        let html = render_diff(
            "Titel\nISAM granskar årligen.\nSlut\n",
            "Titel\nISAM granskar varje år.\nSlut\n",
            "sv",
        );
        assert!(
            html.contains("<del><span class=\"visually-hidden\">Borttaget: </span>årligen.</del>"),
            "{html}"
        );
        assert!(
            html.contains("<ins><span class=\"visually-hidden\">Tillagt: </span>varje år.</ins>"),
            "{html}"
        );
        assert!(html.contains("ISAM granskar "), "{html}");
    }

    #[test]
    fn tables_and_front_matter_are_line_level() {
        let html = render_diff(
            "version = \"1.0\"\n| a | b |\n",
            "version = \"1.1\"\n| a | c |\n",
            "en",
        );
        assert!(html.contains("<del><span class=\"visually-hidden\">Removed: </span>version = &quot;1.0&quot;</del>"), "{html}");
        assert!(html.contains("diff-added"), "{html}");
    }
}
