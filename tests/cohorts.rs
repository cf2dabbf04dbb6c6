//! Cohort statistics and privacy on `tests/fixtures/cohorts`: one merged PR
//! per person, so each person's median cycle time is that PR's length in days.
//!   squad A: a1…a5 = 1, 2, 3, 4, 5    squad B (reference): b1…b5 = 2, 4, 6, 8, 10
//!   group C and desks C, D hold carla_zzq and chen_zzq (1 day each): small cohorts.

mod common;

use common::{build_into, build_summary, close, tree};
use serde_json::Value;

fn row(s: &Value, dimension: &str, cohort: &str) -> Value {
    s["cohorts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["dimension"] == dimension && r["cohort"] == cohort)
        .unwrap_or_else(|| panic!("no {dimension}/{cohort}"))
        .clone()
}

/// P(median of 5 draws with replacement from 5 distinct sorted values ≤ the
/// k-th of them) = P(at least 3 of the 5 draws are among the k smallest).
fn median_cdf(k: usize) -> f64 {
    let p = k as f64 / 5.0;
    let choose = |n: u64, r: u64| (1..=r).fold(1.0, |acc, i| acc * (n - r + i) as f64 / i as f64);
    (3..=5).map(|j| choose(5, j) * p.powi(j as i32) * (1.0 - p).powi(5 - j as i32)).sum()
}

/// The exact bootstrap distribution of (median A* − median B*) / median B*,
/// as (value, probability) sorted by value.
fn exact_bootstrap() -> Vec<(f64, f64)> {
    let a = [1.0, 2.0, 3.0, 4.0, 5.0];
    let b = [2.0, 4.0, 6.0, 8.0, 10.0];
    let pmf = |k: usize| median_cdf(k + 1) - median_cdf(k);
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            out.push(((x - y) / y, pmf(i) * pmf(j)));
        }
    }
    out.sort_by(|x, y| x.0.total_cmp(&y.0));
    out
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
    // out by enumerating the 25 (median A*, median B*) pairs: with 2,000
    // resamples the 2.5% and 97.5% points fall between its 1% and 5% (and 95%
    // and 99%) quantiles.
    let dist = exact_bootstrap();
    assert!((dist.iter().map(|d| d.1).sum::<f64>() - 1.0).abs() < 1e-12);
    let (lo, hi) = (a["ci_low"].as_f64().unwrap(), a["ci_high"].as_f64().unwrap());
    assert!(lo >= exact_quantile(&dist, 0.01) - 1e-12 && lo <= exact_quantile(&dist, 0.05) + 1e-12, "ci_low {lo}");
    assert!(hi >= exact_quantile(&dist, 0.95) - 1e-12 && hi <= exact_quantile(&dist, 0.99) + 1e-12, "ci_high {hi}");
    assert!(lo < -0.5 && hi > -0.5, "the interval holds the estimate");
    let b = row(&s, "squad", "B");
    close(&b["median"], 6.0);
    assert!(b["rel_diff"].is_null());
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
        for figure in ["n", "median", "rel_diff", "ci_low", "ci_high", "p_value"] {
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
        audience,
        paper: None,
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
