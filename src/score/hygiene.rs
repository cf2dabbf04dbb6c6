//! The OKR hygiene lint (SPEC §3, OKR hygiene): how well the key results are
//! written, before anyone scores them. Each finding carries a severity and a
//! one-line suggestion of a better phrasing.

use super::Finding;
use crate::config::Config;
use crate::model::{Dataset, KrKind, Layer};
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

/// Lints the quarter's objectives and key results.
pub fn lint(ds: &Dataset, config: &Config) -> Vec<Finding> {
    let h = config.hygiene;
    let mut out = Vec::new();
    let mut add = |kind: &'static str, severity: &'static str, team: &str, kr: Option<&str>, message: String| {
        out.push(Finding { kind, severity, team: Some(team.to_string()), kr_id: kr.map(String::from), message })
    };
    let mut per_team: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_objective: BTreeMap<&str, usize> = BTreeMap::new();
    for o in &ds.objectives {
        *per_team.entry(o.team.as_str()).or_default() += 1;
        if has_number(&o.title) {
            add(
                "objective_is_number",
                "warning",
                &o.team,
                None,
                format!(
                    "objective {} \u{201c}{}\u{201d} is itself a number; say the qualitative change you want and \
                     leave the numbers to its key results",
                    o.id, o.title
                ),
            );
        }
    }
    for k in &ds.krs {
        *per_objective.entry(k.objective_id.as_str()).or_default() += 1;
    }
    for (team, n) in &per_team {
        if *n > h.max_objectives_per_team {
            add(
                "too_many_objectives",
                "warning",
                team,
                None,
                format!(
                    "{n} objectives this quarter, more than {}: focus is a choice; which ones matter most?",
                    h.max_objectives_per_team
                ),
            );
        }
    }
    for o in &ds.objectives {
        let n = per_objective.get(o.id.as_str()).copied().unwrap_or(0);
        if n < h.min_krs_per_objective || n > h.max_krs_per_objective {
            add(
                "kr_count",
                "warning",
                &o.team,
                None,
                format!(
                    "objective {} has {n} key result{}; {} to {} make it measurable without scattering effort",
                    o.id,
                    if n == 1 { "" } else { "s" },
                    h.min_krs_per_objective,
                    h.max_krs_per_objective
                ),
            );
        }
    }
    let by_id: BTreeMap<&str, &crate::model::KeyResult> = ds.krs.iter().map(|k| (k.id.as_str(), k)).collect();
    for k in &ds.krs {
        let verb = first_word(&k.text);
        if TASK_VERBS.contains(&verb.as_str()) && !has_number(&k.text) {
            add(
                "task_not_outcome",
                "warning",
                &k.team,
                Some(&k.id),
                format!("\u{2018}{}\u{2019} is a task; what outcome should it move, from what to what?", k.text),
            );
        }
        if k.kind == KrKind::Metric && k.baseline.is_none() {
            add(
                "missing_baseline",
                "error",
                &k.team,
                Some(&k.id),
                "no baseline: write where the number stands at quarter start (\u{201c}from 3 to 10\u{201d})".into(),
            );
        }
        if k.kind == KrKind::Metric && k.target.is_none() && k.band.is_none() {
            add("missing_target", "error", &k.team, Some(&k.id), "no target or band: say where it should end".into());
        }
        if k.metric.is_none() {
            let (severity, message) = match k.kind {
                KrKind::Metric => (
                    "warning",
                    "no measured metric: progress is only what check-ins say; name the series that measures it \
                     (a wish, not yet a key result)",
                ),
                KrKind::Milestone => {
                    ("info", "a milestone is measured by check-ins only; is there a number that would show it worked?")
                }
            };
            add("no_metric", severity, &k.team, Some(&k.id), message.into());
        }
        let paired = k.paired_with.as_deref().and_then(|p| by_id.get(p));
        match (k.layer, paired) {
            (Some(Layer::Outcome), None) => add(
                "no_pair",
                "info",
                &k.team,
                Some(&k.id),
                "an outcome with no engineering key result paired to it: which change in how we work should move it?"
                    .into(),
            ),
            (Some(Layer::Workflow), None) => add(
                "no_pair",
                "info",
                &k.team,
                Some(&k.id),
                "an engineering key result with no outcome paired to it: which customer or business result should it move?"
                    .into(),
            ),
            _ => {}
        }
    }
    out.sort_by(|a, b| (a.kind, &a.team, &a.kr_id).cmp(&(b.kind, &b.team, &b.kr_id)));
    out
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
