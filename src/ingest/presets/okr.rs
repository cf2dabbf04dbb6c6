//! An OKR tool's key-result export, one row per key result with its
//! objective repeated (the shape most tools write or import): headers are
//! found by the names such tools use, ids are made up when the export has none.

use super::foreign::{field, Column, Foreign, ForeignRow};
use super::stage::{Cells, Origin};
use super::{Import, OkrStages};
use crate::error::{Error, Result};
use crate::model::{Quarter, UNASSIGNED};
use chrono::NaiveDate;
use std::collections::BTreeMap;

const OBJECTIVE: &[&str] = &["Objective", "Objective Title", "Objective Name", "Goal"];
const OBJECTIVE_ID: &[&str] = &["Objective ID", "Objective Key", "objective_id"];
const KEY_RESULT: &[&str] = &["Key Result", "Key Result Title", "Key Result Name", "KR", "KR Title", "key_result"];
const KR_ID: &[&str] = &["Key Result ID", "KR ID", "kr_id", "ID", "Key"];
const OWNER: &[&str] = &[
    "Owner",
    "Key Result Owner",
    "KR Owner",
    "Owner Email",
    "Owner Emails",
    "Owners",
    "Owner Name",
    "Lead",
    "Assignee",
];
const TEAM: &[&str] = &["Team", "Team Name", "Teams", "Group", "Department"];
const PERIOD: &[&str] = &["Quarter", "Period", "Time Period", "Cycle", "Goal Cycle", "Session", "Timeframe"];
const START: &[&str] = &["Start Value", "Starting Value", "Initial Value", "Start", "Baseline", "Metric Start Value"];
const TARGET: &[&str] = &["Target Value", "Target", "Goal Value", "Metric Target Value"];
const UNIT: &[&str] = &["Unit", "Metric Unit", "Unit Type"];
const DUE: &[&str] = &["Due Date", "Due", "End Date", "Target Date"];
const WEIGHT: &[&str] = &["Weight", "Weightage"];
/// Columns of okrs.csv no OKR tool has, read when the export carries them by our names.
pub(super) const OURS: &[&str] =
    &["objective_kind", "kind", "direction", "band_low", "band_high", "metric", "layer", "paired_with", "guardrail"];

/// The first owner a cell names (owners are separated by new lines, commas
/// or semicolons), or [`UNASSIGNED`] when the export names nobody.
pub(super) fn owner(row: &ForeignRow, col: Option<&Column>) -> String {
    let first =
        row.get(col).and_then(|o| o.split(['\n', ',', ';']).map(str::trim).find(|o| !o.is_empty()).map(String::from));
    first.unwrap_or_else(|| UNASSIGNED.to_string())
}

/// The column of the team: `team_column` of the import (an error when the
/// export lacks it), else the first of `names` the export has.
pub(super) fn team_column(csv: &Foreign, import: &Import, names: &[&str]) -> Result<Option<Column>> {
    match &import.team_column {
        Some(c) => csv.require(&[c.as_str()]).map(Some),
        None => Ok(csv.column(names)),
    }
}

/// Ids made up for exports without them: `O1`, `O2` … by first appearance of
/// (quarter, team, objective), and `O1-KR1` … within each objective.
#[derive(Debug, Default)]
pub struct Ids {
    objectives: BTreeMap<(Quarter, String, String), String>,
    krs: BTreeMap<String, usize>,
}

impl Ids {
    fn objective(&mut self, quarter: Quarter, team: &str, title: &str) -> String {
        let n = self.objectives.len() + 1;
        self.objectives.entry((quarter, team.to_string(), title.to_string())).or_insert_with(|| format!("O{n}")).clone()
    }

    fn kr(&mut self, objective: &str) -> String {
        let n = self.krs.entry(objective.to_string()).or_insert(0);
        *n += 1;
        format!("{objective}-KR{n}")
    }
}

