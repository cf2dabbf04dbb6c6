//! The index page's figures: the org card, the exceptions table (the key
//! results that need attention, worst first), and every finding for
//! findings.html.

use super::headline::Missed;
use super::lookup::Lookup;
use super::team::GradeCounts;
use crate::finding::{Finding, FindingKind, Severity};
use crate::format::score as score_text;
use crate::model::Grade;
use serde::Serialize;
use std::collections::BTreeMap;

/// One finding, linked to its KR or team page.
#[derive(Debug, Serialize)]
pub struct Alert {
    pub severity: &'static str,
    pub subject: String,
    pub href: String,
    pub message: String,
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

/// The org card: the org's score and grade, its key results by grade, and
/// its misses with committed and aspirational key results counted apart.
#[derive(Debug, Serialize)]
pub struct OrgCard {
    pub score: String,
    pub grade: Option<Grade>,
    pub teams: usize,
    pub objectives: usize,
    pub krs: usize,
    pub grade_counts: GradeCounts,
    pub missed: Missed,
    /// The green threshold as written ("0.70").
    pub green_from: String,
    /// The org score's change from the previous quarter (SPEC §6).
    pub change: Option<super::time::Change>,
    /// As of a date before the quarter's end: key results not yet due, and
    /// those of them off pace (SPEC §6).
    pub not_due: Option<usize>,
    pub off_pace: usize,
}

/// The org card of the index.
pub fn org_card(ix: &Lookup) -> OrgCard {
    OrgCard {
        score: ix.scores.org.map_or_else(|| "—".to_string(), score_text),
        grade: ix.scores.org.map(|s| ix.config.grades.grade(s)),
        teams: ix.scores.teams.len(),
        objectives: ix.scores.objectives.len(),
        krs: ix.ds.krs.len(),
        grade_counts: GradeCounts::of(ix.scores.krs.iter().map(|k| k.grade)),
        missed: Missed::of(ix),
        green_from: score_text(ix.config.grades.green_from),
        change: super::time::org_change(ix),
        not_due: ix.ds.partial().then(|| ix.ds.krs.iter().filter(|k| !ix.ds.decided(k)).count()),
        off_pace: ix.scores.findings.iter().filter(|f| f.kind == FindingKind::OffPace).count(),
    }
}

/// The most rows of the brief's exceptions table.
pub const MAX_EXCEPTIONS: usize = 12;

/// The most rows of the index's exceptions table: fewer than the brief's,
/// so that the index with its top objectives and groups still reads in two
/// minutes (SPEC §4, §8).
pub const MAX_INDEX_EXCEPTIONS: usize = 10;

/// A chip: one finding on a key result, in a few words.
#[derive(Debug, Serialize)]
pub struct Chip {
    pub kind: FindingKind,
    pub words: &'static str,
    pub severity: &'static str,
}

/// A key result that needs attention, with a chip per finding.
#[derive(Debug, Serialize)]
pub struct Exception {
    pub kr_id: String,
    pub href: String,
    pub text: String,
    pub team: String,
    pub team_href: String,
    pub score: String,
    pub grade: Grade,
    pub chips: Vec<Chip>,
}

/// The exceptions table: every key result with a finding that the index
/// alerts on, worst first, at most `cap` of them; and how many there are.
/// Worst first: the most severe finding, then the most kinds of finding of
/// that severity, then the finding that comes first in reading order, then the
/// lowest score.
pub fn exceptions(ix: &Lookup, cap: usize) -> (Vec<Exception>, usize) {
    let mut by_kr: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in ix.scores.findings.iter().filter(|f| f.kind.rule().alert) {
        if let Some(k) = f.kr_id.as_deref() {
            by_kr.entry(k).or_default().push(f);
        }
    }
    let mut rows: Vec<(&str, Vec<&Finding>, f64)> =
        by_kr.into_iter().map(|(k, fs)| (k, fs, ix.scores.kr(k).map_or(0.0, |s| s.score))).collect();
    let worst = |fs: &[&Finding]| {
        let severity = fs.iter().map(|f| f.severity).min().unwrap_or(Severity::Info);
        let kinds: std::collections::BTreeSet<FindingKind> =
            fs.iter().filter(|f| f.severity == severity).map(|f| f.kind).collect();
        let at_worst = kinds.len();
        (severity, std::cmp::Reverse(at_worst), fs.iter().map(|f| f.kind.order()).min().unwrap_or(usize::MAX))
    };
    rows.sort_by(|a, b| worst(&a.1).cmp(&worst(&b.1)).then(a.2.total_cmp(&b.2)).then(a.0.cmp(b.0)));
    let total = rows.len();
    let shown = rows.into_iter().take(cap).map(|(k, fs, _)| exception(ix, k, fs)).collect();
    (shown, total)
}

fn exception(ix: &Lookup, kr_id: &str, mut findings: Vec<&Finding>) -> Exception {
    findings.sort_by_key(|f| f.kind.order());
    findings.dedup_by_key(|f| f.kind);
    let s = ix.kr_score(kr_id);
    let team = ix.kr_by_id(kr_id).map(|k| k.team.clone()).unwrap_or_default();
    Exception {
        kr_id: kr_id.to_string(),
        href: ix.links.kr(kr_id),
        text: ix.kr_by_id(kr_id).map(|k| k.text.clone()).unwrap_or_default(),
        team_href: ix.links.team(&team),
        team,
        score: score_text(s.score),
        grade: s.grade,
        chips: findings
            .iter()
            .map(|f| Chip { kind: f.kind, words: f.kind.rule().words, severity: f.severity.word() })
            .collect(),
    }
}

/// How many of the quarter's misses each cause explains (a miss may have
/// several), and how many none does.
#[derive(Debug, Serialize)]
pub struct MissCauses {
    pub misses: usize,
    pub causes: Vec<CauseCount>,
    pub unexplained: usize,
}

/// One cause and the misses it explains.
#[derive(Debug, Serialize)]
pub struct CauseCount {
    pub kind: FindingKind,
    pub word: &'static str,
    pub count: usize,
}

/// The misses grouped by cause, for the index.
pub fn miss_causes(ix: &Lookup) -> MissCauses {
    use crate::score::misses::Cause;
    let misses = &ix.scores.misses;
    let causes = Cause::ALL
        .iter()
        .map(|&cause| CauseCount {
            kind: cause.kind(),
            word: cause.word(),
            count: misses.iter().filter(|m| m.causes.iter().any(|c| c.cause == cause)).count(),
        })
        .collect();
    MissCauses { misses: misses.len(), causes, unexplained: misses.iter().filter(|m| m.unexplained).count() }
}
