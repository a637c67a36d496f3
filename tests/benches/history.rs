//! History-reading benchmark: a synthetic repository of 10 000 files and
//! 5 000 commits (edits, renames, additions, deletions; generated
//! deterministically with `git fast-import`), read by `history::collect`
//! and by `git log --name-status` in the same run, reported as a ratio
//! (these machines are noisy; absolute times mean little).
//!
//! Run: `cargo bench --bench history` (add `-- FILES COMMITS` to change the
//! size). The repository is kept under the target directory and reused.
//! For repeatable counts on a busy machine, run one side once under a
//! profiler: `-- FILES COMMITS history` or `-- FILES COMMITS git`, e.g.
//! `perf stat -e instructions:u target/release/deps/history-* 10000 5000 history`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SECTIONS: usize = 100;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let mut sizes = args.iter().filter_map(|a| a.parse::<usize>().ok());
    let files = sizes.next().unwrap_or(10_000);
    let commits = sizes.next().unwrap_or(5_000);
    let only = args
        .iter()
        .find(|a| a.parse::<usize>().is_err())
        .map(String::as_str);
    let root = std::env::var_os("CARGO_TARGET_TMPDIR")
        .map(PathBuf::from)
        .or_else(|| option_env!("CARGO_TARGET_TMPDIR").map(PathBuf::from))
        .unwrap_or_else(std::env::temp_dir)
        .join(format!("history-bench-{files}-{commits}"));
    let started = Instant::now();
    if !root.join(".done").exists() {
        generate(&root, files, commits);
    }
    eprintln!(
        "repository: {} ({files} files, {commits} commits) ready in {:.1?}",
        root.display(),
        started.elapsed()
    );

    match only {
        Some("history") => {
            println!("{} file-commit facts", handbok::bench_collect(&root));
            return;
        }
        Some("git") => {
            println!("{} lines", git_log(&root));
            return;
        }
        _ => {}
    }
    // Warm the page cache for both before timing.
    let facts = handbok::bench_collect(&root);
    let lines = git_log(&root);
    let ours = best_of(3, || {
        std::hint::black_box(handbok::bench_collect(&root));
    });
    let theirs = best_of(3, || {
        std::hint::black_box(git_log(&root));
    });
    println!("| reader | best of 3 | output |");
    println!("| --- | ---: | ---: |");
    println!("| history::collect | {ours:.2?} | {facts} file-commit facts |");
    println!("| git log --name-status | {theirs:.2?} | {lines} lines |");
    println!(
        "ratio history::collect / git log = {:.2}",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
}

fn best_of(n: usize, mut run: impl FnMut()) -> Duration {
    (0..n)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// `git` with fixed identity and no system or global configuration.
fn git(dir: &Path) -> Command {
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
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.se")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.se");
    cmd
}

fn run(mut cmd: Command) {
    let status = cmd.status().expect("git is installed");
    assert!(status.success(), "{cmd:?} failed");
}

/// Lines of `git log --name-status` (rename detection on, as by default).
fn git_log(root: &Path) -> usize {
    let out = git(root)
        .args([
            "log",
            "--name-status",
            "--format=%H%x09%an%x09%ae%x09%aI%x09%s",
        ])
        .stderr(Stdio::inherit())
        .output()
        .expect("git is installed");
    assert!(out.status.success(), "git log failed");
    out.stdout.iter().filter(|&&b| b == b'\n').count()
}

/// A small deterministic generator (64-bit LCG), so every run builds the
/// same repository.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn page(n: usize, version: usize) -> String {
    let mut text = format!(
        "+++\ntitle = \"Dokument {n}\"\n[extra]\nowner = \"roll-{}\"\n+++\n\n",
        n % 17
    );
    for para in 0..6 {
        let _ = writeln!(
            text,
            "Stycke {para} i dokument {n} beskriver ansvar och rutiner för informationssäkerhet.\n"
        );
    }
    let _ = writeln!(text, "Version {version}.");
    text
}

fn data(out: &mut Vec<u8>, bytes: &[u8]) {
    let _ = writeln!(out, "data {}", bytes.len());
    out.extend_from_slice(bytes);
    out.push(b'\n');
}

