//! OSCAL 1.1 assessment results (JSON), so governance, risk and compliance tools can ingest
//! the findings.
//!
//! One `result` holds the whole assessment. Every rule is a `finding` whose target is the
//! rule id (`objective-id`), `satisfied` when it passed or does not apply and
//! `not-satisfied` for a gap or an open question (the `reason` says which). The descriptor
//! values behind each finding are an `observation`, with the evidence documents as
//! `relevant-evidence`. Each gap and open question is also an open `risk` with the
//! remediation and a `deadline` from `--deadlines`. The back matter identifies the
//! descriptor (with its SHA-256), the rule catalog and the source documents the rules
//! quote. There is no separate assessment plan: `import-ap` points at the catalog.
//!
//! Every UUID is a version-5 UUID derived from the descriptor's and catalog's SHA-256,
//! the as-of date and the item, so the same inputs always give the same document. In a
//! portfolio, a second descriptor with the same bytes derives its UUIDs from those and its
//! own path ([`Ids::copy`]), so no two results share one.

use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;
use uuid::Uuid;

use super::error::Result;
use super::labels::clean;
use super::labels::escape_markdown;
use super::view::{document_titles, evidence_of, lines_of, media_type, safe_href, support_of};
use super::{RenderOptions, Report, Spill, Whole};
use crate::assessment::{Assessment, Finding, Outcome, Support};
use crate::seeds;

/// The OSCAL assessment results of one system.
pub struct Oscal<'a>(pub RenderOptions<'a>);

/// The OSCAL version the output conforms to.
pub const OSCAL_VERSION: &str = "1.1.3";

/// Namespace of the properties this tool defines: an identifier, not a location (the
/// `.invalid` domain is reserved and never resolves). OSCAL tools such as
/// compliance-trestle accept only `scheme://` URIs here, so a `urn:` cannot be used.
const NS: &str = "https://rightscheck.invalid/ns/oscal";

/// The name from which every UUID's namespace is derived; changing it changes every UUID.
const UUID_NAMESPACE: &str = "urn:rightscheck:oscal";

