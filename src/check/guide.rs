//! What `check` says beyond validation, for someone bringing their exports
//! for the first time: the files of the folder nothing reads (with what
//! each looks like), and the teams of the event files with no key result.

use crate::config::Config;
use crate::finding::{Finding, FindingKind, Severity};
use crate::ingest::presets::files::{self, files_read};
use crate::ingest::table::fold;
use crate::ingest::{folder, sniff};
use crate::model::{Events, InputFile, MetricPoint};
use crate::schema::{CHECKINS, INITIATIVES};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Extensions of files that hold data: the files `check` names when nothing reads them.
const DATA_EXTENSIONS: &[&str] =
    &["csv", "tsv", "txt", "json", "ndjson", "jsonl", "xlsx", "xls", "xlsm", "ods", "numbers"];

/// Folders of the data folder whose files are not data.
const NOT_DATA: &[&str] = &["templates/"];

/// At most this many teams are named in a message; the count says the rest.
const NAMED_TEAMS: usize = 10;

/// One finding per data file of the folder that no input and no import
/// reads (every file of an import's glob, and DevLake's side files, are
/// read). `with_krs` says whether the folder has key results (check-ins,
/// initiatives and notes need them).
pub fn files_not_read(data_dir: &Path, config: &Config, inputs: &[InputFile], with_krs: bool) -> Vec<Finding> {
    let mut read: BTreeSet<String> = inputs.iter().map(|i| i.name.clone()).collect();
    for import in &config.imports {
        let paths = files_read(data_dir, import).unwrap_or_default();
        read.extend(paths.iter().map(|p| files::name(data_dir, p)));
    }
    let unread = folder::files(data_dir).into_iter().filter(|f| !read.contains(f) && is_data(f));
    unread.map(|file| not_read(data_dir, &file, with_krs)).collect()
}

fn is_data(file: &str) -> bool {
    let ext = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let note = file.starts_with("notes/") && ext == "md";
    !NOT_DATA.iter().any(|p| file.starts_with(p)) && (note || DATA_EXTENSIONS.contains(&ext.as_str()))
}

/// The finding for one file nothing reads: a warning saying why, or what it
/// looks like and how to read it; an info when it looks like nothing known.
fn not_read(data_dir: &Path, file: &str, with_krs: bool) -> Finding {
    let needs_krs = [CHECKINS.file, INITIATIVES.file].contains(&file);
    let message = if needs_krs && !with_krs {
        format!("{file} is not read: it names key results, and the folder has none")
    } else if let Some(stem) = file.strip_prefix("notes/").and_then(|f| f.strip_suffix(".md")) {
        format!("{file} is not read: notes/TEAM.md is read for a team with key results, and no team {stem:?} has any")
    } else if let Some(g) = sniff::sniff(&data_dir.join(file), file) {
        format!("{file} is not read; it looks like {}: {}", g.what, g.advice)
    } else {
        let message =
            format!("{file} is not read: it is none of quarterdeck's files and no [[imports]] entry names it");
        return Finding::org(FindingKind::FileNotRead, message);
    };
    Finding::org(FindingKind::FileNotRead, message).at(Severity::Warning)
}

/// One finding naming the teams of the event files and metrics.csv that own
/// no key result (teams match as okrs.csv's do: case, spaces, `-` and `_`
/// folded); `None` when every team has key results.
pub fn teams_without_key_results<'a>(
    events: &Events,
    metrics: &[MetricPoint],
    kr_teams: impl Iterator<Item = &'a str>,
) -> Option<Finding> {
    let with_krs: BTreeSet<String> = kr_teams.map(fold).collect();
    let sources: [(&str, Vec<&str>); 5] = [
        ("the pull requests", events.prs.iter().map(|p| p.team.as_str()).collect()),
        ("the deployments", events.deployments.iter().map(|d| d.team.as_str()).collect()),
        ("the incidents", events.incidents.iter().map(|i| i.team.as_str()).collect()),
        ("people.csv", events.people.iter().map(|p| p.team.as_str()).collect()),
        ("metrics.csv", metrics.iter().map(|m| m.team.as_str()).collect()),
    ];
    let mut teams: BTreeMap<String, &str> = BTreeMap::new();
    let mut found_in: Vec<&str> = Vec::new();
    for (source, names) in &sources {
        let without: Vec<&str> = names.iter().copied().filter(|t| !with_krs.contains(&fold(t))).collect();
        if !without.is_empty() {
            found_in.push(source);
        }
        for t in without {
            teams.entry(fold(t)).or_insert(t);
        }
    }
    (!teams.is_empty()).then(|| Finding::org(FindingKind::TeamsWithoutKeyResults, teams_message(&teams, &found_in)))
}

/// "3 teams in the pull requests and people.csv have no key results, so no key result reads their signals: a, b, c".
fn teams_message(teams: &BTreeMap<String, &str>, found_in: &[&str]) -> String {
    let n = teams.len();
    let names: Vec<&str> = teams.values().take(NAMED_TEAMS).copied().collect();
    let more = if n > NAMED_TEAMS { format!(" and {} more", n - NAMED_TEAMS) } else { String::new() };
    let (team, have, their) = if n == 1 { ("team", "has", "its") } else { ("teams", "have", "their") };
    let sources = match found_in.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    format!(
        "{n} {team} in {sources} {have} no key results, so no key result reads {their} signals: {}{more}",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teams_are_named_up_to_ten_with_their_sources() {
        let t: Vec<String> = (1..=12).map(|i| format!("team-{i:02}")).collect();
        let teams: BTreeMap<String, &str> = t.iter().map(|t| (fold(t), t.as_str())).collect();
        assert_eq!(
            teams_message(&teams, &["the pull requests", "the deployments", "metrics.csv"]),
            "12 teams in the pull requests, the deployments and metrics.csv have no key results, so no key result reads \
             their signals: team-01, team-02, team-03, team-04, team-05, team-06, team-07, team-08, team-09, team-10 \
             and 2 more"
        );
        let one: BTreeMap<String, &str> = [("web".to_string(), "web")].into();
        assert_eq!(
            teams_message(&one, &["people.csv"]),
            "1 team in people.csv has no key results, so no key result reads its signals: web"
        );
        assert!(is_data("exports/s-2026-01.csv") && is_data("notes/x.md") && is_data("r.XLSX"));
        assert!(!is_data("README.md") && !is_data("templates/index.html") && !is_data("tools/make.py"));
    }
}
