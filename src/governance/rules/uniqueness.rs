//! Identifiers that must name one thing: `gov::duplicate-doc-id` and
//! `gov::duplicate-role` (errors, reported at every later use and naming
//! the first, so both files appear), and `gov::duplicate-term` for the
//! glossary (see `glossary.rs`, which raises it through [`first_seen`]).
//!
//! Must not decide which of the duplicates is right: the first in path
//! order keeps the id for lookups.

use super::super::locate::Spot;
use super::{Reporter, DUPLICATE_DOC_ID, DUPLICATE_ROLE};
use crate::content::{ContentTree, PageId};
use std::collections::BTreeMap;

/// For each item, where the same key was first seen (`None` for firsts).
pub(crate) fn first_seen<K: Ord + Clone, L: Clone>(items: &[(K, L)]) -> Vec<Option<L>> {
    let mut seen: BTreeMap<K, L> = BTreeMap::new();
    items
        .iter()
        .map(|(key, loc)| match seen.get(key) {
            Some(first) => Some(first.clone()),
            None => {
                seen.insert(key.clone(), loc.clone());
                None
            }
        })
        .collect()
}

/// Reports every doc_id used by more than one document.
pub(crate) fn doc_ids(tree: &ContentTree, ids: &[(String, PageId)], reporter: Reporter<'_>) {
    let path = ["extra", "doc_id"];
    for ((doc_id, page), first) in ids.iter().zip(first_seen(ids)) {
        let Some(first) = first else { continue };
        let first_spot = Spot::front_matter(tree.page(first));
        let spot = Spot::front_matter(tree.page(*page));
        reporter.at(
            DUPLICATE_DOC_ID,
            &spot,
            &path,
            format!(
                "doc_id `{doc_id}` is already used by {}",
                first_spot.describe(&path)
            ),
            Some("doc ids must be unique: give one of the two documents a new id".into()),
        );
    }
}

/// Reports every role id given by more than one role page.
pub(crate) fn role_ids(tree: &ContentTree, roles: &[(PageId, String)], reporter: Reporter<'_>) {
    let keyed: Vec<(String, PageId)> = roles.iter().map(|(p, id)| (id.clone(), *p)).collect();
    let path = ["extra", "role_id"];
    for ((role_id, page), first) in keyed.iter().zip(first_seen(&keyed)) {
        let Some(first) = first else { continue };
        let first_page = tree.page(first);
        let spot = Spot::front_matter(tree.page(*page));
        reporter.at(
            DUPLICATE_ROLE,
            &spot,
            &path,
            format!(
                "role id `{role_id}` is already the id of {}",
                first_page.file.display.display()
            ),
            Some("set a distinct `role_id` in one of the two role pages".into()),
        );
    }
}
