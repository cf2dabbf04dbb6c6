//! Initiative impact: for a finished initiative whose key result has a metric,
//! the median of the metric in the 3 weeks before `finished` against the 3
//! weeks after (SPEC §3). The finish day itself belongs to neither window.

use super::frames::{c, f64s, i64s};
use crate::error::Result;
use crate::model::{day_number, Dataset, Direction, InitiativeStatus, KeyResult, KrKind};
use polars::prelude::*;
use std::collections::BTreeMap;

/// Days in each window.
pub const WINDOW_DAYS: i32 = 21;

/// The before/after of one initiative (an index into `Dataset::initiatives`).
#[derive(Debug, Clone, Default)]
pub struct Impact {
    pub initiative: usize,
    pub metric: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub before_n: u32,
    pub after_n: u32,
    /// (after − before) / |before|.
    pub change: Option<f64>,
    /// The change went the key result's good way by more than the noise
    /// threshold (`None` without both medians, without a direction, or when
    /// the change is within the noise).
    pub better: Option<bool>,
    /// `better`, `worse`, `no change`, or empty without both medians.
    pub verdict: &'static str,
}

/// The medians before and after an initiative finished, and how many values each is of.
type Medians = (Option<f64>, Option<f64>, u32, u32);

/// A done initiative measured by its key result's metric.
struct Finished<'a> {
    /// Index into `Dataset::initiatives`.
    initiative: usize,
    team: &'a str,
    metric: &'a str,
    /// Day number of `finished`.
    day: i32,
    direction: Option<Direction>,
}

/// Before/after of every done initiative with a finish date and a measured KR,
/// over the whole metrics.csv series of the KR's team (not only the quarter).
pub fn impacts(ds: &Dataset, metrics: LazyFrame, noise: f64) -> Result<Vec<Impact>> {
    let rows = finished(ds);
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let found = read_medians(&window_medians(metrics, &rows)?)?;
    Ok(rows
        .iter()
        .map(|f| {
            let mut out = Impact { initiative: f.initiative, metric: f.metric.to_string(), ..Impact::default() };
            if let Some(&medians) = found.get(&f.initiative) {
                (out.before, out.after, out.before_n, out.after_n) = medians;
            }
            judge(&mut out, f.direction, noise);
            out
        })
        .collect())
}

/// Done initiatives with a finish date whose key result is a metric one.
fn finished(ds: &Dataset) -> Vec<Finished<'_>> {
    let krs: BTreeMap<&str, &KeyResult> = ds.krs.iter().map(|k| (k.id.as_str(), k)).collect();
    let mut rows = Vec::new();
    for (i, init) in ds.initiatives.iter().enumerate() {
        let Some(kr) = krs.get(init.kr_id.as_str()) else { continue };
        if kr.kind != KrKind::Metric {
            continue; // a milestone's progress is reported, never a series
        }
        if let (InitiativeStatus::Done, Some(finished), Some(metric)) = (init.status, init.finished, &kr.metric) {
            rows.push(Finished {
                initiative: i,
                team: kr.team.as_str(),
                metric: metric.as_str(),
                day: day_number(finished),
                direction: kr.direction,
            });
        }
    }
    rows
}

/// Per initiative: the median and count of its metric's values in the window before and after.
fn window_medians(metrics: LazyFrame, rows: &[Finished]) -> Result<DataFrame> {
    let wanted = DataFrame::new_infer_height(vec![
        Column::new("initiative".into(), rows.iter().map(|r| r.initiative as u32).collect::<Vec<_>>()),
        Column::new(c::TEAM.into(), rows.iter().map(|r| r.team).collect::<Vec<_>>()),
        Column::new(c::METRIC.into(), rows.iter().map(|r| r.metric).collect::<Vec<_>>()),
        Column::new("finished".into(), rows.iter().map(|r| r.day).collect::<Vec<_>>()),
    ])?;
    let offset = col(c::DATE) - col("finished");
    let before = offset.clone().gt_eq(lit(-WINDOW_DAYS)).and(offset.clone().lt(lit(0)));
    let after = offset.clone().gt(lit(0)).and(offset.lt_eq(lit(WINDOW_DAYS)));
    let keys = [col(c::TEAM), col(c::METRIC)];
    Ok(metrics
        .join(wanted.lazy(), keys.clone(), keys, JoinArgs::new(JoinType::Inner))
        .group_by([col("initiative")])
        .agg([
            col(c::VALUE).filter(before.clone()).median().alias("before"),
            col(c::VALUE).filter(after.clone()).median().alias("after"),
            before.cast(DataType::UInt32).sum().alias("before_n"),
            after.cast(DataType::UInt32).sum().alias("after_n"),
        ])
        .collect()?)
}

/// The medians of [`window_medians`] by initiative: (before, after, before_n, after_n).
fn read_medians(df: &DataFrame) -> Result<BTreeMap<usize, Medians>> {
    let ids = i64s(df, "initiative")?;
    let b = f64s(df, "before")?;
    let a = f64s(df, "after")?;
    let bn = i64s(df, "before_n")?;
    let an = i64s(df, "after_n")?;
    let mut found = BTreeMap::new();
    for (row, id) in ids.iter().enumerate() {
        if let Some(id) = id.and_then(|i| usize::try_from(i).ok()) {
            found.insert(id, (b[row], a[row], bn[row].unwrap_or(0) as u32, an[row].unwrap_or(0) as u32));
        }
    }
    Ok(found)
}

/// Sets the change, whether it went the good way beyond `noise`, and the verdict in words.
fn judge(out: &mut Impact, direction: Option<Direction>, noise: f64) {
    out.change = out.before.zip(out.after).filter(|(b, _)| *b != 0.0).map(|(b, a)| (a - b) / b.abs());
    let noisy = out.change.is_none_or(|ch| !crate::config::above(ch.abs(), noise));
    out.better = match (out.before.zip(out.after), direction) {
        (Some((b, a)), Some(d)) if !noisy => Some(d.sign() * (a - b) > 0.0),
        _ => None,
    };
    out.verdict = match (out.before.zip(out.after), out.better) {
        (None, _) => "",
        (Some(_), Some(true)) => "better",
        (Some(_), Some(false)) => "worse",
        (Some(_), None) => "no change",
    };
}
