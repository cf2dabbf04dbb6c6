//! Cohort comparisons (SPEC §3, Cohorts): per-person metrics from the pull
//! requests, compared between the cohorts of a people.csv dimension (or the
//! derived `ai_cohort`) with medians, a bootstrap interval and Mann–Whitney U.
//! Privacy is enforced here, once: a suppressed cohort leaves this module with
//! no figures and no per-person values, so no page or export can show them.

use super::frames::{c, f64s, Numbers};
use crate::config::{Config, EPSILON};
use crate::error::Result;
use crate::model::{day_number, Dataset, PullRequest};
use chrono::Datelike;
use polars::prelude::*;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The per-person metrics a comparison can use.
pub use crate::config::PERSON_METRICS;

use super::stats::{bootstrap, mann_whitney_p};
pub use super::stats::{median, quantile, Interval, NoInterval, Scale, Verdict, RESAMPLES};

/// The name of the derived AI cohort dimension.
pub use crate::config::AI_COHORT;

/// One cohort of one comparison.
#[derive(Debug, Clone, Default)]
pub struct CohortRow {
    pub cohort: String,
    pub is_reference: bool,
    pub suppressed: bool,
    /// People with a value; `None` when suppressed.
    pub n: Option<usize>,
    pub median: Option<f64>,
    /// The difference of the median from the reference's, on the
    /// comparison's scale (relative, or percentage points for a share).
    pub diff: Option<f64>,
    /// The 95% bootstrap interval of `diff`.
    pub interval: Option<Interval>,
    /// Why a compared cohort has no interval.
    pub no_interval: Option<NoInterval>,
    pub p_value: Option<f64>,
    /// What the interval and the p-value say together; `None` on the
    /// reference, a held-back cohort, and a cohort with no interval.
    pub verdict: Option<Verdict>,
    /// The per-person values, sorted, for the distribution chart only; empty
    /// when suppressed. Never exported.
    pub values: Vec<f64>,
}

/// One comparison: a dimension, a metric and a reference cohort.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub dimension: String,
    pub metric: String,
    pub reference: String,
    /// How differences are measured: in points for a share metric.
    pub scale: Scale,
    pub rows: Vec<CohortRow>,
    /// Why cohorts were held back, in words; `None` when nothing was.
    pub suppression: Option<String>,
}

/// Every comparison of the pack.
#[derive(Debug, Clone, Default)]
pub struct Cohorts {
    pub comparisons: Vec<Comparison>,
}

/// Working days (Monday to Friday) between two dates inclusive.
fn working_days(from: chrono::NaiveDate, to: chrono::NaiveDate) -> usize {
    from.iter_days().take_while(|d| *d <= to).filter(|d| d.weekday().num_days_from_monday() < 5).count()
}

/// The derived AI cohort of every person of people.csv, from the quarter's
/// ai_usage.csv rows: super user, regular or passive.
pub fn ai_cohorts(ds: &Dataset, config: &Config) -> BTreeMap<String, String> {
    // as of a date, the working days up to it (SPEC §6)
    let days = working_days(ds.quarter.start(), ds.as_of()).max(1) as f64;
    let (active, shown) = usage_per_person(ds);
    ds.events
        .people
        .iter()
        .map(|p| {
            let share = active.get(p.id.as_str()).map_or(0, BTreeSet::len) as f64 / days;
            let acceptance = shown.get(p.id.as_str()).filter(|s| s.1 > 0.0).map_or(0.0, |s| s.0 / s.1);
            (p.id.clone(), ai_cohort_of(share, acceptance, config).to_string())
        })
        .collect()
}

/// Per person: the working days they were active, and (accepted, shown) suggestions.
type Usage<'a> = (HashMap<&'a str, BTreeSet<chrono::NaiveDate>>, HashMap<&'a str, (f64, f64)>);

