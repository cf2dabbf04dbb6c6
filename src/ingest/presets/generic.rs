//! `preset = "csv"`: any CSV export, its columns mapped onto one of our
//! files by `[imports.columns]` (an export column or a template such as
//! `"{repository}#{number}"`), its rows chosen by `[imports.keep]`. Each of
//! our columns comes from, in order: `[imports.columns]`, the `team` option,
//! `[columns.FILE]`, an export column of the same name. The rows then pass
//! the checks of our own file.

use super::foreign::{cell, Column, Foreign};
use super::stage::{Cells, Origin, Stage};
use super::{parse_time, rfc3339, Import};
use crate::config::imports::fold_word;
use crate::config::template::Template;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::dialect;
use crate::schema::{ColumnSpec, FileSpec};
use csv::StringRecord;

/// Stages the kept rows of a CSV export as rows of the file `into` names.
pub fn stage(import: &Import, bytes: Vec<u8>, config: &Config, stage: &mut Stage) -> Result<()> {
    let csv = Foreign::parse(&import.file, bytes)?;
    let map = Map::new(&csv, import, config)?;
    let fields: Vec<(&'static str, &str)> = map.sources.iter().map(|s| (s.ours.name, s.field.as_str())).collect();
    stage.begin(&import.file, &fields);
    for row in csv.table.records() {
        let (line, record) = row?;
        if map.keeps(&record) {
            let cells = map.cells(&csv, line, &record)?;
            stage.push(Origin::Line(line), &cells);
        }
    }
    Ok(())
}

/// Where one of our columns comes from.
enum Source {
    Column(Column),
    Template(Template, Vec<Column>),
    /// The `team` option.
    Fixed(String),
}

/// One of our columns and its source.
struct Mapped {
    ours: &'static ColumnSpec,
    source: Source,
    /// How messages name the source: the export column, the template, or `team`.
    field: String,
}

/// The columns of one export mapped onto ours, and the rows it keeps.
struct Map<'a> {
    import: &'a Import,
    sources: Vec<Mapped>,
    /// Export column → the folded values kept.
    keep: Vec<(Column, Vec<String>)>,
}

