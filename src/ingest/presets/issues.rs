//! Jira and Linear issue exports as the source of cycle-time data: each issue
//! that reached done becomes a prs row, opened when it was created (Jira) or
//! started (Linear), merged when it was resolved or completed.

use super::foreign::{cell, Column, Foreign};
use super::stage::{Cells, Origin, Stage};
use super::{parse_time, person, rfc3339, Import, Preset};
use crate::error::{Error, Result};
use crate::model::Person;
use csv::StringRecord;

/// Where one tool's export keeps what a prs row needs; each list holds the
/// header's known spellings, first match wins.
struct Layout {
    id: &'static [&'static str],
    created: &'static [&'static str],
    started: &'static [&'static str],
    done: &'static [&'static str],
    /// Who did the work, in order of preference.
    people: &'static [&'static [&'static str]],
    team: &'static [&'static str],
    labels: &'static str,
    /// Labels in one cell joined by commas (Linear), not one column each (Jira).
    joined_labels: bool,
    kind: &'static [&'static str],
    resolution: &'static [&'static str],
    canceled: &'static [&'static str],
}

const JIRA: Layout = Layout {
    id: &["Issue key", "Key"],
    created: &["Created"],
    started: &[],
    done: &["Resolved", "Resolution date"],
    people: &[&["Assignee"], &["Creator"], &["Reporter"]],
    team: &["Team", "Custom field (Team)", "Team Name"],
    labels: "Labels",
    joined_labels: false,
    kind: &["Issue Type"],
    resolution: &["Resolution"],
    canceled: &[],
};

const LINEAR: Layout = Layout {
    id: &["ID", "Identifier"],
    created: &["Created"],
    started: &["Started"],
    done: &["Completed"],
    people: &[&["Assignee"], &["Creator"]],
    team: &["Team"],
    labels: "Labels",
    joined_labels: true,
    kind: &[],
    resolution: &[],
    canceled: &["Canceled", "Cancelled"],
};

/// Jira resolutions that close an issue without the work being done.
const NOT_DONE: &[&str] = &[
    "won't do",
    "won't fix",
    "wont do",
    "wont fix",
    "duplicate",
    "cannot reproduce",
    "can't reproduce",
    "declined",
    "incomplete",
    "obsolete",
    "rejected",
    "abandoned",
];

/// The columns of one export, found in its header.
struct Columns {
    id: Column,
    created: Column,
    opened: Option<Column>,
    done: Column,
    people: Vec<Column>,
    team: Option<Column>,
    labels: Vec<usize>,
    kind: Option<Column>,
    resolution: Option<Column>,
    canceled: Option<Column>,
}

fn columns(csv: &Foreign, layout: &Layout, import: &Import) -> Result<Columns> {
    let people: Vec<Column> = layout.people.iter().filter_map(|names| csv.column(names)).collect();
    if people.is_empty() {
        csv.require(layout.people[0])?;
    }
    let team = match (&import.team_column, &import.team) {
        (Some(c), _) => Some(csv.require(&[c.as_str()])?),
        (None, None) => csv.column(layout.team),
        (None, Some(_)) => None,
    };
    Ok(Columns {
        id: csv.require(layout.id)?,
        created: csv.require(layout.created)?,
        opened: match &import.opened_column {
            Some(c) => Some(csv.require(&[c.as_str()])?),
            None => csv.column(layout.started),
        },
        done: csv.require(layout.done)?,
        people,
        team,
        labels: csv.columns(layout.labels),
        kind: csv.column(layout.kind),
        resolution: csv.column(layout.resolution),
        canceled: csv.column(layout.canceled),
    })
}

/// Stages every done issue of a Jira or Linear export as a prs row.
pub fn stage(import: &Import, bytes: Vec<u8>, people: &[Person], stage: &mut Stage) -> Result<()> {
    let layout = if import.preset == Preset::JiraIssuesCsv { &JIRA } else { &LINEAR };
    let csv = Foreign::parse(&import.file, bytes)?;
    let reader = Reader { import, layout, cols: columns(&csv, layout, import)?, people };
    let cols = &reader.cols;
    let label_name = if cols.labels.is_empty() { "labels" } else { layout.labels };
    stage.begin(
        &import.file,
        &[
            ("pr_id", &cols.id.name),
            ("opened_at", cols.opened.as_ref().map_or(cols.created.name.as_str(), |c| c.name.as_str())),
            ("merged_at", &cols.done.name),
            ("author", &cols.people[0].name),
            ("team", reader.team_name()),
            ("ai_assisted", label_name),
            ("rework", label_name),
        ],
    );
    for row in csv.table.records() {
        let (line, record) = row?;
        if counts(import, cols, &record) && cell(&record, Some(&cols.done)).is_some() {
            let cells = reader.cells(line, &record, stage)?;
            stage.push(Origin::Line(line), &cells);
        }
    }
    Ok(())
}

/// One export being read: its columns and what its `[[imports]]` entry says.
struct Reader<'a> {
    import: &'a Import,
    layout: &'static Layout,
    cols: Columns,
    people: &'a [Person],
}

