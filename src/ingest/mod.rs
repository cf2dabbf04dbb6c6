//! Reading a data folder into a validated [`Dataset`]: only this module parses files.

pub mod checkins;
pub mod dialect;
pub mod events;
pub mod health;
pub mod initiatives;
pub mod metrics;
pub mod okrs;
pub mod presets;

pub mod table;
pub mod values;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{Dataset, Events, InputFile, KeyResult, Notes, Quarter};
use crate::schema::{self, FileSpec};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use table::Table;

/// Reads every input the folder has, for `quarter` or the latest one.
pub fn load(data_dir: &Path, config: &Config, quarter: Option<Quarter>) -> Result<Dataset> {
    if !data_dir.is_dir() {
        return Err(Error::Usage(format!("data folder {} does not exist or is not a folder", data_dir.display())));
    }
    let mut inputs = Vec::new();
    let okrs = match presets::okrs(data_dir, config, &mut inputs)? {
        Some(okrs) => okrs,
        None => {
            let okrs_table = open(data_dir, &schema::OKRS, config)?.ok_or_else(|| Error::File {
                file: schema::OKRS.file.into(),
                message: format!(
                    "not found in {}; it is the one required input (run `quarterdeck schema okrs.csv` for its columns, \
                     or import an OKR tool's export: see [[imports]] in the book)",
                    data_dir.display()
                ),
            })?;
            let okrs = okrs::parse(&okrs_table)?;
            inputs.push(input(&okrs_table, okrs.krs.len()));
            okrs
        }
    };
    let quarters = okrs::quarters(&okrs);
    let quarter = okrs::pick_quarter(&okrs, quarter)?;

    let by_id: BTreeMap<&str, &KeyResult> = okrs.krs.iter().map(|k| (k.id.as_str(), k)).collect();
    let mut checkins = optional(data_dir, &schema::CHECKINS, config, &mut inputs, |t| checkins::parse(t, &by_id))?;
    let metrics = optional(data_dir, &schema::METRICS, config, &mut inputs, metrics::parse)?;
    let mut health = optional(data_dir, &schema::HEALTH, config, &mut inputs, health::parse)?;
    let mut initiatives =
        optional(data_dir, &schema::INITIATIVES, config, &mut inputs, |t| initiatives::parse(t, &by_id))?;
    let mut dimensions = Vec::new();
    let people = optional(data_dir, &schema::PEOPLE, config, &mut inputs, |t| {
        let (people, dims) = events::people(t)?;
        dimensions = dims;
        Ok(people)
    })?;
    let mut events = Events {
        prs: optional(data_dir, &schema::PRS, config, &mut inputs, events::prs)?,
        deployments: optional(data_dir, &schema::DEPLOYMENTS, config, &mut inputs, events::deployments)?,
        incidents: optional(data_dir, &schema::INCIDENTS, config, &mut inputs, events::incidents)?,
        ai_usage: optional(data_dir, &schema::AI_USAGE, config, &mut inputs, events::ai_usage)?,
        people,
        dimensions,
    };
    presets::extend_events(data_dir, config, &mut events, &mut inputs)?;

    let krs: Vec<KeyResult> = okrs.krs.iter().filter(|k| k.quarter == quarter).cloned().collect();
    let in_quarter: BTreeSet<&str> = krs.iter().map(|k| k.id.as_str()).collect();
    checkins.retain(|c| in_quarter.contains(c.kr_id.as_str()));
    checkins.sort_by(|a, b| (&a.kr_id, a.date, a.line).cmp(&(&b.kr_id, b.date, b.line)));
    initiatives.retain(|i| in_quarter.contains(i.kr_id.as_str()));
    health.retain(|h| quarter.contains(h.date));
    health.sort_by(|a, b| (&a.team, &a.metric, a.date, a.line).cmp(&(&b.team, &b.metric, b.date, b.line)));
    let objectives = okrs.objectives.into_iter().filter(|(q, _)| *q == quarter).map(|(_, o)| o).collect();
    let teams: BTreeSet<&str> = krs.iter().map(|k| k.team.as_str()).collect();
    let notes = read_notes(data_dir, &teams, &mut inputs)?;
    let config_path = data_dir.join(crate::config::CONFIG_FILE);
    if let Ok(bytes) = std::fs::read(&config_path) {
        let rows = bytes.iter().filter(|&&b| b == b'\n').count();
        let sha256 = table::hex(&Sha256::digest(&bytes));
        inputs.push(InputFile { name: crate::config::CONFIG_FILE.into(), rows, sha256 });
    }
    Ok(Dataset { quarter, quarters, objectives, krs, checkins, metrics, health, initiatives, events, notes, inputs })
}

fn open(data_dir: &Path, spec: &FileSpec, config: &Config) -> Result<Option<Table>> {
    let path = data_dir.join(spec.file);
    if !path.exists() {
        return Ok(None);
    }
    Table::read(&path, spec, config.columns.get(spec.key)).map(|t| Some(t.with_values(config.values.get(spec.key))))
}

/// Reads an optional input with `parse`, recording it among the inputs; an
/// absent file gives no rows.
fn optional<T>(
    data_dir: &Path,
    spec: &FileSpec,
    config: &Config,
    inputs: &mut Vec<InputFile>,
    parse: impl FnOnce(&Table) -> Result<Vec<T>>,
) -> Result<Vec<T>> {
    match open(data_dir, spec, config)? {
        Some(t) => {
            let rows = parse(&t)?;
            inputs.push(input(&t, rows.len()));
            Ok(rows)
        }
        None => Ok(Vec::new()),
    }
}

fn input(table: &Table, rows: usize) -> InputFile {
    InputFile { name: table.file.clone(), rows, sha256: table.sha256.clone() }
}

/// Reads `notes/quarter.md` and `notes/TEAM.md` for the quarter's teams.
fn read_notes(data_dir: &Path, teams: &BTreeSet<&str>, inputs: &mut Vec<InputFile>) -> Result<Notes> {
    let dir = data_dir.join("notes");
    let mut notes = Notes::default();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(notes);
    };
    let mut paths: Vec<_> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "md")).collect();
    paths.sort();
    for path in paths {
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else { continue };
        let team = teams.iter().find(|t| table::fold(t) == table::fold(stem));
        if stem != "quarter" && team.is_none() {
            continue;
        }
        let name = format!("notes/{stem}.md");
        let bytes = std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
        let text = String::from_utf8(bytes.clone())
            .map_err(|_| Error::File { file: name.clone(), message: "is not UTF-8 text; save it as UTF-8".into() })?;
        inputs.push(InputFile { name, rows: text.lines().count(), sha256: table::hex(&Sha256::digest(&bytes)) });
        match team {
            Some(t) => {
                notes.teams.insert(t.to_string(), text);
            }
            None => notes.quarter = Some(text),
        }
    }
    Ok(notes)
}
