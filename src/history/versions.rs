//! Where a document's version took each value: the file read at every
//! commit that touched it, oldest first, cut into runs of commits that
//! share one version. How a version is read from the text is the caller's
//! (render parses front matter); this module only walks the commits.
//!
//! Must not interpret versions (order, major or minor) or render anything.

use super::{ChangeKind, FileHistory, History};

/// A run of consecutive commits during which the file had one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VersionSpan {
    /// The version as the file gave it.
    pub(crate) version: String,
    /// Index into `FileHistory::commits` (newest first) of the commit that
    /// gave the file this version: the oldest of the run.
    pub(crate) oldest: usize,
    /// Index of the newest commit of the run.
    pub(crate) newest: usize,
    /// The file as that oldest commit left it.
    pub(crate) first_text: String,
    /// The file as the newest commit of the run left it.
    pub(crate) last_text: String,
}

/// The version runs of `file`, oldest first. Commits whose text gives no
/// version (`read_version` returns `None`) or that delete the file belong
/// to no run; an unreadable commit is skipped.
pub(crate) fn version_spans(
    history: &History,
    file: &FileHistory,
    read_version: &dyn Fn(&str) -> Option<String>,
) -> Vec<VersionSpan> {
    let mut spans: Vec<VersionSpan> = Vec::new();
    for (index, commit) in file.commits.iter().enumerate().rev() {
        if commit.change == ChangeKind::Deleted {
            continue;
        }
        let Some(text) = history.content_at(&commit.hash, &commit.path_at_commit) else {
            continue;
        };
        let Some(version) = read_version(&text) else {
            continue;
        };
        match spans.last_mut() {
            Some(span) if span.version == version => {
                span.newest = index;
                span.last_text = text;
            }
            _ => spans.push(VersionSpan {
                version,
                oldest: index,
                newest: index,
                first_text: text.clone(),
                last_text: text,
            }),
        }
    }
    spans
}