impl Reader<'_> {
    fn err(&self, line: u64, column: &Column, message: impl Into<String>) -> Error {
        Error::Field { file: self.import.file.clone(), line, column: column.name.clone(), message: message.into() }
    }

    fn team_name(&self) -> &str {
        self.cols.team.as_ref().map_or("team", |c| c.name.as_str())
    }

    /// The prs.csv cells of a done issue.
    fn cells(&self, line: u64, record: &StringRecord, stage: &Stage) -> Result<Cells> {
        let (opened, merged) = self.times(line, record)?;
        let (author, team) = self.author_and_team(line, record, stage)?;
        let labels = labels(record, &self.cols.labels, self.layout.joined_labels);
        let flag = |wanted: Option<&String>| {
            Import::has_label(wanted, labels.iter().copied()).map_or_else(String::new, |b| b.to_string())
        };
        let own = cell(record, Some(&self.cols.id))
            .ok_or_else(|| self.err(line, &self.cols.id, "expected the issue's key, found an empty cell"))?;
        Ok(vec![
            ("pr_id", self.import.id(own)),
            ("team", team),
            ("author", author),
            ("opened_at", rfc3339(opened)),
            ("merged_at", rfc3339(merged)),
            ("ai_assisted", flag(self.import.ai_label.as_ref())),
            ("rework", flag(self.import.rework_label.as_ref())),
        ])
    }

    /// When the work opened (started, else created) and finished.
    fn times(&self, line: u64, record: &StringRecord) -> Result<(i64, i64)> {
        let format = self.import.date_format.as_deref();
        let at = |column: &Column| -> Result<Option<i64>> {
            let Some(text) = cell(record, Some(column)) else { return Ok(None) };
            parse_time(text, format).map(Some).ok_or_else(|| {
                self.err(
                    line,
                    column,
                    format!(
                        "expected a date and time like 11/May/24 3:26 PM or 2024-05-11T15:26:00Z, found {text:?}; \
                         set date_format on the [[imports]] entry for other forms"
                    ),
                )
            })
        };
        let merged = at(&self.cols.done)?.ok_or_else(|| self.err(line, &self.cols.done, "expected a time"))?;
        let started = match &self.cols.opened {
            Some(c) => at(c)?,
            None => None,
        };
        let opened = match started {
            Some(t) => t,
            None => at(&self.cols.created)?.ok_or_else(|| {
                self.err(line, &self.cols.created, "expected when the issue was created, found an empty cell")
            })?,
        };
        Ok((opened, merged))
    }

    /// Who did the work (as people.csv spells them, when it has them) and the team.
    fn author_and_team(&self, line: u64, record: &StringRecord, stage: &Stage) -> Result<(String, String)> {
        let cols = &self.cols;
        let who = cols.people.iter().find_map(|c| cell(record, Some(c))).ok_or_else(|| {
            let names: Vec<&str> = cols.people.iter().map(|c| c.name.as_str()).collect();
            self.err(
                line,
                &cols.people[0],
                format!("expected who did the work in {}, found empty cells", names.join(" or ")),
            )
        })?;
        let who = stage.word("author", who).to_string();
        let found = person(self.people, &who);
        let team = match (&self.import.team, cell(record, cols.team.as_ref()), found) {
            (Some(t), _, _) => t.clone(),
            (None, Some(t), _) => t.to_string(),
            (None, None, Some(p)) => p.team.clone(),
            (None, None, None) => {
                let message = format!(
                    "expected a team, found none: the cell is empty or absent and {who:?} is not in people.csv; \
                     set team = \"…\" or team_column on the [[imports]] entry"
                );
                let column = self.team_name().to_string();
                return Err(Error::Field { file: self.import.file.clone(), line, column, message });
            }
        };
        Ok((found.map_or(who, |p| p.id.clone()), team))
    }
}

/// Whether an issue is read: its type is wanted (Jira: every type but Epic
/// unless issue_types says), and it was not closed without the work done.
fn counts(import: &Import, cols: &Columns, record: &StringRecord) -> bool {
    if let Some(kind) = cell(record, cols.kind.as_ref()) {
        let wanted = match &import.issue_types {
            Some(types) => types.iter().any(|t| t.trim().eq_ignore_ascii_case(kind)),
            None => !kind.eq_ignore_ascii_case("epic"),
        };
        if !wanted {
            return false;
        }
    }
    let dropped = cell(record, cols.resolution.as_ref()).is_some_and(|r| NOT_DONE.contains(&r.to_lowercase().as_str()));
    !dropped && cell(record, cols.canceled.as_ref()).is_none()
}

