//! handbok: a Zola-compatible static site generator for governance
//! handbooks.
//!
//! The pipeline, one stage per module, each returning new data:
//!
//! ```text
//! config::load -> content::read -> governance::review_confidentiality
//!   -> content::link -> history::collect -> markdown::render_all
//!   -> governance::build -> render::site -> search::index -> output::write
//!                                                     | serve | check::run
//! ```
//!
//! `review_confidentiality` checks every page and section's audience and
//! classification before a build for one audience leaves anything out;
//! `content::link` builds the tree without what it withholds.
//!
//! [`pipeline`] is the only place that knows this order; [`cli`] maps the
//! command line onto it.

mod check;
pub mod cli;
pub mod config;
mod content;
pub mod diagnostics;
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
