//! Derived engineering signals (SPEC §3): from the raw events, per team and
//! ISO week, per team for the quarter, for the org, and over the 28 days
//! ending on a key result's due date — all with polars.

use super::frames::{c, f64s, i64s, Numbers};
use crate::config::Config;
use crate::error::Result;
use crate::model::{day_number, from_day_number, Dataset, Direction, Events, KeyResult, MetricPoint};
use chrono::NaiveDate;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Which event frame a signal is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// Merged pull requests, dated by merged_at.
    Merged,
    /// Merged pull requests with a first review, dated by merged_at.
    Reviewed,
    /// Deployments, dated by deployed_at.
    Deploys,
    /// (deployment, listed PR) pairs, dated by deployed_at.
    LeadPairs,
    /// Resolved incidents, dated by resolved_at.
    Incidents,
    /// AI usage days of people with a team, dated by date.
    Ai,
}

/// How a signal aggregates its events.
#[derive(Debug, Clone, Copy)]
enum Agg {
    Median(&'static str),
    /// Share: the mean of a 0/1 column, nulls ignored.
    Share(&'static str),
    /// Events per week.
    Rate,
    /// sum(a) / sum(b).
    Ratio(&'static str, &'static str),
}

/// One derived signal.
#[derive(Debug, Clone, Copy)]
pub struct SignalDef {
    pub name: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    /// Which way is better; `None` where neither is (AI usage).
    pub direction: Option<Direction>,
    /// The definition in words, for the methodology page.
    pub definition: &'static str,
    /// What it ignores: why it is a proxy.
    pub weakness: &'static str,
    /// What the export must hold for it to exist, for the methodology page.
    pub needs: &'static str,
    source: Source,
    agg: Agg,
}

const fn def(
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    direction: Option<Direction>,
    definition: &'static str,
    source: Source,
    agg: Agg,
) -> SignalDef {
    SignalDef { name, label, unit, direction, definition, weakness: weakness(name), needs: needs(name), source, agg }
}

const fn needs(name: &str) -> &'static str {
    match name.as_bytes() {
        b"cycle_time_days" | b"pr_throughput" => "merged pull requests (prs.csv, merged_at)",
        b"review_time_hours" => "a first review on merged pull requests (prs.csv, first_review_at)",
        b"rework_rate" => "a rework flag on merged pull requests (prs.csv, rework)",
        b"deploy_frequency" => "deployments (deployments.csv)",
        b"lead_time_hours" => "deployments that list the merged pull requests they shipped (deployments.csv, pr_ids)",
        b"change_failure_rate" => "deployments and their failed flag (deployments.csv, failed)",
        b"mttr_hours" => "resolved incidents (incidents.csv, resolved_at)",
        b"ai_code_share" => "an AI-assisted flag on merged pull requests (prs.csv, ai_assisted)",
        b"ai_acceptance_rate" => "AI-assistant usage of people with a team (ai_usage.csv and people.csv)",
        _ => "",
    }
}

const fn weakness(name: &str) -> &'static str {
    match name.as_bytes() {
        b"cycle_time_days" => "ignores work before the pull request is opened and after it is merged; big and small changes count alike; a team that splits work into more PRs looks faster",
        b"review_time_hours" => "counts the first review only, not its depth; time zones and weekends inflate it",
        b"pr_throughput" => "counts PRs, not value; rises when work is split finer",
        b"rework_rate" => "only as good as the rework flag; a fix to old code is not rework",
        b"deploy_frequency" => "counts deployments, not releases to users; a pipeline that deploys per commit inflates it",
        b"lead_time_hours" => "measures merge to deploy only; relies on deployments listing their PRs",
        b"change_failure_rate" => "only as good as the failed flag; small teams with few deployments swing widely",
        b"mttr_hours" => "open incidents do not count until resolved; few incidents make a noisy median",
        b"ai_code_share" => "a self-declared or tool-set flag; says nothing about how much of the PR the assistant wrote",
        b"ai_acceptance_rate" => "accepting a suggestion is not keeping it; depends on the assistant's settings",
        _ => "",
    }
}

const UP: Option<Direction> = Some(Direction::Increase);
const DOWN: Option<Direction> = Some(Direction::Decrease);

