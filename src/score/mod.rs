//! Scores of key results, objectives, teams and the org, computed with polars
//! plans (SPEC §3), then read into plain structs for the pages.

pub mod alignment;
pub mod calibration;
pub mod cohorts;
pub mod delivery;
pub mod dependencies;
pub mod drift;
pub mod findings;
pub mod frames;
pub mod health;
pub mod history;
pub mod hygiene;
pub mod initiatives;
pub mod judge;
pub mod kr;
pub mod misses;
pub mod next;
pub mod rollup;
pub mod signals;
pub mod stats;

use crate::config::Config;
use crate::error::Result;
use crate::model::{from_day_number, Dataset, Grade};
use chrono::NaiveDate;
use frames::{c, f64s, i64s, strs};
use polars::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::finding::Finding;
pub use rollup::{GroupScore, ObjectiveScore, TeamScore};

/// Everything computed about one key result. Serialised, it is the scores
/// part of a key result in summary.json (`summary::Kr` flattens it), so the
/// fields keep that file's order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KrScore {
    #[serde(skip)]
    pub kr_id: String,
    pub score: f64,
    pub value: Option<f64>,
    pub value_measured: Option<f64>,
    pub value_reported: Option<f64>,
    pub score_measured: Option<f64>,
    pub score_reported: Option<f64>,
    pub band_status: Option<String>,
    pub time_in_band: Option<f64>,
    pub grade: Grade,
    /// The share of its time gone by the date the pack stands on (SPEC §6).
    pub expected: f64,
    /// score ÷ expected, rounded as scores are; a maintain key result's
    /// share in band is its own pace. None on the quarter's first day.
    pub pace: Option<f64>,
    pub pace_status: Option<crate::config::Pace>,
    pub checkins: u32,
    pub longest_gap_days: i64,
    pub median_gap_days: Option<f64>,
    pub days_since_last_checkin: Option<i64>,
    /// The longest gap is over the stale threshold.
    pub stale: bool,
    pub last_confidence: Option<f64>,
    pub risk_surfaced: Option<NaiveDate>,
    /// Days from risk surfaced to due.
    pub risk_lead_days: Option<i64>,
    pub surprise_miss: bool,
    /// Below green, or below 1.0 when committed, once due.
    pub missed: bool,
    /// Its due date has come by the date the pack stands on.
    #[serde(skip)]
    pub decided: bool,
    pub missed_commitment: bool,
    /// |score_measured − score_reported| where both exist.
    pub reported_gap: Option<f64>,
    /// First and last day of the longest stretch without a check-in.
    #[serde(skip)]
    pub longest_gap: (NaiveDate, NaiveDate),
    /// Dates of the first and last counted check-in.
    #[serde(skip)]
    pub first_checkin: Option<NaiveDate>,
    #[serde(skip)]
    pub last_checkin: Option<NaiveDate>,
    /// Risk was surfaced at least `early_warning_days` before due.
    #[serde(skip)]
    pub risk_raised_early: bool,
}

/// A dated value of a series, for charts.
pub type Point = (NaiveDate, f64);

/// All scores of the quarter.
#[derive(Debug, Clone)]
pub struct Scores {
    /// Sorted by kr_id.
    pub krs: Vec<KrScore>,
    pub objectives: Vec<ObjectiveScore>,
    pub teams: Vec<TeamScore>,
    /// Groups of teams with their scores (SPEC §8), by group.
    pub groups: Vec<rollup::GroupScore>,
    /// The objectives' tree: aligned scores, layers, what is called out (SPEC §8).
    pub alignment: alignment::Alignment,
    pub org: Option<f64>,
    /// Measured points of each measured key result, by date.
    pub measured: BTreeMap<String, Vec<Point>>,
    /// Guardrail and pair checks of every key result, in KR order.
    pub drift: Vec<drift::DriftCheck>,
    pub health: health::HealthGrid,
    /// Before/after of finished initiatives with a measured key result.
    pub impacts: Vec<initiatives::Impact>,
    pub early_warning: EarlyWarning,
    /// The derived engineering signals.
    pub signals: signals::Signals,
    /// Cohort comparisons, small cohorts already suppressed.
    pub cohorts: cohorts::Cohorts,
    /// How well the teams' confidences forecast the outcome (SPEC §7).
    pub calibration: calibration::Calibration,
    /// Every missed key result with its causes, by kr_id.
    pub misses: Vec<misses::Miss>,
    /// Teams waiting on teams, and recurring blockers.
    pub dependencies: dependencies::Dependencies,
    /// The earlier quarters, oldest first, the previous one last (SPEC §6).
    pub history: Vec<history::PastQuarter>,
    /// The next quarter's draft okrs.csv (SPEC §6).
    pub draft: next::Draft,
    pub findings: Vec<Finding>,
}

/// How early the quarter's misses were seen coming (SPEC §3, early warning).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct EarlyWarning {
    /// Key results below green, or below 1.0 when committed.
    pub missed: usize,
    /// Missed key results whose risk was surfaced at least `early_warning_days` before due.
    pub surfaced_early: usize,
    /// Missed key results whose risk was surfaced later than that.
    pub surfaced_late: usize,
    /// Missed key results whose risk was never surfaced.
    pub never_surfaced: usize,
    pub surprises: usize,
    /// surfaced_early / missed; null without misses.
    pub share_surfaced_early: Option<f64>,
}

