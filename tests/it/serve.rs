//! `handbok serve` end to end: a server on port 0 in a thread, plain HTTP
//! over `TcpStream`, edits in a temporary copy of a small site, bounded
//! polling until the new content is served. Every server is stopped when
//! its `Running` guard drops.

use crate::common::TestSite;
use handbok::pipeline::BuildOptions;
use handbok::serve::{self, ServeOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::{self, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

const BASE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock %}</title></head><body>{% block main %}{% endblock %}</body></html>"#;
const PAGE: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content | safe }}<ul class="backlinks">{% for b in page.backlinks %}<li>{{ b.title }}</li>{% endfor %}</ul>{% endblock %}"#;
const SECTION: &str = r#"{% extends "base.html" %}{% block main %}<h1>{{ section.title }}</h1><ul>{% for p in section.pages %}<li>{{ p.title }}</li>{% endfor %}</ul>{% endblock %}"#;

/// A small site: a home section, pages a and b, a static file.
fn site() -> TestSite {
    TestSite::with_files(&[
        ("config.toml", "base_url = \"/\"\ntitle = \"Serve test\"\n"),
        ("templates/base.html", BASE),
        ("templates/page.html", PAGE),
        ("templates/section.html", SECTION),
        ("templates/index.html", SECTION),
        (
            "templates/404.html",
            "<!DOCTYPE html><html><body><p>No such page here</p></body></html>",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
        ("content/a.md", "+++\ntitle = \"Alpha\"\n+++\nAlpha body.\n"),
        ("content/b.md", "+++\ntitle = \"Beta\"\n+++\nBeta body.\n"),
        ("static/style.css", "body { color: black }\n"),
    ])
}

/// A server running in a thread; stopped and joined on drop.
struct Running {
    addr: SocketAddr,
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<Result<(), serve::Error>>>,
}

impl Running {
    fn start(site: &TestSite) -> Running {
        Running::start_for(site, None)
    }

    /// A server for one audience (everything when `None`).
    fn start_for(site: &TestSite, audience: Option<&str>) -> Running {
        Running::start_with(site, audience, ServeOptions::default().idle_timeout)
    }

    /// A server that closes connections idle for `idle`.
    fn start_with(site: &TestSite, audience: Option<&str>, idle: Duration) -> Running {
        let options = ServeOptions {
            build: BuildOptions {
                root: site.root.clone(),
                audience: audience.map(str::to_string),
                ..BuildOptions::default()
            },
            port: 0,
            debounce: Duration::from_millis(30),
            idle_timeout: idle,
            ..ServeOptions::default()
        };
        let (ready_tx, ready) = mpsc::channel();
        let (stop, stop_rx) = mpsc::channel();
        let thread = std::thread::spawn(move || serve::run(options, ready_tx, stop_rx));
        let addr = ready
            .recv_timeout(WAIT)
            .expect("the server is ready within 10 s");
        Running {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn get(&self, target: &str) -> Reply {
        request(self.addr, target)
    }

    /// The latest build, from the status endpoint.
    fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.get("/__handbok/status").body).expect("status is JSON")
    }

    /// Polls `target` until its body satisfies `done`; panics after 10 s.
    fn wait_for(&self, target: &str, what: &str, done: impl Fn(&str) -> bool) -> Reply {
        let start = Instant::now();
        loop {
            let reply = self.get(target);
            if done(&reply.body) {
                return reply;
            }
            assert!(
                start.elapsed() < WAIT,
                "{target} never showed {what}; last body:\n{}",
                reply.body
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let result = t.join().expect("the server thread did not panic");
            if !std::thread::panicking() {
                result.expect("the server stopped cleanly");
            }
        }
    }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// One GET with a raw request target (nothing normalized on the way).
fn request(addr: SocketAddr, target: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(WAIT))
        .expect("set a read timeout");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send the request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the reply");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// A served page without the live-reload script (which names the build).
fn without_script(html: &str) -> String {
    match html.find("<script src=\"/__handbok/live.js\"") {
        Some(i) => html[..i].to_string(),
        None => html.to_string(),
    }
}

fn changed_outputs(status: &serde_json::Value) -> Vec<String> {
    status["last"]["changed"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn serves_pages_with_the_live_reload_script_and_right_types() {
    let site = site();
    let server = Running::start(&site);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("<li>Alpha</li>"));
    let script = home
        .body
        .find("<script src=\"/__handbok/live.js\"")
        .expect("script injected");
    assert!(script < home.body.rfind("</body>").expect("a body end"));
    let css = server.get("/style.css");
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert_eq!(css.body, "body { color: black }\n");
    let js = server.get("/__handbok/live.js");
    assert!(js.body.contains("sessionStorage") && js.body.contains("EventSource"));
    let redirect = server.get("/a");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("Location"), Some("/a/"));
    let missing = server.get("/nothing/here/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("No such page here"));
    // `build` output never gets the script.
    site.build();
    assert!(!site.output("index.html").contains("__handbok"));
}

#[test]
fn edits_to_a_page_a_template_and_a_static_file_are_served() {
    let site = site();
    let server = Running::start(&site);
    server.wait_for("/a/", "the page", |b| b.contains("Alpha body."));
    let before_b = without_script(&server.get("/b/").body);

    site.write(
        "content/a.md",
        "+++\ntitle = \"Alpha\"\n+++\nAlpha edited.\n",
    );
    server.wait_for("/a/", "the edited page", |b| b.contains("Alpha edited."));
    let status = server.status();
    // Only the body changed: the page and what read it are rendered, not
    // the whole site.
    assert_eq!(status["last"]["strategy"], "partial", "{status}");
    let changed = changed_outputs(&status);
    assert!(changed.contains(&"a/index.html".to_string()), "{status}");
    assert!(!changed.contains(&"b/index.html".to_string()), "{status}");
    assert!(!changed.contains(&"index.html".to_string()), "{status}");
    assert_eq!(
        without_script(&server.get("/b/").body),
        before_b,
        "an unaffected page"
    );

    site.write(
        "templates/page.html",
        &PAGE.replace("<h1>", "<h1 class=\"t2\">"),
    );
    server.wait_for("/b/", "the new template", |b| {
        b.contains("<h1 class=\"t2\">Beta")
    });
    let status = server.status();
    assert_eq!(status["last"]["strategy"], "partial", "{status}");
    let changed_by_template = changed_outputs(&status);
    assert!(changed_by_template.contains(&"b/index.html".to_string()));
    assert!(!changed_by_template.contains(&"index.html".to_string()));

    site.write("static/style.css", "body { color: navy }\n");
    server.wait_for("/style.css", "the new style", |b| b.contains("navy"));
    let status = server.wait_for("/__handbok/status", "the static rebuild", |s| {
        s.contains("\"strategy\":\"unchanged\"")
    });
    let status: serde_json::Value = serde_json::from_str(&status.body).expect("JSON");
    assert_eq!(status["last"]["rendered"], 0, "nothing rendered: {status}");
    assert_eq!(changed_outputs(&status), vec!["style.css".to_string()]);
}

/// A page links its stylesheet with a cachebust hash: editing the
/// stylesheet changes the hash on the page (hashes are kept per build, so
/// a stale one would be served).
#[test]
fn a_cachebusted_stylesheet_edit_changes_its_hash_on_the_pages() {
    let site = site();
    site.write(
        "templates/page.html",
        "<link href=\"{{ get_url(path='style.css', cachebust=true) | safe }}\"><p>{{ page.title }}</p>",
    );
    let server = Running::start(&site);
    let hash = |body: &str| {
        body.split("style.css?h=")
            .nth(1)
            .map(|rest| rest[..20].to_string())
            .unwrap_or_default()
    };
    let first = server.wait_for("/a/", "the page", |b| b.contains("style.css?h="));
    let before = hash(&first.body);
    assert_eq!(before.len(), 20, "{}", first.body);
    site.write("static/style.css", "body { color: navy }\n");
    let after = server.wait_for("/a/", "the new hash", |b| {
        b.contains("style.css?h=") && hash(b) != before
    });
    assert_eq!(hash(&after.body).len(), 20, "{}", after.body);
    assert_eq!(
        hash(&server.get("/b/").body),
        hash(&after.body),
        "every page links the same file"
    );
}

#[test]
fn a_new_link_updates_the_targets_backlinks() {
    let site = site();
    let server = Running::start(&site);
    assert!(!server.get("/a/").body.contains("<li>Beta</li>"));
    site.write(
        "content/b.md",
        "+++\ntitle = \"Beta\"\n+++\nBeta body, see [Alpha](@/a.md).\n",
    );
    server.wait_for("/a/", "the back-link from b", |b| {
        b.contains("<li>Beta</li>")
    });
    assert!(server.get("/b/").body.contains("/a/\">Alpha</a>"));
    let status = server.status();
    assert_eq!(status["last"]["strategy"], "partial", "{status}");
    assert!(
        changed_outputs(&status).contains(&"a/index.html".to_string()),
        "{status}"
    );
}

#[test]
fn traversal_attempts_are_refused() {
    let site = site();
    let server = Running::start(&site);
    for target in [
        "/../config.toml",
        "/../../etc/passwd",
        "/%2e%2e/config.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fconfig.toml",
        "/static%2fstyle.css",
        "/style.css%00",
        "/%5c..%5cconfig.toml",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "http://example.org/../config.toml",
    ] {
        let reply = server.get(target);
        assert!(
            matches!(reply.status, 403 | 404 | 400),
            "{target}: {}",
            reply.status
        );
        assert!(
            !reply.body.contains("base_url"),
            "{target} leaked config.toml"
        );
        assert!(!reply.body.contains("root:"), "{target} leaked /etc/passwd");
    }
    // Files that exist but are not outputs are not served.
    assert_eq!(server.get("/config.toml").status, 404);
    assert_eq!(server.get("/content/a.md").status, 404);
    assert_eq!(server.get("/templates/page.html").status, 404);
}

/// The build refuses such links itself (`static::outside-root`); serve
/// checks again at each request, since a copied file is read then: here a
/// static file becomes a link out of the site after the last good build.
#[cfg(unix)]
#[test]
fn a_static_file_that_becomes_a_symlink_out_of_the_site_is_refused() {
    let site = site();
    site.write("static/leak.txt", "inside the site\n");
    let elsewhere = tempfile::tempdir().expect("a folder outside the site");
    let outside = elsewhere.path().join("outside.txt");
    std::fs::write(&outside, "outside the site").expect("write a file outside the site");
    let server = Running::start(&site);
    assert_eq!(server.get("/leak.txt").body, "inside the site\n");
    let leak = site.root.join("static/leak.txt");
    std::fs::remove_file(&leak).expect("remove the file");
    std::os::unix::fs::symlink(&outside, &leak).expect("symlink");
    for _ in 0..20 {
        let reply = server.get("/leak.txt");
        assert_eq!(reply.status, 403);
        assert!(!reply.body.contains("outside the site"));
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(server.get("/style.css").status, 200);
}

#[test]
fn a_broken_edit_shows_the_overlay_and_a_fix_clears_it() {
    let site = site();
    let server = Running::start(&site);
    site.write(
        "content/a.md",
        "+++\ntitle = \"Alpha\nbroken\n+++\nAlpha body.\n",
    );
    let broken = server.wait_for("/b/", "the overlay", |b| b.contains("role=\"alert\""));
    assert!(
        broken.body.contains("Beta body."),
        "the last good page is still served"
    );
    assert!(
        broken.body.contains("content/a.md:"),
        "located: {}",
        broken.body
    );
    assert!(broken.body.contains("data-handbok-dismiss"));
    assert_eq!(server.status()["broken"], true);
    site.write(
        "content/a.md",
        "+++\ntitle = \"Alpha\"\n+++\nAlpha fixed.\n",
    );
    server.wait_for("/a/", "the fix", |b| {
        b.contains("Alpha fixed.") && !b.contains("role=\"alert\"")
    });
    assert!(!server.get("/b/").body.contains("role=\"alert\""));
    assert_eq!(server.status()["broken"], false);
}

#[test]
fn open_pages_are_told_to_reload_after_an_edit() {
    let site = site();
    let server = Running::start(&site);
    let generation = server.status()["generation"]
        .as_u64()
        .expect("a generation");
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    write!(
        stream,
        "GET /__handbok/reload?generation={generation} HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .expect("send");
    let mut lines = BufReader::new(stream);
    let mut head = String::new();
    while !head.ends_with("\r\n\r\n") {
        lines.read_line(&mut head).expect("read the head");
    }
    assert!(head.contains("text/event-stream"), "{head}");
    site.write("content/b.md", "+++\ntitle = \"Beta\"\n+++\nBeta again.\n");
    let mut line = String::new();
    let start = Instant::now();
    while !line.starts_with("event: reload") {
        line.clear();
        lines.read_line(&mut line).expect("read an event");
        assert!(start.elapsed() < WAIT, "no reload event");
    }
}

#[test]
fn a_stale_page_reloads_as_soon_as_it_listens() {
    let site = site();
    let server = Running::start(&site);
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    write!(
        stream,
        "GET /__handbok/reload?generation=0 HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .expect("send");
    let mut text = String::new();
    let mut reader = BufReader::new(stream);
    while !text.contains("data:") {
        let mut line = String::new();
        if reader.read_line(&mut line).expect("read") == 0 {
            break;
        }
        text.push_str(&line);
    }
    assert!(text.contains("event: reload\ndata: 1"), "{text}");
}

#[cfg(unix)]
#[test]
fn the_cli_serves_and_stops_cleanly_on_ctrl_c() {
    let site = site();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_handbok"))
        .current_dir(&site.root)
        .args(["serve", "-p", "0"])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start handbok serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let addr: SocketAddr = loop {
        let line = lines
            .next()
            .expect("serve prints its address")
            .expect("a line");
        if let Some(rest) = line.split("(bound to ").nth(1) {
            break rest.trim_end_matches(')').parse().expect("an address");
        }
    };
    assert_eq!(request(addr, "/a/").status, 200);
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > WAIT {
            let _ = child.kill();
            panic!("serve did not stop on SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l == "Stopped."), "{rest:?}");
}

#[test]
fn saving_a_page_unchanged_renders_nothing_and_reloads_nothing() {
    let site = site();
    let server = Running::start(&site);
    let generation = server.status()["generation"].clone();
    site.write("content/a.md", "+++\ntitle = \"Alpha\"\n+++\nAlpha body.\n");
    let status = server.wait_for("/__handbok/status", "a rebuild", |s| {
        s.contains("\"trigger\":[\"content:")
    });
    let status: serde_json::Value = serde_json::from_str(&status.body).expect("JSON");
    assert_eq!(status["last"]["strategy"], "unchanged", "{status}");
    assert_eq!(status["last"]["rendered"], 0);
    assert_eq!(status["generation"], generation, "no reload");
}

/// `serve --audience`: an edit to a document the audience may not read,
/// and an error in it, reach the status endpoint and the error overlay
/// without its path or anything of its text.
#[test]
fn serving_for_an_audience_never_shows_a_withheld_documents_path_or_text() {
    let site = site();
    site.write(
        "content/hemlig-zetaxq.md",
        "+++\ntitle = \"Zetaxq\"\n[extra]\naudience = \"chefer\"\n+++\nZetaxq body.\n",
    );
    let server = Running::start_for(&site, Some("personal"));
    server.wait_for("/a/", "the page", |b| b.contains("Alpha body."));
    assert_eq!(server.get("/hemlig-zetaxq/").status, 404);

    // A link into it added by an edit of a visible page's body.
    site.write(
        "content/a.md",
        "+++\ntitle = \"Alpha\"\n+++\nAlpha body, [se](@/hemlig-zetaxq.md).\n",
    );
    let page = server.wait_for("/a/", "the edited page", |b| b.contains("Alpha body, "));
    assert!(
        page.body
            .contains("<span class=\"withheld-link\">se</span>"),
        "{}",
        page.body
    );
    let generation = server.status()["generation"].as_u64().unwrap_or(0);

    site.write(
        "content/hemlig-zetaxq.md",
        "+++\ntitle = \"Zetaxq\"\n[extra]\naudience = [\"chefer\", \"zetaxq\"]\n+++\nZetaxq.\n",
    );
    let status = server.wait_for("/__handbok/status", "the failed rebuild", |b| {
        b.contains("\"broken\":true")
    });
    assert!(server.status()["generation"].as_u64().unwrap_or(0) > generation);
    assert!(status.body.contains("(a file this audience may not read)"));
    assert!(
        status.body.contains("a file this audience may not read"),
        "{}",
        status.body
    );
    let page = server.get("/a/");
    for reply in [&status, &page, &server.get("/hemlig-zetaxq/")] {
        assert!(
            !reply.body.to_lowercase().contains("zetaxq"),
            "{}",
            reply.body
        );
    }
}

/// Serves a site, makes its page template recurse for ever with
/// `template`, and checks that the last good page is still served with
/// the located error in the overlay, and the server still answers.
fn assert_recursion_keeps_the_last_good_site(template: &str) {
    let site = site();
    let server = Running::start(&site);
    site.write("templates/page.html", template);
    let broken = server.wait_for("/a/", "the overlay", |b| b.contains("role=\"alert\""));
    assert!(
        broken.body.contains("Alpha body."),
        "the last good page is still served: {}",
        broken.body
    );
    assert!(
        broken.body.contains("template::recursion"),
        "{}",
        broken.body
    );
    assert_eq!(server.get("/b/").status, 200, "the server is alive");
}

#[test]
fn a_template_made_endlessly_recursive_keeps_the_last_good_site_served() {
    assert_recursion_keeps_the_last_good_site("{% include \"page.html\" %}<p>aldrig</p>");
}

#[test]
fn a_request_for_another_host_name_is_refused() {
    let site = site();
    let server = Running::start(&site);
    let mut stream = TcpStream::connect(server.addr).expect("connect");
    stream
        .set_read_timeout(Some(WAIT))
        .expect("set a read timeout");
    write!(
        stream,
        "GET /a/ HTTP/1.1\r\nHost: rebound.attacker.example:{}\r\nConnection: close\r\n\r\n",
        server.addr.port()
    )
    .expect("send the request");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read the reply");
    assert!(raw.starts_with("HTTP/1.1 421"), "{raw}");
    assert!(!raw.contains("Alpha body."), "{raw}");
    assert_eq!(server.get("/a/").status, 200, "its own address is served");
}

#[test]
fn the_handbook_search_index_is_served_and_rebuilt_after_an_edited_page_is_served() {
    let site = TestSite::empty();
    let run = site.run_cli(&["init", "--handbook", ".", "--base-url", "/"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let server = Running::start(&site);
    let js = server.wait_for("/pagefind/pagefind.js", "the search runtime", |b| {
        b.contains("pagefind")
    });
    assert_eq!(js.status, 200);
    assert!(server.get("/sok/").body.contains("search-form"));
    let entry = server.get("/pagefind/pagefind-entry.json");
    assert_eq!(entry.status, 200);

    let path = "content/styrdokument/incidenthantering.md";
    let text = std::fs::read_to_string(site.root.join(path)).expect("a document");
    site.write(path, &format!("{text}\nKappaxq är ett nytt ord.\n"));
    server.wait_for("/styrdokument/incidenthantering/", "the edited page", |b| {
        b.contains("Kappaxq")
    });
    // The index follows: pagefind's entry names a new index hash.
    server.wait_for("/pagefind/pagefind-entry.json", "a new index", |b| {
        b != entry.body
    });
}

#[test]
fn a_template_recursing_under_a_condition_keeps_the_last_good_site_served() {
    assert_recursion_keeps_the_last_good_site(
        "{% if true %}{% include \"page.html\" %}{% endif %}<p>aldrig</p>",
    );
}

/// True once the server has closed `stream` (end of file or a reset),
/// reading at most `limit` bytes of anything it sent first.
fn closed_by_server(stream: &mut TcpStream) -> bool {
    stream
        .set_read_timeout(Some(WAIT))
        .expect("set a read timeout");
    let mut buf = [0u8; 1024];
    for _ in 0..64 {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
    false
}

#[test]
fn clients_that_send_nothing_or_trickle_are_disconnected_and_others_are_served() {
    let site = site();
    let server = Running::start_with(&site, None, Duration::from_millis(300));
    // Connections that never send a byte.
    let mut silent: Vec<TcpStream> = (0..40)
        .map(|_| TcpStream::connect(server.addr).expect("connect"))
        .collect();
    // A connection that sends its request head a byte at a time, never
    // finishing it within the deadline.
    let mut trickle = TcpStream::connect(server.addr).expect("connect");
    let head = format!("GET /a/ HTTP/1.1\r\nHost: {}\r\nX-Slow: ", server.addr);
    let mut sent_all = true;
    for byte in head.bytes().chain(std::iter::repeat_n(b'a', 200)) {
        if trickle.write_all(&[byte]).is_err() {
            sent_all = false;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !sent_all || closed_by_server(&mut trickle),
        "a head trickled past its deadline is cut off"
    );
    for (i, s) in silent.iter_mut().enumerate() {
        assert!(closed_by_server(s), "silent connection {i} is closed");
    }
    // A kept-alive connection that goes quiet after one answer is closed too.
    let mut kept = TcpStream::connect(server.addr).expect("connect");
    write!(kept, "GET /a/ HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).expect("send");
    assert!(
        closed_by_server(&mut kept),
        "an idle kept-alive connection is closed"
    );
    assert_eq!(server.get("/a/").status, 200, "the server still answers");
}

/// A navigation rendered once and written on every page still counts as
/// each page's read of what it lists: a title edit of one page shows in
/// the navigation of the others.
#[test]
fn a_navigation_written_on_every_page_follows_a_title_edit() {
    const NAV_BASE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ config.title }}</title></head><body><nav>{% for s in ["_index.md"] %}{% set home = get_section(path=s) %}{% for p in home.pages %}<a href="{{ p.permalink }}">{{ p.title }}</a>{% endfor %}{% endfor %}</nav>{% block main %}{% endblock %}</body></html>"#;
    let site = site();
    site.write("templates/base.html", NAV_BASE);
    // A page in another section: Beta is not among its neighbours.
    site.write("content/docs/_index.md", "+++\ntitle = \"Docs\"\n+++\n");
    site.write(
        "content/docs/c.md",
        "+++\ntitle = \"Gamma\"\n+++\nGamma body.\n",
    );
    let server = Running::start(&site);
    server.wait_for("/docs/c/", "the navigation", |b| b.contains(">Beta</a>"));
    site.write("content/b.md", "+++\ntitle = \"Beta 2\"\n+++\nBeta body.\n");
    server.wait_for("/docs/c/", "the new title in the navigation", |b| {
        b.contains(">Beta 2</a>")
    });
    assert!(server.get("/a/").body.contains(">Beta 2</a>"));
    let status = server.status();
    assert_eq!(status["last"]["strategy"], "partial", "{status}");
}
