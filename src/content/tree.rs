//! Attaching pages to sections as Zola does: parents and ancestors,
//! transparent sections, sort orders with their tie and missing-key rules,
//! `lower`/`higher` siblings, subsections, translations and path
//! collisions.

use super::front_matter::SortBy;
use super::{ContentTree, PageId, SectionId};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Fills every relation of the tree; reports sort and collision problems.
pub(crate) fn populate(tree: &mut ContentTree, config: &Config, diags: &Diagnostics) {
    let by_dir: HashMap<(PathBuf, String), SectionId> = tree
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.file.parent.clone(), s.lang.clone()), SectionId(i)))
        .collect();
    link_sections(tree, &by_dir);
    attach_pages(tree, &by_dir);
    apply_transparency(tree);
    sort_sections(tree, diags);
    set_translations(tree, config.languages.len() > 1);
    check_collisions(tree, config, diags);
}

fn link_sections(tree: &mut ContentTree, by_dir: &HashMap<(PathBuf, String), SectionId>) {
    let content_dir = tree.content_dir.clone();
    for i in 0..tree.sections.len() {
        let (components, lang) = (
            tree.sections[i].file.components.clone(),
            tree.sections[i].lang.clone(),
        );
        if components.is_empty() {
            continue;
        }
        let mut ancestors = Vec::new();
        if let Some(root) = by_dir.get(&(content_dir.clone(), lang.clone())) {
            ancestors.push(*root);
        }
        let mut dir = content_dir.clone();
        for c in &components[..components.len() - 1] {
            dir.push(c);
            if let Some(id) = by_dir.get(&(dir.clone(), lang.clone())) {
                ancestors.push(*id);
            }
        }
        let parent_dir = tree.sections[i]
            .file
            .parent
            .parent()
            .map(PathBuf::from)
            .unwrap_or_default();
        if let Some(parent) = by_dir.get(&(parent_dir, lang)) {
            tree.sections[i].parent = Some(*parent);
            tree.sections[parent.0].subsections.push(SectionId(i));
        }
        tree.sections[i].ancestors = ancestors;
    }
}

fn attach_pages(tree: &mut ContentTree, by_dir: &HashMap<(PathBuf, String), SectionId>) {
    for i in 0..tree.pages.len() {
        let key = (
            tree.pages[i].file.parent.clone(),
            tree.pages[i].lang.clone(),
        );
        if let Some(sid) = by_dir.get(&key) {
            let mut ancestors = tree.sections[sid.0].ancestors.clone();
            ancestors.push(*sid);
            tree.pages[i].ancestors = ancestors;
            tree.pages[i].parent_section = Some(*sid);
            if tree.pages[i].meta.render {
                tree.sections[sid.0].pages.push(PageId(i));
            }
        }
    }
}

/// A transparent section's pages also appear in its parent's list,
/// recursively while the parent is transparent too. Deepest first.
fn apply_transparency(tree: &mut ContentTree) {
    let mut order: Vec<usize> = (0..tree.sections.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(tree.sections[i].file.components.len()));
    for i in order {
        if !tree.sections[i].meta.transparent {
            continue;
        }
        if let Some(parent) = tree.sections[i].parent {
            let pages = tree.sections[i].pages.clone();
            tree.sections[parent.0].pages.extend(pages);
        }
    }
}

fn sort_sections(tree: &mut ContentTree, diags: &Diagnostics) {
    for i in 0..tree.sections.len() {
        let sort_by = tree.sections[i].meta.sort_by;
        let pages = std::mem::take(&mut tree.sections[i].pages);
        let (mut kept, ignored): (Vec<PageId>, Vec<PageId>) = pages
            .into_iter()
            .partition(|p| has_sort_key(tree, *p, sort_by));
        kept.sort_by(|a, b| compare(tree, *a, *b, sort_by));
        if !ignored.is_empty() {
            let names: Vec<String> = ignored
                .iter()
                .map(|p| tree.pages[p.0].file.display.display().to_string())
                .collect();
            diags.push(
                Diagnostic::warning(
                    "content::missing-sort-key",
                    format!("{} page(s) lack the `{}` this section sorts by and will not be rendered: {}", names.len(), sort_key_name(sort_by), names.join(", ")),
                )
                .in_file(&tree.sections[i].file.display)
                .with_help("give those pages the field, or change the section's `sort_by`"),
            );
        }
        // As Zola: siblings come from the first section up that is not
        // transparent, so the pages of a transparent section get them too.
        if sort_by != SortBy::None && !tree.sections[i].meta.transparent {
            for (n, p) in kept.iter().enumerate() {
                let page = &mut tree.pages[p.0];
                page.lower = n.checked_sub(1).map(|k| kept[k]);
                page.higher = kept.get(n + 1).copied();
            }
        }
        tree.sections[i].pages = kept;
        tree.sections[i].ignored_pages = ignored;
        let mut subs = std::mem::take(&mut tree.sections[i].subsections);
        subs.sort_by(|a, b| {
            let (sa, sb) = (&tree.sections[a.0], &tree.sections[b.0]);
            sa.meta
                .weight
                .cmp(&sb.meta.weight)
                .then_with(|| sa.permalink.cmp(&sb.permalink))
        });
        tree.sections[i].subsections = subs;
    }
}

