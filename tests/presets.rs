//! Built-in presets on realistic exports in `tests/fixtures/presets/`: each
//! data folder builds into a pack, and the numbers below are worked out by
//! hand from the fixture files (timestamps UTC).

mod common;

use common::{build_summary, close, kr, root};
use quarterdeck::config::Config;
use quarterdeck::model::{Dataset, InitiativeStatus};
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

fn dataset(folder: &str) -> Dataset {
    let dir = root().join("tests/fixtures/presets").join(folder);
    let config = Config::load(&dir).unwrap();
    quarterdeck::ingest::load(&dir, &config, None).unwrap()
}

const DAY: f64 = 86_400.0;

#[test]
fn github_prs_json_feeds_pull_request_signals() {
    let ds = dataset("github");
    // PR 26037: 2026-01-03T10:02:17Z → 16:41:55Z = 6 h 39 min 38 s.
    let pr = ds.events.prs.iter().find(|p| &*p.id == "26037").unwrap();
    assert_eq!(pr.merged.get().unwrap() - pr.opened, 6 * 3600 + 39 * 60 + 38);
    assert_eq!(
        (pr.team.as_str(), pr.author.as_deref().unwrap_or_default(), pr.first_review.get()),
        ("core", "NotMyFault", None)
    );
    // PR 26090: MarkEWaite's own comment at +1 h does not count; daniel-beck's approval at +4 h does.
    let pr = ds.events.prs.iter().find(|p| &*p.id == "26090").unwrap();
    assert_eq!(pr.first_review.get().unwrap() - pr.opened, 4 * 3600);
    // 16 entries: the renovate bot's is left out; 26564 is merged in April (Q2).
    assert_eq!(ds.events.prs.len(), 15);
    assert!(ds.events.prs.iter().all(|p| &*p.id != "26490"));

    let s = build_summary("tests/fixtures/presets/github", None);
    assert_eq!(s["quarter"], "2026-Q1");
    // Cycle times of the 14 PRs merged in Q1, sorted:
    //   26136 0:50:55, 26336 2:23:26, 26506 6:25:04, 26037 6:39:38, 26424 7:26:40,
    //   26090 8:25:28, 26523 17:00:15, 26131 20:17:18, 26104 1d 8:14:17, 26154 1d 18:19:59,
    //   26034 2d 7:37:10, 26198 3d 0:34:18, 26535 4d 3:51:19, 26029 29d 11:01:17.
    // Median = mean of the 7th and 8th: (17:00:15 + 20:17:18) / 2 = (61 215 s + 73 038 s) / 2.
    let cycle = signal(&s, "core", "cycle_time_days");
    close(&cycle["value"], (61_215.0 + 73_038.0) / 2.0 / DAY);
    assert_eq!(cycle["n"], 14);
    // First reviews by someone else, hours after opening: 26029 20, 26034 3, 26090 4,
    // 26131 2, 26154 12 (timja's pending review does not count), 26198 8, 26424 2,
    // 26506 3, 26523 7, 26535 24 → 2 2 3 3 4 | 7 8 12 20 24 → (4 + 7) / 2.
    close(&signal(&s, "core", "review_time_hours")["value"], 5.5);
    // 14 merged over Q1's 90 days; reverts 26336 and 26424; copilot on 26131 and 26535.
    close(&signal(&s, "core", "pr_throughput")["value"], 14.0 * 7.0 / 90.0);
    close(&signal(&s, "core", "rework_rate")["value"], 2.0 / 14.0);
    close(&signal(&s, "core", "ai_code_share")["value"], 2.0 / 14.0);
    // CORE-KR1 over the 28 days ending 03-31 (merged 03-04…03-31): 26506 6:25:04,
    // 26424 7:26:40, 26523 17:00:15, 26535 4d 3:51:19 → (26 800 s + 61 215 s) / 2.
    close(&kr(&s, "CORE-KR1")["value_measured"], (26_800.0 + 61_215.0) / 2.0 / DAY);
    // CORE-KR2: first reviews 2, 3, 7, 24 h → 5 h; score (5 − 8) / (4 − 8) = 0.75.
    close(&kr(&s, "CORE-KR2")["value_measured"], 5.0);
    close(&kr(&s, "CORE-KR2")["score"], 0.75);
}

