//! `devlake-incidents-csv`: DevLake's `incidents` table as incidents rows:
//! started at `created_date`, resolved at `resolution_date`; the deployment
//! that caused it from `relationships_file`.

use super::{bad_time, time, ScopeKind, Side, Teams};
use crate::error::Result;
use crate::ingest::presets::foreign::{cell, Column};
use crate::ingest::presets::stage::{Cells, Origin, Stage};
use crate::ingest::presets::{rfc3339, Import};
use csv::StringRecord;

/// The columns of `incidents` read.
struct Columns {
    id: Column,
    created: Column,
    resolved: Column,
    severity: Option<Column>,
    priority: Option<Column>,
    component: Option<Column>,
}

/// Stages every incident of the table as an incidents row.
pub fn stage(import: &Import, bytes: Vec<u8>, side: &Side, stage: &mut Stage) -> Result<()> {
    let csv = super::table(&import.file, bytes)?;
    let c = Columns {
        id: csv.require(&["id"])?,
        created: csv.require(&["created_date"])?,
        // the domain table always has it; a dump without it would read every incident as open
        resolved: csv.require(&["resolution_date"])?,
        severity: csv.column(&["severity"]),
        priority: csv.column(&["priority"]),
        component: csv.column(&["component"]),
    };
    let teams = Teams::new(&csv, import, side, "scope_id", ScopeKind::Column("table"))?;
    let team = teams.field();
    let relationships = import.relationships_file.as_deref().unwrap_or("deploy_id");
    stage.begin(
        &import.file,
        &[
            ("incident_id", &c.id.name),
            ("started_at", &c.created.name),
            ("resolved_at", &c.resolved.name),
            ("team", &team),
            ("deploy_id", relationships),
        ],
    );
    for row in csv.table.records() {
        let (line, record) = row?;
        let team = teams.require(line, &record)?;
        let cells = cells(import, &c, side, line, &record, team)?;
        stage.push(Origin::Line(line), &cells);
    }
    Ok(())
}

/// The incidents.csv cells of one incident of `team`.
fn cells(import: &Import, c: &Columns, side: &Side, line: u64, record: &StringRecord, team: String) -> Result<Cells> {
    let at = |column: &Column| -> Result<String> {
        let Some(text) = cell(record, Some(column)) else { return Ok(String::new()) };
        time(text).map(rfc3339).ok_or_else(|| bad_time(&import.file, line, column, text))
    };
    let id = cell(record, Some(&c.id)).unwrap_or_default().to_string();
    let severity = cell(record, c.severity.as_ref()).or_else(|| cell(record, c.priority.as_ref()));
    Ok(vec![
        ("deploy_id", side.cause(&id, &team).unwrap_or_default().to_string()),
        ("incident_id", id),
        ("started_at", at(&c.created)?),
        ("resolved_at", at(&c.resolved)?),
        ("severity", severity.unwrap_or_default().to_string()),
        ("service", cell(record, c.component.as_ref()).unwrap_or_default().to_string()),
        ("team", team),
    ])
}
