//! Live reload for `handbok serve`: the server-sent-event streams on
//! `/__handbok/reload`, the small script that listens to them (reload,
//! keeping the scroll position), and the error overlay. Both are injected
//! into served HTML only, never into `handbok build` output.
//!
//! Must not render or build anything: it is told when a new build is
//! being served.

use crate::diagnostics::Diagnostic;
use crate::output::passes::HtmlPass;
use std::io::Write;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where the script is served.
pub(crate) const SCRIPT_PATH: &str = "/__handbok/live.js";
/// Where the event stream is served.
pub(crate) const EVENTS_PATH: &str = "/__handbok/reload";

/// How often an idle stream sends a comment, so a closed tab is noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// The script: reconnects by itself (EventSource does), reloads on a
/// `reload` event or when the page is older than the build being served,
/// and puts the scroll position back after the reload (sessionStorage,
/// per path). Also makes the overlay's close button work.
pub(crate) const SCRIPT: &str = r#"(function () {
  var me = document.currentScript;
  var generation = me ? me.getAttribute("data-generation") : "";
  var key = "handbok-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, parseInt(saved, 10) || 0); };
    if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-handbok-dismiss]");
    if (b) { var o = document.getElementById("handbok-errors"); if (o) o.remove(); }
  });
  if (!window.EventSource) return;
  var source = new EventSource("/__handbok/reload?generation=" + encodeURIComponent(generation));
  source.addEventListener("reload", function () {
    sessionStorage.setItem(key, String(window.scrollY));
    source.close();
    location.reload();
  });
})();
"#;

/// The open event streams; each gets a message per new build.
#[derive(Clone, Default)]
pub(crate) struct Hub {
    clients: Arc<Mutex<Vec<Sender<u64>>>>,
}

impl Hub {
    /// Tells every open page that build `generation` is being served.
    pub(crate) fn broadcast(&self, generation: u64) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|c| c.send(generation).is_ok());
    }

    /// Closes every stream (their threads end).
    pub(crate) fn close(&self) {
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Registers a stream and gives the receiving end of its messages.
    pub(crate) fn subscribe(&self) -> Receiver<u64> {
        let (tx, rx) = mpsc::channel();
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        rx
    }
}

/// Serves one event stream on `out` (the raw connection) until the page
/// goes away or the hub closes. `seen` is the build the page came from;
/// if another one is served already, the page reloads at once.
pub(crate) fn stream(
    mut out: Box<dyn Write + Send>,
    messages: &Receiver<u64>,
    seen: Option<u64>,
    current: u64,
) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n";
    if out
        .write_all(head.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return;
    }
    if seen.is_some_and(|s| s != current) && send(&mut out, "reload", current).is_err() {
        return;
    }
    loop {
        let sent = match messages.recv_timeout(HEARTBEAT) {
            Ok(generation) => send(&mut out, "reload", generation),
            Err(RecvTimeoutError::Timeout) => {
                out.write_all(b": ping\n\n").and_then(|_| out.flush())
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if sent.is_err() {
            return;
        }
    }
}

fn send(out: &mut Box<dyn Write + Send>, event: &str, generation: u64) -> std::io::Result<()> {
    write!(out, "event: {event}\ndata: {generation}\n\n")?;
    out.flush()
}

fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
    s
}

/// The error overlay for the errors of the latest build: an alert box
/// (announced by screen readers), one entry per error with its
/// `file:line:col`, code, message and help, and a close button.
pub(crate) fn overlay(errors: &[Diagnostic]) -> String {
    let mut items = String::new();
    for d in errors.iter().filter(|d| d.is_error()) {
        let plain = crate::diagnostics::render_plain(std::slice::from_ref(d));
        let mut lines = plain.lines();
        let head = lines.next().unwrap_or_default();
        let rest: Vec<&str> = lines.collect();
        items.push_str(&format!(
            "<li><code>{}</code>{}</li>",
            escape(head),
            if rest.is_empty() {
                String::new()
            } else {
                format!("<pre>{}</pre>", escape(&rest.join("\n")))
            }
        ));
    }
    format!(
        concat!(
            "<div id=\"handbok-errors\" role=\"alert\" aria-labelledby=\"handbok-errors-title\" style=\"",
            "position:fixed;z-index:2147483647;left:1rem;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;",
            "background:#fff5f5;color:#1a1a1a;border:3px solid #b00020;border-radius:6px;padding:1rem 1.25rem;",
            "font:15px/1.45 system-ui,sans-serif;box-shadow:0 4px 24px rgba(0,0,0,.25)\">",
            "<button type=\"button\" data-handbok-dismiss aria-label=\"Close\" style=\"float:right;font:inherit;",
            "padding:.2rem .6rem;cursor:pointer\">&times;</button>",
            "<h2 id=\"handbok-errors-title\" style=\"margin:0 0 .5rem;font-size:1.1rem;color:#b00020\">",
            "The last edit broke the build; still showing the previous version</h2>",
            "<ul style=\"margin:0;padding-left:1.2rem\">{}</ul></div>"
        ),
        items
    )
}

/// The live-reload script and the error overlay, as a pass over each
/// page `serve` sends.
pub(crate) struct LiveReload<'a> {
    /// The build the page comes from.
    pub(crate) generation: u64,
    /// The error overlay after a broken edit.
    pub(crate) overlay: Option<&'a str>,
}

impl HtmlPass for LiveReload<'_> {
    fn apply(&self, html: &str) -> Option<String> {
        Some(inject(html, self.generation, self.overlay))
    }
}

/// Inserts the live-reload script, and the overlay when there is one,
/// before the last `</body>` (or at the end when there is none).
fn inject(html: &str, generation: u64, overlay: Option<&str>) -> String {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" data-generation=\"{generation}\"></script>");
    let insert = format!("{}{tag}", overlay.unwrap_or(""));
    let at = html
        .rfind("</body>")
        .or_else(|| html.rfind("</BODY>"))
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + insert.len());
    out.push_str(&html[..at]);
    out.push_str(&insert);
    out.push_str(&html[at..]);
    out
}

/// The generation a stream request says its page came from
/// (`/__handbok/reload?generation=N`).
pub(crate) fn seen_generation(query: &str) -> Option<u64> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("generation="))
        .and_then(|g| g.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = "<html><body><p>a</p><pre></body></pre></body></html>";
        let out = inject(html, 7, None);
        assert_eq!(
            out,
            "<html><body><p>a</p><pre></body></pre><script src=\"/__handbok/live.js\" data-generation=\"7\"></script></body></html>"
        );
        assert!(inject("<p>no body</p>", 1, Some("<div>x</div>")).ends_with(
            "<div>x</div><script src=\"/__handbok/live.js\" data-generation=\"1\"></script>"
        ));
    }

    #[test]
    fn the_overlay_is_an_alert_with_located_escaped_errors() {
        let d = Diagnostic::error("front-matter::invalid-toml", "expected `=` after <key>")
            .in_file("content/a.md")
            .with_help("write key = value");
        let html = overlay(&[d]);
        assert!(html.contains("role=\"alert\""));
        assert!(html.contains("data-handbok-dismiss"));
        assert!(html.contains("error[front-matter::invalid-toml]: expected `=` after &lt;key&gt;"));
        assert!(html.contains("content/a.md"));
        assert!(html.contains("write key = value"));
    }

    #[test]
    fn a_stream_request_names_its_generation() {
        assert_eq!(seen_generation("generation=12"), Some(12));
        assert_eq!(seen_generation("x=1&generation=3"), Some(3));
        assert_eq!(seen_generation("generation="), None);
    }
}
