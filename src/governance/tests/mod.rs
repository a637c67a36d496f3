//! Tests of the governance model on small fixture sites written to a temp
//! dir (this file: the fixture). `rules.rs`: one fixture change per rule
//! with its exact located message. `data.rs`: review dates against a fixed
//! "today", inline duties, review data, cross-links in both directions and
//! the glossary. `bundled.rs`: the handbook in `content/`.

mod bundled;
mod data;
mod rules;

use super::*;
use crate::content;
use crate::diagnostics::render_plain;
use serde_json::Value;
use std::path::Path;

/// The fixed "today" of every test.
pub(super) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default()
}

pub(super) const ISAM: &str = r#"+++
title = "Informationssäkerhetssamordnare"
description = "Samordnar informationssäkerhetsarbetet."

[extra]
role_id = "isam"
abbreviation = "ISAM"
required_reading = ["@/styrdokument/anvisning.md"]
+++
Text.
"#;

pub(super) const CHEF: &str = r#"+++
title = "Chef över verksamhet"

[extra]
reports_to = "isam"
+++
"#;

pub(super) const DSO: &str = r#"+++
title = "Dataskyddsombud"

[extra]
abbreviation = "DSO"
+++
"#;

pub(super) const ANVISNING: &str = r#"+++
title = "Lokal anvisning"

[extra]
kind = "anvisning"
doc_id = "UTB-ANV-001"
version = "1.1"
status = "gällande"
owner = "isam"
approved_by = "chef"
approved = 2025-03-01
review_interval = "P1Y"
audience = "alla"
classification = { k = 1, r = 2, t = 0 }
related = ["@/styrdokument/rutin.md"]

[[extra.responsibilities]]
role = "chef"
duty = "Granskar behörigheter."

[[extra.changes]]
version = "1.0"
date = 2024-03-01
summary = "Första."
approved_by = "chef"
kind = "major"

[[extra.changes]]
version = "1.1"
date = 2025-03-01
summary = "Uppdaterad."
approved_by = "Anna Andersson"
kind = "minor"
+++
Inledning.

{% ansvar(roll="chef") %}
Chefen **granskar** [behörigheter](@/styrdokument/rutin.md).
{% end %}

{% ansvar(roll="isam") %}
ISAM följer upp.
{% end %}
"#;

pub(super) const RUTIN: &str = r#"+++
title = "Rutin för behörigheter"

[extra]
kind = "rutin"
doc_id = "UTB-RUT-001"
version = "1.0"
status = "utkast"
owner = "chef"
supersedes = ["@/styrdokument/gammal.md"]
+++
"#;

pub(super) const GAMMAL: &str = r#"+++
title = "Gammal rutin"

[extra]
kind = "rutin"
doc_id = "UTB-RUT-000"
version = "1.0"
status = "upphävd"
owner = "chef"
approved_by = "chef"
approved = 2020-01-01
+++
"#;

pub(super) const REVIEW: &str = r#"+++
title = "Ledningens genomgång 2025"

[extra]
kind = "genomgang"
doc_id = "UTB-LG-2025"
version = "1.0"
status = "gällande"
owner = "isam"
approved_by = "chef"
approved = 2025-12-01
data = "data.toml"
+++
"#;

pub(super) const DATA: &str = r#"[meta]
year = 2025

[[events]]
id = 1
title = "Behörigheter följs inte upp"
roles = ["isam", "chef"]
documents = ["@/styrdokument/rutin.md"]

[[activities]]
key = "oversyn"
period = "2026"
id = 1
title = "Översyn av anvisningen"
roles = ["isam"]
documents = ["@/styrdokument/anvisning.md"]

[[activities]]
key = "behorigheter"
period = "2026"
id = 2
title = "Uppföljning av behörigheter"
roles = ["chef"]
documents = []

[[activities]]
key = "oversyn"
period = "2027–2028"
id = 1
title = "Översyn av anvisningen"
roles = ["isam"]
documents = ["UTB-ANV-001"]

[[other_activities]]
group = "cyber"
title = "Analys av omfattning"
roles = ["dso"]
documents = []

[[training]]
course = "Informationssäkerhet"
total = 300
certified = 100
not_certified = 150
in_progress = 50

[incidents]
total = 41
reported_to_imy = 4
"#;

pub(super) const GLOSSARY: &str = r#"+++
title = "Ordlista"

[extra]
glossary = true

[[extra.terms]]
term = "Öl"
expansion = "Öl"
definition = "Dryck."

[[extra.terms]]
term = "ISAM"
expansion = "Informationssäkerhetssamordnare"
definition = "Samordnar."
role = "isam"

[[extra.terms]]
term = "Ärende"
expansion = "Ärende"
definition = "Sak."

[[extra.terms]]
term = "DSO"
expansion = "Dataskyddsombud"
definition = "Övervakar."
role = "dso"

[[extra.terms]]
term = "Åtgärd"
expansion = "Åtgärd"
definition = "Något som görs."
+++
"#;

