//! Objective, team and org scores, and the per-team 70% signals.

use super::frames::{c, f64s, strs};
use super::{round2, KrScore};
use crate::config::{below, Config};
use crate::error::Result;
use crate::model::{Dataset, Grade, ObjectiveKind};
use polars::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// The score of one objective: the weight-weighted mean of its KR scores.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveScore {
    pub objective_id: String,
    pub team: String,
    pub kind: &'static str,
    pub score: f64,
    pub grade: Grade,
}

/// The score of one team: the mean of its objective scores.
#[derive(Debug, Clone, Serialize)]
pub struct TeamScore {
    pub team: String,
    /// Its group (`[teams.TEAM] group`, SPEC §8).
    pub group: Option<String>,
    pub score: f64,
    pub grade: Grade,
    /// At least `min_aspirational_krs` aspirational KRs, all scoring `too_safe_from` or more.
    pub too_safe: bool,
    /// At least `min_aspirational_krs` aspirational KRs whose mean score is below `overreach_below`.
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
            let score = round2(score.unwrap_or(0.0));
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

/// The mean of the scores of each key, rounded, sorted by key: a team's
/// from its objectives, a group's from its teams.
fn means_by(rows: Vec<(&str, f64)>) -> Result<Vec<(String, f64)>> {
    let df = DataFrame::new_infer_height(vec![
        Column::new("key".into(), rows.iter().map(|r| r.0).collect::<Vec<_>>()),
        Column::new(c::SCORE.into(), rows.iter().map(|r| r.1).collect::<Vec<_>>()),
    ])?
    .lazy()
    .group_by_stable([col("key")])
    .agg([col(c::SCORE).mean()])
    .sort(["key"], SortMultipleOptions::default())
    .collect()?;
    let (keys, scores) = (strs(&df, "key")?, f64s(&df, c::SCORE)?);
    Ok(keys.into_iter().zip(scores).map(|(k, s)| (k.unwrap_or_default(), round2(s.unwrap_or(0.0)))).collect())
}

/// Team scores and 70% signals, sorted by team.
pub fn teams(objectives: &[ObjectiveScore], krs: &[KrScore], ds: &Dataset, config: &Config) -> Result<Vec<TeamScore>> {
    let team_scores = means_by(objectives.iter().map(|o| (o.team.as_str(), o.score)).collect())?;
    let aspirational = aspirational(krs, ds)?;
    Ok(team_scores
        .into_iter()
        .map(|(team, score)| {
            let stats = aspirational.get(team.as_str()).copied().unwrap_or_default();
            team_score(team, score, stats, config)
        })
        .collect())
}

/// The score of a group of teams (SPEC §8): the mean of its teams' scores.
#[derive(Debug, Clone, Serialize)]
pub struct GroupScore {
    pub group: String,
    pub score: f64,
    pub grade: Grade,
    /// Its teams with a score, by id.
    pub teams: Vec<String>,
}

/// Group scores, sorted by group; none when no team has a group.
pub fn groups(teams: &[TeamScore], config: &Config) -> Result<Vec<GroupScore>> {
    let grouped: Vec<(&str, &TeamScore)> = teams.iter().filter_map(|t| Some((t.group.as_deref()?, t))).collect();
    let scores = means_by(grouped.iter().map(|(g, t)| (*g, t.score)).collect())?;
    Ok(scores
        .into_iter()
        .map(|(group, score)| GroupScore {
            teams: grouped.iter().filter(|(g, _)| *g == group).map(|(_, t)| t.team.clone()).collect(),
            grade: config.grades.grade(score),
            group,
            score,
        })
        .collect())
}

/// The aspirational key results of one team: how many, their mean and lowest score.
#[derive(Debug, Clone, Copy, Default)]
struct Aspirational {
    n: usize,
    mean: Option<f64>,
    min: Option<f64>,
}

fn team_score(team: String, score: f64, a: Aspirational, config: &Config) -> TeamScore {
    let t = &config.thresholds;
    let judged = a.n >= t.min_aspirational_krs;
    TeamScore {
        grade: config.grades.grade(score),
        too_safe: judged && a.min.is_some_and(|m| !below(m, t.too_safe_from)),
        overreach: judged && a.mean.is_some_and(|m| below(m, t.overreach_below)),
        aspirational_krs: a.n,
        aspirational_mean: a.mean,
        group: config.team_group(&team).map(String::from),
        team,
        score,
    }
}

/// The aspirational key results' figures per team, for the 70% signals.
fn aspirational(krs: &[KrScore], ds: &Dataset) -> Result<BTreeMap<String, Aspirational>> {
    let kind: BTreeMap<&str, ObjectiveKind> = ds.objectives.iter().map(|o| (o.id.as_str(), o.kind)).collect();
    // krs is sorted by id (see Scores::krs): binary search, not a scan per KR.
    let score = |id: &str| krs.binary_search_by(|s| s.kr_id.as_str().cmp(id)).ok().map(|i| krs[i].score);
    let rows: Vec<(&str, f64)> = ds
        .krs
        .iter()
        .filter(|k| kind.get(k.objective_id.as_str()) == Some(&ObjectiveKind::Aspirational))
        // the 70% signals judge final scores: a key result not yet due is left out (SPEC §6)
        .filter(|k| ds.decided(k))
        .filter_map(|k| Some((k.team.as_str(), score(&k.id)?)))
        .collect();
    let df = DataFrame::new_infer_height(vec![
        Column::new(c::TEAM.into(), rows.iter().map(|a| a.0).collect::<Vec<_>>()),
        Column::new(c::SCORE.into(), rows.iter().map(|a| a.1).collect::<Vec<_>>()),
    ])?
    .lazy()
    .group_by_stable([col(c::TEAM)])
    .agg([len().alias("n"), col(c::SCORE).mean().alias("mean"), col(c::SCORE).min().alias("min")])
    .collect()?;
    let (teams, n, mean, min) = (strs(&df, c::TEAM)?, f64s(&df, "n")?, f64s(&df, "mean")?, f64s(&df, "min")?);
    Ok((0..teams.len())
        .filter_map(|i| {
            let stats = Aspirational { n: n[i].unwrap_or(0.0) as usize, mean: mean[i].map(round2), min: min[i] };
            Some((teams[i].clone()?, stats))
        })
        .collect())
}

/// The org score: the mean of the team scores, rounded.
pub fn org(teams: &[TeamScore]) -> Option<f64> {
    (!teams.is_empty()).then(|| round2(teams.iter().map(|t| t.score).sum::<f64>() / teams.len() as f64))
}
