//! The next quarter's draft (SPEC §6, next quarter): where the quarter
//! built leaves off. Each metric key result not at target is carried with
//! its measured end value as the new baseline; each missed commitment is
//! kept and marked; each health metric red for `health_red_weeks` or more
//! is proposed as a candidate objective. Every row says why it is there,
//! and the hygiene lint reads the draft as it would read okrs.csv.

use super::{KrScore, Scores};
use crate::config::{below, Config};
use crate::finding::Finding;
use crate::format::score as score_text;
use crate::model::{Dataset, Goal, KeyResult, KrKind, Objective, ObjectiveKind, Quarter};
use serde::Serialize;
use std::collections::BTreeSet;

/// Why a row is in the draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A committed key result below 1.0: kept, as a commitment.
    MissedCommitment,
    /// A metric key result short of its target (or out of its band part of the time).
    NotAtTarget,
    /// A team health metric red for weeks: a candidate objective.
    HealthRed,
}

impl Reason {
    /// A few words for a page.
    pub fn words(self) -> &'static str {
        match self {
            Reason::MissedCommitment => "missed commitment, kept",
            Reason::NotAtTarget => "not at target, carried",
            Reason::HealthRed => "health red, candidate objective",
        }
    }
}

/// One row of the draft: an okrs.csv row of the next quarter and why.
#[derive(Debug, Clone)]
pub struct DraftRow {
    pub objective: Objective,
    /// Its quarter is the next one; its target is left for people to set.
    pub kr: KeyResult,
    pub reason: Reason,
    pub note: String,
    /// The score that put it here (none for a candidate objective).
    pub score: Option<f64>,
}

/// The draft okrs.csv of the next quarter.
#[derive(Debug, Clone)]
pub struct Draft {
    pub quarter: Quarter,
    /// Missed commitments first, then by lowest score, then candidates; by team and id within.
    pub rows: Vec<DraftRow>,
    /// The hygiene lint over the draft, as `check` would raise it.
    pub lint: Vec<Finding>,
}

/// The draft of the quarter after `ds`'s.
pub fn draft(ds: &Dataset, scores: &Scores, config: &Config) -> Draft {
    let quarter = ds.quarter.next();
    let mut rows: Vec<DraftRow> = ds.krs.iter().filter_map(|kr| carried(ds, kr, scores.kr(&kr.id)?, quarter)).collect();
    rows.extend(candidates(ds, scores, config, quarter));
    let kept: BTreeSet<String> = rows.iter().map(|r| r.kr.id.clone()).collect();
    for r in &mut rows {
        // a pair carried with it stays paired; any other is dropped
        r.kr.paired_with = r.kr.paired_with.take().filter(|p| kept.contains(p));
    }
    rows.sort_by(|a, b| {
        let score = |r: &DraftRow| r.score.unwrap_or(f64::INFINITY);
        (a.reason, &a.kr.team)
            .cmp(&(b.reason, &b.kr.team))
            .then(score(a).total_cmp(&score(b)))
            .then(a.kr.id.cmp(&b.kr.id))
    });
    let lint = super::hygiene::lint(&as_dataset(quarter, &rows), config);
    Draft { quarter, rows, lint }
}

/// The draft as a dataset of its quarter, for the lint.
fn as_dataset(quarter: Quarter, rows: &[DraftRow]) -> Dataset {
    let mut objectives: Vec<Objective> = Vec::new();
    for r in rows {
        if !objectives.iter().any(|o| o.id == r.objective.id) {
            objectives.push(r.objective.clone());
        }
    }
    let mut ds = Dataset::empty(quarter);
    ds.objectives = objectives;
    ds.krs = rows.iter().map(|r| r.kr.clone()).collect();
    ds
}

/// A key result carried into `next`, when it missed a commitment or is a
/// metric key result not at target; none otherwise.
fn carried(ds: &Dataset, kr: &KeyResult, s: &KrScore, next: Quarter) -> Option<DraftRow> {
    let objective = ds.objectives.iter().find(|o| o.id == kr.objective_id)?;
    let not_at_target = kr.kind == KrKind::Metric && below(s.score, 1.0);
    if !(s.missed_commitment || not_at_target) {
        return None;
    }
    let reason = if s.missed_commitment { Reason::MissedCommitment } else { Reason::NotAtTarget };
    let mut row = kr.clone();
    let (baseline, source) = match (kr.kind, s.value_measured, s.value_reported) {
        (KrKind::Milestone, ..) => (None, ""),
        (_, Some(m), _) => (Some(round4(m)), "measured"),
        (_, None, Some(r)) => (Some(round4(r)), "reported"),
        _ => (None, ""),
    };
    // the same kr_id in the next quarter is the same key result, continued:
    // no `continues` needed, so the draft is valid on its own or appended
    (row.quarter, row.baseline, row.target, row.continues) = (next, baseline, None, None);
    (row.due, row.until) = (next.end(), next.end());
    let note = carried_note(ds, kr, s, reason, baseline.map(|b| (b, source)));
    // the draft writes no aligns_to: a parent of this quarter is none of the next's
    let objective = Objective { aligns_to: None, ..objective.clone() };
    Some(DraftRow { objective, kr: row, reason, note, score: Some(s.score) })
}

