//! Whole-build benchmark on synthetic handbooks, beside Zola and Hugo when
//! they are installed, and beside the I/O floor.
//!
//! Three shapes of site (see `synth.rs`): `real`, shaped like the themes
//! people use (navigation from `get_section` on every page, tables of
//! contents, two taxonomies whose terms list thousands of pages), and
//! `plain`, bare templates that measure the engine alone; both build with
//! Zola too, and the real shape is the one that counts in comparisons.
//! `handbook` is the real shape's content with the bundled theme and
//! handbook settings (register, matrix, role pages, glossary, search):
//! handbok alone, against the floor, to keep the theme's own cost in view
//! as a handbook grows.
//!
//! Runs alternate between the tools, so all see the same machine; each
//! figure is the median of `ROUNDS` builds after one untimed build, and
//! the table gives ratios to handbok (these machines are noisy; absolute
//! times mean little). Wall time, CPU time (user + system) and peak
//! resident memory come from GNU time (`/usr/bin/time`).
//!
//! The floor is what any generator must do: read every input file and
//! write handbok's output bytes into an emptied folder.
//!
//! Run: `cargo bench --bench build -- [SIZES…] [--shape real|plain|handbook|all]
//! [--rounds N] [--keep DIR]`, e.g. `ZOLA=/path/to/zola cargo bench --bench
//! build -- 1000 10000 50000`. Zola comes from `$ZOLA` or `PATH`, Hugo from
//! `$HUGO` or `PATH` (Debian's `hugo` package); a tool that is missing is
//! left out of the table. Hugo gets the same site in its own layout, for
//! the real shape only. `--keep DIR` leaves the generated sites there.

#[path = "synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// One measured run.
#[derive(Clone, Copy, Debug)]
struct Run {
    wall: Duration,
    cpu: Option<Duration>,
    rss_kib: Option<u64>,
}

/// Runs `program args…` in `dir` under GNU time, or returns why not.
fn timed(program: &str, args: &[&str], dir: &Path) -> Result<Run, String> {
    let gnu_time = Path::new("/usr/bin/time").exists();
    let mut cmd = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "handbok-bench maxrss=%M user=%U sys=%S", program]);
        c
    } else {
        Command::new(program)
    };
    cmd.current_dir(dir).args(args);
    let start = Instant::now();
    let output = cmd.output().map_err(|e| format!("{program}: {e}"))?;
    let wall = start.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
        return Err(format!(
            "{program} failed:\n{}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        ));
    }
    let line = stderr
        .lines()
        .rev()
        .find(|l| l.starts_with("handbok-bench "))
        .unwrap_or("");
    let field = |name: &str| {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(name))
            .and_then(|v| v.parse::<f64>().ok())
    };
    let cpu = match (field("user="), field("sys=")) {
        (Some(u), Some(s)) => Some(Duration::from_secs_f64(u + s)),
        _ => None,
    };
    Ok(Run {
        wall,
        cpu,
        rss_kib: field("maxrss=").map(|k| k as u64),
    })
}

/// What can be measured: a generator, or the floor.
enum Tool {
    Handbok(String),
    Zola(String),
    Hugo(String),
    Floor,
}

impl Tool {
    fn name(&self) -> &'static str {
        match self {
            Tool::Handbok(_) => "handbok",
            Tool::Zola(_) => "zola",
            Tool::Hugo(_) => "hugo",
            Tool::Floor => "floor",
        }
    }

    fn run(&self, site: &Site) -> Result<Run, String> {
        match self {
            Tool::Handbok(bin) => timed(bin, &["build", "-o", "out-handbok", "-f"], &site.zola),
            Tool::Zola(bin) => timed(bin, &["build", "-o", "out-zola", "-f"], &site.zola),
            Tool::Hugo(bin) => match &site.hugo {
                Some(dir) => timed(bin, &["--quiet", "-d", "out-hugo"], dir),
                None => Err("no Hugo layout for this shape".into()),
            },
            Tool::Floor => floor(&site.zola),
        }
    }
}

