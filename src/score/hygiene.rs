//! The OKR hygiene lint (SPEC §3, OKR hygiene): how well the key results are
//! written, before anyone scores them. Each finding carries a severity and a
//! one-line suggestion of a better phrasing.

use crate::config::Config;
use crate::finding::{Finding, FindingKind as Kind, Severity};
use crate::model::{Dataset, Goal, KeyResult, KrKind, Layer, Objective};
use std::collections::BTreeMap;

/// Verbs that make a key result a task when no number follows.
const TASK_VERBS: &[&str] = &[
    "ship",
    "implement",
    "migrate",
    "build",
    "create",
    "launch",
    "complete",
    "write",
    "deploy",
    "release",
    "roll",
    "rollout",
    "introduce",
    "set",
    "add",
    "finish",
    "deliver",
    "publish",
    "move",
    "put",
    "refactor",
    "upgrade",
    "integrate",
    "automate",
    "document",
    "design",
    "develop",
    "run",
    "hold",
    "start",
];

fn has_number(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
}

/// The first word, lower case, without punctuation.
fn first_word(text: &str) -> String {
    text.split_whitespace().next().unwrap_or("").trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()
}

/// What a key-result rule looks at.
struct KrFacts<'a> {
    kr: &'a KeyResult,
    /// The key results of the quarter by id, for pairs.
    by_id: &'a BTreeMap<&'a str, &'a KeyResult>,
}

/// A lint rule over one key result.
type KrRule = fn(&KrFacts) -> Option<Lint>;

/// A lint finding before it is placed: kind, severity and message.
type Lint = (Kind, Severity, String);

/// The rules over each key result, in the order they are tried.
const KR_RULES: &[KrRule] = &[task_not_outcome, missing_baseline, missing_target, no_metric, no_pair];

/// Lints the quarter's objectives and key results.
pub fn lint(ds: &Dataset, config: &Config) -> Vec<Finding> {
    let h = config.hygiene;
    let mut out = Vec::new();
    let mut per_team: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_objective: BTreeMap<&str, usize> = BTreeMap::new();
    for o in &ds.objectives {
        *per_team.entry(o.team.as_str()).or_default() += 1;
        if let Some(message) = objective_is_number(o) {
            out.push(Finding::team(Kind::ObjectiveIsNumber, &o.team, message));
        }
    }
    for k in &ds.krs {
        *per_objective.entry(k.objective_id.as_str()).or_default() += 1;
    }
    for (team, &n) in per_team.iter().filter(|(_, &n)| n > h.max_objectives_per_team) {
        let message = format!(
            "{n} objectives this quarter, more than {}: focus is a choice; which ones matter most?",
            h.max_objectives_per_team
        );
        out.push(Finding::team(Kind::TooManyObjectives, team, message));
    }
    for o in &ds.objectives {
        let n = per_objective.get(o.id.as_str()).copied().unwrap_or(0);
        if let Some(message) = kr_count(o, n, &h) {
            out.push(Finding::team(Kind::KrCount, &o.team, message));
        }
    }
    let by_id: BTreeMap<&str, &KeyResult> = ds.krs.iter().map(|k| (k.id.as_str(), k)).collect();
    for kr in &ds.krs {
        let facts = KrFacts { kr, by_id: &by_id };
        for (kind, severity, message) in KR_RULES.iter().filter_map(|rule| rule(&facts)) {
            out.push(Finding::kr(kind, &kr.team, &kr.id, message).at(severity));
        }
    }
    crate::finding::sort(&mut out);
    out
}

fn objective_is_number(o: &Objective) -> Option<String> {
    has_number(&o.title).then(|| {
        format!(
            "objective {} \u{201c}{}\u{201d} is itself a number; say the qualitative change you want and \
             leave the numbers to its key results",
            o.id, o.title
        )
    })
}

fn kr_count(o: &Objective, n: usize, h: &crate::config::Hygiene) -> Option<String> {
    (n < h.min_krs_per_objective || n > h.max_krs_per_objective).then(|| {
        format!(
            "objective {} has {n} key result{}; {} to {} make it measurable without scattering effort",
            o.id,
            if n == 1 { "" } else { "s" },
            h.min_krs_per_objective,
            h.max_krs_per_objective
        )
    })
}

fn task_not_outcome(f: &KrFacts) -> Option<Lint> {
    let verb = first_word(&f.kr.text);
    (TASK_VERBS.contains(&verb.as_str()) && !has_number(&f.kr.text)).then(|| {
        let message =
            format!("\u{2018}{}\u{2019} is a task; what outcome should it move, from what to what?", f.kr.text);
        (Kind::TaskNotOutcome, Severity::Warning, message)
    })
}

fn missing_baseline(f: &KrFacts) -> Option<Lint> {
    // a band to stay in needs no baseline (SPEC §3, band KRs)
    let maintain = f.kr.goal() == Some(Goal::Maintain);
    (f.kr.kind == KrKind::Metric && f.kr.baseline.is_none() && !maintain).then(|| {
        let message = "no baseline: write where the number stands at quarter start (\u{201c}from 3 to 10\u{201d})";
        (Kind::MissingBaseline, Severity::Error, message.to_string())
    })
}

fn missing_target(f: &KrFacts) -> Option<Lint> {
    (f.kr.kind == KrKind::Metric && f.kr.target.is_none() && f.kr.band.is_none())
        .then(|| (Kind::MissingTarget, Severity::Error, "no target or band: say where it should end".to_string()))
}

fn no_metric(f: &KrFacts) -> Option<Lint> {
    if f.kr.metric.is_some() {
        return None;
    }
    let (severity, message) = match f.kr.kind {
        KrKind::Metric => (
            Severity::Warning,
            "no measured metric: progress is only what check-ins say; name the series that measures it \
             (a wish, not yet a key result)",
        ),
        KrKind::Milestone => {
            (Severity::Info, "a milestone is measured by check-ins only; is there a number that would show it worked?")
        }
    };
    Some((Kind::NoMetric, severity, message.to_string()))
}

fn no_pair(f: &KrFacts) -> Option<Lint> {
    if f.kr.paired_with.as_deref().and_then(|p| f.by_id.get(p)).is_some() {
        return None;
    }
    let message = match f.kr.layer {
        Some(Layer::Outcome) => {
            "an outcome with no engineering key result paired to it: which change in how we work should move it?"
        }
        Some(Layer::Workflow) => {
            "an engineering key result with no outcome paired to it: which customer or business result should it move?"
        }
        _ => return None,
    };
    Some((Kind::NoPair, Severity::Info, message.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_are_verbs_without_numbers() {
        assert_eq!(first_word("Ship retry logic"), "ship");
        assert!(!has_number("Ship retry logic"));
        assert!(has_number("Ship to 3 markets"));
        assert_eq!(first_word("\u{201c}Launch\u{201d} the app"), "launch");
    }
}
