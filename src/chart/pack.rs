//! Every chart of the pack, drawn once and looked up by the pages.

use super::bars::{score_bars, Bar};
use super::boxes::{box_plot, BoxSpec};
use super::grid::health_heatmap;
use super::multiples::Multiples;
use super::scatter::{impact_effort, Dot};
use super::series::{time_chart, Line, Rule, TimeChart};
use super::MAX_CHART_TEAMS;
use super::{short_date, BLUE, GREEN, MUTED, ORANGE, SERIES};
use crate::config::{Config, DORA_CLASSES};
use crate::error::Result;
use crate::format::{num, whole_or_tenth, Unit};
use crate::model::{Checkin, Dataset, KeyResult, KrKind, MetricPoint};
use crate::score::cohorts::Comparison;
use crate::score::signals;
use crate::score::Scores;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// The charts of the pack, each an accessible inline SVG.
#[derive(Debug, Default)]
pub struct Charts {
    /// kr_id → value over the quarter.
    pub kr_value: BTreeMap<String, String>,
    /// kr_id → confidence over the quarter.
    pub kr_confidence: BTreeMap<String, String>,
    /// team → objective score bars.
    pub team_objectives: BTreeMap<String, String>,
    /// objective_id → confidence of its key results.
    pub objective_confidence: BTreeMap<String, String>,
    /// kr_id → a narrower value chart, for key results shown side by side with their pair.
    pub kr_value_compact: BTreeMap<String, String>,
    /// The health heat-map of every team, up to [`MAX_CHART_TEAMS`] teams.
    pub health_org: Option<String>,
    /// team → its health heat-map.
    pub health_team: BTreeMap<String, String>,
    /// team → impact × effort of its initiatives.
    pub initiatives_team: BTreeMap<String, String>,
    /// (team, signal) → its panel of the signal's small multiples (up to
    /// [`MAX_CHART_TEAMS`] teams).
    pub signal_panels: BTreeMap<(String, String), String>,
    /// (team, signal) → its sparkline on the signal's shared scale (past
    /// [`MAX_CHART_TEAMS`] teams).
    pub signal_sparks: BTreeMap<(String, String), String>,
    /// One distribution chart per cohort comparison (empty when all held back).
    pub cohort_boxes: Vec<String>,
    /// The org's confidence bands against the share that ended green (none without confidences).
    pub reliability: Option<String>,
    /// Teams waiting on teams (none without dependencies).
    pub dependency_map: Option<String>,
    /// The map's edges: drawn and in all (fewer drawn only past [`super::graph::MAP_TEAMS`] teams).
    pub map_edges: (usize, usize),
}

/// The initiatives of every team with impact and effort, numbered as in
/// the team page's table ([`Dataset::initiatives_by_team`]).
pub fn team_dots(ds: &Dataset) -> BTreeMap<&str, Vec<Dot>> {
    ds.initiatives_by_team()
        .into_iter()
        .map(|(team, rows)| {
            let dots = rows
                .into_iter()
                .filter_map(|(number, i)| {
                    let init = &ds.initiatives[i];
                    let (impact, effort) = (init.impact?, init.effort?);
                    Some(Dot { number, name: init.name.clone(), impact, effort, status: init.status })
                })
                .collect();
            (team, dots)
        })
        .collect()
}

/// Check-ins of the quarter, grouped by key result.
type CheckinsByKr<'a> = BTreeMap<&'a str, Vec<&'a Checkin>>;

/// Draws every chart. Charts are independent of each other, so each kind is
/// drawn on all cores; results are collected in input order, so the output
/// does not depend on the number of threads.
pub fn draw(ds: &Dataset, scores: &Scores, config: &Config) -> Result<Charts> {
    let by_kr = group_checkins(ds);
    let mut charts = Charts::default();
    draw_kr_charts(ds, scores, &by_kr, &mut charts)?;
    charts.team_objectives = draw_team_objectives(ds, scores, config)?;
    charts.objective_confidence = draw_objective_confidence(ds, &by_kr)?;
    draw_health(scores, &mut charts)?;
    signal_multiples(ds, scores, config, &mut charts)?;
    charts.cohort_boxes = draw_cohort_boxes(scores)?;
    charts.initiatives_team = draw_initiative_scatters(ds, scores)?;
    charts.reliability = super::reliability::org_chart(&scores.calibration)?;
    (charts.dependency_map, charts.map_edges) = super::graph::org_map(scores, config)?;
    Ok(charts)
}

