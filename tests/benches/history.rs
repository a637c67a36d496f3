//! Placeholder while the history benchmark is written.
fn main() {}
