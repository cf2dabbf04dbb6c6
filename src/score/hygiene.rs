//! The OKR hygiene lint (SPEC §3, OKR hygiene): how well the key results are
//! written, before anyone scores them. Each finding carries a severity and a
//! one-line suggestion of a better phrasing.

use crate::config::Config;
use crate::finding::{Finding, FindingKind as Kind, Severity};
use crate::model::{Dataset, Goal, KeyResult, KrKind, Layer, Objective, UNASSIGNED};
use std::collections::{BTreeMap, BTreeSet};

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

/// Words after which a number is a target or a limit: "to 200 ms", "by 5",
/// "from 3 to 10", "under 2 days", "at least 4", "< 1".
const COMPARISONS: &[&str] = &[
    "to", "from", "by", "under", "below", "over", "above", "within", "than", "least", "most", "<", ">", "≤", "≥", "~",
];

/// Unit words that make the number before them a measurement ("200 ms",
/// "2 days", "5 pts", "3 nines").
const UNITS: &[&str] = &[
    "%",
    "percent",
    "pct",
    "pp",
    "pt",
    "pts",
    "point",
    "points",
    "x",
    "×",
    "times",
    "ms",
    "millisecond",
    "milliseconds",
    "s",
    "sec",
    "secs",
    "second",
    "seconds",
    "min",
    "mins",
    "minute",
    "minutes",
    "h",
    "hr",
    "hrs",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "k",
    "m",
    "bn",
    "thousand",
    "million",
    "millions",
    "billion",
    "kb",
    "mb",
    "gb",
    "tb",
    "nines",
    "usd",
    "eur",
    "gbp",
    "dollars",
    "euros",
];

/// Units written onto the number ("99.9%", "10x", "300ms", "5k").
const ATTACHED_UNITS: &[&str] =
    &["%", "x", "×", "pp", "pts", "ms", "sec", "min", "h", "hrs", "k", "m", "bn", "gb", "tb"];

/// Signs written before a number that make it a quantity: currency or a comparison.
const SIGNS: &[char] = &['$', '€', '£', '¥', '<', '>', '≤', '≥', '~', '+'];

/// Periods that make a count a rate after "per", "a", "each" or "every".
const PERIODS: &[&str] = &["hour", "day", "week", "sprint", "month", "quarter", "release", "deploy"];

/// A number as written in a title: its digits and what is written onto it.
struct Written<'a> {
    digits: &'a str,
    /// A unit written onto the digits ("%", "ms", "x"), or empty.
    unit: &'a str,
    /// A currency or comparison sign before it ("$2m", "<1%").
    signed: bool,
}

/// Reads one word as a number: an optional sign, digits with `.` or `,`, then
/// nothing or an attached unit. Ids, names and ordinals are not numbers:
/// "q3", "v2", "p95", "objective1", "#1", "2nd", "3d", "2fa", "24/7".
fn written_number(word: &str) -> Option<Written<'_>> {
    let rest = word.trim_start_matches(SIGNS);
    if !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(rest.len());
    let (digits, unit) = rest.split_at(end);
    (unit.is_empty() || ATTACHED_UNITS.contains(&unit)).then_some(Written { digits, unit, signed: rest != word })
}

/// A year: four digits from 1900 to 2099 ("by 2026", "the 2027 roadmap").
fn is_year(digits: &str) -> bool {
    digits.len() == 4 && digits.parse::<u32>().is_ok_and(|y| (1900..2100).contains(&y))
}

/// A version: two dots or more ("2.0.1"), or a whole number written with
/// ".0" ("1.0", "Road to 2.0"); measured decimals carry a unit when they end in 0.
fn is_version(digits: &str) -> bool {
    digits.matches('.').count() >= 2 || digits.ends_with(".0")
}

/// A rate follows: "per" ("10 deploys per day"), "a/an/each/every" and a
/// period ("3 releases a week"), or a word like "deploys/day", within the
/// next three words.
fn rate_follows(next: &[String]) -> bool {
    let next = &next[..next.len().min(3)];
    let per_word = |w: &String| w == "per" || (w.contains('/') && w.chars().all(|c| c.is_alphabetic() || c == '/'));
    let a_period = next.windows(2).any(|p| {
        ["a", "an", "each", "every"].contains(&p[0].as_str()) && PERIODS.contains(&p[1].trim_end_matches('s'))
    });
    next.iter().any(per_word) || a_period
}

