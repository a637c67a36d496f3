//! The model as data: review dates, documents, duties, review rows,
//! cross-links both ways, the activity register and the glossary.

use super::*;
use serde_json::Value;

#[test]
fn next_review_from_the_latest_of_review_approval_and_changes() {
    let doc = |f: &Fixture, path: &str| f.page(path)["document"].clone();
    let f = Fixture::with(&[]);
    let a = doc(&f, "styrdokument/anvisning.md");
    assert_eq!(a["next_review"], "2026-03-01");
    assert_eq!(a["review_state"], "due_soon");
    assert_eq!(a["days_until_review"], 45);
    // Repealed documents are never due; drafts without dates have none.
    assert_eq!(doc(&f, "styrdokument/gammal.md")["review_state"], "none");
    assert_eq!(doc(&f, "styrdokument/rutin.md")["next_review"], Value::Null);

    // last_reviewed later than approval wins; P6M clamps the day.
    let f = edited(
        "content/styrdokument/anvisning.md",
        "review_interval = \"P1Y\"",
        "review_interval = \"P6M\"\nlast_reviewed = 2025-08-31",
    );
    let a = doc(&f, "styrdokument/anvisning.md");
    assert_eq!(
        (a["next_review"].as_str(), a["review_state"].as_str()),
        (Some("2026-02-28"), Some("due_soon"))
    );
    // A newer `granskad` change counts too.
    let f = edited(
        "content/styrdokument/anvisning.md",
        "kind = \"minor\"",
        "kind = \"minor\"\n\n[[extra.changes]]\nversion = \"1.1\"\ndate = 2025-11-30\nkind = \"granskad\"",
    );
    assert_eq!(
        doc(&f, "styrdokument/anvisning.md")["next_review"],
        "2026-11-30"
    );
    assert_eq!(doc(&f, "styrdokument/anvisning.md")["review_state"], "ok");
    // The default interval applies when none is given; a given date wins.
    let f = edited(
        "content/styrdokument/anvisning.md",
        "review_interval = \"P1Y\"",
        "next_review = 2026-01-01",
    );
    let a = doc(&f, "styrdokument/anvisning.md");
    assert_eq!(
        (a["next_review"].as_str(), a["days_until_review"].as_i64()),
        (Some("2026-01-01"), Some(-14))
    );
    let f = Fixture::with_config(
        "default_review_interval = \"P2Y\"",
        &[(
            "content/styrdokument/anvisning.md",
            &ANVISNING.replace("review_interval = \"P1Y\"\n", ""),
        )],
    );
    assert_eq!(
        doc(&f, "styrdokument/anvisning.md")["next_review"],
        "2027-03-01"
    );
    assert_eq!(
        doc(&f, "styrdokument/anvisning.md")["review_interval"],
        "P2Y"
    );
}

#[test]
fn document_value_resolves_roles_approvers_and_links() {
    let f = Fixture::with(&[]);
    let d = &f.page("styrdokument/anvisning.md")["document"];
    assert_eq!(d["owner"]["name"], "Informationssäkerhetssamordnare");
    assert_eq!(d["owner"]["permalink"], "/roller/isam/");
    assert_eq!(d["approved_by"]["id"], "chef");
    assert_eq!(d["changes"][0]["version"], "1.1", "newest first");
    assert_eq!(d["changes"][0]["approved_by"]["name"], "Anna Andersson");
    assert_eq!(d["changes"][0]["approved_by"]["id"], Value::Null);
    assert_eq!(d["classification"]["r"]["name"], "betydande");
    assert_eq!(d["classification"]["max"]["level"], 2);
    assert_eq!(d["related"][0]["doc_id"], "UTB-RUT-001");
    assert_eq!(d["responsibilities"][0]["role"]["id"], "chef");
    assert_eq!(d["audience"], serde_json::json!(["alla"]));
    assert_eq!(d["approved"], "2025-03-01");
    let old = &f.page("styrdokument/gammal.md")["document"];
    assert_eq!(old["superseded_by"][0]["title"], "Rutin för behörigheter");
}

