//! The US federal AI use case inventory, 2024 consolidated CSV.
//!
//! The file is Windows-1252, its headers are the questions of the OMB reporting form, and
//! its answers are the agencies' own words: the same choice appears with different dashes,
//! capitals, trailing spaces and stray newlines, next to free text and waivers. Answers are
//! read after tidying their spacing and case; anything that is not one of the form's
//! choices stays unknown. The file has no use-case id column, so a record is named by its
//! position: `row N` is the N-th use case after the header.

use std::path::Path;

use serde_json::Value;

use super::{Descriptor, ImportError, Record, tidy};

/// The register named in each descriptor's `source`.
pub const REGISTER: &str = "US federal AI use case inventory 2024";

/// The columns read, by the start of their header.
mod col {
    pub const NAME: &str = "Use Case Name";
    pub const AGENCY: &str = "Agency";
    pub const ABBREVIATION: &str = "Agency Abbreviation";
    pub const TOPIC: &str = "Use Case Topic Area";
    pub const PURPOSE: &str = "What is the intended purpose and expected benefits of the AI?";
    pub const STAGE: &str = "Stage of Development";
    pub const IMPACTING: &str = "Is the AI use case rights-impacting, safety-impacting";
    pub const PII: &str = "Does this AI use case involve personally identifiable information";
    pub const SAOP: &str = "Has the Senior Agency Official for Privacy (SAOP) assessed";
    pub const IMPACT_ASSESSMENT: &str = "Has an AI impact assessment been conducted";
    pub const INDEPENDENT: &str = "Has an independent evaluation of the AI use case been conducted";
    pub const MONITORING: &str = "Is there a process to monitor performance of the AI system";
    pub const AUTONOMY: &str = "For this particular use case, can the AI carry out a decision";
    pub const NOTICE: &str = "How is the agency providing reasonable and timely notice";
    pub const CONSULTATION: &str = "What steps has the agency taken to consult";
    pub const APPEAL: &str = "Is there an established fallback and escalation process";
    pub const OPT_OUT: &str = "Where practicable and consistent with applicable law";
}

/// Reads the whole CSV; one record per use case.
pub fn read(file: &Path, bytes: &[u8]) -> Result<Vec<Record>, ImportError> {
    // Windows-1252 as published; a UTF-8 byte-order mark, if a re-saved copy has one, wins.
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let format_error = |reason: String| ImportError::Format {
        file: file.to_path_buf(),
        expected: "the US federal AI use case inventory CSV",
        reason,
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format_error(e.to_string()))?
        .iter()
        .map(tidy)
        .collect();
    let column = |start: &str| headers.iter().position(|h| h.starts_with(start));
    let columns = Columns {
        name: column(col::NAME),
        agency: headers.iter().position(|h| h == col::AGENCY),
        abbreviation: column(col::ABBREVIATION),
        topic: headers.iter().position(|h| h == col::TOPIC),
        purpose: column(col::PURPOSE),
        stage: column(col::STAGE),
        impacting: column(col::IMPACTING),
        pii: column(col::PII),
        saop: column(col::SAOP),
        impact_assessment: column(col::IMPACT_ASSESSMENT),
        independent: column(col::INDEPENDENT),
        monitoring: column(col::MONITORING),
        autonomy: column(col::AUTONOMY),
        notice: column(col::NOTICE),
        consultation: column(col::CONSULTATION),
        appeal: column(col::APPEAL),
        opt_out: column(col::OPT_OUT),
    };
    let (Some(name), Some(agency)) = (columns.name, columns.agency) else {
        return Err(format_error(format!(
            "no `{}` and `{}` columns in the header",
            col::NAME,
            col::AGENCY
        )));
    };
    let mut records = Vec::new();
    for (index, row) in reader.records().enumerate() {
        let id = format!("row {}", index + 1);
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                records.push(Record::Malformed {
                    record: id,
                    reason: format!("cannot be read as CSV: {e}"),
                });
                continue;
            }
        };
        if row.len() != headers.len() {
            records.push(Record::Malformed {
                record: id,
                reason: format!(
                    "has {} columns, the header has {}",
                    row.len(),
                    headers.len()
                ),
            });
            continue;
        }
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).unwrap_or_default();
        if tidy(cell(Some(name))).is_empty() || tidy(cell(Some(agency))).is_empty() {
            records.push(Record::Malformed {
                record: id,
                reason: "no use case name or no agency".to_string(),
            });
            continue;
        }
        let cells: Vec<&str> = row.iter().collect();
        records.push(Record::Descriptor(Box::new(descriptor(
            &id, &headers, &columns, &cells,
        ))));
    }
    Ok(records)
}

struct Columns {
    name: Option<usize>,
    agency: Option<usize>,
    abbreviation: Option<usize>,
    topic: Option<usize>,
    purpose: Option<usize>,
    stage: Option<usize>,
    impacting: Option<usize>,
    pii: Option<usize>,
    saop: Option<usize>,
    impact_assessment: Option<usize>,
    independent: Option<usize>,
    monitoring: Option<usize>,
    autonomy: Option<usize>,
    notice: Option<usize>,
    consultation: Option<usize>,
    appeal: Option<usize>,
    opt_out: Option<usize>,
}

/// How an answer, tidied and in lower case, reads for one field; `None` is unknown.
type Reading = fn(&str) -> Option<Value>;

