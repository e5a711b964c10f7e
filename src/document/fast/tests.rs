//! The fast path either declines or reads exactly what serde-saphyr reads: the same value,
//! the same key and value positions for every pointer, and never a value where serde-saphyr
//! reports an error.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

use super::{parse, positions, values};
use crate::document::tree::parse_yaml_in_full;

/// Whether the fast path took `text`; fails if it read anything differently.
fn check(text: &str) -> Result<bool, String> {
    if text.trim().is_empty() {
        // Refused as empty before either reader runs.
        return Ok(false);
    }
    let fast = parse(text);
    let fast_spans = positions(text);
    let fast_values = values(text);
    if fast.is_some() != fast_spans.is_some() || fast.is_some() != fast_values.is_some() {
        return Err(format!("only some of the fast readings declined:\n{text}"));
    }
    if let (Some((value, _)), Some(alone)) = (&fast, &fast_values)
        && (value != alone || format!("{value}") != format!("{alone}"))
    {
        return Err(format!("the value read alone differs for\n{text}"));
    }
    let Some((value, spans)) = fast else {
        return Ok(false);
    };
    let (full_value, full_spans) = parse_yaml_in_full("t", text)
        .map_err(|err| format!("fast path read what serde-saphyr refuses ({err}):\n{text}"))?;
    // Compared as text too, so that key order and number representation count.
    let (fast_json, full_json) = (value.to_string(), full_value.to_string());
    if value != full_value || fast_json != full_json {
        return Err(format!(
            "values differ for\n{text}\nfast: {fast_json}\nfull: {full_json}"
        ));
    }
    for spans in [&spans, &fast_spans.unwrap_or_default()] {
        if *spans != full_spans {
            let mut diff = String::new();
            for (pointer, span) in full_spans.iter() {
                if spans.get(pointer) != Some(span) {
                    let _ = writeln!(
                        diff,
                        "{pointer:?}: full {span:?}, fast {:?}",
                        spans.get(pointer)
                    );
                }
            }
            for (pointer, _) in spans.iter().filter(|(p, _)| full_spans.get(p).is_none()) {
                let _ = writeln!(diff, "{pointer:?}: only in fast");
            }
            return Err(format!("positions differ for\n{text}\n{diff}"));
        }
    }
    Ok(true)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        {
            out.push(path);
        }
    }
}

/// The YAML and JSON documents under these folders of the repository, sorted.
fn documents_under(dirs: &[&str]) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in dirs {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    files
}

#[test]
fn every_document_in_the_repository_reads_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = documents_under(&[
        "examples",
        "rules",
        "profiles",
        "schemas",
        "seeds",
        "templates",
        "tests",
        "fuzz",
    ]);
    assert!(files.len() > 100, "only {} documents found", files.len());
    let mut declined = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let name = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        match check(&text) {
            Ok(true) => {}
            Ok(false) => declined.push(name),
            Err(err) => panic!("{name}: {err}"),
        }
    }
    eprintln!(
        "fast path took {} of {} documents; declined: {declined:#?}",
        files.len() - declined.len(),
        files.len()
    );
    // Ordinary documents must not silently lose the fast path.
    for example in [
        "examples/welfare-risk-scoring.yaml",
        "examples/well-governed.json",
    ] {
        assert!(
            !declined.iter().any(|d| d == example),
            "{example} took the slow path"
        );
    }
}

/// Scalars whose reading is easy to get wrong.
const TRICKY: &[&str] = &[
    "NO",
    "no",
    "yes",
    "Yes",
    "on",
    "off",
    "y",
    "n",
    "true",
    "True",
    "TRUE",
    "tRUE",
    "false",
    "False",
    "FALSE",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "",
    "0",
    "-0",
    "+0",
    "00",
    "-00",
    "+1",
    "-1",
    "010",
    "-010",
    "+010",
    "0.5",
    "00.5",
    "-0.0",
    "+.5",
    ".5",
    "-.5",
    "5.",
    "1e3",
    "1E3",
    "-1e-3",
    "1e400",
    "-1e400",
    ".5e999",
    "1_000",
    "_1",
    "1__0",
    "1_",
    "0x1F",
    "0X1f",
    "-0x1F",
    "+0x1F",
    "0o17",
    "0b101",
    "0xZZ",
    ".inf",
    "-.inf",
    "+.inf",
    ".Inf",
    ".INF",
    ".nan",
    ".NaN",
    ".NAN",
    "inf",
    "-inf",
    "+inf",
    "nan",
    "NaN",
    "Infinity",
    "-Infinity",
    "infinity",
    "1.0e+3",
    "1e",
    "e3",
    "-",
    "+",
    ".",
    "..",
    "+-1",
    "-+1",
    "--1",
    "++1",
    "1-2",
    "1.2.3",
    "2024-06-30",
    "12:30",
    "1:2:3",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "1180591620717411303424",
    "-1180591620717411303424",
    "99999999999999999999999999999999999999999",
    "<<",
    "\"quoted\"",
    "'single'",
    "\"\"",
    "''",
    "\"NO\"",
    "'010'",
    "\"1e3\"",
    "\"a\\tb\\u00e9\"",
    "'it''s'",
    "é",
    "🦀",
    "日本語",
    "a b  c",
    "x #not comment",
    "a:b",
    "http://x.org/a?b=c",
    "~foo",
    "null!",
    "true.",
    "&a x",
    "*a",
    "!!str 1",
    "!!int 1",
    "!x y",
];

