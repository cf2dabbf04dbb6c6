//! The team page: objectives with their key results, blockers and decisions
//! asked for, health, initiatives, pairs and the team's retrospective.

use super::diagnosis::{team_diagnosis, TeamDiagnosis};
use super::evidence::{guard_row, health_latest, initiative_rows, GuardRow, HealthLatest, InitiativeRow};
use super::krs::{kr_row, KrRow};
use super::lookup::Lookup;
use crate::format::score as score_text;
use crate::model::{Checkin, Grade, KeyResult, Objective};
use crate::notes;
use crate::score::drift::Against;
use serde::Serialize;
use std::collections::BTreeSet;

/// One objective with its key results.
#[derive(Debug, Serialize)]
pub struct ObjectiveRow {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub score: String,
    pub width: f64,
    pub grade: Grade,
    pub krs: Vec<KrRow>,
    pub confidence_chart: String,
    /// Where it sits in the alignment tree (SPEC §8); none without a tree.
    pub tree: Option<TreePlace>,
}

/// An objective's place in the alignment tree, as its team page shows it.
#[derive(Debug, Serialize)]
pub struct TreePlace {
    /// Its anchor on alignment.html.
    pub href: String,
    /// The objective it serves: id, title and anchor; none for a top objective.
    pub serves: Option<(String, String, String)>,
    /// How many objectives align to it, and its aligned score when any do.
    pub children: usize,
    pub aligned: Option<String>,
}

/// One team with its objectives.
#[derive(Debug, Serialize)]
pub struct TeamView {
    pub id: String,
    pub href: String,
    pub score: String,
    pub width: f64,
    pub grade: Grade,
    pub objectives: Vec<ObjectiveRow>,
    pub krs: usize,
    pub too_safe: bool,
    pub overreach: bool,
    pub objectives_chart: String,
    pub retrospective: Option<String>,
    pub asks: Vec<Ask>,
    pub grade_counts: GradeCounts,
    pub health: Vec<HealthLatest>,
    pub health_chart: String,
    pub initiatives: Vec<InitiativeRow>,
    pub initiatives_chart: String,
    pub pairs: Vec<PairView>,
    /// Calibration, misses by cause and dependencies (SPEC §7).
    pub diagnosis: TeamDiagnosis,
    /// Its score's change from the previous quarter (SPEC §6).
    pub change: Option<super::time::Change>,
}

/// A blocker or a decision asked for in a check-in.
#[derive(Debug, Serialize)]
pub struct Ask {
    pub date: String,
    pub kr_id: String,
    pub kr_href: String,
    pub author: String,
    pub blocker: Option<String>,
    pub decision: Option<String>,
}

/// How many key results are green, amber and red.
#[derive(Debug, Default, Serialize)]
pub struct GradeCounts {
    pub green: usize,
    pub amber: usize,
    pub red: usize,
}

