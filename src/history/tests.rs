//! Tests of the history stage against real repositories, built at run time
//! in temporary directories with the `git` command (fixed names, emails and
//! dates; no system or global git configuration).

use super::*;
use crate::config::Config;
use std::process::Command;

const ANNA: (&str, &str) = ("Anna Andersson", "anna@example.se");
const BO: (&str, &str) = ("Bo Berg", "bo@example.se");

/// A scratch repository (or plain directory) driven by the `git` command.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo::plain();
        repo.git(&["init", "-q"]);
        repo
    }

    /// A directory that is not a repository.
    fn plain() -> Repo {
        Repo {
            dir: tempfile::tempdir().expect("a temporary directory can be created"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("fixture paths have a parent"))
            .expect("fixture directory can be created");
        std::fs::write(path, text).expect("fixture file can be written");
    }

    fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args, ANNA, "2025-01-01T12:00:00+01:00")
    }

    /// Stages everything and commits as `who` at `date`.
    fn commit(&self, who: (&str, &str), date: &str, message: &str) {
        git_in(self.path(), &["add", "-A"], who, date);
        git_in(self.path(), &["commit", "-q", "-m", message], who, date);
    }

    fn collect(&self) -> (History, Vec<Diagnostic>) {
        collect_at(self.path(), &HistoryOptions::default())
    }
}

/// Runs git hermetically: other `GIT_*` variables are removed, identity and
/// dates fixed, system and global configuration ignored.
pub(crate) fn git_in(dir: &Path, args: &[&str], who: (&str, &str), date: &str) -> String {
    let out = run_git(dir, args, who, date);
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn run_git(dir: &Path, args: &[&str], who: (&str, &str), date: &str) -> std::process::Output {
    let mut cmd = Command::new("git");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("GIT_") {
            cmd.env_remove(key);
        }
    }
    cmd.current_dir(dir)
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", who.0)
        .env("GIT_AUTHOR_EMAIL", who.1)
        .env("GIT_COMMITTER_NAME", who.0)
        .env("GIT_COMMITTER_EMAIL", who.1)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("the git command is installed")
}

fn collect_at(root: &Path, options: &HistoryOptions) -> (History, Vec<Diagnostic>) {
    let diags = Diagnostics::new();
    let history = collect(root, options, &diags);
    (history, diags.sorted())
}

fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
    diags.iter().map(|d| d.code).collect()
}

fn messages(file: &FileHistory) -> Vec<&str> {
    file.commits.iter().map(|c| c.message.as_str()).collect()
}

fn file<'h>(history: &'h History, path: &str) -> &'h FileHistory {
    history
        .file(Path::new(path))
        .unwrap_or_else(|| panic!("{path} has a history; have {:?}", history.paths()))
}

#[test]
fn commits_per_file_newest_first_with_author_date_and_message() {
    let repo = Repo::new();
    repo.write("config.toml", "title = 'x'\n");
    repo.write("content/a.md", "one\n");
    repo.commit(ANNA, "2025-01-10T09:00:00+01:00", "Add policy");
    repo.write("content/a.md", "one\ntwo\n");
    repo.commit(
        BO,
        "2025-02-10T10:30:00+01:00",
        "Clarify scope\n\nAfter the review meeting.",
    );
    repo.write("content/b.md", "b\n");
    repo.commit(ANNA, "2025-03-10T09:00:00+01:00", "Add b");

    let (history, diags) = repo.collect();
    assert!(diags.is_empty(), "{diags:?}");
    assert!(history.available && !history.shallow);
    let a = file(&history, "content/a.md");
    assert_eq!(messages(a), ["Clarify scope", "Add policy"]);
    let last = a.last().expect("a.md has commits");
    assert_eq!((last.author.as_str(), last.email.as_str()), BO);
    assert_eq!(last.date.to_rfc3339(), "2025-02-10T10:30:00+01:00");
    assert_eq!(last.body, "After the review meeting.");
    assert_eq!(last.change, ChangeKind::Modified);
    assert_eq!(last.short, last.hash[..7]);
    assert_eq!(last.path_at_commit, "content/a.md");
    let first = a.first().expect("a.md has commits");
    assert_eq!(
        (first.author.as_str(), first.change.clone()),
        (ANNA.0, ChangeKind::Added)
    );
    assert!(!a.dirty && !a.untracked && !a.truncated);
    assert_eq!(messages(file(&history, "content/b.md")), ["Add b"]);
    assert_eq!(messages(file(&history, "config.toml")), ["Add policy"]);
    assert_eq!(
        history.paths(),
        [
            Path::new("config.toml"),
            Path::new("content/a.md"),
            Path::new("content/b.md")
        ]
    );
}

