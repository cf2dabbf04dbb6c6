//! Reading one CSV input: encoding, delimiter, header folding, and the
//! line-accurate cell parsers every input module uses.

use super::dialect;
use super::values::{CellWords, FileWords};
use crate::error::{Error, Result};
use crate::schema::FileSpec;
use chrono::{NaiveDate, NaiveTime};
use csv::StringRecord;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// A CSV file read into memory, its header mapped onto our column names.
pub struct Table {
    /// The file name as shown in messages.
    pub file: String,
    /// Our column names, position by position (unknown columns keep their own).
    pub headers: StringRecord,
    /// The header as written in the file.
    pub original: StringRecord,
    /// The text from the header on (after a `sep=` line), quotes tidied.
    bytes: Vec<u8>,
    delimiter: u8,
    /// Lines before the header: 1 after Excel's `sep=` line.
    skipped_lines: u64,
    /// `[values.FILE]` word maps by column position.
    words: CellWords,
    /// Which columns hold numbers (a decimal comma is read in `;` and tab files).
    numeric: Vec<bool>,
    /// Rows may have more or fewer fields than the header (foreign exports); absent cells read as empty.
    pub ragged: bool,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// Folds a column name: lower case, without spaces, underscores or hyphens.
pub fn fold(name: &str) -> String {
    name.trim().chars().filter(|c| !matches!(c, ' ' | '_' | '-')).flat_map(char::to_lowercase).collect()
}

impl Table {
    /// Reads `path`, checks its encoding and header against `spec`, applying
    /// the `[columns.KEY]` aliases of quarterdeck.toml.
    pub fn read(path: &Path, spec: &FileSpec, aliases: Option<&BTreeMap<String, String>>) -> Result<Table> {
        let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
        Table::from_bytes(spec.file, bytes, spec, aliases)
    }

    /// Like [`Table::read`] for bytes already in memory.
    pub fn from_bytes(
        file: &str,
        bytes: Vec<u8>,
        spec: &FileSpec,
        aliases: Option<&BTreeMap<String, String>>,
    ) -> Result<Table> {
        let sha256 = hex(&Sha256::digest(&bytes));
        let (bytes, sep) = csv_text(file, bytes)?;
        let delimiter = sep.unwrap_or_else(|| detect_delimiter(&bytes));
        let bytes = dialect::tidy_quotes(bytes, delimiter);
        let original = reader(&bytes, delimiter).headers().map_err(|e| csv_error(file, e))?.clone();
        // the header is line 2 after Excel's `sep=` line
        let header_line = 1 + u64::from(sep.is_some());
        let headers = map_headers(file, header_line, &original, spec, aliases)?;
        let numeric = numeric_columns(&headers, spec);
        Ok(Table {
            file: file.into(),
            headers,
            original,
            bytes,
            delimiter,
            skipped_lines: header_line - 1,
            words: CellWords::default(),
            numeric,
            ragged: false,
            sha256,
        })
    }

    /// Reads the words of `[values.FILE]` in place of the file's own.
    pub fn with_values(mut self, words: Option<&FileWords>) -> Table {
        self.words = CellWords::new(&self.headers, words);
        self
    }

    /// The line of the header row: 2 after Excel's `sep=` line, else 1.
    pub fn header_line(&self) -> u64 {
        self.skipped_lines + 1
    }

    /// The delimiter: `,`, `;`, tab, or what a `sep=` line named.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Whether the header has column `name` (one of ours).
    pub fn has(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h == name)
    }

    /// The number of line ends after the header: at least the number of
    /// data rows, for sizing what they are read into.
    pub fn line_count(&self) -> usize {
        self.bytes.iter().filter(|&&b| b == b'\n').count()
    }

