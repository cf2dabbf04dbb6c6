//! Real exports read as they were exported: the generic `csv` import (a
//! glob, built-up ids, row filters) on six months of Jenkins pull requests,
//! and the Apache DevLake presets on DevLake's own tables. The expected
//! numbers are worked out from the raw files without quarterdeck
//! (`tests/fixtures/imports/jenkins/medians.py`, and by hand below).

mod common;

use common::{build_summary, close, root};
use quarterdeck::config::Config;
use quarterdeck::model::Dataset;
use serde_json::Value;
use std::path::Path;

const DAY: f64 = 86_400.0;

fn signal(s: &Value, team: &str, metric: &str) -> Value {
    let found = s["signals"].as_array().unwrap().iter().find(|x| x["team"] == team && x["metric"] == metric);
    found.unwrap_or_else(|| panic!("no {metric} for {team}")).clone()
}

fn load(dir: &Path) -> quarterdeck::error::Result<Dataset> {
    let config = Config::load(dir)?;
    quarterdeck::ingest::load(dir, &config, None)
}

fn fixture(folder: &str) -> Dataset {
    load(&root().join("tests/fixtures/imports").join(folder)).unwrap()
}

#[test]
fn six_jenkins_months_through_one_csv_import() {
    let ds = fixture("jenkins");
    // medians.py: 6,420 rows are MERGED or CLOSED (875 OPEN rows are left out by [imports.keep]).
    assert_eq!(ds.events.prs.len(), 6420);
    let inputs: Vec<(&str, usize)> = ds.inputs.iter().map(|i| (i.name.as_str(), i.rows)).collect();
    let kept = [1686, 720, 1000, 1156, 801, 1057];
    for (month, rows) in (1..=6).zip(kept) {
        let name = format!("exports/submissions-2026-0{month}.csv");
        assert!(inputs.contains(&(name.as_str(), rows)), "{name}: {inputs:?}");
    }
    // ids are built from three columns; the rows keep the export's own line
    let pr = ds.events.prs.iter().find(|p| &*p.id == "jenkinsci/docker#2201").unwrap();
    assert_eq!((pr.team.as_str(), pr.author.as_deref(), pr.line), ("docker", Some("lemeurherve"), 2));
    assert_eq!(pr.merged.get().unwrap() - pr.opened, 3600 + 23 * 60 + 21, "23:12:06 → 00:35:27");

    let s = build_summary("tests/fixtures/imports/jenkins", None);
    assert_eq!(s["quarter"], "2026-Q2");
    assert_eq!(s["signal_coverage"]["prs_without_author"], 3);
    // medians.py, merged in 2026-Q2, per repository (odd n: the middle one; even n: the mean of two):
    // jenkins 67, middle 216,078 s; bom 55, 3,059 s; metadata-plugin-modernizer 217, 24 s;
    // jenkins.io 92, (12,772 + 14,362) / 2; docker 22, (8,920 + 10,762) / 2;
    // helm-charts 10 (jenkinsci's and jenkins-infra's repositories of that name), (213 + 229) / 2.
    let expected = [
        ("jenkins", 67, 216_078.0),
        ("bom", 55, 3_059.0),
        ("metadata-plugin-modernizer", 217, 24.0),
        ("jenkins.io", 92, (12_772.0 + 14_362.0) / 2.0),
        ("docker", 22, (8_920.0 + 10_762.0) / 2.0),
        ("helm-charts", 10, (213.0 + 229.0) / 2.0),
    ];
    for (team, n, seconds) in expected {
        let cycle = signal(&s, team, "cycle_time_days");
        assert_eq!(cycle["n"], n, "{team}");
        close(&cycle["value"], seconds / DAY);
    }
}
