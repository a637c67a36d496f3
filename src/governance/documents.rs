//! Governing documents: every page (in the default language) with
//! `extra.kind`. Reads the document-control fields of GOVERNANCE.md
//! (doc_id, version, status, owner, approval, validity, review interval,
//! audience, classification, related/supersedes, responsibilities and the
//! change log), resolves their references and runs the per-document rules
//! while the field locations are at hand.
//!
//! Must not compute review dates (`rules/review_dates.rs`) or read data
//! files (`review.rs`).

use super::audience::{self, Audiences};
use super::extract::Fields;
use super::locate::Spot;
use super::model::{Change, CheckItem, Classification, Document, ReviewState};
use super::resolve::Resolver;
use super::rules::{self, document_control, review_dates, Reporter};
use super::settings::Settings;
use crate::content::front_matter::table_to_json;
use crate::content::{ContentTree, Page, PageId};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// True for a governing document in the default language.
pub(crate) fn is_document(page: &Page, lang: &str) -> bool {
    page.lang == lang && page.meta.extra.contains_key("kind")
}

/// Every `doc_id` as written, in page order, for uniqueness and lookups.
pub(crate) fn doc_ids(tree: &ContentTree, lang: &str) -> Vec<(String, PageId)> {
    tree.page_ids()
        .filter(|id| is_document(tree.page(*id), lang))
        .filter_map(|id| {
            let doc_id = tree.page(id).meta.extra.get("doc_id")?.as_str()?.trim();
            (!doc_id.is_empty()).then(|| (doc_id.to_string(), id))
        })
        .collect()
}

/// The doc-id lookup: the first page of each id.
pub(crate) fn doc_id_index(ids: &[(String, PageId)]) -> BTreeMap<String, PageId> {
    let mut index = BTreeMap::new();
    for (doc_id, page) in ids {
        index.entry(doc_id.clone()).or_insert(*page);
    }
    index
}

/// What document extraction needs besides the tree.
pub(crate) struct Context<'a> {
    /// The default language: translations are not documents of their own.
    pub(crate) lang: &'a str,
    /// `[handbook]`.
    pub(crate) settings: &'a Settings,
    /// Role and document lookups.
    pub(crate) resolver: &'a Resolver<'a>,
    /// Where problems go.
    pub(crate) reporter: Reporter<'a>,
    /// The date reviews are judged against.
    pub(crate) today: NaiveDate,
}

/// Reads, schedules and checks every governing document; returns them with
/// their `handbok check` lines.
pub(crate) fn extract(tree: &ContentTree, cx: &Context<'_>) -> (Vec<Document>, Vec<CheckItem>) {
    use rayon::prelude::*;
    // Page by page in parallel, kept in page order.
    let ids: Vec<PageId> = tree
        .page_ids()
        .filter(|id| is_document(tree.page(*id), cx.lang))
        .collect();
    let extracted: Vec<(Document, Vec<CheckItem>)> = ids
        .into_par_iter()
        .map(|id| extract_one(tree, cx, id))
        .collect();
    let mut docs = Vec::with_capacity(extracted.len());
    let mut check = Vec::new();
    for (doc, lines) in extracted {
        docs.push(doc);
        check.extend(lines);
    }
    (docs, check)
}

