//! View models of the cohort comparisons: a sentence a reader can repeat, a
//! table and a chart per comparison. Suppressed cohorts arrive here with no
//! figures (see score::cohorts) and are shown as held back. The verdict is
//! decided in score::stats; this module only puts it into words.

use super::lookup::Lookup;
use crate::format::num;
use crate::score::cohorts::{CohortRow, Comparison, NoInterval, Scale, Verdict, AI_COHORT, RESAMPLES};
use crate::score::stats::{ALPHA, MAX_ZERO_DRAWS_PER_RESAMPLE};
use serde::Serialize;

/// One cohort row as shown.
#[derive(Debug, Serialize)]
pub struct CohortRowView {
    pub cohort: String,
    pub is_reference: bool,
    pub suppressed: bool,
    pub n: String,
    pub median: String,
    pub rel_diff: String,
    pub interval: String,
    pub p_value: String,
    /// The verdict in a few words, empty without one.
    pub verdict: String,
}

/// One comparison as shown.
#[derive(Debug, Serialize)]
pub struct ComparisonView {
    pub id: String,
    pub title: String,
    pub sentences: Vec<String>,
    pub suppression: String,
    /// Every cohort is held back: the comparison is one sentence, with no table or chart.
    pub held_back: bool,
    /// How the Difference column reads: "relative" or "points".
    pub scale: String,
    pub rows: Vec<CohortRowView>,
    pub chart: String,
}

/// A signed difference as shown: a whole number, or one decimal when it
/// rounds to 0 without being 0 (so an interval that excludes 0 never shows a 0 end).
fn signed_number(x: f64) -> String {
    let whole = x.round();
    let magnitude = if whole == 0.0 && (x * 10.0).round() != 0.0 {
        format!("{:.1}", x.abs())
    } else {
        format!("{:.0}", whole.abs())
    };
    if magnitude == "0" {
        magnitude
    } else {
        format!("{}{magnitude}", if x > 0.0 { "+" } else { "−" })
    }
}

/// A difference on its scale: "+12%" or "+4 pts".
fn signed(scale: Scale, x: f64) -> String {
    match scale {
        Scale::Relative => format!("{}%", signed_number(x * 100.0)),
        Scale::Points => format!("{} pts", signed_number(x)),
    }
}

/// The size of a difference, without its sign: "12%" or "4 pts".
fn size(scale: Scale, x: f64) -> String {
    signed(scale, x).trim_start_matches(['+', '−']).to_string()
}

/// The largest relative difference an interval names: past it the data are
/// too few to say how much ("more than +100%": the median more than doubles).
const RELATIVE_CAP: f64 = 1.0;

/// An interval's bound on the relative scale, capped at ±100%.
fn relative_bound(x: f64) -> String {
    if x.abs() > RELATIVE_CAP {
        format!("more than {}", signed(Scale::Relative, RELATIVE_CAP.copysign(x)))
    } else {
        signed(Scale::Relative, x)
    }
}

/// An interval on its scale: "−47% to +12%", "−20% to more than +100%" or "−3 to +11 pts".
fn span(scale: Scale, low: f64, high: f64) -> String {
    match scale {
        Scale::Relative => format!("{} to {}", relative_bound(low), relative_bound(high)),
        Scale::Points => format!("{} to {} pts", signed_number(low), signed_number(high)),
    }
}

fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {}", p_number(p))
    }
}

/// A p-value with two decimals, or as many more as it takes to read on its
/// own side of ALPHA: 0.0532 is "0.053", never "0.05", which would be read as
/// a p-value not below 0.05 that still points to a difference, or the reverse.
fn p_number(p: f64) -> String {
    let reads_right = |text: &str| {
        let shown: f64 = text.parse().unwrap_or(f64::NAN);
        (shown < ALPHA) == (p < ALPHA) && (shown != ALPHA || p == ALPHA)
    };
    if reads_right(&format!("{p:.2}")) {
        return num(p);
    }
    (3..=6).map(|d| format!("{p:.d$}")).find(|t| reads_right(t)).unwrap_or_else(|| p.to_string())
}

/// How a cohort is named in a sentence.
fn people(dimension: &str, cohort: &str) -> String {
    if dimension == AI_COHORT {
        if cohort.ends_with("user") {
            format!("{cohort}s")
        } else {
            format!("{cohort} users")
        }
    } else {
        format!("people with {dimension} {cohort}")
    }
}

