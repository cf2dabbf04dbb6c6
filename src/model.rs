//! The validated dataset: quarters, ids, key results, check-ins and metric points.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// A calendar quarter such as `2026-Q3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    pub q: u32,
}

impl Quarter {
    /// Parses `YYYY-Qn` (case-insensitive `q`).
    pub fn parse(s: &str) -> Option<Quarter> {
        let s = s.trim();
        let (y, q) = s.split_once(['-', ' '])?;
        let q = q.strip_prefix(['Q', 'q'])?;
        let year: i32 = y.parse().ok()?;
        let q: u32 = q.parse().ok()?;
        ((1..=4).contains(&q) && (1000..=9999).contains(&year)).then_some(Quarter { year, q })
    }

    /// The quarter `d` falls in.
    pub fn of(d: NaiveDate) -> Quarter {
        Quarter { year: d.year(), q: (d.month() - 1) / 3 + 1 }
    }

    /// The first day of the quarter.
    pub fn start(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 3 * self.q - 2, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the quarter, inclusive.
    pub fn end(&self) -> NaiveDate {
        let next = if self.q == 4 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, 3 * self.q + 1, 1)
        };
        next.map(|d| d - Duration::days(1)).unwrap_or(NaiveDate::MAX)
    }

    /// Whether `d` lies inside the quarter window.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start() <= d && d <= self.end()
    }

    /// The quarter after this one (2026-Q4 → 2027-Q1).
    pub fn next(&self) -> Quarter {
        if self.q == 4 {
            Quarter { year: self.year + 1, q: 1 }
        } else {
            Quarter { year: self.year, q: self.q + 1 }
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

/// Days since 1970-01-01, the date representation inside polars frames.
pub fn day_number(d: NaiveDate) -> i32 {
    (d - NaiveDate::default()).num_days() as i32
}

/// The inverse of [`day_number`].
pub fn from_day_number(n: i32) -> NaiveDate {
    NaiveDate::default() + Duration::days(i64::from(n))
}

/// The Monday of the ISO week that contains `d`.
pub fn week_monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Which way a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Increase,
    Decrease,
}

impl Direction {
    /// Parses `increase`/`decrease` (also `up`/`down`, `higher`/`lower`).
    pub fn parse(s: &str) -> Option<Direction> {
        match s.trim().to_ascii_lowercase().as_str() {
            "increase" | "up" | "higher" | "higher is better" => Some(Direction::Increase),
            "decrease" | "down" | "lower" | "lower is better" => Some(Direction::Decrease),
            _ => None,
        }
    }

    /// +1 when larger is better, −1 when smaller is better.
    pub fn sign(self) -> f64 {
        match self {
            Direction::Increase => 1.0,
            Direction::Decrease => -1.0,
        }
    }
}

/// A key result measured by a number, or a milestone reported as progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KrKind {
    Metric,
    Milestone,
}

/// Committed objectives are expected at 1.0, aspirational ones at about 0.7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectiveKind {
    Aspirational,
    Committed,
}

impl ObjectiveKind {
    /// The word used in summary.json and on the pages.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectiveKind::Aspirational => "aspirational",
            ObjectiveKind::Committed => "committed",
        }
    }
}

/// The data-alignment layer of a key result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Workflow,
    Outcome,
    Business,
}

impl Layer {
    /// Parses `workflow`/`outcome`/`business`.
    pub fn parse(s: &str) -> Option<Layer> {
        match s.trim().to_ascii_lowercase().as_str() {
            "workflow" => Some(Layer::Workflow),
            "outcome" => Some(Layer::Outcome),
            "business" => Some(Layer::Business),
            _ => None,
        }
    }
}

/// An inclusive acceptable range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    pub low: f64,
    pub high: f64,
}

