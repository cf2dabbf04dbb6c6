//! The command line: clap derive, the doc comments are the `--help` text.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Turn OKR, check-in and engineering-signal exports into a quarterly review pack.
#[derive(Debug, Parser)]
#[command(name = "quarterdeck", version, about)]
pub struct Cli {
    /// Print nothing but errors and the final result.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the review pack: a static site with data/summary.json.
    Build {
        #[command(flatten)]
        pack: PackArgs,
        /// Where to write the site (default: DATA_DIR/site).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Build the pack and print it to PDF with a local headless Chromium or Chrome.
    ///
    /// Nothing is downloaded: install Chromium first (Debian/Ubuntu: `apt-get install chromium`).
    Pdf {
        #[command(flatten)]
        pack: PackArgs,
        /// The PDF to write (default: DATA_DIR/review-QUARTER.pdf; -full, -TEAM or -GROUP before .pdf for those).
        #[arg(long)]
        out: Option<PathBuf>,
        /// brief: the leadership edition (cover, summary, a page per team, the method);
        /// full: every page of the pack.
        #[arg(long, value_enum, default_value_t = crate::render::print::Edition::Brief)]
        edition: crate::render::print::Edition,
        /// Print this team's brief alone (how a large organisation prints per team).
        #[arg(long, conflicts_with = "group")]
        team: Option<String>,
        /// Print this group's brief alone: its teams, a page each (groups come from
        /// `[teams.TEAM] group = "…"` in quarterdeck.toml).
        #[arg(long)]
        group: Option<String>,
        /// The paper size (slides: 16:9 pages for a projector).
        #[arg(long, value_enum, default_value_t = crate::pdf::Paper::A4)]
        paper: crate::pdf::Paper,
        /// The Chromium, Chrome or Edge to print with, a path or a name on PATH
        /// (default: $QUARTERDECK_BROWSER, else the first of chromium, chromium-browser, google-chrome … found).
        #[arg(long)]
        browser: Option<PathBuf>,
    },
    /// Validate every input and lint the OKRs; exit 1 on error-level findings.
    Check {
        /// The data folder.
        #[arg(default_value = ".")]
        data_dir: PathBuf,
        /// text for people, json for tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The quarter to check, like 2026-Q3 (default: the latest in okrs.csv).
        #[arg(long)]
        quarter: Option<String>,
    },
    /// Write the draft okrs.csv of the next quarter from this quarter's results.
    ///
    /// Key results not at target are carried with their measured end value as
    /// baseline, missed commitments kept, health metrics red for weeks proposed
    /// as objectives; a `note` column says why each row is there. Fill in the
    /// targets, then run `check`.
    Next {
        /// The data folder holding okrs.csv and the other exports.
        #[arg(default_value = ".")]
        data_dir: PathBuf,
        /// The file to write (default: DATA_DIR/okrs-QUARTER-draft.csv, QUARTER the next one).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The quarter to start from, like 2026-Q3 (default: the latest in okrs.csv).
        #[arg(long)]
        quarter: Option<String>,
        /// Start from the quarter as it stood on this date (YYYY-MM-DD).
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Print the columns of every input file, or of one (okrs.csv, prs …).
    Schema {
        /// One file, like okrs.csv or checkins.
        file: Option<String>,
    },
    /// Write a starter data folder that builds as-is.
    Init {
        /// The folder to create (default: the current one).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Write a synthetic organisation's data folder, for benchmarks and load tests.
    #[command(hide = true)]
    Generate {
        /// small (about the sample's size), large (500 teams, 600,000 PRs) or huge (10× large's events).
        #[arg(long, value_enum, default_value_t = crate::generate::PresetName::Small)]
        preset: crate::generate::PresetName,
        /// The random seed: the same seed writes the same bytes.
        #[arg(long, default_value_t = crate::generate::SEED)]
        seed: u64,
        /// The folder to write (created; refused if it holds other files).
        out_dir: PathBuf,
    },
}

/// What `build` and `pdf` both take: which data, which quarter, for whom.
#[derive(Debug, clap::Args)]
pub struct PackArgs {
    /// The data folder holding okrs.csv and the other exports.
    #[arg(default_value = ".")]
    pub data_dir: PathBuf,
    /// The quarter to review, like 2026-Q3 (default: the one holding --as-of, else the latest in okrs.csv).
    #[arg(long)]
    pub quarter: Option<String>,
    /// Build the quarter as it stood on this date (YYYY-MM-DD): only what was
    /// known by then counts, and each key result gets its expected progress and pace.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Who the pack is for: `manager` adds a context page per person.
    #[arg(long, value_enum, default_value_t = crate::Audience::Leadership)]
    pub audience: crate::Audience,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}
