//! Cohort statistics and privacy on `tests/fixtures/cohorts`: one merged PR
//! per person, so each person's median cycle time is that PR's length in days.
//!   squad A: a1…a5 = 1, 2, 3, 4, 5    squad B (reference): b1…b5 = 2, 4, 6, 8, 10
//!   group C and desks C, D hold carla_zzq and chen_zzq (1 day each): small cohorts.

mod common;

use common::{build_into, build_summary, close, tree};
use quarterdeck::score::cohorts::{self, CohortRow, Verdict, RESAMPLES};
use serde_json::Value;
use std::collections::BTreeMap;

fn row(s: &Value, dimension: &str, cohort: &str) -> Value {
    s["cohorts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["dimension"] == dimension && r["cohort"] == cohort)
        .unwrap_or_else(|| panic!("no {dimension}/{cohort}"))
        .clone()
}

/// P(Binomial(n, p) ≥ k).
fn at_least(n: u64, p: f64, k: u64) -> f64 {
    let choose = |n: u64, r: u64| (1..=r).fold(1.0, |acc, i| acc * (n - r + i) as f64 / i as f64);
    (k..=n).map(|j| choose(n, j) * p.powi(j as i32) * (1.0 - p).powi((n - j) as i32)).sum()
}

/// The exact distribution of the median of n draws with replacement from n
/// values (n odd), as (value, probability): the median is at most v when at
/// least (n + 1) / 2 of the draws are at most v.
fn odd_median_pmf(values: &[f64]) -> Vec<(f64, f64)> {
    let n = values.len() as u64;
    let mut distinct = values.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let mut below = 0.0;
    distinct
        .iter()
        .map(|v| {
            let share = values.iter().filter(|x| *x <= v).count() as f64 / n as f64;
            let cdf = at_least(n, share, n.div_ceil(2));
            let out = (*v, cdf - below);
            below = cdf;
            out
        })
        .collect()
}

/// The same for `lows` values `low` and `highs` values `high` (n even): the
/// median of a resample with k lows is low when k > n/2, their mean when
/// k = n/2, and high otherwise.
fn two_valued_median_pmf(low: f64, lows: u64, high: f64, highs: u64) -> Vec<(f64, f64)> {
    let n = lows + highs;
    let p = lows as f64 / n as f64;
    let half = n / 2;
    let (above, exactly) = (at_least(n, p, half + 1), at_least(n, p, half) - at_least(n, p, half + 1));
    vec![(low, above), ((low + high) / 2.0, exactly), (high, 1.0 - above - exactly)]
}

/// The exact bootstrap distribution of diff(median A*, median B*), sorted by
/// value, conditioned on the difference existing (a redrawn resample is
/// drawn again, so it is the distribution given a usable draw).
fn exact_diff(a: &[(f64, f64)], b: &[(f64, f64)], diff: impl Fn(f64, f64) -> Option<f64>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (x, px) in a {
        for (y, py) in b {
            if let Some(d) = diff(*x, *y) {
                out.push((d, px * py));
            }
        }
    }
    let total: f64 = out.iter().map(|d| d.1).sum();
    out.iter_mut().for_each(|d| d.1 /= total);
    out.sort_by(|x, y| x.0.total_cmp(&y.0));
    out
}

fn relative(a: f64, b: f64) -> Option<f64> {
    (b != 0.0).then(|| (a - b) / b)
}

/// The exact bootstrap distribution of (median A* − median B*) / median B*
/// for squad A = 1, 2, 3, 4, 5 and B = 2, 4, 6, 8, 10.
fn exact_bootstrap() -> Vec<(f64, f64)> {
    exact_diff(&odd_median_pmf(&[1.0, 2.0, 3.0, 4.0, 5.0]), &odd_median_pmf(&[2.0, 4.0, 6.0, 8.0, 10.0]), relative)
}

/// The smallest value whose cumulative probability reaches `p`.
fn exact_quantile(dist: &[(f64, f64)], p: f64) -> f64 {
    let mut acc = 0.0;
    for (v, q) in dist {
        acc += q;
        if acc >= p - 1e-12 {
            return *v;
        }
    }
    dist[dist.len() - 1].0
}

/// With 2,000 resamples the interval's ends fall between the exact
/// distribution's 1% and 5% (and 95% and 99%) quantiles.
#[track_caller]
fn assert_interval_fits(dist: &[(f64, f64)], lo: f64, hi: f64) {
    assert!((dist.iter().map(|d| d.1).sum::<f64>() - 1.0).abs() < 1e-12);
    assert!(lo >= exact_quantile(dist, 0.01) - 1e-12 && lo <= exact_quantile(dist, 0.05) + 1e-12, "low end {lo}");
    assert!(hi >= exact_quantile(dist, 0.95) - 1e-12 && hi <= exact_quantile(dist, 0.99) + 1e-12, "high end {hi}");
}

/// One comparison of `group` against the reference `reference`, on `metric`.
fn compare(metric: &str, group: Vec<f64>, reference: Vec<f64>) -> CohortRow {
    let groups: BTreeMap<String, Vec<f64>> =
        [("group".to_string(), group), ("reference".to_string(), reference)].into();
    let c = cohorts::compare("test", metric, "reference", groups, 5);
    c.rows.into_iter().find(|r| r.cohort == "group").unwrap()
}

fn repeat(pairs: &[(f64, usize)]) -> Vec<f64> {
    pairs.iter().flat_map(|(v, n)| std::iter::repeat_n(*v, *n)).collect()
}

#[test]
fn medians_difference_interval_and_p_value() {
    let s = build_summary("tests/fixtures/cohorts", None);
    let a = row(&s, "squad", "A");
    assert_eq!(a["n"], 5);
    close(&a["median"], 3.0);
    // (3 − 6) / 6
    close(&a["rel_diff"], -0.5);
    // SciPy 1.x: mannwhitneyu([1,2,3,4,5], [2,4,6,8,10], method="asymptotic",
    // use_continuity=True).pvalue = 0.14123816388881966 (computed while
    // writing this test; ties at 2 and 4).
    let p = a["p_value"].as_f64().unwrap();
    assert!((p - 0.14123816388881966).abs() < 1e-9, "{p}");
    // The bootstrap interval against the exact bootstrap distribution, worked
    // out by enumerating the 25 (median A*, median B*) pairs.
    let (lo, hi) = (a["ci_low"].as_f64().unwrap(), a["ci_high"].as_f64().unwrap());
    assert_interval_fits(&exact_bootstrap(), lo, hi);
    assert!(lo < -0.5 && hi > -0.5, "the interval holds the estimate");
    // Neither the interval (−83% to +50%) nor p = 0.14 points to a difference.
    assert_eq!(a["verdict"], "no_difference");
    assert_eq!(a["resamples"], 2000);
    assert!(a["diff_points"].is_null(), "cycle time is not a share");
    let b = row(&s, "squad", "B");
    close(&b["median"], 6.0);
    assert!(b["rel_diff"].is_null());
    assert!(b["verdict"].is_null(), "the reference has no verdict");
}

#[test]
fn the_interval_is_deterministic() {
    let first = build_summary("tests/fixtures/cohorts", None);
    let second = build_summary("tests/fixtures/cohorts", None);
    assert_eq!(first["cohorts"], second["cohorts"]);
}

#[test]
fn small_cohorts_are_suppressed_in_every_output() {
    let s = build_summary("tests/fixtures/cohorts", None);
    // group: C has 2 people; A and B shown would give C away by subtraction,
    // so every row of the comparison is held back, with no figure at all.
    for cohort in ["A", "B", "C"] {
        let r = row(&s, "group", cohort);
        assert_eq!(r["suppressed"], true, "group/{cohort}");
        for figure in ["n", "median", "rel_diff", "ci_low", "ci_high", "p_value", "verdict", "resamples"] {
            assert!(r[figure].is_null(), "group/{cohort} {figure} = {}", r[figure]);
        }
    }
    // desk: C and D (1 person each) are held back; A and B are shown.
    assert_eq!(row(&s, "desk", "C")["suppressed"], true);
    assert_eq!(row(&s, "desk", "D")["suppressed"], true);
    assert_eq!(row(&s, "desk", "A")["suppressed"], false);

    // No page or export shows the group comparison's figures: A's median 3
    // and its −50% appear for squad and desk only, once each on cohorts.html.
    let dir = tempfile::tempdir().unwrap();
    let site = build_into("tests/fixtures/cohorts", None, &dir.path().join("site"));
    let cohorts = std::fs::read_to_string(site.join("cohorts.html")).unwrap();
    assert_eq!(cohorts.matches("−50%</td>").count(), 2, "only squad and desk show A's difference");
    assert!(cohorts.contains("held back"));
    // the group comparison, held back entirely, is one sentence: no table of dashes, no chart
    let group = &cohorts[cohorts.find("id=\"cmp-2\"").unwrap()..];
    let group = &group[..group.find("</section>").unwrap()];
    assert!(!group.contains("<table") && !group.contains("<svg"), "{group}");
    assert_eq!(group.matches("<p").count(), 1, "{group}");
    assert!(group.contains("No figure of this comparison is shown: a cohort has fewer than 5 people"), "{group}");
    // desk keeps its table, its cohorts in order, the held-back ones marked
    let desk = &cohorts[cohorts.find("id=\"cmp-3\"").unwrap()..];
    let at = |c: &str| desk.find(&format!("<th scope=\"row\">{c}")).unwrap();
    assert!(at("A") < at("B") && at("B") < at("C") && at("C") < at("D"));
    for (path, bytes) in tree(&site) {
        let text = String::from_utf8_lossy(&bytes);
        // carla_zzq and chen_zzq own nothing and wrote nothing: no output names them.
        assert!(!text.contains("_zzq"), "{path} names a person of a small cohort");
    }
}

fn build_for(audience: quarterdeck::Audience, out: &std::path::Path) -> std::path::PathBuf {
    let opts = quarterdeck::BuildOptions {
        data_dir: common::root().join("tests/fixtures/cohorts"),
        out: Some(out.to_path_buf()),
        quarter: None,
        as_of: None,
        audience,
        paper: None,
        brief_team: None,
        brief_group: None,
    };
    quarterdeck::build(&opts, &|_| {}).unwrap().site
}

#[test]
fn leadership_names_no_one_but_key_result_owners() {
    let dir = tempfile::tempdir().unwrap();
    let site = build_for(quarterdeck::Audience::Leadership, &dir.path().join("site"));
    let files = tree(&site);
    assert!(!files.iter().any(|(p, _)| p.starts_with("people/")), "a leadership build wrote people pages");
    for (path, bytes) in &files {
        // bo_qqx wrote a check-in but owns no key result.
        assert!(!String::from_utf8_lossy(bytes).contains("bo_qqx"), "{path} names bo_qqx");
    }
    // The owner of K1 is named as its owner.
    let k1 = std::fs::read_to_string(site.join("krs/k1.html")).unwrap();
    assert!(k1.contains("owner a1"));
    assert!(k1.contains("a team member"), "the check-in's author is not named");
}

#[test]
fn manager_pages_give_context_not_scores() {
    let dir = tempfile::tempdir().unwrap();
    let site = build_for(quarterdeck::Audience::Manager, &dir.path().join("site"));
    let owner = std::fs::read_to_string(site.join("people/a1.html")).unwrap();
    assert!(owner.contains("Questions to discuss"));
    assert!(owner.contains("team outcome"), "the KR score is labelled as a team outcome");
    assert!(owner.contains("K1"));
    let author = std::fs::read_to_string(site.join("people/bo-qqx.html")).unwrap();
    assert!(author.contains("Split the repo?"), "the decision they asked for is shown");
    for (path, bytes) in tree(&site).iter().filter(|(p, _)| p.starts_with("people/")) {
        let html = String::from_utf8_lossy(bytes).to_lowercase();
        for word in ["rank", "leaderboard", "person score", "performance score"] {
            assert!(!html.contains(word), "{path} contains {word:?}");
        }
    }
}

#[test]
fn check_names_the_line_of_a_dimension_people_csv_lacks() {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in tree(&common::root().join("tests/fixtures/cohorts")) {
        std::fs::write(dir.path().join(path), bytes).unwrap();
    }
    let toml = "org = \"x\"\n\n[[cohorts]]\ndimension = \"squad\"\nmetric = \"cycle_time_days\"\nreference = \"B\"\n\n\
                [[cohorts]]\ndimension = \"role\"\nmetric = \"cycle_time_days\"\nreference = \"lead\"\n";
    std::fs::write(dir.path().join("quarterdeck.toml"), toml).unwrap();
    let out = assert_cmd::Command::cargo_bin("quarterdeck").unwrap().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // `role` is people.csv's own column, not a dimension; its `dimension` key is on line 9.
    assert!(
        stderr.contains(
            "quarterdeck.toml line 9: [[cohorts]] dimension \"role\" is not a column of people.csv; \
             expected ai_cohort or one of: squad, group, desk"
        ),
        "{stderr}"
    );
}

#[test]
fn an_interval_and_a_p_value_that_agree_show_a_difference() {
    // A = 1…5 against B = 11…15: no two values tie and every A is below every B.
    // U = 0, μ = 12.5, σ² = 25/12 × 11 = 22.917, z = (12.5 − 0.5) / 4.787 = 2.507,
    // p = 2 × (1 − Φ(2.507)) = 0.012186 (Python: math.erfc(z / √2)).
    let r = compare("cycle_time_days", vec![1.0, 2.0, 3.0, 4.0, 5.0], vec![11.0, 12.0, 13.0, 14.0, 15.0]);
    assert!((r.p_value.unwrap() - 0.012185780355344818).abs() < 1e-9, "{:?}", r.p_value);
    // (3 − 13) / 13; a resampled median of A is at most 5 and of B at least 11,
    // so every resampled difference lies in [(1 − 15)/15, (5 − 11)/11] = [−0.933, −0.545].
    assert!((r.diff.unwrap() - (-10.0 / 13.0)).abs() < 1e-12);
    let i = r.interval.unwrap();
    assert!(i.low >= -14.0 / 15.0 - 1e-12 && i.high <= -6.0 / 11.0 + 1e-12, "{i:?}");
    assert_interval_fits(
        &exact_diff(
            &odd_median_pmf(&[1.0, 2.0, 3.0, 4.0, 5.0]),
            &odd_median_pmf(&[11.0, 12.0, 13.0, 14.0, 15.0]),
            relative,
        ),
        i.low,
        i.high,
    );
    assert_eq!(r.verdict, Some(Verdict::ShowsDifference));
}

#[test]
fn an_interval_clear_of_zero_with_a_large_p_value_is_weak_evidence_from_the_interval() {
    // A: 10 people at 1 and 30 at 11 (median 11); B, the reference: 30 at 10
    // and 10 at 100 (median 10). The medians sit in the big groups: a
    // resampled median leaves them only when 20 of 40 draws land in the small
    // group, P = P(Bin(40, 1/4) ≥ 20) = 0.00057 for each cohort, so the
    // difference is (11 − 10) / 10 = +10% in 99.89% of resamples: the interval
    // is +10% to +10%.
    let a = repeat(&[(1.0, 10), (11.0, 30)]);
    let b = repeat(&[(10.0, 30), (100.0, 10)]);
    let dist =
        exact_diff(&two_valued_median_pmf(1.0, 10, 11.0, 30), &two_valued_median_pmf(10.0, 30, 100.0, 10), relative);
    let at_ten_percent: f64 = dist.iter().filter(|d| (d.0 - 0.1).abs() < 1e-12).map(|d| d.1).sum();
    assert!((at_ten_percent - 0.99886).abs() < 1e-5, "{at_ten_percent}");
    // The ranks say little: only A's 11s beat B's 10s, U = 30 × 30 = 900
    // against μ = 800; ties Σ(t³ − t) = 2 × 990 + 2 × 26,970 = 55,920,
    // σ² = 1600/12 × (81 − 55,920/6,320) = 9,620.25, z = 99.5 / 98.08 = 1.0144,
    // p = 0.31037.
    let r = compare("cycle_time_days", a, b);
    assert!((r.p_value.unwrap() - 0.31036898561338655).abs() < 1e-9, "{:?}", r.p_value);
    let i = r.interval.unwrap();
    assert!((i.low - 0.1).abs() < 1e-12 && (i.high - 0.1).abs() < 1e-12, "{i:?}");
    assert_eq!(r.verdict, Some(Verdict::WeakInterval));
}

#[test]
fn a_small_p_value_with_an_interval_through_zero_is_weak_evidence_from_the_p_value() {
    // A: 13 people at 1 and 7 at 19; B, the reference: 10 at 2 and 10 at 20.
    // Only A's 19s beat B's 2s: U = 7 × 10 = 70 against μ = 200; ties
    // Σ(t³ − t) = 2,184 + 990 + 336 + 990 = 4,500, σ² = 400/12 × (41 − 4,500/1,560)
    // = 1,270.5, z = 129.5 / 35.64 = 3.633, p = 0.00028.
    let a = repeat(&[(1.0, 13), (19.0, 7)]);
    let b = repeat(&[(2.0, 10), (20.0, 10)]);
    let r = compare("cycle_time_days", a, b);
    assert!((r.p_value.unwrap() - 0.00028001017110690336).abs() < 1e-9, "{:?}", r.p_value);
    // B's resampled median jumps between 2, 11 and 20 (0.41, 0.18, 0.41), A's
    // between 1, 10 and 19 (0.878, 0.069, 0.053): the difference is above 0 in
    // 5.95% of resamples (A* = 10 or 19 against B* = 2, A* = 19 against 11), so
    // the interval runs from (1 − 20)/20 = −95% up past zero, to +400% or more.
    let dist =
        exact_diff(&two_valued_median_pmf(1.0, 13, 19.0, 7), &two_valued_median_pmf(2.0, 10, 20.0, 10), relative);
    let above: f64 = dist.iter().filter(|d| d.0 > 0.0).map(|d| d.1).sum();
    assert!((above - 0.05953).abs() < 1e-5, "{above}");
    let i = r.interval.unwrap();
    assert!((i.low - -0.95).abs() < 1e-12, "{i:?}");
    assert_interval_fits(&dist, i.low, i.high);
    assert!(i.high >= 4.0, "{i:?}");
    assert_eq!(r.verdict, Some(Verdict::WeakPValue));
}

#[test]
fn a_reference_median_of_zero_in_resamples_is_redrawn_so_every_interval_has_all_its_resamples() {
    // B = 0, 0, 1, 2, 3 has median 1, but a resample's median is 0 whenever 3
    // of its 5 draws are 0s: P(Bin(5, 0.4) ≥ 3) = 0.31744. Skipping those would
    // leave about 1,365 of 2,000 resamples; redrawing them takes about
    // 2,000 × 0.31744 / 0.68256 = 930 extra draws and keeps all 2,000.
    let r = compare("cycle_time_days", vec![1.0, 2.0, 3.0, 4.0, 5.0], vec![0.0, 0.0, 1.0, 2.0, 3.0]);
    let i = r.interval.unwrap();
    assert_eq!(i.resamples, RESAMPLES);
    assert!((800..=1060).contains(&i.redrawn), "redrawn {}", i.redrawn);
    // The interval is that of the difference given a reference median of 1, 2 or 3.
    let dist =
        exact_diff(&odd_median_pmf(&[1.0, 2.0, 3.0, 4.0, 5.0]), &odd_median_pmf(&[0.0, 0.0, 1.0, 2.0, 3.0]), relative);
    assert_interval_fits(&dist, i.low, i.high);
    assert!(r.verdict.is_some());
    // A reference whose own median is 0 has no relative difference at all.
    let r = compare("cycle_time_days", vec![1.0, 2.0, 3.0, 4.0, 5.0], vec![0.0, 0.0, 0.0, 2.0, 3.0]);
    assert_eq!((r.diff, r.interval, r.verdict), (None, None, None));
    assert_eq!(r.no_interval, Some(cohorts::NoInterval::ZeroReference));
}

#[test]
fn a_share_is_compared_in_percentage_points() {
    // tests/fixtures/cohorts-shares: rework rates A = 0.25, 0.5, 0.5, 0.75, 1
    // (median 0.5) against B = 0, 0, 0.25, 0.25, 0.5 (median 0.25).
    let s = build_summary("tests/fixtures/cohorts-shares", None);
    let a = row(&s, "squad", "A");
    // (0.5 − 0.25) × 100 = +25 points; no relative difference is given.
    close(&a["diff_points"], 25.0);
    for relative in ["rel_diff", "ci_low", "ci_high"] {
        assert!(a[relative].is_null(), "{relative} = {}", a[relative]);
    }
    // The exact bootstrap of the difference in points: −25 (0.0034), 0 (0.0724),
    // +25 (0.4236), +50 (0.3638), +75 (0.1186), +100 (0.0184). Its 2.5% point
    // is 0 (7.6% at or below), its 97.5% point +75 (98.2% at or below).
    let dist = exact_diff(
        &odd_median_pmf(&[0.25, 0.5, 0.5, 0.75, 1.0]),
        &odd_median_pmf(&[0.0, 0.0, 0.25, 0.25, 0.5]),
        |x, y| Some(((x - y) * 100.0 * 1e9).round() / 1e9),
    );
    let (lo, hi) = (a["ci_low_points"].as_f64().unwrap(), a["ci_high_points"].as_f64().unwrap());
    assert_interval_fits(&dist, lo, hi);
    assert_eq!((lo, hi), (0.0, 75.0));
    // Ranks: A beats B in 22 of 25 pairs (ties ½), μ = 12.5; ties: two 0s,
    // three 0.25s and three 0.5s, Σ(t³ − t) = 6 + 24 + 24 = 54, so
    // σ² = 25/12 × (11 − 54/90) = 21.667, z = 9 / 4.655 = 1.9335, p = 0.05317:
    // not below 0.05, and the interval touches 0, so neither points to a difference.
    let p = a["p_value"].as_f64().unwrap();
    assert!((p - 0.05317338271357826).abs() < 1e-9, "{p}");
    assert_eq!(a["verdict"], "no_difference");

    let dir = tempfile::tempdir().unwrap();
    let site = build_into("tests/fixtures/cohorts-shares", None, &dir.path().join("site"));
    let page = std::fs::read_to_string(site.join("cohorts.html")).unwrap();
    assert!(page.contains("<td class=\"num\">+25 pts</td><td class=\"num\">0 to +75 pts</td>"), "{page}");
    assert!(page.contains("the median of people with squad A is 25 pts higher"), "{page}");
    // 0.0532 is written 0.053: "p = 0.05" would read as the threshold itself.
    assert!(page.contains("(p = 0.053)") && !page.contains("p = 0.05)"), "{page}");
}

#[test]
fn the_page_says_which_of_the_two_points_to_a_difference() {
    let dir = tempfile::tempdir().unwrap();
    let site = build_into("tests/fixtures/cohorts", None, &dir.path().join("site"));
    let page = std::fs::read_to_string(site.join("cohorts.html")).unwrap();
    assert!(
        page.contains(
            "The data does not show a difference in median PR cycle time between people with squad A (n = 5) and \
             people with squad B (n = 5): the median of people with squad A is 50% lower, but the 95% interval of \
             the difference (−83% to +50%) includes zero and the Mann–Whitney test does not point to a difference \
             (p = 0.14)."
        ),
        "{page}"
    );
    assert!(page.contains("<td>does not show a difference</td>"));
}