/// Each person's AI usage over the quarter.
fn usage_per_person(ds: &Dataset) -> Usage<'_> {
    // looked up once per usage row: hashed, not ordered
    let mut active: HashMap<&str, BTreeSet<chrono::NaiveDate>> = HashMap::new();
    let mut shown: HashMap<&str, (f64, f64)> = HashMap::new();
    for u in ds.events.ai_usage.iter().filter(|u| ds.quarter.contains(u.date)) {
        // Active days are counted against working days: weekends do not count.
        if u.active && u.date.weekday().num_days_from_monday() < 5 {
            active.entry(u.person.as_str()).or_default().insert(u.date);
        }
        let e = shown.entry(u.person.as_str()).or_default();
        e.0 += u.accepted;
        e.1 += u.shown;
    }
    (active, shown)
}

/// The AI cohort of a person active on `share` of working days who accepted `acceptance` of suggestions.
fn ai_cohort_of(share: f64, acceptance: f64, config: &Config) -> &'static str {
    let t = config.ai_cohort;
    if share + EPSILON >= t.super_user_active && acceptance + EPSILON >= t.super_user_acceptance {
        "super user"
    } else if share + EPSILON < t.passive_active {
        "passive"
    } else {
        "regular"
    }
}

/// A merged pull request and its merge time.
type Merged<'a> = (&'a PullRequest, i64);

/// Each author's per-person metrics over the quarter's merged pull requests;
/// a pull request without an author (a deleted account) belongs to no one.
fn person_metrics(ds: &Dataset) -> Result<BTreeMap<String, BTreeMap<&'static str, f64>>> {
    let merged: Vec<Merged> =
        ds.events.prs.iter().filter(|p| p.author.is_some()).filter_map(|p| Some((p, p.merged.get()?))).collect();
    if merged.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut numbers = Numbers::default();
    let df = authored_frame(&merged, &mut numbers)?;
    let per = per_author(ds, df)?;
    let authors = numbers.names(&per, "author")?;
    let mut out: BTreeMap<String, BTreeMap<&'static str, f64>> = BTreeMap::new();
    for metric in PERSON_METRICS {
        for (a, v) in authors.iter().zip(f64s(&per, metric)?) {
            if let (Some(a), Some(v)) = (a, v) {
                out.entry(a.clone()).or_default().insert(metric, v);
            }
        }
    }
    Ok(out)
}

/// One row per merged pull request: author number, day merged, cycle days, review hours, rework.
fn authored_frame<'a>(merged: &[Merged<'a>], numbers: &mut Numbers<'a>) -> Result<DataFrame> {
    let day = |secs: i64| secs.div_euclid(86_400) as i32;
    let authors: Vec<u32> = merged.iter().map(|(p, _)| numbers.of(p.author.as_deref().unwrap_or_default())).collect();
    let review = |p: &PullRequest| p.first_review.get().map(|r| (r - p.opened) as f64 / 3600.0);
    Ok(DataFrame::new_infer_height(vec![
        Column::new("author".into(), authors),
        Column::new(c::DATE.into(), merged.iter().map(|(_, m)| day(*m)).collect::<Vec<_>>()),
        Column::new("cycle".into(), merged.iter().map(|(p, m)| (m - p.opened) as f64 / 86_400.0).collect::<Vec<_>>()),
        Column::new("review".into(), merged.iter().map(|(p, _)| review(p)).collect::<Vec<_>>()),
        Column::new(
            "rework".into(),
            merged.iter().map(|(p, _)| p.rework.map(|r| if r { 1.0 } else { 0.0 })).collect::<Vec<_>>(),
        ),
    ])?)
}

/// The per-person metrics of each author over the quarter, one row per author.
fn per_author(ds: &Dataset, df: DataFrame) -> Result<DataFrame> {
    let (start, end) = (day_number(ds.quarter.start()), day_number(ds.as_of()));
    let weeks = f64::from(end - start + 1) / 7.0;
    Ok(df
        .lazy()
        .filter(col(c::DATE).gt_eq(lit(start)).and(col(c::DATE).lt_eq(lit(end))))
        .group_by([col("author")])
        .agg([
            col("cycle").median().alias("cycle_time_days"),
            col("review").median().alias("review_time_hours"),
            (len().cast(DataType::Float64) / lit(weeks)).alias("pr_throughput"),
            col("rework").mean().alias("rework_rate"),
        ])
        .collect()?)
}

