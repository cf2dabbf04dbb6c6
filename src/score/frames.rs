//! The dataset as polars frames, and typed reads of result columns.

use crate::error::{Error, Result};
use crate::model::{day_number, Dataset, Goal, KrKind, MetricPoint, ObjectiveKind};
use polars::prelude::*;

/// Column names shared by the plans.
pub mod c {
    pub const KR_ID: &str = "kr_id";
    pub const TEAM: &str = "team";
    pub const OBJECTIVE_ID: &str = "objective_id";
    pub const MILESTONE: &str = "milestone";
    pub const COMMITTED: &str = "committed";
    pub const BASELINE: &str = "baseline";
    pub const TARGET: &str = "target";
    pub const MAINTAIN: &str = "maintain";
    pub const BAND_LOW: &str = "band_low";
    pub const BAND_HIGH: &str = "band_high";
    pub const SIGN: &str = "sign";
    pub const WEIGHT: &str = "weight";
    /// The last day that counts: due, or the as-of date when earlier.
    pub const DUE: &str = "due";
    /// The due date itself.
    pub const DEADLINE: &str = "deadline";
    pub const METRIC: &str = "metric";
    pub const DATE: &str = "date";
    pub const VALUE: &str = "value";
    pub const CONFIDENCE: &str = "confidence";
    pub const ORDER: &str = "order";
    pub const SCORE: &str = "score";
}

/// One row per key result of the quarter, with the score target resolved.
pub fn key_results(ds: &Dataset) -> Result<DataFrame> {
    let krs = &ds.krs;
    let kinds: std::collections::BTreeMap<&str, ObjectiveKind> =
        ds.objectives.iter().map(|o| (o.id.as_str(), o.kind)).collect();
    let objective_kind = |id: &str| kinds.get(id).copied().unwrap_or(ObjectiveKind::Aspirational);
    let df = DataFrame::new_infer_height(vec![
        Column::new(c::KR_ID.into(), krs.iter().map(|k| k.id.as_str()).collect::<Vec<_>>()),
        Column::new(c::TEAM.into(), krs.iter().map(|k| k.team.as_str()).collect::<Vec<_>>()),
        Column::new(c::OBJECTIVE_ID.into(), krs.iter().map(|k| k.objective_id.as_str()).collect::<Vec<_>>()),
        Column::new(c::MILESTONE.into(), krs.iter().map(|k| k.kind == KrKind::Milestone).collect::<Vec<_>>()),
        Column::new(
            c::COMMITTED.into(),
            krs.iter().map(|k| objective_kind(&k.objective_id) == ObjectiveKind::Committed).collect::<Vec<_>>(),
        ),
        Column::new(c::BASELINE.into(), krs.iter().map(|k| k.baseline).collect::<Vec<_>>()),
        Column::new(c::TARGET.into(), krs.iter().map(|k| k.score_target()).collect::<Vec<_>>()),
        Column::new(c::MAINTAIN.into(), krs.iter().map(|k| k.goal() == Some(Goal::Maintain)).collect::<Vec<_>>()),
        Column::new(c::BAND_LOW.into(), krs.iter().map(|k| k.band.map(|b| b.low)).collect::<Vec<_>>()),
        Column::new(c::BAND_HIGH.into(), krs.iter().map(|k| k.band.map(|b| b.high)).collect::<Vec<_>>()),
        Column::new(c::SIGN.into(), krs.iter().map(|k| k.direction.map(|d| d.sign())).collect::<Vec<_>>()),
        Column::new(c::WEIGHT.into(), krs.iter().map(|k| k.weight).collect::<Vec<_>>()),
        Column::new(c::DUE.into(), krs.iter().map(|k| day_number(k.until)).collect::<Vec<_>>()),
        Column::new(c::DEADLINE.into(), krs.iter().map(|k| day_number(k.due)).collect::<Vec<_>>()),
        Column::new(c::METRIC.into(), krs.iter().map(|k| k.metric.as_deref()).collect::<Vec<_>>()),
    ])?;
    Ok(df)
}

