//! The fuzz targets on stable Rust, without libFuzzer: every seed and
//! corpus file of `tests/fuzz` goes through its target, and then, for a
//! time budget, inputs mutated from them (byte flips, inserted template,
//! Markdown and TOML tokens, repeated slices that deepen nesting, splices
//! of two inputs). Deterministic: the same seed numbers give the same
//! inputs. The property is the targets' own: no panic, no abort, no hang.
//!
//! The quick test runs the seeds only. The long one is ignored and run by
//! `tests/fuzz/run.sh` where cargo-fuzz cannot run, for
//! `HANDBOK_FUZZ_SECONDS` per target (default 10). Before each input the
//! input is written to `tests/fuzz/artifacts/<target>-current`, so an input
//! that aborts the process (a stack overflow) or hangs it is left there; a
//! panicking one is saved as `tests/fuzz/artifacts/<target>-panic-<n>`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz")
}

/// The seed and corpus files of one target.
fn inputs(target: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for dir in ["seeds", "corpus"] {
        let Ok(entries) = std::fs::read_dir(fuzz_dir().join(dir).join(target)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        out.extend(paths.iter().filter_map(|p| std::fs::read(p).ok()));
    }
    out
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tokens the parsers treat specially.
const TOKENS: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{% if true %}",
    "{% endif %}",
    "{% for x in y %}",
    "{% endfor %}",
    "{% macro m() %}",
    "{% endmacro %}",
    "{% block b %}",
    "{% endblock %}",
    "{% raw %}",
    "{% endraw %}",
    "{{/*",
    "*/}}",
    "+++\n",
    "---\n",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "(",
    ")",
    "\"",
    "'",
    "\"\"\"",
    "\n",
    "\r\n",
    "\t",
    "`",
    "```",
    "~~~",
    "<",
    ">",
    "</div>",
    "<!--",
    "-->",
    "*",
    "**",
    "_",
    "#",
    "# ",
    "|",
    "|-|",
    "@/",
    "@/a.md#x",
    "- ",
    "1. ",
    "> ",
    "\\",
    "&",
    "&amp;",
    "[^1]",
    "[^1]: ",
    "$",
    ":",
    "=",
    ".",
    "a.b.c",
    "0x",
    "1979-05-27",
    "\u{0}",
    "\u{feff}",
    "å",
    "é\u{301}",
    "🦀",
    "\u{202e}",
];

/// One mutation of `input`, with `other` for splices.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(6) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() => {
                let end = (at + rng.below(16)).min(out.len());
                out.drain(at.min(end)..end);
            }
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                out.splice(at..at, token.iter().copied());
            }
            3 if !out.is_empty() => {
                // Repeat a slice: deepens nesting when it opens something.
                let start = at.min(out.len() - 1);
                let end = (start + 1 + rng.below(24)).min(out.len());
                let piece = out[start..end].to_vec();
                let most = if rng.below(8) == 0 { 2000 } else { 8 };
                let times = 1 + rng.below(most);
                let repeated: Vec<u8> = piece.repeat(times);
                out.splice(end..end, repeated);
            }
            4 if !other.is_empty() => {
                let from = rng.below(other.len());
                let end = (from + rng.below(256)).min(other.len());
                out.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                out.insert(at, rng.next() as u8);
            }
        }
    }
    out.truncate(256 * 1024);
    out
}

/// Runs `target` on `input` as text; a panic is saved and reported.
fn run_one(name: &str, target: fn(&str), input: &[u8], found: &mut Vec<String>) {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    let artifacts = fuzz_dir().join("artifacts");
    let _ = std::fs::create_dir_all(&artifacts);
    let _ = std::fs::write(artifacts.join(format!("{name}-current")), input);
    let text = text.to_string();
    if std::panic::catch_unwind(move || target(&text)).is_err() {
        let path = artifacts.join(format!("{name}-panic-{}", found.len()));
        let _ = std::fs::write(&path, input);
        found.push(path.display().to_string());
    }
}

/// Every target on its inputs and, for `budget` each, on mutations of them.
fn fuzz_all(budget: Duration) {
    let mut found = Vec::new();
    for (name, target) in handbok::fuzzing::TARGETS {
        let corpus = inputs(name);
        assert!(!corpus.is_empty(), "no seeds for the fuzz target {name}");
        for input in &corpus {
            run_one(name, *target, input, &mut found);
        }
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ name.len() as u64);
        let start = Instant::now();
        let mut runs = 0u64;
        while start.elapsed() < budget {
            let a = &corpus[rng.below(corpus.len())];
            let b = &corpus[rng.below(corpus.len())];
            let input = mutate(&mut rng, a, b);
            run_one(name, *target, &input, &mut found);
            runs += 1;
        }
        if !budget.is_zero() {
            eprintln!("fuzz {name}: {runs} mutated inputs");
        }
    }
    assert!(found.is_empty(), "inputs that panicked: {found:?}");
}

#[test]
fn the_fuzz_targets_take_their_seeds_without_panicking() {
    fuzz_all(Duration::ZERO);
}

#[test]
#[ignore = "runs for HANDBOK_FUZZ_SECONDS per target; tests/fuzz/run.sh runs it"]
fn the_fuzz_targets_take_mutated_inputs_without_panicking() {
    let seconds = std::env::var("HANDBOK_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    fuzz_all(Duration::from_secs(seconds));
}
