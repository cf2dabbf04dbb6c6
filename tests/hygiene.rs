//! The OKR hygiene lint from both sides: which objective titles read as a
//! measured target and which do not, and pairs declared on one side only.

mod common;

use quarterdeck::finding::Finding;
use quarterdeck::score::hygiene::measured_target;
use std::path::Path;

/// Titles that read as a measured target, with the words that make them one.
const FIRE: &[(&str, &str)] = &[
    ("Reduce p95 latency to 200 ms", "to 200 ms"),
    ("99.9% uptime for every region", "99.9%"),
    ("Cut churn by 5%", "by 5%"),
    ("Grow active teams from 3 to 10", "from 3"),
    ("10x faster builds", "10x"),
    ("Onboard a new engineer in under 2 days", "under 2 days"),
    ("Reach 55% sign-up completion", "55%"),
    ("Keep p99 below 300ms", "below 300ms"),
    ("$2M of new ARR from self-serve", "$2m"),
    ("At least 4 deploys per day for every team", "least 4"),
    ("Checkout in < 1 s", "< 1 s"),
    ("Answer 90 % of tickets within 4 hours", "90 %"),
    ("Five nines: 5 nines of availability", "5 nines"),
    ("Ship 3 releases a week", "3"),
    ("Serve 10,000 weekly active teams", "10,000"),
    ("Expand to 3 regions", "to 3"),
    ("Halve the time to restore, from 4–8 hours to 2", "from 4"),
];

/// Titles whose numbers are versions, names, years, ordinals or ids.
const QUIET: &[&str] = &[
    "Move every service to Java 21",
    "Deliver objective1 of the roadmap",
    "Win the Q3 platform launch",
    "Be ready for the 2026 pricing change by 2026",
    "Be the #1 payments app in Europe",
    "Make the 2nd checkout flow the default",
    "Road to 1.0 of the public API",
    "Release API v2 and retire v1",
    "Pass the SOC 2 audit",
    "ISO 27001 certification for the platform",
    "Adopt HTTP/2 and TLS 1.3 everywhere",
    "Support 24/7 for enterprise customers",
    "Roll out 2FA on every account",
    "Make P0 incidents boring",
    "Make checkout feel instant for every customer",
    "Upgrade Postgres 16 to 17.2.1",
];

#[test]
fn titles_with_a_measured_target_are_objectives_that_are_numbers() {
    for (title, words) in FIRE {
        assert_eq!(measured_target(title).as_deref(), Some(*words), "{title}");
    }
}

#[test]
fn versions_names_years_ordinals_and_ids_are_not_targets() {
    for title in QUIET {
        assert_eq!(measured_target(title), None, "{title}");
    }
}

/// Runs `check` on a folder with these okrs.csv rows and returns its findings of `kind`.
fn lint(rows: &str, kind: &str) -> Vec<Finding> {
    let dir = tempfile::tempdir().unwrap();
    let header = "quarter,team,objective_id,objective,kr_id,key_result,owner,kind,direction,baseline,target,\
                  metric,layer,paired_with\n";
    std::fs::write(dir.path().join("okrs.csv"), format!("{header}{rows}")).unwrap();
    let report = quarterdeck::check::check(Path::new(dir.path()), None).unwrap();
    report.findings.into_iter().filter(|f| f.kind.name() == kind).collect()
}

#[test]
fn a_pair_named_on_one_side_counts_for_both() {
    // A (workflow) names B (outcome); B names nobody. C (outcome) names
    // nobody and nobody names it.
    let rows = "2026-Q3,t,O1,Be fast,A,Cut review time from 20 to 8 hours,ana,metric,decrease,20,8,rt,workflow,B\n\
                2026-Q3,t,O1,Be fast,B,Lift activation from 30% to 40%,ana,metric,increase,30,40,act,outcome,\n\
                2026-Q3,t,O1,Be fast,C,Lift retention from 60% to 70%,ana,metric,increase,60,70,ret,outcome,\n";
    let found: Vec<_> = lint(rows, "no_pair").into_iter().map(|f| f.kr_id.unwrap()).collect();
    assert_eq!(found, ["C"]);
}

