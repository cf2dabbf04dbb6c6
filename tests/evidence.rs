//! The findings behind the green, each threshold from both sides, on the
//! hand-made fixture `tests/fixtures/evidence`. Every expected figure below is
//! worked out by hand from that folder's CSV files (the arithmetic is in the
//! comments), not taken from the tool's output.

mod common;

use common::{build_into, build_summary, close, kr};
use serde_json::Value;

fn summary() -> Value {
    build_summary("tests/fixtures/evidence", None)
}

/// The findings of one kind as (team, kr_id or "") pairs, sorted.
fn found(s: &Value, kind: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| (f["team"].as_str().unwrap_or("").to_string(), f["kr_id"].as_str().unwrap_or("").to_string()))
        .collect();
    out.sort();
    out
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

fn message(s: &Value, kind: &str, kr_id: &str) -> String {
    s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == kind && f["kr_id"] == kr_id)
        .map(|f| f["message"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no {kind} finding for {kr_id}"))
}

#[test]
fn a_gap_of_14_days_is_not_stale_and_15_is() {
    let s = summary();
    // S1: check-ins 07-01, 07-15, 07-29 (= due): gaps 0, 14, 14, 0.
    let s1 = kr(&s, "S1");
    assert_eq!(s1["longest_gap_days"], 14);
    assert_eq!(s1["stale"], false);
    // S2: 07-01, 07-16, 07-30 (= due): gaps 0, 15, 14, 0.
    let s2 = kr(&s, "S2");
    assert_eq!(s2["longest_gap_days"], 15);
    assert_eq!(s2["stale"], true);
    assert_eq!(message(&s, "stale", "S2"), "no check-in for 15 days (2026-07-01 to 2026-07-16)");
    assert!(!found(&s, "stale").contains(&("cadence".into(), "S1".into())));
    // D1 has no check-in at all: the whole window 07-01 … 09-30 is 91 days.
    assert_eq!(kr(&s, "D1")["longest_gap_days"], 91);
}

#[test]
fn confidence_4_surfaces_risk_and_5_does_not() {
    let s = summary();
    // S1's confidences 7, 5, 6: none ≤ 4.
    assert!(kr(&s, "S1")["risk_surfaced"].is_null());
    // S2's 7, 4, 6: the 4 on 07-16; due 07-30 → lead 14 days.
    assert_eq!(kr(&s, "S2")["risk_surfaced"], "2026-07-16");
    assert_eq!(kr(&s, "S2")["risk_lead_days"], 14);
    // W5's lowest confidence is 5: never surfaced.
    assert!(kr(&s, "W5")["risk_surfaced"].is_null());
    // W1: 4 on 09-09, 21 days before 09-30; W2: 4 on 09-10, 20 days before.
    assert_eq!(kr(&s, "W1")["risk_lead_days"], 21);
    assert_eq!(kr(&s, "W2")["risk_lead_days"], 20);
}

#[test]
fn surprise_miss_needs_confidence_7_and_a_score_below_04() {
    let s = summary();
    // W3 last 7/10 and score 0.39 → surprise; W4 last 7/10 but score exactly
    // 0.4 → not; W5 score 0.1 but last confidence 6 → not.
    assert_eq!(found(&s, "surprise_miss"), pairs(&[("warning", "W3")]));
    close(&kr(&s, "W4")["score"], 0.4);
    assert_eq!(kr(&s, "W4")["grade"], "amber");
    assert_eq!(kr(&s, "W4")["surprise_miss"], false);
}

#[test]
fn share_of_misses_surfaced_21_days_ahead() {
    let s = summary();
    // Missed (score < 0.7, all objectives aspirational): S2 0.3, W1 0.5, W2 0.5,
    // W3 0.39, W4 0.4, W5 0.1, D3 0.6, D5 0.4, G1 0.5, G2 0.5, R1 0.2, R2 0.3,
    // R3 0.3, Q1–Q3 0.3 → 16. Surfaced ≥ 21 days ahead: W1 only. Later: S2
    // (14), W2 (20). Never: the other 13. Surprises: W3.
    let e = &s["org"]["early_warning"];
    assert_eq!(e["missed"], 16);
    assert_eq!(e["surfaced_early"], 1);
    assert_eq!(e["surfaced_late"], 2);
    assert_eq!(e["never_surfaced"], 13);
    assert_eq!(e["surprises"], 1);
    close(&e["share_surfaced_early"], 1.0 / 16.0);
    assert_eq!(found(&s, "early_warning"), pairs(&[("", "")]));
    // Red or committed misses with check-ins and no surprise say how late the
    // risk came: S2 (14 days), W5, R1–R3 and Q1–Q3 (never). W3 is already a
    // surprise; W4 (0.4) is amber; D5 has no check-ins.
    assert_eq!(
        found(&s, "risk_raised_late"),
        pairs(&[
            ("cadence", "S2"),
            ("reach", "R1"),
            ("reach", "R2"),
            ("reach", "R3"),
            ("reach2", "Q1"),
            ("reach2", "Q2"),
            ("reach2", "Q3"),
            ("warning", "W5"),
        ])
    );
}

#[test]
fn reported_gap_of_015_is_not_a_finding_and_016_is() {
    let s = summary();
    // G1: measured 50 → 0.5, reported 65 → 0.65: gap 0.15, not above 0.15.
    // G2: measured 50 → 0.5, reported 66 → 0.66: gap 0.16.
    close(&kr(&s, "G1")["reported_gap"], 0.15);
    close(&kr(&s, "G2")["reported_gap"], 0.16);
    close(&kr(&s, "G1")["value"], 50.0);
    assert_eq!(found(&s, "reported_not_measured"), pairs(&[("gap", "G2")]));
}

#[test]
fn a_drift_of_exactly_10_percent_does_not_count() {
    let s = summary();
    let guard = |id: &str, i: usize| kr(&s, id)["guards"][i].clone();
    // g_exact (lower is better): first 4 weeks 100, 90, 110 → median 100;
    // last 4 weeks 110, 105, 115 → 110: +10%, not more than 10%.
    let d1 = guard("D1", 0);
    close(&d1["median_first_4_weeks"], 100.0);
    close(&d1["median_last_4_weeks"], 110.0);
    close(&d1["change"], 0.10);
    assert_eq!(d1["wrong_way"], false);
    // g_over: 100, 100 → 111, 111 (the 500 on 08-10 is in neither window): +11%;
    // a metrics.csv series needs 2 observations a side to be judged.
    let d2 = guard("D2", 0);
    close(&d2["median_last_4_weeks"], 111.0);
    assert_eq!(d2["wrong_way"], true);
    // g_nodir has no direction anywhere: +50% is not judged.
    let nodir = guard("D2", 1);
    assert_eq!(nodir["name"], "g_nodir");
    assert_eq!(nodir["wrong_way"], false);
    // D4 is paired with D5 (higher is better): 200, 210, 190 → 200 against
    // 178, 170, 180 → 178: −11%.
    let d4 = guard("D4", 0);
    assert_eq!(d4["kind"], "paired_with");
    close(&d4["change"], -0.11);
    assert_eq!(d4["wrong_way"], true);
    // D3 drifts too but scores 0.6: not green, so no finding.
    assert_eq!(guard("D3", 0)["wrong_way"], true);
    assert_eq!(found(&s, "green_but_drifting"), pairs(&[("drift", "D2"), ("drift", "D4")]));
    let d4 = message(&s, "green_but_drifting", "D4");
    assert!(d4.contains("paired key result D5 got worse by 11%: 200 in the quarter's first 28 days (n = 3)"), "{d4}");
}

#[test]
fn the_70_percent_signals_from_both_sides() {
    let s = summary();
    // safe: 1.0, 0.95, 0.96 → all ≥ 0.95; almost: 1.0, 0.94, 1.0 → not.
    // reach: 0.2, 0.3, 0.3 → mean 0.267 < 0.3; reach2: 0.3 × 3 → mean 0.3, not below.
    assert_eq!(found(&s, "too_safe"), pairs(&[("safe", "")]));
    assert_eq!(found(&s, "overreach"), pairs(&[("reach", "")]));
    let team = |t: &str| s["teams"].as_array().unwrap().iter().find(|x| x["team"] == t).unwrap().clone();
    assert_eq!(team("almost")["signals"]["too_safe"], false);
    assert_eq!(team("reach2")["signals"]["overreach"], false);
    // Teams with fewer than 3 aspirational key results get neither signal.
    assert_eq!(team("cadence")["signals"]["too_safe"], false);
}

/// summary.json of the evidence fixture built with `thresholds` added to its quarterdeck.toml.
fn summary_with(thresholds: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let fixture = common::root().join("tests/fixtures/evidence");
    for entry in std::fs::read_dir(&fixture).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, data.join(path.file_name().unwrap())).unwrap();
    }
    let toml = std::fs::read_to_string(fixture.join("quarterdeck.toml")).unwrap();
    std::fs::write(data.join("quarterdeck.toml"), format!("{toml}\n[thresholds]\n{thresholds}\n")).unwrap();
    let site = build_into(data.to_str().unwrap(), None, &dir.path().join("site"));
    serde_json::from_str(&std::fs::read_to_string(site.join("data/summary.json")).unwrap()).unwrap()
}

