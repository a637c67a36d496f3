//! The browser tests of the bundled handbook (tests/browser/*.test.mjs):
//! axe-core on every page type, keyboard, reflow, click-throughs and print,
//! in Debian's headless Chromium driven by playwright-core.
//!
//! They need `chromium` and Node.js: `.ci/run` installs them and sets
//! `CI`, under which a missing browser is a failure. On a developer
//! machine without Chromium the test says so and passes.

use std::path::Path;
use std::process::Command;

#[test]
fn bundled_handbook_passes_the_browser_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = root.join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let have_node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !Path::new(&chromium).exists() || !have_node {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser tests: install chromium and node (see .ci/run)"
        );
        eprintln!("SKIPPED browser tests: no Chromium at {chromium} or no node (apt-get install chromium)");
        return;
    }
    if !browser_dir.join("node_modules/playwright-core").is_dir() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(&browser_dir)
            .status()
            .expect("run npm ci");
        assert!(status.success(), "npm ci failed in tests/browser");
    }
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
    let tests: Vec<_> = std::fs::read_dir(&browser_dir)
        .expect("tests/browser exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    let run = Command::new("node")
        .args(["--test", "--test-concurrency=1"])
        .args(&tests)
        .env("HANDBOK_SITE", &site)
        .env("CHROMIUM", &chromium)
        .current_dir(&browser_dir)
        .output()
        .expect("run node --test");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "browser tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
