//! metrics.csv: long time series of any signal.

use super::table::{text, At, Table};
use crate::error::Result;
use crate::model::MetricPoint;
use serde::Deserialize;

#[derive(Deserialize)]
struct Raw {
    date: Option<String>,
    team: Option<String>,
    metric: Option<String>,
    value: Option<String>,
    person: Option<String>,
}

/// Parses every point; a row with an empty value is skipped (a gap in a series).
pub fn parse(table: &Table) -> Result<Vec<MetricPoint>> {
    let mut out = Vec::new();
    for row in table.rows::<Raw>() {
        let (line, raw) = row?;
        let at = At { file: &table.file, line };
        let date = at.required_date("date", &raw.date)?;
        let team = at.required("team", &raw.team)?.to_string();
        let metric = at.required("metric", &raw.metric)?.to_string();
        if let Some(value) = at.number("value", &raw.value)? {
            out.push(MetricPoint { date, team, metric, value, person: text(&raw.person).map(String::from) });
        }
    }
    Ok(out)
}
