//! View models of the engineering signals: the org's values with the DORA
//! classes; up to [`MAX_CHART_TEAMS`] teams, one figure per signal with a
//! panel per team; past that, a page per signal with a table of teams.

use super::lookup::Lookup;
use crate::chart::MAX_CHART_TEAMS;
use crate::config::DORA_CLASSES;
use crate::format::{num, points, signed_pct, written, Unit};
use crate::score::signals::{signal, SignalDef, SignalValue, SpanValue, SIGNALS};
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// Where its teams are: its figure on signals.html, or its own page.
    pub href: String,
    /// The change from the previous quarter's value (SPEC §6).
    pub change: Option<super::time::Change>,
}

/// A team's value of one signal, as a panel's caption or a table row reads it.
#[derive(Debug, Serialize)]
pub struct TeamSignal {
    pub team: String,
    /// Its team page, or empty for a team without key results this quarter.
    pub href: String,
    pub value: String,
    /// The value for sorting, empty without one.
    pub sort: String,
    pub n: u32,
    pub dora: &'static str,
    /// The class's rank for sorting (elite 0 … low 3), 4 without a class.
    pub dora_rank: usize,
    /// The quarter's first 28 days → its last 28, and the change.
    pub first: String,
    pub last: String,
    pub change: String,
    pub change_sort: String,
    /// Its panel (up to [`MAX_CHART_TEAMS`] teams) or its sparkline.
    pub chart: String,
}

/// One signal across the teams: a figure of panels, or a page of its own.
#[derive(Debug, Serialize)]
pub struct SignalFigure {
    pub name: &'static str,
    pub label: &'static str,
    pub definition: &'static str,
    pub unit: String,
    pub org: String,
    /// The DORA cut points in words, empty for a signal that has none.
    pub cuts: String,
    pub dora: bool,
    /// Teams with key results this quarter, then the others.
    pub with_krs: Vec<TeamSignal>,
    pub without_krs: Vec<TeamSignal>,
}

/// Whether the signals are drawn as panels on signals.html (up to
/// [`MAX_CHART_TEAMS`] teams) rather than on a page each.
pub fn as_panels(ix: &Lookup) -> bool {
    let teams: std::collections::BTreeSet<&str> = ix.scores.signals.quarter.iter().map(|v| v.team.as_str()).collect();
    teams.len() <= MAX_CHART_TEAMS
}

/// The signals the pages show: those with a value for some team, and never
/// one whose input the export lacks (the methodology page says why).
pub fn shown<'a>(ix: &'a Lookup<'a>) -> impl Iterator<Item = &'static SignalDef> + 'a {
    let sig = &ix.scores.signals;
    SIGNALS.iter().filter(move |s| {
        !sig.without_input.contains(&s.name) && sig.quarter.iter().any(|v| v.metric == s.name && v.value.is_some())
    })
}

/// A signal's value in its unit.
pub fn signal_text(name: &str, value: Option<f64>) -> String {
    match (value, signal(name)) {
        (Some(v), Some(s)) => s.figure(v),
        (Some(v), None) => num(v),
        (None, _) => "—".into(),
    }
}

/// The page of a signal past [`MAX_CHART_TEAMS`] teams.
pub fn page_of(name: &str) -> String {
    format!("signals/{name}.html")
}

/// Every signal shown, across the teams.
pub fn figures(ix: &Lookup) -> Vec<SignalFigure> {
    let mut by_signal: BTreeMap<&str, Vec<&SignalValue>> = BTreeMap::new();
    for v in &ix.scores.signals.quarter {
        by_signal.entry(v.metric).or_default().push(v);
    }
    shown(ix).map(|s| figure_of(ix, s, by_signal.get(s.name).map_or(&[][..], Vec::as_slice))).collect()
}

/// One signal's figure: its teams, those with key results first, each by name.
fn figure_of(ix: &Lookup, s: &'static SignalDef, values: &[&SignalValue]) -> SignalFigure {
    let charts = if as_panels(ix) { &ix.charts.signal_panels } else { &ix.charts.signal_sparks };
    let (mut with_krs, mut without_krs) = (Vec::new(), Vec::new());
    for v in values {
        let row = team_signal(ix, s, v, charts.get(&(v.team.clone(), s.name.to_string())).cloned().unwrap_or_default());
        if row.href.is_empty() { &mut without_krs } else { &mut with_krs }.push(row);
    }
    let org = ix.scores.signals.org.iter().find(|o| o.metric == s.name).and_then(|o| o.value);
    let org = match s.reference(org, values.len()) {
        Some(per_team) if s.is_count() => format!("{}, {} per team", signal_text(s.name, org), num(per_team)),
        _ => signal_text(s.name, org),
    };
    SignalFigure {
        name: s.name,
        label: s.label,
        definition: s.definition,
        unit: unit_words(s),
        org,
        cuts: cut_words(ix, s),
        dora: ix.config.dora.cuts(s.name).is_some(),
        with_krs,
        without_krs,
    }
}

/// What a value is and which way is better: "hours; lower is better".
fn unit_words(s: &SignalDef) -> String {
    let unit = if s.unit == "share" { "% of events" } else { s.unit };
    match s.direction {
        Some(crate::model::Direction::Increase) => format!("{unit}; higher is better"),
        Some(crate::model::Direction::Decrease) => format!("{unit}; lower is better"),
        None => unit.to_string(),
    }
}