#[derive(Serialize)]
struct Root {
    #[serde(rename = "assessment-results")]
    assessment_results: AssessmentResults,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct AssessmentResults {
    uuid: String,
    metadata: Metadata,
    import_ap: ImportAp,
    results: Vec<ResultSet>,
    back_matter: BackMatter,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Metadata {
    pub(crate) title: String,
    last_modified: String,
    version: String,
    oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    roles: Vec<Role>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parties: Vec<Party>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    responsible_parties: Vec<ResponsibleParty>,
    pub(crate) remarks: String,
}

#[derive(Serialize)]
struct Role {
    id: &'static str,
    title: &'static str,
}

#[derive(Serialize)]
struct Party {
    uuid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ResponsibleParty {
    role_id: &'static str,
    party_uuids: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct ImportAp {
    href: String,
    remarks: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct ResultSet {
    uuid: String,
    title: String,
    description: String,
    start: String,
    end: String,
    props: Vec<Prop>,
    reviewed_controls: ReviewedControls,
    observations: Vec<Observation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    risks: Vec<Risk>,
    findings: Vec<OscalFinding>,
    remarks: String,
}

#[derive(Serialize)]
struct Prop {
    name: &'static str,
    ns: &'static str,
    value: String,
}

fn prop(name: &'static str, value: &str) -> Prop {
    Prop {
        name,
        ns: NS,
        value: string(value, "none"),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ReviewedControls {
    description: &'static str,
    control_selections: Vec<ControlSelection>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ControlSelection {
    include_all: IncludeAll,
}

#[derive(Serialize)]
struct IncludeAll {}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Observation {
    uuid: String,
    title: String,
    description: String,
    props: Vec<Prop>,
    methods: Vec<&'static str>,
    types: Vec<&'static str>,
    relevant_evidence: Vec<RelevantEvidence>,
    collected: String,
}

#[derive(Serialize)]
struct RelevantEvidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    href: Option<String>,
    description: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Risk {
    uuid: String,
    title: String,
    description: String,
    statement: String,
    props: Vec<Prop>,
    status: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mitigating_factors: Vec<MitigatingFactor>,
    deadline: String,
    remediations: Vec<Response>,
    related_observations: Vec<RelatedObservation>,
}

#[derive(Serialize)]
struct MitigatingFactor {
    uuid: String,
    description: String,
}

#[derive(Serialize)]
struct Response {
    uuid: String,
    lifecycle: &'static str,
    title: String,
    description: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedObservation {
    observation_uuid: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedRisk {
    risk_uuid: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct OscalFinding {
    uuid: String,
    title: String,
    description: String,
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<Link>,
    target: ObjectiveTarget,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_observations: Vec<RelatedObservation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_risks: Vec<RelatedRisk>,
    remarks: String,
}

#[derive(Serialize)]
struct Link {
    href: String,
    rel: &'static str,
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ObjectiveTarget {
    #[serde(rename = "type")]
    kind: &'static str,
    target_id: String,
    title: String,
    status: Status,
}

#[derive(Serialize)]
struct Status {
    state: &'static str,
    reason: &'static str,
}

#[derive(Serialize)]
struct BackMatter {
    resources: Vec<Resource>,
}

#[derive(Serialize)]
pub(crate) struct Resource {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation: Option<Citation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rlinks: Vec<Rlink>,
}

#[derive(Serialize)]
struct Citation {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Rlink {
    href: String,
    media_type: &'static str,
    hashes: Vec<Hash>,
}

#[derive(Serialize)]
struct Hash {
    algorithm: &'static str,
    value: String,
}

/// Stable UUIDs for one assessment.
pub(crate) struct Ids {
    namespace: Uuid,
    scope: String,
    /// The descriptor's path, for a copy of a descriptor already in the document.
    copy_of: Option<String>,
}

impl Ids {
    pub(crate) fn new(a: &Assessment) -> Ids {
        Ids {
            namespace: Uuid::new_v5(&Uuid::NAMESPACE_URL, UUID_NAMESPACE.as_bytes()),
            scope: format!("{}/{}/{}", a.descriptor.sha256, a.catalog.sha256, a.as_of),
            copy_of: None,
        }
    }

    /// The UUIDs of a second descriptor with the same bytes as one already written: each
    /// derived from the one the first got and this descriptor's path.
    pub(crate) fn copy(a: &Assessment) -> Ids {
        Ids {
            copy_of: Some(a.descriptor.file.clone()),
            ..Ids::new(a)
        }
    }

    fn of(&self, kind: &str, item: &str) -> String {
        let id = Uuid::new_v5(
            &self.namespace,
            format!("{}/{kind}/{item}", self.scope).as_bytes(),
        );
        match &self.copy_of {
            None => id.to_string(),
            Some(file) => {
                Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("{id}/{file}").as_bytes()).to_string()
            }
        }
    }

    /// The UUID of the system's result: the same for two descriptors with the same bytes.
    pub(crate) fn result(&self) -> String {
        self.of("result", "")
    }
}

/// OSCAL strings may not be empty nor start or end with white space, nor (in one-line
/// fields) hold a line break.
fn string(text: &str, fallback: &str) -> String {
    let one_line = clean(text).split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.is_empty() {
        fallback.to_string()
    } else {
        one_line
    }
}

/// Descriptor-derived text in an OSCAL markup field, which tools render as Markdown.
fn markup(text: &str, fallback: &str) -> String {
    escape_markdown(&string(text, fallback))
}

fn datetime(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

fn observation(a: &Assessment, f: &Finding, ids: &Ids, descriptor: &str) -> Observation {
    let lines = lines_of(&f.observations);
    let mut description: Vec<String> = f
        .observations
        .iter()
        .map(|o| {
            let mut line = markup(&o.message, "no value");
            if let Some(e) = &o.expected {
                line.push_str("; ");
                line.push_str(&markup(e, ""));
            }
            if o.line > 0 {
                let _ = write!(line, " (descriptor line {})", o.line);
            }
            format!("- {line}")
        })
        .collect();
    if description.is_empty() {
        description.push(markup(&f.message, "no descriptor value decided this rule"));
    }
    let mut evidence = vec![RelevantEvidence {
        href: Some(format!("#{descriptor}")),
        description: if lines.is_empty() {
            markup(
                &format!("The descriptor {}", a.descriptor.file),
                "the descriptor",
            )
        } else {
            markup(
                &format!("The descriptor {}, line {lines}", a.descriptor.file),
                "the descriptor",
            )
        },
    }];
    evidence.extend(evidence_of(f).into_iter().map(|e| {
        let mut text = e.title.clone();
        for part in [e.link.as_ref(), e.file.as_ref(), e.date.as_ref()]
            .into_iter()
            .flatten()
        {
            text.push_str(", ");
            text.push_str(part);
        }
        if let Some(v) = &e.verified_by {
            text.push_str(", verified by ");
            text.push_str(v);
        }
        RelevantEvidence {
            href: e.link.as_deref().and_then(safe_href),
            description: markup(&text, "evidence document"),
        }
    }));
    let support = match support_of(f) {
        Support::Evidenced => "evidenced",
        Support::Claimed => "claimed",
        Support::NotStated => "not-stated",
    };
    Observation {
        uuid: ids.of("observation", &f.rule_id),
        title: markup(
            &format!("{}: descriptor values", f.rule_id),
            "descriptor values",
        ),
        description: description.join("\n"),
        props: vec![prop("support", support)],
        methods: vec!["EXAMINE"],
        types: vec!["finding"],
        relevant_evidence: evidence,
        collected: datetime(&a.as_of),
    }
}

fn risk(a: &Assessment, f: &Finding, ids: &Ids, options: &RenderOptions<'_>) -> Risk {
    let (statement, response_title) = if f.outcome == Outcome::Gap {
        (
            format!(
                "The system falls short of a {} rule: {}",
                f.severity, f.title
            ),
            "Close the gap",
        )
    } else {
        (
            format!(
                "The descriptor does not show whether the system meets a {} rule: {}",
                f.severity, f.title
            ),
            "Answer the question, then close any gap",
        )
    };
    let mut remediation = String::new();
    if let Some(q) = &f.question {
        let _ = write!(remediation, "Ask the vendor: {}\n\n", markup(q, ""));
    }
    remediation.push_str(&markup(&f.remediation, "see the rule"));
    let mut deadline = options
        .deadlines
        .target_date(&a.as_of, f.severity)
        .unwrap_or_else(|| a.as_of.clone());
    let mut props = vec![
        prop("severity", f.severity.as_str()),
        prop("outcome", f.outcome.as_str()),
    ];
    let mut mitigating_factors = Vec::new();
    // OSCAL risks have no remarks: what the waiver says goes after the description.
    let mut note = String::new();
    // A waiver is a formal, approved deviation: OSCAL's `deviation-approved`, with the
    // compensating measure as a mitigating factor and the expiry as the deadline.
    if let Some(w) = &f.waiver {
        deadline.clone_from(&w.expires_on);
        props.push(prop(
            "waiver-approved-by",
            &string(&w.approved_by, "not given"),
        ));
        props.push(prop(
            "waiver-approved-on",
            &string(&w.approved_on, "not given"),
        ));
        mitigating_factors.push(MitigatingFactor {
            uuid: ids.of("mitigating-factor", &f.rule_id),
            description: markup(&w.compensating_measure, "not given"),
        });
        note = format!(
            ". Waived until {}: {} Approved by {} on {} ({}).",
            w.expires_on, w.justification, w.approved_by, w.approved_on, w.location
        );
    }
    if let Some(date) = &f.waiver_expired_on {
        note = format!(". A waiver expired on {date}: the finding is open again.");
    }
    Risk {
        uuid: ids.of("risk", &f.rule_id),
        title: markup(&format!("{}: {}", f.rule_id, f.title), "risk"),
        description: markup(&format!("{}{note}", f.message), "see the finding"),
        statement: markup(&statement, "see the finding"),
        props,
        status: if f.waiver.is_some() {
            "deviation-approved"
        } else {
            "open"
        },
        mitigating_factors,
        deadline: datetime(&deadline),
        remediations: vec![Response {
            uuid: ids.of("remediation", &f.rule_id),
            lifecycle: "recommendation",
            title: response_title.to_string(),
            description: remediation,
        }],
        related_observations: vec![RelatedObservation {
            observation_uuid: ids.of("observation", &f.rule_id),
        }],
    }
}

fn finding(f: &Finding, ids: &Ids) -> OscalFinding {
    let (state, reason) = match f.outcome {
        Outcome::Pass => ("satisfied", "pass"),
        Outcome::NotApplicable => ("satisfied", "not-applicable"),
        Outcome::Gap => ("not-satisfied", "fail"),
        Outcome::Unknown => ("not-satisfied", "unknown"),
        Outcome::NotAsked => ("not-satisfied", "not-asked"),
        Outcome::Waived => ("not-satisfied", "waived"),
    };
    let open = matches!(
        f.outcome,
        Outcome::Gap | Outcome::Unknown | Outcome::NotAsked | Outcome::Waived
    );
    let sources: Vec<String> = f
        .sources
        .iter()
        .map(|s| format!("{} {}: \"{}\"", s.document, s.call, s.quote.trim()))
        .collect();
    OscalFinding {
        uuid: ids.of("finding", &f.rule_id),
        title: markup(&format!("{}: {}", f.rule_id, f.title), "finding"),
        description: markup(&f.message, "met"),
        props: vec![
            prop("severity", f.severity.as_str()),
            prop("outcome", f.outcome.as_str()),
            prop("theme", &string(&f.theme, "none")),
            prop("failing", if f.failing { "true" } else { "false" }),
        ],
        links: f
            .sources
            .iter()
            .map(|s| Link {
                href: format!("#{}", ids.of("source", &s.document)),
                rel: "reference",
                text: markup(&format!("{} {}", s.document, s.call), "source"),
            })
            .collect(),
        target: ObjectiveTarget {
            kind: "objective-id",
            target_id: token(&f.rule_id),
            title: markup(&f.title, "rule"),
            status: Status { state, reason },
        },
        related_observations: vec![RelatedObservation {
            observation_uuid: ids.of("observation", &f.rule_id),
        }],
        related_risks: if open {
            vec![RelatedRisk {
                risk_uuid: ids.of("risk", &f.rule_id),
            }]
        } else {
            Vec::new()
        },
        remarks: if sources.is_empty() {
            "No source given.".to_string()
        } else {
            sources
                .iter()
                .map(|s| format!("- {}", markup(s, "source")))
                .collect::<Vec<_>>()
                .join("\n")
        },
    }
}

/// An OSCAL token: a letter or `_` first, then letters, digits, `.`, `-` or `_`.
fn token(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

fn back_matter(a: &Assessment, ids: &Ids) -> BackMatter {
    let mut resources = vec![
        Resource {
            uuid: ids.of("resource", "descriptor"),
            title: markup(&format!("Descriptor {}", a.descriptor.file), "descriptor"),
            description: markup(
                &format!(
                    "The AI system descriptor assessed: {}",
                    a.descriptor.system_name
                ),
                "the AI system descriptor assessed",
            ),
            props: Vec::new(),
            citation: None,
            rlinks: vec![Rlink {
                href: super::labels::uri_path(&a.descriptor.file),
                media_type: media_type(&a.descriptor.file),
                hashes: vec![Hash {
                    algorithm: "SHA-256",
                    value: a.descriptor.sha256.clone(),
                }],
            }],
        },
        Resource {
            uuid: ids.of("resource", "catalog"),
            title: format!("{} rule catalog", a.tool.name),
            description: markup(
                &format!(
                    "{} rules from {}, evaluated by {} {}; every rule quotes the call to action it encodes",
                    a.catalog.rules,
                    a.catalog.origins.join(" + "),
                    a.tool.name,
                    a.tool.version
                ),
                "the rule catalog",
            ),
            props: vec![
                prop("catalog-sha256", &a.catalog.sha256),
                prop("tool-version", &a.tool.version),
            ],
            citation: None,
            rlinks: Vec::new(),
        },
    ];
    let mut cited: Vec<&str> = a
        .findings
        .iter()
        .flat_map(|f| f.sources.iter().map(|s| s.document.as_str()))
        .collect();
    cited.sort_unstable();
    cited.dedup();
    let titles = document_titles();
    let documents = seeds::documents();
    for id in cited {
        let doc = documents.iter().find(|d| d.id == id);
        let title = titles.get(id).cloned().unwrap_or_else(|| id.to_string());
        resources.push(Resource {
            uuid: ids.of("source", id),
            title: markup(&title, id),
            description: markup(&format!("Source document `{id}`"), "source document"),
            props: Vec::new(),
            citation: Some(Citation {
                text: markup(
                    &doc.map_or_else(
                        || title.clone(),
                        |d| format!("{}, {} ({})", d.issuer, d.title, d.year),
                    ),
                    id,
                ),
            }),
            rlinks: Vec::new(),
        });
    }
    BackMatter { resources }
}

fn metadata(a: &Assessment, ids: &Ids, options: &RenderOptions<'_>, system: &str) -> Metadata {
    let assessor = options
        .assessor
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| string(s, "assessor"));
    let (roles, parties, responsible_parties) = match &assessor {
        Some(name) => {
            let uuid = ids.of("party", name);
            (
                vec![Role {
                    id: "assessor",
                    title: "Assessor",
                }],
                vec![Party {
                    uuid: uuid.clone(),
                    kind: "person",
                    name: name.clone(),
                }],
                vec![ResponsibleParty {
                    role_id: "assessor",
                    party_uuids: vec![uuid],
                }],
            )
        }
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    Metadata {
        title: format!("Human-rights assessment results: {system}"),
        last_modified: datetime(&a.as_of),
        version: a.as_of.clone(),
        oscal_version: OSCAL_VERSION,
        roles,
        parties,
        responsible_parties,
        remarks: format!(
            "Produced by {} {} as of {}. Descriptor SHA-256 {}; rule catalog SHA-256 {}.",
            a.tool.name, a.tool.version, a.as_of, a.descriptor.sha256, a.catalog.sha256
        ),
    }
}

/// The typed parts of one system's OSCAL report: the document's own fields, the system's
/// result and its back-matter resources. The single-system report puts them together as
/// they are; the portfolio takes the head from its first system and a result and
/// resources from every system.
pub(crate) struct Parts {
    /// The document's UUID.
    pub(crate) uuid: String,
    /// The document's metadata.
    pub(crate) metadata: Metadata,
    /// The link to the assessment plan (the catalog resource).
    pub(crate) import_ap: ImportAp,
    /// The system's result.
    pub(crate) result: ResultSet,
    /// The descriptor, the catalog and the source documents.
    pub(crate) resources: Vec<Resource>,
}

/// The parts of one system's report, with its UUIDs from `ids`.
pub(crate) fn parts(a: &Assessment, options: &RenderOptions<'_>, ids: &Ids) -> Parts {
    let descriptor = ids.of("resource", "descriptor");
    let open: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| matches!(f.outcome, Outcome::Gap | Outcome::Unknown | Outcome::Waived))
        .collect();
    let system = markup(&a.descriptor.system_name, "unnamed system");
    Parts {
        uuid: ids.of("document", ""),
        metadata: metadata(a, ids, options, &system),
        import_ap: ImportAp {
            href: format!("#{}", ids.of("resource", "catalog")),
            remarks: "There is no separate assessment plan: the plan is the rule catalog described in the back matter.",
        },
        result: ResultSet {
            uuid: ids.result(),
            title: format!("Assessment of {system} against the human-rights calls to action"),
            description: format!(
                "Verdict: **{}** ({}). Impact level: {} ({}). {} rules: {}, {}, {} not asked by the source, {} met, {} not applicable, {} waived. Profile: {}.",
                a.verdict.as_str(),
                markup(&a.verdict_reason, ""),
                a.level.level,
                a.level.name,
                a.summary.rules,
                crate::text::count(a.summary.gap, "gap", "gaps"),
                crate::text::count(a.summary.unknown, "open question", "open questions"),
                a.summary.not_asked,
                a.summary.pass,
                a.summary.not_applicable,
                a.summary.waived,
                markup(&a.profile.id, "default")
            ),
            start: datetime(&a.as_of),
            end: datetime(&a.as_of),
            props: vec![
                prop("verdict", a.verdict.as_str()),
                prop("impact-level", a.level.level.as_str()),
                prop("descriptor-sha256", &a.descriptor.sha256),
                prop("catalog-sha256", &a.catalog.sha256),
                prop("profile", &string(&a.profile.id, "default")),
            ],
            reviewed_controls: ReviewedControls {
                description: "Every rule of the catalog, each a requirement drawn from a human-rights call to action.",
                control_selections: vec![ControlSelection {
                    include_all: IncludeAll {},
                }],
            },
            observations: a
                .findings
                .iter()
                .map(|f| observation(a, f, ids, &descriptor))
                .collect(),
            risks: open.iter().map(|f| risk(a, f, ids, options)).collect(),
            findings: a.findings.iter().map(|f| finding(f, ids)).collect(),
            remarks: {
                let meaning = a.verdict.meaning();
                let mut chars = meaning.chars();
                chars.next().map_or_else(String::new, |c| {
                    format!("{}{}.", c.to_uppercase(), chars.as_str())
                })
            },
        },
        resources: back_matter(a, ids).resources,
    }
}

impl Report for Oscal<'_> {
    fn finish(&mut self, whole: Whole<'_>, _: Spill<'_>, out: &mut dyn Write) -> Result<()> {
        let (a, opts) = (whole.one()?, &self.0);
        let parts = parts(a, opts, &Ids::new(a));
        let root = Root {
            assessment_results: AssessmentResults {
                uuid: parts.uuid,
                metadata: parts.metadata,
                import_ap: parts.import_ap,
                results: vec![parts.result],
                back_matter: BackMatter {
                    resources: parts.resources,
                },
            },
        };
        serde_json::to_writer_pretty(&mut *out, &root)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{string, token};
    use crate::report::labels::uri_path as uri_reference;

    #[test]
    fn strings_fit_oscal_datatypes() {
        assert_eq!(string("  a\n b  ", "x"), "a b");
        assert_eq!(string("   ", "x"), "x");
        assert_eq!(token("RC-OVS-001"), "RC-OVS-001");
        assert_eq!(token("1 bad id"), "_1_bad_id");
        assert_eq!(uri_reference("my dir/a#b.yaml"), "my%20dir/a%23b.yaml");
    }
}
