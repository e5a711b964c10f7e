//! `rightscheck schema WHICH`: the JSON Schemas, for editors and other tools.

use clap::ValueEnum;

use super::{Context, ExitStatus, Outcome, OutputArgs};
use crate::schema;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Which schema
    #[arg(value_enum)]
    which: SchemaKind,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SchemaKind {
    /// The AI system descriptor
    Descriptor,
    /// A rule file
    Rule,
    /// The JSON report (`assess --format json`)
    Assessment,
    /// A waivers file (`assess --waivers`)
    Waivers,
    /// A profile file (`assess --profile FILE`)
    Profile,
    /// The JSON report of several descriptors (`assess --format json FOLDER`)
    Portfolio,
}

pub(super) fn run(args: &Args, ctx: &Context) -> Outcome {
    let text = match args.which {
        SchemaKind::Descriptor => schema::DESCRIPTOR_SCHEMA,
        SchemaKind::Rule => schema::RULE_SCHEMA,
        SchemaKind::Assessment => schema::ASSESSMENT_SCHEMA,
        SchemaKind::Portfolio => schema::PORTFOLIO_SCHEMA,
        SchemaKind::Waivers => schema::WAIVERS_SCHEMA,
        SchemaKind::Profile => schema::PROFILE_SCHEMA,
    };
    ctx.emit(args.output.output.as_deref(), text)?;
    Ok(ExitStatus::Success)
}
