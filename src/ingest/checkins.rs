//! checkins.csv: values and confidence brought onto their canonical scales.

use super::table::{parse_number, text, At, Table};
use super::KrIndex;
use crate::error::Result;
use crate::model::{Checkin, KrKind};
use serde::Deserialize;

#[derive(Deserialize)]
struct Raw {
    date: Option<String>,
    kr_id: Option<String>,
    author: Option<String>,
    value: Option<String>,
    confidence: Option<String>,
    note: Option<String>,
    blockers: Option<String>,
    decision_needed: Option<String>,
}

/// Parses every check-in; each must name a key result of okrs.csv. The
/// check-ins of a key result whose row was left out are left out too.
pub fn parse(table: &Table, krs: &KrIndex) -> Result<Vec<Checkin>> {
    let mut out = Vec::new();
    let mut per_kr: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for row in table.rows::<Raw>() {
        let (line, raw) = row?;
        let at = At { file: &table.file, line };
        let date = at.required_date("date", &raw.date)?;
        let kr_id = at.required("kr_id", &raw.kr_id)?;
        let Some(kr) = krs.get_on(&at, kr_id, date)? else { continue };
        let count = per_kr.entry(kr.id.clone()).or_default();
        *count += 1;
        if *count > MAX_PER_KR {
            return Err(at.err(
                "kr_id",
                format!("expected at most {MAX_PER_KR} check-ins of one key result, found more of {kr_id}; is the file repeated?"),
            ));
        }
        at.markdown("note", &raw.note)?;
        let value = match kr.kind {
            KrKind::Milestone => progress(&at, &raw.value)?,
            KrKind::Metric => at.number("value", &raw.value)?,
        };
        out.push(Checkin {
            line,
            date,
            kr_id: kr.id.clone(),
            quarter: kr.quarter,
            author: text(&raw.author).map(String::from),
            value,
            confidence: confidence(&at, &raw.confidence)?,
            note: text(&raw.note).map(String::from),
            blockers: text(&raw.blockers).map(String::from),
            decision_needed: text(&raw.decision_needed).map(String::from),
        });
    }
    Ok(out)
}

/// The most check-ins one key result may have: a daily check-in for ten years
/// is 3,650; a file with more is almost surely repeated, and costs memory.
pub const MAX_PER_KR: usize = 5_000;

/// Milestone progress: a fraction 0..1, or a percentage ending in `%`.
fn progress(at: &At, v: &Option<String>) -> Result<Option<f64>> {
    let Some(s) = text(v) else { return Ok(None) };
    let bad = || {
        at.err("value", format!("expected milestone progress as a fraction 0..1 or a percentage like 45%, found {s:?}"))
    };
    let p = match s.strip_suffix('%') {
        Some(pct) => parse_number(pct).ok_or_else(bad)? / 100.0,
        None => parse_number(s).ok_or_else(bad)?,
    };
    if (0.0..=1.0).contains(&p) {
        Ok(Some(p))
    } else {
        Err(bad())
    }
}

/// Confidence on 0–10: an integer 0–10, a decimal 0..1, a percentage, or a word.
pub fn confidence(at: &At, v: &Option<String>) -> Result<Option<f64>> {
    let Some(s) = text(v) else { return Ok(None) };
    let bad = || {
        at.err(
            "confidence",
            format!(
                "expected an integer 0–10, a decimal 0..1, a percentage like 70%, \
                 or on track / at risk / off track, found {s:?}"
            ),
        )
    };
    let c = match s.to_ascii_lowercase().replace(['_', '-'], " ").as_str() {
        "on track" => 8.0,
        "at risk" => 5.0,
        "off track" => 2.0,
        _ => confidence_number(s).ok_or_else(bad)?,
    };
    Ok(Some(c))
}

/// A confidence written as a number, on 0–10: a percentage, a decimal 0..1
/// (with a point), or an integer 0–10.
fn confidence_number(s: &str) -> Option<f64> {
    if let Some(pct) = s.strip_suffix('%') {
        return parse_number(pct).filter(|p| (0.0..=100.0).contains(p)).map(|p| p / 10.0);
    }
    let n = parse_number(s)?;
    if s.contains('.') && (0.0..=1.0).contains(&n) {
        Some(n * 10.0)
    } else if n.fract() == 0.0 && (0.0..=10.0).contains(&n) {
        Some(n)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf(s: &str) -> Result<Option<f64>> {
        confidence(&At { file: "checkins.csv", line: 3 }, &Some(s.into()))
    }

    #[test]
    fn confidence_scales() {
        assert_eq!(conf("7").unwrap(), Some(7.0));
        assert_eq!(conf("0.7").unwrap(), Some(7.0));
        assert_eq!(conf("70%").unwrap(), Some(7.0));
        assert_eq!(conf("On Track").unwrap(), Some(8.0));
        assert_eq!(conf("at risk").unwrap(), Some(5.0));
        assert_eq!(conf("off-track").unwrap(), Some(2.0));
        assert_eq!(conf("1").unwrap(), Some(1.0));
        assert_eq!(conf("10").unwrap(), Some(10.0));
        assert!(conf("11").is_err());
        assert!(conf("7.5").is_err());
        let e = conf("maybe").unwrap_err().to_string();
        assert!(e.starts_with("checkins.csv line 3, column confidence: expected"), "{e}");
    }

    #[test]
    fn milestone_progress_scales() {
        let at = At { file: "checkins.csv", line: 2 };
        assert_eq!(progress(&at, &Some("0.45".into())).unwrap(), Some(0.45));
        assert_eq!(progress(&at, &Some("45%".into())).unwrap(), Some(0.45));
        let e = progress(&at, &Some("45".into())).unwrap_err().to_string();
        assert!(e.contains("fraction 0..1"), "{e}");
    }
}