/// Groups the check-ins inside the quarter by key result, in file order.
fn group_checkins(ds: &Dataset) -> CheckinsByKr<'_> {
    let mut by_kr: CheckinsByKr = BTreeMap::new();
    for c in ds.checkins.iter().filter(|c| ds.quarter.contains(c.date)) {
        by_kr.entry(c.kr_id.as_str()).or_default().push(c);
    }
    by_kr
}

/// The check-ins of one key result (none when it has no check-ins).
fn checkins_of<'a>(by_kr: &'a CheckinsByKr<'a>, id: &str) -> &'a [&'a Checkin] {
    by_kr.get(id).map(Vec::as_slice).unwrap_or(&[])
}

/// Draws each key result's value, compact value (when paired) and confidence charts.
fn draw_kr_charts(ds: &Dataset, scores: &Scores, by_kr: &CheckinsByKr, charts: &mut Charts) -> Result<()> {
    let paired: BTreeSet<&str> =
        ds.krs.iter().filter_map(|k| Some([k.id.as_str(), k.paired_with.as_deref()?])).flatten().collect();
    let kr_charts = ds
        .krs
        .par_iter()
        .map(|kr| draw_kr_chart_set(ds, scores, kr, checkins_of(by_kr, &kr.id), paired.contains(kr.id.as_str())))
        .collect::<Result<Vec<_>>>()?;
    for (kr, (value, compact, confidence)) in ds.krs.iter().zip(kr_charts) {
        charts.kr_value.insert(kr.id.clone(), value);
        if let Some(svg) = compact {
            charts.kr_value_compact.insert(kr.id.clone(), svg);
        }
        charts.kr_confidence.insert(kr.id.clone(), confidence);
    }
    Ok(())
}

/// The value chart, the compact value chart (when `paired`) and the confidence chart of one key result.
fn draw_kr_chart_set(
    ds: &Dataset,
    scores: &Scores,
    kr: &KeyResult,
    checkins: &[&Checkin],
    paired: bool,
) -> Result<(String, Option<String>, String)> {
    let measured = scores.measured.get(&kr.id).cloned().unwrap_or_default();
    let compact =
        if paired { Some(value_chart(ds, kr, checkins, measured.clone(), (600, 320), "pair-")?) } else { None };
    let value = value_chart(ds, kr, checkins, measured, (960, 340), "value-")?;
    let line = confidence_line(&kr.id, checkins, BLUE);
    let confidence = confidence_chart(ds, &format!("conf-{}", kr.id), &kr.id, vec![line])?;
    Ok((value, compact, confidence))
}

