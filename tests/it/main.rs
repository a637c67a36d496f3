//! The one integration-test binary (one link step for every test).

mod architecture;
mod browser;
mod browser_reload;
mod build;
mod cli;
mod common;
mod history;
mod robust;
mod serve;
mod zola;
mod zola_data;
