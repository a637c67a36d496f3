//! Unit tests of the authoring commands on hand-made facts and texts.

use super::*;
use chrono::NaiveDate;
use std::path::Path;

fn doc(kind: &str, id: &str, owner: &str, relative: &str) -> DocFacts {
    DocFacts {
        kind: kind.into(),
        doc_id: Some(id.into()),
        owner: Some(owner.into()),
        relative: relative.into(),
    }
}

fn handbook() -> Handbook {
    Handbook {
        roles: vec!["dso".into(), "forvaltningschef".into(), "isam".into()],
        kinds: ["policy", "anvisning", "rutin", "genomgang"]
            .map(String::from)
            .to_vec(),
        audiences: vec!["alla".into(), "personal".into()],
        documents: vec![
            doc("anvisning", "UTB-ANV-001", "isam", "styrdokument/a.md"),
            doc("anvisning", "UTB-ANV-002", "isam", "styrdokument/b.md"),
            doc("rutin", "UTB-RUT-007", "dso", "styrdokument/c.md"),
            doc(
                "genomgang",
                "UTB-LG-2025",
                "isam",
                "genomgangar/2025/index.md",
            ),
        ],
        roles_section: "roller".into(),
        review_interval: "P1Y".into(),
    }
}

fn request(kind: &str, title: &str) -> NewRequest {
    NewRequest {
        kind: kind.into(),
        title: title.into(),
        owner: None,
        section: None,
        year: 2026,
    }
}

#[test]
fn a_new_document_gets_the_next_id_in_its_kinds_pattern() {
    let hb = handbook();
    assert_eq!(
        new::next_doc_id("anvisning", &hb.documents, 2026),
        "UTB-ANV-003"
    );
    assert_eq!(
        new::next_doc_id("rutin", &hb.documents, 2026),
        "UTB-RUT-008"
    );
    assert_eq!(
        new::next_doc_id("genomgang", &hb.documents, 2026),
        "UTB-LG-2026"
    );
}

#[test]
fn a_kind_without_documents_starts_at_one_with_the_handbooks_prefix() {
    let hb = handbook();
    assert_eq!(
        new::next_doc_id("policy", &hb.documents, 2026),
        "UTB-POL-001"
    );
    assert_eq!(new::next_doc_id("genomgang", &[], 2027), "DOK-LG-2027");
}

#[test]
fn a_new_document_is_a_draft_in_its_kinds_folder_named_after_its_title() {
    let planned = plan_new(&handbook(), &request("anvisning", "Hantering av lösenord"))
        .unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(planned.relative, "styrdokument/hantering-av-losenord.md");
    assert_eq!(planned.owner, "isam");
    let parsed: toml::Table = planned
        .text
        .trim_start_matches("+++\n")
        .split("+++")
        .next()
        .unwrap_or_default()
        .parse()
        .unwrap_or_else(|e| panic!("front matter does not parse: {e}"));
    let extra = parsed["extra"].as_table().expect("an [extra] table");
    assert_eq!(extra["doc_id"].as_str(), Some("UTB-ANV-003"));
    assert_eq!(extra["status"].as_str(), Some("utkast"));
    assert_eq!(extra["kind"].as_str(), Some("anvisning"));
    assert_eq!(parsed["title"].as_str(), Some("Hantering av lösenord"));
}

#[test]
fn a_yearly_review_becomes_a_bundle_like_the_earlier_ones() {
    let planned = plan_new(
        &handbook(),
        &request("genomgang", "Ledningens genomgång 2026"),
    )
    .unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(
        planned.relative,
        "genomgangar/ledningens-genomgang-2026/index.md"
    );
    assert_eq!(planned.doc_id, "UTB-LG-2026");
}

#[test]
fn an_unknown_owner_is_refused_with_the_nearest_role_ids() {
    let mut req = request("anvisning", "X");
    req.owner = Some("isma".into());
    let d = plan_new(&handbook(), &req).expect_err("an unknown owner is refused");
    assert_eq!(d.code, UNKNOWN_ROLE);
    assert!(d.help.as_deref().unwrap_or("").contains("`isam`"), "{d:?}");
}

#[test]
fn an_unknown_kind_is_refused_with_the_nearest_kind() {
    let d = plan_new(&handbook(), &request("anvsining", "X")).expect_err("refused");
    assert_eq!(d.code, "authoring::unknown-kind");
    assert!(
        d.help.as_deref().unwrap_or("").contains("`anvisning`"),
        "{d:?}"
    );
}

