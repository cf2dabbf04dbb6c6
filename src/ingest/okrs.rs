//! okrs.csv: objectives and key results, validated row by row.

use super::align::{self, ObjectiveRows};
use super::table::{text, At, Table};
use crate::error::{Error, Result};
use crate::model::{Band, Direction, KeyResult, KrKind, Layer, Objective, ObjectiveKind, Quarter, SkippedRow};
use crate::schema::OKRS;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Deserialize)]
struct Raw {
    quarter: Option<String>,
    team: Option<String>,
    objective_id: Option<String>,
    objective: Option<String>,
    objective_kind: Option<String>,
    aligns_to: Option<String>,
    kr_id: Option<String>,
    key_result: Option<String>,
    owner: Option<String>,
    kind: Option<String>,
    direction: Option<String>,
    baseline: Option<String>,
    target: Option<String>,
    band_low: Option<String>,
    band_high: Option<String>,
    unit: Option<String>,
    metric: Option<String>,
    layer: Option<String>,
    paired_with: Option<String>,
    guardrail: Option<String>,
    weight: Option<String>,
    due: Option<String>,
    continues: Option<String>,
}

/// Objectives and key results of every quarter in the file, and the rows
/// that failed validation: [`Okrs::settle`] decides which of those stop the build.
pub struct Okrs {
    pub objectives: Vec<(Quarter, Objective)>,
    pub krs: Vec<KeyResult>,
    /// Rows that failed, row checks in file order, then `paired_with` checks in file order.
    pub failed: Vec<Failed>,
}

/// A row of okrs.csv that failed validation.
#[derive(Debug)]
pub struct Failed {
    pub line: u64,
    /// `None` when the quarter cell itself is empty or broken: the row
    /// belongs to no quarter, so it is an error whatever quarter is built.
    pub quarter: Option<Quarter>,
    pub kr_id: Option<String>,
    pub error: Error,
}

/// The rows read so far: what passed, by quarter and id, and what failed.
#[derive(Default)]
struct Rows {
    objectives: ObjectiveRows,
    krs: Vec<KeyResult>,
    /// (quarter, kr_id) → line: an id is unique within a quarter; in
    /// another quarter it is the same key result, continued (SPEC §6).
    kr_lines: BTreeMap<(Quarter, String), u64>,
    failed: Vec<Failed>,
}

/// Parses and validates every row of okrs.csv. A row that fails is kept
/// among [`Okrs::failed`], never compared with later rows; only a row the
/// CSV reader cannot read at all (a wrong number of fields) is an error here.
pub fn parse(table: &Table) -> Result<Okrs> {
    let mut rows = Rows::default();
    for row in table.rows::<Raw>() {
        let (line, raw) = row?;
        if let Err(error) = rows.add(&At { file: &table.file, line }, &raw) {
            let quarter = text(&raw.quarter).and_then(Quarter::parse);
            rows.failed.push(Failed { line, quarter, kr_id: text(&raw.kr_id).map(String::from), error });
        }
    }
    rows.check_pairs(table);
    rows.check_continues(table);
    rows.check_alignment(table);
    let objectives = rows.objectives.into_iter().map(|((q, _), (_, o))| (q, o)).collect();
    Ok(Okrs { objectives, krs: rows.krs, failed: rows.failed })
}

impl Rows {
    /// Validates one row against itself and the rows that passed before it, and keeps it.
    fn add(&mut self, at: &At, raw: &Raw) -> Result<()> {
        let (quarter, objective) = parse_objective(at, raw)?;
        let key = (quarter, objective.id.clone());
        if let Some((first, known)) = self.objectives.get(&key) {
            check_same_objective(at, *first, known, &objective)?;
        }
        if states_objective_alone(raw) {
            check_no_kr_cells(at, raw)?;
            self.objectives.entry(key).or_insert((at.line, objective));
            return Ok(());
        }
        check_kr_named(at, raw)?;
        let kr = parse_kr(at, raw, quarter, &objective)?;
        if let Some(first) = self.kr_lines.get(&(quarter, kr.id.clone())) {
            return Err(
                at.err("kr_id", format!("key result {} is defined twice in {quarter} (first on line {first})", kr.id))
            );
        }
        self.objectives.entry(key).or_insert((at.line, objective));
        self.kr_lines.insert((quarter, kr.id.clone()), at.line);
        self.krs.push(kr);
        Ok(())
    }

