//! The `quarterdeck` binary: parse the command line, run the library, print
//! the error chain, exit with the code of SPEC §1.

use clap::Parser;
use quarterdeck::cli::{Cli, Command};
use quarterdeck::error::Error;
use quarterdeck::model::Quarter;
use quarterdeck::BuildOptions;
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let show_progress = !cli.quiet && std::io::stderr().is_terminal();
    let progress = |stage: &str| {
        if show_progress {
            eprintln!("quarterdeck: {stage}…");
        }
    };
    match run(cli.command, &progress) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn run(command: Command, progress: &dyn Fn(&str)) -> Result<(), Error> {
    match command {
        Command::Build { data_dir, out, quarter, audience } => {
            let quarter = quarter
                .map(|q| {
                    Quarter::parse(&q)
                        .ok_or_else(|| Error::Usage(format!("--quarter: expected a quarter like 2026-Q3, found {q:?}")))
                })
                .transpose()?;
            let opts = BuildOptions { data_dir, out, quarter, audience };
            let site = quarterdeck::build(&opts, progress)?;
            println!("{}", site.join("index.html").display());
            Ok(())
        }
        Command::Pdf { data_dir, out, quarter, audience, paper, browser } => {
            let quarter = quarter_arg(quarter)?;
            let build = BuildOptions { data_dir, out: None, quarter, audience };
            let pdf = quarterdeck::pdf::run(&quarterdeck::pdf::PdfOptions { build, out, paper, browser }, progress)?;
            println!("{}", pdf.display());
            Ok(())
        }
    }
}

/// `--quarter` parsed, or a usage error naming what was found.
fn quarter_arg(quarter: Option<String>) -> Result<Option<Quarter>, Error> {
    quarter
        .map(|q| {
            Quarter::parse(&q)
                .ok_or_else(|| Error::Usage(format!("--quarter: expected a quarter like 2026-Q3, found {q:?}")))
        })
        .transpose()
}