/// One objective of the quarter.
#[derive(Debug, Clone)]
pub struct Objective {
    pub id: String,
    pub team: String,
    pub title: String,
    pub kind: ObjectiveKind,
    /// The objective this one serves, of any team of the same quarter
    /// (`aligns_to`, SPEC §8); none for a top objective.
    pub aligns_to: Option<String>,
    /// The first line of okrs.csv it is on.
    pub line: u64,
}

/// How a metric key result is scored (SPEC §3, KR score and band KRs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// From the baseline to the target; a band, if any, only sets band status.
    Target(f64),
    /// A band to reach: 1.00 once in it (or past it in the good direction),
    /// else the progress from the baseline to this, its near edge.
    Reach(f64),
    /// A band to stay in: the share of the quarter's observations inside it.
    Maintain,
}

/// The owner of an imported key result whose export names nobody: the
/// import goes on, and the OKR lint raises `missing_owner`.
pub const UNASSIGNED: &str = "unassigned";

/// One key result, validated.
#[derive(Debug, Clone)]
pub struct KeyResult {
    pub id: String,
    pub quarter: Quarter,
    pub team: String,
    pub objective_id: String,
    pub text: String,
    pub owner: String,
    pub kind: KrKind,
    pub direction: Option<Direction>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub band: Option<Band>,
    pub unit: Option<String>,
    pub metric: Option<String>,
    pub layer: Option<Layer>,
    pub paired_with: Option<String>,
    pub guardrails: Vec<String>,
    pub weight: f64,
    /// The due date, the quarter end when the file gives none.
    pub due: NaiveDate,
    /// The last day that counts: `due`, or the date the pack stands on
    /// when that is earlier (SPEC §6, as of). Windows "to due" end here.
    pub until: NaiveDate,
    /// The key result of an earlier quarter this one carries on: the
    /// `continues` column, else its own id when an earlier quarter has it.
    pub continues: Option<String>,
    /// The line of okrs.csv it came from.
    pub line: u64,
}

impl KeyResult {
    /// How the key result is scored (SPEC §3): towards its target; with a
    /// band and no target, towards the band's near edge, or — when the
    /// baseline is already in (or past) the band, or there is none — by
    /// staying in it. A milestone has no goal: its check-ins are its progress.
    pub fn goal(&self) -> Option<Goal> {
        if self.kind == KrKind::Milestone {
            return None;
        }
        if let Some(t) = self.target {
            return Some(Goal::Target(t));
        }
        let band = self.band?;
        let (Some(baseline), Some(direction)) = (self.baseline, self.direction) else { return Some(Goal::Maintain) };
        let (near, short) = match direction {
            Direction::Increase => (band.low, baseline < band.low),
            Direction::Decrease => (band.high, baseline > band.high),
        };
        Some(if short { Goal::Reach(near) } else { Goal::Maintain })
    }

    /// The value the score runs towards: the target, or a band's near edge;
    /// none for a maintain key result or a milestone.
    pub fn score_target(&self) -> Option<f64> {
        match self.goal()? {
            Goal::Target(t) | Goal::Reach(t) => Some(t),
            Goal::Maintain => None,
        }
    }

    /// A value of this key result as a bare number by [`crate::format`]'s
    /// rule, with at least the decimals its baseline, target and band were
    /// written with (a band of 99.93–100 gives every value two); a
    /// milestone's progress as a share in %.
    pub fn number(&self, v: f64) -> String {
        use crate::format::{figure, figure_at_least, Unit};
        if self.kind == KrKind::Milestone {
            return figure(v, Unit::Share);
        }
        figure_at_least(v, Unit::Quantity, self.written_decimals())
    }

    /// The decimals its baseline, target and band were written with.
    pub fn written_decimals(&self) -> usize {
        let band = self.band.iter().flat_map(|b| [b.low, b.high]);
        crate::format::written_decimals(self.baseline.into_iter().chain(self.target).chain(band))
    }

