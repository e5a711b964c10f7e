//! `rightscheck completions SHELL`: a completion script, made from the argument definitions.

use clap::CommandFactory as _;

use super::{Cli, Context, ExitStatus, Outcome, OutputArgs};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The shell
    #[arg(value_enum)]
    shell: clap_complete::Shell,
    #[command(flatten)]
    output: OutputArgs,
}

pub(super) fn run(args: &Args, ctx: &Context) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "rightscheck", &mut script);
    ctx.emit(
        args.output.output.as_deref(),
        &String::from_utf8_lossy(&script),
    )?;
    Ok(ExitStatus::Success)
}