fn extract_one(tree: &ContentTree, cx: &Context<'_>, id: PageId) -> (Document, Vec<CheckItem>) {
    let page = tree.page(id);
    let spot = Spot::front_matter(page);
    let map = match table_to_json(&page.meta.extra) {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let fields = Fields::new(&map, &spot, &["extra"], cx.reporter);
    let mut doc = read(id, &fields, cx.settings, cx.resolver);
    doc.audience = audience_names(page, cx.settings);
    document_control::check(&doc, &fields, cx.settings);
    let basis = review_dates::schedule(&mut doc, cx.settings, cx.today);
    let display = page.file.display.display().to_string();
    let check = review_dates::check(&doc, &fields, &basis, &display);
    (doc, check)
}

fn read(page: PageId, f: &Fields<'_>, settings: &Settings, resolver: &Resolver<'_>) -> Document {
    let review_interval = f.duration("review_interval").unwrap_or_else(|| {
        let d = settings.default_review_interval;
        (d, d.to_string())
    });
    let mut changes: Vec<Change> = f
        .tables("changes")
        .iter()
        .enumerate()
        .map(|(index, c)| Change {
            version: c.nonblank("version"),
            date: c.date("date"),
            summary: c.nonblank("summary"),
            approved_by: c
                .nonblank("approved_by")
                .map(|a| resolver.approver_at(c, &["approved_by"], &a)),
            kind: c.nonblank("kind"),
            index,
        })
        .collect();
    // Newest first; undated entries last; later in the file wins a tie.
    changes.sort_by(|a, b| b.date.cmp(&a.date).then(b.index.cmp(&a.index)));
    Document {
        page,
        kind: f.nonblank("kind").unwrap_or_default(),
        doc_id: f.nonblank("doc_id"),
        version: f.nonblank("version"),
        status: f.nonblank("status"),
        owner: f
            .nonblank("owner")
            .and_then(|o| resolver.role_at(f, &["owner"], &o)),
        approved_by: f
            .nonblank("approved_by")
            .map(|a| resolver.approver_at(f, &["approved_by"], &a)),
        approved: f.date("approved"),
        valid_from: f.date("valid_from"),
        valid_to: f.date("valid_to"),
        last_reviewed: f.date("last_reviewed"),
        review_interval,
        next_review: f.date("next_review"),
        next_review_given: None,
        review_state: ReviewState::None,
        days_until_review: None,
        audience: Vec::new(),
        example: f.flag("example"),
        classification: classification(f),
        related: resolver.pages(f, "related"),
        supersedes: resolver.pages(f, "supersedes"),
        responsibilities: f
            .tables("responsibilities")
            .iter()
            .map(|r| super::model::Responsibility {
                role: r
                    .nonblank("role")
                    .and_then(|id| resolver.role_at(r, &["role"], &id)),
                duty: r.nonblank("duty").unwrap_or_default(),
            })
            .collect(),
        changes,
        retention: f.nonblank("retention"),
        last_changed: None,
    }
}

/// `audience` as the configured names (the shared reading: trimmed, any
/// case); a value that cannot be read is reported before the build filters
/// and shows as none here.
fn audience_names(page: &Page, settings: &Settings) -> Vec<String> {
    let audiences = Audiences::new(settings);
    page.meta
        .extra
        .get(audience::KEY)
        .and_then(|v| audience::parse(v, &audiences).ok())
        .map(|a| a.names(&audiences).iter().map(|n| n.to_string()).collect())
        .unwrap_or_default()
}

/// KLASSA aspects in display order: konfidentialitet, riktighet,
/// tillgänglighet, and spårbarhet when given.
use super::settings::CLASSIFICATION_ASPECTS as ASPECTS;

/// `classification = { k, r, t }`, each a level 0–4.
fn classification(f: &Fields<'_>) -> Option<Classification> {
    let table = f.table("classification")?;
    let mut levels = Vec::new();
    for (key, value) in table.map {
        let Some(aspect) = ASPECTS.iter().find(|a| **a == key) else {
            table.report(
                rules::INVALID_CLASSIFICATION,
                &[key],
                format!("unknown classification aspect `{key}`"),
                Some("KLASSA aspects are k (konfidentialitet), r (riktighet), t (tillgänglighet) and s (spårbarhet)".into()),
            );
            continue;
        };
        match value.as_i64().and_then(|l| u8::try_from(l).ok()) {
            Some(level @ 0..=4) => levels.push((*aspect, level)),
            _ => table.report(
                rules::INVALID_CLASSIFICATION,
                &[key],
                format!("classification level `{key} = {value}` is outside KLASSA's 0–4"),
                Some("0 ingen/försumbar, 1 måttlig, 2 betydande, 3 allvarlig, 4 synnerligen allvarlig".into()),
            ),
        }
    }
    levels.sort_by_key(|(a, _)| ASPECTS.iter().position(|x| x == a));
    Some(Classification { levels })
}