#[test]
fn jira_issues_csv_feeds_cycle_time_through_value_maps() {
    let ds = dataset("jira");
    // Done and in Q3 or not: PAY-101, 102, 106, 107, 108, 109 (Oct), 110 (Jun), CHK-41;
    // PAY-103 is an epic, PAY-104 was resolved Won't Do, PAY-105 is not resolved.
    let ids: Vec<&str> = ds.events.prs.iter().map(|p| &*p.id).collect();
    assert_eq!(ids, ["PAY-101", "PAY-102", "PAY-106", "PAY-107", "PAY-108", "PAY-109", "PAY-110", "CHK-41"]);
    let pay106 = &ds.events.prs[2];
    // nobody assigned: the creator, "Chloé Martin", mapped by [values.prs] author
    assert_eq!((pay106.author.as_deref().unwrap_or_default(), pay106.team.as_str()), ("chloe.martin", "payments"));
    // PAY-107 has no team: Ana Silva's, from people.csv
    assert_eq!(ds.events.prs[3].team, "payments");

    let s = build_summary("tests/fixtures/presets/jira", None);
    // payments, Q3: PAY-101 01/Jul 9:15 AM → 03/Jul 4:45 PM = 2 d 7.5 h = 2.3125 d;
    // PAY-102 10:00 AM → 3:30 PM = 5.5 h; PAY-106 13/Jul → 20/Jul = 7 d;
    // PAY-107 1 d; PAY-108 20/Jul 9:00 AM → 24/Jul 5:00 PM = 4 d 8 h.
    // Sorted 0.229, 1, 2.3125, 4.333, 7 → 2.3125.
    let cycle = signal(&s, "payments", "cycle_time_days");
    close(&cycle["value"], 2.3125);
    assert_eq!(cycle["n"], 5);
    close(&signal(&s, "payments", "pr_throughput")["value"], 5.0 * 7.0 / 92.0);
    // labels: "regression" on PAY-102, "ai-assisted" on PAY-106
    close(&signal(&s, "payments", "rework_rate")["value"], 0.2);
    close(&signal(&s, "payments", "ai_code_share")["value"], 0.2);
    // checkout: CHK-41 03/Aug 2:00 PM → 05/Aug 2:00 PM
    close(&signal(&s, "checkout", "cycle_time_days")["value"], 2.0);
    // issues have no reviews: no review-time signal
    assert!(s["signals"].as_array().unwrap().iter().all(|x| x["metric"] != "review_time_hours"));
}

#[test]
fn linear_issues_csv_opens_at_started() {
    let ds = dataset("linear");
    // PLAT-23 was canceled and PLAT-24 is not completed; PLAT-22 and PLAT-26 are short rows.
    let ids: Vec<&str> = ds.events.prs.iter().map(|p| &*p.id).collect();
    assert_eq!(ids, ["PLAT-21", "PLAT-22", "PLAT-25", "PLAT-26", "PLAT-27", "MOB-5"]);
    // PLAT-25 has no assignee: its creator
    assert_eq!(ds.events.prs[2].author.as_deref(), Some("li@acme.test"));

    let s = build_summary("tests/fixtures/presets/linear", None);
    // platform, Q3: PLAT-21 started 07-06 09:00 → 07-08 15:00 = 2.25 d (created 06-20 is ignored);
    // PLAT-22 never started: created 07-01 12:00 → 07-03 12:00 = 2 d; PLAT-25 12 h = 0.5 d;
    // PLAT-26 08-03 09:30 → 08-07 09:30 = 4 d; PLAT-27 completes in October.
    // Sorted 0.5, 2, 2.25, 4 → (2 + 2.25) / 2.
    let cycle = signal(&s, "platform", "cycle_time_days");
    close(&cycle["value"], 2.125);
    assert_eq!(cycle["n"], 4);
    close(&signal(&s, "platform", "ai_code_share")["value"], 0.25);
    // mobile: MOB-5 07-15 00:00 → 07-16 06:00 = 1.25 d
    close(&signal(&s, "mobile", "cycle_time_days")["value"], 1.25);
    assert_eq!(kr(&s, "PLAT-KR1")["team"], "platform");
}

