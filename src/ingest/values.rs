//! `[values.FILE]` of quarterdeck.toml: the words a foreign export writes in a
//! column (`"On Track"`, `"In Progress"`) mapped onto the words quarterdeck
//! reads (`on track`, `doing`), applied to every cell as it is read.

use super::schema::{FileSpec, ALL};
use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use csv::StringRecord;
use std::collections::BTreeMap;

/// One file's maps: our column → their word → our word.
pub type FileWords = BTreeMap<String, BTreeMap<String, String>>;

/// What `[values.FILE]` matches a cell against: trimmed, in lower case.
pub fn fold_word(word: &str) -> String {
    word.trim().to_lowercase()
}

/// Checks every `[values.FILE]` table: a known file, known columns, and no
/// two words of one column that differ only in case or surrounding spaces.
pub fn validate(values: &BTreeMap<String, FileWords>) -> Result<()> {
    for (key, columns) in values {
        let Some(spec) = ALL.iter().find(|f| f.key == key.as_str()) else {
            let keys: Vec<&str> = ALL.iter().map(|f| f.key).collect();
            return Err(Error::Usage(format!(
                "{CONFIG_FILE}: [values.{key}] names no input file; expected one of {}",
                keys.join(", ")
            )));
        };
        for (column, words) in columns {
            if !spec.columns.iter().any(|c| c.name == column.as_str()) {
                return Err(Error::Usage(format!(
                    "{CONFIG_FILE}: [values.{key}] maps words of {column:?}, which is not a column of {}; expected one of {}",
                    spec.file,
                    column_names(spec)
                )));
            }
            let mut seen: BTreeMap<String, &str> = BTreeMap::new();
            for theirs in words.keys() {
                let folded = fold_word(theirs);
                if folded.is_empty() {
                    return Err(Error::Usage(format!(
                        "{CONFIG_FILE}: [values.{key}] {column}: an empty word cannot be mapped; \
                         an empty cell is always read as empty"
                    )));
                }
                if let Some(first) = seen.insert(folded, theirs) {
                    return Err(Error::Usage(format!(
                        "{CONFIG_FILE}: [values.{key}] {column}: {first:?} and {theirs:?} are the same word \
                         (words match ignoring case and surrounding spaces); keep one"
                    )));
                }
            }
        }
    }
    Ok(())
}

fn column_names(spec: &FileSpec) -> String {
    spec.columns.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
}

/// The maps of one file laid out by column position, ready to rewrite records.
#[derive(Debug, Clone, Default)]
pub struct CellWords {
    by_position: Vec<Option<BTreeMap<String, String>>>,
}

impl CellWords {
    /// Lays `words` (keyed by our column names) out over `headers` (our names, by position).
    pub fn new(headers: &StringRecord, words: Option<&FileWords>) -> CellWords {
        let Some(words) = words.filter(|w| !w.is_empty()) else { return CellWords::default() };
        let by_position = headers
            .iter()
            .map(|h| words.get(h).map(|m| m.iter().map(|(theirs, ours)| (fold_word(theirs), ours.clone())).collect()))
            .collect();
        CellWords { by_position }
    }

    /// Whether any column has a map.
    pub fn is_empty(&self) -> bool {
        self.by_position.iter().all(Option::is_none)
    }

    /// The word to read in place of `cell` in column `position`, if it is mapped.
    pub fn get(&self, position: usize, cell: &str) -> Option<&str> {
        let map = self.by_position.get(position)?.as_ref()?;
        map.get(&fold_word(cell)).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn maps_words_ignoring_case_and_spaces() {
        let mut file = FileWords::new();
        file.insert("confidence".into(), words(&[("On Track", "on track"), ("At Risk", "at risk")]));
        let headers = StringRecord::from(vec!["date", "kr_id", "confidence"]);
        let w = CellWords::new(&headers, Some(&file));
        assert_eq!(w.get(2, "  on TRACK "), Some("on track"));
        assert_eq!(w.get(2, "At Risk"), Some("at risk"));
        assert_eq!(w.get(2, "Off Track"), None);
        assert_eq!(w.get(0, "On Track"), None);
        assert_eq!(w.get(9, "On Track"), None);
        assert!(!w.is_empty());
        assert!(CellWords::new(&headers, None).is_empty());
    }

    #[test]
    fn tables_read_the_mapped_words_after_columns_are_mapped() {
        use crate::ingest::schema::INITIATIVES;
        use crate::ingest::table::Table;
        let mut file = FileWords::new();
        file.insert("status".into(), words(&[("In Progress", "doing"), ("Done", "done")]));
        let aliases = BTreeMap::from([("status".to_string(), "State".to_string())]);
        let text = "Initiative,KR_ID,State\nA,K1, in progress \nB,K1,DONE\nC,K1,dropped\n";
        let t = Table::from_bytes("initiatives.csv", text.as_bytes().to_vec(), &INITIATIVES, Some(&aliases))
            .unwrap()
            .with_values(Some(&file));
        let statuses: Vec<String> = t.records().map(|r| r.unwrap().1[2].to_string()).collect();
        assert_eq!(statuses, ["doing", "done", "dropped"]);
    }

    #[test]
    fn rejects_unknown_files_columns_and_twin_words() {
        let check = |key: &str, column: &str, pairs: &[(&str, &str)]| {
            let mut file = FileWords::new();
            file.insert(column.into(), words(pairs));
            validate(&BTreeMap::from([(key.to_string(), file)])).err().map(|e| e.to_string())
        };
        assert_eq!(check("initiatives", "status", &[("Done", "done"), ("In Progress", "doing")]), None);
        let e = check("initiative", "status", &[("Done", "done")]).unwrap();
        assert!(
            e.starts_with("quarterdeck.toml: [values.initiative] names no input file; expected one of okrs"),
            "{e}"
        );
        let e = check("initiatives", "state", &[("Done", "done")]).unwrap();
        assert!(
            e.contains("\"state\", which is not a column of initiatives.csv; expected one of initiative, kr_id"),
            "{e}"
        );
        let e = check("checkins", "confidence", &[("On Track", "on track"), ("on track ", "on track")]).unwrap();
        assert!(e.contains("are the same word"), "{e}");
    }
}