/// The comparisons to make: `[[cohorts]]`, or with AI usage and no
/// declaration, ai_cohort against "passive" on every per-person metric.
fn declared(ds: &Dataset, config: &Config) -> Vec<(String, String, String)> {
    if !config.cohorts.is_empty() {
        return config.cohorts.iter().map(|c| (c.dimension.clone(), c.metric.clone(), c.reference.clone())).collect();
    }
    if ds.events.ai_usage.is_empty() && !ds.events.dimensions.iter().any(|d| d == AI_COHORT) {
        return Vec::new();
    }
    PERSON_METRICS.iter().map(|m| (AI_COHORT.to_string(), m.to_string(), "passive".to_string())).collect()
}

/// Computes every comparison, suppressing small cohorts.
pub fn compute(ds: &Dataset, config: &Config) -> Result<Cohorts> {
    let mut out = Cohorts::default();
    if ds.events.people.is_empty() {
        return Ok(out);
    }
    let comparisons = declared(ds, config);
    let derived_ai = !ds.events.dimensions.iter().any(|d| d == AI_COHORT) && !ds.events.ai_usage.is_empty();
    let people = PersonValues {
        ds,
        ai: if derived_ai { Some(ai_cohorts(ds, config)) } else { None },
        metrics: person_metrics(ds)?,
    };
    let min = config.privacy.min_group_size;
    let mut jobs = Vec::new();
    for (dimension, metric, reference) in comparisons {
        let groups = people.groups(&dimension, &metric);
        jobs.push((dimension, metric, reference, groups));
    }
    // each comparison's bootstrap has its own seed: they run on every core
    // and come back in order
    out.comparisons = jobs
        .into_par_iter()
        .map(|(dimension, metric, reference, groups)| compare(&dimension, &metric, &reference, groups, min))
        .collect();
    for (i, c) in out.comparisons.iter_mut().enumerate() {
        let configured = config.cohorts.get(i).map_or(&[][..], |d| d.order.as_slice());
        order_rows(&c.dimension, configured, &mut c.rows);
    }
    Ok(out)
}

/// Everyone's cohorts and per-person metrics.
struct PersonValues<'a> {
    ds: &'a Dataset,
    /// The derived AI cohorts, when ai_cohort is not a column of people.csv.
    ai: Option<BTreeMap<String, String>>,
    metrics: BTreeMap<String, BTreeMap<&'static str, f64>>,
}

impl PersonValues<'_> {
    /// cohort → per-person values of `metric`, for people with both.
    fn groups(&self, dimension: &str, metric: &str) -> BTreeMap<String, Vec<f64>> {
        let mut groups: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for p in &self.ds.events.people {
            let cohort = match &self.ai {
                Some(ai) if dimension == AI_COHORT => ai.get(&p.id).cloned(),
                _ => p.dimensions.get(dimension).cloned(),
            };
            let value = self.metrics.get(&p.id).and_then(|m| m.get(metric)).copied();
            if let (Some(cohort), Some(value)) = (cohort, value) {
                groups.entry(cohort).or_default().push(value);
            }
        }
        groups
    }
}

/// One comparison from its groups of per-person values.
pub fn compare(
    dimension: &str,
    metric: &str,
    reference: &str,
    mut groups: BTreeMap<String, Vec<f64>>,
    min_group_size: usize,
) -> Comparison {
    groups.values_mut().for_each(|v| v.sort_by(f64::total_cmp));
    let (suppression, hold_all) = suppression_of(&groups, reference, min_group_size);
    let reference_values = groups.get(reference).cloned().unwrap_or_default();
    let scale = Scale::of_metric(metric);
    let against =
        Against { dimension, metric, reference, scale, ref_median: median(&reference_values), reference_values };
    let rows = groups
        .iter()
        .map(|(cohort, values)| {
            if hold_all || values.len() < min_group_size {
                against.held_back(cohort)
            } else {
                against.row(cohort, values)
            }
        })
        .collect();
    Comparison {
        dimension: dimension.to_string(),
        metric: metric.to_string(),
        reference: reference.to_string(),
        scale,
        rows,
        suppression,
    }
}

