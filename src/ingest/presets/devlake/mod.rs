//! Apache DevLake's domain-layer tables (`pull_requests`, `cicd_deployments`,
//! `incidents` and the tables that join them), as a CSV dump or as
//! `mysql --batch` writes them: tab-separated, unquoted, `NULL` for empty.
//! Teams are DevLake projects (`project_mapping`), a team column or the
//! `team` option.

pub mod deployments;
pub mod incidents;
pub mod prs;
mod side;

use super::files;
use super::foreign::{cell, Column, Foreign};
use super::{Import, Preset};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::InputFile;
use csv::StringRecord;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub use side::Side;

/// Reads a DevLake table: a CSV dump, or `mysql --batch` output turned into quoted TSV first.
pub fn table(file: &str, bytes: Vec<u8>) -> Result<Foreign> {
    Foreign::parse(file, unbatch(bytes))
}

/// `mysql --batch` writes tab-separated rows without quotes, escaping a tab,
/// a newline and a backslash inside a cell as `\t`, `\n` and `\\`, so every
/// line has as many tabs as the header. Such a file (a tab in the header, no
/// quote in it, every line as wide) is rewritten with every cell quoted, so
/// that a title starting with `"` is read as the text it is; `\t` and `\\`
/// are read back, `\n` is left as written, so lines keep their numbers. Any
/// other file (a CSV dump, a database tool's quoted TSV) is returned as it is.
pub fn unbatch(bytes: Vec<u8>) -> Vec<u8> {
    let tabs = |line: &[u8]| line.iter().filter(|&&b| b == b'\t').count();
    let mut lines = bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty() && *l != b"\r");
    let header = lines.next().unwrap_or_default();
    let width = tabs(header);
    if width == 0 || header.contains(&b'"') || lines.any(|l| tabs(l) != width) {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 4);
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        for (j, field) in line.split(|&b| b == b'\t').enumerate() {
            if j > 0 {
                out.push(b'\t');
            }
            out.push(b'"');
            unescape(field, &mut out);
            out.push(b'"');
        }
    }
    out
}

/// Copies one `mysql --batch` cell, its escapes read back and quotes doubled.
fn unescape(field: &[u8], out: &mut Vec<u8>) {
    let mut bytes = field.iter().copied();
    while let Some(b) = bytes.next() {
        match b {
            b'\\' => match bytes.next() {
                Some(b't') => out.push(b'\t'),
                Some(b'\\') => out.push(b'\\'),
                Some(b'0') => {}
                Some(other) => out.extend_from_slice(&[b'\\', other]),
                None => out.push(b'\\'),
            },
            b'"' => out.extend_from_slice(b"\"\""),
            _ => out.push(b),
        }
    }
}

/// Where the team of a DevLake row comes from: the `team` option, the
/// team column (`team_column`, else a column named `team`), else the
/// DevLake project of the row's scope in `mapping_file`.
pub struct Teams<'a> {
    import: &'a Import,
    side: &'a Side,
    column: Option<Column>,
    /// The scope's id and the kind of scope (`repos`, `cicd_scopes`, or a `table` column's).
    scope: Option<(Column, Scope)>,
}

/// Which `table` of `project_mapping` a row's scope is in.
pub enum Scope {
    Fixed(&'static str),
    Column(Column),
}

impl<'a> Teams<'a> {
    /// Finds the columns a team is read from: `scope` names the scope id's
    /// column and `kind` its table (or the column that names it).
    pub fn new(csv: &Foreign, import: &'a Import, side: &'a Side, scope: &str, kind: ScopeKind) -> Result<Teams<'a>> {
        let column = match (&import.team, &import.team_column) {
            (Some(_), _) => None,
            (None, Some(c)) => Some(csv.require(&[c.as_str()])?),
            (None, None) => csv.column(&["team"]),
        };
        let scope = match (import.team.is_none() && column.is_none(), side.has_mapping()) {
            (true, true) => Some((csv.require(&[scope])?, kind.find(csv)?)),
            _ => None,
        };
        Ok(Teams { import, side, column, scope })
    }

    /// How messages name the team's source.
    pub fn field(&self) -> String {
        match (&self.column, &self.scope) {
            (Some(c), _) | (None, Some((c, _))) => c.name.clone(),
            (None, None) => "team".into(),
        }
    }

    /// The row's team; `None` when nothing gives one; an error naming the
    /// projects when the scope is in several.
    pub fn get(&self, line: u64, record: &StringRecord) -> Result<Option<String>> {
        self.team(record).map_err(|message| Error::Field {
            file: self.import.file.clone(),
            line,
            column: self.field(),
            message,
        })
    }

    /// The row's team, or an error saying how to give one.
    pub fn require(&self, line: u64, record: &StringRecord) -> Result<String> {
        self.get(line, record)?.ok_or_else(|| self.none(line, record))
    }

    fn team(&self, record: &StringRecord) -> std::result::Result<Option<String>, String> {
        if let Some(t) = &self.import.team {
            return Ok(Some(t.clone()));
        }
        if let Some(c) = &self.column {
            return Ok(cell(record, Some(c)).map(String::from));
        }
        let Some((column, kind)) = &self.scope else { return Ok(None) };
        let Some(id) = cell(record, Some(column)) else { return Ok(None) };
        let table = match kind {
            Scope::Fixed(t) => *t,
            Scope::Column(c) => cell(record, Some(c)).unwrap_or_default(),
        };
        self.side.project(table, id)
    }

