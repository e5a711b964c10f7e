//! OSCAL 1.1 assessment results for the portfolio: one `result` per system, as the
//! single-system report writes it, and their back-matter resources. Descriptors that could
//! not be assessed are listed in the document's remarks. Results are written as each
//! system arrives.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{BufRead, Write};

use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{PortfolioWriter, SideSpill, Spilled, full, spill_line};
use crate::portfolio::{Portfolio, SystemResult};
use crate::report::view::clean;
use crate::report::view::thousands;
use crate::report::{RenderOptions, Renderer};

/// The OSCAL portfolio report.
#[derive(Default)]
pub struct Oscal {
    /// Metadata and the assessment plan link, from the first system assessed.
    head: Option<(Value, Value)>,
    /// Back-matter resources, one line each.
    resources: SideSpill,
    /// Result UUIDs already used: a second descriptor with the same bytes gets new ones.
    seen: HashSet<String>,
    /// Digest of every result's UUID, for the document's own UUID.
    digest: Sha256,
}

#[derive(Serialize)]
struct Root<'a> {
    #[serde(rename = "assessment-results")]
    assessment_results: Document<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Document<'a> {
    uuid: String,
    metadata: Value,
    import_ap: Value,
    results: Spilled<'a>,
    back_matter: BackMatter<'a>,
}

#[derive(Serialize)]
struct BackMatter<'a> {
    resources: Spilled<'a>,
}

/// Every string under a `uuid` key.
fn uuids(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match item {
                    Value::String(s) if key == "uuid" => out.push(s.clone()),
                    _ => uuids(item, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| uuids(i, out)),
        _ => {}
    }
}

impl PortfolioWriter for Oscal {
    fn findings(&self) -> bool {
        true
    }

    fn system(
        &mut self,
        result: &SystemResult,
        options: &RenderOptions<'_>,
        spill: &mut dyn Write,
    ) -> anyhow::Result<()> {
        let Some(a) = full(result)? else {
            return Ok(());
        };
        let mut text = crate::report::oscal::Oscal.render(a, options)?;
        let probe: Value = serde_json::from_str(&text)?;
        // Every UUID of a report derives from the descriptor's bytes, so a second file with
        // the same bytes would repeat them all: give that one fresh UUIDs.
        let result_uuid = probe
            .pointer("/assessment-results/results/0/uuid")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if !self.seen.insert(result_uuid) {
            let mut ids = Vec::new();
            uuids(&probe, &mut ids);
            for id in &ids {
                let fresh = Uuid::new_v5(
                    &Uuid::NAMESPACE_URL,
                    format!("{id}/{}", a.descriptor.file).as_bytes(),
                )
                .to_string();
                text = text.replace(id.as_str(), &fresh);
            }
        }
        let mut doc: Value = serde_json::from_str(&text)?;
        let Some(root) = doc
            .get_mut("assessment-results")
            .and_then(Value::as_object_mut)
        else {
            anyhow::bail!(
                "the OSCAL report of {} has no assessment results",
                a.descriptor.file
            );
        };
        if self.head.is_none() {
            self.head = Some((
                root.get("metadata").cloned().unwrap_or(Value::Null),
                root.get("import-ap").cloned().unwrap_or(Value::Null),
            ));
        }
        for r in root
            .remove("results")
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
        {
            if let Some(uuid) = r.get("uuid").and_then(Value::as_str) {
                self.digest.update(uuid.as_bytes());
            }
            spill_line(spill, &r)?;
        }
        for resource in root
            .get("back-matter")
            .and_then(|b| b.get("resources"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.resources.push(resource)?;
        }
        Ok(())
    }

    fn finish(
        &mut self,
        portfolio: &Portfolio,
        _: &RenderOptions<'_>,
        spill: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> anyhow::Result<()> {
        let Some((mut metadata, import_ap)) = self.head.take() else {
            anyhow::bail!(
                "no descriptor could be assessed, and OSCAL assessment results need at least one result"
            );
        };
        let s = &portfolio.summary;
        metadata["title"] = json!(format!(
            "Human-rights assessment results: {} AI systems",
            thousands(s.descriptors)
        ));
        let mut remarks = format!(
            "Produced by {} {} as of {}. Rule catalog SHA-256 {}. {} descriptors: {} assessed ({} reject, {} conditional, {} acceptable), {} could not be assessed.",
            portfolio.tool.name,
            portfolio.tool.version,
            portfolio.as_of,
            portfolio.catalog.sha256,
            s.descriptors,
            s.assessed,
            s.reject,
            s.conditional,
            s.acceptable,
            s.errors
        );
        for e in &portfolio.errors {
            let _ = write!(remarks, "\n\nNot assessed: {e} ({})", e.help);
        }
        metadata["remarks"] = json!(clean(&remarks));
        let digest = std::mem::take(&mut self.digest).finalize();
        let uuid = Uuid::new_v5(
            &Uuid::NAMESPACE_URL,
            format!(
                "{}/portfolio/{}/{}/{}",
                portfolio.tool.name,
                portfolio.as_of,
                portfolio.catalog.sha256,
                crate::document::hex(&digest)
            )
            .as_bytes(),
        )
        .to_string();
        let mut resources = self.resources.reader()?;
        let root = Root {
            assessment_results: Document {
                uuid,
                metadata,
                import_ap,
                results: Spilled::new(spill),
                back_matter: BackMatter {
                    resources: Spilled::new(&mut *resources),
                },
            },
        };
        serde_json::to_writer_pretty(&mut *out, &root)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}
