//! What a Swedish reader types but the text does not say: the parts of
//! compound words (*informationssäkerhetssamordnare* → *samordnare*) and the
//! glossary's abbreviations beside their expansions (*ISAM* ↔
//! *Informationssäkerhetssamordnare*). The result is index-only text: the
//! indexer sees it, the published page does not change.
//!
//! Pure text in, words out; must not know pages, HTML or the indexer.
//! Stemming itself is the indexer's (pagefind's Snowball stemmer for
//! Swedish), so the words here are left inflected as found.

use regex::Regex;
use std::collections::HashSet;

/// The shortest part a compound is split into: Swedish heads such as
/// *plan*, *risk* and *chef* have four letters.
const MIN_PART: usize = 4;
/// Words shorter than this are not tried as compounds.
const MIN_COMPOUND: usize = 2 * MIN_PART;

/// The words known to stand alone (lower case), which is what makes a split
/// point believable: a compound is split where its first part is a known
/// word (with or without the linking *s*, the Swedish *fogemorfem*).
#[derive(Debug, Default)]
pub(super) struct Lexicon {
    words: HashSet<String>,
}

impl Lexicon {
    /// Adds every word of `text` (lower-cased, at least [`MIN_PART`]
    /// letters).
    pub(super) fn add_text(&mut self, text: &str) {
        for word in words(text) {
            if word.chars().count() >= MIN_PART {
                self.words.insert(word.to_lowercase());
            }
        }
    }

    /// Merges another lexicon into this one.
    pub(super) fn merge(&mut self, other: Lexicon) {
        self.words.extend(other.words);
    }

    fn knows(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// The parts of a compound word that do not start it, outermost first
    /// (`informationssäkerhetssamordnare` → `samordnare`, `säkerhets`);
    /// empty when the word is not recognised as a compound. The first
    /// part is left out: pagefind matches the start of a word already, so
    /// indexing it again would only lift the compound's page for it.
    pub(super) fn parts(&self, word: &str) -> Vec<String> {
        let lower = word.to_lowercase();
        let mut out = Vec::new();
        self.split_into(&lower, true, &mut out, 0);
        out
    }

    fn split_into(&self, word: &str, initial: bool, out: &mut Vec<String>, depth: usize) {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() < MIN_COMPOUND || depth > 4 {
            return;
        }
        // The longest known first part wins: `informationssäkerhet|s|…`
        // before `information|s|…`.
        for split in (MIN_PART..=chars.len() - MIN_PART).rev() {
            let at = chars[split].0;
            let (head, tail) = word.split_at(at);
            if !self.knows(head) {
                continue;
            }
            let tail = self.without_linking_s(head, tail);
            let parts: &[&str] = if initial { &[tail] } else { &[head, tail] };
            for part in parts {
                if !out.iter().any(|p| p == part) {
                    out.push(part.to_string());
                }
            }
            self.split_into(head, initial, out, depth + 1);
            self.split_into(tail, false, out, depth + 1);
            return;
        }
    }

    /// The second part of a compound without the linking *s* of the first
    /// (`dataskydd|s|ombud`), when the *s* belongs to the joint: the part
    /// without it is a known word and the part with it is not, or what
    /// follows the *s* could not follow it at the start of a Swedish word
    /// (a vowel, or a second *s*: `…säkerhet|s|samordnare`).
    fn without_linking_s<'w>(&self, head: &str, tail: &'w str) -> &'w str {
        let Some(rest) = tail.strip_prefix('s') else {
            return tail;
        };
        if head.ends_with('s') || rest.chars().count() < MIN_PART || self.knows(tail) {
            return tail;
        }
        let onset_impossible = rest
            .chars()
            .next()
            .is_some_and(|c| c == 's' || "aeiouyåäö".contains(c));
        if self.knows(rest) || onset_impossible {
            rest
        } else {
            tail
        }
    }
}

/// The words of a text: runs of letters and digits.
pub(super) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// One glossary entry as the index needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Synonym {
    /// The abbreviation as written (`ISAM`): matched with its case.
    pub(super) abbreviation: String,
    /// The expansion (`Informationssäkerhetssamordnare`): matched in any
    /// case and inflection (it may be followed by an ending).
    pub(super) expansion: String,
}

/// Finds glossary terms in a text, both ways.
#[derive(Debug)]
pub(super) struct Synonyms {
    entries: Vec<Synonym>,
    abbreviations: Option<Regex>,
    expansions: Option<Regex>,
}

