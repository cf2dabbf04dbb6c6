//! What spreadsheets write around the CSV itself: Excel's `sep=;` line,
//! spaces around quoted cells, and decimal commas in `;`- and tab-delimited
//! files. [`super::table::Table`] applies these before any cell is parsed.

use crate::schema::ColumnSpec;

/// The delimiter named by a leading `sep=X` line (as Excel writes it), and
/// where the header starts after it.
pub fn sep_line(bytes: &[u8]) -> Option<(u8, usize)> {
    let head = bytes.get(..4)?;
    if !head.eq_ignore_ascii_case(b"sep=") {
        return None;
    }
    let delimiter = *bytes.get(4)?;
    if delimiter == b'"' || !(delimiter.is_ascii_punctuation() || delimiter == b'\t') {
        return None;
    }
    let rest = bytes.get(5..)?;
    let end = match rest {
        [b'\r', b'\n', ..] => 7,
        [b'\n', ..] => 6,
        [] => 5,
        _ => return None,
    };
    Some((delimiter, end))
}

/// Drops spaces between a delimiter and an opening quote, and between a
/// closing quote and the next delimiter or line end: `a, "b, c" ,d` reads as
/// three cells. Newlines are never dropped, so line numbers stay right.
/// A file with no quote next to a space is returned as it is, uncopied.
pub fn tidy_quotes(bytes: Vec<u8>, delimiter: u8) -> Vec<u8> {
    let space = |b: u8| (b == b' ' || b == b'\t') && b != delimiter;
    if !bytes.windows(2).any(|w| (space(w[0]) && w[1] == b'"') || (w[0] == b'"' && space(w[1]))) {
        return bytes;
    }
    tidy(&bytes, delimiter)
}

/// [`tidy_quotes`] for a file that has spaces next to quotes.
fn tidy(bytes: &[u8], delimiter: u8) -> Vec<u8> {
    let mut tidy = Tidy { bytes, delimiter, out: Vec::with_capacity(bytes.len()), quoted: false, field_start: true };
    let mut i = 0;
    while i < bytes.len() {
        i = if tidy.quoted { tidy.copy_quoted(i) } else { tidy.copy_unquoted(i) };
    }
    tidy.out
}

/// The state of [`tidy`] as it copies `bytes` to `out`.
struct Tidy<'a> {
    bytes: &'a [u8],
    delimiter: u8,
    out: Vec<u8>,
    /// Inside a quoted cell.
    quoted: bool,
    /// At the start of a cell: after a delimiter or a line end.
    field_start: bool,
}

impl Tidy<'_> {
    /// Whether `b` is a space that may be dropped (never the delimiter itself).
    fn space(&self, b: u8) -> bool {
        (b == b' ' || b == b'\t') && b != self.delimiter
    }

    /// Where the run of spaces starting at `from` ends.
    fn run_end(&self, from: usize) -> usize {
        (from..self.bytes.len()).find(|&j| !self.space(self.bytes[j])).unwrap_or(self.bytes.len())
    }

    /// Copies the byte at `i` of a quoted cell, dropping spaces after its
    /// closing quote; returns where to go on.
    fn copy_quoted(&mut self, i: usize) -> usize {
        let b = self.bytes[i];
        if b == b'"' && self.bytes.get(i + 1) == Some(&b'"') {
            self.out.extend_from_slice(b"\"\"");
            return i + 2;
        }
        self.out.push(b);
        if b != b'"' {
            return i + 1;
        }
        self.quoted = false;
        let j = self.run_end(i + 1);
        let next = self.bytes.get(j);
        if matches!(next, None | Some(b'\r' | b'\n')) || next == Some(&self.delimiter) {
            j
        } else {
            i + 1
        }
    }

    /// Copies the byte at `i` outside quotes, dropping spaces before an
    /// opening quote; returns where to go on.
    fn copy_unquoted(&mut self, i: usize) -> usize {
        let b = self.bytes[i];
        if self.field_start && self.space(b) {
            let j = self.run_end(i);
            if self.bytes.get(j) == Some(&b'"') {
                return j;
            }
        }
        self.quoted = self.field_start && b == b'"';
        self.field_start = b == self.delimiter || b == b'\n';
        self.out.push(b);
        i + 1
    }
}

/// Whether a column holds numbers, so that a `;` or tab file may write it with a decimal comma.
pub fn is_numeric(column: &ColumnSpec) -> bool {
    column.kind.starts_with("number") || column.kind.starts_with("integer") || column.name == "confidence"
}

