//! Scores of key results, objectives, teams and the org, computed with polars
//! plans (SPEC §3), then read into plain structs for the pages.

pub mod cohorts;
pub mod drift;
pub mod findings;
pub mod frames;
pub mod health;
pub mod hygiene;
pub mod initiatives;
pub mod kr;
pub mod rollup;
pub mod signals;

use crate::config::{below, Config};
use crate::error::Result;
use crate::model::{day_number, from_day_number, Dataset};
use chrono::NaiveDate;
use frames::{bools, c, f64s, i64s, strs};
use polars::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

pub use findings::Finding;
pub use rollup::{ObjectiveScore, TeamScore};

/// Everything computed about one key result.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KrScore {
    pub kr_id: String,
    pub score: f64,
    pub value: Option<f64>,
    pub value_measured: Option<f64>,
    pub value_reported: Option<f64>,
    pub score_measured: Option<f64>,
    pub score_reported: Option<f64>,
    pub band_status: Option<String>,
    pub time_in_band: Option<f64>,
    pub grade: &'static str,
    pub checkins: u32,
    pub longest_gap_days: i64,
    /// First and last day of the longest stretch without a check-in.
    #[serde(skip)]
    pub longest_gap: (NaiveDate, NaiveDate),
    /// The longest gap is over the stale threshold.
    pub stale: bool,
    /// Dates of the first and last counted check-in.
    #[serde(skip)]
    pub first_checkin: Option<NaiveDate>,
    #[serde(skip)]
    pub last_checkin: Option<NaiveDate>,
    pub median_gap_days: Option<f64>,
    pub days_since_last_checkin: Option<i64>,
    pub last_confidence: Option<f64>,
    pub risk_surfaced: Option<NaiveDate>,
    /// Days from risk surfaced to due.
    pub risk_lead_days: Option<i64>,
    pub surprise_miss: bool,
    pub missed_commitment: bool,
    /// Below green, or below 1.0 when committed.
    pub missed: bool,
    /// |score_measured − score_reported| where both exist.
    pub reported_gap: Option<f64>,
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

/// Computes every score of the quarter.
pub fn compute(ds: &Dataset, config: &Config) -> Result<Scores> {
    let krs = frames::key_results(ds)?.lazy();
    let checkins = frames::checkins(ds)?.lazy();
    let signals = signals::compute(ds, config)?;
    let metrics = frames::metrics(ds, &signals.weekly)?.lazy();
    let q = ds.quarter;

    let points = kr::measured_points(krs.clone(), metrics.clone(), q).collect()?;
    let counted = kr::counted_checkins(krs.clone(), checkins, q);
    let stats = kr::checkin_stats(counted.clone(), config.thresholds.risk_confidence);
    let measured_last = points
        .clone()
        .lazy()
        .group_by_stable([col(c::KR_ID)])
        .agg([col(c::VALUE).sort_by([col(c::DATE)], SortMultipleOptions::default()).last().alias("measured_series")]);
    // A key result measured by a derived signal takes the signal over the 28
    // days ending on its due date, not the last weekly point.
    let derived = DataFrame::new_infer_height(vec![
        Column::new(c::KR_ID.into(), signals.kr_window.keys().map(String::as_str).collect::<Vec<_>>()),
        Column::new("derived".into(), signals.kr_window.values().copied().collect::<Vec<_>>()),
        Column::new("is_derived".into(), vec![true; signals.kr_window.len()]),
    ])?
    .lazy();
    let observations = observations(&points, counted)?;
    let drift = drift::checks(ds, config, metrics.clone(), observations.clone())?;

    let scored = krs
        .clone()
        .join(measured_last, [col(c::KR_ID)], [col(c::KR_ID)], JoinArgs::new(JoinType::Left))
        .join(derived, [col(c::KR_ID)], [col(c::KR_ID)], JoinArgs::new(JoinType::Left))
        .with_column(
            when(col("is_derived").fill_null(lit(false)))
                .then(col("derived"))
                .otherwise(col("measured_series"))
                .alias("measured"),
        )
        .join(stats, [col(c::KR_ID)], [col(c::KR_ID)], JoinArgs::new(JoinType::Left))
        .join(kr::time_in_band(krs, observations, q), [col(c::KR_ID)], [col(c::KR_ID)], JoinArgs::new(JoinType::Left))
        .with_column(
            when(col("measured").is_not_null()).then(col("measured")).otherwise(col("reported")).alias(c::VALUE),
        )
        .with_columns([
            kr::score_of(col(c::VALUE)).fill_null(lit(0.0)).alias(c::SCORE),
            kr::score_of(col("measured")).alias("score_measured"),
            kr::score_of(col("reported")).alias("score_reported"),
            kr::band_status(col(c::VALUE)).alias("band_status"),
        ])
        .sort([c::KR_ID], SortMultipleOptions::default())
        .collect()?;

    let kr_scores = read_krs(&scored, ds, config)?;
    let objectives = rollup::objectives(&scored, ds, config)?;
    let teams = rollup::teams(&objectives, &kr_scores, ds, config)?;
    let org = rollup::org(&teams);
    let measured = read_points(&points)?;
    let early_warning = early_warning(&kr_scores, config);
    let mut scores = Scores {
        krs: kr_scores,
        objectives,
        teams,
        org,
        measured,
        drift,
        health: health::grid(ds)?,
        impacts: initiatives::impacts(ds, metrics, config.thresholds.impact_noise)?,
        early_warning,
        signals,
        cohorts: cohorts::compute(ds, config)?,
        findings: Vec::new(),
    };
    scores.findings = findings::collect(ds, &scores, config);
    scores.findings.extend(hygiene::lint(ds, config));
    scores.findings.sort_by(|a, b| (a.kind, &a.team, &a.kr_id).cmp(&(b.kind, &b.team, &b.kr_id)));
    Ok(scores)
}

