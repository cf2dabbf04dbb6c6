//! The index page: alerts grouped by kind in reading order, and the counts
//! for "how the quarter went".

use super::lookup::Lookup;
use super::team::GradeCounts;
use crate::finding::{Finding, FindingKind};
use crate::summary::Summary;
use serde::Serialize;

/// A group of findings of one kind.
#[derive(Debug, Serialize)]
pub struct AlertGroup {
    pub kind: FindingKind,
    pub label: &'static str,
    pub items: Vec<Alert>,
}

/// One finding, linked to its KR or team page.
#[derive(Debug, Serialize)]
pub struct Alert {
    pub severity: &'static str,
    pub subject: String,
    pub href: String,
    pub message: String,
}

/// The index's short story of the quarter.
#[derive(Debug, Serialize)]
pub struct QuarterStory {
    pub missed: usize,
    pub surfaced_early: usize,
    pub surfaced_late: usize,
    pub never_surfaced: usize,
    pub surprises: usize,
    pub share_early: Option<String>,
    pub early_days: i64,
    pub stale: usize,
    pub drifting: usize,
    pub reported_not_measured: usize,
    pub health_red: usize,
}

/// Every finding of one kind, by team, for findings.html.
#[derive(Debug, Serialize)]
pub struct FindingGroup {
    pub kind: FindingKind,
    pub label: &'static str,
    pub count: usize,
    pub teams: Vec<TeamFindings>,
}

/// One team's findings of one kind ("the organisation" for org-wide ones).
#[derive(Debug, Serialize)]
pub struct TeamFindings {
    pub team: String,
    pub href: String,
    pub items: Vec<Alert>,
}

/// Every finding, grouped by kind in reading order, then by team.
pub fn all_findings(ix: &Lookup) -> Vec<FindingGroup> {
    FindingKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let mut teams: Vec<TeamFindings> = Vec::new();
            for f in of_kind(ix, kind) {
                let team = f.team.clone().unwrap_or_else(|| "the organisation".into());
                if teams.last().is_none_or(|t| t.team != team) {
                    let href = f.team.as_deref().map(|t| ix.links.team(t)).unwrap_or_default();
                    teams.push(TeamFindings { team, href, items: Vec::new() });
                }
                if let Some(t) = teams.last_mut() {
                    t.items.push(alert(ix, f));
                }
            }
            let count = teams.iter().map(|t| t.items.len()).sum();
            (count > 0).then_some(FindingGroup { kind, label: kind.rule().label, count, teams })
        })
        .collect()
}

/// The alert kinds' findings, grouped by kind in reading order.
pub fn alerts(ix: &Lookup) -> Vec<AlertGroup> {
    let kinds = FindingKind::ALL.into_iter().filter(|k| k.rule().alert);
    kinds
        .filter_map(|kind| {
            let items: Vec<Alert> = of_kind(ix, kind).map(|f| alert(ix, f)).collect();
            (!items.is_empty()).then_some(AlertGroup { kind, label: kind.rule().label, items })
        })
        .collect()
}

/// The findings of one kind, in summary.json's order.
pub fn of_kind<'a>(ix: &'a Lookup, kind: FindingKind) -> impl Iterator<Item = &'a Finding> + 'a {
    ix.scores.findings.iter().filter(move |f| f.kind == kind)
}

/// A finding as a linked alert.
pub fn alert(ix: &Lookup, f: &Finding) -> Alert {
    let (subject, href) = match (&f.kr_id, &f.team) {
        (Some(k), _) => (k.clone(), ix.links.kr(k)),
        (None, Some(t)) => (t.clone(), ix.links.team(t)),
        _ => (String::new(), String::new()),
    };
    Alert { severity: f.severity.word(), subject, href, message: f.message.clone() }
}

/// Counts for "how the quarter went".
pub fn story(ix: &Lookup) -> QuarterStory {
    let e = ix.scores.early_warning;
    let count = |kind| of_kind(ix, kind).count();
    QuarterStory {
        missed: e.missed,
        surfaced_early: e.surfaced_early,
        surfaced_late: e.surfaced_late,
        never_surfaced: e.never_surfaced,
        surprises: e.surprises,
        share_early: e.share_surfaced_early.map(crate::format::pct),
        early_days: ix.config.thresholds.early_warning_days,
        stale: count(FindingKind::Stale),
        drifting: count(FindingKind::GreenButDrifting),
        reported_not_measured: count(FindingKind::ReportedNotMeasured),
        health_red: count(FindingKind::HealthRed),
    }
}

/// How many of the quarter's key results are green, amber and red.
pub fn grade_counts(summary: &Summary) -> GradeCounts {
    GradeCounts::of(summary.krs.iter().map(|k| k.scores.grade))
}