#[test]
fn the_70_percent_signals_follow_their_thresholds() {
    // almost: 1.0, 0.94, 1.0 → its lowest, 0.94, is at a too_safe_from of 0.94;
    // reach2: 0.3 × 3 → a mean of 0.3 is below an overreach_below of 0.31.
    let s = summary_with("too_safe_from = 0.94\noverreach_below = 0.31");
    assert_eq!(found(&s, "too_safe"), pairs(&[("almost", ""), ("safe", "")]));
    assert_eq!(found(&s, "overreach"), pairs(&[("reach", ""), ("reach2", "")]));
    let says = |kind: &str, team: &str| {
        let list = s["findings"].as_array().unwrap();
        let f = list.iter().find(|f| f["kind"] == kind && f["team"] == team).unwrap();
        f["message"].as_str().unwrap().to_string()
    };
    assert!(says("too_safe", "almost").contains("scored 0.94 or more"), "{}", says("too_safe", "almost"));
    // Each of these teams has exactly 3 aspirational key results: asking for 4 silences both signals.
    let s = summary_with("min_aspirational_krs = 4");
    assert!(found(&s, "too_safe").is_empty() && found(&s, "overreach").is_empty());
}

#[test]
fn health_red_for_three_weeks_but_not_two() {
    let s = summary();
    // morale: red in the weeks of 07-06, 07-13, 07-20, green 07-27; in the week
    // of 08-03 a red (Mon) then a green (Fri): the week's last check, green.
    // pace: red 07-06, 07-13, amber 07-20 (its 06-29 row is before the quarter).
    let h = s["health"].as_array().unwrap();
    let row = |m: &str| h.iter().find(|r| r["health_metric"] == m).unwrap().clone();
    assert_eq!(row("morale")["longest_red_weeks"], 3);
    assert_eq!(row("morale")["weeks"]["2026-08-03"], "green");
    assert_eq!(row("morale")["latest_status"], "red");
    assert_eq!(row("morale")["latest_date"], "2026-08-10");
    assert_eq!(row("pace")["longest_red_weeks"], 2);
    assert!(row("pace")["weeks"]["2026-06-29"].is_null());
    assert_eq!(found(&s, "health_red"), pairs(&[("cadence", "")]));
}

