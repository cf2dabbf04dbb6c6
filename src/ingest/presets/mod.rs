//! Built-in presets: foreign exports named by `[[imports]]` in
//! quarterdeck.toml (a Jira or Linear issue export, `gh pr list` JSON, a
//! GitHub Copilot usage report, an OKR tool's key-result export), converted
//! into our rows and validated by the same parsers as our own CSV files.

pub mod copilot;
pub mod foreign;
pub mod github;
pub mod issues;
pub mod okr;
pub mod stage;

use super::okrs::{self, Okrs};
use super::schema::{FileSpec, AI_USAGE, OKRS, PRS};
use crate::config::{Config, CONFIG_FILE};
use crate::error::{Error, Result};
use crate::model::{Events, InputFile, Person, Quarter};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use stage::Stage;
use std::collections::BTreeMap;
use std::path::Path;

/// The exports quarterdeck can read, by their `preset =` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// Jira's "Export CSV (all fields)" of an issue search → prs rows.
    JiraIssuesCsv,
    /// Linear's CSV export of a workspace's issues → prs rows.
    LinearIssuesCsv,
    /// `gh pr list --state merged --json …` → prs rows.
    GithubPrsJson,
    /// GitHub Copilot's per-user usage report (users-1-day / users-28-day) → ai_usage rows.
    GithubCopilotUsersJson,
    /// An OKR tool's export with one row per key result → okrs rows.
    OkrKeyResultsCsv,
}

impl Preset {
    /// The name written in quarterdeck.toml.
    pub fn name(self) -> &'static str {
        match self {
            Preset::JiraIssuesCsv => "jira-issues-csv",
            Preset::LinearIssuesCsv => "linear-issues-csv",
            Preset::GithubPrsJson => "github-prs-json",
            Preset::GithubCopilotUsersJson => "github-copilot-users-json",
            Preset::OkrKeyResultsCsv => "okr-key-results-csv",
        }
    }

    /// The file of ours its rows become.
    pub fn target(self) -> &'static FileSpec {
        match self {
            Preset::JiraIssuesCsv | Preset::LinearIssuesCsv | Preset::GithubPrsJson => &PRS,
            Preset::GithubCopilotUsersJson => &AI_USAGE,
            Preset::OkrKeyResultsCsv => &OKRS,
        }
    }

    /// The options of `[[imports]]` that mean something to this preset.
    fn options(self) -> &'static [&'static str] {
        match self {
            Preset::JiraIssuesCsv => &[
                "team",
                "team_column",
                "opened_column",
                "issue_types",
                "date_format",
                "id_prefix",
                "ai_label",
                "rework_label",
            ],
            Preset::LinearIssuesCsv => {
                &["team", "team_column", "opened_column", "id_prefix", "ai_label", "rework_label"]
            }
            Preset::GithubPrsJson => &["team", "id_prefix", "ai_label", "rework_label", "include_bots"],
            Preset::GithubCopilotUsersJson => &[],
            Preset::OkrKeyResultsCsv => &["team", "team_column", "quarter", "date_format"],
        }
    }
}

/// One `[[imports]]` entry: a foreign export and how to read it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Import {
    /// What the file is.
    pub preset: Preset,
    /// The file, relative to the data folder.
    pub file: String,
    /// The team of every row (else a team column, else the person's people.csv team).
    pub team: Option<String>,
    /// The column holding the team, when the export names it otherwise.
    pub team_column: Option<String>,
    /// The column whose time is opened_at (Jira: Created; Linear: Started, else Created).
    pub opened_column: Option<String>,
    /// Jira issue types to read (default: every type but Epic).
    pub issue_types: Option<Vec<String>>,
    /// A chrono format for dates the preset does not know (`%d.%m.%Y %H:%M`).
    pub date_format: Option<String>,
    /// Put before every id, to tell repositories apart (`api#`).
    pub id_prefix: Option<String>,
    /// A label marking work written with an AI assistant (sets ai_assisted).
    pub ai_label: Option<String>,
    /// A label marking rework: a fix or revert of recent work (sets rework).
    pub rework_label: Option<String>,
    /// Keep pull requests opened by bots (default false).
    pub include_bots: Option<bool>,
    /// The quarter of every key result when the export has no period column.
    pub quarter: Option<String>,
}

