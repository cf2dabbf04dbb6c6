//! View models for the evidence behind the scores: how the quarter went,
//! guardrails and pairs, health, and initiatives with their before/after.

use super::view::{KrRow, Views};
use crate::chart::num;
use crate::model::{Direction, KeyResult, Rag};
use crate::score::drift::{Against, DriftCheck};
use serde::Serialize;
use std::collections::BTreeSet;

/// The index's short story of the quarter.
#[derive(Debug, Serialize)]
pub struct QuarterStory {
    pub missed: usize,
    pub surfaced_early: usize,
    pub surfaced_late: usize,
    pub never_surfaced: usize,
    pub surprises: usize,
    pub share_early: Option<String>,
    pub early_days: i64,
    pub stale: usize,
    pub drifting: usize,
    pub reported_not_measured: usize,
    pub health_red: usize,
}

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

/// A key result next to its pair.
#[derive(Debug, Serialize)]
pub struct PairView {
    pub left: KrRow,
    pub left_layer: String,
    pub left_chart: String,
    pub right: KrRow,
    pub right_layer: String,
    pub right_chart: String,
    pub check: Option<GuardRow>,
}

fn signed_pct(x: f64) -> String {
    let p = x * 100.0;
    if p.abs() < 0.5 {
        "±0%".into()
    } else {
        format!("{}{:.0}%", if p > 0.0 { "+" } else { "−" }, p.abs())
    }
}

fn rag_word(r: Rag) -> &'static str {
    r.word()
}

