//! Reading a data folder into a validated [`Dataset`]: only this module parses files.

pub mod align;
pub mod asof;
pub mod checkins;
pub mod closest;
pub mod dialect;
pub mod events;
pub mod folder;
pub mod health;
pub mod history;
pub mod initiatives;
pub mod metrics;
pub mod okrs;
pub mod presets;
pub mod sniff;

pub mod table;
pub mod values;

use crate::config::{Config, Problem};
use crate::error::{Error, Result};
use crate::model::{
    Checkin, Dataset, Deployment, Events, HealthCheck, Incident, Initiative, InputFile, KeyResult, MetricPoint, Notes,
    Person, Quarter, Standing,
};
use crate::schema::{self, FileSpec};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use table::Table;

/// Reads every input the folder has, for `quarter` or the latest one, as
/// of the inputs' latest date when they stop before the quarter's end.
pub fn load(data_dir: &Path, config: &Config, quarter: Option<Quarter>) -> Result<Dataset> {
    load_at(data_dir, config, quarter, None)
}

/// Reads every input the folder has, for `quarter` (else the one holding
/// `as_of`, else the latest), as it stood on `as_of` (SPEC §6).
pub fn load_at(
    data_dir: &Path,
    config: &Config,
    quarter: Option<Quarter>,
    as_of: Option<NaiveDate>,
) -> Result<Dataset> {
    if !data_dir.is_dir() {
        return Err(Error::Usage(format!("data folder {} does not exist or is not a folder", data_dir.display())));
    }
    presets::files::check_overlaps(data_dir, config)?;
    let mut folder = Folder { data_dir, config, inputs: Vec::new() };
    let (mut okrs, imported_checkins) = folder.okrs()?;
    let quarters = okrs::quarters(&okrs);
    let quarter = okrs::pick_quarter(&okrs, quarter.or_else(|| history::holding(&quarters, as_of)))?;
    let skipped = okrs.settle(quarter)?;

    let krs = KrIndex::new(&okrs.krs, skipped.iter().filter_map(|s| s.kr_id.as_deref()).collect());
    let mut checkins = folder.gather(&schema::CHECKINS, |t| checkins::parse(t, &krs))?;
    if let Some(staged) = imported_checkins {
        checkins.extend(presets::checkins(staged, &krs)?);
    }
    let metrics = folder.gather(&schema::METRICS, metrics::parse)?;
    let mut health = folder.gather(&schema::HEALTH, health::parse)?;
    let mut initiatives = folder.gather(&schema::INITIATIVES, |t| initiatives::parse(t, &krs))?;
    let events = folder.events()?;
    check_cohort_dimensions(config, &events)?;

    check_team_tables(config, okrs.objectives.iter().map(|(_, o)| o.team.as_str()).collect())?;
    let history = history::earlier(quarter, &okrs, &checkins, &metrics);
    let krs: Vec<KeyResult> = okrs.krs.iter().filter(|k| k.quarter == quarter).cloned().collect();
    check_team_spellings(&krs)?;
    keep_quarter(quarter, &krs, &mut checkins, &mut initiatives, &mut health);
    let objectives = okrs.objectives.into_iter().filter(|(q, _)| *q == quarter).map(|(_, o)| o).collect();
    let (notes, inputs) = notes_and_inputs(data_dir, &krs, folder.inputs)?;
    let mut ds = Dataset {
        quarter,
        quarters,
        objectives,
        krs,
        checkins,
        metrics,
        health,
        initiatives,
        events,
        notes,
        inputs,
        skipped,
        standing: Standing::Complete,
        history,
    };
    asof::stand(&mut ds, as_of, config)?;
    Ok(ds)
}

/// What a folder without key results holds: its event files, metrics and
/// health checks, each validated alone (`check` before okrs.csv exists).
pub struct EventsOnly {
    pub events: Events,
    pub metrics: Vec<MetricPoint>,
    pub health: Vec<HealthCheck>,
    /// Every input read, quarterdeck.toml included.
    pub inputs: Vec<InputFile>,
}