/// The DORA cut points of a signal in words: "elite ≥ 7, high ≥ 0.231, medium ≥ 0.038 per week".
fn cut_words(ix: &Lookup, s: &SignalDef) -> String {
    let Some((cuts, higher, inclusive)) = ix.config.dora.cuts(s.name) else { return String::new() };
    let sign = match (higher, inclusive) {
        (true, _) => "≥",
        (false, true) => "≤",
        (false, false) => "<",
    };
    let cut = |c: f64| if s.unit == "share" { format!("{}%", written(c * 100.0)) } else { written(c) };
    let parts: Vec<String> =
        cuts.iter().zip(DORA_CLASSES).map(|(c, class)| format!("{class} {sign} {}", cut(*c))).collect();
    let unit = if s.unit == "share" { "" } else { s.unit };
    format!("DORA cut points: {} {unit}", parts.join(", ")).trim_end().to_string()
}

/// One team's value of signal `s`, with its chart.
fn team_signal(ix: &Lookup, s: &SignalDef, v: &SignalValue, chart: String) -> TeamSignal {
    let (first, last) = ix.scores.signals.team_first_last.get(&(v.team.clone(), s.name)).copied().unwrap_or_default();
    let min = ix.config.thresholds.drift_min_events;
    let side = |x: SpanValue| x.value.filter(|_| x.n >= min);
    let change = side(first).zip(side(last)).and_then(|(a, b)| change_of(s, a, b));
    TeamSignal {
        team: v.team.clone(),
        href: ix.links.team(&v.team),
        value: signal_text(s.name, v.value),
        sort: v.value.map(|x| x.to_string()).unwrap_or_default(),
        n: v.n,
        dora: v.dora_class.unwrap_or(""),
        dora_rank: v.dora_class.and_then(|c| DORA_CLASSES.iter().position(|x| *x == c)).unwrap_or(4),
        first: side(first).map_or_else(|| "—".into(), |x| s.figure(x)),
        last: side(last).map_or_else(|| "—".into(), |x| s.figure(x)),
        change_sort: change.as_ref().map(|c| c.0.to_string()).unwrap_or_default(),
        change: change.map_or_else(|| "—".into(), |c| c.1),
        chart,
    }
}

/// The change from `a` to `b`: a share in points (+3.1 pts), anything else
/// relative (+12%); none relative to 0. With the number it sorts by.
fn change_of(s: &SignalDef, a: f64, b: f64) -> Option<(f64, String)> {
    if s.figure_unit() == Unit::Share {
        let d = (b - a) * 100.0;
        let sign = if d > 0.0 {
            "+"
        } else if d < 0.0 {
            "−"
        } else {
            "±"
        };
        return Some((d, format!("{sign}{} pts", points(d.abs()))));
    }
    (a != 0.0).then(|| ((b - a) / a.abs(), signed_pct((b - a) / a.abs())))
}

/// The org's headline signals with the spread of team classes.
pub fn org_signals(ix: &Lookup) -> Vec<OrgSignal> {
    let panels = as_panels(ix);
    shown(ix)
        .filter_map(|s| ix.scores.signals.org.iter().find(|o| o.metric == s.name))
        .map(|o| {
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
                label: signal(o.metric).map_or(o.metric, |s| s.label),
                value: signal_text(o.metric, o.value),
                n: o.n,
                classes: class_counts(ix, o.metric),
                first,
                last,
                href: if panels { format!("#sig-{}", o.metric) } else { page_of(o.metric) },
                change: ix.scores.history.last().and_then(|p| super::time::signal_change(o.metric, o.value, p, "")),
            }
        })
        .collect()
}

/// How many teams are in each DORA class of a signal: "1 elite · 4 high".
fn class_counts(ix: &Lookup, metric: &str) -> String {
    let mut counts = [0usize; 4];
    for v in ix.scores.signals.quarter.iter().filter(|v| v.metric == metric) {
        if let Some(rank) = v.dora_class.and_then(|c| DORA_CLASSES.iter().position(|x| *x == c)) {
            counts[rank] += 1;
        }
    }
    let parts: Vec<String> =
        counts.iter().zip(DORA_CLASSES).filter(|(n, _)| **n > 0).map(|(n, c)| format!("{n} {c}")).collect();
    parts.join(" · ")
}

/// The signals the export cannot give, with what each needs: for the methodology page.
pub fn not_shown(ix: &Lookup) -> Vec<(&'static str, &'static str)> {
    let sig = &ix.scores.signals;
    if sig.quarter.is_empty() && sig.without_input.is_empty() {
        return Vec::new();
    }
    SIGNALS.iter().filter(|s| sig.without_input.contains(&s.name)).map(|s| (s.label, s.needs)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::figure;

    #[test]
    fn changes_read_in_points_for_shares_and_relative_otherwise() {
        let share = signal("change_failure_rate").unwrap();
        let hours = signal("mttr_hours").unwrap();
        assert_eq!(change_of(share, 0.077, 0.295).map(|c| c.1), Some("+21.8 pts".into()));
        assert_eq!(change_of(hours, 8.0, 6.0).map(|c| c.1), Some("−25%".into()));
        assert_eq!(change_of(hours, 0.0, 6.0), None);
        assert_eq!(figure(0.5, Unit::Share), "50.0%");
    }
}