    /// A value of this key result with its unit: `99.4%`, `3.5 hours`.
    pub fn figure(&self, v: f64) -> String {
        let x = self.number(v);
        match (self.kind, self.unit.as_deref()) {
            (KrKind::Milestone, _) | (_, None) => x,
            (_, Some("%")) => format!("{x}%"),
            (_, Some(u)) => format!("{x} {u}"),
        }
    }
}

/// One check-in, with value and confidence already on their canonical scales.
#[derive(Debug, Clone)]
pub struct Checkin {
    pub line: u64,
    pub date: NaiveDate,
    pub kr_id: String,
    /// The quarter of the key result it belongs to: a kr_id may name one
    /// key result in several quarters (SPEC §6, history).
    pub quarter: Quarter,
    pub author: Option<String>,
    /// The reported value; for milestones a fraction 0..1.
    pub value: Option<f64>,
    /// Confidence on the 0–10 scale.
    pub confidence: Option<f64>,
    pub note: Option<String>,
    pub blockers: Option<String>,
    pub decision_needed: Option<String>,
}

/// One point of a metrics.csv series.
#[derive(Debug, Clone)]
pub struct MetricPoint {
    pub date: NaiveDate,
    pub team: String,
    pub metric: String,
    pub value: f64,
    pub person: Option<String>,
}

/// A red/amber/green judgement — a score's grade colour or a team's health
/// status; ordered from best to worst.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grade {
    Green,
    Amber,
    #[default]
    Red,
}

impl Grade {
    /// Parses green / amber / red, any case.
    pub fn parse(s: &str) -> Option<Grade> {
        match s.trim().to_lowercase().as_str() {
            "green" => Some(Grade::Green),
            "amber" | "yellow" => Some(Grade::Amber),
            "red" => Some(Grade::Red),
            _ => None,
        }
    }

    /// The lower-case word.
    pub fn word(self) -> &'static str {
        match self {
            Grade::Green => "green",
            Grade::Amber => "amber",
            Grade::Red => "red",
        }
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.word())
    }
}

/// One row of health.csv.
#[derive(Debug, Clone)]
pub struct HealthCheck {
    pub date: NaiveDate,
    pub team: String,
    pub metric: String,
    pub status: Grade,
    pub note: Option<String>,
    pub line: u64,
}

/// Where an initiative stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InitiativeStatus {
    Idea,
    Doing,
    Done,
    Dropped,
}

impl InitiativeStatus {
    /// Parses idea / doing / done / dropped (and a few common synonyms).
    pub fn parse(s: &str) -> Option<InitiativeStatus> {
        match s.trim().to_lowercase().as_str() {
            "idea" | "planned" | "backlog" => Some(InitiativeStatus::Idea),
            "doing" | "in progress" | "started" => Some(InitiativeStatus::Doing),
            "done" | "finished" | "complete" | "completed" => Some(InitiativeStatus::Done),
            "dropped" | "cancelled" | "canceled" => Some(InitiativeStatus::Dropped),
            _ => None,
        }
    }

    /// The lower-case word.
    pub fn word(self) -> &'static str {
        match self {
            InitiativeStatus::Idea => "idea",
            InitiativeStatus::Doing => "doing",
            InitiativeStatus::Done => "done",
            InitiativeStatus::Dropped => "dropped",
        }
    }
}

/// One row of initiatives.csv, for a key result of the quarter.
#[derive(Debug, Clone)]
pub struct Initiative {
    pub name: String,
    pub kr_id: String,
    pub impact: Option<u8>,
    pub effort: Option<u8>,
    pub status: InitiativeStatus,
    pub started: Option<NaiveDate>,
    pub finished: Option<NaiveDate>,
    pub line: u64,
}

/// A name repeated on many event rows (a team, a person): one shared copy
/// per distinct name, so six million pull requests by fifty thousand people
/// hold fifty thousand strings, not twelve million.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(std::sync::Arc<str>);

