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

/// A copy of fixture `folder` in a temporary folder, with `edit` applied to its quarterdeck.toml.
fn copy(folder: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in common::tree(&root().join("tests/fixtures/imports").join(folder)) {
        let to = dir.path().join(&path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
    let toml = dir.path().join("quarterdeck.toml");
    std::fs::write(&toml, edit(std::fs::read_to_string(&toml).unwrap())).unwrap();
    dir
}

/// The seconds from opening to first review of pull request `id`.
fn review_after(ds: &Dataset, id: &str) -> Option<i64> {
    let pr = ds.events.prs.iter().find(|p| &*p.id == id).unwrap_or_else(|| panic!("no {id}"));
    pr.first_review.get().map(|r| r - pr.opened)
}

const ANTS: &str = "github:GithubPullRequest:1:";

#[test]
fn devlake_pull_requests_with_review_comments_and_project_teams() {
    let ds = fixture("devlake-ants");
    // the 11 pull requests opened in 2019, all of repo 134018330, project "ants" in project_mapping.csv
    assert_eq!(ds.events.prs.len(), 11);
    assert!(ds.events.prs.iter().all(|p| p.team.as_str() == "ants"));
    let pr = ds.events.prs.iter().find(|p| p.id.ends_with(":308859272")).unwrap();
    assert_eq!((pr.author.as_deref(), pr.line), (Some("choleraehyq"), 7));
    // pull_request_comments.csv: 308859272 opened 03:24:27, a DIFF comment by account 42910462 at 03:25:26;
    // 301421607 opened 07:07:06: its author's comments do not count, 7496278's at 09:38:21 does (2:31:15);
    // 246250598 has only NORMAL comments (the conversation, not a review); 316337433 has none.
    assert_eq!(review_after(&ds, &format!("{ANTS}308859272")), Some(59));
    assert_eq!(review_after(&ds, &format!("{ANTS}301421607")), Some(2 * 3600 + 31 * 60 + 15));
    assert_eq!(review_after(&ds, &format!("{ANTS}246250598")), None);
    assert_eq!(review_after(&ds, &format!("{ANTS}316337433")), None);

    let s = build_summary("tests/fixtures/imports/devlake-ants", None);
    assert_eq!(s["quarter"], "2019-Q3");
    // Merged in 2019-Q3: 311420898 0:02:19, 308859272 7:30:52, 301421607 8:15:20,
    // 316337433 16:14:09, 300598936 1d 20:19:10 → the middle one, 29,720 s.
    let cycle = signal(&s, "ants", "cycle_time_days");
    assert_eq!(cycle["n"], 5);
    close(&cycle["value"], 29_720.0 / DAY);
    // Reviewed among them: 308859272 59 s and 301421607 9,075 s.
    let review = signal(&s, "ants", "review_time_hours");
    assert_eq!(review["n"], 2);
    close(&review["value"], (59.0 + 9_075.0) / 2.0 / 3600.0);
}

#[test]
fn devlake_github_reviews_table_counts_submitted_reviews_by_others() {
    let dir = copy("devlake-ants", |t| t.replace("pull_request_comments.csv", "_tool_github_pull_request_reviews.csv"));
    let ds = load(dir.path()).unwrap();
    // _tool_github_pull_request_reviews.csv: 308859272's first review by panjf2000 (not its author
    // choleraehyq, user 8923413) at 09:19:55, 5:55:28 after opening; 316337433's at 12:07:36 (3:21:13);
    // 325179595's CHANGES_REQUESTED at 2019-10-07 16:56:26 (8:39:06); 301421607 has none in this table.
    assert_eq!(review_after(&ds, &format!("{ANTS}308859272")), Some(5 * 3600 + 55 * 60 + 28));
    assert_eq!(review_after(&ds, &format!("{ANTS}316337433")), Some(3 * 3600 + 21 * 60 + 13));
    assert_eq!(review_after(&ds, &format!("{ANTS}325179595")), Some(8 * 3600 + 39 * 60 + 6));
    assert_eq!(review_after(&ds, &format!("{ANTS}301421607")), None);
}

#[test]
fn devlake_dora_tables_link_deployments_to_pull_requests_and_incidents() {
    let ds = fixture("devlake-dora");
    // pull_requests.csv writes times unpadded ("2023-4-11 4:51:47"): pr1 is open one hour
    let pr1 = ds.events.prs.iter().find(|p| &*p.id == "pr1").unwrap();
    assert_eq!((pr1.team.as_str(), pr1.merged.get().unwrap() - pr1.opened), ("project1", 3600));
    // cicd_deployments.csv: kept are the PRODUCTION deployments that succeeded; pipeline5 is
    // STAGING, pipeline8 FAILURE, pipeline10 has no environment.
    let ids: Vec<&str> = ds.events.deployments.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["pipeline1", "pipeline2", "pipeline4", "pipeline6", "pipeline7", "pipeline9"]);
    let deployment = |id: &str| ds.events.deployments.iter().find(|d| d.id == id).unwrap();
    assert_eq!(deployment("pipeline9").team.as_str(), "project2", "cicd3 is project2's");
    // project_pr_metrics: pr1 and pr2 went out with deployment commit 5, pr3 with 6; both are pipeline4's
    assert_eq!(deployment("pipeline4").pr_ids().collect::<Vec<_>>(), ["pr1", "pr2", "pr3"]);
    // failed: named by an incident (project_incident_deployment_relationships), not by a failed run;
    // incident 1367714738 of project1 names pipeline7 for project1 and pipeline9 for project2
    let failed: Vec<&str> = ds.events.deployments.iter().filter(|d| d.failed).map(|d| d.id.as_str()).collect();
    assert_eq!(failed, ["pipeline2", "pipeline7"]);
    // incidents: teams from their scope (repo1, repo2, board1 → project1; repo3 → project2)
    let incident = |id: &str| ds.events.incidents.iter().find(|i| i.id.ends_with(id)).unwrap();
    assert_eq!(ds.events.incidents.len(), 7);
    assert_eq!(incident(":1373792477").team.as_str(), "project2");
    assert_eq!(incident(":1373792478").deploy_id.as_deref(), Some("pipeline2"));
    assert_eq!(incident(":1367714738").deploy_id.as_deref(), Some("pipeline7"));
    // 2022-09-15 01:56:06 → 02:13:18
    let i = incident(":1373792477");
    assert_eq!(i.resolved.unwrap() - i.started, 17 * 60 + 12);

    let s = build_summary("tests/fixtures/imports/devlake-dora", None);
    // project1 deployed pipeline1, 2, 4, 6 and 7 in 2023-Q2; 2 and 7 failed
    close(&signal(&s, "project1", "change_failure_rate")["value"], 2.0 / 5.0);
    close(&signal(&s, "project2", "change_failure_rate")["value"], 0.0);
    // pipeline4 finished 04-13 07:30:34: pr1 merged 04-11 05:51:47 (2d 1:38:47), pr2 04-12 05:51:47
    // (1d 1:38:47); pr3 merged 04-14, after it, is left out.
    let lead = signal(&s, "project1", "lead_time_hours");
    assert_eq!(lead["n"], 2);
    close(&lead["value"], (178_727.0 + 92_327.0) / 2.0 / 3600.0);
    // merged in Q2: pr1, pr2, pr4, pr5 one hour each, pr3 three days → one hour
    let cycle = signal(&s, "project1", "cycle_time_days");
    assert_eq!(cycle["n"], 5);
    close(&cycle["value"], 1.0 / 24.0);
}

#[test]
fn devlake_deployments_of_github_start_and_a_mysql_batch_dump_reads() {
    let ds = fixture("devlake-deployments");
    let of = |team: &str| ds.events.deployments.iter().filter(|d| d.team.as_str() == team).collect::<Vec<_>>();
    // OpenBIC: all 7 github-pages deployments succeeded; a GitHub deployment is dated by started_date:
    // DE_kwDOFAKDls5jmQjJ started 2024-07-24 00:18:51 and went inactive (finished_date) on 08-02.
    let openbic = of("openbic");
    assert_eq!(openbic.len(), 7);
    let first = openbic.iter().find(|d| d.id.ends_with("DE_kwDOFAKDls5jmQjJ")).unwrap();
    assert_eq!(quarterdeck::ingest::presets::rfc3339(first.deployed), "2024-07-24T00:18:51Z");
    // GitLab, tab-separated with NULLs: the two staging deployments that succeeded, at finished_date;
    // the failed staging run with no dates and the production runs that did not succeed are left out.
    let gitlab = of("snowflake-spend");
    let dates: Vec<String> = gitlab.iter().map(|d| quarterdeck::ingest::presets::rfc3339(d.deployed)).collect();
    assert_eq!(dates, ["2019-03-13T14:17:47Z", "2019-03-13T14:57:58Z"]);
    assert!(ds.events.deployments.iter().all(|d| !d.failed && d.pr_ids().next().is_none()));
    let names: Vec<&str> = ds.inputs.iter().map(|i| i.name.as_str()).collect();
    assert!(names.contains(&"gitlab/cicd_deployments.tsv"), "{names:?}");
}

/// A data folder of `files` (path, text) in a temporary folder.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let to = dir.path().join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, text).unwrap();
    }
    dir
}

