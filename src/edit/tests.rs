use serde_json::json;

use super::*;

fn yaml(text: &str, path: &str, value: Option<&Value>) -> String {
    set("t.yaml", text, Format::Yaml, path, value).unwrap()
}

fn json_edit(text: &str, path: &str, value: Option<&Value>) -> String {
    set("t.json", text, Format::Json, path, value).unwrap()
}

#[test]
fn a_scalar_is_replaced_and_its_comment_kept() {
    let text = "# top\na:\n  b: 1 # why\n  c: x\nd: 'q'\n";
    assert_eq!(
        yaml(text, "a.b", Some(&json!(true))),
        "# top\na:\n  b: true # why\n  c: x\nd: 'q'\n"
    );
}

#[test]
fn blank_writes_the_key_alone() {
    let text = "a:\n  b: yes sir\n  c: x\n";
    assert_eq!(yaml(text, "a.b", None), "a:\n  b:\n  c: x\n");
}

#[test]
fn a_missing_key_goes_at_the_end_of_its_section() {
    let text = "a:\n  b: 1\n  # note\n  c: x\nd: 2\n";
    assert_eq!(
        yaml(text, "a.e", Some(&json!("hello world"))),
        "a:\n  b: 1\n  # note\n  c: x\n  e: hello world\nd: 2\n"
    );
}

#[test]
fn missing_sections_are_created_at_the_end_of_the_file() {
    let text = "a:\n  b: 1\n";
    assert_eq!(
        yaml(text, "x.w.z", Some(&json!(["one", "2"]))),
        "a:\n  b: 1\nx:\n  w:\n    z:\n      - one\n      - \"2\"\n"
    );
}

#[test]
fn a_blank_section_is_filled() {
    let text = "a: # later\nb: 1\n";
    assert_eq!(
        yaml(text, "a.c", Some(&json!(3))),
        "a: # later\n  c: 3\nb: 1\n"
    );
}

#[test]
fn a_list_replaces_a_list() {
    let text = "a:\n  l:\n  - x\n  - y\n  m: 1\n";
    assert_eq!(
        yaml(text, "a.l", Some(&json!(["z"]))),
        "a:\n  l:\n    - z\n  m: 1\n"
    );
}

#[test]
fn records_are_written_as_block_lists() {
    let text = "a:\n  evidence: []\n";
    assert_eq!(
        yaml(
            text,
            "a.evidence",
            Some(&json!([{"title": "T: x", "link": "https://e.org"}]))
        ),
        "a:\n  evidence:\n    - link: \"https://e.org\"\n      title: \"T: x\"\n"
    );
}

#[test]
fn text_that_could_be_read_as_something_else_is_quoted() {
    for (value, written) in [
        ("true", "\"true\""),
        ("2024-01-01", "\"2024-01-01\""),
        ("a: b", "\"a: b\""),
        ("# no", "\"# no\""),
        ("- x", "\"- x\""),
        ("two\nlines", "\"two\\nlines\""),
        ("", "\"\""),
        ("plain words", "plain words"),
    ] {
        let out = yaml("k: 1\n", "k", Some(&json!(value)));
        assert_eq!(out, format!("k: {written}\n"), "{value}");
    }
}

#[test]
fn json_keeps_its_indentation() {
    let text = "{\n    \"a\": {\n        \"b\": 1\n    }\n}\n";
    assert_eq!(
        json_edit(text, "a.b", Some(&json!(false))),
        "{\n    \"a\": {\n        \"b\": false\n    }\n}\n"
    );
    assert_eq!(
        json_edit(text, "a.c", Some(&json!(["x"]))),
        "{\n    \"a\": {\n        \"b\": 1,\n        \"c\": [\n            \"x\"\n        ]\n    }\n}\n"
    );
    assert_eq!(
        json_edit(text, "a.b", None),
        "{\n    \"a\": {\n        \"b\": null\n    }\n}\n"
    );
}

#[test]
fn json_on_one_line_stays_on_one_line() {
    assert_eq!(
        json_edit("{\"a\":{\"b\":1}}", "a.c.d", Some(&json!("x"))),
        "{\"a\":{\"b\":1,\"c\":{\"d\":\"x\"}}}"
    );
}

#[test]
fn a_value_in_the_way_is_refused() {
    let err = set("t.yaml", "a: 1\n", Format::Yaml, "a.b", Some(&json!(1))).unwrap_err();
    assert!(matches!(err, EditError::NotSection { .. }));
    let err = set("t.yaml", "a: 1\n", Format::Yaml, "a..b", Some(&json!(1))).unwrap_err();
    assert!(matches!(err, EditError::BadPath(_)));
}

#[test]
fn flow_sections_are_rewritten_whole() {
    assert_eq!(
        yaml("a: {b: 1}\nc: 2\n", "a.d", Some(&json!(2))),
        "a:\n  b: 1\n  d: 2\nc: 2\n"
    );
}
