//! View models of the cohort comparisons: a sentence a reader can repeat, a
//! table and a chart per comparison. Suppressed cohorts arrive here with no
//! figures (see score::cohorts) and are shown as held back.

use super::lookup::Lookup;
use crate::format::num;
use crate::score::cohorts::{Comparison, AI_COHORT};
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
}

/// One comparison as shown.
#[derive(Debug, Serialize)]
pub struct ComparisonView {
    pub id: String,
    pub title: String,
    pub sentences: Vec<String>,
    pub suppression: String,
    pub rows: Vec<CohortRowView>,
    pub chart: String,
}

fn pct(x: f64) -> String {
    crate::format::signed_pct_rounded(x)
}

fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {}", num(p))
    }
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

fn sentences(c: &Comparison) -> Vec<String> {
    let Some(reference) = c.rows.iter().find(|r| r.is_reference && !r.suppressed) else { return Vec::new() };
    let words = metric_words(&c.metric);
    c.rows
        .iter()
        .filter(|r| !r.is_reference && !r.suppressed)
        .filter_map(|r| {
            let (rel, lo, hi, p) = (r.rel_diff?, r.ci_low?, r.ci_high?, r.p_value?);
            let who = people(&c.dimension, &r.cohort);
            let them = people(&c.dimension, &c.reference);
            let n = format!("n = {} vs {}", r.n?, reference.n?);
            let how = if rel < 0.0 { "lower" } else { "higher" };
            let size = format!("{:.0}%", (rel * 100.0).abs());
            let same = (rel * 100.0).abs() < 0.5;
            Some(if lo <= 0.0 && hi >= 0.0 {
                let medians = if same {
                    "the medians are the same".to_string()
                } else {
                    format!("the medians differ by {size} ({who} {how})")
                };
                format!(
                    "The data does not show a difference in {words} between {who} and {them}: {medians}, but the \
                     95% interval runs from {} to {} and includes no difference ({n}, {}).",
                    pct(lo),
                    pct(hi),
                    p_text(p)
                )
            } else {
                format!(
                    "{} of {who} was {size} {how} than that of {them} (95% CI {} to {}, {n}, {}).",
                    capitalise(words),
                    pct(lo),
                    pct(hi),
                    p_text(p)
                )
            })
        })
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
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
            rows: c
                .rows
                .iter()
                .map(|r| CohortRowView {
                    cohort: r.cohort.clone(),
                    is_reference: r.is_reference,
                    suppressed: r.suppressed,
                    n: r.n.map_or_else(|| "—".into(), |n| n.to_string()),
                    median: r.median.map_or_else(|| "—".into(), num),
                    rel_diff: r.rel_diff.map_or_else(|| "—".into(), pct),
                    interval: r
                        .ci_low
                        .zip(r.ci_high)
                        .map_or_else(|| "—".into(), |(l, h)| format!("{} to {}", pct(l), pct(h))),
                    p_value: r.p_value.map_or_else(|| "—".into(), num),
                })
                .collect(),
            chart: ix.charts.cohort_boxes.get(i).cloned().unwrap_or_default(),
        })
        .collect()
}
