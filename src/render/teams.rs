//! The teams table: every team's score, grade, key results by grade and
//! findings — all of it on teams.html, at most [`MAX_INDEX_TEAMS`] rows on
//! the index; with groups (SPEC §8), the same by group.

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
    /// Its group (SPEC §8), empty without one.
    pub group: String,
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
        group: t.group.clone().unwrap_or_default(),
    }
}

/// The index's teams: all of them by id when they fit, else the
/// [`MAX_INDEX_TEAMS`] with the lowest scores, lowest first. The flag says
/// which.
pub fn index_rows(rows: Vec<TeamRow>) -> (Vec<TeamRow>, bool) {
    lowest_first(rows, |r| (r.score_value, &r.id))
}

/// `rows` as they are when they fit the index, else the [`MAX_INDEX_TEAMS`]
/// with the lowest (score, id), lowest first; the flag says which.
fn lowest_first<T>(mut rows: Vec<T>, key: impl Fn(&T) -> (f64, &String)) -> (Vec<T>, bool) {
    if rows.len() <= MAX_INDEX_TEAMS {
        return (rows, false);
    }
    rows.sort_by(|a, b| {
        let ((sa, ia), (sb, ib)) = (key(a), key(b));
        sa.total_cmp(&sb).then_with(|| ia.cmp(ib))
    });
    rows.truncate(MAX_INDEX_TEAMS);
    (rows, true)
}

/// One group's row (SPEC §8): its score, and its teams' key results and findings together.
#[derive(Debug, Serialize)]
pub struct GroupRow {
    pub id: String,
    /// Its anchor on teams.html, without `g-`.
    pub anchor: String,
    pub score: String,
    pub score_value: f64,
    pub width: f64,
    pub grade: Grade,
    pub teams: usize,
    pub krs: usize,
    pub grade_counts: GradeCounts,
    pub finding_total: usize,
    /// Its score's change from the previous quarter: its teams then, grouped as now.
    pub change: Option<super::time::Change>,
}

/// The groups and the teams in none, from the team rows; both empty without groups.
#[derive(Debug, Serialize)]
pub struct Groups {
    pub rows: Vec<GroupRow>,
    /// Teams in no group, by id.
    pub ungrouped: Vec<String>,
}

/// Every group, by name, with its teams' rows summed.
pub fn groups(ix: &Lookup, teams: &[TeamRow]) -> Groups {
    let anchors = crate::paths::file_stems(ix.scores.groups.iter().map(|g| g.group.as_str()));
    let rows = ix
        .scores
        .groups
        .iter()
        .map(|g| {
            let mine: Vec<&TeamRow> = teams.iter().filter(|t| t.group == g.group).collect();
            let counts = |f: fn(&GradeCounts) -> usize| mine.iter().map(|t| f(&t.grade_counts)).sum();
            GroupRow {
                id: g.group.clone(),
                anchor: anchors.get(&g.group).cloned().unwrap_or_default(),
                score: score_text(g.score),
                score_value: g.score,
                width: (g.score * 100.0).clamp(0.0, 100.0),
                grade: g.grade,
                teams: mine.len(),
                krs: mine.iter().map(|t| t.krs).sum(),
                grade_counts: GradeCounts {
                    green: counts(|c| c.green),
                    amber: counts(|c| c.amber),
                    red: counts(|c| c.red),
                },
                finding_total: mine.iter().map(|t| t.finding_total).sum(),
                change: super::time::group_change(ix, &g.group, g.score),
            }
        })
        .collect::<Vec<_>>();
    let ungrouped = if rows.is_empty() {
        Vec::new()
    } else {
        teams.iter().filter(|t| t.group.is_empty()).map(|t| t.id.clone()).collect()
    };
    Groups { rows, ungrouped }
}

/// The index's groups: all of them by name when they fit, else the
/// [`MAX_INDEX_TEAMS`] with the lowest scores, lowest first. The flag says which.
pub fn index_groups(rows: Vec<GroupRow>) -> (Vec<GroupRow>, bool) {
    lowest_first(rows, |r| (r.score_value, &r.id))
}
