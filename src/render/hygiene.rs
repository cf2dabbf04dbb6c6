//! hygiene.html: the OKR lint's findings by team, each team with its
//! counts first, the teams with the most errors (then warnings, notes) first.

use super::lookup::Lookup;
use crate::finding::{Finding, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

/// The OKR lint's findings of one team, with their counts.
#[derive(Serialize)]
pub struct HygieneTeam {
    team: String,
    href: String,
    counts: HygieneCounts,
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
#[derive(Serialize, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HygieneCounts {
    errors: usize,
    warnings: usize,
    info: usize,
}

impl HygieneCounts {
    fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.info += 1,
        }
    }
}

/// The lint's findings by team, each errors first, the teams with the most
/// errors, then warnings, then notes first (then by name); and their counts.
pub fn hygiene_view(ix: &Lookup) -> (Vec<HygieneTeam>, HygieneCounts) {
    let mut by_team: BTreeMap<String, Vec<HygieneRow>> = BTreeMap::new();
    let mut counts = HygieneCounts::default();
    for f in ix.scores.findings.iter().filter(|f| f.kind.rule().hygiene) {
        counts.add(f.severity);
        by_team.entry(f.team.clone().unwrap_or_default()).or_default().push(row(ix, f));
    }
    let mut teams: Vec<HygieneTeam> = by_team
        .into_iter()
        .map(|(team, mut findings)| {
            findings.sort_by_key(|r| r.severity);
            let mut counts = HygieneCounts::default();
            findings.iter().for_each(|r| counts.add(r.severity));
            HygieneTeam { href: ix.links.team(&team), team, counts, findings }
        })
        .collect();
    teams.sort_by(|a, b| b.counts.cmp(&a.counts).then_with(|| a.team.cmp(&b.team)));
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
