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

/// The part of `html` from the element with `id` to the end of its section.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
    let end = html[at..].find("</section>").map_or(html.len(), |e| at + e);
    &html[at..end]
}

/// The panel of `team` in a signal's section: its caption and its SVG.
fn panel<'a>(section: &'a str, team: &str) -> &'a str {
    let caption = section
        .find(&format!(">{team}</a>"))
        .or_else(|| section.find(&format!("<figcaption>{team} ")))
        .unwrap_or_else(|| panic!("no panel of {team}"));
    let start = section[..caption].rfind("<figure").unwrap();
    let end = caption + section[caption..].find("</figure>").unwrap();
    &section[start..end]
}

/// The texts drawn in a chart, trimmed.
fn texts(svg: &str) -> Vec<&str> {
    svg.split("<text").skip(1).map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim()).collect()
}

/// The text description of a panel's chart.
fn desc(panel: &str) -> &str {
    let at = panel.find("<desc").unwrap();
    let start = at + panel[at..].find('>').unwrap() + 1;
    &panel[start..start + panel[start..].find("</desc>").unwrap()]
}

/// The signals fixture with a pull request of gamma, a team without key results.
fn signals_with_gamma(dir: &std::path::Path) -> std::path::PathBuf {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for (name, bytes) in common::tree(&root().join("tests/fixtures/signals")) {
        std::fs::write(data.join(name), bytes).unwrap();
    }
    let prs = std::fs::read_to_string(data.join("prs.csv")).unwrap();
    // merged Wednesday 09-02: 2 days, in the week of 08-31
    let gamma = "PG,gamma,gil,2026-08-31T00:00:00Z,,2026-09-02T00:00:00Z,1,1,false,false\n";
    std::fs::write(data.join("prs.csv"), prs + gamma).unwrap();
    data
}

#[test]
fn each_signal_is_a_figure_of_team_panels_on_one_scale_from_zero() {
    let dir = tempfile::tempdir().unwrap();
    let data = signals_with_gamma(dir.path());
    // the fixture's exports stop in September: the whole quarter is asked for
    let site = common::build_into_as_of(data.to_str().unwrap(), "2026-09-30", &dir.path().join("site"));
    let page = std::fs::read_to_string(site.join("signals.html")).unwrap();

    // PR cycle time. The weeks shown run from the Monday of the quarter's first
    // week (06-29) to the last complete one of prs.csv, whose last merge is
    // 09-22 (P9): the week of 09-14 (09-14 + 6 = 09-20 ≤ 09-22), 12 weeks.
    // alpha: 06-29 P6 10 days; 08-31 P1 47 h and P2 4 days, median 2.979;
    // 09-07 P3 1 and P4 3, median 2; every other week has no merge: a gap.
    let cycle = section(&page, "sig-cycle_time_days");
    let alpha = desc(panel(cycle, "alpha"));
    assert!(
        alpha.starts_with("PR cycle time of alpha by ISO week, dated by its Monday: Jun 29 10.0, Jul 6 no events,"),
        "{alpha}"
    );
    assert!(alpha.contains("Aug 24 no events, Aug 31 3.0, Sep 7 2.0, Sep 14 no events;"), "{alpha}");
    assert_eq!(alpha.matches(", ").count() + 1, 12 + 1, "12 weeks and the org: {alpha}");
    // one dot per week with a value; the line joins only 08-31 and 09-07
    assert_eq!(panel(cycle, "alpha").matches("<circle").count(), 3);
    // one scale for every team: alpha's 10 days sets it, 0 to 10 in steps of 5,
    // on beta's panel too (beta's one merge, P7, took a day)
    assert_eq!(texts(panel(cycle, "beta"))[..3], ["0", "5", "10"]);
    // the org's quarter value (median of 1, 1, 1, 1.958, 2, 2, 3, 4 with gamma's
    // 2 days: 1.979 days) is the dashed line and the figure's caption
    assert!(alpha.ends_with("the organisation: 2.0"), "{alpha}");
    assert!(cycle.contains("organisation 2.0 days"));
    // teams with key results first, then gamma under its own heading
    let (a, b, g) = (
        cycle.find(">alpha</a>").unwrap(),
        cycle.find(">beta</a>").unwrap(),
        cycle.find("<figcaption>gamma ").unwrap(),
    );
    assert!(a < b && b < g && cycle[b..g].contains("Teams without key results this quarter"));

    // Deployments per week, a count: a week without deployments is 0 for
    // alpha, which deployed in the quarter. deployments.csv ends 09-08, so
    // the last complete week is 08-31: 10 weeks, 1 in 06-29 (D4), 2 in 08-31
    // (D1, D3 at Sunday 23:00 UTC). The org deployed 3 times in the quarter
    // (D1-D3) over 92 / 7 weeks: 0.228 per week, one team: 0.23 per team.
    let deploys = section(&page, "sig-deploy_frequency");
    let alpha = desc(panel(deploys, "alpha"));
    assert!(alpha.contains("Jun 29 1.0, Jul 6 0.00, Jul 13 0.00,"), "{alpha}");
    assert!(alpha.contains("Aug 24 0.00, Aug 31 2.0;") && !alpha.contains("no events"), "{alpha}");
    assert!(deploys.contains("organisation 0.23 per week, 0.23 per team"), "{deploys}");

    // Time to restore: no incident resolved from 07-06 to 08-30 is a gap, not
    // a line: 06-29 I4 6 h, 08-31 I1 2 h (I2 resolved 09-10, past the last
    // complete week of incidents.csv, 08-31). The axis, 0 to 6 h in steps
    // of 2, shows the elite cut point (1 h) and not the high one (24 h).
    let restore = panel(section(&page, "sig-mttr_hours"), "alpha");
    assert!(desc(restore).contains("Jun 29 6.0, Jul 6 no events,"), "{}", desc(restore));
    // its last week, 08-31, starts in August: no September label
    assert_eq!(texts(restore), ["0", "2", "4", "6", "Jul", "Aug", "elite"]);

    // Change failure rate, a share, in %: alpha's weeks are 0 of 1 and 0 of 2,
    // the org's 1 failed of 3 (33.3%); the axis to 40% takes the cut points
    // 15%, 20% and 30% below it.
    let cfr = section(&page, "sig-change_failure_rate");
    assert!(cfr.contains("organisation 33.3%"), "{cfr}");
    assert_eq!(texts(panel(cfr, "alpha"))[..5], ["0%", "10%", "20%", "30%", "40%"]);
}

