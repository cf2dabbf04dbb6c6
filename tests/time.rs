//! SPEC §6 on `tests/fixtures/time`: the quarter as of a date (expected,
//! pace, what is left out, what waits for due), the inferred date of a
//! folder whose data stop early, the comparison with the previous quarter
//! and continued key results, and `quarterdeck next`'s draft. Every figure
//! is worked out by hand in the comments from the fixture's CSV files.

mod common;

use assert_cmd::Command;
use common::{build_summary, build_summary_as_of, close, kr, root, tree};
use serde_json::Value;
use std::path::{Path, PathBuf};

const FIXTURE: &str = "tests/fixtures/time";

fn findings<'a>(s: &'a Value, kind: &str) -> Vec<&'a Value> {
    s["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == kind).collect()
}

fn team<'a>(s: &'a Value, id: &str) -> &'a Value {
    s["teams"].as_array().unwrap().iter().find(|t| t["team"] == id).unwrap()
}

fn signal<'a>(s: &'a Value, team: &str, metric: &str) -> &'a Value {
    s["signals"].as_array().unwrap().iter().find(|v| v["team"] == team && v["metric"] == metric).unwrap()
}

/// A copy of the fixture in a temporary folder, with `edit` applied to its files.
fn copy(edit: impl Fn(&str, String) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for (name, bytes) in tree(&root().join(FIXTURE)) {
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(data.join(&name), edit(&name, String::from_utf8(bytes).unwrap())).unwrap();
    }
    (dir, data)
}

/// Only the lines of `text` (a CSV file) dated on or before `last`, with its header.
fn until(text: String, last: &str) -> String {
    let mut lines = text.lines();
    let head = lines.next().unwrap().to_string();
    let kept: Vec<&str> = lines.filter(|l| l[..10] <= *last).collect();
    format!("{head}\n{}\n", kept.join("\n"))
}

fn build_site(data: &Path, out: &Path, as_of: Option<&str>) -> PathBuf {
    let opts = quarterdeck::BuildOptions {
        data_dir: data.to_path_buf(),
        out: Some(out.to_path_buf()),
        as_of: as_of.map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
        ..quarterdeck::BuildOptions::default()
    };
    quarterdeck::build(&opts, &|_| {}).unwrap().site
}

#[test]
fn expected_and_pace_on_a_date() {
    let s = build_summary_as_of(FIXTURE, "2026-08-15");
    assert_eq!((&s["as_of"], &s["standing"]), (&"2026-08-15".into(), &"asked".into()));
    // T1: due 09-30; 45 of 91 days gone. Latency 320 on 08-10 (the 08-17
    // point comes later): (400 − 320) / (400 − 200) = 0.40; pace 0.40 ÷
    // (45/91) = 0.809 → 0.81, behind (0.6 ≤ pace < 0.9)
    let t1 = kr(&s, "T1");
    close(&t1["expected"], 45.0 / 91.0);
    close(&t1["score"], 0.40);
    close(&t1["pace"], 0.81);
    assert_eq!(t1["pace_status"], "behind");
    // T2: due 08-31; 45 of 61 days. Adoption 40 on 08-10: (40 − 30) / 30 =
    // 0.333 → 0.33; pace 0.33 ÷ (45/61) = 0.447 → 0.45, off pace
    let t2 = kr(&s, "T2");
    close(&t2["expected"], 45.0 / 61.0);
    close(&t2["score"], 0.33);
    close(&t2["pace"], 0.45);
    assert_eq!(t2["pace_status"], "off_pace");
    // B1: progress 0.5 on 08-14; 0.5 ÷ (45/91) = 1.011 → 1.01, on pace
    close(&kr(&s, "B1")["pace"], 1.01);
    assert_eq!(kr(&s, "B1")["pace_status"], "on_pace");
    // B2 was due on 08-10: all its time is gone, its pace is its score
    close(&kr(&s, "B2")["expected"], 1.0);
    close(&kr(&s, "B2")["pace"], 0.6);
    // the finding: T2 alone is off pace
    let off = findings(&s, "off_pace");
    assert_eq!(off.len(), 1, "{off:?}");
    assert_eq!(off[0]["kr_id"], "T2");
    let message = off[0]["message"].as_str().unwrap();
    assert!(
        message
            .contains("scores 0.33 with 74% of its time to due 2026-08-31 gone (expected 0.74): pace 0.45, below 0.6"),
        "{message}"
    );
    // teams and org from the scores so far: alpha (0.40 + 0.33) / 2 = 0.365
    // → 0.37, beta (0.50 + 0.60) / 2 = 0.55, org (0.37 + 0.55) / 2 = 0.46
    close(&team(&s, "alpha")["score"], 0.37);
    close(&team(&s, "beta")["score"], 0.55);
    close(&s["org"]["score"], 0.46);
}

