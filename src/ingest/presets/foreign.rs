//! A foreign CSV export read with our dialect handling (BOM, `sep=`, `;` or
//! tab, quoted newlines, line numbers) but its own header: columns are found
//! by any of their known names, folded as ours are.

use super::stage::Cells;
use crate::error::{Error, Result};
use crate::ingest::dialect;
use crate::ingest::table::{fold, Table};
use crate::schema::FileSpec;
use chrono::NaiveDate;
use csv::StringRecord;

/// A file with no columns of ours: every header is the export's own.
const FOREIGN: FileSpec = FileSpec { file: "", key: "import", about: "a foreign export", columns: &[] };

/// A foreign CSV export in memory.
pub struct Foreign {
    pub table: Table,
    folded: Vec<String>,
}

impl Foreign {
    /// Reads the bytes of export `file`; rows may be shorter than the header
    /// (Linear writes such rows), absent cells read as empty.
    pub fn parse(file: &str, bytes: Vec<u8>) -> Result<Foreign> {
        let mut table = Table::from_bytes(file, bytes, &FOREIGN, None)?;
        table.ragged = true;
        let folded = table.original.iter().map(fold).collect();
        Ok(Foreign { table, folded })
    }

    /// The first column called any of `names`, with the name it has in the file.
    pub fn column(&self, names: &[&str]) -> Option<Column> {
        names.iter().find_map(|n| {
            let at = self.folded.iter().position(|h| *h == fold(n))?;
            Some(Column { at, name: self.table.original.get(at).unwrap_or(n).trim().to_string() })
        })
    }

    /// Like [`Foreign::column`], an error naming the header when there is
    /// none, and the header most likely meant.
    pub fn require(&self, names: &[&str]) -> Result<Column> {
        self.column(names).ok_or_else(|| {
            let headers: Vec<&str> = self.table.original.iter().map(str::trim).collect();
            let missing = names.join(" or ");
            let label = names.first().copied().unwrap_or_default();
            Error::MissingColumns {
                file: self.table.file.clone(),
                line: self.table.header_line(),
                hint: crate::ingest::closest::suggestions(&[(label, names)], &headers),
                missing,
                found: headers.join(", "),
            }
        })
    }

    /// Every column called `name` (Jira repeats Labels, Sprint, Watchers).
    pub fn columns(&self, name: &str) -> Vec<usize> {
        let name = fold(name);
        (0..self.folded.len()).filter(|&i| self.folded[i] == name).collect()
    }

    /// Whether a number may be written with a decimal comma in this file.
    pub fn decimal_comma(&self) -> bool {
        matches!(self.table.delimiter(), b';' | b'\t')
    }

    /// A number cell as our parsers read it: a decimal comma turned into a point when allowed.
    pub fn number(&self, cell: &str) -> std::result::Result<String, String> {
        if !self.decimal_comma() {
            return Ok(cell.to_string());
        }
        Ok(dialect::decimal_comma(cell)?.unwrap_or_else(|| cell.to_string()))
    }
}

/// One column of a foreign export.
#[derive(Debug, Clone)]
pub struct Column {
    /// Its position.
    pub at: usize,
    /// Its header as written, for messages.
    pub name: String,
}

/// Per column of ours, the export's header it comes from, or our name when
/// the export has none (what [`super::stage::Stage::begin`] takes).
pub fn field(col: &Option<Column>, ours: &str) -> String {
    col.as_ref().map_or_else(|| ours.to_string(), |c| c.name.clone())
}

/// One row of a foreign export being read: its cells, and errors at its
/// line in the export's own column names.
pub struct ForeignRow<'a> {
    pub csv: &'a Foreign,
    pub line: u64,
    pub record: &'a StringRecord,
}

impl ForeignRow<'_> {
    /// A cell's trimmed text; `None` when empty or absent.
    pub fn get(&self, col: Option<&Column>) -> Option<String> {
        cell(self.record, col).map(String::from)
    }

    /// An error about the row, at `col` when there is one.
    pub fn err(&self, col: Option<&Column>, message: String) -> Error {
        let (file, line) = (self.csv.table.file.clone(), self.line);
        match col {
            Some(col) => Error::Field { file, line, column: col.name.clone(), message },
            None => Error::Row { file, line, message },
        }
    }

    /// A number cell, a decimal comma read in `;` and tab files; "" when empty.
    pub fn number(&self, col: Option<&Column>) -> Result<String> {
        match self.get(col) {
            Some(text) => self.csv.number(&text).map_err(|m| self.err(col, m)),
            None => Ok(String::new()),
        }
    }

    /// A date cell in `format` or a form exports write, `None` when empty.
    pub fn date(&self, col: Option<&Column>, format: Option<&str>) -> Result<Option<NaiveDate>> {
        let Some(text) = self.get(col) else { return Ok(None) };
        super::parse_date(&text, format).map(Some).ok_or_else(|| {
            let message = format!(
                "expected a date like 2026-09-30, found {text:?}; set date_format on the [[imports]] entry for other forms"
            );
            self.err(col, message)
        })
    }

    /// Puts the cells of the export's columns named as ours (`metric`,
    /// `band_low` …) in place of what `cells` made up.
    pub fn put_ours(&self, ours: &[(&'static str, Column)], cells: &mut Cells) -> Result<()> {
        for (name, col) in ours {
            let value = match *name {
                "band_low" | "band_high" => self.number(Some(col))?,
                _ => self.get(Some(col)).unwrap_or_default(),
            };
            cells.retain(|(o, _)| o != name);
            cells.push((name, value));
        }
        Ok(())
    }
}

/// The trimmed text of a cell, `None` when empty or absent.
pub fn cell<'r>(record: &'r StringRecord, column: Option<&Column>) -> Option<&'r str> {
    record.get(column?.at).map(str::trim).filter(|s| !s.is_empty())
}