#[test]
fn copilot_users_report_feeds_acceptance() {
    let ds = dataset("copilot");
    // bobmartinez in Q2 (generated, accepted): 04-02 75/62, 04-05 68/42, 04-09 30/20,
    // 04-10 31/21, 04-11 73/54, 04-13 68/40, 04-14 40/27, 04-16 39/24, 04-25 25/19.
    let april = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    let bob = ds.events.ai_usage.iter().filter(|u| u.person == "bobmartinez" && u.date >= april);
    let (shown, accepted) = bob.fold((0.0, 0.0), |(s, a), u| (s + u.shown, a + u.accepted));
    assert_eq!((shown, accepted), (449.0, 309.0));
    // hubot and octocat on 04-25 are in both reports with the same numbers: read once
    let repeats = ds.events.ai_usage.iter().filter(|u| u.date.to_string() == "2026-04-25" && u.person == "octocat");
    assert_eq!(repeats.count(), 1);
    assert_eq!(ds.inputs.iter().find(|i| i.name == "copilot-users-1-day.ndjson").unwrap().rows, 1);

    let s = build_summary("tests/fixtures/presets/copilot", None);
    assert_eq!(s["quarter"], "2026-Q2");
    // Suggestions are inline code completions (totals_by_feature "code_completion"):
    // core = alicechen 626 of 883 + bobmartinez 309 of 449 (March days are Q1),
    // all of them completions.
    close(&signal(&s, "core", "ai_acceptance_rate")["value"], (626.0 + 309.0) / (883.0 + 449.0));
    // web: monalisa 0 of 23 completions (her other 126 generations and 40
    // acceptances are chat and agent), codertocat 0 of 2 (12 more in chat),
    // hubot only the CLI (25/24, no completion), octocat nothing.
    close(&signal(&s, "web", "ai_acceptance_rate")["value"], 0.0 / 25.0);
}

/// Loads `folder` with its Copilot import replaced by `file`, for the error.
fn copilot_import_error(file: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let from = root().join("tests/fixtures/presets/copilot-reports");
    for f in ["okrs.csv", "people.csv", file] {
        std::fs::copy(from.join(f), dir.path().join(f)).unwrap();
    }
    let toml = format!("[[imports]]\npreset = \"github-copilot-users-json\"\nfile = \"{file}\"\n");
    std::fs::write(dir.path().join("quarterdeck.toml"), toml).unwrap();
    let config = Config::load(dir.path()).unwrap();
    quarterdeck::ingest::load(dir.path(), &config, None).err().unwrap().to_string()
}

#[test]
fn copilot_acceptance_is_the_completions_on_the_whole_real_report() {
    // GitHub's users-28-day mock report, whole, everyone in one team. Worked out
    // with jq (book, presets.md), over the report's April days (2026-Q2):
    //   [.day_totals[] | select(.day >= "2026-04-01")
    //    | (.totals_by_feature[]? | select(.feature == "code_completion"))]
    //   → accepted 989, shown 1551: 63.8%. Every feature together would be
    //   3482 / 4745 = 73.4%: chat and agent edits are not suggestions offered.
    let s = build_summary("tests/fixtures/presets/copilot-reports", None);
    assert_eq!(s["quarter"], "2026-Q2");
    let rate = signal(&s, "org", "ai_acceptance_rate");
    close(&rate["value"], 989.0 / 1551.0);
    assert_eq!(format!("{:.1}%", rate["value"].as_f64().unwrap() * 100.0), "63.8%");
}

