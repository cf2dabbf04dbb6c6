//! Key results as pages show them: the one-line row used in every table, and
//! the KR page with its facts and check-in log.

use super::evidence::{direction_text, guard_rows, initiative_rows, GuardRow, InitiativeRow};
use super::lookup::Lookup;
use crate::finding::Finding;
use crate::format::{num, pct, score as score_text, whole_or_tenth, written};
use crate::model::{Checkin, Grade, KeyResult, KrKind};
use crate::notes;
use crate::score::KrScore;
use serde::Serialize;

/// A short line about one key result, for lists and tables.
#[derive(Debug, Serialize)]
pub struct KrRow {
    pub id: String,
    pub href: String,
    pub text: String,
    pub owner: String,
    pub kind: &'static str,
    pub score: String,
    /// Bar width in percent.
    pub width: f64,
    pub grade: Grade,
    pub value: String,
    pub target: String,
    pub band: String,
    pub band_status: String,
    pub confidence: String,
    pub source: &'static str,
    /// The words of its findings that show as chips, in reading order.
    pub flags: Vec<&'static str>,
    /// As of a date before its due date: its pace and the words for it (SPEC §6).
    pub pace: String,
    pub pace_status: Option<crate::config::Pace>,
    pub pace_words: &'static str,
}

/// One check-in as shown in a KR's log.
#[derive(Debug, Serialize)]
pub struct CheckinRow {
    pub date: String,
    pub author: String,
    pub value: String,
    pub confidence: String,
    pub note_html: String,
    pub blockers: Option<String>,
    pub decision: Option<String>,
    pub counted: bool,
    /// Why it does not count: "before the quarter" or "after due".
    pub not_counted: &'static str,
}

/// One finding as the KR page lists it.
#[derive(Debug, Serialize)]
pub struct FindingLine {
    pub severity: &'static str,
    pub words: &'static str,
    pub message: String,
}

/// Everything a KR page shows.
#[derive(Debug, Serialize)]
pub struct KrPage {
    pub row: KrRow,
    pub team: String,
    pub team_href: String,
    pub objective: String,
    pub objective_kind: &'static str,
    pub direction: String,
    pub baseline: String,
    pub unit: String,
    pub metric: String,
    pub layer: String,
    pub due: String,
    pub weight: String,
    pub paired_with: Option<(String, String)>,
    pub guardrails: Vec<String>,
    pub facts: Vec<(String, String)>,
    pub value_chart: String,
    pub confidence_chart: String,
    pub checkins: Vec<CheckinRow>,
    pub findings: Vec<FindingLine>,
    pub guards: Vec<GuardRow>,
    pub initiatives: Vec<InitiativeRow>,
    /// As of a date before due: the share of its time gone, its pace.
    pub pace: Option<PaceView>,
    /// The result of the key result it carries on, in an earlier quarter.
    pub previous: Option<PreviousView>,
}

/// A key result's pace on the date the pack stands on.
#[derive(Debug, Serialize)]
pub struct PaceView {
    pub as_of: String,
    /// The share of its time gone, as the score it should have (0.49).
    pub expected: String,
    pub pace: String,
    pub status: Option<crate::config::Pace>,
    pub words: &'static str,
}

/// The earlier result of a continued key result.
#[derive(Debug, Serialize)]
pub struct PreviousView {
    pub quarter: String,
    pub kr_id: String,
    pub score: String,
    pub grade: Grade,
    pub value: String,
}

/// The row of one key result.
pub fn kr_row(ix: &Lookup, kr: &KeyResult) -> KrRow {
    let s = ix.kr_score(&kr.id);
    KrRow {
        id: kr.id.clone(),
        href: ix.links.kr(&kr.id),
        text: kr.text.clone(),
        owner: kr.owner.clone(),
        kind: kind_word(kr.kind),
        score: score_text(s.score),
        width: (s.score * 100.0).clamp(0.0, 100.0),
        grade: s.grade,
        value: ix.value_text(kr, s.value),
        target: match kr.kind {
            KrKind::Milestone => "100%".into(),
            KrKind::Metric => ix.value_text(kr, kr.score_target()),
        },
        band: kr.band.map(|b| format!("{}–{}", kr.number(b.low), kr.number(b.high))).unwrap_or_default(),
        band_status: s.band_status.clone().unwrap_or_default(),
        confidence: s.last_confidence.map(|c| format!("{}/10", whole_or_tenth(c))).unwrap_or_else(|| "—".into()),
        source: source_word(&s),
        flags: chips(ix.kr_findings(&kr.id)),
        pace: pace_of(ix, kr, &s).map_or_else(String::new, score_text),
        pace_status: pace_of(ix, kr, &s).and(s.pace_status),
        pace_words: pace_of(ix, kr, &s).and(s.pace_status).map_or("", |p| p.words()),
    }
}

/// The pace a page shows: of a key result not yet due, as of a date before the quarter's end.
fn pace_of(ix: &Lookup, kr: &KeyResult, s: &KrScore) -> Option<f64> {
    (ix.ds.partial() && !ix.ds.decided(kr)).then_some(s.pace).flatten()
}

/// The pace view of a key result's page, when it has a pace to show.
fn pace_view(ix: &Lookup, kr: &KeyResult, s: &KrScore) -> Option<PaceView> {
    let pace = pace_of(ix, kr, s)?;
    Some(PaceView {
        as_of: ix.ds.as_of().to_string(),
        expected: score_text(s.expected),
        pace: score_text(pace),
        status: s.pace_status,
        words: s.pace_status.map_or("", |p| p.words()),
    })
}

