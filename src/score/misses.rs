//! Why it missed (SPEC §7): every missed key result gets each cause whose
//! evidence holds — rhythm, delivery, strategy — with that evidence named,
//! or none ("unexplained"). The checks are one table, `CHECKS`; each
//! returns the evidence it found.

use super::delivery::{FlowCheck, TeamFlow};
use super::drift::{Against, ChangeUnit, Movement};
use super::findings::{change_text, drift_value, stale_message};
use super::health::HealthRow;
use super::initiatives::Impact;
use super::{KrScore, Scores};
use crate::config::{above, Config};
use crate::error::Result;
use crate::finding::FindingKind;
use crate::format::{num, score as score_text, whole_or_tenth};
use crate::model::{Dataset, Direction, Initiative, KeyResult};
use chrono::NaiveDate;
use polars::prelude::LazyFrame;
use serde::Serialize;

/// A cause of a miss, in the order a review asks about them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Nobody saw it coming.
    Rhythm,
    /// The team's capacity fell during the quarter.
    Delivery,
    /// The work was done but the number did not move.
    Strategy,
}

impl Cause {
    /// Every cause, in order.
    pub const ALL: [Cause; 3] = [Cause::Rhythm, Cause::Delivery, Cause::Strategy];

    /// The finding a cause raises.
    pub fn kind(self) -> FindingKind {
        match self {
            Cause::Rhythm => FindingKind::MissRhythm,
            Cause::Delivery => FindingKind::MissDelivery,
            Cause::Strategy => FindingKind::MissStrategy,
        }
    }

    /// The lower-case word, as in summary.json.
    pub fn word(self) -> &'static str {
        match self {
            Cause::Rhythm => "rhythm",
            Cause::Delivery => "delivery",
            Cause::Strategy => "strategy",
        }
    }
}

/// What a piece of evidence found, with its figures (`check` names it in summary.json).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "check", rename_all = "snake_case")]
pub enum Fact {
    /// The longest stretch without a check-in was over the stale threshold.
    Stale { from: NaiveDate, to: NaiveDate, days: i64 },
    /// No check-in gave a confidence at or below the risk threshold.
    RiskNeverRaised { checkins: u32 },
    /// Risk was first raised fewer than `early_warning_days` before due.
    RiskRaisedLate { on: NaiveDate, days_before_due: i64 },
    /// The last confidence was high and the score red.
    SurpriseMiss { last_confidence: f64, score: f64 },
    /// A team flow signal got worse beyond its limit.
    Flow {
        metric: String,
        /// `previous_quarter`, or `first_28_days` of this one.
        against: &'static str,
        first: Option<f64>,
        last: Option<f64>,
        first_n: u32,
        last_n: u32,
        change: Option<f64>,
        change_unit: ChangeUnit,
    },
    /// A team health metric red for weeks on end, starting by due.
    HealthRed { health_metric: String, from: NaiveDate, to: NaiveDate, weeks: usize },
    /// A finished initiative after which the key result's metric did not move, or got worse.
    InitiativeWithoutEffect {
        initiative: String,
        metric: String,
        finished: Option<NaiveDate>,
        before: Option<f64>,
        after: Option<f64>,
        before_n: u32,
        after_n: u32,
        verdict: &'static str,
    },
    /// Check-ins reported more progress than the data shows.
    ReportedNotMeasured {
        value_reported: Option<f64>,
        value_measured: Option<f64>,
        score_reported: f64,
        score_measured: f64,
    },
}

/// One piece of evidence: its figures and a sentence that stands alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    #[serde(flatten)]
    pub fact: Fact,
    pub message: String,
}

/// A cause that holds, with all its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct CauseFound {
    pub cause: Cause,
    pub evidence: Vec<Evidence>,
}

/// One missed key result and why (summary.json `misses`).
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub kr_id: String,
    pub team: String,
    pub score: f64,
    /// In [`Cause::ALL`] order; empty when unexplained.
    pub causes: Vec<CauseFound>,
    /// No cause's evidence holds.
    pub unexplained: bool,
}

/// What a check looks at: one missed key result and its team's evidence.
struct Facts<'a> {
    kr: &'a KeyResult,
    s: &'a KrScore,
    config: &'a Config,
    start: NaiveDate,
    flow: &'a [FlowCheck],
    health: Vec<&'a HealthRow>,
    impacts: Vec<(&'a Initiative, &'a Impact)>,
}

/// A check: the evidence it finds for one cause.
type Check = fn(&Facts) -> Vec<Evidence>;