    /// The error for a row without a team.
    pub fn none(&self, line: u64, record: &StringRecord) -> Error {
        let scope = self.scope.as_ref().and_then(|(c, _)| cell(record, Some(c)));
        let why = match (scope, &self.import.mapping_file) {
            (Some(s), Some(m)) => format!("{s} is in no project of {m}"),
            _ => "the row names none".to_string(),
        };
        let message = format!(
            "expected a team, found none: {why}; set team = \"…\", team_column or mapping_file (DevLake's \
             project_mapping) on the [[imports]] entry"
        );
        Error::Field { file: self.import.file.clone(), line, column: self.field(), message }
    }
}

/// How a table's rows name the kind of their scope.
pub enum ScopeKind {
    /// Every row's scope is of this `project_mapping` table.
    Fixed(&'static str),
    /// A column of the row names it (incidents: `table`).
    Column(&'static str),
}

impl ScopeKind {
    fn find(&self, csv: &Foreign) -> Result<Scope> {
        match self {
            ScopeKind::Fixed(t) => Ok(Scope::Fixed(t)),
            ScopeKind::Column(c) => Ok(Scope::Column(csv.require(&[c])?)),
        }
    }
}

/// A DevLake time (`2023-04-10T06:51:47.000+00:00`, `2023-04-10 06:51:47.123`,
/// `2023-4-10 6:51:47`) as seconds since 1970; UTC without an offset, as DevLake stores it.
pub fn time(text: &str) -> Option<i64> {
    super::parse_time(text, None)
}

/// The error for a time that does not read.
pub fn bad_time(file: &str, line: u64, column: &Column, text: &str) -> Error {
    let message = format!("expected a date and time like 2026-07-14 09:31:00 or 2026-07-14T09:31:00Z, found {text:?}");
    Error::Field { file: file.into(), line, column: column.name.clone(), message }
}

/// Whether the import is one of DevLake's.
fn is_devlake(import: &Import) -> bool {
    matches!(
        import.preset,
        Preset::DevlakePullRequestsCsv | Preset::DevlakeDeploymentsCsv | Preset::DevlakeIncidentsCsv
    )
}

/// Reads a side file of `import` (`key` names its option), listing it among the inputs.
fn read_side<T>(
    data_dir: &Path,
    import: &Import,
    key: &str,
    name: &str,
    inputs: &mut Vec<InputFile>,
    parse: impl FnOnce(&Foreign) -> Result<(T, usize)>,
) -> Result<T> {
    let mut read = files::read(data_dir, &data_dir.join(name), import, key)?;
    let csv = table(&read.name, std::mem::take(&mut read.bytes))?;
    let (value, rows) = parse(&csv)?;
    // one mapping may serve several imports: it is listed once
    if !inputs.iter().any(|i| i.name == read.name) {
        inputs.push(read.input(rows));
    }
    Ok(value)
}

/// Every pull request's id by its merge commit, from the files of the
/// `devlake-pull-requests-csv` imports (listed among the inputs by them).
fn merge_commits(data_dir: &Path, config: &Config) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let mut by_sha: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for import in config.imports.iter().filter(|i| i.preset == Preset::DevlakePullRequestsCsv) {
        for path in files::import_files(data_dir, import)? {
            let mut read = files::read(data_dir, &path, import, "file")?;
            let csv = table(&read.name, std::mem::take(&mut read.bytes))?;
            let (id, sha) = (csv.require(&["id"])?, csv.require(&["merge_commit_sha"])?);
            for row in csv.table.records() {
                let (_, record) = row?;
                if let (Some(id), Some(sha)) = (cell(&record, Some(&id)), cell(&record, Some(&sha))) {
                    by_sha.entry(sha.to_string()).or_default().insert(id.to_string());
                }
            }
        }
    }
    Ok(by_sha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mysql_batch_output_becomes_quoted_tsv_with_its_lines() {
        let batch =
            b"id\ttitle\tcreated_date\n1\t\"quoted\" start\t2023-04-10 06:51:47.000\n2\ta\\tb \\\\ c\\nd\tNULL\n"
                .to_vec();
        let out = String::from_utf8(unbatch(batch)).unwrap();
        assert_eq!(
            out,
            "\"id\"\t\"title\"\t\"created_date\"\n\"1\"\t\"\"\"quoted\"\" start\"\t\"2023-04-10 06:51:47.000\"\n\
             \"2\"\t\"a\tb \\ c\\nd\"\t\"NULL\"\n"
        );
        let csv = table("t.tsv", out.into_bytes()).unwrap();
        let rows: Vec<_> = csv.table.records().map(|r| r.unwrap()).collect();
        assert_eq!((rows[0].0, &rows[0].1[1]), (2, "\"quoted\" start"));
        assert_eq!((rows[1].0, &rows[1].1[2]), (3, ""), "NULL reads as empty");
        let dump = b"id,title\n1,\"a, b\"\n".to_vec();
        assert_eq!(unbatch(dump.clone()), dump, "a CSV dump is left as it is");
        let quoted = b"id\ttitle\n1\t\"two\nlines\"\n2\t\"a\tb\"\n".to_vec();
        assert_eq!(unbatch(quoted.clone()), quoted, "a quoted TSV (lines of other widths) is left as it is");
    }

    #[test]
    fn devlake_times_read_in_every_form_it_writes() {
        let t = time("2023-04-10T06:51:47.000+00:00");
        assert!(t.is_some());
        assert_eq!(time("2023-04-10 06:51:47.000"), t);
        assert_eq!(time("2023-04-10 06:51:47"), t);
        assert_eq!(time("2023-4-10 6:51:47"), t);
    }
}
