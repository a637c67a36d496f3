//! Checks over the whole rendered site: internal anchors (always, as Zola
//! does in build, serve and check), external links (only with
//! `check --external`) and, later, the governance report. Must not change
//! outputs, or use the network unasked.

pub(crate) mod external;
pub(crate) mod links;