    /// Every data row as raw text with its line, checked to have as many
    /// fields as the header.
    pub fn records(&self) -> impl Iterator<Item = Result<(u64, StringRecord)>> + '_ {
        let mut reader = reader(&self.bytes, self.delimiter);
        let mut record = StringRecord::new();
        // skip the header row
        let header_ok = reader.read_record(&mut record).is_ok();
        // Lines are counted from byte offsets: the csv crate's own line
        // counter is off by one per CRLF-terminated row.
        let mut lines = LineCounter { offset: 0, newlines: self.skipped_lines };
        std::iter::from_fn(move || {
            if !header_ok {
                return None;
            }
            loop {
                return match reader.read_record(&mut record) {
                    Ok(false) => None,
                    Err(e) => Some(Err(csv_error(&self.file, e))),
                    Ok(true) if dialect::blank(&record) => continue,
                    Ok(true) => Some(self.checked(&mut lines, &record)),
                };
            }
        })
    }

    /// A data record with its line, checked to be as wide as the header and cleaned.
    fn checked(&self, lines: &mut LineCounter, record: &StringRecord) -> Result<(u64, StringRecord)> {
        let offset = record.position().map_or(0, |p| p.byte());
        let line = lines.line_at(&self.bytes, offset);
        let width = self.headers.len();
        if record.len() != width && !self.ragged {
            return Err(Error::Row {
                file: self.file.clone(),
                line,
                message: format!("expected {width} fields as in the header, found {}", record.len()),
            });
        }
        self.clean(line, record).map(|r| (line, r))
    }

    /// A record as the parsers read it: `NULL` and `\N` emptied,
    /// `[values.FILE]` words replaced, and decimal commas read in the number
    /// columns of `;` and tab files.
    fn clean(&self, line: u64, record: &StringRecord) -> Result<StringRecord> {
        let commas = matches!(self.delimiter, b';' | b'\t');
        if self.words.is_empty() && !commas && !record.iter().any(is_null_word) {
            return Ok(record.clone());
        }
        let mut out = StringRecord::with_capacity(record.as_slice().len(), record.len());
        for (i, cell) in record.iter().enumerate() {
            let cell = if is_null_word(cell) { "" } else { cell };
            let cell = self.words.get(i, cell).unwrap_or(cell);
            match dialect::decimal_comma(cell) {
                Ok(Some(number)) if commas && self.numeric.get(i) == Some(&true) => out.push_field(&number),
                Err(message) if commas && self.numeric.get(i) == Some(&true) => {
                    let column = self.headers.get(i).unwrap_or_default().to_string();
                    return Err(Error::Field { file: self.file.clone(), line, column, message });
                }
                _ => out.push_field(cell),
            }
        }
        Ok(out)
    }

    /// Every data row deserialised into `T` by our column names, with its line.
    pub fn rows<T: DeserializeOwned>(&self) -> impl Iterator<Item = Result<(u64, T)>> + '_ {
        self.records().map(move |row| {
            let (line, record) = row?;
            record
                .deserialize::<T>(Some(&self.headers))
                .map(|value| (line, value))
                .map_err(|e| csv_error(&self.file, e))
        })
    }
}

/// Whether a cell is one of the ways exports write an empty cell besides
/// `""`: SQL's `NULL` and the `\N` of MySQL and PostgreSQL dumps (exactly so
/// spelled; cells are trimmed before). Every input reads them as empty.
pub fn is_null_word(cell: &str) -> bool {
    matches!(cell, "NULL" | "\\N")
}

/// Turns increasing byte offsets into 1-based line numbers in linear time.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: u64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], offset: u64) -> u64 {
        // After a CRLF the record's offset points at its `\n`: include that byte.
        let offset = usize::try_from(offset).unwrap_or(usize::MAX).saturating_add(1).min(bytes.len());
        if offset >= self.offset {
            self.newlines += bytes[self.offset..offset].iter().filter(|&&b| b == b'\n').count() as u64;
            self.offset = offset;
        }
        self.newlines + 1
    }
}

fn reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    // Trim::All: spaces around cells are no part of them (quoted ones are tidied first)
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes)
}

