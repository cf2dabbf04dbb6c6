//! The tables a DevLake import reads beside its own: `project_mapping`
//! (teams), `pull_request_comments` or GitHub's reviews (first reviews),
//! `cicd_deployment_commits` with the pull requests' merge commits or
//! `project_pr_metrics` (what a deployment shipped), and
//! `project_incident_deployment_relationships` (what an incident was caused by).

use super::{bad_time, is_devlake, merge_commits, read_side, time};
use crate::config::Config;
use crate::error::Result;
use crate::ingest::presets::foreign::{cell, Foreign};
use crate::ingest::presets::Import;
use crate::model::InputFile;
use csv::StringRecord;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// (`table`, `row_id`) of `project_mapping` → the projects it is in.
type Projects = BTreeMap<(String, String), Vec<String>>;

/// What an import's side files say; empty for an import without them.
#[derive(Default)]
pub struct Side {
    projects: Option<Projects>,
    mapping_file: String,
    /// Pull request id → (who, when) of each review.
    reviews: BTreeMap<String, Vec<(String, i64)>>,
    /// Deployment id → the pull requests it shipped.
    shipped: BTreeMap<String, BTreeSet<String>>,
    /// Incident id → (project, deployment id) of each deployment that caused it.
    causes: BTreeMap<String, Vec<(String, String)>>,
}

impl Side {
    /// Reads the side files of `import`, listing each among `inputs`.
    pub fn load(data_dir: &Path, config: &Config, import: &Import, inputs: &mut Vec<InputFile>) -> Result<Side> {
        let mut side = Side::default();
        if !is_devlake(import) {
            return Ok(side);
        }
        if let Some(f) = &import.mapping_file {
            side.projects = Some(read_side(data_dir, import, "mapping_file", f, inputs, projects)?);
            side.mapping_file = f.clone();
        }
        if let Some(f) = &import.reviews_file {
            side.reviews = read_side(data_dir, import, "reviews_file", f, inputs, reviews)?;
        }
        if let Some(f) = &import.relationships_file {
            side.causes = read_side(data_dir, import, "relationships_file", f, inputs, causes)?;
        }
        if let Some(f) = &import.commits_file {
            side.shipped = shipped(data_dir, config, import, f, inputs)?;
        }
        Ok(side)
    }

    /// Whether a `project_mapping` was given.
    pub fn has_mapping(&self) -> bool {
        self.projects.is_some()
    }

    /// The project of scope `id` of mapping table `table`; an error when it is in several.
    pub fn project(&self, table: &str, id: &str) -> std::result::Result<Option<String>, String> {
        let key = (table.to_string(), id.to_string());
        match self.projects.as_ref().and_then(|p| p.get(&key)).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([one]) => Ok(Some(one.clone())),
            Some(several) => Err(format!(
                "{id} is in {} DevLake projects of {} ({}); a row counts for one team: keep one of them in the \
                 mapping, or set team",
                several.len(),
                self.mapping_file,
                several.join(", ")
            )),
        }
    }

    /// The first review of pull request `pr` at or after its opening by
    /// someone other than its author (`author`: DevLake's account id).
    pub fn first_review(&self, pr: &str, author: Option<&str>, opened: i64) -> Option<i64> {
        let reviews = self.reviews.get(pr)?;
        reviews.iter().filter(|(who, t)| Some(who.as_str()) != author && *t >= opened).map(|(_, t)| *t).min()
    }

    /// The pull requests deployment `id` shipped, space-separated.
    pub fn shipped(&self, id: &str) -> String {
        self.shipped.get(id).map(|prs| prs.iter().cloned().collect::<Vec<_>>().join(" ")).unwrap_or_default()
    }

    /// The deployment that caused incident `id`: the one of project `team`
    /// when several are named, else the first named.
    pub fn cause(&self, id: &str, team: &str) -> Option<&str> {
        let causes = self.causes.get(id)?;
        let same = causes.iter().find(|(project, _)| project == team);
        same.or(causes.first()).map(|(_, d)| d.as_str())
    }
}

/// Calls `f` with every row of `csv` (its line and cells); returns how many there were.
fn each(csv: &Foreign, mut f: impl FnMut(u64, &StringRecord) -> Result<()>) -> Result<usize> {
    let mut rows = 0;
    for r in csv.table.records() {
        let (line, record) = r?;
        rows += 1;
        f(line, &record)?;
    }
    Ok(rows)
}

/// `project_mapping`: project_name, table, row_id.
fn projects(csv: &Foreign) -> Result<(Projects, usize)> {
    let (project, table, row) = (csv.require(&["project_name"])?, csv.require(&["table"])?, csv.require(&["row_id"])?);
    let mut out = Projects::new();
    let rows = each(csv, |_, record| {
        let cells = (cell(record, Some(&project)), cell(record, Some(&table)), cell(record, Some(&row)));
        if let (Some(p), Some(t), Some(id)) = cells {
            let projects = out.entry((t.to_string(), id.to_string())).or_default();
            if !projects.iter().any(|q| q == p) {
                projects.push(p.to_string());
            }
        }
        Ok(())
    })?;
    Ok((out, rows))
}

/// Pull request id → its reviews (reviewer, UTC seconds).
type Reviews = BTreeMap<String, Vec<(String, i64)>>;

/// Incident id → the deployments it names (project, deployment id).
type Causes = BTreeMap<String, Vec<(String, String)>>;

