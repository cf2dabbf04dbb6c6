//! Blockers and dependencies (SPEC §7). A check-in's `blockers` or
//! `decision_needed` that names another team — its id, its `[teams.TEAM]`
//! name or an alias, as whole words in any case — makes the check-in's team
//! wait on that team, for that key result, in that ISO week. The same
//! blocker text in enough weeks is a recurring blocker. Teams only: no
//! author is kept.

use crate::config::{name_words, Config};
use crate::model::{week_monday, Checkin, Dataset};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One team waiting on another for one key result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dependency {
    pub from_team: String,
    pub to_team: String,
    pub kr_id: String,
    /// Distinct ISO weeks with a check-in naming `to_team`.
    pub weeks: u32,
    /// Dates of the first and the last such check-in.
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The text of the last one (its blocker, else its decision needed).
    pub latest: String,
}

/// All the waiting of one team on another: an edge of the dependency map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    pub from_team: String,
    pub to_team: String,
    /// Distinct ISO weeks in which any key result of `from_team` waited on `to_team`.
    pub weeks: u32,
    /// Key results that waited.
    pub krs: u32,
}

/// The same blocker of one team in several weeks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recurring {
    pub team: String,
    /// The blocker as first written.
    pub text: String,
    pub weeks: u32,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The key results it was written on, sorted.
    pub kr_ids: Vec<String>,
}

/// The quarter's dependencies, their edges and its recurring blockers.
#[derive(Debug, Clone, Default)]
pub struct Dependencies {
    /// Sorted by from_team, to_team, kr_id.
    pub dependencies: Vec<Dependency>,
    /// Sorted by from_team, to_team.
    pub edges: Vec<Edge>,
    /// Sorted by team, then text.
    pub recurring: Vec<Recurring>,
}

/// The names of every team as word sequences, indexed by their first word.
struct Names<'a> {
    by_first_word: BTreeMap<String, Vec<(Vec<String>, &'a str)>>,
}

impl<'a> Names<'a> {
    /// Every team of the quarter and of `[teams]`, by id, display name and aliases.
    fn new(ds: &'a Dataset, config: &'a Config) -> Names<'a> {
        let teams: BTreeSet<&str> =
            ds.krs.iter().map(|k| k.team.as_str()).chain(config.teams.keys().map(String::as_str)).collect();
        let mut by_first_word: BTreeMap<String, Vec<(Vec<String>, &str)>> = BTreeMap::new();
        for team in teams {
            let meta = config.teams.get(team);
            let names = std::iter::once(team).chain(meta.into_iter().flat_map(|m| m.names().map(|(_, n)| n)));
            for words in names.map(name_words).filter(|w| !w.is_empty()) {
                by_first_word.entry(words[0].clone()).or_default().push((words, team));
            }
        }
        Names { by_first_word }
    }

    /// The teams a text names, other than `own`, each once.
    fn named_in(&self, text: &str, own: &str) -> BTreeSet<&'a str> {
        let words = name_words(text);
        let mut found = BTreeSet::new();
        for (i, word) in words.iter().enumerate() {
            for (name, team) in self.by_first_word.get(word).map_or(&[][..], Vec::as_slice) {
                if *team != own && words[i..].starts_with(name) {
                    found.insert(*team);
                }
            }
        }
        found
    }
}

/// What one (from, to, kr) dependency has gathered: weeks, first and last date, latest text.
type Gathered = (BTreeSet<NaiveDate>, NaiveDate, NaiveDate, String);

