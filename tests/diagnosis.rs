//! Diagnosis (SPEC §7): calibration, the causes of each miss, and who waited
//! on whom, on two hand-made folders. Every expected figure below is worked
//! out by hand from the folders' CSV files (the arithmetic is in the
//! comments), never taken from the tool's output.

mod common;

use common::{build_summary, close};
use serde_json::Value;

/// The entry of `list` whose `key` is `id`.
fn entry<'a>(s: &'a Value, list: &str, key: &str, id: &str) -> &'a Value {
    let rows = s[list].as_array().unwrap_or_else(|| panic!("summary.json has no {list}"));
    rows.iter().find(|r| r[key] == id).unwrap_or_else(|| panic!("no {list} entry with {key} = {id}"))
}

/// The causes of a missed key result, in order, each with its checks.
fn causes(s: &Value, kr_id: &str) -> Vec<(String, Vec<String>)> {
    let m = entry(s, "misses", "kr_id", kr_id);
    m["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let checks = c["evidence"].as_array().unwrap().iter().map(|e| e["check"].as_str().unwrap().to_string());
            (c["cause"].as_str().unwrap().to_string(), checks.collect())
        })
        .collect()
}

fn cause_list(list: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    list.iter().map(|(c, checks)| (c.to_string(), checks.iter().map(|x| x.to_string()).collect())).collect()
}

fn unexplained(s: &Value, kr_id: &str) -> bool {
    let m = entry(s, "misses", "kr_id", kr_id);
    m["unexplained"] == true && m["causes"].as_array().unwrap().is_empty()
}

/// The evidence of one check of one miss.
fn evidence<'a>(s: &'a Value, kr_id: &str, check: &str) -> &'a Value {
    let m = entry(s, "misses", "kr_id", kr_id);
    let all = m["causes"].as_array().unwrap().iter().flat_map(|c| c["evidence"].as_array().unwrap());
    all.into_iter().find(|e| e["check"] == check).unwrap_or_else(|| panic!("{kr_id} has no {check} evidence"))
}

fn findings_of(s: &Value, kind: &str) -> Vec<String> {
    let all = s["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == kind);
    let mut out: Vec<String> = all.map(|f| f["kr_id"].as_str().unwrap().to_string()).collect();
    out.sort();
    out
}

#[test]
fn brier_scores_of_three_key_results_by_hand() {
    let s = build_summary("tests/fixtures/calibration", None);
    // C1 ends at 0.9 (green: o = 1); C2 at 0.5 (o = 0); C3 at 0.9 but its
    // objective is committed, so below 1.0 it did not end green (o = 0).
    // Counted confidences (C1's check-in without one and its 08-05 one after
    // due do not count): C1 6, 70% = 7, 0.9 = 9; C2 on track = 8, 5, 30% = 3;
    // C3 7, 8, 0.8 = 8. p = c / 10.
    // (p − o)²: C1 0.16, 0.09, 0.01 (sum 0.26); C2 0.64, 0.25, 0.09 (0.98);
    // C3 0.49, 0.64, 0.64 (1.77).
    let alpha = entry(&s, "calibration", "team", "alpha");
    close(&alpha["brier"], (0.26 + 0.98) / 6.0); // 0.2067
    close(&alpha["brier_last"], (0.01 + 0.09) / 2.0); // last forecasts 0.9 and 0.3
    assert_eq!((alpha["checkins"].as_u64(), alpha["krs"].as_u64()), (Some(6), Some(2)));
    // mean p = (0.6 + 0.7 + 0.9 + 0.8 + 0.5 + 0.3) / 6 = 3.8 / 6; mean o = 3 / 6
    close(&alpha["overconfidence"], 3.8 / 6.0 - 0.5);
    let beta = entry(&s, "calibration", "team", "beta");
    close(&beta["brier"], 1.77 / 3.0); // 0.59
    close(&beta["brier_last"], 0.64);
    close(&beta["overconfidence"], 2.3 / 3.0); // mean p 0.7667, mean o 0
                                               // gamma's key result has no confidence: no figures
    let gamma = entry(&s, "calibration", "team", "gamma");
    assert_eq!(gamma["checkins"], 0);
    assert!(gamma["brier"].is_null() && gamma["brier_last"].is_null() && gamma["overconfidence"].is_null());
    // the org: 9 forecasts of 3 key results
    let org = &s["org"]["calibration"];
    close(&org["brier"], 3.01 / 9.0); // 0.3344
    close(&org["brier_last"], 0.74 / 3.0); // (0.01 + 0.09 + 0.64) / 3
    close(&org["overconfidence"], 6.1 / 9.0 - 3.0 / 9.0); // 0.3111
    assert_eq!(org["checkins"], 9);
}

#[test]
fn reliability_bins_count_confidences_by_band() {
    let s = build_summary("tests/fixtures/calibration", None);
    // confidences 6, 7, 9 (green) and 8, 5, 3, 7, 8, 8 (not green):
    // 0–2: none; 3–4: the 3; 5–6: 6 (green) and 5; 7–8: 7 (green), 8, 7, 8, 8; 9–10: 9 (green)
    let bins: Vec<(String, u64, u64)> = s["reliability"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["band"].as_str().unwrap().to_string(),
                b["checkins"].as_u64().unwrap(),
                b["ended_green"].as_u64().unwrap(),
            )
        })
        .collect();
    let want = [("0–2", 0, 0), ("3–4", 1, 0), ("5–6", 2, 1), ("7–8", 5, 1), ("9–10", 1, 1)];
    assert_eq!(bins, want.map(|(b, n, g)| (b.to_string(), n, g)).to_vec());
    let share = |i: usize| s["reliability"][i]["share_green"].clone();
    assert!(share(0).is_null());
    close(&share(2), 0.5);
    close(&share(3), 0.2);
    close(&s["reliability"][3]["mean_forecast"], (0.7 + 0.8 + 0.7 + 0.8 + 0.8) / 5.0);
}

