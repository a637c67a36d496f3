//! Resolving references: role ids (with the nearest known ids as help) and
//! document references written as `@/path.md` or as a `doc_id`. Unknown
//! ones are reported at the exact value (`gov::unknown-role`,
//! `gov::broken-reference`).
//!
//! Must not read files or decide anything beyond "does it exist".

use super::extract::Fields;
use super::model::Approver;
use super::rules::{self, suggest};
use crate::content::{ContentTree, Item, PageId, WITHHELD_ROLE};
use std::collections::BTreeMap;

/// Known role ids and doc ids of one tree.
#[derive(Debug, Clone)]
pub(crate) struct Resolver<'t> {
    tree: &'t ContentTree,
    role_ids: Vec<String>,
    /// Roles whose pages this build's audience may not read.
    withheld_roles: Vec<String>,
    doc_ids: BTreeMap<String, PageId>,
}

impl<'t> Resolver<'t> {
    /// A resolver over `tree` knowing these role ids and doc ids (the first
    /// page of a duplicated id wins).
    pub(crate) fn new(
        tree: &'t ContentTree,
        mut role_ids: Vec<String>,
        doc_ids: BTreeMap<String, PageId>,
    ) -> Self {
        role_ids.sort();
        role_ids.dedup();
        Resolver {
            tree,
            role_ids,
            withheld_roles: Vec::new(),
            doc_ids,
        }
    }

    /// Also knows these roles, whose pages the build's audience may not
    /// read: a reference to one resolves to [`WITHHELD_ROLE`], not to an
    /// error (the full build, which reads them, checks them).
    pub(crate) fn with_withheld_roles(mut self, ids: Vec<String>) -> Self {
        self.withheld_roles = ids;
        self
    }

    /// True for a role the build's audience may not read.
    fn is_withheld_role(&self, id: &str) -> bool {
        id == WITHHELD_ROLE || self.withheld_roles.iter().any(|r| r == id)
    }

    /// True for a known role id.
    pub(crate) fn is_role(&self, id: &str) -> bool {
        self.role_ids
            .binary_search_by(|r| r.as_str().cmp(id))
            .is_ok()
    }

    /// The help line for an unknown role id.
    pub(crate) fn role_help(&self, id: &str) -> String {
        let ids: Vec<&str> = self.role_ids.iter().map(String::as_str).collect();
        if ids.is_empty() {
            return "no roles are defined: add pages under the roles section".into();
        }
        suggest(id, &ids, "roles")
    }

    /// The page a reference names: `@/path.md` (an anchor is ignored) or a
    /// `doc_id`. The error is the reason, for the message.
    pub(crate) fn page(&self, target: &str) -> Result<PageId, String> {
        let target = target.trim();
        if let Some(path) = target.strip_prefix("@/") {
            let path = path.split('#').next().unwrap_or(path);
            return match self.tree.get(path) {
                Some(Item::Page(id)) => Ok(id),
                Some(Item::Section(_)) => Err(format!("`{target}` is a section, not a document")),
                None => Err(format!("`{target}` names no page")),
            };
        }
        match self.doc_ids.get(target) {
            Some(id) => Ok(*id),
            None if target.ends_with(".md") && self.tree.get(target).is_some() => Err(format!(
                "`{target}` is a path without `@/`; write `@/{target}`"
            )),
            None => Err(format!(
                "`{target}` is neither an `@/` path nor a known doc_id"
            )),
        }
    }

    /// Resolves a role id at `keys`, reporting an unknown one.
    pub(crate) fn role_at(&self, fields: &Fields<'_>, keys: &[&str], id: &str) -> Option<String> {
        let id = id.trim();
        if self.is_role(id) {
            return Some(id.to_string());
        }
        if self.is_withheld_role(id) {
            return Some(WITHHELD_ROLE.to_string());
        }
        fields.report(
            rules::UNKNOWN_ROLE,
            keys,
            format!("unknown role `{id}` in `{}`", fields.dotted(keys)),
            Some(self.role_help(id)),
        );
        None
    }

    /// `approved_by`: a role when it is one; otherwise a name, with a
    /// warning only when it looks like a mistyped role id.
    pub(crate) fn approver_at(&self, fields: &Fields<'_>, keys: &[&str], text: &str) -> Approver {
        let text = text.trim();
        if self.is_role(text) {
            return Approver::Role(text.to_string());
        }
        if self.is_withheld_role(text) {
            return Approver::Role(WITHHELD_ROLE.to_string());
        }
        if looks_like_id(text) {
            fields.warn(
                rules::UNKNOWN_ROLE,
                keys,
                format!(
                    "`{}` = `{text}` looks like a role id, but there is no such role",
                    fields.dotted(keys)
                ),
                Some(format!(
                    "{}; a person's name is kept as text",
                    self.role_help(text)
                )),
            );
        }
        Approver::Name(text.to_string())
    }

    /// True when a reference names a page or section this build's audience
    /// may not read: it is left out as if never written, because naming it
    /// (even in an error) would tell the reader it exists.
    pub(crate) fn is_withheld(&self, target: &str) -> bool {
        self.tree.withheld.is_named_by(target)
    }

    /// Resolves a document reference at `keys`, reporting a broken one
    /// (one into a withheld document is left out silently).
    pub(crate) fn page_at(
        &self,
        fields: &Fields<'_>,
        keys: &[&str],
        target: &str,
    ) -> Option<PageId> {
        if self.is_withheld(target) {
            return None;
        }
        match self.page(target) {
            Ok(id) => Some(id),
            Err(reason) => {
                fields.report(
                    rules::BROKEN_REFERENCE,
                    keys,
                    format!("broken reference in `{}`: {reason}", fields.dotted(keys)),
                    Some("write `@/path/from/content.md` or a document's doc_id".into()),
                );
                None
            }
        }
    }

    /// A text-or-list field of role ids, known ones only.
    pub(crate) fn roles(&self, fields: &Fields<'_>, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (path, id) in fields.texts(key) {
            let keys: Vec<&str> = path.iter().map(String::as_str).collect();
            if let Some(role) = self.role_at(fields, &keys, &id) {
                if !out.contains(&role) {
                    out.push(role);
                }
            }
        }
        out
    }

    /// A text-or-list field of document references, resolved ones only.
    pub(crate) fn pages(&self, fields: &Fields<'_>, key: &str) -> Vec<PageId> {
        let mut out = Vec::new();
        for (path, target) in fields.texts(key) {
            let keys: Vec<&str> = path.iter().map(String::as_str).collect();
            if let Some(id) = self.page_at(fields, &keys, &target) {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        out
    }
}

/// Lowercase ASCII letters, digits and hyphens, starting with a letter:
/// how role ids are written (`utbildningsdirektor`, `objekt-agare`).
pub(crate) fn looks_like_id(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}
