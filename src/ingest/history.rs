//! The quarters before the one built (SPEC §6, history): each with its
//! key results, objectives, check-ins and metric points, read once with
//! the rest of the folder and scored by `score::history`.

use super::okrs::Okrs;
use crate::model::{Checkin, Dataset, MetricPoint, Quarter};
use chrono::NaiveDate;

/// The most earlier quarters a pack reads: with the quarter built, eight.
pub const MAX_HISTORY: usize = 7;

/// The quarter of `quarters` holding `date`, if one does.
pub fn holding(quarters: &[Quarter], date: Option<NaiveDate>) -> Option<Quarter> {
    let date = date?;
    quarters.iter().find(|q| q.contains(date)).copied()
}

/// The earlier quarters the pack compares with, oldest first, at most
/// [`MAX_HISTORY`] of them: each with its key results, objectives,
/// check-ins and the metric points inside it. A quarter whose rows were
/// all left out is not among them.
pub fn earlier(quarter: Quarter, okrs: &Okrs, checkins: &[Checkin], metrics: &[MetricPoint]) -> Vec<Dataset> {
    let mut earlier: Vec<Quarter> = okrs.krs.iter().map(|k| k.quarter).filter(|q| *q < quarter).collect();
    earlier.sort();
    earlier.dedup();
    let skip = earlier.len().saturating_sub(MAX_HISTORY);
    earlier.into_iter().skip(skip).map(|q| past(q, okrs, checkins, metrics)).collect()
}

/// One earlier quarter, read for comparison only.
fn past(q: Quarter, okrs: &Okrs, checkins: &[Checkin], metrics: &[MetricPoint]) -> Dataset {
    let mut checkins: Vec<Checkin> = checkins.iter().filter(|c| c.quarter == q).cloned().collect();
    checkins.sort_by(|a, b| (&a.kr_id, a.date, a.line).cmp(&(&b.kr_id, b.date, b.line)));
    Dataset {
        objectives: okrs.objectives.iter().filter(|(oq, _)| *oq == q).map(|(_, o)| o.clone()).collect(),
        krs: okrs.krs.iter().filter(|k| k.quarter == q).cloned().collect(),
        checkins,
        metrics: metrics.iter().filter(|m| q.contains(m.date)).cloned().collect(),
        ..Dataset::empty(q)
    }
}
