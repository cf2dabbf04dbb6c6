//! Green but drifting: every guardrail metric and paired key result, the
//! quarter's first 28 days against the 28 days to due (SPEC §3). A derived
//! signal is computed over all the events of each side at once; a metrics.csv
//! series or a paired key result takes the median of each side's
//! observations. A side with too few events or observations judges nothing.

use super::frames::{c, f64s, i64s};
use crate::config::{above, Config};
use crate::error::Result;
use crate::model::{day_number, Dataset, Direction, KeyResult, Quarter};
use chrono::NaiveDate;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// What a key result is checked against.
#[derive(Debug, Clone, PartialEq)]
pub enum Against {
    /// A guardrail metric series of the key result's team.
    Guardrail(String),
    /// The key result named in `paired_with` (its measured or reported values).
    Paired(String),
}

/// One guardrail or pair of one key result: the quarter's first 28 days against the 28 days to due.
#[derive(Debug, Clone)]
pub struct DriftCheck {
    pub kr_id: String,
    pub against: Against,
    /// Which way is better for the series; `None` when nobody said.
    pub direction: Option<Direction>,
    /// The value of the quarter's first 28 days: the signal over its events,
    /// or the median of its observations.
    pub first: Option<f64>,
    /// The value of the 28 days ending on due.
    pub last: Option<f64>,
    /// Events (derived signal) or observations behind each side.
    pub first_n: u32,
    pub last_n: u32,
    /// How the change is measured: percentage points for a share or a
    /// metric in %, else relative.
    pub unit: ChangeUnit,
    /// last − first in points, or (last − first) / |first|.
    pub change: Option<f64>,
    /// Which way it moved, judged against the drift threshold.
    pub movement: Movement,
    /// The change was in the bad direction by more than the drift threshold.
    pub wrong_way: bool,
}

/// How a drift check measures change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeUnit {
    /// (last − first) / |first|, judged against `[thresholds] drift`.
    Relative,
    /// last − first in percentage points, judged against `[thresholds] drift_points`.
    Points,
}

/// Which way a checked series moved between the two windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    /// A side with fewer events or observations than judging needs.
    TooFew,
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
            Movement::TooFew => "too few events to judge",
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

/// The quarter's first 28 days and the 28 days ending on `due`, as inclusive day numbers.
pub fn windows(q: Quarter, due: NaiveDate) -> ((i32, i32), (i32, i32)) {
    let (start, due) = (day_number(q.start()), day_number(due));
    ((start, start + DAYS - 1), (due - DAYS + 1, due))
}

/// Days on each side of a drift check.
const DAYS: i32 = super::signals::KR_WINDOW_DAYS;

/// Observations a metrics.csv series or a paired key result needs on each side.
pub const MIN_OBSERVATIONS: u32 = 2;

/// A check to make: the key result, what it is checked against, which way
/// is better, its unit and how far it may move before it counts.
pub(super) struct Spec<'a> {
    pub kr: &'a KeyResult,
    pub against: Against,
    pub direction: Option<Direction>,
    pub unit: ChangeUnit,
    /// The guardrail is a derived signal computed from events (not shadowed by metrics.csv).
    pub derived: bool,
    pub limits: Limits,
    /// A first side given instead of the quarter's first 28 days (the
    /// previous quarter's value, for the delivery cause of a miss).
    pub first: Option<Side>,
}

/// How far a check's series may move before it counts: a share for a
/// relative change, percentage points for a share or a metric in %.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub relative: f64,
    pub points: f64,
}

/// One side of a check: its value and what it rests on.
pub type Side = (Option<f64>, u32);

/// Every check of the quarter's key results, in KR order then guardrails
/// before the pair. `observations` is (kr_id, date, value) of every KR.
pub fn checks(
    ds: &Dataset,
    config: &Config,
    signals: &super::signals::Signals,
    metrics: LazyFrame,
    observations: LazyFrame,
) -> Result<Vec<DriftCheck>> {
    run(specs(ds, config), ds.quarter, config, signals, [metrics, observations])
}

/// Both sides of every check in `specs` and their judgement, in the specs' order.
pub(super) fn run(
    specs: Vec<Spec>,
    q: Quarter,
    config: &Config,
    signals: &super::signals::Signals,
    [metrics, observations]: [LazyFrame; 2],
) -> Result<Vec<DriftCheck>> {
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    let series = series(&specs, q, metrics, observations)?;
    let medians = medians(series, q, specs.len())?;
    Ok(specs
        .into_iter()
        .zip(medians)
        .map(|(spec, sides)| {
            let [first, last] = if spec.derived { signal_sides(&spec, q, signals) } else { sides };
            let first = spec.first.unwrap_or(first);
            judge(spec, [first, last], config)
        })
        .collect())
}

