//! Answering one HTTP request of `handbok serve` from the build in memory:
//! the pure mapping of a request path onto an output path ([`resolve`]),
//! content types, directory indexes and redirects, the 404 page, and the
//! refusals (`..`, encoded separators, NUL bytes, absolute targets, copied
//! files whose real path leads out of the site).
//!
//! Only files of the output set are ever served, so a request path is
//! never joined onto a folder on disk. Must not build anything.

use super::conn::{Request, Response};
use super::reload;
use super::state::Snapshot;
use crate::output::{passes, Output};
use std::path::Path;

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// An output path (`a/b/index.html`).
    Output(String),
    /// A folder requested without its slash: redirect here.
    Redirect(String),
    /// Not an output.
    NotFound,
    /// A traversal or malformed path: refused outright.
    Forbidden,
}

/// Maps a request target (`/a/b/?q`) onto an output path, given which
/// output paths exist. Pure.
///
/// Each segment is percent-decoded on its own, so `%2f` cannot make a new
/// segment and `%2e%2e` is still `..`; either is refused, as are NUL
/// bytes, backslashes, drive letters and targets not starting with `/`.
pub(crate) fn resolve(target: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') || path.starts_with("//") {
        return Resolved::Forbidden;
    }
    let mut segments: Vec<String> = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let Ok(seg) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
            return Resolved::Forbidden;
        };
        if seg == "."
            || seg == ".."
            || seg.contains(['/', '\\', '\0'])
            || (segments.is_empty() && seg.len() == 2 && seg.ends_with(':'))
        {
            return Resolved::Forbidden;
        }
        segments.push(seg.into_owned());
    }
    let key = segments.join("/");
    if path.ends_with('/') || key.is_empty() {
        let index = if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        };
        return if exists(&index) {
            Resolved::Output(index)
        } else {
            Resolved::NotFound
        };
    }
    if exists(&key) {
        Resolved::Output(key)
    } else if exists(&format!("{key}/index.html")) {
        let query = target.find('?').map(|i| &target[i..]).unwrap_or("");
        Resolved::Redirect(format!("{path}/{query}"))
    } else {
        Resolved::NotFound
    }
}

/// The media type for an output path, by extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

/// A response with no caching (a preview changes under the browser).
fn respond(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    Response::new(status, content_type, body).with_header("Cache-Control", "no-store")
}

fn plain(status: u16, text: &str) -> Response {
    respond(
        status,
        "text/plain; charset=utf-8",
        text.as_bytes().to_vec(),
    )
}

/// The host names a preview on `interface` answers to, or `None` for any:
/// on a loopback interface only `localhost`, loopback addresses and the
/// host of `url` (the served base URL). A web page elsewhere can point its
/// own DNS name at 127.0.0.1 (DNS rebinding); its requests then carry that
/// name and are refused. On another interface the user chose to share the
/// preview, under names we cannot know.
pub(crate) fn allowed_hosts(interface: std::net::IpAddr, url: &str) -> Option<Vec<String>> {
    if !interface.is_loopback() {
        return None;
    }
    let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme.split('/').next().unwrap_or_default();
    hosts.push(host_name(authority));
    Some(hosts)
}

/// The host of a `Host` header value, lowercase, without the port.
fn host_name(authority: &str) -> String {
    let host = if authority.starts_with('[') {
        authority.split_inclusive(']').next().unwrap_or(authority)
    } else {
        authority.split(':').next().unwrap_or(authority)
    };
    host.to_ascii_lowercase()
}

/// True if a request with this `Host` header may be answered. A request
/// without one (HTTP/1.0) is not from a browser page and is answered.
pub(crate) fn host_allowed(host: Option<&str>, allowed: Option<&[String]>) -> bool {
    match (host, allowed) {
        (Some(host), Some(allowed)) => allowed.contains(&host_name(host.trim())),
        _ => true,
    }
}

/// The answer to a request for a host this preview does not serve.
pub(crate) fn wrong_host() -> Response {
    plain(
        421,
        "421 Misdirected Request: this preview answers only to its own host names\n",
    )
}