fn metric_words(metric: &str) -> &'static str {
    match metric {
        "cycle_time_days" => "median PR cycle time",
        "review_time_hours" => "median time to first review",
        "pr_throughput" => "merged PRs per week per person",
        "rework_rate" => "rework rate",
        _ => "value",
    }
}

/// The verdict in a few words, for the table.
fn verdict_words(v: Verdict) -> &'static str {
    match v {
        Verdict::ShowsDifference => "shows a difference",
        Verdict::WeakInterval => "weak evidence (interval)",
        Verdict::WeakPValue => "weak evidence (p-value)",
        Verdict::NoDifference => "does not show a difference",
    }
}

/// Why there is no interval, in words.
fn no_interval_words(why: NoInterval) -> String {
    match why {
        NoInterval::Empty => "a cohort has no values".into(),
        NoInterval::ZeroReference => {
            "the reference cohort's median is 0, so a difference relative to it has no meaning".into()
        }
        NoInterval::TooManyZeroDraws { draws } => format!(
            "the reference cohort's median came out 0 in {draws} resampled draws, more than \
             {MAX_ZERO_DRAWS_PER_RESAMPLE} for each of the {RESAMPLES} resamples, so the bootstrap stopped"
        ),
    }
}

/// The sentence of one compared cohort.
fn sentence(c: &Comparison, r: &CohortRow, reference: &CohortRow) -> Option<String> {
    let who = people(&c.dimension, &r.cohort);
    let them = format!("{} (n = {})", people(&c.dimension, &c.reference), reference.n?);
    let between = format!("{} between {who} (n = {}) and {them}", metric_words(&c.metric), r.n?);
    let p = p_text(r.p_value?);
    let Some(verdict) = r.verdict else {
        let why = no_interval_words(r.no_interval?);
        return Some(format!("There is no verdict on {between}: {why} ({p})."));
    };
    let (diff, i) = (r.diff?, r.interval?);
    let range = span(c.scale, i.low, i.high);
    let same = signed(c.scale, diff).starts_with('0');
    let medians = if same {
        "the medians are the same".to_string()
    } else {
        format!("the median of {who} is {} {}", size(c.scale, diff), if diff < 0.0 { "lower" } else { "higher" })
    };
    Some(match verdict {
        Verdict::ShowsDifference => format!(
            "The data shows a difference in {between}: {medians}, and both the 95% interval of the difference \
             ({range}) and the Mann–Whitney test ({p}) point to one."
        ),
        Verdict::WeakInterval => format!(
            "Weak evidence of a difference in {between}: {medians}. The 95% interval of the difference \
             ({range}) excludes zero, but the Mann–Whitney test does not point to a difference ({p})."
        ),
        Verdict::WeakPValue => format!(
            "Weak evidence of a difference in {between}: {medians}. The Mann–Whitney test points to a \
             difference ({p}), but the 95% interval of the difference ({range}) includes zero."
        ),
        Verdict::NoDifference => format!(
            "The data does not show a difference in {between}: {medians}{} the 95% interval of the difference \
             ({range}) includes zero and the Mann–Whitney test does not point to a difference ({p}).",
            if same { ";" } else { ", but" }
        ),
    })
}