impl Name {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Hands out one [`Name`] per distinct string.
#[derive(Debug, Default)]
pub struct Names(std::collections::HashSet<Name>);

impl Names {
    pub fn get(&mut self, s: &str) -> Name {
        if let Some(n) = self.0.get(s) {
            return n.clone();
        }
        let n = Name(s.into());
        self.0.insert(n.clone());
        n
    }
}

/// One row of prs.csv; timestamps are seconds since 1970 UTC. `additions`
/// and `deletions` are checked on reading but not kept: no signal uses them.
#[derive(Debug, Clone)]
pub struct PullRequest {
    /// A boxed str: 16 bytes beside String's 24, six million times.
    pub id: Box<str>,
    pub team: Name,
    /// `None` for a deleted account (GitHub's `ghost`): counted for the team, never for a person.
    pub author: Option<Name>,
    pub opened: i64,
    pub first_review: Stamp,
    pub merged: Stamp,
    pub ai_assisted: Option<bool>,
    pub rework: Option<bool>,
    /// The file's line; u32 is four billion lines, and 8 bytes a row less.
    pub line: u32,
}

/// An optional timestamp (seconds since 1970 UTC) in 8 bytes, not
/// `Option<i64>`'s 16: a time is stored XOR `i64::MIN`, which is zero only
/// for `i64::MIN` itself, a second no date can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stamp(Option<std::num::NonZeroI64>);

impl Stamp {
    pub fn get(self) -> Option<i64> {
        self.0.map(|n| n.get() ^ i64::MIN)
    }
}

impl From<Option<i64>> for Stamp {
    fn from(t: Option<i64>) -> Stamp {
        Stamp(t.and_then(|t| std::num::NonZeroI64::new(t ^ i64::MIN)))
    }
}

/// One row of deployments.csv.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub id: String,
    pub team: Name,
    pub service: Option<String>,
    pub deployed: i64,
    pub failed: bool,
    /// The `pr_ids` cell as written; [`Deployment::pr_ids`] splits it.
    pub pr_ids_cell: Box<str>,
    pub line: u64,
}

impl Deployment {
    /// The pull requests it shipped: `pr_ids` split on spaces or commas.
    pub fn pr_ids(&self) -> impl Iterator<Item = &str> {
        self.pr_ids_cell.split(|c: char| c.is_whitespace() || c == ',').filter(|p| !p.is_empty())
    }
}

/// One row of incidents.csv.
#[derive(Debug, Clone)]
pub struct Incident {
    pub id: String,
    pub team: Name,
    pub service: Option<String>,
    pub severity: Option<String>,
    pub started: i64,
    pub resolved: Option<i64>,
    pub deploy_id: Option<String>,
    pub line: u64,
}

/// One row of ai_usage.csv.
#[derive(Debug, Clone)]
pub struct AiUsage {
    pub date: NaiveDate,
    pub person: Name,
    pub shown: f64,
    pub accepted: f64,
    pub lines: f64,
    pub active: bool,
}

/// One row of people.csv: the columns beyond person, team and role are
/// cohort dimensions (folded column name → value).
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub team: String,
    pub role: Option<String>,
    pub dimensions: BTreeMap<String, String>,
}

/// The raw engineering events of the data folder (all optional).
#[derive(Debug, Clone, Default)]
pub struct Events {
    pub prs: Vec<PullRequest>,
    pub deployments: Vec<Deployment>,
    pub incidents: Vec<Incident>,
    pub ai_usage: Vec<AiUsage>,
    pub people: Vec<Person>,
    /// Cohort dimension names of people.csv, in header order.
    pub dimensions: Vec<String>,
}

impl Events {
    /// Whether any raw event file was read.
    pub fn any(&self) -> bool {
        !(self.prs.is_empty() && self.deployments.is_empty() && self.incidents.is_empty() && self.ai_usage.is_empty())
    }
}

/// An input file that was read, for the methodology page.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    pub name: String,
    pub rows: usize,
    pub sha256: String,
}