    /// Moves every key result whose `paired_with` names no key result that
    /// passed (or itself) among the failed rows.
    fn check_pairs(&mut self, table: &Table) {
        let ids: BTreeSet<&str> = self.kr_lines.keys().map(|(_, id)| id.as_str()).collect();
        let mut kept = Vec::with_capacity(self.krs.len());
        for kr in std::mem::take(&mut self.krs) {
            let Some(p) = kr.paired_with.as_ref().filter(|p| !ids.contains(p.as_str()) || **p == kr.id) else {
                kept.push(kr);
                continue;
            };
            let at = At { file: &table.file, line: kr.line };
            let error = at
                .err("paired_with", format!("expected the kr_id of another key result in {}, found {p:?}", OKRS.file));
            self.failed.push(Failed { line: kr.line, quarter: Some(kr.quarter), kr_id: Some(kr.id.clone()), error });
        }
        self.krs = kept;
    }

    /// Resolves what each key result continues (SPEC §6): the kr_id its
    /// `continues` names, which must be a key result of an earlier quarter,
    /// or else its own id when an earlier quarter has it. A `continues`
    /// naming none moves its row among the failed ones.
    fn check_continues(&mut self, table: &Table) {
        let earliest: BTreeMap<&str, Quarter> = self.kr_lines.keys().rev().map(|(q, id)| (id.as_str(), *q)).collect();
        let earlier = |id: &str, q: Quarter| earliest.get(id).is_some_and(|first| *first < q);
        let mut kept = Vec::with_capacity(self.krs.len());
        let mut failed = Vec::new();
        for mut kr in std::mem::take(&mut self.krs) {
            match kr.continues.clone() {
                Some(c) if !earlier(&c, kr.quarter) => {
                    let at = At { file: &table.file, line: kr.line };
                    let message = format!(
                        "expected the kr_id of a key result of a quarter before {} in {}, found {c:?}",
                        kr.quarter, OKRS.file
                    );
                    let (line, quarter, kr_id) = (kr.line, Some(kr.quarter), Some(kr.id.clone()));
                    failed.push(Failed { line, quarter, kr_id, error: at.err("continues", message) });
                    continue;
                }
                Some(_) => {}
                None => kr.continues = earlier(&kr.id, kr.quarter).then(|| kr.id.clone()),
            }
            kept.push(kr);
        }
        self.krs = kept;
        self.failed.extend(failed);
    }

    /// Moves every row of an objective whose `aligns_to` fails (SPEC §8:
    /// an unknown parent, one of another quarter, a cycle) among the failed
    /// rows, and the objective with them.
    fn check_alignment(&mut self, table: &Table) {
        for bad in align::check(&table.file, &self.objectives) {
            let out = |q: Quarter, id: &str| q == bad.quarter && bad.objectives.iter().any(|o| o == id);
            let mut lines: BTreeMap<u64, Option<String>> = BTreeMap::new();
            for id in &bad.objectives {
                if let Some((line, _)) = self.objectives.remove(&(bad.quarter, id.clone())) {
                    lines.insert(line, None);
                }
            }
            let (gone, kept): (Vec<KeyResult>, Vec<KeyResult>) =
                std::mem::take(&mut self.krs).into_iter().partition(|k| out(k.quarter, &k.objective_id));
            self.krs = kept;
            lines.extend(gone.into_iter().map(|k| (k.line, Some(k.id))));
            self.failed.extend(lines.into_iter().map(|(line, kr_id)| Failed {
                line,
                quarter: Some(bad.quarter),
                kr_id,
                error: bad.error(&table.file, line),
            }));
        }
    }
}

impl Okrs {
    /// Settles the failed rows for a pack of `quarter`: the first that
    /// belongs to a quarter the pack needs (or to no quarter) is the error;
    /// the others are taken out and returned, to be reported and left out.
    pub fn settle(&mut self, quarter: Quarter) -> Result<Vec<SkippedRow>> {
        let needed = needed_quarters(quarter, &quarters(self));
        let fatal = |f: &Failed| f.quarter.is_none_or(|q| needed.contains(&q));
        if let Some(i) = self.failed.iter().position(fatal) {
            return Err(self.failed.swap_remove(i).error);
        }
        let mut skipped: Vec<SkippedRow> = std::mem::take(&mut self.failed)
            .into_iter()
            .map(|f| SkippedRow {
                line: f.line,
                quarter: f.quarter.unwrap_or(quarter),
                kr_id: f.kr_id,
                message: f.error.to_string(),
            })
            .collect();
        skipped.sort_by_key(|s| s.line);
        Ok(skipped)
    }
}