#[test]
fn as_of_leaves_out_what_came_after_the_date() {
    let s = build_summary_as_of(FIXTURE, "2026-08-15");
    // B1's check-in of 08-16 (progress 0.9) is the day after: two check-ins count, the last says 0.5
    let b1 = kr(&s, "B1");
    assert_eq!(b1["checkins"], 2);
    close(&b1["value_reported"], 0.5);
    // the latency point of 08-17 is left out: 320, not 300
    close(&kr(&s, "T1")["value_measured"], 320.0);
    // P2 merged on 08-16 was still open, P3 was opened on 08-16: one merged
    // PR over the 46 days to 08-15, 7/46 per week; its cycle time 2 days
    let throughput = signal(&s, "alpha", "pr_throughput");
    assert_eq!(throughput["n"], 1);
    close(&throughput["value"], 7.0 / 46.0);
    close(&signal(&s, "alpha", "cycle_time_days")["value"], 2.0);
    // beta's health: the weeks up to 08-15 (07-27 amber, 08-03 and 08-10 red)
    let health = &s["health"].as_array().unwrap()[0];
    assert_eq!(health["longest_red_weeks"], 2);
    assert!(findings(&s, "health_red").is_empty(), "two red weeks are not yet three");
}

#[test]
fn the_whole_quarter_counts_every_row() {
    let s = build_summary(FIXTURE, None);
    // the data reach 09-28, inside the quarter's last 7 days: the whole quarter
    assert_eq!((&s["as_of"], &s["standing"]), (&"2026-09-30".into(), &"end".into()));
    // P1, P2, P3 merged: 3 over 92 days, 21/92 per week; cycle 2, 4, 2 days → median 2
    close(&signal(&s, "alpha", "pr_throughput")["value"], 21.0 / 92.0);
    close(&signal(&s, "alpha", "cycle_time_days")["value"], 2.0);
    close(&kr(&s, "B1")["value_reported"], 0.9);
    close(&kr(&s, "T1")["value_measured"], 260.0);
    assert_eq!(findings(&s, "health_red").len(), 1);
    assert!(findings(&s, "off_pace").is_empty(), "every key result is due: none is off pace");
}

#[test]
fn findings_only_the_end_decides_wait_for_due() {
    let s = build_summary_as_of(FIXTURE, "2026-08-15");
    // B1 (committed, due 09-30) at 0.5 is not yet missed; B2 (committed, due 08-10) at 0.6 is
    let missed: Vec<&Value> = findings(&s, "missed_commitment").into_iter().map(|f| &f["kr_id"]).collect();
    assert_eq!(missed, [&Value::from("B2")]);
    assert!(!kr(&s, "B1")["missed"].as_bool().unwrap());
    assert!(kr(&s, "B2")["missed"].as_bool().unwrap());
    // the early-warning share waits for the quarter's end
    assert!(s["org"]["early_warning"]["share_surfaced_early"].is_null());
    assert!(findings(&s, "early_warning").is_empty());
    // only B2's forecasts have an outcome: 0.5 and 0.3, o = 0: Brier (0.25 + 0.09) / 2 = 0.17
    close(&s["org"]["calibration"]["brier"], 0.17);
    assert_eq!(s["org"]["calibration"]["checkins"], 2);
    // the whole quarter: B1 ends at 0.9 and is a missed commitment too
    let end = build_summary(FIXTURE, None);
    assert_eq!(findings(&end, "missed_commitment").len(), 2);
    // 3 missed (T2 0.50, B1 0.90, B2 0.60), none raised 21 days ahead: 0 of 3
    close(&end["org"]["early_warning"]["share_surfaced_early"], 0.0);
}

