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

/// `check --format json` of `dir`: its exit code and its findings as (kind, severity, message).
fn check_json(dir: &std::path::Path) -> (Option<i32>, Vec<(String, String, String)>) {
    let out = qd().arg("check").arg(dir).args(["--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let findings = report["findings"].as_array().unwrap();
    (
        out.status.code(),
        findings.iter().map(|f| (text(&f["kind"]), text(&f["severity"]), text(&f["message"]))).collect(),
    )
}

#[test]
fn check_without_key_results_checks_the_rest_and_names_every_file_it_does_not_read() {
    let dir = root().join("tests/fixtures/check/new-user");
    let (code, findings) = check_json(&dir);
    assert_eq!(code, Some(1), "no key results is an error: build would stop");
    let pulls = |m: &str| {
        (
            "file_not_read".to_string(),
            "warning".to_string(),
            format!(
                "submissions-2026-{m}.csv is not read; it looks like pull requests: see [[imports]] preset = \"csv\" \
                 with into = \"prs\""
            ),
        )
    };
    let finding =
        |kind: &str, severity: &str, message: &str| (kind.to_string(), severity.to_string(), message.to_string());
    let mut want = vec![
        finding("file_not_read", "warning", "checkins.csv is not read: it names key results, and the folder has none"),
        finding(
            "file_not_read",
            "info",
            "ideas.txt is not read: it is none of quarterdeck's files and no [[imports]] entry names it",
        ),
        finding(
            "file_not_read",
            "warning",
            "notes/core.md is not read: notes/TEAM.md is read for a team with key results, and no team \"core\" has any",
        ),
        finding(
            "file_not_read",
            "warning",
            "organization-1-day-report.json is not read; it looks like GitHub Copilot's organisation-level usage \
             report (one record per day for the whole organisation, no user_login): ai_usage.csv needs one row per \
             person and day: import the per-user report (users-28-day or users-1-day) with [[imports]] preset = \
             \"github-copilot-users-json\"",
        ),
    ];
    // the six monthly exports of jenkins-contribution-stats, in name order (README.md is no data)
    want.extend(["01", "02", "03", "04", "05", "06"].map(pulls));
    want.push(finding(
        "no_key_results",
        "error",
        "no key results: the folder has no okrs.csv and no [[imports]] entry with an OKR preset, so the other \
         files were checked alone; build needs key results (quarterdeck schema okrs.csv lists the columns, or \
         import an OKR tool's export)",
    ));
    // people.csv is read and checked: its two teams own no key result
    want.push(finding(
        "teams_without_key_results",
        "info",
        "2 teams in people.csv have no key results, so no key result reads their signals: gradle-jpi-plugin, jenkins",
    ));
    assert_eq!(findings, want);
    let text = qd().arg("check").arg(&dir).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).starts_with("1 input files read; no key results\n"));
}

#[test]
fn check_shows_what_is_unmeasured_and_the_teams_no_key_result_reads() {
    let (code, findings) = check_json(&root().join("tests/fixtures/check/jenkins-april"));
    assert_eq!(code, Some(0));
    let of = |kind: &str| findings.iter().filter(|f| f.0 == kind).map(|f| f.2.as_str()).collect::<Vec<_>>();
    // The exports end on 2026-05-02, so the quarter stands on that day (SPEC §6):
    // J1-KR1 (jenkins, due 2026-06-30) reads cycle_time_days over 2026-04-05 … 05-02, and
    // jenkins's one pull request (26721) is open. G1-KR1 is due 2026-05-15: its window
    // (04-18 … 05-15) holds the three gradle-jpi-plugin merges of 05-01, so it is measured.
    assert_eq!(
        of("unmeasured"),
        ["no value of cycle_time_days over the 28 days from 2026-04-05 to the date the pack stands on 2026-05-02: \
          the team has no such events this quarter, and no check-in has a value; the score counts as 0"]
    );
    assert_eq!(
        of("teams_without_key_results"),
        ["2 teams in the pull requests have no key results, so no key result reads their signals: \
          acceptance-test-harness, configurationslicing-plugin"]
    );
    assert!(of("file_not_read").is_empty(), "every file is read: {findings:?}");
}

#[test]
fn check_counts_every_file_of_an_imports_glob_and_devlake_side_files_as_read() {
    // six monthly exports through one glob; DevLake tables named as file and as side files
    for fixture in ["imports/jenkins", "imports/devlake-dora", "presets/okr-outline"] {
        let (code, findings) = check_json(&root().join("tests/fixtures").join(fixture));
        assert_eq!(code, Some(0), "{fixture}: {findings:?}");
        let unread: Vec<_> = findings.iter().filter(|f| f.0 == "file_not_read").collect();
        assert!(unread.is_empty(), "{fixture}: {unread:?}");
    }
    // okr-tracker's glob crosses folders; kpis.json lies outside it and holds no key results
    let (_, findings) = check_json(&root().join("tests/fixtures/presets/okr-tracker"));
    let unread: Vec<&str> = findings.iter().filter(|f| f.0 == "file_not_read").map(|f| f.2.as_str()).collect();
    assert_eq!(
        unread,
        ["mock/orgs/testOrg/departments/testDepartment2/products/testProduct/kpis.json is not read: it is none of \
          quarterdeck's files and no [[imports]] entry names it"]
    );
}

/// A copy of the jenkins-april fixture in a temporary folder.
fn jenkins_april() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["okrs.csv", "prs.csv", "quarterdeck.toml"] {
        std::fs::copy(root().join("tests/fixtures/check/jenkins-april").join(f), dir.path().join(f)).unwrap();
    }
    dir
}

#[test]
fn a_repeated_pull_request_number_is_named_a_per_repository_number() {
    let dir = jenkins_april();
    let toml = std::fs::read_to_string(dir.path().join("quarterdeck.toml")).unwrap();
    std::fs::write(dir.path().join("quarterdeck.toml"), toml.replace("pr_id = \"url\"", "pr_id = \"number\"")).unwrap();
    let out = qd().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: prs.csv line 7, column pr_id: pull request 347 is listed twice (first on line 2); 347 looks like a \
         per-repository number: line 2 is in team gradle-jpi-plugin, line 7 in configurationslicing-plugin; make ids \
         unique across repositories, as [imports.columns] pr_id = \"{repository}#{number}\" of an [[imports]] \
         entry with preset = \"csv\" and into = \"prs\", or id_prefix on a jira, linear or github preset's entry\n"
    );
}

#[test]
fn a_missing_column_suggests_the_closest_headers() {
    let dir = jenkins_april();
    std::fs::remove_file(dir.path().join("quarterdeck.toml")).unwrap();
    let out = qd().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: prs.csv line 1: missing required columns pr_id, team, opened_at; the header has: org, repository, \
         number, url, state, created_at, merged_at, user.login, month_year, title; closest: pr_id ← url?, team ← \
         repository?, opened_at ← created_at? (map them in quarterdeck.toml [columns.prs])\n"
    );
}
