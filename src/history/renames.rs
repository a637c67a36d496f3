//! Pairing one commit's deletions with its additions into renames, the way
//! `git log -M` does: first identical blobs (no content read), then, for
//! what is left, pairs whose contents are at least 50% similar. Only this
//! second step reads blobs, and only for the unpaired files of a commit.
//!
//! Must not walk commits or know about keys and aliases (`git.rs` does).

use gix::ObjectId;
use std::collections::HashMap;

/// Git's default rename threshold (`-M50%`).
const MIN_SCORE: u64 = 50;
/// Beyond this many unpaired additions or deletions in one commit, inexact
/// rename detection is skipped (git's `diff.renameLimit` idea, kept small
/// because scoring reads every candidate blob).
const INEXACT_LIMIT: usize = 300;

/// A change of one path between two trees, before rename pairing. `old` is
/// `None` for an addition, `new` for a deletion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Raw {
    /// Site-relative path.
    pub(super) path: String,
    pub(super) old: Option<ObjectId>,
    pub(super) new: Option<ObjectId>,
}

/// What happened to a path, after pairing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    Added,
    Modified,
    /// Renamed from this site-relative path.
    Renamed(String),
    Deleted,
}

/// A paired change: the path is the new name for renames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Change {
    pub(super) path: String,
    pub(super) kind: Kind,
}

