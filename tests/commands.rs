//! `check`, `schema` and `init` from the command line.

mod common;

use assert_cmd::Command;
use common::root;

fn qd() -> Command {
    Command::cargo_bin("quarterdeck").unwrap()
}

#[test]
fn init_writes_a_folder_that_checks_clean_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("starter");
    qd().arg("init").arg(&data).assert().success();
    let out = qd().arg("check").arg(&data).arg("--format").arg("json").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"], 0);
    assert_eq!(report["findings"].as_array().unwrap().len(), 0, "{report}");
    qd().arg("build").arg(&data).assert().success();
    // A second init refuses to overwrite.
    let again = qd().arg("init").arg(&data).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
}

#[test]
fn check_on_the_sample_reports_hygiene_findings() {
    let out = qd().arg("check").arg(root().join("sample-data")).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "no error-level findings in the sample");
    let text = String::from_utf8_lossy(&out.stdout);
    // DATA-KR6 is phrased as a task; GRO-KR2 names no metric.
    assert!(text.contains("task_not_outcome") && text.contains("DATA-KR6"), "{text}");
    assert!(text.contains("is a task; what outcome should it move"));
    assert!(text.contains("no_metric") && text.contains("GRO-KR2"));
}

#[test]
fn check_exits_1_on_an_error_level_finding_and_2_on_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    std::fs::create_dir_all(&data).unwrap();
    // A metric key result without a baseline: scorable input, error-level lint.
    std::fs::write(
        data.join("okrs.csv"),
        "quarter,team,objective_id,objective,kr_id,key_result,owner,direction,target,metric\n\
         2026-Q3,a,O1,Be fast,K1,Reach 10 deploys a week,ana,increase,10,deploys\n\
         2026-Q3,a,O1,Be fast,K2,Reach 5 releases a week,ana,increase,5,releases\n",
    )
    .unwrap();
    let out = qd().arg("check").arg(&data).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("missing_baseline"));
    std::fs::write(data.join("okrs.csv"), "quarter,team\n2026-Q3,a\n").unwrap();
    assert_eq!(qd().arg("check").arg(&data).output().unwrap().status.code(), Some(2));
}

#[test]
fn schema_prints_every_column_from_the_parser_definitions() {
    let out = qd().arg("schema").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for spec in quarterdeck::schema::ALL {
        assert!(text.contains(spec.file), "{} missing", spec.file);
        for c in spec.columns {
            assert!(text.contains(c.name), "{}: {} missing", spec.file, c.name);
        }
    }
    let one = qd().args(["schema", "checkins"]).output().unwrap();
    let one = String::from_utf8_lossy(&one.stdout);
    assert!(one.starts_with("checkins.csv") && !one.contains("okrs.csv —"));
    let bad = qd().args(["schema", "nope.csv"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
