//! OSCAL 1.1 assessment results for the portfolio: one `result` per system, as the
//! single-system report writes it, and their back-matter resources. Descriptors that could
//! not be assessed are listed in the document's remarks. Results are written as each
//! system arrives.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::report::RenderOptions;
use crate::report::error::{RenderError, Result};
use crate::report::labels::{clean, thousands};
use crate::report::oscal::{Ids, ImportAp, Metadata, parts};
use crate::report::spill::{SideSpill, Spilled, spill_line};
use crate::report::{Part, Report, Spill, Whole};

/// The OSCAL portfolio report.
pub struct Oscal<'a> {
    /// How the report looks.
    options: RenderOptions<'a>,
    /// Metadata and the assessment plan link, from the first system assessed.
    head: Option<(Metadata, ImportAp)>,
    /// Back-matter resources, one line each.
    resources: SideSpill,
    /// Result UUIDs already used: a second descriptor with the same bytes gets its own.
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
    metadata: serde_json::Value,
    import_ap: serde_json::Value,
    results: Spilled<'a>,
    back_matter: BackMatter<'a>,
}

#[derive(Serialize)]
struct BackMatter<'a> {
    resources: Spilled<'a>,
}

impl<'a> Oscal<'a> {
    /// An empty report, to look as `options` say.
    pub fn new(options: RenderOptions<'a>) -> Self {
        Oscal {
            options,
            head: None,
            resources: SideSpill::default(),
            seen: HashSet::new(),
            digest: Sha256::new(),
        }
    }
}

impl Report for Oscal<'_> {
    fn part(&mut self, part: Part<'_>, spill: &mut dyn Write) -> Result<()> {
        let options = &self.options;
        let Part::Assessed(a) = part else {
            return Ok(());
        };
        // Every UUID of a report derives from the descriptor's bytes, so a second file with
        // the same bytes derives its own from its path.
        let mut ids = Ids::new(a);
        if !self.seen.insert(ids.result()) {
            ids = Ids::copy(a);
        }
        let parts = parts(a, options, &ids);
        self.digest.update(ids.result().as_bytes());
        if self.head.is_none() {
            self.head = Some((parts.metadata, parts.import_ap));
        }
        // As plain JSON values, whose keys come in name order, as the portfolio has always
        // written them.
        spill_line(spill, &serde_json::to_value(&parts.result)?)?;
        for resource in &parts.resources {
            self.resources.push(&serde_json::to_value(resource)?)?;
        }
        Ok(())
    }

    fn finish(&mut self, whole: Whole<'_>, spill: Spill<'_>, out: &mut dyn Write) -> Result<()> {
        let portfolio = whole.many()?;
        let Some((mut metadata, import_ap)) = self.head.take() else {
            return Err(RenderError::NothingAssessed);
        };
        let s = &portfolio.summary;
        metadata.title = format!(
            "Human-rights assessment results: {} AI systems",
            thousands(s.descriptors)
        );
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
        metadata.remarks = clean(&remarks);
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
                metadata: serde_json::to_value(&metadata)?,
                import_ap: serde_json::to_value(&import_ap)?,
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