/// Why a key result is carried, what its baseline is and what to fill in.
fn carried_note(ds: &Dataset, kr: &KeyResult, s: &KrScore, reason: Reason, baseline: Option<(f64, &str)>) -> String {
    let q = ds.quarter;
    let how = match reason {
        Reason::MissedCommitment => {
            format!("missed commitment in {q} (scored {}): kept as a commitment", score_text(s.score))
        }
        _ if kr.goal() == Some(Goal::Maintain) => {
            format!("kept in its band {} of {q} (scored {})", crate::format::pct(s.score), score_text(s.score))
        }
        _ => format!("not at target in {q} (scored {})", score_text(s.score)),
    };
    let to_fill = if kr.target.is_none() && kr.band.is_some() { "; its band is kept" } else { "; fill in the target" };
    let base = match (kr.kind, baseline) {
        (KrKind::Milestone, _) => {
            format!("; progress was {} at the end", s.value.map_or_else(|| "—".into(), crate::format::pct))
        }
        // the baseline as its cell writes it (rounded to four decimals, no float tail)
        (_, Some((b, source))) => format!("; baseline {b} is the {source} value at the end{to_fill}"),
        (_, None) => format!("; no value was measured or reported: fill in the baseline{to_fill}"),
    };
    format!("{how}{base}")
}

/// A value to four decimals, as a baseline is written.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A candidate objective for each team health metric red for
/// `health_red_weeks` weeks or more, for a team with key results this quarter.
fn candidates<'a>(
    ds: &'a Dataset,
    scores: &'a Scores,
    config: &'a Config,
    next: Quarter,
) -> impl Iterator<Item = DraftRow> + 'a {
    let needed = config.thresholds.health_red_weeks;
    scores.health.rows.iter().filter_map(move |row| {
        let (from, to, weeks) = row.red_streak.filter(|s| s.2 >= needed)?;
        let owner = ds.krs.iter().find(|k| k.team == row.team)?.owner.clone();
        let id = format!("{}-{next}-{}", row.team, slug(&row.metric));
        let objective = Objective {
            id: id.clone(),
            team: row.team.clone(),
            title: format!("Get \u{201c}{}\u{201d} back to green", row.metric),
            kind: ObjectiveKind::Aspirational,
            aligns_to: None,
            line: 0,
        };
        let note = format!(
            "team health \u{201c}{}\u{201d} was red for {weeks} consecutive weeks in {} (weeks of {from} to {to}): \
             a candidate objective; owner proposed from the team's first key result",
            row.metric, ds.quarter
        );
        let text = format!("Bring \u{201c}{}\u{201d} from red back to green", row.metric);
        let kr = candidate_kr(format!("{id}-KR1"), &objective, text, owner, next);
        Some(DraftRow { objective, kr, reason: Reason::HealthRed, note, score: None })
    })
}

/// The milestone key result of a candidate objective.
fn candidate_kr(id: String, o: &Objective, text: String, owner: String, next: Quarter) -> KeyResult {
    KeyResult {
        id,
        quarter: next,
        team: o.team.clone(),
        objective_id: o.id.clone(),
        text,
        owner,
        kind: KrKind::Milestone,
        direction: None,
        baseline: None,
        target: None,
        band: None,
        unit: None,
        metric: None,
        layer: None,
        paired_with: None,
        guardrails: Vec::new(),
        weight: 1.0,
        due: next.end(),
        until: next.end(),
        continues: None,
        line: 0,
    }
}

/// A name as an id part: lower-case letters and digits, words joined by `-`.
fn slug(name: &str) -> String {
    let words: Vec<String> =
        name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    if words.is_empty() {
        "health".to_string()
    } else {
        words.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_baselines() {
        assert_eq!(slug("On-call load"), "on-call-load");
        assert_eq!(slug("Team morale!"), "team-morale");
        assert_eq!(slug("—"), "health");
        assert_eq!(round4(623.456789), 623.4568);
    }
}