/// Every derived signal, in display order.
pub const SIGNALS: &[SignalDef] = &[
    def("cycle_time_days", "PR cycle time", "days", DOWN, "median of merged_at − opened_at over merged pull requests", Source::Merged, Agg::Median("cycle_days")),
    def("review_time_hours", "Time to first review", "hours", DOWN, "median of first_review_at − opened_at over merged pull requests with a review, dated by merged_at", Source::Reviewed, Agg::Median("review_hours")),
    def("pr_throughput", "Merged PRs per week", "per week", UP, "merged pull requests per week", Source::Merged, Agg::Rate),
    def("rework_rate", "Rework rate", "share", DOWN, "share of merged pull requests marked rework", Source::Merged, Agg::Share("rework")),
    def("deploy_frequency", "Deployments per week", "per week", UP, "production deployments per week", Source::Deploys, Agg::Rate),
    def("lead_time_hours", "Lead time for changes", "hours", DOWN, "median of deployed_at − merged_at over every (deployment, listed pull request) pair; unknown, unmerged and later-merged pull requests are left out", Source::LeadPairs, Agg::Median("lead_hours")),
    def("change_failure_rate", "Change failure rate", "share", DOWN, "failed deployments / deployments", Source::Deploys, Agg::Share("failed")),
    def("mttr_hours", "Time to restore", "hours", DOWN, "median of resolved_at − started_at over resolved incidents, dated by resolution", Source::Incidents, Agg::Median("restore_hours")),
    def("ai_code_share", "AI-assisted share of merged PRs", "share", None, "share of merged pull requests marked ai_assisted", Source::Merged, Agg::Share("ai")),
    def("ai_acceptance_rate", "AI suggestion acceptance", "share", None, "suggestions accepted / suggestions shown, people counted in their people.csv team", Source::Ai, Agg::Ratio("accepted", "shown")),
];

impl SignalDef {
    /// How its values read by [`crate::format`]'s rule: a share in %, anything else by size.
    pub fn figure_unit(&self) -> crate::format::Unit {
        if self.unit == "share" {
            crate::format::Unit::Share
        } else {
            crate::format::Unit::Quantity
        }
    }

    /// Whether it counts events per week: a week without events is 0, not a gap.
    pub fn is_count(&self) -> bool {
        matches!(self.agg, Agg::Rate)
    }

    /// The organisation's value as a team's is read against: a count per
    /// week is the sum of every team's, so its reference is the mean per team
    /// of the `teams` with such events; any other signal's is the org's own.
    pub fn reference(&self, org: Option<f64>, teams: usize) -> Option<f64> {
        match (self.is_count(), teams) {
            (true, 0) => None,
            (true, n) => org.map(|v| v / n as f64),
            (false, _) => org,
        }
    }

    /// A value with its unit: `1.8 days`, `16.9 h`, `27.8 per week`, `14.0%`.
    pub fn figure(&self, v: f64) -> String {
        let x = crate::format::figure(v, self.figure_unit());
        match self.unit {
            "days" => format!("{x} days"),
            "hours" => format!("{x} h"),
            "share" | "" => x,
            unit => format!("{x} {unit}"),
        }
    }
}

/// The definition of a derived signal by name.
pub fn signal(name: &str) -> Option<&'static SignalDef> {
    SIGNALS.iter().find(|s| s.name == name)
}

/// One signal's value for a team (or the org) over the quarter.
#[derive(Debug, Clone)]
pub struct SignalValue {
    pub team: String,
    pub metric: &'static str,
    pub value: Option<f64>,
    /// How many events it was computed from.
    pub n: u32,
    pub dora_class: Option<&'static str>,
}

/// What the lead-time pairs left out, for the methodology page.
#[derive(Debug, Clone, Copy, Default)]
pub struct LeadCoverage {
    pub pairs: usize,
    pub used: usize,
    pub unknown_pr: usize,
    pub unmerged: usize,
    pub merged_after: usize,
}

/// Everything derived from the raw events.
#[derive(Debug, Clone, Default)]
pub struct Signals {
    /// Weekly points (dated Monday) of every signal and team: metric series
    /// for key results, guardrails and trend charts.
    pub weekly: Vec<MetricPoint>,
    /// Per team and signal, sorted by team then signal order.
    pub quarter: Vec<SignalValue>,
    /// The org as a whole (team "").
    pub org: Vec<SignalValue>,
    /// signal → the org's value over the quarter's first 28 days and its
    /// last 28 days: how the work moved inside the quarter.
    pub org_first_last: BTreeMap<&'static str, (SpanValue, SpanValue)>,
    /// kr_id → the signal over the 28 days ending on due.
    pub kr_window: BTreeMap<String, Option<f64>>,
    /// kr_id → how many events of its signal its team had in the quarter.
    pub kr_quarter_events: BTreeMap<String, u32>,
    /// (team, signal, from, to) → the signal over those days, from all their
    /// events at once: both sides of every drift check of a derived
    /// guardrail, and of every team flow signal behind a miss (`delivery.rs`).
    pub spans: BTreeMap<(String, String, i32, i32), SpanValue>,
    /// (team, metric) series of metrics.csv that shadow a derived signal.
    pub shadowed: Vec<(String, String)>,
    /// Signals whose input the export does not hold in any row (a file or a
    /// column missing, or empty throughout), in signal order: the pages do
    /// not show them and the methodology page says why.
    pub without_input: Vec<&'static str>,
    /// (team, signal) → its value over the quarter's first 28 days and its
    /// last 28 days: how it moved inside the quarter.
    pub team_first_last: BTreeMap<(String, &'static str), (SpanValue, SpanValue)>,
    /// signal → the last day its events cover: weeks after it are not complete.
    pub last_day: BTreeMap<&'static str, NaiveDate>,
    pub lead: LeadCoverage,
    /// Authors and AI users missing from people.csv (only when it exists).
    pub unknown_people: BTreeSet<String>,
    /// The earlier quarters' values, in the order of `Dataset::history` (SPEC §6).
    pub past: Vec<PastSignals>,
}

/// The signals of one earlier quarter: each team's and the org's value over
/// it, and its key results' windows.
#[derive(Debug, Clone, Default)]
pub struct PastSignals {
    /// Per team and signal, sorted by team then signal order.
    pub quarter: Vec<SignalValue>,
    /// The org as a whole (team "").
    pub org: Vec<SignalValue>,
    /// kr_id → the signal over the 28 days ending on due.
    pub kr_window: BTreeMap<String, Option<f64>>,
    /// kr_id → how many events of its signal its team had in the quarter.
    pub kr_quarter_events: BTreeMap<String, u32>,
}

/// Where one period's values go: the quarter built, or one before it.
struct PeriodOut<'o> {
    quarter: &'o mut Vec<SignalValue>,
    org: &'o mut Vec<SignalValue>,
    kr_window: &'o mut BTreeMap<String, Option<f64>>,
    kr_quarter_events: &'o mut BTreeMap<String, u32>,
}

