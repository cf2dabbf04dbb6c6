//! `quarterdeck.toml`: organisation name, thresholds, metric metadata, column maps.

use crate::error::{Error, Result};
use crate::model::{Band, Direction, Layer};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

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
    /// Small cohorts are suppressed everywhere.
    pub privacy: Privacy,
    /// How `ai_cohort` is derived from ai_usage.csv.
    pub ai_cohort: AiCohort,
    /// Cohort comparisons; empty = the defaults when AI usage is present.
    pub cohorts: Vec<CohortComparison>,
    /// Metric name → label, unit, direction, layer and band.
    pub metrics: BTreeMap<String, MetricMeta>,
    /// File stem (`okrs`, `checkins` …) → our column → the header in the file.
    pub columns: BTreeMap<String, BTreeMap<String, String>>,
    /// File stem → our column → the file's word → ours (`[values.checkins]`).
    pub values: BTreeMap<String, crate::ingest::values::FileWords>,
    /// Foreign exports read through a built-in preset (`[[imports]]`).
    pub imports: Vec<crate::ingest::presets::Import>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            org: "Engineering".to_string(),
            grades: Grades::default(),
            thresholds: Thresholds::default(),
            dora: Dora::default(),
            hygiene: Hygiene::default(),
            privacy: Privacy::default(),
            ai_cohort: AiCohort::default(),
            cohorts: Vec::new(),
            metrics: BTreeMap::new(),
            columns: BTreeMap::new(),
            values: BTreeMap::new(),
            imports: Vec::new(),
        }
    }
}

/// Score boundaries of the grade colours.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Grades {
    /// A score below this is red.
    pub red_below: f64,
    /// A score at or above this is green.
    pub green_from: f64,
}

impl Default for Grades {
    fn default() -> Self {
        Grades { red_below: 0.4, green_from: 0.7 }
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

impl Grades {
    /// The grade word of a score.
    pub fn grade(&self, score: f64) -> &'static str {
        if below(score, self.red_below) {
            "red"
        } else if below(score, self.green_from) {
            "amber"
        } else {
            "green"
        }
    }
}

/// Thresholds of the findings.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// A gap between check-ins longer than this many days is stale.
    pub stale_days: i64,
    /// Confidence at or below this surfaces risk.
    pub risk_confidence: f64,
    /// Last confidence at or above this, with a red score, is a surprise.
    pub surprise_confidence: f64,
    /// A miss surfaced at least this many days before due counts as early.
    pub early_warning_days: i64,
    /// Reported and measured scores further apart than this disagree.
    pub reported_gap: f64,
    /// A guardrail that moved the wrong way by more than this share drifts.
    pub drift: f64,
    /// A health metric red for this many consecutive weeks is a finding.
    pub health_red_weeks: usize,
    /// An initiative's before/after medians closer than this share read as "no change".
    pub impact_noise: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            stale_days: 14,
            risk_confidence: 4.0,
            surprise_confidence: 7.0,
            early_warning_days: 21,
            reported_gap: 0.15,
            drift: 0.10,
            health_red_weeks: 3,
            impact_noise: 0.02,
        }
    }
}

/// The DORA classes' cut points. Defaults: the 2021 Accelerate State of
/// DevOps report (DORA, Google Cloud), whose ranges leave gaps and overlaps
/// that are closed here as the book's "DORA classes" section explains.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Dora {
    /// The report the cut points come from, printed on the methodology page.
    #[serde(skip)]
    pub source: &'static str,
    /// Deployments per week at or above which a team is elite, high, medium.
    pub deploy_frequency: [f64; 3],
    /// Lead time in hours below which a team is elite, high, medium.
    pub lead_time_hours: [f64; 3],
    /// Time to restore in hours below which a team is elite, high, medium.
    pub mttr_hours: [f64; 3],
    /// Change failure rate at or below which a team is elite, high, medium.
    pub change_failure_rate: [f64; 3],
}

impl Default for Dora {
    fn default() -> Self {
        Dora {
            source: "Accelerate State of DevOps 2021 (DORA, Google Cloud)",
            // daily or more; once a month (12/52); once in six months (2/52)
            deploy_frequency: [7.0, 12.0 / 52.0, 2.0 / 52.0],
            // an hour; a week; six months (26 weeks)
            lead_time_hours: [1.0, 168.0, 26.0 * 168.0],
            // an hour; a day; a week
            mttr_hours: [1.0, 24.0, 168.0],
            // 15%; 20%; 30% (the report gives 16–30% to high, medium and low alike)
            change_failure_rate: [0.15, 0.20, 0.30],
        }
    }
}