impl Import {
    /// The options given, by name.
    fn given(&self) -> Vec<&'static str> {
        let set = [
            ("team", self.team.is_some()),
            ("team_column", self.team_column.is_some()),
            ("opened_column", self.opened_column.is_some()),
            ("issue_types", self.issue_types.is_some()),
            ("date_format", self.date_format.is_some()),
            ("id_prefix", self.id_prefix.is_some()),
            ("ai_label", self.ai_label.is_some()),
            ("rework_label", self.rework_label.is_some()),
            ("include_bots", self.include_bots.is_some()),
            ("quarter", self.quarter.is_some()),
        ];
        set.iter().filter(|(_, on)| *on).map(|(n, _)| *n).collect()
    }

    /// How messages name this import.
    fn describe(&self, n: usize) -> String {
        format!("{CONFIG_FILE}: [[imports]] #{n} ({}, file {:?})", self.preset.name(), self.file)
    }

    /// The id of a row: the prefix, then the export's own id.
    pub fn id(&self, own: &str) -> String {
        format!("{}{own}", self.id_prefix.as_deref().unwrap_or(""))
    }

    /// Whether `labels` hold the configured label `wanted` (any case); `None` when no label is configured.
    pub fn has_label<'a>(wanted: Option<&String>, mut labels: impl Iterator<Item = &'a str>) -> Option<bool> {
        let wanted = wanted?.trim().to_lowercase();
        Some(labels.any(|l| l.trim().to_lowercase() == wanted))
    }
}

/// Checks every `[[imports]]` entry: options that apply to its preset, a
/// quarter and a date format that parse, no file imported twice.
pub fn validate(imports: &[Import]) -> Result<()> {
    let mut files: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, import) in imports.iter().enumerate() {
        let n = i + 1;
        let about = import.describe(n);
        if import.file.trim().is_empty() {
            return Err(Error::Usage(format!("{about}: file is empty; name the export inside the data folder")));
        }
        if let Some(first) = files.insert(import.file.as_str(), n) {
            return Err(Error::Usage(format!("{about}: the file is already imported by [[imports]] #{first}")));
        }
        let allowed = import.preset.options();
        if let Some(wrong) = import.given().into_iter().find(|o| !allowed.contains(o)) {
            let expected = if allowed.is_empty() {
                "it takes no options".to_string()
            } else {
                format!("its options are {}", allowed.join(", "))
            };
            return Err(Error::Usage(format!(
                "{about}: {wrong} does not apply to {}; {expected}",
                import.preset.name()
            )));
        }
        if let Some(q) = &import.quarter {
            if Quarter::parse(q).is_none() {
                return Err(Error::Usage(format!("{about}: quarter {q:?} is not a quarter like 2026-Q3")));
            }
        }
        if let Some(f) = &import.date_format {
            let bad = chrono::format::StrftimeItems::new(f).any(|item| matches!(item, chrono::format::Item::Error));
            if bad || !f.contains('%') {
                return Err(Error::Usage(format!(
                    "{about}: date_format {f:?} is not a chrono format like \"%d.%m.%Y %H:%M\""
                )));
            }
        }
    }
    Ok(())
}

/// A foreign export's bytes and its digest, or an error saying which import names it.
fn read(data_dir: &Path, import: &Import) -> Result<(Vec<u8>, String)> {
    let path = data_dir.join(&import.file);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let sha = crate::ingest::table::hex(&Sha256::digest(&bytes));
            Ok((bytes, sha))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::File {
            file: import.file.clone(),
            message: format!(
                "not found in {}; {CONFIG_FILE} imports it with preset {}",
                data_dir.display(),
                import.preset.name()
            ),
        }),
        Err(e) => Err(Error::io("read", path, e)),
    }
}