/// The message of the error reading `dir` stops at.
fn error(dir: &Path) -> String {
    load(dir).err().map(|e| e.to_string()).unwrap_or_else(|| panic!("{} read without an error", dir.display()))
}

const OKRS: &str = "quarter,team,objective_id,objective,kr_id,key_result,owner,kind,direction,baseline,target,metric\n\
                    2026-Q1,docker,D1,Ship images,D1-KR1,Merge within a day,ana,metric,decrease,2,1,cycle_time_days\n";
const HEADER: &str = "org,repository,number,url,state,created_at,merged_at,user.login,month_year,title\n";
const JAN: &str = "\"jenkinsci\",\"docker\",2201,\"https://github.com/jenkinsci/docker/pull/2201\",\"MERGED\",\"2026-01-15T23:12:06Z\",\"2026-01-16T00:35:27Z\",\"lemeurherve\",\"2026-01\",\"chore(updatecli): add missing...\"\n";
const FEB: &str = "\"jenkinsci\",\"bom\",2201,\"https://github.com/jenkinsci/bom/pull/2201\",\"MERGED\",\"2026-02-02T10:00:00Z\",\"2026-02-02T11:00:00Z\",\"jglick\",\"2026-02\",\"x\"\n";

/// A folder with two monthly exports (rows of the real January file's shape) and `import` as quarterdeck.toml.
fn months(import: &str) -> tempfile::TempDir {
    folder(&[
        ("okrs.csv", OKRS),
        ("quarterdeck.toml", import),
        ("exports/submissions-2026-01.csv", &format!("{HEADER}{JAN}")),
        ("exports/submissions-2026-02.csv", &format!("{HEADER}{FEB}")),
    ])
}