impl Dora {
    /// The class of one of the four keys, or `None` for other metrics.
    pub fn class(&self, metric: &str, value: f64) -> Option<&'static str> {
        const CLASSES: [&str; 4] = ["elite", "high", "medium", "low"];
        let (cuts, higher_is_better, inclusive) = match metric {
            "deploy_frequency" => (self.deploy_frequency, true, true),
            "lead_time_hours" => (self.lead_time_hours, false, false),
            "mttr_hours" => (self.mttr_hours, false, false),
            "change_failure_rate" => (self.change_failure_rate, false, true),
            _ => return None,
        };
        let i = cuts
            .iter()
            .position(|&c| match (higher_is_better, inclusive) {
                (true, _) => !below(value, c),
                (false, true) => !above(value, c),
                (false, false) => below(value, c),
            })
            .unwrap_or(3);
        Some(CLASSES[i])
    }
}

/// Limits of the OKR hygiene lint.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Hygiene {
    /// More objectives per team than this is a finding.
    pub max_objectives_per_team: usize,
    /// Fewer key results per objective than this is a finding.
    pub min_krs_per_objective: usize,
    /// More key results per objective than this is a finding.
    pub max_krs_per_objective: usize,
}

impl Default for Hygiene {
    fn default() -> Self {
        Hygiene { max_objectives_per_team: 3, min_krs_per_objective: 2, max_krs_per_objective: 5 }
    }
}

/// Privacy settings.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Privacy {
    /// A cohort with fewer people is suppressed on every page and export.
    pub min_group_size: usize,
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy { min_group_size: 5 }
    }
}

/// Thresholds of the derived `ai_cohort` (SPEC §3, Cohorts).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AiCohort {
    /// Share of the quarter's working days active, at or above which (with
    /// the acceptance below) a person is a super user.
    pub super_user_active: f64,
    /// Acceptance rate at or above which an active person is a super user.
    pub super_user_acceptance: f64,
    /// Share of working days active below which a person is passive.
    pub passive_active: f64,
}

impl Default for AiCohort {
    fn default() -> Self {
        AiCohort { super_user_active: 0.8, super_user_acceptance: 0.3, passive_active: 0.2 }
    }
}

/// One `[[cohorts]]` comparison.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortComparison {
    /// A people.csv column, or `ai_cohort`.
    pub dimension: String,
    /// A per-person metric: cycle_time_days, review_time_hours, pr_throughput or rework_rate.
    pub metric: String,
    /// The cohort the others are compared with.
    pub reference: String,
}

/// What the site says about a named metric.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricMeta {
    pub label: Option<String>,
    pub unit: Option<String>,
    #[serde(deserialize_with = "de_direction")]
    pub direction: Option<Direction>,
    #[serde(deserialize_with = "de_layer")]
    pub layer: Option<Layer>,
    pub band_low: Option<f64>,
    pub band_high: Option<f64>,
}

impl MetricMeta {
    /// The configured band, when both edges are given.
    pub fn band(&self) -> Option<Band> {
        Some(Band { low: self.band_low?, high: self.band_high? })
    }
}

fn de_direction<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Direction>, D::Error> {
    let s = String::deserialize(d)?;
    Direction::parse(&s)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("expected increase or decrease, found {s:?}")))
}

fn de_layer<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Layer>, D::Error> {
    let s = String::deserialize(d)?;
    Layer::parse(&s)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("expected workflow, outcome or business, found {s:?}")))
}

