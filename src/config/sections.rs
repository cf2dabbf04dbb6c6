//! The tables of quarterdeck.toml, each with its defaults and its own checks.

use super::{above, below, Problem};
use crate::model::{Band, Direction, Grade, Layer};
use crate::schema::in_domain;
use serde::Deserialize;

/// The cohort dimension derived from ai_usage.csv when people.csv has no such column.
pub const AI_COHORT: &str = "ai_cohort";

/// The per-person metrics a `[[cohorts]]` comparison can take.
pub const PERSON_METRICS: &[&str] = &["cycle_time_days", "review_time_hours", "pr_throughput", "rework_rate"];

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

impl Grades {
    /// The grade of a score.
    pub fn grade(&self, score: f64) -> Grade {
        if below(score, self.red_below) {
            Grade::Red
        } else if below(score, self.green_from) {
            Grade::Amber
        } else {
            Grade::Green
        }
    }

    pub(super) fn check(&self) -> Result<(), Problem> {
        let in_unit = |x: f64| (0.0..=1.0).contains(&x);
        if in_unit(self.red_below) && in_unit(self.green_from) && self.red_below <= self.green_from {
            return Ok(());
        }
        Err(Problem::at(
            &["grades"],
            format!(
                "[grades] needs 0 ≤ red_below ≤ green_from ≤ 1, found red_below = {} and green_from = {}",
                self.red_below, self.green_from
            ),
        ))
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
    /// A share or a metric in % drifts when it moves the wrong way by more than these percentage points.
    pub drift_points: f64,
    /// Events each side of a derived signal's drift check needs before it is judged.
    pub drift_min_events: u32,
    /// A health metric red for this many consecutive weeks is a finding.
    pub health_red_weeks: usize,
    /// An initiative's before/after medians closer than this share read as "no change".
    pub impact_noise: f64,
    /// A team with at least this many aspirational key results is judged by the 70% signals.
    pub min_aspirational_krs: usize,
    /// Aspirational key results all scoring at least this are targets too safe.
    pub too_safe_from: f64,
    /// Aspirational key results averaging below this overreached.
    pub overreach_below: f64,
    /// A missed key result's team cycle or review time worse, or throughput
    /// lower, by more than this share is a delivery cause (SPEC §7).
    pub delivery_change: f64,
    /// Its change failure rate up by more than these percentage points is one too.
    pub delivery_points: f64,
    /// The same blocker text in at least this many ISO weeks recurs.
    pub recurring_blocker_weeks: usize,
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
            drift_points: 5.0,
            drift_min_events: 10,
            health_red_weeks: 3,
            impact_noise: 0.02,
            min_aspirational_krs: 3,
            too_safe_from: 0.95,
            overreach_below: 0.3,
            delivery_change: 0.20,
            delivery_points: 5.0,
            recurring_blocker_weeks: 3,
        }
    }
}

impl Thresholds {
    fn check(&self) -> Result<(), Problem> {
        for (key, value, range) in [
            ("risk_confidence", self.risk_confidence, 0.0..=10.0),
            ("surprise_confidence", self.surprise_confidence, 0.0..=10.0),
            ("reported_gap", self.reported_gap, 0.0..=1.0),
            ("drift", self.drift, 0.0..=10.0),
            ("drift_points", self.drift_points, 0.0..=100.0),
            ("impact_noise", self.impact_noise, 0.0..=10.0),
            ("too_safe_from", self.too_safe_from, 0.0..=1.0),
            ("overreach_below", self.overreach_below, 0.0..=1.0),
            ("delivery_change", self.delivery_change, 0.0..=10.0),
            ("delivery_points", self.delivery_points, 0.0..=100.0),
        ] {
            if !range.contains(&value) {
                return Err(Problem::at(
                    &["thresholds", key],
                    format!("[thresholds] {key} must be between {} and {}, found {value}", range.start(), range.end()),
                ));
            }
        }
        let counts = [
            ("stale_days", self.stale_days, 1),
            ("early_warning_days", self.early_warning_days, 0),
            ("health_red_weeks", self.health_red_weeks as i64, 1),
            ("min_aspirational_krs", self.min_aspirational_krs as i64, 1),
            ("drift_min_events", i64::from(self.drift_min_events), 1),
            ("recurring_blocker_weeks", self.recurring_blocker_weeks as i64, 2),
        ];
        match counts.into_iter().find(|(_, value, least)| value < least) {
            Some((key, value, least)) => Err(Problem::at(
                &["thresholds", key],
                format!("[thresholds] {key} must be {least} or more, found {value}"),
            )),
            None => Ok(()),
        }
    }
}