fn sort_key_name(sort_by: SortBy) -> &'static str {
    match sort_by {
        SortBy::Date | SortBy::UpdateDate => "date",
        SortBy::Title | SortBy::TitleBytes => "title",
        SortBy::Weight => "weight",
        _ => "key",
    }
}

/// True if every section's pages are still in its order and its ignored
/// pages still lack the key it sorts by: after front matter changed in
/// place (a title, in a section sorted by title), the tree as linked is
/// still the tree a new build would link.
pub(crate) fn still_in_order(tree: &ContentTree) -> bool {
    tree.sections.iter().all(|s| {
        let sort_by = s.meta.sort_by;
        s.pages.iter().all(|p| has_sort_key(tree, *p, sort_by))
            && s.ignored_pages
                .iter()
                .all(|p| !has_sort_key(tree, *p, sort_by))
            && s.pages
                .windows(2)
                .all(|w| compare(tree, w[0], w[1], sort_by) == Ordering::Less)
    })
}

fn has_sort_key(tree: &ContentTree, id: PageId, sort_by: SortBy) -> bool {
    let p = &tree.pages[id.0];
    match sort_by {
        SortBy::Date => p.datetime.is_some(),
        SortBy::UpdateDate => p.datetime.is_some() || p.updated_datetime.is_some(),
        SortBy::Title | SortBy::TitleBytes => p.meta.title.is_some(),
        SortBy::Weight => p.meta.weight.is_some(),
        SortBy::None | SortBy::Slug | SortBy::Permalink => true,
    }
}

/// Zola's orders: dates newest first, titles natural (Swedish collation
/// for Swedish pages) or by bytes,
/// weights ascending; ties broken by permalink.
fn compare(tree: &ContentTree, a: PageId, b: PageId, sort_by: SortBy) -> Ordering {
    let (pa, pb) = (&tree.pages[a.0], &tree.pages[b.0]);
    let primary = match sort_by {
        SortBy::Date => pb.datetime.cmp(&pa.datetime),
        SortBy::UpdateDate => {
            let ua = pa.updated_datetime.max(pa.datetime);
            let ub = pb.updated_datetime.max(pb.datetime);
            ub.cmp(&ua)
        }
        // Zola folds å/ä/ö into a/o; Swedish readers expect them after z,
        // so Swedish pages sort with the Swedish collation.
        SortBy::Title if pa.lang == "sv" => crate::config::swedish_cmp(pa.title(), pb.title()),
        SortBy::Title => lexical_sort::natural_lexical_cmp(pa.title(), pb.title()),
        SortBy::TitleBytes => pa.title().cmp(pb.title()),
        SortBy::Weight => pa.meta.weight.cmp(&pb.meta.weight),
        SortBy::Slug => lexical_sort::natural_lexical_cmp(&pa.slug, &pb.slug),
        SortBy::Permalink | SortBy::None => Ordering::Equal,
    };
    primary.then_with(|| pa.permalink.cmp(&pb.permalink))
}

/// Pages (and sections) that are the same file in other languages. On a
/// multilingual site every page and section is listed, alone or not, as
/// Zola lists it (with itself among its translations).
fn set_translations(tree: &mut ContentTree, multilingual: bool) {
    let mut groups: BTreeMap<(PathBuf, String), Vec<PageId>> = BTreeMap::new();
    for (i, p) in tree.pages.iter().enumerate() {
        groups
            .entry(p.file.translation_key())
            .or_default()
            .push(PageId(i));
    }
    for ids in groups.values().filter(|ids| multilingual || ids.len() > 1) {
        for id in ids {
            tree.pages[id.0].translations = ids.clone();
        }
    }
    let mut sgroups: BTreeMap<PathBuf, Vec<SectionId>> = BTreeMap::new();
    for (i, s) in tree.sections.iter().enumerate() {
        sgroups
            .entry(s.file.parent.clone())
            .or_default()
            .push(SectionId(i));
    }
    for ids in sgroups.values().filter(|ids| multilingual || ids.len() > 1) {
        for id in ids {
            tree.sections[id.0].translations = ids.clone();
        }
    }
}

