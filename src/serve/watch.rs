//! Watching the site for `handbok serve`: the pure [`classify`] that says
//! what kind of file an event touched (after Zola's `fs_utils.rs`), and a
//! notify watcher whose raw events are debounced into batches of paths.
//!
//! Must not decide what to rebuild: a batch goes to the pipeline, which
//! knows the outputs. Ignored paths (editor droppings, the output folder,
//! `target/`, `.git/`) never reach it.

use notify::{RecursiveMode, Watcher};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// What kind of site file a change touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ChangeKind {
    /// A Markdown file or an asset under `content/`.
    Content,
    /// A site template under `templates/`.
    Template,
    /// A file of the active theme other than its static files and Sass.
    Theme,
    /// A file under `static/` (the site's or the theme's).
    Static,
    /// A Sass file under `sass/` (the site's or the theme's).
    Sass,
    /// The configuration (`config.toml`, `zola.toml`, `-c FILE`) or `theme.toml`.
    Config,
    /// A data file that `load_data` or review data may read (`*.toml`,
    /// `*.json`, `*.csv`, … outside the folders above, or beside content).
    Data,
    /// Editor temporary files, hidden files, the output folder, `target/`,
    /// `.git/`, other themes: nothing a build reads.
    Ignored,
}

/// Where a site's parts are, for [`classify`].
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// The site root, canonical (notify reports canonical paths).
    pub(crate) root: PathBuf,
    /// The configuration file in use.
    pub(crate) config_file: PathBuf,
    /// The active theme's name.
    pub(crate) theme: Option<String>,
    /// The output folder (`public/` or `-o`), relative to the root or absolute.
    pub(crate) output_dir: PathBuf,
}

/// Extensions of files that `load_data` and governance review data read.
const DATA_EXTENSIONS: &[&str] = &["toml", "json", "csv", "yaml", "yml", "xml", "bib", "bibtex"];

/// Editor temporary and backup files (vim's `.swp`, `~` and its `4913`
/// probe; emacs's `.#lock` and `#autosave#`; JetBrains' safe-write files;
/// kate's swap), never content.
fn is_temporary(name: &str) -> bool {
    name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".kate-swp",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|s| name.ends_with(s))
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
}

fn is_data(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DATA_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A relative path's names, without `.` (and without `..`, `/`: a
/// classifier only ever sees paths under the root).
fn normal_parts(path: &Path) -> Vec<&str> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect()
}

/// The kind of change to `path` (absolute, as notify reports it). Pure:
/// looks at names only, never at the disk.
pub(crate) fn classify(layout: &Layout, path: &Path) -> ChangeKind {
    if path == layout.config_file {
        return ChangeKind::Config;
    }
    let Ok(rel) = path.strip_prefix(&layout.root) else {
        return ChangeKind::Ignored;
    };
    let parts = normal_parts(rel);
    let Some(name) = parts.last() else {
        return ChangeKind::Ignored;
    };
    if parts.iter().any(|p| p.starts_with('.')) || is_temporary(name) {
        return ChangeKind::Ignored;
    }
    let output = normal_parts(
        layout
            .output_dir
            .strip_prefix(&layout.root)
            .unwrap_or(&layout.output_dir),
    );
    if (!output.is_empty() && parts.starts_with(&output)) || parts[0] == "target" {
        return ChangeKind::Ignored;
    }
    match parts.as_slice() {
        ["config.toml" | "zola.toml"] => ChangeKind::Config,
        ["content", .., _] if is_data(rel) => ChangeKind::Data,
        ["content", .., _] => ChangeKind::Content,
        ["templates", .., _] => ChangeKind::Template,
        ["static", .., _] => ChangeKind::Static,
        ["sass", .., _] => ChangeKind::Sass,
        ["themes", theme, rest @ ..] if layout.theme.as_deref() == Some(*theme) => match rest {
            ["theme.toml"] => ChangeKind::Config,
            ["static", .., _] => ChangeKind::Static,
            ["sass", .., _] => ChangeKind::Sass,
            _ => ChangeKind::Theme,
        },
        ["themes", ..] => ChangeKind::Ignored,
        _ if is_data(rel) => ChangeKind::Data,
        _ => ChangeKind::Ignored,
    }
}

