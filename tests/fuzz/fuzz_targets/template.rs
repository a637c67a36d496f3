//! Fuzz target: a template source is parsed as a site's template is; it must never panic, overflow the stack or hang.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        handbok::fuzzing::template(text);
    }
});