/// A file wanting a path: its label, source and, for an alias, where the
/// alias is written.
type Claim<'a> = (String, &'a SourceFile, Option<usize>);

/// Two outputs at one path: every pair is an error naming both files,
/// located at the alias when one of them is an alias (usually the
/// mistake), else at the first file.
fn check_collisions<'a>(tree: &'a ContentTree, _config: &Config, diags: &Diagnostics) {
    let mut seen: BTreeMap<String, Vec<Claim<'a>>> = BTreeMap::new();
    let mut add =
        |path: String, claim: Claim<'a>| seen.entry(output_key(&path)).or_default().push(claim);
    let alias_claim = |display: &std::path::Path, text: &str, alias: &str| {
        let at = [format!("\"{alias}\""), format!("'{alias}'")]
            .iter()
            .find_map(|quoted| text.find(quoted.as_str()))
            .or_else(|| text.find("aliases"));
        (format!("{} (alias)", display.display()), at)
    };
    for s in &tree.sections {
        if s.meta.render || s.meta.redirect_to.is_some() {
            add(
                s.path.clone(),
                (s.file.display.display().to_string(), &s.source, None),
            );
        }
        for a in &s.meta.aliases {
            let (label, at) = alias_claim(&s.file.display, &s.text, a);
            add(normalize_alias(a), (label, &s.source, at));
        }
    }
    for (i, p) in tree.pages.iter().enumerate() {
        if !p.meta.render || tree.is_ignored(PageId(i)) {
            continue;
        }
        add(
            p.path.clone(),
            (p.file.display.display().to_string(), &p.source, None),
        );
        for a in &p.meta.aliases {
            let (label, at) = alias_claim(&p.file.display, &p.text, a);
            add(normalize_alias(a), (label, &p.source, at));
        }
    }
    for (path, claims) in seen {
        if claims.len() < 2 {
            continue;
        }
        let labels: Vec<&str> = claims.iter().map(|(label, _, _)| label.as_str()).collect();
        let d = Diagnostic::error(
            "content::path-collision",
            format!(
                "{} files want the path `{path}`: {}",
                claims.len(),
                labels.join(", ")
            ),
        )
        .with_help("change the `slug`, `path` or `aliases` of all but one of them");
        let d = match claims
            .iter()
            .find_map(|(_, source, at)| Some((*source, (*at)?)))
        {
            Some((source, at)) => d.at(source, at),
            None => d.in_file(labels[0].trim_end_matches(" (alias)")),
        };
        diags.push(d);
    }
}

/// The output file a URL path is written to, as the collision key:
/// `/a//b/`, `/a/./b/` and `/a/b/` are one file, and `/` (an alias to the
/// site root) is the home page's.
fn output_key(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    match parts.last() {
        Some(last) if last.ends_with(".html") => format!("/{}", parts.join("/")),
        Some(_) => format!("/{}/", parts.join("/")),
        None => "/".to_string(),
    }
}

/// Alias as an output path: `/a/b/` for folders, `/a/b.html` kept as is.
pub(crate) fn normalize_alias(alias: &str) -> String {
    let a = alias.trim().trim_start_matches('/');
    if a.ends_with(".html") {
        format!("/{a}")
    } else {
        format!("/{}/", a.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_write_one_file_have_one_key() {
        assert_eq!(output_key("/a//b/"), "/a/b/");
        assert_eq!(output_key("/a/./b/../b/"), "/a/b/");
        assert_eq!(output_key("//"), "/");
        assert_eq!(output_key("/sek//"), "/sek/");
        assert_eq!(output_key("/old.html"), "/old.html");
    }

    proptest::proptest! {
        #[test]
        fn a_usable_slug_never_lands_on_its_section(slug in "(\\PC|/|\\.){0,12}") {
            if crate::content::page::usable_slug(&slug) {
                let key = output_key(&format!("/sek/{slug}/"));
                proptest::prop_assert!(key.starts_with("/sek/") && key != "/sek/", "{} -> {}", slug, key);
            }
        }
    }
}