/// The derived AI cohorts in their order, least use first.
const AI_ORDER: [&str; 3] = ["passive", "regular", "super user"];

/// Puts a comparison's cohorts in the order a reader expects: the
/// configured `order` first; else the AI cohorts from passive to super
/// user; else, when every cohort names a number (`<1y`, `1-3y`, `3y+`), by
/// that number, a cohort below it (`<`, `under`) before and one above it
/// (`+`, `>`, `over`) after; else by name.
pub fn order_rows(dimension: &str, configured: &[String], rows: &mut [CohortRow]) {
    let order: Vec<&str> = match (configured.is_empty(), dimension == AI_COHORT) {
        (false, _) => configured.iter().map(String::as_str).collect(),
        (true, true) => AI_ORDER.to_vec(),
        (true, false) => Vec::new(),
    };
    if !order.is_empty() {
        rows.sort_by_cached_key(|r| {
            (order.iter().position(|o| *o == r.cohort).unwrap_or(order.len()), r.cohort.clone())
        });
    } else if rows.iter().all(|r| ordinal_key(&r.cohort).is_some()) {
        rows.sort_by(|a, b| {
            let (ka, kb) = (ordinal_key(&a.cohort).unwrap_or_default(), ordinal_key(&b.cohort).unwrap_or_default());
            ka.0.total_cmp(&kb.0).then(ka.1.cmp(&kb.1)).then(a.cohort.cmp(&b.cohort))
        });
    } else {
        rows.sort_by(|a, b| a.cohort.cmp(&b.cohort));
    }
}

/// The first number a cohort's name holds and which side of it the name
/// means: −1 below (`<1y`, `under 2`), +1 above (`3y+`, `>5`, `over 10`), 0 from it.
fn ordinal_key(name: &str) -> Option<(f64, i8)> {
    let start = name.find(|c: char| c.is_ascii_digit())?;
    let digits: String = name[start..].chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let value: f64 = digits.trim_end_matches('.').parse().ok()?;
    let lower = name.to_lowercase();
    let side = if lower.starts_with(['<', '≤']) || lower.starts_with("under") || lower.starts_with("less") {
        -1
    } else if lower.ends_with('+')
        || lower.starts_with(['>', '≥'])
        || lower.starts_with("over")
        || lower.starts_with("more")
    {
        1
    } else {
        0
    };
    Some((value, side))
}

/// Why cohorts are held back, if any are, and whether the whole comparison is.
fn suppression_of(
    groups: &BTreeMap<String, Vec<f64>>,
    reference: &str,
    min_group_size: usize,
) -> (Option<String>, bool) {
    let small: Vec<&String> = groups.iter().filter(|(_, v)| v.len() < min_group_size).map(|(k, _)| k).collect();
    // One small cohort next to shown ones could be recovered by subtraction
    // from any published total; so could a small reference. Hold back all.
    let hold_all = !groups.contains_key(reference) || small.len() == 1 || small.iter().any(|s| s.as_str() == reference);
    let suppression = if !groups.contains_key(reference) {
        Some(format!("no one with a value is in the reference cohort {reference:?}"))
    } else if hold_all {
        Some(format!(
            "a cohort has fewer than {min_group_size} people; showing the others would let a reader work it out \
             by subtraction, so the whole comparison is held back"
        ))
    } else if !small.is_empty() {
        Some(format!("{} cohorts have fewer than {min_group_size} people and are held back", small.len()))
    } else {
        None
    };
    (suppression, hold_all)
}

/// What each shown cohort of a comparison is measured against.
struct Against<'a> {
    dimension: &'a str,
    metric: &'a str,
    reference: &'a str,
    scale: Scale,
    reference_values: Vec<f64>,
    ref_median: Option<f64>,
}