#[test]
fn a_signal_whose_column_the_export_lacks_is_not_shown_and_methodology_says_why() {
    // The Jenkins export has no first-review, rework or AI column, and no
    // deployments, incidents or AI usage: only cycle time and throughput show.
    let dir = tempfile::tempdir().unwrap();
    let site = common::build_into("tests/fixtures/jenkins", None, &dir.path().join("site"));
    let read = |p: &str| std::fs::read_to_string(site.join(p)).unwrap();
    let page = read("signals.html");
    let shown: Vec<&str> = page
        .match_indices("class=\"signal-figure\" id=\"sig-")
        .map(|(i, _)| &page[i + "class=\"signal-figure\" id=\"sig-".len()..])
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(shown, ["cycle_time_days", "pr_throughput"]);
    for absent in ["Rework rate", "AI-assisted share", "Time to first review"] {
        assert!(!page.contains(absent), "signals.html shows {absent}");
        assert!(!read("index.html").contains(absent), "index.html shows {absent}");
    }
    let method = read("methodology.html");
    let why = &method[method.find("id=\"signals-not-shown\"").expect("methodology names what is not shown")..];
    let why = &why[..why.find("</p>").unwrap()];
    assert!(
        why.contains("<strong>Rework rate</strong> (needs a rework flag on merged pull requests (prs.csv, rework))"),
        "{why}"
    );
    assert!(
        why.contains("Time to first review")
            && why.contains("Deployments per week")
            && why.contains("AI suggestion acceptance")
    );
    assert!(!why.contains("PR cycle time"));
}

/// An organisation of `teams` teams, the first `with_krs` with key results,
/// and pull requests: team t merges 10 opened 07-02 after c = t % 5 + 1 days
/// and 10 opened 09-20 after 2c days. Its health, checked each Monday from
/// 07-06 to 09-21: morale red the first three weeks for every seventh team
/// (else green), on-call amber on 07-13 for every team (else green).
fn org_with_prs(dir: &std::path::Path, teams: usize, with_krs: usize) -> std::path::PathBuf {
    let data = dir.join("org");
    std::fs::create_dir_all(&data).unwrap();
    let mut okrs = String::from("quarter,team,objective_id,objective,kr_id,key_result,owner,kind\n");
    let mut prs = String::from("pr_id,team,author,opened_at,merged_at\n");
    let mut health = String::from("date,team,health_metric,status\n");
    for t in 0..teams {
        for w in 0..12 {
            let monday = chrono::NaiveDate::from_ymd_opt(2026, 7, 6).unwrap() + chrono::Duration::weeks(w);
            let morale = if t % 7 == 0 && w < 3 { "red" } else { "green" };
            let oncall = if w == 1 { "amber" } else { "green" };
            health.push_str(&format!("{monday},team-{t:03},morale,{morale}\n{monday},team-{t:03},oncall,{oncall}\n"));
        }
        if t < with_krs {
            okrs.push_str(&format!("2026-Q3,team-{t:03},T{t},Ship,T{t}-KR,Ship it,owner-{t},milestone\n"));
        }
        let c = (t % 5 + 1) as i64;
        for i in 0..10 {
            let (open, late) = (
                chrono::NaiveDate::from_ymd_opt(2026, 7, 2).unwrap(),
                chrono::NaiveDate::from_ymd_opt(2026, 9, 20).unwrap(),
            );
            let at = |d: chrono::NaiveDate, days: i64| format!("{}T00:00:00Z", d + chrono::Duration::days(days));
            prs.push_str(&format!("A{t}-{i},team-{t:03},dev-{t},{},{}\n", at(open, 0), at(open, c)));
            prs.push_str(&format!("B{t}-{i},team-{t:03},dev-{t},{},{}\n", at(late, 0), at(late, 2 * c)));
        }
    }
    std::fs::write(data.join("okrs.csv"), okrs).unwrap();
    std::fs::write(data.join("prs.csv"), prs).unwrap();
    std::fs::write(data.join("health.csv"), health).unwrap();
    data
}

