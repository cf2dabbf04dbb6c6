//! Calibration (SPEC §7): how well the teams' weekly confidences forecast
//! which key results ended green. Per team and for the org, never per
//! person: each confidence c is a forecast p = c / 10, the outcome o is 1
//! when the key result ended green (≥ green, ≥ 1.0 when committed).

use super::frames::{c, f64s, strs};
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
/// in order) and the judged key results. Every sum runs over the forecasts
/// in one fixed order (key result, date, line), so the figures do not
/// depend on how many threads read them.
pub fn compute(ds: &Dataset, counted: LazyFrame, krs: &[KrScore]) -> Result<Calibration> {
    let rows = read_forecasts(&forecasts(ds, counted, krs)?.collect()?)?;
    let mut teams: BTreeMap<&str, Sums> = ds.krs.iter().map(|k| (k.team.as_str(), Sums::default())).collect();
    let mut org = Sums::default();
    let mut bins = [Sums::default(); BANDS.len()];
    for (i, f) in rows.iter().enumerate() {
        let last = rows.get(i + 1).is_none_or(|next| next.kr_id != f.kr_id);
        teams.entry(f.team.as_str()).or_default().add(f, last);
        org.add(f, last);
        bins[band(f.confidence)].add(f, last);
    }
    Ok(Calibration {
        teams: teams.into_iter().map(|(team, sums)| sums.forecasts(team)).collect(),
        org: org.forecasts(""),
        bins: BANDS.iter().zip(bins).map(|((band, _), sums)| sums.bin(band)).collect(),
    })
}

/// One counted check-in with a confidence, and whether its key result ended green.
struct Forecast {
    team: String,
    kr_id: String,
    confidence: f64,
    o: f64,
}

/// The running sums of a group of forecasts.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    sq: f64,
    p: f64,
    o: f64,
    n: u32,
    last_sq: f64,
    krs: u32,
}

impl Sums {
    /// Adds a forecast; `last` when it is its key result's last one.
    fn add(&mut self, f: &Forecast, last: bool) {
        let p = f.confidence / 10.0;
        let sq = (p - f.o).powi(2);
        (self.sq, self.p, self.o, self.n) = (self.sq + sq, self.p + p, self.o + f.o, self.n + 1);
        if last {
            (self.last_sq, self.krs) = (self.last_sq + sq, self.krs + 1);
        }
    }

    fn mean(&self, sum: f64, n: u32) -> Option<f64> {
        (n > 0).then(|| sum / f64::from(n))
    }

    fn forecasts(&self, team: &str) -> Forecasts {
        let (p, o) = (self.mean(self.p, self.n), self.mean(self.o, self.n));
        Forecasts {
            team: team.to_string(),
            brier: self.mean(self.sq, self.n),
            brier_last: self.mean(self.last_sq, self.krs),
            checkins: self.n,
            krs: self.krs,
            overconfidence: p.zip(o).map(|(p, o)| p - o),
            mean_forecast: p,
            share_green: o,
        }
    }

    fn bin(&self, band: &'static str) -> Bin {
        let ended_green = self.o.round() as u32;
        Bin {
            band,
            checkins: self.n,
            ended_green,
            share_green: self.mean(f64::from(ended_green), self.n),
            mean_forecast: self.mean(self.p, self.n),
        }
    }
}

/// The counted check-ins with a confidence, with their team and o (1 when
/// the key result ended green), sorted by key result, date and line. A key
/// result not yet due has no outcome: its forecasts wait for it (SPEC §6).
fn forecasts(ds: &Dataset, counted: LazyFrame, krs: &[KrScore]) -> Result<LazyFrame> {
    let teams: BTreeMap<&str, &str> = ds.krs.iter().map(|k| (k.id.as_str(), k.team.as_str())).collect();
    let krs: Vec<&KrScore> = krs.iter().filter(|k| k.decided).collect();
    let outcomes = DataFrame::new_infer_height(vec![
        Column::new(c::KR_ID.into(), krs.iter().map(|k| k.kr_id.as_str()).collect::<Vec<_>>()),
        Column::new(c::TEAM.into(), krs.iter().map(|k| teams.get(k.kr_id.as_str()).copied()).collect::<Vec<_>>()),
        Column::new("o".into(), krs.iter().map(|k| if k.missed { 0.0 } else { 1.0 }).collect::<Vec<_>>()),
    ])?;
    Ok(counted
        .filter(col(c::CONFIDENCE).is_not_null())
        .join(outcomes.lazy(), [col(c::KR_ID)], [col(c::KR_ID)], JoinArgs::new(JoinType::Inner))
        .sort([c::KR_ID, c::DATE, c::ORDER], SortMultipleOptions::default()))
}

fn read_forecasts(df: &DataFrame) -> Result<Vec<Forecast>> {
    let (teams, ids) = (strs(df, c::TEAM)?, strs(df, c::KR_ID)?);
    let (confidence, o) = (f64s(df, c::CONFIDENCE)?, f64s(df, "o")?);
    Ok((0..ids.len())
        .map(|i| Forecast {
            team: teams[i].clone().unwrap_or_default(),
            kr_id: ids[i].clone().unwrap_or_default(),
            confidence: confidence[i].unwrap_or(0.0),
            o: o[i].unwrap_or(0.0),
        })
        .collect())
}

/// The index into [`BANDS`] of a confidence: the last band it reaches.
fn band(confidence: f64) -> usize {
    BANDS.iter().rposition(|(_, low)| confidence + EPSILON >= *low).unwrap_or(0)
}
