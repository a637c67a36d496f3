//! handbok: a Zola-compatible static site generator for governance
//! handbooks.
//!
//! The pipeline, one stage per module, each returning new data:
//!
//! ```text
//! config::load -> content::read -> governance::review_confidentiality
//!   -> content::link -> history::collect -> governance::build
//!   -> Renderer::new -> Renderer::render_bodies (markdown) -> check::links
//!   -> Renderer::render_site -> search::write_index -> output::write
//!                                                   | serve | check
//! ```
//!
//! Governance comes before Markdown: the glossary marks terms in every
//! body, and shortcodes read roles. `review_confidentiality` checks every
//! page and section's audience and classification before a build for one
//! audience leaves anything out; `content::link` builds the tree without
//! what it withholds.
//!
//! [`pipeline`] is the only place that knows this order; [`cli`] maps the
//! command line onto it.

mod authoring;
mod check;
pub mod cli;
pub mod config;
mod content;
pub mod diagnostics;
#[doc(hidden)]
pub mod fuzzing;
mod governance;
mod history;
#[doc(hidden)]
pub use history::bench_collect;
mod markdown;
mod output;
pub mod pipeline;
mod render;
mod search;
pub mod serve;
