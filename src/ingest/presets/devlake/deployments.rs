//! `devlake-deployments-csv`: DevLake's `cicd_deployments` table as
//! deployments rows. Kept: a deployment to one of `environments` (default
//! `PRODUCTION`) whose `result` is `SUCCESS`. Deployed at `finished_date`,
//! except GitHub deployments, whose `finished_date` is when they went
//! inactive: there `started_date`. Failed when an incident names it, never
//! because its pipeline failed. Its pull requests from `commits_file`.

use super::{bad_time, time, ScopeKind, Side, Teams};
use crate::config::imports::fold_word;
use crate::error::{Error, Result};
use crate::ingest::presets::foreign::{cell, Column, Foreign};
use crate::ingest::presets::stage::{Cells, Origin, Stage};
use crate::ingest::presets::{rfc3339, Import, Known};
use csv::StringRecord;
use std::collections::BTreeSet;

/// The id prefix of deployments DevLake's GitHub plugins collect.
const GITHUB: &str = "github:GithubDeployment:";

/// The environment read when `environments` is not given.
const PRODUCTION: &str = "PRODUCTION";

/// The columns of `cicd_deployments` read.
struct Columns {
    id: Column,
    result: Column,
    environment: Column,
    started: Column,
    finished: Column,
}

/// Stages every successful deployment to a wanted environment as a deployments row.
pub fn stage(import: &Import, bytes: Vec<u8>, side: &Side, known: Known, stage: &mut Stage) -> Result<()> {
    let csv = super::table(&import.file, bytes)?;
    refuse_commits_table(&csv)?;
    let c = Columns {
        id: csv.require(&["id"])?,
        result: csv.require(&["result"])?,
        environment: csv.require(&["environment"])?,
        started: csv.require(&["started_date"])?,
        finished: csv.require(&["finished_date"])?,
    };
    let teams = Teams::new(&csv, import, side, "cicd_scope_id", ScopeKind::Fixed("cicd_scopes"))?;
    let wanted = environments(import);
    let fields = [("deploy_id", c.id.name.as_str()), ("deployed_at", c.finished.name.as_str())];
    let team = teams.field();
    stage.begin(&import.file, &[fields[0], fields[1], ("team", team.as_str()), ("pr_ids", "commits_file")]);
    let reader = Reader { import, c, teams, side, caused: known.caused_incidents };
    let mut seen = BTreeSet::new();
    for row in csv.table.records() {
        let (line, record) = row?;
        let environment = cell(&record, Some(&reader.c.environment)).unwrap_or_default();
        seen.insert(environment.to_string());
        if wanted.contains(&fold_word(environment)) && reader.succeeded(&record) {
            stage.push(Origin::Line(line), &reader.cells(line, &record)?);
        }
    }
    check_environments(import, &wanted, &seen)
}

/// The environments read, folded.
fn environments(import: &Import) -> Vec<String> {
    match &import.environments {
        Some(list) => list.iter().map(|e| fold_word(e)).collect(),
        None => vec![fold_word(PRODUCTION)],
    }
}

/// `cicd_deployment_commits` has every column of `cicd_deployments` and one
/// row per repository of a deployment: read as deployments, it would count each several times.
fn refuse_commits_table(csv: &Foreign) -> Result<()> {
    if csv.column(&["cicd_deployment_id"]).is_none() {
        return Ok(());
    }
    Err(Error::File {
        file: csv.table.file.clone(),
        message: "is DevLake's cicd_deployment_commits table (it has cicd_deployment_id); give it as commits_file, \
                  and the cicd_deployments table as file"
            .into(),
    })
}

/// Fails when the file has deployments but none in the wanted environments.
fn check_environments(import: &Import, wanted: &[String], seen: &BTreeSet<String>) -> Result<()> {
    if seen.is_empty() || seen.iter().any(|e| wanted.contains(&fold_word(e))) {
        return Ok(());
    }
    let asked = import.environments.clone().unwrap_or_else(|| vec![PRODUCTION.into()]);
    let found: Vec<&str> = seen.iter().map(|e| if e.is_empty() { "(empty)" } else { e.as_str() }).collect();
    Err(Error::File {
        file: import.file.clone(),
        message: format!(
            "no deployment is in environments {asked:?}; the file has {}: set environments = [\"…\"] on the \
             [[imports]] entry to the ones that are production",
            found.join(", ")
        ),
    })
}

/// One table being read.
struct Reader<'a> {
    import: &'a Import,
    c: Columns,
    teams: Teams<'a>,
    side: &'a Side,
    caused: &'a BTreeSet<String>,
}

impl Reader<'_> {
    /// Whether the deployment succeeded (a failed run deployed nothing).
    fn succeeded(&self, record: &StringRecord) -> bool {
        cell(record, Some(&self.c.result)).is_some_and(|r| r.eq_ignore_ascii_case("SUCCESS"))
    }

    /// The deployments.csv cells of one deployment.
    fn cells(&self, line: u64, record: &StringRecord) -> Result<Cells> {
        let id = cell(record, Some(&self.c.id)).unwrap_or_default().to_string();
        // GitHub's finished_date is when the deployment went inactive, often days later
        let column = if id.starts_with(GITHUB) { &self.c.started } else { &self.c.finished };
        let text = cell(record, Some(column)).ok_or_else(|| Error::Field {
            file: self.import.file.clone(),
            line,
            column: column.name.clone(),
            message: "expected when the deployment reached its environment, found an empty cell".into(),
        })?;
        let deployed = rfc3339(time(text).ok_or_else(|| bad_time(&self.import.file, line, column, text))?);
        let team = self.teams.require(line, record)?;
        Ok(vec![
            ("pr_ids", self.side.shipped(&id)),
            ("failed", self.caused.contains(&id).to_string()),
            ("deploy_id", id),
            ("team", team),
            ("deployed_at", deployed),
        ])
    }
}
