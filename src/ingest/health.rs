//! health.csv: a team's red/amber/green health checks.

use super::table::{text, At, Table};
use crate::error::Result;
use crate::model::{Grade, HealthCheck};
use serde::Deserialize;

#[derive(Deserialize)]
struct Raw {
    date: Option<String>,
    team: Option<String>,
    health_metric: Option<String>,
    status: Option<String>,
    note: Option<String>,
}

/// Parses every row; the status must be green, amber or red.
pub fn parse(table: &Table) -> Result<Vec<HealthCheck>> {
    let mut out = Vec::new();
    for row in table.rows::<Raw>() {
        let (line, raw) = row?;
        let at = At { file: &table.file, line };
        let date = at.required_date("date", &raw.date)?;
        let team = at.required("team", &raw.team)?.to_string();
        let metric = at.required("health_metric", &raw.health_metric)?.to_string();
        let word = at.required("status", &raw.status)?;
        let status = Grade::parse(word)
            .ok_or_else(|| at.err("status", format!("expected green, amber or red, found {word:?}")))?;
        at.markdown("note", &raw.note)?;
        out.push(HealthCheck { date, team, metric, status, note: text(&raw.note).map(String::from), line });
    }
    Ok(out)
}