/// The guardrails and pairs of every key result, with the better direction and unit of each.
fn specs<'a>(ds: &'a Dataset, config: &Config) -> Vec<Spec<'a>> {
    let by_id: BTreeMap<&str, &KeyResult> = ds.krs.iter().map(|k| (k.id.as_str(), k)).collect();
    let limits = Limits { relative: config.thresholds.drift, points: config.thresholds.drift_points };
    let series = series_of_metrics_csv(ds);
    let mut specs = Vec::new();
    for kr in &ds.krs {
        specs.extend(kr.guardrails.iter().map(|g| team_series(&series, config, kr, g, limits)));
        if let Some(p) = &kr.paired_with {
            let other = by_id.get(p.as_str());
            let percent = other.and_then(|k| k.unit.as_deref()) == Some("%");
            let unit = if percent { ChangeUnit::Points } else { ChangeUnit::Relative };
            let direction = other.and_then(|k| k.direction);
            let against = Against::Paired(p.clone());
            specs.push(Spec { kr, against, direction, unit, derived: false, limits, first: None });
        }
    }
    specs
}

/// The (team, metric) series of metrics.csv.
pub(super) fn series_of_metrics_csv(ds: &Dataset) -> BTreeSet<(&str, &str)> {
    ds.metrics.iter().map(|p| (p.team.as_str(), p.metric.as_str())).collect()
}

/// The check of a series of the key result's team (a guardrail, or a flow
/// signal behind a miss): a derived signal unless metrics.csv has a series
/// of that name for the team; its direction from `[metrics.NAME]` or the
/// signal's own; points for a share or a metric in %.
pub(super) fn team_series<'a>(
    series: &BTreeSet<(&str, &str)>,
    config: &Config,
    kr: &'a KeyResult,
    metric: &str,
    limits: Limits,
) -> Spec<'a> {
    let shadowed = series.contains(&(kr.team.as_str(), metric));
    let direction = config.metrics.get(metric).and_then(|m| m.direction).or_else(|| default_direction(metric));
    let derived = super::signals::signal(metric).is_some() && !shadowed;
    let share = derived && super::signals::signal(metric).is_some_and(|s| s.unit == "share");
    let percent = config.metrics.get(metric).and_then(|m| m.unit.as_deref()) == Some("%");
    let unit = if share || (!derived && percent) { ChangeUnit::Points } else { ChangeUnit::Relative };
    Spec { kr, against: Against::Guardrail(metric.to_string()), direction, unit, derived, limits, first: None }
}

/// Both sides of a derived guardrail, from the signal over each side's events.
fn signal_sides(spec: &Spec, q: Quarter, signals: &super::signals::Signals) -> [Side; 2] {
    let Against::Guardrail(g) = &spec.against else { return [(None, 0); 2] };
    let ((a0, a1), (b0, b1)) = windows(q, spec.kr.until);
    let side = |from, to| {
        let key = (spec.kr.team.clone(), g.clone(), from, to);
        signals.spans.get(&key).map_or((None, 0), |v| (v.value, v.n))
    };
    [side(a0, a1), side(b0, b1)]
}