/// The earlier result of the key result `kr` carries on.
fn previous_view(ix: &Lookup, kr: &KeyResult) -> Option<PreviousView> {
    let (past, s) = crate::score::history::continued(&ix.scores.history, kr)?;
    Some(PreviousView {
        quarter: past.quarter.to_string(),
        kr_id: s.kr_id.clone(),
        score: score_text(s.score),
        grade: s.grade,
        value: ix.value_text(kr, s.value),
    })
}

/// The chip words of a key result's findings, in reading order.
pub fn chips(findings: &[&Finding]) -> Vec<&'static str> {
    let mut kinds: Vec<_> = findings.iter().map(|f| f.kind).filter(|k| k.rule().chip).collect();
    kinds.sort();
    kinds.dedup();
    kinds.into_iter().map(|k| k.rule().words).collect()
}

fn kind_word(kind: KrKind) -> &'static str {
    match kind {
        KrKind::Metric => "metric",
        KrKind::Milestone => "milestone",
    }
}

fn source_word(s: &KrScore) -> &'static str {
    if s.value_measured.is_some() {
        "measured"
    } else if s.value_reported.is_some() {
        "reported"
    } else {
        "none"
    }
}

/// Everything a KR page shows.
pub fn kr_page(ix: &Lookup, kr: &KeyResult) -> KrPage {
    let objective = ix.objective(&kr.objective_id);
    KrPage {
        row: kr_row(ix, kr),
        team: kr.team.clone(),
        team_href: ix.links.team(&kr.team),
        objective: objective.map(|o| o.title.clone()).unwrap_or_default(),
        objective_kind: objective.map_or("aspirational", |o| o.kind.as_str()),
        direction: direction_text(kr.direction),
        baseline: ix.value_text(kr, kr.baseline),
        unit: kr.unit.clone().unwrap_or_default(),
        metric: kr.metric.clone().unwrap_or_default(),
        layer: kr.layer.map(|l| format!("{l:?}").to_lowercase()).unwrap_or_default(),
        due: kr.due.to_string(),
        weight: written(kr.weight),
        paired_with: kr.paired_with.as_ref().map(|p| (p.clone(), ix.links.kr(p))),
        guardrails: kr.guardrails.clone(),
        facts: ix.scores.kr(&kr.id).map(|s| facts(ix, kr, s)).unwrap_or_default(),
        value_chart: ix.charts.kr_value.get(&kr.id).cloned().unwrap_or_default(),
        confidence_chart: ix.charts.kr_confidence.get(&kr.id).cloned().unwrap_or_default(),
        checkins: ix.checkins(&kr.id).iter().map(|c| checkin_row(ix, kr, c)).collect(),
        findings: ix.kr_findings(&kr.id).iter().map(|f| finding_line(f)).collect(),
        guards: guard_rows(ix, &kr.id),
        initiatives: initiative_rows(ix, None, Some(&kr.id)),
        pace: ix.scores.kr(&kr.id).and_then(|s| pace_view(ix, kr, s)),
        previous: previous_view(ix, kr),
    }
}

fn finding_line(f: &Finding) -> FindingLine {
    FindingLine { severity: f.severity.word(), words: f.kind.rule().words, message: f.message.clone() }
}

fn checkin_row(ix: &Lookup, kr: &KeyResult, c: &Checkin) -> CheckinRow {
    let quarter = ix.ds.quarter;
    CheckinRow {
        date: c.date.to_string(),
        author: ix.person_name(c.author.as_deref()),
        value: ix.value_text(kr, c.value),
        confidence: c.confidence.map(|x| format!("{}/10", whole_or_tenth(x))).unwrap_or_default(),
        note_html: c.note.as_deref().map(notes::to_html).unwrap_or_default(),
        blockers: c.blockers.clone(),
        decision: c.decision_needed.clone(),
        counted: c.date <= kr.due && quarter.contains(c.date),
        not_counted: if c.date < quarter.start() {
            "before the quarter, not counted"
        } else if c.date > kr.due {
            "after due, not counted"
        } else {
            ""
        },
    }
}

/// The facts table of a KR page.
fn facts(ix: &Lookup, kr: &KeyResult, s: &KrScore) -> Vec<(String, String)> {
    let mut facts = vec![
        ("Measured value".to_string(), ix.value_text(kr, s.value_measured)),
        ("Reported value".to_string(), ix.value_text(kr, s.value_reported)),
    ];
    if let (Some(m), Some(r)) = (s.score_measured, s.score_reported) {
        facts.push(("Score measured / reported".into(), format!("{} / {}", score_text(m), score_text(r))));
    }
    if kr.band.is_some() {
        facts.push(("Time in band (last half)".into(), s.time_in_band.map(pct).unwrap_or_else(|| "—".into())));
    }
    facts.push(("Check-ins".into(), s.checkins.to_string()));
    facts.push((
        "Longest gap without a check-in".into(),
        format!("{} days ({} to {})", s.longest_gap_days, s.longest_gap.0, s.longest_gap.1),
    ));
    if let Some(m) = s.median_gap_days {
        facts.push(("Median days between check-ins".into(), num(m)));
    }
    if let Some(d) = s.days_since_last_checkin {
        let at = if ix.ds.partial() { format!("on {}", ix.ds.as_of()) } else { "at quarter end".to_string() };
        facts.push((format!("Days since the last check-in {at}"), d.to_string()));
    }
    let risk = match (s.risk_surfaced, s.risk_lead_days) {
        (Some(d), Some(lead)) => format!("{d} ({lead} days before due)"),
        _ => "never".into(),
    };
    facts.push(("Risk first surfaced".into(), risk));
    facts
}