#[test]
fn inline_duties_get_anchors_and_reach_role_pages_and_the_matrix() {
    let f = Fixture::with(&[]);
    let page = f.page("styrdokument/anvisning.md");
    assert_eq!(page["duties"][0]["anchor"], "ansvar-1");
    assert_eq!(page["duties"][0]["text"], "Chefen granskar behörigheter.");
    assert_eq!(
        page["duties"][1]["permalink"],
        "/styrdokument/anvisning/#ansvar-2"
    );
    let chef = &f.page("roller/chef.md")["role"];
    assert_eq!(
        chef["duties"][0]["permalink"],
        "/styrdokument/anvisning/#ansvar-1"
    );
    assert_eq!(chef["duties"][0]["title"], "Lokal anvisning");
    assert_eq!(
        chef["responsibilities"][0]["duty"],
        "Granskar behörigheter."
    );
    assert_eq!(
        titles(&chef["approves"]),
        [
            "Gammal rutin",
            "Ledningens genomgång 2025",
            "Lokal anvisning"
        ]
    );
    assert_eq!(
        titles(&chef["owns"]),
        ["Gammal rutin", "Rutin för behörigheter"]
    );
    // Each document once, owned ones first, saying what the role does.
    let documents: Vec<(&str, bool, bool)> = chef["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["title"].as_str().unwrap_or_default(),
                d["owns"] == true,
                d["approves"] == true,
            )
        })
        .collect();
    assert_eq!(
        documents,
        [
            ("Gammal rutin", true, true),
            ("Rutin för behörigheter", true, false),
            ("Ledningens genomgång 2025", false, true),
            ("Lokal anvisning", false, true),
        ]
    );
    assert_eq!(
        chef["documents"][0]["permalink"],
        chef["owns"][0]["permalink"]
    );
    assert_eq!(chef["reports_to"]["id"], "isam");
    let isam = &f.page("roller/isam.md")["role"];
    assert_eq!(isam["reports"][0]["id"], "chef");
    assert_eq!(titles(&isam["required_reading"]), ["Lokal anvisning"]);
    assert_eq!(isam["glossary"][0]["term"], "ISAM");

    let site = f.model.site_value();
    let roles: Vec<&str> = site["matrix"]["roles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(roles, ["chef", "dso", "isam"]);
    let row = &site["matrix"]["rows"][2];
    assert_eq!(row["document"]["title"], "Lokal anvisning");
    assert_eq!(
        row["cells"][0]["labels"],
        serde_json::json!(["fastställer", "ansvarar"])
    );
    assert_eq!(
        row["cells"][0]["duties"][1]["permalink"],
        "/styrdokument/anvisning/#ansvar-1"
    );
    assert_eq!(row["cells"][1], Value::Null);
    assert_eq!(
        row["cells"][2]["labels"],
        serde_json::json!(["äger", "ansvarar", "läser"])
    );
}