impl Signals {
    /// The values of period `i`: 0 is the quarter built, 1.. its history.
    fn period(&mut self, i: usize) -> Option<PeriodOut<'_>> {
        if i == 0 {
            return Some(PeriodOut {
                quarter: &mut self.quarter,
                org: &mut self.org,
                kr_window: &mut self.kr_window,
                kr_quarter_events: &mut self.kr_quarter_events,
            });
        }
        let p = self.past.get_mut(i - 1)?;
        Some(PeriodOut {
            quarter: &mut p.quarter,
            org: &mut p.org,
            kr_window: &mut p.kr_window,
            kr_quarter_events: &mut p.kr_quarter_events,
        })
    }
}

/// Days in a key result's measurement window.
pub const KR_WINDOW_DAYS: i32 = 28;

fn day_of(secs: i64) -> i32 {
    secs.div_euclid(86_400) as i32
}

/// The day number of the Monday of the ISO week of day number `n`
/// (day 0, 1970-01-01, was a Thursday).
pub fn monday_of(n: i32) -> i32 {
    n - (n + 3).rem_euclid(7)
}

fn hours(a: i64, b: i64) -> f64 {
    (b - a) as f64 / 3600.0
}

fn flag(b: Option<bool>) -> Option<f64> {
    b.map(|b| if b { 1.0 } else { 0.0 })
}

/// Every event frame, in the order they are built.
const SOURCES: [Source; 6] =
    [Source::Merged, Source::Reviewed, Source::Deploys, Source::LeadPairs, Source::Incidents, Source::Ai];

/// One event frame: team (a [`Numbers`] number), day (of the event's end,
/// UTC), ISO week and value columns. Frames are built one at a time and
/// dropped once their signals are computed, so only one is ever held.
fn frame<'a>(ds: &'a Dataset, source: Source, teams: &mut Numbers<'a>, lead: &mut LeadCoverage) -> Result<DataFrame> {
    let e = &ds.events;
    let mut df = match source {
        Source::Merged => merged_frame(e, teams)?,
        Source::Reviewed => reviewed_frame(e, teams)?,
        Source::Deploys => deploys_frame(e, teams)?,
        Source::LeadPairs => lead_frame(ds, teams, lead)?,
        Source::Incidents => incidents_frame(e, teams)?,
        Source::Ai => ai_frame(e, teams)?,
    };
    let weeks: Vec<i32> = df.column(c::DATE)?.i32()?.iter().map(|d| monday_of(d.unwrap_or(0))).collect();
    df.with_column(Column::new("week".into(), weeks))?;
    Ok(df)
}

/// Merged pull requests: cycle days and the rework and AI flags.
fn merged_frame<'a>(e: &'a Events, teams: &mut Numbers<'a>) -> Result<DataFrame> {
    let merged: Vec<_> = e.prs.iter().filter_map(|p| Some((p, p.merged.get()?))).collect();
    Ok(DataFrame::new_infer_height(vec![
        Column::new(c::TEAM.into(), merged.iter().map(|(p, _)| teams.of(&p.team)).collect::<Vec<_>>()),
        Column::new(c::DATE.into(), merged.iter().map(|(_, m)| day_of(*m)).collect::<Vec<_>>()),
        Column::new("cycle_days".into(), merged.iter().map(|(p, m)| hours(p.opened, *m) / 24.0).collect::<Vec<_>>()),
        Column::new("rework".into(), merged.iter().map(|(p, _)| flag(p.rework)).collect::<Vec<_>>()),
        Column::new("ai".into(), merged.iter().map(|(p, _)| flag(p.ai_assisted)).collect::<Vec<_>>()),
    ])?)
}