#[test]
fn history_continues_across_a_rename() {
    let repo = Repo::new();
    repo.write(
        "content/old.md",
        "line one\nline two\nline three\nline four\n",
    );
    repo.commit(ANNA, "2025-01-01T10:00:00+00:00", "Add");
    repo.write(
        "content/old.md",
        "line one\nline two\nline three\nline four\nline five\n",
    );
    repo.commit(ANNA, "2025-01-02T10:00:00+00:00", "Edit");
    repo.git(&["mv", "content/old.md", "content/new.md"]);
    repo.commit(ANNA, "2025-01-03T10:00:00+00:00", "Rename");
    // A rename with an edit in the same commit is still a rename (> 50%).
    std::fs::create_dir_all(repo.path().join("content/sub")).expect("dir");
    repo.git(&["mv", "content/new.md", "content/sub/newest.md"]);
    repo.write(
        "content/sub/newest.md",
        "line one\nline two\nline three\nline four\nline 5\n",
    );
    repo.commit(BO, "2025-01-04T10:00:00+00:00", "Move and edit");

    let (history, diags) = repo.collect();
    assert!(diags.is_empty(), "{diags:?}");
    let f = file(&history, "content/sub/newest.md");
    assert_eq!(messages(f), ["Move and edit", "Rename", "Edit", "Add"]);
    let kinds: Vec<_> = f.commits.iter().map(|c| c.change.clone()).collect();
    assert_eq!(
        kinds,
        [
            ChangeKind::Renamed {
                from: "content/new.md".into()
            },
            ChangeKind::Renamed {
                from: "content/old.md".into()
            },
            ChangeKind::Modified,
            ChangeKind::Added,
        ]
    );
    let paths: Vec<_> = f
        .commits
        .iter()
        .map(|c| c.path_at_commit.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "content/sub/newest.md",
            "content/new.md",
            "content/old.md",
            "content/old.md"
        ]
    );
    assert!(history.file(Path::new("content/old.md")).is_none());
    assert!(history.file(Path::new("content/new.md")).is_none());
}

#[test]
fn a_change_on_a_merged_branch_counts_once_and_merge_resolutions_count() {
    let repo = Repo::new();
    repo.write("content/a.md", "a\n");
    repo.write("content/b.md", "b\n");
    repo.write("content/c.md", "c\n");
    repo.commit(ANNA, "2025-01-01T10:00:00+00:00", "Start");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("content/a.md", "a from feature\n");
    repo.write("content/c.md", "c from feature\n");
    repo.commit(BO, "2025-01-02T10:00:00+00:00", "Feature edit");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("content/b.md", "b on main\n");
    repo.write("content/c.md", "c on main\n");
    repo.commit(ANNA, "2025-01-03T10:00:00+00:00", "Main edit");
    // c.md conflicts; the merge resolves it to something neither side had.
    let merge = run_git(
        repo.path(),
        &["merge", "-q", "--no-commit", "feature"],
        ANNA,
        "2025-01-04T10:00:00+00:00",
    );
    assert!(!merge.status.success(), "the fixture merge must conflict");
    repo.write("content/c.md", "c resolved\n");
    repo.commit(ANNA, "2025-01-04T10:00:00+00:00", "Merge feature");

    let (history, diags) = repo.collect();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        messages(file(&history, "content/a.md")),
        ["Feature edit", "Start"]
    );
    assert_eq!(
        messages(file(&history, "content/b.md")),
        ["Main edit", "Start"]
    );
    assert_eq!(
        messages(file(&history, "content/c.md")),
        ["Merge feature", "Main edit", "Feature edit", "Start"]
    );
}

#[test]
fn shallow_clone_gives_partial_history_and_a_warning() {
    let origin = Repo::new();
    for (i, day) in ["01", "02", "03", "04"].iter().enumerate() {
        origin.write("content/a.md", &format!("version {i}\n"));
        origin.write("content/other.md", "unchanged\n");
        origin.commit(
            ANNA,
            &format!("2025-01-{day}T10:00:00+00:00"),
            &format!("Version {i}"),
        );
    }
    let clone = Repo::plain();
    let url = format!("file://{}", origin.path().display());
    let target = clone.path().join("site");
    git_in(
        clone.path(),
        &["clone", "-q", "--depth", "2", &url, "site"],
        ANNA,
        "2025-02-01T00:00:00+00:00",
    );

    let (history, diags) = collect_at(&target, &HistoryOptions::default());
    assert_eq!(codes(&diags), [SHALLOW]);
    assert!(history.shallow && history.available);
    let a = file(&history, "content/a.md");
    assert_eq!(messages(a), ["Version 3"]);
    assert!(a.truncated);
    let other = file(&history, "content/other.md");
    assert!(other.commits.is_empty() && other.truncated);
}

