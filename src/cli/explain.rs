//! `rightscheck explain ID`: one rule's documentation.

use super::{CatalogArgs, Context, ExitStatus, Outcome, OutputArgs};
use crate::report::catalog::{self, Format};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Rule id, e.g. RC-OVS-001
    id: String,
    #[command(flatten)]
    catalog: CatalogArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub(super) fn run(args: &Args, ctx: &Context) -> Outcome {
    show(ctx, &args.catalog, &args.id, Format::Table, &args.output)
}

/// Prints one rule in full (also `rules show`).
pub(super) fn show(
    ctx: &Context,
    packs: &CatalogArgs,
    id: &str,
    format: Format,
    output: &OutputArgs,
) -> Outcome {
    let listing = catalog::explain(&*ctx.catalog(&packs.packs)?, id, format)?;
    ctx.emit(output.output.as_deref(), &listing.text)?;
    Ok(ExitStatus::Success)
}