/// A number written with a decimal comma (`1,5`, `-0,25`, `12,5%`) in its
/// point form; `Ok(None)` when the cell has no comma to read. A comma is
/// refused where it may be a thousands separator: beside a point
/// (`1.234,5`, `1,234.5`), more than once (`1,234,567`), or followed by
/// exactly three digits after a short non-zero integer part (`1,234`).
pub fn decimal_comma(cell: &str) -> Result<Option<String>, String> {
    let s = cell.trim();
    let body = s.strip_suffix('%').unwrap_or(s).trim_end();
    let digits = body.strip_prefix(['-', '+']).unwrap_or(body);
    if !digits.contains(',') || !digits.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') {
        return Ok(None);
    }
    let refuse = |why: &str| Err(thousands_error(s, why));
    if digits.contains('.') {
        return refuse("a comma and a point in one number look like a thousands separator");
    }
    let Some((int, frac)) = digits.split_once(',') else { return Ok(None) };
    if frac.contains(',') {
        return refuse("more than one comma looks like thousands separators");
    }
    if int.is_empty() || frac.is_empty() {
        return Ok(None);
    }
    if frac.len() == 3 && int.len() <= 3 && !int.starts_with('0') {
        return refuse(&format!(
            "it may be {int}{frac} with a thousands separator or {int}.{frac} with a decimal comma"
        ));
    }
    Ok(Some(s.replacen(',', ".", 1)))
}

/// The message refusing `cell` as a number with thousands separators, saying `why`.
fn thousands_error(cell: &str, why: &str) -> String {
    format!(
        "expected a number, found {cell:?}: {why}; write it without thousands separators, \
         with a point or a comma before the decimals (1234.5 or 1234,5)"
    )
}