#[expect(
    clippy::too_many_lines,
    reason = "one reading per column, in the order of the README's mapping table"
)]
fn descriptor(id: &str, headers: &[String], c: &Columns, cells: &[&str]) -> Descriptor {
    let cell = |i: Option<usize>| i.and_then(|i| cells.get(i).copied()).unwrap_or_default();
    let abbreviation = tidy(cell(c.abbreviation));
    let number = id.trim_start_matches("row ");
    let mut d = Descriptor::new(
        REGISTER,
        id,
        format!("us-2024-{abbreviation}-row-{number:0>4}"),
    );
    d.set("system.name", tidy(cell(c.name)));
    d.set("roles.deployer.name", tidy(cell(c.agency)));
    // Every agency in the inventory is a US federal agency.
    d.set("roles.deployer.public_authority", true);
    d.set("roles.deployer.country", "US");
    if c.purpose.is_some() {
        d.ask("purpose.summary");
    }
    let purpose = cell(c.purpose).trim();
    if !purpose.is_empty() {
        d.set("purpose.summary", purpose);
    }
    // A field whose column is in the file is asked, answered or not; the rest of the
    // descriptor is written as not asked by this register.
    let mut read = |field: &str, column: Option<usize>, reading: Reading| {
        let Some(i) = column else { return };
        d.ask(field);
        let raw = cells.get(i).copied().unwrap_or_default();
        let answer = tidy(raw);
        if answer.is_empty() {
            return;
        }
        d.keep_answer(field, &headers[i], raw);
        if let Some(value) = reading(&answer.to_lowercase()) {
            d.set(field, value);
        }
    };
    read("context.sectors", c.topic, |a| match a {
        "health & medical" => Some(Value::from(vec!["health"])),
        "government services (includes benefits and service delivery)" => {
            Some(Value::from(vec!["public-administration"]))
        }
        _ => None,
    });
    read("system.status", c.stage, |a| match a {
        "initiated" | "planned" | "ideation" => Some("planned".into()),
        "acquisition and/or development" => Some("in-development".into()),
        "operation and maintenance" | "in production" | "in mission" => Some("in-use".into()),
        "retired" => Some("retired".into()),
        _ => None,
    });
    read(
        "purpose.decisions_affect_rights",
        c.impacting,
        |a| match a {
            "rights-impacting" | "both" => Some(true.into()),
            "neither" => Some(false.into()),
            _ => None,
        },
    );
    read("data.personal_data", c.pii, yes_no);
    read("data.privacy_impact_assessment", c.saop, yes_no);
    read("impact_assessment.done", c.impact_assessment, |a| {
        if a.starts_with("planned or in-progress") {
            Some(false.into())
        } else {
            yes_no(a)
        }
    });
    read(
        "impact_assessment.independent_evaluation",
        c.independent,
        |a| {
            if a.starts_with("yes – by") || a.starts_with("yes - by") {
                Some(true.into())
            } else if a.starts_with("planned or in-progress") {
                Some(false.into())
            } else {
                yes_no(a)
            }
        },
    );
    read(
        "oversight.monitors_human_rights_impacts",
        c.monitoring,
        |a| {
            if a.starts_with("intermittent and manually updated:")
                || a.starts_with("automated and regularly scheduled updates:")
                || a.starts_with("established process of machine learning operations:")
            {
                Some(true.into())
            } else if a.starts_with("no monitoring protocols have been established") {
                Some(false.into())
            } else {
                None
            }
        },
    );
    read("purpose.decision_role", c.autonomy, |a| {
        a.starts_with("yes - all individual decisions or actions are automated")
            .then(|| "decides".into())
    });
    read("redress.notice_of_automated_decision", c.notice, |a| {
        let choices: Vec<&str> = a.split(',').map(str::trim).collect();
        let channel = |c: &&str| {
            c.starts_with("online")
                || c.starts_with("in-person")
                || c.starts_with("in person")
                || c.starts_with("email")
                || c.starts_with("telephone")
                || c.starts_with("physical notice")
        };
        if choices.iter().any(channel) {
            Some(true.into())
        } else if a == "none of the above" {
            Some(false.into())
        } else {
            None
        }
    });
    read(
        "impact_assessment.affected_groups_consulted",
        c.consultation,
        |a| {
            let a = a.trim_start_matches("[\"").trim_end_matches("\"]");
            if a.starts_with("direct user testing")
                || a.starts_with("general solicitations of comments")
                || a.starts_with("post-transaction customer feedback")
                || a.starts_with("post transaction customer feedback")
            {
                Some(true.into())
            } else if a == "none of the above" {
                Some(false.into())
            } else {
                None
            }
        },
    );
    read("redress.can_contest", c.appeal, |a| {
        if a == "yes" {
            Some(true.into())
        } else if a.starts_with("no – it is not operationally practical")
            || a.starts_with(
                "no – law, operational limitations, or governmentwide guidance precludes",
            )
        {
            Some(false.into())
        } else {
            None
        }
    });
    read("data.opt_out", c.opt_out, |a| {
        if a == "yes" {
            Some(true.into())
        } else if a.starts_with("no – this ai use case is not subject to the opt-out requirement")
            || a.starts_with("no – there is law or governmentwide guidance that restricts opt-out")
        {
            Some(false.into())
        } else {
            None
        }
    });
    d
}

/// A bare yes or no (any case); anything else is unknown.
fn yes_no(answer: &str) -> Option<Value> {
    match answer {
        "yes" | "true" => Some(true.into()),
        "no" | "false" => Some(false.into()),
        _ => None,
    }
}