impl GradeCounts {
    /// Counts grades.
    pub fn of(grades: impl IntoIterator<Item = Grade>) -> GradeCounts {
        let mut g = GradeCounts::default();
        for grade in grades {
            match grade {
                Grade::Green => g.green += 1,
                Grade::Amber => g.amber += 1,
                Grade::Red => g.red += 1,
            }
        }
        g
    }
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

/// Every team, sorted by id.
pub fn teams(ix: &Lookup) -> Vec<TeamView> {
    use rayon::prelude::*;
    ix.scores.teams.par_iter().map(|t| team(ix, &t.team)).collect()
}

/// One team's view.
pub fn team(ix: &Lookup, id: &str) -> TeamView {
    let t = ix.team_score(id);
    let score = t.map_or(0.0, |t| t.score);
    let objectives: Vec<ObjectiveRow> = ix.team_objectives(id).iter().map(|o| objective_row(ix, o)).collect();
    let krs = objectives.iter().flat_map(|o| &o.krs);
    let grade_counts = GradeCounts::of(krs.clone().map(|k| k.grade));
    let chart = |charts: &std::collections::BTreeMap<String, String>| charts.get(id).cloned().unwrap_or_default();
    TeamView {
        id: id.to_string(),
        href: ix.links.team(id),
        score: score_text(score),
        width: (score * 100.0).clamp(0.0, 100.0),
        grade: ix.config.grades.grade(score),
        krs: krs.count(),
        objectives,
        too_safe: t.is_some_and(|t| t.too_safe),
        overreach: t.is_some_and(|t| t.overreach),
        objectives_chart: chart(&ix.charts.team_objectives),
        retrospective: ix.ds.notes.teams.get(id).map(|m| notes::to_html(m)),
        asks: asks(ix, id),
        grade_counts,
        health: health_latest(ix, id),
        health_chart: chart(&ix.charts.health_team),
        initiatives: initiative_rows(ix, Some(id), None),
        initiatives_chart: chart(&ix.charts.initiatives_team),
        pairs: pairs(ix, id),
        diagnosis: team_diagnosis(ix, id),
        change: t.and_then(|t| super::time::team_change(ix, id, t.score)),
    }
}

fn objective_row(ix: &Lookup, o: &Objective) -> ObjectiveRow {
    let s = ix.objective_score(&o.id);
    ObjectiveRow {
        id: o.id.clone(),
        title: o.title.clone(),
        kind: o.kind.as_str(),
        score: score_text(s),
        width: (s * 100.0).clamp(0.0, 100.0),
        grade: ix.config.grades.grade(s),
        krs: ix.objective_krs(&o.id).iter().map(|k| kr_row(ix, k)).collect(),
        confidence_chart: ix.charts.objective_confidence.get(&o.id).cloned().unwrap_or_default(),
        tree: tree_place(ix, &o.id),
    }
}

/// An objective's parent and children in the tree; none when the quarter has no tree.
fn tree_place(ix: &Lookup, id: &str) -> Option<TreePlace> {
    let a = &ix.scores.alignment;
    let node = a.node(id).filter(|_| a.exists())?;
    let anchor = |id: &str| format!("alignment.html#o-{}", ix.links.objective_anchor(id));
    let serves = node.aligns_to.as_deref().map(|p| {
        let title = ix.objective(p).map_or_else(String::new, |o| o.title.clone());
        (p.to_string(), title, anchor(p))
    });
    Some(TreePlace {
        href: anchor(id),
        serves,
        children: node.children.len(),
        aligned: (!node.children.is_empty()).then_some(node.aligned_score).flatten().map(score_text),
    })
}

/// The blockers and decisions of the team's check-ins, newest first.
fn asks(ix: &Lookup, team: &str) -> Vec<Ask> {
    let krs = ix.ds.krs.iter().filter(|k| k.team == team);
    let checkins = krs.flat_map(|k| ix.checkins(&k.id)).filter(|c| c.blockers.is_some() || c.decision_needed.is_some());
    let mut out: Vec<Ask> = checkins.map(|c| ask(ix, c)).collect();
    out.sort_by(|a, b| (&b.date, &a.kr_id).cmp(&(&a.date, &b.kr_id)));
    out
}

fn ask(ix: &Lookup, c: &Checkin) -> Ask {
    Ask {
        date: c.date.to_string(),
        kr_id: c.kr_id.clone(),
        kr_href: ix.links.kr(&c.kr_id),
        author: ix.person_name(c.author.as_deref()),
        blocker: c.blockers.clone(),
        decision: c.decision_needed.clone(),
    }
}

/// Each key result of the team that names a pair, next to that pair; a pair
/// that names each other is shown once.
fn pairs(ix: &Lookup, team: &str) -> Vec<PairView> {
    let mut shown = BTreeSet::new();
    let krs = ix.ds.krs.iter().filter(|k| k.team == team);
    krs.filter_map(|k| {
        let other = ix.kr_by_id(k.paired_with.as_deref()?)?;
        let key = if k.id < other.id { (&k.id, &other.id) } else { (&other.id, &k.id) };
        shown.insert(key).then(|| pair(ix, k, other))
    })
    .collect()
}

fn pair(ix: &Lookup, k: &KeyResult, other: &KeyResult) -> PairView {
    let layer = |k: &KeyResult| k.layer.map(|l| format!("{l:?}").to_lowercase()).unwrap_or_default();
    let compact = |k: &KeyResult| ix.charts.kr_value_compact.get(&k.id).cloned().unwrap_or_default();
    let check = ix.scores.drift.iter().find(|d| d.kr_id == k.id && d.against == Against::Paired(other.id.clone()));
    PairView {
        left: kr_row(ix, k),
        left_layer: layer(k),
        left_chart: compact(k),
        right: kr_row(ix, other),
        right_layer: layer(other),
        right_chart: compact(other),
        check: check.map(|d| guard_row(ix, d)),
    }
}