/// Lower-case hex of bytes (for SHA-256 digests).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The CSV text of a file's bytes: without a byte-order mark or Excel's
/// `sep=` line, checked to be UTF-8 and not empty; with the delimiter the
/// `sep=` line named.
fn csv_text(file: &str, mut bytes: Vec<u8>) -> Result<(Vec<u8>, Option<u8>)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    check_utf8(file, &bytes)?;
    let sep = dialect::sep_line(&bytes).map(|(d, start)| {
        bytes.drain(..start);
        d
    });
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::File {
            file: file.into(),
            message: "is empty; expected a header row naming the columns".into(),
        });
    }
    Ok((bytes, sep))
}

/// Per column of the header, whether the spec says it holds numbers.
fn numeric_columns(headers: &StringRecord, spec: &FileSpec) -> Vec<bool> {
    headers.iter().map(|h| spec.columns.iter().any(|c| c.name == h && dialect::is_numeric(c))).collect()
}

fn check_utf8(file: &str, bytes: &[u8]) -> Result<()> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::File {
            file: file.into(),
            message: format!(
                "is UTF-16 text (Excel's \"Unicode text\"); save it as \"CSV UTF-8\", or convert it with: \
                 iconv -f UTF-16 -t UTF-8 {file} > fixed.csv"
            ),
        });
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(Error::File {
            file: file.into(),
            message: format!(
                "is not UTF-8 text (byte 0x{:02X} on line {line}); save it as UTF-8, \
                 or convert it with: iconv -f WINDOWS-1252 -t UTF-8 {file} > fixed.csv",
                bytes[at]
            ),
        });
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(Error::File {
            file: file.into(),
            message: format!("has a NUL byte on line {line}; expected CSV text"),
        });
    }
    Ok(())
}

/// Picks `,`, `;` or tab: whichever occurs most in the header line outside quotes.
fn detect_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in bytes {
        if b == b'\n' && !quoted {
            break;
        }
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if *d == b {
                    *n += 1;
                }
            }
        }
    }
    // ties keep the earlier entry: comma first
    let mut best = counts[0];
    for c in &counts[1..] {
        if c.1 > best.1 {
            best = *c;
        }
    }
    best.0
}

/// Maps the file's header onto our column names, with the `[columns.KEY]`
/// aliases; a column of ours given twice or a required one missing is an error.
fn map_headers(
    file: &str,
    header_line: u64,
    original: &StringRecord,
    spec: &FileSpec,
    aliases: Option<&BTreeMap<String, String>>,
) -> Result<StringRecord> {
    let header = Header { file, line: header_line, original, spec };
    let lookup = header.lookup(aliases)?;
    let headers = header.name_columns(&lookup)?;
    header.check_required(&headers)?;
    Ok(headers)
}

/// A file's header row being mapped onto the columns of `spec`.
struct Header<'a> {
    file: &'a str,
    line: u64,
    original: &'a StringRecord,
    spec: &'a FileSpec,
}