/// A quarter as OKR tools name periods: `2026-Q3`, `Q3 2026`, `Q3-2026`,
/// `2026 Q3`, `Q3 Y2026`, `Q3 2026 (Jul–Sep)`. Fiscal years (`FY26 Q3`) are refused.
pub fn parse_period(s: &str) -> Option<Quarter> {
    if let Some(q) = Quarter::parse(s) {
        return Some(q);
    }
    let up = s.to_uppercase();
    if up.contains("FY") {
        return None;
    }
    let tokens: Vec<&str> = up.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).collect();
    let q = tokens.iter().find_map(|t| t.strip_prefix('Q').filter(|d| d.len() == 1)?.parse::<u32>().ok())?;
    let y = tokens.iter().find_map(|t| {
        let t = t.strip_prefix('Y').unwrap_or(t);
        (t.len() == 4 && t.chars().all(|c| c.is_ascii_digit())).then_some(t)
    })?;
    Quarter::parse(&format!("{y}-Q{q}"))
}

/// What both OKR CSV presets read alike: a key result's period, start and
/// target values, unit, due date and weight, and the columns named as ours.
pub(super) struct Measures {
    period: Option<Column>,
    start: Option<Column>,
    target: Option<Column>,
    unit: Option<Column>,
    due: Option<Column>,
    weight: Option<Column>,
    ours: Vec<(&'static str, Column)>,
}

impl Measures {
    /// The export's columns of the measures, by the names OKR tools give them.
    pub(super) fn find(csv: &Foreign) -> Measures {
        Measures {
            period: csv.column(PERIOD),
            start: csv.column(START),
            target: csv.column(TARGET),
            unit: csv.column(UNIT),
            due: csv.column(DUE),
            weight: csv.column(WEIGHT),
            ours: OURS.iter().filter_map(|n| Some((*n, csv.column(&[n])?))).collect(),
        }
    }

    /// Per okrs column of the measures, the export's column it comes from.
    pub(super) fn fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = vec![
            ("quarter", field(&self.period, "quarter")),
            ("baseline", field(&self.start, "baseline")),
            ("target", field(&self.target, "target")),
            ("unit", field(&self.unit, "unit")),
            ("due", field(&self.due, "due")),
            ("weight", field(&self.weight, "weight")),
        ];
        fields.extend(self.ours.iter().map(|(ours, col)| (*ours, col.name.clone())));
        fields
    }

    /// The quarter and due date of the key result on `rows[0]` (a period
    /// cell of a later row, its objective's, serves when it has none), and
    /// its okrs cells of kind, values, unit, due date, weight and ours.
    pub(super) fn cells(&self, import: &Import, rows: &[&ForeignRow]) -> Result<(Quarter, Option<NaiveDate>, Cells)> {
        let Some(row) = rows.first() else { return Err(Error::Internal("a key result without its row".into())) };
        let due = row.date(self.due.as_ref(), import.date_format.as_deref())?;
        let quarter = self.quarter(import, rows, due)?;
        let (baseline, target) = (row.number(self.start.as_ref())?, row.number(self.target.as_ref())?);
        let kind = if baseline.is_empty() && target.is_empty() { "milestone" } else { "metric" };
        let mut cells = vec![
            ("quarter", quarter.to_string()),
            ("kind", kind.to_string()),
            ("baseline", baseline),
            ("target", target),
            ("unit", row.get(self.unit.as_ref()).unwrap_or_default()),
            ("due", due.map(|d| d.to_string()).unwrap_or_default()),
            ("weight", row.number(self.weight.as_ref())?),
        ];
        row.put_ours(&self.ours, &mut cells)?;
        Ok((quarter, due, cells))
    }

    /// Whether the row has a start or a target value.
    pub(super) fn valued(&self, row: &ForeignRow) -> bool {
        row.get(self.start.as_ref()).is_some() || row.get(self.target.as_ref()).is_some()
    }

    /// The import's quarter; else the first period cell of `rows`; else the due date's.
    fn quarter(&self, import: &Import, rows: &[&ForeignRow], due: Option<NaiveDate>) -> Result<Quarter> {
        if let Some(q) = import.quarter.as_deref().and_then(Quarter::parse) {
            return Ok(q);
        }
        for row in rows {
            if let Some(text) = row.get(self.period.as_ref()) {
                return parse_period(&text).ok_or_else(|| {
                    let message = format!(
                        "expected a quarter like 2026-Q3 or Q3 2026, found {text:?}; set quarter on the [[imports]] entry"
                    );
                    row.err(self.period.as_ref(), message)
                });
            }
        }
        let due = due.ok_or_else(|| {
            let message = "expected a period, found none; set quarter = \"2026-Q3\" on the [[imports]] entry";
            let at = rows.first().map(|row| row.err(self.period.as_ref(), message.to_string()));
            at.unwrap_or_else(|| Error::Internal(message.into()))
        })?;
        Ok(Quarter::of(due))
    }
}

