//! `handbok serve`: builds the site in memory, serves it over HTTP on
//! loopback (`conn.rs`), watches the site's files, rebuilds through the
//! pipeline when they change, and tells open pages to reload (server-sent
//! events). A broken edit keeps the last good build served, with the
//! errors in an overlay.
//!
//! Threads: the caller's accepts connections; one builder thread waits for
//! debounced file changes and swaps in new snapshots; each connection (an
//! open page's event stream among them) has a thread. [`run`] returns when told to stop, after
//! closing the streams and joining the threads.
//!
//! Must not contain build logic or `static` state: it calls only
//! `pipeline` (a full build, or a rebuild for a set of changed paths).

mod conn;
mod http;
mod redact;
mod reload;
mod state;
mod watch;

pub use state::BuildLog;

use crate::config;
use crate::diagnostics::Diagnostic;
use crate::pipeline::incremental::{self, Rebuild};
use crate::pipeline::{self, BuildOptions, Mode, Site};
use state::{Current, Snapshot};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::Duration;
use watch::{Batch, ChangeKind, Layout};

/// The status endpoint: the latest build as JSON.
pub(crate) const STATUS_PATH: &str = "/__handbok/status";

/// What `handbok serve` may vary.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Root, config file, drafts, today, audience, output folder (the mode
    /// is set to serve, and the base URL as below).
    pub build: BuildOptions,
    /// The address to listen on (`-i`).
    pub interface: IpAddr,
    /// The port (`-p`); 0 picks a free one.
    pub port: u16,
    /// The base URL (`-u`): a full URL, or a host name that gets
    /// `http://` and the port; `http://<interface>:<port>` when `None`.
    pub base_url: Option<String>,
    /// How long the files must be quiet before a rebuild (`--debounce`).
    pub debounce: Duration,
    /// Where to report builds and watcher problems (the terminal).
    pub events: Option<Sender<Event>>,
    /// How long a connection may sit without sending a request before it
    /// is closed (a request head, once started, gets at most this long or
    /// 10 s, whichever is shorter).
    pub idle_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            build: BuildOptions::default(),
            interface: IpAddr::from([127, 0, 0, 1]),
            port: 1111,
            base_url: None,
            debounce: Duration::from_millis(50),
            events: None,
            idle_timeout: Duration::from_secs(30),
        }
    }
}

/// What serve reports while it runs.
#[derive(Debug, Clone)]
pub enum Event {
    /// The first build or a rebuild finished.
    Built(BuildLog),
    /// The file watcher reported a problem.
    WatchError(String),
}

