//! The one integration-test binary (one link step for every test).

mod architecture;
mod authoring;
mod browser;
mod browser_reload;
mod browser_search;
mod build;
mod cli;
mod common;
mod confidentiality;
mod fuzz_stable;
mod history;
mod kept_loops;
mod lists;
mod robust;
mod search;
mod serve;
mod snapshots;
mod zola;
mod zola_data;
