//! The `handbok` binary: all work happens in the library.

/// Parallel builds allocate many small strings from several threads at
/// once; mimalloc handles that far better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    handbok::cli::run(std::env::args_os())
}
