//! Loads one arbitrary file as a rule pack (as `--rules DIR` would). Invalid files must be
//! refused with located messages; nothing may panic, hang or blow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rightscheck::rules::Catalog;

fuzz_target!(|data: &[u8]| {
    // Text that opens with `{` is read as JSON, the rest as YAML, as file names would say.
    let name = if data.trim_ascii_start().starts_with(b"{") {
        "pack/fuzz.json"
    } else {
        "pack/fuzz.yaml"
    };
    let files = vec![(name.to_string(), data.to_vec())];
    match Catalog::from_files("fuzz", &files) {
        Ok(catalog) => {
            for rule in catalog.rules() {
                let _ = rule.requires.to_value();
                let _ = catalog.get(&rule.id);
            }
            let _ = catalog.themes();
        }
        Err(err) => {
            let _ = (err.to_string(), err.help());
        }
    }
});
