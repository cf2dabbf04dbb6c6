//! An OKR tool's long ("outline") layout, the one OKR tools export and
//! import: objectives and key results are rows of one table, each with a
//! row id, linked by a parent column (Ally / Viva Goals: "Row ID, Title,
//! Parent, Entity, Owner Email, Time Period, Start Value, Target Value,
//! Current Value"; Peoplebox: "Row ID, Parent Row IDs, Goal Title, Owner
//! Emails, Goal Cycle, Starting Value …"). Key results become okrs rows under
//! their objective; each current value becomes a check-in.

use super::foreign::{cell, field, Column, Foreign, ForeignRow};
use super::okr::{owner, team_column, Measures};
use super::stage::{Cells, Origin};
use super::{Import, OkrStages};
use crate::error::{Error, Result};
use crate::ingest::table::fold;
use chrono::NaiveDate;
use csv::StringRecord;
use std::collections::BTreeMap;

const ROW_ID: &[&str] = &["Row ID", "Row Id", "Row", "Row Number", "ID", "Goal ID", "Item ID"];
const PARENT: &[&str] =
    &["Parent", "Parent Row ID", "Parent Row IDs", "Parent ID", "Parent Goal", "Parent Objective", "Aligned To"];
const TITLE: &[&str] = &["Title", "Goal Title", "Name", "Goal Name", "Goal", "OKR", "OKR Title", "Summary"];
/// Columns that say what a row is (Objective / Key Result).
const KIND: &[&str] = &["Type", "OKR Type", "Row Type", "Item Type", "Goal Type", "Entity Type", "Level", "Kind"];
/// Ally and Viva Goals write the owning team here ("Individual" for a
/// person's OKR); some exports write the row's type: each cell decides.
const ENTITY: &[&str] = &["Entity"];
const TEAM: &[&str] = &["Team", "Teams", "Team Name", "Group", "Department", "Departments", "Owning Team"];
const OWNER: &[&str] =
    &["Owner Email", "Owner Emails", "Owner", "Owners", "Owner Name", "Owner_Email_ID", "Lead", "Assignee"];
const CURRENT: &[&str] =
    &["Current Value", "Metric Current Value", "Current", "Actual Value", "Actual", "Progress Value"];
/// The day a row's current value was last updated: the date of its check-in.
const UPDATED: &[&str] = &[
    "Last Check-in Date",
    "Last Check-in",
    "Last Checkin",
    "Check-in Date",
    "Last Updated",
    "Updated At",
    "Updated",
    "Last Modified",
    "Modified",
];
const CONFIDENCE: &[&str] = &["Confidence", "Confidence Level"];

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Objective,
    KeyResult,
    /// A project, initiative or task: no part of the key results.
    Other,
}

/// The words a type cell may hold (folded), and what each makes the row.
const KIND_WORDS: &[(&str, RowKind)] = &[
    ("objective", RowKind::Objective),
    ("obj", RowKind::Objective),
    ("goal", RowKind::Objective),
    ("keyresult", RowKind::KeyResult),
    ("kr", RowKind::KeyResult),
    ("result", RowKind::KeyResult),
    ("milestone", RowKind::KeyResult),
    ("project", RowKind::Other),
    ("initiative", RowKind::Other),
    ("task", RowKind::Other),
    ("action", RowKind::Other),
];

/// An entity that names a person's own OKR, not a team.
const INDIVIDUAL: &str = "individual";

fn kind_word(word: &str) -> Option<RowKind> {
    let folded = fold(word);
    KIND_WORDS.iter().find(|(w, _)| *w == folded).map(|(_, k)| *k)
}

struct Columns {
    row_id: Option<Column>,
    parent: Option<Column>,
    title: Column,
    kind: Option<Column>,
    entity: Option<Column>,
    team: Option<Column>,
    owner: Option<Column>,
    current: Option<Column>,
    updated: Option<Column>,
    confidence: Option<Column>,
    measures: Measures,
}

fn columns(csv: &Foreign, import: &Import) -> Result<Columns> {
    Ok(Columns {
        row_id: csv.column(ROW_ID),
        parent: csv.column(PARENT),
        title: csv.require(TITLE)?,
        kind: csv.column(KIND),
        entity: csv.column(ENTITY),
        team: team_column(csv, import, TEAM)?,
        owner: csv.column(OWNER),
        current: csv.column(CURRENT),
        updated: csv.column(UPDATED),
        confidence: csv.column(CONFIDENCE),
        measures: Measures::find(csv),
    })
}

