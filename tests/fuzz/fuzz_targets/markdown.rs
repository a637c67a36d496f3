//! Fuzz target: a Markdown body goes through the whole Markdown pipeline; it must never panic or hang.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        handbok::fuzzing::markdown(text);
    }
});
