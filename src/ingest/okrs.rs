//! okrs.csv: objectives and key results, validated row by row.

use super::table::{text, At, Table};
use crate::error::{Error, Result};
use crate::model::{Band, Direction, KeyResult, KrKind, Layer, Objective, ObjectiveKind, Quarter};
use crate::schema::OKRS;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Raw {
    quarter: Option<String>,
    team: Option<String>,
    objective_id: Option<String>,
    objective: Option<String>,
    objective_kind: Option<String>,
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
}

/// Objectives and key results of every quarter in the file.
pub struct Okrs {
    pub objectives: Vec<(Quarter, Objective)>,
    pub krs: Vec<KeyResult>,
}

/// Parses and validates every row of okrs.csv.
pub fn parse(table: &Table) -> Result<Okrs> {
    let mut objectives: BTreeMap<(Quarter, String), (u64, Objective)> = BTreeMap::new();
    let mut krs: Vec<KeyResult> = Vec::new();
    let mut kr_lines: BTreeMap<String, u64> = BTreeMap::new();
    for row in table.rows::<Raw>() {
        let (line, raw) = row?;
        let at = At { file: &table.file, line };
        let (quarter, objective) = parse_objective(&at, &raw)?;
        let key = (quarter, objective.id.clone());
        match objectives.get(&key) {
            Some((first, known)) => check_same_objective(&at, *first, known, &objective)?,
            None => {
                objectives.insert(key, (line, objective.clone()));
            }
        }
        let kr = parse_kr(&at, &raw, quarter, &objective)?;
        if let Some(first) = kr_lines.insert(kr.id.clone(), line) {
            return Err(at.err("kr_id", format!("key result {} is defined twice (first on line {first})", kr.id)));
        }
        krs.push(kr);
    }
    check_pairs(table, &krs, &kr_lines)?;
    Ok(Okrs { objectives: objectives.into_iter().map(|((q, _), (_, o))| (q, o)).collect(), krs })
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
    if known.team != new.team {
        return Err(at.err(
            "team",
            format!("objective {id} belongs to team {:?} on line {first} but {:?} here", known.team, new.team),
        ));
    }
    Ok(())
}

/// Reads and checks the key result of one row of okrs.csv.
fn parse_kr(at: &At, raw: &Raw, quarter: Quarter, objective: &Objective) -> Result<KeyResult> {
    let kind = parse_kind(at, raw)?;
    let m = parse_measures(at, raw)?;
    if kind == KrKind::Metric {
        check_metric_kr(at, &m)?;
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

fn check_pairs(table: &Table, krs: &[KeyResult], lines: &BTreeMap<String, u64>) -> Result<()> {
    for kr in krs {
        if let Some(p) = &kr.paired_with {
            if !lines.contains_key(p) || p == &kr.id {
                let at = At { file: &table.file, line: kr.line };
                return Err(at.err(
                    "paired_with",
                    format!("expected the kr_id of another key result in {}, found {p:?}", OKRS.file),
                ));
            }
        }
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

/// The quarters present, oldest first.
pub fn quarters(okrs: &Okrs) -> Vec<Quarter> {
    let mut q: Vec<Quarter> = okrs.krs.iter().map(|k| k.quarter).collect();
    q.sort();
    q.dedup();
    q
}