impl Columns {
    /// Per okrs column, the export's column it comes from.
    fn okr_fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = vec![
            ("team", field(&self.team, "team")),
            ("objective_id", field(&self.parent, "objective_id")),
            ("objective", field(&self.parent, "objective")),
            ("kr_id", field(&self.row_id, "kr_id")),
            ("key_result", self.title.name.clone()),
            ("owner", field(&self.owner, "owner")),
        ];
        fields.extend(self.measures.fields());
        fields
    }

    /// Per checkins column, the export's column it comes from.
    fn checkin_fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("date", field(&self.updated, "as_of")),
            ("kr_id", field(&self.row_id, "kr_id")),
            ("value", field(&self.current, "value")),
            ("confidence", field(&self.confidence, "confidence")),
        ]
    }
}

/// One row of the export: an objective, a key result or something else.
struct Item {
    line: u64,
    id: String,
    parent: Option<String>,
    kind: RowKind,
    title: String,
    record: StringRecord,
}

/// Stages every key result of export `file` as an okrs row under its
/// objective, and its current value as a check-in.
pub fn stage(import: &Import, file: &str, bytes: Vec<u8>, stages: &mut OkrStages) -> Result<()> {
    let csv = Foreign::parse(file, bytes)?;
    let c = columns(&csv, import)?;
    let reader = Reader { import, csv: &csv, c: &c };
    let items = reader.items()?;
    let tree = Tree::new(&items);
    stages.okrs.begin_owned(file, &c.okr_fields());
    stages.checkins.begin_owned(file, &c.checkin_fields());
    for kr in items.iter().filter(|i| i.kind == RowKind::KeyResult) {
        let objective = tree.objective_of(kr).ok_or_else(|| reader.no_objective(kr))?;
        let (cells, due) = reader.okr_cells(kr, objective)?;
        stages.okrs.push(Origin::Line(kr.line), &cells);
        if let Some(checkin) = reader.checkin_cells(kr, due)? {
            stages.checkins.push(Origin::Line(kr.line), &checkin);
        }
    }
    Ok(())
}

/// Objectives and key results by row id (and title, for exports whose
/// parent column names the parent's title).
struct Tree<'a> {
    items: &'a [Item],
    by_id: BTreeMap<&'a str, usize>,
    by_title: BTreeMap<&'a str, usize>,
}

impl<'a> Tree<'a> {
    fn new(items: &'a [Item]) -> Tree<'a> {
        let mut by_id = BTreeMap::new();
        let mut by_title = BTreeMap::new();
        for (i, item) in items.iter().enumerate() {
            by_id.entry(item.id.as_str()).or_insert(i);
            by_title.entry(item.title.as_str()).or_insert(i);
        }
        Tree { items, by_id, by_title }
    }

    fn parent(&self, item: &Item) -> Option<&'a Item> {
        let p = item.parent.as_deref()?;
        let i = self.by_id.get(p).or_else(|| self.by_title.get(p))?;
        Some(&self.items[*i])
    }

    /// The nearest objective above a key result (through key results it is
    /// nested under), or `None`; a cycle of parents ends the search.
    fn objective_of(&self, kr: &Item) -> Option<&'a Item> {
        let mut at = self.parent(kr)?;
        for _ in 0..self.items.len() {
            if at.kind == RowKind::Objective {
                return Some(at);
            }
            at = self.parent(at)?;
        }
        None
    }
}

/// The export being read.
struct Reader<'a> {
    import: &'a Import,
    csv: &'a Foreign,
    c: &'a Columns,
}

