//! Fuzz target: a content file's front matter (TOML or YAML) is split and parsed; it must never panic or hang.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        handbok::fuzzing::front_matter(text);
    }
});
