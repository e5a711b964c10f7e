//! The `rightscheck` binary: parses arguments, runs the command, maps the result to an exit
//! status. All behaviour lives in the library.

use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _};
use rightscheck::cli::{Cli, ColorChoice, ExitStatus, color_of, print_error, run};

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // Known before parsing, so that clap's own help and usage errors follow it too.
    let color = color_of(&args);
    let command = Cli::command().color(match color {
        ColorChoice::Auto => clap::ColorChoice::Auto,
        ColorChoice::Always => clap::ColorChoice::Always,
        ColorChoice::Never => clap::ColorChoice::Never,
    });
    let parsed = command
        .try_get_matches_from(&args)
        .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                ExitStatus::Error.code()
            } else {
                ExitStatus::Success.code()
            });
        }
    };
    let status = match run(cli) {
        Ok(status) => status,
        Err(failure) => {
            print_error(failure.as_ref(), color);
            ExitStatus::Error
        }
    };
    ExitCode::from(status.code())
}