/// Pairs deletions with additions. `read` loads a blob for inexact
/// matching; a blob it cannot read is never paired inexactly. The result is
/// sorted by path.
pub(super) fn pair(
    raw: Vec<Raw>,
    mut read: impl FnMut(&ObjectId) -> Option<Vec<u8>>,
) -> Vec<Change> {
    let mut out = Vec::with_capacity(raw.len());
    let mut added: Vec<(String, ObjectId)> = Vec::new();
    let mut deleted: Vec<(String, ObjectId)> = Vec::new();
    for r in raw {
        match (r.old, r.new) {
            (None, Some(new)) => added.push((r.path, new)),
            (Some(old), None) => deleted.push((r.path, old)),
            _ => out.push(Change {
                path: r.path,
                kind: Kind::Modified,
            }),
        }
    }
    added.sort();
    deleted.sort();
    let mut renames = exact(&mut added, &mut deleted);
    if !added.is_empty()
        && !deleted.is_empty()
        && added.len() <= INEXACT_LIMIT
        && deleted.len() <= INEXACT_LIMIT
    {
        renames.extend(inexact(&mut added, &mut deleted, &mut read));
    }
    out.extend(renames.into_iter().map(|(from, to)| Change {
        path: to,
        kind: Kind::Renamed(from),
    }));
    out.extend(added.into_iter().map(|(path, _)| Change {
        path,
        kind: Kind::Added,
    }));
    out.extend(deleted.into_iter().map(|(path, _)| Change {
        path,
        kind: Kind::Deleted,
    }));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Identical blobs: each addition takes a deletion with the same id,
/// preferring one with the same file name (git does the same). Both lists
/// are sorted, so the choice is deterministic. Returns (from, to) pairs and
/// leaves the unpaired entries in the lists.
fn exact(
    added: &mut Vec<(String, ObjectId)>,
    deleted: &mut Vec<(String, ObjectId)>,
) -> Vec<(String, String)> {
    let mut by_id: HashMap<ObjectId, Vec<usize>> = HashMap::new();
    for (i, (_, id)) in deleted.iter().enumerate() {
        by_id.entry(*id).or_default().push(i);
    }
    let mut taken = vec![false; deleted.len()];
    let mut pairs = Vec::new();
    added.retain(|(path, id)| {
        let Some(candidates) = by_id.get_mut(id) else {
            return true;
        };
        let name = file_name(path);
        let pick = candidates
            .iter()
            .position(|&i| file_name(&deleted[i].0) == name)
            .or(if candidates.is_empty() { None } else { Some(0) });
        match pick {
            Some(at) => {
                let i = candidates.remove(at);
                taken[i] = true;
                pairs.push((deleted[i].0.clone(), path.clone()));
                false
            }
            None => true,
        }
    });
    let mut i = 0;
    deleted.retain(|_| {
        i += 1;
        !taken[i - 1]
    });
    pairs
}

/// Similar blobs: every remaining (deletion, addition) pair is scored and
/// the best pairs are taken greedily, ties broken by path.
fn inexact(
    added: &mut Vec<(String, ObjectId)>,
    deleted: &mut Vec<(String, ObjectId)>,
    read: &mut impl FnMut(&ObjectId) -> Option<Vec<u8>>,
) -> Vec<(String, String)> {
    let sources: Vec<Option<Fingerprint>> = deleted
        .iter()
        .map(|(_, id)| read(id).map(|b| Fingerprint::new(&b)))
        .collect();
    let targets: Vec<Option<Fingerprint>> = added
        .iter()
        .map(|(_, id)| read(id).map(|b| Fingerprint::new(&b)))
        .collect();
    let mut scored: Vec<(u64, usize, usize)> = Vec::new();
    for (d, src) in sources.iter().enumerate() {
        let Some(src) = src else { continue };
        for (a, dst) in targets.iter().enumerate() {
            let Some(dst) = dst else { continue };
            let score = similarity(src, dst);
            if score >= MIN_SCORE {
                scored.push((score, d, a));
            }
        }
    }
    // Highest score first; then by deletion and addition path (the lists
    // are sorted, so indices order like paths).
    scored.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut used_d = vec![false; deleted.len()];
    let mut used_a = vec![false; added.len()];
    let mut pairs = Vec::new();
    for (_, d, a) in scored {
        if used_d[d] || used_a[a] {
            continue;
        }
        used_d[d] = true;
        used_a[a] = true;
        pairs.push((deleted[d].0.clone(), added[a].0.clone()));
    }
    let mut i = 0;
    deleted.retain(|_| {
        i += 1;
        !used_d[i - 1]
    });
    let mut j = 0;
    added.retain(|_| {
        j += 1;
        !used_a[j - 1]
    });
    pairs
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Lines of a blob with the bytes each occupies, after git's
/// `estimate_similarity`, which counts the bytes of chunks both sides share.
struct Fingerprint {
    size: u64,
    lines: HashMap<Vec<u8>, u64>,
}

impl Fingerprint {
    fn new(bytes: &[u8]) -> Fingerprint {
        let mut lines: HashMap<Vec<u8>, u64> = HashMap::new();
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            *lines.entry(line.to_vec()).or_default() += line.len() as u64;
        }
        Fingerprint {
            size: bytes.len() as u64,
            lines,
        }
    }
}

/// Shared bytes as a percentage of the larger blob (0–100).
fn similarity(a: &Fingerprint, b: &Fingerprint) -> u64 {
    let max = a.size.max(b.size);
    if max == 0 {
        return 100;
    }
    // Cheap bound first: the smaller cannot share more than its size.
    if a.size.min(b.size) * 100 < max * MIN_SCORE {
        return 0;
    }
    let (small, large) = if a.lines.len() <= b.lines.len() {
        (a, b)
    } else {
        (b, a)
    };
    let shared: u64 = small
        .lines
        .iter()
        .map(|(line, bytes)| {
            large
                .lines
                .get(line)
                .map_or(0, |other| (*bytes).min(*other))
        })
        .sum();
    shared * 100 / max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[n; 20])
    }

    fn raw(path: &str, old: Option<u8>, new: Option<u8>) -> Raw {
        Raw {
            path: path.into(),
            old: old.map(id),
            new: new.map(id),
        }
    }

    #[test]
    fn identical_blobs_pair_without_reading() {
        let changes = pair(
            vec![
                raw("content/a.md", Some(1), None),
                raw("content/b.md", None, Some(1)),
            ],
            |_| panic!("exact renames must not read blobs"),
        );
        assert_eq!(
            changes,
            vec![Change {
                path: "content/b.md".into(),
                kind: Kind::Renamed("content/a.md".into()),
            }]
        );
    }

    #[test]
    fn exact_prefers_same_file_name() {
        let changes = pair(
            vec![
                raw("content/x/a.md", Some(1), None),
                raw("content/y/b.md", Some(1), None),
                raw("content/z/b.md", None, Some(1)),
            ],
            |_| None,
        );
        assert!(changes.contains(&Change {
            path: "content/z/b.md".into(),
            kind: Kind::Renamed("content/y/b.md".into()),
        }));
        assert!(changes.contains(&Change {
            path: "content/x/a.md".into(),
            kind: Kind::Deleted,
        }));
    }

    #[test]
    fn similar_blobs_pair_and_dissimilar_do_not() {
        let old = b"one\ntwo\nthree\nfour\n".to_vec();
        let edited = b"one\ntwo\nthree\nfive\n".to_vec();
        let other = b"completely\ndifferent\ntext\nhere\n".to_vec();
        let blobs = move |o: &ObjectId| match o.as_bytes()[0] {
            1 => Some(old.clone()),
            2 => Some(edited.clone()),
            _ => Some(other.clone()),
        };
        let changes = pair(
            vec![
                raw("content/a.md", Some(1), None),
                raw("content/b.md", None, Some(2)),
                raw("content/c.md", None, Some(3)),
            ],
            blobs,
        );
        assert_eq!(
            changes,
            vec![
                Change {
                    path: "content/b.md".into(),
                    kind: Kind::Renamed("content/a.md".into()),
                },
                Change {
                    path: "content/c.md".into(),
                    kind: Kind::Added,
                },
            ]
        );
    }
}
