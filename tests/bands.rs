//! Band, maintain and rounding rules of SPEC §3 on `tests/fixtures/bands`;
//! every expected figure is worked out by hand from that folder's files.

mod common;

use common::{build_summary, close, kr};
use serde_json::Value;

fn bands() -> Value {
    build_summary("tests/fixtures/bands", None)
}

#[test]
fn a_band_kr_scores_its_way_to_the_near_edge_then_one() {
    let s = bands();
    // lower is better, baseline 9, band 5–7: the near edge is 7.
    // S1 at 8: (8 − 9) / (7 − 9) = 0.5, short of the band
    close(&kr(&s, "S1")["score"], 0.5);
    assert_eq!(kr(&s, "S1")["band_status"], "short of band");
    assert_eq!(kr(&s, "S1")["grade"], "amber");
    // S2 at the edge, S3 inside, S4 past it in the good direction: all 1.00
    for (id, status) in [("S2", "in band"), ("S3", "in band"), ("S4", "beyond band")] {
        close(&kr(&s, id)["score"], 1.0);
        assert_eq!(kr(&s, id)["band_status"], status, "{id}");
        assert_eq!(kr(&s, id)["grade"], "green", "{id}");
    }
}

#[test]
fn a_maintain_kr_scores_its_share_of_observations_in_the_band() {
    let s = bands();
    // M1: baseline 6 is inside 5–7; check-ins 6, 8, 6.5, 7 → 3 of 4 inside = 0.75
    close(&kr(&s, "M1")["score"], 0.75);
    assert_eq!(kr(&s, "M1")["grade"], "green");
    // M2: no baseline, band 1–3; check-ins 2, 4, 5, 3, 1 → 3 of 5 inside = 0.6
    close(&kr(&s, "M2")["score"], 0.6);
    assert_eq!(kr(&s, "M2")["grade"], "amber");
    // a maintain KR without a baseline is not a missing baseline
    let missing: Vec<&Value> =
        s["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "missing_baseline").collect();
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn scores_are_rounded_before_they_are_graded() {
    let s = bands();
    // 694/1000 = 0.694 → 0.69 amber; 0.695 → 0.70 green (half up); 0.696 → 0.70 green
    close(&kr(&s, "G1")["score"], 0.69);
    assert_eq!(kr(&s, "G1")["grade"], "amber");
    for id in ["G2", "G3"] {
        assert_eq!(kr(&s, id)["score"].as_f64(), Some(0.7), "{id}");
        assert_eq!(kr(&s, id)["grade"], "green", "{id}");
    }
}

#[test]
fn roll_ups_use_the_rounded_scores_and_are_rounded_in_turn() {
    let s = bands();
    let find =
        |list: &str, key: &str, id: &str| s[list].as_array().unwrap().iter().find(|o| o[key] == id).unwrap().clone();
    // B1 = (0.5 + 1) / 2 = 0.75; B2 = 1; K1 = (0.75 + 0.6) / 2 = 0.675 → 0.68
    // L1 = (0.69 + 0.70) / 2 = 0.695 → 0.70; L2 = 0.70
    for (id, want) in [("B1", 0.75), ("B2", 1.0), ("K1", 0.68), ("L1", 0.7), ("L2", 0.7)] {
        assert_eq!(find("objectives", "objective_id", id)["score"].as_f64(), Some(want), "{id}");
    }
    // bands = (0.75 + 1) / 2 = 0.875 → 0.88; keep = 0.68 (amber); line = 0.70 (green)
    assert_eq!(find("teams", "team", "bands")["score"].as_f64(), Some(0.88));
    assert_eq!(find("teams", "team", "keep")["grade"], "amber");
    assert_eq!(find("teams", "team", "line")["score"].as_f64(), Some(0.7));
    assert_eq!(find("teams", "team", "line")["grade"], "green");
    // org = (0.88 + 0.68 + 0.70) / 3 = 0.7533 → 0.75, green
    assert_eq!(s["org"]["score"].as_f64(), Some(0.75));
    assert_eq!(s["org"]["grade"], "green");
}

#[test]
fn pages_show_scores_with_two_decimals() {
    let dir = tempfile::tempdir().unwrap();
    let site = common::build_into("tests/fixtures/bands", None, &dir.path().join("site"));
    let team = std::fs::read_to_string(site.join("teams/line.html")).unwrap();
    assert!(team.contains("0.69") && team.contains("0.70"), "two decimals on the team page");
    let kr_page = std::fs::read_to_string(site.join("krs/g2.html")).unwrap();
    assert!(kr_page.contains("0.70"), "G2's page shows 0.70");
}
