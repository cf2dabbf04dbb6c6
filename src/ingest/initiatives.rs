//! initiatives.csv: the work meant to move a key result.

use super::table::{At, Table};
use super::KrIndex;
use crate::error::Result;
use crate::model::{Initiative, InitiativeStatus};
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Deserialize)]
struct Raw {
    initiative: Option<String>,
    kr_id: Option<String>,
    impact: Option<String>,
    effort: Option<String>,
    status: Option<String>,
    started: Option<String>,
    finished: Option<String>,
}

/// Parses every row, checking the key result exists, the 1–5 scales, that a
/// done initiative has its finish date and that it does not finish before it started.
pub fn parse(table: &Table, krs: &KrIndex) -> Result<Vec<Initiative>> {
    let mut out = Vec::new();
    for row in table.rows::<Raw>() {
        let (line, raw) = row?;
        out.push(read_initiative(&At { file: &table.file, line }, &raw, krs)?);
    }
    Ok(out)
}

/// Reads one row of initiatives.csv.
fn read_initiative(at: &At, raw: &Raw, krs: &KrIndex) -> Result<Initiative> {
    let name = at.required("initiative", &raw.initiative)?.to_string();
    let kr_id = at.required("kr_id", &raw.kr_id)?;
    // an initiative of a left-out key result is read, then left out with it (see `keep_quarter`)
    krs.get(at, kr_id)?;
    let word = at.required("status", &raw.status)?;
    let status = InitiativeStatus::parse(word)
        .ok_or_else(|| at.err("status", format!("expected idea, doing, done or dropped, found {word:?}")))?;
    let (started, finished) = read_dates(at, raw, status)?;
    Ok(Initiative {
        name,
        kr_id: kr_id.to_string(),
        impact: scale(at, "impact", &raw.impact)?,
        effort: scale(at, "effort", &raw.effort)?,
        status,
        started,
        finished,
        line: at.line,
    })
}

/// Reads the start and finish dates: a done initiative has finished, and not before it started.
fn read_dates(at: &At, raw: &Raw, status: InitiativeStatus) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    let started = at.date("started", &raw.started)?;
    let finished = at.date("finished", &raw.finished)?;
    if status == InitiativeStatus::Done && finished.is_none() {
        return Err(at.err("finished", "expected the finish date of a done initiative, found an empty cell"));
    }
    if let (Some(s), Some(f)) = (started, finished) {
        if f < s {
            return Err(at.err("finished", format!("expected a date on or after started ({s}), found {f}")));
        }
    }
    Ok((started, finished))
}

fn scale(at: &At, column: &str, v: &Option<String>) -> Result<Option<u8>> {
    match at.number(column, v)? {
        None => Ok(None),
        Some(n) if n.fract() == 0.0 && (1.0..=5.0).contains(&n) => Ok(Some(n as u8)),
        Some(n) => Err(at.err(column, format!("expected an integer from 1 to 5, found {n}"))),
    }
}
