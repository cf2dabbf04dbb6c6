//! View models of the diagnosis (SPEC §7): each team's calibration and its
//! misses by cause, and the dependencies page (the reliability chart, every
//! team's calibration, the dependency map and table, recurring blockers).
//! Teams only: no author is shown.

use super::lookup::Lookup;
use crate::format::score as score_text;
use crate::score::calibration::Forecasts;
use crate::score::dependencies::Dependency;
use crate::score::misses::{Cause, Miss};
use serde::Serialize;

/// A team's or the org's calibration, formatted.
#[derive(Debug, Serialize)]
pub struct CalibrationRow {
    pub team: String,
    pub name: String,
    pub href: String,
    pub brier: String,
    pub brier_last: String,
    pub checkins: u32,
    pub krs: u32,
    /// "over-confident by 31 pts", "under-confident by 20 pts", "matched the outcomes", or empty.
    pub lean: String,
    pub mean_forecast: String,
    pub share_green: String,
}

/// One missed key result under one cause, with that cause's evidence.
#[derive(Debug, Serialize)]
pub struct MissItem {
    pub kr_id: String,
    pub href: String,
    pub text: String,
    pub score: String,
    pub evidence: Vec<String>,
}

/// The misses of one cause (or the unexplained ones).
#[derive(Debug, Serialize)]
pub struct CauseGroup {
    /// `rhythm`, `delivery`, `strategy` or `unexplained`.
    pub cause: &'static str,
    pub label: &'static str,
    pub items: Vec<MissItem>,
}

/// One team waiting on another for one key result.
#[derive(Debug, Serialize)]
pub struct DependencyRow {
    pub from: String,
    pub from_href: String,
    pub to: String,
    pub to_href: String,
    pub kr_id: String,
    pub kr_href: String,
    pub weeks: u32,
    pub first: String,
    pub last: String,
    pub latest: String,
}

/// What a team page shows of the diagnosis.
#[derive(Debug, Serialize)]
pub struct TeamDiagnosis {
    pub calibration: Option<CalibrationRow>,
    /// Causes in order, then the unexplained misses; groups without misses left out.
    pub causes: Vec<CauseGroup>,
    pub misses: usize,
    /// The team waiting on others, and others waiting on it.
    pub waits_on: Vec<DependencyRow>,
    pub waited_on_by: Vec<DependencyRow>,
}

/// One recurring blocker, formatted.
#[derive(Debug, Serialize)]
pub struct RecurringRow {
    pub team: String,
    pub href: String,
    pub text: String,
    pub weeks: u32,
    pub first: String,
    pub last: String,
    /// (kr_id, href) of each key result it was written on.
    pub krs: Vec<(String, String)>,
}

/// The dependencies page.
#[derive(Debug, Serialize)]
pub struct DependenciesView {
    pub reliability_chart: String,
    pub org: CalibrationRow,
    pub teams: Vec<CalibrationRow>,
    pub map: String,
    /// Edges drawn on the map, and in all.
    pub map_edges: (usize, usize),
    pub map_teams: usize,
    pub dependencies: Vec<DependencyRow>,
    pub recurring: Vec<RecurringRow>,
    pub recurring_weeks: usize,
}

/// A calibration as shown; a team without confidences has no figures.
fn calibration_row(ix: &Lookup, f: &Forecasts) -> CalibrationRow {
    let dash = |x: Option<f64>| x.map_or_else(|| "—".to_string(), score_text);
    let percent = |x: Option<f64>| x.map_or_else(|| "—".to_string(), crate::format::pct);
    CalibrationRow {
        team: f.team.clone(),
        name: ix.config.team_name(&f.team).to_string(),
        href: ix.links.team(&f.team),
        brier: dash(f.brier),
        brier_last: dash(f.brier_last),
        checkins: f.checkins,
        krs: f.krs,
        lean: f.overconfidence.map(lean).unwrap_or_default(),
        mean_forecast: percent(f.mean_forecast),
        share_green: percent(f.share_green),
    }
}

/// Overconfidence (mean p − mean o) in words and whole percentage points.
fn lean(x: f64) -> String {
    let points = (x * 100.0).round();
    match points {
        p if p > 0.0 => format!("over-confident by {p:.0} pts"),
        p if p < 0.0 => format!("under-confident by {:.0} pts", -p),
        _ => "matched the outcomes".to_string(),
    }
}

