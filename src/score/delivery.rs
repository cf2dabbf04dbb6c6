//! The delivery cause of a miss (SPEC §7): did the team's flow fall during
//! the quarter? Each flow signal of a missed key result's team, the 28 days
//! to due against the previous quarter's value, or against the quarter's
//! first 28 days while there is no history. The sides are computed, and
//! judged, by the rules of green but drifting (`drift.rs`): every event of
//! a side at once, at least `drift_min_events` on each side.

use super::drift::{self, Against, DriftCheck, Limits, Side};
use super::signals::Signals;
use crate::config::Config;
use crate::error::Result;
use crate::model::{Dataset, KeyResult};
use chrono::NaiveDate;
use polars::prelude::LazyFrame;
use std::collections::BTreeMap;

/// The team flow signals a miss is checked against. Each is judged in its
/// own direction and unit: cycle and review time worse, throughput lower,
/// change failure rate up (in points).
pub const FLOW: [&str; 4] = ["cycle_time_days", "review_time_hours", "pr_throughput", "change_failure_rate"];

/// Each team's flow signals over the previous quarter, (team, metric) →
/// value and events. When history is read (SPEC §6) these are the first
/// side of every check; until then the quarter's first 28 days are.
pub type PreviousQuarter = BTreeMap<(String, String), Side>;

/// One flow signal of a team: the 28 days to due against its first side.
#[derive(Debug, Clone)]
pub struct FlowCheck {
    pub check: DriftCheck,
    /// The first side is the previous quarter's value, not the quarter's first 28 days.
    pub against_previous: bool,
}

/// The flow checks of one team up to one due date, in [`FLOW`] order.
pub type TeamFlow = BTreeMap<(String, NaiveDate), Vec<FlowCheck>>;

/// The flow checks behind the `missed` key results: one set per team and
/// due date, shared by the key results that have both.
pub fn checks(
    ds: &Dataset,
    config: &Config,
    signals: &Signals,
    frames: [LazyFrame; 2],
    missed: &[&KeyResult],
    previous: Option<&PreviousQuarter>,
) -> Result<TeamFlow> {
    let t = &config.thresholds;
    let limits = Limits { relative: t.delivery_change, points: t.delivery_points };
    let mut firsts: BTreeMap<(&str, NaiveDate), &KeyResult> = BTreeMap::new();
    for kr in missed {
        firsts.entry((kr.team.as_str(), kr.until)).or_insert(kr);
    }
    let series = drift::series_of_metrics_csv(ds);
    let specs = firsts.values().flat_map(|kr| {
        FLOW.iter().map(|m| {
            let mut spec = drift::team_series(&series, config, kr, m, limits);
            spec.first = previous.and_then(|p| p.get(&(kr.team.clone(), m.to_string()))).copied();
            spec
        })
    });
    let found = drift::run(specs.collect(), ds.quarter, config, signals, frames)?;
    let mut out = TeamFlow::new();
    for (key, check) in firsts.keys().flat_map(|k| std::iter::repeat_n(k, FLOW.len())).zip(found) {
        let Against::Guardrail(metric) = &check.against else { continue };
        let against_previous = previous.is_some_and(|p| p.contains_key(&(key.0.to_string(), metric.clone())));
        out.entry((key.0.to_string(), key.1)).or_default().push(FlowCheck { check, against_previous });
    }
    Ok(out)
}
