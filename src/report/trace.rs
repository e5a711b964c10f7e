//! The traceability appendix: every call to action in `seeds/calls-to-action.yaml`, the
//! rules that encode it, and how each rule ended in this assessment.
//!
//! The inventory is read through [`crate::seeds::calls`]. A call cited by a rule but not in
//! the inventory (a rule pack citing its own sources) is listed too, with the rule's quote.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::error::RenderError;
use super::labels::{anchor, clean};
use crate::assessment::Assessment;
use crate::seeds;

/// One source document and its calls.
#[derive(Debug, Clone, Serialize)]
pub struct TraceDocument {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Its calls, in inventory order.
    pub calls: Vec<TraceCall>,
}

/// One call to action.
#[derive(Debug, Clone, Serialize)]
pub struct TraceCall {
    /// Call id, e.g. `FOC20-01`.
    pub id: String,
    /// The call, verbatim.
    pub text: String,
    /// Whom it addresses, e.g. `states, private sector`.
    pub addressees: String,
    /// `covered`, `out-of-scope` or `not-covered`.
    pub status: &'static str,
    /// Why no rule about a system can check it, when so.
    pub out_of_scope: Option<String>,
    /// Rules that encode it.
    pub rules: Vec<TraceRule>,
}

/// A rule that encodes a call, and its outcome here.
#[derive(Debug, Clone, Serialize)]
pub struct TraceRule {
    /// Rule id.
    pub rule_id: String,
    /// Fragment id of the finding in the report.
    pub anchor: String,
    /// Rule title, when assessed.
    pub title: String,
    /// Severity key, when assessed.
    pub severity: &'static str,
    /// Severity in words.
    pub severity_label: &'static str,
    /// Outcome key, or `not-assessed` when the rule is not in this catalog.
    pub outcome: &'static str,
    /// Outcome in words.
    pub outcome_label: &'static str,
}

fn trace_rule(a: &Assessment, id: &str) -> TraceRule {
    match a.findings.iter().find(|f| &*f.rule_id == id) {
        Some(f) => TraceRule {
            rule_id: clean(id),
            anchor: anchor(id),
            title: clean(&f.title),
            severity: f.severity.as_str(),
            severity_label: f.severity.label(),
            outcome: f.outcome.as_str(),
            outcome_label: f.outcome.label(),
        },
        None => TraceRule {
            rule_id: clean(id),
            anchor: anchor(id),
            title: String::new(),
            severity: "",
            severity_label: "",
            outcome: "not-assessed",
            outcome_label: "Not in this catalog",
        },
    }
}

/// Documents in the order their first call appears.
struct Documents<'a> {
    titles: &'a BTreeMap<String, String>,
    list: Vec<TraceDocument>,
}

impl Documents<'_> {
    fn push(&mut self, document: &str, call: TraceCall) {
        if let Some(d) = self.list.iter_mut().find(|d| d.id == document) {
            d.calls.push(call);
        } else {
            self.list.push(TraceDocument {
                id: clean(document),
                title: self
                    .titles
                    .get(document)
                    .cloned()
                    .unwrap_or_else(|| clean(document)),
                calls: vec![call],
            });
        }
    }
}

fn listed_call(
    a: &Assessment,
    call: &seeds::Call,
    cited: &BTreeMap<&str, BTreeSet<&str>>,
) -> TraceCall {
    let mut ids: BTreeSet<&str> = call.rules.iter().flatten().map(String::as_str).collect();
    ids.extend(cited.get(call.id.as_str()).into_iter().flatten());
    let rules: Vec<TraceRule> = ids.into_iter().map(|id| trace_rule(a, id)).collect();
    let out_of_scope = call
        .out_of_scope
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(clean);
    let status = if !rules.is_empty() {
        "covered"
    } else if out_of_scope.is_some() {
        "out-of-scope"
    } else {
        "not-covered"
    };
    TraceCall {
        id: clean(&call.id),
        text: clean(&call.text),
        addressees: call
            .addressees
            .iter()
            .map(|a| clean(&a.replace('-', " ")))
            .collect::<Vec<_>>()
            .join(", "),
        status,
        out_of_scope,
        rules,
    }
}

/// Builds the appendix for an assessment.
pub fn trace(
    a: &Assessment,
    titles: &BTreeMap<String, String>,
) -> Result<Vec<TraceDocument>, RenderError> {
    let calls = seeds::calls().map_err(|e| RenderError::Data(e.clone()))?;
    // Rules citing each call, from the findings themselves.
    let mut cited: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut quotes: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for f in &a.findings {
        for s in f.sources.iter() {
            cited.entry(s.call.as_str()).or_default().insert(&f.rule_id);
            quotes
                .entry(s.call.as_str())
                .or_insert((s.document.as_str(), s.quote.as_str()));
        }
    }
    let mut documents = Documents {
        titles,
        list: Vec::new(),
    };
    for call in &calls {
        documents.push(&call.document, listed_call(a, call, &cited));
    }
    let listed: BTreeSet<&str> = calls.iter().map(|c| c.id.as_str()).collect();
    for (call, rules) in cited.iter().filter(|(c, _)| !listed.contains(*c)) {
        let (document, quote) = quotes.get(call).copied().unwrap_or_default();
        documents.push(
            document,
            TraceCall {
                id: clean(call),
                text: clean(quote.trim()),
                addressees: String::new(),
                status: "covered",
                out_of_scope: None,
                rules: rules.iter().map(|r| trace_rule(a, r)).collect(),
            },
        );
    }
    Ok(documents.list)
}