impl Views<'_> {
    /// Counts for "how the quarter went".
    pub fn story(&self) -> QuarterStory {
        let e = self.scores.early_warning;
        let count = |kind: &str| self.scores.findings.iter().filter(|f| f.kind == kind).count();
        QuarterStory {
            missed: e.missed,
            surfaced_early: e.surfaced_early,
            surfaced_late: e.surfaced_late,
            never_surfaced: e.never_surfaced,
            surprises: e.surprises,
            share_early: e.share_surfaced_early.map(|s| format!("{:.0}%", s * 100.0)),
            early_days: self.config.thresholds.early_warning_days,
            stale: count("stale"),
            drifting: count("green_but_drifting"),
            reported_not_measured: count("reported_not_measured"),
            health_red: count("health_red"),
        }
    }

    /// A drift check as a row.
    pub fn guard_row(&self, d: &DriftCheck) -> GuardRow {
        let (kind, name, href) = match &d.against {
            Against::Guardrail(m) => ("guardrail", self.config.metric_label(m).to_string(), String::new()),
            Against::Paired(k) => ("paired with", k.clone(), self.links.kr(k)),
        };
        let verdict = match (d.change, d.direction) {
            (None, _) => "no data",
            (Some(_), None) => "no direction",
            (Some(_), Some(_)) if d.wrong_way => "worse",
            (Some(ch), Some(dir)) if dir.sign() * ch > self.config.thresholds.drift => "better",
            _ => "steady",
        };
        GuardRow {
            kind,
            name,
            href,
            first: d.first.map_or_else(|| "—".into(), num),
            last: d.last.map_or_else(|| "—".into(), num),
            change: d.change.map_or_else(|| "—".into(), signed_pct),
            verdict,
            drifting: d.wrong_way,
        }
    }

    /// Guardrail and pair checks of one key result.
    pub fn guard_rows(&self, kr_id: &str) -> Vec<GuardRow> {
        let start = self.scores.drift.partition_point(|d| self.kr_order(&d.kr_id) < self.kr_order(kr_id));
        self.scores.drift[start..].iter().take_while(|d| d.kr_id == kr_id).map(|d| self.guard_row(d)).collect()
    }

    /// The latest health of one team.
    pub fn health_latest(&self, team: &str) -> Vec<HealthLatest> {
        self.scores
            .health
            .rows
            .iter()
            .filter(|r| r.team == team)
            .map(|r| HealthLatest {
                metric: r.metric.clone(),
                date: r.latest.0.to_string(),
                status: rag_word(r.latest.1),
                note: r.latest.2.clone().unwrap_or_default(),
                red_weeks: r.red_streak.map_or(0, |s| s.2),
            })
            .collect()
    }

    /// Every team of health.csv with its latest statuses.
    pub fn health_teams(&self) -> Vec<HealthTeam> {
        let teams: BTreeSet<&str> = self.scores.health.rows.iter().map(|r| r.team.as_str()).collect();
        teams
            .into_iter()
            .map(|t| HealthTeam {
                id: t.to_string(),
                href: self.links.teams.get(t).cloned().unwrap_or_default(),
                rows: self.health_latest(t),
            })
            .collect()
    }

    /// Initiatives of one team, or of one key result, numbered as on the
    /// team's impact × effort chart.
    pub fn initiative_rows(&self, team: Option<&str>, kr_id: Option<&str>) -> Vec<InitiativeRow> {
        let kr_team = kr_id.and_then(|k| self.kr_by_id(k)).map(|k| k.team.as_str());
        let Some(team) = team.or(kr_team) else { return Vec::new() };
        let mut out = Vec::new();
        for &(number, i) in self.initiatives_by_team.get(team).map(Vec::as_slice).unwrap_or(&[]) {
            let init = &self.ds.initiatives[i];
            if kr_id.is_some_and(|k| init.kr_id != k) {
                continue;
            }
            let m = self.impacts.get(&i);
            let verdict = m.map_or("", |m| m.verdict);
            out.push(InitiativeRow {
                number,
                name: init.name.clone(),
                kr_id: init.kr_id.clone(),
                kr_href: self.links.kr(&init.kr_id),
                status: init.status.word(),
                impact: init.impact.map_or_else(String::new, |v| v.to_string()),
                effort: init.effort.map_or_else(String::new, |v| v.to_string()),
                started: init.started.map_or_else(String::new, |d| d.to_string()),
                finished: init.finished.map_or_else(String::new, |d| d.to_string()),
                metric: m.map_or_else(String::new, |m| self.config.metric_label(&m.metric).to_string()),
                before: m.and_then(|m| m.before).map_or_else(String::new, num),
                after: m.and_then(|m| m.after).map_or_else(String::new, num),
                points: m.map_or_else(String::new, |m| format!("{} / {}", m.before_n, m.after_n)),
                change: m.and_then(|m| m.change).map_or_else(String::new, signed_pct),
                verdict,
            });
        }
        out
    }

    /// Each key result of the team that names a pair, next to that pair.
    pub fn pairs(&self, team: &str) -> Vec<PairView> {
        let layer = |k: &KeyResult| k.layer.map(|l| format!("{l:?}").to_lowercase()).unwrap_or_default();
        let mut shown = std::collections::BTreeSet::new();
        self.ds
            .krs
            .iter()
            .filter(|k| k.team == team)
            .filter_map(|k| {
                let other = self.kr_by_id(k.paired_with.as_deref()?)?;
                // A pair that names each other is shown once.
                let key = if k.id < other.id { (&k.id, &other.id) } else { (&other.id, &k.id) };
                if !shown.insert(key) {
                    return None;
                }
                let check = self
                    .scores
                    .drift
                    .iter()
                    .find(|d| d.kr_id == k.id && d.against == Against::Paired(other.id.clone()))
                    .map(|d| self.guard_row(d));
                Some(PairView {
                    left: self.kr_row(k),
                    left_layer: layer(k),
                    left_chart: self.charts.kr_value_compact.get(&k.id).cloned().unwrap_or_default(),
                    right: self.kr_row(other),
                    right_layer: layer(other),
                    right_chart: self.charts.kr_value_compact.get(&other.id).cloned().unwrap_or_default(),
                    check,
                })
            })
            .collect()
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