/// The quarters whose rows must all be valid to build `quarter`: the
/// quarter itself and the one it is compared with, the latest earlier
/// quarter of the file (SPEC §2, history). `present` is every quarter of
/// the file, oldest first.
fn needed_quarters(quarter: Quarter, present: &[Quarter]) -> Vec<Quarter> {
    let previous = present.iter().rev().find(|q| **q < quarter);
    std::iter::once(quarter).chain(previous.copied()).collect()
}

fn parse_objective(at: &At, raw: &Raw) -> Result<(Quarter, Objective)> {
    let q = at.required("quarter", &raw.quarter)?;
    let quarter =
        Quarter::parse(q).ok_or_else(|| at.err("quarter", format!("expected a quarter like 2026-Q3, found {q:?}")))?;
    let kind = match text(&raw.objective_kind).map(str::to_ascii_lowercase).as_deref() {
        None | Some("aspirational") => ObjectiveKind::Aspirational,
        Some("committed") => ObjectiveKind::Committed,
        Some(other) => {
            return Err(at.err("objective_kind", format!("expected aspirational or committed, found {other:?}")))
        }
    };
    Ok((
        quarter,
        Objective {
            id: at.required("objective_id", &raw.objective_id)?.to_string(),
            team: at.required("team", &raw.team)?.to_string(),
            title: at.required("objective", &raw.objective)?.to_string(),
            kind,
            aligns_to: text(&raw.aligns_to).map(String::from),
            line: at.line,
        },
    ))
}

fn check_same_objective(at: &At, first: u64, known: &Objective, new: &Objective) -> Result<()> {
    let id = &known.id;
    if known.title != new.title {
        return Err(at.err(
            "objective",
            format!("objective {id} is titled {:?} on line {first} but {:?} here", known.title, new.title),
        ));
    }
    if known.kind != new.kind {
        return Err(at.err(
            "objective_kind",
            format!("objective {id} is {} on line {first} but {} here", known.kind.as_str(), new.kind.as_str()),
        ));
    }
    if known.aligns_to != new.aligns_to {
        let to = |a: &Option<String>| a.as_ref().map_or_else(|| "nothing".to_string(), |p| format!("{p:?}"));
        return Err(at.err(
            "aligns_to",
            format!(
                "objective {id} aligns to {} on line {first} but to {} here",
                to(&known.aligns_to),
                to(&new.aligns_to)
            ),
        ));
    }
    if known.team != new.team {
        return Err(at.err(
            "team",
            format!("objective {id} belongs to team {:?} on line {first} but {:?} here", known.team, new.team),
        ));
    }
    Ok(())
}

/// Whether a row states an objective alone: its kr_id and key_result are
/// empty (a company objective that only its children's key results serve).
fn states_objective_alone(raw: &Raw) -> bool {
    text(&raw.kr_id).is_none() && text(&raw.key_result).is_none()
}

/// Fails when a row gives one of kr_id and key_result but not the other:
/// a key result needs both, an objective alone neither.
fn check_kr_named(at: &At, raw: &Raw) -> Result<()> {
    let (id, text_cell) = (text(&raw.kr_id), text(&raw.key_result));
    let (empty, other, found) = match (id, text_cell) {
        (None, Some(found)) => ("kr_id", "key_result", found),
        (Some(found), None) => ("key_result", "kr_id", found),
        _ => return Ok(()),
    };
    Err(at.err(
        empty,
        format!(
            "expected a value, found an empty cell while {other} is {found:?}: a key result needs both kr_id \
             and key_result, a row stating an objective alone neither"
        ),
    ))
}

/// One cell of a raw row.
type Cell = fn(&Raw) -> &Option<String>;

/// A key result's cells, by column: empty on a row that states an objective alone.
const KR_CELLS: &[(&str, Cell)] = &[
    ("owner", |r| &r.owner),
    ("kind", |r| &r.kind),
    ("direction", |r| &r.direction),
    ("baseline", |r| &r.baseline),
    ("target", |r| &r.target),
    ("band_low", |r| &r.band_low),
    ("band_high", |r| &r.band_high),
    ("unit", |r| &r.unit),
    ("metric", |r| &r.metric),
    ("layer", |r| &r.layer),
    ("paired_with", |r| &r.paired_with),
    ("guardrail", |r| &r.guardrail),
    ("weight", |r| &r.weight),
    ("due", |r| &r.due),
    ("continues", |r| &r.continues),
];

