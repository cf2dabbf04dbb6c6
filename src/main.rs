//! The `quarterdeck` binary: parse the command line, run the library, print
//! the error chain, exit with the code of SPEC §1.

use clap::Parser;
use quarterdeck::cli::{Cli, Command, Format};
use quarterdeck::error::Error;
use quarterdeck::format::terminal;
use quarterdeck::model::Quarter;
use quarterdeck::{BuildOptions, Stage};
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let show_progress = !cli.quiet && std::io::stderr().is_terminal();
    let progress = |stage: Stage| {
        if show_progress {
            eprintln!("quarterdeck: {stage}…");
        }
    };
    match run(cli.command, &progress) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", terminal(&e.to_string()));
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                eprintln!("  caused by: {}", terminal(&s.to_string()));
                source = s.source();
            }
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn run(command: Command, progress: &dyn Fn(Stage)) -> Result<ExitCode, Error> {
    match command {
        Command::Build { pack, out } => {
            let opts = build_options(pack, out)?;
            let built = quarterdeck::build(&opts, progress)?;
            println!("{}", built.site.join("index.html").display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { data_dir, format, quarter } => check(&data_dir, format, quarter),
        Command::Next { data_dir, out, quarter, as_of } => {
            let (quarter, as_of) = (quarter_arg(quarter)?, date_arg("--as-of", as_of)?);
            next(quarterdeck::next::NextOptions { data_dir, out, quarter, as_of })
        }
        Command::Schema { file } => {
            print!("{}", schema(file)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            for path in quarterdeck::init::init(&dir)? {
                println!("{}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate { preset, seed, out_dir } => {
            for (file, rows) in quarterdeck::generate::generate(&preset.preset(), &out_dir, seed)? {
                println!("{file}: {rows} rows");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Pdf { pack, out, edition, team, group, paper, browser } => {
            let build = build_options(pack, None)?;
            let opts = quarterdeck::pdf::PdfOptions { build, out, paper, edition, team, group, browser };
            let pdf = quarterdeck::pdf::run(&opts, progress)?;
            println!("{}", pdf.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `check`: the report in the format asked for; exit 1 with error-level findings.
fn check(data_dir: &std::path::Path, format: Format, quarter: Option<String>) -> Result<ExitCode, Error> {
    let report = quarterdeck::check::check(data_dir, quarter_arg(quarter)?)?;
    match format {
        Format::Text => print!("{}", report.to_text()),
        Format::Json => print!("{}", report.to_json()?),
    }
    Ok(ExitCode::from(report.exit_code()))
}

/// `next`: the draft's path on stdout, the lint over it on stderr.
fn next(opts: quarterdeck::next::NextOptions) -> Result<ExitCode, Error> {
    let written = quarterdeck::next::next(&opts)?;
    println!("{}", written.path.display());
    eprintln!("{} rows for {}; {}", written.rows, written.quarter, quarterdeck::next::to_fill(&written.lint));
    // what the lint says must or should change; its info findings are on the pack's next.html
    for f in written.lint.iter().filter(|f| f.severity != quarterdeck::finding::Severity::Info) {
        let (team, kr) = (f.team.as_deref().unwrap_or("-"), f.kr_id.as_deref().unwrap_or("-"));
        eprintln!(
            "{:<7} {:<10} {:<10} {:<20} {}",
            f.severity,
            terminal(team),
            terminal(kr),
            f.kind,
            terminal(&f.message)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `schema`: the columns of every input file, or of one.
fn schema(file: Option<String>) -> Result<String, Error> {
    quarterdeck::schema::describe(file.as_deref()).ok_or_else(|| {
        let names: Vec<&str> = quarterdeck::schema::ALL.iter().map(|s| s.file).collect();
        Error::Usage(format!(
            "schema: no input file {:?}; expected one of {}",
            file.unwrap_or_default(),
            names.join(", ")
        ))
    })
}

/// The build asked for by `build`'s or `pdf`'s arguments.
fn build_options(pack: quarterdeck::cli::PackArgs, out: Option<std::path::PathBuf>) -> Result<BuildOptions, Error> {
    let quarter = quarter_arg(pack.quarter)?;
    let as_of = date_arg("--as-of", pack.as_of)?;
    Ok(BuildOptions { data_dir: pack.data_dir, out, quarter, as_of, audience: pack.audience, ..Default::default() })
}

/// A date option parsed, or a usage error naming what was found.
fn date_arg(option: &str, date: Option<String>) -> Result<Option<chrono::NaiveDate>, Error> {
    date.map(|d| {
        chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .map_err(|_| Error::Usage(format!("{option}: expected a date like 2026-08-15, found {d:?}")))
    })
    .transpose()
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
