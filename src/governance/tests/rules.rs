//! One fixture change per rule code, with the exact located message.

use super::*;
use crate::content;
use crate::diagnostics::render_plain;
use serde_json::Value;

#[test]
fn the_base_fixture_is_clean() {
    let f = Fixture::with(&[]);
    assert_eq!(f.report(), "");
    assert_eq!(f.model.roles.len(), 3);
    assert_eq!(f.model.documents.len(), 4);
}

#[test]
fn duplicate_doc_id_names_both_files() {
    let f = edited(
        "content/styrdokument/rutin.md",
        "UTB-RUT-001",
        "UTB-ANV-001",
    );
    assert_eq!(
        f.report(),
        "content/styrdokument/rutin.md:6:10: error[gov::duplicate-doc-id]: doc_id `UTB-ANV-001` is already used by content/styrdokument/anvisning.md:6:10\n  = help: doc ids must be unique: give one of the two documents a new id\n"
    );
}

#[test]
fn unknown_role_in_owner_suggests_the_nearest_ids() {
    let f = edited(
        "content/styrdokument/anvisning.md",
        "owner = \"isam\"",
        "owner = \"isma\"",
    );
    assert_eq!(
        f.report(),
        "content/styrdokument/anvisning.md:9:9: error[gov::unknown-role]: unknown role `isma` in `extra.owner`\n  = help: did you mean `isam`? known roles: chef, dso, isam\n"
    );
}

#[test]
fn unknown_role_in_a_responsibility_is_located_in_its_table() {
    let f = edited(
        "content/styrdokument/anvisning.md",
        "role = \"chef\"",
        "role = \"chefen\"",
    );
    assert_eq!(
        f.report(),
        "content/styrdokument/anvisning.md:18:8: error[gov::unknown-role]: unknown role `chefen` in `extra.responsibilities[0].role`\n  = help: did you mean `chef`? known roles: chef, dso, isam\n"
    );
}

#[test]
fn unknown_role_in_an_inline_duty_points_at_roll() {
    let f = edited(
        "content/styrdokument/anvisning.md",
        "ansvar(roll=\"isam\")",
        "ansvar( roll=\"isamm\")",
    );
    assert_eq!(
        f.report(),
        "content/styrdokument/anvisning.md:41:12: error[gov::unknown-role]: unknown role `isamm` in `ansvar`\n  = help: did you mean `isam`? known roles: chef, dso, isam\n"
    );
}

#[test]
fn unknown_role_and_broken_document_in_review_data_are_located_in_the_data_file() {
    let data = DATA
        .replacen(
            "roles = [\"isam\", \"chef\"]",
            "roles = [\"isam\", \"chfe\"]",
            1,
        )
        .replacen(
            "documents = [\"UTB-ANV-001\"]",
            "documents = [\"UTB-ANV-009\"]",
            1,
        );
    let f = Fixture::with(&[("content/genomgangar/2025/data.toml", &data)]);
    assert_eq!(
        f.report(),
        "content/genomgangar/2025/data.toml:7:18: error[gov::unknown-role]: unknown role `chfe` in `events[0].roles[1]`\n  = help: did you mean `chef`? known roles: chef, dso, isam\n\
         content/genomgangar/2025/data.toml:32:14: error[gov::broken-reference]: broken reference in `activities[2].documents[0]`: `UTB-ANV-009` is neither an `@/` path nor a known doc_id\n  = help: write `@/path/from/content.md` or a document's doc_id\n"
    );
}

#[test]
fn unknown_reports_to_and_approver_like_ids() {
    let f = Fixture::with(&[
        (
            "content/roller/chef.md",
            &CHEF.replace("\"isam\"", "\"isak\""),
        ),
        (
            "content/styrdokument/gammal.md",
            &GAMMAL.replace("approved_by = \"chef\"", "approved_by = \"chef-x\""),
        ),
    ]);
    assert_eq!(
        f.report(),
        "content/roller/chef.md:5:14: error[gov::unknown-role]: unknown role `isak` in `extra.reports_to`\n  = help: did you mean `isam`? known roles: chef, dso, isam\n\
         content/styrdokument/gammal.md:10:15: warning[gov::unknown-role]: `extra.approved_by` = `chef-x` looks like a role id, but there is no such role\n  = help: did you mean `chef`? known roles: chef, dso, isam; a person's name is kept as text\n"
    );
}

