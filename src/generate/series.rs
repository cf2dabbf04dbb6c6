//! How each key result unfolds over the quarter: the metrics.csv series that
//! measure or guard it, and the weekly check-ins its owner writes.

use super::catalog::METRICS;
use super::okrs::{quarter_days, round_to, Guard, Kr, Plan, Source, QUARTER};
use super::org::Org;
use super::out::{day_of, fmt_num, Csv, Rand};
use super::text;
use crate::error::Result;
use std::path::Path;

/// Where the key result stands on `day` without noise: baseline to its
/// achieved share of the goal along an S-curve that ends on its due date.
fn path(kr: &Kr, day: i64) -> f64 {
    let (start, end) = kr.window;
    let due = kr.due.unwrap_or(end).max(start + 1);
    let f = ((day - start) as f64 / (due - start) as f64).clamp(0.0, 1.0);
    let s = f * f * (3.0 - 2.0 * f);
    kr.baseline + (kr.goal - kr.baseline) * kr.achievement * s
}

fn clamp(x: f64, max: f64) -> f64 {
    x.clamp(0.0, max)
}

/// A metrics.csv row before sorting: day, team, metric, value.
type MetricRow<'a> = (i64, usize, &'a str, String);

/// Writes metrics.csv: weekly series from a month before the quarter, some
/// twice weekly; a quarter before it has its own series up to that month.
pub fn write_metrics(plans: &[&Plan], org: &Org, dir: &Path, seed: u64) -> Result<(String, u64)> {
    let mut rows = Vec::new();
    for plan in plans {
        let (mut rng, mondays) = if plan.quarter == QUARTER {
            let (_, end) = quarter_days();
            (Rand::new(seed, 4), (0..18).map(|w| day_of(2026, 6, 1) + 7 * w).filter(|&d| d <= end).collect())
        } else {
            // up to the month of run-up before the quarter after it, which ends it
            (Rand::new(seed, 14), (0..8).map(|w| day_of(2026, 4, 6) + 7 * w).collect::<Vec<i64>>())
        };
        for kr in plan.krs.iter().filter(|k| k.source == Source::Series) {
            series_rows(&mut rng, kr, &mondays, &mut rows);
        }
        for g in &plan.guards {
            guard_rows(&mut rng, g, &mondays, &mut rows);
        }
    }
    rows.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    let mut csv = Csv::create(dir, "metrics.csv", &["date", "team", "metric", "value", "person"])?;
    for (d, team, metric, value) in &rows {
        csv.date(*d).raw(&org.teams[*team].name).raw(metric).raw(value).empty();
        csv.end()?;
    }
    csv.finish()
}

/// The series measuring `kr`: its path with noise, weekly or twice weekly,
/// and on the quarter's last day (the last of the Mondays' in a quarter before).
fn series_rows<'a>(rng: &mut Rand, kr: &'a Kr, mondays: &[i64], rows: &mut Vec<MetricRow<'a>>) {
    let end = if kr.window == quarter_days() { kr.window.1 } else { mondays.last().copied().unwrap_or(kr.window.1) };
    let spread = (kr.goal - kr.baseline).abs();
    let twice = rng.chance(0.1);
    let mut days: Vec<i64> = mondays.iter().flat_map(|&d| [d, d + 3]).filter(|&d| twice || is_monday(d)).collect();
    days.retain(|&d| d <= end);
    if kr.window == quarter_days() {
        days.push(end);
    }
    for d in days {
        let v = clamp(path(kr, d) + 0.05 * spread * rng.gauss(), kr.max);
        rows.push((d, kr.team, kr.metric.unwrap_or(""), fmt_num(v, kr.decimals)));
    }
}

/// A guard's weekly series: flat with noise, or drifting the wrong way over the quarter.
fn guard_rows(rng: &mut Rand, g: &Guard, mondays: &[i64], rows: &mut Vec<MetricRow>) {
    let (start, end) = quarter_days();
    let def = &METRICS[g.def];
    let base = rng.range(def.base.0, def.base.1);
    let wrong = if def.increase { -1.0 } else { 1.0 };
    for &d in mondays.iter().chain(std::iter::once(&end)) {
        let f = ((d - start) as f64 / (end - start) as f64).clamp(0.0, 1.0);
        let drift = if g.drifts { wrong * 0.2 * f } else { 0.0 };
        let v = clamp(base * (1.0 + drift + 0.03 * rng.gauss()), def.max);
        rows.push((d, g.team, def.name, fmt_num(v, def.decimals)));
    }
}

fn is_monday(d: i64) -> bool {
    super::out::weekday(d) == 0
}

/// How a confidence is written: 7, 70%, 0.7 or words.
#[derive(Clone, Copy)]
enum Style {
    Integer,
    Percent,
    Decimal,
    Words,
}

/// One check-in row before sorting.
struct Row {
    day: i64,
    kr: usize,
    author: usize,
    value: String,
    confidence: String,
    note: String,
    blockers: String,
    decision: String,
}

/// Writes checkins.csv: Friday check-ins, skipped weeks, gaps and silent key results.
pub fn write_checkins(plans: &[&Plan], org: &Org, dir: &Path, seed: u64) -> Result<(String, u64)> {
    let mut rows = Vec::new();
    for plan in plans {
        let (mut rng, first) = if plan.quarter == QUARTER {
            (Rand::new(seed, 3), day_of(2026, 7, 3))
        } else {
            (Rand::new(seed, 13), day_of(2026, 4, 3))
        };
        let fridays: Vec<i64> = (0..13).map(|w| first + 7 * w).collect();
        for (i, kr) in plan.krs.iter().enumerate() {
            checkins_of(&mut rng, org, kr, i, &fridays, &mut rows);
        }
    }
    rows.sort_by_key(|r| (r.day, r.kr));
    // a key result keeps its id from one quarter to the next: any plan names it
    let ids = |r: &Row| plans.last().map_or("", |p| p.krs[r.kr].id.as_str());
    let header = ["date", "kr_id", "author", "value", "confidence", "note", "blockers", "decision_needed"];
    let mut csv = Csv::create(dir, "checkins.csv", &header)?;
    for r in &rows {
        csv.date(r.day).raw(ids(r)).raw(&org.people[r.author].id).raw(&r.value).raw(&r.confidence);
        csv.text(&r.note).text(&r.blockers).text(&r.decision);
        csv.end()?;
    }
    csv.finish()
}