fn diagnosis() -> Value {
    build_summary("tests/fixtures/diagnosis", None)
}

#[test]
fn rhythm_from_both_sides_of_each_threshold() {
    let s = diagnosis();
    let rhythm = |checks: &[&str]| cause_list(&[("rhythm", checks)]);
    // ST15: 07-01, 07-16, 07-30 = due: a 15-day gap is stale; U1's 14-day gaps are not.
    assert_eq!(causes(&s, "ST15"), rhythm(&["stale"]));
    assert_eq!(evidence(&s, "ST15", "stale")["days"], 15);
    assert!(unexplained(&s, "U1"));
    // RL20: first confidence 4 on 07-09, 20 days before due 07-29: late.
    // RL21: on 07-08, 21 days before: early enough.
    assert_eq!(causes(&s, "RL20"), rhythm(&["risk_raised_late"]));
    assert_eq!(evidence(&s, "RL20", "risk_raised_late")["days_before_due"], 20);
    assert!(unexplained(&s, "RL21"));
    // NEVER: confidences 5, 5, 5, 5 — the risk was never raised.
    assert_eq!(causes(&s, "NEVER"), rhythm(&["risk_never_raised"]));
    assert_eq!(evidence(&s, "NEVER", "risk_never_raised")["checkins"], 4);
    // SUR7 ends at 0.3 with a last confidence of 7: a surprise; SUR6's last is 6.
    assert_eq!(causes(&s, "SUR7"), rhythm(&["surprise_miss"]));
    assert!(unexplained(&s, "SUR6"));
}

#[test]
fn delivery_from_both_sides_of_each_threshold() {
    let s = diagnosis();
    // steady, first 28 days (07-01…07-28) against the 28 days to due (09-03…09-30):
    // cycle 24 h → 28.8 h (1 → 1.2 days, +20%), review 10 → 12 h (+20%),
    // merged PRs 15 → 12 (3.75 → 3 a week, −20%), failed deploys 1/20 → 2/20
    // (5% → 10%, +5 pts): all at the limit, none beyond it.
    assert!(unexplained(&s, "STEADY"));
    // slowing: 24 → 30 h (+25%), 10 → 12.5 h (+25%), 14 → 10 PRs (3.5 → 2.5, −28.6%),
    // 1/50 → 4/50 (2% → 8%, +6 pts): every flow signal is a delivery cause.
    let checks = ["flow", "flow", "flow", "flow"];
    assert_eq!(causes(&s, "SLOW"), cause_list(&[("delivery", &checks)]));
    let flow: Vec<&Value> =
        entry(&s, "misses", "kr_id", "SLOW")["causes"][0]["evidence"].as_array().unwrap().iter().collect();
    let metrics: Vec<&str> = flow.iter().map(|e| e["metric"].as_str().unwrap()).collect();
    assert_eq!(metrics, ["cycle_time_days", "review_time_hours", "pr_throughput", "change_failure_rate"]);
    close(&flow[0]["first"], 1.0);
    close(&flow[0]["last"], 1.25);
    close(&flow[0]["change"], 0.25);
    assert_eq!((flow[0]["first_n"].as_u64(), flow[0]["last_n"].as_u64()), (Some(14), Some(10)));
    close(&flow[2]["change"], (2.5 - 3.5) / 3.5);
    close(&flow[3]["change"], 6.0);
    assert_eq!(flow[3]["change_unit"], "points");
    assert_eq!(flow[0]["against"], "first_28_days");
    assert_eq!(
        flow[3]["message"],
        "Change failure rate of the team rose by 6.0 pts, from 2.0% (the quarter's first 28 days, n = 50) \
         to 8.0% (the 28 days to due, n = 50)"
    );
    // sparse: cycle time doubles, but its first side has 9 merged PRs (10 needed).
    assert!(unexplained(&s, "SPARSE"));
    // health3's on-call load is red 08-07, 08-14, 08-21 (3 weeks); health2's 2 weeks.
    assert!(unexplained(&s, "H2"));
    let h3 = evidence(&s, "H3", "health_red");
    assert_eq!((h3["weeks"].as_u64(), h3["from"].as_str()), (Some(3), Some("2026-08-03")));
}