const CSV_IMPORT: &str = "[[imports]]\npreset = \"csv\"\ninto = \"prs\"\nfile = \"exports/submissions-*.csv\"\n";

#[test]
fn csv_import_errors_name_the_toml_line_or_the_real_file() {
    let mapped = |columns: &str| months(&format!("{CSV_IMPORT}[imports.columns]\n{columns}"));
    let header = "org, repository, number, url, state, created_at, merged_at, user.login, month_year, title";
    let about = "[[imports]] #1 (csv, file \"exports/submissions-2026-01.csv\")";
    let base = "team = \"repository\"\nopened_at = \"created_at\"\n";
    let e = error(mapped(&format!("{base}pr_id = \"{{repository}}#{{numbr}}\"\n")).path());
    assert_eq!(
        e,
        format!(
            "quarterdeck.toml line 8: {about}: [imports.columns] pr_id = \"{{repository}}#{{numbr}}\" names column \
             \"numbr\", which exports/submissions-2026-01.csv does not have; its header has: {header}"
        )
    );
    let e = error(mapped(&format!("{base}pr_id = \"url\"\n[imports.keep]\nstatus = [\"MERGED\"]\n")).path());
    assert!(
        e.starts_with(&format!(
            "quarterdeck.toml line 10: {about}: [imports.keep] status names column \"status\", which"
        )),
        "{e}"
    );
    let e = error(mapped(base).path());
    assert_eq!(
        e,
        format!(
            "exports/submissions-2026-01.csv line 1: missing required column pr_id of prs.csv; the header has: {header}. \
             Map it onto the export's columns in [imports.columns], e.g. pr_id = \"COLUMN\" or a template like \
             \"{{repository}}#{{number}}\""
        )
    );
    // numbers repeat across repositories: 2201 is docker's in January and bom's in February
    let e = error(mapped(&format!("{base}pr_id = \"number\"\n")).path());
    assert_eq!(
        e,
        "exports/submissions-2026-02.csv line 2: pull request 2201 is also in exports/submissions-2026-01.csv line 2; \
         build the id from several columns in [imports.columns], e.g. pr_id = \"{repository}#{number}\""
    );
    assert!(load(mapped(&format!("{base}pr_id = \"{{repository}}#{{number}}\"\n")).path()).is_ok());
}