impl Header<'_> {
    /// Our column name by folded header name: our own names, then the aliases.
    fn lookup(&self, aliases: Option<&BTreeMap<String, String>>) -> Result<BTreeMap<String, &'static str>> {
        let spec = self.spec;
        let mut lookup: BTreeMap<String, &'static str> = spec.columns.iter().map(|c| (fold(c.name), c.name)).collect();
        for (ours, theirs) in aliases.into_iter().flatten() {
            let Some(col) = spec.columns.iter().find(|c| c.name == ours.as_str()) else {
                return Err(Error::Usage(format!(
                    "quarterdeck.toml [columns.{}]: {} has no column {ours:?}; its columns are {}",
                    spec.key,
                    self.file,
                    spec.columns.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
                )));
            };
            lookup.insert(fold(theirs), col.name);
        }
        Ok(lookup)
    }

    /// The header with each column named as ours (unknown ones folded); an
    /// error when a kept column appears twice.
    fn name_columns(&self, lookup: &BTreeMap<String, &'static str>) -> Result<StringRecord> {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut headers = StringRecord::new();
        for (i, h) in self.original.iter().enumerate() {
            let folded = fold(h);
            let name = lookup.get(&folded).map_or(folded.clone(), |n| n.to_string());
            // Unknown columns are ignored, so a repeated one (Jira repeats Labels)
            // is harmless, except in people.csv where each is a cohort dimension.
            let kept = self.spec.key == "people" || self.spec.columns.iter().any(|c| c.name == name);
            if !name.is_empty() && kept {
                if let Some(first) = seen.insert(name.clone(), i + 1) {
                    return Err(Error::Row {
                        file: self.file.into(),
                        line: self.line,
                        message: format!("column {name} appears twice (columns {first} and {})", i + 1),
                    });
                }
            }
            headers.push_field(&name);
        }
        Ok(headers)
    }

    /// Checks the mapped header has every required column; the error names
    /// the headers most likely meant and the table that maps them.
    fn check_required(&self, headers: &StringRecord) -> Result<()> {
        let missing: Vec<&str> = self.spec.required().filter(|r| !headers.iter().any(|h| h == *r)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        let ours = |i: usize| headers.get(i).is_some_and(|h| self.spec.columns.iter().any(|c| c.name == h));
        let candidates: Vec<&str> =
            self.original.iter().enumerate().filter(|(i, _)| !ours(*i)).map(|(_, h)| h.trim()).collect();
        let pairs: Vec<(&str, &[&str])> = missing.iter().map(|m| (*m, std::slice::from_ref(m))).collect();
        let mut hint = super::closest::suggestions(&pairs, &candidates);
        if !hint.is_empty() {
            hint.push_str(&format!(" (map them in quarterdeck.toml [columns.{}])", self.spec.key));
        }
        Err(Error::MissingColumns {
            file: self.file.into(),
            line: self.line,
            missing: missing.join(", "),
            found: self.original.iter().collect::<Vec<_>>().join(", "),
            hint,
        })
    }
}

fn csv_error(file: &str, e: csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
        csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text".to_string(),
        _ => e.to_string(),
    };
    Error::Row { file: file.into(), line, message }
}

/// Where a cell is: file and line; every parser below names the column.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    pub file: &'a str,
    pub line: u64,
}

/// A cell's text, trimmed, or `None` when empty.
pub fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl At<'_> {
    /// An error about one cell.
    pub fn err(&self, column: &str, message: impl Into<String>) -> Error {
        Error::Field { file: self.file.into(), line: self.line, column: column.into(), message: message.into() }
    }

    /// The cell's text; an error when it is empty.
    pub fn required<'v>(&self, column: &str, v: &'v Option<String>) -> Result<&'v str> {
        text(v).ok_or_else(|| self.err(column, "expected a value, found an empty cell"))
    }

    /// A number such as `12`, `-3.5` or `12%` (the `%` is dropped: same unit),
    /// finite and within ±[`MAX_MAGNITUDE`]: every number of every input passes here.
    pub fn number(&self, column: &str, v: &Option<String>) -> Result<Option<f64>> {
        let Some(s) = text(v) else { return Ok(None) };
        let n = parse_number(s.strip_suffix('%').unwrap_or(s).trim_end())
            .ok_or_else(|| self.err(column, format!("expected a number, found {s:?}")))?;
        if !crate::schema::in_domain(n) {
            return Err(self.err(column, format!("expected a number between −1e15 and 1e15, found {s:?}")));
        }
        Ok(Some(n))
    }

    /// A date `YYYY-MM-DD` from 1900 to 2999 (every date of every input passes here).
    pub fn date(&self, column: &str, v: &Option<String>) -> Result<Option<NaiveDate>> {
        let Some(s) = text(v) else { return Ok(None) };
        let date = NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| self.err(column, format!("expected a date YYYY-MM-DD, found {s:?}")))?;
        if !(FIRST_DAY..=LAST_DAY).contains(&date) {
            return Err(self.err(column, format!("expected a date from 1900-01-01 to 2999-12-31, found {s:?}")));
        }
        Ok(Some(date))
    }

    /// A required date.
    pub fn required_date(&self, column: &str, v: &Option<String>) -> Result<NaiveDate> {
        self.date(column, v)?.ok_or_else(|| self.err(column, "expected a date YYYY-MM-DD, found an empty cell"))
    }

    /// A timestamp as seconds since 1970 UTC: RFC 3339 (`2026-07-14T09:31:00Z`,
    /// `…+02:00`), or `YYYY-MM-DD HH:MM[:SS]` / `YYYY-MM-DDTHH:MM[:SS]` read as UTC.
    pub fn timestamp(&self, column: &str, v: &Option<String>) -> Result<Option<i64>> {
        let Some(s) = text(v) else { return Ok(None) };
        let t = parse_timestamp(s).ok_or_else(|| {
            self.err(
                column,
                format!("expected a timestamp like 2026-07-14T09:31:00Z, 2026-07-14T11:31:00+02:00 or 2026-07-14 09:31, found {s:?}"),
            )
        })?;
        let (first, last) = (FIRST_DAY.and_time(NaiveTime::MIN), LAST_DAY.and_time(NaiveTime::MIN));
        if !(first.and_utc().timestamp()..=last.and_utc().timestamp() + 86_399).contains(&t) {
            return Err(self.err(column, format!("expected a timestamp from 1900 to 2999, found {s:?}")));
        }
        Ok(Some(t))
    }

    /// A required timestamp.
    pub fn required_timestamp(&self, column: &str, v: &Option<String>) -> Result<i64> {
        self.timestamp(column, v)?.ok_or_else(|| self.err(column, "expected a timestamp, found an empty cell"))
    }

    /// Fails when Markdown in a cell nests deeper than [`crate::notes::MAX_NESTING`].
    pub fn markdown(&self, column: &str, v: &Option<String>) -> Result<()> {
        let depth = text(v).map_or(0, crate::notes::nesting);
        if depth > crate::notes::MAX_NESTING {
            return Err(self.err(
                column,
                format!("expected Markdown nested at most {} levels deep, found {depth}", crate::notes::MAX_NESTING),
            ));
        }
        Ok(())
    }

    /// A boolean: true/false, yes/no, y/n, 1/0 (any case).
    pub fn boolean(&self, column: &str, v: &Option<String>) -> Result<Option<bool>> {
        let Some(s) = text(v) else { return Ok(None) };
        parse_bool(s)
            .map(Some)
            .ok_or_else(|| self.err(column, format!("expected true or false (or yes/no, 1/0), found {s:?}")))
    }
}

