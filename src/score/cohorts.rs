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
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use statrs::distribution::{ContinuousCDF, Normal};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The per-person metrics a comparison can use.
pub use crate::config::PERSON_METRICS;

/// Bootstrap resamples per interval.
pub const RESAMPLES: usize = 2000;

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
    /// (median − reference median) / reference median.
    pub rel_diff: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
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
    let q = ds.quarter;
    let days = working_days(q.start(), q.end()).max(1) as f64;
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
    let (start, end) = (day_number(ds.quarter.start()), day_number(ds.quarter.end()));
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
    let against = Against { dimension, metric, reference, ref_median: median(&reference_values), reference_values };
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
        rows,
        suppression,
    }
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
        let med = median(values);
        let is_reference = cohort == self.reference;
        let (rel_diff, ci, p_value) = if is_reference {
            (None, None, None)
        } else {
            let rel = med.zip(self.ref_median).filter(|(_, r)| *r != 0.0).map(|(m, r)| (m - r) / r);
            let seed = seed_of(self.dimension, self.metric, cohort);
            (
                rel,
                bootstrap_rel_diff(values, &self.reference_values, RESAMPLES, seed),
                mann_whitney_p(values, &self.reference_values),
            )
        };
        CohortRow {
            cohort: cohort.to_string(),
            is_reference,
            suppressed: false,
            n: Some(values.len()),
            median: med,
            rel_diff,
            ci_low: ci.map(|c| c.0),
            ci_high: ci.map(|c| c.1),
            p_value,
            values: values.to_vec(),
        }
    }
}

/// The median of values (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    median_in_place(&mut values.to_vec())
}

/// The median, reordering `v`: selection, not a sort, so linear time (the
/// bootstrap takes thousands of medians of every cohort). The order
/// statistics are the sorted ones, so the value is the same.
fn median_in_place(v: &mut [f64]) -> Option<f64> {
    let n = v.len();
    if n == 0 {
        return None;
    }
    let (below, mid, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    let mid = *mid;
    if n % 2 == 1 {
        return Some(mid);
    }
    let lower = below.iter().copied().max_by(f64::total_cmp)?;
    Some((lower + mid) / 2.0)
}

/// The `p`-quantile of sorted values, interpolating linearly between order
/// statistics (Hyndman & Fan type 7, the default of R and NumPy).
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// A seed fixed by what is compared, so adding a comparison changes no other.
fn seed_of(dimension: &str, metric: &str, cohort: &str) -> u64 {
    let digest = Sha256::digest(format!("{dimension}\u{1f}{metric}\u{1f}{cohort}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(bytes)
}

/// The 95% percentile bootstrap interval of the relative difference of
/// medians: both groups resampled with replacement, `resamples` times.
pub fn bootstrap_rel_diff(group: &[f64], reference: &[f64], resamples: usize, seed: u64) -> Option<(f64, f64)> {
    if group.is_empty() || reference.is_empty() {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draw = |values: &[f64], buf: &mut Vec<f64>| {
        buf.clear();
        buf.extend((0..values.len()).map(|_| values[rng.random_range(0..values.len())]));
        median_in_place(buf)
    };
    let (mut a, mut b) = (Vec::with_capacity(group.len()), Vec::with_capacity(reference.len()));
    let mut diffs = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let (Some(m), Some(r)) = (draw(group, &mut a), draw(reference, &mut b)) else { continue };
        if r != 0.0 {
            diffs.push((m - r) / r);
        }
    }
    diffs.sort_by(f64::total_cmp);
    Some((quantile(&diffs, 0.025)?, quantile(&diffs, 0.975)?))
}

/// The two-sided p-value of the Mann–Whitney U test by the normal
/// approximation with tie correction and continuity correction (as SciPy's
/// `mannwhitneyu(..., method="asymptotic", use_continuity=True)`).
pub fn mann_whitney_p(x: &[f64], y: &[f64]) -> Option<f64> {
    let (n1, n2) = (x.len(), y.len());
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let mut all: Vec<(f64, usize)> = x.iter().map(|v| (*v, 0)).chain(y.iter().map(|v| (*v, 1))).collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = all.len();
    let (ranks, ties) = tied_ranks(&all);
    let r1: f64 = all.iter().zip(&ranks).filter(|(a, _)| a.1 == 0).map(|(_, r)| r).sum();
    let (n1f, n2f, nf) = (n1 as f64, n2 as f64, n as f64);
    let u1 = r1 - n1f * (n1f + 1.0) / 2.0;
    let mu = n1f * n2f / 2.0;
    let variance = n1f * n2f / 12.0 * ((nf + 1.0) - ties / (nf * (nf - 1.0)));
    if variance <= 0.0 {
        return Some(1.0);
    }
    let z = ((u1 - mu).abs() - 0.5).max(0.0) / variance.sqrt();
    let normal = Normal::standard();
    Some((2.0 * (1.0 - normal.cdf(z))).min(1.0))
}

/// The ranks of sorted values (ties share their mean rank) and the tie
/// correction term, the sum of t³ − t over groups of t tied values.
fn tied_ranks(sorted: &[(f64, usize)]) -> (Vec<f64>, f64) {
    let n = sorted.len();
    let mut ranks = vec![0.0; n];
    let mut ties = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && sorted[j + 1].0 == sorted[i].0 {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for r in &mut ranks[i..=j] {
            *r = rank;
        }
        let t = (j - i + 1) as f64;
        ties += t * t * t - t;
        i = j + 1;
    }
    (ranks, ties)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_type_7_quantiles() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        // numpy.quantile([1, 2, 3, 4], 0.025) = 1.075; 0.975 → 3.925
        assert!((quantile(&[1.0, 2.0, 3.0, 4.0], 0.025).unwrap() - 1.075).abs() < 1e-12);
        assert!((quantile(&[1.0, 2.0, 3.0, 4.0], 0.975).unwrap() - 3.925).abs() < 1e-12);
    }

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
}