/// The DORA classes, best first.
pub const DORA_CLASSES: [&str; 4] = ["elite", "high", "medium", "low"];

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
    /// Whether the cut points are the report's own.
    pub fn is_default(&self) -> bool {
        let d = Dora::default();
        (self.deploy_frequency, self.lead_time_hours, self.mttr_hours, self.change_failure_rate)
            == (d.deploy_frequency, d.lead_time_hours, d.mttr_hours, d.change_failure_rate)
    }

    fn check(&self) -> Result<(), Problem> {
        for (key, cuts, descending) in [
            ("deploy_frequency", self.deploy_frequency, true),
            ("lead_time_hours", self.lead_time_hours, false),
            ("mttr_hours", self.mttr_hours, false),
            ("change_failure_rate", self.change_failure_rate, false),
        ] {
            let ordered = if descending {
                cuts[0] >= cuts[1] && cuts[1] >= cuts[2]
            } else {
                cuts[0] <= cuts[1] && cuts[1] <= cuts[2]
            };
            if !ordered || cuts.iter().any(|c| !c.is_finite() || *c < 0.0) {
                return Err(Problem::at(
                    &["dora", key],
                    format!(
                        "[dora] {key} needs three cut points for elite, high and medium, {}; found {cuts:?}",
                        if descending { "from the highest down" } else { "from the lowest up" }
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The cut points of one of the four keys (elite, high, medium) and
    /// whether a higher value is better and a value on a cut point is in the
    /// better class; `None` for other metrics.
    pub fn cuts(&self, metric: &str) -> Option<([f64; 3], bool, bool)> {
        Some(match metric {
            "deploy_frequency" => (self.deploy_frequency, true, true),
            "lead_time_hours" => (self.lead_time_hours, false, false),
            "mttr_hours" => (self.mttr_hours, false, false),
            "change_failure_rate" => (self.change_failure_rate, false, true),
            _ => return None,
        })
    }

    /// The class of one of the four keys, or `None` for other metrics.
    pub fn class(&self, metric: &str, value: f64) -> Option<&'static str> {
        let (cuts, higher_is_better, inclusive) = self.cuts(metric)?;
        let i = cuts
            .iter()
            .position(|&c| match (higher_is_better, inclusive) {
                (true, _) => !below(value, c),
                (false, true) => !above(value, c),
                (false, false) => below(value, c),
            })
            .unwrap_or(3);
        Some(DORA_CLASSES[i])
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

impl Hygiene {
    fn check(&self) -> Result<(), Problem> {
        if self.min_krs_per_objective <= self.max_krs_per_objective && self.max_objectives_per_team > 0 {
            return Ok(());
        }
        Err(Problem::at(
            &["hygiene"],
            format!(
                "[hygiene] needs min_krs_per_objective ≤ max_krs_per_objective and max_objectives_per_team ≥ 1, \
                 found {}, {} and {}",
                self.min_krs_per_objective, self.max_krs_per_objective, self.max_objectives_per_team
            ),
        ))
    }
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

impl Privacy {
    fn check(&self) -> Result<(), Problem> {
        if self.min_group_size >= 2 {
            return Ok(());
        }
        Err(Problem::at(
            &["privacy", "min_group_size"],
            format!("[privacy] min_group_size must be 2 or more, found {}", self.min_group_size),
        ))
    }
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

impl AiCohort {
    fn check(&self) -> Result<(), Problem> {
        let in_unit = |x: f64| (0.0..=1.0).contains(&x);
        let shares = [self.super_user_active, self.super_user_acceptance, self.passive_active];
        if shares.into_iter().all(in_unit) && self.passive_active <= self.super_user_active {
            return Ok(());
        }
        Err(Problem::at(
            &["ai_cohort"],
            format!(
                "[ai_cohort] shares must be between 0 and 1 with passive_active ≤ super_user_active, \
                 found super_user_active = {}, super_user_acceptance = {}, passive_active = {}",
                self.super_user_active, self.super_user_acceptance, self.passive_active
            ),
        ))
    }
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
    /// The order its cohorts are shown in (an ordinal dimension such as
    /// tenure); cohorts it does not name follow. Empty: see `score::cohorts::order_rows`.
    #[serde(default)]
    pub order: Vec<String>,
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

impl CohortComparison {
    fn check(&self, n: usize) -> Result<(), Problem> {
        if PERSON_METRICS.contains(&self.metric.as_str()) {
            return Ok(());
        }
        Err(Problem::at(
            &["cohorts", &n.to_string(), "metric"],
            format!(
                "[[cohorts]] metric {:?} is not a per-person metric; expected one of {}",
                self.metric,
                PERSON_METRICS.join(", ")
            ),
        ))
    }
}

impl MetricMeta {
    fn check(&self, name: &str) -> Result<(), Problem> {
        let edges = [("band_low", self.band_low), ("band_high", self.band_high)];
        if let Some((key, v)) = edges.into_iter().filter_map(|(k, v)| Some((k, v?))).find(|(_, v)| !in_domain(*v)) {
            return Err(Problem::at(
                &["metrics", name, key],
                format!("[metrics.{name}] {key} must be a number between −1e15 and 1e15, found {v}"),
            ));
        }
        match (self.band_low, self.band_high) {
            (Some(lo), Some(hi)) if lo > hi => Err(Problem::at(
                &["metrics", name, "band_low"],
                format!("[metrics.{name}] band_low {lo} is above band_high {hi}"),
            )),
            _ => Ok(()),
        }
    }

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

/// Checks the tables of thresholds and metadata; the first problem found wins.
pub(super) fn check(c: &super::Config) -> Result<(), Problem> {
    c.thresholds.check()?;
    c.cohorts.iter().enumerate().try_for_each(|(i, comparison)| comparison.check(i))?;
    c.hygiene.check()?;
    c.ai_cohort.check()?;
    c.privacy.check()?;
    c.dora.check()?;
    super::teams::check(&c.teams)?;
    c.metrics.iter().try_for_each(|(name, m)| m.check(name))
}
