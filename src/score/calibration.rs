//! Calibration (SPEC §7): how well the teams' weekly confidences forecast
//! which key results ended green. Per team and for the org, never per
//! person: each confidence c is a forecast p = c / 10, the outcome o is 1
//! when the key result ended green (≥ green, ≥ 1.0 when committed).

use super::frames::{c, f64s, i64s, strs};
use super::KrScore;
use crate::config::EPSILON;
use crate::error::Result;
use crate::model::Dataset;
use polars::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// The confidence bands of the reliability chart: label and lowest
/// confidence. A confidence between two bands (2.5) is in the lower one.
pub const BANDS: [(&str, f64); 5] = [("0–2", 0.0), ("3–4", 3.0), ("5–6", 5.0), ("7–8", 7.0), ("9–10", 9.0)];

/// The calibration of one team's forecasts, or of the org's (team "").
#[derive(Debug, Clone, Default, Serialize)]
pub struct Forecasts {
    /// Empty for the org.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub team: String,
    /// Mean (p − o)² over every counted check-in with a confidence.
    pub brier: Option<f64>,
    /// The same over each key result's last check-in with a confidence.
    pub brier_last: Option<f64>,
    /// Check-ins with a confidence.
    pub checkins: u32,
    /// Key results with at least one.
    pub krs: u32,
    /// Mean p − mean o, over the check-ins: above 0, more confident than the outcomes bore out.
    pub overconfidence: Option<f64>,
    /// Mean p.
    pub mean_forecast: Option<f64>,
    /// Mean o: the share of those check-ins whose key result ended green.
    pub share_green: Option<f64>,
}

/// One band of the reliability chart: the check-ins whose confidence fell
/// in it and the share of them whose key result ended green.
#[derive(Debug, Clone, Serialize)]
pub struct Bin {
    pub band: &'static str,
    pub checkins: u32,
    pub ended_green: u32,
    pub share_green: Option<f64>,
    /// Mean p of its check-ins: where a well-calibrated share would be.
    pub mean_forecast: Option<f64>,
}

/// Every team's calibration, the org's, and the org's reliability bins.
#[derive(Debug, Clone, Default)]
pub struct Calibration {
    /// Every team of the quarter, sorted by team; a team without confidences has no figures.
    pub teams: Vec<Forecasts>,
    pub org: Forecasts,
    /// In [`BANDS`] order, empty bands included.
    pub bins: Vec<Bin>,
}

/// Computes calibration from the counted check-ins (kr_id, date, confidence,
/// in order) and the judged key results.
pub fn compute(ds: &Dataset, counted: LazyFrame, krs: &[KrScore]) -> Result<Calibration> {
    let forecasts = forecasts(ds, counted, krs)?;
    let per_team = figures(forecasts.clone())?;
    let org = figures(forecasts.clone().with_column(lit("").alias(c::TEAM)))?;
    let mut by_team: BTreeMap<String, Forecasts> = read(&per_team)?.into_iter().map(|f| (f.team.clone(), f)).collect();
    for k in &ds.krs {
        by_team.entry(k.team.clone()).or_insert_with(|| Forecasts { team: k.team.clone(), ..Forecasts::default() });
    }
    Ok(Calibration {
        teams: by_team.into_values().collect(),
        org: read(&org)?.into_iter().next().unwrap_or_default(),
        bins: bins(forecasts)?,
    })
}

/// One row per counted check-in with a confidence: team, kr_id, p, o, (p − o)² and its band.
fn forecasts(ds: &Dataset, counted: LazyFrame, krs: &[KrScore]) -> Result<LazyFrame> {
    let teams: BTreeMap<&str, &str> = ds.krs.iter().map(|k| (k.id.as_str(), k.team.as_str())).collect();
    let outcomes = DataFrame::new_infer_height(vec![
        Column::new(c::KR_ID.into(), krs.iter().map(|k| k.kr_id.as_str()).collect::<Vec<_>>()),
        Column::new(c::TEAM.into(), krs.iter().map(|k| teams.get(k.kr_id.as_str()).copied()).collect::<Vec<_>>()),
        Column::new("o".into(), krs.iter().map(|k| if k.missed { 0.0 } else { 1.0 }).collect::<Vec<_>>()),
    ])?;
    let p = col(c::CONFIDENCE) / lit(10.0);
    Ok(counted
        .filter(col(c::CONFIDENCE).is_not_null())
        .join(outcomes.lazy(), [col(c::KR_ID)], [col(c::KR_ID)], JoinArgs::new(JoinType::Inner))
        .with_columns([
            p.clone().alias("p"),
            (p - col("o")).pow(2).alias("sq"),
            band(col(c::CONFIDENCE)).alias("band"),
        ]))
}

