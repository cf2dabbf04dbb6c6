//! The date a pack stands on (SPEC §6, as of): the one asked for with
//! `--as-of`, or the inputs' latest date when it comes before the quarter's
//! last days; and the quarter cut to what was known on that date.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{day_number, Dataset, Events, InitiativeStatus, Quarter, Stamp, Standing};
use chrono::NaiveDate;

/// Decides where `ds` stands and cuts it to what was known on that date:
/// `asked` must lie inside the quarter; without it, inputs that end
/// before the quarter's last `complete_within_days` days stand on their
/// latest date (a quarter begun without data stands on its first day).
pub fn stand(ds: &mut Dataset, asked: Option<NaiveDate>, config: &Config) -> Result<()> {
    let (q, end) = (ds.quarter, ds.quarter.end());
    ds.standing = match asked {
        Some(d) => asked_standing(q, d)?,
        None => match latest_date(ds) {
            Some(latest) if (end - latest).num_days() >= config.time.complete_within_days => {
                Standing::DataEnd(latest.max(q.start()))
            }
            _ => Standing::Complete,
        },
    };
    if let Some(d) = ds.standing.date() {
        cut(ds, d);
    }
    Ok(())
}

/// The standing `--as-of DATE` asks for: a date inside the quarter; its
/// last day is the whole quarter.
fn asked_standing(q: Quarter, d: NaiveDate) -> Result<Standing> {
    if !q.contains(d) {
        return Err(Error::Usage(format!(
            "--as-of {d}: expected a date inside {q} ({} to {}); pick the quarter with --quarter",
            q.start(),
            q.end()
        )));
    }
    Ok(if d == q.end() { Standing::Complete } else { Standing::Asked(d) })
}

/// The latest date of any dated row: check-ins, metric points, health
/// checks and events (their last timestamp, as a UTC day).
pub fn latest_date(ds: &Dataset) -> Option<NaiveDate> {
    let day = |t: i64| crate::model::from_day_number(t.div_euclid(86_400) as i32);
    let e = &ds.events;
    let pr_days = e.prs.iter().flat_map(|p| [Some(p.opened), p.first_review.get(), p.merged.get()]).flatten();
    let incident_days = e.incidents.iter().flat_map(|i| [Some(i.started), i.resolved]).flatten();
    let stamps = pr_days.chain(incident_days).chain(e.deployments.iter().map(|d| d.deployed));
    let dates =
        ds.checkins.iter().map(|c| c.date).chain(ds.history.iter().flat_map(|h| h.checkins.iter().map(|c| c.date)));
    let dates = dates.chain(ds.metrics.iter().map(|m| m.date)).chain(ds.health.iter().map(|h| h.date));
    let dates = dates.chain(e.ai_usage.iter().map(|u| u.date));
    dates.chain(stamps.map(day)).max()
}

/// Leaves out of `ds` every row dated after `d`, and what happened after
/// it: a merge, a review or a resolution later is not yet one; an
/// initiative finished later is still being done. Key results' windows end on `d`.
fn cut(ds: &mut Dataset, d: NaiveDate) {
    ds.checkins.retain(|c| c.date <= d);
    ds.metrics.retain(|m| m.date <= d);
    ds.health.retain(|h| h.date <= d);
    cut_events(&mut ds.events, d);
    for i in &mut ds.initiatives {
        if i.finished.is_some_and(|f| f > d) {
            (i.finished, i.status) = (None, InitiativeStatus::Doing);
        }
        if i.started.is_some_and(|s| s > d) {
            (i.started, i.status) = (None, InitiativeStatus::Idea);
        }
    }
    for kr in &mut ds.krs {
        kr.until = kr.due.min(d);
    }
}

/// The events as they stood at the end of day `d` (UTC).
fn cut_events(e: &mut Events, d: NaiveDate) {
    let before = (i64::from(day_number(d)) + 1) * 86_400;
    let known = |t: Option<i64>| Stamp::from(t.filter(|t| *t < before));
    e.prs.retain(|p| p.opened < before);
    for p in &mut e.prs {
        (p.first_review, p.merged) = (known(p.first_review.get()), known(p.merged.get()));
    }
    e.deployments.retain(|x| x.deployed < before);
    e.incidents.retain(|i| i.started < before);
    for i in &mut e.incidents {
        i.resolved = i.resolved.filter(|t| *t < before);
    }
    e.ai_usage.retain(|u| u.date <= d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_as_of_date_must_lie_inside_the_quarter() {
        let q = Quarter::parse("2026-Q3").unwrap();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(asked_standing(q, d(8, 15)).unwrap(), Standing::Asked(d(8, 15)));
        assert_eq!(asked_standing(q, d(9, 30)).unwrap(), Standing::Complete);
        let e = asked_standing(q, d(10, 1)).unwrap_err().to_string();
        assert!(e.contains("expected a date inside 2026-Q3 (2026-07-01 to 2026-09-30)"), "{e}");
        assert!(asked_standing(q, d(6, 30)).is_err());
    }
}
