//! Objective, team and org scores, and the per-team 70% signals.

use super::frames::{c, f64s, strs};
use super::KrScore;
use crate::config::{below, Config};
use crate::error::Result;
use crate::model::{Dataset, ObjectiveKind};
use polars::prelude::*;
use serde::Serialize;

/// The score of one objective: the weight-weighted mean of its KR scores.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveScore {
    pub objective_id: String,
    pub team: String,
    pub kind: &'static str,
    pub score: f64,
    pub grade: &'static str,
}

/// The score of one team: the mean of its objective scores.
#[derive(Debug, Clone, Serialize)]
pub struct TeamScore {
    pub team: String,
    pub score: f64,
    pub grade: &'static str,
    /// ≥ 3 aspirational KRs, all scoring ≥ 0.95.
    pub too_safe: bool,
    /// ≥ 3 aspirational KRs whose mean score is < 0.3.
    pub overreach: bool,
    pub aspirational_krs: usize,
    pub aspirational_mean: Option<f64>,
}

/// Objective scores, sorted by objective id.
pub fn objectives(scored: &DataFrame, ds: &Dataset, config: &Config) -> Result<Vec<ObjectiveScore>> {
    let df = scored
        .clone()
        .lazy()
        .group_by_stable([col(c::OBJECTIVE_ID), col(c::TEAM)])
        .agg([((col(c::SCORE) * col(c::WEIGHT)).sum() / col(c::WEIGHT).sum()).alias(c::SCORE)])
        .sort([c::OBJECTIVE_ID], SortMultipleOptions::default())
        .collect()?;
    let ids = strs(&df, c::OBJECTIVE_ID)?;
    let teams = strs(&df, c::TEAM)?;
    let scores = f64s(&df, c::SCORE)?;
    Ok(ids
        .into_iter()
        .zip(teams)
        .zip(scores)
        .map(|((id, team), score)| {
            let id = id.unwrap_or_default();
            let kind = ds.objectives.iter().find(|o| o.id == id).map_or(ObjectiveKind::Aspirational, |o| o.kind);
            let score = score.unwrap_or(0.0);
            ObjectiveScore {
                objective_id: id,
                team: team.unwrap_or_default(),
                kind: kind.as_str(),
                score,
                grade: config.grades.grade(score),
            }
        })
        .collect())
}

/// Team scores and 70% signals, sorted by team.
pub fn teams(objectives: &[ObjectiveScore], krs: &[KrScore], ds: &Dataset, config: &Config) -> Result<Vec<TeamScore>> {
    let obj = DataFrame::new_infer_height(vec![
        Column::new(c::TEAM.into(), objectives.iter().map(|o| o.team.as_str()).collect::<Vec<_>>()),
        Column::new(c::SCORE.into(), objectives.iter().map(|o| o.score).collect::<Vec<_>>()),
    ])?;
    let team_scores = obj
        .lazy()
        .group_by_stable([col(c::TEAM)])
        .agg([col(c::SCORE).mean()])
        .sort([c::TEAM], SortMultipleOptions::default())
        .collect()?;

    // aspirational KR scores per team, for the 70% signals
    // krs is sorted by id (see Scores::krs): binary search, not a scan per KR.
    let kind: std::collections::BTreeMap<&str, ObjectiveKind> =
        ds.objectives.iter().map(|o| (o.id.as_str(), o.kind)).collect();
    let aspirational: Vec<(&str, f64)> = ds
        .krs
        .iter()
        .filter(|k| kind.get(k.objective_id.as_str()) == Some(&ObjectiveKind::Aspirational))
        .filter_map(|k| {
            let i = krs.binary_search_by(|s| s.kr_id.as_str().cmp(k.id.as_str())).ok()?;
            Some((k.team.as_str(), krs[i].score))
        })
        .collect();
    let asp = DataFrame::new_infer_height(vec![
        Column::new(c::TEAM.into(), aspirational.iter().map(|a| a.0).collect::<Vec<_>>()),
        Column::new(c::SCORE.into(), aspirational.iter().map(|a| a.1).collect::<Vec<_>>()),
    ])?;
    let signals = asp
        .lazy()
        .group_by_stable([col(c::TEAM)])
        .agg([len().alias("n"), col(c::SCORE).mean().alias("mean"), col(c::SCORE).min().alias("min")])
        .collect()?;
    let sig_team = strs(&signals, c::TEAM)?;
    let sig_n = f64s(&signals, "n")?;
    let sig_mean = f64s(&signals, "mean")?;
    let sig_min = f64s(&signals, "min")?;

    let names = strs(&team_scores, c::TEAM)?;
    let scores = f64s(&team_scores, c::SCORE)?;
    Ok(names
        .into_iter()
        .zip(scores)
        .map(|(team, score)| {
            let team = team.unwrap_or_default();
            let score = score.unwrap_or(0.0);
            let i = sig_team.iter().position(|t| t.as_deref() == Some(team.as_str()));
            let n = i.and_then(|i| sig_n[i]).unwrap_or(0.0) as usize;
            let mean = i.and_then(|i| sig_mean[i]);
            let min = i.and_then(|i| sig_min[i]);
            TeamScore {
                grade: config.grades.grade(score),
                too_safe: n >= 3 && min.is_some_and(|m| !below(m, 0.95)),
                overreach: n >= 3 && mean.is_some_and(|m| below(m, 0.3)),
                aspirational_krs: n,
                aspirational_mean: mean,
                team,
                score,
            }
        })
        .collect())
}

/// The org score: the mean of the team scores.
pub fn org(teams: &[TeamScore]) -> Option<f64> {
    (!teams.is_empty()).then(|| teams.iter().map(|t| t.score).sum::<f64>() / teams.len() as f64)
}
