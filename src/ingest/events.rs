//! The raw engineering events: prs.csv, deployments.csv, incidents.csv,
//! ai_usage.csv and people.csv. Each is optional; what is really wrong is an
//! error, what exports commonly contain (unmerged PRs, open incidents,
//! deployments naming unknown PRs) is kept and handled by the signals.

use super::table::{text, At, Table};
use crate::error::Result;
use crate::model::{AiUsage, Deployment, Incident, Names, Person, PullRequest};
use csv::StringRecord;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The first row whose id was already listed, as (its line, the id, the first line).
fn first_repeat<'a>(rows: impl Iterator<Item = (&'a str, u64)>) -> Option<(u64, &'a str, u64)> {
    let mut seen: HashMap<&str, u64> = HashMap::new();
    for (id, line) in rows {
        if let Some(&first) = seen.get(id) {
            return Some((line, id, first));
        }
        seen.insert(id, line);
    }
    None
}

#[derive(Deserialize)]
struct RawPr {
    pr_id: Option<String>,
    team: Option<String>,
    author: Option<String>,
    opened_at: Option<String>,
    first_review_at: Option<String>,
    merged_at: Option<String>,
    additions: Option<String>,
    deletions: Option<String>,
    ai_assisted: Option<String>,
    rework: Option<String>,
}

/// Parses prs.csv: unique ids; review and merge not before opening. Every
/// row is checked before ids are compared, so a bad cell is reported before
/// a repeated id further up.
pub fn prs(table: &Table) -> Result<Vec<PullRequest>> {
    let mut out = Vec::with_capacity(table.line_count());
    let mut names = Names::default();
    for row in table.rows::<RawPr>() {
        let (line, raw) = row?;
        out.push(read_pr(&At { file: &table.file, line }, &raw, &mut names)?);
    }
    if let Some((line, id, first)) = first_repeat(out.iter().map(|p| (&*p.id, u64::from(p.line)))) {
        let at = At { file: &table.file, line };
        let mut message = format!("pull request {id} is listed twice (first on line {first})");
        message.push_str(&per_repository(table, &out, id, [first, line]).unwrap_or_default());
        return Err(at.err("pr_id", message));
    }
    Ok(out)
}

/// Headers (folded) of a column naming the repository a pull request is in.
const REPOSITORY: &[&str] = &["repository", "repo", "repositoryname", "reponame", "baserepo", "baserepoid"];

/// When a repeated pull request id is a number and its two rows are in
/// different repositories (a repository column, else the team), the words
/// that say it is a per-repository number and how to make ids unique.
fn per_repository(table: &Table, prs: &[PullRequest], id: &str, lines: [u64; 2]) -> Option<String> {
    if !id.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let repo = table.headers.iter().position(|h| REPOSITORY.contains(&h));
    let of_line = |line: u64| -> Option<(&str, String)> {
        match repo {
            Some(i) => table
                .records()
                .filter_map(Result::ok)
                .find(|(l, _)| *l == line)
                .and_then(|(_, record)| record.get(i).map(|cell| ("repository", cell.trim().to_string()))),
            None => prs.iter().find(|p| u64::from(p.line) == line).map(|p| ("team", p.team.to_string())),
        }
    };
    let ((what, a), (_, b)) = (of_line(lines[0])?, of_line(lines[1])?);
    (a != b).then(|| {
        format!(
            "; {id} looks like a per-repository number: line {} is in {what} {a}, line {} in {b}; \
             make ids unique across repositories, as [imports.columns] pr_id = \"{{repository}}#{{number}}\" \
             of an [[imports]] entry with preset = \"csv\" and into = \"prs\", or id_prefix on a jira, \
             linear or github preset's entry",
            lines[0], lines[1]
        )
    })
}

