//! Reads arbitrary bytes as a register export through the built-in mappings, as
//! `rightscheck import FILE` would, and writes every descriptor read as YAML (in memory).
//! Nothing may panic, hang or blow the stack: a file is read into records or refused with
//! a reason, and a record into a descriptor or a reason it is skipped.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rightscheck::import::{Mapping, Record, read_bytes};

fn mappings() -> &'static [Mapping] {
    static MAPPINGS: OnceLock<Vec<Mapping>> = OnceLock::new();
    MAPPINGS.get_or_init(|| Mapping::built_in().unwrap_or_default())
}

fuzz_target!(|data: &[u8]| {
    let Ok(imported) = read_bytes(Path::new("fuzz.csv"), data, mappings()) else {
        return;
    };
    for record in imported.read.records {
        if let Record::Descriptor(d) = record {
            let _ = d.to_yaml();
            let _ = serde_json::to_value(&*d);
        }
    }
});
