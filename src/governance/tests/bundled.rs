//! The bundled handbook in `content/` builds cleanly with the expected
//! counts and cross-links.

use super::*;
use crate::content;
use crate::diagnostics::render_plain;
use serde_json::Value;
use std::path::Path;

#[test]
fn the_bundled_handbook_builds_without_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let diags = Diagnostics::new();
    let config = crate::config::load(root, None, &diags).unwrap_or_else(|e| panic!("config: {e}"));
    let tree = content::load(&config, content::LoadOptions::default(), &diags);
    let gov = Diagnostics::new();
    let model = build(
        &config,
        &Settings::from_config(&config, &Diagnostics::new()),
        &tree,
        &crate::history::History::empty(),
        &GovOptions {
            today: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default(),
        },
        &gov,
    );
    let report = render_plain(&gov.sorted());
    assert!(!gov.has_errors(), "{report}");
    // Every document in force has had its yearly review by the end of
    // November 2026; drafts and the yearly report are never due.
    assert_eq!(gov.warning_count(), 0, "{report}");
    let later = Diagnostics::new();
    build(
        &config,
        &Settings::from_config(&config, &Diagnostics::new()),
        &tree,
        &crate::history::History::empty(),
        &GovOptions {
            today: NaiveDate::from_ymd_opt(2027, 12, 1).unwrap_or_default(),
        },
        &later,
    );
    let report = render_plain(&later.sorted());
    assert!(
        report.contains("incidenthantering.md:16:17: warning[gov::review-overdue]"),
        "{report}"
    );
    assert!(
        !report.contains("behorighetshantering.md"),
        "a draft is never due: {report}"
    );
    if let Ok(dir) = std::env::var("HANDBOK_GOV_DUMP") {
        let dump = |name: &str, v: &Value| {
            let text = serde_json::to_string_pretty(v).unwrap_or_default();
            std::fs::write(Path::new(&dir).join(name), text).unwrap_or_else(|e| panic!("{e}"));
        };
        dump("site.json", &model.site_value());
        for (name, rel) in [
            ("isam.json", "roller/isam.md"),
            ("lg.json", "genomgangar/2025/index.md"),
            (
                "anv.json",
                "styrdokument/lokal-anvisning-informationssakerhet.md",
            ),
        ] {
            if let Some(content::Item::Page(id)) = tree.get(rel) {
                dump(name, &model.page_value(id).unwrap_or(Value::Null));
            }
        }
    }
    // Every page of the roles section is a role, every page with a kind
    // a document, and every review's activities reach the site-wide list:
    // whatever the handbook holds, nothing is dropped on the way.
    let role_pages = tree
        .page_ids()
        .filter(|id| tree.page(*id).file.relative.starts_with("roller/"))
        .count();
    assert_eq!(model.roles.len(), role_pages);
    let with_kind = tree
        .page_ids()
        .filter(|id| tree.page(*id).meta.extra.contains_key("kind"))
        .count();
    assert_eq!(model.documents.len(), with_kind);
    assert!(!model.reviews.is_empty(), "the 2025 review is a review");
    let activities: usize = model.reviews.iter().map(|r| r.activities.len()).sum();
    assert!(activities > 0 && model.reviews.iter().all(|r| !r.events.is_empty()));
    let site = model.site_value();
    assert_eq!(
        site["activities"].as_array().map(|a| a
            .iter()
            .map(|x| x["occurrences"].as_array().map_or(0, Vec::len))
            .sum::<usize>()),
        Some(activities)
    );
    // Every activity's roles link to role pages that list it back.
    for item in &model.reviews[0].activities {
        for role in &item.roles {
            let page = model
                .role(role)
                .map(|r| r.page)
                .unwrap_or(PageId(usize::MAX));
            let value = model.page_value(page).unwrap_or(Value::Null);
            let listed = value["role"]["activities"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|a| a["anchor"] == item.anchor.as_str());
            assert!(listed, "{} not on the page of {role}", item.anchor);
        }
    }
    assert!(!model.glossary.is_empty());
}