#[test]
fn dirty_and_untracked_files_are_flagged() {
    let repo = Repo::new();
    repo.write(".gitignore", "*.tmp\n");
    repo.write("content/a.md", "a\n");
    repo.write("content/b.md", "b\n");
    repo.write("content/gone.md", "gone\n");
    repo.commit(ANNA, "2025-01-01T10:00:00+00:00", "Start");
    repo.write("content/a.md", "a, edited but not committed\n");
    repo.write("content/new.md", "new\n");
    repo.write("content/scratch.tmp", "ignored\n");
    repo.write("content/staged.md", "staged\n");
    repo.git(&["add", "content/staged.md"]);
    std::fs::remove_file(repo.path().join("content/gone.md")).expect("fixture file removed");

    let (history, diags) = repo.collect();
    assert!(diags.is_empty(), "{diags:?}");
    let a = file(&history, "content/a.md");
    assert!(a.dirty && !a.untracked);
    assert_eq!(messages(a), ["Start"]);
    let b = file(&history, "content/b.md");
    assert!(!b.dirty && !b.untracked);
    let new = file(&history, "content/new.md");
    assert!(new.untracked && !new.dirty && new.commits.is_empty());
    assert!(file(&history, "content/staged.md").dirty);
    assert!(file(&history, "content/gone.md").dirty);
    assert!(history.file(Path::new("content/scratch.tmp")).is_none());
}

#[test]
fn outside_git_gives_an_empty_history_and_a_warning() {
    let dir = Repo::plain();
    dir.write("content/a.md", "a\n");
    let (history, diags) = dir.collect();
    assert_eq!(codes(&diags), [NOT_A_REPOSITORY]);
    assert!(!history.available);
    assert!(history.file(Path::new("content/a.md")).is_none());

    let off = HistoryOptions {
        enabled: false,
        ..HistoryOptions::default()
    };
    let (history, diags) = collect_at(dir.path(), &off);
    assert!(diags.is_empty() && !history.available);
}

#[test]
fn an_empty_repository_has_untracked_files_and_no_warning() {
    let repo = Repo::new();
    repo.write("content/a.md", "a\n");
    let (history, diags) = repo.collect();
    assert!(diags.is_empty(), "{diags:?}");
    assert!(history.available);
    let a = file(&history, "content/a.md");
    assert!(a.untracked && a.commits.is_empty());
}

#[test]
fn a_detached_head_reads_history_from_that_commit() {
    let repo = Repo::new();
    repo.write("content/a.md", "1\n");
    repo.commit(ANNA, "2025-01-01T10:00:00+00:00", "One");
    repo.write("content/a.md", "2\n");
    repo.commit(ANNA, "2025-01-02T10:00:00+00:00", "Two");
    repo.git(&["checkout", "-q", "--detach", "HEAD~1"]);
    let (history, diags) = repo.collect();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(messages(file(&history, "content/a.md")), ["One"]);
}

#[test]
fn a_site_in_a_subfolder_maps_paths() {
    let repo = Repo::new();
    repo.write("README.md", "readme\n");
    repo.write("docs/site/config.toml", "title = 'x'\n");
    repo.write("docs/site/content/a.md", "a\n");
    repo.write("docs/other/content/a.md", "not the site\n");
    repo.commit(ANNA, "2025-01-01T10:00:00+00:00", "Start");
    repo.write("README.md", "readme 2\n");
    repo.write("docs/other/content/a.md", "still not the site\n");
    repo.commit(ANNA, "2025-01-02T10:00:00+00:00", "Outside the site");
    repo.write("docs/site/content/a.md", "a 2\n");
    repo.commit(BO, "2025-01-03T10:00:00+00:00", "Inside the site");

    let (history, diags) = collect_at(&repo.path().join("docs/site"), &HistoryOptions::default());
    assert!(diags.is_empty(), "{diags:?}");
    let a = file(&history, "content/a.md");
    assert_eq!(messages(a), ["Inside the site", "Start"]);
    assert_eq!(a.commits[0].path_at_commit, "docs/site/content/a.md");
    assert_eq!(messages(file(&history, "config.toml")), ["Start"]);
    assert_eq!(
        history.paths(),
        [Path::new("config.toml"), Path::new("content/a.md")]
    );
    assert_eq!(
        history
            .content_at(&a.commits[1].hash, &a.commits[1].path_at_commit)
            .as_deref(),
        Some("a\n")
    );
}