/// Builds the repository with one `git fast-import` stream, then checks it
/// out and packs it like a clone.
fn generate(root: &Path, files: usize, commits: usize) {
    if root.exists() {
        std::fs::remove_dir_all(root).expect("an old bench repository can be removed");
    }
    std::fs::create_dir_all(root).expect("the bench directory can be created");
    run({
        let mut c = git(root);
        c.args(["init", "-q"]);
        c
    });
    let mut rng = Lcg(42);
    // (path, document number, version)
    let mut live: Vec<(String, usize, usize)> = (0..files)
        .map(|n| (format!("content/s{:02}/doc{n:05}.md", n % SECTIONS), n, 0))
        .collect();
    let mut next_doc = files;
    let mut stream = Vec::new();
    for i in 0..commits {
        let time = 1_600_000_000 + i as u64 * 3_600;
        let _ = writeln!(stream, "commit refs/heads/main");
        let _ = writeln!(stream, "author Bench <bench@example.se> {time} +0100");
        let _ = writeln!(stream, "committer Bench <bench@example.se> {time} +0100");
        let mut ops = Vec::new();
        let message = if i == 0 {
            let _ = writeln!(ops, "M 100644 inline config.toml");
            data(&mut ops, b"base_url = \"/\"\ntitle = \"Bench\"\n");
            for (path, n, v) in &live {
                let _ = writeln!(ops, "M 100644 inline {path}");
                data(&mut ops, page(*n, *v).as_bytes());
            }
            "Initial import".to_string()
        } else if i % 25 == 0 {
            let at = rng.below(live.len());
            let (old, n, v) = live[at].clone();
            let new = format!("content/s{:02}/moved-{n:05}-{i}.md", rng.below(SECTIONS));
            let _ = writeln!(ops, "R {old} {new}");
            if i % 50 == 0 {
                // A rename with an edit: found by similarity, not by id.
                let _ = writeln!(ops, "M 100644 inline {new}");
                data(&mut ops, page(n, v + 1).as_bytes());
                live[at] = (new, n, v + 1);
            } else {
                live[at] = (new, n, v);
            }
            format!("Move document {n}")
        } else if i % 100 == 1 {
            let path = format!("content/s{:02}/new{next_doc:05}.md", next_doc % SECTIONS);
            let _ = writeln!(ops, "M 100644 inline {path}");
            data(&mut ops, page(next_doc, 0).as_bytes());
            live.push((path, next_doc, 0));
            next_doc += 1;
            "Add a document".to_string()
        } else if i % 200 == 2 {
            let (path, n, _) = live.swap_remove(rng.below(live.len()));
            let _ = writeln!(ops, "D {path}");
            format!("Remove document {n}")
        } else {
            let touched = 1 + rng.below(4);
            for _ in 0..touched {
                let at = rng.below(live.len());
                live[at].2 += 1;
                let (path, n, v) = &live[at];
                let _ = writeln!(ops, "M 100644 inline {path}");
                data(&mut ops, page(*n, *v).as_bytes());
            }
            if i % 10 == 0 {
                "Typo".to_string()
            } else {
                format!("Update {touched} documents")
            }
        };
        data(&mut stream, message.as_bytes());
        stream.extend_from_slice(&ops);
        stream.push(b'\n');
    }
    let mut child = git(root)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(&stream)
        .expect("the stream is written");
    assert!(child.wait().expect("fast-import ends").success());
    // `repack -f` computes fresh deltas as a server does for a clone;
    // fast-import's own deltas run from each version to the one before it,
    // the reverse of a clone's, and gix caches only the objects it was asked
    // for, not the bases it passed on the way, so reading newest first
    // re-inflates whole delta chains (about twice the time on such a pack).
    for args in [
        &["reset", "-q", "--hard", "main"][..],
        &["repack", "-q", "-a", "-d", "-f"][..],
    ] {
        run({
            let mut c = git(root);
            c.args(args);
            c
        });
    }
    std::fs::write(root.join(".done"), "").expect("the marker can be written");
}
