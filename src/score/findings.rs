//! Findings: what a reader must look at, each with a message that stands alone.

use super::drift::DriftCheck;
use super::{KrScore, Scores};
use crate::config::{above, below, Config};
use crate::model::Dataset;
use chrono::NaiveDate;
use serde::Serialize;

/// One finding of summary.json (SPEC §5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: &'static str,
    pub severity: &'static str,
    pub team: Option<String>,
    pub kr_id: Option<String>,
    pub message: String,
}

/// Severity words, most severe first.
pub const SEVERITIES: [&str; 3] = ["error", "warning", "info"];

/// Collects the findings of the scores, sorted by kind, team and KR.
pub fn collect(ds: &Dataset, scores: &Scores, config: &Config) -> Vec<Finding> {
    let t = &config.thresholds;
    let mut out = Vec::new();
    let mut drift = scores.drift.iter().peekable();
    for kr in &ds.krs {
        let Some(s) = scores.kr(&kr.id) else { continue };
        let mut add = |kind: &'static str, severity: &'static str, message: String| {
            out.push(Finding { kind, severity, team: Some(kr.team.clone()), kr_id: Some(kr.id.clone()), message })
        };
        if s.value.is_none() {
            let why = match &kr.metric {
                Some(m) => format!("no data for metric {m} and no check-in with a value; the score counts as 0"),
                None => "no measured series and no check-in with a value; the score counts as 0".to_string(),
            };
            add("unmeasured", "warning", why);
        }
        if s.stale {
            add("stale", "warning", stale_message(s, kr.due, ds.quarter.start()));
        }
        if s.missed_commitment {
            add(
                "missed_commitment",
                "warning",
                format!("committed key result scored {:.2}, below the 1.0 it committed to", s.score),
            );
        }
        if s.surprise_miss {
            add(
                "surprise_miss",
                "warning",
                format!(
                    "last confidence was {}/10 but it scored {:.2}: the miss was not signalled",
                    fmt_num(s.last_confidence.unwrap_or(0.0)),
                    s.score
                ),
            );
        } else if s.checkins > 0 && (below(s.score, config.grades.red_below) || s.missed_commitment) {
            // Red or a broken commitment: how early did anyone say so?
            match (s.risk_surfaced, s.risk_lead_days) {
                (Some(d), Some(lead)) if lead < t.early_warning_days => add(
                    "risk_raised_late",
                    "info",
                    format!(
                        "missed (score {:.2}); risk was first raised on {d}, only {lead} days before due \
                         (early is {} days or more)",
                        s.score, t.early_warning_days
                    ),
                ),
                (None, _) => add(
                    "risk_raised_late",
                    "info",
                    format!(
                        "missed (score {:.2}) but no check-in ever gave a confidence of {} or less: \
                         the risk was never raised",
                        s.score,
                        fmt_num(t.risk_confidence)
                    ),
                ),
                _ => {}
            }
        }
        if let (Some(gap), Some(m), Some(r)) = (s.reported_gap, s.score_measured, s.score_reported) {
            if above(gap, t.reported_gap) {
                add(
                    "reported_not_measured",
                    "warning",
                    format!(
                        "reported progress not seen in the data: check-ins say {} (score {r:.2}), \
                         the data says {} (score {m:.2})",
                        s.value_reported.map_or("—".into(), fmt_value),
                        s.value_measured.map_or("—".into(), fmt_value),
                    ),
                );
            }
        }
        while let Some(d) = drift.next_if(|d| d.kr_id == kr.id) {
            if d.wrong_way && !below(s.score, config.grades.green_from) {
                add("green_but_drifting", "warning", drift_message(s.score, d));
            }
        }
    }
    for team in &scores.teams {
        let add =
            |kind, message| Finding { kind, severity: "warning", team: Some(team.team.clone()), kr_id: None, message };
        if team.too_safe {
            out.push(add(
                "too_safe",
                format!(
                    "all {} aspirational key results scored 0.95 or more: the targets were too safe \
                     to learn from; aim for about 0.7",
                    team.aspirational_krs
                ),
            ));
        }
        if team.overreach {
            out.push(add(
                "overreach",
                format!(
                    "its {} aspirational key results averaged {:.2}: the targets overreached; aim for about 0.7",
                    team.aspirational_krs,
                    team.aspirational_mean.unwrap_or(0.0)
                ),
            ));
        }
    }
    for row in &scores.health.rows {
        if let Some((from, to, weeks)) = row.red_streak.filter(|r| r.2 >= t.health_red_weeks) {
            out.push(Finding {
                kind: "health_red",
                severity: "warning",
                team: Some(row.team.clone()),
                kr_id: None,
                message: format!(
                    "health metric \u{201c}{}\u{201d} was red for {weeks} consecutive weeks (weeks of {from} to {to})",
                    row.metric
                ),
            });
        }
    }
    for (team, metric) in &scores.signals.shadowed {
        out.push(Finding {
            kind: "signal_shadowed",
            severity: "warning",
            team: Some(team.clone()),
            kr_id: None,
            message: format!(
                "metrics.csv has a series named {metric}, the name of a derived signal; the metrics.csv series \
                 is used and the one derived from the raw events is ignored"
            ),
        });
    }
    let e = scores.early_warning;
    if let Some(share) = e.share_surfaced_early {
        out.push(Finding {
            kind: "early_warning",
            severity: "info",
            team: None,
            kr_id: None,
            message: format!(
                "{} of {} missed key results had their risk raised at least {} days before due ({:.0}%); \
                 {} later, {} never; surprise misses: {}",
                e.surfaced_early,
                e.missed,
                t.early_warning_days,
                share * 100.0,
                e.surfaced_late,
                e.never_surfaced,
                e.surprises
            ),
        });
    }
    out.sort_by(|a, b| (a.kind, &a.team, &a.kr_id).cmp(&(b.kind, &b.team, &b.kr_id)));
    out
}

fn stale_message(s: &KrScore, due: NaiveDate, start: NaiveDate) -> String {
    let (from, to) = s.longest_gap;
    let days = s.longest_gap_days;
    if s.checkins == 0 {
        format!("no check-in at all this quarter ({days} days from {from} to due {to})")
    } else if from == start && s.first_checkin == Some(to) && to != start {
        format!("no check-in in the quarter's first {days} days ({from} to {to})")
    } else if to == due && s.last_checkin == Some(from) {
        format!("no check-in in the last {days} days before due ({from} to {to})")
    } else {
        format!("no check-in for {days} days ({from} to {to})")
    }
}

fn drift_message(score: f64, d: &DriftCheck) -> String {
    let change = d.change.unwrap_or(0.0).abs() * 100.0;
    // A share (a derived rate such as change_failure_rate) reads as a percentage.
    let share = match &d.against {
        super::drift::Against::Guardrail(m) => super::signals::signal(m).is_some_and(|s| s.unit == "share"),
        super::drift::Against::Paired(_) => false,
    };
    let value = |x: f64| if share { format!("{:.1}%", x * 100.0) } else { fmt_value(x) };
    format!(
        "scores {score:.2} (green) but its {} got {change:.0}% worse: median {} in the quarter's first 4 weeks, \
         {} in the last 4",
        d.subject(),
        d.first.map_or("—".into(), value),
        d.last.map_or("—".into(), value),
    )
}

fn fmt_value(x: f64) -> String {
    crate::chart::num(x)
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}
