#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::document::Format;
use crate::rules::{Step, builtin_fixtures, field_paths};
use crate::schema::descriptor_fields;

pub(crate) fn options(fail_on: FailOn) -> Options {
    Options {
        as_of: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        fail_on,
    }
}

/// Every example descriptor and every rule fixture of the built-in catalog.
pub(crate) fn descriptors() -> Vec<Document> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut docs: Vec<Document> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "waivers.yaml"))
        .map(|p| Document::from_path(&p).unwrap())
        .collect();
    docs.extend(builtin_fixtures().map(|(name, text)| {
        Document::from_bytes(name, text.as_bytes(), Format::from_name(name)).unwrap()
    }));
    assert!(docs.len() > 300, "only {} descriptors", docs.len());
    docs
}

#[test]
fn the_assessment_carries_what_the_evaluation_decided() {
    let catalog = Catalog::builtin().unwrap();
    let engine = Engine::plain(catalog);
    let mut verdicts = std::collections::BTreeSet::new();
    for doc in descriptors() {
        for fail_on in [FailOn::High, FailOn::Low] {
            let options = options(fail_on);
            let evaluation = engine.evaluate(&doc, &options);
            let assessment = evaluation.to_assessment();
            let name = &doc.name;
            assert_eq!(evaluation.verdict(), assessment.verdict, "{name}");
            assert_eq!(evaluation.level(), assessment.level.level, "{name}");
            assert_eq!(
                evaluation.highest_possible_level(),
                assessment.level.highest_possible,
                "{name}"
            );
            assert_eq!(evaluation.points(), assessment.level.points, "{name}");
            assert_eq!(evaluation.fails(), assessment.fails(), "{name}");
            // Recounted from the written findings, the counts are the same.
            let mut recount = Summary::default();
            for f in &assessment.findings {
                recount.count(f.outcome, f.failing);
            }
            let counts = |s: &Summary| {
                [
                    s.rules,
                    s.pass,
                    s.gap,
                    s.unknown,
                    s.not_asked,
                    s.not_applicable,
                    s.waived,
                    s.failing,
                ]
            };
            assert_eq!(counts(evaluation.summary()), counts(&recount), "{name}");
            assert_eq!(evaluation.outcomes().len(), assessment.findings.len());
            for o in evaluation.outcomes() {
                let finding = assessment
                    .findings
                    .iter()
                    .find(|f| *f.rule_id == *o.rule.id)
                    .unwrap();
                assert_eq!(o.outcome, finding.outcome, "{name}: {}", o.rule.id);
                assert_eq!(o.severity, finding.severity, "{name}: {}", o.rule.id);
            }
            verdicts.insert(evaluation.verdict().as_str());
        }
    }
    // The descriptors reach every verdict, so each branch is compared.
    assert_eq!(verdicts.len(), 3, "{verdicts:?}");
}

#[test]
fn every_schema_field_is_reached_through_its_section() {
    let paths = field_paths();
    assert_eq!(paths.len(), descriptor_fields().len());
    for path in paths {
        match &path.step {
            Step::Top(key) => assert_eq!(*key, path.name),
            Step::Child(section, key) => {
                assert_eq!(format!("{}.{key}", paths[*section].name), path.name);
            }
            Step::Pointer(_) => panic!("`{}` has no section field", path.name),
        }
    }
}

#[test]
fn cached_field_values_are_those_of_their_pointers() {
    for doc in descriptors().iter().take(40) {
        let mut run = Evaluator::new(doc, NaiveDate::MIN);
        for (slot, path) in field_paths().iter().enumerate() {
            let pointer = format!("/{}", path.name.replace('.', "/"));
            assert_eq!(run.value(slot), lookup(&doc.value, &pointer), "{pointer}");
        }
    }
}
