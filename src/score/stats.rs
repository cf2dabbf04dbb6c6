//! The statistics of a cohort comparison (SPEC §3, Cohorts): medians and
//! quantiles, the percentile bootstrap of a difference of medians, the
//! Mann–Whitney U test, and the one verdict drawn from the last two.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// Bootstrap resamples per interval: every interval rests on exactly this many.
pub const RESAMPLES: usize = 2000;

/// Draws whose reference median is 0 allowed per resample (so 200,000 for
/// 2,000 resamples) before the bootstrap gives up: redrawing never loops forever.
pub const MAX_ZERO_DRAWS_PER_RESAMPLE: usize = 100;

/// The p-value below which the test points to a difference; the interval
/// covers 1 − ALPHA (95%).
pub const ALPHA: f64 = 0.05;

/// How a difference of medians is measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// (median − reference median) ÷ reference median: −0.25 is a quarter lower.
    #[default]
    Relative,
    /// (median − reference median) × 100, in percentage points: for shares.
    Points,
}

impl Scale {
    /// The scale of a per-person metric: points for a share (a signal whose unit is "share").
    pub fn of_metric(metric: &str) -> Scale {
        match super::signals::signal(metric) {
            Some(s) if s.unit == "share" => Scale::Points,
            _ => Scale::Relative,
        }
    }

    /// The difference of `median` from `reference`; `None` for a relative difference from 0.
    pub fn diff(self, median: f64, reference: f64) -> Option<f64> {
        match self {
            Scale::Relative if reference == 0.0 => None,
            Scale::Relative => Some((median - reference) / reference),
            Scale::Points => Some((median - reference) * 100.0),
        }
    }
}

/// A 95% percentile bootstrap interval of a difference of medians.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
    /// The resamples it rests on: always the number asked for.
    pub resamples: usize,
    /// Draws thrown away and redrawn because their reference median was 0.
    pub redrawn: usize,
}

/// Why a comparison has no interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoInterval {
    /// A cohort has no values.
    Empty,
    /// The reference cohort's own median is 0: a relative difference has no meaning.
    ZeroReference,
    /// The reference median came out 0 in `draws` draws, more than
    /// MAX_ZERO_DRAWS_PER_RESAMPLE for each resample asked for.
    TooManyZeroDraws { draws: usize },
}

/// What the interval and the p-value say together: decided here, once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The interval excludes 0 and p < 0.05.
    ShowsDifference,
    /// Weak evidence: the interval excludes 0, but p ≥ 0.05.
    WeakInterval,
    /// Weak evidence: p < 0.05, but the interval includes 0.
    WeakPValue,
    /// The interval includes 0 and p ≥ 0.05.
    NoDifference,
}

