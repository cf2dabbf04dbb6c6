//! The synthetic organisation generator: same seed, same bytes; the data
//! passes `check` without errors and builds.

use quarterdeck::generate::{generate, PresetName, SEED};
use std::collections::BTreeMap;
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
    let report = quarterdeck::check::check(&data, None).unwrap();
    assert_eq!(report.errors, 0, "{}", report.to_text());
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
    assert_eq!(summary["org"]["teams"], 5);
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
    let report = quarterdeck::check::check(&two, None).unwrap();
    assert_eq!(report.errors, 0, "{}", report.to_text());
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