pub(super) fn base_files() -> Vec<(&'static str, String)> {
    [
        ("content/_index.md", "+++\ntitle = \"Handbok\"\n+++\n"),
        ("content/roller/_index.md", "+++\ntitle = \"Roller\"\n+++\n"),
        ("content/roller/isam.md", ISAM),
        ("content/roller/chef.md", CHEF),
        ("content/roller/dso.md", DSO),
        (
            "content/styrdokument/_index.md",
            "+++\ntitle = \"Styrdokument\"\n+++\n",
        ),
        ("content/styrdokument/anvisning.md", ANVISNING),
        ("content/styrdokument/rutin.md", RUTIN),
        ("content/styrdokument/gammal.md", GAMMAL),
        (
            "content/genomgangar/_index.md",
            "+++\ntitle = \"Genomgångar\"\n+++\n",
        ),
        ("content/genomgangar/2025/index.md", REVIEW),
        ("content/genomgangar/2025/data.toml", DATA),
        ("content/ordlista.md", GLOSSARY),
    ]
    .into_iter()
    .map(|(p, t)| (p, t.to_string()))
    .collect()
}

/// A fixture site built and modelled.
pub(super) struct Fixture {
    _dir: tempfile::TempDir,
    pub(super) tree: ContentTree,
    pub(super) config: Config,
    pub(super) model: Model,
    pub(super) diags: Diagnostics,
}

impl Fixture {
    pub(super) fn new(handbook: &str, files: &[(&str, String)]) -> Fixture {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let config_text = format!("base_url = '/'\n\n[handbook]\n{handbook}");
        for (path, text) in files {
            write(dir.path(), path, text);
        }
        write(dir.path(), "config.toml", &config_text);
        let mut config = Config::from_str_for_tests(&config_text)
            .unwrap_or_else(|d| panic!("config: {}", render_plain(&d.sorted())));
        config.root = dir.path().to_path_buf();
        let load_diags = Diagnostics::new();
        let loaded = content::read(&config, false, &load_diags);
        assert!(
            !load_diags.has_errors(),
            "{}",
            render_plain(&load_diags.sorted())
        );
        let diags = Diagnostics::new();
        // Read once, as the pipeline does: its problems are reported here.
        let settings = Settings::from_config(&config, &diags);
        let withheld = super::review_confidentiality(&settings, &loaded, None, &diags);
        let tree = content::link(&config, loaded, withheld, &load_diags);
        let model = build(
            &config,
            &settings,
            &tree,
            &crate::history::History::empty(),
            &GovOptions { today: today() },
            &diags,
        );
        Fixture {
            _dir: dir,
            tree,
            config,
            model,
            diags,
        }
    }

    /// The model made again from this fixture's folder after writing
    /// `text` at `path` (the folder stays: paths in the model stay equal).
    pub(super) fn model_after(&self, path: &str, text: &str) -> Model {
        write(&self.config.root, path, text);
        let diags = Diagnostics::new();
        let loaded = content::read(&self.config, false, &diags);
        let settings = Settings::from_config(&self.config, &diags);
        let withheld = super::review_confidentiality(&settings, &loaded, None, &diags);
        let tree = content::link(&self.config, loaded, withheld, &diags);
        build(
            &self.config,
            &settings,
            &tree,
            &crate::history::History::empty(),
            &GovOptions { today: today() },
            &diags,
        )
    }

    /// The base fixture with some files replaced or added.
    pub(super) fn with(changes: &[(&str, &str)]) -> Fixture {
        Fixture::with_config("", changes)
    }

    pub(super) fn with_config(handbook: &str, changes: &[(&str, &str)]) -> Fixture {
        let mut files = base_files();
        for (path, text) in changes {
            files.retain(|(p, _)| p != path);
            files.push((path, text.to_string()));
        }
        Fixture::new(handbook, &files)
    }

    pub(super) fn report(&self) -> String {
        render_plain(&self.diags.sorted())
    }

    pub(super) fn id(&self, relative: &str) -> PageId {
        match self.tree.get(relative) {
            Some(content::Item::Page(id)) => id,
            _ => panic!("no page {relative}"),
        }
    }

    pub(super) fn page(&self, relative: &str) -> Value {
        self.model
            .page_value(self.id(relative))
            .unwrap_or(Value::Null)
    }
}

pub(super) fn write(root: &Path, path: &str, text: &str) {
    let full = root.join(path);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
    }
    std::fs::write(full, text).unwrap_or_else(|e| panic!("write: {e}"));
}

/// The base fixture with `from` replaced by `to` in one file.
pub(super) fn edited(path: &str, from: &str, to: &str) -> Fixture {
    let original = base_files()
        .into_iter()
        .find(|(p, _)| *p == path)
        .map(|(_, t)| t)
        .unwrap_or_default();
    assert!(original.contains(from), "{from:?} not in {path}");
    Fixture::with(&[(path, &original.replacen(from, to, 1))])
}

pub(super) fn titles(values: &Value) -> Vec<String> {
    values
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v["title"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}
