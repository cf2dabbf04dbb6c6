//! `quarterdeck.toml`: organisation name, thresholds, metric metadata, column maps.

pub mod imports;
mod sections;
mod teams;
pub mod template;
mod time;

use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub use sections::{
    AiCohort, CohortComparison, Dora, Grades, Hygiene, MetricMeta, Privacy, Thresholds, AI_COHORT, DORA_CLASSES,
    PERSON_METRICS,
};
pub use teams::{name_words, TeamMeta};
pub use time::{Pace, Time};

/// The file name looked for in the data folder.
pub const CONFIG_FILE: &str = "quarterdeck.toml";

/// The whole configuration; every field has a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The organisation's name, shown on every page.
    pub org: String,
    pub grades: Grades,
    pub thresholds: Thresholds,
    /// Cut points of the DORA performance classes.
    pub dora: Dora,
    /// Limits of the OKR hygiene lint.
    pub hygiene: Hygiene,
    /// Pace thresholds and the quarter's last days (SPEC §6).
    pub time: Time,
    /// Small cohorts are suppressed everywhere.
    pub privacy: Privacy,
    /// How `ai_cohort` is derived from ai_usage.csv.
    pub ai_cohort: AiCohort,
    /// Cohort comparisons; empty = the defaults when AI usage is present.
    pub cohorts: Vec<CohortComparison>,
    /// Metric name → label, unit, direction, layer and band.
    pub metrics: BTreeMap<String, MetricMeta>,
    /// Team id → its display name and aliases (`[teams.TEAM]`).
    pub teams: BTreeMap<String, TeamMeta>,
    /// File stem (`okrs`, `checkins` …) → our column → the header in the file.
    pub columns: BTreeMap<String, BTreeMap<String, String>>,
    /// File stem → our column → the file's word → ours (`[values.checkins]`).
    pub values: BTreeMap<String, imports::FileWords>,
    /// Foreign exports read through a built-in preset (`[[imports]]`).
    pub imports: Vec<imports::Import>,
    /// The file's text, to find the line of a key that the data shows wrong.
    #[serde(skip)]
    text: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            org: "Engineering".to_string(),
            grades: Grades::default(),
            thresholds: Thresholds::default(),
            dora: Dora::default(),
            hygiene: Hygiene::default(),
            time: Time::default(),
            privacy: Privacy::default(),
            ai_cohort: AiCohort::default(),
            cohorts: Vec::new(),
            metrics: BTreeMap::new(),
            teams: BTreeMap::new(),
            columns: BTreeMap::new(),
            values: BTreeMap::new(),
            imports: Vec::new(),
            text: String::new(),
        }
    }
}

/// Scores are sums and ratios of decimals: a threshold comparison allows this
/// much floating-point rounding, so 0.39999999999999997 is not below 0.4.
pub const EPSILON: f64 = 1e-9;

/// Whether `x` is below `threshold` by more than rounding.
pub fn below(x: f64, threshold: f64) -> bool {
    x < threshold - EPSILON
}

/// Whether `x` is above `threshold` by more than rounding.
pub fn above(x: f64, threshold: f64) -> bool {
    x > threshold + EPSILON
}

impl Config {
    /// Reads `DATA_DIR/quarterdeck.toml`, or the defaults when there is none.
    pub fn load(data_dir: &Path) -> Result<Config> {
        if !data_dir.is_dir() {
            let what = if data_dir.exists() { "is not a folder" } else { "does not exist" };
            return Err(Error::Usage(format!("data folder {} {what}", data_dir.display())));
        }
        let path = data_dir.join(CONFIG_FILE);
        crate::outputs::check_input(data_dir, &path, CONFIG_FILE)?;
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Err(Error::File { file: CONFIG_FILE.into(), message: "is not UTF-8 text".into() })
            }
            Err(e) => return Err(Error::io("read", path, e)),
        };
        Config::parse(&text)
    }

    /// Parses and checks the text of a configuration file.
    pub fn parse(text: &str) -> Result<Config> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_at(text, s.start));
            Error::Config {
                file: CONFIG_FILE.into(),
                line,
                message: e.message().to_string(),
                source: Some(Box::new(e)),
            }
        })?;
        for (i, import) in config.imports.iter_mut().enumerate() {
            import.index = i;
        }
        config.check().map_err(|p| p.into_error(text))?;
        if !config.dora.is_default() {
            config.dora.source = "the cut points set in quarterdeck.toml [dora]";
        }
        config.text = text.to_string();
        Ok(config)
    }

    /// Every check of the file on its own; cross-references to the data are ingest's.
    fn check(&self) -> Result<(), Problem> {
        self.grades.check()?;
        self.time.check()?;
        imports::validate_values(&self.values)?;
        imports::validate_imports(&self.imports)?;
        imports::validate_columns(&self.columns, &self.imports)?;
        sections::check(self)
    }

    /// The error for a value that the data shows wrong (a cohort dimension
    /// people.csv lacks, say), at the line of its key.
    pub fn error_at(&self, problem: Problem) -> Error {
        problem.into_error(&self.text)
    }

    /// The display name of a team: its `[teams.TEAM] name`, or its id.
    pub fn team_name<'a>(&'a self, team: &'a str) -> &'a str {
        self.teams.get(team).and_then(|t| t.name.as_deref()).unwrap_or(team)
    }

    /// The group of a team (`[teams.TEAM] group`, SPEC §8), if it has one.
    pub fn team_group(&self, team: &str) -> Option<&str> {
        self.teams.get(team).and_then(TeamMeta::group)
    }

    /// The display label of a metric: its configured label or its name.
    pub fn metric_label<'a>(&'a self, name: &'a str) -> &'a str {
        self.metrics.get(name).and_then(|m| m.label.as_deref()).unwrap_or(name)
    }
}