/// Reads every input that names no key result: people, pull requests,
/// deployments, incidents, AI usage (with their imports), metrics and health.
pub fn load_events(data_dir: &Path, config: &Config) -> Result<EventsOnly> {
    if !data_dir.is_dir() {
        return Err(Error::Usage(format!("data folder {} does not exist or is not a folder", data_dir.display())));
    }
    presets::files::check_overlaps(data_dir, config)?;
    let mut folder = Folder { data_dir, config, inputs: Vec::new() };
    let metrics = folder.gather(&schema::METRICS, metrics::parse)?;
    let health = folder.gather(&schema::HEALTH, health::parse)?;
    let events = folder.events()?;
    check_cohort_dimensions(config, &events)?;
    let mut inputs = folder.inputs;
    inputs.extend(config_input(data_dir));
    Ok(EventsOnly { events, metrics, health, inputs })
}

/// Whether the folder gives key results: okrs.csv, or an import with an OKR preset.
pub fn has_key_results(data_dir: &Path, config: &Config) -> bool {
    data_dir.join(schema::OKRS.file).exists() || config.imports.iter().any(|i| i.target().key == schema::OKRS.key)
}

/// The key results check-ins and initiatives may name: those of okrs.csv,
/// and the ids of rows left out (whose check-ins and initiatives are left out too).
pub struct KrIndex<'a> {
    /// kr_id → its key result in each quarter that has it, oldest first.
    pub by_id: BTreeMap<&'a str, Vec<&'a KeyResult>>,
    pub left_out: BTreeSet<&'a str>,
}

impl<'a> KrIndex<'a> {
    /// The index of `krs` (of every quarter), and of the ids of rows left out.
    pub fn new(krs: &'a [KeyResult], left_out: BTreeSet<&'a str>) -> Self {
        let mut by_id: BTreeMap<&str, Vec<&KeyResult>> = BTreeMap::new();
        for k in krs {
            by_id.entry(k.id.as_str()).or_default().push(k);
        }
        by_id.values_mut().for_each(|ks| ks.sort_by_key(|k| k.quarter));
        KrIndex { by_id, left_out }
    }

    /// The key result `kr_id` names, in its latest quarter; `Ok(None)` when
    /// its row was left out, an error naming `at`'s column kr_id when there
    /// is no such key result.
    pub fn get(&self, at: &table::At, kr_id: &str) -> Result<Option<&'a KeyResult>> {
        self.get_on(at, kr_id, NaiveDate::MAX)
    }

    /// The key result `kr_id` names on `date`: of the quarter holding the
    /// date, else of the latest quarter begun by then (a late check-in),
    /// else of its first quarter (an early one).
    pub fn get_on(&self, at: &table::At, kr_id: &str, date: NaiveDate) -> Result<Option<&'a KeyResult>> {
        match self.by_id.get(kr_id) {
            Some(krs) => {
                let begun = krs.iter().rev().find(|k| k.quarter.start() <= date);
                Ok(begun.or(krs.first()).copied())
            }
            None if self.left_out.contains(kr_id) => Ok(None),
            None => Err(at.err("kr_id", format!("expected a kr_id of {}, found {kr_id:?}", schema::OKRS.file))),
        }
    }
}

/// Fails when two spellings of a team fold to one name (`payments` and
/// `Payments`, `data-platform` and `data platform`): their pages, notes and
/// figures could not be kept apart.
fn check_team_spellings(krs: &[KeyResult]) -> Result<()> {
    let mut seen: BTreeMap<String, &KeyResult> = BTreeMap::new();
    for k in krs {
        let first = *seen.entry(table::fold(&k.team)).or_insert(k);
        if first.team != k.team {
            return Err(Error::Field {
                file: schema::OKRS.file.into(),
                line: k.line,
                column: "team".into(),
                message: format!(
                    "team {:?} differs from {:?} (line {}) only in case, spaces, hyphens or underscores; spell it one way",
                    k.team, first.team, first.line
                ),
            });
        }
    }
    Ok(())
}