#[test]
fn a_folder_whose_data_stop_early_stands_on_its_last_date() {
    // every row after 08-20 dropped: the latest left is P3's merge on 08-18
    let (_dir, data) = copy(|name, text| match name {
        "metrics.csv" | "checkins.csv" | "health.csv" => until(text, "2026-08-20"),
        _ => text,
    });
    let out = data.parent().unwrap().join("site");
    let site = build_site(&data, &out, None);
    let s: Value = serde_json::from_str(&std::fs::read_to_string(site.join("data/summary.json")).unwrap()).unwrap();
    assert_eq!((&s["as_of"], &s["standing"]), (&"2026-08-18".into(), &"inputs_end".into()));
    // T1: 48 of 91 days; latency 300 on 08-17: (400 − 300) / 200 = 0.50; pace 0.50 ÷ (48/91) = 0.948 → 0.95
    close(&kr(&s, "T1")["expected"], 48.0 / 91.0);
    close(&kr(&s, "T1")["pace"], 0.95);
    // and says so on every page
    for page in ["index.html", "teams/alpha.html", "krs/t1.html", "brief.html", "print.html"] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        assert!(html.contains("as of 2026-08-18"), "{page} does not say as of 2026-08-18");
    }
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("The inputs end on 2026-08-18, before 2026-Q3"), "the banner says why");
}

/// A folder of okrs.csv and one metric point on `last` besides 07-06.
fn ends_on(last: &str) -> Value {
    let (_dir, data) = copy(|_, t| t);
    for f in ["checkins.csv", "health.csv", "prs.csv"] {
        std::fs::remove_file(data.join(f)).unwrap();
    }
    let metrics = format!("date,team,metric,value\n2026-07-06,alpha,latency,380\n{last},alpha,latency,300\n");
    std::fs::write(data.join("metrics.csv"), metrics).unwrap();
    let site = build_site(&data, &data.parent().unwrap().join("site"), None);
    serde_json::from_str(&std::fs::read_to_string(site.join("data/summary.json")).unwrap()).unwrap()
}

#[test]
fn the_quarters_last_seven_days_are_its_end() {
    // [time] complete_within_days = 7: 09-24 is 6 days before 09-30, 09-23 is 7
    assert_eq!(ends_on("2026-09-24")["standing"], "end");
    let s = ends_on("2026-09-23");
    assert_eq!((&s["as_of"], &s["standing"]), (&"2026-09-23".into(), &"inputs_end".into()));
}

#[test]
fn the_previous_quarter_and_the_changes() {
    let s = build_summary(FIXTURE, None);
    assert_eq!(s["previous"], "2026-Q2");
    // 2026-Q2: T1 (500 − 400) / (500 − 300) = 0.50, T-OLD (25 − 10) / 20 =
    // 0.75, alpha (0.50 + 0.75) / 2 = 0.625 → 0.63; B-OLD 100% → beta 1.00;
    // org (0.63 + 1.00) / 2 = 0.815 → 0.82
    close(&team(&s, "alpha")["previous_score"], 0.63);
    close(&team(&s, "beta")["previous_score"], 1.0);
    close(&s["org"]["previous_score"], 0.82);
    // 2026-Q3: T1 (400 − 260) / 200 = 0.70, T2 (45 − 30) / 30 = 0.50 →
    // alpha 0.60; B1 0.90, B2 0.60 → beta 0.75; org 0.675 → 0.68
    close(&team(&s, "alpha")["score"], 0.6);
    close(&team(&s, "beta")["score"], 0.75);
    close(&s["org"]["score"], 0.68);
    // the 2026-Q2 signals: no events then, so no previous value
    assert!(signal(&s, "alpha", "pr_throughput")["previous_value"].is_null());
    let history = &s["history"][0];
    assert_eq!(history["quarter"], "2026-Q2");
    close(&history["org_score"], 0.82);
    // B-OLD ended green with confidence 9: Brier (0.9 − 1)² = 0.01
    close(&history["calibration"]["brier"], 0.01);
}

