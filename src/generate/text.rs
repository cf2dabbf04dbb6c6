//! The words around the numbers: check-in notes, initiatives.csv, health.csv,
//! quarterdeck.toml and the notes folder.

use super::catalog::METRICS;
use super::okrs::{quarter_days, Kr, Plan, Source, QUARTER};
use super::org::Org;
use super::out::{day_of, Csv, Rand};
use super::Preset;
use crate::error::{Error, Result};
use std::fmt::Write as _;
use std::path::Path;

/// A check-in note in Markdown; some span lines, some carry a link.
pub fn note(rng: &mut Rand, org: &Org, kr: &Kr) -> String {
    let team = &org.teams[kr.team];
    let service = rng.pick(&team.services);
    match rng.below(6) {
        0 => format!("Shipped **{service}** changes this week; the number moved as expected."),
        1 => format!(
            "Slower than planned:\n\n- waiting on a review from *{}*\n- {} pull requests still open",
            org.teams[rng.below(org.teams.len())].name,
            rng.int(2, 9)
        ),
        2 => format!("See the [rollout plan](https://wiki.example.com/{}/rollout) for the next steps.", team.name),
        3 => "Holding steady, no change in risk.".into(),
        4 => format!("Load test of `{service}` passed at \"peak x2\"; next: the canary."),
        _ => "Re-planned the remaining work with the team; scope is smaller, the date holds.".into(),
    }
}

/// A blocker as written in a check-in.
pub fn blocker(rng: &mut Rand, org: &Org) -> String {
    match rng.below(4) {
        0 => format!("Waiting on the {} team for an API change", org.teams[rng.below(org.teams.len())].name),
        1 => "Security review not scheduled yet".into(),
        2 => "Vendor quota, raised with their support".into(),
        _ => "Two engineers on call this sprint".into(),
    }
}

/// A decision asked of leadership.
pub fn decision(rng: &mut Rand) -> String {
    match rng.below(3) {
        0 => "Delay the launch by two weeks, or cut scope?".into(),
        1 => "Fund a second engineer for the migration?".into(),
        _ => "Accept the current number for this quarter and move the rest to next?".into(),
    }
}

/// Writes initiatives.csv, health.csv, quarterdeck.toml and the notes.
pub fn write(org: &Org, plan: &Plan, p: &Preset, dir: &Path, seed: u64) -> Result<Vec<(String, u64)>> {
    let counts = vec![write_initiatives(org, plan, dir, seed)?, write_health(org, dir, seed)?];
    write_file(dir, "quarterdeck.toml", &config(p, org))?;
    write_file(dir, "notes/quarter.md", &quarter_notes(org, plan, p))?;
    for team in org.teams.iter().take(3) {
        let text = format!(
            "# {} — {QUARTER} retrospective\n\n## What changed\n\nWe moved deploys of `{}` onto the paved road.\n\n\
             ## What failed\n\nThe migration took longer than planned.\n\n## What we do differently\n\n\
             Smaller steps, a check-in every Friday.\n",
            team.name, team.services[0]
        );
        write_file(dir, &format!("notes/{}.md", team.name), &text)?;
    }
    Ok(counts)
}

fn write_file(dir: &Path, name: &str, text: &str) -> Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| Error::io("write", &path, e))
}

/// Writes initiatives.csv: up to two initiatives per key result, on one of its team's services.
fn write_initiatives(org: &Org, plan: &Plan, dir: &Path, seed: u64) -> Result<(String, u64)> {
    let mut rng = Rand::new(seed, 5);
    let header = ["initiative", "kr_id", "impact", "effort", "status", "started", "finished"];
    let mut csv = Csv::create(dir, "initiatives.csv", &header)?;
    for kr in &plan.krs {
        for _ in 0..rng.weighted(&[(0, 0.4), (1, 0.45), (2, 0.15)]) {
            write_initiative(&mut csv, &mut rng, org, kr)?;
        }
    }
    csv.finish()
}

/// One initiative of `kr`: name, impact and effort (now and then blank), status and dates.
fn write_initiative(csv: &mut Csv, rng: &mut Rand, org: &Org, kr: &Kr) -> Result<()> {
    let service = rng.pick(&org.teams[kr.team].services).clone();
    let name = initiative_name(rng, &service);
    let status = rng.weighted(&[("done", 0.5), ("doing", 0.2), ("idea", 0.15), ("dropped", 0.15)]);
    let (started, finished) = initiative_dates(rng, status);
    csv.text(&name).raw(&kr.id);
    for _ in 0..2 {
        if rng.chance(0.9) {
            csv.int(rng.int(1, 5) as u64);
        } else {
            csv.empty();
        }
    }
    csv.raw(status);
    for d in [started, finished] {
        match d {
            Some(d) => csv.date(d),
            None => csv.empty(),
        };
    }
    csv.end()
}

/// An initiative's name: one of a handful of kinds of work on `service`.
fn initiative_name(rng: &mut Rand, service: &str) -> String {
    match rng.below(5) {
        0 => format!("Cache the hot path of {service}"),
        1 => format!("Contract tests for {service}"),
        2 => format!("Alerting, dashboards and runbooks for {service}"),
        3 => format!("Move {service} onto the paved-road pipeline"),
        _ => format!("Load tests for {service}, before the peak"),
    }
}

