//! Findings: what a reader must look at, each with a message that stands
//! alone. Every rule is a small function in one of the tables below; the
//! kinds, their words and severities are declared in [`crate::finding`].

use super::drift::{Against, ChangeUnit, DriftCheck};
use super::{KrScore, Scores, TeamScore};
use crate::config::{above, Config};
use crate::finding::{Finding, FindingKind as Kind};
use crate::format::{num, pct, points, whole_or_tenth, written};
use crate::model::{Dataset, Grade, KeyResult};
use chrono::NaiveDate;

/// What a key-result rule looks at.
struct KrFacts<'a> {
    kr: &'a KeyResult,
    s: &'a KrScore,
    config: &'a Config,
    start: NaiveDate,
    /// For a key result measured by a derived signal: its team's events of that signal in the quarter.
    quarter_events: Option<u32>,
}

/// A rule over one key result: the message of its finding, if it has one.
type KrRule = fn(&KrFacts) -> Option<(Kind, String)>;

/// The rules over each key result, in the order they are tried.
const KR_RULES: &[KrRule] = &[unmeasured, stale, missed_commitment, off_pace, surprise_or_late, reported_not_measured];

/// A rule over one team.
type TeamRule = fn(&TeamScore, &Config) -> Option<(Kind, String)>;

/// The rules over each team.
const TEAM_RULES: &[TeamRule] = &[too_safe, overreach];

/// Collects the findings of the scores, sorted by kind, team and KR.
pub fn collect(ds: &Dataset, scores: &Scores, config: &Config) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut drift = scores.drift.iter().peekable();
    for kr in &ds.krs {
        let Some(s) = scores.kr(&kr.id) else { continue };
        let quarter_events = scores.signals.kr_quarter_events.get(&kr.id).copied();
        let facts = KrFacts { kr, s, config, start: ds.quarter.start(), quarter_events };
        let found = KR_RULES.iter().filter_map(|rule| rule(&facts));
        out.extend(found.map(|(kind, message)| Finding::kr(kind, &kr.team, &kr.id, message)));
        while let Some(d) = drift.next_if(|d| d.kr_id == kr.id) {
            if s.grade == Grade::Green && d.wrong_way {
                out.push(Finding::kr(Kind::GreenButDrifting, &kr.team, &kr.id, drift_message(s.score, d)));
            }
        }
    }
    for team in &scores.teams {
        let found = TEAM_RULES.iter().filter_map(|rule| rule(team, config));
        out.extend(found.map(|(kind, message)| Finding::team(kind, &team.team, message)));
    }
    out.extend(health_red(scores, config));
    out.extend(shadowed(scores));
    out.extend(early_warning(scores, config));
    out.extend(miss_causes(scores));
    crate::finding::sort(&mut out);
    out
}

fn unmeasured(f: &KrFacts) -> Option<(Kind, String)> {
    f.s.value.is_none().then(|| {
        let why = match (&f.kr.metric, f.quarter_events) {
            (Some(m), Some(n)) => {
                let days = u64::from(super::signals::KR_WINDOW_DAYS.unsigned_abs());
                let (from, due) = (f.kr.until - chrono::Days::new(days - 1), f.kr.until);
                let events = match n {
                    0 => "the team has no such events this quarter".to_string(),
                    n => format!("none of the team's {n} events of it this quarter fall in that window"),
                };
                let end = if due < f.kr.due { "the date the pack stands on" } else { "due" };
                format!(
                    "no value of {m} over the 28 days from {from} to {end} {due}: {events}, and no check-in has a \
                     value; the score counts as 0"
                )
            }
            (Some(m), None) => format!("no data for metric {m} and no check-in with a value; the score counts as 0"),
            (None, _) => "no measured series and no check-in with a value; the score counts as 0".to_string(),
        };
        (Kind::Unmeasured, why)
    })
}

fn stale(f: &KrFacts) -> Option<(Kind, String)> {
    f.s.stale.then(|| (Kind::Stale, stale_message(f.s, f.kr, f.start)))
}

