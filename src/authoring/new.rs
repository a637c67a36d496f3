//! `handbok new`: the file of a new governing document. Its `doc_id` is the
//! next free one in the pattern the handbook already uses for its kind
//! (`UTB-ANV-002` after `UTB-ANV-001`, `UTB-LG-2026` after `UTB-LG-2025`),
//! its folder the one where documents of the kind live, its owner a role
//! that exists, its status `utkast`.
//!
//! Pure: facts and a request in, a path and text out.

use super::{DocFacts, Handbook};
use crate::diagnostics::Diagnostic;
use std::collections::BTreeMap;

/// What `handbok new KIND "Titel" [--owner ROLE] [--section DIR]` asks for.
#[derive(Debug, Clone)]
pub(crate) struct NewRequest {
    /// The document's kind (`anvisning`).
    pub(crate) kind: String,
    /// Its title.
    pub(crate) title: String,
    /// The owning role; the kind's usual owner when `None`.
    pub(crate) owner: Option<String>,
    /// Folder under `content/`; the kind's usual folder when `None`.
    pub(crate) section: Option<String>,
    /// The year, for ids numbered by year (yearly reviews).
    pub(crate) year: i32,
}

/// A new document, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewDocument {
    /// Path relative to `content/`.
    pub(crate) relative: String,
    /// The `doc_id` given to it.
    pub(crate) doc_id: String,
    /// Its owner.
    pub(crate) owner: String,
    /// The whole file.
    pub(crate) text: String,
}

/// Plans a new document, or says why not (unknown kind or role).
pub(crate) fn plan_new(hb: &Handbook, req: &NewRequest) -> Result<NewDocument, Box<Diagnostic>> {
    if !hb.kinds.contains(&req.kind) {
        let kinds: Vec<&str> = hb.kinds.iter().map(String::as_str).collect();
        let mut help = format!("the kinds are: {}", kinds.join(", "));
        if let Some(near) = crate::config::nearest(&req.kind, &kinds) {
            help = format!("did you mean `{near}`? {help}");
        }
        return Err(Box::new(
            Diagnostic::error(
                "authoring::unknown-kind",
                format!("kind \"{}\" is not one of the handbook's kinds", req.kind),
            )
            .in_file("config.toml")
            .with_help(help),
        ));
    }
    let same_kind: Vec<&DocFacts> = hb.documents.iter().filter(|d| d.kind == req.kind).collect();
    let owner = match &req.owner {
        Some(owner) => {
            hb.check_role(owner, "--owner")
                .map_err(|d| Box::new(d.in_file(format!("content/{}", hb.roles_section))))?;
            owner.clone()
        }
        None => default_owner(hb, &same_kind).ok_or_else(|| {
            Box::new(
                Diagnostic::error(
                    "authoring::no-roles",
                    "the handbook has no roles to own the document",
                )
                .in_file(format!("content/{}", hb.roles_section))
                .with_help(
                    "add a role page, e.g. content/roller/isam.md with `role_id = \"isam\"`",
                ),
            )
        })?,
    };
    let doc_id = next_doc_id(&req.kind, &hb.documents, req.year);
    let slug = crate::config::slugify_paths(&req.title, crate::config::SlugStrategy::On);
    let slug = if slug.is_empty() {
        doc_id.to_lowercase()
    } else {
        slug
    };
    if let Some(section) = &req.section {
        let climbs = section
            .split(['/', '\\'])
            .any(|part| part == ".." || part.contains(':'));
        if climbs {
            return Err(Box::new(
                Diagnostic::error(
                    "authoring::invalid-section",
                    format!("--section \"{section}\" leads outside content/"),
                )
                .with_help("give a folder under content/, e.g. `--section styrdokument`"),
            ));
        }
    }
    let (folder, bundle) = match &req.section {
        Some(s) => (s.trim_matches('/').to_string(), usual_bundle(&same_kind)),
        None => usual_folder(&same_kind, &hb.documents),
    };
    let file = if bundle {
        format!("{slug}/index.md")
    } else {
        format!("{slug}.md")
    };
    let relative = if folder.is_empty() {
        file
    } else {
        format!("{folder}/{file}")
    };
    let text = document_text(hb, req, &doc_id, &owner);
    Ok(NewDocument {
        relative,
        doc_id,
        owner,
        text,
    })
}

/// The owner most documents of the kind have, else of any kind, else ISAM
/// where that role exists, else the first role.
fn default_owner(hb: &Handbook, same_kind: &[&DocFacts]) -> Option<String> {
    let known = |o: &&String| hb.roles.contains(o);
    let from = |docs: &mut dyn Iterator<Item = &DocFacts>| {
        most_common(docs.filter_map(|d| d.owner.as_ref()).filter(known).cloned())
    };
    from(&mut same_kind.iter().copied())
        .or_else(|| from(&mut hb.documents.iter()))
        .or_else(|| hb.roles.iter().find(|r| *r == "isam").cloned())
        .or_else(|| hb.roles.first().cloned())
}

/// The value met most often; the smallest among equals.
fn most_common(values: impl Iterator<Item = String>) -> Option<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(v, _)| v)
}