#[test]
fn initiative_before_and_after_medians() {
    let s = summary();
    // "Faster builds" finished 08-15. Before = 07-25 … 08-14: 2, 4, 6, 8 →
    // median (4 + 6) / 2 = 5 (07-24's 99 is outside). After = 08-16 … 09-05:
    // 7, 9, 9 → 9 (the 100 on the finish day and 09-06's 50 are outside).
    let list = s["initiatives"].as_array().unwrap();
    let done = list.iter().find(|i| i["initiative"] == "Faster builds").unwrap();
    close(&done["median_before"], 5.0);
    close(&done["median_after"], 9.0);
    assert_eq!(done["points_before"], 4);
    assert_eq!(done["points_after"], 3);
    close(&done["change"], 0.8);
    assert_eq!(done["better"], true);
    let dropped = list.iter().find(|i| i["initiative"] == "Dropped Y").unwrap();
    assert_eq!(dropped["status"], "dropped");
    assert!(dropped["median_before"].is_null());
}

#[test]
fn the_pages_show_the_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let site = build_into("tests/fixtures/evidence", None, &dir.path().join("site"));
    let read = |p: &str| std::fs::read_to_string(site.join(p)).unwrap();
    let index = read("index.html");
    for chip in [">surprise miss<", ">green but drifting<", ">stale<"] {
        assert!(index.contains(chip), "the index's exceptions lack {chip}");
    }
    let findings = read("findings.html");
    for label in ["Surprise misses", "Green but drifting", "Stale check-ins", "Health red"] {
        assert!(findings.contains(label), "findings.html lacks {label}");
    }
    let health = read("health.html");
    assert!(health.contains("role=\"img\""), "health page has no chart");
    assert!(health.contains("morale"));
    let team = read("teams/drift.html");
    assert!(team.contains("Paired key results"), "pairs missing");
    assert!(team.contains("Faster builds"));
    assert!(team.contains("Initiatives of drift: impact against effort"));
    let d1 = read("krs/d1.html");
    assert!(d1.contains("Guardrails and pair"));
    // medians 5 and 9, in D1's figures (one decimal from 1 up: the one number rule)
    assert!(d1.contains("5.0 → 9.0"), "before/after missing on the KR page");
}

#[test]
fn a_metrics_csv_series_shadows_the_teams_quarter_value_of_its_signal() {
    // tests/fixtures/signals with a metrics.csv series of alpha named
    // cycle_time_days: alpha's derived quarter value goes, beta's stays, and
    // the org's value still counts alpha's six merged PRs and beta's one.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    for (name, bytes) in common::tree(&common::root().join("tests/fixtures/signals")) {
        std::fs::write(data.join(name), bytes).unwrap();
    }
    std::fs::write(data.join("metrics.csv"), "date,team,metric,value\n2026-09-20,alpha,cycle_time_days,2.5\n").unwrap();
    let s = build_summary(data.to_str().unwrap(), None);
    let has = |team: &str, metric: &str| {
        s["signals"].as_array().unwrap().iter().any(|v| v["team"] == team && v["metric"] == metric)
    };
    assert!(!has("alpha", "cycle_time_days"), "the shadowed value is still in signals[]");
    assert!(has("alpha", "review_time_hours") && has("beta", "cycle_time_days"));
    let org = s["org_signals"].as_array().unwrap().iter().find(|v| v["metric"] == "cycle_time_days").unwrap();
    assert_eq!(org["n"], 7);
    assert_eq!(found(&s, "signal_shadowed"), pairs(&[("alpha", "")]));
    close(&kr(&s, "S1")["value_measured"], 2.5);
}