/// Fails when a `[teams.TEAM]` table names no team of okrs.csv (of any
/// quarter; `teams` owns its objectives), or gives a team a name that is
/// another team's id.
fn check_team_tables(config: &Config, teams: BTreeSet<&str>) -> Result<()> {
    let words = crate::config::name_words;
    for (team, meta) in &config.teams {
        if !teams.contains(team.as_str()) {
            let known: Vec<&str> = teams.iter().take(12).copied().collect();
            let more = if teams.len() > known.len() { ", …" } else { "" };
            let message = format!(
                "[teams.{team}] names no team of {}; expected one of: {}{more}",
                schema::OKRS.file,
                known.join(", ")
            );
            return Err(config.error_at(Problem::at(&["teams", team], message)));
        }
        let taken = |n: &str| teams.iter().find(|t| **t != team && words(t) == words(n)).copied();
        if let Some((key, name, other)) = meta.names().find_map(|(k, n)| Some((k, n, taken(n)?))) {
            let message =
                format!("[teams.{team}] {key} {name:?} is the id of team {other}: give each team its own names");
            return Err(config.error_at(Problem::at(&["teams", team, key], message)));
        }
    }
    Ok(())
}

/// Fails unless every `[[cohorts]]` dimension is ai_cohort or a column of
/// people.csv (without people.csv there are no cohorts to compare).
fn check_cohort_dimensions(config: &Config, events: &Events) -> Result<()> {
    if events.people.is_empty() {
        return Ok(());
    }
    let known = |d: &str| d == crate::config::AI_COHORT || events.dimensions.iter().any(|c| c == d);
    let Some((i, c)) = config.cohorts.iter().enumerate().find(|(_, c)| !known(&c.dimension)) else { return Ok(()) };
    let message = format!(
        "[[cohorts]] dimension {:?} is not a column of people.csv; expected ai_cohort or one of: {}",
        c.dimension,
        events.dimensions.join(", ")
    );
    Err(config.error_at(Problem::at(&["cohorts", &i.to_string(), "dimension"], message)))
}

/// The data folder being read, and every input read from it so far.
struct Folder<'a> {
    data_dir: &'a Path,
    config: &'a Config,
    inputs: Vec<InputFile>,
}