/// Merged pull requests with a first review: hours to that review.
fn reviewed_frame<'a>(e: &'a Events, teams: &mut Numbers<'a>) -> Result<DataFrame> {
    // Review time belongs to the pull request, which ends when it is merged.
    let reviewed: Vec<_> = e.prs.iter().filter_map(|p| Some((p, p.first_review.get()?, p.merged.get()?))).collect();
    Ok(DataFrame::new_infer_height(vec![
        Column::new(c::TEAM.into(), reviewed.iter().map(|(p, _, _)| teams.of(&p.team)).collect::<Vec<_>>()),
        Column::new(c::DATE.into(), reviewed.iter().map(|(_, _, m)| day_of(*m)).collect::<Vec<_>>()),
        Column::new("review_hours".into(), reviewed.iter().map(|(p, r, _)| hours(p.opened, *r)).collect::<Vec<_>>()),
    ])?)
}

/// Deployments: the failed flag.
fn deploys_frame<'a>(e: &'a Events, teams: &mut Numbers<'a>) -> Result<DataFrame> {
    Ok(DataFrame::new_infer_height(vec![
        Column::new(c::TEAM.into(), e.deployments.iter().map(|d| teams.of(&d.team)).collect::<Vec<_>>()),
        Column::new(c::DATE.into(), e.deployments.iter().map(|d| day_of(d.deployed)).collect::<Vec<_>>()),
        Column::new(
            "failed".into(),
            e.deployments.iter().map(|d| if d.failed { 1.0 } else { 0.0 }).collect::<Vec<_>>(),
        ),
    ])?)
}

/// Usable (deployment, listed PR) pairs: lead hours.
fn lead_frame<'a>(ds: &'a Dataset, teams: &mut Numbers<'a>, lead: &mut LeadCoverage) -> Result<DataFrame> {
    let pairs = lead_pairs(ds, teams, lead);
    Ok(DataFrame::new_infer_height(vec![
        Column::new(c::TEAM.into(), pairs.iter().map(|p| p.0).collect::<Vec<_>>()),
        Column::new(c::DATE.into(), pairs.iter().map(|p| p.1).collect::<Vec<_>>()),
        Column::new("lead_hours".into(), pairs.iter().map(|p| p.2).collect::<Vec<_>>()),
    ])?)
}

/// Resolved incidents: hours to restore.
fn incidents_frame<'a>(e: &'a Events, teams: &mut Numbers<'a>) -> Result<DataFrame> {
    let resolved: Vec<_> = e.incidents.iter().filter_map(|i| Some((i, i.resolved?))).collect();
    Ok(DataFrame::new_infer_height(vec![
        Column::new(c::TEAM.into(), resolved.iter().map(|(i, _)| teams.of(&i.team)).collect::<Vec<_>>()),
        Column::new(c::DATE.into(), resolved.iter().map(|(_, r)| day_of(*r)).collect::<Vec<_>>()),
        Column::new("restore_hours".into(), resolved.iter().map(|(i, r)| hours(i.started, *r)).collect::<Vec<_>>()),
    ])?)
}

/// AI usage days of people with a team: suggestions accepted and shown.
fn ai_frame<'a>(e: &'a Events, teams: &mut Numbers<'a>) -> Result<DataFrame> {
    // AI usage counts in the person's people.csv team
    let team_of: HashMap<&str, &str> = e.people.iter().map(|p| (p.id.as_str(), p.team.as_str())).collect();
    let ai: Vec<(u32, i32, f64, f64)> = e
        .ai_usage
        .iter()
        .filter_map(|u| {
            let team = team_of.get(u.person.as_str())?;
            Some((teams.of(team), day_number(u.date), u.accepted, u.shown))
        })
        .collect();
    Ok(DataFrame::new_infer_height(vec![
        Column::new(c::TEAM.into(), ai.iter().map(|a| a.0).collect::<Vec<_>>()),
        Column::new(c::DATE.into(), ai.iter().map(|a| a.1).collect::<Vec<_>>()),
        Column::new("accepted".into(), ai.iter().map(|a| a.2).collect::<Vec<_>>()),
        Column::new("shown".into(), ai.iter().map(|a| a.3).collect::<Vec<_>>()),
    ])?)
}

