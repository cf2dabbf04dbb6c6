//! `quarterdeck next`: writes the draft okrs.csv of the quarter after the
//! one built (SPEC §6), with a `note` column saying why each row is there.
//! The rows are decided in `score::next`; this module writes them.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::model::{Direction, KrKind, Quarter};
use crate::score::next::{Draft, DraftRow};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// What `quarterdeck next` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct NextOptions {
    pub data_dir: PathBuf,
    /// The file to write (default: `DATA_DIR/okrs-QUARTER-draft.csv`).
    pub out: Option<PathBuf>,
    pub quarter: Option<Quarter>,
    pub as_of: Option<NaiveDate>,
}

/// What `next` wrote.
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    pub quarter: Quarter,
    pub rows: usize,
    /// The hygiene lint over the draft: what to fill in before it is valid input.
    pub lint: Vec<Finding>,
}

/// Builds the quarter's scores and writes the next quarter's draft.
pub fn next(opts: &NextOptions) -> Result<Written> {
    let config = Config::load(&opts.data_dir)?;
    let ds = crate::ingest::load_at(&opts.data_dir, &config, opts.quarter, opts.as_of)?;
    let scores = crate::score::compute(&ds, &config)?;
    let draft = &scores.draft;
    let default = || opts.data_dir.join(format!("okrs-{}-draft.csv", draft.quarter));
    let path = opts.out.clone().unwrap_or_else(default);
    check_out(&opts.data_dir, &path)?;
    let text = to_csv(draft)?;
    let partial = path.with_extension("csv.partial");
    std::fs::write(&partial, text).map_err(|e| Error::io("write", &partial, e))?;
    std::fs::rename(&partial, &path).map_err(|e| Error::io("move into place", &path, e))?;
    Ok(Written { path, quarter: draft.quarter, rows: draft.rows.len(), lint: draft.lint.clone() })
}

/// The header of a draft: okrs.csv's columns, then `note`.
fn header() -> Vec<&'static str> {
    COLUMNS.iter().map(|(name, _)| *name).collect()
}

/// Refuses to write over an input of the data folder, a folder, or a file
/// that is not an earlier draft (its first line is not a draft's header).
fn check_out(data_dir: &Path, out: &Path) -> Result<()> {
    let refuse = |why: &str| Err(Error::Usage(format!("refusing --out {}: {why}; choose another file", out.display())));
    if out.is_dir() {
        return refuse("it is a folder");
    }
    let real = crate::outputs::resolve(out);
    let inputs = crate::schema::ALL.iter().map(|s| s.file).chain([crate::config::CONFIG_FILE]);
    if inputs.map(|f| crate::outputs::resolve(&data_dir.join(f))).any(|p| p == real) {
        return refuse("it is an input of the data folder");
    }
    if out.exists() {
        let text = std::fs::read_to_string(out).unwrap_or_default();
        if text.lines().next() != Some(header().join(",").as_str()) {
            return refuse("it exists and is not a draft written by `quarterdeck next`");
        }
    }
    Ok(())
}

/// A column of the draft: its name and how a row fills it.
type Column = (&'static str, fn(&DraftRow) -> String);

/// The draft's columns: those of okrs.csv (SPEC §2), then why the row is there.
const COLUMNS: &[Column] = &[
    ("quarter", |r| r.kr.quarter.to_string()),
    ("team", |r| r.kr.team.clone()),
    ("objective_id", |r| r.objective.id.clone()),
    ("objective", |r| r.objective.title.clone()),
    ("objective_kind", |r| r.objective.kind.as_str().to_string()),
    ("kr_id", |r| r.kr.id.clone()),
    ("key_result", |r| r.kr.text.clone()),
    ("owner", |r| r.kr.owner.clone()),
    ("kind", |r| if r.kr.kind == KrKind::Milestone { "milestone" } else { "metric" }.to_string()),
    ("direction", |r| r.kr.direction.map_or("", direction).to_string()),
    ("baseline", |r| opt(r.kr.baseline)),
    ("target", |r| opt(r.kr.target)),
    ("band_low", |r| opt(r.kr.band.map(|b| b.low))),
    ("band_high", |r| opt(r.kr.band.map(|b| b.high))),
    ("unit", |r| r.kr.unit.clone().unwrap_or_default()),
    ("metric", |r| r.kr.metric.clone().unwrap_or_default()),
    ("layer", |r| r.kr.layer.map(|l| format!("{l:?}").to_lowercase()).unwrap_or_default()),
    ("paired_with", |r| r.kr.paired_with.clone().unwrap_or_default()),
    ("guardrail", |r| r.kr.guardrails.join("|")),
    ("weight", |r| if r.kr.weight == 1.0 { String::new() } else { num_exact(r.kr.weight) }),
    ("due", |_| String::new()),
    ("continues", |r| r.kr.continues.clone().unwrap_or_default()),
    ("note", |r| r.note.clone()),
];

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::Increase => "increase",
        Direction::Decrease => "decrease",
    }
}

/// An optional number as a cell: empty when absent.
fn opt(x: Option<f64>) -> String {
    x.map(num_exact).unwrap_or_default()
}

/// A number as written in okrs.csv: as it is, without a float's tail.
fn num_exact(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// The draft as CSV text: the header, then a row per draft row.
pub fn to_csv(draft: &Draft) -> Result<String> {
    let internal = |e: csv::Error| Error::Internal(format!("writing the draft: {e}"));
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(header()).map_err(internal)?;
    for r in &draft.rows {
        w.write_record(COLUMNS.iter().map(|(_, cell)| cell(r))).map_err(internal)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Internal(format!("writing the draft: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Internal(format!("the draft: {e}")))
}

/// What the lint says must be filled in before the draft is valid input, in a sentence.
pub fn to_fill(lint: &[Finding]) -> String {
    let count = |kind| lint.iter().filter(|f| f.kind == kind).count();
    let targets = count(crate::finding::FindingKind::MissingTarget);
    let baselines = count(crate::finding::FindingKind::MissingBaseline);
    format!("{targets} key results need a target and {baselines} a baseline before `quarterdeck check` passes on it")
}