/// Parses the timestamp forms [`At::timestamp`] accepts.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, format) {
            return Some(t.and_utc().timestamp());
        }
    }
    None
}

/// Parses the boolean words [`At::boolean`] accepts.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "t" => Some(true),
        "false" | "no" | "n" | "0" | "f" => Some(false),
        _ => None,
    }
}

pub use crate::schema::MAX_MAGNITUDE;

/// The first and last day a date or timestamp of the input may fall on, so
/// that no date arithmetic can leave the calendar.
pub const FIRST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
pub const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2999, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// Parses a finite decimal number.
pub fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    let ok = !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    s.parse::<f64>().ok().filter(|n| ok && n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_with_offsets_and_plain_forms() {
        // 2026-07-06T00:00:00Z is 1_783_296_000 seconds after the epoch.
        assert_eq!(parse_timestamp("2026-07-06T00:00:00Z"), Some(1_783_296_000));
        assert_eq!(parse_timestamp("2026-07-06T02:00:00+02:00"), Some(1_783_296_000));
        assert_eq!(parse_timestamp("2026-07-05T20:00:00-04:00"), Some(1_783_296_000));
        assert_eq!(parse_timestamp("2026-07-06 00:00"), Some(1_783_296_000));
        assert_eq!(parse_timestamp("2026-07-06 00:00:30"), Some(1_783_296_030));
        assert_eq!(parse_timestamp("2026-07-06T00:00:00+25:00"), None);
        assert_eq!(parse_timestamp("06/07/2026 10:00"), None);
    }

    #[test]
    fn booleans_in_their_common_spellings() {
        for t in ["true", "TRUE", "yes", "1", "Y"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["false", "No", "0", "n"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        assert_eq!(parse_bool("maybe"), None);
    }
    use crate::schema::METRICS;

    fn table(text: &str) -> Result<Table> {
        Table::from_bytes("metrics.csv", text.as_bytes().to_vec(), &METRICS, None)
    }

    #[derive(serde::Deserialize)]
    struct Row {
        metric: Option<String>,
        value: Option<String>,
    }

    #[test]
    fn reads_bom_crlf_semicolon_and_folds_headers() {
        let t = table("\u{feff}Date;TEAM;Metric;Value\r\n2026-07-01;a;m;\"1,5\"\r\n").unwrap();
        assert_eq!(t.headers.iter().collect::<Vec<_>>(), ["date", "team", "metric", "value"]);
        let rows: Vec<_> = t.rows::<Row>().collect::<Result<_>>().unwrap();
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1.metric.as_deref(), Some("m"));
        // a decimal comma in a `;` file reads as a point (see dialect.rs)
        assert_eq!(rows[0].1.value.as_deref(), Some("1.5"));
    }

    #[test]
    fn null_and_backslash_n_read_as_empty_cells() {
        let t = table("date,team,metric,value\n2026-07-01,a,NULL,\\N\n2026-07-02,a,\"NULL\",null\n").unwrap();
        let rows: Vec<_> = t.rows::<Row>().collect::<Result<_>>().unwrap();
        assert_eq!((text(&rows[0].1.metric), text(&rows[0].1.value)), (None, None));
        assert_eq!(text(&rows[1].1.metric), None, "a quoted NULL is NULL too");
        assert_eq!(rows[1].1.value.as_deref(), Some("null"), "only NULL and \\N as spelled");
    }

    #[test]
    fn detects_tabs() {
        let t = table("date\tteam\tmetric\tvalue\n2026-07-01\ta\tm\t3\n").unwrap();
        assert_eq!(t.headers.len(), 4);
    }

    #[test]
    fn reports_missing_columns_with_the_header_found() {
        let e = table("date,team,value\n").err().unwrap();
        assert_eq!(
            e.to_string(),
            "metrics.csv line 1: missing required column metric; the header has: date, team, value"
        );
    }

    #[test]
    fn a_missing_column_names_the_header_most_likely_meant() {
        let header = "org,repository,number,url,state,created_at,merged_at,user.login,month_year,title\n";
        let e = Table::from_bytes("prs.csv", header.as_bytes().to_vec(), &crate::schema::PRS, None).err().unwrap();
        assert_eq!(
            e.to_string(),
            "prs.csv line 1: missing required columns pr_id, team, opened_at; the header has: org, repository, \
             number, url, state, created_at, merged_at, user.login, month_year, title; closest: pr_id ← url?, \
             team ← repository?, opened_at ← created_at? (map them in quarterdeck.toml [columns.prs])"
        );
    }

    #[test]
    fn reports_short_rows_with_their_line() {
        let t = table("date,team,metric,value\n2026-07-01,a,m,1\n2026-07-02,a\n").unwrap();
        let e = t.rows::<Row>().nth(1).unwrap().err().unwrap();
        assert_eq!(e.to_string(), "metrics.csv line 3: expected 4 fields as in the header, found 2");
    }

    #[test]
    fn rejects_latin1_with_advice() {
        let mut bytes = b"date,team,metric,value\n2026-07-01,caf".to_vec();
        bytes.push(0xE9);
        let e = Table::from_bytes("metrics.csv", bytes, &METRICS, None).err().unwrap();
        assert!(e.to_string().contains("not UTF-8 text (byte 0xE9 on line 2)"), "{e}");
        assert!(e.to_string().contains("iconv"), "{e}");
    }

    #[test]
    fn numbers_refuse_words_and_infinities() {
        assert_eq!(parse_number("12.5"), Some(12.5));
        assert_eq!(parse_number("-3"), Some(-3.0));
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("twelve"), None);
        let at = At { file: "okrs.csv", line: 14 };
        let e = at.number("baseline", &Some("twelve".into())).unwrap_err();
        assert_eq!(e.to_string(), "okrs.csv line 14, column baseline: expected a number, found \"twelve\"");
        assert_eq!(at.number("baseline", &Some("12%".into())).unwrap(), Some(12.0));
    }
}
