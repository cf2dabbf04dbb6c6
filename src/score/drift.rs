//! Green but drifting: for every guardrail metric and paired key result, the
//! median of the quarter's first four weeks against its last four (SPEC §3).

use super::frames::{c, f64s, i64s};
use crate::config::{above, Config};
use crate::error::Result;
use crate::model::{day_number, Dataset, Direction, KeyResult, Quarter};
use polars::prelude::*;
use std::collections::BTreeMap;

/// What a key result is checked against.
#[derive(Debug, Clone, PartialEq)]
pub enum Against {
    /// A guardrail metric series of the key result's team.
    Guardrail(String),
    /// The key result named in `paired_with` (its measured or reported values).
    Paired(String),
}

/// One guardrail or pair of one key result, first four weeks against last four.
#[derive(Debug, Clone)]
pub struct DriftCheck {
    pub kr_id: String,
    pub against: Against,
    /// Which way is better for the series; `None` when nobody said.
    pub direction: Option<Direction>,
    /// Median of the values dated in the quarter's first 28 days.
    pub first: Option<f64>,
    /// Median of the values dated in the quarter's last 28 days.
    pub last: Option<f64>,
    /// (last − first) / |first|.
    pub change: Option<f64>,
    /// Which way it moved, judged against the drift threshold.
    pub movement: Movement,
    /// The change was in the bad direction by more than the drift threshold.
    pub wrong_way: bool,
}

/// Which way a checked series moved between the two windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    /// A window without values, or a first window of 0.
    NoData,
    /// Nobody said which way is better.
    NoDirection,
    /// The wrong way, by more than the drift threshold.
    Worse,
    /// The good way, by more than the drift threshold.
    Better,
    /// Less than the threshold either way.
    Steady,
}

impl Movement {
    /// The word a page shows.
    pub fn word(self) -> &'static str {
        match self {
            Movement::NoData => "no data",
            Movement::NoDirection => "no direction",
            Movement::Worse => "worse",
            Movement::Better => "better",
            Movement::Steady => "steady",
        }
    }
}

impl DriftCheck {
    /// The series' name for messages: the metric, or "paired KR".
    pub fn subject(&self) -> String {
        match &self.against {
            Against::Guardrail(m) => format!("guardrail {m}"),
            Against::Paired(k) => format!("paired key result {k}"),
        }
    }
}

/// The first and last 28 days of the quarter as inclusive day-number ranges.
pub fn windows(q: Quarter) -> ((i32, i32), (i32, i32)) {
    let (start, end) = (day_number(q.start()), day_number(q.end()));
    ((start, start + 27), (end - 27, end))
}

/// A check to make: the key result, what it is checked against, and which way is better.
type Spec<'a> = (&'a KeyResult, Against, Option<Direction>);

/// Every check of the quarter's key results, in KR order then guardrails
/// before the pair. `observations` is (kr_id, date, value) of every KR.
pub fn checks(ds: &Dataset, config: &Config, metrics: LazyFrame, observations: LazyFrame) -> Result<Vec<DriftCheck>> {
    let specs = specs(ds, config);
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    let series = series(&specs, metrics, observations)?;
    let found = medians(series, ds.quarter, specs.len())?;
    let threshold = config.thresholds.drift;
    Ok(specs.into_iter().zip(found).map(|(spec, (first, last))| judge(spec, first, last, threshold)).collect())
}

/// The guardrails and pairs of every key result, with the better direction of each.
fn specs<'a>(ds: &'a Dataset, config: &Config) -> Vec<Spec<'a>> {
    let by_id: BTreeMap<&str, &KeyResult> = ds.krs.iter().map(|k| (k.id.as_str(), k)).collect();
    let mut specs = Vec::new();
    for kr in &ds.krs {
        for g in &kr.guardrails {
            let direction = config.metrics.get(g).and_then(|m| m.direction).or_else(|| default_direction(g));
            specs.push((kr, Against::Guardrail(g.clone()), direction));
        }
        if let Some(p) = &kr.paired_with {
            let direction = by_id.get(p.as_str()).and_then(|k| k.direction);
            specs.push((kr, Against::Paired(p.clone()), direction));
        }
    }
    specs
}

