//! Zola's `[slugify]` strategies: how a file name, taxonomy term or heading
//! becomes a URL piece. Lives with the config because the config owns the
//! strategy; content (paths, terms) and markdown (anchors) both call it.

use super::SlugStrategy;

/// Characters NTFS forbids in file names; `safe` removes only these.
const UNSAFE_PATH_CHARS: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

/// Slug for paths and taxonomy terms.
///
/// ```ignore
/// assert_eq!(slugify_paths("Årlig översyn", SlugStrategy::On), "arlig-oversyn");
/// ```
pub(crate) fn slugify_paths(s: &str, strategy: SlugStrategy) -> String {
    match strategy {
        SlugStrategy::On => slug::slugify(s),
        SlugStrategy::Safe => s
            .trim_end_matches([' ', '.'])
            .chars()
            .filter(|c| !UNSAFE_PATH_CHARS.contains(c))
            .collect(),
        SlugStrategy::Off => s.to_string(),
    }
}

/// Slug for heading anchors: `safe` and `off` only replace whitespace.
pub(crate) fn slugify_anchors(s: &str, strategy: SlugStrategy) -> String {
    match strategy {
        SlugStrategy::On => slug::slugify(s),
        SlugStrategy::Safe | SlugStrategy::Off => s.replace(|c: char| c.is_ascii_whitespace(), "_"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn swedish_letters_are_transliterated_under_on() {
        assert_eq!(
            slugify_paths("Årlig översyn", SlugStrategy::On),
            "arlig-oversyn"
        );
        assert_eq!(
            slugify_anchors("Ansvarsfördelning & roller", SlugStrategy::On),
            "ansvarsfordelning-roller"
        );
        assert_eq!(
            slugify_paths("Årlig: översyn.", SlugStrategy::Safe),
            "Årlig översyn"
        );
        assert_eq!(slugify_anchors("a b", SlugStrategy::Safe), "a_b");
    }

    proptest! {
        #[test]
        fn slugify_on_is_idempotent_and_ascii(s in "\\PC{0,40}") {
            let once = slugify_paths(&s, SlugStrategy::On);
            prop_assert_eq!(slugify_paths(&once, SlugStrategy::On), once.clone());
            prop_assert!(once.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
        }
    }
}