const DOCUMENT: &str = r#"+++
title = "Rutin"

[extra]
kind = "rutin"
# Dokumentets id i diariet.
doc_id = "UTB-RUT-001"
version = "1.0" # senaste fastställda
status = "gällande"
owner = "isam"
approved_by = "forvaltningschef"
approved = 2025-03-12
last_reviewed = 2025-03-12

[[extra.changes]]
version = "1.0"
date = 2025-03-12
summary = "Första versionen."
approved_by = "forvaltningschef"
kind = "major"
+++

Text.
"#;

fn review(by: &str, version: Option<&str>) -> ReviewRequest {
    ReviewRequest {
        by: by.into(),
        version: version.map(String::from),
        summary: version.map(|_| "Nya krav.".to_string()),
        date: NaiveDate::from_ymd_opt(2026, 3, 10).expect("a valid date"),
    }
}

#[test]
fn a_review_updates_last_reviewed_and_logs_it_keeping_comments_and_order() {
    let result = apply_review(
        &handbook(),
        Path::new("c.md"),
        DOCUMENT,
        &review("isam", None),
    )
    .unwrap_or_else(|d| panic!("{d:?}"));
    let text = &result.text;
    assert!(text.contains("last_reviewed = 2026-03-10"), "{text}");
    assert!(
        text.contains("# Dokumentets id i diariet.\ndoc_id"),
        "{text}"
    );
    assert!(
        text.contains("version = \"1.0\" # senaste fastställda"),
        "{text}"
    );
    assert!(text.ends_with("+++\n\nText.\n"), "{text}");
    let keys: Vec<&str> = [
        "kind",
        "doc_id",
        "version",
        "status",
        "owner",
        "approved_by",
        "approved",
        "last_reviewed",
    ]
    .to_vec();
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| text.find(&format!("\n{k} = ")).unwrap_or(usize::MAX))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "key order changed: {text}"
    );
    assert_eq!(text.matches("[[extra.changes]]").count(), 2);
    assert!(text.contains("kind = \"granskad\""), "{text}");
}

#[test]
fn a_new_version_sets_version_approval_and_a_matching_change_entry() {
    let result = apply_review(
        &handbook(),
        Path::new("c.md"),
        DOCUMENT,
        &review("forvaltningschef", Some("1.1")),
    )
    .unwrap_or_else(|d| panic!("{d:?}"));
    let front = result.text.split("+++").nth(1).unwrap_or_default();
    let parsed: toml::Table = front.parse().unwrap_or_else(|e| panic!("{e}"));
    let extra = parsed["extra"].as_table().expect("[extra]");
    assert_eq!(extra["version"].as_str(), Some("1.1"));
    assert_eq!(extra["approved"].to_string(), "2026-03-10");
    let changes = extra["changes"].as_array().expect("changes");
    let last = changes.last().and_then(|c| c.as_table()).expect("an entry");
    assert_eq!(last["version"].as_str(), Some("1.1"));
    assert_eq!(last["kind"].as_str(), Some("minor"));
    assert_eq!(last["summary"].as_str(), Some("Nya krav."));
    assert!(
        result
            .changes
            .iter()
            .any(|c| c == "version: \"1.0\" → \"1.1\""),
        "{:?}",
        result.changes
    );
}

#[test]
fn an_unknown_reviewer_is_an_error_located_in_the_document() {
    let d = apply_review(
        &handbook(),
        Path::new("c.md"),
        DOCUMENT,
        &review("ism", None),
    )
    .expect_err("an unknown role is refused");
    assert_eq!(d.code, UNKNOWN_ROLE);
    assert_eq!(d.file.as_deref(), Some(Path::new("c.md")));
    assert_eq!(
        d.position.map(|p| p.line),
        Some(11),
        "at approved_by: {d:?}"
    );
}

#[test]
fn a_section_outside_content_is_refused() {
    let mut req = request("anvisning", "X");
    req.section = Some("../../etc".into());
    let d = plan_new(&handbook(), &req).expect_err("refused");
    assert_eq!(d.code, "authoring::invalid-section");
    req.section = Some("/styrdokument/lokalt/".into());
    let planned = plan_new(&handbook(), &req).unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(planned.relative, "styrdokument/lokalt/x.md");
}
