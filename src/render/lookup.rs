//! The lookups every page builder shares, made once per build: links, and
//! the dataset's and scores' items by id, team and key result. It holds no
//! page logic; the builders in the sibling modules do.

use crate::chart::pack::Charts;
use crate::config::Config;
use crate::finding::Finding;
use crate::model::{Checkin, Dataset, KeyResult, Objective};
use crate::score::initiatives::Impact;
use crate::score::{KrScore, Scores, TeamScore};
use crate::Audience;
use std::collections::{BTreeMap, BTreeSet};

/// Links to every team and KR page, by id.
pub struct Links {
    pub teams: BTreeMap<String, String>,
    pub krs: BTreeMap<String, String>,
    /// objective_id → its anchor on alignment.html (without `o-`).
    pub objectives: BTreeMap<String, String>,
}

impl Links {
    /// File stems for every team and KR.
    pub fn new(ds: &Dataset) -> Links {
        let teams = crate::paths::file_stems(ds.krs.iter().map(|k| k.team.as_str()));
        let krs = crate::paths::file_stems(ds.krs.iter().map(|k| k.id.as_str()));
        Links {
            teams: teams.into_iter().map(|(k, v)| (k, format!("teams/{v}.html"))).collect(),
            krs: krs.into_iter().map(|(k, v)| (k, format!("krs/{v}.html"))).collect(),
            objectives: crate::paths::file_stems(ds.objectives.iter().map(|o| o.id.as_str())),
        }
    }

    /// The anchor of an objective on alignment.html, without its `o-`.
    pub fn objective_anchor(&self, id: &str) -> String {
        self.objectives.get(id).cloned().unwrap_or_default()
    }

    /// The page of a team, or empty for a team without key results.
    pub fn team(&self, id: &str) -> String {
        self.teams.get(id).cloned().unwrap_or_default()
    }

    /// The page of a key result.
    pub fn kr(&self, id: &str) -> String {
        self.krs.get(id).cloned().unwrap_or_default()
    }
}

/// Items grouped by a key, each group in input order.
fn group<'a, T>(items: &'a [T], key: impl Fn(&'a T) -> &'a str) -> BTreeMap<&'a str, Vec<&'a T>> {
    let mut out: BTreeMap<&str, Vec<&T>> = BTreeMap::new();
    for item in items {
        out.entry(key(item)).or_default().push(item);
    }
    out
}

/// What the page builders look things up in.
pub struct Lookup<'a> {
    pub ds: &'a Dataset,
    pub scores: &'a Scores,
    pub charts: &'a Charts,
    pub config: &'a Config,
    pub links: Links,
    /// Who the pack is for.
    pub audience: Audience,
    /// kr_id → its check-ins, in file order.
    checkins: BTreeMap<&'a str, Vec<&'a Checkin>>,
    /// kr_id → position in `ds.krs`.
    kr_index: BTreeMap<&'a str, usize>,
    /// Everyone who owns a key result of the quarter.
    owners: BTreeSet<&'a str>,
    /// kr_id → its findings, in the findings' order.
    findings_by_kr: BTreeMap<&'a str, Vec<&'a Finding>>,
    /// team → (number on the team's chart, position in `ds.initiatives`), in file order.
    pub initiatives_by_team: BTreeMap<&'a str, Vec<(usize, usize)>>,
    /// position in `ds.initiatives` → its measured impact.
    pub impacts: BTreeMap<usize, &'a Impact>,
    /// team → its objectives with key results, by id.
    pub objectives_by_team: BTreeMap<&'a str, Vec<&'a Objective>>,
    /// objective_id → the objective.
    objective_by_id: BTreeMap<&'a str, &'a Objective>,
    /// objective_id → its key results, in file order.
    pub krs_by_objective: BTreeMap<&'a str, Vec<&'a KeyResult>>,
    /// objective_id → its score.
    objective_scores: BTreeMap<&'a str, f64>,
    /// team → its score.
    team_scores: BTreeMap<&'a str, &'a TeamScore>,
}

