//! Green but drifting: for every guardrail metric and paired key result, the
//! median of the quarter's first four weeks against its last four (SPEC §3).

use super::frames::{c, f64s, i64s};
use crate::config::Config;
use crate::error::Result;
use crate::model::{day_number, Dataset, Direction, Quarter};
use polars::prelude::*;

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
    /// The change was in the bad direction by more than the drift threshold.
    pub wrong_way: bool,
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

/// Every check of the quarter's key results, in KR order then guardrails
/// before the pair. `observations` is (kr_id, date, value) of every KR.
pub fn checks(ds: &Dataset, config: &Config, metrics: LazyFrame, observations: LazyFrame) -> Result<Vec<DriftCheck>> {
    let by_id: std::collections::BTreeMap<&str, &crate::model::KeyResult> =
        ds.krs.iter().map(|k| (k.id.as_str(), k)).collect();
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
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    let index: Vec<u32> = (0..specs.len() as u32).collect();
    let pick = |f: &dyn Fn(&Against, &str) -> Option<String>| -> Vec<Option<String>> {
        specs.iter().map(|(kr, a, _)| f(a, &kr.team)).collect()
    };
    let guardrails = DataFrame::new_infer_height(vec![
        Column::new("check".into(), index.clone()),
        Column::new(c::TEAM.into(), pick(&|a, team| matches!(a, Against::Guardrail(_)).then(|| team.to_string()))),
        Column::new(
            c::METRIC.into(),
            pick(&|a, _| match a {
                Against::Guardrail(m) => Some(m.clone()),
                Against::Paired(_) => None,
            }),
        ),
    ])?;
    let pairs = DataFrame::new_infer_height(vec![
        Column::new("check".into(), index),
        Column::new(
            c::KR_ID.into(),
            pick(&|a, _| match a {
                Against::Paired(k) => Some(k.clone()),
                Against::Guardrail(_) => None,
            }),
        ),
    ])?;
    let series =
        concat(
            [
                metrics
                    .join(
                        guardrails.lazy(),
                        [col(c::TEAM), col(c::METRIC)],
                        [col(c::TEAM), col(c::METRIC)],
                        JoinArgs::new(JoinType::Inner),
                    )
                    .select([col("check"), col(c::DATE), col(c::VALUE)]),
                observations
                    .join(pairs.lazy(), [col(c::KR_ID)], [col(c::KR_ID)], JoinArgs::new(JoinType::Inner))
                    .select([col("check"), col(c::DATE), col(c::VALUE)]),
            ],
            UnionArgs::default(),
        )?;
    let ((a0, a1), (b0, b1)) = windows(ds.quarter);
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
    let mut found = vec![(None, None); specs.len()];
    for ((i, f), l) in at.into_iter().zip(first).zip(last) {
        if let Some(i) = i.and_then(|i| usize::try_from(i).ok()).filter(|&i| i < found.len()) {
            found[i] = (f, l);
        }
    }
    Ok(specs
        .into_iter()
        .zip(found)
        .map(|((kr, against, direction), (first, last))| {
            let change = first.zip(last).filter(|(f, _)| *f != 0.0).map(|(f, l)| (l - f) / f.abs());
            let wrong_way = match (change, direction) {
                (Some(ch), Some(d)) => crate::config::above(-d.sign() * ch, config.thresholds.drift),
                _ => false,
            };
            DriftCheck { kr_id: kr.id.clone(), against, direction, first, last, change, wrong_way }
        })
        .collect())
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