fn five_versions() -> Repo {
    let repo = Repo::new();
    for day in 1..=5 {
        repo.write("content/a.md", &format!("version {day}\n"));
        repo.commit(
            ANNA,
            &format!("2025-01-0{day}T10:00:00+00:00"),
            &format!("Day {day}"),
        );
    }
    repo
}

#[test]
fn max_commits_and_since_limit_the_walk() {
    let repo = five_versions();
    let max = HistoryOptions {
        max_commits: Some(2),
        ..HistoryOptions::default()
    };
    let (history, diags) = collect_at(repo.path(), &max);
    assert!(diags.is_empty(), "{diags:?}");
    let a = file(&history, "content/a.md");
    assert_eq!(messages(a), ["Day 5", "Day 4"]);
    assert!(a.truncated);

    let since = HistoryOptions {
        since: NaiveDate::from_ymd_opt(2025, 1, 3),
        ..HistoryOptions::default()
    };
    let (history, _) = collect_at(repo.path(), &since);
    assert_eq!(
        messages(file(&history, "content/a.md")),
        ["Day 5", "Day 4", "Day 3"]
    );

    let (history, _) = repo.collect();
    assert!(!file(&history, "content/a.md").truncated);
}

#[test]
fn last_meaningful_skips_a_typo_commit() {
    let repo = Repo::new();
    repo.write("content/a.md", "Polcy\n");
    repo.commit(ANNA, "2025-01-01T10:00:00+00:00", "Add policy");
    repo.write("content/a.md", "Policy\n");
    repo.commit(BO, "2025-01-02T10:00:00+00:00", "Typo in heading");
    let (history, _) = repo.collect();
    let a = file(&history, "content/a.md");
    let ignore = HistoryOptions::default()
        .ignore_regex()
        .expect("the default pattern compiles");
    assert_eq!(
        a.last().map(|c| c.message.as_str()),
        Some("Typo in heading")
    );
    assert_eq!(
        a.last_meaningful(&ignore).map(|c| c.message.as_str()),
        Some("Add policy")
    );
}

#[test]
fn content_at_and_state_as_of_read_old_versions() {
    let repo = Repo::new();
    repo.write("content/a.md", "v1\n");
    repo.write("content/gone.md", "soon gone\n");
    repo.commit(ANNA, "2025-01-10T10:00:00+01:00", "Version 1");
    repo.write("content/a.md", "v2\n");
    repo.commit(ANNA, "2025-03-01T10:00:00+01:00", "Version 2");
    repo.git(&["mv", "content/a.md", "content/b.md"]);
    repo.git(&["rm", "-q", "content/gone.md"]);
    repo.commit(ANNA, "2025-04-01T10:00:00+02:00", "Rename, remove");

    let (history, _) = repo.collect();
    let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).expect("valid date");
    let b = Path::new("content/b.md");
    assert!(history.state_as_of(b, day(1, 9)).is_none());
    let (commit, text) = history
        .state_as_of(b, day(1, 10))
        .expect("in force on 10 January");
    assert_eq!(
        (commit.message.as_str(), text.as_deref()),
        ("Version 1", Some("v1\n"))
    );
    let (commit, text) = history
        .state_as_of(b, day(3, 15))
        .expect("in force in March");
    assert_eq!(
        (commit.message.as_str(), text.as_deref()),
        ("Version 2", Some("v2\n"))
    );
    assert_eq!(commit.path_at_commit, "content/a.md");
    let (_, text) = history
        .state_as_of(b, day(6, 30))
        .expect("in force in June");
    assert_eq!(text.as_deref(), Some("v2\n"));

    let gone = Path::new("content/gone.md");
    assert!(history.paths().contains(&gone));
    let (commit, text) = history
        .state_as_of(gone, day(6, 30))
        .expect("deleted by June");
    assert_eq!((commit.change, text), (ChangeKind::Deleted, None));
    assert_eq!(
        history
            .state_as_of(gone, day(2, 1))
            .and_then(|(_, t)| t)
            .as_deref(),
        Some("soon gone\n")
    );
    let first = &file(&history, "content/b.md").commits[2];
    assert_eq!(
        history.content_at(&first.hash, "content/a.md").as_deref(),
        Some("v1\n")
    );
    assert_eq!(history.content_at(&first.hash, "content/nothing.md"), None);
    assert_eq!(history.content_at("not a hash", "content/a.md"), None);
}