/// Whether documents of the kind are mostly bundles (`x/index.md`).
fn usual_bundle(same_kind: &[&DocFacts]) -> bool {
    let bundles = same_kind.iter().filter(|d| is_bundle(&d.relative)).count();
    bundles * 2 > same_kind.len()
}

fn is_bundle(relative: &str) -> bool {
    relative == "index.md" || relative.ends_with("/index.md")
}

/// The folder (under `content/`) holding most documents of the kind, else
/// most documents of any kind, else `styrdokument`; and whether the new
/// document should be a bundle like the kind's others.
fn usual_folder(same_kind: &[&DocFacts], all: &[DocFacts]) -> (String, bool) {
    let folder_of = |d: &DocFacts| {
        let path = if is_bundle(&d.relative) {
            d.relative.rsplit_once('/').map_or("", |(dir, _)| dir)
        } else {
            d.relative.as_str()
        };
        path.rsplit_once('/')
            .map_or(String::new(), |(dir, _)| dir.to_string())
    };
    let folder = most_common(same_kind.iter().map(|d| folder_of(d)))
        .or_else(|| most_common(all.iter().map(folder_of)))
        .unwrap_or_else(|| "styrdokument".to_string());
    (folder, usual_bundle(same_kind))
}

/// Short codes of the default kinds in ids (`UTB-ANV-001`).
const KIND_CODES: &[(&str, &str)] = &[
    ("policy", "POL"),
    ("riktlinje", "RIK"),
    ("anvisning", "ANV"),
    ("rutin", "RUT"),
    ("plan", "PLAN"),
    ("metod", "MET"),
    ("villkor", "VIL"),
    ("analys", "ANA"),
    ("genomgang", "LG"),
];

/// The next free id for `kind`: the largest number in the pattern of the
/// kind's ids plus one, with the same prefix and width; for a kind with no
/// documents yet, the handbook's usual first part, the kind's code and
/// `001` (a yearly review: the year).
pub(crate) fn next_doc_id(kind: &str, docs: &[DocFacts], year: i32) -> String {
    let taken: Vec<&str> = docs.iter().filter_map(|d| d.doc_id.as_deref()).collect();
    let numbered: Vec<(&str, &str)> = docs
        .iter()
        .filter(|d| d.kind == kind)
        .filter_map(|d| d.doc_id.as_deref())
        .filter_map(split_number)
        .collect();
    let (prefix, mut number, width) = match most_common(numbered.iter().map(|(p, _)| p.to_string()))
    {
        Some(prefix) => {
            let (number, width) = numbered
                .iter()
                .filter(|(p, _)| *p == prefix)
                .filter_map(|(_, digits)| digits.parse::<u64>().ok().map(|n| (n, digits.len())))
                .max()
                .unwrap_or((0, 3));
            (prefix, number + 1, width)
        }
        None => {
            let org = most_common(
                taken
                    .iter()
                    .filter_map(|id| id.split_once('-').map(|(first, _)| first.to_string())),
            )
            .unwrap_or_else(|| "DOK".to_string());
            let code = KIND_CODES
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, c)| c.to_string())
                .unwrap_or_else(|| kind.chars().take(3).collect::<String>().to_uppercase());
            if kind == "genomgang" {
                (
                    format!("{org}-{code}-"),
                    u64::try_from(year).unwrap_or(1),
                    4,
                )
            } else {
                (format!("{org}-{code}-"), 1, 3)
            }
        }
    };
    loop {
        let id = format!("{prefix}{number:0width$}");
        if !taken.contains(&id.as_str()) {
            return id;
        }
        number += 1;
    }
}

/// `UTB-ANV-003` → (`UTB-ANV-`, `003`).
fn split_number(id: &str) -> Option<(&str, &str)> {
    let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return None;
    }
    Some(id.split_at(id.len() - digits))
}

/// A TOML string literal.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The new file: every field a draft of the kind needs; `handbok review`
/// adds the approval fields when a version is approved.
fn document_text(hb: &Handbook, req: &NewRequest, doc_id: &str, owner: &str) -> String {
    let audience = hb.audiences.first().map_or("alla", String::as_str);
    let data = if req.kind == "genomgang" {
        "# Genomgångens tabeller (aktiviteter, händelser) kan ligga i en datafil bredvid:\n# data = \"data.toml\"\n"
    } else {
        ""
    };
    format!(
        r#"+++
title = {title}
# En mening om vad dokumentet gäller; visas i listor och sökträffar.
description = ""

[extra]
kind = {kind}
doc_id = {doc_id}
version = "0.1"
# utkast, remiss, gällande eller upphävd. `handbok review FIL --by ROLL
# --version 1.0 --summary "…"` fastställer dokumentet.
status = "utkast"
owner = {owner}
review_interval = {interval}
audience = {audience}
{data}
[[extra.responsibilities]]
role = {owner}
duty = "Äger dokumentet och ser till att det granskas och hålls aktuellt."
+++

Skriv dokumentets text här.
"#,
        title = quoted(&req.title),
        kind = quoted(&req.kind),
        doc_id = quoted(doc_id),
        owner = quoted(owner),
        interval = quoted(&hb.review_interval),
        audience = quoted(audience),
    )
}
