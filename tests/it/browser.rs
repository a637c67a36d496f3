//! The browser tests of the bundled handbook (tests/browser/*.test.mjs):
//! axe-core on every page type, keyboard, reflow, click-throughs and print,
//! in Debian's headless Chromium driven by playwright-core.
//!
//! They need `chromium` and Node.js, so they are ignored by a plain
//! `cargo test` and run with `cargo test --test it -- --ignored`, which
//! `.ci/run` does after installing both. A browser test that runs without
//! them fails: [`tools`] checks for every browser test (also
//! `browser_reload.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

/// What a browser test needs: Chromium, Node.js and the pinned npm
/// packages of tests/browser.
pub(crate) struct Tools {
    /// The Chromium to drive (`CHROMIUM`, default /usr/bin/chromium).
    pub(crate) chromium: String,
    /// tests/browser, where the scripts and their node_modules are.
    pub(crate) dir: PathBuf,
    /// Held while the test runs: one browser test at a time (they share
    /// node_modules, and two Chromiums on a small machine make timing
    /// worse for both).
    _one_at_a_time: MutexGuard<'static, ()>,
}

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The tools for browser test `what`, installing the npm packages if
/// needed; fails the test when Chromium or Node.js is missing.
pub(crate) fn tools(what: &str) -> Tools {
    // A failed browser test must not fail the next one as well.
    let guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let have_node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        Path::new(&chromium).exists() && have_node,
        "{what} need Chromium at {chromium} (or CHROMIUM) and Node.js: apt-get install chromium nodejs"
    );
    if !dir.join("node_modules/playwright-core").is_dir() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(&dir)
            .status()
            .expect("run npm ci");
        assert!(status.success(), "npm ci failed in tests/browser");
    }
    Tools {
        chromium,
        dir,
        _one_at_a_time: guard,
    }
}

#[test]
#[ignore = "drives headless Chromium (apt-get install chromium nodejs); run with --ignored"]
fn bundled_handbook_passes_the_browser_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tools = tools("the browser tests");
    let (browser_dir, chromium) = (&tools.dir, &tools.chromium);
    let out = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temporary folder");
    let site = out.path().join("site");
    let build = Command::new(env!("CARGO_BIN_EXE_handbok"))
        .current_dir(root)
        .args(["build", "--today", "2026-11-29", "-o"])
        .arg(&site)
        .output()
        .expect("run handbok build");
    assert!(
        build.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&build.stderr)
    );
    let tests: Vec<_> = std::fs::read_dir(browser_dir)
        .expect("tests/browser exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    let run = Command::new("node")
        .args(["--test", "--test-concurrency=1"])
        .args(&tests)
        .env("HANDBOK_SITE", &site)
        .env("CHROMIUM", chromium)
        .current_dir(browser_dir)
        .output()
        .expect("run node --test");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "browser tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
