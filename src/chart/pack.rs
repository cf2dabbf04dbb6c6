//! Every chart of the pack, drawn once and looked up by the pages.

use super::bars::{score_bars, Bar};
use super::series::{time_chart, Line, Rule, TimeChart};
use super::{num, short_date, BLUE, GREEN, MUTED, ORANGE, SERIES};
use crate::config::Config;
use crate::error::Result;
use crate::model::{Checkin, Dataset, KeyResult, KrKind};
use crate::score::Scores;
use std::collections::BTreeMap;

/// The charts of the pack, each an accessible inline SVG.
#[derive(Debug, Default)]
pub struct Charts {
    /// kr_id → value over the quarter.
    pub kr_value: BTreeMap<String, String>,
    /// kr_id → confidence over the quarter.
    pub kr_confidence: BTreeMap<String, String>,
    /// team → objective score bars.
    pub team_objectives: BTreeMap<String, String>,
    /// objective_id → confidence of its key results.
    pub objective_confidence: BTreeMap<String, String>,
}

/// Draws every chart.
pub fn draw(ds: &Dataset, scores: &Scores, config: &Config) -> Result<Charts> {
    let mut by_kr: BTreeMap<&str, Vec<&Checkin>> = BTreeMap::new();
    for c in &ds.checkins {
        by_kr.entry(c.kr_id.as_str()).or_default().push(c);
    }
    let mut charts = Charts::default();
    for kr in &ds.krs {
        let checkins = by_kr.get(kr.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let measured = scores.measured.get(&kr.id).cloned().unwrap_or_default();
        charts.kr_value.insert(kr.id.clone(), value_chart(ds, kr, checkins, measured)?);
        let line = confidence_line(&kr.id, checkins, BLUE);
        charts
            .kr_confidence
            .insert(kr.id.clone(), confidence_chart(ds, &format!("conf-{}", kr.id), &kr.id, vec![line])?);
    }
    for team in &scores.teams {
        let bars: Vec<Bar> = scores
            .objectives
            .iter()
            .filter(|o| o.team == team.team)
            .map(|o| Bar { label: title_of(ds, &o.objective_id), score: o.score, grade: o.grade.to_string() })
            .collect();
        let g = config.grades;
        let svg = score_bars(
            &format!("obj-{}", team.team),
            &format!("Objective scores of {}", team.team),
            &bars,
            [g.red_below, g.green_from],
        )?;
        charts.team_objectives.insert(team.team.clone(), svg);
    }
    for o in &ds.objectives {
        let lines: Vec<Line> = ds
            .krs
            .iter()
            .filter(|k| k.objective_id == o.id)
            .enumerate()
            .map(|(i, k)| {
                let checkins = by_kr.get(k.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
                confidence_line(&k.id, checkins, SERIES[i % SERIES.len()])
            })
            .collect();
        let svg = confidence_chart(ds, &format!("oconf-{}", o.id), &o.title, lines)?;
        charts.objective_confidence.insert(o.id.clone(), svg);
    }
    Ok(charts)
}

fn title_of(ds: &Dataset, objective_id: &str) -> String {
    ds.objectives.iter().find(|o| o.id == objective_id).map_or_else(|| objective_id.to_string(), |o| o.title.clone())
}

fn confidence_line(label: &str, checkins: &[&Checkin], color: plotters::style::RGBColor) -> Line {
    Line {
        label: label.to_string(),
        points: checkins.iter().filter_map(|c| Some((c.date, c.confidence?))).collect(),
        color,
        dashed: false,
    }
}

fn confidence_chart(ds: &Dataset, id: &str, subject: &str, lines: Vec<Line>) -> Result<String> {
    let desc = lines
        .iter()
        .map(|l| match (l.points.first(), l.points.last()) {
            (Some(a), Some(b)) => format!(
                "{}: confidence {} on {} to {} on {}",
                l.label,
                num(a.1),
                short_date(a.0),
                num(b.1),
                short_date(b.0)
            ),
            _ => format!("{}: no confidence reported", l.label),
        })
        .collect::<Vec<_>>()
        .join("; ");
    time_chart(&TimeChart {
        id: id.to_string(),
        title: format!("Confidence over the quarter: {subject}"),
        desc,
        from: ds.quarter.start(),
        to: ds.quarter.end(),
        lines,
        rules: vec![],
        band: None,
        marker: None,
        y_range: Some((0.0, 10.0)),
        width: 960,
        height: 240,
    })
}

fn value_chart(
    ds: &Dataset,
    kr: &KeyResult,
    checkins: &[&Checkin],
    measured: Vec<(chrono::NaiveDate, f64)>,
) -> Result<String> {
    let reported: Vec<_> =
        checkins.iter().filter(|c| c.date <= kr.due).filter_map(|c| Some((c.date, c.value?))).collect();
    let mut desc = Vec::new();
    let mut lines = Vec::new();
    for (label, points, color, dashed) in [("measured", measured, BLUE, false), ("reported", reported, ORANGE, true)] {
        if let (Some(a), Some(b)) = (points.first(), points.last()) {
            desc.push(format!(
                "{label} value went from {} on {} to {} on {}",
                num(a.1),
                short_date(a.0),
                num(b.1),
                short_date(b.0)
            ));
            lines.push(Line { label: label.to_string(), points, color, dashed });
        }
    }
    let mut rules = Vec::new();
    match kr.kind {
        KrKind::Milestone => rules.push(Rule { label: "done".into(), y: 1.0, color: GREEN }),
        KrKind::Metric => {
            if let Some(b) = kr.baseline {
                rules.push(Rule { label: "baseline".into(), y: b, color: MUTED });
                desc.push(format!("baseline {}", num(b)));
            }
            if let Some(t) = kr.target {
                rules.push(Rule { label: "target".into(), y: t, color: GREEN });
                desc.push(format!("target {}", num(t)));
            }
        }
    }
    if let Some(b) = kr.band {
        desc.push(format!("band {} to {}", num(b.low), num(b.high)));
    }
    desc.push(format!("due {}", short_date(kr.due)));
    if lines.is_empty() {
        desc.insert(0, "no values reported or measured".into());
    }
    time_chart(&TimeChart {
        id: format!("value-{}", kr.id),
        title: format!("{} over {}", kr.id, ds.quarter),
        desc: desc.join("; "),
        from: ds.quarter.start(),
        to: ds.quarter.end(),
        lines,
        rules,
        band: kr.band.map(|b| (b.low, b.high)),
        marker: Some((kr.due, "due".into())),
        y_range: (kr.kind == KrKind::Milestone).then_some((0.0, 1.05)),
        width: 960,
        height: 340,
    })
}
