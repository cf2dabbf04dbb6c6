//! The synthetic organisation generator: same seed, same bytes; the data
//! passes `check` without errors or alignment lint and builds; its
//! objectives form an alignment tree and its teams sit in groups (SPEC §8).

use quarterdeck::finding::FindingKind;
use quarterdeck::generate::{generate, Preset, PresetName, SEED};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            for (name, bytes) in files(&path) {
                out.insert(format!("{}/{name}", entry.file_name().to_string_lossy()), bytes);
            }
        } else {
            out.insert(entry.file_name().to_string_lossy().into_owned(), std::fs::read(&path).unwrap());
        }
    }
    out
}

#[test]
fn same_seed_writes_the_same_bytes_and_another_seed_does_not() {
    let tmp = tempfile::tempdir().unwrap();
    let small = PresetName::Small.preset();
    let (a, b, c) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
    let counts = generate(&small, &a, SEED).unwrap();
    generate(&small, &b, SEED).unwrap();
    generate(&small, &c, SEED + 1).unwrap();
    assert_eq!(files(&a), files(&b));
    assert_ne!(files(&a)["prs.csv"], files(&c)["prs.csv"]);
    let rows: BTreeMap<String, u64> = counts.into_iter().collect();
    // 38 key results and the 3 company objectives, each on a row of its own
    assert_eq!(rows["okrs.csv"], 41);
    assert_eq!(rows["people.csv"], 40);
    assert_eq!(rows["prs.csv"], 3_000);
    assert_eq!(rows["deployments.csv"], 470);
    assert_eq!(rows["incidents.csv"], 45);
    assert_eq!(rows["ai_usage.csv"], 2_640);
    // a second run into a generated folder rewrites it in place
    generate(&small, &a, SEED).unwrap();
    assert_eq!(files(&a), files(&b));
}

#[test]
fn generated_small_org_checks_clean_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    generate(&PresetName::Small.preset(), &data, SEED).unwrap();
    let report = checks_clean(&data);
    let groups = groups(&data.join("quarterdeck.toml"));
    assert_eq!(groups.values().collect::<BTreeSet<_>>().len(), 2);
    is_a_tree(&objectives(&data.join("okrs.csv")), &groups, 3);
    let names: Vec<&str> = report.inputs.iter().map(|i| i.name.as_str()).collect();
    for file in ["okrs.csv", "checkins.csv", "metrics.csv", "prs.csv", "ai_usage.csv", "notes/quarter.md"] {
        assert!(names.contains(&file), "{file} not read: {names:?}");
    }
    let opts = quarterdeck::BuildOptions {
        data_dir: data,
        out: Some(tmp.path().join("site")),
        quarter: None,
        as_of: None,
        audience: quarterdeck::Audience::Manager,
        paper: None,
        brief_team: None,
        brief_group: None,
    };
    let site = quarterdeck::build(&opts, &|_| {}).unwrap().site;
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("data/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["org"]["krs"], 38);
    assert_eq!(summary["org"]["teams"], 5, "the company owns objectives, no key result, and has no score");
    summary_has_the_tree(&summary, 3);
    summary_has_the_groups(&summary, 2);
}

/// The lint of the tree (SPEC §8), which a generated folder never trips.
const TREE_LINT: [FindingKind; 3] = [FindingKind::Unaligned, FindingKind::ParentIsNumber, FindingKind::CascadeInTeam];

#[track_caller]
fn checks_clean(data: &Path) -> quarterdeck::check::CheckReport {
    let report = quarterdeck::check::check(data, None).unwrap();
    assert_eq!(report.errors, 0, "{}", report.to_text());
    let tree: Vec<_> = report.findings.iter().filter(|f| TREE_LINT.contains(&f.kind)).collect();
    assert!(tree.is_empty(), "{tree:#?}");
    report
}

/// Every team objective aligned, the `tops` company objectives with an aligned score and no score of their own.
#[track_caller]
fn summary_has_the_tree(s: &Value, tops: usize) {
    let objectives = s["objectives"].as_array().unwrap();
    let (company, teams): (Vec<&Value>, Vec<&Value>) = objectives.iter().partition(|o| o["team"] == "company");
    let ids: Vec<&Value> = company.iter().map(|o| &o["objective_id"]).collect();
    assert_eq!(ids.len(), tops);
    assert_eq!(s["alignment"]["tops"].as_array().unwrap().iter().collect::<Vec<_>>(), ids);
    for o in &company {
        assert!(o["score"].is_null() && o["aligns_to"].is_null(), "{o}");
        assert!(o["aligned_score"].as_f64().is_some_and(|x| (0.0..=1.0).contains(&x)), "{o}");
    }
    assert!(teams.iter().all(|o| o["aligns_to"].is_string()), "a team objective aligned to nothing");
    assert_eq!(s["alignment"]["unaligned"], serde_json::json!([]));
}