impl Scores {
    /// The score of one key result.
    pub fn kr(&self, id: &str) -> Option<&KrScore> {
        self.krs.binary_search_by(|k| k.kr_id.as_str().cmp(id)).ok().map(|i| &self.krs[i])
    }
}

/// A quarter's key results scored and rolled up: what the pack and each
/// quarter of its history share, with the frames the pack's further checks read.
struct Quarterly {
    krs: Vec<KrScore>,
    objectives: Vec<ObjectiveScore>,
    teams: Vec<TeamScore>,
    org: Option<f64>,
    early_warning: EarlyWarning,
    calibration: calibration::Calibration,
    /// Measured points of each key result (kr_id, date, value).
    points: DataFrame,
    /// Every metric point, metrics.csv's and the derived weekly ones.
    metrics: LazyFrame,
    /// Each key result's observations, measured else reported.
    observations: LazyFrame,
}

/// Scores `ds`'s key results, objectives, teams and org from its check-ins,
/// its metric points and the `weekly` derived points; `windows` holds each
/// key result's derived signal over its 28 days to due.
fn quarterly(
    ds: &Dataset,
    config: &Config,
    weekly: &[crate::model::MetricPoint],
    windows: &BTreeMap<String, Option<f64>>,
) -> Result<Quarterly> {
    let krs = frames::key_results(ds)?.lazy();
    let checkins = frames::checkins(ds)?.lazy();
    let metrics = frames::metrics(ds, weekly)?.lazy();
    let q = ds.quarter;
    let points = kr::measured_points(krs.clone(), metrics.clone(), q).collect()?;
    let counted = kr::counted_checkins(krs.clone(), checkins, q);
    let stats = kr::checkin_stats(counted.clone(), config.thresholds.risk_confidence);
    let observations = observations(&points, counted.clone())?;
    let in_band = kr::time_in_band(krs.clone(), observations.clone(), q, ds.as_of());
    let maintained = kr::maintain_share(krs.clone(), observations.clone());
    let measured = measured_sources(&points, windows)?;
    let scored = round_scores(score_krs(krs, measured, stats, [in_band, maintained])?)?;
    let kr_scores = judge::read_krs(&scored, ds, config)?;
    let calibration = calibration::compute(ds, counted, &kr_scores)?;
    let objectives = rollup::objectives(&scored, ds, config)?;
    let teams = rollup::teams(&objectives, &kr_scores, ds, config)?;
    let mut early_warning = early_warning(&kr_scores);
    if ds.partial() {
        // the share is the quarter's: only its end decides it (SPEC §6)
        early_warning.share_surfaced_early = None;
    }
    Ok(Quarterly {
        org: rollup::org(&teams),
        early_warning,
        krs: kr_scores,
        objectives,
        teams,
        calibration,
        points,
        metrics,
        observations,
    })
}

/// Computes every score of the quarter, and of the quarters before it.
pub fn compute(ds: &Dataset, config: &Config) -> Result<Scores> {
    let signals = signals::compute(ds, config)?;
    let q = quarterly(ds, config, &signals.weekly, &signals.kr_window)?;
    let frames = [q.metrics.clone(), q.observations.clone()];
    let drift = drift::checks(ds, config, &signals, q.metrics.clone(), q.observations)?;
    let history = history::compute(ds, config, &signals)?;
    let mut scores = Scores {
        org: q.org,
        early_warning: q.early_warning,
        krs: q.krs,
        alignment: alignment::compute(ds, &q.objectives, config),
        groups: rollup::groups(&q.teams, config)?,
        objectives: q.objectives,
        teams: q.teams,
        measured: read_points(&q.points)?,
        drift,
        health: health::grid(ds)?,
        impacts: initiatives::impacts(ds, q.metrics, config.thresholds.impact_noise)?,
        cohorts: cohorts::compute(ds, config)?,
        signals,
        calibration: q.calibration,
        dependencies: dependencies::find(ds, config),
        history,
        draft: next::Draft { quarter: ds.quarter.next(), rows: Vec::new(), lint: Vec::new() },
        misses: Vec::new(),
        findings: Vec::new(),
    };
    scores.misses = misses::find(ds, config, &scores, frames)?;
    scores.findings = findings::collect(ds, &scores, config);
    scores.findings.extend(hygiene::lint(ds, config));
    crate::finding::sort(&mut scores.findings);
    scores.draft = next::draft(ds, &scores, config);
    Ok(scores)
}

