//! One SARIF 2.1.0 log for the whole portfolio: one run, one artifact per descriptor, and
//! every gap and open question of every system as a result at its descriptor line, built
//! by the single-system SARIF report's own pieces. Descriptors that could not be assessed are
//! error notifications of the run's invocation.

use std::io::Write;

use serde::Serialize;
use serde_json::{Value, json};

use crate::report::RenderOptions;
use crate::report::error::Result;
use crate::report::labels::clean;
use crate::report::sarif::{self, artifact_uri};
use crate::report::spill::{SideSpill, Spilled, spill_line};
use crate::report::{Part, Report, Spill, Whole};

/// The SARIF portfolio report.
pub struct Sarif<'a> {
    /// How the report looks.
    options: RenderOptions<'a>,
    /// The tool block (with every rule), from the first system assessed.
    tool: Option<Value>,
    /// Artifacts, one line each, beside the results in the main spill file.
    artifacts: SideSpill,
    /// Artifacts written so far.
    count: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Value,
    automation_details: Value,
    invocations: Value,
    artifacts: Spilled<'a>,
    results: Spilled<'a>,
    column_kind: &'static str,
    properties: Value,
}

impl<'a> Sarif<'a> {
    /// An empty report, to look as `options` say.
    pub fn new(options: RenderOptions<'a>) -> Self {
        Sarif {
            options,
            tool: None,
            artifacts: SideSpill::default(),
            count: 0,
        }
    }
}

impl Report for Sarif<'_> {
    fn part(&mut self, part: Part<'_>, spill: &mut dyn Write) -> Result<()> {
        let options = &self.options;
        let Part::Assessed(a) = part else {
            return Ok(());
        };
        if self.tool.is_none() {
            self.tool = Some(serde_json::to_value(sarif::tool(a))?);
        }
        let index = self.count;
        self.count += 1;
        self.artifacts.push(&sarif::artifact(a, index))?;
        for r in sarif::results(a, options, index) {
            spill_line(spill, &r)?;
        }
        Ok(())
    }

    fn finish(&mut self, whole: Whole<'_>, spill: Spill<'_>, out: &mut dyn Write) -> Result<()> {
        let portfolio = whole.many()?;
        let mut artifacts = self.artifacts.reader()?;
        let tool = self.tool.take().unwrap_or_else(|| {
            json!({"driver": {
                "name": portfolio.tool.name,
                "version": portfolio.tool.version,
                "semanticVersion": portfolio.tool.version,
                "rules": []
            }})
        });
        let notifications: Vec<Value> = portfolio
            .errors
            .iter()
            .map(|e| {
                let uri = artifact_uri(&e.file);
                let mut location = json!({"uri": uri.0});
                if let Some(base) = uri.1 {
                    location["uriBaseId"] = json!(base);
                }
                let mut physical = json!({"artifactLocation": location});
                if e.line > 0 {
                    physical["region"] =
                        json!({"startLine": e.line, "startColumn": e.column.max(1)});
                }
                json!({
                    "level": "error",
                    "message": {"text": clean(&format!("{} ({})", e.message, e.help))},
                    "locations": [{"physicalLocation": physical}]
                })
            })
            .collect();
        let s = &portfolio.summary;
        let log = Log {
            schema: "https://json.schemastore.org/sarif-2.1.0.json",
            version: "2.1.0",
            runs: [Run {
                tool,
                automation_details: json!({"id": format!("{}/portfolio/", portfolio.tool.name)}),
                invocations: json!([{
                    "executionSuccessful": true,
                    "toolExecutionNotifications": notifications
                }]),
                artifacts: Spilled::new(&mut *artifacts),
                results: Spilled::new(spill),
                column_kind: "unicodeCodePoints",
                properties: json!({
                    "asOf": portfolio.as_of,
                    "catalogSha256": portfolio.catalog.sha256,
                    "descriptors": s.descriptors,
                    "assessed": s.assessed,
                    "errors": s.errors,
                    "reject": s.reject,
                    "conditional": s.conditional,
                    "acceptable": s.acceptable,
                }),
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}