/// The index into [`BANDS`] of a confidence.
fn band(confidence: Expr) -> Expr {
    let lowest_first = BANDS.iter().enumerate().skip(1);
    lowest_first.fold(lit(0u32), |band, (i, (_, low))| {
        when((confidence.clone() + lit(EPSILON)).gt_eq(lit(*low))).then(lit(i as u32)).otherwise(band)
    })
}

/// Per team: brier, checkins, mean p and o over every forecast; brier_last
/// and krs over each key result's last one (the check-ins are in date order).
fn figures(forecasts: LazyFrame) -> Result<DataFrame> {
    let team = || [col(c::TEAM)];
    let all = forecasts.clone().group_by_stable(team()).agg([
        col("sq").mean().alias("brier"),
        len().alias("checkins"),
        col("p").mean().alias("mean_forecast"),
        col("o").mean().alias("share_green"),
    ]);
    let last = forecasts.group_by_stable([col(c::KR_ID)]).agg([col(c::TEAM).last(), col("sq").last()]);
    let lasts = last.group_by_stable(team()).agg([col("sq").mean().alias("brier_last"), len().alias("krs")]);
    let joined = all.join(lasts, team(), team(), JoinArgs::new(JoinType::Left));
    Ok(joined.sort([c::TEAM], SortMultipleOptions::default()).collect()?)
}

/// The rows of [`figures`] as read.
fn read(df: &DataFrame) -> Result<Vec<Forecasts>> {
    let (teams, brier, last) = (strs(df, c::TEAM)?, f64s(df, "brier")?, f64s(df, "brier_last")?);
    let (n, krs, p, o) =
        (i64s(df, "checkins")?, i64s(df, "krs")?, f64s(df, "mean_forecast")?, f64s(df, "share_green")?);
    Ok((0..teams.len())
        .map(|i| Forecasts {
            team: teams[i].clone().unwrap_or_default(),
            brier: brier[i],
            brier_last: last[i],
            checkins: n[i].unwrap_or(0) as u32,
            krs: krs[i].unwrap_or(0) as u32,
            overconfidence: p[i].zip(o[i]).map(|(p, o)| p - o),
            mean_forecast: p[i],
            share_green: o[i],
        })
        .collect())
}

/// The org's check-ins by confidence band, every band listed.
fn bins(forecasts: LazyFrame) -> Result<Vec<Bin>> {
    let df = forecasts
        .group_by([col("band")])
        .agg([len().alias("checkins"), col("o").sum().alias("green"), col("p").mean().alias("mean_forecast")])
        .collect()?;
    let (at, n, green, p) =
        (i64s(&df, "band")?, i64s(&df, "checkins")?, f64s(&df, "green")?, f64s(&df, "mean_forecast")?);
    let mut out: Vec<Bin> = BANDS
        .iter()
        .map(|(band, _)| Bin { band, checkins: 0, ended_green: 0, share_green: None, mean_forecast: None })
        .collect();
    for row in 0..at.len() {
        let Some(bin) = at[row].and_then(|i| out.get_mut(i as usize)) else { continue };
        bin.checkins = n[row].unwrap_or(0) as u32;
        bin.ended_green = green[row].unwrap_or(0.0).round() as u32;
        bin.share_green = (bin.checkins > 0).then(|| f64::from(bin.ended_green) / f64::from(bin.checkins));
        bin.mean_forecast = p[row];
    }
    Ok(out)
}