/// True if `file`'s real path (symbolic links followed) is inside one of
/// `roots` (canonical).
fn inside(file: &Path, roots: &[std::path::PathBuf]) -> bool {
    file.canonicalize()
        .is_ok_and(|f| roots.iter().any(|r| f.starts_with(r)))
}

/// HTML gets the live-reload script and, after a broken edit, the overlay.
fn page(snapshot: &Snapshot, status: u16, bytes: &[u8]) -> Response {
    let html = String::from_utf8_lossy(bytes);
    let live = reload::LiveReload {
        generation: snapshot.generation,
        overlay: snapshot.overlay.as_deref(),
    };
    let body = passes::apply(&html, &[&live]).unwrap_or_else(|| html.into_owned());
    respond(status, "text/html; charset=utf-8", body.into_bytes())
}

/// The body of an output (a copied file is read now, so an edit to it is
/// served without a rebuild).
fn output_response(snapshot: &Snapshot, path: &str, output: &Output) -> Response {
    let bytes = match output {
        Output::Bytes(b) => std::borrow::Cow::Borrowed(&b[..]),
        // serve keeps its outputs in memory; nothing is staged on disk.
        Output::Staged => return not_found(snapshot),
        Output::Copy(from) => {
            if !inside(from, &snapshot.roots) {
                return plain(403, "403 Forbidden: this file leads out of the site\n");
            }
            match std::fs::read(from) {
                Ok(b) => std::borrow::Cow::Owned(b),
                Err(_) => return not_found(snapshot),
            }
        }
    };
    let kind = content_type(path);
    if kind.starts_with("text/html") {
        page(snapshot, 200, &bytes)
    } else {
        respond(200, kind, bytes.into_owned())
    }
}

/// The site's rendered `404.html` with status 404, or a plain 404.
fn not_found(snapshot: &Snapshot) -> Response {
    match snapshot.output("404.html") {
        Some(Output::Bytes(b)) => page(snapshot, 404, b),
        _ => plain(404, "404 Not Found\n"),
    }
}

/// The page served while no build has succeeded yet: only the overlay.
fn no_build(snapshot: &Snapshot) -> Response {
    let html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>handbok serve: build failed</title></head><body><p>The site has errors; this page reloads when they are fixed.</p></body></html>";
    page(snapshot, 500, html.as_bytes())
}

/// Answers a request that is not an event stream.
pub(crate) fn answer(snapshot: &Snapshot, request: &Request) -> Response {
    let url = request.target.as_str();
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return plain(405, "405 Method Not Allowed\n").with_header("Allow", "GET, HEAD");
    }
    let path_only = url.split('?').next().unwrap_or_default();
    if path_only == reload::SCRIPT_PATH {
        return respond(
            200,
            "text/javascript; charset=utf-8",
            reload::SCRIPT.as_bytes().to_vec(),
        );
    }
    if path_only == super::STATUS_PATH {
        return respond(200, "application/json", snapshot.status_json().into_bytes());
    }
    let Some(site) = &snapshot.site else {
        return no_build(snapshot);
    };
    let local = strip_base_path(url, &snapshot.base_path);
    match resolve(&local, |p| site.files.contains_key(p)) {
        Resolved::Output(path) => match site.files.get(&path) {
            Some(output) => output_response(snapshot, &path, output),
            None => not_found(snapshot),
        },
        Resolved::Redirect(to) => plain(301, "301 Moved Permanently\n").with_header(
            "Location",
            &format!("{}{}", snapshot.base_path, to.trim_start_matches('/')),
        ),
        Resolved::NotFound => not_found(snapshot),
        Resolved::Forbidden => plain(403, "403 Forbidden\n"),
    }
}

