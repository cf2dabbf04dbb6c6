//! history.html (SPEC §6): each team's score and each signal's quarter
//! value over the last eight quarters, and the org's early-warning share
//! and calibration per quarter. The quarter built is the last column.

use super::lookup::Lookup;
use super::signals::signal_text;
use crate::format::score as score_text;
use crate::model::Grade;
use crate::score::history::PastQuarter;
use crate::score::signals::{SignalValue, SIGNALS};
use crate::score::{EarlyWarning, TeamScore};
use serde::Serialize;
use std::collections::BTreeSet;

/// Past this many teams, history.html shows the org's signals only: each
/// team's are in summary.json (`history`), not in a page that grows.
pub const MAX_SIGNAL_TEAMS: usize = 30;

/// One quarter as history.html reads it: the pack's own quarter or an earlier one.
struct Column<'a> {
    teams: &'a [TeamScore],
    org: Option<f64>,
    early_warning: EarlyWarning,
    brier: Option<f64>,
    signals: &'a [SignalValue],
    org_signals: &'a [SignalValue],
}

impl<'a> From<&'a PastQuarter> for Column<'a> {
    fn from(p: &'a PastQuarter) -> Self {
        Column {
            teams: &p.teams,
            org: p.org,
            early_warning: p.early_warning,
            brier: p.calibration.brier,
            signals: &p.signals,
            org_signals: &p.org_signals,
        }
    }
}

/// A cell: a figure, graded where it is a score.
#[derive(Debug, Serialize)]
pub struct Cell {
    pub text: String,
    pub grade: Option<Grade>,
}

/// A row of one of the tables: what it is about and a cell per quarter.
#[derive(Debug, Serialize)]
pub struct Row {
    pub label: String,
    pub href: String,
    pub cells: Vec<Cell>,
}

/// One signal's team values per quarter.
#[derive(Debug, Serialize)]
pub struct SignalTeams {
    pub name: &'static str,
    pub label: &'static str,
    pub rows: Vec<Row>,
}

/// Everything history.html shows.
#[derive(Debug, Serialize)]
pub struct HistoryView {
    /// The quarters, oldest first, the one built last.
    pub quarters: Vec<String>,
    /// The org score, early-warning share and Brier score per quarter.
    pub org: Vec<Row>,
    pub teams: Vec<Row>,
    /// The org's value of each signal per quarter.
    pub signals: Vec<Row>,
    /// Each signal's team values; empty past [`MAX_SIGNAL_TEAMS`] teams.
    pub signal_teams: Vec<SignalTeams>,
    pub signal_teams_cut: bool,
}

/// The history page of the pack.
pub fn history(ix: &Lookup) -> HistoryView {
    let s = ix.scores;
    let current = Column {
        teams: &s.teams,
        org: s.org,
        early_warning: s.early_warning,
        brier: s.calibration.org.brier,
        signals: &s.signals.quarter,
        org_signals: &s.signals.org,
    };
    let columns: Vec<Column> = s.history.iter().map(Column::from).chain(std::iter::once(current)).collect();
    let mut quarters: Vec<String> = s.history.iter().map(|p| p.quarter.to_string()).collect();
    quarters.push(match ix.ds.standing.date() {
        Some(d) => format!("{} (as of {d})", ix.ds.quarter),
        None => ix.ds.quarter.to_string(),
    });
    let teams: BTreeSet<&str> = columns.iter().flat_map(|c| c.teams.iter().map(|t| t.team.as_str())).collect();
    let cut = teams.len() > MAX_SIGNAL_TEAMS;
    HistoryView {
        quarters,
        org: org_rows(ix, &columns),
        teams: teams.iter().map(|t| team_row(ix, t, &columns)).collect(),
        signals: SIGNALS.iter().filter_map(|d| signal_row(d.name, d.label, "", &columns)).collect(),
        signal_teams: if cut { Vec::new() } else { signal_teams(&teams, &columns) },
        signal_teams_cut: cut,
    }
}

/// The org's score, its early-warning share and its Brier score, per quarter.
fn org_rows(ix: &Lookup, columns: &[Column]) -> Vec<Row> {
    let grades = &ix.config.grades;
    let score = |c: &Column| Cell {
        text: c.org.map_or_else(|| "—".into(), score_text),
        grade: c.org.map(|o| grades.grade(o)),
    };
    let warning = |c: &Column| {
        let e = &c.early_warning;
        let text = e.share_surfaced_early.map_or_else(
            || "—".into(),
            |share| format!("{} of {} ({:.0}%)", e.surfaced_early, e.missed, share * 100.0),
        );
        Cell { text, grade: None }
    };
    let brier = |c: &Column| Cell { text: c.brier.map_or_else(|| "—".into(), |b| format!("{b:.3}")), grade: None };
    let row = |label: &str, cell: &dyn Fn(&Column) -> Cell| Row {
        label: label.to_string(),
        href: String::new(),
        cells: columns.iter().map(cell).collect(),
    };
    vec![
        row("Org score", &score),
        row("Misses whose risk was raised early", &warning),
        row("Brier score of the confidences (lower is better)", &brier),
    ]
}

/// One team's score per quarter.
fn team_row(ix: &Lookup, team: &str, columns: &[Column]) -> Row {
    let cells = columns
        .iter()
        .map(|c| {
            let t = c.teams.iter().find(|t| t.team == team);
            Cell { text: t.map_or_else(|| "—".into(), |t| score_text(t.score)), grade: t.map(|t| t.grade) }
        })
        .collect();
    Row { label: team.to_string(), href: ix.links.team(team), cells }
}

/// A signal's value per quarter, for the org (team "") or a team; none when no quarter has one.
fn signal_row(name: &str, label: &str, team: &str, columns: &[Column]) -> Option<Row> {
    let value = |c: &Column| {
        let list = if team.is_empty() { c.org_signals } else { c.signals };
        list.iter().find(|v| v.metric == name && v.team == team).and_then(|v| v.value)
    };
    let values: Vec<Option<f64>> = columns.iter().map(value).collect();
    values.iter().any(Option::is_some).then(|| Row {
        label: label.to_string(),
        href: String::new(),
        cells: values.into_iter().map(|v| Cell { text: signal_text(name, v), grade: None }).collect(),
    })
}

/// Each signal's values per team and quarter.
fn signal_teams(teams: &BTreeSet<&str>, columns: &[Column]) -> Vec<SignalTeams> {
    SIGNALS
        .iter()
        .filter_map(|d| {
            let rows: Vec<Row> = teams.iter().filter_map(|t| signal_row(d.name, t, t, columns)).collect();
            (!rows.is_empty()).then_some(SignalTeams { name: d.name, label: d.label, rows })
        })
        .collect()
}