#[test]
fn continued_key_results_show_their_previous_result() {
    let s = build_summary(FIXTURE, None);
    // T1 has the same kr_id in 2026-Q2; T2 names T-OLD in `continues`
    let t1 = kr(&s, "T1");
    assert_eq!((&t1["continues"], &t1["previous_quarter"]), (&"T1".into(), &"2026-Q2".into()));
    close(&t1["previous_score"], 0.5);
    let t2 = kr(&s, "T2");
    assert_eq!(t2["continues"], "T-OLD");
    close(&t2["previous_score"], 0.75);
    assert!(kr(&s, "B1")["continues"].is_null());
}

#[test]
fn the_pages_show_the_changes_and_history() {
    let dir = tempfile::tempdir().unwrap();
    let site = build_site(&root().join(FIXTURE), &dir.path().join("site"), None);
    let read = |p: &str| std::fs::read_to_string(site.join(p)).unwrap();
    let index = read("index.html");
    // the org card: 0.68, 0.14 below 0.82 in 2026-Q2
    assert!(index.contains("−0.14 <span class=\"muted\">since 2026-Q2</span>"), "org change");
    let team = read("teams/beta.html");
    assert!(team.contains("−0.25 since 2026-Q2 <span class=\"muted\">(then 1.00)</span>"), "team change");
    let t2 = read("krs/t2.html");
    assert!(t2.contains("In 2026-Q2 (T-OLD)") && t2.contains(">0.75<"), "T2 shows T-OLD's result");
    let history = read("history.html");
    for cell in ["0.63", "0.60", "0.82", "0.68"] {
        assert!(history.contains(cell), "history.html lacks {cell}");
    }
    assert!(index.contains("href=\"history.html\""), "the navigation links history.html");
}

#[test]
fn the_expected_line_is_drawn_as_of_a_date() {
    let dir = tempfile::tempdir().unwrap();
    let site = build_site(&root().join(FIXTURE), &dir.path().join("site"), Some("2026-08-15"));
    let t1 = std::fs::read_to_string(site.join("krs/t1.html")).unwrap();
    assert!(t1.contains("expected at an even pace: 400 on Jul 1 to 200 on due Sep 30"), "the chart's description");
    assert!(t1.contains("Pace on 2026-08-15"), "the pace card");
    let whole = build_site(&root().join(FIXTURE), &dir.path().join("whole"), None);
    let t1 = std::fs::read_to_string(whole.join("krs/t1.html")).unwrap();
    assert!(!t1.contains("expected at an even pace"), "no expected line for the whole quarter");
}

#[test]
fn as_of_errors_name_what_was_expected() {
    let bad = |date: &str, want: &str| {
        let out = Command::cargo_bin("quarterdeck")
            .unwrap()
            .args(["build", FIXTURE, "--out"])
            .arg(tempfile::tempdir().unwrap().path().join("site"))
            .args(["--as-of", date])
            .current_dir(root())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{date}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(want), "{date}: {stderr}");
    };
    bad("15/08/2026", "--as-of: expected a date like 2026-08-15, found \"15/08/2026\"");
    bad("2026-10-02", "--as-of 2026-10-02: expected a date inside 2026-Q3 (2026-07-01 to 2026-09-30)");
}

#[test]
fn a_continues_naming_no_earlier_key_result_is_an_error() {
    let (_dir, data) = copy(|name, text| if name == "okrs.csv" { text.replace(",T-OLD\n", ",T-NONE\n") } else { text });
    let out = Command::cargo_bin("quarterdeck").unwrap().arg("check").arg(&data).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("okrs.csv line 6, column continues: expected the kr_id of a key result of a quarter before 2026-Q3 in okrs.csv, found \"T-NONE\""),
        "{stderr}"
    );
}

/// Runs `quarterdeck next` on `data` into `out`.
fn next(data: &Path, out: &Path) -> std::process::Output {
    Command::cargo_bin("quarterdeck").unwrap().arg("next").arg(data).arg("--out").arg(out).output().unwrap()
}

