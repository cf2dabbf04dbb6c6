//! Derived engineering signals on the hand-made exports of
//! `tests/fixtures/signals`. Every expected value is worked out by hand below
//! from those CSV files; timestamps are UTC unless they carry an offset.

mod common;

use common::{build_summary_as_of, close, kr, root};

/// The fixture's events end on 2026-09-22: built as of the quarter's last
/// day, the whole quarter (without it the pack would stand on 09-22, SPEC §6).
fn build() -> Value {
    build_summary_as_of("tests/fixtures/signals", "2026-09-30")
}
use quarterdeck::config::Config;
use serde_json::Value;

fn signal(s: &Value, team: &str, metric: &str) -> Value {
    s["signals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["team"] == team && x["metric"] == metric)
        .unwrap_or_else(|| panic!("no {metric} for {team}"))
        .clone()
}

#[test]
fn pull_request_signals_over_the_quarter() {
    let s = build();
    // alpha's PRs merged in the quarter, cycle time in days:
    //   P1 09-01 00:00 → 09-02 23:00 = 47 h = 1.958333
    //   P2 09-02 23:59:59 → 09-06 23:59:59 = 4
    //   P3 09-05 22:00 −02:00 (= 09-06 00:00 UTC) → 09-07 00:00 = 1
    //   P4 09-08 → 09-11 = 3;  P8 09-20 → 09-21 = 1;  P9 09-20 → 09-22 = 2
    // P5 never merged; P6 merged 06-30, before the quarter.
    // Sorted 1, 1, 1.958333, 2, 3, 4: an even count, median (1.958333 + 2) / 2.
    let cycle = signal(&s, "alpha", "cycle_time_days");
    close(&cycle["value"], (47.0 / 24.0 + 2.0) / 2.0);
    assert_eq!(cycle["n"], 6);
    // Review time of merged PRs with a first review: P1 6 h, P2 12 h, P4 3 h → 6.
    close(&signal(&s, "alpha", "review_time_hours")["value"], 6.0);
    // 6 merged over 92 days = 6 / (92 / 7) per week.
    close(&signal(&s, "alpha", "pr_throughput")["value"], 6.0 * 7.0 / 92.0);
    // Rework: P2 only → 1/6. AI-assisted: P1 and P3 → 2/6.
    close(&signal(&s, "alpha", "rework_rate")["value"], 1.0 / 6.0);
    close(&signal(&s, "alpha", "ai_code_share")["value"], 2.0 / 6.0);
    // beta: P7, 1 day; "yes"/"no" read as booleans.
    close(&signal(&s, "beta", "cycle_time_days")["value"], 1.0);
    close(&signal(&s, "beta", "ai_code_share")["value"], 1.0);
    // The org: 1, 1, 1, 1.958333, 2, 3, 4 → 1.958333.
    let org = s["org_signals"].as_array().unwrap().iter().find(|x| x["metric"] == "cycle_time_days").unwrap();
    close(&org["value"], 47.0 / 24.0);
}

#[test]
fn delivery_signals_and_dora_classes() {
    let s = build();
    // Deployments in the quarter: D1 09-03, D2 09-08, D3 09-07 01:00 +02:00
    // (= 09-06 23:00 UTC, no PRs); D4 06-30 is before it. 3 / (92 / 7).
    let freq = signal(&s, "alpha", "deploy_frequency");
    close(&freq["value"], 3.0 * 7.0 / 92.0);
    // 0.228 a week is below once a month (12/52 = 0.2308): medium.
    assert_eq!(freq["dora_class"], "medium");
    // D2 failed: 1/3, above 30%: low.
    let cfr = signal(&s, "alpha", "change_failure_rate");
    close(&cfr["value"], 1.0 / 3.0);
    assert_eq!(cfr["dora_class"], "low");
    // Lead-time pairs in the quarter: D1–P1 (09-02 23:00 → 09-03 10:00) 11 h;
    // D1–P2 merged after the deploy, left out; D2–P2 24 h 1 s; D2–P3 24 h;
    // D2–P5 unmerged and D2–PX unknown, left out. Median of 11, 24, 24.0003 = 24.
    let lead = signal(&s, "alpha", "lead_time_hours");
    close(&lead["value"], 24.0);
    assert_eq!(lead["n"], 3);
    assert_eq!(lead["dora_class"], "high");
    let cov = &s["signal_coverage"];
    // Coverage counts the quarter's pairs; D4–P6 (06-30) is outside: 6 listed, 3 used.
    assert_eq!(cov["lead_time_pairs"], 6);
    assert_eq!(cov["lead_time_pairs_used"], 3);
    assert_eq!(cov["lead_time_unknown_pr"], 1);
    assert_eq!(cov["lead_time_unmerged_pr"], 1);
    assert_eq!(cov["lead_time_merged_after_deploy"], 1);
    // Incidents resolved in the quarter: I1 2 h, I2 00:00 → 05:00 +01:00 = 4 h,
    // I4 (started 06-30, resolved 07-01) 6 h; I3 is open, I5 ended in June. Median 4.
    let mttr = signal(&s, "alpha", "mttr_hours");
    close(&mttr["value"], 4.0);
    assert_eq!(mttr["n"], 3);
    assert_eq!(mttr["dora_class"], "high");
}

#[test]
fn ai_acceptance_by_people_csv_team_and_unknown_people_counted() {
    let s = build();
    // alpha = ana (4 of 10) + ben (6 of 30) → 10 / 40.
    close(&signal(&s, "alpha", "ai_acceptance_rate")["value"], 0.25);
    close(&signal(&s, "beta", "ai_acceptance_rate")["value"], 1.0);
    // zed (AI usage) and dan (an author) are not in people.csv.
    assert_eq!(s["signal_coverage"]["people_not_in_people_csv"], 2);
}

#[test]
fn key_results_measured_by_signals_take_the_28_days_before_due() {
    let s = build();
    // S1: cycle_time_days over 09-03 … 09-30 (P1, merged 09-02, is outside):
    // P2 4, P3 1, P4 3, P8 1, P9 2 → median 2; score (2 − 5) / (1 − 5) = 0.75.
    let s1 = kr(&s, "S1");
    close(&s1["value_measured"], 2.0);
    close(&s1["score"], 0.75);
    // S2: deploy_frequency over the same 28 days: D1, D3, D2 → 3 / 4 weeks = 0.75;
    // score 0.75 / 3 = 0.25.
    close(&kr(&s, "S2")["value"], 0.75);
    close(&kr(&s, "S2")["score"], 0.25);
    // S3 (beta): its only PR merged 09-02, outside the window: unmeasured.
    assert!(kr(&s, "S3")["value"].is_null());
}

#[test]
fn weeks_start_on_monday_in_utc() {
    let dir = root().join("tests/fixtures/signals");
    let config = Config::load(&dir).unwrap();
    let ds = quarterdeck::ingest::load(&dir, &config, None).unwrap();
    let scores = quarterdeck::score::compute(&ds, &config).unwrap();
    let weekly = |metric: &str| -> Vec<(String, f64)> {
        scores
            .signals
            .weekly
            .iter()
            .filter(|p| p.team == "alpha" && p.metric == metric)
            .map(|p| (p.date.to_string(), p.value))
            .collect()
    };
    // P2 merged Sunday 09-06 23:59:59 belongs to the week of Monday 08-31 with
    // P1; P3 merged Monday 09-07 00:00:00 starts the next week with P4.
    // The week of 09-21 runs past the export's last merge (09-22): left out.
    let cycle = weekly("cycle_time_days");
    assert_eq!(cycle.len(), 3, "{cycle:?}");
    assert_eq!(cycle[0], ("2026-06-29".into(), 10.0));
    assert_eq!(cycle[1].0, "2026-08-31");
    assert!((cycle[1].1 - (47.0 / 24.0 + 4.0) / 2.0).abs() < 1e-9);
    assert_eq!(cycle[2], ("2026-09-07".into(), 2.0));
    // D3 at 01:00 +02:00 on Monday 09-07 is Sunday 23:00 UTC: week of 08-31.
    let deploys = weekly("deploy_frequency");
    assert_eq!(deploys, vec![("2026-06-29".into(), 1.0), ("2026-08-31".into(), 2.0)]);
}
