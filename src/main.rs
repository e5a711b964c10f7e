//! The `rightscheck` binary: parses arguments, runs the command, maps the result to an exit
//! status. All behaviour lives in the library.

use std::process::ExitCode;

use clap::Parser;
use rightscheck::cli::{Cli, ExitStatus, color_of, print_error, run};

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let color = color_of(&args);
    let cli = match Cli::try_parse_from(&args) {
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