#[test]
fn glob_errors_say_what_the_pattern_matched() {
    let e = error(months(&CSV_IMPORT.replace("submissions-*", "subs-*")).path());
    assert!(e.starts_with("exports/subs-*.csv: matches no file in "), "{e}");
    assert!(e.ends_with("quarterdeck.toml imports it with preset csv (a pattern is matched from the data folder, `*` within one folder)"), "{e}");
    let e = error(months(&CSV_IMPORT.replace("exports/submissions-*.csv", "*.csv")).path());
    assert_eq!(
        e,
        "quarterdeck.toml line 4: [[imports]] #1 (csv, file \"*.csv\"): okrs.csv is one of quarterdeck's own inputs, \
         read without an import; rename the export or narrow the pattern"
    );
    let twice =
        format!("{CSV_IMPORT}[imports.columns]\npr_id = \"url\"\n{}", CSV_IMPORT.replace("submissions-*", "*-2026-02"));
    let e = error(months(&twice).path());
    assert_eq!(
        e,
        "quarterdeck.toml line 10: [[imports]] #2 (csv, file \"exports/*-2026-02.csv\"): \
         exports/submissions-2026-02.csv is also read by [[imports]] #1; a file is imported once"
    );
}

/// The DevLake DORA fixture with `edit` applied to one of its tables.
fn dora_with(table: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = copy("devlake-dora", |t| t);
    let path = dir.path().join("devlake").join(table);
    std::fs::write(&path, edit(std::fs::read_to_string(&path).unwrap())).unwrap();
    dir
}

#[test]
fn devlake_errors_name_the_table_line_and_column() {
    // incidents.csv as DevLake's own fixture has it, without resolution_date
    let dir =
        dora_with("incidents.csv", |t| t.lines().map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n").collect());
    assert_eq!(
        error(dir.path()),
        "devlake/incidents.csv line 1: missing required column resolution_date; the header has: id, created_date, \
         updated_date, table, scope_id"
    );
    let dir = dora_with("project_mapping.csv", |t| t.replace("project2,repos,repo3\n", ""));
    assert_eq!(
        error(dir.path()),
        "devlake/incidents.csv line 7, column scope_id: expected a team, found none: repo3 is in no project of \
         devlake/project_mapping.csv; set team = \"…\", team_column or mapping_file (DevLake's project_mapping) on the \
         [[imports]] entry"
    );
    let dir = dora_with("project_mapping.csv", |t| t + "project2,repos,repo1\n");
    assert_eq!(
        error(dir.path()),
        "devlake/incidents.csv line 2, column scope_id: repo1 is in 2 DevLake projects of \
         devlake/project_mapping.csv (project1, project2); a row counts for one team: keep one of them in the \
         mapping, or set team"
    );
    let dir = dora_with("pull_requests.csv", |t| t.replace("2023-4-11 5:51:47", "11 April"));
    assert_eq!(
        error(dir.path()),
        "devlake/pull_requests.csv line 3, column merged_date: expected a date and time like 2026-07-14 09:31:00 or \
         2026-07-14T09:31:00Z, found \"11 April\""
    );
    let dir = dora_with("cicd_deployments.csv", |t| t.replace("2023-04-13T07:30:34.000+00:00", ""));
    assert_eq!(
        error(dir.path()),
        "devlake/cicd_deployments.csv line 4, column finished_date: expected when the deployment reached its \
         environment, found an empty cell"
    );
    let dir = dora_with("cicd_deployments.csv", |t| t.replace(",PRODUCTION,", ",prod,"));
    assert_eq!(
        error(dir.path()),
        "devlake/cicd_deployments.csv: no deployment is in environments [\"PRODUCTION\"]; the file has (empty), \
         STAGING, prod: set environments = [\"…\"] on the [[imports]] entry to the ones that are production"
    );
    let dir = copy("devlake-dora", |t| {
        t.replace("file = \"devlake/cicd_deployments.csv\"", "file = \"devlake/cicd_deployment_commits.csv\"")
    });
    assert_eq!(
        error(dir.path()),
        "devlake/cicd_deployment_commits.csv: is DevLake's cicd_deployment_commits table (it has cicd_deployment_id); \
         give it as commits_file, and the cicd_deployments table as file"
    );
    let dir = copy("devlake-dora", |t| t.replace("project_pr_metrics.csv", "pr_metrics.csv"));
    assert!(error(dir.path()).starts_with("devlake/pr_metrics.csv: not found in "), "{}", error(dir.path()));
    assert!(
        error(dir.path()).ends_with("quarterdeck.toml imports it as pr_metrics_file of preset devlake-deployments-csv")
    );
}

#[test]
fn a_row_in_two_files_is_refused() {
    let toml = "[[imports]]\npreset = \"csv\"\ninto = \"people\"\nfile = \"staff.csv\"\n[imports.columns]\nperson = \"Login\"\n";
    let dir = folder(&[
        ("okrs.csv", OKRS),
        ("quarterdeck.toml", toml),
        ("people.csv", "person,team\nana,docker\n"),
        ("staff.csv", "Login,Team\nbo,docker\nana,bom\n"),
    ]);
    assert_eq!(error(dir.path()), "staff.csv: person ana is also in people.csv; each is read from one file only");
    let dir = copy("devlake-dora", |t| t);
    let own = "deploy_id,team,deployed_at\npipeline4,project1,2023-04-13T07:30:34Z\n";
    std::fs::write(dir.path().join("deployments.csv"), own).unwrap();
    assert_eq!(
        error(dir.path()),
        "devlake/cicd_deployments.csv line 4: deployment pipeline4 is also in deployments.csv line 2; each is read from one file only"
    );
}

#[test]
fn check_exits_2_on_an_import_error() {
    let dir = months(&CSV_IMPORT.replace("submissions-*", "subs-*"));
    let out = assert_cmd::Command::cargo_bin("quarterdeck").unwrap().arg("check").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("exports/subs-*.csv: matches no file in"), "{stderr}");
}

