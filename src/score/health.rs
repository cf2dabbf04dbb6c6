//! The health grid: each team's health metrics, one red/amber/green status per
//! ISO week (the week's last check), and the red streaks that become findings.

use super::frames::{i64s, strs};
use crate::error::Result;
use crate::model::{day_number, from_day_number, week_monday, Dataset, Grade, HealthCheck};
use chrono::NaiveDate;
use polars::prelude::*;

/// One team's health metric over the quarter's weeks.
#[derive(Debug, Clone)]
pub struct HealthRow {
    pub team: String,
    pub metric: String,
    /// One cell per week of [`HealthGrid::weeks`].
    pub cells: Vec<Option<Grade>>,
    /// The last check of the quarter: date, status, note.
    pub latest: (NaiveDate, Grade, Option<String>),
    /// The longest run of consecutive red weeks: first Monday, last Monday, weeks.
    pub red_streak: Option<(NaiveDate, NaiveDate, usize)>,
}

/// Teams × health metrics × weeks.
#[derive(Debug, Clone, Default)]
pub struct HealthGrid {
    /// Mondays of the ISO weeks the quarter touches.
    pub weeks: Vec<NaiveDate>,
    /// Sorted by team, then metric.
    pub rows: Vec<HealthRow>,
}

impl HealthGrid {
    /// How many of its weeks a map of `rows` (indexes into `rows`) shows: up
    /// to the last week any of them has a check, so no row ends in an empty
    /// column the quarter had not reached (all of them without a check).
    pub fn weeks_shown(&self, rows: &[usize]) -> usize {
        rows.iter()
            .filter_map(|&r| self.rows.get(r))
            .filter_map(|row| row.cells.iter().rposition(Option::is_some))
            .max()
            .map_or(self.weeks.len(), |last| last + 1)
    }
}

const STATUS: &str = "status";
const WEEK: &str = "week";
const METRIC: &str = "health_metric";

/// Builds the grid from health.csv rows of the quarter.
pub fn grid(ds: &Dataset) -> Result<HealthGrid> {
    let weeks = quarter_weeks(ds);
    if ds.health.is_empty() {
        return Ok(HealthGrid { weeks, rows: Vec::new() });
    }
    let weekly = weekly_status(&ds.health)?;
    let mut rows = fill_rows(&weekly, &weeks)?;
    add_latest(&mut rows, &ds.health, &weeks);
    Ok(HealthGrid { weeks, rows })
}

/// The Mondays of the ISO weeks the quarter touches, up to the date the pack stands on.
fn quarter_weeks(ds: &Dataset) -> Vec<NaiveDate> {
    let mut weeks = Vec::new();
    let mut w = week_monday(ds.quarter.start());
    while w <= ds.as_of() {
        weeks.push(w);
        w += chrono::Duration::days(7);
    }
    weeks
}

/// The number a status is coded as in the frame.
fn code(r: Grade) -> i64 {
    r as i64
}

/// One row per team, metric and week with the week's last status.
fn weekly_status(h: &[HealthCheck]) -> Result<DataFrame> {
    let df = DataFrame::new_infer_height(vec![
        Column::new("team".into(), h.iter().map(|x| x.team.as_str()).collect::<Vec<_>>()),
        Column::new(METRIC.into(), h.iter().map(|x| x.metric.as_str()).collect::<Vec<_>>()),
        Column::new(WEEK.into(), h.iter().map(|x| day_number(week_monday(x.date))).collect::<Vec<_>>()),
        Column::new(STATUS.into(), h.iter().map(|x| code(x.status)).collect::<Vec<_>>()),
    ])?;
    // ds.health is sorted by team, metric, date and line: the last row of a week wins.
    Ok(df.lazy().group_by_stable([col("team"), col(METRIC), col(WEEK)]).agg([col(STATUS).last()]).collect()?)
}

/// One grid row per team and metric, its cells filled from the weekly statuses.
fn fill_rows(weekly: &DataFrame, weeks: &[NaiveDate]) -> Result<Vec<HealthRow>> {
    let first = weeks.first().copied().unwrap_or_default();
    let teams = strs(weekly, "team")?;
    let metrics = strs(weekly, METRIC)?;
    let week = i64s(weekly, WEEK)?;
    let status = i64s(weekly, STATUS)?;
    let mut rows: Vec<HealthRow> = Vec::new();
    for i in 0..weekly.height() {
        let (Some(team), Some(metric), Some(wk), Some(st)) = (&teams[i], &metrics[i], week[i], status[i]) else {
            continue;
        };
        let new_row = rows.last().is_none_or(|r| r.team != *team || r.metric != *metric);
        if new_row {
            rows.push(HealthRow {
                team: team.clone(),
                metric: metric.clone(),
                cells: vec![None; weeks.len()],
                latest: (first, Grade::Green, None),
                red_streak: None,
            });
        }
        let slot = ((from_day_number(wk as i32) - first).num_days() / 7) as usize;
        let rag = [Grade::Green, Grade::Amber, Grade::Red].into_iter().find(|r| code(*r) == st).unwrap_or(Grade::Amber);
        if let Some(cell) = rows.last_mut().and_then(|row| row.cells.get_mut(slot)) {
            *cell = Some(rag);
        }
    }
    Ok(rows)
}

/// The latest check and the longest red run of each row, from the sorted checks (linear).
fn add_latest(rows: &mut [HealthRow], h: &[HealthCheck], weeks: &[NaiveDate]) {
    let mut at = 0;
    for row in rows {
        while at < h.len() && (h[at].team.as_str(), h[at].metric.as_str()) < (row.team.as_str(), row.metric.as_str()) {
            at += 1;
        }
        while at < h.len() && h[at].team == row.team && h[at].metric == row.metric {
            row.latest = (h[at].date, h[at].status, h[at].note.clone());
            at += 1;
        }
        row.red_streak = longest_red(&row.cells, weeks);
    }
}

/// The longest run of consecutive red weeks; the earliest of equal runs.
fn longest_red(cells: &[Option<Grade>], weeks: &[NaiveDate]) -> Option<(NaiveDate, NaiveDate, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut run_start = None;
    for (i, cell) in cells.iter().chain([&None]).enumerate() {
        match (cell, run_start) {
            (Some(Grade::Red), None) => run_start = Some(i),
            (Some(Grade::Red), Some(_)) => {}
            (_, Some(s)) => {
                if best.is_none_or(|(bs, be)| i - s > be - bs) {
                    best = Some((s, i));
                }
                run_start = None;
            }
            (_, None) => {}
        }
    }
    best.map(|(s, e)| (weeks[s], weeks[e - 1], e - s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weeks(n: usize) -> Vec<NaiveDate> {
        let first = NaiveDate::from_ymd_opt(2026, 6, 29).unwrap();
        (0..n).map(|i| first + chrono::Duration::days(7 * i as i64)).collect()
    }

    #[test]
    fn longest_red_run_counts_consecutive_weeks_only() {
        use Grade::*;
        let w = weeks(8);
        let cells = [Some(Red), Some(Red), None, Some(Red), Some(Red), Some(Red), Some(Amber), Some(Red)];
        assert_eq!(longest_red(&cells, &w), Some((w[3], w[5], 3)));
        let two = [Some(Red), Some(Red), Some(Amber), None, None, None, None, None];
        assert_eq!(longest_red(&two, &w), Some((w[0], w[1], 2)));
        let tail = [None, None, None, None, None, Some(Red), Some(Red), Some(Red)];
        assert_eq!(longest_red(&tail, &w), Some((w[5], w[7], 3)));
        assert_eq!(longest_red(&[None; 8], &w), None);
    }
}