/// How an owner checks in on one key result over the quarter.
struct Habits {
    /// Chance of skipping a week.
    skip: f64,
    /// First of four silent weeks (none: `usize::MAX`).
    gap_from: usize,
    style: Style,
    /// Milestone progress written as a percentage.
    percent_progress: bool,
    /// From this week on, a key result that is behind loses confidence.
    risk_week: usize,
}

/// Draws how the owner of a key result checks in; `None` when they never do.
fn draw_habits(rng: &mut Rand) -> Option<Habits> {
    let cadence = rng.weighted(&[(0u8, 0.70), (1, 0.18), (2, 0.09), (3, 0.03)]);
    if cadence == 3 {
        return None; // never checked in
    }
    Some(Habits {
        skip: if cadence == 1 { 0.25 } else { 0.04 },
        gap_from: if cadence == 2 { rng.int(2, 7) as usize } else { usize::MAX },
        style: rng.weighted(&[
            (Style::Integer, 0.7),
            (Style::Percent, 0.1),
            (Style::Decimal, 0.1),
            (Style::Words, 0.1),
        ]),
        percent_progress: rng.chance(0.3),
        risk_week: rng.int(3, 9) as usize,
    })
}

/// The Friday check-ins of key result number `index`, skipped weeks and gaps left out.
fn checkins_of(rng: &mut Rand, org: &Org, kr: &Kr, index: usize, fridays: &[i64], rows: &mut Vec<Row>) {
    let Some(h) = draw_habits(rng) else { return };
    let members = org.teams[kr.team].members.clone();
    let mut progress: f64 = 0.0;
    for (w, &day) in fridays.iter().enumerate() {
        if (h.gap_from..h.gap_from.saturating_add(4)).contains(&w) || rng.chance(h.skip) {
            continue;
        }
        let value = match kr.source {
            Source::Milestone => milestone_value(rng, kr, day, &mut progress, h.percent_progress),
            source => measured_value(rng, kr, day, source),
        };
        let c = confidence(rng, kr, w, h.risk_week);
        let author = if rng.chance(0.85) { kr.owner } else { members.start + rng.below(members.len()) };
        rows.push(Row {
            day,
            kr: index,
            author,
            value,
            confidence: write_confidence(c, h.style),
            note: if rng.chance(0.3) { text::note(rng, org, kr) } else { String::new() },
            blockers: if rng.chance(0.08) { text::blocker(rng, org) } else { String::new() },
            decision: if rng.chance(0.04) { text::decision(rng) } else { String::new() },
        });
    }
}

/// A milestone's reported progress on `day`: never going back, as a share or a percentage.
fn milestone_value(rng: &mut Rand, kr: &Kr, day: i64, progress: &mut f64, percent: bool) -> String {
    *progress = progress.max((path(kr, day) + 0.03 * rng.gauss()).clamp(0.0, 1.0));
    let p = round_to(*progress, 2);
    if percent {
        format!("{}%", fmt_num(p * 100.0, 0))
    } else {
        fmt_num(p, 2)
    }
}

/// A measured key result's reported value on `day`: its path with noise, optimistic owners ahead of it.
fn measured_value(rng: &mut Rand, kr: &Kr, day: i64, source: Source) -> String {
    let (start, end) = kr.window;
    let f = ((day - start) as f64 / (end - start) as f64).clamp(0.0, 1.0);
    let bias = if kr.optimistic { (kr.goal - kr.baseline) * 0.35 * f } else { 0.0 };
    let noise = if source == Source::Series { 0.03 } else { 0.04 };
    let spread = (kr.goal - kr.baseline).abs();
    fmt_num(clamp(path(kr, day) + bias + noise * spread * rng.gauss(), kr.max), kr.decimals)
}

/// Confidence 0–10 in week `w`: high when on course or when the miss will be a
/// surprise, falling to 3–4 from the risk week when the key result is behind.
fn confidence(rng: &mut Rand, kr: &Kr, w: usize, risk_week: usize) -> i64 {
    let a = kr.achievement;
    let c = if kr.surprise {
        8.0 + 0.8 * rng.gauss()
    } else if a >= 0.85 {
        8.0 + 0.7 * rng.gauss()
    } else if a < 0.5 && w >= risk_week {
        3.5 + 0.5 * rng.gauss()
    } else if a < 0.5 {
        6.5 + 0.5 * rng.gauss()
    } else {
        6.8 + 0.9 * rng.gauss()
    };
    let (lo, hi) = if kr.surprise {
        (7, 10)
    } else if a < 0.5 && w >= risk_week {
        (2, 4)
    } else {
        (5, 10)
    };
    (c.round() as i64).clamp(lo, hi)
}

fn write_confidence(c: i64, style: Style) -> String {
    match style {
        Style::Integer => c.to_string(),
        Style::Percent => format!("{}%", c * 10),
        Style::Decimal => fmt_num(c as f64 / 10.0, 1),
        Style::Words if c >= 7 => "on track".into(),
        Style::Words if c >= 5 => "at risk".into(),
        Style::Words => "off track".into(),
    }
}
