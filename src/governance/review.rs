//! The yearly review (kind `genomgang`) as data: the file named by
//! `extra.data` beside the review page (TOML, or JSON for `.json`), with its
//! undesired events, activities per period, other activities, risks,
//! training figures and incidents. Roles and `@/` documents in rows are
//! resolved and reported at their value in the data file. Rows get anchors
//! on the review page: `aktivitet-{period}-{id}` (`aktivitet-2027-2028-1`),
//! `handelse-{id}`, `ovrig-{group}-{n}`; training rows get percentages
//! (two decimals) and a check that their parts add up to the total.
//!
//! Reads only inside the review page's folder: absolute paths, `..` and
//! symbolic links leading out are refused (`gov::unsafe-data-path`). Must
//! not render anything.

use super::extract::Fields;
use super::locate::Spot;
use super::model::{Review, ReviewItem};
use super::resolve::Resolver;
use super::rules::{Reporter, INVALID_DATA, TRAINING_SUM, UNSAFE_DATA_PATH};
use crate::content::front_matter::table_to_json;
use crate::content::{Page, PageId};
use crate::diagnostics::{Diagnostic, SourceFile};
use serde_json::{Map, Value};
use std::path::{Component, Path, PathBuf};

/// The kind of a yearly review.
pub(crate) const REVIEW_KIND: &str = "genomgang";

/// Loads and checks a review page's data file; `None` when the page has
/// no `data` or it cannot be read safely (reported).
pub(crate) fn load(
    id: PageId,
    page: &Page,
    resolver: &Resolver<'_>,
    reporter: Reporter<'_>,
) -> Option<Review> {
    let spot = Spot::front_matter(page);
    let extra = table_to_json(&page.meta.extra);
    let map = extra.as_object().cloned().unwrap_or_default();
    let fields = Fields::new(&map, &spot, &["extra"], reporter);
    let relative = fields.nonblank("data")?;
    let path = safe_path(page, &relative, &fields)?;
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            fields.report(
                INVALID_DATA,
                &["data"],
                format!("cannot read the review data `{relative}`: {e}"),
                Some("put the data file beside the review page, or correct `data`".into()),
            );
            return None;
        }
    };
    let display = page
        .file
        .display
        .parent()
        .map(|p| p.join(&relative))
        .unwrap_or_else(|| PathBuf::from(&relative));
    let source = SourceFile::new(&display, &text);
    let json = relative.to_ascii_lowercase().ends_with(".json");
    let root = parse(&text, json, &source, reporter)?;
    let Value::Object(root) = root else {
        reporter.push(
            INVALID_DATA,
            Diagnostic::error(
                INVALID_DATA.code,
                "the review data must be a table of tables",
            )
            .at(&source, 0),
        );
        return None;
    };
    let data_spot = Spot::data(&source, &text, json);
    let data = Fields::new(&root, &data_spot, &[], reporter);
    let year = data
        .table("meta")
        .and_then(|m| m.get("year").and_then(Value::as_i64))
        .or_else(|| approval_year(&fields));
    let activities = activities(&data, resolver);
    let events = events(&data, resolver);
    let other_activities = other_activities(&data, resolver);
    let mut out = root.clone();
    put_rows(&mut out, "activities", &activities);
    put_rows(&mut out, "events", &events);
    put_rows(&mut out, "other_activities", &other_activities);
    if let Some(rows) = training(&data) {
        out.insert("training".into(), Value::Array(rows));
    }
    Some(Review {
        page: id,
        year,
        activities,
        events,
        other_activities,
        data: Value::Object(out),
        data_file: path,
    })
}

fn approval_year(fields: &Fields<'_>) -> Option<i64> {
    use chrono::Datelike;
    let date = fields.map.get("approved").and_then(Value::as_str)?;
    super::dates::parse_date(date).map(|d| i64::from(d.year()))
}

/// The data file's path, if it stays inside the page's folder.
fn safe_path(page: &Page, relative: &str, fields: &Fields<'_>) -> Option<PathBuf> {
    let refuse = |why: &str| {
        fields.report(
            UNSAFE_DATA_PATH,
            &["data"],
            format!("the review data path `{relative}` {why}"),
            Some("keep the data file in the review page's folder and name it relative to it, e.g. `data = \"data.toml\"`".into()),
        );
        None
    };
    let rel = Path::new(relative);
    let escapes = rel.components().any(|c| {
        matches!(
            c,
            Component::ParentDir | Component::RootDir | Component::Prefix(_)
        )
    });
    if rel.is_absolute() || escapes || relative.starts_with(['/', '\\']) {
        return refuse("leaves the review page's folder");
    }
    let folder = page.file.path.parent()?;
    let path = folder.join(rel);
    let (Ok(real), Ok(real_folder)) = (path.canonicalize(), folder.canonicalize()) else {
        fields.report(
            INVALID_DATA,
            &["data"],
            format!("the review data `{relative}` does not exist beside the page"),
            Some("put the data file in the review page's folder, or correct `data`".into()),
        );
        return None;
    };
    if !real.starts_with(&real_folder) {
        return refuse("leads out of the review page's folder through a symbolic link");
    }
    if !real.is_file() {
        return refuse("is not a file");
    }
    Some(real)
}

