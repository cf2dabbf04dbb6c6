//! View models for the evidence behind the scores: guardrails and pairs,
//! health, and initiatives with their before/after.

use super::lookup::Lookup;
use crate::format::{num, points, signed_pct};
use crate::model::{Direction, Grade};
use crate::score::drift::{Against, ChangeUnit, DriftCheck};
use crate::score::findings::drift_value;
use serde::Serialize;
use std::collections::BTreeSet;

/// One guardrail or pair check as a table row.
#[derive(Debug, Serialize)]
pub struct GuardRow {
    pub kind: &'static str,
    pub name: String,
    pub href: String,
    pub first: String,
    pub last: String,
    pub change: String,
    /// `worse`, `better`, `steady`, `no direction` or `no data`.
    pub verdict: &'static str,
    pub drifting: bool,
}

/// One team health metric's latest check.
#[derive(Debug, Serialize)]
pub struct HealthLatest {
    pub metric: String,
    pub date: String,
    pub status: &'static str,
    pub note: String,
    pub red_weeks: usize,
}

/// One team's health metrics, for the health page.
#[derive(Debug, Serialize)]
pub struct HealthTeam {
    pub id: String,
    /// Its team page, or empty for a team without key results this quarter.
    pub href: String,
    pub rows: Vec<HealthLatest>,
}

/// The organisation's health as a table, one row per team, past
/// [`crate::chart::MAX_CHART_TEAMS`] teams (where a map of every metric would
/// be a chart of thousands of rows).
#[derive(Debug, Serialize)]
pub struct HealthTable {
    /// Each week's Monday, as the map names it.
    pub weeks: Vec<String>,
    pub rows: Vec<HealthTableRow>,
}

/// One team: its worst status of each week, as (status word, letter).
#[derive(Debug, Serialize)]
pub struct HealthTableRow {
    pub id: String,
    pub href: String,
    pub cells: Vec<(&'static str, &'static str)>,
}

/// One initiative with its before/after.
#[derive(Debug, Serialize)]
pub struct InitiativeRow {
    pub number: usize,
    pub name: String,
    pub kr_id: String,
    pub kr_href: String,
    pub status: &'static str,
    pub impact: String,
    pub effort: String,
    pub started: String,
    pub finished: String,
    pub metric: String,
    pub before: String,
    pub after: String,
    pub points: String,
    pub change: String,
    /// `better`, `worse`, `no change` or empty without a before/after.
    pub verdict: &'static str,
}

/// A drift check as a row.
pub fn guard_row(ix: &Lookup, d: &DriftCheck) -> GuardRow {
    let (kind, name, href) = match &d.against {
        Against::Guardrail(m) => ("guardrail", ix.config.metric_label(m).to_string(), String::new()),
        Against::Paired(k) => ("paired with", k.clone(), ix.links.kr(k)),
    };
    GuardRow {
        kind,
        name,
        href,
        first: side(d, d.first, d.first_n),
        last: side(d, d.last, d.last_n),
        change: d.change.map_or_else(
            || "—".into(),
            |ch| match d.unit {
                ChangeUnit::Points => signed_points(ch),
                ChangeUnit::Relative => signed_pct(ch),
            },
        ),
        verdict: d.movement.word(),
        drifting: d.wrong_way,
    }
}

/// One side of a drift check: its value and what it rests on.
fn side(d: &DriftCheck, value: Option<f64>, n: u32) -> String {
    match value {
        Some(x) => format!("{} (n = {n})", drift_value(d, x)),
        None => format!("— (n = {n})"),
    }
}

/// A change in percentage points, signed.
fn signed_points(x: f64) -> String {
    let sign = if x > 0.0 {
        "+"
    } else if x < 0.0 {
        "−"
    } else {
        "±"
    };
    format!("{sign}{} pts", points(x.abs()))
}

/// Guardrail and pair checks of one key result.
pub fn guard_rows(ix: &Lookup, kr_id: &str) -> Vec<GuardRow> {
    let drift = &ix.scores.drift;
    let start = drift.partition_point(|d| ix.kr_order(&d.kr_id) < ix.kr_order(kr_id));
    drift[start..].iter().take_while(|d| d.kr_id == kr_id).map(|d| guard_row(ix, d)).collect()
}