struct Columns {
    objective: Column,
    objective_id: Option<Column>,
    key_result: Column,
    kr_id: Option<Column>,
    owner: Option<Column>,
    team: Option<Column>,
    measures: Measures,
}

fn columns(csv: &Foreign, import: &Import) -> Result<Columns> {
    Ok(Columns {
        objective: csv.require(OBJECTIVE)?,
        objective_id: csv.column(OBJECTIVE_ID),
        key_result: csv.require(KEY_RESULT)?,
        kr_id: csv.column(KR_ID),
        owner: csv.column(OWNER),
        team: team_column(csv, import, TEAM)?,
        measures: Measures::find(csv),
    })
}

/// Stages every key result of export `file` as an okrs row.
pub fn stage(import: &Import, file: &str, bytes: Vec<u8>, stages: &mut OkrStages) -> Result<()> {
    let csv = Foreign::parse(file, bytes)?;
    let c = columns(&csv, import)?;
    let mut fields: Vec<(&'static str, String)> = vec![
        ("objective", c.objective.name.clone()),
        ("objective_id", field(&c.objective_id, "objective_id")),
        ("key_result", c.key_result.name.clone()),
        ("kr_id", field(&c.kr_id, "kr_id")),
        ("owner", field(&c.owner, "owner")),
        ("team", field(&c.team, "team")),
    ];
    fields.extend(c.measures.fields());
    stages.okrs.begin_owned(file, &fields);
    for row in csv.table.records() {
        let (line, record) = row?;
        let row = Row { import, c: &c, row: ForeignRow { csv: &csv, line, record: &record } };
        stages.okrs.push(Origin::Line(line), &row.cells(&mut stages.ids)?);
    }
    Ok(())
}

/// One row of the export being read.
struct Row<'a> {
    import: &'a Import,
    c: &'a Columns,
    row: ForeignRow<'a>,
}

