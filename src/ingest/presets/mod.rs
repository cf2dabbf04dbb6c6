//! Built-in presets: foreign exports named by `[[imports]]` in
//! quarterdeck.toml (a Jira or Linear issue export, `gh pr list` JSON, a
//! GitHub Copilot usage report, an OKR tool's key-result export or long
//! layout, okr-tracker's documents, Apache DevLake's tables, any CSV mapped
//! column by column), converted into our rows and validated by the same
//! parsers as our own CSV files.

pub mod copilot;
pub mod devlake;
pub mod files;
pub mod foreign;
pub mod generic;
pub mod github;
pub mod issues;
pub mod okr;
pub mod outline;
pub mod stage;
pub mod tracker;

use super::okrs::{self, Okrs};
use super::table::Table;
use super::KrIndex;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{Checkin, Events, InputFile, Person};
use crate::schema::{FileSpec, AI_USAGE, CHECKINS, OKRS, PRS};
use stage::Stage;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub use crate::config::imports::{Import, Preset};
pub use files::{files_read, import_files};

/// What the inputs read before an import tell it: who is on which team,
/// and which deployments an incident names (a DevLake deployment's failure).
#[derive(Clone, Copy)]
pub struct Known<'a> {
    pub people: &'a [Person],
    pub caused_incidents: &'a BTreeSet<String>,
}

/// Nothing known yet.
static NOTHING: BTreeSet<String> = BTreeSet::new();

impl Known<'_> {
    /// Knowing nothing: for the files whose imports need nothing else.
    pub fn none() -> Known<'static> {
        Known { people: &[], caused_incidents: &NOTHING }
    }
}

/// One file of an import: the entry with `file` set to that file's name, so
/// that every message names the file read, not the pattern.
fn one_file(import: &Import, name: &str) -> Import {
    Import { file: name.to_string(), ..import.clone() }
}

/// What the OKR imports give: the key results, and the check-ins some
/// exports carry (a current value, a progress history), staged for the
/// check-in parser once the key results are known.
pub struct OkrImports {
    pub okrs: Okrs,
    pub checkins: Stage,
}

/// The rows OKR imports are staged into.
pub struct OkrStages {
    pub okrs: Stage,
    pub checkins: Stage,
    pub ids: okr::Ids,
}

/// Key results from the imports into okrs (an OKR preset, or `csv` with
/// `into = "okrs"`) with the check-ins they carry, or `None` when there are none.
pub fn okrs(data_dir: &Path, config: &Config, inputs: &mut Vec<InputFile>) -> Result<Option<OkrImports>> {
    let imports: Vec<&Import> = config.imports.iter().filter(|i| i.target().key == OKRS.key).collect();
    let Some(first) = imports.first() else { return Ok(None) };
    if data_dir.join(OKRS.file).exists() {
        return Err(Error::Usage(format!(
            "{} and {} (imported with preset {}) both give key results; keep one of them",
            OKRS.file,
            first.file,
            first.preset.name()
        )));
    }
    let mut stages = OkrStages {
        okrs: Stage::new(&OKRS, config),
        checkins: Stage::new(&CHECKINS, config),
        ids: okr::Ids::default(),
    };
    for import in imports {
        let mut docs = Vec::new();
        let mut reads = Vec::new();
        for path in import_files(data_dir, import)? {
            let mut read = files::read(data_dir, &path, import, "file")?;
            docs.push((read.name.clone(), std::mem::take(&mut read.bytes)));
            reads.push(read);
        }
        stage_okrs(import, docs, config, &mut stages)?;
        inputs.extend(reads.iter().map(|r| r.input(stages.okrs.rows_of(&r.name))));
    }
    let okrs = parse_staged_okrs(&mut stages.okrs)?;
    Ok(Some(OkrImports { okrs, checkins: stages.checkins }))
}

/// Stages the files of one OKR import (`docs`: each file's name and bytes),
/// each read by its preset; okr-tracker's documents are read together, as
/// they name each other by file name.
fn stage_okrs(import: &Import, docs: Vec<(String, Vec<u8>)>, config: &Config, stages: &mut OkrStages) -> Result<()> {
    if import.preset == Preset::OkrTrackerJson {
        return tracker::stage(import, &docs, stages);
    }
    for (file, bytes) in docs {
        let one = one_file(import, &file);
        match import.preset {
            Preset::Csv => generic::stage(&one, bytes, config, &mut stages.okrs)?,
            Preset::OkrOutlineCsv => outline::stage(&one, &file, bytes, stages)?,
            _ => okr::stage(&one, &file, bytes, stages)?,
        }
    }
    Ok(())
}