#[test]
fn copilot_reports_without_people_are_named_with_the_report_to_use() {
    let use_instead = "ai_usage.csv needs one row per person and day: import the per-user report instead \
                       (users-28-day or users-1-day: GET /orgs/ORG/copilot/metrics/reports/users-28-day/latest, \
                       saved as organization-users-28-day-report.json)";
    assert_eq!(
        copilot_import_error("organization-1-day-report.json"),
        format!(
            "organization-1-day-report.json: is GitHub Copilot's organisation-level usage report (one record per day \
             for the whole organisation, no user_login); {use_instead}"
        )
    );
    assert_eq!(
        copilot_import_error("organization_seats_response_sample.json"),
        format!(
            "organization_seats_response_sample.json: is the Copilot seats list (GET /orgs/ORG/copilot/billing/seats: \
             who holds a seat and when they were last active, no daily counts); {use_instead}"
        )
    );
}

#[test]
fn okr_key_results_export_becomes_key_results() {
    let ds = dataset("okr");
    let ids: Vec<(&str, &str, &str)> =
        ds.krs.iter().map(|k| (k.team.as_str(), k.objective_id.as_str(), k.id.as_str())).collect();
    assert_eq!(
        ids,
        [
            ("produkt", "O1", "O1-KR1"),
            ("produkt", "O1", "O1-KR2"),
            ("produkt", "O1", "O1-KR3"),
            ("plattform", "O2", "O2-KR1"),
            ("plattform", "O2", "O2-KR2")
        ]
    );
    // the multi-line key result on lines 5–6 keeps its line; later rows stay right
    assert_eq!(ds.krs.iter().map(|k| k.line).collect::<Vec<_>>(), [3, 4, 5, 7, 8]);
    assert_eq!(ds.krs[1].baseline, Some(14.5));
    assert_eq!(ds.krs[2].due.to_string(), "2026-09-15");
    // [values.initiatives]: Ferdig, Pågår, Idé
    let statuses: Vec<_> = ds.initiatives.iter().map(|i| i.status).collect();
    assert_eq!(statuses, [InitiativeStatus::Done, InitiativeStatus::Doing, InitiativeStatus::Idea]);

    let s = build_summary("tests/fixtures/presets/okr", None);
    // O1-KR1 0 → 100, last check-in 88: 0.88. O1-KR2 14,5 → 7, last 10.2:
    // (10.2 − 14.5) / (7 − 14.5) = 4.3 / 7.5 = 0.573 → 0.57. O1-KR3 milestone 60%.
    close(&kr(&s, "O1-KR1")["score"], 0.88);
    close(&kr(&s, "O1-KR2")["score"], 0.57);
    close(&kr(&s, "O1-KR3")["score"], 0.6);
    // O2-KR1 6 → 2, last 4: 0.5. O2-KR2 99,2 → 99,9, last 99.6: 0.4 / 0.7 = 0.571 → 0.57.
    close(&kr(&s, "O2-KR1")["score"], 0.5);
    close(&kr(&s, "O2-KR2")["score"], 0.57);
    let objective = |id: &str| s["objectives"].as_array().unwrap().iter().find(|o| o["objective_id"] == id).unwrap();
    // O1 = (0.88 + 0.57 + 0.6) / 3 = 0.683 → 0.68; O2 = (0.5 + 0.57) / 2 = 0.535 → 0.54
    close(&objective("O1")["score"], 0.68);
    close(&objective("O2")["score"], 0.54);
    // "Av sporet" maps to off track = 2, at or below 4: risk surfaced on 07-13.
    assert_eq!(kr(&s, "O2-KR1")["risk_surfaced"], "2026-07-13");
    assert_eq!(kr(&s, "O1-KR2")["risk_surfaced"], Value::Null, "I fare = at risk = 5 is not ≤ 4");
}