/// Fails on the first key-result cell of a row without kr_id and key_result.
fn check_no_kr_cells(at: &At, raw: &Raw) -> Result<()> {
    match KR_CELLS.iter().find_map(|(column, cell)| Some((*column, text(cell(raw))?))) {
        Some((column, found)) => Err(at.err(
            column,
            format!(
                "expected an empty cell on a row without a key result (its kr_id and key_result are empty), \
                 found {found:?}; give the row a kr_id and a key_result"
            ),
        )),
        None => Ok(()),
    }
}

/// Reads and checks the key result of one row of okrs.csv.
fn parse_kr(at: &At, raw: &Raw, quarter: Quarter, objective: &Objective) -> Result<KeyResult> {
    let kind = parse_kind(at, raw)?;
    let m = parse_measures(at, raw)?;
    match kind {
        KrKind::Metric => check_metric_kr(at, &m)?,
        KrKind::Milestone => check_milestone_kr(at, raw)?,
    }
    let (weight, due, layer) = (parse_weight(at, raw)?, parse_due(at, raw, quarter)?, parse_layer(at, raw)?);
    Ok(KeyResult {
        id: at.required("kr_id", &raw.kr_id)?.to_string(),
        quarter,
        team: objective.team.clone(),
        objective_id: objective.id.clone(),
        text: at.required("key_result", &raw.key_result)?.to_string(),
        owner: at.required("owner", &raw.owner)?.to_string(),
        kind,
        direction: m.direction.or_else(|| infer_direction(m.baseline, m.target)),
        baseline: m.baseline,
        target: m.target,
        band: m.band,
        unit: text(&raw.unit).map(String::from),
        metric: text(&raw.metric).map(String::from),
        layer,
        paired_with: text(&raw.paired_with).map(String::from),
        guardrails: parse_guardrails(raw),
        weight,
        due,
        until: due,
        continues: text(&raw.continues).map(String::from),
        line: at.line,
    })
}

/// The numbers of a key result as written, before they are checked together.
struct Measures {
    direction: Option<Direction>,
    baseline: Option<f64>,
    target: Option<f64>,
    band: Option<Band>,
}

/// Reads the kind column: metric (the default) or milestone.
fn parse_kind(at: &At, raw: &Raw) -> Result<KrKind> {
    match text(&raw.kind).map(str::to_ascii_lowercase).as_deref() {
        None | Some("metric") => Ok(KrKind::Metric),
        Some("milestone") => Ok(KrKind::Milestone),
        Some(other) => Err(at.err("kind", format!("expected metric or milestone, found {other:?}"))),
    }
}

/// Reads baseline, target, band and the written direction, in that order.
fn parse_measures(at: &At, raw: &Raw) -> Result<Measures> {
    let baseline = at.number("baseline", &raw.baseline)?;
    let target = at.number("target", &raw.target)?;
    let band = parse_band(at, raw)?;
    let direction = match text(&raw.direction) {
        Some(d) => Some(
            Direction::parse(d)
                .ok_or_else(|| at.err("direction", format!("expected increase or decrease, found {d:?}")))?,
        ),
        None => None,
    };
    Ok(Measures { direction, baseline, target, band })
}

/// Infers the direction of a key result from its baseline and target.
fn infer_direction(baseline: Option<f64>, target: Option<f64>) -> Option<Direction> {
    match (baseline, target) {
        (Some(b), Some(t)) if t > b => Some(Direction::Increase),
        (Some(b), Some(t)) if t < b => Some(Direction::Decrease),
        _ => None,
    }
}

/// Reads the weight: 1 when empty, else a number above 0.
fn parse_weight(at: &At, raw: &Raw) -> Result<f64> {
    let weight = at.number("weight", &raw.weight)?.unwrap_or(1.0);
    if weight <= 0.0 {
        return Err(at.err("weight", format!("expected a number above 0, found {weight}")));
    }
    Ok(weight)
}

/// Reads the due date: the quarter's end when empty, else a date inside the quarter.
fn parse_due(at: &At, raw: &Raw, quarter: Quarter) -> Result<NaiveDate> {
    let due = at.date("due", &raw.due)?.unwrap_or_else(|| quarter.end());
    if !quarter.contains(due) {
        return Err(at.err(
            "due",
            format!("expected a date inside {quarter} ({} to {}), found {due}", quarter.start(), quarter.end()),
        ));
    }
    Ok(due)
}

/// Reads the optional layer: workflow, outcome or business.
fn parse_layer(at: &At, raw: &Raw) -> Result<Option<Layer>> {
    let Some(l) = text(&raw.layer) else { return Ok(None) };
    Layer::parse(l)
        .map(Some)
        .ok_or_else(|| at.err("layer", format!("expected workflow, outcome or business, found {l:?}")))
}