/// Parses the staged key results, their lines and errors put back in the exports' terms.
fn parse_staged_okrs(stage: &mut Stage) -> Result<Okrs> {
    let table = stage.table()?;
    let mut okrs = okrs::parse(&table).map_err(|e| stage.remap(e))?;
    let rows = okrs.krs.len() + okrs.failed.len();
    let lines: BTreeMap<u64, u64> =
        (0..rows).filter_map(|i| Some((stage.line_of(i)?, stage.origin(i)?.1.line(i)))).collect();
    for kr in &mut okrs.krs {
        kr.line = lines.get(&kr.line).copied().unwrap_or(kr.line);
    }
    for f in &mut okrs.failed {
        f.line = lines.get(&f.line).copied().unwrap_or(f.line);
        f.error = stage.remap(std::mem::replace(&mut f.error, Error::Internal(String::new())));
    }
    Ok(okrs)
}

/// The check-ins the OKR imports carried, read once the key results are
/// known; each keeps the line (or entry) of the export it came from.
pub fn checkins(mut stage: Stage, krs: &KrIndex) -> Result<Vec<Checkin>> {
    if stage.is_empty() {
        return Ok(Vec::new());
    }
    let table = stage.table()?;
    let mut checkins = super::checkins::parse(&table, krs).map_err(|e| stage.remap(e))?;
    for c in &mut checkins {
        c.line = stage.origin_at_line(c.line).map_or(c.line, |(i, origin)| origin.line(i));
    }
    Ok(checkins)
}

/// Adds the pull requests and AI usage of every import to `events`.
pub fn extend_events(data_dir: &Path, config: &Config, events: &mut Events, inputs: &mut Vec<InputFile>) -> Result<()> {
    let mut pr_seen = known_pr_ids(config, events);
    let mut ai_seen = BTreeMap::new();
    let into_events = |i: &&Import| [PRS.key, AI_USAGE.key].contains(&i.target().key);
    for import in config.imports.iter().filter(into_events) {
        let side = devlake::Side::load(data_dir, config, import, inputs)?;
        for path in import_files(data_dir, import)? {
            let mut read = files::read(data_dir, &path, import, "file")?;
            let one = one_file(import, &read.name);
            let mut stage = Stage::new(import.target(), config);
            let known = Known { people: &events.people, ..Known::none() };
            stage_rows(&one, std::mem::take(&mut read.bytes), config, known, &side, &mut stage)?;
            let rows = if import.target().key == PRS.key {
                add_prs(&mut stage, events, &mut pr_seen, import)?
            } else {
                add_ai_usage(&mut stage, events, &mut ai_seen)?
            };
            inputs.push(read.input(rows));
        }
    }
    Ok(())
}

/// The rows of `spec` (other than key results, pull requests and AI usage,
/// read above) that the imports into it give, per file read, each file's
/// rows checked by `parse` as if it were `spec`'s own file.
pub fn import_rows<T>(
    data_dir: &Path,
    config: &Config,
    spec: &'static FileSpec,
    known: Known,
    inputs: &mut Vec<InputFile>,
    parse: &mut dyn FnMut(&Table) -> Result<Vec<T>>,
) -> Result<Vec<(String, Vec<T>)>> {
    let mut out = Vec::new();
    for import in config.imports.iter().filter(|i| i.target().key == spec.key) {
        let side = devlake::Side::load(data_dir, config, import, inputs)?;
        for path in import_files(data_dir, import)? {
            let mut read = files::read(data_dir, &path, import, "file")?;
            let mut stage = Stage::new(spec, config);
            stage_rows(
                &one_file(import, &read.name),
                std::mem::take(&mut read.bytes),
                config,
                known,
                &side,
                &mut stage,
            )?;
            let table = stage.table()?;
            let rows = parse(&table).map_err(|e| stage.remap(e))?;
            inputs.push(read.input(rows.len()));
            out.push((read.name, rows));
        }
    }
    Ok(out)
}