/// Reads every input file, then writes handbok's output bytes into an
/// emptied folder: the I/O any generator does, with no work in between.
fn floor(root: &Path) -> Result<Run, String> {
    let output: Vec<(PathBuf, Vec<u8>)> = files_under(&root.join("out-handbok"))
        .into_iter()
        .map(|(rel, path)| (rel, std::fs::read(path).unwrap_or_default()))
        .collect();
    if output.is_empty() {
        return Err("no handbok output to copy".into());
    }
    let target = root.join("out-floor");
    let start = Instant::now();
    let mut read = 0usize;
    for dir in ["content", "templates", "config.toml"] {
        for (_, path) in files_under(&root.join(dir)) {
            read += std::fs::read(path).map(|b| b.len()).unwrap_or(0);
        }
    }
    std::hint::black_box(read);
    let _ = std::fs::remove_dir_all(&target);
    for (rel, bytes) in &output {
        let path = target.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    }
    Ok(Run {
        wall: start.elapsed(),
        cpu: None,
        rss_kib: None,
    })
}

/// Every file under `dir` (or `dir` itself if it is a file), with its
/// path relative to `dir`.
fn files_under(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    if dir.is_file() {
        return vec![(PathBuf::new(), dir.to_path_buf())];
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push((rel.to_path_buf(), path.clone()));
            }
        }
    }
    out
}

/// A generated site: the Zola layout (which handbok builds too) and, for
/// the real shape, the same site in Hugo's layout.
struct Site {
    zola: PathBuf,
    hugo: Option<PathBuf>,
}

fn on_path(tool: &str, flag: &str) -> bool {
    Command::new(tool)
        .arg(flag)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn median<T: Copy + Ord>(mut v: Vec<T>) -> Option<T> {
    v.sort();
    v.get(v.len() / 2).copied()
}

fn secs(d: Option<Duration>) -> String {
    d.map(|d| {
        let s = d.as_secs_f64();
        if s < 10.0 {
            format!("{:.0} ms", s * 1000.0)
        } else {
            format!("{s:.1} s")
        }
    })
    .unwrap_or_else(|| "-".into())
}

fn mib(kib: Option<u64>) -> String {
    kib.map(|k| format!("{} MiB", k / 1024))
        .unwrap_or_else(|| "-".into())
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
        _ => "-".into(),
    }
}

/// The medians of one tool on one site.
struct Figures {
    wall: Option<Duration>,
    cpu: Option<Duration>,
    rss: Option<u64>,
}

struct Args {
    sizes: Vec<usize>,
    shapes: Vec<synth::Shape>,
    rounds: usize,
    keep: Option<PathBuf>,
}

const ALL_SHAPES: [synth::Shape; 3] = [
    synth::Shape::Real,
    synth::Shape::Plain,
    synth::Shape::Handbook,
];

fn parse_args() -> Args {
    let mut args = Args {
        sizes: vec![],
        shapes: ALL_SHAPES.to_vec(),
        rounds: 3,
        keep: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--shape" => {
                args.shapes = match it.next().as_deref() {
                    Some("real") => vec![synth::Shape::Real],
                    Some("plain") => vec![synth::Shape::Plain],
                    Some("handbook") => vec![synth::Shape::Handbook],
                    _ => ALL_SHAPES.to_vec(),
                }
            }
            "--rounds" => args.rounds = it.next().and_then(|n| n.parse().ok()).unwrap_or(3),
            "--keep" => args.keep = it.next().map(PathBuf::from),
            other => {
                if let Ok(n) = other.parse() {
                    args.sizes.push(n);
                }
            }
        }
    }
    if args.sizes.is_empty() {
        args.sizes = vec![1000, 10000];
    }
    args.rounds = args.rounds.max(1);
    args
}