/// A team's calibration and misses by cause, and who it waited on.
pub fn team_diagnosis(ix: &Lookup, team: &str) -> TeamDiagnosis {
    let c = &ix.scores.calibration;
    let calibration = c.teams.iter().find(|f| f.team == team && f.checkins > 0).map(|f| calibration_row(ix, f));
    let misses: Vec<&Miss> = ix.scores.misses.iter().filter(|m| m.team == team).collect();
    let deps = &ix.scores.dependencies.dependencies;
    let rows =
        |keep: &dyn Fn(&Dependency) -> bool| deps.iter().filter(|d| keep(d)).map(|d| dependency_row(ix, d)).collect();
    TeamDiagnosis {
        calibration,
        causes: cause_groups(ix, &misses),
        misses: misses.len(),
        waits_on: rows(&|d| d.from_team == team),
        waited_on_by: rows(&|d| d.to_team == team),
    }
}

/// The misses under each cause that holds for any, then the unexplained
/// ones; a miss with two causes is under both. For any set of misses (a
/// team's, or the organisation's on the overview).
pub fn cause_groups(ix: &Lookup, misses: &[&Miss]) -> Vec<CauseGroup> {
    let item = |m: &Miss, evidence: Vec<String>| MissItem {
        kr_id: m.kr_id.clone(),
        href: ix.links.kr(&m.kr_id),
        text: ix.kr_by_id(&m.kr_id).map(|k| k.text.clone()).unwrap_or_default(),
        score: score_text(m.score),
        evidence,
    };
    let mut groups: Vec<CauseGroup> = Cause::ALL
        .iter()
        .map(|&cause| {
            let found = misses.iter().filter_map(|m| Some((m, m.causes.iter().find(|c| c.cause == cause)?)));
            let items = found.map(|(m, c)| item(m, c.evidence.iter().map(|e| e.message.clone()).collect()));
            CauseGroup { cause: cause.word(), label: cause.kind().rule().label, items: items.collect() }
        })
        .collect();
    let unexplained = misses.iter().filter(|m| m.unexplained).map(|m| item(m, Vec::new()));
    groups.push(CauseGroup { cause: "unexplained", label: "Unexplained", items: unexplained.collect() });
    groups.retain(|g| !g.items.is_empty());
    groups
}

fn dependency_row(ix: &Lookup, d: &Dependency) -> DependencyRow {
    DependencyRow {
        from: ix.config.team_name(&d.from_team).to_string(),
        from_href: ix.links.team(&d.from_team),
        to: ix.config.team_name(&d.to_team).to_string(),
        to_href: ix.links.team(&d.to_team),
        kr_id: d.kr_id.clone(),
        kr_href: ix.links.kr(&d.kr_id),
        weeks: d.weeks,
        first: d.first.to_string(),
        last: d.last.to_string(),
        latest: d.latest.clone(),
    }
}

/// The dependencies page: calibration, the map, the dependencies and recurring blockers.
pub fn dependencies_page(ix: &Lookup) -> DependenciesView {
    let (c, d) = (&ix.scores.calibration, &ix.scores.dependencies);
    let recurring = d.recurring.iter().map(|r| RecurringRow {
        team: ix.config.team_name(&r.team).to_string(),
        href: ix.links.team(&r.team),
        text: r.text.clone(),
        weeks: r.weeks,
        first: r.first.to_string(),
        last: r.last.to_string(),
        krs: r.kr_ids.iter().map(|k| (k.clone(), ix.links.kr(k))).collect(),
    });
    DependenciesView {
        reliability_chart: ix.charts.reliability.clone().unwrap_or_default(),
        org: calibration_row(ix, &c.org),
        teams: c.teams.iter().map(|f| calibration_row(ix, f)).collect(),
        map: ix.charts.dependency_map.clone().unwrap_or_default(),
        map_edges: ix.charts.map_edges,
        map_teams: crate::chart::graph::MAP_TEAMS,
        dependencies: d.dependencies.iter().map(|x| dependency_row(ix, x)).collect(),
        recurring: recurring.collect(),
        recurring_weeks: ix.config.thresholds.recurring_blocker_weeks,
    }
}

/// Fills dependencies.html.
pub(super) fn fill(p: &super::Pack, ctx: &mut tera::Context) {
    ctx.insert("view", &dependencies_page(p.ix));
}