/// The rows of every source of one file together, refusing a row whose id
/// (`id`: a deployment's, an incident's, a person's, with its line) an
/// earlier source already gave: each source checks its own rows. `what`
/// names a row in messages.
pub fn merge<T>(sources: Vec<(String, Vec<T>)>, what: &str, id: impl Fn(&T) -> Option<(&str, u64)>) -> Result<Vec<T>> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::new();
    let place = |file: &str, line: u64| if line == 0 { file.to_string() } else { format!("{file} line {line}") };
    for (file, rows) in sources {
        for (key, line) in rows.iter().filter_map(&id) {
            if let Some(first) = seen.insert(key.to_string(), place(&file, line)) {
                let message = format!("{what} {key} is also in {first}; each is read from one file only");
                return Err(match line {
                    0 => Error::File { file, message },
                    _ => Error::Row { file, line, message },
                });
            }
        }
        out.extend(rows);
    }
    Ok(out)
}

/// Where each pull request of prs.csv is, by id, for telling imports apart from it.
fn known_pr_ids(config: &Config, events: &Events) -> BTreeMap<String, String> {
    // Built only when an import adds pull requests: it costs a copy of every id.
    if !config.imports.iter().any(|i| i.target().key == PRS.key) {
        return BTreeMap::new();
    }
    events.prs.iter().map(|p| (p.id.to_string(), format!("{} line {}", PRS.file, p.line))).collect()
}

/// Stages the rows of one file of an import (not an OKR tool's: see [`okrs`]).
fn stage_rows(
    import: &Import,
    bytes: Vec<u8>,
    config: &Config,
    known: Known,
    side: &devlake::Side,
    stage: &mut Stage,
) -> Result<()> {
    match import.preset {
        Preset::JiraIssuesCsv | Preset::LinearIssuesCsv => issues::stage(import, bytes, known.people, stage),
        Preset::GithubPrsJson => github::stage(import, &bytes, known.people, stage),
        Preset::GithubCopilotUsersJson => copilot::stage(import, &bytes, stage),
        Preset::Csv => generic::stage(import, bytes, config, stage),
        Preset::DevlakePullRequestsCsv => devlake::prs::stage(import, bytes, side, known.people, stage),
        Preset::DevlakeDeploymentsCsv => devlake::deployments::stage(import, bytes, side, known, stage),
        Preset::DevlakeIncidentsCsv => devlake::incidents::stage(import, bytes, side, stage),
        Preset::OkrKeyResultsCsv | Preset::OkrOutlineCsv | Preset::OkrTrackerJson => {
            Err(Error::Internal(format!("{} read as events", import.describe())))
        }
    }
}

/// Parses staged pull requests into `events`, refusing an id some earlier
/// file already gave; returns how many were added.
fn add_prs(
    stage: &mut Stage,
    events: &mut Events,
    pr_seen: &mut BTreeMap<String, String>,
    import: &Import,
) -> Result<usize> {
    let table = stage.table()?;
    let mut prs = super::events::prs(&table).map_err(|e| stage.remap(e))?;
    let advice = match import.preset {
        Preset::Csv => "build the id from several columns in [imports.columns], e.g. pr_id = \"{repository}#{number}\"",
        _ => "set id_prefix on the [[imports]] entry to tell repositories apart",
    };
    for (i, pr) in prs.iter_mut().enumerate() {
        let Some((file, origin)) = stage.origin(i) else { continue };
        let place = describe_origin(file, origin);
        if let Some(first) = pr_seen.insert(pr.id.to_string(), place.clone()) {
            return Err(Error::Usage(format!("{place}: pull request {} is also in {first}; {advice}", pr.id)));
        }
        pr.line = u32::try_from(origin.line(i)).unwrap_or(u32::MAX);
    }
    let n = prs.len();
    events.prs.extend(prs);
    Ok(n)
}

/// Parses staged AI usage into `events`, reading a user-day repeated by an
/// overlapping report once; returns how many were added.
fn add_ai_usage(stage: &mut Stage, events: &mut Events, ai_seen: &mut copilot::SeenDays) -> Result<usize> {
    let table = stage.table()?;
    let usage = super::events::ai_usage(&table).map_err(|e| stage.remap(e))?;
    let kept = copilot::dedupe(usage, stage, ai_seen)?;
    let n = kept.len();
    events.ai_usage.extend(kept);
    Ok(n)
}

/// `prs.json [3]` or "jira.csv line 7": where a row came from, for messages.
pub fn describe_origin(file: &str, origin: &stage::Origin) -> String {
    match origin {
        stage::Origin::Line(l) => format!("{file} line {l}"),
        stage::Origin::Json { path, .. } => format!("{file} {path}"),
    }
}

/// A person's id as people.csv spells it (ids match ignoring case), with their team.
pub fn person<'a>(people: &'a [crate::model::Person], id: &str) -> Option<&'a crate::model::Person> {
    people.iter().find(|p| p.id == id).or_else(|| people.iter().find(|p| p.id.eq_ignore_ascii_case(id)))
}

