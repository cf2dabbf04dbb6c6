//! `quarterdeck generate`: a deterministic synthetic organisation at any
//! scale, writing every input file of SPEC §2, for benchmarks and load tests.
//!
//! The quarter is 2026-Q3 (with 2026-Q2 before it in a two-quarter preset);
//! raw events cover the year ending on its last day. Every team objective
//! aligns to a company objective, directly or through another team's, and
//! every team has a group (SPEC §8).
//! Every file comes from a fixed-seed ChaCha8 stream of its own, so the same
//! preset and seed always give the same bytes, and tuning one file leaves the
//! others be.

mod align;
mod catalog;
mod events;
mod okrs;
mod org;
mod out;
mod series;
mod text;

use crate::error::{Error, Result};
use std::path::Path;

/// The default seed: the same seed always writes the same bytes.
pub const SEED: u64 = 20_260_930;

/// The file that marks a folder as written by the generator, with what wrote it.
pub const MARKER: &str = ".quarterdeck-generate";

/// Bumped whenever the generator's output changes, so cached data is rewritten.
pub const VERSION: u32 = 2;

/// The named sizes of `generate --preset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PresetName {
    /// About the sample's size: 5 teams, 40 people, 38 key results, 3,000 PRs.
    Small,
    /// 500 teams, 5,000 people, 4,500 key results, 600,000 PRs in a year.
    Large,
    /// Large's key results with 10× its people and events (6,000,000 PRs).
    Huge,
    /// Small with 2026-Q2 before 2026-Q3: the same key results, continued.
    SmallTwoQuarters,
    /// Large with 2026-Q2 before 2026-Q3: history for the benchmark (SPEC §6).
    LargeTwoQuarters,
}

/// How big an organisation to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub name: &'static str,
    pub teams: usize,
    pub people: usize,
    pub objectives: usize,
    pub key_results: usize,
    /// Pull requests opened in the year ending on the quarter's last day.
    pub prs: u64,
    pub deployments: u64,
    pub incidents: u64,
    /// ai_usage.csv rows: one per person and working day, back from the quarter's end.
    pub ai_usage_rows: u64,
    /// Quarters of OKRs, check-ins and metric series: 1 (2026-Q3), or 2 (2026-Q2 as well).
    pub quarters: u8,
}

/// The small preset: a handful of teams, quick to build.
const SMALL: Preset = Preset {
    name: "small",
    teams: 5,
    people: 40,
    objectives: 14,
    key_results: 38,
    prs: 3_000,
    deployments: 470,
    incidents: 45,
    ai_usage_rows: 2_640,
    quarters: 1,
};

/// The large preset: an organisation of 500 teams.
const LARGE: Preset = Preset {
    name: "large",
    teams: 500,
    people: 5_000,
    objectives: 1_500,
    key_results: 4_500,
    prs: 600_000,
    deployments: 100_000,
    incidents: 10_000,
    ai_usage_rows: 450_000,
    quarters: 1,
};

/// The huge preset: ten times large's events.
// ai_usage has one row per person and working day, so 10× its rows
// needs 10× the people; the OKRs stay large's.
const HUGE: Preset = Preset {
    name: "huge",
    people: 50_000,
    prs: 6_000_000,
    deployments: 1_000_000,
    incidents: 100_000,
    ai_usage_rows: 4_500_000,
    ..LARGE
};

impl PresetName {
    /// The sizes of the preset.
    pub fn preset(self) -> Preset {
        match self {
            PresetName::Small => SMALL,
            PresetName::Large => LARGE,
            PresetName::Huge => HUGE,
            PresetName::SmallTwoQuarters => Preset { name: "small-two-quarters", quarters: 2, ..SMALL },
            PresetName::LargeTwoQuarters => Preset { name: "large-two-quarters", quarters: 2, ..LARGE },
        }
    }
}

/// Rows written per file, in the order written.
pub type Counts = Vec<(String, u64)>;

/// Writes the preset's data folder into `out_dir` and returns the row count of every file.
pub fn generate(preset: &Preset, out_dir: &Path, seed: u64) -> Result<Counts> {
    check_sizes(preset)?;
    prepare(out_dir)?;
    let org = org::Org::new(preset, seed);
    let mut counts = Counts::new();
    counts.push(("people.csv".into(), org.write_people(out_dir)?));
    let plan = okrs::Plan::new(&org, preset, seed);
    let earlier = (preset.quarters > 1).then(|| plan.earlier(seed));
    let plans: Vec<&okrs::Plan> = earlier.iter().chain(std::iter::once(&plan)).collect();
    counts.push(okrs::write_okrs(&plans, &org, out_dir)?);
    counts.push(series::write_checkins(&plans, &org, out_dir, seed)?);
    counts.push(series::write_metrics(&plans, &org, out_dir, seed)?);
    counts.extend(text::write(&org, &plan, preset, out_dir, seed)?);
    counts.extend(events::write(&org, preset, out_dir, seed)?);
    let marker = out_dir.join(MARKER);
    std::fs::write(&marker, marker_text(preset, seed)).map_err(|e| Error::io("write", &marker, e))?;
    Ok(counts)
}

/// What the marker file says: a folder with the same text needs no rewriting.
pub fn marker_text(preset: &Preset, seed: u64) -> String {
    format!("preset = {}\nseed = {seed}\nversion = {VERSION}\n", preset.name)
}

fn check_sizes(p: &Preset) -> Result<()> {
    let ok = p.teams > 0
        && p.people >= 2 * p.teams
        && p.objectives >= p.teams
        && p.key_results >= p.objectives
        && p.ai_usage_rows >= p.people as u64;
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!("generate: preset {} has inconsistent sizes: {p:?}", p.name)))
    }
}

/// Creates `out_dir`; refuses a folder that holds anything but generated data,
/// so a typo never overwrites real exports.
fn prepare(out_dir: &Path) -> Result<()> {
    if out_dir.exists() {
        let empty = std::fs::read_dir(out_dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty && !out_dir.join(MARKER).is_file() {
            return Err(Error::Usage(format!(
                "generate: refusing to write into {}: it is not empty and was not written by `generate` (no {MARKER})",
                out_dir.display()
            )));
        }
    }
    let notes = out_dir.join("notes");
    std::fs::create_dir_all(&notes).map_err(|e| Error::io("create folder", &notes, e))
}