impl<'a> Lookup<'a> {
    /// Builds every lookup once.
    pub fn new(
        ds: &'a Dataset,
        scores: &'a Scores,
        charts: &'a Charts,
        config: &'a Config,
        audience: Audience,
    ) -> Self {
        let mut findings_by_kr: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in &scores.findings {
            if let Some(k) = f.kr_id.as_deref() {
                findings_by_kr.entry(k).or_default().push(f);
            }
        }
        let scored: BTreeSet<&str> = scores.objectives.iter().map(|o| o.objective_id.as_str()).collect();
        Lookup {
            ds,
            scores,
            charts,
            config,
            links: Links::new(ds),
            audience,
            checkins: group(&ds.checkins, |c| c.kr_id.as_str()),
            kr_index: ds.krs.iter().enumerate().map(|(i, k)| (k.id.as_str(), i)).collect(),
            owners: ds.krs.iter().map(|k| k.owner.as_str()).collect(),
            findings_by_kr,
            initiatives_by_team: ds.initiatives_by_team(),
            impacts: scores.impacts.iter().map(|i| (i.initiative, i)).collect(),
            // a team's page lists the objectives it scores: those with key results of their own
            objectives_by_team: group(&ds.objectives, |o| o.team.as_str())
                .into_iter()
                .map(|(t, os)| (t, os.into_iter().filter(|o| scored.contains(o.id.as_str())).collect()))
                .collect(),
            objective_by_id: ds.objectives.iter().map(|o| (o.id.as_str(), o)).collect(),
            krs_by_objective: group(&ds.krs, |k| k.objective_id.as_str()),
            objective_scores: scores.objectives.iter().map(|o| (o.objective_id.as_str(), o.score)).collect(),
            team_scores: scores.teams.iter().map(|t| (t.team.as_str(), t)).collect(),
        }
    }

    /// A check-in author as the audience may see them: for leadership, only
    /// key-result owners are named; anyone else is "a team member".
    pub fn person_name(&self, author: Option<&str>) -> String {
        match author {
            None => String::new(),
            Some(a) if self.audience == Audience::Manager || self.owners.contains(a) => a.to_string(),
            Some(_) => "a team member".to_string(),
        }
    }

    /// The findings of one key result.
    pub fn kr_findings(&self, kr_id: &str) -> &[&'a Finding] {
        self.findings_by_kr.get(kr_id).map_or(&[], Vec::as_slice)
    }

    /// The check-ins of one key result, in file order.
    pub fn checkins(&self, kr_id: &str) -> &[&'a Checkin] {
        self.checkins.get(kr_id).map_or(&[], Vec::as_slice)
    }

    /// A key result of the quarter by id.
    pub fn kr_by_id(&self, id: &str) -> Option<&'a KeyResult> {
        self.kr_index.get(id).map(|&i| &self.ds.krs[i])
    }

    /// The position of a key result in `ds.krs` (the order of drift checks).
    pub fn kr_order(&self, id: &str) -> usize {
        self.kr_index.get(id).copied().unwrap_or(usize::MAX)
    }

    /// The score of a key result, or an unscored zero.
    pub fn kr_score(&self, id: &str) -> KrScore {
        self.scores.kr(id).cloned().unwrap_or_else(|| KrScore { kr_id: id.to_string(), ..KrScore::default() })
    }

    /// An objective by id.
    pub fn objective(&self, id: &str) -> Option<&'a Objective> {
        self.objective_by_id.get(id).copied()
    }

    /// The objectives of a team, in file order.
    pub fn team_objectives(&self, team: &str) -> &[&'a Objective] {
        self.objectives_by_team.get(team).map_or(&[], Vec::as_slice)
    }

    /// The key results of an objective, in file order.
    pub fn objective_krs(&self, objective_id: &str) -> &[&'a KeyResult] {
        self.krs_by_objective.get(objective_id).map_or(&[], Vec::as_slice)
    }

    /// The score of an objective (0 when it has none).
    pub fn objective_score(&self, id: &str) -> f64 {
        self.objective_scores.get(id).copied().unwrap_or(0.0)
    }

    /// The score of a team.
    pub fn team_score(&self, team: &str) -> Option<&'a TeamScore> {
        self.team_scores.get(team).copied()
    }

    /// A value of a key result in its unit; a milestone as a percentage.
    pub fn value_text(&self, kr: &KeyResult, v: Option<f64>) -> String {
        v.map_or_else(|| "—".into(), |v| kr.figure(v))
    }
}
