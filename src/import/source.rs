//! A register's file read into one table: its columns (a CSV header, or every key the
//! JSON records use) and one row of cells per record.
//!
//! A cell is `None` when the record's register does not ask the question at all (the
//! column is not in the file, or a JSON key is missing or `null`), and `Some("")` when it
//! asks and the record left it blank. Text is UTF-8, with or without a byte-order mark;
//! bytes that are not UTF-8 are read as Windows-1252, the encoding of older exports.

use std::path::Path;

use serde_json::Value;

use super::{ImportError, tidy};
use crate::document::TooLargeOr;
use crate::import::mapping::{FileFormat, normal};

/// The largest register file read (the biggest published export is about 3 MB).
pub const MAX_REGISTER_BYTES: u64 = 256 * 1024 * 1024;

/// One record's cells, or why it cannot be read.
pub type Row = Result<Vec<Option<String>>, String>;

/// A register's file as a table.
#[derive(Debug)]
pub struct SourceTable {
    /// CSV or JSON.
    pub format: FileFormat,
    /// The JSON wrapper key the records were under, if any.
    pub wrapper: Option<String>,
    /// The column headers (tidied) or keys.
    pub columns: Vec<String>,
    /// The same, in the normal form answers and headers are compared in.
    pub normal_columns: Vec<String>,
    /// One row per record, in file order.
    pub rows: Vec<Row>,
}

/// Reads a file whole, up to [`MAX_REGISTER_BYTES`].
pub fn read_bounded(file: &Path) -> Result<Vec<u8>, ImportError> {
    crate::document::read_at_most(file, MAX_REGISTER_BYTES).map_err(|e| match e {
        TooLargeOr::Io(source) => ImportError::Read {
            file: file.to_path_buf(),
            source,
        },
        TooLargeOr::TooLarge(_) => ImportError::TooLarge {
            file: file.to_path_buf(),
            limit: MAX_REGISTER_BYTES,
        },
    })
}

/// The file's text: UTF-8 without its byte-order mark, or Windows-1252 when the bytes
/// are not UTF-8.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// Reads the file as a table: JSON when it starts with `[` or `{`, CSV otherwise.
/// `wrappers` are the keys under which a JSON object may hold its records.
pub fn parse(file: &Path, text: &str, wrappers: &[&str]) -> Result<SourceTable, ImportError> {
    let start = text.trim_start();
    if start.starts_with('[') || start.starts_with('{') {
        parse_json(file, text, wrappers)
    } else {
        parse_csv(file, text)
    }
}

fn unreadable(file: &Path, reason: String) -> ImportError {
    ImportError::Unreadable {
        file: file.to_path_buf(),
        reason,
    }
}

fn parse_csv(file: &Path, text: &str) -> Result<SourceTable, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let columns: Vec<String> = reader
        .headers()
        .map_err(|e| unreadable(file, format!("its first line is not a CSV header: {e}")))?
        .iter()
        .map(tidy)
        .collect();
    if columns.len() < 2 {
        return Err(unreadable(
            file,
            "it is neither JSON nor a CSV table with a header row".to_string(),
        ));
    }
    let mut rows = Vec::new();
    for row in reader.records() {
        rows.push(match row {
            Err(e) => Err(format!("cannot be read as CSV: {e}")),
            Ok(row) if row.len() != columns.len() => Err(format!(
                "has {} columns, the header has {}",
                row.len(),
                columns.len()
            )),
            Ok(row) => Ok(row.iter().map(|c| Some(c.to_string())).collect()),
        });
    }
    Ok(SourceTable {
        format: FileFormat::Csv,
        wrapper: None,
        normal_columns: columns.iter().map(|c| normal(c)).collect(),
        columns,
        rows,
    })
}

fn parse_json(file: &Path, text: &str, wrappers: &[&str]) -> Result<SourceTable, ImportError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| unreadable(file, format!("it is not valid JSON: {e}")))?;
    let (wrapper, items) = match value {
        Value::Array(items) => (None, items),
        Value::Object(mut map) => {
            let key = wrappers
                .iter()
                .copied()
                .find(|k| map.get(*k).is_some_and(Value::is_array));
            let found = key.and_then(|k| match map.remove(k) {
                Some(Value::Array(items)) => Some((k, items)),
                _ => None,
            });
            let Some((key, items)) = found else {
                let keys: Vec<&str> = map.keys().map(String::as_str).take(12).collect();
                return Err(ImportError::Unrecognised {
                    file: file.to_path_buf(),
                    found: format!("a JSON object with the keys {}", keys.join(", ")),
                    expected: format!(
                        "a list of records, or an object holding one under {}",
                        wrappers.join(" or ")
                    ),
                });
            };
            (Some(key.to_string()), items)
        }
        _ => {
            return Err(unreadable(
                file,
                "it is JSON, but neither a list of records nor an object".to_string(),
            ));
        }
    };
    let mut columns: Vec<String> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for item in &items {
        if let Value::Object(map) = item {
            for key in map.keys() {
                if !index.contains_key(key) {
                    index.insert(key.clone(), columns.len());
                    columns.push(key.clone());
                }
            }
        }
    }
    let rows = items
        .iter()
        .map(|item| {
            let Value::Object(map) = item else {
                return Err("not an object".to_string());
            };
            let mut cells = vec![None; columns.len()];
            for (key, value) in map {
                cells[index[key]] = cell(key, value)?;
            }
            Ok(cells)
        })
        .collect();
    Ok(SourceTable {
        format: FileFormat::Json,
        wrapper,
        normal_columns: columns.iter().map(|c| normal(c)).collect(),
        columns,
        rows,
    })
}

/// One JSON value as a cell: `null` is "not asked"; lists and objects are kept as JSON
/// text, for a mapping's `list` to split.
fn cell(key: &str, value: &Value) -> Result<Option<String>, String> {
    Ok(match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() {
                Some(n.to_string())
            } else {
                let f = n.as_f64().unwrap_or_default();
                // Beyond 2^53 a JSON number no longer holds every whole number: an id of
                // 29 digits would come back as `1.2345e28`.
                if f.abs() >= 9_007_199_254_740_992.0 {
                    return Err(format!(
                        "`{key}` holds a number too long to keep exactly; write it as text (in quotes)"
                    ));
                }
                Some(n.to_string())
            }
        }
        other => Some(other.to_string()),
    })
}