/// Every check with the cause it supports, in the order evidence is listed.
const CHECKS: &[(Cause, Check)] = &[
    (Cause::Rhythm, stale),
    (Cause::Rhythm, risk_late_or_never),
    (Cause::Rhythm, surprise),
    (Cause::Delivery, flow_worse),
    (Cause::Delivery, health_red),
    (Cause::Strategy, initiatives_without_effect),
    (Cause::Strategy, reported_not_measured),
];

/// The causes of every missed key result, by kr_id: its team's flow
/// (`frames` are the metric points and the key results' observations; the
/// first side is the previous quarter's value, else the quarter's first 28
/// days), its cadence, health and initiatives.
pub fn find(ds: &Dataset, config: &Config, scores: &Scores, frames: [LazyFrame; 2]) -> Result<Vec<Miss>> {
    let missed: Vec<&KeyResult> = ds.krs.iter().filter(|k| scores.kr(&k.id).is_some_and(|s| s.missed)).collect();
    let previous = super::history::previous_flow(&scores.history);
    let flow = super::delivery::checks(ds, config, &scores.signals, frames, &missed, previous.as_ref())?;
    Ok(diagnose(ds, scores, &flow, config))
}

/// The causes of every missed key result, given its team's flow checks.
fn diagnose(ds: &Dataset, scores: &Scores, flow: &TeamFlow, config: &Config) -> Vec<Miss> {
    let mut out: Vec<Miss> = ds
        .krs
        .iter()
        .filter_map(|kr| {
            let s = scores.kr(&kr.id).filter(|s| s.missed)?;
            let facts = Facts {
                kr,
                s,
                config,
                start: ds.quarter.start(),
                flow: flow.get(&(kr.team.clone(), kr.until)).map_or(&[], Vec::as_slice),
                health: scores.health.rows.iter().filter(|r| r.team == kr.team).collect(),
                impacts: impacts_of(ds, scores, &kr.id),
            };
            Some(miss(&facts))
        })
        .collect();
    out.sort_by(|a, b| a.kr_id.cmp(&b.kr_id));
    out
}

/// The finished initiatives of a key result that have a before/after.
fn impacts_of<'a>(ds: &'a Dataset, scores: &'a Scores, kr_id: &str) -> Vec<(&'a Initiative, &'a Impact)> {
    let of_kr = |i: &&Impact| ds.initiatives.get(i.initiative).is_some_and(|init| init.kr_id == kr_id);
    scores.impacts.iter().filter(of_kr).filter_map(|i| Some((ds.initiatives.get(i.initiative)?, i))).collect()
}

/// Runs every check and groups the evidence by cause.
fn miss(f: &Facts) -> Miss {
    let causes: Vec<CauseFound> = Cause::ALL
        .iter()
        .filter_map(|&cause| {
            let found = CHECKS.iter().filter(|(c, _)| *c == cause).flat_map(|(_, check)| check(f));
            let evidence: Vec<Evidence> = found.collect();
            (!evidence.is_empty()).then_some(CauseFound { cause, evidence })
        })
        .collect();
    Miss { kr_id: f.kr.id.clone(), team: f.kr.team.clone(), score: f.s.score, unexplained: causes.is_empty(), causes }
}

fn evidence(fact: Fact, message: String) -> Vec<Evidence> {
    vec![Evidence { fact, message }]
}

fn stale(f: &Facts) -> Vec<Evidence> {
    if !f.s.stale {
        return Vec::new();
    }
    let (from, to) = f.s.longest_gap;
    evidence(Fact::Stale { from, to, days: f.s.longest_gap_days }, stale_message(f.s, f.kr, f.start))
}

fn risk_late_or_never(f: &Facts) -> Vec<Evidence> {
    let (s, t) = (f.s, &f.config.thresholds);
    match (s.risk_surfaced, s.risk_lead_days) {
        (None, _) => {
            let message = format!(
                "no check-in ({} in all) gave a confidence of {} or less: the risk was never raised",
                s.checkins,
                whole_or_tenth(t.risk_confidence)
            );
            evidence(Fact::RiskNeverRaised { checkins: s.checkins }, message)
        }
        (Some(on), Some(lead)) if lead < t.early_warning_days => {
            let message = format!(
                "risk was first raised on {on}, {lead} days before due (early is {} days or more)",
                t.early_warning_days
            );
            evidence(Fact::RiskRaisedLate { on, days_before_due: lead }, message)
        }
        _ => Vec::new(),
    }
}

