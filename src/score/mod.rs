//! Scores of key results, objectives, teams and the org, computed with polars
//! plans (SPEC §3), then read into plain structs for the pages.

pub mod calibration;
pub mod cohorts;
pub mod delivery;
pub mod dependencies;
pub mod drift;
pub mod findings;
pub mod frames;
pub mod health;
pub mod hygiene;
pub mod initiatives;
pub mod kr;
pub mod misses;
pub mod rollup;
pub mod signals;
pub mod stats;

use crate::config::{below, Config};
use crate::error::Result;
use crate::model::{day_number, from_day_number, Dataset, Grade};
use chrono::NaiveDate;
use frames::{bools, c, f64s, i64s, strs};
use polars::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::finding::Finding;
pub use rollup::{ObjectiveScore, TeamScore};

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
    /// Below green, or below 1.0 when committed.
    pub missed: bool,
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
    let observations = observations(&points, counted.clone())?;
    let frames = [metrics.clone(), observations.clone()];
    let drift = drift::checks(ds, config, &signals, metrics.clone(), observations.clone())?;
    let in_band = kr::time_in_band(krs.clone(), observations.clone(), q);
    let maintained = kr::maintain_share(krs.clone(), observations);
    let measured = measured_sources(&points, &signals)?;
    let scored = round_scores(score_krs(krs, measured, stats, [in_band, maintained])?)?;

    let kr_scores = read_krs(&scored, ds, config)?;
    let calibration = calibration::compute(ds, counted, &kr_scores)?;
    let objectives = rollup::objectives(&scored, ds, config)?;
    let teams = rollup::teams(&objectives, &kr_scores, ds, config)?;
    let mut scores = Scores {
        org: rollup::org(&teams),
        early_warning: early_warning(&kr_scores),
        krs: kr_scores,
        objectives,
        teams,
        measured: read_points(&points)?,
        drift,
        health: health::grid(ds)?,
        impacts: initiatives::impacts(ds, metrics, config.thresholds.impact_noise)?,
        cohorts: cohorts::compute(ds, config)?,
        signals,
        calibration,
        dependencies: dependencies::find(ds, config),
        misses: Vec::new(),
        findings: Vec::new(),
    };
    scores.misses = misses::find(ds, config, &scores, frames)?;
    scores.findings = findings::collect(ds, &scores, config);
    scores.findings.extend(hygiene::lint(ds, config));
    crate::finding::sort(&mut scores.findings);
    Ok(scores)
}

/// The two sources of a key result's measured value: (kr_id,
/// measured_series) — the last point of its series — and (kr_id, derived,
/// is_derived) — for a derived signal, the signal over the 28 days ending on
/// its due date, not the last weekly point.
fn measured_sources(points: &DataFrame, signals: &signals::Signals) -> Result<[LazyFrame; 2]> {
    let last_point = points
        .clone()
        .lazy()
        .group_by_stable([col(c::KR_ID)])
        .agg([col(c::VALUE).sort_by([col(c::DATE)], SortMultipleOptions::default()).last().alias("measured_series")]);
    let window = &signals.kr_window;
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

/// One row of the scored frame as read, before any judgement.
struct Scored {
    id: String,
    score: f64,
    value: [Option<f64>; 3],
    scores: [Option<f64>; 2],
    band_status: Option<String>,
    time_in_band: Option<f64>,
    checkins: i64,
    last_confidence: Option<f64>,
    /// Day numbers of the risk date, the first and the last check-in.
    risk: Option<i64>,
    first: Option<i64>,
    last: Option<i64>,
    /// The longest gap between two check-ins: (length, last day).
    inner: Option<(i64, i64)>,
    median_gap: Option<f64>,
    committed: bool,
    due: Option<i64>,
}

/// Reads the scored frame and judges every key result.
fn read_krs(df: &DataFrame, ds: &Dataset, config: &Config) -> Result<Vec<KrScore>> {
    let window = (i64::from(day_number(ds.quarter.start())), i64::from(day_number(ds.quarter.end())));
    Ok(read_scored(df)?.into_iter().map(|r| judge(r, window, config)).collect())
}

fn read_scored(df: &DataFrame) -> Result<Vec<Scored>> {
    let (ids, score, value, measured, reported) =
        (strs(df, c::KR_ID)?, f64s(df, c::SCORE)?, f64s(df, c::VALUE)?, f64s(df, "measured")?, f64s(df, "reported")?);
    let (score_m, score_r, band, tib) =
        (f64s(df, "score_measured")?, f64s(df, "score_reported")?, strs(df, "band_status")?, f64s(df, "time_in_band")?);
    let (n, conf, risk, first, last) = (
        i64s(df, "checkins")?,
        f64s(df, "last_confidence")?,
        i64s(df, "risk_date")?,
        i64s(df, "first_date")?,
        i64s(df, "last_date")?,
    );
    let (inner, inner_end, median_gap) = (i64s(df, "inner_gap")?, i64s(df, "inner_gap_end")?, f64s(df, "median_gap")?);
    let (committed, dues) = (bools(df, c::COMMITTED)?, i64s(df, c::DUE)?);
    Ok((0..ids.len())
        .map(|i| Scored {
            id: ids[i].clone().unwrap_or_default(),
            score: score[i].unwrap_or(0.0),
            value: [value[i], measured[i], reported[i]],
            scores: [score_m[i], score_r[i]],
            band_status: band[i].clone(),
            time_in_band: tib[i],
            checkins: n[i].unwrap_or(0),
            last_confidence: conf[i],
            risk: risk[i],
            first: first[i],
            last: last[i],
            inner: inner[i].zip(inner_end[i]),
            median_gap: median_gap[i],
            committed: committed[i],
            due: dues[i],
        })
        .collect())
}

/// Every figure and judgement of one key result; `(start, end)` is the quarter in day numbers.
fn judge(r: Scored, (start, end): (i64, i64), config: &Config) -> KrScore {
    let (t, g) = (&config.thresholds, &config.grades);
    let day = |d: i64| from_day_number(d as i32);
    let due = r.due.unwrap_or(end);
    let s = r.score;
    let gap = longest_gap(start, due, r.first, r.last, r.inner);
    let [value, value_measured, value_reported] = r.value;
    let [score_measured, score_reported] = r.scores;
    let missed_commitment = r.committed && below(s, 1.0);
    KrScore {
        kr_id: r.id,
        score: s,
        value,
        value_measured,
        value_reported,
        score_measured,
        score_reported,
        band_status: r.band_status,
        time_in_band: r.time_in_band,
        grade: g.grade(s),
        checkins: r.checkins as u32,
        longest_gap_days: gap.1 - gap.0,
        longest_gap: (day(gap.0), day(gap.1)),
        stale: gap.1 - gap.0 > t.stale_days,
        first_checkin: r.first.map(day),
        last_checkin: r.last.map(day),
        median_gap_days: r.median_gap,
        days_since_last_checkin: r.last.map(|l| end - l),
        last_confidence: r.last_confidence,
        risk_surfaced: r.risk.map(day),
        risk_lead_days: r.risk.map(|d| due - d),
        risk_raised_early: r.risk.is_some_and(|d| due - d >= t.early_warning_days),
        surprise_miss: r.last_confidence.is_some_and(|c| !below(c, t.surprise_confidence)) && below(s, g.red_below),
        missed_commitment,
        missed: below(s, g.green_from) || missed_commitment,
        reported_gap: score_measured.zip(score_reported).map(|(m, r)| (m - r).abs()),
    }
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
