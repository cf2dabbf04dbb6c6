//! Rows converted from a foreign export, laid out in the columns of one of
//! our files, so the same parser validates them as if they came from our
//! CSV; its errors are put back in the export's own terms (file, line or
//! JSON path, field name).

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::table::Table;
use crate::ingest::values::CellWords;
use crate::schema::FileSpec;
use csv::StringRecord;
use std::collections::BTreeMap;

/// Where a staged row came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A line of a CSV or NDJSON export.
    Line(u64),
    /// An entry of a JSON document: its path (`[3]`) and what it is (`pull request 1042`).
    Json { path: String, label: String },
}

impl Origin {
    /// A line number to keep on the typed row: the CSV line, or the entry's position.
    pub fn line(&self, index: usize) -> u64 {
        match self {
            Origin::Line(l) => *l,
            Origin::Json { .. } => index as u64 + 1,
        }
    }
}

/// One staged row: our column → cell text.
pub type Cells = Vec<(&'static str, String)>;

/// An error about one field of one entry, in the export's terms.
pub fn error_at(file: &str, origin: &Origin, field: &str, message: impl Into<String>) -> Error {
    match origin {
        Origin::Line(line) => {
            Error::Field { file: file.into(), line: *line, column: field.into(), message: message.into() }
        }
        Origin::Json { path, label } => {
            Error::File { file: file.into(), message: format!("{path} ({label}), field {field}: {}", message.into()) }
        }
    }
}

struct Row {
    file: usize,
    origin: Origin,
    cells: Vec<String>,
}

/// The rows of one or more exports bound for one of our files.
pub struct Stage {
    spec: &'static FileSpec,
    /// Per export: its file name and, per our column, the field it came from.
    files: Vec<(String, BTreeMap<&'static str, String>)>,
    rows: Vec<Row>,
    words: CellWords,
    /// Generated line of each row in the staged CSV.
    lines: Vec<u64>,
}

impl Stage {
    /// An empty stage for `spec`, applying the `[values.KEY]` maps of `config` to every cell.
    pub fn new(spec: &'static FileSpec, config: &Config) -> Stage {
        let header = StringRecord::from(spec.columns.iter().map(|c| c.name).collect::<Vec<_>>());
        Stage {
            spec,
            files: Vec::new(),
            rows: Vec::new(),
            words: CellWords::new(&header, config.values.get(spec.key)),
            lines: Vec::new(),
        }
    }

    /// Starts the rows of export `file`; `fields` names, per our column, the export's field.
    pub fn begin(&mut self, file: &str, fields: &[(&'static str, &str)]) {
        self.files.push((file.to_string(), fields.iter().map(|(ours, theirs)| (*ours, theirs.to_string())).collect()));
    }

    /// Like [`Stage::begin`], with the export's field names owned.
    pub fn begin_owned(&mut self, file: &str, fields: &[(&'static str, String)]) {
        self.files.push((file.to_string(), fields.iter().cloned().collect()));
    }

    /// The word `[values.KEY]` reads in place of `word` in our column `column`.
    pub fn word<'a>(&'a self, column: &str, word: &'a str) -> &'a str {
        let position = self.spec.columns.iter().position(|c| c.name == column);
        position.and_then(|i| self.words.get(i, word)).unwrap_or(word)
    }

    /// Adds a row of the current export: our column → cell text.
    pub fn push(&mut self, origin: Origin, cells: &[(&str, String)]) {
        let mut row = vec![String::new(); self.spec.columns.len()];
        for (column, value) in cells {
            if let Some(i) = self.spec.columns.iter().position(|c| c.name == *column) {
                row[i] = self.words.get(i, value).map_or_else(|| value.clone(), String::from);
            }
        }
        self.rows.push(Row { file: self.files.len().saturating_sub(1), origin, cells: row });
    }

    /// How many rows came from export `file`.
    pub fn rows_of(&self, file: &str) -> usize {
        self.rows.iter().filter(|r| self.files[r.file].0 == file).count()
    }

    /// Whether no row was staged.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Where row `index` came from: the export's file name and the origin.
    pub fn origin(&self, index: usize) -> Option<(&str, &Origin)> {
        let row = self.rows.get(index)?;
        Some((self.files[row.file].0.as_str(), &row.origin))
    }

    /// The staged rows as a table of our file, for its own parser.
    pub fn table(&mut self) -> Result<Table> {
        let mut writer =
            csv::WriterBuilder::new().flexible(true).terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        let internal = |e: csv::Error| Error::Internal(format!("staging {}: {e}", self.spec.file));
        writer.write_record(self.spec.columns.iter().map(|c| c.name)).map_err(internal)?;
        self.lines.clear();
        let mut line = 2;
        for row in &self.rows {
            // The rows of one CSV export keep their own lines (blank lines fill
            // the gaps), so the rows parsed and their messages carry them.
            if let (Origin::Line(own), [_]) = (&row.origin, self.files.as_slice()) {
                while *own > line {
                    // one empty cell: a blank row, skipped by the reader
                    writer.write_record([""]).map_err(internal)?;
                    line += 1;
                }
            }
            self.lines.push(line);
            writer.write_record(&row.cells).map_err(internal)?;
            line += 1 + row.cells.iter().map(|c| c.matches('\n').count() as u64).sum::<u64>();
        }
        let bytes = writer.into_inner().map_err(|e| Error::Internal(format!("staging {}: {e}", self.spec.file)))?;
        let name = self.files.first().map_or(self.spec.file, |f| f.0.as_str());
        Table::from_bytes(name, bytes, self.spec, None)
    }

    /// The line of row `index` in the staged table (after [`Stage::table`]).
    pub fn line_of(&self, index: usize) -> Option<u64> {
        self.lines.get(index).copied()
    }

    /// The staged row on generated line `line`.
    fn row_at(&self, line: u64) -> Option<usize> {
        self.lines.binary_search(&line).ok()
    }

    /// The index and origin of the staged row on generated line `line` (after [`Stage::table`]).
    pub fn origin_at_line(&self, line: u64) -> Option<(usize, &Origin)> {
        let index = self.row_at(line)?;
        Some((index, &self.rows[index].origin))
    }

    /// Puts an error of our parser about the staged table back in the export's terms.
    pub fn remap(&self, e: Error) -> Error {
        let (line, column, message) = match e {
            Error::Field { line, column, message, .. } => (line, Some(column), message),
            Error::Row { line, message, .. } => (line, None, message),
            other => return other,
        };
        let message = self.remap_lines(&message);
        let Some(index) = self.row_at(line) else {
            return Error::Internal(format!("staged {} line {line}: {message}", self.spec.file));
        };
        let row = &self.rows[index];
        let (file, fields) = &self.files[row.file];
        match column {
            Some(c) => error_at(file, &row.origin, fields.get(c.as_str()).map_or(c.as_str(), String::as_str), message),
            None => match &row.origin {
                Origin::Line(l) => Error::Row { file: file.clone(), line: *l, message },
                Origin::Json { path, label } => {
                    Error::File { file: file.clone(), message: format!("{path} ({label}): {message}") }
                }
            },
        }
    }

    /// Rewrites "line N" of the staged table in a message ("first on line 3")
    /// as the line or entry of the export it came from.
    fn remap_lines(&self, message: &str) -> String {
        let mut out = String::new();
        let mut rest = message;
        while let Some(at) = rest.find("line ") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 5..];
            let digits = after.chars().take_while(char::is_ascii_digit).count();
            let place = after[..digits].parse().ok().and_then(|l| self.row_at(l)).map(|i| {
                let row = &self.rows[i];
                let file = &self.files[row.file].0;
                let suffix = if self.files.len() > 1 { format!(" of {file}") } else { String::new() };
                match &row.origin {
                    Origin::Line(l) => format!("line {l}{suffix}"),
                    Origin::Json { path, .. } => format!("{path}{suffix}"),
                }
            });
            match place {
                Some(p) => out.push_str(&p),
                None => out.push_str(&rest[at..at + 5 + digits]),
            }
            rest = &after[digits..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::PRS;

    #[test]
    fn errors_come_back_in_the_exports_terms() {
        let config = Config::default();
        let mut stage = Stage::new(&PRS, &config);
        stage.begin("jira.csv", &[("pr_id", "Issue key"), ("merged_at", "Resolved")]);
        let pr = |id: &str, merged: &str| {
            [
                ("pr_id", id.to_string()),
                ("team", "t".into()),
                ("author", "a".into()),
                ("opened_at", "2026-07-02T00:00:00Z".into()),
                ("merged_at", merged.to_string()),
            ]
        };
        stage.push(Origin::Line(7), &pr("P-1", "2026-07-03T00:00:00Z"));
        stage.push(Origin::Line(12), &pr("P-2", "2026-07-01T00:00:00Z"));
        let table = stage.table().unwrap();
        let e = stage.remap(crate::ingest::events::prs(&table).unwrap_err()).to_string();
        assert!(e.starts_with("jira.csv line 12, column Resolved: expected a time on or after opened_at"), "{e}");

        let mut stage = Stage::new(&PRS, &config);
        stage.begin("prs.json", &[("pr_id", "number")]);
        let origin = |i: usize| Origin::Json { path: format!("[{i}]"), label: "pull request 5".into() };
        stage.push(origin(0), &pr("5", "2026-07-03T00:00:00Z"));
        stage.push(origin(1), &pr("5", "2026-07-03T00:00:00Z"));
        let table = stage.table().unwrap();
        let e = stage.remap(crate::ingest::events::prs(&table).unwrap_err()).to_string();
        assert_eq!(e, "prs.json: [1] (pull request 5), field number: pull request 5 is listed twice (first on [0])");
    }

    #[test]
    fn values_apply_to_staged_cells() {
        let config = Config::parse("[values.prs]\nteam = { \"Payments Squad\" = \"payments\" }\n").unwrap();
        let mut stage = Stage::new(&PRS, &config);
        stage.begin("linear.csv", &[]);
        assert_eq!(stage.word("team", " payments squad"), "payments");
        stage.push(Origin::Line(2), &[("team", "Payments Squad".into())]);
        assert_eq!(stage.rows[0].cells[1], "payments");
    }
}