impl Reader<'_> {
    /// A row of the export, for its cells and errors.
    fn row<'r>(&'r self, line: u64, record: &'r StringRecord) -> ForeignRow<'r> {
        ForeignRow { csv: self.csv, line, record }
    }

    fn at<'r>(&'r self, item: &'r Item) -> ForeignRow<'r> {
        self.row(item.line, &item.record)
    }

    /// Every row of the export, its kind decided.
    fn items(&self) -> Result<Vec<Item>> {
        let mut items = Vec::new();
        for row in self.csv.table.records() {
            let (line, record) = row?;
            let kind = self.kind(&self.row(line, &record))?;
            let id = cell(&record, self.c.row_id.as_ref()).map_or_else(|| format!("L{line}"), String::from);
            // several parents (a new line or a comma between them): the first is the objective's
            let parent = cell(&record, self.c.parent.as_ref())
                .and_then(|p| p.split(['\n', ',', ';']).map(str::trim).find(|p| !p.is_empty()))
                .map(String::from);
            let title = cell(&record, Some(&self.c.title)).unwrap_or_default().to_string();
            items.push(Item { line, id, parent, kind, title, record });
        }
        Ok(items)
    }

    /// What a row is: its type cell (or an Entity cell holding a type word);
    /// without one, a row with a start or target value is a key result and
    /// any other row an objective.
    fn kind(&self, row: &ForeignRow) -> Result<RowKind> {
        let c = self.c;
        if let Some(word) = row.get(c.kind.as_ref()) {
            return kind_word(&word).ok_or_else(|| {
                let message = format!(
                    "expected Objective or Key Result (a Project, Initiative or Task row is left out), found {word:?}"
                );
                row.err(c.kind.as_ref(), message)
            });
        }
        if let Some(kind) = row.get(c.entity.as_ref()).and_then(|e| kind_word(&e)) {
            return Ok(kind);
        }
        let valued = c.measures.valued(row);
        Ok(if valued { RowKind::KeyResult } else { RowKind::Objective })
    }

    fn no_objective(&self, kr: &Item) -> Error {
        let message = match &kr.parent {
            Some(p) => {
                format!("expected the row id of its objective in the parent column, found {p:?}, no objective's")
            }
            None => "expected the row id of its objective in the parent column, found none".to_string(),
        };
        self.at(kr).err(self.c.parent.as_ref(), message)
    }

    /// The team of a row: the import's, the team column's, or an Entity that is no type word and no person.
    fn own_team(&self, item: &Item) -> Option<String> {
        let row = self.at(item);
        let entity = || row.get(self.c.entity.as_ref()).filter(|e| kind_word(e).is_none() && fold(e) != INDIVIDUAL);
        self.import.team.clone().or_else(|| row.get(self.c.team.as_ref())).or_else(entity)
    }

    fn team(&self, kr: &Item, objective: &Item) -> Result<String> {
        self.own_team(kr).or_else(|| self.own_team(objective)).ok_or_else(|| {
            let message = "expected the team that owns the key result (on its row or its objective's), found none; \
                           set team = \"…\" or team_column on the [[imports]] entry";
            self.at(kr).err(self.c.team.as_ref().or(self.c.entity.as_ref()), message.to_string())
        })
    }

    /// The okrs.csv cells of a key result, and the day its value stands on (its due, else its quarter's end).
    fn okr_cells(&self, kr: &Item, objective: &Item) -> Result<(Cells, NaiveDate)> {
        let row = self.at(kr);
        let (quarter, due, mut cells) = self.c.measures.cells(self.import, &[&row, &self.at(objective)])?;
        cells.extend([
            ("team", self.team(kr, objective)?),
            ("objective_id", objective.id.clone()),
            ("objective", objective.title.clone()),
            ("kr_id", kr.id.clone()),
            ("key_result", kr.title.clone()),
            ("owner", owner(&row, self.c.owner.as_ref())),
        ]);
        Ok((cells, due.unwrap_or_else(|| quarter.end())))
    }

    /// The check-in of a key result's current value, dated on its update
    /// column, else the import's `as_of`, else `due`; `None` without a value.
    fn checkin_cells(&self, kr: &Item, due: NaiveDate) -> Result<Option<Cells>> {
        let (c, row) = (self.c, self.at(kr));
        let value = row.number(c.current.as_ref())?;
        if value.is_empty() {
            return Ok(None);
        }
        let as_of = self.import.as_of.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let day = row.date(c.updated.as_ref(), self.import.date_format.as_deref())?.or(as_of).unwrap_or(due);
        Ok(Some(vec![
            ("date", day.to_string()),
            ("kr_id", kr.id.clone()),
            ("value", value),
            ("confidence", row.get(c.confidence.as_ref()).unwrap_or_default()),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::error::Result;
    use crate::model::{Dataset, KrKind};

    /// Loads a data folder holding only `outline.csv`, imported with `extra` options.
    fn load(extra: &str, csv: &str) -> Result<Dataset> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("outline.csv"), csv).unwrap();
        let toml = format!("[[imports]]\npreset = \"okr-outline-csv\"\nfile = \"outline.csv\"\n{extra}");
        std::fs::write(dir.path().join("quarterdeck.toml"), toml).unwrap();
        let config = Config::load(dir.path()).unwrap();
        crate::ingest::load(dir.path(), &config, None)
    }

    fn fails(extra: &str, csv: &str) -> String {
        load(extra, csv).err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_type_column_says_what_each_row_is() {
        let csv = "Row ID,Title,Parent,Type,Team,Owner,Period,Start Value,Target Value,Current Value\n\
                   O1,Delight buyers,,Objective,shop,ana,Q3 2026,,,\n\
                   K1,Ship the new basket,O1,Key Result,,bo,Q3 2026,,,40%\n\
                   P1,Basket redesign,K1,Project,,cy,Q3 2026,,,\n\
                   K2,Cut basket drop-off from 30% to 20%,O1,KR,,cy,Q3 2026,30,20,26\n\
                   K3,Nested under K2,K2,Key Result,,dan,Q3 2026,1,2,\n";
        let ds = load("", csv).unwrap();
        let krs: Vec<(&str, &str, KrKind)> =
            ds.krs.iter().map(|k| (k.id.as_str(), k.objective_id.as_str(), k.kind)).collect();
        // the project row is left out; K3, nested under K2, belongs to O1
        assert_eq!(krs, [("K1", "O1", KrKind::Milestone), ("K2", "O1", KrKind::Metric), ("K3", "O1", KrKind::Metric)]);
        assert_eq!(ds.krs[0].team, "shop", "the objective's team");
        // the milestone's "40%" is progress 0.4; the check-in is dated at the quarter's end
        assert_eq!(ds.checkins[0].value, Some(0.4));
        assert_eq!(ds.checkins[0].date.to_string(), "2026-09-30");
    }

    #[test]
    fn entity_cells_give_the_type_or_the_team_and_parents_may_be_titles() {
        let csv = "Title;Parent;Entity;Team;Owner Email;Time Period;Start Value;Target Value;Current Value;Updated\n\
                   Faster checkout;;Objective;pay;ana@x.test;2026 Q3;;;;\n\
                   Cut p95 to 400 ms;Faster checkout;Key Result;;;2026 Q3;900;400;612,5;2026-08-03\n";
        let ds = load("", csv).unwrap();
        // no Row ID column: ids are the rows' lines
        assert_eq!((ds.krs[0].id.as_str(), ds.krs[0].objective_id.as_str()), ("L3", "L2"));
        assert_eq!((ds.krs[0].team.as_str(), ds.krs[0].owner.as_str()), ("pay", "unassigned"));
        assert_eq!(ds.checkins[0].value, Some(612.5), "a decimal comma in a ; file");
        assert_eq!(ds.checkins[0].date.to_string(), "2026-08-03");
    }

    #[test]
    fn errors_name_the_exports_line_and_column() {
        let head = "Row ID,Title,Parent,Type,Team,Owner,Time Period,Start Value,Target Value,Current Value\n";
        let e = fails("", &format!("{head}1,O,,Objective,t,a,Q3 2026,,,\n2,K,9,Key Result,,a,Q3 2026,1,2,\n"));
        assert_eq!(
            e,
            "outline.csv line 3, column Parent: expected the row id of its objective in the parent column, \
             found \"9\", no objective's"
        );
        let e = fails("", &format!("{head}1,O,,Aim,t,a,Q3 2026,,,\n"));
        assert!(e.starts_with("outline.csv line 2, column Type: expected Objective or Key Result"), "{e}");
        let e = fails("", &format!("{head}1,O,,Objective,,a,Q3 2026,,,\n2,K,1,Key Result,,a,Q3 2026,1,2,\n"));
        assert!(e.starts_with("outline.csv line 3, column Team: expected the team that owns the key result"), "{e}");
        let e = fails("", &format!("{head}1,O,,Objective,t,a,Q3 2026,,,\n2,K,1,Key Result,,a,Q3 2026,1,2,lots\n"));
        assert!(e.starts_with("outline.csv line 3, column Current Value: expected a number, found \"lots\""), "{e}");
        let e = fails("", &format!("{head}1,O,,Objective,t,a,FY26 Q3,,,\n2,K,1,Key Result,,a,,1,2,\n"));
        assert!(e.starts_with("outline.csv line 2, column Time Period: expected a quarter"), "{e}");
        let e = fails(
            "",
            &format!(
                "{head}1,O,2,Objective,t,a,Q3 2026,,,\n2,K,3,Key Result,,a,Q3 2026,1,2,\n3,L,2,KR,,a,Q3 2026,1,2,\n"
            ),
        );
        assert!(
            e.starts_with("outline.csv line 3, column Parent: expected the row id of its objective"),
            "a cycle: {e}"
        );
    }
}