/// Seconds since 1970 as RFC 3339 in UTC, as our CSV files write timestamps.
pub fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).map_or_else(String::new, |d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// A timestamp as exports write it: `format` when given, RFC 3339 and our
/// plain forms, Jira's default `11/May/24 3:26 PM`, or a bare date (midnight UTC).
pub fn parse_time(s: &str, format: Option<&str>) -> Option<i64> {
    let s = s.trim();
    format.and_then(|f| parse_with_format(s, f)).or_else(|| parse_known_time(s))
}

/// A date as an export writes it: in chrono `format` when given, else any
/// form [`parse_time`] reads (the day of a timestamp, in UTC).
pub fn parse_date(text: &str, format: Option<&str>) -> Option<chrono::NaiveDate> {
    if let Some(d) = format.and_then(|f| chrono::NaiveDate::parse_from_str(text.trim(), f).ok()) {
        return Some(d);
    }
    let t = parse_time(text, format)?;
    chrono::DateTime::from_timestamp(t, 0).map(|d| d.date_naive())
}

/// Parses a time, a time with an offset or a bare date written in chrono `format`.
fn parse_with_format(s: &str, format: &str) -> Option<i64> {
    if let Ok(t) = chrono::DateTime::parse_from_str(s, format) {
        return Some(t.timestamp());
    }
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, format) {
        return Some(t.and_utc().timestamp());
    }
    let d = chrono::NaiveDate::parse_from_str(s, format).ok()?;
    d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp())
}

/// Parses the time forms exports write without being told a format.
fn parse_known_time(s: &str) -> Option<i64> {
    if let Some(t) = crate::ingest::table::parse_timestamp(s) {
        return Some(t);
    }
    for f in ["%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc().timestamp());
        }
    }
    ["%Y-%m-%d", "%d/%b/%y", "%d/%b/%Y"]
        .iter()
        .find_map(|f| chrono::NaiveDate::parse_from_str(s, f).ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_time_forms_exports_write() {
        let may = parse_time("2024-05-11T15:26:00Z", None);
        assert!(may.is_some());
        assert_eq!(parse_time("11/May/24 3:26 PM", None), may);
        assert_eq!(parse_time("11/may/24 03:26 pm", None), may);
        assert_eq!(parse_time("11/May/2024 3:26 PM", None), may);
        assert_eq!(parse_time("2024-05-11 15:26:00.000", None), may);
        assert_eq!(parse_time("11.05.2024 15:26", Some("%d.%m.%Y %H:%M")), may);
        assert_eq!(parse_time("5/11/2024 15:26", Some("%m/%d/%Y %H:%M")), may);
        assert_eq!(parse_time("2024-05-11", None), parse_time("2024-05-11T00:00:00Z", None));
        assert_eq!(parse_time("11.05.2024 15:26", None), None);
        assert_eq!(rfc3339(may.unwrap_or_default()), "2024-05-11T15:26:00Z");
    }

    #[test]
    fn options_must_fit_the_preset() {
        let e = Config::parse("[[imports]]\npreset = \"github-copilot-users-json\"\nfile = \"c.json\"\nteam = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "quarterdeck.toml line 4: [[imports]] #1 (github-copilot-users-json, file \"c.json\"): team does not \
             apply to github-copilot-users-json; it takes no options"
        );
        let e = Config::parse("[[imports]]\npreset = \"gitlab-mrs\"\nfile = \"m.json\"\n").unwrap_err().to_string();
        assert!(e.starts_with("quarterdeck.toml line 2"), "{e}");
        assert!(e.contains("github-prs-json"), "{e}");
        let twice = "[[imports]]\npreset = \"github-prs-json\"\nfile = \"a.json\"\n[[imports]]\npreset = \"github-prs-json\"\nfile = \"a.json\"\n";
        assert!(Config::parse(twice).unwrap_err().to_string().contains("already imported by [[imports]] #1"));
        let e = Config::parse("[[imports]]\npreset = \"okr-key-results-csv\"\nfile = \"k.csv\"\nquarter = \"Q3\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("quarter \"Q3\" is not a quarter like 2026-Q3"), "{e}");
        let e =
            Config::parse("[[imports]]\npreset = \"jira-issues-csv\"\nfile = \"j.csv\"\nteem = \"x\"\n").unwrap_err();
        assert!(e.to_string().contains("teem"), "{e}");
    }
}