/// A value of the file that fails its check: the key path it is at
/// (`["thresholds", "drift"]`, `["imports", "0"]`) and what is wrong.
#[derive(Debug)]
pub struct Problem {
    path: Vec<String>,
    message: String,
}

impl Problem {
    /// A problem at a key path; an array of tables is indexed from 0.
    pub fn at(path: &[&str], message: impl Into<String>) -> Problem {
        Problem { path: path.iter().map(|p| p.to_string()).collect(), message: message.into() }
    }

    /// The error, with the line of the deepest key of the path the file has.
    fn into_error(self, text: &str) -> Error {
        Error::Config { file: CONFIG_FILE.into(), line: line_of(text, &self.path), message: self.message, source: None }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The 1-based line of a key path in the file, as far as the file spells it.
fn line_of(text: &str, path: &[String]) -> Option<u64> {
    let doc = toml_edit::ImDocument::parse(text).ok()?;
    let mut item = doc.as_item();
    let mut span = None;
    for key in path {
        let next = match key.parse::<usize>() {
            Ok(i) => item.get(i),
            Err(_) => item.get(key.as_str()),
        };
        let Some(next) = next else { break };
        item = next;
        span = item.span().or(span);
    }
    span.map(|s| line_at(text, s.start))
}

fn line_at(text: &str, offset: usize) -> u64 {
    text[..offset.min(text.len())].matches('\n').count() as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Band, Direction, Grade};

    #[test]
    fn parses_a_full_config() {
        let c = Config::parse(
            "org = \"Acme\"\n[grades]\nred_below = 0.3\n[metrics.p95]\nlabel = \"P95\"\ndirection = \"decrease\"\nband_low = 1\nband_high = 2\n[columns.okrs]\nkr_id = \"Key Result ID\"\n",
        )
        .unwrap();
        assert_eq!(c.org, "Acme");
        assert_eq!(c.grades.red_below, 0.3);
        assert_eq!(c.grades.green_from, 0.7);
        assert_eq!(c.metrics["p95"].direction, Some(Direction::Decrease));
        assert_eq!(c.metrics["p95"].band(), Some(Band { low: 1.0, high: 2.0 }));
        assert_eq!(c.columns["okrs"]["kr_id"], "Key Result ID");
    }

    #[test]
    fn unknown_keys_are_errors_with_a_line() {
        let e = Config::parse("org = \"A\"\n\n[grades]\nredd = 1\n").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("quarterdeck.toml line 4"), "{msg}");
        assert!(msg.contains("redd"), "{msg}");
    }

    #[test]
    fn a_value_out_of_range_names_the_line_of_its_key() {
        let text = "org = \"A\"\n\n[thresholds]\nstale_days = 14\ndrift = 20\n";
        let e = Config::parse(text).unwrap_err().to_string();
        assert_eq!(e, "quarterdeck.toml line 5: [thresholds] drift must be between 0 and 10, found 20");
        let text = "[metrics.p95]\nlabel = \"P95\"\nband_low = 3\nband_high = 2\n";
        let e = Config::parse(text).unwrap_err().to_string();
        assert_eq!(e, "quarterdeck.toml line 3: [metrics.p95] band_low 3 is above band_high 2");
        // a table that fails as a whole points at its header
        let e = Config::parse("[grades]\nred_below = 0.8\ngreen_from = 0.7\n").unwrap_err().to_string();
        assert!(e.starts_with("quarterdeck.toml line 1: [grades] needs"), "{e}");
    }