/// The words of a title, lower case, split at spaces and at hyphens or dashes
/// ("3–5 days" is 3, 5, days), with the punctuation around each trimmed.
fn title_words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '–' || c == '—')
        .map(|w| w.trim_matches(|c: char| "\"'“”‘’()[]{},.;:!?".contains(c)).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether the number `words[i]` is a measured quantity: it has a unit
/// (written onto it, the next word, or a rate after it) or a currency or
/// comparison sign — or a comparison word comes before it and it is neither
/// a year nor a version.
fn is_quantity(words: &[String], i: usize) -> bool {
    let Some(n) = written_number(&words[i]) else { return false };
    let next = &words[i + 1..];
    let has_unit =
        !n.unit.is_empty() || next.first().is_some_and(|w| UNITS.contains(&w.as_str())) || rate_follows(next);
    let thousands = n.digits.contains(',');
    let compared = i > 0 && COMPARISONS.contains(&words[i - 1].as_str());
    has_unit || n.signed || thousands || (compared && !is_year(n.digits) && !is_version(n.digits))
}

/// The words of an objective title that make it read as a measured target —
/// a number with a unit, a percentage, a currency, a multiplier or a
/// comparison ("to 200 ms", "99.9%", "by 5%", "from 3", "10x", "under 2") —
/// or `None` when its numbers are versions, names, years, ordinals or ids
/// ("Java 21", "objective1", "Q3 platform", "by 2026", "#1", "2nd", "v2").
pub fn measured_target(title: &str) -> Option<String> {
    let words = title_words(title);
    let i = (0..words.len()).find(|&i| is_quantity(&words, i))?;
    let from = if i > 0 && COMPARISONS.contains(&words[i - 1].as_str()) { i - 1 } else { i };
    let to = if words.get(i + 1).is_some_and(|w| UNITS.contains(&w.as_str())) { i + 1 } else { i };
    Some(words[from..=to].join(" "))
}

/// What a key-result rule looks at.
struct KrFacts<'a> {
    kr: &'a KeyResult,
    /// The key results of the quarter by id, for pairs.
    by_id: &'a BTreeMap<&'a str, &'a KeyResult>,
    /// The key results another key result of the quarter names as its pair.
    named: &'a BTreeSet<&'a str>,
}

/// A lint rule over one key result.
type KrRule = fn(&KrFacts) -> Option<Lint>;

/// A lint finding before it is placed: kind, severity and message.
type Lint = (Kind, Severity, String);

/// The rules over each key result, in the order they are tried.
const KR_RULES: &[KrRule] = &[task_not_outcome, missing_baseline, missing_target, missing_owner, no_metric, no_pair];

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
    // an objective its children's key results serve needs none of its own (SPEC §8)
    let served: BTreeSet<&str> = ds.objectives.iter().filter_map(|o| o.aligns_to.as_deref()).collect();
    for o in &ds.objectives {
        let n = per_objective.get(o.id.as_str()).copied().unwrap_or(0);
        if n == 0 && served.contains(o.id.as_str()) {
            continue;
        }
        if let Some(message) = kr_count(o, n, &h) {
            out.push(Finding::team(Kind::KrCount, &o.team, message));
        }
    }
    let by_id: BTreeMap<&str, &KeyResult> = ds.krs.iter().map(|k| (k.id.as_str(), k)).collect();
    // A pair declared on one side counts for both: B is paired when A names it.
    let named: BTreeSet<&str> =
        ds.krs.iter().filter_map(|k| k.paired_with.as_deref()).filter(|p| by_id.contains_key(p)).collect();
    for kr in &ds.krs {
        let facts = KrFacts { kr, by_id: &by_id, named: &named };
        for (kind, severity, message) in KR_RULES.iter().filter_map(|rule| rule(&facts)) {
            out.push(Finding::kr(kind, &kr.team, &kr.id, message).at(severity));
        }
    }
    out.extend(super::alignment::lint(ds));
    crate::finding::sort(&mut out);
    out
}

fn objective_is_number(o: &Objective) -> Option<String> {
    measured_target(&o.title).map(|_| {
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

fn missing_owner(f: &KrFacts) -> Option<Lint> {
    (f.kr.owner == UNASSIGNED).then(|| {
        let message = "no owner: the export names nobody (read as \u{201c}unassigned\u{201d}); \
                       who is the one person this key result needs?";
        (Kind::MissingOwner, Severity::Warning, message.to_string())
    })
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
    let names_one = f.kr.paired_with.as_deref().and_then(|p| f.by_id.get(p)).is_some();
    if names_one || f.named.contains(f.kr.id.as_str()) {
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