fn missed_commitment(f: &KrFacts) -> Option<(Kind, String)> {
    f.s.missed_commitment.then(|| {
        let message = format!("committed key result scored {:.2}, below the 1.0 it committed to", f.s.score);
        (Kind::MissedCommitment, message)
    })
}

/// As of a date before due, a measured key result whose pace (score ÷
/// expected) is below `[time] off_pace_below` (SPEC §6).
fn off_pace(f: &KrFacts) -> Option<(Kind, String)> {
    let s = f.s;
    let (pace, status) = (s.pace?, s.pace_status?);
    if s.decided || s.value.is_none() || status != crate::config::Pace::OffPace {
        return None;
    }
    let message = format!(
        "scores {:.2} with {:.0}% of its time to due {} gone (expected {}): pace {pace:.2}, below {} — off pace",
        s.score,
        s.expected * 100.0,
        f.kr.due,
        num(s.expected),
        num(f.config.time.off_pace_below)
    );
    Some((Kind::OffPace, message))
}

/// A surprise miss; else, for a red or broken commitment, how late anyone
/// said so: once due, for the end decides both.
fn surprise_or_late(f: &KrFacts) -> Option<(Kind, String)> {
    let (s, t) = (f.s, &f.config.thresholds);
    if !s.decided {
        return None;
    }
    if s.surprise_miss {
        let message = format!(
            "last confidence was {}/10 but it scored {:.2}: the miss was not signalled",
            whole_or_tenth(s.last_confidence.unwrap_or(0.0)),
            s.score
        );
        return Some((Kind::SurpriseMiss, message));
    }
    if s.checkins == 0 || !(s.grade == Grade::Red || s.missed_commitment) {
        return None;
    }
    let message = match (s.risk_surfaced, s.risk_lead_days) {
        (Some(d), Some(lead)) if lead < t.early_warning_days => format!(
            "missed (score {:.2}); risk was first raised on {d}, only {lead} days before due (early is {} days or more)",
            s.score, t.early_warning_days
        ),
        (None, _) => format!(
            "missed (score {:.2}) but no check-in ever gave a confidence of {} or less: the risk was never raised",
            s.score,
            whole_or_tenth(t.risk_confidence)
        ),
        _ => return None,
    };
    Some((Kind::RiskRaisedLate, message))
}

fn reported_not_measured(f: &KrFacts) -> Option<(Kind, String)> {
    let s = f.s;
    let (gap, m, r) = (s.reported_gap?, s.score_measured?, s.score_reported?);
    above(gap, f.config.thresholds.reported_gap).then(|| {
        let message = format!(
            "reported progress not seen in the data: check-ins say {} (score {r:.2}), the data says {} (score {m:.2})",
            s.value_reported.map_or("—".into(), num),
            s.value_measured.map_or("—".into(), num),
        );
        (Kind::ReportedNotMeasured, message)
    })
}

fn too_safe(team: &TeamScore, config: &Config) -> Option<(Kind, String)> {
    team.too_safe.then(|| {
        let message = format!(
            "all {} aspirational key results scored {} or more: the targets were too safe to learn from; aim for about {}",
            team.aspirational_krs,
            written(config.thresholds.too_safe_from),
            written(config.grades.green_from)
        );
        (Kind::TooSafe, message)
    })
}

fn overreach(team: &TeamScore, config: &Config) -> Option<(Kind, String)> {
    team.overreach.then(|| {
        let message = format!(
            "its {} aspirational key results averaged {:.2}: the targets overreached; aim for about {}",
            team.aspirational_krs,
            team.aspirational_mean.unwrap_or(0.0),
            written(config.grades.green_from)
        );
        (Kind::Overreach, message)
    })
}

fn health_red<'a>(scores: &'a Scores, config: &'a Config) -> impl Iterator<Item = Finding> + 'a {
    let weeks_needed = config.thresholds.health_red_weeks;
    scores.health.rows.iter().filter_map(move |row| {
        let (from, to, weeks) = row.red_streak.filter(|r| r.2 >= weeks_needed)?;
        let message = format!(
            "health metric \u{201c}{}\u{201d} was red for {weeks} consecutive weeks (weeks of {from} to {to})",
            row.metric
        );
        Some(Finding::team(Kind::HealthRed, &row.team, message))
    })
}

