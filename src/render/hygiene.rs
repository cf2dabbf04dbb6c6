//! hygiene.html: the OKR lint's findings by team, errors first.

use super::lookup::Lookup;
use crate::finding::{Finding, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

/// The OKR lint's findings of one team.
#[derive(Serialize)]
pub struct HygieneTeam {
    team: String,
    href: String,
    findings: Vec<HygieneRow>,
}

/// One lint finding as a table row.
#[derive(Serialize)]
struct HygieneRow {
    severity: Severity,
    kind: &'static str,
    subject: String,
    href: String,
    message: String,
}

/// How many lint findings there are at each severity.
#[derive(Serialize, Default)]
pub struct HygieneCounts {
    errors: usize,
    warnings: usize,
    info: usize,
}

/// The lint's findings by team, errors first; and their counts.
pub fn hygiene_view(ix: &Lookup) -> (Vec<HygieneTeam>, HygieneCounts) {
    let mut by_team: BTreeMap<String, Vec<HygieneRow>> = BTreeMap::new();
    let mut counts = HygieneCounts::default();
    for f in ix.scores.findings.iter().filter(|f| f.kind.rule().hygiene) {
        match f.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Info => counts.info += 1,
        }
        by_team.entry(f.team.clone().unwrap_or_default()).or_default().push(row(ix, f));
    }
    let teams = by_team
        .into_iter()
        .map(|(team, mut findings)| {
            findings.sort_by_key(|r| r.severity);
            HygieneTeam { href: ix.links.team(&team), team, findings }
        })
        .collect();
    (teams, counts)
}

fn row(ix: &Lookup, f: &Finding) -> HygieneRow {
    HygieneRow {
        severity: f.severity,
        kind: f.kind.rule().words,
        subject: f.kr_id.clone().unwrap_or_default(),
        href: f.kr_id.as_deref().map(|k| ix.links.kr(k)).unwrap_or_default(),
        message: f.message.clone(),
    }
}
