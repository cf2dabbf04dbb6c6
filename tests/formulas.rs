//! Every formula of SPEC §3 on `tests/fixtures/tiny`, against figures worked out
//! by hand (the working is in the comments), not against the tool's own output.

mod common;

use common::{build_summary, close, kr};
use serde_json::Value;

fn tiny() -> Value {
    build_summary("tests/fixtures/tiny", None)
}

#[test]
fn measured_value_is_last_in_quarter_mean_of_same_date() {
    // m1 for alpha: 06-29 = 99 (before the quarter, ignored), 07-06 = 12,
    // 09-28 = 16 and 18 → mean 17; beta's 09-28 = 1 belongs to another team.
    let s = tiny();
    let k1 = kr(&s, "K1");
    close(&k1["value_measured"], 17.0);
    // reported: last check-in on or before due is 09-25 = 19 (06-20 is before the quarter)
    close(&k1["value_reported"], 19.0);
    close(&k1["value"], 17.0);
    // score from the measured value: (17 − 10) / (20 − 10) = 0.7
    close(&k1["score"], 0.7);
    close(&k1["score_reported"], 0.9);
    assert_eq!(k1["grade"], "green");
}

#[test]
fn band_only_kr_reaching_its_band_scores_one() {
    // K2: decrease, baseline 9, band 5–7, no target → reach the band (near edge 7).
    // last value 6.5 is in the band → 1.00 (tests/bands.rs has short, at, past and maintain).
    let s = tiny();
    let k2 = kr(&s, "K2");
    close(&k2["score"], 1.0);
    assert_eq!(k2["band_status"], "in band");
    // last half starts 07-01 + ⌊92/2⌋ = 08-16: 08-21 = 7.5 (short: above 7),
    // 09-18 = 6.5 (in band) → 1 of 2 = 0.5
    close(&k2["time_in_band"], 0.5);
    // first confidence ≤ 4 was on 08-21
    assert_eq!(k2["risk_surfaced"], "2026-08-21");
    // gaps: 07-01→07-10 9, →08-21 42, →09-18 28, →09-30 12
    assert_eq!(k2["longest_gap_days"], 42);
}

#[test]
fn milestone_progress_and_missed_commitment() {
    // K3 (committed milestone): 40% then 0.9 on 09-30 (= due) → 0.9, missed commitment.
    let s = tiny();
    let k3 = kr(&s, "K3");
    close(&k3["score"], 0.9);
    assert_eq!(k3["missed_commitment"], true);
    // confidence 0.8 → 8, 80% → 8
    close(&k3["last_confidence"], 8.0);
    // gaps: 07-01→07-15 14, 07-15→09-30 77
    assert_eq!(k3["longest_gap_days"], 77);
}

#[test]
fn checkins_after_due_do_not_count_and_surprise_miss() {
    // K4 due 08-31: 08-14 value 120 conf 9 counts; 09-15 value 210 does not.
    // (120 − 100) / (200 − 100) = 0.2; last confidence 9 ≥ 7 and score < 0.4 → surprise.
    let s = tiny();
    let k4 = kr(&s, "K4");
    close(&k4["score"], 0.2);
    assert_eq!(k4["checkins"], 1);
    close(&k4["last_confidence"], 9.0);
    assert_eq!(k4["surprise_miss"], true);
    // gaps: 07-01→08-14 44, 08-14→08-31 17
    assert_eq!(k4["longest_gap_days"], 44);
}

#[test]
fn no_value_scores_zero_and_is_unmeasured() {
    let s = tiny();
    let k5 = kr(&s, "K5");
    close(&k5["score"], 0.0);
    assert!(k5["value"].is_null());
    // no check-in: the whole quarter 07-01→09-30 is one gap of 91 days
    assert_eq!(k5["longest_gap_days"], 91);
    let unmeasured: Vec<_> = s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "unmeasured")
        .map(|f| f["kr_id"].as_str().unwrap())
        .collect();
    assert_eq!(unmeasured, ["K5"]);
}

#[test]
fn scores_clamp_past_target() {
    // K6: decrease 50 → 40, reported 30 → (30 − 50) / (40 − 50) = 2 → clamped to 1
    close(&kr(&tiny(), "K6")["score"], 1.0);
}

#[test]
fn objective_team_and_org_rollups() {
    let s = tiny();
    let obj = |id: &str| {
        s["objectives"].as_array().unwrap().iter().find(|o| o["objective_id"] == id).unwrap()["score"].clone()
    };
    // A1 = (0.7 × 1 + 1.0 × 2) / 3 = 0.9 (K2 has weight 2)
    close(&obj("A1"), 0.9);
    // A2 = (0.9 + 0.2) / 2 = 0.55; B1 = (0 + 1) / 2 = 0.5
    close(&obj("A2"), 0.55);
    close(&obj("B1"), 0.5);
    // alpha = (0.9 + 0.55) / 2 = 0.725 → 0.73 (rounded half up); beta = 0.5;
    // org = (0.73 + 0.5) / 2 = 0.615 → 0.62
    close(&s["teams"][0]["score"], 0.73);
    close(&s["teams"][1]["score"], 0.5);
    close(&s["org"]["score"], 0.62);
    assert_eq!(s["org"]["krs"], 6);
    assert_eq!(s["org"]["objectives"], 3);
    assert_eq!(s["quarter"], "2026-Q3");
    assert_eq!(s["start"], "2026-07-01");
    assert_eq!(s["end"], "2026-09-30");
}

#[test]
fn quarter_option_picks_an_older_quarter() {
    let s = build_summary("tests/fixtures/tiny", Some("2026-Q2"));
    assert_eq!(s["quarter"], "2026-Q2");
    assert_eq!(s["krs"].as_array().unwrap().len(), 1);
    assert_eq!(s["krs"][0]["kr_id"], "K0");
}
