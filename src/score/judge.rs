//! Every figure and judgement of one key result, read from the scored
//! frame: its cadence, risk, misses and, as of a date, its expected
//! progress and pace (SPEC §3 and §6).

use super::frames::{bools, c, f64s, i64s, strs};
use super::{round2, KrScore};
use crate::config::{below, Config};
use crate::error::Result;
use crate::model::{day_number, from_day_number, Dataset};
use polars::prelude::*;

/// One row of the scored frame as read, before any judgement.
struct Scored {
    id: String,
    score: f64,
    value: [Option<f64>; 3],
    scores: [Option<f64>; 2],
    band_status: Option<String>,
    time_in_band: Option<f64>,
    checkins: i64,
    last_confidence: Option<f64>,
    /// Day numbers of the risk date, the first and the last check-in.
    risk: Option<i64>,
    first: Option<i64>,
    last: Option<i64>,
    /// The longest gap between two check-ins: (length, last day).
    inner: Option<(i64, i64)>,
    median_gap: Option<f64>,
    committed: bool,
    maintain: bool,
    /// Day numbers of the last day that counts and of the due date.
    until: Option<i64>,
    deadline: Option<i64>,
}

/// The days a key result is judged on, as day numbers: the quarter's
/// start, its end and the date the pack stands on.
#[derive(Debug, Clone, Copy)]
struct Days {
    start: i64,
    end: i64,
    as_of: i64,
}

/// Reads the scored frame and judges every key result.
pub fn read_krs(df: &DataFrame, ds: &Dataset, config: &Config) -> Result<Vec<KrScore>> {
    let day = |d| i64::from(day_number(d));
    let days = Days { start: day(ds.quarter.start()), end: day(ds.quarter.end()), as_of: day(ds.as_of()) };
    Ok(read_scored(df)?.into_iter().map(|r| judge(r, days, config)).collect())
}

fn read_scored(df: &DataFrame) -> Result<Vec<Scored>> {
    let (ids, score, value, measured, reported) =
        (strs(df, c::KR_ID)?, f64s(df, c::SCORE)?, f64s(df, c::VALUE)?, f64s(df, "measured")?, f64s(df, "reported")?);
    let (score_m, score_r, band, tib) =
        (f64s(df, "score_measured")?, f64s(df, "score_reported")?, strs(df, "band_status")?, f64s(df, "time_in_band")?);
    let (n, conf, risk, first, last) = (
        i64s(df, "checkins")?,
        f64s(df, "last_confidence")?,
        i64s(df, "risk_date")?,
        i64s(df, "first_date")?,
        i64s(df, "last_date")?,
    );
    let (inner, inner_end, median_gap) = (i64s(df, "inner_gap")?, i64s(df, "inner_gap_end")?, f64s(df, "median_gap")?);
    let (committed, maintain) = (bools(df, c::COMMITTED)?, bools(df, c::MAINTAIN)?);
    let (until, deadline) = (i64s(df, c::DUE)?, i64s(df, c::DEADLINE)?);
    Ok((0..ids.len())
        .map(|i| Scored {
            id: ids[i].clone().unwrap_or_default(),
            score: score[i].unwrap_or(0.0),
            value: [value[i], measured[i], reported[i]],
            scores: [score_m[i], score_r[i]],
            band_status: band[i].clone(),
            time_in_band: tib[i],
            checkins: n[i].unwrap_or(0),
            last_confidence: conf[i],
            risk: risk[i],
            first: first[i],
            last: last[i],
            inner: inner[i].zip(inner_end[i]),
            median_gap: median_gap[i],
            committed: committed[i],
            maintain: maintain[i],
            until: until[i],
            deadline: deadline[i],
        })
        .collect())
}