/// The (team, day, lead hours) of every usable (deployment, listed PR)
/// pair, counting in `lead` what the quarter's pairs left out.
fn lead_pairs<'a>(ds: &'a Dataset, teams: &mut Numbers<'a>, lead: &mut LeadCoverage) -> Vec<(u32, i32, f64)> {
    let e = &ds.events;
    // merged pull requests by id; the few unmerged ones apart
    let merged_at: HashMap<&str, i64> = e.prs.iter().filter_map(|p| Some((&*p.id, p.merged.get()?))).collect();
    let unmerged: HashSet<&str> = e.prs.iter().filter(|p| p.merged.get().is_none()).map(|p| &*p.id).collect();
    let mut pairs = Vec::new();
    let (q0, q1) = (day_number(ds.quarter.start()), day_number(ds.as_of()));
    for d in &e.deployments {
        // Coverage counts the quarter's pairs, the ones its value is made of.
        let counted = (q0..=q1).contains(&day_of(d.deployed));
        for id in d.pr_ids() {
            let before = *lead;
            lead.pairs += 1;
            match merged_at.get(id) {
                None if unmerged.contains(id) => lead.unmerged += 1,
                None => lead.unknown_pr += 1,
                Some(m) if *m > d.deployed => lead.merged_after += 1,
                Some(m) => {
                    lead.used += 1;
                    pairs.push((teams.of(&d.team), day_of(d.deployed), hours(*m, d.deployed)));
                }
            }
            if !counted {
                *lead = before;
            }
        }
    }
    pairs
}

/// PR authors and AI users missing from people.csv (none without it: then
/// nobody has a team, and that is not "missing").
fn unknown_people(ds: &Dataset) -> BTreeSet<String> {
    let e = &ds.events;
    if e.people.is_empty() {
        return BTreeSet::new();
    }
    let known: HashSet<&str> = e.people.iter().map(|p| &*p.id).collect();
    let authors = e.prs.iter().filter_map(|p| p.author.as_deref());
    let users = e.ai_usage.iter().map(|u| u.person.as_str());
    let unknown: HashSet<&str> = authors.chain(users).filter(|a| !known.contains(a)).collect();
    unknown.into_iter().map(String::from).collect()
}

/// The aggregate of one signal as `value` and its event count as `n`; rates
/// are counts divided by `weeks`.
fn aggregate(agg: Agg, weeks: f64) -> [Expr; 2] {
    match agg {
        Agg::Median(col_name) => [col(col_name).median().alias(c::VALUE), col(col_name).count().alias("n")],
        Agg::Share(col_name) => [col(col_name).mean().alias(c::VALUE), col(col_name).count().alias("n")],
        Agg::Rate => [(len().cast(DataType::Float64) / lit(weeks)).alias(c::VALUE), len().alias("n")],
        Agg::Ratio(a, b) => [
            when(col(b).sum().gt(lit(0.0))).then(col(a).sum() / col(b).sum()).otherwise(lit(NULL)).alias(c::VALUE),
            len().alias("n"),
        ],
    }
}

/// A team's events of one signal dated `from..=to` (day numbers): a key
/// result's 28 days to due, or one side of a guardrail's drift check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span<'a> {
    pub team: &'a str,
    pub metric: &'a str,
    pub from: i32,
    pub to: i32,
}

/// A signal's value over a span, and how many events it rests on.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SpanValue {
    pub value: Option<f64>,
    pub n: u32,
}

/// A quarter the signals are computed over: the one built (up to the date
/// it stands on) or one of its history.
struct Period<'a> {
    /// Events dated inside it.
    inside: Expr,
    /// Its length in weeks, for rates.
    weeks: f64,
    /// Key results measured by a derived signal, with their 28 days to due.
    windows: Vec<(&'a str, Span<'a>)>,
}

impl<'a> Period<'a> {
    /// The period of `ds`, its key results' windows ending on `until`, where
    /// `derived` says whether a team's metric is a derived signal.
    fn of(ds: &'a Dataset, derived: &impl Fn(&str, &str) -> bool) -> Period<'a> {
        let (start, end) = (day_number(ds.quarter.start()), day_number(ds.as_of()));
        let windows = ds
            .krs
            .iter()
            .filter_map(|k| {
                let m = k.metric.as_deref().filter(|m| derived(&k.team, m))?;
                Some((k.id.as_str(), to_due(k.team.as_str(), m, day_number(k.until))))
            })
            .collect();
        Period {
            inside: col(c::DATE).gt_eq(lit(start)).and(col(c::DATE).lt_eq(lit(end))),
            weeks: f64::from(end - start + 1) / 7.0,
            windows,
        }
    }
}

/// The 28 days to `due` of a team's signal.
fn to_due<'a>(team: &'a str, metric: &'a str, due: i32) -> Span<'a> {
    Span { team, metric, from: due - KR_WINDOW_DAYS + 1, to: due }
}

/// What computing each signal shares.
struct Scope<'a> {
    config: &'a Config,
    /// (team, metric) series of metrics.csv, which take the place of derived ones.
    shadowing: BTreeSet<(&'a str, &'a str)>,
    /// The quarter built, then each quarter of its history.
    periods: Vec<Period<'a>>,
    /// Both sides of every drift check of a guardrail that is a derived
    /// signal, and of every key result's team flow signals.
    drift_spans: BTreeSet<Span<'a>>,
    /// The quarter's first and last 28 days (to the date it stands on), as day numbers.
    first_days: (i32, i32),
    last_days: (i32, i32),
}

