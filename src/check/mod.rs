//! Checks over the whole rendered site: internal anchors (always, as Zola
//! does in build, serve and check) and, later, external links and the
//! governance report. Must not change outputs, or use the network unasked.

pub(crate) mod external;
pub(crate) mod links;
