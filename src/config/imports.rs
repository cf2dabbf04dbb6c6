//! `[[imports]]`, `[values.FILE]` and `[columns.FILE]`: how foreign exports
//! map onto our input files. Plain data, checked here against the input
//! schema; the presets in `ingest::presets` read the files.

use super::template::Template;
use super::Problem;
use crate::model::Quarter;
use crate::schema::{FileSpec, AI_USAGE, ALL, DEPLOYMENTS, INCIDENTS, OKRS, PRS};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Component, Path};

/// One file's maps: our column → their word → our word.
pub type FileWords = BTreeMap<String, BTreeMap<String, String>>;

/// What `[values.FILE]` matches a cell against: trimmed, in lower case.
pub fn fold_word(word: &str) -> String {
    word.trim().to_lowercase()
}

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
    /// An OKR tool's long layout: objectives and key results as rows linked
    /// by a parent column → okrs rows, and a check-in of each current value.
    OkrOutlineCsv,
    /// Oslo kommune's okr-tracker documents (periods, objectives, key results
    /// with their progress) → okrs rows and check-ins.
    OkrTrackerJson,
    /// Any CSV export, its columns mapped by `[imports.columns]` → rows of the file `into` names.
    Csv,
    /// Apache DevLake's `pull_requests` table → prs rows.
    DevlakePullRequestsCsv,
    /// Apache DevLake's `cicd_deployments` table → deployments rows.
    DevlakeDeploymentsCsv,
    /// Apache DevLake's `incidents` table → incidents rows.
    DevlakeIncidentsCsv,
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
            Preset::OkrOutlineCsv => "okr-outline-csv",
            Preset::OkrTrackerJson => "okr-tracker-json",
            Preset::Csv => "csv",
            Preset::DevlakePullRequestsCsv => "devlake-pull-requests-csv",
            Preset::DevlakeDeploymentsCsv => "devlake-deployments-csv",
            Preset::DevlakeIncidentsCsv => "devlake-incidents-csv",
        }
    }

    /// The file of ours its rows become; `None` for `csv`, whose `into` says.
    pub fn target(self) -> Option<&'static FileSpec> {
        match self {
            Preset::JiraIssuesCsv | Preset::LinearIssuesCsv | Preset::GithubPrsJson => Some(&PRS),
            Preset::DevlakePullRequestsCsv => Some(&PRS),
            Preset::DevlakeDeploymentsCsv => Some(&DEPLOYMENTS),
            Preset::DevlakeIncidentsCsv => Some(&INCIDENTS),
            Preset::GithubCopilotUsersJson => Some(&AI_USAGE),
            Preset::OkrKeyResultsCsv | Preset::OkrOutlineCsv | Preset::OkrTrackerJson => Some(&OKRS),
            Preset::Csv => None,
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
            Preset::OkrOutlineCsv => &["team", "team_column", "quarter", "date_format", "as_of"],
            Preset::OkrTrackerJson => &["team", "quarter"],
            Preset::Csv => &["into", "columns", "keep", "team", "date_format"],
            Preset::DevlakePullRequestsCsv => &["team", "team_column", "mapping_file", "reviews_file"],
            Preset::DevlakeDeploymentsCsv => {
                &["team", "team_column", "mapping_file", "environments", "commits_file", "pr_metrics_file"]
            }
            Preset::DevlakeIncidentsCsv => &["team", "team_column", "mapping_file", "relationships_file"],
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
    /// csv: the file of ours the rows become (`prs`, `deployments`, `okrs` …).
    pub into: Option<String>,
    /// csv: our column → the export's column, or a template like `"{repository}#{number}"`.
    pub columns: Option<BTreeMap<String, String>>,
    /// csv: export column → the values a row must hold there to be read (any case).
    pub keep: Option<BTreeMap<String, Vec<String>>>,
    /// DevLake: `project_mapping`, whose project names become teams.
    pub mapping_file: Option<String>,
    /// DevLake pull requests: `pull_request_comments`, or GitHub's `_tool_github_pull_request_reviews`.
    pub reviews_file: Option<String>,
    /// DevLake deployments: the environments read (default `["PRODUCTION"]`, any case).
    pub environments: Option<Vec<String>>,
    /// DevLake deployments: `cicd_deployment_commits`, for the pull requests each deployment shipped.
    pub commits_file: Option<String>,
    /// DevLake deployments: `project_pr_metrics`, DevLake's own link of a pull request to its deployment.
    pub pr_metrics_file: Option<String>,
    /// DevLake incidents: `project_incident_deployment_relationships`, the deployment that caused each.
    pub relationships_file: Option<String>,
    /// The day the export was taken: the date of the check-in its current
    /// values become, when a row has no update date (default: the due date).
    pub as_of: Option<String>,
    /// Its position among the `[[imports]]` entries, from 0, for messages at its line.
    #[serde(skip)]
    pub index: usize,
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
            ("into", self.into.is_some()),
            ("columns", self.columns.is_some()),
            ("keep", self.keep.is_some()),
            ("mapping_file", self.mapping_file.is_some()),
            ("reviews_file", self.reviews_file.is_some()),
            ("environments", self.environments.is_some()),
            ("commits_file", self.commits_file.is_some()),
            ("pr_metrics_file", self.pr_metrics_file.is_some()),
            ("relationships_file", self.relationships_file.is_some()),
            ("as_of", self.as_of.is_some()),
        ];
        set.iter().filter(|(_, on)| *on).map(|(n, _)| *n).collect()
    }

    /// How messages name this import.
    pub fn describe(&self) -> String {
        format!("[[imports]] #{} ({}, file {:?})", self.index + 1, self.preset.name(), self.file)
    }

    /// Whether `file` is a glob (`exports/submissions-*.csv`) rather than one file.
    pub fn is_pattern(&self) -> bool {
        self.file.contains(['*', '?', '['])
    }

    /// A problem with key `key` of this import (`["columns", "pr_id"]`), found at its line.
    pub fn problem(&self, key: &[&str], message: impl Into<String>) -> Problem {
        let index = self.index.to_string();
        let path: Vec<&str> = ["imports", index.as_str()].into_iter().chain(key.iter().copied()).collect();
        Problem::at(&path, message)
    }

    /// The file of ours its rows become.
    pub fn target(&self) -> &'static FileSpec {
        let into = self.into.as_deref().and_then(|key| ALL.iter().find(|f| f.key == key));
        // `into` is checked when the configuration is read; prs.csv is never reached
        self.preset.target().or(into).unwrap_or(&PRS)
    }

    /// The other files it reads beside `file` (DevLake's mapping, reviews, commits …), by option name.
    pub fn side_files(&self) -> Vec<(&'static str, &str)> {
        let files = [
            ("mapping_file", &self.mapping_file),
            ("reviews_file", &self.reviews_file),
            ("commits_file", &self.commits_file),
            ("pr_metrics_file", &self.pr_metrics_file),
            ("relationships_file", &self.relationships_file),
        ];
        files.into_iter().filter_map(|(key, f)| Some((key, f.as_deref()?))).collect()
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
/// quarter and a date format that parse, the maps of a `csv` import, the
/// files of a DevLake import, no file imported twice.
pub fn validate_imports(imports: &[Import]) -> Result<(), Problem> {
    let mut files: BTreeMap<&str, usize> = BTreeMap::new();
    for import in imports {
        let about = import.describe();
        if import.file.trim().is_empty() {
            return Err(
                import.problem(&["file"], format!("{about}: file is empty; name the export inside the data folder"))
            );
        }
        if let Some(first) = files.insert(import.file.as_str(), import.index + 1) {
            return Err(
                import.problem(&["file"], format!("{about}: the file is already imported by [[imports]] #{first}"))
            );
        }
        check_pattern(import)?;
        check_options(import)?;
        check_formats(import)?;
        check_generic(import)?;
        check_devlake(import, imports)?;
    }
    Ok(())
}

/// `file` as a glob: a pattern that parses and stays inside the data folder.
fn check_pattern(import: &Import) -> Result<(), Problem> {
    if !import.is_pattern() {
        return Ok(());
    }
    let about = import.describe();
    if let Err(e) = glob::Pattern::new(&import.file) {
        let message = format!("{about}: the pattern is not a glob: {} (character {})", e.msg, e.pos + 1);
        return Err(import.problem(&["file"], message));
    }
    let inside = Path::new(&import.file).components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside {
        let message =
            format!("{about}: the pattern leads outside the data folder; inputs are read only from inside it");
        return Err(import.problem(&["file"], message));
    }
    Ok(())
}

/// Fails on an option that means nothing to the import's preset.
fn check_options(import: &Import) -> Result<(), Problem> {
    let allowed = import.preset.options();
    let Some(wrong) = import.given().into_iter().find(|o| !allowed.contains(o)) else { return Ok(()) };
    let expected = if allowed.is_empty() {
        "it takes no options".to_string()
    } else {
        format!("its options are {}", allowed.join(", "))
    };
    let (about, name) = (import.describe(), import.preset.name());
    Err(import.problem(&[wrong], format!("{about}: {wrong} does not apply to {name}; {expected}")))
}

/// Fails on a quarter or a date format that does not parse.
fn check_formats(import: &Import) -> Result<(), Problem> {
    let about = import.describe();
    if let Some(q) = import.quarter.as_ref().filter(|q| Quarter::parse(q).is_none()) {
        return Err(import.problem(&["quarter"], format!("{about}: quarter {q:?} is not a quarter like 2026-Q3")));
    }
    if let Some(d) = import.as_of.as_ref().filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()) {
        return Err(import.problem(&["as_of"], format!("{about}: as_of {d:?} is not a date like 2026-08-14")));
    }
    if let Some(f) = import.date_format.as_ref().filter(|f| !is_chrono_format(f)) {
        let message = format!("{about}: date_format {f:?} is not a chrono format like \"%d.%m.%Y %H:%M\"");
        return Err(import.problem(&["date_format"], message));
    }
    Ok(())
}