#[test]
fn unknown_kind_and_status() {
    let f = edited(
        "content/styrdokument/rutin.md",
        "kind = \"rutin\"\ndoc_id",
        "kind = \"rutinen\"\ndoc_id",
    );
    assert_eq!(
        f.report(),
        "content/styrdokument/rutin.md:5:8: error[gov::unknown-kind]: unknown kind `rutinen`\n  = help: did you mean `rutin`? known kinds: policy, riktlinje, anvisning, rutin, plan, metod, villkor, analys, genomgang; the list is `[handbook] kinds` in config.toml\n"
    );
    let f = edited(
        "content/styrdokument/rutin.md",
        "\"utkast\"",
        "\"gallande\"",
    );
    assert!(
        f.report().starts_with("content/styrdokument/rutin.md:8:10: error[gov::unknown-status]: unknown status `gallande`\n  = help: did you mean `gällande`?"),
        "{}",
        f.report()
    );
}

#[test]
fn invalid_dates_and_durations() {
    let f = Fixture::with(&[(
        "content/styrdokument/anvisning.md",
        &ANVISNING
            .replacen("approved = 2025-03-01", "approved = \"1 mars 2025\"", 1)
            .replacen("\"P1Y\"", "\"yearly\"", 1)
            .replacen("date = 2024-03-01", "date = \"2024-02-30\"", 1),
    )]);
    assert_eq!(
        f.report(),
        "content/styrdokument/anvisning.md:11:12: error[gov::invalid-date]: `extra.approved` is not a date: \"1 mars 2025\"\n  = help: write a date as YYYY-MM-DD, e.g. `approved = 2025-03-12`\n\
         content/styrdokument/anvisning.md:12:19: error[gov::invalid-duration]: `extra.review_interval` is not an ISO 8601 duration: \"yearly\"\n  = help: write e.g. \"P1Y\" (yearly), \"P6M\", \"P2W\" or \"P30D\"\n\
         content/styrdokument/anvisning.md:23:8: error[gov::invalid-date]: `extra.changes[0].date` is not a date: \"2024-02-30\"\n  = help: write a date as YYYY-MM-DD, e.g. `date = 2025-03-12`\n"
    );
}

#[test]
fn in_force_without_approval() {
    let f = edited(
        "content/styrdokument/rutin.md",
        "\"utkast\"",
        "\"gällande\"",
    );
    assert_eq!(
        f.report(),
        "content/styrdokument/rutin.md:8:10: error[gov::unapproved-in-force]: the document is `gällande` but has no `approved_by` or `approved`\n  = help: a document in force must be approved (ISO/IEC 27001 7.5.2 c): add `approved_by` and `approved`, or set `status = \"utkast\"`\n"
    );
}

#[test]
fn broken_related_and_supersedes() {
    let f = Fixture::with(&[(
        "content/styrdokument/rutin.md",
        &RUTIN.replace(
            "supersedes = [\"@/styrdokument/gammal.md\"]",
            "supersedes = [\"@/styrdokument/gammal.md\", \"UTB-X\"]\nrelated = [\"@/styrdokument/saknas.md\", \"@/styrdokument/_index.md\"]",
        ),
    )]);
    assert_eq!(
        f.report(),
        "content/styrdokument/rutin.md:10:43: error[gov::broken-reference]: broken reference in `extra.supersedes[1]`: `UTB-X` is neither an `@/` path nor a known doc_id\n  = help: write `@/path/from/content.md` or a document's doc_id\n\
         content/styrdokument/rutin.md:11:12: error[gov::broken-reference]: broken reference in `extra.related[0]`: `@/styrdokument/saknas.md` names no page\n  = help: write `@/path/from/content.md` or a document's doc_id\n\
         content/styrdokument/rutin.md:11:40: error[gov::broken-reference]: broken reference in `extra.related[1]`: `@/styrdokument/_index.md` is a section, not a document\n  = help: write `@/path/from/content.md` or a document's doc_id\n"
    );
}

#[test]
fn version_disagreeing_with_the_newest_change() {
    let f = edited(
        "content/styrdokument/anvisning.md",
        "version = \"1.1\"",
        "version = \"1.2\"",
    );
    assert_eq!(
        f.report(),
        "content/styrdokument/anvisning.md:7:11: error[gov::version-mismatch]: `version` is \"1.2\" but the newest change log entry (at content/styrdokument/anvisning.md:29:11) is version \"1.1\"\n  = help: add a `[[extra.changes]]` entry for this version, or correct `version`\n"
    );
}