#[test]
fn review_data_rows_get_anchors_refs_and_percentages() {
    let f = Fixture::with(&[]);
    let review = &f.page("genomgangar/2025/index.md")["review"];
    let anchors: Vec<&str> = review["activities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["anchor"].as_str())
        .collect();
    assert_eq!(
        anchors,
        [
            "aktivitet-2026-1",
            "aktivitet-2026-2",
            "aktivitet-2027-2028-1"
        ]
    );
    assert_eq!(
        review["activities"][0]["permalink"],
        "/genomgangar/2025/#aktivitet-2026-1"
    );
    assert_eq!(
        review["activities"][0]["roles"][0]["name"],
        "Informationssäkerhetssamordnare"
    );
    assert_eq!(
        review["activities"][2]["documents"][0]["title"],
        "Lokal anvisning"
    );
    assert_eq!(
        review["activities"][2]["documents_written"][0],
        "UTB-ANV-001"
    );
    assert_eq!(review["events"][0]["anchor"], "handelse-1");
    assert_eq!(review["other_activities"][0]["anchor"], "ovrig-cyber-1");
    assert_eq!(review["training"][0]["percent"]["certified"], 33.33);
    assert_eq!(review["training"][0]["percent"]["not_certified"], 50.0);
    assert_eq!(review["training"][0]["parts_sum"], 300);
    assert_eq!(review["incidents"]["total"], 41);
    assert_eq!(review["meta"]["year"], 2025);
}

#[test]
fn review_data_may_be_json_with_located_errors() {
    let json = r#"{
  "events": [{"id": 1, "title": "A", "roles": ["isam"], "documents": []}],
  "activities": [{"key": "k", "period": "2026", "id": 7, "title": "B", "roles": ["nobody"], "documents": ["@/styrdokument/rutin.md"]}]
}"#;
    let f = Fixture::with(&[
        (
            "content/genomgangar/2025/index.md",
            &REVIEW.replace("data.toml", "data.json"),
        ),
        ("content/genomgangar/2025/data.json", json),
    ]);
    assert!(
        f.report().starts_with("content/genomgangar/2025/data.json:3:82: error[gov::unknown-role]: unknown role `nobody` in `activities[0].roles[0]`"),
        "{}",
        f.report()
    );
    assert_eq!(
        f.page("genomgangar/2025/index.md")["review"]["activities"][0]["anchor"],
        "aktivitet-2026-7"
    );
    let f = Fixture::with(&[("content/genomgangar/2025/data.toml", "[meta\nyear = 1")]);
    assert!(f.report().starts_with("content/genomgangar/2025/data.toml:1:6: error[gov::invalid-data]: the review data is not valid TOML"), "{}", f.report());
}