#[test]
fn the_draft_carries_its_baselines_and_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("draft.csv");
    let run = next(&root().join(FIXTURE), &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("5 rows for 2026-Q4; 2 key results need a target and 0 a baseline"), "{stderr}");
    let draft = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<&str> = draft.lines().collect();
    assert_eq!(
        rows[0],
        "quarter,team,objective_id,objective,objective_kind,kr_id,key_result,owner,kind,direction,baseline,target,\
         band_low,band_high,unit,metric,layer,paired_with,guardrail,weight,due,continues,note"
    );
    // missed commitments first (B2 0.60, then B1 0.90), then not at target
    // (T2 0.50, T1 0.70), then beta's on-call, red for 3 weeks
    let ids: Vec<&str> = rows[1..].iter().map(|r| r.split(',').nth(5).unwrap()).collect();
    assert_eq!(ids, ["B2", "B1", "T2", "T1", "beta-2026-Q4-on-call-KR1"]);
    assert!(rows[1].starts_with("2026-Q4,beta,B1,Keep our promises,committed,B2,"), "{}", rows[1]);
    assert!(rows[1]
        .ends_with("missed commitment in 2026-Q3 (scored 0.60): kept as a commitment; progress was 60.0% at the end"));
    // T2's baseline is adoption's last value by its due date, 45; T1's the latency at the end, 260
    assert!(rows[3].contains(",metric,increase,45,,,,%,adoption,"), "{}", rows[3]);
    assert!(rows[3].ends_with(
        "not at target in 2026-Q3 (scored 0.50); baseline 45 is the measured value at the end; fill in the target"
    ));
    assert!(rows[4].contains(",metric,decrease,260,,,,ms,latency,"), "{}", rows[4]);
    assert!(rows[5].starts_with(
        "2026-Q4,beta,beta-2026-Q4-on-call,Get \u{201c}on-call\u{201d} back to green,aspirational,beta-2026-Q4-on-call-KR1,\
         Bring \u{201c}on-call\u{201d} from red back to green,cleo,milestone,"
    ), "{}", rows[5]);
    assert!(rows[5].contains("was red for 3 consecutive weeks in 2026-Q3 (weeks of 2026-08-03 to 2026-08-17)"));
}

#[test]
fn the_draft_passes_check_once_its_targets_are_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("draft.csv");
    assert!(next(&root().join(FIXTURE), &out).status.success());
    let draft = std::fs::read_to_string(&out).unwrap();
    let folder = dir.path().join("q4");
    std::fs::create_dir_all(&folder).unwrap();
    // as written, its metric key results have no target: not yet valid input
    std::fs::write(folder.join("okrs.csv"), &draft).unwrap();
    let check = Command::cargo_bin("quarterdeck").unwrap().arg("check").arg(&folder).output().unwrap();
    assert_eq!(check.status.code(), Some(2), "no target yet");
    assert!(String::from_utf8_lossy(&check.stderr).contains("column target: a metric key result needs a target"));
    // the targets filled in: T2 from 45 up to 60, T1 from 260 down to 200
    let filled = draft.replace(",increase,45,,", ",increase,45,60,").replace(",decrease,260,,", ",decrease,260,200,");
    std::fs::write(folder.join("okrs.csv"), filled).unwrap();
    let check = Command::cargo_bin("quarterdeck").unwrap().arg("check").arg(&folder).output().unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&check.stderr));
    assert!(stdout.contains("5 key results in 2026-Q4"), "{stdout}");
    assert!(stdout.contains(" 0 errors"), "{stdout}");
}

#[test]
fn the_draft_never_replaces_an_input() {
    let (_dir, data) = copy(|_, t| t);
    let run = next(&data, &data.join("okrs.csv"));
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("it is an input of the data folder"));
    let other = data.join("notes.txt");
    std::fs::write(&other, "mine").unwrap();
    let run = next(&data, &other);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("it exists and is not a draft written by `quarterdeck next`"));
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "mine");
    // its default name, in the data folder; written twice, the draft replaces itself
    for _ in 0..2 {
        let run = Command::cargo_bin("quarterdeck").unwrap().arg("next").arg(&data).output().unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    }
    assert!(data.join("okrs-2026-Q4-draft.csv").is_file());
}

#[test]
fn the_index_shows_the_starting_points() {
    let dir = tempfile::tempdir().unwrap();
    let site = build_site(&root().join(FIXTURE), &dir.path().join("site"), None);
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("Starting points for next quarter"));
    assert!(index.contains("The 2026-Q4 draft</a>: 2 commitments kept, 2 short of target, 1 red health."), "counts");
    let next = std::fs::read_to_string(site.join("next.html")).unwrap();
    assert!(next.contains("beta-2026-Q4-on-call-KR1") && next.contains("baseline 260 is the measured value"));
}