/// (check, date, value) of every check: the guardrail's series of the key
/// result's team, or the paired key result's observations.
fn series(specs: &[Spec], metrics: LazyFrame, observations: LazyFrame) -> Result<LazyFrame> {
    let index: Vec<u32> = (0..specs.len() as u32).collect();
    let guardrail = |(kr, a, _): &Spec| match a {
        Against::Guardrail(m) => (Some(kr.team.clone()), Some(m.clone())),
        Against::Paired(_) => (None, None),
    };
    let (teams, names): (Vec<_>, Vec<_>) = specs.iter().map(guardrail).unzip();
    let paired: Vec<Option<String>> = specs
        .iter()
        .map(|(_, a, _)| match a {
            Against::Paired(k) => Some(k.clone()),
            Against::Guardrail(_) => None,
        })
        .collect();
    let guardrails = DataFrame::new_infer_height(vec![
        Column::new("check".into(), index.clone()),
        Column::new(c::TEAM.into(), teams),
        Column::new(c::METRIC.into(), names),
    ])?;
    let pairs =
        DataFrame::new_infer_height(vec![Column::new("check".into(), index), Column::new(c::KR_ID.into(), paired)])?;
    let keys = [col(c::TEAM), col(c::METRIC)];
    let picked = [col("check"), col(c::DATE), col(c::VALUE)];
    Ok(concat(
        [
            metrics.join(guardrails.lazy(), keys.clone(), keys, JoinArgs::new(JoinType::Inner)).select(picked.clone()),
            observations
                .join(pairs.lazy(), [col(c::KR_ID)], [col(c::KR_ID)], JoinArgs::new(JoinType::Inner))
                .select(picked),
        ],
        UnionArgs::default(),
    )?)
}

/// The medians of each check's first and last 28 days, by check number.
fn medians(series: LazyFrame, q: Quarter, checks: usize) -> Result<Vec<(Option<f64>, Option<f64>)>> {
    let ((a0, a1), (b0, b1)) = windows(q);
    let in_range = |lo: i32, hi: i32| col(c::DATE).gt_eq(lit(lo)).and(col(c::DATE).lt_eq(lit(hi)));
    let medians = series
        .group_by([col("check")])
        .agg([
            col(c::VALUE).filter(in_range(a0, a1)).median().alias("first"),
            col(c::VALUE).filter(in_range(b0, b1)).median().alias("last"),
        ])
        .sort(["check"], SortMultipleOptions::default())
        .collect()?;
    let at = i64s(&medians, "check")?;
    let first = f64s(&medians, "first")?;
    let last = f64s(&medians, "last")?;
    let mut found = vec![(None, None); checks];
    for ((i, f), l) in at.into_iter().zip(first).zip(last) {
        if let Some(i) = i.and_then(|i| usize::try_from(i).ok()).filter(|&i| i < found.len()) {
            found[i] = (f, l);
        }
    }
    Ok(found)
}

/// The change from the first to the last window, and which way it went.
fn judge((kr, against, direction): Spec, first: Option<f64>, last: Option<f64>, threshold: f64) -> DriftCheck {
    let change = first.zip(last).filter(|(f, _)| *f != 0.0).map(|(f, l)| (l - f) / f.abs());
    let movement = match (change, direction) {
        (None, _) => Movement::NoData,
        (Some(_), None) => Movement::NoDirection,
        (Some(ch), Some(d)) if above(-d.sign() * ch, threshold) => Movement::Worse,
        (Some(ch), Some(d)) if above(d.sign() * ch, threshold) => Movement::Better,
        _ => Movement::Steady,
    };
    let wrong_way = movement == Movement::Worse;
    DriftCheck { kr_id: kr.id.clone(), against, direction, first, last, change, movement, wrong_way }
}

/// The better direction of a derived engineering signal (SPEC §3), for
/// guardrails not described in quarterdeck.toml.
pub fn default_direction(metric: &str) -> Option<Direction> {
    super::signals::signal(metric).and_then(|s| s.direction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_the_first_and_last_28_days() {
        let q = Quarter::parse("2026-Q3").unwrap();
        let ((a0, a1), (b0, b1)) = windows(q);
        let d = crate::model::from_day_number;
        assert_eq!((d(a0).to_string(), d(a1).to_string()), ("2026-07-01".into(), "2026-07-28".into()));
        assert_eq!((d(b0).to_string(), d(b1).to_string()), ("2026-09-03".into(), "2026-09-30".into()));
    }
}