/// The two sources of a key result's measured value: (kr_id,
/// measured_series) — the last point of its series — and (kr_id, derived,
/// is_derived) — for a derived signal, the signal over the 28 days ending on
/// its due date, not the last weekly point.
fn measured_sources(points: &DataFrame, window: &BTreeMap<String, Option<f64>>) -> Result<[LazyFrame; 2]> {
    let last_point = points
        .clone()
        .lazy()
        .group_by_stable([col(c::KR_ID)])
        .agg([col(c::VALUE).sort_by([col(c::DATE)], SortMultipleOptions::default()).last().alias("measured_series")]);
    let derived = DataFrame::new_infer_height(vec![
        Column::new(c::KR_ID.into(), window.keys().map(String::as_str).collect::<Vec<_>>()),
        Column::new("derived".into(), window.values().copied().collect::<Vec<_>>()),
        Column::new("is_derived".into(), vec![true; window.len()]),
    ])?;
    Ok([last_point, derived.lazy()])
}

/// Every key result with its measured and reported value, check-in figures,
/// time in band, value, scores and band status, sorted by id.
fn score_krs(
    krs: LazyFrame,
    [series, derived]: [LazyFrame; 2],
    stats: LazyFrame,
    [in_band, maintained]: [LazyFrame; 2],
) -> Result<DataFrame> {
    let left = || JoinArgs::new(JoinType::Left);
    let id = || [col(c::KR_ID)];
    let derived_or_series =
        when(col("is_derived").fill_null(lit(false))).then(col("derived")).otherwise(col("measured_series"));
    Ok(krs
        .join(series, id(), id(), left())
        .join(derived, id(), id(), left())
        .with_column(derived_or_series.alias("measured"))
        .join(stats, id(), id(), left())
        .join(in_band, id(), id(), left())
        .join(maintained, id(), id(), left())
        .with_column(
            when(col("measured").is_not_null()).then(col("measured")).otherwise(col("reported")).alias(c::VALUE),
        )
        .with_columns([
            when(col(c::MAINTAIN).and(col(c::VALUE).is_not_null()))
                .then(col("maintain_share"))
                .otherwise(kr::score_of(col(c::VALUE)))
                .fill_null(lit(0.0))
                .alias(c::SCORE),
            kr::score_of(col("measured")).alias("score_measured"),
            kr::score_of(col("reported")).alias("score_reported"),
            kr::band_status(col(c::VALUE)).alias("band_status"),
        ])
        .sort([c::KR_ID], SortMultipleOptions::default())
        .collect()?)
}

fn early_warning(krs: &[KrScore]) -> EarlyWarning {
    let mut e = EarlyWarning::default();
    for k in krs.iter().filter(|k| k.missed) {
        e.missed += 1;
        match k.risk_surfaced {
            Some(_) if k.risk_raised_early => e.surfaced_early += 1,
            Some(_) => e.surfaced_late += 1,
            None => e.never_surfaced += 1,
        }
        e.surprises += usize::from(k.surprise_miss);
    }
    e.share_surfaced_early = (e.missed > 0).then(|| e.surfaced_early as f64 / e.missed as f64);
    e
}

/// A score rounded to two decimals, half up (SPEC §3, Rounding): 0.695 is
/// 0.70. The tolerance absorbs binary fractions such as 0.695 × 100 =
/// 69.49999999999999; scores are never negative.
pub fn round2(x: f64) -> f64 {
    (x * 100.0 + 0.5 + 1e-9).floor() / 100.0
}

/// The scored frame with every score rounded where it is computed, so that
/// grades, findings and roll-ups use the figure a reader sees.
fn round_scores(mut df: DataFrame) -> Result<DataFrame> {
    for name in [c::SCORE, "score_measured", "score_reported"] {
        let rounded: Vec<Option<f64>> = f64s(&df, name)?.into_iter().map(|v| v.map(round2)).collect();
        df.with_column(Column::new(name.into(), rounded))?;
    }
    Ok(df)
}

/// The observations time in band is computed from: the measured points of a
/// measured key result, the reported check-in values of the others.
fn observations(points: &DataFrame, counted: LazyFrame) -> Result<LazyFrame> {
    let measured_ids = points
        .clone()
        .lazy()
        .select([col(c::KR_ID)])
        .unique_stable(None, UniqueKeepStrategy::First)
        .with_column(lit(true).alias("has_measured"));
    let reported = counted
        .join(measured_ids, [col(c::KR_ID)], [col(c::KR_ID)], JoinArgs::new(JoinType::Left))
        .filter(col("has_measured").is_null())
        .select([col(c::KR_ID), col(c::DATE), col(c::VALUE)]);
    Ok(concat(
        [points.clone().lazy().select([col(c::KR_ID), col(c::DATE), col(c::VALUE)]), reported],
        UnionArgs::default(),
    )?)
}

fn read_points(df: &DataFrame) -> Result<BTreeMap<String, Vec<Point>>> {
    let ids = strs(df, c::KR_ID)?;
    let dates = i64s(df, c::DATE)?;
    let values = f64s(df, c::VALUE)?;
    let mut out: BTreeMap<String, Vec<Point>> = BTreeMap::new();
    for ((id, d), v) in ids.into_iter().zip(dates).zip(values) {
        if let (Some(id), Some(d), Some(v)) = (id, d, v) {
            out.entry(id).or_default().push((from_day_number(d as i32), v));
        }
    }
    Ok(out)
}
