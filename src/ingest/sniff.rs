//! What a file nothing reads looks like, from its header or its JSON keys:
//! one of our files under another name, or an export a preset reads. `check`
//! names such files with the way to read them; a guess, never an error.

use super::presets::copilot;
use super::presets::foreign::Foreign;
use super::table::fold;
use crate::schema::ALL;
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

/// What a file looks like, and how to read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// "pull requests", "prs.csv", "an OKR tool's long layout …".
    pub what: String,
    /// `see [[imports]] preset = "csv" with into = "prs"`.
    pub advice: String,
}

/// A rule over a file's folded header (or JSON keys): every name of `all`,
/// one of `any` (when any are given), none of `none`.
struct Rule {
    all: &'static [&'static str],
    any: &'static [&'static str],
    none: &'static [&'static str],
    what: &'static str,
    advice: &'static str,
}

const fn rule(
    all: &'static [&'static str],
    any: &'static [&'static str],
    what: &'static str,
    advice: &'static str,
) -> Rule {
    Rule { all, any, none: &[], what, advice }
}

const PER_USER: &str = "ai_usage.csv needs one row per person and day: import the per-user report \
                        (users-28-day or users-1-day) with [[imports]] preset = \"github-copilot-users-json\"";

const DEVLAKE_DOMAIN: &str = "import DevLake's domain tables instead (pull_requests, cicd_deployments, incidents)";

/// CSV exports by their headers, the most particular first.
const CSV_RULES: &[Rule] = &[
    rule(&["id", "params", "data", "url", "input"], &[], "an Apache DevLake raw table (API responses as JSON)", DEVLAKE_DOMAIN),
    rule(&["pullrequestid", "githubsubmitat"], &[], "Apache DevLake's GitHub pull request reviews table (_tool_github_pull_request_reviews)", "give it as reviews_file of [[imports]] preset = \"devlake-pull-requests-csv\""),
    rule(&["connectionid", "rawdataparams"], &[], "an Apache DevLake tool-layer table (_tool_…)", DEVLAKE_DOMAIN),
    rule(&["issuekey", "resolutiondate"], &[], "Apache DevLake's issues table", "quarterdeck reads no issues table: import DevLake's incidents (preset = \"devlake-incidents-csv\") and pull_requests (preset = \"devlake-pull-requests-csv\") tables"),
    rule(&["baserepoid", "mergeddate", "createddate"], &[], "Apache DevLake's pull_requests table", "see [[imports]] preset = \"devlake-pull-requests-csv\""),
    rule(&["cicddeploymentid", "commitsha"], &[], "Apache DevLake's cicd_deployment_commits table", "give it as commits_file of [[imports]] preset = \"devlake-deployments-csv\""),
    rule(&["cicdscopeid", "type", "finisheddate"], &[], "Apache DevLake's cicd_pipelines table (CI runs, not deployments)", "deployments come from its cicd_deployments table: see [[imports]] preset = \"devlake-deployments-csv\""),
    rule(&["cicdscopeid", "environment", "finisheddate"], &[], "Apache DevLake's cicd_deployments table", "see [[imports]] preset = \"devlake-deployments-csv\""),
    rule(&["pullrequestid", "createddate"], &["accountid", "reviewid"], "Apache DevLake's pull_request_comments table", "give it as reviews_file of [[imports]] preset = \"devlake-pull-requests-csv\""),
    rule(&["projectname", "deploymentid"], &[], "Apache DevLake's project_incident_deployment_relationships table", "give it as relationships_file of [[imports]] preset = \"devlake-incidents-csv\""),
    rule(&["projectname", "deploymentcommitid"], &[], "Apache DevLake's project_pr_metrics table", "give it as pr_metrics_file of [[imports]] preset = \"devlake-deployments-csv\", beside its commits_file"),
    rule(&["createddate", "resolutiondate"], &["incidentkey", "scopeid"], "Apache DevLake's incidents table", "see [[imports]] preset = \"devlake-incidents-csv\""),
    rule(&["projectname", "table", "rowid"], &[], "Apache DevLake's project_mapping table", "give it as mapping_file of a DevLake preset's [[imports]] entry"),
    Rule { all: &[], any: &["totalactiveusers", "dailyactiveusers"], none: &["userlogin"], what: "GitHub Copilot's organisation-level metrics (no person)", advice: PER_USER },
    rule(&["userlogin", "lastactivityat", "plantype"], &[], "the Copilot seats list (no daily counts)", PER_USER),
    rule(&["userlogin", "codegenerationactivitycount"], &[], "GitHub Copilot usage per person and day, flattened", "import the JSON report it came from with [[imports]] preset = \"github-copilot-users-json\" (a flattened row has lost the completions' own counts)"),
    rule(&["title"], &["parent", "parentrowid", "parentrowids", "parentid"], "an OKR tool's long layout (objectives and key results as rows)", "see [[imports]] preset = \"okr-outline-csv\""),
    rule(&["objective"], &["keyresult", "keyresulttitle", "kr", "krtitle"], "an OKR tool's key results", "see [[imports]] preset = \"okr-key-results-csv\""),
    rule(&["issuekey", "issuetype"], &[], "a Jira issue export", "see [[imports]] preset = \"jira-issues-csv\""),
    rule(&["id", "title", "status", "team", "created"], &["completed", "canceled", "cyclenumber"], "a Linear issue export", "see [[imports]] preset = \"linear-issues-csv\""),
    rule(&[], &["mergedat", "mergeddate", "merged"], "pull requests", "see [[imports]] preset = \"csv\" with into = \"prs\""),
    rule(&[], &["deployedat", "deploymentid", "deployid"], "deployments", "see [[imports]] preset = \"csv\" with into = \"deployments\""),
    rule(&[], &["incidentid", "incidentnumber", "resolvedat"], "incidents", "see [[imports]] preset = \"csv\" with into = \"incidents\""),
];