impl<'a> Map<'a> {
    /// Finds every source in the export's header; an unknown column is an
    /// error at its line of quarterdeck.toml, a required column without a
    /// source an error at the export's header.
    fn new(csv: &Foreign, import: &'a Import, config: &Config) -> Result<Map<'a>> {
        let spec = import.target();
        let mut sources = Vec::new();
        for ours in spec.columns {
            if let Some(mapped) = source(csv, import, config, ours)? {
                sources.push(mapped);
            }
        }
        check_required(csv, spec, &sources)?;
        let mut keep = Vec::new();
        for (name, values) in import.keep.iter().flatten() {
            let column = csv.column(&[name.as_str()]).ok_or_else(|| {
                let message = unknown(csv, import, &format!("[imports.keep] {name}"), name);
                config.error_at(import.problem(&["keep", name], message))
            })?;
            keep.push((column, values.iter().map(|v| fold_word(v)).collect()));
        }
        Ok(Map { import, sources, keep })
    }

    /// Whether every `[imports.keep]` column of the row holds one of its values.
    fn keeps(&self, record: &StringRecord) -> bool {
        self.keep.iter().all(|(column, values)| {
            let cell = fold_word(cell(record, Some(column)).unwrap_or(""));
            values.contains(&cell)
        })
    }

    /// Our cells of one row.
    fn cells(&self, csv: &Foreign, line: u64, record: &StringRecord) -> Result<Cells> {
        let mut out = Vec::with_capacity(self.sources.len());
        for mapped in &self.sources {
            let text = match &mapped.source {
                Source::Column(c) => cell(record, Some(c)).unwrap_or("").to_string(),
                Source::Template(t, columns) => {
                    let cells: Vec<Option<&str>> = columns.iter().map(|c| cell(record, Some(c))).collect();
                    t.render(&cells).unwrap_or_default()
                }
                Source::Fixed(t) => t.clone(),
            };
            out.push((mapped.ours.name, self.convert(csv, line, mapped, text)?));
        }
        Ok(out)
    }

    /// A cell in our form: times in RFC 3339 (any form the presets read, or
    /// `date_format`), dates with `date_format`, decimal commas as points.
    fn convert(&self, csv: &Foreign, line: u64, mapped: &Mapped, text: String) -> Result<String> {
        let (kind, format) = (mapped.ours.kind, self.import.date_format.as_deref());
        if text.is_empty() {
            return Ok(text);
        }
        if kind == "timestamp" {
            return Ok(parse_time(&text, format).map_or(text, rfc3339));
        }
        if kind.starts_with("YYYY-MM-DD") {
            return Ok(format.and_then(|f| date(&text, f)).unwrap_or(text));
        }
        if dialect::is_numeric(mapped.ours) {
            let file = self.import.file.clone();
            let column = mapped.field.clone();
            return csv.number(&text).map_err(|message| Error::Field { file, line, column, message });
        }
        Ok(text)
    }
}

/// The source of our column `ours`, if the import or the export gives one.
fn source(csv: &Foreign, import: &Import, config: &Config, ours: &'static ColumnSpec) -> Result<Option<Mapped>> {
    if let (Some(team), "team") = (&import.team, ours.name) {
        return Ok(Some(Mapped { ours, source: Source::Fixed(team.clone()), field: "team".into() }));
    }
    if let Some(value) = import.columns.as_ref().and_then(|m| m.get(ours.name)) {
        let at = |message: String| config.error_at(import.problem(&["columns", ours.name], message));
        let template =
            Template::parse(value).map_err(|e| at(format!("{}: {} = {value:?} {e}", import.describe(), ours.name)))?;
        let mut columns = Vec::new();
        for name in template.columns() {
            let what = format!("[imports.columns] {} = {value:?}", ours.name);
            columns.push(csv.column(&[name]).ok_or_else(|| at(unknown(csv, import, &what, name)))?);
        }
        let source = match columns.as_slice() {
            [one] if template.is_column() => Source::Column(one.clone()),
            _ => Source::Template(template, columns),
        };
        return Ok(Some(Mapped { ours, source, field: value.trim().to_string() }));
    }
    let alias = config.columns.get(import.target().key).and_then(|a| a.get(ours.name));
    let found = alias.and_then(|a| csv.column(&[a.as_str()])).or_else(|| csv.column(&[ours.name]));
    Ok(found.map(|c| Mapped { ours, field: c.name.clone(), source: Source::Column(c) }))
}

/// "… names column "numbr", which x.csv does not have; its header has: …"
fn unknown(csv: &Foreign, import: &Import, what: &str, name: &str) -> String {
    let header: Vec<&str> = csv.table.original.iter().map(str::trim).collect();
    format!(
        "{}: {what} names column {name:?}, which {} does not have; its header has: {}",
        import.describe(),
        import.file,
        header.join(", ")
    )
}

/// Fails when a required column of ours has no source.
fn check_required(csv: &Foreign, spec: &FileSpec, sources: &[Mapped]) -> Result<()> {
    let missing: Vec<&str> = spec.required().filter(|r| !sources.iter().any(|s| s.ours.name == *r)).collect();
    let Some(first) = missing.first() else { return Ok(()) };
    let header: Vec<&str> = csv.table.original.iter().map(str::trim).collect();
    let plural = if missing.len() > 1 { "s" } else { "" };
    let message = format!(
        "missing required column{plural} {} of {}; the header has: {}. Map {} onto the export's columns in \
         [imports.columns], e.g. {first} = \"COLUMN\" or a template like \"{{repository}}#{{number}}\"",
        missing.join(", "),
        spec.file,
        header.join(", "),
        if missing.len() > 1 { "them" } else { "it" },
    );
    Err(Error::Row { file: csv.table.file.clone(), line: csv.table.header_line(), message })
}

/// A date written in chrono `format` (a date, or a date and time) as `YYYY-MM-DD`.
fn date(text: &str, format: &str) -> Option<String> {
    let day = chrono::NaiveDate::parse_from_str(text, format)
        .ok()
        .or_else(|| chrono::NaiveDateTime::parse_from_str(text, format).ok().map(|t| t.date()))?;
    Some(day.format("%Y-%m-%d").to_string())
}