impl Row<'_> {
    /// The okrs.csv cells of the row's key result.
    fn cells(&self, ids: &mut Ids) -> Result<Cells> {
        let (c, row) = (self.c, &self.row);
        let (quarter, _, mut cells) = c.measures.cells(self.import, &[row])?;
        let team = self.team()?;
        let objective = row.get(Some(&c.objective)).unwrap_or_default();
        let objective_id =
            row.get(c.objective_id.as_ref()).unwrap_or_else(|| ids.objective(quarter, &team, &objective));
        let kr_id = row.get(c.kr_id.as_ref()).unwrap_or_else(|| ids.kr(&objective_id));
        cells.extend([
            ("team", team),
            ("objective_id", objective_id),
            ("objective", objective),
            ("kr_id", kr_id),
            ("key_result", row.get(Some(&c.key_result)).unwrap_or_default()),
            ("owner", owner(row, c.owner.as_ref())),
        ]);
        Ok(cells)
    }

    /// The team that owns the key result: the import's, else the team cell's.
    fn team(&self) -> Result<String> {
        match (&self.import.team, self.row.get(self.c.team.as_ref())) {
            (Some(t), _) => Ok(t.clone()),
            (None, Some(t)) => Ok(t),
            (None, None) => {
                let message = "expected the team that owns the key result, found none; \
                               set team = \"…\" or team_column on the [[imports]] entry";
                Err(self.row.err(self.c.team.as_ref(), message.to_string()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::ingest::okrs::{self, Okrs};
    use crate::ingest::presets::stage::Stage;
    use crate::schema::OKRS;

    fn read(extra: &str, csv: &str) -> Result<Okrs> {
        read_with(extra, csv)
    }

    fn fails(extra: &str, csv: &str) -> String {
        read_with(extra, csv).err().map(|e| e.to_string()).unwrap_or_default()
    }

    fn read_with(extra: &str, csv: &str) -> Result<Okrs> {
        let text = format!("[[imports]]\npreset = \"okr-key-results-csv\"\nfile = \"krs.csv\"\n{extra}");
        let config = Config::parse(&text).unwrap();
        let mut stages = OkrStages {
            okrs: Stage::new(&OKRS, &config),
            checkins: Stage::new(&crate::schema::CHECKINS, &config),
            ids: Ids::default(),
        };
        stage(&config.imports[0], "krs.csv", csv.as_bytes().to_vec(), &mut stages)?;
        let st = &mut stages.okrs;
        let table = st.table()?;
        // as ingest::load does: a failing row of the quarter built is the error
        let mut okrs = okrs::parse(&table).map_err(|e| st.remap(e))?;
        let quarter = okrs::pick_quarter(&okrs, None)?;
        okrs.settle(quarter).map_err(|e| st.remap(e))?;
        Ok(okrs)
    }

    #[test]
    fn periods_as_tools_write_them() {
        for s in ["2026-Q3", "Q3 2026", "q3-2026", "2026 Q3", "Q3 Y2026", "Q3 2026 (Jul 1 - Sep 30)"] {
            assert_eq!(parse_period(s), Quarter::parse("2026-Q3"), "{s}");
        }
        for s in ["FY26 Q3", "Q5 2026", "2026", "third quarter"] {
            assert_eq!(parse_period(s), None, "{s}");
        }
    }

    #[test]
    fn makes_ids_infers_kinds_and_reads_decimal_commas() {
        let csv = "Objective;Key Result;Owner;Team;Period;Start Value;Target Value;Unit\n\
                   Faster checkout;Cut p95 to 400 ms;ana;pay;Q3 2026;900;400;ms\n\
                   Faster checkout;Ship one-click;bo;pay;Q3 2026;;;\n\
                   Calmer on-call;Pages per week;cy;ops;Q3 2026;12,5;4;\n";
        let o = read("", csv).unwrap();
        let ids: Vec<(&str, &str)> = o.krs.iter().map(|k| (k.objective_id.as_str(), k.id.as_str())).collect();
        assert_eq!(ids, [("O1", "O1-KR1"), ("O1", "O1-KR2"), ("O2", "O2-KR1")]);
        assert_eq!(o.krs[0].direction, Some(crate::model::Direction::Decrease));
        assert_eq!(o.krs[1].kind, crate::model::KrKind::Milestone);
        assert_eq!(o.krs[2].baseline, Some(12.5));
        assert_eq!(o.krs[0].due, NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
    }

    #[test]
    fn an_export_without_owners_is_read_with_its_key_results_unassigned() {
        let o = read("", "Objective,Key Result,Team,Period,Start Value,Target Value\nO,K,pay,Q3 2026,1,2\n").unwrap();
        assert_eq!(o.krs[0].owner, crate::model::UNASSIGNED);
        let o = read(
            "",
            "Objective,Key Result,Owners,Team,Period\nO,K,\"ana@x.test, bo@x.test\",pay,Q3 2026\nO,L,,pay,Q3 2026\n",
        )
        .unwrap();
        assert_eq!((o.krs[0].owner.as_str(), o.krs[1].owner.as_str()), ("ana@x.test", "unassigned"));
    }

    #[test]
    fn errors_use_the_exports_column_names() {
        let head = "Objective,Key Result,Owner,Team,Time Period,Start Value,Target Value\n";
        let e = fails("", &format!("{head}O,K,ana,pay,Q3 2026,5,5\n"));
        assert!(e.starts_with("krs.csv line 2, column Target Value: target equals baseline (5)"), "{e}");
        let e = fails("", &format!("{head}O,K,ana,pay,FY26 Q3,5,6\n"));
        assert!(e.starts_with("krs.csv line 2, column Time Period: expected a quarter like 2026-Q3"), "{e}");
        let e = fails("", &format!("{head}O,K,ana,pay,Q3 2026,five,6\n"));
        assert!(e.starts_with("krs.csv line 2, column Start Value: expected a number, found \"five\""), "{e}");
        let e = fails("", "Objective,Owner\nO,ana\n");
        assert!(e.starts_with("krs.csv line 1: missing required column Key Result or Key Result Title"), "{e}");
    }
}