/// team → bars of its objective scores.
fn draw_team_objectives(ds: &Dataset, scores: &Scores, config: &Config) -> Result<BTreeMap<String, String>> {
    let titles: BTreeMap<&str, &str> = ds.objectives.iter().map(|o| (o.id.as_str(), o.title.as_str())).collect();
    let mut objectives_of: BTreeMap<&str, Vec<Bar>> = BTreeMap::new();
    for o in &scores.objectives {
        let label = titles.get(o.objective_id.as_str()).map_or_else(|| o.objective_id.clone(), |t| t.to_string());
        objectives_of.entry(o.team.as_str()).or_default().push(Bar {
            label,
            score: o.score,
            grade: o.grade.to_string(),
        });
    }
    let g = config.grades;
    scores
        .teams
        .par_iter()
        .map(|team| {
            let bars = objectives_of.get(team.team.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            let id = format!("obj-{}", team.team);
            let svg =
                score_bars(&id, &format!("Objective scores of {}", team.team), bars, [g.red_below, g.green_from])?;
            Ok((team.team.clone(), svg))
        })
        .collect()
}

/// objective_id → the confidence lines of its key results on one chart.
fn draw_objective_confidence(ds: &Dataset, by_kr: &CheckinsByKr) -> Result<BTreeMap<String, String>> {
    let mut krs_of: BTreeMap<&str, Vec<&KeyResult>> = BTreeMap::new();
    for k in &ds.krs {
        krs_of.entry(k.objective_id.as_str()).or_default().push(k);
    }
    // an objective without key results of its own (SPEC §8) has no lines to draw
    ds.objectives
        .par_iter()
        .filter_map(|o| Some((o, krs_of.get(o.id.as_str())?)))
        .map(|(o, krs)| {
            let lines: Vec<Line> = krs
                .iter()
                .enumerate()
                .map(|(i, k)| confidence_line(&k.id, checkins_of(by_kr, &k.id), SERIES[i % SERIES.len()]))
                .collect();
            Ok((o.id.clone(), confidence_chart(ds, &format!("oconf-{}", o.id), &o.title, lines)?))
        })
        .collect()
}

/// The organisation's health heat-map (up to [`MAX_CHART_TEAMS`] teams) and
/// one per team (none without health rows).
fn draw_health(scores: &Scores, charts: &mut Charts) -> Result<()> {
    let grid = &scores.health;
    if grid.rows.is_empty() {
        return Ok(());
    }
    let mut by_team: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in grid.rows.iter().enumerate() {
        by_team.entry(r.team.as_str()).or_default().push(i);
    }
    // past MAX_CHART_TEAMS teams health.html shows a table of teams instead
    if by_team.len() <= MAX_CHART_TEAMS {
        let all: Vec<usize> = (0..grid.rows.len()).collect();
        charts.health_org = Some(health_heatmap("health-all", "Team health by week", grid, &all, true)?);
    }
    charts.health_team = by_team
        .into_par_iter()
        .map(|(team, rows)| {
            let title = format!("Health of {team} by week");
            Ok((team.to_string(), health_heatmap(&format!("health-{team}"), &title, grid, &rows, false)?))
        })
        .collect::<Result<_>>()?;
    Ok(())
}

/// One box plot per cohort comparison, empty where every cohort is held back.
fn draw_cohort_boxes(scores: &Scores) -> Result<Vec<String>> {
    scores.cohorts.comparisons.par_iter().enumerate().map(|(i, c)| draw_cohort_box(i, c)).collect()
}

/// The box plot of comparison number `i`.
fn draw_cohort_box(i: usize, c: &Comparison) -> Result<String> {
    let boxes: Vec<BoxSpec> = c
        .rows
        .iter()
        .filter(|r| !r.suppressed)
        .map(|r| BoxSpec { label: r.cohort.clone(), values: r.values.clone(), reference: r.is_reference })
        .collect();
    if boxes.is_empty() {
        return Ok(String::new());
    }
    let signal = signals::signal(&c.metric);
    let title =
        format!("Per-person {} by {}", signal.map_or(c.metric.as_str(), |s| s.label), c.dimension.replace('_', " "));
    let unit = signal.map_or((Unit::Quantity, ""), |s| (s.figure_unit(), if s.unit == "share" { "" } else { s.unit }));
    box_plot(&format!("cohort-{i}"), &title, unit, &boxes)
}

/// team → impact × effort of its initiatives (teams without any left out).
fn draw_initiative_scatters(ds: &Dataset, scores: &Scores) -> Result<BTreeMap<String, String>> {
    let dots = team_dots(ds);
    scores
        .teams
        .par_iter()
        .filter_map(|team| {
            let dots = dots.get(team.team.as_str()).filter(|d| !d.is_empty())?;
            let title = format!("Initiatives of {}: impact against effort", team.team);
            Some(impact_effort(&format!("init-{}", team.team), &title, dots).map(|svg| (team.team.clone(), svg)))
        })
        .collect()
}

/// The weekly values of every signal across teams on one scale per
/// signal: a panel per team, or past [`MAX_CHART_TEAMS`] teams a sparkline.
fn signal_multiples(ds: &Dataset, scores: &Scores, config: &Config, charts: &mut Charts) -> Result<()> {
    let sig = &scores.signals;
    let teams: BTreeSet<&str> = sig.quarter.iter().map(|v| v.team.as_str()).collect();
    let panels = teams.len() <= MAX_CHART_TEAMS;
    let weekly = team_metric_runs(&sig.weekly);
    let drawn: Vec<_> = signals::SIGNALS
        .par_iter()
        .filter(|s| !sig.without_input.contains(&s.name))
        .map(|s| signal_charts(ds, scores, config, s, &weekly, panels))
        .collect::<Result<_>>()?;
    for (key, svg) in drawn.into_iter().flatten() {
        if panels {
            charts.signal_panels.insert(key, svg);
        } else {
            charts.signal_sparks.insert(key, svg);
        }
    }
    Ok(())
}

/// (team, signal) → its panel or sparkline, for every team with a value of signal `s`.
fn signal_charts(
    ds: &Dataset,
    scores: &Scores,
    config: &Config,
    s: &signals::SignalDef,
    weekly: &BTreeMap<(&str, &str), &[MetricPoint]>,
    panels: bool,
) -> Result<Vec<((String, String), String)>> {
    let sig = &scores.signals;
    let weeks = signal_weeks(ds, sig.last_day.get(s.name).copied());
    let series: Vec<(&str, Vec<Option<f64>>)> = sig
        .quarter
        .iter()
        .filter(|v| v.metric == s.name)
        .map(|v| {
            let run = weekly.get(&(v.team.as_str(), s.name)).copied().unwrap_or(&[]);
            (v.team.as_str(), week_values(&weeks, run, s.is_count() && v.n > 0))
        })
        .collect();
    let org = s.reference(sig.org.iter().find(|o| o.metric == s.name).and_then(|o| o.value), series.len());
    let cuts = dora_cuts(config, s.name);
    let band = config.metrics.get(s.name).and_then(|m| m.band()).map(|b| (b.low, b.high));
    let ticks = Multiples::axis(series.iter().flat_map(|(_, v)| v.iter().flatten().copied()), org, &cuts);
    let m = Multiples { name: s.name, label: s.label, unit: s.figure_unit(), weeks, org, cuts, band, ticks };
    series
        .into_iter()
        .map(|(team, values)| {
            let svg = if panels {
                m.panel(team, &values)?
            } else {
                m.spark(&values, &format!("{} of {team} by week", s.label))
            };
            Ok(((team.to_string(), s.name.to_string()), svg))
        })
        .collect()
}

/// The Monday of every complete week of the quarter: from the quarter's
/// first week to its last, stopping before a week that runs past `last_day`
/// (the export's last event), whose value would cover only part of it.
fn signal_weeks(ds: &Dataset, last_day: Option<NaiveDate>) -> Vec<NaiveDate> {
    let end = ds
        .quarter
        .end()
        .min(last_day.map_or(ds.quarter.end(), |d| d.checked_sub_days(chrono::Days::new(6)).unwrap_or(d)));
    let first = crate::model::week_monday(ds.quarter.start());
    first.iter_weeks().take_while(|m| *m <= end).collect()
}

/// A team's value in each of `weeks`: a week without events has none, or
/// 0 for a count signal of a team that had such events in the quarter.
fn week_values(weeks: &[NaiveDate], run: &[MetricPoint], zero_when_empty: bool) -> Vec<Option<f64>> {
    let by_week: BTreeMap<NaiveDate, f64> = run.iter().map(|p| (p.date, p.value)).collect();
    weeks.iter().map(|w| by_week.get(w).copied().or(zero_when_empty.then_some(0.0))).collect()
}

/// The DORA cut points of a signal, each with the class on its better side.
fn dora_cuts(config: &Config, metric: &str) -> Vec<(f64, &'static str)> {
    config.dora.cuts(metric).map_or_else(Vec::new, |(cuts, _, _)| cuts.into_iter().zip(DORA_CLASSES).collect())
}

/// The weekly points by (team, signal), each run in date order.
fn team_metric_runs(weekly: &[MetricPoint]) -> BTreeMap<(&str, &str), &[MetricPoint]> {
    let mut runs = BTreeMap::new();
    let mut at = 0;
    while at < weekly.len() {
        let (team, metric) = (&weekly[at].team, &weekly[at].metric);
        let end = at + weekly[at..].iter().take_while(|p| &p.team == team && &p.metric == metric).count();
        runs.insert((team.as_str(), metric.as_str()), &weekly[at..end]);
        at = end;
    }
    runs
}

/// The confidence a key result's check-ins report, as a line.
fn confidence_line(label: &str, checkins: &[&Checkin], color: plotters::style::RGBColor) -> Line {
    Line {
        label: label.to_string(),
        points: checkins.iter().filter_map(|c| Some((c.date, c.confidence?))).collect(),
        color,
        dashed: false,
    }
}

/// A confidence chart (0–10) over the quarter with the given lines.
fn confidence_chart(ds: &Dataset, id: &str, subject: &str, lines: Vec<Line>) -> Result<String> {
    time_chart(&TimeChart {
        id: id.to_string(),
        title: format!("Confidence over the quarter: {subject}"),
        desc: confidence_desc(&lines),
        from: ds.quarter.start(),
        to: ds.quarter.end(),
        lines,
        rules: vec![],
        band: None,
        marker: None,
        y_range: Some((0.0, 10.0)),
        unit: crate::format::Unit::Quantity,
        at_least: 0,
        width: 960,
        height: 240,
    })
}

/// The text description of confidence lines: each one's first and last check-in.
fn confidence_desc(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| match (l.points.first(), l.points.last()) {
            (Some(a), Some(b)) => format!(
                "{}: confidence {} on {} to {} on {}",
                l.label,
                whole_or_tenth(a.1),
                short_date(a.0),
                whole_or_tenth(b.1),
                short_date(b.0)
            ),
            _ => format!("{}: no confidence reported", l.label),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A key result's value over the quarter: measured and reported lines,
/// baseline/target (or done) rules, its band and its due date.
fn value_chart(
    ds: &Dataset,
    kr: &KeyResult,
    checkins: &[&Checkin],
    measured: Vec<(NaiveDate, f64)>,
    (width, height): (u32, u32),
    id_prefix: &str,
) -> Result<String> {
    let (mut desc, mut lines) = value_lines(ds, kr, checkins, measured);
    let rules = kr_references(kr, &mut desc);
    lines.extend(expected_line(ds, kr, &mut desc));
    if lines.is_empty() {
        desc.insert(0, "no values reported or measured".into());
    }
    time_chart(&TimeChart {
        id: format!("{id_prefix}{}", kr.id),
        title: format!("{} over {}", kr.id, ds.quarter),
        desc: desc.join("; "),
        from: ds.quarter.start(),
        to: ds.quarter.end(),
        lines,
        rules,
        band: kr.band.map(|b| (b.low, b.high)),
        marker: Some((kr.due, "due".into())),
        y_range: (kr.kind == KrKind::Milestone).then_some((0.0, 1.0)),
        unit: if kr.kind == KrKind::Milestone { crate::format::Unit::Share } else { crate::format::Unit::Quantity },
        at_least: kr.written_decimals(),
        width,
        height,
    })
}

/// The measured line and the line of values reported up to due, those
/// that have points, with a description of each.
fn value_lines(
    ds: &Dataset,
    kr: &KeyResult,
    checkins: &[&Checkin],
    measured: Vec<(NaiveDate, f64)>,
) -> (Vec<String>, Vec<Line>) {
    let reported: Vec<_> = checkins
        .iter()
        .filter(|c| c.date <= kr.due && ds.quarter.contains(c.date))
        .filter_map(|c| Some((c.date, c.value?)))
        .collect();
    let mut desc = Vec::new();
    let mut lines = Vec::new();
    for (label, points, color, dashed) in [("measured", measured, BLUE, false), ("reported", reported, ORANGE, true)] {
        if let (Some(a), Some(b)) = (points.first(), points.last()) {
            desc.push(format!(
                "{label} value went from {} on {} to {} on {}",
                kr.figure(a.1),
                short_date(a.0),
                kr.figure(b.1),
                short_date(b.0)
            ));
            lines.push(Line { label: label.to_string(), points, color, dashed });
        }
    }
    (desc, lines)
}

/// As of a date before a key result's due date (SPEC §6): the line its
/// value would follow at an even pace, from the baseline at the quarter's
/// start to the target on due (a milestone from 0 to done); none for a
/// key result kept in a band.
fn expected_line(ds: &Dataset, kr: &KeyResult, desc: &mut Vec<String>) -> Option<Line> {
    if !ds.partial() || ds.decided(kr) {
        return None;
    }
    let (from, to) = match kr.kind {
        KrKind::Milestone => (0.0, 1.0),
        KrKind::Metric => (kr.baseline?, kr.score_target()?),
    };
    desc.push(format!(
        "expected at an even pace: {} on {} to {} on due {}",
        num(from),
        short_date(ds.quarter.start()),
        num(to),
        short_date(kr.due)
    ));
    let points = vec![(ds.quarter.start(), from), (kr.due, to)];
    Some(Line { label: "expected".into(), points, color: MUTED, dashed: true })
}

/// The reference rules of a key result (done, or baseline and target),
/// describing the metric ones, its band and its due date in `desc`.
fn kr_references(kr: &KeyResult, desc: &mut Vec<String>) -> Vec<Rule> {
    let mut rules = Vec::new();
    match kr.kind {
        KrKind::Milestone => rules.push(Rule { label: "done".into(), y: 1.0, color: GREEN }),
        KrKind::Metric => {
            if let Some(b) = kr.baseline {
                rules.push(Rule { label: "baseline".into(), y: b, color: MUTED });
                desc.push(format!("baseline {}", kr.figure(b)));
            }
            if let Some(t) = kr.target {
                rules.push(Rule { label: "target".into(), y: t, color: GREEN });
                desc.push(format!("target {}", kr.figure(t)));
            }
        }
    }
    if let Some(b) = kr.band {
        desc.push(format!("band {} to {}", kr.figure(b.low), kr.figure(b.high)));
    }
    desc.push(format!("due {}", short_date(kr.due)));
    rules
}