/// The maps of a `csv` import: a known file in `into`, its columns on the
/// left of `[imports.columns]` and templates that parse on the right, and
/// `[imports.keep]` lists that keep something.
fn check_generic(import: &Import) -> Result<(), Problem> {
    if import.preset != Preset::Csv {
        return Ok(());
    }
    let about = import.describe();
    let keys: Vec<&str> = ALL.iter().map(|f| f.key).collect();
    let Some(into) = &import.into else {
        let message =
            format!("{about}: preset csv needs into = \"…\", the file its rows become: one of {}", keys.join(", "));
        return Err(import.problem(&[], message));
    };
    let Some(spec) = ALL.iter().find(|f| f.key == into.as_str()) else {
        return Err(import.problem(
            &["into"],
            format!("{about}: into {into:?} names no input file; expected one of {}", keys.join(", ")),
        ));
    };
    for (ours, value) in import.columns.iter().flatten() {
        if !spec.columns.iter().any(|c| c.name == ours.as_str()) {
            let message = format!(
                "{about}: [imports.columns] maps onto {ours:?}, which is not a column of {}; expected one of {}",
                spec.file,
                column_names(spec)
            );
            return Err(import.problem(&["columns", ours], message));
        }
        if let Err(e) = Template::parse(value) {
            return Err(
                import.problem(&["columns", ours], format!("{about}: [imports.columns] {ours} = {value:?} {e}"))
            );
        }
        if ours == "team" && import.team.is_some() {
            return Err(import.problem(&["team"], format!("{about}: give team or [imports.columns] team, not both")));
        }
    }
    check_keep(import, &about)
}