fn main() {
    let args = parse_args();
    let handbok = env!("CARGO_BIN_EXE_handbok").to_string();
    let zola = std::env::var("ZOLA").unwrap_or_else(|_| "zola".into());
    let hugo = std::env::var("HUGO").unwrap_or_else(|_| "hugo".into());
    let mut tools = vec![Tool::Handbok(handbok)];
    if on_path(&zola, "--version") {
        tools.push(Tool::Zola(zola));
    } else {
        println!("(zola not found: set ZOLA or put it on PATH for the comparison)");
    }
    if on_path(&hugo, "version") {
        tools.push(Tool::Hugo(hugo));
    } else {
        println!("(hugo not found: set HUGO or install Debian's hugo for the comparison)");
    }
    tools.push(Tool::Floor);
    let scratch = tempfile::tempdir().expect("temporary folder");
    let base = args.keep.clone().unwrap_or_else(|| scratch.path().into());
    println!(
        "medians of {} builds; the × columns are handbok ÷ that tool (below 1: handbok is faster or smaller)",
        args.rounds
    );
    println!(
        "{:<8} {:>6} {:<8} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
        "shape", "pages", "tool", "wall", "cpu", "memory", "wall×", "cpu×", "mem×"
    );
    let mut failed = false;
    for &shape in &args.shapes {
        for &pages in &args.sizes {
            let dir = base.join(format!("{}-{pages}", shape.name()));
            let _ = std::fs::remove_dir_all(&dir);
            let zola_root = dir.join("zola");
            synth::generate_shaped(&zola_root, pages, shape).expect("generate the site");
            let hugo_root = (shape == synth::Shape::Real).then(|| dir.join("hugo"));
            if let Some(h) = &hugo_root {
                synth::generate_hugo(h, pages).expect("generate the Hugo site");
            }
            let site = Site {
                zola: zola_root,
                hugo: hugo_root,
            };
            let usable: Vec<&Tool> = tools
                .iter()
                .filter(|t| !matches!(t, Tool::Hugo(_)) || site.hugo.is_some())
                // Zola has no `get_handbook`: the bundled theme is ours alone.
                .filter(|t| !matches!(t, Tool::Zola(_)) || shape != synth::Shape::Handbook)
                .collect();
            // One untimed build each: later builds replace an output, as an
            // author's do; a tool that fails here is left out.
            let mut runs: Vec<(&Tool, Vec<Run>)> = Vec::new();
            for tool in usable {
                match tool.run(&site) {
                    Ok(_) => runs.push((tool, Vec::new())),
                    Err(e) => {
                        if matches!(tool, Tool::Handbok(_)) {
                            failed = true;
                        }
                        eprintln!("{} on {} {pages}: {e}", tool.name(), shape.name());
                    }
                }
            }
            for _ in 0..args.rounds {
                for (tool, list) in &mut runs {
                    match tool.run(&site) {
                        Ok(run) => list.push(run),
                        Err(e) => eprintln!("{}: {e}", tool.name()),
                    }
                }
            }
            let figures: Vec<(&Tool, Figures)> = runs
                .into_iter()
                .map(|(tool, list)| {
                    let f = Figures {
                        wall: median(list.iter().map(|r| r.wall).collect()),
                        cpu: median(list.iter().filter_map(|r| r.cpu).collect()),
                        rss: median(list.iter().filter_map(|r| r.rss_kib).collect()),
                    };
                    (tool, f)
                })
                .collect();
            let ours = figures
                .iter()
                .find(|(t, _)| matches!(t, Tool::Handbok(_)))
                .map(|(_, f)| (f.wall, f.cpu, f.rss));
            for (tool, f) in &figures {
                let s = |d: Option<Duration>| d.map(|d| d.as_secs_f64());
                let (ow, oc, om) = ours.unwrap_or((None, None, None));
                println!(
                    "{:<8} {pages:>6} {:<8} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
                    shape.name(),
                    tool.name(),
                    secs(f.wall),
                    secs(f.cpu),
                    mib(f.rss),
                    ratio(s(ow), s(f.wall)),
                    ratio(s(oc), s(f.cpu)),
                    ratio(om.map(|k| k as f64), f.rss.map(|k| k as f64)),
                );
            }
        }
    }
    if failed {
        eprintln!("handbok failed to build a synthetic site");
        std::process::exit(1);
    }
}