/// `count` groups whose teams are every team once, each scored the mean of
/// its teams' scores rounded half up to two decimals (SPEC §3, §8).
#[track_caller]
fn summary_has_the_groups(s: &Value, count: usize) {
    let cents: BTreeMap<&str, i64> = s["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["team"].as_str().unwrap(), (t["score"].as_f64().unwrap() * 100.0).round() as i64))
        .collect();
    let groups = s["groups"].as_array().unwrap();
    assert_eq!(groups.len(), count);
    let mut seen = Vec::new();
    for g in groups {
        let teams: Vec<&str> = g["teams"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        let (sum, n) = (teams.iter().map(|t| cents[t]).sum::<i64>(), teams.len() as i64);
        // half up, in whole cents: floor(sum / n + 1/2)
        let want = (2 * sum + n).div_euclid(2 * n);
        assert_eq!((g["score"].as_f64().unwrap() * 100.0).round() as i64, want, "{g}");
        seen.extend(teams);
    }
    seen.sort();
    assert_eq!(seen, cents.keys().copied().collect::<Vec<_>>(), "every team in one group");
}

/// One objective of okrs.csv: its team and the id it aligns to (empty for none).
type Objectives = BTreeMap<(String, String), (String, String)>;

/// The objectives of okrs.csv by (quarter, objective_id).
fn objectives(okrs: &Path) -> Objectives {
    let mut reader = csv::Reader::from_path(okrs).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let cols = ["quarter", "objective_id", "team", "aligns_to"].map(at);
    reader
        .records()
        .map(|r| r.unwrap())
        .map(|r| ((r[cols[0]].into(), r[cols[1]].into()), (r[cols[2]].into(), r[cols[3]].into())))
        .collect()
}

/// The groups of quarterdeck.toml by team.
fn groups(config: &Path) -> BTreeMap<String, String> {
    let toml: toml::Value = std::fs::read_to_string(config).unwrap().parse().unwrap();
    let teams = toml["teams"].as_table().unwrap();
    teams.iter().map(|(team, t)| (team.clone(), t["group"].as_str().unwrap().to_string())).collect()
}

/// The tree of each quarter: the company's `tops` objectives each served; every
/// other objective aligned to one of them, or to a team objective of another
/// team of its group that is; at least one of the latter.
#[track_caller]
fn is_a_tree(objectives: &Objectives, groups: &BTreeMap<String, String>, tops: usize) {
    let company: BTreeSet<&(String, String)> =
        objectives.iter().filter(|(_, o)| o.0 == "company").map(|(k, _)| k).collect();
    let quarters: BTreeSet<&String> = objectives.keys().map(|(q, _)| q).collect();
    assert_eq!(company.len(), tops * quarters.len());
    let mut through_a_team = 0;
    for ((q, id), (team, to)) in objectives.iter().filter(|(_, o)| o.0 != "company") {
        let key = (q.clone(), to.clone());
        let (parent_team, grandparent) = objectives.get(&key).unwrap_or_else(|| panic!("{q} {id} aligns to {to:?}"));
        if parent_team != "company" {
            through_a_team += 1;
            assert_ne!(parent_team, team, "{id} → {to}: one team");
            assert_eq!(groups[parent_team], groups[team], "{id} → {to}: another group");
            assert!(company.contains(&(q.clone(), grandparent.clone())), "{id} → {to} → {grandparent}");
        }
    }
    assert!(through_a_team > 0, "no objective aligns to another team's");
    for top in company {
        let served = objectives.iter().any(|((q, _), (_, to))| *q == top.0 && *to == top.1);
        assert!(served, "{top:?}: nothing aligns to it");
    }
}

#[test]
fn a_two_quarter_org_has_history_and_the_same_last_quarter() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    generate(&PresetName::Small.preset(), &one, SEED).unwrap();
    let counts: BTreeMap<String, u64> =
        generate(&PresetName::SmallTwoQuarters.preset(), &two, SEED).unwrap().into_iter().collect();
    // 2026-Q2 repeats 2026-Q3's 38 key results and 3 company objectives under the same ids
    assert_eq!(counts["okrs.csv"], 82);
    let (a, b) = (files(&one), files(&two));
    // the events and 2026-Q3's own rows are the same bytes as the one-quarter preset's
    assert_eq!(a["prs.csv"], b["prs.csv"]);
    let okrs = String::from_utf8(b["okrs.csv"].clone()).unwrap();
    let q3: Vec<&str> = okrs.lines().filter(|l| l.starts_with("2026-Q3")).collect();
    let only: Vec<&str> = std::str::from_utf8(&a["okrs.csv"]).unwrap().lines().skip(1).collect();
    assert_eq!(q3, only);
    checks_clean(&two);
    // 2026-Q2's objectives align as 2026-Q3's do, each to one of its own quarter
    is_a_tree(&objectives(&two.join("okrs.csv")), &groups(&two.join("quarterdeck.toml")), 3);
    let opts = quarterdeck::BuildOptions {
        data_dir: two,
        out: Some(tmp.path().join("site")),
        ..quarterdeck::BuildOptions::default()
    };
    let site = quarterdeck::build(&opts, &|_| {}).unwrap().site;
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("data/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["previous"], "2026-Q2");
    let krs = summary["krs"].as_array().unwrap();
    assert!(krs.iter().all(|k| k["previous_quarter"] == "2026-Q2"), "every key result is continued");
    assert!(site.join("history.html").is_file());
}

#[test]
fn refuses_a_folder_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("okrs.csv"), "precious").unwrap();
    let e = generate(&PresetName::Small.preset(), tmp.path(), SEED).unwrap_err();
    assert!(e.to_string().contains("refusing to write"), "{e}");
    assert_eq!(std::fs::read_to_string(tmp.path().join("okrs.csv")).unwrap(), "precious");
}

#[test]
fn an_org_of_five_hundred_teams_has_six_company_objectives_and_eleven_departments() {
    // large's teams and key results, with a few events: the tree and groups are the same
    let preset = Preset {
        name: "large-okrs",
        people: 1_000,
        prs: 2_000,
        deployments: 300,
        incidents: 30,
        ai_usage_rows: 1_000,
        ..PresetName::Large.preset()
    };
    let tmp = tempfile::tempdir().unwrap();
    generate(&preset, tmp.path(), SEED).unwrap();
    let groups = groups(&tmp.path().join("quarterdeck.toml"));
    assert_eq!(groups.len(), 500);
    assert_eq!(groups.values().collect::<BTreeSet<_>>().len(), 11);
    is_a_tree(&objectives(&tmp.path().join("okrs.csv")), &groups, 6);
    checks_clean(tmp.path());
}