/// What the builder thread receives: file events, or the order to stop.
pub(crate) enum Message {
    /// Paths notify reported.
    Changed(Vec<PathBuf>),
    /// The watcher failed (shown once; watching goes on where it can).
    Failed(String),
    /// Stop the builder.
    Stop,
}

/// Starts watching the parts of the site a build reads (not the whole
/// root: `target/` alone can hold more folders than inotify allows).
/// Events arrive on `tx` as [`Message`]s; dropping the watcher stops them.
pub(crate) fn start(
    layout: &Layout,
    tx: Sender<Message>,
) -> notify::Result<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let message = match event {
            Ok(e) if matches!(e.kind, notify::EventKind::Access(_)) => return,
            Ok(e) => Message::Changed(e.paths),
            Err(e) => Message::Failed(e.to_string()),
        };
        let _ = tx.send(message);
    })?;
    watcher.watch(&layout.root, RecursiveMode::NonRecursive)?;
    let mut dirs: Vec<PathBuf> = ["content", "templates", "static", "sass", "data", "i18n"]
        .iter()
        .map(|d| layout.root.join(d))
        .collect();
    if let Some(theme) = &layout.theme {
        dirs.push(layout.root.join("themes").join(theme));
    }
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        watcher.watch(dir, RecursiveMode::Recursive)?;
    }
    if !layout.config_file.starts_with(&layout.root) && layout.config_file.is_file() {
        watcher.watch(&layout.config_file, RecursiveMode::NonRecursive)?;
    }
    Ok(watcher)
}

/// One debounced batch of changes.
pub(crate) enum Batch {
    /// Changed paths that a build reads, sorted and de-duplicated, with their kinds.
    Changes(Vec<(PathBuf, ChangeKind)>),
    /// A watcher error to report.
    Failed(String),
    /// Stop: asked for, or the watcher is gone.
    Stop,
}