fn surprise(f: &Facts) -> Vec<Evidence> {
    let (s, confidence) = (f.s, f.s.last_confidence.unwrap_or(0.0));
    if !s.surprise_miss {
        return Vec::new();
    }
    let message = format!(
        "the last confidence was {}/10, yet it scored {}: a surprise",
        whole_or_tenth(confidence),
        score_text(s.score)
    );
    evidence(Fact::SurpriseMiss { last_confidence: confidence, score: s.score }, message)
}

fn flow_worse(f: &Facts) -> Vec<Evidence> {
    f.flow.iter().filter(|c| c.check.movement == Movement::Worse).flat_map(flow_evidence).collect()
}

/// The evidence of one flow signal that got worse.
fn flow_evidence(c: &FlowCheck) -> Vec<Evidence> {
    let d = &c.check;
    let Against::Guardrail(metric) = &d.against else { return Vec::new() };
    let def = super::signals::signal(metric);
    let label = def.map_or(metric.as_str(), |s| s.label);
    let unit = match (def.map(|s| s.unit), d.unit) {
        (Some(u), ChangeUnit::Relative) => format!(" {u}"),
        _ => String::new(),
    };
    let value = |x: Option<f64>| x.map_or_else(|| "—".to_string(), |x| drift_value(d, x));
    let moved = if d.direction == Some(Direction::Increase) { "fell" } else { "rose" };
    let (against, side) = if c.against_previous {
        ("previous_quarter", "the previous quarter")
    } else {
        ("first_28_days", "the quarter's first 28 days")
    };
    let message = format!(
        "{label} of the team {moved} by {}, from {} ({side}, n = {}) to {}{unit} (the 28 days to due, n = {})",
        change_text(d),
        value(d.first),
        d.first_n,
        value(d.last),
        d.last_n
    );
    let fact = Fact::Flow {
        metric: metric.clone(),
        against,
        first: d.first,
        last: d.last,
        first_n: d.first_n,
        last_n: d.last_n,
        change: d.change,
        change_unit: d.unit,
    };
    evidence(fact, message)
}

fn health_red(f: &Facts) -> Vec<Evidence> {
    let needed = f.config.thresholds.health_red_weeks;
    let streaks = f.health.iter().filter_map(|r| Some((r, r.red_streak?)));
    streaks
        .filter(|(_, (from, _, weeks))| *weeks >= needed && *from <= f.kr.due)
        .flat_map(|(r, (from, to, weeks))| {
            let message = format!(
                "team health \u{201c}{}\u{201d} was red for {weeks} consecutive weeks (weeks of {from} to {to})",
                r.metric
            );
            evidence(Fact::HealthRed { health_metric: r.metric.clone(), from, to, weeks }, message)
        })
        .collect()
}

fn initiatives_without_effect(f: &Facts) -> Vec<Evidence> {
    let without = f.impacts.iter().filter(|(_, i)| matches!(i.verdict, "no change" | "worse"));
    without
        .flat_map(|(init, i)| {
            let moved = if i.verdict == "worse" { "got worse" } else { "did not move" };
            let median = |x: Option<f64>| x.map_or_else(|| "—".to_string(), num);
            let message = format!(
                "initiative \u{201c}{}\u{201d} was done on {}, and {} {moved}: median {} in the {days} days before \
                 (n = {}), {} in the {days} days after (n = {})",
                init.name,
                init.finished.map_or_else(|| "—".to_string(), |d| d.to_string()),
                f.config.metric_label(&i.metric),
                median(i.before),
                i.before_n,
                median(i.after),
                i.after_n,
                days = super::initiatives::WINDOW_DAYS,
            );
            let fact = Fact::InitiativeWithoutEffect {
                initiative: init.name.clone(),
                metric: i.metric.clone(),
                finished: init.finished,
                before: i.before,
                after: i.after,
                before_n: i.before_n,
                after_n: i.after_n,
                verdict: i.verdict,
            };
            evidence(fact, message)
        })
        .collect()
}

fn reported_not_measured(f: &Facts) -> Vec<Evidence> {
    let s = f.s;
    let (Some(reported), Some(measured)) = (s.score_reported, s.score_measured) else { return Vec::new() };
    if !above(reported - measured, f.config.thresholds.reported_gap) {
        return Vec::new();
    }
    let value = |x: Option<f64>| x.map_or_else(|| "—".to_string(), num);
    let message = format!(
        "check-ins reported {} (score {}), the data shows {} (score {}): progress reported that the data does not show",
        value(s.value_reported),
        score_text(reported),
        value(s.value_measured),
        score_text(measured)
    );
    let fact = Fact::ReportedNotMeasured {
        value_reported: s.value_reported,
        value_measured: s.value_measured,
        score_reported: reported,
        score_measured: measured,
    };
    evidence(fact, message)
}