/// `[imports.keep]`: named columns, each with at least one value.
fn check_keep(import: &Import, about: &str) -> Result<(), Problem> {
    for (column, values) in import.keep.iter().flatten() {
        if column.trim().is_empty() {
            return Err(import.problem(&["keep"], format!("{about}: [imports.keep] names an empty column")));
        }
        if values.is_empty() {
            let message = format!(
                "{about}: [imports.keep] {column} = [] keeps no row; list the values to keep, or leave the line out"
            );
            return Err(import.problem(&["keep", column], message));
        }
    }
    Ok(())
}

/// The files and environments of a DevLake import; `commits_file` needs the
/// pull requests' merge commits, so a `devlake-pull-requests-csv` import.
fn check_devlake(import: &Import, imports: &[Import]) -> Result<(), Problem> {
    let about = import.describe();
    if let Some((key, _)) = import.side_files().into_iter().find(|(_, f)| f.trim().is_empty()) {
        return Err(import.problem(&[key], format!("{about}: {key} is empty; name a file inside the data folder")));
    }
    if import.environments.as_ref().is_some_and(|e| e.iter().all(|e| e.trim().is_empty())) {
        let message = format!("{about}: environments lists none; name the environments to read, like [\"PRODUCTION\"]");
        return Err(import.problem(&["environments"], message));
    }
    let has_prs = imports.iter().any(|i| i.preset == Preset::DevlakePullRequestsCsv);
    if import.commits_file.is_some() && import.pr_metrics_file.is_none() && !has_prs {
        let message = format!(
            "{about}: commits_file links deployments to pull requests through their merge commits, which the \
             pull_requests table has: import it with preset devlake-pull-requests-csv, or give pr_metrics_file"
        );
        return Err(import.problem(&["commits_file"], message));
    }
    if import.pr_metrics_file.is_some() && import.commits_file.is_none() {
        let message = format!("{about}: pr_metrics_file names deployment commits, which commits_file (cicd_deployment_commits) turns into deployments; give both");
        return Err(import.problem(&["pr_metrics_file"], message));
    }
    Ok(())
}