impl<'a> Scope<'a> {
    /// The quarters' bounds, the shadowed series and the key results' windows of `ds` and its history.
    fn new(ds: &'a Dataset, config: &'a Config) -> Self {
        let (start, end) = (day_number(ds.quarter.start()), day_number(ds.as_of()));
        let shadowing: BTreeSet<(&str, &str)> =
            ds.metrics.iter().map(|m| (m.team.as_str(), m.metric.as_str())).collect();
        let derived = |team: &str, m: &str| signal(m).is_some() && !shadowing.contains(&(team, m));
        let periods = std::iter::once(ds).chain(&ds.history).map(|d| Period::of(d, &derived)).collect();
        let first = |team, metric| Span { team, metric, from: start, to: start + KR_WINDOW_DAYS - 1 };
        // a guardrail's sides, and those of the team's flow behind a miss (SPEC §7)
        let checked = |k: &'a KeyResult| k.guardrails.iter().map(String::as_str).chain(super::delivery::FLOW);
        let drift_spans = ds
            .krs
            .iter()
            .flat_map(|k| checked(k).map(move |g| (k, g)))
            .filter(|(k, g)| derived(&k.team, g))
            .flat_map(|(k, g)| [first(k.team.as_str(), g), to_due(k.team.as_str(), g, day_number(k.until))])
            .collect();
        Scope {
            config,
            shadowing,
            periods,
            drift_spans,
            first_days: (start, start + KR_WINDOW_DAYS - 1),
            last_days: (end - KR_WINDOW_DAYS + 1, end),
        }
    }

    /// Adds signal `s` of the events in `frame` to `out`: weekly, quarter, org and key-result windows.
    fn add_signal(&self, s: &SignalDef, frame: &DataFrame, teams: &Numbers, out: &mut Signals) -> Result<()> {
        let events = frame.clone().lazy();
        // The export's last day: a week running past it is incomplete and left
        // out of the weekly series (a rate over 3 days is not a weekly rate).
        let last_day = frame.column(c::DATE)?.i32()?.max().unwrap_or(i32::MAX);
        out.last_day.insert(s.name, from_day_number(last_day));
        self.add_weekly(s, events.clone(), last_day, teams, &mut out.weekly)?;
        for (i, period) in self.periods.iter().enumerate() {
            let Some(slot) = out.period(i) else { continue };
            self.add_quarter(s, period, events.clone(), teams, slot.quarter)?;
            let whole = org_value(s, events.clone().filter(period.inside.clone()), period.weeks)?;
            slot.org.push(SignalValue {
                team: String::new(),
                metric: s.name,
                value: whole.value,
                n: whole.n,
                dora_class: None,
            });
            add_kr_windows(s, &period.windows, events.clone(), teams, slot)?;
        }
        self.add_first_last(s, events.clone(), out)?;
        self.add_team_first_last(s, events.clone(), teams, out)?;
        self.add_drift_spans(s, events, teams, out)
    }

    /// The weekly points (dated Monday) of complete weeks, except shadowed series.
    fn add_weekly(
        &self,
        s: &SignalDef,
        events: LazyFrame,
        last_day: i32,
        teams: &Numbers,
        out: &mut Vec<MetricPoint>,
    ) -> Result<()> {
        let weekly = events.group_by([col(c::TEAM), col("week")]).agg(aggregate(s.agg, 1.0)).collect()?;
        let team_names = teams.names(&weekly, c::TEAM)?;
        let weeks = i64s(&weekly, "week")?;
        let values = f64s(&weekly, c::VALUE)?;
        for ((team, week), value) in team_names.into_iter().zip(weeks).zip(values) {
            let (Some(team), Some(week), Some(value)) = (team, week, value) else { continue };
            if self.shadowing.contains(&(team.as_str(), s.name)) || week as i32 + 6 > last_day {
                continue;
            }
            let date = from_day_number(week as i32);
            out.push(MetricPoint { date, team, metric: s.name.to_string(), value, person: None });
        }
        Ok(())
    }

    /// Each team's value over a period, with its DORA class.
    fn add_quarter(
        &self,
        s: &SignalDef,
        period: &Period,
        events: LazyFrame,
        teams: &Numbers,
        out: &mut Vec<SignalValue>,
    ) -> Result<()> {
        let per_team = events
            .filter(period.inside.clone())
            .group_by([col(c::TEAM)])
            .agg(aggregate(s.agg, period.weeks))
            .collect()?;
        let team_names = teams.names(&per_team, c::TEAM)?;
        let values = f64s(&per_team, c::VALUE)?;
        let ns = i64s(&per_team, "n")?;
        for ((team, value), n) in team_names.into_iter().zip(values).zip(ns) {
            out.push(SignalValue {
                dora_class: value.and_then(|v| self.config.dora.class(s.name, v)),
                team: team.unwrap_or_default(),
                metric: s.name,
                value,
                n: n.unwrap_or(0) as u32,
            });
        }
        Ok(())
    }