fn shadowed(scores: &Scores) -> impl Iterator<Item = Finding> + '_ {
    scores.signals.shadowed.iter().map(|(team, metric)| {
        let message = format!(
            "metrics.csv has a series named {metric}, the name of a derived signal; the metrics.csv series \
             is used and the one derived from the raw events is ignored"
        );
        Finding::team(Kind::SignalShadowed, team, message)
    })
}

fn early_warning(scores: &Scores, config: &Config) -> Option<Finding> {
    let e = scores.early_warning;
    let share = e.share_surfaced_early?;
    let message = format!(
        "{} of {} missed key results had their risk raised at least {} days before due ({:.0}%); \
         {} later, {} never; surprise misses: {}",
        e.surfaced_early,
        e.missed,
        config.thresholds.early_warning_days,
        share * 100.0,
        e.surfaced_late,
        e.never_surfaced,
        e.surprises
    );
    Some(Finding::org(Kind::EarlyWarning, message))
}

/// One finding per cause of each miss, its evidence in one message.
fn miss_causes(scores: &Scores) -> impl Iterator<Item = Finding> + '_ {
    scores.misses.iter().flat_map(|m| {
        m.causes.iter().map(move |c| {
            let why: Vec<&str> = c.evidence.iter().map(|e| e.message.as_str()).collect();
            let message = format!("missed (score {:.2}): {}", m.score, why.join("; "));
            Finding::kr(c.cause.kind(), &m.team, &m.kr_id, message)
        })
    })
}

/// Where and how long a key result went without a check-in, in words.
pub(super) fn stale_message(s: &KrScore, kr: &KeyResult, start: NaiveDate) -> String {
    let (from, to) = s.longest_gap;
    let days = s.longest_gap_days;
    // as of a date before due, the window ends on that date
    let end = if kr.until < kr.due { "the date the pack stands on" } else { "due" };
    if s.checkins == 0 {
        format!("no check-in at all this quarter ({days} days from {from} to {end} {to})")
    } else if from == start && s.first_checkin == Some(to) && to != start {
        format!("no check-in in the quarter's first {days} days ({from} to {to})")
    } else if to == kr.until && s.last_checkin == Some(from) {
        format!("no check-in in the last {days} days before {end} ({from} to {to})")
    } else {
        format!("no check-in for {days} days ({from} to {to})")
    }
}

/// How far a checked series moved, unsigned: `20%`, or `21.8 pts` for a share.
pub(super) fn change_text(d: &DriftCheck) -> String {
    let change = d.change.unwrap_or(0.0).abs();
    match d.unit {
        ChangeUnit::Points => format!("{} pts", points(change)),
        ChangeUnit::Relative => format!("{:.0}%", change * 100.0),
    }
}

fn drift_message(score: f64, d: &DriftCheck) -> String {
    let change = change_text(d);
    let value = |x: Option<f64>| x.map_or_else(|| "—".to_string(), |x| drift_value(d, x));
    format!(
        "scores {score:.2} (green) but its {} got worse by {change}: {} in the quarter's first 28 days (n = {}), \
         {} in the 28 days to due (n = {})",
        d.subject(),
        value(d.first),
        d.first_n,
        value(d.last),
        d.last_n,
    )
}

/// A side's value in its unit: a derived share as a percentage.
pub fn drift_value(d: &DriftCheck, x: f64) -> String {
    let share = match &d.against {
        Against::Guardrail(m) => super::signals::signal(m).is_some_and(|s| s.unit == "share"),
        Against::Paired(_) => false,
    };
    match d.unit {
        ChangeUnit::Points if share => pct(x),
        ChangeUnit::Points => format!("{}%", num(x)),
        ChangeUnit::Relative => num(x),
    }
}