fn labels<'r>(record: &'r StringRecord, at: &[usize], joined: bool) -> Vec<&'r str> {
    let cells = at.iter().filter_map(|&i| record.get(i)).map(str::trim).filter(|s| !s.is_empty());
    if joined {
        cells.flat_map(|c| c.split(',')).map(str::trim).filter(|s| !s.is_empty()).collect()
    } else {
        cells.collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::schema::PRS;

    fn import(preset: &str, extra: &str) -> Import {
        let text = format!("[[imports]]\npreset = \"{preset}\"\nfile = \"issues.csv\"\n{extra}");
        Config::parse(&text).unwrap().imports.remove(0)
    }

    fn prs(import: &Import, csv: &str) -> Result<Vec<crate::model::PullRequest>> {
        let config = Config::default();
        let mut st = Stage::new(&PRS, &config);
        stage(import, csv.as_bytes().to_vec(), &[], &mut st)?;
        let table = st.table()?;
        crate::ingest::events::prs(&table).map_err(|e| st.remap(e))
    }

    #[test]
    fn jira_reads_done_issues_and_skips_epics_and_wont_do() {
        let csv = "Summary,Issue key,Issue Type,Resolution,Assignee,Reporter,Created,Resolved,Labels,Labels\n\
                   A,PAY-1,Story,Done,Ana,Bo,01/Jul/26 9:00 AM,03/Jul/26 9:00 AM,ai,\n\
                   B,PAY-2,Epic,Done,Ana,Bo,01/Jul/26 9:00 AM,03/Jul/26 9:00 AM,,\n\
                   C,PAY-3,Bug,Won't Do,Ana,Bo,01/Jul/26 9:00 AM,03/Jul/26 9:00 AM,,\n\
                   D,PAY-4,Bug,,,Bo,02/Jul/26 9:00 AM,,,\n\
                   E,PAY-5,Bug,Fixed,,Bo,02/Jul/26 10:00 PM,04/Jul/26 10:00 AM,x,revert\n";
        let rows =
            prs(&import("jira-issues-csv", "team = \"pay\"\nai_label = \"AI\"\nrework_label = \"revert\"\n"), csv)
                .unwrap();
        assert_eq!(rows.iter().map(|p| &*p.id).collect::<Vec<_>>(), ["PAY-1", "PAY-5"]);
        assert_eq!(rows[0].merged.get().unwrap() - rows[0].opened, 2 * 86_400);
        assert_eq!((rows[0].ai_assisted, rows[0].rework), (Some(true), Some(false)));
        assert_eq!(rows[1].author.as_deref(), Some("Bo"), "the reporter when nobody is assigned");
        assert_eq!((rows[1].ai_assisted, rows[1].rework), (Some(false), Some(true)));
        assert_eq!(rows[1].merged.get().unwrap() - rows[1].opened, 36 * 3600);
    }

    #[test]
    fn jira_errors_name_file_line_and_column() {
        let head = "Issue key,Assignee,Created,Resolved\n";
        let e = prs(
            &import("jira-issues-csv", "team = \"pay\"\n"),
            &format!("{head}PAY-1,Ana,yesterday,03/Jul/26 9:00 AM\n"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("issues.csv line 2, column Created: expected a date and time like"), "{e}");
        let e = prs(
            &import("jira-issues-csv", "team = \"pay\"\n"),
            &format!("{head}PAY-1,Ana,04/Jul/26 9:00 AM,03/Jul/26 9:00 AM\n"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("issues.csv line 2, column Resolved: expected a time on or after opened_at"), "{e}");
        let e = prs(&import("jira-issues-csv", ""), &format!("{head}PAY-1,Ana,01/Jul/26 9:00 AM,03/Jul/26 9:00 AM\n"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("issues.csv line 2, column team: expected a team, found none"), "{e}");
        let e = prs(&import("jira-issues-csv", ""), "Key,Created\nPAY-1,01/Jul/26 9:00 AM\n").unwrap_err().to_string();
        assert!(e.starts_with("issues.csv line 1: missing required column Assignee"), "{e}");
    }

    #[test]
    fn linear_opens_at_started_else_created_and_drops_canceled() {
        let csv = "ID,Team,Title,Assignee,Creator,Labels,Created,Started,Completed,Canceled\n\
                   ENG-1,Core,A,ana@x.io,bo@x.io,\"Bug, AI assisted\",2026-07-01T00:00:00Z,2026-07-02T00:00:00Z,2026-07-03T12:00:00Z,\n\
                   ENG-2,Core,B,,bo@x.io,,2026-07-01T00:00:00Z,,2026-07-02T00:00:00Z\n\
                   ENG-3,Core,C,ana@x.io,bo@x.io,,2026-07-01T00:00:00Z,,,2026-07-02T00:00:00Z\n";
        let rows = prs(&import("linear-issues-csv", "ai_label = \"ai assisted\"\n"), csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].team.as_str(), rows[0].author.as_deref().unwrap_or_default()), ("Core", "ana@x.io"));
        assert_eq!(rows[0].merged.get().unwrap() - rows[0].opened, 36 * 3600);
        assert_eq!(rows[0].ai_assisted, Some(true));
        assert_eq!(rows[1].author.as_deref(), Some("bo@x.io"));
        assert_eq!(rows[1].merged.get().unwrap() - rows[1].opened, 86_400, "created, as it never started");
    }
}
