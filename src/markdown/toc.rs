//! The nested table of contents (`page.toc`) built from a page's flat list
//! of headings, with Zola's nesting rule.
//!
//! Owns only the nesting. Must not compute ids or titles (see `headings`).

use super::Heading;

/// Nests headings as Zola's `make_table_of_contents` does: a heading goes
/// under the last heading of the previous top-level entry when it is deeper
/// than it, descending as far as the levels allow; otherwise it starts a new
/// top-level entry.
pub(crate) fn make_table_of_contents(headings: Vec<Heading>) -> Vec<Heading> {
    let mut toc: Vec<Heading> = Vec::new();
    for heading in headings {
        match toc.last_mut() {
            Some(parent) if heading.level > parent.level => insert_under(parent, heading),
            _ => toc.push(heading),
        }
    }
    toc
}

/// Inserts `heading` (deeper than `parent`) as deep as it fits under `parent`.
fn insert_under(parent: &mut Heading, heading: Heading) {
    match parent.children.last_mut() {
        Some(child) if heading.level > child.level => insert_under(child, heading),
        _ => parent.children.push(heading),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u32, id: &str) -> Heading {
        Heading {
            level,
            id: id.to_string(),
            ..Heading::default()
        }
    }

    fn shape(toc: &[Heading]) -> String {
        toc.iter()
            .map(|h| {
                if h.children.is_empty() {
                    h.id.clone()
                } else {
                    format!("{}({})", h.id, shape(&h.children))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn deeper_headings_nest_under_the_previous_shallower_one() {
        let toc = make_table_of_contents(vec![
            h(1, "a"),
            h(2, "b"),
            h(3, "c"),
            h(2, "d"),
            h(1, "e"),
            h(3, "f"),
        ]);
        assert_eq!(shape(&toc), "a(b(c) d) e(f)");
    }

    #[test]
    fn a_page_starting_deep_keeps_later_shallow_headings_at_top_level() {
        let toc = make_table_of_contents(vec![h(3, "a"), h(2, "b"), h(3, "c")]);
        assert_eq!(shape(&toc), "a b(c)");
    }
}
