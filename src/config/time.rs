//! `[time]` of quarterdeck.toml (SPEC §6): how a key result's pace is
//! graded, and when a folder's inputs count as the whole quarter.

use super::{below, Problem};
use serde::{Deserialize, Serialize};

/// The pace thresholds and the quarter's last days.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Time {
    /// A pace (score ÷ expected) at or above this is on pace.
    pub on_pace_from: f64,
    /// A pace below this is off pace; between the two, behind.
    pub off_pace_below: f64,
    /// Inputs whose latest date falls in the quarter's last this-many days
    /// count as the whole quarter: weekly exports date a week by its first
    /// day, and the last check-in is often the last Friday.
    pub complete_within_days: i64,
}

impl Default for Time {
    fn default() -> Self {
        Time { on_pace_from: 0.9, off_pace_below: 0.6, complete_within_days: 7 }
    }
}

/// Where a key result stands against the share of its time gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    OnPace,
    Behind,
    OffPace,
}

impl Pace {
    /// The words a page shows.
    pub fn words(self) -> &'static str {
        match self {
            Pace::OnPace => "on pace",
            Pace::Behind => "behind",
            Pace::OffPace => "off pace",
        }
    }
}

impl Time {
    /// The grade of a pace.
    pub fn pace(&self, pace: f64) -> Pace {
        if below(pace, self.off_pace_below) {
            Pace::OffPace
        } else if below(pace, self.on_pace_from) {
            Pace::Behind
        } else {
            Pace::OnPace
        }
    }

    pub(super) fn check(&self) -> Result<(), Problem> {
        let ok = |x: f64| (0.0..=10.0).contains(&x);
        if !(ok(self.off_pace_below) && ok(self.on_pace_from) && self.off_pace_below <= self.on_pace_from) {
            let message = format!(
                "[time] needs 0 ≤ off_pace_below ≤ on_pace_from ≤ 10, found off_pace_below = {} and on_pace_from = {}",
                self.off_pace_below, self.on_pace_from
            );
            return Err(Problem::at(&["time"], message));
        }
        if !(1..=31).contains(&self.complete_within_days) {
            let message =
                format!("[time] complete_within_days must be from 1 to 31, found {}", self.complete_within_days);
            return Err(Problem::at(&["time", "complete_within_days"], message));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paces_grade_at_their_thresholds() {
        let t = Time::default();
        assert_eq!(t.pace(0.9), Pace::OnPace);
        assert_eq!(t.pace(0.89), Pace::Behind);
        assert_eq!(t.pace(0.6), Pace::Behind);
        assert_eq!(t.pace(0.59), Pace::OffPace);
    }
}
