//! The teams table: every team's score, grade, key results by grade and
//! findings — all of it on teams.html, at most [`MAX_INDEX_TEAMS`] rows on
//! the index.

use super::lookup::Lookup;
use super::team::GradeCounts;
use crate::finding::FindingKind;
use crate::format::score as score_text;
use crate::model::Grade;
use serde::Serialize;
use std::collections::BTreeMap;

/// The most teams the index lists.
pub const MAX_INDEX_TEAMS: usize = 12;

/// One team's row.
#[derive(Debug, Serialize)]
pub struct TeamRow {
    pub id: String,
    pub href: String,
    pub score: String,
    /// The score for sorting, unrounded.
    pub score_value: f64,
    /// Bar width in percent.
    pub width: f64,
    pub grade: Grade,
    pub krs: usize,
    pub grade_counts: GradeCounts,
    /// Its findings the index alerts on, a chip per kind with its count, in reading order.
    pub findings: Vec<FindingCount>,
    /// How many findings in all.
    pub finding_total: usize,
    /// Its score's change from the previous quarter (SPEC §6).
    pub change: Option<super::time::Change>,
}

/// How many findings of one kind a team has.
#[derive(Debug, Serialize)]
pub struct FindingCount {
    pub kind: FindingKind,
    pub words: &'static str,
    pub count: usize,
}

/// Every team, by id.
pub fn rows(ix: &Lookup) -> Vec<TeamRow> {
    let mut counts: BTreeMap<(&str, FindingKind), usize> = BTreeMap::new();
    for f in ix.scores.findings.iter().filter(|f| f.kind.rule().alert) {
        if let Some(team) = f.team.as_deref() {
            *counts.entry((team, f.kind)).or_default() += 1;
        }
    }
    ix.scores.teams.iter().map(|t| row(ix, t, &counts)).collect()
}

fn row(ix: &Lookup, t: &crate::score::TeamScore, counts: &BTreeMap<(&str, FindingKind), usize>) -> TeamRow {
    let krs: Vec<_> = ix.ds.krs.iter().filter(|k| k.team == t.team).collect();
    let grades = krs.iter().map(|k| ix.scores.kr(&k.id).map_or(Grade::Red, |s| s.grade));
    let findings: Vec<FindingCount> = FindingKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let count = *counts.get(&(t.team.as_str(), kind))?;
            Some(FindingCount { kind, words: kind.rule().words, count })
        })
        .collect();
    TeamRow {
        id: t.team.clone(),
        href: ix.links.team(&t.team),
        score: score_text(t.score),
        score_value: t.score,
        width: (t.score * 100.0).clamp(0.0, 100.0),
        grade: t.grade,
        krs: krs.len(),
        grade_counts: GradeCounts::of(grades),
        finding_total: findings.iter().map(|f| f.count).sum(),
        findings,
        change: super::time::team_change(ix, &t.team, t.score),
    }
}

/// The index's teams: all of them by id when they fit, else the
/// [`MAX_INDEX_TEAMS`] with the lowest scores, lowest first. The flag says
/// which.
pub fn index_rows(mut rows: Vec<TeamRow>) -> (Vec<TeamRow>, bool) {
    if rows.len() <= MAX_INDEX_TEAMS {
        return (rows, false);
    }
    rows.sort_by(|a, b| a.score_value.total_cmp(&b.score_value).then_with(|| a.id.cmp(&b.id)));
    rows.truncate(MAX_INDEX_TEAMS);
    (rows, true)
}