/// Key results from the imports with an OKR preset, or `None` when there are none.
pub fn okrs(data_dir: &Path, config: &Config, inputs: &mut Vec<InputFile>) -> Result<Option<Okrs>> {
    let imports: Vec<&Import> = config.imports.iter().filter(|i| i.preset.target().key == OKRS.key).collect();
    let Some(first) = imports.first() else { return Ok(None) };
    if data_dir.join(OKRS.file).exists() {
        return Err(Error::Usage(format!(
            "{} and {} (imported with preset {}) both give key results; keep one of them",
            OKRS.file,
            first.file,
            first.preset.name()
        )));
    }
    let mut stage = Stage::new(&OKRS, config);
    let mut ids = okr::Ids::default();
    for import in imports {
        let (bytes, sha256) = read(data_dir, import)?;
        okr::stage(import, bytes, &mut stage, &mut ids)?;
        inputs.push(InputFile { name: import.file.clone(), rows: stage.rows_of_last(), sha256 });
    }
    let table = stage.table()?;
    let mut okrs = okrs::parse(&table).map_err(|e| stage.remap(e))?;
    let lines: BTreeMap<u64, u64> =
        (0..okrs.krs.len()).filter_map(|i| Some((stage.line_of(i)?, stage.origin(i)?.1.line(i)))).collect();
    for kr in &mut okrs.krs {
        kr.line = lines.get(&kr.line).copied().unwrap_or(kr.line);
    }
    Ok(Some(okrs))
}

/// Adds the pull requests and AI usage of every import to `events`.
pub fn extend_events(data_dir: &Path, config: &Config, events: &mut Events, inputs: &mut Vec<InputFile>) -> Result<()> {
    let mut pr_seen = known_pr_ids(config, events);
    let mut ai_seen = BTreeMap::new();
    for import in &config.imports {
        let target = import.preset.target();
        if target.key == OKRS.key {
            continue;
        }
        let (bytes, sha256) = read(data_dir, import)?;
        let Some(mut stage) = stage_events(import, bytes, config, &events.people)? else { continue };
        let rows = if target.key == PRS.key {
            add_prs(&mut stage, events, &mut pr_seen)?
        } else {
            add_ai_usage(&mut stage, events, &mut ai_seen)?
        };
        inputs.push(InputFile { name: import.file.clone(), rows, sha256 });
    }
    Ok(())
}

/// Where each pull request of prs.csv is, by id, for telling imports apart from it.
fn known_pr_ids(config: &Config, events: &Events) -> BTreeMap<String, String> {
    // Built only when an import adds pull requests: it costs a copy of every id.
    if !config.imports.iter().any(|i| i.preset.target().key == PRS.key) {
        return BTreeMap::new();
    }
    events.prs.iter().map(|p| (p.id.to_string(), format!("{} line {}", PRS.file, p.line))).collect()
}

/// Stages the rows of an events import for our parser; `None` for an OKR import.
fn stage_events(import: &Import, bytes: Vec<u8>, config: &Config, people: &[Person]) -> Result<Option<Stage>> {
    let mut stage = Stage::new(import.preset.target(), config);
    match import.preset {
        Preset::JiraIssuesCsv | Preset::LinearIssuesCsv => issues::stage(import, bytes, people, &mut stage)?,
        Preset::GithubPrsJson => github::stage(import, &bytes, people, &mut stage)?,
        Preset::GithubCopilotUsersJson => copilot::stage(import, &bytes, &mut stage)?,
        Preset::OkrKeyResultsCsv => return Ok(None),
    }
    Ok(Some(stage))
}

/// Parses staged pull requests into `events`, refusing an id some earlier
/// file already gave; returns how many were added.
fn add_prs(stage: &mut Stage, events: &mut Events, pr_seen: &mut BTreeMap<String, String>) -> Result<usize> {
    let table = stage.table()?;
    let mut prs = super::events::prs(&table).map_err(|e| stage.remap(e))?;
    for (i, pr) in prs.iter_mut().enumerate() {
        let Some((file, origin)) = stage.origin(i) else { continue };
        let place = describe_origin(file, origin);
        if let Some(first) = pr_seen.insert(pr.id.to_string(), place.clone()) {
            return Err(Error::Usage(format!(
                "{place}: pull request {} is also in {first}; set id_prefix on the [[imports]] entry to tell repositories apart",
                pr.id
            )));
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

/// "prs.json [3]" or "jira.csv line 7": where a row came from, for messages.
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
            "quarterdeck.toml: [[imports]] #1 (github-copilot-users-json, file \"c.json\"): team does not apply to \
             github-copilot-users-json; it takes no options"
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
