//! `TestSite`: a fixture site copied into a temporary folder, built with
//! the real binary, with helpers to read what came out.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The config of [`TestSite::minimal`].
pub(crate) const MINIMAL_CONFIG: &str = "base_url = \"https://example.org\"\n";

/// A site in its own temporary folder.
pub(crate) struct TestSite {
    _dir: tempfile::TempDir,
    pub(crate) root: PathBuf,
}

/// The outcome of running the binary.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry
            .path()
            .strip_prefix(from)
            .expect("walkdir yields paths under its root");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create fixture folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

impl TestSite {
    /// Copies `tests/fixtures/<name>` into a temporary folder.
    pub(crate) fn from_fixture(name: &str) -> TestSite {
        let site = TestSite::empty();
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        assert!(from.is_dir(), "no fixture {}", from.display());
        copy_dir(&from, &site.root);
        site
    }

    /// An empty site folder with a minimal config.
    pub(crate) fn empty() -> TestSite {
        let dir = tempfile::Builder::new()
            .prefix("site")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("temporary folder");
        let root = dir.path().to_path_buf();
        TestSite { _dir: dir, root }
    }

    /// An empty site folder in the system's temporary folder, outside the
    /// project's git repository.
    pub(crate) fn outside_any_repository() -> TestSite {
        let dir = tempfile::Builder::new()
            .prefix("site")
            .tempdir()
            .expect("temporary folder");
        let root = dir.path().to_path_buf();
        TestSite { _dir: dir, root }
    }

    /// The smallest site that builds: one page and plain templates.
    pub(crate) fn minimal() -> TestSite {
        TestSite::with_files(&[
            ("config.toml", MINIMAL_CONFIG),
            (
                "templates/page.html",
                "<main>{{ page.content | safe }}</main>",
            ),
            (
                "templates/index.html",
                "<main>{{ section.content | safe }}</main>",
            ),
            (
                "templates/section.html",
                "<main>{{ section.content | safe }}</main>",
            ),
            ("content/a.md", "+++\ntitle = \"A\"\n+++\nHej"),
        ])
    }

    /// A site with just these files (path, text).
    pub(crate) fn with_files(files: &[(&str, &str)]) -> TestSite {
        let site = TestSite::empty();
        for (path, text) in files {
            site.write(path, text);
        }
        site
    }

    /// A copy of the bundled handbook: its content, themes and config.
    pub(crate) fn bundled() -> TestSite {
        let s = TestSite::empty();
        for folder in ["content", "themes"] {
            s.copy_in(Path::new(folder), folder);
        }
        let config =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml"))
                .expect("the bundled config");
        s.write("config.toml", &config);
        s
    }

    /// Copies a folder (absolute, or relative to the project) into the
    /// site at `to`, over what is there.
    pub(crate) fn copy_in(&self, from: &Path, to: &str) {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(from);
        assert!(from.is_dir(), "no folder {}", from.display());
        copy_dir(&from, &self.root.join(to));
    }

    /// Writes (or overwrites) a file of the site.
    pub(crate) fn write(&self, path: &str, text: &str) {
        let p = self.root.join(path);
        std::fs::create_dir_all(p.parent().expect("file has a parent")).expect("create folder");
        std::fs::write(p, text).expect("write file");
    }

    /// Runs the binary in the site root, hermetically.
    pub(crate) fn run_cli(&self, args: &[&str]) -> Run {
        self.run_cli_env(args, &[])
    }

    /// [`TestSite::run_cli`] with these environment variables set.
    pub(crate) fn run_cli_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = Command::cargo_bin("handbok").expect("binary built");
        // Git variables of whoever runs the tests (a hook's GIT_DIR, say)
        // would point history at another repository.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("GIT_") {
                command.env_remove(key);
            }
        }
        let out = command
            .current_dir(&self.root)
            .args(args)
            .env_remove("RUST_LOG")
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .env("LC_ALL", "C")
            .envs(env.iter().copied())
            .output()
            .expect("run handbok");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `handbok build`, asserting success.
    pub(crate) fn build(&self) -> Run {
        let run = self.run_cli(&["build"]);
        assert_eq!(run.code, 0, "build failed:\n{}\n{}", run.stdout, run.stderr);
        run
    }

    /// A file of the output folder.
    pub(crate) fn output(&self, path: &str) -> String {
        let p = self.root.join("public").join(path);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    /// True if the output folder has this file.
    pub(crate) fn has_output(&self, path: &str) -> bool {
        self.root.join("public").join(path).is_file()
    }

    /// Every file of the output, as sorted relative paths (marker excluded).
    pub(crate) fn output_paths(&self) -> Vec<String> {
        let out = self.root.join("public");
        let mut paths: Vec<String> = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&out)
                    .expect("under output")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .filter(|p| p != ".handbok-output")
            .collect();
        paths.sort();
        paths
    }

    /// Only the `<main>` element of an output page.
    pub(crate) fn main_html(&self, path: &str) -> String {
        let html = self.output(path);
        let start = html.find("<main").unwrap_or(0);
        let end = html
            .rfind("</main>")
            .map(|i| i + "</main>".len())
            .unwrap_or(html.len());
        html[start..end].to_string()
    }
}

/// Runs git in the site with a fixed author, committer and date, so that
/// history tests see the same commits on every run.
pub(crate) fn git(site: &TestSite, args: &[&str], date: &str) {
    let status = std::process::Command::new("git")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(&site.root)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env("GIT_AUTHOR_NAME", "Ida Isam")
        .env("GIT_AUTHOR_EMAIL", "isam@example.se")
        .env("GIT_COMMITTER_NAME", "Ida Isam")
        .env("GIT_COMMITTER_EMAIL", "isam@example.se")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?}");
}

/// Every file under `dir` by relative path, without the output marker.
pub(crate) fn files_in(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .into_owned();
            (rel != ".handbok-output").then(|| (rel, std::fs::read(e.path()).unwrap_or_default()))
        })
        .collect()
}

/// One way to build a site for [`TestSite::assert_builds_alike`]: the
/// output folder's name and the environment.
pub(crate) struct Way<'a> {
    pub(crate) out: &'a str,
    pub(crate) env: &'a [(&'a str, &'a str)],
}

impl TestSite {
    /// Builds the site two ways (on a fixed day), asserts both succeed and
    /// give the same files byte for byte, and gives the first build's run
    /// and files: for switches that must change how a build works, never
    /// what it writes.
    pub(crate) fn assert_builds_alike(
        &self,
        first: Way<'_>,
        second: Way<'_>,
    ) -> (Run, std::collections::BTreeMap<String, Vec<u8>>) {
        let build = |way: &Way<'_>| {
            let run = self.run_cli_env(&["build", "--today", "2026-06-01", "-o", way.out], way.env);
            assert_eq!(run.code, 0, "{}", run.stderr);
            run
        };
        let (run, _) = (build(&first), build(&second));
        let a = files_in(&self.root.join(first.out));
        let b = files_in(&self.root.join(second.out));
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (path, bytes) in &a {
            assert!(
                bytes == &b[path],
                "{path} differs:\n--- {}\n{}\n--- {}\n{}",
                first.out,
                String::from_utf8_lossy(bytes),
                second.out,
                String::from_utf8_lossy(&b[path])
            );
        }
        (run, a)
    }
}
