//! The `handbok` binary: all work happens in the library.

fn main() -> std::process::ExitCode {
    handbok::cli::run(std::env::args_os())
}