#[test]
fn okr_outline_rows_become_key_results_under_their_objectives() {
    let ds = dataset("okr-outline");
    // Rows 1, 2 and 6 have no start or target value: objectives (1 is Acme's,
    // with no key result of its own, so no row of okrs). The others are key
    // results under the objective their Parent names.
    let krs: Vec<(&str, &str, &str, &str)> =
        ds.krs.iter().map(|k| (k.id.as_str(), k.objective_id.as_str(), k.team.as_str(), k.owner.as_str())).collect();
    assert_eq!(
        krs,
        [
            ("3", "2", "Payments", "ana@acme.test"),
            // two owners on two lines of one cell: the first
            ("4", "2", "Payments", "bo@acme.test"),
            // Entity "Individual": the objective's team; no owner: unassigned
            ("5", "2", "Payments", "unassigned"),
            ("7", "6", "Platform", "dan@acme.test"),
            ("8", "6", "Platform", "eve@acme.test"),
        ]
    );
    // row 4 spans lines 5–6, so row 5 is on line 7
    assert_eq!(ds.krs.iter().map(|k| k.line).collect::<Vec<_>>(), [4, 5, 7, 9, 10]);
    assert_eq!(ds.krs[2].due.to_string(), "2026-09-15");
    assert_eq!(
        ds.objectives.iter().map(|o| o.title.as_str()).collect::<Vec<_>>(),
        ["Make checkout feel instant", "Calmer on-call"]
    );
    // Current Value → one check-in each, dated on Last Check-in Date, else as_of
    let checkins: Vec<(&str, String, Option<f64>, u64)> =
        ds.checkins.iter().map(|c| (c.kr_id.as_str(), c.date.to_string(), c.value, c.line)).collect();
    assert_eq!(
        checkins,
        [
            ("3", "2026-08-28".into(), Some(610.0), 4),
            ("4", "2026-08-21".into(), Some(38.0), 5),
            ("5", "2026-08-31".into(), Some(3.1), 7),
            ("7", "2026-08-30".into(), Some(8.8), 9),
        ]
    );

    let s = build_summary("tests/fixtures/presets/okr-outline", None);
    assert_eq!(s["quarter"], "2026-Q3");
    // 3: 900 → 400, reported 610: (610 − 900) / (400 − 900) = 290 / 500 = 0.58
    // 4: 20 → 45, reported 38: 18 / 25 = 0.72
    // 5: 4 → 2, reported 3.1: 0.9 / 2 = 0.45
    // 7: 12 → 4, reported 8.8: 3.2 / 8 = 0.4; 8 has no value: 0
    for (id, score) in [("3", 0.58), ("4", 0.72), ("5", 0.45), ("7", 0.4), ("8", 0.0)] {
        close(&kr(&s, id)["score"], score);
    }
    close(&kr(&s, "3")["value_reported"], 610.0);
    let objective = |id: &str| s["objectives"].as_array().unwrap().iter().find(|o| o["objective_id"] == id).unwrap();
    // 2 = (0.58 + 0.72 + 0.45) / 3 = 0.5833 → 0.58; 6 = (0.4 + 0) / 2 = 0.2; org (0.58 + 0.2) / 2 = 0.39
    close(&objective("2")["score"], 0.58);
    close(&objective("6")["score"], 0.2);
    close(&s["org"]["score"], 0.39);
    let findings = s["findings"].as_array().unwrap();
    let owner: Vec<&Value> = findings.iter().filter(|f| f["kind"] == "missing_owner").collect();
    assert_eq!(owner.len(), 1, "{owner:?}");
    assert_eq!((&owner[0]["kr_id"], &owner[0]["severity"]), (&"5".into(), &"warning".into()));
    assert_eq!(
        owner[0]["message"],
        "no owner: the export names nobody (read as \u{201c}unassigned\u{201d}); who is the one person this key result needs?"
    );
    assert!(findings.iter().any(|f| f["kind"] == "unmeasured" && f["kr_id"] == "8"));

    // For managers: a page per owner, none for "unassigned"
    let (_dir, site) = common::build_for("tests/fixtures/presets/okr-outline", quarterdeck::Audience::Manager);
    let people = std::fs::read_to_string(site.join("people.html")).unwrap();
    assert!(people.contains("ana@acme.test") && !people.contains("unassigned"), "{people}");
}

