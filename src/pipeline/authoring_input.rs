//! What `handbok new` and `handbok review` read before they write: the
//! configuration, the content tree and the governance model, without
//! history or rendering, reduced to the facts of `authoring::Handbook`.
//!
//! Stage order only; no authoring logic.

use super::{BuildOptions, Error};
use crate::authoring::Handbook;
use crate::config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::governance::{self, GovOptions};
use std::path::PathBuf;

/// A loaded handbook's facts and where it lives.
#[derive(Debug, Clone)]
pub(crate) struct AuthoringInput {
    /// The site root.
    pub(crate) root: PathBuf,
    /// Roles, kinds, documents and defaults.
    pub(crate) handbook: Handbook,
}

/// Loads the facts; `None` (with the diagnostics saying why) when the
/// configuration is invalid.
pub(crate) fn load_authoring_input(
    options: &BuildOptions,
) -> Result<(Option<AuthoringInput>, Vec<Diagnostic>), Error> {
    let diags = Diagnostics::new();
    let config = match config::load(&options.root, options.config_file.as_deref(), &diags) {
        Ok(c) => c,
        Err(config::Error::Invalid) => return Ok((None, diags.sorted())),
        Err(e) => return Err(Error::Config(e)),
    };
    let loaded = content::read(&config, true, &diags);
    let tree = content::link(&config, loaded, content::Withheld::default(), &diags);
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let history = crate::history::History::empty();
    let settings = governance::Settings::from_config(&config, &diags);
    let model = governance::build(
        &config,
        &settings,
        &tree,
        &history,
        &GovOptions { today },
        &diags,
    );
    let handbook = Handbook::from_model(&config, &tree, &model);
    let input = AuthoringInput {
        root: config.root.clone(),
        handbook,
    };
    Ok((Some(input), diags.sorted()))
}
