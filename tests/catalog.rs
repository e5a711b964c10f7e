//! The built-in catalog is traceable: every rule cites a call to action with a verbatim
//! quote, every fixture gives the outcome its name states, and the seeds are untouched.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::root;
use rightscheck::check::fixtures;
use rightscheck::rules::Catalog;
use rightscheck::seeds;
use serde::Deserialize;

#[derive(Deserialize)]
struct Calls {
    calls: Vec<Call>,
}

#[derive(Deserialize)]
struct Call {
    id: String,
    document: String,
    text: String,
    #[serde(default)]
    rules: Vec<String>,
}

fn calls() -> Vec<Call> {
    let text = std::fs::read_to_string(root().join("seeds/calls-to-action.yaml")).unwrap();
    serde_saphyr::from_str::<Calls>(&text).unwrap().calls
}

#[test]
fn every_quote_is_verbatim_in_its_document() {
    let catalog = Catalog::builtin().unwrap();
    let mut failures = Vec::new();
    for rule in catalog.rules() {
        assert!(!rule.sources.is_empty(), "{} cites no call", rule.id);
        for source in rule.sources.iter() {
            let Some(text) = seeds::text(&source.document) else {
                failures.push(format!(
                    "{}: unknown document `{}`",
                    rule.id, source.document
                ));
                continue;
            };
            if !seeds::contains_quote(text, &source.quote) {
                failures.push(format!(
                    "{}: quote not in {}: {}",
                    rule.id, source.document, source.quote
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_cited_call_is_inventoried_with_its_verbatim_text() {
    let catalog = Catalog::builtin().unwrap();
    let calls = calls();
    let by_id: BTreeMap<&str, &Call> = calls.iter().map(|c| (c.id.as_str(), c)).collect();
    assert_eq!(by_id.len(), calls.len(), "call ids are unique");
    for call in &calls {
        let text =
            seeds::text(&call.document).unwrap_or_else(|| panic!("{}: unknown document", call.id));
        assert!(
            seeds::contains_quote(text, &call.text),
            "{}: text not verbatim",
            call.id
        );
        for rule in &call.rules {
            assert!(
                catalog.get(rule).is_some(),
                "{} lists unknown rule {rule}",
                call.id
            );
        }
    }
    for rule in catalog.rules() {
        for source in rule.sources.iter() {
            let call = by_id.get(source.call.as_str()).unwrap_or_else(|| {
                panic!("{} cites {} which is not inventoried", rule.id, source.call)
            });
            assert_eq!(
                call.document, source.document,
                "{} cites {}",
                rule.id, source.call
            );
            assert!(
                call.rules.iter().any(|id| *id == rule.id),
                "{} lists not {} although it cites it",
                call.id,
                rule.id
            );
        }
    }
}

#[test]
fn starter_catalog_spans_the_core_themes() {
    let catalog = Catalog::builtin().unwrap();
    // Exactly the rules written in rules/*.yaml, read here as text, independently of the loader.
    let (written, written_blockers) = rules_written_in_the_rule_files();
    let loaded: BTreeSet<String> = catalog.rules().iter().map(|r| r.id.to_string()).collect();
    assert_eq!(loaded, written);
    let themes: BTreeSet<&str> = catalog.rules().iter().map(|r| r.theme.as_str()).collect();
    for theme in [
        "prohibited-uses",
        "due-diligence",
        "impact-assessment",
        "human-oversight",
        "redress",
        "reversibility",
        "transparency",
        "non-discrimination",
        "privacy",
    ] {
        assert!(themes.contains(theme), "no rule for {theme}");
    }
    let blockers = catalog
        .rules()
        .iter()
        .filter(|r| r.severity.is_blocker())
        .count();
    assert_eq!(blockers, written_blockers);
}

/// The rule ids in rules/*.yaml and how many of them are red lines (`severity: blocker`).
fn rules_written_in_the_rule_files() -> (BTreeSet<String>, usize) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut ids = BTreeSet::new();
    let mut blockers = 0;
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines() {
            if let Some(id) = line.strip_prefix("  - id: ") {
                assert!(ids.insert(id.trim().to_string()), "{id} twice");
            } else if line == "    severity: blocker" {
                blockers += 1;
            }
        }
    }
    (ids, blockers)
}

#[test]
fn every_rule_fixture_gives_its_outcome_and_every_rule_has_pass_and_gap_fixtures() {
    let catalog = Catalog::builtin().unwrap();
    let fixtures = fixtures::builtin();
    // Every rule has fixtures on both sides of its boundary (checked per rule below), so
    // there are at least two per rule; the exact number is the files' own count.
    assert!(fixtures.len() >= 2 * catalog.rules().len());
    let failures: Vec<String> = fixtures::run(catalog, &fixtures)
        .into_iter()
        .filter(|r| !r.passed())
        .map(|r| {
            format!(
                "{} {}: {}",
                r.rule_id,
                r.fixture,
                r.problem.unwrap_or_default()
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_fixture_that_gives_the_wrong_outcome_is_caught() {
    let catalog = Catalog::builtin().unwrap();
    let mut fixtures = fixtures::builtin();
    let victim = fixtures
        .iter_mut()
        .find(|f| f.name.ends_with("/pass.yaml"))
        .unwrap();
    victim.name = victim.name.replace("/pass.yaml", "/gap.yaml");
    let results = fixtures::run(catalog, &fixtures);
    assert!(results.iter().any(|r| {
        !r.passed()
            && r.problem
                .as_deref()
                .unwrap_or_default()
                .contains("expected `gap`, got `pass`")
    }));
}

#[test]
fn seeds_are_byte_for_byte_the_shared_sources() {
    let shared = root().join("../shared/seeds");
    if !shared.is_dir() {
        eprintln!("skipping the comparison: ../shared/seeds is not beside the project");
        return;
    }
    for (file, text) in seeds::texts() {
        let original = std::fs::read(shared.join(file)).unwrap();
        assert_eq!(
            text.as_bytes(),
            original.as_slice(),
            "{file} differs from the source"
        );
    }
}

#[test]
fn the_embedded_catalog_matches_the_rules_folder() {
    // The binary embeds rules/ at build time; the digest must match a fresh read from disk.
    let from_disk = Catalog::from_dir(&root().join("rules")).unwrap();
    let builtin = Catalog::builtin().unwrap();
    assert_eq!(from_disk.rules().len(), builtin.rules().len());
    assert_eq!(from_disk.sha256, builtin.sha256);
    // The binary reads its rules from JSON converted at build time; the rules must be
    // exactly those read from the YAML on disk.
    for (disk, embedded) in from_disk.rules().iter().zip(builtin.rules()) {
        let fields = |r: &rightscheck::rules::Rule| {
            serde_json::json!({
                "id": r.id, "title": r.title, "theme": r.theme,
                "severity": format!("{:?}", r.severity),
                "applies_from": r.applies_from.map(rightscheck::rules::Level::as_str),
                "applies_when": r.applies_when.as_ref().map(rightscheck::rules::Condition::to_value),
                "requires": r.requires.to_value(),
                "question": r.question, "remediation": r.remediation,
                "sources": serde_json::to_value(&r.sources).unwrap(),
                "crosswalk": serde_json::to_value(&r.crosswalk).unwrap(),
                "docs": serde_json::to_value(&r.docs).unwrap(),
            })
        };
        assert_eq!(fields(disk), fields(embedded), "{}", disk.id);
    }
    assert_eq!(
        format!("{:?}", from_disk.level_model),
        format!("{:?}", builtin.level_model)
    );
}

#[test]
fn the_template_mentions_every_schema_field() {
    let template = std::fs::read_to_string(root().join("templates/descriptor.yaml")).unwrap();
    for path in rightscheck::schema::descriptor_fields().keys() {
        let leaf = path.rsplit('.').next().unwrap();
        assert!(
            template.contains(&format!("{leaf}:")),
            "template lacks `{path}`"
        );
    }
}

#[test]
fn every_call_is_covered_by_a_rule_or_explained() {
    let catalog = Catalog::builtin().unwrap();
    let calls = seeds::calls().unwrap();
    let holes: Vec<String> = rightscheck::check::coverage::coverage(catalog, &calls)
        .into_iter()
        .filter(|r| r.status == rightscheck::check::coverage::CallStatus::NotCovered)
        .map(|r| format!("{}: {}", r.call.id, r.call.text))
        .collect();
    assert!(
        holes.is_empty(),
        "calls neither covered nor explained:\n{}",
        holes.join("\n")
    );
    for call in &calls {
        assert!(
            call.rules.is_some() != call.out_of_scope.is_some(),
            "{} must have either `rules` or `out_of_scope`",
            call.id
        );
    }
}

#[test]
fn the_builtin_pack_lints_clean() {
    let problems = rightscheck::check::lint::lint_dir(&root().join("rules")).unwrap();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn lint_catches_a_paraphrased_quote_an_unknown_call_and_missing_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pack.yaml"),
        r#"rules:
  - id: XX-TST-001
    title: The system is publicly disclosed
    theme: transparency
    severity: low
    sources:
      - document: foc-2020
        call: FOC20-99
        quote: "States should stop using AI systems for repression and authoritarianism"
    requires:
      field: transparency.public_disclosure
      equals: true
    remediation: Disclose it.
    docs:
      what_it_checks: Whether the system is disclosed.
      why_it_matters: People cannot contest what they cannot see.
"#,
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("fixtures/XX-TST-001")).unwrap();
    std::fs::write(
        dir.path().join("fixtures/XX-TST-001/pass.yaml"),
        "descriptor_version: \"1\"\nsystem: {name: x}\ntransparency: {public_disclosure: true}\n",
    )
    .unwrap();
    let problems = rightscheck::check::lint::lint_dir(dir.path()).unwrap();
    let all = problems.join("\n");
    assert_eq!(problems.len(), 5, "{all}");
    assert!(
        all.contains("the quote is not verbatim in `foc-2020`"),
        "{all}"
    );
    assert!(
        all.contains("cites call `FOC20-99`, which is not in seeds/calls-to-action.yaml"),
        "{all}"
    );
    assert!(all.contains("no `gap` fixture"), "{all}");
    assert!(all.contains("a `gap-lax-*.yaml` fixture"), "{all}");
    assert!(
        all.contains("a `pass-strict-*.yaml` or `not-applicable-strict-*.yaml` fixture"),
        "{all}"
    );
}

/// The README's table of what each impact level asks is the one `rules levels` prints.
#[test]
fn the_readme_levels_table_is_the_one_the_rules_give() {
    use rightscheck::rules::obligations;
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = "<!-- rules levels: generated by `rightscheck rules levels --format markdown`; a test keeps it equal -->\n";
    let end = "<!-- end of rules levels -->";
    let from = readme.find(start).expect("the README has the levels block") + start.len();
    let to = from + readme[from..].find(end).unwrap();
    let catalog = Catalog::builtin().unwrap();
    let generated = obligations::to_markdown(&obligations::by_level(catalog));
    assert_eq!(
        &readme[from..to],
        generated,
        "README.md is out of date: replace its levels block with `rightscheck rules levels --format markdown`"
    );
}

/// The digest `build.rs` computes for the built-in catalog is the one the rules folder
/// gives when read from disk.
#[test]
fn the_prepared_catalog_is_the_rules_folder() {
    let builtin = Catalog::builtin().unwrap();
    let from_disk = Catalog::from_dir(&root().join("rules")).unwrap();
    assert_eq!(builtin.sha256, from_disk.sha256);
    let ids = |c: &Catalog| c.rules().iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(builtin), ids(&from_disk));
    assert_eq!(builtin.retired.len(), from_disk.retired.len());
}

/// A renamed rule id is kept as a redirect: `explain OLD-ID` names the new id.
#[test]
fn explain_follows_a_redirect() {
    use rightscheck::diagnostic::Diagnostic as _;
    use rightscheck::report::catalog::{Format, explain};
    use rightscheck::rules::Redirect;
    let builtin = Catalog::builtin().unwrap();
    // The built-in redirects read, and each leads from a free id to a rule.
    for r in &builtin.redirects {
        assert!(builtin.get(&r.from).is_none() && builtin.get(&r.to).is_some());
    }
    let mut catalog = builtin.clone();
    catalog.redirects.push(Redirect {
        from: "RC-OVS-900".to_string(),
        to: "RC-OVS-001".to_string(),
    });
    let Err(err) = explain(&catalog, "rc-ovs-900", Format::Table) else {
        panic!("a renamed id is not a rule");
    };
    assert_eq!(
        err.to_string(),
        "rule `RC-OVS-900` was renamed to `RC-OVS-001`"
    );
    assert_eq!(
        err.help().as_deref(),
        Some("run `rightscheck explain RC-OVS-001`")
    );
    assert!(explain(&catalog, "RC-OVS-001", Format::Table).is_ok());
}