/// A row of okrs.csv of another quarter than the one built that failed
/// validation: left out of the pack, reported by `check` and on the methodology page.
#[derive(Debug, Clone)]
pub struct SkippedRow {
    pub line: u64,
    pub quarter: Quarter,
    /// Its kr_id, when the cell has one.
    pub kr_id: Option<String>,
    /// The error it would be in its own quarter's pack.
    pub message: String,
}

/// Markdown notes: the leadership summary and team retrospectives.
#[derive(Debug, Clone, Default)]
pub struct Notes {
    pub quarter: Option<String>,
    /// Team id → Markdown, ordered by team.
    pub teams: std::collections::BTreeMap<String, String>,
}

/// Everything read from a data folder, validated and cut to one quarter.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub quarter: Quarter,
    /// Quarters present in okrs.csv, oldest first.
    pub quarters: Vec<Quarter>,
    pub objectives: Vec<Objective>,
    pub krs: Vec<KeyResult>,
    /// Check-ins of this quarter's key results, sorted by KR, date and line.
    pub checkins: Vec<Checkin>,
    pub metrics: Vec<MetricPoint>,
    /// health.csv rows inside the quarter, sorted by team, metric, date.
    pub health: Vec<HealthCheck>,
    /// initiatives.csv rows of this quarter's key results, in file order.
    pub initiatives: Vec<Initiative>,
    pub events: Events,
    pub notes: Notes,
    pub inputs: Vec<InputFile>,
    /// Rows of okrs.csv of other quarters left out because they fail validation.
    pub skipped: Vec<SkippedRow>,
    /// The date the pack stands on, and why (SPEC §6, as of).
    pub standing: Standing,
    /// The earlier quarters of okrs.csv it is compared with, oldest first,
    /// the previous quarter last: their key results, objectives, check-ins
    /// and metric points only (SPEC §6, history).
    pub history: Vec<Dataset>,
}

/// The date a pack stands on (SPEC §6): the quarter's end, or an earlier
/// date, asked for or where the inputs end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Standing {
    /// The whole quarter, as of its last day.
    #[default]
    Complete,
    /// `--as-of DATE`, before the quarter's end.
    Asked(NaiveDate),
    /// The latest date in the inputs, before the quarter's last days.
    DataEnd(NaiveDate),
}

impl Standing {
    /// The date before the quarter's end it stands on, if any.
    pub fn date(self) -> Option<NaiveDate> {
        match self {
            Standing::Complete => None,
            Standing::Asked(d) | Standing::DataEnd(d) => Some(d),
        }
    }
}

impl Dataset {
    /// A quarter with nothing in it yet.
    pub fn empty(quarter: Quarter) -> Dataset {
        Dataset {
            quarter,
            quarters: Vec::new(),
            objectives: Vec::new(),
            krs: Vec::new(),
            checkins: Vec::new(),
            metrics: Vec::new(),
            health: Vec::new(),
            initiatives: Vec::new(),
            events: Events::default(),
            notes: Notes::default(),
            inputs: Vec::new(),
            skipped: Vec::new(),
            standing: Standing::Complete,
            history: Vec::new(),
        }
    }

    /// The date the pack stands on: the as-of date, else the quarter's end.
    pub fn as_of(&self) -> NaiveDate {
        self.standing.date().unwrap_or_else(|| self.quarter.end())
    }

    /// Whether the pack stands before the quarter's end.
    pub fn partial(&self) -> bool {
        self.standing.date().is_some()
    }

    /// Whether a key result's due date has come: only then can the end
    /// decide it (a missed commitment, a surprise miss).
    pub fn decided(&self, kr: &KeyResult) -> bool {
        kr.due <= self.as_of()
    }

    /// The quarter compared with: the latest earlier one of okrs.csv.
    pub fn previous(&self) -> Option<&Dataset> {
        self.history.last()
    }

    /// Pull requests read without an author (deleted accounts), of every quarter.
    pub fn prs_without_author(&self) -> usize {
        self.events.prs.iter().filter(|p| p.author.is_none()).count()
    }