/// Removes the base URL's path (`/handbok/` of `http://host/handbok/`)
/// from a request target; targets outside it are left to 404.
fn strip_base_path(url: &str, base_path: &str) -> String {
    if base_path == "/" {
        return url.to_string();
    }
    match url.strip_prefix(base_path.trim_end_matches('/')) {
        Some("") => "/".to_string(),
        Some(rest) if rest.starts_with('?') => format!("/{rest}"),
        Some(rest) if rest.starts_with('/') => rest.to_string(),
        _ => "/__handbok/outside-base-path".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exists(p: &str) -> bool {
        ["index.html", "a/index.html", "a/b.css", "img/x y.png"].contains(&p)
    }

    #[test]
    fn folders_get_their_index_and_a_slash() {
        assert_eq!(resolve("/", exists), Resolved::Output("index.html".into()));
        assert_eq!(
            resolve("/a/", exists),
            Resolved::Output("a/index.html".into())
        );
        assert_eq!(
            resolve("/a/?x=1", exists),
            Resolved::Output("a/index.html".into())
        );
        assert_eq!(resolve("/a", exists), Resolved::Redirect("/a/".into()));
        assert_eq!(
            resolve("/a?x=1", exists),
            Resolved::Redirect("/a/?x=1".into())
        );
        assert_eq!(
            resolve("/a/b.css", exists),
            Resolved::Output("a/b.css".into())
        );
        assert_eq!(
            resolve("/img/x%20y.png", exists),
            Resolved::Output("img/x y.png".into())
        );
        assert_eq!(resolve("/b/", exists), Resolved::NotFound);
        assert_eq!(resolve("/a/b.css/", exists), Resolved::NotFound);
    }

    #[test]
    fn traversal_and_malformed_paths_are_refused() {
        for t in [
            "/../etc/passwd",
            "/a/../index.html",
            "/a/./b.css",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/a%2fb.css",
            "/a%2Fb.css",
            "/..%2f..%2fetc%2fpasswd",
            "/a%5cb.css",
            "/a/b.css%00",
            "/C:/Windows/win.ini",
            "//etc/passwd",
            "http://example.org/index.html",
            "etc/passwd",
            "/%ff%fe",
        ] {
            assert_eq!(resolve(t, exists), Resolved::Forbidden, "{t}");
        }
    }

    #[test]
    fn media_types_by_extension() {
        for (p, t) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("x.css", "text/css; charset=utf-8"),
            ("x.js", "text/javascript; charset=utf-8"),
            ("x.svg", "image/svg+xml"),
            ("x.PNG", "image/png"),
            ("x.jpg", "image/jpeg"),
            ("x.webp", "image/webp"),
            ("atom.xml", "application/xml; charset=utf-8"),
            ("search.json", "application/json"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("f.woff2", "font/woff2"),
            ("d.pdf", "application/pdf"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(p), t, "{p}");
        }
    }

    #[test]
    fn a_loopback_preview_answers_only_its_own_host_names() {
        let loopback = std::net::IpAddr::from([127, 0, 0, 1]);
        let hosts = allowed_hosts(loopback, "http://127.0.0.1:1111");
        let ok = |h| host_allowed(Some(h), hosts.as_deref());
        assert!(ok("127.0.0.1:1111"));
        assert!(ok("localhost:1111"));
        assert!(ok("LOCALHOST"));
        assert!(ok("[::1]:1111"));
        assert!(!ok("attacker.example:1111"), "DNS rebinding is refused");
        assert!(!ok("127.0.0.1.attacker.example"));
        assert!(
            host_allowed(None, hosts.as_deref()),
            "HTTP/1.0 without Host"
        );
        let named = allowed_hosts(loopback, "http://handbok.local:8080/handbok");
        assert!(host_allowed(Some("handbok.local:8080"), named.as_deref()));
        let shared = allowed_hosts(std::net::IpAddr::from([0, 0, 0, 0]), "http://127.0.0.1:1");
        assert!(host_allowed(Some("anything.example"), shared.as_deref()));
    }

    #[test]
    fn a_base_path_is_stripped() {
        assert_eq!(strip_base_path("/x/", "/"), "/x/");
        assert_eq!(strip_base_path("/hb/x/", "/hb/"), "/x/");
        assert_eq!(strip_base_path("/hb", "/hb/"), "/");
        assert_eq!(
            strip_base_path("/hbx/", "/hb/"),
            "/__handbok/outside-base-path"
        );
    }
}
