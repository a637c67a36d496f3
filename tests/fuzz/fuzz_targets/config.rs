//! Fuzz target: a config.toml is parsed and resolved; it must never panic or hang.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        handbok::fuzzing::config(text);
    }
});