impl Against<'_> {
    /// A held-back cohort: its name only, no figures and no values.
    fn held_back(&self, cohort: &str) -> CohortRow {
        let is_reference = cohort == self.reference;
        CohortRow { cohort: cohort.to_string(), is_reference, suppressed: true, ..CohortRow::default() }
    }

    /// The figures of a shown cohort; the reference has no difference to itself.
    fn row(&self, cohort: &str, values: &[f64]) -> CohortRow {
        let is_reference = cohort == self.reference;
        let shown = CohortRow {
            cohort: cohort.to_string(),
            is_reference,
            n: Some(values.len()),
            median: median(values),
            values: values.to_vec(),
            ..CohortRow::default()
        };
        if is_reference {
            return shown;
        }
        let diff = shown.median.zip(self.ref_median).and_then(|(m, r)| self.scale.diff(m, r));
        let seed = seed_of(self.dimension, self.metric, cohort);
        let interval = bootstrap(values, &self.reference_values, self.scale, RESAMPLES, seed);
        let p_value = mann_whitney_p(values, &self.reference_values);
        let verdict = interval.ok().zip(p_value).map(|(i, p)| Verdict::from_evidence(i.low, i.high, p));
        CohortRow { diff, interval: interval.ok(), no_interval: interval.err(), p_value, verdict, ..shown }
    }
}

/// A seed fixed by what is compared, so adding a comparison changes no other.
fn seed_of(dimension: &str, metric: &str, cohort: &str) -> u64 {
    let digest = Sha256::digest(format!("{dimension}\u{1f}{metric}\u{1f}{cohort}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ai_working_days_of_a_quarter() {
        let d = |m, dd| chrono::NaiveDate::from_ymd_opt(2026, m, dd).unwrap();
        // 2026-Q3: 92 days, 13 weeks and a day; 66 weekdays.
        assert_eq!(working_days(d(7, 1), d(9, 30)), 66);
    }

    #[test]
    fn one_small_cohort_holds_back_the_whole_comparison() {
        let g = |n: usize| (0..n).map(|i| i as f64).collect::<Vec<_>>();
        let groups: BTreeMap<String, Vec<f64>> =
            [("a".to_string(), g(6)), ("b".to_string(), g(7)), ("c".to_string(), g(3))].into();
        let c = compare("d", "m", "a", groups.clone(), 5);
        assert!(c.rows.iter().all(|r| r.suppressed && r.n.is_none() && r.values.is_empty()));
        // Two small cohorts: each is held back, the rest is shown.
        let mut two = groups;
        two.insert("e".to_string(), g(2));
        let c = compare("d", "m", "a", two, 5);
        let shown: Vec<&str> = c.rows.iter().filter(|r| !r.suppressed).map(|r| r.cohort.as_str()).collect();
        assert_eq!(shown, ["a", "b"]);
    }

    #[test]
    fn ordinal_cohorts_keep_their_order() {
        let rows = |names: &[&str]| -> Vec<CohortRow> {
            names.iter().map(|n| CohortRow { cohort: n.to_string(), ..CohortRow::default() }).collect()
        };
        let names = |rows: &[CohortRow]| rows.iter().map(|r| r.cohort.clone()).collect::<Vec<_>>();
        // the sample's tenure sorted by name was "1-3y, 3y+, <1y"
        let mut tenure = rows(&["1-3y", "3y+", "<1y"]);
        order_rows("tenure", &[], &mut tenure);
        assert_eq!(names(&tenure), ["<1y", "1-3y", "3y+"]);
        let mut ai = rows(&["passive", "regular", "super user"]);
        ai.reverse();
        order_rows(AI_COHORT, &[], &mut ai);
        assert_eq!(names(&ai), ["passive", "regular", "super user"]);
        // a configured order wins; names it leaves out follow by name
        let mut level = rows(&["junior", "lead", "mid", "senior"]);
        order_rows("level", &["senior".into(), "mid".into()], &mut level);
        assert_eq!(names(&level), ["senior", "mid", "junior", "lead"]);
        let mut places = rows(&["Lisbon", "Berlin", "over 10 km", "5 km"]);
        order_rows("location", &[], &mut places);
        assert_eq!(names(&places), ["5 km", "Berlin", "Lisbon", "over 10 km"]);
    }
}