/// JSON exports by the keys of their first record (and of the document).
const JSON_RULES: &[Rule] = &[
    rule(
        &["downloadlinks"],
        &[],
        "the Copilot API's download links",
        "download the files it links to and import those with [[imports]] preset = \"github-copilot-users-json\"",
    ),
    rule(
        &["userlogin", "day"],
        &[],
        "GitHub Copilot's per-user usage report",
        "see [[imports]] preset = \"github-copilot-users-json\"",
    ),
    rule(
        &["number"],
        &["createdat", "mergedat"],
        "pull requests from gh pr list",
        "see [[imports]] preset = \"github-prs-json\"",
    ),
    rule(
        &[],
        &["startvalue", "targetvalue", "progress"],
        "an okr-tracker key result",
        "see [[imports]] preset = \"okr-tracker-json\"",
    ),
    rule(
        &["name", "startdate", "enddate"],
        &[],
        "an okr-tracker period",
        "see [[imports]] preset = \"okr-tracker-json\"",
    ),
];

/// Workbooks by extension: quarterdeck reads their sheets once saved as CSV.
const WORKBOOKS: &[&str] = &["xlsx", "xls", "xlsm", "ods", "numbers"];

/// How much of a file is read to guess: a CSV header is at its start; a
/// JSON document is parsed whole (a large report is still a few megabytes).
const CSV_BYTES: u64 = 1 << 20;
const JSON_BYTES: u64 = 64 << 20;

impl Rule {
    fn matches(&self, names: &BTreeSet<String>) -> bool {
        self.all.iter().all(|n| names.contains(*n))
            && (self.any.is_empty() || self.any.iter().any(|n| names.contains(*n)))
            && !self.none.iter().any(|n| names.contains(*n))
    }

    fn guess(&self) -> Guess {
        Guess { what: self.what.to_string(), advice: self.advice.to_string() }
    }
}

/// What the file at `path` (named `name` in messages) looks like, if anything.
pub fn sniff(path: &Path, name: &str) -> Option<Guess> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if WORKBOOKS.contains(&ext.as_str()) {
        let advice = "quarterdeck reads CSV: save the sheet as \"CSV UTF-8\"".to_string();
        return Some(Guess { what: "a spreadsheet workbook".into(), advice });
    }
    let json = matches!(ext.as_str(), "json" | "ndjson" | "jsonl");
    let mut bytes = Vec::new();
    let limit = if json { JSON_BYTES } else { CSV_BYTES };
    std::fs::File::open(path).ok()?.take(limit).read_to_end(&mut bytes).ok()?;
    if json {
        json_guess(&bytes)
    } else {
        csv_guess(name, bytes)
    }
}

/// One of our files by its required columns, else an export by the rules.
fn csv_guess(name: &str, mut bytes: Vec<u8>) -> Option<Guess> {
    if let Some(end) = bytes.iter().rposition(|&b| b == b'\n') {
        bytes.truncate(end + 1);
    }
    let csv = Foreign::parse(name, bytes).ok()?;
    let names: BTreeSet<String> = csv.table.original.iter().map(fold).collect();
    let ours = ALL
        .iter()
        .filter(|spec| spec.required().all(|c| names.contains(&fold(c))))
        .max_by_key(|spec| spec.required().count());
    if let Some(spec) = ours {
        let advice =
            format!("name it {} (one file per kind; several are read with [[imports]] preset = \"csv\", into = \"{}\" and a glob as file)", spec.file, spec.key);
        return Some(Guess { what: spec.file.to_string(), advice });
    }
    CSV_RULES.iter().find(|r| r.matches(&names)).map(Rule::guess)
}