#[test]
fn without_pr_metrics_a_deployment_ships_the_pull_requests_whose_merge_commit_it_deployed() {
    // pipeline4 deployed commit5 (deployment commit 5): pr1's merge commit, once rewritten so
    let dir = dora_with("pull_requests.csv", |t| t.replace("pr_merge_commit1,", "commit5,"));
    let toml = dir.path().join("quarterdeck.toml");
    let text =
        std::fs::read_to_string(&toml).unwrap().replace("pr_metrics_file = \"devlake/project_pr_metrics.csv\"\n", "");
    std::fs::write(&toml, text).unwrap();
    let ds = load(dir.path()).unwrap();
    let shipped: Vec<(&str, Vec<&str>)> = ds
        .events
        .deployments
        .iter()
        .map(|d| (d.id.as_str(), d.pr_ids().collect::<Vec<_>>()))
        .filter(|(_, p)| !p.is_empty())
        .collect();
    assert_eq!(shipped, [("pipeline4", vec!["pr1"])]);
}

#[test]
fn csv_imports_feed_every_file_with_date_formats_and_decimal_commas() {
    let okrs = "quarter,team,objective_id,objective,kr_id,key_result,owner,kind\n\
                2026-Q3,web,W1,Launch the new checkout,W1-KR1,Checkout live for all shoppers,ana,milestone\n";
    let toml = "[columns.deployments]\ndeploy_id = \"Deploy #\"\n\n\
                [[imports]]\npreset = \"csv\"\ninto = \"deployments\"\nfile = \"exports/deploys.csv\"\n\
                date_format = \"%d.%m.%Y %H:%M\"\n\
                [imports.columns]\nteam = \"Squad\"\ndeployed_at = \"Finished\"\npr_ids = \"Shipped\"\n\
                [imports.keep]\nResult = [\"ok\", \"rolled back\"]\n\n\
                [[imports]]\npreset = \"csv\"\ninto = \"checkins\"\nfile = \"exports/updates.csv\"\ndate_format = \"%d/%m/%Y\"\n\
                [imports.columns]\ndate = \"Day\"\nkr_id = \"KR\"\nvalue = \"Progress\"\nconfidence = \"Confidence\"\n\n\
                [[imports]]\npreset = \"csv\"\ninto = \"people\"\nfile = \"exports/staff.csv\"\n\
                [imports.columns]\nperson = \"Login\"\nteam = \"Squad\"\n";
    let deploys = "Deploy #;Squad;Finished;Result;Shipped\n\
                   D-1;web;14.07.2026 09:31;ok;web#1 web#2\n\
                   D-2;web;15.07.2026 18:05;failed;\n\
                   D-3;web;16.07.2026 07:00; Rolled Back ;web#3\n";
    let updates = "Day,KR,Progress,Confidence\n03/07/2026,W1-KR1,\"25%\",on track\n17/07/2026,W1-KR1,\"60%\",7\n";
    let staff = "Login,Squad\nana,web\nbo,web\n";
    let dir = folder(&[
        ("okrs.csv", okrs),
        ("quarterdeck.toml", toml),
        ("exports/deploys.csv", deploys),
        ("exports/updates.csv", updates),
        ("exports/staff.csv", staff),
    ]);
    let ds = load(dir.path()).unwrap();
    // D-2 failed before deploying: [imports.keep] leaves it out; " Rolled Back " matches in any case
    let deployments: Vec<(&str, String, Vec<&str>)> = ds
        .events
        .deployments
        .iter()
        .map(|d| (d.id.as_str(), quarterdeck::ingest::presets::rfc3339(d.deployed), d.pr_ids().collect()))
        .collect();
    assert_eq!(
        deployments,
        [
            ("D-1", "2026-07-14T09:31:00Z".to_string(), vec!["web#1", "web#2"]),
            ("D-3", "2026-07-16T07:00:00Z".to_string(), vec!["web#3"]),
        ]
    );
    assert_eq!(ds.events.deployments[1].line, 4, "the export's own line");
    // check-ins: 25% → 0.25 with "on track" (8), 60% → 0.6 with 7, dated by date_format
    let checkins: Vec<(String, Option<f64>, Option<f64>)> =
        ds.checkins.iter().map(|c| (c.date.to_string(), c.value, c.confidence)).collect();
    assert_eq!(
        checkins,
        [("2026-07-03".to_string(), Some(0.25), Some(8.0)), ("2026-07-17".to_string(), Some(0.6), Some(7.0))]
    );
    let people: Vec<(&str, &str)> = ds.events.people.iter().map(|p| (p.id.as_str(), p.team.as_str())).collect();
    assert_eq!(people, [("ana", "web"), ("bo", "web")]);
    let names: Vec<&str> = ds.inputs.iter().map(|i| i.name.as_str()).collect();
    for name in ["exports/deploys.csv", "exports/updates.csv", "exports/staff.csv"] {
        assert!(names.contains(&name), "{names:?}");
    }
}