    /// Each team's value over the quarter's first 28 days and its last 28 days.
    fn add_team_first_last(&self, s: &SignalDef, events: LazyFrame, teams: &Numbers, out: &mut Signals) -> Result<()> {
        let weeks = f64::from(KR_WINDOW_DAYS) / 7.0;
        let mut sides = [BTreeMap::new(), BTreeMap::new()];
        for (side, (from, to)) in sides.iter_mut().zip([self.first_days, self.last_days]) {
            let inside = col(c::DATE).gt_eq(lit(from)).and(col(c::DATE).lt_eq(lit(to)));
            let per_team =
                events.clone().filter(inside).group_by([col(c::TEAM)]).agg(aggregate(s.agg, weeks)).collect()?;
            let names = teams.names(&per_team, c::TEAM)?;
            for ((team, value), n) in names.into_iter().zip(f64s(&per_team, c::VALUE)?).zip(i64s(&per_team, "n")?) {
                side.insert(team.unwrap_or_default(), SpanValue { value, n: n.unwrap_or(0) as u32 });
            }
        }
        let [first, last] = sides;
        for v in out.quarter.iter().filter(|v| v.metric == s.name) {
            let side = |m: &BTreeMap<String, SpanValue>| m.get(&v.team).copied().unwrap_or_default();
            out.team_first_last.insert((v.team.clone(), s.name), (side(&first), side(&last)));
        }
        Ok(())
    }

    /// The org's value over the quarter's first and last 28 days.
    fn add_first_last(&self, s: &SignalDef, events: LazyFrame, out: &mut Signals) -> Result<()> {
        let weeks = f64::from(KR_WINDOW_DAYS) / 7.0;
        let days = |(from, to): (i32, i32)| col(c::DATE).gt_eq(lit(from)).and(col(c::DATE).lt_eq(lit(to)));
        let first = org_value(s, events.clone().filter(days(self.first_days)), weeks)?;
        let last = org_value(s, events.filter(days(self.last_days)), weeks)?;
        out.org_first_last.insert(s.name, (first, last));
        Ok(())
    }

    /// Both sides of each drift check whose guardrail is signal `s`, from all their events at once.
    fn add_drift_spans(&self, s: &SignalDef, events: LazyFrame, teams: &Numbers, out: &mut Signals) -> Result<()> {
        let spans: Vec<Span> = self.drift_spans.iter().filter(|w| w.metric == s.name).copied().collect();
        if spans.is_empty() {
            return Ok(());
        }
        for (span, value) in spans.iter().zip(span_values(s, events, &spans, teams)?) {
            out.spans.insert((span.team.to_string(), span.metric.to_string(), span.from, span.to), value);
        }
        Ok(())
    }
}

/// The value over the 28 days ending on due of each key result of a
/// period measured by `s`.
fn add_kr_windows(
    s: &SignalDef,
    windows: &[(&str, Span)],
    events: LazyFrame,
    teams: &Numbers,
    out: PeriodOut,
) -> Result<()> {
    let mine: Vec<&(&str, Span)> = windows.iter().filter(|w| w.1.metric == s.name).collect();
    if mine.is_empty() {
        return Ok(());
    }
    let spans: Vec<Span> = mine.iter().map(|w| w.1).collect();
    let found = span_values(s, events, &spans, teams)?;
    for (&&(kr_id, span), found) in mine.iter().zip(found) {
        let in_quarter = out.quarter.iter().find(|v| v.metric == s.name && v.team == span.team).map_or(0, |v| v.n);
        // SPEC §3, windows without events: a count over an empty window is 0
        // when the team had such events in the quarter; a median or share has no value.
        let empty = matches!(s.agg, Agg::Rate) && in_quarter > 0;
        out.kr_window.insert(kr_id.to_string(), found.value.or(empty.then_some(0.0)));
        out.kr_quarter_events.insert(kr_id.to_string(), in_quarter);
    }
    Ok(())
}

/// Signal `s` over all of `events` at once, `weeks` long.
fn org_value(s: &SignalDef, events: LazyFrame, weeks: f64) -> Result<SpanValue> {
    let org = events.select(aggregate(s.agg, weeks)).collect()?;
    let value = f64s(&org, c::VALUE)?.first().copied().flatten();
    let n = i64s(&org, "n")?.first().copied().flatten().unwrap_or(0) as u32;
    Ok(SpanValue { value, n })
}