#[test]
fn missing_owner_is_a_warning_and_a_check_line() {
    let f = edited("content/styrdokument/rutin.md", "owner = \"chef\"\n", "");
    assert_eq!(
        f.report(),
        "content/styrdokument/rutin.md:4:1: warning[gov::missing-owner]: the document has no `owner`\n  = help: name the role that owns it, e.g. `owner = \"isam\"`\n"
    );
    assert!(f.model.check_report().contains(
        "content/styrdokument/rutin.md\n  4:1 missing owner: the document has no owner\n"
    ));
}

#[test]
fn overdue_review_is_a_warning_unless_configured() {
    let text = ANVISNING
        .replace("approved = 2025-03-01", "approved = 2024-03-01")
        .replace("date = 2025-03-01", "date = 2024-03-01");
    let f = Fixture::with(&[("content/styrdokument/anvisning.md", &text)]);
    assert_eq!(
        f.report(),
        "content/styrdokument/anvisning.md:11:12: warning[gov::review-overdue]: review overdue: the next review was due 2025-03-01 (320 days ago)\n  = help: review the document, then set `last_reviewed` and add a `granskad` change entry\n"
    );
    let f = Fixture::with_config(
        "[handbook.severity]\n\"gov::review-overdue\" = \"error\"\n",
        &[("content/styrdokument/anvisning.md", &text)],
    );
    assert!(
        f.report()
            .starts_with("content/styrdokument/anvisning.md:11:12: error[gov::review-overdue]"),
        "{}",
        f.report()
    );
    let f = Fixture::with_config(
        "[handbook.severity]\n\"gov::review-overdue\" = \"off\"\n",
        &[("content/styrdokument/anvisning.md", &text)],
    );
    assert_eq!(f.report(), "");
    assert_eq!(f.model.check.len(), 1, "still listed by check");
}

#[test]
fn due_soon_is_only_a_check_line() {
    let f = Fixture::with(&[]);
    assert_eq!(f.report(), "");
    assert_eq!(
        f.model.check_report(),
        "content/styrdokument/anvisning.md\n  11:12 due soon: review due soon: 2026-03-01 (in 45 days)\n"
    );
}

#[test]
fn classification_outside_klassa_levels() {
    let f = edited("content/styrdokument/anvisning.md", "r = 2", "r = 5, x = 1");
    assert_eq!(
        f.report(),
        "content/styrdokument/anvisning.md:14:31: error[gov::invalid-classification]: classification level `r = 5` is outside KLASSA's 0–4\n  = help: 0 ingen/försumbar, 1 måttlig, 2 betydande, 3 allvarlig, 4 synnerligen allvarlig\n\
         content/styrdokument/anvisning.md:14:38: error[gov::invalid-classification]: unknown classification aspect `x`\n  = help: KLASSA aspects are k (konfidentialitet), r (riktighet), t (tillgänglighet) and s (spårbarhet)\n"
    );
}

#[test]
fn unknown_audience() {
    let f = edited(
        "content/styrdokument/anvisning.md",
        "audience = \"alla\"",
        "audience = [\"alla\", \"chefen\"]",
    );
    assert_eq!(
        f.report(),
        "content/styrdokument/anvisning.md:13:21: error[gov::unknown-audience]: unknown audience `chefen`\n  = help: did you mean `chefer`? known audiences: alla, personal, chefer; the list is `[handbook] audiences` in config.toml\n"
    );
}

#[test]
fn settings_unknown_keys_and_invalid_values_are_located_in_config() {
    let f = Fixture::with_config(
        "role_section = \"roller\"\ndue_soon_days = \"60\"\n[handbook.severity]\n\"gov::unknown-role\" = \"warning\"\n",
        &[],
    );
    assert_eq!(
        f.report(),
        "config.toml:4:1: warning[gov::unknown-setting]: unknown key `handbook.role_section`\n  = help: did you mean `roles_section`? this key is ignored\n\
         config.toml:5:17: error[gov::invalid-setting]: `handbook.due_soon_days` must be a whole number of days, 0 or more\n  = help: write e.g. `due_soon_days = 60`\n\
         config.toml:7:23: error[gov::invalid-setting]: the severity of `gov::unknown-role` cannot be changed\n  = help: only softer rules are configurable; fix the content instead\n"
    );
}

