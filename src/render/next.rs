//! The next quarter's draft as pages show it (SPEC §6): "Starting points
//! for next quarter" on the index, at most [`MAX_INDEX_ROWS`] rows, and
//! every row on next.html with what the hygiene lint says of the draft.

use super::lookup::Lookup;
use crate::finding::Severity;
use crate::score::next::{DraftRow, Reason};
use serde::Serialize;

/// The most rows of the draft the index lists.
pub const MAX_INDEX_ROWS: usize = 12;

/// One row of the draft.
#[derive(Debug, Serialize)]
pub struct StartRow {
    pub team: String,
    pub team_href: String,
    pub kr_id: String,
    /// The key result's page this quarter, when it is carried.
    pub href: String,
    pub text: String,
    pub reason: Reason,
    pub reason_words: &'static str,
    /// The new baseline, or the band kept, as shown.
    pub start: String,
    pub note: String,
}

/// The draft, for the index and next.html.
#[derive(Debug, Serialize)]
pub struct StartingPoints {
    pub quarter: String,
    pub rows: Vec<StartRow>,
    /// Rows in all (the index shows the first [`MAX_INDEX_ROWS`]).
    pub total: usize,
    /// What the lint says must be filled in, and how many findings it has of each severity.
    pub to_fill: String,
    pub errors: usize,
    pub warnings: usize,
    /// Rows kept because they missed a commitment, carried short of target, proposed for red health.
    pub kept: usize,
    pub carried: usize,
    pub candidates: usize,
}

/// The draft's rows, at most `cap`, in the draft's order.
pub fn starting_points(ix: &Lookup, cap: usize) -> StartingPoints {
    let draft = &ix.scores.draft;
    let count = |s: Severity| draft.lint.iter().filter(|f| f.severity == s).count();
    let reasons = |r: Reason| draft.rows.iter().filter(|row| row.reason == r).count();
    StartingPoints {
        quarter: draft.quarter.to_string(),
        rows: draft.rows.iter().take(cap).map(|r| start_row(ix, r)).collect(),
        total: draft.rows.len(),
        to_fill: crate::next::to_fill(&draft.lint),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        kept: reasons(Reason::MissedCommitment),
        carried: reasons(Reason::NotAtTarget),
        candidates: reasons(Reason::HealthRed),
    }
}

fn start_row(ix: &Lookup, r: &DraftRow) -> StartRow {
    let kr = &r.kr;
    let start = match (kr.baseline, kr.band) {
        (Some(b), _) => format!("from {}", ix.value_text(kr, Some(b))),
        (None, Some(b)) => format!("band {}–{}", crate::format::num(b.low), crate::format::num(b.high)),
        (None, None) => "—".to_string(),
    };
    StartRow {
        team: kr.team.clone(),
        team_href: ix.links.team(&kr.team),
        kr_id: kr.id.clone(),
        href: if r.reason == Reason::HealthRed { String::new() } else { ix.links.kr(&kr.id) },
        text: kr.text.clone(),
        reason: r.reason,
        reason_words: r.reason.words(),
        start,
        note: r.note.clone(),
    }
}
