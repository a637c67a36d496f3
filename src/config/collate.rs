//! Swedish collation: the one order handbok uses wherever it sorts Swedish
//! text (glossary, role and document titles). å, ä, ö sort after z, in that
//! order; case only breaks ties; other accents are variants of their base
//! letter (é as e; CLDR files ü under y, as Swedish dictionaries do); runs
//! of digits compare by their numeric value ("a9" before "a10").
//!
//! Lives with the config because the site's language decides the order;
//! content (sort_by = "title" in Swedish sections) and governance use it.
//! Owns nothing but the comparison. Uses ICU4X's collator with the CLDR `sv`
//! tailoring compiled in, built once (a lazy immutable asset, like syntect's
//! sets). Must not know pages, roles or documents.

use icu_collator::options::CollatorOptions;
use icu_collator::preferences::CollationNumericOrdering;
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use std::cmp::Ordering;
use std::sync::OnceLock;

/// The Swedish collator, or `None` if the compiled data lacked it (it does
/// not; the fallback keeps sorting total rather than panicking).
fn collator() -> Option<&'static CollatorBorrowed<'static>> {
    static COLLATOR: OnceLock<Option<CollatorBorrowed<'static>>> = OnceLock::new();
    COLLATOR
        .get_or_init(|| {
            let mut prefs = CollatorPreferences::from(icu_locale_core::locale!("sv"));
            prefs.numeric_ordering = Some(CollationNumericOrdering::True);
            CollatorBorrowed::try_new(prefs, CollatorOptions::default()).ok()
        })
        .as_ref()
}

/// Compares two strings in Swedish order; equal collation falls back to
/// byte order so that the result is a total order.
///
/// `swedish_cmp("Öl", "Zebra")` is `Greater`; `swedish_cmp("apa", "Zebra")`
/// is `Less`.
pub(crate) fn swedish_cmp(a: &str, b: &str) -> Ordering {
    let primary = match collator() {
        Some(c) => c.compare(a, b),
        None => a.to_lowercase().cmp(&b.to_lowercase()),
    };
    primary.then_with(|| a.cmp(b))
}

/// A key whose byte order is [`swedish_cmp`]'s order, for sorting many
/// strings: one collation per string instead of one per comparison (a
/// large handbook's documents are sorted by title on every rebuild).
pub(crate) fn swedish_key(s: &str) -> (Vec<u8>, String) {
    let primary = match collator() {
        Some(c) => {
            let mut key = Vec::new();
            let Ok(()) = c.write_sort_key_to(s, &mut key);
            key
        }
        None => s.to_lowercase().into_bytes(),
    };
    (primary, s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| swedish_cmp(a, b));
        v
    }

    proptest::proptest! {
        #[test]
        fn sort_keys_order_strings_as_the_comparison_does(
            a in "[a-zA-ZåäöÅÄÖéüÉ0-9 .-]{0,12}",
            b in "[a-zA-ZåäöÅÄÖéüÉ0-9 .-]{0,12}",
        ) {
            proptest::prop_assert_eq!(swedish_key(&a).cmp(&swedish_key(&b)), swedish_cmp(&a, &b));
        }
    }

    #[test]
    fn sort_keys_order_titles_as_the_comparison_does() {
        let words = [
            "Öl", "Zebra", "Ära", "Åsa", "apa", "Ärende", "éclair", "Rutin 10", "Rutin 9",
            "rutin 9", "Rutin 9a", "", " ", "Über", "ybbs", "a-b", "ab",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    swedish_key(a).cmp(&swedish_key(b)),
                    swedish_cmp(a, b),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn swedish_letters_sort_after_z_in_order_a_ring_a_umlaut_o_umlaut() {
        let words = ["Öl", "Zebra", "Ära", "Åsa", "apa", "Ärende", "éclair"];
        assert_eq!(
            sorted(&words),
            ["apa", "éclair", "Zebra", "Åsa", "Ära", "Ärende", "Öl"]
        );
    }

    #[test]
    fn case_is_only_a_tie_breaker() {
        assert_eq!(
            sorted(&["Beta", "alfa", "Alfa", "beta"]),
            ["alfa", "Alfa", "beta", "Beta"]
        );
    }

    #[test]
    fn digits_compare_numerically() {
        assert_eq!(
            sorted(&["Aktivitet 10", "Aktivitet 9", "Aktivitet 1"]),
            ["Aktivitet 1", "Aktivitet 9", "Aktivitet 10"]
        );
    }

    #[test]
    fn accents_other_than_swedish_letters_fold_to_the_base_letter() {
        assert_eq!(sorted(&["ef", "ée", "ed"]), ["ed", "ée", "ef"]);
        // Not a z-suffix: å is its own letter, a with ring is not "a".
        assert_eq!(sorted(&["ab", "åa", "az"]), ["ab", "az", "åa"]);
    }

    #[test]
    fn glossary_abbreviations_sort_as_words() {
        assert_eq!(
            sorted(&["VoR", "IKP", "ISAM", "DSO", "ÖP"]),
            ["DSO", "IKP", "ISAM", "VoR", "ÖP"]
        );
    }
}
