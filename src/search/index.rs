//! The two index formats Zola writes: elasticlunr's serialized index (with
//! the language's stemmer and stop words, via `elasticlunr-rs`, as Zola)
//! and Fuse.js's list of documents.

use super::strip::clean_and_truncate;
use super::{fields, IndexItem};
use crate::config::SearchConfig;
use elasticlunr::{lang, IndexBuilder};

/// Zola's tokenizer for the `path` field: split on whitespace, `-` and `/`.
fn path_tokenizer(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim().to_lowercase())
        .collect()
}

/// The elasticlunr index of `items` as JSON; an error for a language
/// without a stemmer.
pub(super) fn elasticlunr(
    code: &str,
    search: &SearchConfig,
    items: &[IndexItem<'_>],
) -> Result<String, String> {
    let language = lang::from_code(code).ok_or_else(|| {
        format!(
            "the search index cannot be built for language `{code}`: elasticlunr has no \
             stemmer for it (supported: en da no de du es fi fr hu it pt ro ru sv tr ko)"
        )
    })?;
    let mut builder = IndexBuilder::with_language(language);
    for field in fields(search) {
        builder = if field == "path" {
            builder.add_field_with_tokenizer(field, Box::new(path_tokenizer))
        } else {
            builder.add_field(field)
        };
    }
    let mut index = builder.build();
    for item in items {
        index.add_doc(item.url, row(search, item));
    }
    Ok(index.to_json())
}

/// One document's values in field order. As in Zola, an undated item
/// simply has no `date` value, so later values move up a field.
fn row(search: &SearchConfig, item: &IndexItem<'_>) -> Vec<String> {
    let mut row = Vec::new();
    if search.include_title {
        row.push(item.title.to_string());
    }
    if search.include_description {
        row.push(item.description.to_string());
    }
    if search.include_date {
        if let Some(date) = &item.date {
            row.push(date.clone());
        }
    }
    if search.include_path {
        row.push(item.path.to_string());
    }
    if search.include_content {
        row.push(clean_and_truncate(
            item.html,
            search.truncate_content_length,
        ));
    }
    row
}

/// The Fuse.js index: `[{url, title?, description?, body?, path?}]`.
pub(super) fn fuse(search: &SearchConfig, items: &[IndexItem<'_>]) -> String {
    let docs: Vec<serde_json::Value> = items
        .iter()
        .map(|item| {
            let mut doc = serde_json::Map::new();
            doc.insert("url".into(), item.url.into());
            if search.include_title {
                doc.insert("title".into(), item.title.into());
            }
            if search.include_description {
                doc.insert("description".into(), item.description.into());
            }
            if search.include_content {
                doc.insert(
                    "body".into(),
                    clean_and_truncate(item.html, search.truncate_content_length).into(),
                );
            }
            if search.include_path {
                doc.insert("path".into(), item.path.into());
            }
            serde_json::Value::Object(doc)
        })
        .collect();
    serde_json::Value::Array(docs).to_string()
}
