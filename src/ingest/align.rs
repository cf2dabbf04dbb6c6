//! okrs.csv's `aligns_to` (SPEC §8): each objective's parent is another
//! objective of its own quarter, and following parents always ends at a top
//! objective. Checked once every row is read, since a parent may come later.

use super::table::At;
use crate::error::Error;
use crate::model::{Objective, Quarter};
use std::collections::BTreeSet;

/// Objectives by quarter and id, each with the first line it is on.
pub(super) type ObjectiveRows = std::collections::BTreeMap<(Quarter, String), (u64, Objective)>;

/// What is wrong with the parents of some objectives of one quarter: the
/// objectives it takes out (one, or every member of a cycle) and why.
pub(super) struct Misaligned {
    pub quarter: Quarter,
    pub objectives: Vec<String>,
    pub message: String,
}

impl Misaligned {
    /// The error on one line of okrs.csv, in column aligns_to.
    pub fn error(&self, file: &str, line: u64) -> Error {
        At { file, line }.err(ALIGNS_TO, self.message.clone())
    }
}

const ALIGNS_TO: &str = "aligns_to";

/// Every objective whose parent is itself, unknown or of another quarter,
/// then every cycle of parents, each once.
pub(super) fn check(file: &str, objectives: &ObjectiveRows) -> Vec<Misaligned> {
    let mut out: Vec<Misaligned> =
        objectives.iter().filter_map(|(key, (_, o))| parent_error(file, objectives, key.0, o)).collect();
    out.extend(cycles(objectives));
    out
}

/// The parent of `o` when it is another objective of quarter `q`.
fn parent_of<'a>(objectives: &'a ObjectiveRows, q: Quarter, o: &'a Objective) -> Option<&'a Objective> {
    let p = o.aligns_to.as_deref().filter(|p| *p != o.id)?;
    objectives.get(&(q, p.to_string())).map(|(_, parent)| parent)
}

/// Why the parent `o` names is no objective of its quarter, or none when it is one.
fn parent_error(file: &str, objectives: &ObjectiveRows, q: Quarter, o: &Objective) -> Option<Misaligned> {
    let p = o.aligns_to.as_deref()?;
    if parent_of(objectives, q, o).is_some() {
        return None;
    }
    let elsewhere = objectives.iter().find(|((_, id), _)| id == p);
    let message = match elsewhere {
        _ if p == o.id => format!("expected the objective_id of another objective, found {p:?}, its own id"),
        Some(((other, _), (line, _))) => format!(
            "expected the objective_id of an objective of {q}, found {p:?}, an objective of {other} (line {line})"
        ),
        None => format!("expected the objective_id of an objective of {q}, found {p:?}, which no row of {file} has"),
    };
    Some(Misaligned { quarter: q, objectives: vec![o.id.clone()], message })
}

/// Every cycle of parents, each once, starting at its member on the first line.
fn cycles(objectives: &ObjectiveRows) -> Vec<Misaligned> {
    let mut done: BTreeSet<(Quarter, &str)> = BTreeSet::new();
    let mut out = Vec::new();
    for ((q, _), (_, start)) in objectives {
        let mut path: Vec<&Objective> = Vec::new();
        let mut at = Some(start);
        while let Some(o) = at.filter(|o| !done.contains(&(*q, o.id.as_str()))) {
            if let Some(i) = path.iter().position(|p| p.id == o.id) {
                out.push(cycle(*q, &path[i..]));
                break;
            }
            path.push(o);
            at = parent_of(objectives, *q, o);
        }
        done.extend(path.iter().map(|o| (*q, o.id.as_str())));
    }
    out
}

/// A cycle as an input error naming each member's line: `A (line 3) → B (line 7) → A`.
fn cycle(q: Quarter, members: &[&Objective]) -> Misaligned {
    let first = (0..members.len()).min_by_key(|&i| members[i].line).unwrap_or(0);
    let ring: Vec<&Objective> = members[first..].iter().chain(&members[..first]).copied().collect();
    let named: Vec<String> = ring.iter().map(|o| format!("{} (line {})", o.id, o.line)).collect();
    let back = ring.first().map_or("", |o| o.id.as_str());
    let message = format!(
        "expected a tree of objectives, each led up to a top objective, found a cycle: {} → {back}",
        named.join(" → ")
    );
    Misaligned { quarter: q, objectives: ring.iter().map(|o| o.id.clone()).collect(), message }
}