fn parse(text: &str, json: bool, source: &SourceFile, reporter: Reporter<'_>) -> Option<Value> {
    if json {
        return match serde_json::from_str::<Value>(text) {
            Ok(v) => Some(v),
            Err(e) => {
                reporter.push(
                    INVALID_DATA,
                    Diagnostic::error(
                        INVALID_DATA.code,
                        format!("the review data is not valid JSON: {e}"),
                    )
                    .at_line_col(
                        &source.path,
                        e.line().max(1),
                        e.column().max(1),
                    ),
                );
                None
            }
        };
    }
    match toml::from_str::<toml::Table>(text) {
        Ok(t) => Some(table_to_json(&t)),
        Err(e) => {
            let offset = crate::diagnostics::toml_error_offset(text, e.span(), e.message());
            reporter.push(
                INVALID_DATA,
                Diagnostic::error(
                    INVALID_DATA.code,
                    format!("the review data is not valid TOML: {}", e.message().trim()),
                )
                .at(source, offset)
                .with_help("fix the TOML syntax of the data file"),
            );
            None
        }
    }
}

/// A slug for anchors: lowercase ASCII words joined by hyphens.
fn slug_of(text: &str) -> String {
    slug::slugify(text)
}

/// The fields every row shares: title, roles, documents.
fn item(row: &Fields<'_>, resolver: &Resolver<'_>, anchor: String) -> ReviewItem {
    let mut value = row.map.clone();
    value.insert("anchor".into(), Value::String(anchor.clone()));
    // Templates see the raw row too: references the build's audience may
    // not read are not in it.
    if let Some(Value::Array(docs)) = value.get_mut("documents") {
        docs.retain(|d| !d.as_str().is_some_and(|d| resolver.is_withheld(d)));
    }
    if let Some(Value::String(doc)) = value.get("documents") {
        if resolver.is_withheld(doc) {
            value.remove("documents");
        }
    }
    ReviewItem {
        key: String::new(),
        period: String::new(),
        id: String::new(),
        group: None,
        title: row.nonblank("title").unwrap_or_default(),
        anchor,
        roles: resolver.roles(row, "roles"),
        documents: resolver.pages(row, "documents"),
        value: Value::Object(value),
    }
}

fn activities(data: &Fields<'_>, resolver: &Resolver<'_>) -> Vec<ReviewItem> {
    data.tables("activities")
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let period = row
                .text("period")
                .map(|p| p.trim().to_string())
                .unwrap_or_default();
            let id = row
                .text("id")
                .map(|s| s.trim().to_string())
                .unwrap_or_else(|| (i + 1).to_string());
            let anchor = if period.is_empty() {
                format!("aktivitet-{}", slug_of(&id))
            } else {
                format!("aktivitet-{}-{}", slug_of(&period), slug_of(&id))
            };
            let mut item = item(row, resolver, anchor);
            item.key = row.nonblank("key").unwrap_or_else(|| slug_of(&item.title));
            item.period = period;
            item.id = id;
            item
        })
        .collect()
}

fn events(data: &Fields<'_>, resolver: &Resolver<'_>) -> Vec<ReviewItem> {
    data.tables("events")
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let id = row
                .text("id")
                .map(|s| s.trim().to_string())
                .unwrap_or_else(|| (i + 1).to_string());
            let mut item = item(row, resolver, format!("handelse-{}", slug_of(&id)));
            item.id = id;
            item
        })
        .collect()
}

fn other_activities(data: &Fields<'_>, resolver: &Resolver<'_>) -> Vec<ReviewItem> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    data.tables("other_activities")
        .iter()
        .map(|row| {
            let group = row.nonblank("group");
            let key = group.as_deref().map(slug_of).unwrap_or_default();
            let n = match counts.iter_mut().find(|(g, _)| *g == key) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    counts.push((key.clone(), 1));
                    1
                }
            };
            let anchor = if key.is_empty() {
                format!("ovrig-{n}")
            } else {
                format!("ovrig-{key}-{n}")
            };
            let mut item = item(row, resolver, anchor);
            item.group = group;
            item
        })
        .collect()
}

fn put_rows(out: &mut Map<String, Value>, key: &str, rows: &[ReviewItem]) {
    if out.contains_key(key) {
        out.insert(
            key.into(),
            Value::Array(rows.iter().map(|r| r.value.clone()).collect()),
        );
    }
}

/// Keys of a training row that are not parts of its total.
const NOT_PARTS: &[&str] = &["total", "year"];

/// Training rows with `percent` per part (of `total`, two decimals) and a
/// warning when the parts do not add up to the total.
fn training(data: &Fields<'_>) -> Option<Vec<Value>> {
    data.get("training")?;
    let rows = data.tables("training");
    Some(
        rows.iter()
            .enumerate()
            .map(|(i, row)| {
                let mut value = row.map.clone();
                let Some(total) = row.get("total").and_then(Value::as_i64) else {
                    return Value::Object(value);
                };
                let parts: Vec<(&String, i64)> = row
                    .map
                    .iter()
                    .filter(|(k, _)| !NOT_PARTS.contains(&k.as_str()))
                    .filter_map(|(k, v)| Some((k, v.as_i64()?)))
                    .collect();
                let mut percent = Map::new();
                for (key, n) in &parts {
                    if total > 0 {
                        let p = (*n as f64) * 100.0 / (total as f64);
                        let rounded = (p * 100.0).round() / 100.0;
                        percent.insert((*key).clone(), serde_json::json!(rounded));
                    }
                }
                let sum: i64 = parts.iter().map(|(_, n)| n).sum();
                if parts.len() > 1 && sum != total {
                    let names: Vec<&str> = parts.iter().map(|(k, _)| k.as_str()).collect();
                    row.warn(
                        TRAINING_SUM,
                        &["total"],
                        format!(
                            "training row {}: the parts ({}) add up to {sum}, not to total {total}",
                            i + 1,
                            names.join(" + ")
                        ),
                        Some("check the figures against their source".into()),
                    );
                }
                value.insert("percent".into(), Value::Object(percent));
                value.insert("parts_sum".into(), Value::from(sum));
                Value::Object(value)
            })
            .collect(),
    )
}