/// Reads one row of prs.csv.
fn read_pr(at: &At, raw: &RawPr, names: &mut Names) -> Result<PullRequest> {
    let id: Box<str> = at.required("pr_id", &raw.pr_id)?.into();
    let opened = at.required_timestamp("opened_at", &raw.opened_at)?;
    let first_review = at.timestamp("first_review_at", &raw.first_review_at)?;
    let merged = at.timestamp("merged_at", &raw.merged_at)?;
    for (column, t) in [("first_review_at", first_review), ("merged_at", merged)] {
        if t.is_some_and(|t| t < opened) {
            return Err(
                at.err(column, "expected a time on or after opened_at, found an earlier one (a negative duration)")
            );
        }
    }
    at.number("additions", &raw.additions)?;
    at.number("deletions", &raw.deletions)?;
    Ok(PullRequest {
        id,
        team: names.get(at.required("team", &raw.team)?),
        author: text(&raw.author).map(|a| names.get(a)),
        opened,
        first_review: first_review.into(),
        merged: merged.into(),
        ai_assisted: at.boolean("ai_assisted", &raw.ai_assisted)?,
        rework: at.boolean("rework", &raw.rework)?,
        line: u32::try_from(at.line).unwrap_or(u32::MAX),
    })
}

#[derive(Deserialize)]
struct RawDeployment {
    deploy_id: Option<String>,
    team: Option<String>,
    service: Option<String>,
    deployed_at: Option<String>,
    failed: Option<String>,
    pr_ids: Option<String>,
}

