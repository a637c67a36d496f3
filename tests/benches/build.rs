//! Whole-build benchmark on synthetic handbooks (1k and 10k pages), beside
//! Zola (and Hugo's absence noted) when it is on PATH or in `$ZOLA`:
//! runs alternate between the two so that both see the same machine, and
//! the report gives ratios (these machines are noisy; absolute times mean
//! little). Peak memory comes from GNU time when `/usr/bin/time` exists.
//!
//! The synthetic site's config uses Zola 0.22's `[markdown.highlighting]`
//! table with a theme both highlighters know, so Zola 0.22 builds it too.
//!
//! Run: `cargo bench --bench build` (add sizes, e.g. `-- 1000 10000`).

#[path = "synth.rs"]
mod synth;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;

/// One run: wall time and peak resident memory (KiB), if it succeeded.
fn run(program: &str, root: &Path, out: &str) -> Option<(Duration, Option<u64>)> {
    let gnu_time = Path::new("/usr/bin/time").exists();
    let mut cmd = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "maxrss=%M", program]);
        c
    } else {
        Command::new(program)
    };
    cmd.current_dir(root).args(["build", "-o", out, "-f"]);
    let start = Instant::now();
    let output = cmd.output().ok()?;
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        eprintln!("{program} failed: {stderr}");
        return None;
    }
    let rss = stderr
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("maxrss="))
        .and_then(|v| v.trim().parse().ok());
    Some((took, rss))
}

fn on_path(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn median(mut v: Vec<Duration>) -> Option<Duration> {
    v.sort();
    v.get(v.len() / 2).copied()
}

fn ms(d: Option<Duration>) -> String {
    d.map(|d| format!("{:.0} ms", d.as_secs_f64() * 1000.0))
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
    let with_zola = on_path(&zola);
    if !with_zola {
        println!("(zola not found: set ZOLA or put it on PATH for the comparison)");
    }
    println!(
        "{:>7} {:>10} {:>10} {:>10} {:>10} {:>7} {:>7} {:>7}",
        "pages", "handbok", "median", "zola", "median", "time", "median", "memory"
    );
    println!(
        "{:>7} {:>10} {:>10} {:>10} {:>10} {:>7} {:>7} {:>7}",
        "", "best", "", "best", "", "ratio", "ratio", "ratio"
    );
    for pages in sizes {
        let dir = tempfile::tempdir().expect("temporary folder");
        synth::generate(dir.path(), pages).expect("generate the synthetic site");
        let root = dir.path();
        // A first, untimed build each: later builds replace an output, as
        // an author's do.
        let _ = run(handbok, root, "out-handbok");
        if with_zola {
            let _ = run(&zola, root, "out-zola");
        }
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        let (mut our_rss, mut their_rss) = (None::<u64>, None::<u64>);
        for _ in 0..ROUNDS {
            if let Some((t, rss)) = run(handbok, root, "out-handbok") {
                ours.push(t);
                our_rss = our_rss.max(rss);
            }
            if with_zola {
                if let Some((t, rss)) = run(&zola, root, "out-zola") {
                    theirs.push(t);
                    their_rss = their_rss.max(rss);
                }
            }
        }
        let secs = |d: Option<Duration>| d.map(|d| d.as_secs_f64());
        let (best_a, best_b) = (ours.iter().min().copied(), theirs.iter().min().copied());
        let (med_a, med_b) = (median(ours), median(theirs));
        println!(
            "{pages:>7} {:>10} {:>10} {:>10} {:>10} {:>7} {:>7} {:>7}",
            ms(best_a),
            ms(med_a),
            ms(best_b),
            ms(med_b),
            ratio(secs(best_a), secs(best_b)),
            ratio(secs(med_a), secs(med_b)),
            ratio(our_rss.map(|k| k as f64), their_rss.map(|k| k as f64)),
        );
        println!(
            "{:>7} peak memory: handbok {}, zola {}",
            "",
            mib(our_rss),
            mib(their_rss)
        );
    }
}
