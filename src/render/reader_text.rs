//! What readers of history pages read instead of engine terms: commit
//! messages as `[handbook.history] messages` says (every subject, or only
//! a trailer such as `Ändring: …`, other commits being an editorial
//! change), and front-matter fields by the theme's labels in the page's
//! language ("Senast granskat", "Status: Utkast → Gällande").
//!
//! Must not run git or read files: it words facts others collected.

use crate::config::Config;
use crate::history::Commit;
use indexmap::IndexMap;

/// The interface strings of one language, with English or Swedish
/// fallbacks for the few this module needs when a site's theme lacks them.
pub(crate) struct Labels<'a> {
    strings: Option<&'a IndexMap<String, String>>,
    swedish: bool,
}

impl<'a> Labels<'a> {
    /// The labels of `lang` (the default language's when unknown).
    pub(crate) fn new(config: &'a Config, lang: &str) -> Labels<'a> {
        let options = config
            .languages
            .get(lang)
            .or_else(|| config.languages.get(&config.default_language));
        Labels {
            strings: options.map(|o| &o.translations),
            swedish: lang == "sv",
        }
    }

    /// The translation of `key`, else `fallback` (Swedish, English).
    pub(crate) fn get(&self, key: &str, fallback: (&str, &str)) -> String {
        self.strings
            .and_then(|s| s.get(key))
            .cloned()
            .unwrap_or_else(|| {
                if self.swedish {
                    fallback.0.to_string()
                } else {
                    fallback.1.to_string()
                }
            })
    }

    /// The label of a front-matter field (`last_reviewed` → "Senast granskat").
    pub(crate) fn field(&self, key: &str) -> String {
        let (translation, sv, en) = match key {
            "title" => ("field_title", "Titel", "Title"),
            "description" => ("description", "Beskrivning", "Description"),
            "kind" => ("doc_kind", "Dokumenttyp", "Document type"),
            "related" => (
                "related_documents",
                "Relaterade dokument",
                "Related documents",
            ),
            "responsibilities" => ("responsibilities", "Ansvarsfördelning", "Responsibilities"),
            "weight" => ("field_weight", "Ordning i listor", "Order in lists"),
            "example" => ("example_document", "Exempeldokument", "Example document"),
            other => (other, other, other),
        };
        self.get(translation, (sv, en))
    }

    /// A true or false field in words.
    pub(crate) fn yes_no(&self, value: bool) -> String {
        if value {
            self.get("yes", ("ja", "yes"))
        } else {
            self.get("no", ("nej", "no"))
        }
    }

    /// A field's value in words where the theme has words for it (status
    /// and kind), else as written.
    pub(crate) fn value(&self, key: &str, value: &str) -> String {
        let translation = match (key, value) {
            ("status", "utkast") => "status_draft".to_string(),
            ("status", "remiss") => "status_consultation".to_string(),
            ("status", "gällande") => "status_current".to_string(),
            ("status", "upphävd") => "status_repealed".to_string(),
            ("kind", kind) => format!("kind_{kind}"),
            _ => return value.to_string(),
        };
        self.get(&translation, (value, value))
    }
}

/// Which commit messages readers see.
pub(crate) struct Messages {
    /// `Some(trailer)`: only that trailer's value; `None`: every subject.
    trailer: Option<String>,
    /// The words for a commit without the trailer.
    editorial: String,
}

impl Messages {
    /// As `[handbook.history]` says, in the language of `labels`.
    pub(crate) fn new(config: &Config, labels: &Labels<'_>) -> Messages {
        Messages {
            trailer: crate::history::reader_trailer(config),
            editorial: labels.get(
                "history_editorial",
                ("Redaktionell ändring", "Editorial change"),
            ),
        }
    }

    /// The message a reader sees for `commit`, the body a reader sees, and
    /// whether it is an editorial change (no trailer where one is needed).
    pub(crate) fn for_commit(&self, commit: &Commit) -> (String, String, bool) {
        let Some(trailer) = &self.trailer else {
            return (commit.message.clone(), commit.body.clone(), false);
        };
        let whole = format!("{}\n{}", commit.message, commit.body);
        match crate::history::trailer_value(&whole, trailer) {
            Some(text) => (text, String::new(), false),
            None => (self.editorial.clone(), String::new(), true),
        }
    }
}
