//! The one integration-test binary (one link step for every test).

mod architecture;
mod build;
mod cli;
mod common;
mod zola;