fn sentences(c: &Comparison) -> Vec<String> {
    let Some(reference) = c.rows.iter().find(|r| r.is_reference && !r.suppressed) else { return Vec::new() };
    c.rows.iter().filter(|r| !r.is_reference && !r.suppressed).filter_map(|r| sentence(c, r, reference)).collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

fn row_view(scale: Scale, r: &CohortRow) -> CohortRowView {
    let dash = || "—".to_string();
    CohortRowView {
        cohort: r.cohort.clone(),
        is_reference: r.is_reference,
        suppressed: r.suppressed,
        n: r.n.map_or_else(dash, |n| n.to_string()),
        median: r.median.map_or_else(dash, num),
        rel_diff: r.diff.map_or_else(dash, |d| signed(scale, d)),
        interval: r.interval.map_or_else(dash, |i| span(scale, i.low, i.high)),
        p_value: r.p_value.map_or_else(dash, p_number),
        verdict: r.verdict.map(verdict_words).unwrap_or_default().to_string(),
    }
}

/// Every comparison, in declaration order.
pub fn comparisons(ix: &Lookup) -> Vec<ComparisonView> {
    ix.scores
        .cohorts
        .comparisons
        .iter()
        .enumerate()
        .map(|(i, c)| ComparisonView {
            id: format!("cmp-{}", i + 1),
            title: capitalise(&format!("{} by {}", metric_words(&c.metric), c.dimension.replace('_', " "))),
            sentences: sentences(c),
            suppression: c.suppression.clone().unwrap_or_default(),
            held_back: c.rows.iter().all(|r| r.suppressed),
            scale: match c.scale {
                Scale::Relative => "relative".into(),
                Scale::Points => "points".into(),
            },
            rows: c.rows.iter().map(|r| row_view(c.scale, r)).collect(),
            chart: ix.charts.cohort_boxes.get(i).cloned().unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_values_read_on_their_own_side_of_five_percent() {
        assert_eq!(p_number(0.0532), "0.053");
        assert_eq!(p_number(0.0496), "0.0496");
        assert_eq!(p_number(0.05), "0.05");
        assert_eq!(p_number(0.1412), "0.14");
        assert_eq!(p_number(0.02), "0.02");
    }

    /// The sentence of a comparison of `group` against a reference.
    fn sentence_of(group: Vec<f64>, reference: Vec<f64>) -> String {
        let groups = [("A".to_string(), group), ("B".to_string(), reference)].into();
        let c = crate::score::cohorts::compare("squad", "cycle_time_days", "B", groups, 5);
        sentences(&c).remove(0)
    }

    #[test]
    fn weak_evidence_says_which_of_the_two_points_to_a_difference() {
        let repeat = |v: f64, n| std::iter::repeat_n(v, n);
        // tests/cohorts.rs works these out: p < 0.001 with an interval through 0 …
        let weak_p = sentence_of(
            repeat(1.0, 13).chain(repeat(19.0, 7)).collect(),
            repeat(2.0, 10).chain(repeat(20.0, 10)).collect(),
        );
        assert!(weak_p.starts_with("Weak evidence of a difference"), "{weak_p}");
        assert!(weak_p.contains("The Mann–Whitney test points to a difference (p < 0.001), but the 95% interval of the difference (−95% to "), "{weak_p}");
        assert!(weak_p.ends_with(") includes zero."), "{weak_p}");
        // … and an interval of +10% to +10% with p = 0.31.
        let weak_i = sentence_of(
            repeat(1.0, 10).chain(repeat(11.0, 30)).collect(),
            repeat(10.0, 30).chain(repeat(100.0, 10)).collect(),
        );
        assert!(weak_i.contains("the median of people with squad A is 10% higher. The 95% interval of the difference (+10% to +10%) excludes zero, but the Mann–Whitney test does not point to a difference (p = 0.31)."), "{weak_i}");
        let none = sentence_of(vec![1.0, 2.0, 3.0, 4.0, 5.0], vec![0.0, 0.0, 0.0, 2.0, 3.0]);
        assert!(none.starts_with("There is no verdict on median PR cycle time between"), "{none}");
        assert!(none.contains("the reference cohort's median is 0"), "{none}");
        let shows = sentence_of(vec![1.0, 2.0, 3.0, 4.0, 5.0], vec![11.0, 12.0, 13.0, 14.0, 15.0]);
        assert!(shows.starts_with("The data shows a difference in median PR cycle time between people with squad A (n = 5) and people with squad B (n = 5): the median of people with squad A is 77% lower, and both"), "{shows}");
    }

    #[test]
    fn differences_read_in_percent_or_points() {
        assert_eq!(signed(Scale::Relative, -0.344), "−34%");
        assert_eq!(signed(Scale::Relative, 0.004), "+0.4%");
        assert_eq!(signed(Scale::Points, 25.0), "+25 pts");
        assert_eq!(span(Scale::Points, 0.0, 75.0), "0 to +75 pts");
        // the "−20% to +392%": past +100% the data cannot say how much
        assert_eq!(span(Scale::Relative, -0.2, 3.92), "−20% to more than +100%");
        assert_eq!(span(Scale::Relative, -0.2, 1.0), "−20% to +100%");
        assert_eq!(size(Scale::Points, -4.2), "4 pts");
    }
}
