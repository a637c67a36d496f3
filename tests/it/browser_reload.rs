//! Live reload in a real browser: the binary's `handbok serve -p 0` on a
//! copy of tests/fixtures/serve-reload, then tests/browser/live-reload.mjs
//! opens its long page in headless Chromium, scrolls down, edits the
//! page's Markdown file and waits for the page to reload by itself, show
//! the edit and come back at the same scroll position.
//!
//! Only the command line (the address it prints) and HTTP are relied on.
//! Skipped like the other browser tests when Chromium or Node.js is
//! missing, which under `CI` is a failure.

use crate::browser;
use crate::common::TestSite;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the first build may take before the address is printed (the
/// machine may be busy compiling).
const STARTUP: Duration = Duration::from_secs(120);

/// `handbok serve` in a child process; killed and reaped on drop, so no
/// server outlives its test, whatever fails.
struct Server {
    child: Child,
    /// The address it printed, such as `http://127.0.0.1:41234/`.
    url: String,
    /// Everything it printed so far, stdout and stderr, for failure messages.
    output: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `handbok --root <root> serve -p 0` and waits for the line
    /// with the address (Zola's "Web server is available at <url>").
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_handbok"))
            .arg("--root")
            .arg(root)
            .args(["serve", "-p", "0"])
            .env_remove("RUST_LOG")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start handbok serve");
        let output = Arc::new(Mutex::new(String::new()));
        let (lines_tx, lines) = mpsc::channel();
        // Both pipes are read to the end, so the server never blocks on a
        // full pipe; stdout's lines also come here until the address.
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        drain(stdout, Arc::clone(&output), Some(lines_tx));
        drain(stderr, Arc::clone(&output), None);
        let mut server = Server {
            child,
            url: String::new(),
            output,
        };
        let deadline = Instant::now() + STARTUP;
        loop {
            match lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => {
                    if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
                        server.url = url.to_string();
                        return server;
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "handbok serve printed no address within {} s:\n{}",
                    STARTUP.as_secs(),
                    server.output()
                ),
                Err(RecvTimeoutError::Disconnected) => {
                    let status = server.child.wait();
                    panic!(
                        "handbok serve stopped before printing its address ({status:?}):\n{}",
                        server.output()
                    )
                }
            }
        }
    }

    /// The absolute URL of `path` (which starts with a slash).
    fn url_of(&self, path: &str) -> String {
        format!("{}{path}", self.url.trim_end_matches('/'))
    }

    fn output(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads `from` to its end on a thread, appending every line to `output`
/// and sending it to `lines` while someone listens.
fn drain(
    from: impl Read + Send + 'static,
    output: Arc<Mutex<String>>,
    lines: Option<mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        let mut lines = lines;
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            {
                let mut out = output.lock().unwrap_or_else(|e| e.into_inner());
                out.push_str(&line);
                out.push('\n');
            }
            if lines.as_ref().is_some_and(|tx| tx.send(line).is_err()) {
                lines = None;
            }
        }
    });
}

#[test]
#[ignore = "drives headless Chromium (apt-get install chromium nodejs); run with --ignored"]
fn a_served_page_reloads_by_itself_after_an_edit_and_keeps_its_scroll_position() {
    let tools = browser::tools("the live-reload browser test");
    let site = TestSite::from_fixture("serve-reload");
    // Declared after the site: the server stops before its folder goes.
    let server = Server::start(&site.root);
    let page = server.url_of("/long/");
    let edit = site.root.join("content/long.md");
    let run = Command::new("node")
        .args(["--test", "live-reload.mjs"])
        .env("HANDBOK_SERVE_PAGE", &page)
        .env("HANDBOK_SERVE_EDIT", &edit)
        .env("CHROMIUM", &tools.chromium)
        .current_dir(&tools.dir)
        .output()
        .expect("run node --test live-reload.mjs");
    assert!(
        run.status.success(),
        "the live-reload browser test failed on {page}:\n{}\n{}\nhandbok serve said:\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr),
        server.output()
    );
}