/// Documents that place `s` as a root, a value, a key, an item, and inside flow collections.
fn documents(s: &str) -> Vec<String> {
    vec![
        format!("{s}\n"),
        format!("k: {s}\n"),
        format!("k: {s}\nother: 1\n"),
        format!("{s}: v\n"),
        format!("a:\n  {s}: v\n  b: {s}\n"),
        format!("- {s}\n- {s}\n"),
        format!("k:\n  - {s}\n  - [{s}, 1]\n"),
        format!("{{a: {s}, b: [{s}]}}\n"),
        format!("[{s}]\n"),
        format!("{{\"k\": {s}}}\n"),
        format!("--- {s}\n"),
        format!("---\nk: {s}\n...\n"),
    ]
}

#[test]
fn tricky_scalars_read_the_same() {
    let mut fast = 0;
    let mut total = 0;
    for s in TRICKY {
        for text in documents(s) {
            total += 1;
            if check(&text).unwrap_or_else(|err| panic!("{err}")) {
                fast += 1;
            }
        }
    }
    eprintln!("fast path took {fast} of {total} documents with tricky scalars");
    assert!(fast * 2 > total, "the fast path declined too often");
}

#[test]
fn structure_and_positions_read_the_same() {
    let texts = [
        "a:\n  b:\n    c: 1\n  d: [1, 2, {e: f}]\n",
        "# comment\n\na: 1 # trailing\n\n# between\nb:\n  - x\n  -\n  - - nested\n    - again\n",
        "a:\nb: ~\nc:\n",
        "- a: 1\n  b: 2\n- c: 3\n",
        "- - - deep\n",
        "a: |\n  line one\n  line two\n\nb: >\n  folded\n  text\n\nc: |-\n  kept\nd: >+\n  more\n\n",
        "a: |2\n    indented\n",
        "a: plain\n  continued\n  over lines\nb: \"double\n  quoted\"\nc: 'single\n\n  quoted'\n",
        "\"a/b\": 1\n\"c~d\": 2\n\"\": 3\n\" \": 4\n",
        "{a: 1, b: {c: [], d: {}}, e: [[], [{}]]}",
        "[a, b: c, {d: e}]",
        "{\n  \"name\": \"x\",\n  \"list\": [1, 2.5, true, null, \"s\"],\n  \"nested\": {\"a\": {\"b\": []}}\n}\n",
        "key: value\nkey: again\n",
        "a: 1\n\"a\": 2\n",
        "1: one\n",
        "true: yes\n",
        "~: x\n",
        "? complex\n: value\n",
        "? [a, b]\n: value\n",
        "<<: {a: 1}\nb: 2\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n...\n",
        "# only a comment\n",
        "---\n",
        "a: [1, 2\n",
        "a: 'open\n",
        "a:\n\t- tab\n",
        "a: b: c\n",
        "\u{feff}a: 1\n",
        "a: 1\r\nb:\r\n  - 2\r\n",
        "é: ü\n🦀: [日本語]\n",
        "- 1\n- 2\n",
        "scalar root\n",
        "[]",
        "{}",
        "a: {}\nb: []\n",
        "a:\n  - {}\n  - []\n",
        "seq:\n- a\n- b\n",
        "k: v # c\n# c2\nl:  \n  - 1\n",
    ];
    for text in texts {
        check(text).unwrap_or_else(|err| panic!("{err}"));
    }
    // Nesting up to the limit and past it: declined or the same.
    for depth in [8, 31, 32, 33, 63, 64, 65, 70] {
        let mut text = String::new();
        for level in 0..depth {
            let _ = writeln!(text, "{}k{level}:", "  ".repeat(level));
        }
        let _ = writeln!(text, "{}leaf: 1", "  ".repeat(depth));
        check(&text).unwrap_or_else(|err| panic!("{err}"));
        let flow = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        check(&flow).unwrap_or_else(|err| panic!("{err}"));
    }
}

