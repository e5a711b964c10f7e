//! The `rightscheck` binary: parses arguments, runs the command, maps the result to an exit
//! status. All behaviour lives in the library.

use std::process::ExitCode;

use clap::Parser;
use rightscheck::cli::{Cli, EXIT_ERROR, run};
use rightscheck::report::sanitize_terminal;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { EXIT_ERROR } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            // Messages quote file names and values, which may hold terminal controls.
            eprintln!("error: {}", sanitize_terminal(&failure.message));
            if let Some(help) = failure.help {
                eprintln!("  help: {}", sanitize_terminal(&help));
            }
            ExitCode::from(EXIT_ERROR)
        }
    }
}