/// The (started, finished) days of an initiative of `status`: ideas never
/// started, half of the dropped ones neither, only done work finished.
fn initiative_dates(rng: &mut Rand, status: &str) -> (Option<i64>, Option<i64>) {
    let (start, _) = quarter_days();
    // done work finishes with three weeks of data either side inside the quarter
    let finished = (status == "done").then(|| day_of(2026, 7, 22) + rng.int(0, 48));
    let started = match status {
        "idea" => None,
        "dropped" if rng.chance(0.5) => None,
        _ => Some(finished.unwrap_or(start + 60) - rng.int(7, 40)),
    };
    (started, finished)
}

const HEALTH: &[&str] = &["on-call load", "delivery pace", "tech debt", "team morale", "dependencies"];

/// Writes health.csv: a Friday self-assessment per team and health metric, a Markov chain of RAG.
fn write_health(org: &Org, dir: &Path, seed: u64) -> Result<(String, u64)> {
    let mut rng = Rand::new(seed, 6);
    let weeks = 13;
    let states = health_chains(&mut rng, org.teams.len() * HEALTH.len(), weeks);
    let mut csv = Csv::create(dir, "health.csv", &["date", "team", "health_metric", "status", "note"])?;
    for (w, day) in (0..weeks).map(|w| (w, day_of(2026, 7, 3) + 7 * w as i64)) {
        for (t, team) in org.teams.iter().enumerate() {
            for (m, metric) in HEALTH.iter().enumerate() {
                let s = states[t * HEALTH.len() + m][w];
                csv.date(day).raw(&team.name).raw(metric).raw(["green", "amber", "red"][usize::from(s)]);
                match s {
                    0 => csv.empty(),
                    1 => csv.text(&format!("Watching {metric}: one bad week, a plan is in place")),
                    _ => csv.text(&format!("**{metric}** is hurting delivery; raised with the director")),
                };
                csv.end()?;
            }
        }
    }
    csv.finish()
}

/// `chains` weekly runs of 0 green, 1 amber, 2 red: mostly green, red only through amber.
fn health_chains(rng: &mut Rand, chains: usize, weeks: usize) -> Vec<Vec<u8>> {
    let mut states = vec![vec![0u8; weeks]; chains];
    for chain in &mut states {
        let mut s = rng.weighted(&[(0u8, 0.75), (1, 0.22), (2, 0.03)]);
        for slot in chain.iter_mut() {
            *slot = s;
            let stay = [0.85, 0.5, 0.6][usize::from(s)];
            if !rng.chance(stay) {
                s = match s {
                    0 => 1,
                    1 if rng.chance(0.2) => 2,
                    1 => 0,
                    _ => 1,
                };
            }
        }
    }
    states
}

/// The cohort comparisons of the generated quarterdeck.toml: (dimension, metric, reference).
const COHORTS: [(&str, &str, &str); 5] = [
    ("ai_cohort", "cycle_time_days", "passive"),
    ("ai_cohort", "review_time_hours", "passive"),
    ("ai_cohort", "pr_throughput", "passive"),
    ("location", "cycle_time_days", "Berlin"),
    ("tenure", "cycle_time_days", "3y+"),
];

/// quarterdeck.toml: the organisation, every metrics.csv series, the cohort comparisons, each team's group.
fn config(p: &Preset, org: &Org) -> String {
    let mut s = format!(
        "# A synthetic organisation written by `quarterdeck generate --preset {}` (fictional data).\n\
         org = \"Synthetic Org ({})\"\n\n[grades]\nred_below = 0.4\ngreen_from = 0.7\n\n[thresholds]\nstale_days = 14\n",
        p.name, p.name
    );
    for m in METRICS {
        let _ = write!(
            s,
            "\n[metrics.{}]\nlabel = \"{}\"\nunit = \"{}\"\ndirection = \"{}\"\nlayer = \"{}\"\n",
            m.name,
            m.label,
            m.unit,
            if m.increase { "increase" } else { "decrease" },
            m.layer
        );
    }
    for (dimension, metric, reference) in COHORTS {
        let _ = write!(
            s,
            "\n[[cohorts]]\ndimension = \"{dimension}\"\nmetric = \"{metric}\"\nreference = \"{reference}\"\n"
        );
    }
    s + &super::align::teams_toml(org)
}

fn quarter_notes(org: &Org, plan: &Plan, p: &Preset) -> String {
    let count = |s: Source| plan.krs.iter().filter(|k| k.source == s).count();
    format!(
        "# Synthetic Org — {QUARTER} summary\n\n_Fictional data written by `quarterdeck generate --preset {}`._\n\n\
         ## Headline\n\n- {} teams, {} people, {} objectives and {} key results.\n\
         - {} key results are measured by a metrics.csv series, {} by a signal derived from the raw events, \
         {} only by what check-ins report, and {} are milestones.\n\
         - Every team objective serves one of {} company objectives, directly or through another team's; \
         the teams sit in {} groups.\n\n## What needs attention\n\n\
         - Key results that were behind surfaced their risk in check-ins; a few stayed confident to the end.\n\
         - Some guardrail series drift the wrong way while their key result goes green.\n",
        p.name,
        org.teams.len(),
        org.people.len(),
        plan.objectives.len(),
        plan.krs.len(),
        count(Source::Series),
        count(Source::Derived),
        count(Source::Reported),
        count(Source::Milestone),
        plan.tops.len(),
        org.teams.iter().filter_map(|t| t.group).collect::<std::collections::BTreeSet<_>>().len()
    )
}