#[test]
fn strategy_from_both_sides_of_each_threshold() {
    let s = diagnosis();
    let strategy = |checks: &[&str]| cause_list(&[("strategy", checks)]);
    // RG16: reported 66 (0.66) against measured 50 (0.50): 0.16 over 0.15.
    assert_eq!(causes(&s, "RG16"), strategy(&["reported_not_measured"]));
    // RG15: 0.65 against 0.50 is 0.15, not over; RLOW's check-ins (40) are below the data (60).
    assert!(unexplained(&s, "RG15"));
    assert!(unexplained(&s, "RLOW"));
    // IN1: median 50 before, 51 after its initiative: +2%, within the 2% noise: no change.
    assert_eq!(causes(&s, "IN1"), strategy(&["initiative_without_effect"]));
    assert_eq!(evidence(&s, "IN1", "initiative_without_effect")["verdict"], "no change");
    // IN3: 50 → 47 is worse; IN4: 50 → 51.5 (+3%) is better, not a cause.
    assert_eq!(evidence(&s, "IN3", "initiative_without_effect")["verdict"], "worse");
    assert!(unexplained(&s, "IN4"));
}

#[test]
fn a_miss_can_have_two_causes_and_each_raises_its_finding() {
    let s = diagnosis();
    // H3: a 15-day gap (08-12 to 08-27) and three red weeks.
    assert_eq!(causes(&s, "H3"), cause_list(&[("rhythm", &["stale"]), ("delivery", &["health_red"])]));
    assert_eq!(findings_of(&s, "miss_rhythm"), ["H3", "NEVER", "RL20", "ST15", "SUR7"]);
    assert_eq!(findings_of(&s, "miss_delivery"), ["H3", "SLOW"]);
    assert_eq!(findings_of(&s, "miss_strategy"), ["IN1", "IN3", "RG16"]);
    let f =
        s["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "miss_delivery" && f["kr_id"] == "H3").unwrap();
    assert_eq!(
        f["message"],
        "missed (score 0.50): team health \u{201c}on-call load\u{201d} was red for 3 consecutive weeks \
         (weeks of 2026-08-03 to 2026-08-17)"
    );
    // every key result of the folder missed; nine have no cause
    let unexplained: Vec<&str> = s["misses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["unexplained"] == true)
        .map(|m| m["kr_id"].as_str().unwrap())
        .collect();
    assert_eq!(unexplained, ["H2", "IN4", "RG15", "RL21", "RLOW", "SPARSE", "STEADY", "SUR6", "U1"]);
}

#[test]
fn blockers_naming_a_team_become_dependencies() {
    let s = diagnosis();
    let deps = s["dependencies"].as_array().unwrap();
    assert_eq!(deps.len(), 2, "{deps:?}");
    // U1: "the build crew" (an alias of slowing) on 07-01, week of 06-29, and
    // "SLOWING SQUAD" (its name, in capitals) in a decision on 07-15, week of 07-13.
    let u1 = entry(&s, "dependencies", "kr_id", "U1");
    assert_eq!((u1["from_team"].as_str(), u1["to_team"].as_str()), (Some("rhythm"), Some("slowing")));
    assert_eq!(
        (u1["weeks"].as_u64(), u1["first"].as_str(), u1["last"].as_str()),
        (Some(2), Some("2026-07-01"), Some("2026-07-15"))
    );
    assert_eq!(u1["latest"], "Ask SLOWING SQUAD to lend a reviewer");
    // NEVER names strategy on 07-15 and 07-16 (one ISO week) and 07-29: two weeks.
    let never = entry(&s, "dependencies", "kr_id", "NEVER");
    assert_eq!((never["to_team"].as_str(), never["weeks"].as_u64()), (Some("strategy"), Some(2)));
    // No dependency from "Vendor contract not signed" (no team), from ST15's
    // "rhythm team short-staffed" (its own team) or "strategyless" (not the word).
    let edges = s["dependency_edges"].as_array().unwrap();
    assert_eq!(edges.len(), 2);
    assert_eq!((edges[0]["to_team"].as_str(), edges[0]["weeks"].as_u64()), (Some("slowing"), Some(2)));
}

#[test]
fn a_blocker_in_three_weeks_recurs_and_in_two_does_not() {
    let s = diagnosis();
    // steady: "Flaky integration tests" on 07-15, 07-29 and 08-12, spelt three
    // ways (case, double space, trailing space). NEVER's "Waiting on strategy"
    // is in 3 check-ins but 2 weeks; slowing's "Waiting on legal" in 2.
    let recurring = s["recurring_blockers"].as_array().unwrap();
    assert_eq!(recurring.len(), 1, "{recurring:?}");
    let r = &recurring[0];
    assert_eq!((r["team"].as_str(), r["text"].as_str()), (Some("steady"), Some("Flaky integration tests")));
    assert_eq!(
        (r["weeks"].as_u64(), r["first"].as_str(), r["last"].as_str()),
        (Some(3), Some("2026-07-15"), Some("2026-08-12"))
    );
}

#[test]
fn a_teams_table_must_name_a_team_of_okrs_csv() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["okrs.csv", "checkins.csv"] {
        std::fs::copy(common::root().join("tests/fixtures/calibration").join(file), dir.path().join(file)).unwrap();
    }
    let build = |toml: &str| {
        std::fs::write(dir.path().join("quarterdeck.toml"), toml).unwrap();
        let opts = quarterdeck::BuildOptions {
            data_dir: dir.path().to_path_buf(),
            out: Some(dir.path().join("site")),
            quarter: None,
            as_of: None,
            audience: quarterdeck::Audience::Leadership,
            paper: None,
            brief_team: None,
            brief_group: None,
        };
        quarterdeck::build(&opts, &|_| {}).map(|_| ()).map_err(|e| (e.to_string(), e.exit_code()))
    };
    let (message, code) =
        build("org = \"A\"\n\n[teams.alpha]\nname = \"Alpha\"\n[teams.delta]\nname = \"Delta\"\n").unwrap_err();
    assert_eq!(
        message,
        "quarterdeck.toml line 5: [teams.delta] names no team of okrs.csv; expected one of: alpha, beta, gamma"
    );
    assert_eq!(code, 2);
    let (message, _) = build("[teams.alpha]\naliases = [\"Beta\"]\n").unwrap_err();
    assert_eq!(
        message,
        "quarterdeck.toml line 2: [teams.alpha] aliases \"Beta\" is the id of team beta: give each team its own names"
    );
    assert!(build("[teams.alpha]\nname = \"Alpha squad\"\naliases = [\"the A team\"]\n").is_ok());
}

#[test]
fn the_pages_group_misses_by_cause_and_name_teams_not_authors() {
    let dir = tempfile::tempdir().unwrap();
    let site = common::build_into("tests/fixtures/diagnosis", None, &dir.path().join("site"));
    let page = |p: &str| std::fs::read_to_string(site.join(p)).unwrap();
    let deps = page("dependencies.html");
    // the map and the table name teams by their display names
    assert!(deps.contains("rhythm waited on Slowing Squad in 2 weeks; rhythm waited on strategy in 2 weeks"), "map");
    // (Tera writes a link's `/` as `&#x2F;`)
    assert!(deps.contains("Slowing Squad</a></td><td><a href=\"krs&#x2F;u1.html\">U1</a></td><td class=\"num\">2</td>"));
    assert!(deps.contains("<td>Flaky integration tests</td><td class=\"num\">3</td>"), "recurring blocker");
    assert!(!deps.contains("someone"), "the check-ins' author is on the dependencies page");
    // the rhythm team: its misses under each cause, then the unexplained ones
    let rhythm = page("teams/rhythm.html");
    let at = |h: &str| rhythm.find(h).unwrap_or_else(|| panic!("no {h} on the team page"));
    assert!(at("id=\"why-rhythm\"") < at("id=\"why-unexplained\""));
    assert!(!rhythm.contains("id=\"why-delivery\"") && !rhythm.contains("id=\"why-strategy\""));
    assert!(rhythm.contains("risk was first raised on 2026-07-09, 20 days before due (early is 21 days or more)"));
    // every one missed (o = 0): Σp² = U1 0.34 + ST15 0.34 + RL21 0.59 + RL20 0.59
    // + NEVER 1.00 + SUR7 1.01 + SUR6 0.88 = 4.75 over 24 check-ins = 0.198
    assert!(rhythm.contains("Brier score 0.20 over 24 check-ins of 7 key results"));
    // health3: H3 under both of its causes
    let h3 = page("teams/health3.html");
    assert!(h3.contains("id=\"why-rhythm\"") && h3.contains("id=\"why-delivery\""));
    // the KR page chips its causes; the methodology prints the rules
    assert!(page("krs/h3.html").contains("missed: delivery"));
    assert!(page("methodology.html").contains("<code>[thresholds] delivery_change</code>"));
}