/// Reviews by pull request: DevLake's `pull_request_comments` (review
/// comments, `DIFF` and `REVIEW`, not the conversation's `NORMAL`), or
/// GitHub's `_tool_github_pull_request_reviews` (every submitted review).
fn reviews(csv: &Foreign) -> Result<(Reviews, usize)> {
    if csv.column(&["github_submit_at"]).is_some() {
        return github_reviews(csv);
    }
    let (pr, who, at) =
        (csv.require(&["pull_request_id"])?, csv.require(&["account_id"])?, csv.require(&["created_date"])?);
    let kind = csv.column(&["type"]);
    let mut out: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
    let rows = each(csv, |line, record| {
        let conversation = cell(record, kind.as_ref()).is_some_and(|k| k.eq_ignore_ascii_case("NORMAL"));
        let (Some(id), Some(text), false) = (cell(record, Some(&pr)), cell(record, Some(&at)), conversation) else {
            return Ok(());
        };
        let t = time(text).ok_or_else(|| bad_time(&csv.table.file, line, &at, text))?;
        let who = cell(record, Some(&who)).unwrap_or_default().to_string();
        out.entry(id.to_string()).or_default().push((who, t));
        Ok(())
    })?;
    Ok((out, rows))
}

/// GitHub's reviews as DevLake's GitHub plugin stores them, keyed by the
/// domain ids (`github:GithubPullRequest:CONNECTION:ID`, `github:GithubAccount:CONNECTION:ID`).
fn github_reviews(csv: &Foreign) -> Result<(Reviews, usize)> {
    let connection = csv.require(&["connection_id"])?;
    let (pr, who, at) =
        (csv.require(&["pull_request_id"])?, csv.require(&["author_user_id"])?, csv.require(&["github_submit_at"])?);
    let state = csv.column(&["state"]);
    let mut out: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
    let rows = each(csv, |line, record| {
        let pending = cell(record, state.as_ref()).is_some_and(|s| s.eq_ignore_ascii_case("PENDING"));
        let cells = (cell(record, Some(&connection)), cell(record, Some(&pr)), cell(record, Some(&at)));
        let (Some(c), Some(id), Some(text), false) = (cells.0, cells.1, cells.2, pending) else { return Ok(()) };
        let t = time(text).ok_or_else(|| bad_time(&csv.table.file, line, &at, text))?;
        let who = cell(record, Some(&who)).map(|w| format!("github:GithubAccount:{c}:{w}")).unwrap_or_default();
        out.entry(format!("github:GithubPullRequest:{c}:{id}")).or_default().push((who, t));
        Ok(())
    })?;
    Ok((out, rows))
}

/// `project_incident_deployment_relationships`: id (the incident), project_name, deployment_id.
fn causes(csv: &Foreign) -> Result<(Causes, usize)> {
    let (id, deployment) = (csv.require(&["id"])?, csv.require(&["deployment_id"])?);
    let project = csv.column(&["project_name"]);
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let rows = each(csv, |_, record| {
        if let (Some(i), Some(d)) = (cell(record, Some(&id)), cell(record, Some(&deployment))) {
            let p = cell(record, project.as_ref()).unwrap_or_default().to_string();
            out.entry(i.to_string()).or_default().push((p, d.to_string()));
        }
        Ok(())
    })?;
    Ok((out, rows))
}

/// A deployment commit of `cicd_deployment_commits`: its deployment and commit.
type Commits = BTreeMap<String, (String, String)>;

/// What each deployment shipped: through DevLake's `project_pr_metrics`
/// (a pull request's `deployment_commit_id`) when given, else the pull
/// requests whose merge commit is a deployed commit.
fn shipped(
    data_dir: &Path,
    config: &Config,
    import: &Import,
    commits_file: &str,
    inputs: &mut Vec<InputFile>,
) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let commits = read_side(data_dir, import, "commits_file", commits_file, inputs, deployment_commits)?;
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    if let Some(f) = &import.pr_metrics_file {
        for (pr, commit) in read_side(data_dir, import, "pr_metrics_file", f, inputs, pr_deployment_commits)? {
            if let Some((deployment, _)) = commits.get(&commit) {
                out.entry(deployment.clone()).or_default().insert(pr);
            }
        }
        return Ok(out);
    }
    let by_sha = merge_commits(data_dir, config)?;
    for (deployment, sha) in commits.values() {
        if let Some(prs) = by_sha.get(sha) {
            out.entry(deployment.clone()).or_default().extend(prs.iter().cloned());
        }
    }
    Ok(out)
}

/// `cicd_deployment_commits`: id → (cicd_deployment_id, commit_sha).
fn deployment_commits(csv: &Foreign) -> Result<(Commits, usize)> {
    let (id, deployment, sha) =
        (csv.require(&["id"])?, csv.require(&["cicd_deployment_id"])?, csv.require(&["commit_sha"])?);
    let mut out = Commits::new();
    let rows = each(csv, |_, record| {
        let cells = (cell(record, Some(&id)), cell(record, Some(&deployment)), cell(record, Some(&sha)));
        if let (Some(i), Some(d), Some(s)) = cells {
            out.insert(i.to_string(), (d.to_string(), s.to_string()));
        }
        Ok(())
    })?;
    Ok((out, rows))
}

/// `project_pr_metrics`: (pull request id, deployment_commit_id) of each deployed pull request.
fn pr_deployment_commits(csv: &Foreign) -> Result<(Vec<(String, String)>, usize)> {
    let (id, commit) = (csv.require(&["id"])?, csv.require(&["deployment_commit_id"])?);
    let mut out = Vec::new();
    let rows = each(csv, |_, record| {
        if let (Some(i), Some(c)) = (cell(record, Some(&id)), cell(record, Some(&commit))) {
            out.push((i.to_string(), c.to_string()));
        }
        Ok(())
    })?;
    Ok((out, rows))
}