#[test]
fn from_facts_serves_files_without_git() {
    let facts = FileHistory {
        dirty: true,
        ..FileHistory::default()
    };
    let history = History::from_facts(vec![(PathBuf::from("content/a.md"), facts)]);
    assert!(history.available);
    assert!(file(&history, "./content/a.md").dirty);
    assert_eq!(history.content_at("0000000", "content/a.md"), None);
}

fn options_from(text: &str) -> (HistoryOptions, Vec<&'static str>) {
    let config = Config::from_str_for_tests(text).expect("the test config parses");
    let diags = Diagnostics::new();
    let options = options(&config, &diags);
    (options, codes(&diags.sorted()))
}

#[test]
fn options_come_from_handbook_history() {
    let (defaults, found) = options_from("base_url = '/'\n");
    assert_eq!((defaults, found), (HistoryOptions::default(), vec![]));

    let text = "base_url = '/'\n[handbook.history]\nenabled = false\nmax_commits = 500\n\
                since = 2020-01-01\nignore = '^(wip)'\nwithhold_authors = true\n";
    let (set, found) = options_from(text);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(
        set,
        HistoryOptions {
            enabled: false,
            max_commits: Some(500),
            since: NaiveDate::from_ymd_opt(2020, 1, 1),
            ignore_pattern: Some("^(wip)".into()),
            withhold_authors: true,
        }
    );

    let bad = "base_url = '/'\n[handbook.history]\nmax_commits = 0\nsince = 'soon'\n\
               ignore = '('\nenabeld = true\n";
    let (resolved, found) = options_from(bad);
    assert_eq!(resolved, HistoryOptions::default());
    assert_eq!(
        found,
        [
            INVALID_SETTING,
            INVALID_SETTING,
            INVALID_SETTING,
            UNKNOWN_SETTING
        ]
    );
}

#[test]
fn readers_see_trailers_only_when_the_handbook_asks_for_them() {
    let config = |extra: &str| {
        Config::from_str_for_tests(&format!("base_url = '/'\n[handbook.history]\n{extra}"))
            .expect("the test config parses")
    };
    assert_eq!(reader_trailer(&config("")), None);
    assert_eq!(reader_trailer(&config("messages = 'all'\n")), None);
    assert_eq!(
        reader_trailer(&config("messages = 'trailer'\n")).as_deref(),
        Some("Ändring")
    );
    assert_eq!(
        reader_trailer(&config("messages = 'trailer'\ntrailer = 'Change'\n")).as_deref(),
        Some("Change")
    );
    let (_, found) =
        options_from("base_url = '/'\n[handbook.history]\nmessages = 'some'\ntrailer = 'a:b'\n");
    assert_eq!(found, [INVALID_SETTING, INVALID_SETTING]);
}

#[test]
fn a_trailer_is_read_from_its_own_line_whatever_its_case() {
    let body = "Longer explanation.\n\nändring: Nya krav på lösenord\nSigned-off-by: Ida";
    assert_eq!(
        trailer_value(body, "Ändring").as_deref(),
        Some("Nya krav på lösenord")
    );
    assert_eq!(trailer_value("Ändringen gjordes i dag", "Ändring"), None);
    assert_eq!(trailer_value("Ändring:   ", "Ändring"), None);
}

#[test]
fn serve_can_refresh_work_tree_flags_without_rereading_history() {
    let repo = Repo::new();
    repo.write("content/a.md", "a\n");
    repo.commit(ANNA, "2025-01-01T10:00:00+00:00", "Start");
    let (mut history, _) = repo.collect();
    assert!(history.is_current());
    assert!(!file(&history, "content/a.md").dirty);

    repo.write("content/a.md", "a, edited\n");
    repo.write("content/new.md", "new\n");
    history.refresh_work_tree(repo.path());
    assert!(file(&history, "content/a.md").dirty);
    assert!(file(&history, "content/new.md").untracked);
    assert!(history.is_current());

    std::fs::remove_file(repo.path().join("content/new.md")).expect("fixture file removed");
    history.refresh_work_tree(repo.path());
    assert!(history.file(Path::new("content/new.md")).is_none());

    repo.commit(ANNA, "2025-01-02T10:00:00+00:00", "Edit");
    assert!(!history.is_current());
    assert!(!History::empty().is_current());
}