/// Finds the quarter's dependencies and recurring blockers.
pub fn find(ds: &Dataset, config: &Config) -> Dependencies {
    let names = Names::new(ds, config);
    let team_of: BTreeMap<&str, &str> = ds.krs.iter().map(|k| (k.id.as_str(), k.team.as_str())).collect();
    let mut gathered: BTreeMap<(&str, &str, &str), Gathered> = BTreeMap::new();
    let checkins = ds.checkins.iter().filter(|c| ds.quarter.contains(c.date));
    for (c, team) in checkins.clone().filter_map(|c| Some((c, *team_of.get(c.kr_id.as_str())?))) {
        let texts = [c.blockers.as_deref(), c.decision_needed.as_deref()];
        let named: BTreeSet<&str> = texts.iter().flatten().flat_map(|t| names.named_in(t, team)).collect();
        for to in named {
            let latest = texts.iter().flatten().next().map_or_else(String::new, |t| t.to_string());
            let entry = gathered.entry((team, to, c.kr_id.as_str())).or_insert((
                BTreeSet::new(),
                c.date,
                c.date,
                latest.clone(),
            ));
            entry.0.insert(week_monday(c.date));
            entry.1 = entry.1.min(c.date);
            if c.date >= entry.2 {
                (entry.2, entry.3) = (c.date, latest);
            }
        }
    }
    let dependencies: Vec<Dependency> = gathered.iter().map(|(key, g)| dependency(*key, g)).collect();
    Dependencies {
        edges: edges(&gathered),
        dependencies,
        recurring: recurring(checkins.filter_map(|c| Some((c, *team_of.get(c.kr_id.as_str())?))), config),
    }
}

fn dependency((from, to, kr): (&str, &str, &str), (weeks, first, last, latest): &Gathered) -> Dependency {
    Dependency {
        from_team: from.to_string(),
        to_team: to.to_string(),
        kr_id: kr.to_string(),
        weeks: weeks.len() as u32,
        first: *first,
        last: *last,
        latest: latest.clone(),
    }
}

/// The dependencies of each (from, to) pair of teams, their weeks merged.
fn edges(gathered: &BTreeMap<(&str, &str, &str), Gathered>) -> Vec<Edge> {
    let mut by_pair: BTreeMap<(&str, &str), (BTreeSet<NaiveDate>, u32)> = BTreeMap::new();
    for ((from, to, _), (weeks, ..)) in gathered {
        let pair = by_pair.entry((from, to)).or_default();
        pair.0.extend(weeks);
        pair.1 += 1;
    }
    by_pair
        .into_iter()
        .map(|((from, to), (weeks, krs))| Edge {
            from_team: from.to_string(),
            to_team: to.to_string(),
            weeks: weeks.len() as u32,
            krs,
        })
        .collect()
}

/// A blocker folded for comparison: lower case, runs of white space as one space.
fn fold_blocker(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The blockers of each team written in at least `recurring_blocker_weeks` ISO weeks.
fn recurring<'a>(checkins: impl Iterator<Item = (&'a Checkin, &'a str)>, config: &Config) -> Vec<Recurring> {
    let mut seen: BTreeMap<(&str, String), Vec<&Checkin>> = BTreeMap::new();
    for (c, team) in checkins {
        if let Some(text) = c.blockers.as_deref().filter(|t| !t.trim().is_empty()) {
            seen.entry((team, fold_blocker(text))).or_default().push(c);
        }
    }
    let least = config.thresholds.recurring_blocker_weeks;
    seen.into_iter()
        .filter_map(|((team, _), mut cs)| {
            cs.sort_by_key(|c| (c.date, c.line));
            let weeks: BTreeSet<NaiveDate> = cs.iter().map(|c| week_monday(c.date)).collect();
            let (first, last) = (cs.first()?, cs.last()?);
            let kr_ids: BTreeSet<&str> = cs.iter().map(|c| c.kr_id.as_str()).collect();
            (weeks.len() >= least).then(|| Recurring {
                team: team.to_string(),
                text: first.blockers.clone().unwrap_or_default().trim().to_string(),
                weeks: weeks.len() as u32,
                first: first.date,
                last: last.date,
                kr_ids: kr_ids.into_iter().map(String::from).collect(),
            })
        })
        .collect()
}
