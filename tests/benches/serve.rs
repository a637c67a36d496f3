//! `handbok serve` latency: the time from a file write to the updated file
//! being served (a body edit, a title edit, a static file edit), on a copy
//! of the bundled handbook and on synthetic handbooks of both shapes (see
//! `synth.rs`), beside a full in-memory rebuild timed in the same run. A plain `main` that prints a table (not a timed test: these
//! machines are noisy).
//!
//! Run: `cargo bench --bench serve` (add page counts to choose the
//! synthetic sizes, e.g. `-- 1000 10000`; `0` skips them).

#[path = "synth.rs"]
mod synth;

use handbok::pipeline::{self, BuildOptions, Mode};
use handbok::serve::{self, ServeOptions};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The debounce used here; it is part of every edit figure.
const DEBOUNCE: Duration = Duration::from_millis(10);
const ROUNDS: usize = 3;

fn get(addr: SocketAddr, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return String::new();
    };
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let mut body = String::new();
    let _ = s.read_to_string(&mut body);
    body
}

/// Writes `text` to `file`, then polls `url` until it contains `marker`.
fn edit_and_wait(addr: SocketAddr, file: &Path, text: &str, url: &str, marker: &str) -> Duration {
    let start = Instant::now();
    std::fs::write(file, text).expect("write the edit");
    loop {
        if get(addr, url).contains(marker) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(600),
            "{url} never updated"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// How the server says it rebuilt last: (strategy, milliseconds).
fn last_rebuild(addr: SocketAddr) -> (String, f64) {
    let response = get(addr, "/__handbok/status");
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("");
    let status: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    (
        status["last"]["strategy"]
            .as_str()
            .unwrap_or("?")
            .to_string(),
        status["last"]["millis"].as_f64().unwrap_or(f64::NAN),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).expect("under the root");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create a folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

struct Case {
    name: String,
    root: PathBuf,
    /// Content file to edit, its URL.
    page: (PathBuf, String),
    /// Static file to edit, its URL.
    asset: Option<(PathBuf, String)>,
    /// A line of the page's front matter to change (its title), if it has
    /// one: a front-matter edit.
    title: Option<String>,
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn best(times: &[Duration]) -> Duration {
    times.iter().copied().min().unwrap_or_default()
}

fn run(case: &Case) {
    let build = BuildOptions {
        root: case.root.clone(),
        mode: Mode::Serve,
        base_url: Some("http://127.0.0.1:1".into()),
        ..BuildOptions::default()
    };
    let full = (0..2)
        .map(|_| {
            let start = Instant::now();
            let (site, report) = pipeline::render_site(&build).expect("a full build");
            assert!(site.is_some(), "{:?}", report.diagnostics.first());
            start.elapsed()
        })
        .min()
        .unwrap_or_default();
    let (ready_tx, ready) = mpsc::channel();
    let (stop, stop_rx) = mpsc::channel::<()>();
    let options = ServeOptions {
        build: BuildOptions {
            root: case.root.clone(),
            ..BuildOptions::default()
        },
        port: 0,
        debounce: DEBOUNCE,
        ..ServeOptions::default()
    };
    let server = std::thread::spawn(move || serve::run(options, ready_tx, stop_rx));
    let addr = ready.recv().expect("the server starts");
    let original = std::fs::read_to_string(&case.page.0).expect("read the page");
    let mut strategies = Vec::new();
    let page: Vec<Duration> = (0..ROUNDS)
        .map(|i| {
            let marker = format!("benchmark-edit-{i}");
            let text = format!("{original}\n\n{marker}\n");
            let took = edit_and_wait(addr, &case.page.0, &text, &case.page.1, &marker);
            strategies.push(last_rebuild(addr));
            took
        })
        .collect();
    let front_matter: Vec<Duration> = case
        .title
        .iter()
        .flat_map(|line| {
            (0..ROUNDS)
                .map(|i| {
                    let marker = format!("titel-{i}");
                    let edited = original.replacen(
                        line.as_str(),
                        &format!("{}-{marker}\"", line.trim_end_matches('"')),
                        1,
                    );
                    let took = edit_and_wait(addr, &case.page.0, &edited, &case.page.1, &marker);
                    strategies.push(last_rebuild(addr));
                    took
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let _ = std::fs::write(&case.page.0, &original);
    let rebuild = strategies
        .iter()
        .map(|(s, ms)| format!("{s} {ms:.0} ms"))
        .collect::<Vec<_>>()
        .join(", ");
    let asset: Vec<Duration> = case
        .asset
        .iter()
        .flat_map(|(file, url)| {
            let original = std::fs::read_to_string(file).expect("read the asset");
            (0..ROUNDS)
                .map(|i| {
                    let marker = format!("/* benchmark-edit-{i} */");
                    edit_and_wait(addr, file, &format!("{original}\n{marker}\n"), url, &marker)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    drop(stop);
    let _ = server.join();
    let best_or_dash = |times: &[Duration]| {
        if times.is_empty() {
            "-".into()
        } else {
            ms(best(times))
        }
    };
    println!(
        "{:<22} {:>12} {:>12} {:>14} {:>12}   {rebuild}",
        case.name,
        ms(full),
        ms(best(&page)),
        best_or_dash(&front_matter),
        best_or_dash(&asset),
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000]
    } else {
        sizes
    };
    println!(
        "debounce {} ms; best of {ROUNDS} edits; full = best of 2 in-memory builds",
        DEBOUNCE.as_millis()
    );
    println!(
        "{:<22} {:>12} {:>12} {:>14} {:>12}   edits as the server did them",
        "site", "full build", "body edit", "title edit", "static edit"
    );
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bundled = tempfile::tempdir().expect("a temporary folder");
    for part in ["config.toml", "content", "themes", "static"] {
        let from = repo.join(part);
        if from.is_dir() {
            copy_dir(&from, &bundled.path().join(part));
        } else if from.is_file() {
            std::fs::copy(&from, bundled.path().join(part)).expect("copy the config");
        }
    }
    run(&Case {
        name: "bundled handbook".into(),
        root: bundled.path().to_path_buf(),
        page: (
            bundled.path().join("content/kontakt.md"),
            "/kontakt/".into(),
        ),
        asset: Some((
            bundled.path().join("themes/handbok/static/handbok.css"),
            "/handbok.css".into(),
        )),
        title: None,
    });
    let shapes = [synth::Shape::Real, synth::Shape::Plain];
    for (pages, shape) in sizes
        .into_iter()
        .filter(|p| *p > 0)
        .flat_map(|p| shapes.map(|s| (p, s)))
    {
        let dir = tempfile::tempdir().expect("a temporary folder");
        synth::generate_shaped(dir.path(), pages, shape).expect("generate the synthetic site");
        std::fs::create_dir_all(dir.path().join("static")).expect("a static folder");
        std::fs::write(dir.path().join("static/site.css"), "body { margin: 0 }\n")
            .expect("a style sheet");
        run(&Case {
            name: format!("{} {pages}", shape.name()),
            root: dir.path().to_path_buf(),
            page: (
                dir.path().join("content/omrade-0/del-0/sida-0.md"),
                "/omrade-0/del-0/sida-0/".into(),
            ),
            asset: Some((dir.path().join("static/site.css"), "/site.css".into())),
            title: Some("title = \"Rutin 0\"".into()),
        });
    }
}