/// The latest health of one team.
pub fn health_latest(ix: &Lookup, team: &str) -> Vec<HealthLatest> {
    let rows = ix.scores.health.rows.iter().filter(|r| r.team == team);
    rows.map(|r| HealthLatest {
        metric: r.metric.clone(),
        date: r.latest.0.to_string(),
        status: r.latest.1.word(),
        note: r.latest.2.clone().unwrap_or_default(),
        red_weeks: r.red_streak.map_or(0, |s| s.2),
    })
    .collect()
}

/// Every team's worst health status of each week (red, then amber, then
/// green; none without a check), up to the last week any team was checked.
pub fn health_table(ix: &Lookup) -> HealthTable {
    let grid = &ix.scores.health;
    let weeks = grid.weeks_shown(&(0..grid.rows.len()).collect::<Vec<_>>());
    let mut by_team: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
    for (i, r) in grid.rows.iter().enumerate() {
        by_team.entry(r.team.as_str()).or_default().push(i);
    }
    // grades are ordered from best to worst: the worst is the greatest
    let worst = |rows: &[usize], week: usize| {
        rows.iter().filter_map(|&r| grid.rows[r].cells.get(week).copied().flatten()).max()
    };
    let cell = |g: Option<Grade>| g.map_or(("none", ""), |g| (g.word(), crate::chart::grid::letter(g)));
    HealthTable {
        weeks: grid.weeks.iter().take(weeks).map(|d| crate::chart::short_date(*d)).collect(),
        rows: by_team
            .into_iter()
            .map(|(team, rows)| HealthTableRow {
                id: team.to_string(),
                href: ix.links.team(team),
                cells: (0..weeks).map(|w| cell(worst(&rows, w))).collect(),
            })
            .collect(),
    }
}

/// Every team of health.csv with its latest statuses.
pub fn health_teams(ix: &Lookup) -> Vec<HealthTeam> {
    let teams: BTreeSet<&str> = ix.scores.health.rows.iter().map(|r| r.team.as_str()).collect();
    teams
        .into_iter()
        .map(|t| HealthTeam { id: t.to_string(), href: ix.links.team(t), rows: health_latest(ix, t) })
        .collect()
}

/// Initiatives of one team, or of one key result, numbered as on the
/// team's impact × effort chart.
pub fn initiative_rows(ix: &Lookup, team: Option<&str>, kr_id: Option<&str>) -> Vec<InitiativeRow> {
    let kr_team = kr_id.and_then(|k| ix.kr_by_id(k)).map(|k| k.team.as_str());
    let Some(team) = team.or(kr_team) else { return Vec::new() };
    let numbered = ix.initiatives_by_team.get(team).map_or(&[][..], Vec::as_slice);
    numbered
        .iter()
        .filter(|&&(_, i)| kr_id.is_none_or(|k| ix.ds.initiatives[i].kr_id == k))
        .map(|&(number, i)| initiative_row(ix, number, i))
        .collect()
}

fn initiative_row(ix: &Lookup, number: usize, i: usize) -> InitiativeRow {
    let init = &ix.ds.initiatives[i];
    let m = ix.impacts.get(&i);
    let text = |v: Option<String>| v.unwrap_or_default();
    // the metric's values read as its key result's do
    let kr = ix.kr_by_id(&init.kr_id);
    let value = |v: Option<f64>| text(v.map(|v| kr.map_or_else(|| num(v), |k| k.number(v))));
    InitiativeRow {
        number,
        name: init.name.clone(),
        kr_id: init.kr_id.clone(),
        kr_href: ix.links.kr(&init.kr_id),
        status: init.status.word(),
        impact: text(init.impact.map(|v| v.to_string())),
        effort: text(init.effort.map(|v| v.to_string())),
        started: text(init.started.map(|d| d.to_string())),
        finished: text(init.finished.map(|d| d.to_string())),
        metric: text(m.map(|m| ix.config.metric_label(&m.metric).to_string())),
        before: value(m.and_then(|m| m.before)),
        after: value(m.and_then(|m| m.after)),
        points: text(m.map(|m| format!("{} / {}", m.before_n, m.after_n))),
        change: text(m.and_then(|m| m.change).map(signed_pct)),
        verdict: m.map_or("", |m| m.verdict),
    }
}

/// The direction words of a key result.
pub fn direction_text(d: Option<Direction>) -> String {
    match d {
        Some(Direction::Increase) => "higher is better".into(),
        Some(Direction::Decrease) => "lower is better".into(),
        None => String::new(),
    }
}