impl Config {
    /// Reads `DATA_DIR/quarterdeck.toml`, or the defaults when there is none.
    pub fn load(data_dir: &Path) -> Result<Config> {
        let path = data_dir.join(CONFIG_FILE);
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

    /// Parses the text of a configuration file.
    pub fn parse(text: &str) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1).unwrap_or(1);
            Error::Row { file: CONFIG_FILE.into(), line: line as u64, message: e.message().to_string() }
        })?;
        config.validate()?;
        let mut config = config;
        let d = Dora::default();
        let c = config.dora;
        if (c.deploy_frequency, c.lead_time_hours, c.mttr_hours, c.change_failure_rate)
            != (d.deploy_frequency, d.lead_time_hours, d.mttr_hours, d.change_failure_rate)
        {
            config.dora.source = "the cut points set in quarterdeck.toml [dora]";
        }
        Ok(config)
    }

    fn validate(&self) -> Result<()> {
        let g = self.grades;
        if !(0.0..=1.0).contains(&g.red_below) || !(0.0..=1.0).contains(&g.green_from) || g.red_below > g.green_from {
            return Err(Error::Usage(format!(
                "{CONFIG_FILE}: [grades] needs 0 ≤ red_below ≤ green_from ≤ 1, found red_below = {} and green_from = {}",
                g.red_below, g.green_from
            )));
        }
        crate::ingest::values::validate(&self.values)?;
        crate::ingest::presets::validate(&self.imports)?;
        for (key, aliases) in &self.columns {
            let Some(spec) = crate::ingest::schema::ALL.iter().find(|f| f.key == key.as_str()) else {
                let keys: Vec<&str> = crate::ingest::schema::ALL.iter().map(|f| f.key).collect();
                return Err(Error::Usage(format!(
                    "{CONFIG_FILE}: [columns.{key}] names no input file; expected one of {}",
                    keys.join(", ")
                )));
            };
            if let Some(ours) = aliases.keys().find(|c| !spec.columns.iter().any(|s| s.name == c.as_str())) {
                let names: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
                return Err(Error::Usage(format!(
                    "{CONFIG_FILE}: [columns.{key}] maps onto {ours:?}, which is not a column of {}; expected one of {}",
                    spec.file,
                    names.join(", ")
                )));
            }
        }
        let t = self.thresholds;
        for (key, value, range) in [
            ("risk_confidence", t.risk_confidence, 0.0..=10.0),
            ("surprise_confidence", t.surprise_confidence, 0.0..=10.0),
            ("reported_gap", t.reported_gap, 0.0..=1.0),
            ("drift", t.drift, 0.0..=10.0),
            ("impact_noise", t.impact_noise, 0.0..=10.0),
        ] {
            if !range.contains(&value) {
                return Err(Error::Usage(format!(
                    "{CONFIG_FILE}: [thresholds] {key} must be between {} and {}, found {value}",
                    range.start(),
                    range.end()
                )));
            }
        }
        if t.stale_days < 1 || t.early_warning_days < 0 || t.health_red_weeks < 1 {
            return Err(Error::Usage(format!(
                "{CONFIG_FILE}: [thresholds] needs stale_days ≥ 1, early_warning_days ≥ 0 and health_red_weeks ≥ 1, \
                 found {}, {} and {}",
                t.stale_days, t.early_warning_days, t.health_red_weeks
            )));
        }
        for c in &self.cohorts {
            if !crate::score::cohorts::PERSON_METRICS.contains(&c.metric.as_str()) {
                return Err(Error::Usage(format!(
                    "{CONFIG_FILE}: [[cohorts]] metric {:?} is not a per-person metric; expected one of {}",
                    c.metric,
                    crate::score::cohorts::PERSON_METRICS.join(", ")
                )));
            }
        }
        let h = self.hygiene;
        if h.min_krs_per_objective > h.max_krs_per_objective || h.max_objectives_per_team == 0 {
            return Err(Error::Usage(format!(
                "{CONFIG_FILE}: [hygiene] needs min_krs_per_objective ≤ max_krs_per_objective and \
                 max_objectives_per_team ≥ 1, found {}, {} and {}",
                h.min_krs_per_objective, h.max_krs_per_objective, h.max_objectives_per_team
            )));
        }
        let a = self.ai_cohort;
        let in_unit = |x: f64| (0.0..=1.0).contains(&x);
        if !(in_unit(a.super_user_active) && in_unit(a.super_user_acceptance) && in_unit(a.passive_active))
            || a.passive_active > a.super_user_active
        {
            return Err(Error::Usage(format!(
                "{CONFIG_FILE}: [ai_cohort] shares must be between 0 and 1 with passive_active ≤ super_user_active, \
                 found super_user_active = {}, super_user_acceptance = {}, passive_active = {}",
                a.super_user_active, a.super_user_acceptance, a.passive_active
            )));
        }
        if self.privacy.min_group_size < 2 {
            return Err(Error::Usage(format!(
                "{CONFIG_FILE}: [privacy] min_group_size must be 2 or more, found {}",
                self.privacy.min_group_size
            )));
        }
        let d = self.dora;
        for (key, cuts, descending) in [
            ("deploy_frequency", d.deploy_frequency, true),
            ("lead_time_hours", d.lead_time_hours, false),
            ("mttr_hours", d.mttr_hours, false),
            ("change_failure_rate", d.change_failure_rate, false),
        ] {
            let ordered = if descending {
                cuts[0] >= cuts[1] && cuts[1] >= cuts[2]
            } else {
                cuts[0] <= cuts[1] && cuts[1] <= cuts[2]
            };
            if !ordered || cuts.iter().any(|c| !c.is_finite() || *c < 0.0) {
                return Err(Error::Usage(format!(
                    "{CONFIG_FILE}: [dora] {key} needs three cut points for elite, high and medium, {}; found {cuts:?}",
                    if descending { "from the highest down" } else { "from the lowest up" }
                )));
            }
        }
        for (name, m) in &self.metrics {
            if let (Some(lo), Some(hi)) = (m.band_low, m.band_high) {
                if lo > hi {
                    return Err(Error::Usage(format!(
                        "{CONFIG_FILE}: [metrics.{name}] band_low {lo} is above band_high {hi}"
                    )));
                }
            }
        }
        Ok(())
    }

    /// The display label of a metric: its configured label or its name.
    pub fn metric_label<'a>(&'a self, name: &'a str) -> &'a str {
        self.metrics.get(name).and_then(|m| m.label.as_deref()).unwrap_or(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn grade_boundaries() {
        let g = Grades::default();
        assert_eq!(g.grade(0.39), "red");
        assert_eq!(g.grade(0.4), "amber");
        assert_eq!(g.grade(0.69), "amber");
        assert_eq!(g.grade(0.7), "green");
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
        assert_eq!(g.grade(0.39999999999999997), "amber");
        assert_eq!(g.grade(0.6999999999999998), "green");
    }
}