/// Parses deployments.csv: unique ids; `pr_ids` split on spaces or commas.
pub fn deployments(table: &Table) -> Result<Vec<Deployment>> {
    let mut out = Vec::with_capacity(table.line_count());
    let mut names = Names::default();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for row in table.rows::<RawDeployment>() {
        let (line, raw) = row?;
        let at = At { file: &table.file, line };
        let id = at.required("deploy_id", &raw.deploy_id)?.to_string();
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(at.err("deploy_id", format!("deployment {id} is listed twice (first on line {first})")));
        }
        out.push(Deployment {
            id,
            team: names.get(at.required("team", &raw.team)?),
            service: text(&raw.service).map(String::from),
            deployed: at.required_timestamp("deployed_at", &raw.deployed_at)?,
            failed: at.boolean("failed", &raw.failed)?.unwrap_or(false),
            pr_ids_cell: text(&raw.pr_ids).unwrap_or("").into(),
            line,
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
struct RawIncident {
    incident_id: Option<String>,
    team: Option<String>,
    service: Option<String>,
    severity: Option<String>,
    started_at: Option<String>,
    resolved_at: Option<String>,
    deploy_id: Option<String>,
}

/// Parses incidents.csv: unique ids; resolved not before started.
pub fn incidents(table: &Table) -> Result<Vec<Incident>> {
    let mut out = Vec::new();
    let mut names = Names::default();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for row in table.rows::<RawIncident>() {
        let (line, raw) = row?;
        let at = At { file: &table.file, line };
        let id = at.required("incident_id", &raw.incident_id)?.to_string();
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(at.err("incident_id", format!("incident {id} is listed twice (first on line {first})")));
        }
        out.push(read_incident(&at, &raw, id, &mut names)?);
    }
    Ok(out)
}

/// Reads the cells after the id of one row of incidents.csv.
fn read_incident(at: &At, raw: &RawIncident, id: String, names: &mut Names) -> Result<Incident> {
    let started = at.required_timestamp("started_at", &raw.started_at)?;
    let resolved = at.timestamp("resolved_at", &raw.resolved_at)?;
    if resolved.is_some_and(|r| r < started) {
        return Err(
            at.err("resolved_at", "expected a time on or after started_at, found an earlier one (a negative duration)")
        );
    }
    Ok(Incident {
        id,
        team: names.get(at.required("team", &raw.team)?),
        service: text(&raw.service).map(String::from),
        severity: text(&raw.severity).map(String::from),
        started,
        resolved,
        deploy_id: text(&raw.deploy_id).map(String::from),
        line: at.line,
    })
}

#[derive(Deserialize)]
struct RawAi {
    date: Option<String>,
    person: Option<String>,
    suggestions_shown: Option<String>,
    suggestions_accepted: Option<String>,
    lines_accepted: Option<String>,
    active: Option<String>,
}

/// Parses ai_usage.csv: counts are not negative and accepted ≤ shown.
pub fn ai_usage(table: &Table) -> Result<Vec<AiUsage>> {
    let mut out = Vec::with_capacity(table.line_count());
    let mut names = Names::default();
    for row in table.rows::<RawAi>() {
        let (line, raw) = row?;
        out.push(read_ai_usage(&At { file: &table.file, line }, &raw, &mut names)?);
    }
    Ok(out)
}

/// Reads one row of ai_usage.csv.
fn read_ai_usage(at: &At, raw: &RawAi, names: &mut Names) -> Result<AiUsage> {
    let shown = read_count(at, "suggestions_shown", &raw.suggestions_shown)?;
    let accepted = read_count(at, "suggestions_accepted", &raw.suggestions_accepted)?;
    if accepted > shown {
        return Err(
            at.err("suggestions_accepted", format!("expected at most suggestions_shown ({shown}), found {accepted}"))
        );
    }
    Ok(AiUsage {
        date: at.required_date("date", &raw.date)?,
        person: names.get(at.required("person", &raw.person)?),
        shown,
        accepted,
        lines: read_count(at, "lines_accepted", &raw.lines_accepted)?,
        active: at.boolean("active", &raw.active)?.unwrap_or(shown > 0.0),
    })
}

/// Reads a count: empty is 0, a negative number is an error.
fn read_count(at: &At, column: &str, v: &Option<String>) -> Result<f64> {
    match at.number(column, v)? {
        Some(n) if n < 0.0 => Err(at.err(column, format!("expected a count of 0 or more, found {n}"))),
        n => Ok(n.unwrap_or(0.0)),
    }
}

/// Parses people.csv: unique people; every column other than person, team
/// and role becomes a cohort dimension, named by its folded header.
pub fn people(table: &Table) -> Result<(Vec<Person>, Vec<String>)> {
    let dimensions = dimension_columns(table);
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for row in table.records() {
        let (line, record) = row?;
        let at = At { file: &table.file, line };
        let cell = |name: &str| {
            table.headers.iter().position(|h| h == name).and_then(|i| record.get(i)).map(|s| s.trim().to_string())
        };
        let id = at.required("person", &cell("person"))?.to_string();
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(at.err("person", format!("person {id} is listed twice (first on line {first})")));
        }
        let team = at.required("team", &cell("team"))?.to_string();
        let role = cell("role").filter(|s| !s.is_empty());
        out.push(Person { id, team, role, dimensions: person_dimensions(&record, &dimensions) });
    }
    Ok((out, dimensions.into_iter().map(|(_, n)| fold_dimension(&n)).collect()))
}

/// The cohort dimension columns of people.csv: position and header as written.
fn dimension_columns(table: &Table) -> Vec<(usize, String)> {
    let fixed: BTreeSet<&str> = ["person", "team", "role"].into();
    table
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !fixed.contains(h))
        .map(|(i, _)| (i, table.original.get(i).map_or_else(String::new, |h| h.trim().to_string())))
        .filter(|(_, h)| !h.is_empty())
        .collect()
}

/// A person's non-empty dimension cells, by folded dimension name.
fn person_dimensions(record: &StringRecord, dimensions: &[(usize, String)]) -> BTreeMap<String, String> {
    dimensions
        .iter()
        .filter_map(|(i, name)| {
            let v = record.get(*i)?.trim();
            (!v.is_empty()).then(|| (fold_dimension(name), v.to_string()))
        })
        .collect()
}

/// A cohort dimension's name: lower case, spaces and hyphens as underscores.
fn fold_dimension(header: &str) -> String {
    header.trim().to_lowercase().replace([' ', '-'], "_")
}
