//! SPEC §3 "Green but drifting" on `tests/fixtures/drift`: each side of a
//! derived signal pooled from its events with at least 10 of them, a share or
//! a metric in % compared in percentage points. Every figure is worked out by
//! hand in that folder's README.

mod common;

use common::build_summary;
use serde_json::Value;

fn guard(s: &Value, kr_id: &str) -> Value {
    let kr = s["krs"].as_array().unwrap().iter().find(|k| k["kr_id"] == kr_id).unwrap();
    kr["guards"][0].clone()
}

fn drifting(s: &Value) -> Vec<String> {
    let list = s["findings"].as_array().unwrap();
    let mut ids: Vec<String> = list
        .iter()
        .filter(|f| f["kind"] == "green_but_drifting")
        .map(|f| f["kr_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_side_needs_ten_events_before_a_signal_is_judged() {
    let s = build_summary("tests/fixtures/drift", None);
    // N1: 9 deployments, then 10 of which 5 failed → too few on the first side
    let n1 = guard(&s, "N1");
    assert_eq!((n1["first_n"].as_u64(), n1["last_n"].as_u64()), (Some(9), Some(10)));
    assert_eq!(n1["movement"], "too few events to judge");
    assert_eq!(n1["wrong_way"], false);
    // T1: 0 of 10 failed, then 5 of 10: 0% → 50%, +50 points, pooled (not a median of weeks)
    let t1 = guard(&s, "T1");
    assert_eq!(t1["median_first_4_weeks"].as_f64(), Some(0.0));
    assert_eq!(t1["median_last_4_weeks"].as_f64(), Some(0.5));
    assert_eq!(t1["change_unit"], "points");
    assert_eq!(t1["change"].as_f64(), Some(50.0));
    assert!(drifting(&s).contains(&"T1".to_string()));
    assert!(!drifting(&s).contains(&"N1".to_string()));
}

#[test]
fn a_metric_in_percent_drifts_beyond_five_points() {
    let s = build_summary("tests/fixtures/drift", None);
    // err_pct: 10 → 14.9 is +4.9 points (steady); 10 → 15.1 is +5.1 points (worse)
    assert_eq!(guard(&s, "P49")["movement"], "steady");
    assert_eq!(guard(&s, "P51")["movement"], "worse");
    assert_eq!(drifting(&s), ["P51", "T1"]);
    let list = s["findings"].as_array().unwrap();
    let message = |id: &str| {
        let f = list.iter().find(|f| f["kind"] == "green_but_drifting" && f["kr_id"] == id).unwrap();
        f["message"].as_str().unwrap().to_string()
    };
    // the message names both sides' values and their n, in points — never "200% worse"
    let p51 = message("P51");
    assert!(
        p51.contains(
            "got worse by 5.1 pts: 10.0% in the quarter's first 28 days (n = 2), 15.1% in the 28 days to due (n = 2)"
        ),
        "{p51}"
    );
    let t1 = message("T1");
    // points read with one decimal, as the shares they are the difference of
    assert!(t1.contains("got worse by 50.0 pts: 0.0% in the quarter's first 28 days (n = 10), 50.0%"), "{t1}");
}