#[test]
fn a_pair_with_a_key_result_of_another_quarter_pairs_neither() {
    // A (2026-Q3) names OLD, a key result of 2026-Q2: not one of the quarter.
    let rows = "2026-Q2,t,Q2,Be fast,OLD,Lift activation from 20% to 30%,ana,metric,increase,20,30,act,outcome,\n\
                2026-Q2,t,Q2,Be fast,OLD2,Lift retention from 50% to 60%,ana,metric,increase,50,60,ret,business,\n\
                2026-Q3,t,O1,Be fast,A,Cut review time from 20 to 8 hours,ana,metric,decrease,20,8,rt,workflow,OLD\n\
                2026-Q3,t,O1,Be fast,B,Lift activation from 30% to 40%,ana,metric,increase,30,40,act,outcome,\n";
    let found: Vec<_> = lint(rows, "no_pair").into_iter().map(|f| f.kr_id.unwrap()).collect();
    assert_eq!(found, ["A", "B"]);
}

#[test]
fn the_lint_flags_a_numeric_objective_and_not_a_versioned_one() {
    let rows = "2026-Q3,t,O1,Reach 55% sign-up completion,A,Lift sign-ups from 40% to 55%,ana,metric,increase,40,55,su,,\n\
                2026-Q3,t,O1,Reach 55% sign-up completion,B,Cut drop-off from 30% to 20%,ana,metric,decrease,30,20,do,,\n\
                2026-Q3,t,O2,Move every service to Java 21,C,Cut build time from 20 to 8 min,ana,metric,decrease,20,8,bt,,\n\
                2026-Q3,t,O2,Move every service to Java 21,D,Cut CVEs from 30 to 5,ana,metric,decrease,30,5,cve,,\n";
    let found = lint(rows, "objective_is_number");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].message.starts_with("objective O1 \u{201c}Reach 55% sign-up completion\u{201d} is itself"));
}

#[test]
fn the_hygiene_page_groups_by_team_with_its_counts_first_worst_first() {
    // calm: B, a milestone that names no metric: 1 note.
    // rough: C has no baseline (an error), D names no metric (a warning).
    // wordy: E is a task ("Ship …", a warning) and a milestone without a metric (a note).
    let rows = "2026-Q3,calm,O1,Make checkout feel instant,A,Cut checkout p95 from 900 to 500 ms,ana,metric,decrease,900,500,p95,,\n\
                2026-Q3,calm,O1,Make checkout feel instant,B,Beta in customers' hands,ana,milestone,,,,,,\n\
                2026-Q3,rough,O2,Fix onboarding,C,Cut setup time to 8 minutes,ben,metric,decrease,,8,setup,,\n\
                2026-Q3,rough,O2,Fix onboarding,D,Lift activation from 30% to 40%,ben,metric,increase,30,40,,,\n\
                2026-Q3,wordy,O3,Be the editor people pick,E,Ship the new editor,cy,milestone,,,,,,\n\
                2026-Q3,wordy,O3,Be the editor people pick,F,Grow editor sessions from 10 to 20 a day,cy,metric,increase,10,20,sessions,,\n";
    let dir = tempfile::tempdir().unwrap();
    let header = "quarter,team,objective_id,objective,kr_id,key_result,owner,kind,direction,baseline,target,\
                  metric,layer,paired_with\n";
    std::fs::write(dir.path().join("okrs.csv"), format!("{header}{rows}")).unwrap();
    let site = common::build_into(dir.path().to_str().unwrap(), None, &dir.path().join("site"));
    let page = std::fs::read_to_string(site.join("hygiene.html")).unwrap();
    assert!(page.contains("1 errors · 2 warnings · 2 notes, in 3 teams"), "{page}");
    let summaries: Vec<String> = page
        .split("<summary>")
        .skip(1)
        .map(|s| {
            let s = &s[..s.find("</summary>").unwrap()];
            s.split('<').filter_map(|p| p.split_once('>').map(|(_, t)| t)).collect::<String>()
        })
        .collect();
    assert_eq!(
        summaries,
        [
            "rough 1 error · 1 warning · 0 notes",
            "wordy 0 errors · 1 warning · 1 note",
            "calm 0 errors · 0 warnings · 1 note"
        ]
    );
    // three teams: every group open; its errors come first
    assert_eq!(page.matches("<details class=\"team-group\" open").count(), 3);
    let rough = &page[page.find("rough</span>").unwrap()..page.find("wordy</span>").unwrap()];
    assert!(rough.find("missing baseline").unwrap() < rough.find("no metric").unwrap());
}