/// A JSON export by its keys; a Copilot report without people by its shape.
fn json_guess(bytes: &[u8]) -> Option<Guess> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).ok()?;
    let doc: Value = serde_json::from_str(text)
        .ok()
        .or_else(|| text.lines().find(|l| !l.trim().is_empty()).and_then(|l| serde_json::from_str(l).ok()))?;
    if let Some(what) = copilot::other_report(&doc) {
        return Some(Guess { what: what.to_string(), advice: PER_USER.to_string() });
    }
    let first = doc.as_array().and_then(|a| a.first()).or_else(|| doc.get("day_totals")?.as_array()?.first());
    let mut names = BTreeSet::new();
    for object in [Some(&doc), first].into_iter().flatten().filter_map(Value::as_object) {
        names.extend(object.keys().map(|k| fold(k)));
    }
    JSON_RULES.iter().find(|r| r.matches(&names)).map(Rule::guess)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(name: &str, text: &str) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        sniff(&path, name).map(|g| format!("{}: {}", g.what, g.advice))
    }

    #[test]
    fn headers_tell_exports_and_our_files_apart() {
        let jenkins = "org,repository,number,url,state,created_at,merged_at,user.login,month_year,title\n";
        assert_eq!(
            guess("s.csv", jenkins).unwrap(),
            "pull requests: see [[imports]] preset = \"csv\" with into = \"prs\""
        );
        let ours = "pr_id,team,opened_at,merged_at\n";
        assert!(guess("prs-2026.csv", ours).unwrap().starts_with("prs.csv: name it prs.csv"));
        let outline = "Row ID,Title,Parent,Entity,Owner Email,Time Period,Start Value,Target Value,Current Value\n";
        assert!(guess("okrs-export.csv", outline).unwrap().contains("okr-outline-csv"));
        assert!(guess("pr.csv", "id,base_repo_id,merge_commit_sha,created_date,merged_date\n")
            .unwrap()
            .contains("devlake-pull-requests-csv"));
        assert_eq!(guess("notes.csv", "a,b\n1,2\n"), None);
        // DevLake's issues have a resolution date and a priority: no incidents
        let issues = "id,url,issue_key,title,type,status,resolution_date,created_date,priority,severity\n";
        assert!(guess("issues.csv", issues).unwrap().starts_with("Apache DevLake's issues table"));
        let pipelines = "id,name,result,status,type,environment,created_date,finished_date,cicd_scope_id\n";
        assert!(guess("p.csv", pipelines).unwrap().starts_with("Apache DevLake's cicd_pipelines table"));
        assert!(guess("okrs.xlsx", "PK").unwrap().contains("save the sheet as"));
    }

    #[test]
    fn devlake_tables_name_the_preset_or_option_that_reads_them() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/imports");
        let cases = [
            ("devlake-ants/pull_requests.csv", "see [[imports]] preset = \"devlake-pull-requests-csv\""),
            (
                "devlake-ants/pull_request_comments.csv",
                "reviews_file of [[imports]] preset = \"devlake-pull-requests-csv\"",
            ),
            (
                "devlake-ants/_tool_github_pull_request_reviews.csv",
                "reviews_file of [[imports]] preset = \"devlake-pull-requests-csv\"",
            ),
            ("devlake-ants/project_mapping.csv", "mapping_file of a DevLake preset's [[imports]] entry"),
            ("devlake-dora/devlake/cicd_deployments.csv", "see [[imports]] preset = \"devlake-deployments-csv\""),
            (
                "devlake-dora/devlake/cicd_deployment_commits.csv",
                "commits_file of [[imports]] preset = \"devlake-deployments-csv\"",
            ),
            (
                "devlake-dora/devlake/project_pr_metrics.csv",
                "pr_metrics_file of [[imports]] preset = \"devlake-deployments-csv\"",
            ),
            ("devlake-dora/devlake/incidents.csv", "see [[imports]] preset = \"devlake-incidents-csv\""),
            (
                "devlake-dora/devlake/project_incident_deployment_relationships.csv",
                "relationships_file of [[imports]] preset = \"devlake-incidents-csv\"",
            ),
            ("devlake-deployments/gitlab/cicd_deployments.tsv", "see [[imports]] preset = \"devlake-deployments-csv\""),
            (
                "devlake-deployments/openbic/cicd_deployments.csv",
                "see [[imports]] preset = \"devlake-deployments-csv\"",
            ),
        ];
        for (file, advice) in cases {
            let g = sniff(&fixtures.join(file), file).unwrap_or_else(|| panic!("{file}: no guess"));
            assert!(g.advice.contains(advice), "{file}: {} — {}", g.what, g.advice);
        }
    }

    #[test]
    fn json_keys_and_copilot_reports() {
        let users =
            r#"{"report_start_day": "2026-03-29", "day_totals": [{"day": "2026-03-30", "user_login": "defunkt"}]}"#;
        assert!(guess("u.json", users).unwrap().ends_with("preset = \"github-copilot-users-json\""));
        let org = r#"{"day_totals": [{"day": "2026-03-30", "daily_active_users": 7}]}"#;
        assert!(guess("o.json", org).unwrap().starts_with("GitHub Copilot's organisation-level usage report"));
        let gh = r#"[{"number": 1, "createdAt": "2026-07-01T00:00:00Z"}]"#;
        assert!(guess("prs.json", gh).unwrap().contains("github-prs-json"));
        assert_eq!(guess("x.json", "{\"a\": 1}"), None);
        assert_eq!(guess("x.json", "not json"), None);
    }
}
