//! The quarters before the one built (SPEC §6, history): each scored as
//! the pack scores its own quarter — key results, teams, org, early
//! warning, calibration — with its engineering signals, for the changes
//! the pages show and for history.html.

use super::calibration::Forecasts;
use super::delivery::{PreviousQuarter, FLOW};
use super::signals::{SignalValue, Signals};
use super::{EarlyWarning, GroupScore, KrScore, TeamScore};
use crate::config::Config;
use crate::error::Result;
use crate::model::{Dataset, KeyResult, Quarter};

/// One earlier quarter, scored.
#[derive(Debug, Clone)]
pub struct PastQuarter {
    pub quarter: Quarter,
    /// Sorted by kr_id.
    pub krs: Vec<KrScore>,
    /// Sorted by team.
    pub teams: Vec<TeamScore>,
    /// Its teams by the groups of quarterdeck.toml (SPEC §8), sorted by group.
    pub groups: Vec<GroupScore>,
    pub org: Option<f64>,
    pub early_warning: EarlyWarning,
    /// The org's calibration over the quarter.
    pub calibration: Forecasts,
    /// Per team and signal, sorted by team then signal order.
    pub signals: Vec<SignalValue>,
    /// The org's value of each signal.
    pub org_signals: Vec<SignalValue>,
}

impl PastQuarter {
    /// The score of one of its key results.
    pub fn kr(&self, id: &str) -> Option<&KrScore> {
        self.krs.binary_search_by(|k| k.kr_id.as_str().cmp(id)).ok().map(|i| &self.krs[i])
    }

    /// The score of one of its teams.
    pub fn team(&self, team: &str) -> Option<&TeamScore> {
        self.teams.binary_search_by(|t| t.team.as_str().cmp(team)).ok().map(|i| &self.teams[i])
    }

    /// The score of one of its groups.
    pub fn group(&self, group: &str) -> Option<&GroupScore> {
        self.groups.binary_search_by(|g| g.group.as_str().cmp(group)).ok().map(|i| &self.groups[i])
    }

    /// A team's value of a signal over the quarter (the org's for team "").
    pub fn signal(&self, team: &str, metric: &str) -> Option<&SignalValue> {
        let list = if team.is_empty() { &self.org_signals } else { &self.signals };
        list.iter().find(|v| v.team == team && v.metric == metric)
    }
}

/// Scores every quarter of `ds.history` with the signals computed for it.
pub fn compute(ds: &Dataset, config: &Config, signals: &Signals) -> Result<Vec<PastQuarter>> {
    ds.history
        .iter()
        .zip(&signals.past)
        .map(|(past, s)| {
            let q = super::quarterly(past, config, &signals.weekly, &s.kr_window)?;
            Ok(PastQuarter {
                quarter: past.quarter,
                krs: q.krs,
                groups: super::rollup::groups(&q.teams, config)?,
                teams: q.teams,
                org: q.org,
                early_warning: q.early_warning,
                calibration: q.calibration.org,
                signals: s.quarter.clone(),
                org_signals: s.org.clone(),
            })
        })
        .collect()
}

/// The earlier result of a key result that carries one on (its
/// `continues`): in the latest earlier quarter that has that key result.
pub fn continued<'a>(history: &'a [PastQuarter], kr: &KeyResult) -> Option<(&'a PastQuarter, &'a KrScore)> {
    let id = kr.continues.as_deref()?;
    history.iter().rev().find_map(|p| Some((p, p.kr(id)?)))
}

/// Each team's flow signals over the previous quarter: the first side of
/// the delivery cause of a miss (SPEC §7). None without history.
pub fn previous_flow(history: &[PastQuarter]) -> Option<PreviousQuarter> {
    let previous = history.last()?;
    let flow = previous.signals.iter().filter(|v| FLOW.contains(&v.metric));
    Some(flow.map(|v| ((v.team.clone(), v.metric.to_string()), (v.value, v.n))).collect())
}