impl Verdict {
    /// The verdict of an interval (low, high) of a difference and a p-value.
    pub fn from_evidence(low: f64, high: f64, p: f64) -> Verdict {
        let interval = low > 0.0 || high < 0.0;
        match (interval, p < ALPHA) {
            (true, true) => Verdict::ShowsDifference,
            (true, false) => Verdict::WeakInterval,
            (false, true) => Verdict::WeakPValue,
            (false, false) => Verdict::NoDifference,
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

/// The 95% percentile bootstrap interval of the difference of medians on
/// `scale`: both groups resampled with replacement, `resamples` times. A
/// resample whose reference median is 0 has no relative difference and is
/// redrawn, never skipped, up to MAX_ZERO_DRAWS_PER_RESAMPLE × `resamples` times.
pub fn bootstrap(
    group: &[f64],
    reference: &[f64],
    scale: Scale,
    resamples: usize,
    seed: u64,
) -> Result<Interval, NoInterval> {
    bootstrap_bounded(group, reference, scale, resamples, seed, resamples.saturating_mul(MAX_ZERO_DRAWS_PER_RESAMPLE))
}

/// [`bootstrap`] with the number of zero-reference draws allowed.
fn bootstrap_bounded(
    group: &[f64],
    reference: &[f64],
    scale: Scale,
    resamples: usize,
    seed: u64,
    max_zero_draws: usize,
) -> Result<Interval, NoInterval> {
    let ref_median = median(reference).ok_or(NoInterval::Empty)?;
    if group.is_empty() || resamples == 0 {
        return Err(NoInterval::Empty);
    }
    scale.diff(ref_median, ref_median).ok_or(NoInterval::ZeroReference)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draw = |values: &[f64], buf: &mut Vec<f64>| {
        buf.clear();
        buf.extend((0..values.len()).map(|_| values[rng.random_range(0..values.len())]));
        median_in_place(buf).unwrap_or(f64::NAN)
    };
    let (mut a, mut b) = (Vec::with_capacity(group.len()), Vec::with_capacity(reference.len()));
    let mut diffs = Vec::with_capacity(resamples);
    let mut redrawn = 0;
    while diffs.len() < resamples {
        let (m, r) = (draw(group, &mut a), draw(reference, &mut b));
        match scale.diff(m, r) {
            Some(d) => diffs.push(d),
            None if redrawn < max_zero_draws => redrawn += 1,
            None => return Err(NoInterval::TooManyZeroDraws { draws: redrawn + 1 }),
        }
    }
    diffs.sort_by(f64::total_cmp);
    let (low, high) = (quantile(&diffs, ALPHA / 2.0), quantile(&diffs, 1.0 - ALPHA / 2.0));
    Ok(Interval { low: low.ok_or(NoInterval::Empty)?, high: high.ok_or(NoInterval::Empty)?, resamples, redrawn })
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
    fn the_verdict_needs_both_the_interval_and_the_p_value() {
        assert_eq!(Verdict::from_evidence(-0.6, -0.1, 0.01), Verdict::ShowsDifference);
        assert_eq!(Verdict::from_evidence(0.1, 0.4, 0.2), Verdict::WeakInterval);
        assert_eq!(Verdict::from_evidence(-0.6, 0.04, 0.02), Verdict::WeakPValue);
        assert_eq!(Verdict::from_evidence(-0.6, 0.04, 0.3), Verdict::NoDifference);
        // An end at exactly 0 includes no difference; p = 0.05 is not below 0.05.
        assert_eq!(Verdict::from_evidence(0.0, 0.4, 0.01), Verdict::WeakPValue);
        assert_eq!(Verdict::from_evidence(0.1, 0.4, 0.05), Verdict::WeakInterval);
    }

    #[test]
    fn shares_are_compared_in_points() {
        assert_eq!(Scale::of_metric("rework_rate"), Scale::Points);
        assert_eq!(Scale::of_metric("cycle_time_days"), Scale::Relative);
        assert_eq!(Scale::Points.diff(0.3, 0.1).map(|d| (d * 1e9).round() / 1e9), Some(20.0));
        assert_eq!(Scale::Relative.diff(0.3, 0.0), None);
    }

    #[test]
    fn the_bootstrap_gives_up_after_its_bound_of_zero_reference_draws() {
        // The reference's median is 1, but 0 in about a third of resamples
        // (at least 3 zeros in 5 draws: 0.317): 10 allowed zero draws run out.
        let (a, b) = ([1.0, 2.0, 3.0, 4.0, 5.0], [0.0, 0.0, 1.0, 2.0, 3.0]);
        let out = bootstrap_bounded(&a, &b, Scale::Relative, RESAMPLES, 7, 10);
        assert_eq!(out, Err(NoInterval::TooManyZeroDraws { draws: 11 }));
        let out = bootstrap(&a, &b, Scale::Relative, RESAMPLES, 7).unwrap();
        assert_eq!(out.resamples, RESAMPLES);
        // Points divide by nothing: no draw is redrawn.
        assert_eq!(bootstrap(&a, &b, Scale::Points, RESAMPLES, 7).unwrap().redrawn, 0);
        assert_eq!(
            bootstrap(&a, &[0.0, 0.0, 0.0, 1.0, 2.0], Scale::Relative, RESAMPLES, 7),
            Err(NoInterval::ZeroReference)
        );
    }
}