/// Fragments that matter to a YAML reader, for soups that are mostly not valid YAML.
const TOKENS: &[&str] = &[
    "- ",
    ": ",
    ":",
    "? ",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "&a ",
    "*a",
    "<<: ",
    "!!str ",
    "|",
    "|-",
    ">",
    ">+",
    "#",
    "'",
    "\"",
    "\\",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "\n",
    "\r\n",
    "  ",
    "\t",
    "key",
    "k2",
    "1",
    "010",
    "1_000",
    "0x1F",
    ".inf",
    "1e400",
    "-0",
    "1e3",
    "0.5",
    "NO",
    "~",
    "null",
    "true",
    "é",
    "\u{feff}",
    "🦀",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(TOKENS).prop_map(str::to_string),
            1 => "[a-z0-9 ]{1,6}",
        ],
        0..48,
    )
    .prop_map(|parts| parts.concat())
}

/// Well-formed block documents built from tricky scalars, so that most take the fast path.
fn block_document() -> impl Strategy<Value = String> {
    let scalar = prop::sample::select(TRICKY).prop_map(str::to_string);
    let line = (0usize..4, 0usize..3, "[a-z]{1,3}", scalar).prop_map(|(indent, kind, key, s)| {
        let pad = "  ".repeat(indent);
        match kind {
            0 => format!("{pad}{key}: {s}\n"),
            1 => format!("{pad}- {s}\n"),
            _ => format!("{pad}{key}:\n"),
        }
    });
    prop::collection::vec(line, 1..24).prop_map(|lines| lines.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn yaml_soup_reads_the_same(text in soup()) {
        check(&text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn generated_documents_read_the_same(text in block_document()) {
        check(&text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn arbitrary_text_reads_the_same(text in any::<String>()) {
        check(&text).map_err(TestCaseError::fail)?;
    }
}

/// Whether the line reader alone takes `text`.
fn taken_by_lines(text: &str) -> bool {
    let mut builder = super::Builder::new(text.len(), true, true);
    super::lines::walk(text, &mut builder).is_some() && builder.stack.is_empty()
}

#[test]
fn the_line_reader_takes_the_descriptors_the_project_writes_and_reads_them_the_same() {
    let mut files = documents_under(&[
        "examples",
        "tests/fixtures/import/expected",
        "tests/fixtures/portfolio",
    ]);
    files.retain(|f| {
        f.extension().is_some_and(|e| e == "yaml")
            && !f.ends_with("hostile-strings.yaml")
            && !f.ends_with("waivers.yaml")
    });
    assert!(files.len() > 20, "only {} descriptors found", files.len());
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        assert!(
            taken_by_lines(&text),
            "{} was not read line by line",
            file.display()
        );
        check(&text).unwrap_or_else(|err| panic!("{}: {err}", file.display()));
    }
}

/// Documents in the plain block style with what makes a line reader go wrong: comments,
/// empty values, lists at their key's indentation, block scalars with empty lines.
#[test]
fn block_style_documents_read_the_same() {
    let texts = [
        "# head\n\na: 1\nb:   # why\n  c: x\n",
        "a:\n- x\n-   y\n- k: v\n  l: w\nb: z\n",
        "a:\n  - k:\n    - x\n  - j:\n  - ''\n",
        "a: >-\n  one\n  two\n\n  three\n\n\nb: |-\n  x  \n\n  y\nc: |\n  z\n\nd: >\n  w\n",
        "a: >-\n  one\n    more\n",
        "a: >-\n  x  \n  y \n\n  z   \nb: >\n  w \n",
        "a: |-\n  one\n   \n  two\n",
        "a: >-\n\n  late\n",
        "a: [x, y-z, 1.5, -2]\nb: [ ]\nc: []\nd: {}\ne: [a,b]\nf: [a, ]\n",
        "a: \"it's\" # c\nb: 'it''s'\nc: \"x\"#c\nd: 'x' y\n",
        "a: \"x\\ny\\t\\\\ \\\" \\/\"\nb: \"\\u00e9\"\nc: \"\\\"\nd: \"a\\\"\ne: \"\\e\\x41\"\n",
        "a: x#y\nb: x # y: z\nc: http://x.org/a?b=c\nd: a: b\n",
        "a: -1\nb: -x\nc: - x\nd: .5\ne: ~\nf: null\ng: 010\n",
        "a: 1\n  b: 2\n",
        "a:\n    b: 1\n  c: 2\n",
        "a: plain\n\n  continued\n",
        "- a\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n...\n",
        "a: 1\nb: 2\na: 3\n",
        "a:\n  b: 1\n  b: 2\n",
        "\u{2028}a: 1\n",
        "a: x\u{2029}y\n",
        "a: \u{85}\n",
    ];
    for text in texts {
        check(text).unwrap_or_else(|err| panic!("{err}"));
    }
}

#[test]
fn push_number_writes_what_to_string_writes() {
    for n in [0, 7, 9, 10, 99, 100, 12_345, usize::MAX] {
        let mut out = String::from("/items/");
        super::push_number(&mut out, n);
        assert_eq!(out, format!("/items/{n}"));
    }
}