fn is_chrono_format(f: &str) -> bool {
    let bad = chrono::format::StrftimeItems::new(f).any(|item| matches!(item, chrono::format::Item::Error));
    !bad && f.contains('%')
}

/// Checks every `[values.FILE]` table: a known file, known columns, and no
/// two words of one column that differ only in case or surrounding spaces.
pub fn validate_values(values: &BTreeMap<String, FileWords>) -> Result<(), Problem> {
    for (key, columns) in values {
        let spec = known_file(key, "values")?;
        for (column, words) in columns {
            let at = |message: String| Problem::at(&["values", key, column], message);
            if !spec.columns.iter().any(|c| c.name == column.as_str()) {
                return Err(at(format!(
                    "[values.{key}] maps words of {column:?}, which is not a column of {}; expected one of {}",
                    spec.file,
                    column_names(spec)
                )));
            }
            let mut seen: BTreeMap<String, &str> = BTreeMap::new();
            for theirs in words.keys() {
                let folded = fold_word(theirs);
                if folded.is_empty() {
                    return Err(at(format!(
                        "[values.{key}] {column}: an empty word cannot be mapped; an empty cell is always read as empty"
                    )));
                }
                if let Some(first) = seen.insert(folded, theirs) {
                    return Err(at(format!(
                        "[values.{key}] {column}: {first:?} and {theirs:?} are the same word \
                         (words match ignoring case and surrounding spaces); keep one"
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Checks every `[columns.FILE]` table: a known file, our column names on
/// the left, and no `[columns.okrs]` beside an OKR import (key results then
/// come from the import alone, which finds its columns by the export's names).
pub fn validate_columns(
    columns: &BTreeMap<String, BTreeMap<String, String>>,
    imports: &[Import],
) -> Result<(), Problem> {
    // a csv import into okrs reads [columns.okrs] like okrs.csv: only the OKR presets find their own columns
    let okr_preset = |i: &&Import| i.preset.target().is_some_and(|t| t.key == OKRS.key);
    if let Some(import) = imports.iter().find(okr_preset) {
        if columns.contains_key(OKRS.key) {
            return Err(Problem::at(
                &["columns", OKRS.key],
                format!(
                    "[columns.okrs] renames the headers of okrs.csv, but key results come from {}, which finds \
                     the export's columns by the names OKR tools use: remove [columns.okrs] (an export header \
                     it does not know is an error that lists the names it looks for; set team_column for the \
                     team, and map words with [values.okrs])",
                    import.describe()
                ),
            ));
        }
    }
    for (key, aliases) in columns {
        let spec = known_file(key, "columns")?;
        if let Some(ours) = aliases.keys().find(|c| !spec.columns.iter().any(|s| s.name == c.as_str())) {
            return Err(Problem::at(
                &["columns", key, ours],
                format!(
                    "[columns.{key}] maps onto {ours:?}, which is not a column of {}; expected one of {}",
                    spec.file,
                    column_names(spec)
                ),
            ));
        }
    }
    Ok(())
}

/// The input file a `[TABLE.KEY]` names.
fn known_file(key: &str, table: &str) -> Result<&'static FileSpec, Problem> {
    ALL.iter().find(|f| f.key == key).ok_or_else(|| {
        let keys: Vec<&str> = ALL.iter().map(|f| f.key).collect();
        Problem::at(&[table, key], format!("[{table}.{key}] names no input file; expected one of {}", keys.join(", ")))
    })
}

fn column_names(spec: &FileSpec) -> String {
    spec.columns.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// The error of a configuration of one `[[imports]]` entry, given its lines after `preset`.
    fn import_error(preset: &str, rest: &str) -> String {
        let text = format!("[[imports]]\npreset = \"{preset}\"\nfile = \"x/*.csv\"\n{rest}");
        Config::parse(&text).err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_csv_import_names_its_file_and_maps_real_columns() {
        let at = "quarterdeck.toml line";
        let about = "[[imports]] #1 (csv, file \"x/*.csv\")";
        assert_eq!(
            import_error("csv", ""),
            format!(
                "{at} 1: {about}: preset csv needs into = \"…\", the file its rows become: one of okrs, checkins, \
                 metrics, health, initiatives, prs, deployments, incidents, ai_usage, people"
            )
        );
        assert!(import_error("csv", "into = \"pr\"\n")
            .starts_with(&format!("{at} 4: {about}: into \"pr\" names no input file")));
        let e = import_error("csv", "into = \"prs\"\n[imports.columns]\nopened = \"created_at\"\n");
        assert!(e.starts_with(&format!("{at} 6: {about}: [imports.columns] maps onto \"opened\", which is not a column of prs.csv; expected one of pr_id, team")), "{e}");
        let e = import_error("csv", "into = \"prs\"\n[imports.columns]\npr_id = \"{repository#{number}\"\n");
        assert_eq!(e, format!("{at} 6: {about}: [imports.columns] pr_id = \"{{repository#{{number}}\" has \"{{repository#{{number}}\", which names no column"));
        let e = import_error("csv", "into = \"prs\"\nteam = \"core\"\n[imports.columns]\nteam = \"repository\"\n");
        assert_eq!(e, format!("{at} 5: {about}: give team or [imports.columns] team, not both"));
        let e = import_error("csv", "into = \"prs\"\n[imports.keep]\nstate = []\n");
        assert_eq!(e, format!("{at} 6: {about}: [imports.keep] state = [] keeps no row; list the values to keep, or leave the line out"));
        let e = import_error("csv", "into = \"prs\"\nenvironments = [\"PRODUCTION\"]\n");
        assert!(
            e.contains("environments does not apply to csv; its options are into, columns, keep, team, date_format"),
            "{e}"
        );
    }

    #[test]
    fn a_glob_parses_and_stays_in_the_data_folder() {
        let text = "[[imports]]\npreset = \"csv\"\ninto = \"prs\"\nfile = \"exports/[a-.csv\"\n";
        let e = Config::parse(text).unwrap_err().to_string();
        assert!(
            e.starts_with(
                "quarterdeck.toml line 4: [[imports]] #1 (csv, file \"exports/[a-.csv\"): the pattern is not a glob:"
            ),
            "{e}"
        );
        for file in ["../exports/*.csv", "/tmp/*.csv", "a/../../*.csv"] {
            let text = format!("[[imports]]\npreset = \"csv\"\ninto = \"prs\"\nfile = \"{file}\"\n");
            let e = Config::parse(&text).unwrap_err().to_string();
            assert!(
                e.ends_with("the pattern leads outside the data folder; inputs are read only from inside it"),
                "{e}"
            );
        }
        assert!(Config::parse("[[imports]]\npreset = \"csv\"\ninto = \"prs\"\nfile = \"./exports/*-0?.csv\"\n").is_ok());
    }

    #[test]
    fn devlake_imports_name_the_files_their_links_need() {
        let about = "[[imports]] #1 (devlake-deployments-csv, file \"x/*.csv\")";
        let e = import_error("devlake-deployments-csv", "commits_file = \"c.csv\"\n");
        assert!(e.starts_with(&format!("quarterdeck.toml line 4: {about}: commits_file links deployments to pull requests through their merge commits")), "{e}");
        let e = import_error("devlake-deployments-csv", "pr_metrics_file = \"m.csv\"\n");
        assert!(e.contains("pr_metrics_file names deployment commits, which commits_file (cicd_deployment_commits) turns into deployments; give both"), "{e}");
        let e = import_error("devlake-deployments-csv", "environments = [\" \"]\n");
        assert!(e.contains("environments lists none"), "{e}");
        let e = import_error("devlake-incidents-csv", "mapping_file = \"\"\n");
        assert!(e.ends_with("mapping_file is empty; name a file inside the data folder"), "{e}");
        let e = import_error("devlake-incidents-csv", "reviews_file = \"r.csv\"\n");
        assert!(e.contains("reviews_file does not apply to devlake-incidents-csv; its options are team, team_column, mapping_file, relationships_file"), "{e}");
        let with_prs = "[[imports]]\npreset = \"devlake-pull-requests-csv\"\nfile = \"p.csv\"\n\
                        [[imports]]\npreset = \"devlake-deployments-csv\"\nfile = \"d.csv\"\ncommits_file = \"c.csv\"\n";
        assert!(Config::parse(with_prs).is_ok());
    }

    fn words(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn rejects_unknown_files_columns_and_twin_words() {
        let check = |key: &str, column: &str, pairs: &[(&str, &str)]| {
            let mut file = FileWords::new();
            file.insert(column.into(), words(pairs));
            validate_values(&BTreeMap::from([(key.to_string(), file)])).err().map(|p| p.to_string())
        };
        assert_eq!(check("initiatives", "status", &[("Done", "done"), ("In Progress", "doing")]), None);
        let e = check("initiative", "status", &[("Done", "done")]).unwrap();
        assert!(e.starts_with("[values.initiative] names no input file; expected one of okrs"), "{e}");
        let e = check("initiatives", "state", &[("Done", "done")]).unwrap();
        assert!(
            e.contains("\"state\", which is not a column of initiatives.csv; expected one of initiative, kr_id"),
            "{e}"
        );
        let e = check("checkins", "confidence", &[("On Track", "on track"), ("on track ", "on track")]).unwrap();
        assert!(e.contains("are the same word"), "{e}");
    }

    #[test]
    fn columns_of_okrs_beside_an_okr_import_are_an_error_at_their_line() {
        let import = "[[imports]]\npreset = \"okr-key-results-csv\"\nfile = \"krs.csv\"\n";
        let e = crate::config::Config::parse(&format!("{import}[columns.okrs]\nkr_id = \"KR Number\"\n"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "quarterdeck.toml line 4: [columns.okrs] renames the headers of okrs.csv, but key results come from \
             [[imports]] #1 (okr-key-results-csv, file \"krs.csv\"), which finds the export's columns by the names \
             OKR tools use: remove [columns.okrs] (an export header it does not know is an error that lists the \
             names it looks for; set team_column for the team, and map words with [values.okrs])"
        );
        // other files' maps still apply: checkins.csv may sit beside the import
        assert!(crate::config::Config::parse(&format!("{import}[columns.checkins]\nkr_id = \"KR\"\n")).is_ok());
    }
}
