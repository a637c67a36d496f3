//! What a build for one audience withholds beyond the pages the content
//! stage leaves out: commit messages (and, if configured, authors) of
//! commits that touched a file the audience may not read. Glue between the
//! content tree and the history facts; the decision of what is withheld is
//! governance's and content's, the replacing is history's.

use crate::config::Config;
use crate::content::ContentTree;
use crate::governance::Model;
use crate::history::History;
use crate::output::{Output, OutputSet};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The label shown instead of a withheld commit message: the
/// `history_editorial` translation, or a built-in one.
fn label(config: &Config) -> String {
    let translations = config
        .languages
        .get(&config.default_language)
        .map(|l| &l.translations);
    match translations.and_then(|t| t.get("history_editorial")) {
        Some(text) => text.clone(),
        None if config.default_language == "sv" => "Redaktionell ändring".into(),
        None => "Editorial change".into(),
    }
}

/// Site-relative paths (`content/a.md`, `content/b/plan.pdf`) of every
/// content file the build publishes or reads for a published page.
pub(crate) fn visible_content(tree: &ContentTree) -> HashSet<PathBuf> {
    let content = Path::new("content");
    let root = tree.content_dir.parent().unwrap_or(&tree.content_dir);
    let relative = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let mut visible = HashSet::new();
    for p in &tree.pages {
        visible.insert(content.join(&p.file.relative));
        visible.extend(p.assets.iter().map(|a| relative(a)));
    }
    for s in tree.sections.iter().filter(|s| !s.synthetic) {
        visible.insert(content.join(&s.file.relative));
        visible.extend(s.assets.iter().map(|a| relative(a)));
    }
    visible
}

/// In a build for one audience, replaces the message of every commit that
/// touched a content file it does not publish (a withheld document, its
/// attachments, or a file deleted since) with the editorial label.
pub(crate) fn commit_messages(
    config: &Config,
    tree: &ContentTree,
    history: &mut History,
    authors: bool,
) {
    if tree.withheld.audience.is_none() || tree.withheld.reads_everything {
        return;
    }
    let visible = visible_content(tree);
    let shown = |p: &Path| !p.starts_with("content") || visible.contains(p);
    history.withhold_messages(&shown, &label(config), authors);
    history.withhold_words(withheld_words(tree));
}

/// What names a withheld page or section in another file's text: its path
/// under `content/`, its folder when it is a section or a bundle, and its
/// `doc_id`.
fn withheld_words(tree: &ContentTree) -> Vec<String> {
    let mut words = Vec::new();
    for (relative, extra) in &tree.withheld.items {
        words.push(relative.clone());
        let path = Path::new(relative);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("index.") || name.starts_with("_index.") {
            if let Some(folder) = path.parent().and_then(Path::to_str) {
                if !folder.is_empty() {
                    words.push(format!("{folder}/"));
                }
            }
        }
        if let Some(id) = extra.get("doc_id").and_then(toml::Value::as_str) {
            words.push(id.trim().to_string());
        }
    }
    words
}

/// In a build for one audience, leaves out the yearly reviews' data files:
/// they are bundle assets, but their rows may name documents the audience
/// may not read (the review page shows the rows it may).
pub(crate) fn review_data(tree: &ContentTree, model: &Model, out: &mut OutputSet) {
    if tree.withheld.audience.is_none() || tree.withheld.reads_everything {
        return;
    }
    // The review's path is the real one (symbolic links resolved).
    let sources: HashSet<&Path> = model
        .reviews
        .iter()
        .map(|r| r.data_file.as_path())
        .collect();
    let is_data = |source: &Path| {
        source
            .canonicalize()
            .is_ok_and(|real| sources.contains(real.as_path()))
    };
    out.files
        .retain(|_, o| !matches!(o, Output::Copy(source) if is_data(source)));
}