#[test]
fn activities_link_to_roles_and_documents_and_back() {
    let f = Fixture::with(&[]);
    let isam = &f.page("roller/isam.md")["role"];
    let links: Vec<&str> = isam["activities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["permalink"].as_str())
        .collect();
    assert_eq!(
        links,
        [
            "/genomgangar/2025/#aktivitet-2026-1",
            "/genomgangar/2025/#aktivitet-2027-2028-1"
        ]
    );
    assert_eq!(
        isam["activities"][0]["review"]["title"],
        "Ledningens genomgång 2025"
    );
    assert_eq!(
        isam["events"][0]["permalink"],
        "/genomgangar/2025/#handelse-1"
    );
    let dso = &f.page("roller/dso.md")["role"];
    assert_eq!(dso["other_activities"][0]["anchor"], "ovrig-cyber-1");
    // The document shows the activities that concern it, and back-links.
    let anvisning = f.page("styrdokument/anvisning.md");
    assert_eq!(
        titles(&anvisning["activities"]),
        ["Översyn av anvisningen", "Översyn av anvisningen"]
    );
    let rutin = f.page("styrdokument/rutin.md");
    assert_eq!(rutin["events"][0]["anchor"], "handelse-1");
    let vias: Vec<(&str, &str)> = rutin["backlinks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| Some((b["title"].as_str()?, b["via"].as_str()?)))
        .collect();
    assert_eq!(
        vias,
        [
            ("Lokal anvisning", "related"),
            ("Ledningens genomgång 2025", "activity")
        ]
    );
    assert_eq!(
        rutin["backlinks"][1]["items"][0]["permalink"],
        "/genomgangar/2025/#handelse-1"
    );
    let gammal = f.page("styrdokument/gammal.md");
    assert_eq!(gammal["backlinks"][0]["via"], "supersedes");
    // A page governance knows nothing of has no value.
    assert_eq!(f.model.page_value(f.id("ordlista.md")), None);
}

#[test]
fn the_activity_register_groups_recurring_activities() {
    let f = Fixture::with(&[]);
    let site = f.model.site_value();
    let acts = site["activities"].as_array().cloned().unwrap_or_default();
    assert_eq!(acts.len(), 2);
    assert_eq!(acts[0]["key"], "oversyn");
    assert_eq!(acts[0]["recurring"], true);
    assert_eq!(acts[0]["periods"], serde_json::json!(["2026", "2027–2028"]));
    assert_eq!(acts[0]["occurrences"].as_array().map(Vec::len), Some(2));
    assert_eq!(acts[1]["recurring"], false);
    assert_eq!(site["review_status"]["today"], "2026-01-15");
    assert_eq!(
        titles(&site["review_status"]["due_soon"]),
        ["Lokal anvisning"]
    );
    assert_eq!(
        titles(&site["register"]),
        [
            "Gammal rutin",
            "Ledningens genomgång 2025",
            "Lokal anvisning",
            "Rutin för behörigheter"
        ]
    );
}

#[test]
fn glossary_is_in_swedish_order_with_anchors() {
    let f = Fixture::with(&[]);
    let terms: Vec<&str> = f.model.glossary.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(terms, ["DSO", "ISAM", "Åtgärd", "Ärende", "Öl"]);
    let terms = &f.model.glossary;
    assert_eq!(terms[1].anchor, "term-isam");
    assert_eq!(terms[1].permalink, "/ordlista/#term-isam");
    assert_eq!(terms[2].anchor, "term-atgard");
    let site = f.model.site_value();
    assert_eq!(site["glossary"][0]["role"]["id"], "dso");
    assert_eq!(site["glossary_page"], "/ordlista/");
}

#[test]
fn with_history_fills_last_changed() {
    let f = Fixture::with(&[]);
    let anvisning = f.id("styrdokument/anvisning.md");
    let file = std::path::Path::new("content").join(&f.tree.page(anvisning).file.relative);
    let date = chrono::DateTime::parse_from_rfc3339("2025-12-24T10:00:00+01:00")
        .expect("a valid RFC 3339 date");
    let commit = crate::history::Commit {
        hash: "0".repeat(40),
        short: "0000000".into(),
        author: "ISAM".into(),
        email: "isam@example.se".into(),
        date,
        committed: date,
        message: "Ny version".into(),
        body: String::new(),
        path_at_commit: file.to_string_lossy().into_owned(),
        change: crate::history::ChangeKind::Modified,
        withheld: false,
    };
    let history = crate::history::History::from_facts(vec![(
        file,
        crate::history::FileHistory {
            commits: vec![commit],
            ..Default::default()
        },
    )]);
    let diags = Diagnostics::new();
    let model = build(
        &f.config,
        &Settings::from_config(&f.config, &Diagnostics::new()),
        &f.tree,
        &history,
        &GovOptions { today: today() },
        &diags,
    );
    assert_eq!(
        model
            .page_value(anvisning)
            .map(|v| v["document"]["last_changed"].clone()),
        Some(Value::from("2025-12-24"))
    );
}

/// A partial rebuild tells whether the handbook's registers changed by
/// comparing what they are made from: equal inputs give an equal value,
/// and each edit that changes the value is seen as a change.
#[test]
fn equal_site_inputs_give_an_equal_site_value_and_edits_that_change_it_are_seen() {
    let f = Fixture::with(&[]);
    let path = "content/styrdokument/anvisning.md";
    let again = f.model_after(path, ANVISNING);
    assert!(f.model.same_site_inputs(&again));
    assert_eq!(f.model.site_value(), again.site_value());
    for (from, to) in [
        ("title = \"Lokal anvisning\"", "title = \"Ny anvisning\""),
        ("owner = \"isam\"", "owner = \"chef\""),
        ("review_interval = \"P1Y\"", "review_interval = \"P6M\""),
        ("duty = \"Granskar behörigheter.\"", "duty = \"Annat.\""),
    ] {
        let changed = f.model_after(path, &ANVISNING.replacen(from, to, 1));
        assert_ne!(f.model.site_value(), changed.site_value(), "{to} shows");
        assert!(!f.model.same_site_inputs(&changed), "{to}");
    }
}

/// A partial rebuild compares the governance data of candidate pages
/// only: every page whose data an edit changes is among them, whether
/// the edit is a title a neighbour shows, a document link, a new id or a
/// review's title; and a page no edit can reach is not.
#[test]
fn pages_whose_data_an_edit_changes_are_all_candidates() {
    let edits = [
        (
            "content/styrdokument/gammal.md",
            GAMMAL.replacen("Gammal rutin", "Äldre rutin", 1),
        ),
        (
            "content/styrdokument/rutin.md",
            RUTIN.replacen("supersedes = [\"@/styrdokument/gammal.md\"]\n", "", 1),
        ),
        (
            "content/styrdokument/rutin.md",
            RUTIN.replacen("Rutin för behörigheter", "Behörighetsrutin", 1),
        ),
        (
            "content/styrdokument/anvisning.md",
            ANVISNING.replacen("Lokal anvisning", "Ny anvisning", 1),
        ),
        (
            "content/styrdokument/anvisning.md",
            ANVISNING.replacen("owner = \"isam\"", "owner = \"chef\"", 1),
        ),
        (
            "content/genomgangar/2025/index.md",
            REVIEW.replacen("Ledningens genomgång 2025", "Genomgången 2025", 1),
        ),
    ];
    let policy = "+++\ntitle = \"Policy\"\n\n[extra]\nkind = \"policy\"\ndoc_id = \"UTB-POL-001\"\nowner = \"isam\"\nrelated = [\"@/styrdokument/gammal.md\"]\n+++\n";
    for (path, text) in edits {
        let f = Fixture::with(&[("content/policy.md", policy)]);
        let rel = path.trim_start_matches("content/");
        let edited = f.id(rel);
        let after = f.model_after(path, &text);
        let candidates = after.pages_whose_data_may_differ(&f.model, &[edited]);
        let differing: Vec<PageId> = (0..f.model.pages.len())
            .map(PageId)
            .filter(|id| f.model.page_value(*id) != after.page_value(*id))
            .collect();
        assert!(
            differing.len() > 1 || rel != "styrdokument/gammal.md",
            "{text}"
        );
        for id in differing {
            assert!(
                candidates.contains(&id),
                "{} changes with {rel} but is no candidate",
                f.tree.page(id).file.relative
            );
        }
        assert!(!candidates.contains(&f.id("ordlista.md")), "{rel}");
    }
}

#[test]
fn a_reader_naming_some_fields_gets_those_fields_as_the_whole_value_has_them() {
    let f = Fixture::with(&[]);
    let whole = f.model.site_value();
    let named = [
        "title",
        "permalink",
        "overdue",
        "labels",
        "register",
        "rows",
    ];
    let part = f
        .model
        .site_value_with(&|_| true, &|field| named.contains(&field));
    // The register's entries keep the named fields, with the whole
    // value's contents, and nothing else.
    let entries = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let whole_register = entries(&whole["register"]);
    let register = entries(&part["register"]);
    assert_eq!(register.len(), whole_register.len());
    assert!(!register.is_empty());
    for (entry, full) in register.iter().zip(&whole_register) {
        let keys: Vec<&String> = entry
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["title", "permalink"]);
        assert_eq!(entry["title"], full["title"]);
        assert_eq!(entry["permalink"], full["permalink"]);
    }
    // Review-status groups no reader names are left out; named ones stay.
    let status = &part["review_status"];
    assert_eq!(
        status["overdue"].as_array().map(Vec::len),
        whole["review_status"]["overdue"].as_array().map(Vec::len)
    );
    assert!(status.get("ok").is_none() && status.get("none").is_none());
    assert!(whole["review_status"].get("ok").is_some());
    // Matrix rows keep the named fields of their documents and cells.
    let row = &part["matrix"]["rows"][2];
    assert_eq!(row["document"]["title"], "Lokal anvisning");
    assert!(row["document"].get("description").is_none());
    assert_eq!(
        row["cells"][0]["labels"],
        whole["matrix"]["rows"][2]["cells"][0]["labels"]
    );
    assert!(row["cells"][0].get("duties").is_none());
    assert_eq!(row["cells"][1], Value::Null);
}