impl Synonyms {
    /// Compiles the matchers for a glossary.
    pub(super) fn new(entries: Vec<Synonym>) -> Synonyms {
        let alternation = |f: &dyn Fn(&Synonym) -> &str| {
            let mut parts: Vec<String> = entries
                .iter()
                .map(f)
                .filter(|s| !s.trim().is_empty())
                .map(regex::escape)
                .collect();
            // Longest first, so that a longer term is not cut short by a
            // shorter one it starts with.
            parts.sort_by_key(|p| std::cmp::Reverse(p.len()));
            parts
        };
        let abbreviations = alternation(&|s| &s.abbreviation);
        let expansions = alternation(&|s| &s.expansion);
        let compile = |pattern: String| Regex::new(&pattern).ok();
        Synonyms {
            abbreviations: (!abbreviations.is_empty())
                .then(|| compile(format!(r"\b(?:{})\b", abbreviations.join("|"))))
                .flatten(),
            expansions: (!expansions.is_empty())
                .then(|| compile(format!(r"(?i)\b(?:{})", expansions.join("|"))))
                .flatten(),
            entries,
        }
    }

    /// For every term the text uses, the other form: the expansion of an
    /// abbreviation found, the abbreviation of an expansion found. Each
    /// entry at most once, in glossary order.
    pub(super) fn counterparts(&self, text: &str) -> Vec<&str> {
        let mut found = vec![(false, false); self.entries.len()];
        if let Some(re) = &self.abbreviations {
            for m in re.find_iter(text) {
                for (i, e) in self.entries.iter().enumerate() {
                    if e.abbreviation == m.as_str() {
                        found[i].0 = true;
                    }
                }
            }
        }
        if let Some(re) = &self.expansions {
            for m in re.find_iter(text) {
                let lower = m.as_str().to_lowercase();
                for (i, e) in self.entries.iter().enumerate() {
                    if e.expansion.to_lowercase() == lower {
                        found[i].1 = true;
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (e, (abbreviation, expansion)) in self.entries.iter().zip(found) {
            if abbreviation && !expansion {
                out.push(e.expansion.as_str());
            }
            if expansion && !abbreviation {
                out.push(e.abbreviation.as_str());
            }
            if expansion && abbreviation {
                // Both are in the text already; the expansion's parts still
                // help, so it is handed on for splitting.
                out.push(e.expansion.as_str());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(text: &str) -> Lexicon {
        let mut l = Lexicon::default();
        l.add_text(text);
        l
    }

    #[test]
    fn a_compound_is_split_after_its_longest_known_first_part_and_the_linking_s() {
        let l = lexicon("Lokal anvisning för informationssäkerhet och information");
        let parts = l.parts("Informationssäkerhetssamordnare");
        assert_eq!(parts, ["samordnare", "säkerhet"]);
    }

    #[test]
    fn a_part_inside_a_later_part_is_found_too() {
        let l = lexicon("risk hantering plan");
        assert_eq!(
            l.parts("riskhanteringsplan"),
            ["hanteringsplan", "hantering", "plan"]
        );
    }

    #[test]
    fn a_compound_of_two_known_words_is_split_without_a_linking_s() {
        let l = lexicon("incident hantering");
        assert_eq!(l.parts("incidenthantering"), ["hantering"]);
    }

    #[test]
    fn a_linking_s_before_a_vowel_belongs_to_the_joint() {
        let l = lexicon("dataskydd");
        assert_eq!(l.parts("Dataskyddsombud"), ["ombud"]);
    }

    #[test]
    fn an_s_that_can_start_a_word_is_kept() {
        let l = lexicon("risk");
        assert_eq!(l.parts("riskstyrning"), ["styrning"]);
    }

    #[test]
    fn an_unknown_or_short_word_has_no_parts() {
        let l = lexicon("incident");
        assert!(l.parts("behörighet").is_empty());
        assert!(l.parts("plan").is_empty());
        assert!(l.parts("").is_empty());
    }

    #[test]
    fn words_keep_swedish_letters() {
        let w: Vec<&str> = words("Ägare: övergripande, åtgärd-plan").collect();
        assert_eq!(w, ["Ägare", "övergripande", "åtgärd", "plan"]);
    }

    fn glossary() -> Synonyms {
        Synonyms::new(vec![
            Synonym {
                abbreviation: "ISAM".into(),
                expansion: "Informationssäkerhetssamordnare".into(),
            },
            Synonym {
                abbreviation: "DSO".into(),
                expansion: "Dataskyddsombud".into(),
            },
        ])
    }

    #[test]
    fn an_abbreviation_in_the_text_brings_its_expansion() {
        assert_eq!(
            glossary().counterparts("Kontakta ISAM om du är osäker."),
            ["Informationssäkerhetssamordnare"]
        );
    }

    #[test]
    fn an_inflected_expansion_brings_its_abbreviation() {
        assert_eq!(
            glossary().counterparts("informationssäkerhetssamordnaren och dataskyddsombudet"),
            ["ISAM", "DSO"]
        );
    }

    #[test]
    fn an_abbreviation_inside_another_word_is_not_a_match() {
        assert!(glossary().counterparts("ISAMA DSOX").is_empty());
    }

    #[test]
    fn an_empty_glossary_finds_nothing() {
        assert!(Synonyms::new(vec![]).counterparts("ISAM").is_empty());
    }
}