impl Folder<'_> {
    /// Reads the key results of an OKR import (with the check-ins it
    /// carries, staged), else of okrs.csv: the one required input.
    fn okrs(&mut self) -> Result<(okrs::Okrs, Option<presets::stage::Stage>)> {
        if let Some(imported) = presets::okrs(self.data_dir, self.config, &mut self.inputs)? {
            return Ok((imported.okrs, Some(imported.checkins)));
        }
        let okrs_table = open(self.data_dir, &schema::OKRS, self.config)?.ok_or_else(|| Error::File {
            file: schema::OKRS.file.into(),
            message: format!(
                "not found in {}; it is the one required input (run `quarterdeck schema okrs.csv` for its columns, \
                 or import an OKR tool's export: see [[imports]] in the book)",
                self.data_dir.display()
            ),
        })?;
        let okrs = okrs::parse(&okrs_table)?;
        self.inputs.push(input(&okrs_table, okrs.krs.len()));
        Ok((okrs, None))
    }

    /// Reads an optional input with `parse`, recording it among the inputs; an
    /// absent file gives no rows.
    fn optional<T>(&mut self, spec: &FileSpec, parse: impl FnOnce(&Table) -> Result<Vec<T>>) -> Result<Vec<T>> {
        match open(self.data_dir, spec, self.config)? {
            Some(t) => {
                let rows = parse(&t)?;
                self.inputs.push(input(&t, rows.len()));
                Ok(rows)
            }
            None => Ok(Vec::new()),
        }
    }

    /// Reads an optional input and the imports into it, each with `parse`.
    fn gather<T>(
        &mut self,
        spec: &'static FileSpec,
        mut parse: impl FnMut(&Table) -> Result<Vec<T>>,
    ) -> Result<Vec<T>> {
        let own = self.optional(spec, &mut parse)?;
        self.with_imports(spec, presets::Known::none(), own, parse, ("row", |_: &T| None))
    }

    /// `own`, the rows of an input, and those of the imports into it; `key`
    /// names a row and gives its unique id and line, where the file has one.
    fn with_imports<T>(
        &mut self,
        spec: &'static FileSpec,
        known: presets::Known,
        own: Vec<T>,
        mut parse: impl FnMut(&Table) -> Result<Vec<T>>,
        key: (&str, impl Fn(&T) -> Option<(&str, u64)>),
    ) -> Result<Vec<T>> {
        let imported = presets::import_rows(self.data_dir, self.config, spec, known, &mut self.inputs, &mut parse)?;
        if imported.is_empty() {
            return Ok(own);
        }
        let sources = std::iter::once((spec.file.to_string(), own)).chain(imported).collect();
        presets::merge(sources, key.0, key.1)
    }

    /// Reads people.csv and the imports into it: imports look authors up in them.
    fn people(&mut self) -> Result<(Vec<Person>, Vec<String>)> {
        let mut dimensions = Vec::new();
        let own = self.optional(&schema::PEOPLE, |t| {
            let (people, dims) = events::people(t)?;
            dimensions = dims;
            Ok(people)
        })?;
        let parse = |t: &Table| events::people(t).map(|(people, _)| people);
        let people = self.with_imports(&schema::PEOPLE, presets::Known::none(), own, parse, ("person", person_id))?;
        Ok((people, dimensions))
    }

    /// Reads the engineering events: people first (imports look authors up
    /// in them), then our event files, then the imports that add to them;
    /// incidents before deployments, whose failures DevLake's incidents name.
    fn events(&mut self) -> Result<Events> {
        let (people, dimensions) = self.people()?;
        let prs = self.optional(&schema::PRS, events::prs)?;
        let deployments = self.optional(&schema::DEPLOYMENTS, events::deployments)?;
        let incidents = self.optional(&schema::INCIDENTS, events::incidents)?;
        let ai_usage = self.optional(&schema::AI_USAGE, events::ai_usage)?;
        let known = presets::Known { people: &people, ..presets::Known::none() };
        let incidents =
            self.with_imports(&schema::INCIDENTS, known, incidents, events::incidents, ("incident", incident_id))?;
        let caused: BTreeSet<String> = incidents.iter().filter_map(|i| i.deploy_id.clone()).collect();
        let known = presets::Known { people: &people, caused_incidents: &caused };
        let deployments = self.with_imports(
            &schema::DEPLOYMENTS,
            known,
            deployments,
            events::deployments,
            ("deployment", deployment_id),
        )?;
        let mut events = Events { prs, deployments, incidents, ai_usage, people, dimensions };
        presets::extend_events(self.data_dir, self.config, &mut events, &mut self.inputs)?;
        Ok(events)
    }
}

/// The unique id of a row, with its line, for telling files apart.
fn person_id(p: &Person) -> Option<(&str, u64)> {
    Some((p.id.as_str(), 0))
}

fn incident_id(i: &Incident) -> Option<(&str, u64)> {
    Some((i.id.as_str(), i.line))
}

fn deployment_id(d: &Deployment) -> Option<(&str, u64)> {
    Some((d.id.as_str(), d.line))
}

/// Keeps the check-ins and initiatives of the quarter's key results and the
/// health checks dated inside it, sorted as the pages list them.
fn keep_quarter(
    quarter: Quarter,
    krs: &[KeyResult],
    checkins: &mut Vec<Checkin>,
    initiatives: &mut Vec<Initiative>,
    health: &mut Vec<HealthCheck>,
) {
    let in_quarter: BTreeSet<&str> = krs.iter().map(|k| k.id.as_str()).collect();
    checkins.retain(|c| c.quarter == quarter);
    checkins.sort_by(|a, b| (&a.kr_id, a.date, a.line).cmp(&(&b.kr_id, b.date, b.line)));
    initiatives.retain(|i| in_quarter.contains(i.kr_id.as_str()));
    health.retain(|h| quarter.contains(h.date));
    health.sort_by(|a, b| (&a.team, &a.metric, a.date, a.line).cmp(&(&b.team, &b.metric, b.date, b.line)));
}