/// Splits the guardrail cell on `|` into the names it lists.
fn parse_guardrails(raw: &Raw) -> Vec<String> {
    text(&raw.guardrail)
        .map(|g| g.split('|').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect())
        .unwrap_or_default()
}

fn parse_band(at: &At, raw: &Raw) -> Result<Option<Band>> {
    let low = at.number("band_low", &raw.band_low)?;
    let high = at.number("band_high", &raw.band_high)?;
    match (low, high) {
        (None, None) => Ok(None),
        (Some(low), Some(high)) if low <= high => Ok(Some(Band { low, high })),
        (Some(low), Some(high)) => {
            Err(at
                .err("band_low", format!("expected band_low ≤ band_high, found band_low {low} above band_high {high}")))
        }
        (Some(low), None) => {
            Err(at.err("band_high", format!("expected both band edges, found band_low {low} and an empty band_high")))
        }
        (None, Some(high)) => {
            Err(at.err("band_low", format!("expected both band edges, found band_high {high} and an empty band_low")))
        }
    }
}

/// Checks a metric key result asks for a change it can be scored on.
fn check_metric_kr(at: &At, m: &Measures) -> Result<()> {
    if m.target.is_none() && m.band.is_none() {
        return Err(
            at.err("target", "a metric key result needs a target or a band (band_low and band_high), found neither")
        );
    }
    if let (Some(b), Some(t)) = (m.baseline, m.target) {
        if b == t {
            return Err(at.err("target", format!("target equals baseline ({t}); a key result must ask for a change")));
        }
    }
    if m.direction.is_none() && (m.target.is_none() || m.baseline.is_none()) {
        return Err(at.err(
            "direction",
            "expected increase or decrease (it can only be inferred from a baseline and a target), found an empty cell",
        ));
    }
    match (m.direction, m.baseline) {
        (Some(d), Some(b)) => check_goal_side(at, m, d, b),
        _ => Ok(()),
    }
}

/// Checks a milestone names no `metric`: its progress is what its check-ins
/// report, and a series that only watches it belongs under `guardrail`.
fn check_milestone_kr(at: &At, raw: &Raw) -> Result<()> {
    match text(&raw.metric) {
        Some(metric) => Err(at.err(
            "metric",
            format!(
                "expected an empty cell on a milestone (its progress comes from its check-ins), \
                 found {metric:?}; name it under guardrail to watch it"
            ),
        )),
        None => Ok(()),
    }
}

/// Checks the score's target (the target, else the band's far edge) lies
/// on the good side of the baseline `b` for direction `d`.
fn check_goal_side(at: &At, m: &Measures, d: Direction, b: f64) -> Result<()> {
    let (column, goal) = match (m.target, m.band) {
        (Some(t), _) => ("target", t),
        (None, Some(band)) if d == Direction::Increase => ("band_high", band.high),
        (None, Some(band)) => ("band_low", band.low),
        (None, None) => return Ok(()),
    };
    if goal == b {
        return Err(
            at.err(column, format!("{column} equals baseline ({b}): the key result's target would ask for no change"))
        );
    }
    let (wrong, word, side) = match d {
        Direction::Increase => (goal < b, "increase", "above"),
        Direction::Decrease => (goal > b, "decrease", "below"),
    };
    if wrong {
        return Err(at.err(
            column,
            format!("expected a value {side} the baseline {b} for a key result that should {word}, found {goal}"),
        ));
    }
    Ok(())
}

/// Picks the quarter: `wanted`, or the latest in the file.
pub fn pick_quarter(okrs: &Okrs, wanted: Option<Quarter>) -> Result<Quarter> {
    let quarters = quarters(okrs);
    match wanted {
        Some(q) if quarters.contains(&q) => Ok(q),
        Some(q) => Err(Error::Usage(format!(
            "--quarter {q}: {} has no key results for it; it has {}",
            OKRS.file,
            quarters.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        ))),
        None => quarters.last().copied().ok_or_else(|| Error::File {
            file: OKRS.file.into(),
            message: "has a header but no key results; expected at least one row".into(),
        }),
    }
}

/// The quarters present, oldest first: of every row whose quarter cell
/// reads, valid or not (a quarter whose rows all fail is still the latest).
pub fn quarters(okrs: &Okrs) -> Vec<Quarter> {
    let failed = okrs.failed.iter().filter_map(|f| f.quarter);
    let mut q: Vec<Quarter> = okrs.krs.iter().map(|k| k.quarter).chain(failed).collect();
    q.sort();
    q.dedup();
    q
}
