//! `[[imports]]`, `[values.FILE]` and `[columns.FILE]`: how foreign exports
//! map onto our input files. Plain data, checked here against the input
//! schema; the presets in `ingest::presets` read the files.

use super::Problem;
use crate::model::Quarter;
use crate::schema::{FileSpec, AI_USAGE, ALL, OKRS, PRS};
use serde::Deserialize;
use std::collections::BTreeMap;

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
        }
    }

    /// The file of ours its rows become.
    pub fn target(self) -> &'static FileSpec {
        match self {
            Preset::JiraIssuesCsv | Preset::LinearIssuesCsv | Preset::GithubPrsJson => &PRS,
            Preset::GithubCopilotUsersJson => &AI_USAGE,
            Preset::OkrKeyResultsCsv | Preset::OkrOutlineCsv | Preset::OkrTrackerJson => &OKRS,
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
    /// The day the export was taken: the date of the check-in its current
    /// values become, when a row has no update date (default: the due date).
    pub as_of: Option<String>,
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
            ("as_of", self.as_of.is_some()),
        ];
        set.iter().filter(|(_, on)| *on).map(|(n, _)| *n).collect()
    }

    /// How messages name this import.
    fn describe(&self, n: usize) -> String {
        format!("[[imports]] #{n} ({}, file {:?})", self.preset.name(), self.file)
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
pub fn validate_imports(imports: &[Import]) -> Result<(), Problem> {
    let mut files: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, import) in imports.iter().enumerate() {
        let n = i + 1;
        let about = import.describe(n);
        let at = |key: &str, message: String| Problem::at(&["imports", &i.to_string(), key], message);
        if import.file.trim().is_empty() {
            return Err(at("file", format!("{about}: file is empty; name the export inside the data folder")));
        }
        if let Some(first) = files.insert(import.file.as_str(), n) {
            return Err(at("file", format!("{about}: the file is already imported by [[imports]] #{first}")));
        }
        let allowed = import.preset.options();
        if let Some(wrong) = import.given().into_iter().find(|o| !allowed.contains(o)) {
            let expected = if allowed.is_empty() {
                "it takes no options".to_string()
            } else {
                format!("its options are {}", allowed.join(", "))
            };
            return Err(at(wrong, format!("{about}: {wrong} does not apply to {}; {expected}", import.preset.name())));
        }
        if let Some(q) = import.quarter.as_ref().filter(|q| Quarter::parse(q).is_none()) {
            return Err(at("quarter", format!("{about}: quarter {q:?} is not a quarter like 2026-Q3")));
        }
        if let Some(d) = import.as_of.as_ref().filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()) {
            return Err(at("as_of", format!("{about}: as_of {d:?} is not a date like 2026-08-14")));
        }
        if let Some(f) = import.date_format.as_ref().filter(|f| !is_chrono_format(f)) {
            return Err(at(
                "date_format",
                format!("{about}: date_format {f:?} is not a chrono format like \"%d.%m.%Y %H:%M\""),
            ));
        }
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
    if let Some((n, import)) = imports.iter().enumerate().find(|(_, i)| i.preset.target().key == OKRS.key) {
        if columns.contains_key(OKRS.key) {
            return Err(Problem::at(
                &["columns", OKRS.key],
                format!(
                    "[columns.okrs] renames the headers of okrs.csv, but key results come from {}, which finds \
                     the export's columns by the names OKR tools use: remove [columns.okrs] (an export header \
                     it does not know is an error that lists the names it looks for; set team_column for the \
                     team, and map words with [values.okrs])",
                    import.describe(n + 1)
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
