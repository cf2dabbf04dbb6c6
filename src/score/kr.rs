//! Key-result plans: measured and reported values, score, band, time in band, cadence.

use super::frames::c;
use crate::model::{day_number, Quarter};
use chrono::NaiveDate;
use polars::prelude::*;

/// Measured points: one value per key result and date (the mean of that date's
/// rows) of its metric series for its team, inside the quarter up to `due`.
pub fn measured_points(krs: LazyFrame, metrics: LazyFrame, quarter: Quarter) -> LazyFrame {
    let start = day_number(quarter.start());
    metrics
        .join(
            // a milestone's progress comes from its check-ins, never from a series
            krs.filter(col(c::MILESTONE).not()).select([col(c::KR_ID), col(c::TEAM), col(c::METRIC), col(c::DUE)]),
            [col(c::TEAM), col(c::METRIC)],
            [col(c::TEAM), col(c::METRIC)],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col(c::DATE).gt_eq(lit(start)).and(col(c::DATE).lt_eq(col(c::DUE))))
        .group_by_stable([col(c::KR_ID), col(c::DATE)])
        .agg([col(c::VALUE).mean()])
        .sort([c::KR_ID, c::DATE], SortMultipleOptions::default())
}

/// The check-ins that count: inside the quarter and on or before `due`, in order.
pub fn counted_checkins(krs: LazyFrame, checkins: LazyFrame, quarter: Quarter) -> LazyFrame {
    let start = day_number(quarter.start());
    checkins
        .join(
            krs.select([col(c::KR_ID), col(c::DUE)]),
            [col(c::KR_ID)],
            [col(c::KR_ID)],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col(c::DATE).gt_eq(lit(start)).and(col(c::DATE).lt_eq(col(c::DUE))))
        .sort([c::KR_ID, c::DATE, c::ORDER], SortMultipleOptions::default())
}

/// Per key result: count, last value and confidence, risk date, gaps.
pub fn checkin_stats(counted: LazyFrame, risk_confidence: f64) -> LazyFrame {
    let gap = col(c::DATE) - col(c::DATE).shift(lit(1));
    counted.group_by_stable([col(c::KR_ID)]).agg([
        len().alias("checkins"),
        col(c::VALUE).drop_nulls().last().alias("reported"),
        col(c::CONFIDENCE).drop_nulls().last().alias("last_confidence"),
        col(c::DATE)
            .filter(col(c::CONFIDENCE).lt_eq(lit(risk_confidence + crate::config::EPSILON)))
            .min()
            .alias("risk_date"),
        col(c::DATE).min().alias("first_date"),
        col(c::DATE).max().alias("last_date"),
        gap.clone().max().alias("inner_gap"),
        col(c::DATE).filter(gap.clone().eq(gap.clone().max())).first().alias("inner_gap_end"),
        gap.median().alias("median_gap"),
    ])
}

/// The score of a value `v`: progress from baseline to target (or to a
/// band's near edge) clamped to 0..1; for milestones the progress itself,
/// clamped. Null for a maintain key result, whose score is its share in band.
pub fn score_of(v: Expr) -> Expr {
    let progress =
        when(col(c::MILESTONE)).then(v.clone()).otherwise((v - col(c::BASELINE)) / (col(c::TARGET) - col(c::BASELINE)));
    when(col(c::MAINTAIN)).then(lit(NULL).cast(DataType::Float64)).otherwise(clamp01(progress))
}

/// Per maintain key result: the share of its observations (measured, else
/// reported; in the quarter, up to due) inside its band.
pub fn maintain_share(krs: LazyFrame, observations: LazyFrame) -> LazyFrame {
    let inside = col(c::VALUE).gt_eq(col(c::BAND_LOW)).and(col(c::VALUE).lt_eq(col(c::BAND_HIGH)));
    observations
        .join(
            krs.filter(col(c::MAINTAIN)).select([col(c::KR_ID), col(c::BAND_LOW), col(c::BAND_HIGH), col(c::DUE)]),
            [col(c::KR_ID)],
            [col(c::KR_ID)],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col(c::DATE).lt_eq(col(c::DUE)).and(col(c::VALUE).is_not_null()))
        .group_by_stable([col(c::KR_ID)])
        .agg([inside.cast(DataType::Float64).mean().alias("maintain_share")])
}

fn clamp01(x: Expr) -> Expr {
    when(x.clone().lt(lit(0.0))).then(lit(0.0)).when(x.clone().gt(lit(1.0))).then(lit(1.0)).otherwise(x)
}

/// Whether `v` is short of the band (on the baseline side).
fn short_of_band(v: Expr) -> Expr {
    let low = col(c::SIGN).gt(lit(0.0)).and(v.clone().lt(col(c::BAND_LOW)));
    let high = col(c::SIGN).lt(lit(0.0)).and(v.gt(col(c::BAND_HIGH)));
    low.or(high)
}

/// `in band`, `short of band`, `beyond band`, or null without band or value.
pub fn band_status(v: Expr) -> Expr {
    let in_band = v.clone().gt_eq(col(c::BAND_LOW)).and(v.clone().lt_eq(col(c::BAND_HIGH)));
    when(col(c::BAND_LOW).is_null().or(v.clone().is_null()))
        .then(lit(NULL).cast(DataType::String))
        .when(in_band)
        .then(lit("in band"))
        .when(short_of_band(v))
        .then(lit("short of band"))
        .otherwise(lit("beyond band"))
}

/// Share of a key result's observations in the last half of the quarter
/// (of its days to `as_of`, when it stands on an earlier date) that were
/// in or beyond band. `observations` has kr_id, date, value; `krs` the bands.
pub fn time_in_band(krs: LazyFrame, observations: LazyFrame, quarter: Quarter, as_of: NaiveDate) -> LazyFrame {
    let start = day_number(quarter.start());
    let days = day_number(as_of.min(quarter.end())) - start + 1;
    let half = start + days / 2;
    observations
        .join(
            krs.select([col(c::KR_ID), col(c::BAND_LOW), col(c::BAND_HIGH), col(c::SIGN), col(c::DUE)]),
            [col(c::KR_ID)],
            [col(c::KR_ID)],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(
            col(c::DATE)
                .gt_eq(lit(half))
                .and(col(c::DATE).lt_eq(col(c::DUE)))
                .and(col(c::BAND_LOW).is_not_null())
                .and(col(c::VALUE).is_not_null()),
        )
        .group_by_stable([col(c::KR_ID)])
        .agg([short_of_band(col(c::VALUE)).not().cast(DataType::Float64).mean().alias("time_in_band")])
}
