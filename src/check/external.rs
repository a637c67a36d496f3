//! `handbok check --external`: every `http(s)` link in the rendered
//! content (not in templates, as Zola) is requested once, with a short
//! timeout and at most one request per host every half second (Zola's
//! per-domain pace). 2xx and 304 pass; a `#fragment` must name an `id` or
//! `name` in the page unless `skip_anchor_prefixes` says otherwise; URLs
//! under `skip_prefixes` are not requested. Problems are diagnostics at the
//! link's line and column in the Markdown file, with `external_level`'s
//! severity.
//!
//! Only runs when asked: nothing here is reached without `--external`, and
//! tests drive [`check_links`] with a fake [`Fetch`], never the network.

use crate::config::Config;
use crate::content::{ContentTree, Item};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, SourceFile};
use std::collections::BTreeMap;
use std::time::Duration;

/// Time allowed for one request, connection included.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Pause between two requests to the same host.
const PACE: Duration = Duration::from_millis(500);
/// Most of a page read when looking for an anchor.
const BODY_LIMIT: u64 = 8 * 1024 * 1024;

/// An answer to a GET.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Response {
    pub(crate) status: u16,
    /// The body, when it was read (only for links with an anchor).
    pub(crate) body: Option<String>,
}

/// How links are requested; a fake in tests.
pub(crate) trait Fetch: Sync {
    /// GETs `url`, reading the body if `want_body`.
    fn get(&self, url: &str, want_body: bool) -> Result<Response, String>;
}

/// An external link and where it was written.
#[derive(Debug, Clone)]
pub(crate) struct LinkUse<'a> {
    pub(crate) url: String,
    pub(crate) source: &'a SourceFile,
    /// Byte offset of the URL in the file, when found in the Markdown.
    pub(crate) offset: Option<usize>,
}

/// A rendered item's HTML and the external links its Markdown recorded,
/// each with its byte offset in the source file.
pub(crate) type Rendered<'a> = (&'a str, &'a [(String, usize)]);

/// The `<a href="http…">` links of every rendered page and section, each
/// with its position in the source file: where the Markdown recorded it,
/// else (a link a shortcode or raw HTML wrote) where the URL is found in
/// the file.
pub(crate) fn collect_links<'a>(
    tree: &'a ContentTree,
    rendered: &dyn Fn(Item) -> Option<Rendered<'a>>,
) -> Vec<LinkUse<'a>> {
    let mut links = Vec::new();
    let mut add = |(html, recorded): Rendered<'a>, source: &'a SourceFile, text: &str| {
        let mut unused: Vec<&(String, usize)> = recorded.iter().collect();
        // Links come in document order, so each use is looked for after
        // the previous one (the same URL twice gets two positions).
        let mut from = 0;
        for url in hrefs(html) {
            let offset = match unused.iter().position(|(u, _)| *u == url) {
                Some(i) => Some(unused.remove(i).1),
                None => text
                    .get(from..)
                    .and_then(|rest| rest.find(&url))
                    .map(|o| from + o)
                    .or_else(|| text.find(&url)),
            };
            if let Some(o) = offset {
                from = o + url.len();
            }
            links.push(LinkUse {
                url,
                source,
                offset,
            });
        }
    };
    for id in tree.rendered_pages() {
        if let Some(r) = rendered(Item::Page(id)) {
            let page = tree.page(id);
            add(r, &page.source, &page.text);
        }
    }
    for id in tree.section_ids() {
        if let Some(r) = rendered(Item::Section(id)) {
            let section = tree.section(id);
            add(r, &section.source, &section.text);
        }
    }
    links
}

/// The external `href` values of `<a>` tags, entity-decoded.
fn hrefs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<a ") {
        let tag = &rest[start..];
        let end = tag.find('>').unwrap_or(tag.len());
        let attrs = &tag[..end];
        if let Some(value) = attr_value(attrs, "href") {
            let url = value.replace("&amp;", "&");
            if url.starts_with("http://") || url.starts_with("https://") {
                out.push(url);
            }
        }
        rest = &tag[end..];
    }
    out
}

fn attr_value<'h>(attrs: &'h str, name: &str) -> Option<&'h str> {
    let at = attrs.find(&format!(" {name}="))? + name.len() + 2;
    let value = &attrs[at..];
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &value[1..];
    inner.find(quote).map(|end| &inner[..end])
}