    #[test]
    fn a_file_that_does_not_parse_keeps_toml_s_error_as_its_source() {
        let e = Config::parse("org = \"A\"\n[grades\n").unwrap_err();
        assert!(e.to_string().starts_with("quarterdeck.toml line 2"), "{e}");
        let source = std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_default();
        assert!(source.contains("[grades"), "{source}");
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn the_seventy_percent_signals_are_thresholds() {
        let c = Config::parse("[thresholds]\nmin_aspirational_krs = 2\ntoo_safe_from = 0.9\noverreach_below = 0.2\n")
            .unwrap();
        assert_eq!((c.thresholds.min_aspirational_krs, c.thresholds.too_safe_from), (2, 0.9));
        assert_eq!(c.thresholds.overreach_below, 0.2);
        let e = Config::parse("[thresholds]\nmin_aspirational_krs = 0\n").unwrap_err().to_string();
        assert_eq!(e, "quarterdeck.toml line 2: [thresholds] min_aspirational_krs must be 1 or more, found 0");
    }

    #[test]
    fn teams_have_a_display_name_and_aliases_no_two_teams_share() {
        let c = Config::parse("[teams.platform]\nname = \"Platform Engineering\"\naliases = [\"SRE\", \"infra\"]\n")
            .unwrap();
        assert_eq!(c.team_name("platform"), "Platform Engineering");
        assert_eq!(c.team_name("payments"), "payments");
        assert_eq!(c.teams["platform"].aliases, ["SRE", "infra"]);
        assert_eq!(name_words("Data-Platform  team_2"), ["data", "platform", "team", "2"]);
        let text = "[teams.platform]\naliases = [\"SRE\"]\n\n[teams.payments]\naliases = [\"--\"]\n";
        let e = Config::parse(text).unwrap_err().to_string();
        assert_eq!(
            e,
            "quarterdeck.toml line 5: [teams.payments] aliases needs a letter or a digit to be found in a text, found \"--\""
        );
        // the same words, spelt another way, name two teams
        let text =
            "[teams.platform]\naliases = [\"site reliability\"]\n[teams.payments]\nname = \"Site-Reliability\"\n";
        let e = Config::parse(text).unwrap_err().to_string();
        assert_eq!(
            e,
            "quarterdeck.toml line 2: [teams.platform] aliases \"site reliability\" also names team payments: give each \
             team its own names"
        );
        let e = Config::parse("[teams.platform]\ncolour = \"x\"\n").unwrap_err().to_string();
        assert!(e.starts_with("quarterdeck.toml line 2"), "{e}");
        // a group (SPEC §8), trimmed; one without a letter or digit is an error at its line
        let c = Config::parse("[teams.platform]\ngroup = \" Core \"\n").unwrap();
        assert_eq!(c.teams["platform"].group(), Some("Core"));
        let e = Config::parse("[teams.platform]\nname = \"P\"\ngroup = \" \"\n").unwrap_err().to_string();
        assert_eq!(e, "quarterdeck.toml line 3: [teams.platform] group needs a letter or a digit, found \" \"");
    }

    #[test]
    fn grade_boundaries() {
        let g = Grades::default();
        assert_eq!(g.grade(0.39), Grade::Red);
        assert_eq!(g.grade(0.4), Grade::Amber);
        assert_eq!(g.grade(0.69), Grade::Amber);
        assert_eq!(g.grade(0.7), Grade::Green);
        let d = Dora::default();
        assert_eq!(d.class("deploy_frequency", 7.0), Some("elite"));
        assert_eq!(d.class("deploy_frequency", 6.9), Some("high"));
        assert_eq!(d.class("deploy_frequency", 0.1), Some("medium"));
        assert_eq!(d.class("deploy_frequency", 0.01), Some("low"));
        assert_eq!(d.class("lead_time_hours", 0.9), Some("elite"));
        assert_eq!(d.class("lead_time_hours", 1.0), Some("high"));
        assert_eq!(d.class("lead_time_hours", 168.0), Some("medium"));
        assert_eq!(d.class("mttr_hours", 24.0), Some("medium"));
        assert_eq!(d.class("mttr_hours", 200.0), Some("low"));
        assert_eq!(d.class("change_failure_rate", 0.15), Some("elite"));
        assert_eq!(d.class("change_failure_rate", 0.16), Some("high"));
        assert_eq!(d.class("change_failure_rate", 0.31), Some("low"));
        assert_eq!(d.class("cycle_time_days", 1.0), None);
        // rounding noise at a threshold does not change the grade
        assert_eq!(g.grade(0.39999999999999997), Grade::Amber);
        assert_eq!(g.grade(0.6999999999999998), Grade::Green);
    }
}