/// The value of signal `s` over each span (all spans are 28 days), in the
/// spans' order; a span of a team without events has no value.
fn span_values(s: &SignalDef, events: LazyFrame, spans: &[Span], teams: &Numbers) -> Result<Vec<SpanValue>> {
    let known: Vec<(u32, u32, &Span)> =
        spans.iter().enumerate().filter_map(|(i, w)| Some((i as u32, teams.get(w.team)?, w))).collect();
    let wanted = DataFrame::new_infer_height(vec![
        Column::new("span".into(), known.iter().map(|k| k.0).collect::<Vec<_>>()),
        Column::new(c::TEAM.into(), known.iter().map(|k| k.1).collect::<Vec<_>>()),
        Column::new("from".into(), known.iter().map(|k| k.2.from).collect::<Vec<_>>()),
        Column::new("to".into(), known.iter().map(|k| k.2.to).collect::<Vec<_>>()),
    ])?;
    let inside = col(c::DATE).gt_eq(col("from")).and(col(c::DATE).lt_eq(col("to")));
    let by_span = events
        .join(wanted.lazy(), [col(c::TEAM)], [col(c::TEAM)], JoinArgs::new(JoinType::Inner))
        .filter(inside)
        .group_by([col("span")])
        .agg(aggregate(s.agg, f64::from(KR_WINDOW_DAYS) / 7.0))
        .collect()?;
    let mut out = vec![SpanValue::default(); spans.len()];
    let (at, values, ns) = (i64s(&by_span, "span")?, f64s(&by_span, c::VALUE)?, i64s(&by_span, "n")?);
    for ((i, value), n) in at.into_iter().zip(values).zip(ns) {
        if let Some(slot) = i.and_then(|i| out.get_mut(i as usize)) {
            *slot = SpanValue { value, n: n.unwrap_or(0) as u32 };
        }
    }
    Ok(out)
}

/// Computes every signal. `krs` maps kr_id → (team, metric, due) of the key
/// results measured by a derived signal.
pub fn compute(ds: &Dataset, config: &Config) -> Result<Signals> {
    let mut out = Signals { past: vec![PastSignals::default(); ds.history.len()], ..Signals::default() };
    if !ds.events.any() {
        return Ok(out);
    }
    out.unknown_people = unknown_people(ds);
    let scope = Scope::new(ds, config);
    let mut teams = Numbers::default();
    let mut frame = DataFrame::empty();
    let mut built = None;
    for s in SOURCES.iter().flat_map(|&source| SIGNALS.iter().filter(move |s| s.source == source)) {
        if built != Some(s.source) {
            drop(std::mem::replace(&mut frame, DataFrame::empty())); // the last frame goes before the next is built
            frame = self::frame(ds, s.source, &mut teams, &mut out.lead)?;
            built = Some(s.source);
        }
        if !has_input(s, &frame) {
            out.without_input.push(s.name);
        }
        if frame.height() == 0 {
            continue;
        }
        scope.add_signal(s, &frame, &teams, &mut out)?;
    }
    put_in_order(ds, &scope.shadowing, &mut out);
    Ok(out)
}

/// Whether any event of `frame` holds what signal `s` is computed from: a
/// row at all, and for a median or a share a filled cell of its column.
fn has_input(s: &SignalDef, frame: &DataFrame) -> bool {
    match s.agg {
        Agg::Median(name) | Agg::Share(name) => {
            frame.column(name).is_ok_and(|c| c.len() > c.null_count()) && frame.height() > 0
        }
        Agg::Rate | Agg::Ratio(..) => frame.height() > 0,
    }
}

/// Drops shadowed quarter values, sorts every list and records the shadowed series.
fn put_in_order(ds: &Dataset, shadowing: &BTreeSet<(&str, &str)>, out: &mut Signals) {
    let order = |m: &str| SIGNALS.iter().position(|s| s.name == m).unwrap_or(usize::MAX);
    for i in 0..=out.past.len() {
        let Some(p) = out.period(i) else { continue };
        // Where metrics.csv shadows a signal for a team, the derived value is not used: drop it.
        p.quarter.retain(|v| !shadowing.contains(&(v.team.as_str(), v.metric)));
        p.quarter.sort_by(|a, b| (&a.team, order(a.metric)).cmp(&(&b.team, order(b.metric))));
        p.org.sort_by_key(|v| order(v.metric));
    }
    out.shadowed = ds
        .metrics
        .iter()
        .filter(|m| signal(&m.metric).is_some())
        .map(|m| (m.team.clone(), m.metric.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // team numbers go by first sight: put everything in name order
    out.weekly.sort_by(|a, b| (&a.team, &a.metric, a.date).cmp(&(&b.team, &b.metric, b.date)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mondays_of_day_numbers() {
        let d = |y, m, dd| day_number(chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap());
        assert_eq!(monday_of(d(2026, 7, 5)), d(2026, 6, 29)); // a Sunday
        assert_eq!(monday_of(d(2026, 7, 6)), d(2026, 7, 6)); // a Monday
        assert_eq!(monday_of(d(1969, 12, 31)), d(1969, 12, 29)); // before day 0
    }
}