/// Every figure and judgement of one key result. What only its due date
/// can decide (a miss, a missed commitment, a surprise) waits for it.
fn judge(r: Scored, days: Days, config: &Config) -> KrScore {
    let (t, g) = (&config.thresholds, &config.grades);
    let day = |d: i64| from_day_number(d as i32);
    let (until, due) = (r.until.unwrap_or(days.as_of), r.deadline.unwrap_or(days.end));
    let decided = due <= days.as_of;
    let s = r.score;
    let gap = longest_gap(days.start, until, r.first, r.last, r.inner);
    let [value, value_measured, value_reported] = r.value;
    let [score_measured, score_reported] = r.scores;
    let missed_commitment = decided && r.committed && below(s, 1.0);
    let expected = expected(days.start, due, days.as_of);
    let pace = if r.maintain { Some(s) } else { (expected > 0.0).then(|| round2(s / expected)) };
    KrScore {
        kr_id: r.id,
        score: s,
        value,
        value_measured,
        value_reported,
        score_measured,
        score_reported,
        band_status: r.band_status,
        time_in_band: r.time_in_band,
        grade: g.grade(s),
        expected,
        pace,
        pace_status: pace.map(|p| config.time.pace(p)),
        checkins: r.checkins as u32,
        longest_gap_days: gap.1 - gap.0,
        longest_gap: (day(gap.0), day(gap.1)),
        stale: gap.1 - gap.0 > t.stale_days,
        first_checkin: r.first.map(day),
        last_checkin: r.last.map(day),
        median_gap_days: r.median_gap,
        days_since_last_checkin: r.last.map(|l| days.as_of - l),
        last_confidence: r.last_confidence,
        risk_surfaced: r.risk.map(day),
        risk_lead_days: r.risk.map(|d| due - d),
        risk_raised_early: r.risk.is_some_and(|d| due - d >= t.early_warning_days),
        surprise_miss: decided
            && r.last_confidence.is_some_and(|c| !below(c, t.surprise_confidence))
            && below(s, g.red_below),
        missed_commitment,
        missed: decided && (below(s, g.green_from) || missed_commitment),
        decided,
        reported_gap: score_measured.zip(score_reported).map(|(m, r)| (m - r).abs()),
    }
}

/// The share of a key result's time gone on `as_of` (SPEC §6): days since
/// the quarter's start over days from the start to due, from 0 to 1.
fn expected(start: i64, due: i64, as_of: i64) -> f64 {
    if due <= start {
        return if as_of >= due { 1.0 } else { 0.0 };
    }
    ((as_of - start) as f64 / (due - start) as f64).clamp(0.0, 1.0)
}

/// The longest stretch without a check-in, as day numbers (from, to): from the
/// quarter start to the first check-in, between two check-ins, or from the
/// last one to `until`; the earliest of equally long gaps. No check-in at
/// all: the whole window.
fn longest_gap(start: i64, until: i64, first: Option<i64>, last: Option<i64>, inner: Option<(i64, i64)>) -> (i64, i64) {
    let (Some(first), Some(last)) = (first, last) else {
        return (start, until);
    };
    let mut gaps = vec![(start, first)];
    if let Some((len, end)) = inner {
        gaps.push((end - len, end));
    }
    gaps.push((last, until));
    gaps.into_iter().fold((start, start), |best, g| if g.1 - g.0 > best.1 - best.0 { g } else { best })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_is_the_share_of_days_gone_to_due() {
        let d = |m, day| i64::from(day_number(chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap()));
        // SPEC §6: as of 2026-08-15 in 2026-Q3, due 2026-09-30: 45 ÷ 91
        assert_eq!(expected(d(7, 1), d(9, 30), d(8, 15)), 45.0 / 91.0);
        // due 2026-08-31: 45 ÷ 61; past due: 1; on the first day: 0
        assert_eq!(expected(d(7, 1), d(8, 31), d(8, 15)), 45.0 / 61.0);
        assert_eq!(expected(d(7, 1), d(8, 31), d(9, 30)), 1.0);
        assert_eq!(expected(d(7, 1), d(9, 30), d(7, 1)), 0.0);
    }
}