/// Checks every distinct URL once, hosts in parallel and each host's URLs
/// one by one `pace` apart; reports each failing use.
pub(crate) fn check_links(
    config: &Config,
    links: &[LinkUse<'_>],
    fetch: &dyn Fetch,
    pace: Duration,
    diags: &Diagnostics,
) {
    use rayon::prelude::*;
    let checker = &config.link_checker;
    let mut by_host: BTreeMap<String, BTreeMap<String, bool>> = BTreeMap::new();
    for link in links {
        if checker
            .skip_prefixes
            .iter()
            .any(|p| link.url.starts_with(p.as_str()))
        {
            continue;
        }
        let wants_anchor = anchor(&link.url).is_some_and(|a| {
            !checker
                .skip_anchor_prefixes
                .iter()
                .any(|p| link.url.starts_with(p.as_str()) || a.starts_with(p.as_str()))
        });
        by_host
            .entry(host(&link.url).to_string())
            .or_default()
            .entry(link.url.clone())
            .and_modify(|w| *w |= wants_anchor)
            .or_insert(wants_anchor);
    }
    let failures: BTreeMap<String, String> = by_host
        .into_par_iter()
        .flat_map_iter(|(_, urls)| {
            let mut failed = Vec::new();
            for (i, (url, wants_anchor)) in urls.into_iter().enumerate() {
                if i > 0 {
                    std::thread::sleep(pace);
                }
                if let Some(problem) = check_one(&url, wants_anchor, fetch) {
                    failed.push((url, problem));
                }
            }
            failed
        })
        .collect();
    let severity = if checker.external_level == "warn" {
        Severity::Warning
    } else {
        Severity::Error
    };
    for link in links {
        let Some(problem) = failures.get(&link.url) else {
            continue;
        };
        let d = Diagnostic::error(
            "link::broken-external",
            format!("external link `{}` is broken: {problem}", link.url),
        )
        .with_severity(severity)
        .with_help("fix or remove the link, or add its prefix to `[link_checker] skip_prefixes`");
        diags.push(match link.offset {
            Some(offset) => d.at(link.source, offset),
            None => d.in_file(&link.source.path),
        });
    }
}

/// What is wrong with one URL, if anything.
fn check_one(url: &str, wants_anchor: bool, fetch: &dyn Fetch) -> Option<String> {
    match fetch.get(url, wants_anchor) {
        Err(e) => Some(e),
        Ok(r) if !(200..300).contains(&r.status) && r.status != 304 => {
            Some(format!("the server answered {}", r.status))
        }
        Ok(r) => {
            let id = anchor(url).filter(|_| wants_anchor)?;
            let body = r.body.unwrap_or_default();
            let found = ["id", "name"].iter().any(|attr| {
                body.contains(&format!("{attr}=\"{id}\""))
                    || body.contains(&format!("{attr}='{id}'"))
                    || body.contains(&format!("{attr}={id} "))
                    || body.contains(&format!("{attr}={id}>"))
            });
            (!found).then(|| format!("the page has no anchor `#{id}`"))
        }
    }
}

fn anchor(url: &str) -> Option<&str> {
    url.split_once('#')
        .map(|(_, a)| a)
        .filter(|a| !a.is_empty())
}

fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// Real requests with `ureq`: a short timeout, a `handbok/VERSION` user
/// agent, statuses returned rather than turned into errors.
pub(crate) struct UreqFetch {
    agent: ureq::Agent,
}

impl UreqFetch {
    pub(crate) fn new() -> UreqFetch {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(false)
            .user_agent(concat!("handbok/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        UreqFetch { agent }
    }
}

impl Fetch for UreqFetch {
    fn get(&self, url: &str, want_body: bool) -> Result<Response, String> {
        let response = self.agent.get(url).call().map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let body = if want_body {
            let mut body = response.into_body();
            Some(
                body.with_config()
                    .limit(BODY_LIMIT)
                    .read_to_string()
                    .map_err(|e| e.to_string())?,
            )
        } else {
            None
        };
        Ok(Response { status, body })
    }
}

/// Checks the external links of the whole site over the network.
pub(crate) fn run<'a>(
    config: &Config,
    tree: &'a ContentTree,
    rendered: &dyn Fn(Item) -> Option<Rendered<'a>>,
    diags: &Diagnostics,
) {
    let links = collect_links(tree, rendered);
    check_links(config, &links, &UreqFetch::new(), PACE, diags);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Answers from a table and records every request.
    struct Fake {
        answers: BTreeMap<&'static str, Response>,
        asked: Mutex<Vec<String>>,
    }

    impl Fetch for Fake {
        fn get(&self, url: &str, _want_body: bool) -> Result<Response, String> {
            self.asked
                .lock()
                .expect("not poisoned")
                .push(url.to_string());
            self.answers
                .get(url)
                .cloned()
                .ok_or_else(|| "connection refused".to_string())
        }
    }

    fn ok(body: &str) -> Response {
        Response {
            status: 200,
            body: Some(body.to_string()),
        }
    }

    #[test]
    fn links_are_found_in_rendered_pages_at_their_markdown_position() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let write = |path: &str, text: &str| {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().expect("a parent")).expect("create folder");
            std::fs::write(p, text).expect("write");
        };
        write("config.toml", "base_url = '/'\n");
        write(
            "content/a.md",
            "+++\ntitle = 'A'\n+++\n[x](https://x.example/) och\n[igen](https://x.example/)\n",
        );
        let diags = Diagnostics::new();
        let config = crate::config::load(dir.path(), None, &diags).expect("config");
        let tree = crate::content::load(&config, Default::default(), &diags);
        let html = "<a href=\"https://x.example/\">x</a> <a href=\"https://x.example/\">igen</a>";
        let links = collect_links(&tree, &|item| match item {
            Item::Page(_) => Some((html, &[])),
            Item::Section(_) => None,
        });
        let at: Vec<(usize, usize)> = links
            .iter()
            .map(|l| {
                let p = l.source.index.line_col(l.offset.expect("found"));
                (p.line, p.column)
            })
            .collect();
        assert_eq!(at, [(4, 5), (5, 8)]);
    }

    #[test]
    fn finds_external_hrefs_only() {
        let html = r#"<p><a href="https://a.example/x?y=1&amp;z=2">a</a> <a href="/local">l</a> <a title="t" href='http://b.example/#top'>b</a></p>"#;
        assert_eq!(
            hrefs(html),
            ["https://a.example/x?y=1&z=2", "http://b.example/#top"]
        );
        assert_eq!(host("https://a.example:8080/x#y"), "a.example:8080");
    }

    #[test]
    fn reports_each_broken_use_at_its_position() {
        let config = Config::from_str_for_tests(
            "base_url = '/'\n[link_checker]\nskip_prefixes = ['https://skip.example/']\n",
        )
        .unwrap_or_else(|d| panic!("{:?}", d.sorted()));
        let text = "Se [a](https://ok.example/) och [b](https://gone.example/x)\n\
                    och [c](https://ok.example/#saknas) [d](https://skip.example/z)";
        let source = SourceFile::new("content/a.md", text);
        let urls = [
            "https://ok.example/",
            "https://gone.example/x",
            "https://ok.example/#saknas",
            "https://skip.example/z",
            "https://ok.example/",
        ];
        let links: Vec<LinkUse<'_>> = urls
            .iter()
            .map(|u| LinkUse {
                url: u.to_string(),
                source: &source,
                offset: text.find(u),
            })
            .collect();
        let fake = Fake {
            answers: BTreeMap::from([
                ("https://ok.example/", ok("<h1 id=\"finns\">x</h1>")),
                ("https://ok.example/#saknas", ok("<h1 id=\"finns\">x</h1>")),
                (
                    "https://gone.example/x",
                    Response {
                        status: 404,
                        body: None,
                    },
                ),
            ]),
            asked: Mutex::new(vec![]),
        };
        let diags = Diagnostics::new();
        check_links(&config, &links, &fake, Duration::ZERO, &diags);
        let mut asked = fake.asked.into_inner().expect("not poisoned");
        asked.sort();
        assert_eq!(
            asked,
            [
                "https://gone.example/x",
                "https://ok.example/",
                "https://ok.example/#saknas"
            ]
        );
        let found: Vec<(String, usize, usize)> = diags
            .sorted()
            .iter()
            .map(|d| {
                let p = d.position.expect("located");
                (d.message.clone(), p.line, p.column)
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "external link `https://gone.example/x` is broken: the server answered 404"
                        .to_string(),
                    1,
                    37
                ),
                (
                    "external link `https://ok.example/#saknas` is broken: the page has no anchor `#saknas`"
                        .to_string(),
                    2,
                    9
                ),
            ]
        );
    }
}