/// Waits for the next batch: the first relevant event, then every event
/// until `debounce` has passed without one (an editor's save is often a
/// write, a rename and a chmod in a burst).
pub(crate) fn next_batch(rx: &Receiver<Message>, layout: &Layout, debounce: Duration) -> Batch {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut quiet_since = Instant::now();
    loop {
        let relevant = paths
            .iter()
            .any(|p| classify(layout, p) != ChangeKind::Ignored);
        let message = if relevant {
            let left = debounce.saturating_sub(quiet_since.elapsed());
            match rx.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Batch::Stop,
            }
        } else {
            paths.clear();
            match rx.recv() {
                Ok(m) => m,
                Err(_) => return Batch::Stop,
            }
        };
        match message {
            Message::Changed(p) => {
                paths.extend(p);
                quiet_since = Instant::now();
            }
            Message::Failed(e) => return Batch::Failed(e),
            Message::Stop => return Batch::Stop,
        }
    }
    paths.sort();
    paths.dedup();
    Batch::Changes(
        paths
            .into_iter()
            .map(|p| {
                let kind = classify(layout, &p);
                (p, kind)
            })
            .filter(|(_, k)| *k != ChangeKind::Ignored)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::ChangeKind::*;
    use super::*;

    fn layout() -> Layout {
        Layout {
            root: PathBuf::from("/site"),
            config_file: PathBuf::from("/site/config.toml"),
            theme: Some("handbok".into()),
            output_dir: PathBuf::from("/site/public"),
        }
    }

    fn kind(path: &str) -> ChangeKind {
        classify(&layout(), Path::new(path))
    }

    #[test]
    fn site_parts_have_their_kinds() {
        assert_eq!(kind("/site/content/a.md"), Content);
        assert_eq!(kind("/site/content/policies/b/index.md"), Content);
        assert_eq!(kind("/site/content/policies/b/diagram.png"), Content);
        assert_eq!(kind("/site/templates/page.html"), Template);
        assert_eq!(kind("/site/templates/shortcodes/note.html"), Template);
        assert_eq!(kind("/site/themes/handbok/templates/base.html"), Theme);
        assert_eq!(kind("/site/themes/handbok/static/handbok.css"), Static);
        assert_eq!(kind("/site/themes/handbok/sass/x.scss"), Sass);
        assert_eq!(kind("/site/themes/handbok/theme.toml"), Config);
        assert_eq!(kind("/site/static/logo.svg"), Static);
        assert_eq!(kind("/site/sass/site.scss"), Sass);
        assert_eq!(kind("/site/config.toml"), Config);
        assert_eq!(kind("/site/zola.toml"), Config);
    }

    #[test]
    fn data_files_beside_content_and_elsewhere_are_data() {
        assert_eq!(kind("/site/content/genomgangar/2025.toml"), Data);
        assert_eq!(kind("/site/content/x/people.CSV"), Data);
        assert_eq!(kind("/site/data/roles.json"), Data);
        assert_eq!(kind("/site/reviews.yaml"), Data);
    }

    #[test]
    fn an_explicit_config_file_outside_the_root_is_config() {
        let mut l = layout();
        l.config_file = PathBuf::from("/elsewhere/site.toml");
        assert_eq!(classify(&l, Path::new("/elsewhere/site.toml")), Config);
        assert_eq!(classify(&l, Path::new("/elsewhere/other.toml")), Ignored);
    }

    #[test]
    fn editor_droppings_and_build_folders_are_ignored() {
        for p in [
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/.#a.md",
            "/site/content/#a.md#",
            "/site/content/4913",
            "/site/templates/page.html___jb_tmp___",
            "/site/content/a.md.kate-swp",
            "/site/.git/index",
            "/site/.hidden/x.md",
            "/site/public/index.html",
            "/site/.public.handbok-staging/index.html",
            "/site/target/debug/handbok",
            "/site/themes/other/templates/base.html",
            "/site/README.md",
            "/site",
            "/elsewhere/content/a.md",
        ] {
            assert_eq!(kind(p), Ignored, "{p}");
        }
    }

    #[test]
    fn a_custom_output_folder_is_ignored() {
        let mut l = layout();
        l.output_dir = PathBuf::from("preview");
        assert_eq!(classify(&l, Path::new("/site/preview/x.json")), Ignored);
        l.output_dir = PathBuf::from("/site/./out/");
        assert_eq!(classify(&l, Path::new("/site/out/x.json")), Ignored);
        assert_eq!(classify(&l, Path::new("/site/public/x.json")), Data);
    }

    #[test]
    fn a_burst_of_events_is_one_sorted_batch_without_ignored_paths() {
        let (tx, rx) = std::sync::mpsc::channel();
        for p in [
            "/site/content/b.md",
            "/site/content/.b.md.swp",
            "/site/content/a.md",
        ] {
            tx.send(Message::Changed(vec![PathBuf::from(p)]))
                .unwrap_or_else(|_| unreachable!("receiver alive"));
        }
        tx.send(Message::Changed(vec![PathBuf::from("/site/content/b.md")]))
            .unwrap_or_else(|_| unreachable!("receiver alive"));
        match next_batch(&rx, &layout(), Duration::from_millis(20)) {
            Batch::Changes(c) => assert_eq!(
                c,
                vec![
                    (PathBuf::from("/site/content/a.md"), Content),
                    (PathBuf::from("/site/content/b.md"), Content)
                ]
            ),
            _ => panic!("expected a batch"),
        }
        drop(tx);
        assert!(matches!(
            next_batch(&rx, &layout(), Duration::from_millis(20)),
            Batch::Stop
        ));
    }
}
