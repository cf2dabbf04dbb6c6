//! `[values.FILE]` of quarterdeck.toml: the words a foreign export writes in a
//! column (`"On Track"`, `"In Progress"`) mapped onto the words quarterdeck
//! reads (`on track`, `doing`), applied to every cell as it is read.

use csv::StringRecord;
use std::collections::BTreeMap;

pub use crate::config::imports::{fold_word, FileWords};

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
        use crate::ingest::table::Table;
        use crate::schema::INITIATIVES;
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
}