/// (check, date, value, first day, last day) of every check: the guardrail's
/// series of the key result's team, or the paired key result's observations.
fn series(specs: &[Spec], q: Quarter, metrics: LazyFrame, observations: LazyFrame) -> Result<LazyFrame> {
    let index: Vec<u32> = (0..specs.len() as u32).collect();
    let guardrail = |spec: &Spec| match &spec.against {
        Against::Guardrail(m) => (Some(spec.kr.team.clone()), Some(m.clone())),
        Against::Paired(_) => (None, None),
    };
    let (teams, names): (Vec<_>, Vec<_>) = specs.iter().map(guardrail).unzip();
    let paired: Vec<Option<String>> = specs
        .iter()
        .map(|spec| match &spec.against {
            Against::Paired(k) => Some(k.clone()),
            Against::Guardrail(_) => None,
        })
        .collect();
    let last_from: Vec<i32> = specs.iter().map(|spec| windows(q, spec.kr.until).1 .0).collect();
    let due: Vec<i32> = specs.iter().map(|spec| day_number(spec.kr.until)).collect();
    let checks = || {
        vec![
            Column::new("check".into(), index.clone()),
            Column::new("last_from".into(), last_from.clone()),
            Column::new(c::DUE.into(), due.clone()),
        ]
    };
    let mut guardrails = checks();
    guardrails.extend([Column::new(c::TEAM.into(), teams), Column::new(c::METRIC.into(), names)]);
    let mut pairs = checks();
    pairs.push(Column::new(c::KR_ID.into(), paired));
    let (guardrails, pairs) = (DataFrame::new_infer_height(guardrails)?, DataFrame::new_infer_height(pairs)?);
    let keys = [col(c::TEAM), col(c::METRIC)];
    let picked = [col("check"), col(c::DATE), col(c::VALUE), col("last_from"), col(c::DUE)];
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

/// The median and count of each check's observations on each side, by check number.
fn medians(series: LazyFrame, q: Quarter, checks: usize) -> Result<Vec<[Side; 2]>> {
    let start = day_number(q.start());
    let in_first = col(c::DATE).gt_eq(lit(start)).and(col(c::DATE).lt_eq(lit(start + DAYS - 1)));
    let in_last = col(c::DATE).gt_eq(col("last_from")).and(col(c::DATE).lt_eq(col(c::DUE)));
    let medians = series
        .group_by([col("check")])
        .agg([
            col(c::VALUE).filter(in_first.clone()).median().alias("first"),
            col(c::VALUE).filter(in_first).count().alias("first_n"),
            col(c::VALUE).filter(in_last.clone()).median().alias("last"),
            col(c::VALUE).filter(in_last).count().alias("last_n"),
        ])
        .sort(["check"], SortMultipleOptions::default())
        .collect()?;
    let at = i64s(&medians, "check")?;
    let (first, last) = (f64s(&medians, "first")?, f64s(&medians, "last")?);
    let (first_n, last_n) = (i64s(&medians, "first_n")?, i64s(&medians, "last_n")?);
    let mut found = vec![[(None, 0); 2]; checks];
    for (row, i) in at.into_iter().enumerate() {
        let n = |v: Option<i64>| v.unwrap_or(0) as u32;
        if let Some(slot) = i.and_then(|i| usize::try_from(i).ok()).and_then(|i| found.get_mut(i)) {
            *slot = [(first[row], n(first_n[row])), (last[row], n(last_n[row]))];
        }
    }
    Ok(found)
}

/// The change from the first side to the last, and which way it went.
fn judge(spec: Spec, [(first, first_n), (last, last_n)]: [Side; 2], config: &Config) -> DriftCheck {
    let least = if spec.derived { config.thresholds.drift_min_events } else { MIN_OBSERVATIONS };
    let threshold = if spec.unit == ChangeUnit::Points { spec.limits.points } else { spec.limits.relative };
    let change = match spec.unit {
        // a derived share is a fraction: its points are hundredths
        ChangeUnit::Points => first.zip(last).map(|(f, l)| (l - f) * if spec.derived { 100.0 } else { 1.0 }),
        ChangeUnit::Relative => first.zip(last).filter(|(f, _)| *f != 0.0).map(|(f, l)| (l - f) / f.abs()),
    };
    let movement = match (change, spec.direction) {
        _ if first_n < least || last_n < least => Movement::TooFew,
        (None, _) => Movement::NoData,
        (Some(_), None) => Movement::NoDirection,
        (Some(ch), Some(d)) if above(-d.sign() * ch, threshold) => Movement::Worse,
        (Some(ch), Some(d)) if above(d.sign() * ch, threshold) => Movement::Better,
        _ => Movement::Steady,
    };
    let wrong_way = movement == Movement::Worse;
    let Spec { kr, against, direction, unit, .. } = spec;
    DriftCheck {
        kr_id: kr.id.clone(),
        against,
        direction,
        first,
        last,
        first_n,
        last_n,
        unit,
        change,
        movement,
        wrong_way,
    }
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
    fn windows_are_the_first_28_days_and_the_28_days_to_due() {
        let q = Quarter::parse("2026-Q3").unwrap();
        let due = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        let ((a0, a1), (b0, b1)) = windows(q, due);
        let d = crate::model::from_day_number;
        assert_eq!((d(a0).to_string(), d(a1).to_string()), ("2026-07-01".into(), "2026-07-28".into()));
        assert_eq!((d(b0).to_string(), d(b1).to_string()), ("2026-09-03".into(), "2026-09-30".into()));
    }
}