/// Whether every cell of a record is empty or spaces (a blank line, or a
/// row of bare delimiters such as `;;;` that spreadsheets leave at the end).
pub fn blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|c| c.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Result;
    use crate::ingest::table::Table;
    use crate::schema::{CHECKINS, METRICS};

    fn rows(file: &str) -> Result<Vec<(u64, Vec<String>)>> {
        let t = Table::from_bytes("metrics.csv", file.as_bytes().to_vec(), &METRICS, None)?;
        t.records().map(|r| r.map(|(line, rec)| (line, rec.iter().map(String::from).collect()))).collect()
    }

    #[test]
    fn reads_excels_sep_line_and_counts_it_as_a_line() {
        assert_eq!(sep_line(b"sep=;\r\ndate;team"), Some((b';', 7)));
        assert_eq!(sep_line(b"SEP=,\ndate"), Some((b',', 6)));
        assert_eq!(sep_line(b"sep=\t\n"), Some((b'\t', 6)));
        assert_eq!(sep_line(b"sep=;x\n"), None);
        assert_eq!(sep_line(b"separator,team\n"), None);
        let r = rows("sep=,\ndate,team,metric,value\n2026-07-01,a;b,m,3\n").unwrap();
        assert_eq!(r, [(3, vec!["2026-07-01".into(), "a;b".into(), "m".into(), "3".into()])]);
        let r = rows("sep=;\r\ndate;team;metric;value\r\n2026-07-01;a;m;1,5\r\n2026-07-02;a;m;2\r\n").unwrap();
        assert_eq!(r[0], (3, vec!["2026-07-01".into(), "a".into(), "m".into(), "1.5".into()]));
        assert_eq!(r[1].0, 4);
        // header errors name the header's own line, 2 after a sep= line
        let e = rows("sep=;\ndate;team;value\n").unwrap_err().to_string();
        assert!(e.starts_with("metrics.csv line 2: missing required column metric;"), "{e}");
        let e = rows("date,team,metric,value,Team\n").unwrap_err().to_string();
        assert!(e.starts_with("metrics.csv line 1"), "{e}");
        let e = rows("sep=,\ndate,team,metric,value,Team\n").unwrap_err().to_string();
        assert!(e.starts_with("metrics.csv line 2"), "{e}");
    }

    #[test]
    fn decimal_commas_only_in_semicolon_and_tab_files_and_only_in_numbers() {
        let r = rows("date;team;metric;value;person\n2026-07-01;a,b;m;1,5;x\n2026-07-02;a;m;-0,25%;y\n").unwrap();
        assert_eq!(r[0].1[1], "a,b", "text keeps its comma");
        assert_eq!(r[0].1[3], "1.5");
        assert_eq!(r[1].1[3], "-0.25%");
        let r = rows("date\tteam\tmetric\tvalue\n2026-07-01\ta\tm\t12,5\n").unwrap();
        assert_eq!(r[0].1[3], "12.5");
        // in a comma file "1,5" is a quoted cell with a comma: left for the number parser to refuse
        let r = rows("date,team,metric,value\n2026-07-01,a,m,\"1,5\"\n").unwrap();
        assert_eq!(r[0].1[3], "1,5");
    }

    #[test]
    fn thousands_separators_are_refused_not_misread() {
        assert_eq!(decimal_comma("1,5"), Ok(Some("1.5".into())));
        assert_eq!(decimal_comma("0,125"), Ok(Some("0.125".into())));
        assert_eq!(decimal_comma("1234,567"), Ok(Some("1234.567".into())));
        assert_eq!(decimal_comma("1,25"), Ok(Some("1.25".into())));
        assert_eq!(decimal_comma("1.5"), Ok(None));
        assert_eq!(decimal_comma("on track"), Ok(None));
        for bad in ["1,234", "-12,500", "1.234,5", "1,234.5", "1,234,567"] {
            assert!(decimal_comma(bad).is_err(), "{bad}");
        }
        let e = rows("date;team;metric;value\n2026-07-01;a;m;1,234\n").unwrap_err().to_string();
        assert!(
            e.starts_with("metrics.csv line 2, column value: expected a number, found \"1,234\": it may be 1234"),
            "{e}"
        );
    }

    #[test]
    fn stray_spaces_around_cells_and_quotes() {
        let r = rows("date, team ,metric,value\n 2026-07-01 , \"a, b\" ,m,  3\t\n").unwrap();
        assert_eq!(r[0].1, ["2026-07-01", "a, b", "m", "3"]);
        let t = Table::from_bytes("metrics.csv", b" Date , TEAM,metric , value\n".to_vec(), &METRICS, None).unwrap();
        assert_eq!(t.headers.iter().collect::<Vec<_>>(), ["date", "team", "metric", "value"]);
        // a quote inside an unquoted cell stays text
        assert_eq!(tidy_quotes(b"a,b \"c\" d\n".to_vec(), b','), b"a,b \"c\" d\n");
        assert_eq!(tidy_quotes(b"a,\"b\",c\n".to_vec(), b','), b"a,\"b\",c\n");
        assert_eq!(tidy_quotes(b"a,  \"x \"\"y\"\"\"  ,z".to_vec(), b','), b"a,\"x \"\"y\"\"\",z");
    }

    #[test]
    fn blank_trailing_lines_and_delimiter_only_rows_are_skipped() {
        let r = rows("date;team;metric;value\r\n2026-07-01;a;m;1\r\n;;;\r\n\r\n   \r\n2026-07-02;a;m;2\r\n;;;\r\n\r\n")
            .unwrap();
        assert_eq!(r.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [2, 6]);
    }

    #[test]
    fn quoted_newlines_keep_later_line_numbers_right() {
        let text = "date,kr_id,note,confidence\n2026-07-01,K1,\"two\nlines\",7\n2026-07-02,K1,\"three\r\nmore\r\nlines\",8\n2026-07-03,K1,x,eleven\n";
        let t = Table::from_bytes("checkins.csv", text.as_bytes().to_vec(), &CHECKINS, None).unwrap();
        let lines: Vec<u64> = t.records().map(|r| r.unwrap().0).collect();
        assert_eq!(lines, [2, 4, 7]);
        let second = t.records().nth(1).unwrap().unwrap().1;
        assert_eq!(&second[2], "three\r\nmore\r\nlines");
    }

    #[test]
    fn booleans_and_percentages_still_read() {
        use crate::ingest::table::{parse_bool, At};
        for (s, b) in [("true", true), ("False", false), ("yes", true), ("NO", false), ("1", true), ("0", false)] {
            assert_eq!(parse_bool(s), Some(b), "{s}");
        }
        let at = At { file: "okrs.csv", line: 2 };
        assert_eq!(at.number("baseline", &Some("12,5%".replace(',', "."))).unwrap(), Some(12.5));
        let r = rows("date;team;metric;value\n2026-07-01;a;m;12,5 %\n").unwrap();
        assert_eq!(at.number("value", &Some(r[0].1[3].clone())).unwrap(), Some(12.5));
    }
}
