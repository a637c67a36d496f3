//! Drives pagefind's asynchronous API from the synchronous pipeline: one
//! current-thread tokio runtime per index build, made here and dropped
//! here, so no runtime outlives the call and nothing async leaks into the
//! rest of handbok. pagefind parses each page on tokio's blocking pool.
//!
//! Also chooses which of pagefind's files the site gets: the index, the
//! search runtime (`pagefind.js`, its worker and WebAssembly) and the entry
//! file, but not pagefind's own prebuilt interfaces, which the theme does
//! not use.

use ::pagefind::api::PagefindIndex;
use ::pagefind::options::PagefindServiceConfig;

/// pagefind's files that the handbook does not serve: its prebuilt user
/// interfaces (the theme has its own), the highlighter and the playground.
const UNUSED: &[&str] = &[
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
];

/// Indexes `(url, html)` pairs, taking each only when the indexer is ready
/// for it (pagefind parses one at a time, so records made all at once would
/// all wait in memory); returns the bundle's files as (path inside the
/// bundle, bytes), sorted by path, or the indexer's error as text.
pub(super) fn index(
    pages: impl Iterator<Item = (String, String)>,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the indexer's runtime: {e}"))?;
    let files = runtime.block_on(async move {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        let start = std::time::Instant::now();
        for (url, html) in pages {
            index
                .add_html_file(None, Some(url.clone()), html)
                .await
                .map_err(|e| format!("{url}: {e}"))?;
        }
        let added = start.elapsed();
        let files = index.get_files().await.map_err(|e| e.to_string());
        tracing::debug!(?added, written = ?(start.elapsed() - added), "pagefind");
        files
    })?;
    let mut out: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .filter_map(|f| {
            let path = f.filename.to_string_lossy().replace('\\', "/");
            let keep = !UNUSED.contains(&path.as_str()) && !path.starts_with("playground/");
            keep.then_some((path, f.contents))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}
