//! Reads arbitrary bytes as a register mapping file, as `import --mapping FILE` would.
//! Every input becomes a checked mapping or a located error; nothing may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rightscheck::import::Mapping;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Mapping::parse("fuzz.yaml", text);
    }
});