#[test]
fn a_csv_import_gives_key_results() {
    let export = "Quarter,Squad,Goal ID,Goal,KR ID,KR,Owner,Kind\n\
                  2026-Q3,web,W1,Launch the new checkout,W1-KR1,Checkout live for all shoppers,ana,milestone\n\
                  2026-Q3,web,W1,Launch the new checkout,W1-KR2,Checkout errors below 1%,,milestone\n";
    let toml =
        "[[imports]]\npreset = \"csv\"\ninto = \"okrs\"\nfile = \"goals.csv\"\n[imports.columns]\nteam = \"Squad\"\n\
                objective_id = \"Goal ID\"\nobjective = \"Goal\"\nkr_id = \"KR ID\"\nkey_result = \"KR\"\n";
    let dir = folder(&[("quarterdeck.toml", toml)]);
    // the rows pass okrs.csv's own checks, named in the export's terms
    std::fs::write(dir.path().join("goals.csv"), export.replace(",,milestone", ",bo,milestones")).unwrap();
    let e = error(dir.path());
    assert!(e.starts_with("goals.csv line 3, column Kind: "), "{e}");
    std::fs::write(dir.path().join("goals.csv"), export.replace(",,milestone", ",bo,milestone")).unwrap();
    let ds = load(dir.path()).unwrap();
    let krs: Vec<(&str, &str, &str)> =
        ds.krs.iter().map(|k| (k.id.as_str(), k.team.as_str(), k.owner.as_str())).collect();
    assert_eq!(krs, [("W1-KR1", "web", "ana"), ("W1-KR2", "web", "bo")]);
}