/// One row per check-in of the quarter's key results.
pub fn checkins(ds: &Dataset) -> Result<DataFrame> {
    let ch = &ds.checkins;
    let df = DataFrame::new_infer_height(vec![
        Column::new(c::KR_ID.into(), ch.iter().map(|x| x.kr_id.as_str()).collect::<Vec<_>>()),
        Column::new(c::DATE.into(), ch.iter().map(|x| day_number(x.date)).collect::<Vec<_>>()),
        Column::new(c::VALUE.into(), ch.iter().map(|x| x.value).collect::<Vec<_>>()),
        Column::new(c::CONFIDENCE.into(), ch.iter().map(|x| x.confidence).collect::<Vec<_>>()),
        Column::new(c::ORDER.into(), ch.iter().map(|x| x.line).collect::<Vec<_>>()),
    ])?;
    Ok(df)
}

/// One row per metric point: metrics.csv's and the derived signals' weekly points.
pub fn metrics(ds: &Dataset, derived: &[MetricPoint]) -> Result<DataFrame> {
    let m: Vec<&MetricPoint> = ds.metrics.iter().chain(derived).collect();
    let df = DataFrame::new_infer_height(vec![
        Column::new(c::DATE.into(), m.iter().map(|x| day_number(x.date)).collect::<Vec<_>>()),
        Column::new(c::TEAM.into(), m.iter().map(|x| x.team.as_str()).collect::<Vec<_>>()),
        Column::new(c::METRIC.into(), m.iter().map(|x| x.metric.as_str()).collect::<Vec<_>>()),
        Column::new(c::VALUE.into(), m.iter().map(|x| x.value).collect::<Vec<_>>()),
    ])?;
    Ok(df)
}

fn column<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Column> {
    df.column(name).map_err(|e| Error::Internal(format!("result column {name} is missing: {e}")))
}

/// Names (of teams, of authors) as small numbers for million-row frames: a
/// column of `u32` instead of a million strings. Numbers go by first
/// sight, so results are put in name order after they are turned back.
#[derive(Default)]
pub struct Numbers<'a> {
    numbers: std::collections::HashMap<&'a str, u32>,
    names: Vec<&'a str>,
}

impl<'a> Numbers<'a> {
    /// The number of `name`, given it on first sight.
    pub fn of(&mut self, name: &'a str) -> u32 {
        if let Some(&n) = self.numbers.get(name) {
            return n;
        }
        let n = self.names.len() as u32;
        self.numbers.insert(name, n);
        self.names.push(name);
        n
    }

    /// The number of `name` if it has one.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.numbers.get(name).copied()
    }

    /// A `u32` column of an aggregate, as names.
    pub fn names(&self, df: &DataFrame, column: &str) -> Result<Vec<Option<String>>> {
        let numbers = df.column(column)?.u32()?;
        Ok(numbers.iter().map(|n| n.and_then(|n| self.names.get(n as usize)).map(|s| s.to_string())).collect())
    }
}

/// A float column as options, casting integers.
pub fn f64s(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    let col = column(df, name)?.cast(&DataType::Float64)?;
    Ok(col.f64()?.iter().collect())
}

/// An integer column as options.
pub fn i64s(df: &DataFrame, name: &str) -> Result<Vec<Option<i64>>> {
    let col = column(df, name)?.cast(&DataType::Int64)?;
    Ok(col.i64()?.iter().collect())
}

/// A boolean column, nulls as false.
pub fn bools(df: &DataFrame, name: &str) -> Result<Vec<bool>> {
    Ok(column(df, name)?.bool()?.iter().map(|b| b.unwrap_or(false)).collect())
}

/// A string column as owned options.
pub fn strs(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    Ok(column(df, name)?.str()?.iter().map(|s| s.map(String::from)).collect())
}
