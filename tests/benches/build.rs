//! Whole-build benchmark on synthetic handbooks (1k and 10k pages), beside
//! Zola and Hugo when they are on PATH, measured in one run and reported as
//! ratios (these machines are noisy; absolute times mean little).
//!
//! Run: `cargo bench --bench build` (add `-- 1000` to choose sizes).

mod synth;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn time(mut cmd: Command) -> Option<Duration> {
    let start = Instant::now();
    let out = cmd.output().ok()?;
    if !out.status.success() {
        eprintln!("{:?} failed: {}", cmd, String::from_utf8_lossy(&out.stderr));
        return None;
    }
    Some(start.elapsed())
}

fn best_of(n: usize, make: impl Fn() -> Command) -> Option<Duration> {
    (0..n).filter_map(|_| time(make())).min()
}

fn on_path(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1000, 10000]
    } else {
        sizes
    };
    let handbok = env!("CARGO_BIN_EXE_handbok");
    let zola = std::env::var("ZOLA").unwrap_or_else(|_| "zola".into());
    println!(
        "{:>7} {:>12} {:>12} {:>8}",
        "pages", "handbok", "zola", "ratio"
    );
    for pages in sizes {
        let dir = tempfile::tempdir().expect("temporary folder");
        synth::generate(dir.path(), pages).expect("generate the synthetic site");
        let root: &Path = dir.path();
        let ours = best_of(3, || {
            let mut c = Command::new(handbok);
            c.current_dir(root)
                .args(["build", "-o", "out-handbok", "-f"]);
            c
        });
        let theirs = if on_path(&zola) {
            best_of(3, || {
                let mut c = Command::new(&zola);
                c.current_dir(root).args(["build", "-o", "out-zola", "-f"]);
                c
            })
        } else {
            None
        };
        let fmt = |d: Option<Duration>| {
            d.map(|d| format!("{:.0} ms", d.as_secs_f64() * 1000.0))
                .unwrap_or_else(|| "-".into())
        };
        let ratio = match (ours, theirs) {
            (Some(a), Some(b)) => format!("{:.2}", a.as_secs_f64() / b.as_secs_f64()),
            _ => "-".into(),
        };
        println!(
            "{pages:>7} {:>12} {:>12} {ratio:>8}",
            fmt(ours),
            fmt(theirs)
        );
    }
}