#[test]
fn past_30_teams_each_signal_has_a_page_with_a_table_of_teams_and_sparklines() {
    let dir = tempfile::tempdir().unwrap();
    let data = org_with_prs(dir.path(), 40, 35);
    let site = common::build_into(data.to_str().unwrap(), None, &dir.path().join("site"));
    let read = |p: &str| std::fs::read_to_string(site.join(p)).unwrap();
    // signals.html is an overview: the org's table, no panel, no team
    let overview = read("signals.html").replace("&#x2F;", "/");
    assert!(!overview.contains("class=\"panel\"") && !overview.contains("team-0"));
    assert!(
        overview.contains("href=\"signals/cycle_time_days.html\"")
            && overview.contains("href=\"signals/pr_throughput.html\"")
    );
    let pages: Vec<String> = common::tree(&site.join("signals")).into_iter().map(|(p, _)| p).collect();
    assert_eq!(pages, ["cycle_time_days.html", "pr_throughput.html"]);

    let page = read("signals/cycle_time_days.html");
    let rows: Vec<&str> = page.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 40);
    // teams with key results first (35, by name), then the five without
    assert!(rows[0].contains(">team-000</a>") && rows[34].contains(">team-034</a>"));
    assert!(rows[35].contains("team-035 <span class=\"muted\">no key results</span>"));
    // team-000, c = 1: ten PRs of 1 day, ten of 2: median (1 + 2) / 2 = 1.5
    // days of 20; its first 28 days 1.0 (n = 10), its last 28 days 2.0 (n = 10): +100%
    let cells: Vec<String> = rows[0]
        .split("<td")
        .skip(1)
        .map(|c| c[c.find('>').unwrap() + 1..].split("</td>").next().unwrap().to_string())
        .collect();
    assert_eq!(&cells[..5], ["1.5 days", "20", "1.0 days", "2.0 days", "+100%"]);
    // team-004, c = 5: 7.5 days, 5.0 → 10.0
    assert!(rows[4].contains(">7.5 days<") && rows[4].contains(">5.0 days<") && rows[4].contains(">10.0 days<"));
    assert_eq!(page.matches("<svg class=\"spark\"").count(), 40);
    assert!(page.contains("id=\"signal-table\" data-tools=\"signal-tools\"") && page.contains("table.sortable"));
    // the print document has every signal page
    assert!(read("print.html").contains("Signals by team"));
    // past 12 teams hygiene.html is a list of teams with their counts, each folded
    let hygiene = read("hygiene.html");
    assert_eq!(hygiene.matches("<details class=\"team-group\"").count(), 35);
    assert!(!hygiene.contains("<details class=\"team-group\" open"));
    // and health.html a table of teams, not a map of 80 rows: each week the
    // team's worst status, from the quarter's first week (06-29, unchecked)
    // to the last checked (09-21); the week of 09-28 is no empty column
    let health = read("health.html");
    assert!(!health.contains("<svg"));
    let head = &health[health.find("<table class=\"health-table\">").unwrap()..];
    let weeks: Vec<&str> = head[..head.find("</thead>").unwrap()]
        .split("<th scope=\"col\" class=\"hc\">")
        .skip(1)
        .map(|w| &w[..w.find('<').unwrap()])
        .collect();
    assert_eq!(weeks.len(), 13);
    assert_eq!((weeks[0], weeks[12]), ("Jun 29", "Sep 21"));
    let cells = |team: &str| -> String {
        let row = &health[health.find(&format!(">{team}</a></th>")).unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        row.split("<td class=\"hc hc-")
            .skip(1)
            .map(|c| c[c.find('>').unwrap() + 1..].chars().next().filter(|c| *c != '<').unwrap_or('.'))
            .collect()
    };
    // team-000: morale red 07-06 to 07-20 (red over on-call's amber on 07-13)
    assert_eq!(cells("team-000"), ".RRRGGGGGGGGG");
    assert_eq!(cells("team-001"), ".GAGGGGGGGGGG");
    assert_eq!(health.matches("<details class=\"team-group\">").count(), 40);
}
