//! `rightscheck man`: the manual page, made from the argument definitions.

use clap::CommandFactory as _;

use super::{Cli, Context, ExitStatus, Outcome, OutputArgs};
use crate::diagnostic::Message;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    output: OutputArgs,
}

pub(super) fn run(args: &Args, ctx: &Context) -> Outcome {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| {
            Message::new(
                format!("cannot make the manual page: {e}"),
                crate::diagnostic::BUG,
            )
        })?;
    ctx.emit(
        args.output.output.as_deref(),
        &String::from_utf8_lossy(&page),
    )?;
    Ok(ExitStatus::Success)
}