fn early_warning(krs: &[KrScore], config: &Config) -> EarlyWarning {
    let mut e = EarlyWarning::default();
    for k in krs.iter().filter(|k| k.missed) {
        e.missed += 1;
        match k.risk_lead_days {
            Some(d) if d >= config.thresholds.early_warning_days => e.surfaced_early += 1,
            Some(_) => e.surfaced_late += 1,
            None => e.never_surfaced += 1,
        }
        e.surprises += usize::from(k.surprise_miss);
    }
    e.share_surfaced_early = (e.missed > 0).then(|| e.surfaced_early as f64 / e.missed as f64);
    e
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

fn read_krs(df: &DataFrame, ds: &Dataset, config: &Config) -> Result<Vec<KrScore>> {
    let ids = strs(df, c::KR_ID)?;
    let score = f64s(df, c::SCORE)?;
    let value = f64s(df, c::VALUE)?;
    let measured = f64s(df, "measured")?;
    let reported = f64s(df, "reported")?;
    let score_m = f64s(df, "score_measured")?;
    let score_r = f64s(df, "score_reported")?;
    let band = strs(df, "band_status")?;
    let tib = f64s(df, "time_in_band")?;
    let n = i64s(df, "checkins")?;
    let conf = f64s(df, "last_confidence")?;
    let risk = i64s(df, "risk_date")?;
    let first = i64s(df, "first_date")?;
    let last = i64s(df, "last_date")?;
    let inner = i64s(df, "inner_gap")?;
    let inner_end = i64s(df, "inner_gap_end")?;
    let median_gap = f64s(df, "median_gap")?;
    let committed = bools(df, c::COMMITTED)?;
    let dues = i64s(df, c::DUE)?;
    let start = i64::from(day_number(ds.quarter.start()));
    let end = i64::from(day_number(ds.quarter.end()));
    let t = &config.thresholds;
    let mut out = Vec::with_capacity(ids.len());
    for i in 0..ids.len() {
        let id = ids[i].clone().unwrap_or_default();
        let due = dues[i].unwrap_or(end);
        let s = score[i].unwrap_or(0.0);
        let gap = longest_gap(start, due, first[i], last[i], inner[i].zip(inner_end[i]));
        let longest_gap_days = gap.1 - gap.0;
        let risk_surfaced = risk[i].map(|d| from_day_number(d as i32));
        out.push(KrScore {
            kr_id: id,
            score: s,
            value: value[i],
            value_measured: measured[i],
            value_reported: reported[i],
            score_measured: score_m[i],
            score_reported: score_r[i],
            band_status: band[i].clone(),
            time_in_band: tib[i],
            grade: config.grades.grade(s),
            checkins: n[i].unwrap_or(0) as u32,
            longest_gap_days,
            longest_gap: (from_day_number(gap.0 as i32), from_day_number(gap.1 as i32)),
            stale: longest_gap_days > t.stale_days,
            first_checkin: first[i].map(|d| from_day_number(d as i32)),
            last_checkin: last[i].map(|d| from_day_number(d as i32)),
            median_gap_days: median_gap[i],
            days_since_last_checkin: last[i].map(|l| end - l),
            last_confidence: conf[i],
            risk_surfaced,
            risk_lead_days: risk[i].map(|d| due - d),
            surprise_miss: conf[i].is_some_and(|c| !below(c, t.surprise_confidence))
                && below(s, config.grades.red_below),
            missed_commitment: committed[i] && below(s, 1.0),
            missed: below(s, config.grades.green_from) || (committed[i] && below(s, 1.0)),
            reported_gap: score_m[i].zip(score_r[i]).map(|(m, r)| (m - r).abs()),
        });
    }
    Ok(out)
}

/// The longest stretch without a check-in, as day numbers (from, to): from the
/// quarter start to the first check-in, between two check-ins, or from the
/// last one to `due`; the earliest of equally long gaps. No check-in at all:
/// the whole window.
fn longest_gap(start: i64, due: i64, first: Option<i64>, last: Option<i64>, inner: Option<(i64, i64)>) -> (i64, i64) {
    let (Some(first), Some(last)) = (first, last) else {
        return (start, due);
    };
    let mut gaps = vec![(start, first)];
    if let Some((len, end)) = inner {
        gaps.push((end - len, end));
    }
    gaps.push((last, due));
    gaps.into_iter().fold((start, start), |best, g| if g.1 - g.0 > best.1 - best.0 { g } else { best })
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