/// quarterdeck.toml as an input, when the folder has one.
fn config_input(data_dir: &Path) -> Option<InputFile> {
    let bytes = std::fs::read(data_dir.join(crate::config::CONFIG_FILE)).ok()?;
    let rows = bytes.iter().filter(|&&b| b == b'\n').count();
    let sha256 = table::hex(&Sha256::digest(&bytes));
    Some(InputFile { name: crate::config::CONFIG_FILE.into(), rows, sha256 })
}

fn open(data_dir: &Path, spec: &FileSpec, config: &Config) -> Result<Option<Table>> {
    let path = data_dir.join(spec.file);
    if !path.exists() {
        return Ok(None);
    }
    crate::outputs::check_input(data_dir, &path, spec.file)?;
    Table::read(&path, spec, config.columns.get(spec.key)).map(|t| Some(t.with_values(config.values.get(spec.key))))
}

fn input(table: &Table, rows: usize) -> InputFile {
    InputFile { name: table.file.clone(), rows, sha256: table.sha256.clone() }
}

/// The quarter's notes, and every input read (the notes and quarterdeck.toml added).
fn notes_and_inputs(data_dir: &Path, krs: &[KeyResult], mut inputs: Vec<InputFile>) -> Result<(Notes, Vec<InputFile>)> {
    let teams: BTreeSet<&str> = krs.iter().map(|k| k.team.as_str()).collect();
    let notes = read_notes(data_dir, &teams, &mut inputs)?;
    inputs.extend(config_input(data_dir));
    Ok((notes, inputs))
}

/// One note: UTF-8 Markdown nested no deeper than `notes::MAX_NESTING`, with its input record.
fn read_note(path: &Path, name: String) -> Result<(String, InputFile)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    let text = String::from_utf8(bytes.clone())
        .map_err(|_| Error::File { file: name.clone(), message: "is not UTF-8 text; save it as UTF-8".into() })?;
    let depth = crate::notes::nesting(&text);
    if depth > crate::notes::MAX_NESTING {
        let max = crate::notes::MAX_NESTING;
        let message = format!("expected Markdown nested at most {max} levels deep, found {depth}");
        return Err(Error::File { file: name, message });
    }
    let input = InputFile { name, rows: text.lines().count(), sha256: table::hex(&Sha256::digest(&bytes)) };
    Ok((text, input))
}

/// Reads `notes/quarter.md` and `notes/TEAM.md` for the quarter's teams.
fn read_notes(data_dir: &Path, teams: &BTreeSet<&str>, inputs: &mut Vec<InputFile>) -> Result<Notes> {
    let dir = data_dir.join("notes");
    let mut notes = Notes::default();
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(notes),
        // an unreadable notes/ would drop every note without a word
        Err(e) => return Err(Error::io("read the notes folder", &dir, e)),
    };
    let mut paths: Vec<_> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "md")).collect();
    paths.sort();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for path in paths {
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else { continue };
        let team = teams.iter().find(|t| table::fold(t) == table::fold(stem));
        if stem != "quarter" && team.is_none() {
            continue;
        }
        let name = format!("notes/{stem}.md");
        crate::outputs::check_input(data_dir, &path, &name)?;
        if let Some(first) = taken.insert(table::fold(stem), name.clone()) {
            return Err(Error::File {
                file: name,
                message: format!("is the same note as {first} (names fold to one team); keep one"),
            });
        }
        let (text, input) = read_note(&path, name)?;
        inputs.push(input);
        match team {
            Some(t) => {
                notes.teams.insert(t.to_string(), text);
            }
            None => notes.quarter = Some(text),
        }
    }
    Ok(notes)
}
