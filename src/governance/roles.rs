//! Roles are content: every page under the roles section (`content/roller/`
//! by default) is a role, with `extra.role_id` (default: the file stem),
//! `abbreviation`, `reports_to` and `required_reading`; its title is the
//! role's name and its `description` the short description.
//!
//! Must not look at documents or duties (they refer to roles, not the other
//! way round).

use super::extract::Fields;
use super::locate::Spot;
use super::model::Role;
use super::resolve::Resolver;
use super::rules::Reporter;
use super::settings::Settings;
use crate::content::front_matter::table_to_json;
use crate::content::{ContentTree, FileKind, Page, PageId, Withheld};

/// True for a page of the roles section in the default language.
fn is_role_page(page: &Page, settings: &Settings, lang: &str) -> bool {
    page.lang == lang
        && page
            .file
            .relative
            .starts_with(&format!("{}/", settings.roles_section))
}

/// The file stem that is a role's default id (a bundle's folder name).
fn stem(page: &Page) -> String {
    match page.file.kind {
        FileKind::Bundle => page
            .file
            .colocated_path
            .as_deref()
            .and_then(|p| p.trim_end_matches('/').rsplit('/').next())
            .unwrap_or(&page.file.name)
            .to_string(),
        _ => page.file.name.clone(),
    }
}

/// The role id a page declares, before any validation.
pub(crate) fn role_id(page: &Page) -> String {
    match page.meta.extra.get("role_id").and_then(|v| v.as_str()) {
        Some(id) if !id.trim().is_empty() => id.trim().to_string(),
        _ => stem(page),
    }
}

/// The ids of the role pages this build's audience may not read (from the
/// withheld pages' paths and `extra.role_id`). References to them are not
/// unknown roles: they are shown as `…` (`content::WITHHELD_ROLE`).
pub(crate) fn withheld_role_ids(withheld: &Withheld, settings: &Settings) -> Vec<String> {
    let prefix = format!("{}/", settings.roles_section);
    withheld
        .items
        .iter()
        .filter(|(relative, _)| relative.starts_with(&prefix) && !relative.ends_with("_index.md"))
        .map(|(relative, extra)| {
            match extra.get("role_id").and_then(|v| v.as_str()) {
                Some(id) if !id.trim().is_empty() => id.trim().to_string(),
                _ => {
                    // `roller/x.md` or the bundle `roller/x/index.md`.
                    let path = relative.trim_end_matches(".md");
                    let path = path.strip_suffix("/index").unwrap_or(path);
                    let stem = path.rsplit('/').next().unwrap_or(path);
                    // A language version `x.en` shares its role's id.
                    stem.split('.').next().unwrap_or(stem).to_string()
                }
            }
        })
        .collect()
}

/// Role pages and their ids, in page order.
pub(crate) fn role_pages(
    tree: &ContentTree,
    settings: &Settings,
    lang: &str,
) -> Vec<(PageId, String)> {
    tree.page_ids()
        .filter(|id| is_role_page(tree.page(*id), settings, lang))
        .map(|id| (id, role_id(tree.page(id))))
        .collect()
}

/// Reads every role page; references are resolved and checked.
pub(crate) fn extract(
    tree: &ContentTree,
    pages: &[(PageId, String)],
    resolver: &Resolver<'_>,
    reporter: Reporter<'_>,
) -> Vec<Role> {
    pages
        .iter()
        .map(|(id, role_id)| {
            let page = tree.page(*id);
            let spot = Spot::front_matter(page);
            let extra = table_to_json(&page.meta.extra);
            let map = extra.as_object().cloned().unwrap_or_default();
            let fields = Fields::new(&map, &spot, &["extra"], reporter);
            // `role_id` must be text; the id itself was read before.
            if fields.get("role_id").is_some() {
                let _ = fields.text("role_id");
            }
            let reports_to = fields
                .nonblank("reports_to")
                .and_then(|r| resolver.role_at(&fields, &["reports_to"], &r));
            Role {
                id: role_id.clone(),
                page: *id,
                name: page.meta.title.clone().unwrap_or_else(|| role_id.clone()),
                abbreviation: fields.nonblank("abbreviation"),
                description: page.meta.description.clone(),
                reports_to,
                required_reading: resolver.pages(&fields, "required_reading"),
            }
        })
        .collect()
}