#[test]
fn settings_change_lists_and_generated_paths() {
    let f = Fixture::with_config(
        "kinds = [\"rutin\", \"anvisning\", \"genomgang\"]\ndue_soon_days = 10\n[handbook.pages]\nregister = \"register\"\nmatrix = false\n",
        &[],
    );
    assert_eq!(f.report(), "");
    let pages = f.model.generated_pages();
    let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["/register/", "/granskning/", "/aktiviteter/"]);
    assert_eq!(pages[0].template, "handbok/register.html");
    assert_eq!(f.model.check_report(), "", "45 days is not within 10");
}

#[test]
fn training_parts_not_adding_up_is_a_warning() {
    let data = DATA.replace("in_progress = 50", "in_progress = 40");
    let f = Fixture::with(&[("content/genomgangar/2025/data.toml", &data)]);
    assert_eq!(
        f.report(),
        "content/genomgangar/2025/data.toml:42:9: warning[gov::training-sum]: training row 1: the parts (certified + not_certified + in_progress) add up to 290, not to total 300\n  = help: check the figures against their source\n"
    );
}

#[test]
fn data_paths_leaving_the_review_folder_are_refused() {
    let f = Fixture::with(&[
        (
            "content/genomgangar/2025/index.md",
            &REVIEW.replace("\"data.toml\"", "\"../hemlig.toml\""),
        ),
        ("content/genomgangar/hemlig.toml", DATA),
    ]);
    assert_eq!(
        f.report(),
        "content/genomgangar/2025/index.md:12:8: error[gov::unsafe-data-path]: the review data path `../hemlig.toml` leaves the review page's folder\n  = help: keep the data file in the review page's folder and name it relative to it, e.g. `data = \"data.toml\"`\n"
    );
    assert_eq!(f.page("genomgangar/2025/index.md")["review"], Value::Null);
    let f = Fixture::with(&[(
        "content/genomgangar/2025/index.md",
        &REVIEW.replace("\"data.toml\"", "\"/etc/passwd\""),
    )]);
    assert!(
        f.report().contains("error[gov::unsafe-data-path]"),
        "{}",
        f.report()
    );
    let f = Fixture::with(&[(
        "content/genomgangar/2025/index.md",
        &REVIEW.replace("\"data.toml\"", "\"saknas.toml\""),
    )]);
    assert!(f.report().starts_with("content/genomgangar/2025/index.md:12:8: error[gov::invalid-data]: the review data `saknas.toml` does not exist"), "{}", f.report());
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_review_folder_is_refused() {
    let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = outside.path().join("data.toml");
    std::fs::write(&target, DATA).unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<(&str, String)> = base_files()
        .into_iter()
        .filter(|(p, _)| !p.ends_with("data.toml"))
        .collect();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (path, text) in &files {
        write(dir.path(), path, text);
    }
    std::os::unix::fs::symlink(
        &target,
        dir.path().join("content/genomgangar/2025/data.toml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    write(dir.path(), "config.toml", "base_url = '/'\n");
    let mut config =
        Config::from_str_for_tests("base_url = '/'\n").unwrap_or_else(|_| panic!("config"));
    config.root = dir.path().to_path_buf();
    let scratch = Diagnostics::new();
    let tree = content::load(&config, content::LoadOptions::default(), &scratch);
    let diags = Diagnostics::new();
    build(
        &config,
        &Settings::from_config(&config, &Diagnostics::new()),
        &tree,
        &crate::history::History::empty(),
        &GovOptions { today: today() },
        &diags,
    );
    assert_eq!(
        render_plain(&diags.sorted()),
        "content/genomgangar/2025/index.md:12:8: error[gov::unsafe-data-path]: the review data path `data.toml` leads out of the review page's folder through a symbolic link\n  = help: keep the data file in the review page's folder and name it relative to it, e.g. `data = \"data.toml\"`\n"
    );
}

#[test]
fn glossary_duplicates_and_unknown_roles() {
    let text = GLOSSARY
        .replacen("role = \"dso\"", "role = \"dos\"", 1)
        .replacen("term = \"Öl\"", "term = \"ISAM\"", 1);
    let f = Fixture::with(&[("content/ordlista.md", &text)]);
    assert_eq!(
        f.report(),
        "content/ordlista.md:13:8: warning[gov::duplicate-term]: the term `ISAM` is already defined at content/ordlista.md:8:8\n  = help: merge the two entries; the first one is used\n\
         content/ordlista.md:27:8: error[gov::unknown-role]: unknown role `dos` in `extra.terms[3].role`\n  = help: did you mean `dso`? known roles: chef, dso, isam\n"
    );
}
