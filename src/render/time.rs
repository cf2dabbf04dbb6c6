//! The quarter in time as pages show it (SPEC §6): the date a pack stands
//! on, the change of a score or a signal from the previous quarter, and a
//! key result's pace. Figures come from `score`; this module only words them.

use super::lookup::Lookup;
use super::signals::signal_text;
use crate::format::{score as score_text, signed_pct};
use crate::model::{Direction, Standing};
use crate::score::history::PastQuarter;
use serde::Serialize;

/// The date a pack stands on, when it is before the quarter's end.
#[derive(Debug, Clone, Serialize)]
pub struct AsOfView {
    pub date: String,
    /// Why, in a sentence every page can show.
    pub note: String,
}

/// Where the pack stands, for the banner of every page; none for the whole quarter.
pub fn as_of(ix: &Lookup) -> Option<AsOfView> {
    let (ds, date) = (ix.ds, ix.ds.standing.date()?);
    let note = match ds.standing {
        Standing::DataEnd(_) => format!(
            "The inputs end on {date}, before {}'s end ({}): the pack stands on that date. Only what was known \
             by then counts; key results not yet due are judged by their pace, not as missed.",
            ds.quarter,
            ds.quarter.end()
        ),
        _ => format!(
            "Built as of {date} (--as-of): only what was known by then counts; key results not yet due are \
             judged by their pace, not as missed."
        ),
    };
    Some(AsOfView { date: date.to_string(), note })
}

/// How a figure changed from the previous quarter.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The change as read: `+0.05`, `−12%`, `+2.1 pts`.
    pub text: String,
    /// The previous value as shown.
    pub previous: String,
    /// The quarter compared with.
    pub quarter: String,
    /// `better`, `worse`, `steady`, or empty where neither way is better.
    pub sense: &'static str,
}

/// The change of a score (higher is better) from `previous` in `quarter`.
pub fn score_change(now: f64, previous: Option<f64>, quarter: &PastQuarter) -> Option<Change> {
    let before = previous?;
    // both are rounded to two decimals: their difference is, too
    let diff = ((now - before) * 100.0).round() / 100.0;
    let text = match diff {
        d if d > 0.0 => format!("+{d:.2}"),
        d if d < 0.0 => format!("−{:.2}", -d),
        _ => "±0.00".to_string(),
    };
    Some(Change { text, previous: score_text(before), quarter: quarter.quarter.to_string(), sense: sense(diff, 1.0) })
}

/// The change of a signal's value from the previous quarter's: a share in
/// points, anything else relative; better or worse by the signal's direction.
pub fn signal_change(metric: &str, now: Option<f64>, quarter: &PastQuarter, team: &str) -> Option<Change> {
    let (now, before) = (now?, quarter.signal(team, metric)?.value?);
    let def = crate::score::signals::signal(metric);
    let share = def.is_some_and(|s| s.unit == "share");
    let text = if share {
        let points = (now - before) * 100.0;
        format!("{}{:.1} pts", if points < 0.0 { "−" } else { "+" }, points.abs())
    } else if before != 0.0 {
        signed_pct((now - before) / before.abs())
    } else {
        return None;
    };
    let sign = match def.and_then(|s| s.direction) {
        Some(Direction::Increase) => 1.0,
        Some(Direction::Decrease) => -1.0,
        None => 0.0,
    };
    let previous = signal_text(metric, Some(before));
    Some(Change { text, previous, quarter: quarter.quarter.to_string(), sense: sense(now - before, sign) })
}

/// Better, worse or steady for a difference, given which sign is better (0: neither).
fn sense(diff: f64, better: f64) -> &'static str {
    match (diff * better).partial_cmp(&0.0) {
        _ if better == 0.0 => "",
        Some(std::cmp::Ordering::Greater) => "better",
        Some(std::cmp::Ordering::Less) => "worse",
        _ => "steady",
    }
}

/// The quarter whose scores a pack's scores are compared with: the
/// previous one, unless the pack stands before its quarter's end — a score
/// so far is no match for a finished quarter's (signals, as rates and
/// medians, still are).
fn score_previous<'a>(ix: &Lookup<'a>) -> Option<&'a PastQuarter> {
    ix.scores.history.last().filter(|_| !ix.ds.partial())
}

/// The change of a team's score from the previous quarter.
pub fn team_change(ix: &Lookup, team: &str, now: f64) -> Option<Change> {
    let previous = score_previous(ix)?;
    score_change(now, Some(previous.team(team)?.score), previous)
}

/// The change of a group's score from the previous quarter: its teams then,
/// grouped as now (SPEC §8).
pub fn group_change(ix: &Lookup, group: &str, now: f64) -> Option<Change> {
    let previous = score_previous(ix)?;
    score_change(now, Some(previous.group(group)?.score), previous)
}

/// The change of the org score from the previous quarter.
pub fn org_change(ix: &Lookup) -> Option<Change> {
    let previous = score_previous(ix)?;
    score_change(ix.scores.org?, previous.org, previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn past() -> PastQuarter {
        PastQuarter {
            quarter: crate::model::Quarter { year: 2026, q: 2 },
            krs: vec![],
            teams: vec![],
            groups: vec![],
            org: Some(0.64),
            early_warning: Default::default(),
            calibration: Default::default(),
            signals: vec![],
            org_signals: vec![
                crate::score::signals::SignalValue {
                    team: String::new(),
                    metric: "cycle_time_days",
                    value: Some(2.0),
                    n: 40,
                    dora_class: None,
                },
                crate::score::signals::SignalValue {
                    team: String::new(),
                    metric: "rework_rate",
                    value: Some(0.1),
                    n: 40,
                    dora_class: None,
                },
            ],
        }
    }

    #[test]
    fn score_changes_are_signed_differences_of_two_decimals() {
        let c = score_change(0.69, Some(0.64), &past()).unwrap();
        assert_eq!((c.text.as_str(), c.previous.as_str(), c.sense), ("+0.05", "0.64", "better"));
        let c = score_change(0.6, Some(0.64), &past()).unwrap();
        assert_eq!((c.text.as_str(), c.sense), ("−0.04", "worse"));
        assert_eq!(score_change(0.64, Some(0.64), &past()).unwrap().text, "±0.00");
        assert!(score_change(0.64, None, &past()).is_none());
    }

    #[test]
    fn signal_changes_read_in_their_unit_and_direction() {
        // cycle time from 2.0 to 1.5 days: −25%, better (lower is better)
        let c = signal_change("cycle_time_days", Some(1.5), &past(), "").unwrap();
        assert_eq!((c.text.as_str(), c.sense, c.previous.as_str()), ("−25%", "better", "2.0 days"));
        // rework from 10% to 13%: +3.0 pts, worse
        let c = signal_change("rework_rate", Some(0.13), &past(), "").unwrap();
        assert_eq!((c.text.as_str(), c.sense), ("+3.0 pts", "worse"));
        assert!(signal_change("pr_throughput", Some(3.0), &past(), "").is_none());
    }
}
