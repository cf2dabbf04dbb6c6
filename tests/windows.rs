//! SPEC §3 "Windows without events" on `tests/fixtures/windows`: a count over
//! a window without events is 0 when the team had such events in the
//! quarter; otherwise, and for a median or a share, there is no value, and
//! the unmeasured finding names the window and the quarter's events.

mod common;

use common::{build_summary_as_of, close, kr};

/// The fixture's events end in July: built as of the quarter's last day, the
/// whole quarter (without it the pack would stand on 2026-07-28, SPEC §6).
fn build() -> Value {
    build_summary_as_of("tests/fixtures/windows", "2026-09-30")
}
use serde_json::Value;

fn unmeasured(s: &Value, id: &str) -> Option<String> {
    let list = s["findings"].as_array().unwrap();
    list.iter().find(|f| f["kind"] == "unmeasured" && f["kr_id"] == id).map(|f| f["message"].as_str().unwrap().into())
}

#[test]
fn a_count_over_an_empty_window_is_zero_when_the_quarter_had_events() {
    let s = build();
    // busy deployed 5 times in July; none from 09-03 to 09-30: 0 per week, measured
    close(&kr(&s, "W1")["value_measured"], 0.0);
    close(&kr(&s, "W1")["score"], 0.0);
    assert_eq!(unmeasured(&s, "W1"), None);
}

#[test]
fn no_events_at_all_or_a_median_over_none_has_no_value() {
    let s = build();
    assert_eq!(kr(&s, "W2")["value_measured"], Value::Null);
    let w2 = unmeasured(&s, "W2").unwrap();
    assert!(w2.contains("from 2026-09-03 to due 2026-09-30"), "{w2}");
    assert!(w2.contains("the team has no such events this quarter"), "{w2}");
    // a median over an empty window has no value, even with events earlier in the quarter
    assert_eq!(kr(&s, "W3")["value_measured"], Value::Null);
    let w3 = unmeasured(&s, "W3").unwrap();
    assert!(w3.contains("none of the team's 2 events of it this quarter fall in that window"), "{w3}");
}