#[test]
fn okr_tracker_documents_become_key_results_and_their_progress_check_ins() {
    let ds = dataset("okr-tracker");
    // Three key results in three folders; the latest quarter is testOrg's
    // period1, "Q4 2020", 2020-10-01 to 2020-12-30.
    assert_eq!(ds.quarter.to_string(), "2020-Q4");
    assert_eq!(ds.krs.len(), 1);
    let k = &ds.krs[0];
    assert_eq!(
        (k.id.as_str(), k.team.as_str(), k.objective_id.as_str(), k.owner.as_str()),
        ("testOrg.period1.objective1.keyres2", "testOrg", "testOrg.period1.objective1", "unassigned")
    );
    assert_eq!(
        (k.text.as_str(), k.unit.as_deref(), k.baseline, k.target),
        ("TestNøkkelresultat", Some("prosent"), Some(0.0), Some(100.0))
    );
    assert_eq!(k.due.to_string(), "2020-12-30");
    // no period1_objective1.json beside it: the objective is named by its key
    assert_eq!(ds.objectives[0].title, "objective1");
    // progress [85 on 10-03, 88 on 10-01] → two check-ins with their comments
    let checkins: Vec<(String, Option<f64>, Option<&str>)> =
        ds.checkins.iter().map(|c| (c.date.to_string(), c.value, c.note.as_deref())).collect();
    assert_eq!(
        checkins,
        [
            ("2020-10-01".into(), Some(88.0), Some("Dette er en kommentar")),
            ("2020-10-03".into(), Some(85.0), Some("Dette er en kommentar"))
        ]
    );
    // Seven documents are read and listed, each with its rows (kpis.json is in
    // no objectives/ folder; testDepartment2's testProduct has an objective
    // and no key result).
    let read: Vec<&str> = ds.inputs.iter().map(|i| i.name.as_str()).filter(|n| n.ends_with(".json")).collect();
    assert_eq!(read.len(), 7, "{read:?}");

    // testProduct's period is named "Q1 2020" but runs 2020-07-01 to 09-30:
    // the dates decide. Its 88 of 2020-10-01 is after due and does not count.
    let dir = root().join("tests/fixtures/presets/okr-tracker");
    let config = Config::load(&dir).unwrap();
    let q3 = quarterdeck::ingest::load(&dir, &config, quarterdeck::model::Quarter::parse("2020-Q3")).unwrap();
    assert_eq!(q3.krs[0].id, "testProduct.period1.objective1.keyres1");

    // Last check-in by date: 85 of 0 → 100 is 0.85 (2020-Q4); 25 (2020-Q3, the
    // October 88 is after due); 25 on 2019-10-03 after 88 on 10-01 (2019-Q4).
    close(
        &kr(&build_summary("tests/fixtures/presets/okr-tracker", None), "testOrg.period1.objective1.keyres2")["score"],
        0.85,
    );
    close(
        &kr(
            &build_summary("tests/fixtures/presets/okr-tracker", Some("2020-Q3")),
            "testProduct.period1.objective1.keyres1",
        )["score"],
        0.25,
    );
    let q4_2019 = build_summary("tests/fixtures/presets/okr-tracker", Some("2019-Q4"));
    close(&kr(&q4_2019, "testDepartment2.period2.objective1.keyres1")["score"], 0.25);
    let owner = q4_2019["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "missing_owner").count();
    assert_eq!(owner, 1);
}
