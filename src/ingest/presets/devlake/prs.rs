//! `devlake-pull-requests-csv`: DevLake's `pull_requests` table as prs rows;
//! the first review from `reviews_file`.

use super::{bad_time, time, ScopeKind, Side, Teams};
use crate::error::{Error, Result};
use crate::ingest::presets::foreign::{cell, Column, Foreign};
use crate::ingest::presets::stage::{Cells, Origin, Stage};
use crate::ingest::presets::{person, rfc3339, Import};
use crate::model::Person;
use csv::StringRecord;

/// The columns of `pull_requests` read.
struct Columns {
    id: Column,
    created: Column,
    merged: Column,
    author: Option<Column>,
    author_id: Option<Column>,
    additions: Option<Column>,
    deletions: Option<Column>,
}

/// Stages every pull request of the table as a prs row.
pub fn stage(import: &Import, bytes: Vec<u8>, side: &Side, people: &[Person], stage: &mut Stage) -> Result<()> {
    let csv = super::table(&import.file, bytes)?;
    let c = Columns {
        id: csv.require(&["id"])?,
        created: csv.require(&["created_date"])?,
        merged: csv.require(&["merged_date"])?,
        author: csv.column(&["author_name"]),
        author_id: csv.column(&["author_id"]),
        additions: csv.column(&["additions"]),
        deletions: csv.column(&["deletions"]),
    };
    let teams = Teams::new(&csv, import, side, "base_repo_id", ScopeKind::Fixed("repos"))?;
    let reader = Reader { import, csv: &csv, c, teams, side, people };
    reader.begin(stage);
    for row in csv.table.records() {
        let (line, record) = row?;
        let cells = reader.cells(line, &record, stage)?;
        stage.push(Origin::Line(line), &cells);
    }
    Ok(())
}

/// One table being read.
struct Reader<'a> {
    import: &'a Import,
    csv: &'a Foreign,
    c: Columns,
    teams: Teams<'a>,
    side: &'a Side,
    people: &'a [Person],
}

impl Reader<'_> {
    /// Names the table's columns for messages.
    fn begin(&self, stage: &mut Stage) {
        let name = |c: &Option<Column>, ours: &'static str| c.as_ref().map_or(ours.to_string(), |c| c.name.clone());
        let reviews = self.import.reviews_file.clone().unwrap_or_else(|| "first_review_at".into());
        let fields = [
            ("pr_id", self.c.id.name.clone()),
            ("opened_at", self.c.created.name.clone()),
            ("merged_at", self.c.merged.name.clone()),
            ("author", name(&self.c.author, "author")),
            ("team", self.teams.field()),
            ("first_review_at", reviews),
            ("additions", name(&self.c.additions, "additions")),
            ("deletions", name(&self.c.deletions, "deletions")),
        ];
        let borrowed: Vec<(&'static str, &str)> = fields.iter().map(|(o, t)| (*o, t.as_str())).collect();
        stage.begin(&self.import.file, &borrowed);
    }

    /// The prs.csv cells of one pull request.
    fn cells(&self, line: u64, record: &StringRecord, stage: &Stage) -> Result<Cells> {
        let id = cell(record, Some(&self.c.id)).unwrap_or_default().to_string();
        let opened = self.time(line, record, &self.c.created)?;
        let merged = self.time(line, record, &self.c.merged)?;
        let author_id = cell(record, self.c.author_id.as_ref());
        let first_review = opened.and_then(|t| self.side.first_review(&id, author_id, t));
        let login = cell(record, self.c.author.as_ref()).map(|l| stage.word("author", l).to_string());
        let found = login.as_deref().and_then(|l| person(self.people, l));
        let team = match self.teams.get(line, record)? {
            Some(t) => t,
            None => found.map(|p| p.team.clone()).ok_or_else(|| self.teams.none(line, record))?,
        };
        let number = |c: &Option<Column>| cell(record, c.as_ref()).map(|n| self.csv.number(n)).transpose();
        let (additions, deletions) = (number(&self.c.additions), number(&self.c.deletions));
        Ok(vec![
            ("pr_id", id),
            ("team", team),
            ("author", found.map(|p| p.id.clone()).or(login).unwrap_or_default()),
            ("opened_at", opened.map(rfc3339).unwrap_or_default()),
            ("merged_at", merged.map(rfc3339).unwrap_or_default()),
            ("first_review_at", first_review.map(rfc3339).unwrap_or_default()),
            ("additions", additions.map_err(|m| self.err(line, "additions", m))?.unwrap_or_default()),
            ("deletions", deletions.map_err(|m| self.err(line, "deletions", m))?.unwrap_or_default()),
        ])
    }

    /// A time cell; empty is `None`.
    fn time(&self, line: u64, record: &StringRecord, column: &Column) -> Result<Option<i64>> {
        let Some(text) = cell(record, Some(column)) else { return Ok(None) };
        time(text).map(Some).ok_or_else(|| bad_time(&self.import.file, line, column, text))
    }

    fn err(&self, line: u64, column: &str, message: String) -> Error {
        Error::Field { file: self.import.file.clone(), line, column: column.into(), message }
    }
}
