//! Findings: what a reader must look at, each with a message that stands alone.

use super::Scores;
use crate::model::{Dataset, KrKind};
use serde::Serialize;

/// One finding of summary.json (SPEC §5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: &'static str,
    pub severity: &'static str,
    pub team: Option<String>,
    pub kr_id: Option<String>,
    pub message: String,
}

/// Severity words, most severe first.
pub const SEVERITIES: [&str; 3] = ["error", "warning", "info"];

/// Collects the findings of the scores, sorted by kind, team and KR.
pub fn collect(ds: &Dataset, scores: &Scores) -> Vec<Finding> {
    let mut out = Vec::new();
    for kr in &ds.krs {
        let Some(s) = scores.kr(&kr.id) else { continue };
        let mut add = |kind: &'static str, severity: &'static str, message: String| {
            out.push(Finding { kind, severity, team: Some(kr.team.clone()), kr_id: Some(kr.id.clone()), message })
        };
        if kr.kind == KrKind::Metric && kr.baseline.is_none() {
            add(
                "missing_baseline",
                "error",
                "no baseline, so progress cannot be measured; the score counts as 0".into(),
            );
        }
        if s.value.is_none() {
            let why = match &kr.metric {
                Some(m) => format!("no data for metric {m} and no check-in with a value; the score counts as 0"),
                None => "no measured series and no check-in with a value; the score counts as 0".to_string(),
            };
            add("unmeasured", "warning", why);
        }
        if s.missed_commitment {
            add(
                "missed_commitment",
                "warning",
                format!("committed key result scored {:.2}, below the 1.0 it committed to", s.score),
            );
        }
        if s.surprise_miss {
            add(
                "surprise_miss",
                "warning",
                format!(
                    "last confidence was {}/10 but it scored {:.2}: the miss was not signalled",
                    fmt_num(s.last_confidence.unwrap_or(0.0)),
                    s.score
                ),
            );
        }
    }
    out.sort_by(|a, b| (a.kind, &a.team, &a.kr_id).cmp(&(b.kind, &b.team, &b.kr_id)));
    out
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}