    /// The quarter's check-ins without an author.
    pub fn checkins_without_author(&self) -> usize {
        self.checkins.iter().filter(|c| c.author.is_none()).count()
    }

    /// The initiatives of each team (their key result's team), as (number,
    /// position in `initiatives`) in file order: the numbers the team's
    /// table and its impact × effort chart share.
    pub fn initiatives_by_team(&self) -> BTreeMap<&str, Vec<(usize, usize)>> {
        let team_of: BTreeMap<&str, &str> = self.krs.iter().map(|k| (k.id.as_str(), k.team.as_str())).collect();
        let mut out: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
        for (i, init) in self.initiatives.iter().enumerate() {
            let Some(&team) = team_of.get(init.kr_id.as_str()) else { continue };
            let rows = out.entry(team).or_default();
            rows.push((rows.len() + 1, i));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_keep_every_time_and_none() {
        let extremes = [
            chrono::DateTime::<chrono::Utc>::MIN_UTC.timestamp(),
            chrono::DateTime::<chrono::Utc>::MAX_UTC.timestamp(),
        ];
        for t in [0, -1, 1, 1_782_864_000, i64::MAX].into_iter().chain(extremes) {
            assert_eq!(Stamp::from(Some(t)).get(), Some(t), "{t}");
        }
        assert_eq!(Stamp::from(None).get(), None);
        assert_eq!(std::mem::size_of::<Stamp>(), 8);
    }

    #[test]
    fn quarter_window_is_inclusive_and_iso() {
        let q = Quarter::parse("2026-Q3").unwrap();
        assert_eq!(q.start(), NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
        assert_eq!(q.end(), NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
        let q4 = Quarter::parse("2025-q4").unwrap();
        assert_eq!(q4.end(), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
        assert!(Quarter::parse("2026-Q5").is_none());
        assert!(Quarter::parse("Q3 2026").is_none());
    }

    #[test]
    fn day_numbers_round_trip_and_mondays() {
        let d = NaiveDate::from_ymd_opt(2026, 7, 5).unwrap(); // a Sunday
        assert_eq!(from_day_number(day_number(d)), d);
        assert_eq!(week_monday(d), NaiveDate::from_ymd_opt(2026, 6, 29).unwrap());
        assert_eq!(day_number(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()), 1);
    }

    #[test]
    fn a_band_is_reached_at_its_near_edge_or_maintained() {
        let mut kr = KeyResult {
            id: "K".into(),
            quarter: Quarter { year: 2026, q: 3 },
            team: "t".into(),
            objective_id: "O".into(),
            text: String::new(),
            owner: "o".into(),
            kind: KrKind::Metric,
            direction: Some(Direction::Decrease),
            baseline: Some(9.0),
            target: None,
            band: Some(Band { low: 5.0, high: 7.0 }),
            unit: None,
            metric: None,
            layer: None,
            paired_with: None,
            guardrails: vec![],
            weight: 1.0,
            due: NaiveDate::default(),
            until: NaiveDate::default(),
            continues: None,
            line: 2,
        };
        // from 9 down into 5–7: the near edge is 7
        assert_eq!(kr.goal(), Some(Goal::Reach(7.0)));
        // from 9 up: already past the band in the good direction, so kept there
        kr.direction = Some(Direction::Increase);
        assert_eq!(kr.goal(), Some(Goal::Maintain));
        // from 3 up into 5–7: the near edge is 5
        kr.baseline = Some(3.0);
        assert_eq!(kr.goal(), Some(Goal::Reach(5.0)));
        // a baseline inside the band, or none: maintain
        kr.baseline = Some(6.0);
        assert_eq!(kr.goal(), Some(Goal::Maintain));
        kr.baseline = None;
        assert_eq!((kr.goal(), kr.score_target()), (Some(Goal::Maintain), None));
        kr.target = Some(10.0);
        assert_eq!(kr.goal(), Some(Goal::Target(10.0)));
    }
}
