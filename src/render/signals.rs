//! View models of the engineering signals: per team, for the org, with the
//! DORA classes and the weekly trend charts.

use super::lookup::Lookup;
use crate::format::num;
use crate::score::signals::{SignalValue, SpanValue, SIGNALS};
use serde::Serialize;
use std::collections::BTreeMap;

/// One signal of one team (or of the org).
#[derive(Debug, Serialize)]
pub struct SignalRow {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub n: u32,
    pub dora: &'static str,
    pub chart: String,
    /// The change from the previous quarter's value (SPEC §6).
    pub change: Option<super::time::Change>,
}

/// One team's signals.
#[derive(Debug, Serialize)]
pub struct SignalTeam {
    pub id: String,
    /// Its team page, or empty for a team without key results this quarter.
    pub href: String,
    pub rows: Vec<SignalRow>,
}

/// One signal for the whole org, with how the teams class on it.
#[derive(Debug, Serialize)]
pub struct OrgSignal {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub n: u32,
    pub classes: String,
    /// Its value over the quarter's first 28 days and its last 28, where
    /// each rests on at least `drift_min_events` events.
    pub first: String,
    pub last: String,
    /// The change from the previous quarter's value (SPEC §6).
    pub change: Option<super::time::Change>,
}

/// A signal's value in its unit.
pub fn signal_text(name: &str, value: Option<f64>) -> String {
    let Some(v) = value else { return "—".into() };
    match crate::score::signals::signal(name).map_or("", |s| s.unit) {
        "days" => format!("{} days", num(v)),
        "hours" => format!("{} h", num(v)),
        "per week" => format!("{} per week", num(v)),
        "share" => format!("{:.1}%", v * 100.0),
        _ => num(v),
    }
}

/// Every team's signals, in team order.
pub fn signal_teams(ix: &Lookup) -> Vec<SignalTeam> {
    let previous = ix.scores.history.last();
    let mut by_team: BTreeMap<&str, Vec<&SignalValue>> = BTreeMap::new();
    for v in &ix.scores.signals.quarter {
        by_team.entry(v.team.as_str()).or_default().push(v);
    }
    by_team
        .into_iter()
        .map(|(team, values)| SignalTeam {
            id: team.to_string(),
            href: ix.links.team(team),
            rows: SIGNALS
                .iter()
                .filter_map(|s| {
                    let v = values.iter().find(|v| v.metric == s.name)?;
                    Some(SignalRow {
                        name: s.name,
                        label: s.label,
                        value: signal_text(s.name, v.value),
                        n: v.n,
                        dora: v.dora_class.unwrap_or(""),
                        change: previous.and_then(|p| super::time::signal_change(s.name, v.value, p, team)),
                        chart: ix
                            .charts
                            .signal_trend
                            .get(&(team.to_string(), s.name.to_string()))
                            .cloned()
                            .unwrap_or_default(),
                    })
                })
                .collect(),
        })
        .collect()
}

/// The org's headline signals with the spread of team classes.
pub fn org_signals(ix: &Lookup) -> Vec<OrgSignal> {
    ix.scores
        .signals
        .org
        .iter()
        .map(|o| {
            let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
            for v in ix.scores.signals.quarter.iter().filter(|v| v.metric == o.metric) {
                if let Some(c) = v.dora_class {
                    let rank = ["elite", "high", "medium", "low"].iter().position(|x| *x == c).unwrap_or(3);
                    *counts.entry(rank).or_default() += 1;
                }
            }
            let classes = counts
                .iter()
                .map(|(rank, n)| format!("{n} {}", ["elite", "high", "medium", "low"][*rank]))
                .collect::<Vec<_>>()
                .join(" · ");
            let min = ix.config.thresholds.drift_min_events;
            let side = |s: &SpanValue| if s.n >= min { signal_text(o.metric, s.value) } else { "—".into() };
            let (first, last) = ix
                .scores
                .signals
                .org_first_last
                .get(o.metric)
                .map_or_else(|| ("—".to_string(), "—".to_string()), |(f, l)| (side(f), side(l)));
            OrgSignal {
                name: o.metric,
                label: crate::score::signals::signal(o.metric).map_or(o.metric, |s| s.label),
                value: signal_text(o.metric, o.value),
                n: o.n,
                classes,
                first,
                last,
                change: ix.scores.history.last().and_then(|p| super::time::signal_change(o.metric, o.value, p, "")),
            }
        })
        .collect()
}