/// Why serve could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The address could not be listened on.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why not.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The configuration could not be found or read.
    #[error(transparent)]
    Config(#[from] config::Error),
    /// The first build failed outright.
    #[error(transparent)]
    Build(#[from] pipeline::Error),
    /// The site's files could not be watched.
    #[error("cannot watch the site's files")]
    Watch(#[source] notify::Error),
    /// The HTTP server failed.
    #[error("the web server failed")]
    Server(#[source] std::io::Error),
}

/// The base URL for a bound address: `-u` as given when it has a scheme,
/// else `http://<host>:<port>` (Zola's `-u` is a host name); an unspecified
/// interface (`0.0.0.0`) is shown as `127.0.0.1`.
pub(crate) fn base_url(flag: Option<&str>, addr: SocketAddr) -> String {
    match flag {
        Some(u) if u.contains("://") => u.to_string(),
        Some(host) => format!("http://{}:{}", host.trim_end_matches('/'), addr.port()),
        None => {
            let ip = if addr.ip().is_unspecified() {
                IpAddr::from([127, 0, 0, 1])
            } else {
                addr.ip()
            };
            format!("http://{}", SocketAddr::new(ip, addr.port()))
        }
    }
}

/// The path part of a base URL, with slashes around it (`/`, `/hb/`).
fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// Everything the builder thread keeps between rebuilds.
struct Builder {
    options: BuildOptions,
    layout: Layout,
    current: Current,
    hub: reload::Hub,
    events: Option<Sender<Event>>,
    base_path: String,
    /// The last site built without errors.
    good: Option<Site>,
    /// Whether the latest build was that one.
    clean: bool,
    generation: u64,
    /// Keeps withheld content paths out of what is shown.
    redactor: redact::Redactor,
}

impl Builder {
    /// Rebuilds for `changes` (empty: the first build) and serves the result.
    fn build(&mut self, changes: &[(PathBuf, ChangeKind)]) -> Result<(), pipeline::Error> {
        let paths: Vec<PathBuf> = changes.iter().map(|(p, _)| p.clone()).collect();
        let full_only = changes.iter().any(|(_, k)| *k == ChangeKind::Config);
        let clean = self.clean && !full_only;
        let rebuild = incremental::rebuild(&self.options, self.good.as_mut(), clean, &paths)?;
        self.redactor.update(&rebuild.report);
        let search_pending = rebuild.search_pending && !rebuild.report.has_errors();
        let trigger = changes
            .iter()
            .map(|(p, k)| {
                let shown = p.strip_prefix(&self.layout.root).unwrap_or(p);
                let shown = self.redactor.path(shown);
                format!("{}: {shown}", format!("{k:?}").to_lowercase())
            })
            .collect();
        self.apply(rebuild, trigger);
        if search_pending {
            self.refresh_search();
        }
        Ok(())
    }

    /// After a partial rebuild has been served: builds the search index
    /// again and serves it, without telling pages to reload (they did).
    fn refresh_search(&mut self) {
        let Some(site) = self.good.as_mut() else {
            return;
        };
        let start = std::time::Instant::now();
        let changed = incremental::refresh_search(site);
        tracing::debug!(took = ?start.elapsed(), ?changed, "search index rebuilt");
        let now = self.current.get();
        self.current.set(Snapshot {
            generation: now.generation,
            site: Some(site.output.clone()),
            overlay: now.overlay.clone(),
            roots: now.roots.clone(),
            base_path: now.base_path.clone(),
            last: now.last.clone(),
        });
    }

    /// Swaps in the outcome of a rebuild and tells the pages.
    fn apply(&mut self, mut rebuild: Rebuild, trigger: Vec<String>) {
        rebuild.report.diagnostics = self
            .redactor
            .diagnostics(std::mem::take(&mut rebuild.report.diagnostics));
        let failed = rebuild.report.has_errors();
        let was_clean = self.clean;
        if let Some(site) = rebuild.site {
            self.layout.theme = site.config.theme.clone();
            self.layout.output_dir = self.layout.root.join(&site.config.output_dir);
            self.good = Some(site);
        }
        if rebuild.strategy != incremental::Strategy::Unchanged {
            self.clean = !failed;
        }
        let served_changed = !rebuild.changed.is_empty() || failed || was_clean != self.clean;
        if served_changed {
            self.generation += 1;
        }
        let errors: Vec<Diagnostic> = rebuild
            .report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        let counts = match &self.good {
            Some(_) if !failed && rebuild.strategy == incremental::Strategy::Full => (
                rebuild.report.pages,
                rebuild.report.orphans,
                rebuild.report.sections,
            ),
            _ => self
                .current
                .get()
                .last
                .as_ref()
                .map_or((0, 0, 0), |l| l.counts),
        };
        let log = BuildLog {
            generation: self.generation,
            trigger,
            strategy: rebuild.strategy.as_str(),
            reason: rebuild.reason,
            took: rebuild.took,
            rendered: rebuild.rendered,
            changed: rebuild.changed,
            diagnostics: rebuild.report.diagnostics,
            counts,
        };
        let overlay = if self.clean {
            None
        } else if errors.is_empty() {
            // Unchanged after a failure cannot happen (a failed state is
            // always rebuilt), but keep the overlay that is shown.
            self.current.get().overlay.clone()
        } else {
            Some(reload::overlay(&errors))
        };
        self.current.set(Snapshot {
            generation: self.generation,
            site: self.good.as_ref().map(|s| s.output.clone()),
            overlay,
            roots: roots(&self.layout),
            base_path: self.base_path.clone(),
            last: Some(log.clone()),
        });
        if served_changed {
            self.hub.broadcast(self.generation);
        }
        if let Some(tx) = &self.events {
            let _ = tx.send(Event::Built(log));
        }
    }

    /// Waits for changes and rebuilds until told to stop.
    fn run(mut self, rx: Receiver<watch::Message>, debounce: Duration) {
        loop {
            match watch::next_batch(&rx, &self.layout, debounce) {
                Batch::Stop => return,
                Batch::Failed(e) => {
                    if let Some(tx) = &self.events {
                        let _ = tx.send(Event::WatchError(e));
                    }
                }
                Batch::Changes(c) if c.is_empty() => {}
                Batch::Changes(c) => {
                    if let Err(e) = self.build(&c) {
                        // A config that vanished mid-edit: report, keep serving.
                        let mut d = Diagnostic::error("serve::rebuild", e.to_string());
                        let mut source = std::error::Error::source(&e);
                        while let Some(s) = source {
                            d.message.push_str(&format!(": {s}"));
                            source = s.source();
                        }
                        let failed = Rebuild {
                            strategy: incremental::Strategy::Full,
                            reason: "the build could not run".into(),
                            site: None,
                            report: pipeline::Report {
                                diagnostics: vec![d],
                                ..pipeline::Report::default()
                            },
                            rendered: 0,
                            changed: vec![],
                            took: Duration::ZERO,
                            search_pending: false,
                        };
                        self.apply(failed, vec![]);
                    }
                }
            }
        }
    }
}

/// The folders copied files may really live in.
fn roots(layout: &Layout) -> Vec<PathBuf> {
    let mut roots = vec![layout.root.clone()];
    if let Some(theme) = &layout.theme {
        if let Ok(dir) = layout.root.join("themes").join(theme).canonicalize() {
            roots.push(dir);
        }
    }
    roots
}

/// The site's layout before anything is built.
fn layout(options: &BuildOptions) -> Result<Layout, Error> {
    let config_file = config::find(&options.root, options.config_file.as_deref())?;
    let config_file = config_file.canonicalize().unwrap_or(config_file);
    let root = config_file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| options.root.clone());
    let output_dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("public"));
    Ok(Layout {
        output_dir: if output_dir.is_absolute() {
            output_dir
        } else {
            root.join(output_dir)
        },
        root,
        config_file,
        theme: None,
    })
}

/// Serves the site until `stop` receives a message or is dropped. Sends
/// the bound address on `ready` once the first build is served.
pub fn run(
    options: ServeOptions,
    ready: Sender<SocketAddr>,
    stop: Receiver<()>,
) -> Result<(), Error> {
    let wanted = SocketAddr::new(options.interface, options.port);
    let listener = std::net::TcpListener::bind(wanted).map_err(|source| Error::Bind {
        addr: wanted,
        source: Box::new(source),
    })?;
    let addr = listener.local_addr().unwrap_or(wanted);
    let url = base_url(options.base_url.as_deref(), addr);
    let mut build = options.build.clone();
    build.mode = Mode::Serve;
    build.base_url = Some(url.clone());
    let layout = layout(&build)?;
    let hub = reload::Hub::default();
    let current = Current::new(Snapshot {
        generation: 0,
        site: None,
        overlay: None,
        roots: roots(&layout),
        base_path: base_path(&url),
        last: None,
    });
    let redactor = redact::Redactor::new(build.audience.is_some());
    let mut builder = Builder {
        options: build,
        layout: layout.clone(),
        current: current.clone(),
        hub: hub.clone(),
        events: options.events.clone(),
        base_path: base_path(&url),
        good: None,
        clean: false,
        generation: 0,
        redactor,
    };
    builder.build(&[])?;
    let (tx, rx) = mpsc::channel();
    let watcher = watch::start(&builder.layout, tx.clone()).map_err(Error::Watch)?;
    let debounce = options.debounce;
    let builder = std::thread::spawn(move || builder.run(rx, debounce));
    let _ = ready.send(addr);
    let hosts = http::allowed_hosts(options.interface, &url);
    let handler = handler(current, hub.clone(), hosts);
    let stopped = || !matches!(stop.try_recv(), Err(TryRecvError::Empty));
    let limits = conn::Limits {
        idle: options.idle_timeout,
        head: options.idle_timeout.min(Duration::from_secs(10)),
        ..conn::Limits::default()
    };
    let streams = conn::serve(&listener, limits, &handler, stopped).map_err(Error::Server);
    hub.close();
    let _ = tx.send(watch::Message::Stop);
    drop(watcher);
    let _ = builder.join();
    for s in streams? {
        let _ = s.join();
    }
    Ok(())
}

/// Answers each request from the snapshot being served: refuses other
/// host names, hands the event stream its connection, serves the rest.
fn handler(current: Current, hub: reload::Hub, hosts: Option<Vec<String>>) -> conn::Handler {
    std::sync::Arc::new(move |request: &conn::Request| {
        if !http::host_allowed(request.host.as_deref(), hosts.as_deref()) {
            return conn::Answer::Respond(http::wrong_host());
        }
        let snapshot = current.get();
        let target = request.target.as_str();
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        if path == reload::EVENTS_PATH {
            let seen = reload::seen_generation(query);
            let generation = snapshot.generation;
            // Subscribed here, before the stream starts, so that a stop
            // right now still closes it.
            let messages = hub.subscribe();
            return conn::Answer::TakeOver(Box::new(move |stream| {
                reload::stream(Box::new(stream), &messages, seen, generation)
            }));
        }
        conn::Answer::Respond(http::answer(&snapshot, request))
    })
}
