//! `data/summary.json` and `data/scores.csv`: the machine-readable results (SPEC §5).

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{Dataset, Grade, InitiativeStatus, KrKind, SkippedRow, Standing};
use crate::score::alignment::{Alignment, Layers};
use crate::score::calibration::{Bin, Forecasts};
use crate::score::cohorts::{CohortRow, Comparison, Scale, Verdict};
use crate::score::dependencies::{Dependency, Edge, Recurring};
use crate::score::drift::{Against, ChangeUnit};
use crate::score::history::{continued, PastQuarter};
use crate::score::initiatives::Impact;
use crate::score::misses::Miss;
use crate::score::signals::{SignalValue, Signals};
use crate::score::{EarlyWarning, Finding, GroupScore, KrScore, ObjectiveScore, Scores, TeamScore};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The whole of summary.json; field names are a stable contract.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub quarter: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The date the pack stands on (SPEC §6): the quarter's end, or earlier.
    pub as_of: NaiveDate,
    /// Why it stands there: `end` (the whole quarter), `asked` (`--as-of`)
    /// or `inputs_end` (the inputs stop before the quarter's last days).
    pub standing: &'static str,
    /// The quarter compared with: the latest earlier one of okrs.csv, or null.
    pub previous: Option<String>,
    pub org: Org,
    pub teams: Vec<Team>,
    /// Groups of teams and their scores (SPEC §8), by group.
    pub groups: Vec<GroupOut>,
    pub objectives: Vec<Objective>,
    /// What the alignment tree calls out (SPEC §8).
    pub alignment: AlignmentOut,
    pub krs: Vec<Kr>,
    pub health: Vec<Health>,
    pub initiatives: Vec<InitiativeOut>,
    pub signals: Vec<SignalOut>,
    pub org_signals: Vec<SignalOut>,
    pub signal_coverage: SignalCoverage,
    pub cohorts: Vec<CohortOut>,
    pub findings: Vec<Finding>,
    /// Rows of okrs.csv of other quarters left out because they fail validation.
    pub history_rows_skipped: Vec<SkippedOut>,
    /// Each team's calibration (SPEC §7), sorted by team.
    pub calibration: Vec<Forecasts>,
    /// The org's check-ins by confidence band: the reliability chart.
    pub reliability: Vec<Bin>,
    /// Every missed key result with its causes and their evidence, by kr_id.
    pub misses: Vec<Miss>,
    /// Teams waiting on teams, by key result.
    pub dependencies: Vec<Dependency>,
    /// The dependencies of each pair of teams, merged: the dependency map's edges.
    pub dependency_edges: Vec<Edge>,
    /// The same blocker of a team in several weeks.
    pub recurring_blockers: Vec<Recurring>,
    /// The earlier quarters, oldest first (at most seven): what history.html shows.
    pub history: Vec<PastOut>,
}

/// A row of okrs.csv left out of the pack (SPEC §2, history).
#[derive(Debug, Serialize)]
pub struct SkippedOut {
    pub file: &'static str,
    pub line: u64,
    pub quarter: String,
    pub kr_id: Option<String>,
    pub message: String,
}

impl From<&SkippedRow> for SkippedOut {
    fn from(s: &SkippedRow) -> Self {
        SkippedOut {
            file: crate::schema::OKRS.file,
            line: s.line,
            quarter: s.quarter.to_string(),
            kr_id: s.kr_id.clone(),
            message: s.message.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Org {
    pub name: String,
    pub score: Option<f64>,
    pub grade: Option<Grade>,
    pub krs: usize,
    pub objectives: usize,
    pub teams: usize,
    pub early_warning: EarlyWarning,
    /// The calibration of every team's forecasts together.
    pub calibration: Forecasts,
    /// The org score of the previous quarter.
    pub previous_score: Option<f64>,
}

/// One earlier quarter of the history.
#[derive(Debug, Serialize)]
pub struct PastOut {
    pub quarter: String,
    pub org_score: Option<f64>,
    pub early_warning: EarlyWarning,
    pub calibration: Forecasts,
    /// Each team's score, by team.
    pub teams: Vec<PastTeam>,
    /// Each team's signals over the quarter.
    pub signals: Vec<SignalOut>,
    pub org_signals: Vec<SignalOut>,
}

/// A team's score in an earlier quarter.
#[derive(Debug, Serialize)]
pub struct PastTeam {
    pub team: String,
    pub score: f64,
    pub grade: Grade,
}

impl From<&PastQuarter> for PastOut {
    fn from(p: &PastQuarter) -> Self {
        let out = |v: &SignalValue| SignalOut::from((v, None));
        PastOut {
            quarter: p.quarter.to_string(),
            org_score: p.org,
            early_warning: p.early_warning,
            calibration: p.calibration.clone(),
            teams: p.teams.iter().map(|t| PastTeam { team: t.team.clone(), score: t.score, grade: t.grade }).collect(),
            signals: p.signals.iter().map(out).collect(),
            org_signals: p.org_signals.iter().map(out).collect(),
        }
    }
}

/// One health metric of one team: the latest status and its longest red run.
#[derive(Debug, Serialize)]
pub struct Health {
    pub team: String,
    pub health_metric: String,
    pub latest_date: NaiveDate,
    pub latest_status: Grade,
    /// Status per ISO week (Monday → green/amber/red or null).
    pub weeks: BTreeMap<NaiveDate, Option<Grade>>,
    pub longest_red_weeks: usize,
}

/// One initiative with its before/after where it has one.
#[derive(Debug, Serialize)]
pub struct InitiativeOut {
    pub initiative: String,
    pub kr_id: String,
    pub team: String,
    pub status: InitiativeStatus,
    pub impact: Option<u8>,
    pub effort: Option<u8>,
    pub started: Option<NaiveDate>,
    pub finished: Option<NaiveDate>,
    pub metric: Option<String>,
    pub median_before: Option<f64>,
    pub median_after: Option<f64>,
    pub points_before: Option<u32>,
    pub points_after: Option<u32>,
    pub change: Option<f64>,
    pub better: Option<bool>,
    /// `better`, `worse`, `no change`, or null without a before/after.
    pub verdict: Option<&'static str>,
}

/// One derived signal's value over the quarter.
#[derive(Debug, Serialize)]
pub struct SignalOut {
    /// The team; absent in `org_signals`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    pub metric: &'static str,
    pub value: Option<f64>,
    pub dora_class: Option<&'static str>,
    /// Events it was computed from.
    pub n: u32,
    /// Its value over the previous quarter.
    pub previous_value: Option<f64>,
}

impl From<(&SignalValue, Option<&PastQuarter>)> for SignalOut {
    fn from((s, previous): (&SignalValue, Option<&PastQuarter>)) -> Self {
        SignalOut {
            team: (!s.team.is_empty()).then(|| s.team.clone()),
            metric: s.metric,
            value: s.value,
            dora_class: s.dora_class,
            n: s.n,
            previous_value: previous.and_then(|p| p.signal(&s.team, s.metric)?.value),
        }
    }
}

/// One cohort of one comparison; a suppressed row has no figures at all.
/// A share metric's difference is in points (`diff_points`, `ci_low_points`,
/// `ci_high_points`) and its relative fields are null; any other metric's
/// is relative and its points fields are null.
#[derive(Debug, Serialize)]
pub struct CohortOut {
    pub dimension: String,
    pub metric: String,
    pub cohort: String,
    pub reference: String,
    pub n: Option<usize>,
    pub median: Option<f64>,
    pub rel_diff: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    pub suppressed: bool,
    /// (median − reference median) × 100, for a share metric.
    pub diff_points: Option<f64>,
    pub ci_low_points: Option<f64>,
    pub ci_high_points: Option<f64>,
    /// The bootstrap resamples the interval rests on.
    pub resamples: Option<usize>,
    /// shows_difference, weak_interval, weak_p_value or no_difference.
    pub verdict: Option<Verdict>,
}

impl CohortOut {
    fn from_row(c: &Comparison, r: &CohortRow) -> CohortOut {
        let relative = c.scale == Scale::Relative;
        let on = |relative_field: bool, x: Option<f64>| if relative_field == relative { x } else { None };
        let (low, high) = (r.interval.map(|i| i.low), r.interval.map(|i| i.high));
        CohortOut {
            dimension: c.dimension.clone(),
            metric: c.metric.clone(),
            cohort: r.cohort.clone(),
            reference: c.reference.clone(),
            n: r.n,
            median: r.median,
            rel_diff: on(true, r.diff),
            ci_low: on(true, low),
            ci_high: on(true, high),
            p_value: r.p_value,
            suppressed: r.suppressed,
            diff_points: on(false, r.diff),
            ci_low_points: on(false, low),
            ci_high_points: on(false, high),
            resamples: r.interval.map(|i| i.resamples),
            verdict: r.verdict,
        }
    }
}

fn cohorts(scores: &Scores) -> Vec<CohortOut> {
    let mut out: Vec<CohortOut> =
        scores.cohorts.comparisons.iter().flat_map(|c| c.rows.iter().map(move |r| CohortOut::from_row(c, r))).collect();
    out.sort_by(|a, b| (&a.dimension, &a.metric, &a.cohort).cmp(&(&b.dimension, &b.metric, &b.cohort)));
    out
}

/// What the raw events left out.
#[derive(Debug, Clone, Serialize)]
pub struct SignalCoverage {
    pub lead_time_pairs: usize,
    pub lead_time_pairs_used: usize,
    pub lead_time_unknown_pr: usize,
    pub lead_time_unmerged_pr: usize,
    pub lead_time_merged_after_deploy: usize,
    /// How many authors and AI users are missing from people.csv.
    pub people_not_in_people_csv: usize,
    /// Pull requests without an author (deleted accounts): in team figures, in no person's.
    pub prs_without_author: usize,
    /// The quarter's check-ins without an author: on their key result, on no person's page.
    pub checkins_without_author: usize,
}

impl SignalCoverage {
    /// The coverage of the signals computed from `ds`.
    pub fn new(s: &Signals, ds: &Dataset) -> Self {
        SignalCoverage {
            lead_time_pairs: s.lead.pairs,
            lead_time_pairs_used: s.lead.used,
            lead_time_unknown_pr: s.lead.unknown_pr,
            lead_time_unmerged_pr: s.lead.unmerged,
            lead_time_merged_after_deploy: s.lead.merged_after,
            people_not_in_people_csv: s.unknown_people.len(),
            prs_without_author: ds.prs_without_author(),
            checkins_without_author: ds.checkins_without_author(),
        }
    }
}

/// One guardrail or pair check of a key result.
#[derive(Debug, Serialize)]
pub struct Guard {
    /// `guardrail` or `paired_with`.
    pub kind: &'static str,
    /// The metric or key-result id.
    pub name: String,
    /// The first side's value (kept under its first name: a signal's value
    /// over the side's events, or the median of its observations).
    pub median_first_4_weeks: Option<f64>,
    /// The last side's value: the 28 days ending on due.
    pub median_last_4_weeks: Option<f64>,
    pub first_n: u32,
    pub last_n: u32,
    /// `relative` or `points`.
    pub change_unit: ChangeUnit,
    pub change: Option<f64>,
    /// `worse`, `better`, `steady`, `no direction`, `no data` or `too few events to judge`.
    pub movement: &'static str,
    pub wrong_way: bool,
}

#[derive(Debug, Serialize)]
pub struct TeamSignals {
    pub too_safe: bool,
    pub overreach: bool,
}

#[derive(Debug, Serialize)]
pub struct Team {
    pub team: String,
    /// Its group (`[teams.TEAM] group`, SPEC §8).
    pub group: Option<String>,
    pub score: f64,
    pub grade: Grade,
    pub signals: TeamSignals,
    /// Its score in the previous quarter.
    pub previous_score: Option<f64>,
}

/// One objective: its own score (none without key results) and its place in the tree (SPEC §8).
#[derive(Debug, Serialize)]
pub struct Objective {
    pub objective_id: String,
    pub team: String,
    pub kind: &'static str,
    pub title: String,
    pub score: Option<f64>,
    pub grade: Option<Grade>,
    /// The objective it serves.
    pub aligns_to: Option<String>,
    /// The mean of its own score and its children's aligned scores.
    pub aligned_score: Option<f64>,
    pub aligned_grade: Option<Grade>,
    /// Its key results and its descendants', per layer.
    pub layers: Layers,
}

/// A group of teams (SPEC §8): the mean of its teams' scores.
#[derive(Debug, Serialize)]
pub struct GroupOut {
    pub group: String,
    pub score: f64,
    pub grade: Grade,
    /// Its teams, by id.
    pub teams: Vec<String>,
    /// Its score in the previous quarter: the mean of its teams' scores then.
    pub previous_score: Option<f64>,
}

impl From<(&GroupScore, Option<&PastQuarter>)> for GroupOut {
    fn from((g, previous): (&GroupScore, Option<&PastQuarter>)) -> Self {
        GroupOut {
            group: g.group.clone(),
            score: g.score,
            grade: g.grade,
            teams: g.teams.clone(),
            previous_score: previous.and_then(|p| Some(p.group(&g.group)?.score)),
        }
    }
}

/// What alignment.html calls out (SPEC §8); each list by id.
#[derive(Debug, Serialize)]
pub struct AlignmentOut {
    /// Objectives aligned to nothing with objectives aligned to them.
    pub tops: Vec<String>,
    /// Top objectives with no workflow key result beneath them.
    pub tops_without_workflow: Vec<String>,
    /// Workflow key results that reach no outcome or business key result, by kr_id.
    pub workflow_unreached: Vec<String>,
    /// Objectives aligned to nothing, and nothing to them, while others are aligned.
    pub unaligned: Vec<String>,
}

impl From<&Alignment> for AlignmentOut {
    fn from(a: &Alignment) -> Self {
        let mut unreached = a.unreached.clone();
        unreached.sort();
        AlignmentOut {
            tops: a.tops.clone(),
            tops_without_workflow: a.no_workflow.clone(),
            workflow_unreached: unreached,
            unaligned: a.unaligned.clone(),
        }
    }
}

/// One key result: what okrs.csv says of it, then every computed figure.
#[derive(Debug, Serialize)]
pub struct Kr {
    pub kr_id: String,
    pub objective_id: String,
    pub team: String,
    pub owner: String,
    pub key_result: String,
    pub kind: KrKind,
    pub due: NaiveDate,
    /// The key result of an earlier quarter it carries on (SPEC §6).
    pub continues: Option<String>,
    /// That key result's quarter and score.
    pub previous_quarter: Option<String>,
    pub previous_score: Option<f64>,
    #[serde(flatten)]
    pub scores: KrScore,
    pub guards: Vec<Guard>,
}

impl From<(&TeamScore, Option<&PastQuarter>)> for Team {
    fn from((t, previous): (&TeamScore, Option<&PastQuarter>)) -> Self {
        Team {
            team: t.team.clone(),
            group: t.group.clone(),
            score: t.score,
            grade: t.grade,
            signals: TeamSignals { too_safe: t.too_safe, overreach: t.overreach },
            previous_score: previous.and_then(|p| Some(p.team(&t.team)?.score)),
        }
    }
}

/// Every objective of the quarter, with key results or not, sorted by id.
fn objectives(ds: &Dataset, scores: &Scores) -> Vec<Objective> {
    let own: BTreeMap<&str, &ObjectiveScore> = scores.objectives.iter().map(|o| (o.objective_id.as_str(), o)).collect();
    let mut objectives: Vec<Objective> = ds
        .objectives
        .iter()
        .map(|o| {
            let scored = own.get(o.id.as_str());
            let node = scores.alignment.node(&o.id);
            Objective {
                objective_id: o.id.clone(),
                team: o.team.clone(),
                kind: o.kind.as_str(),
                title: o.title.clone(),
                score: scored.map(|s| s.score),
                grade: scored.map(|s| s.grade),
                aligns_to: o.aligns_to.clone(),
                aligned_score: node.and_then(|n| n.aligned_score),
                aligned_grade: node.and_then(|n| n.aligned_grade),
                layers: node.map(|n| n.layers).unwrap_or_default(),
            }
        })
        .collect();
    objectives.sort_by(|a, b| a.objective_id.cmp(&b.objective_id));
    objectives
}

/// Every guardrail and pair check, by key result.
fn guards(scores: &Scores) -> BTreeMap<&str, Vec<Guard>> {
    let mut guards: BTreeMap<&str, Vec<Guard>> = BTreeMap::new();
    for d in &scores.drift {
        let (kind, name) = match &d.against {
            Against::Guardrail(m) => ("guardrail", m.clone()),
            Against::Paired(k) => ("paired_with", k.clone()),
        };
        guards.entry(d.kr_id.as_str()).or_default().push(Guard {
            kind,
            name,
            median_first_4_weeks: d.first,
            median_last_4_weeks: d.last,
            first_n: d.first_n,
            last_n: d.last_n,
            change_unit: d.unit,
            change: d.change,
            movement: d.movement.word(),
            wrong_way: d.wrong_way,
        });
    }
    guards
}

/// Every scored key result, sorted by id.
fn krs(ds: &Dataset, scores: &Scores) -> Vec<Kr> {
    let mut guards = guards(scores);
    let mut krs: Vec<Kr> = ds
        .krs
        .iter()
        .filter_map(|k| {
            let previous = continued(&scores.history, k);
            Some(Kr {
                kr_id: k.id.clone(),
                objective_id: k.objective_id.clone(),
                team: k.team.clone(),
                owner: k.owner.clone(),
                key_result: k.text.clone(),
                kind: k.kind,
                due: k.due,
                continues: k.continues.clone(),
                previous_quarter: previous.map(|(p, _)| p.quarter.to_string()),
                previous_score: previous.map(|(_, s)| s.score),
                scores: scores.kr(&k.id)?.clone(),
                guards: guards.remove(k.id.as_str()).unwrap_or_default(),
            })
        })
        .collect();
    krs.sort_by(|a, b| a.kr_id.cmp(&b.kr_id));
    krs
}

fn health(scores: &Scores) -> Vec<Health> {
    let grid = &scores.health;
    grid.rows
        .iter()
        .map(|r| Health {
            team: r.team.clone(),
            health_metric: r.metric.clone(),
            latest_date: r.latest.0,
            latest_status: r.latest.1,
            weeks: grid.weeks.iter().copied().zip(r.cells.iter().copied()).collect(),
            longest_red_weeks: r.red_streak.map_or(0, |s| s.2),
        })
        .collect()
}

fn initiatives(ds: &Dataset, scores: &Scores) -> Vec<InitiativeOut> {
    let team: BTreeMap<&str, &str> = ds.krs.iter().map(|k| (k.id.as_str(), k.team.as_str())).collect();
    let impact: BTreeMap<usize, &Impact> = scores.impacts.iter().map(|i| (i.initiative, i)).collect();
    let mut out: Vec<InitiativeOut> = ds
        .initiatives
        .iter()
        .enumerate()
        .map(|(i, init)| {
            let m = impact.get(&i);
            InitiativeOut {
                initiative: init.name.clone(),
                kr_id: init.kr_id.clone(),
                team: team.get(init.kr_id.as_str()).map_or_else(String::new, |t| t.to_string()),
                status: init.status,
                impact: init.impact,
                effort: init.effort,
                started: init.started,
                finished: init.finished,
                metric: m.map(|m| m.metric.clone()),
                median_before: m.and_then(|m| m.before),
                median_after: m.and_then(|m| m.after),
                points_before: m.map(|m| m.before_n),
                points_after: m.map(|m| m.after_n),
                change: m.and_then(|m| m.change),
                better: m.and_then(|m| m.better),
                verdict: m.map(|m| m.verdict).filter(|v| !v.is_empty()),
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.kr_id, &a.initiative).cmp(&(&b.kr_id, &b.initiative)));
    out
}

impl Summary {
    /// Assembles the summary from the scores; arrays are sorted by id.
    pub fn new(ds: &Dataset, scores: &Scores, config: &Config) -> Summary {
        let objectives = objectives(ds, scores);
        let krs = krs(ds, scores);
        let previous = scores.history.last();
        Summary {
            quarter: ds.quarter.to_string(),
            start: ds.quarter.start(),
            end: ds.quarter.end(),
            as_of: ds.as_of(),
            standing: match ds.standing {
                Standing::Complete => "end",
                Standing::Asked(_) => "asked",
                Standing::DataEnd(_) => "inputs_end",
            },
            previous: previous.map(|p| p.quarter.to_string()),
            org: Org {
                name: config.org.clone(),
                score: scores.org,
                grade: scores.org.map(|s| config.grades.grade(s)),
                krs: krs.len(),
                // the objectives scored: those with key results of their own
                objectives: scores.objectives.len(),
                teams: scores.teams.len(),
                early_warning: scores.early_warning,
                calibration: scores.calibration.org.clone(),
                previous_score: previous.and_then(|p| p.org),
            },
            teams: scores.teams.iter().map(|t| Team::from((t, previous))).collect(),
            groups: scores.groups.iter().map(|g| GroupOut::from((g, previous))).collect(),
            objectives,
            alignment: AlignmentOut::from(&scores.alignment),
            krs,
            health: health(scores),
            initiatives: initiatives(ds, scores),
            signals: scores.signals.quarter.iter().map(|v| SignalOut::from((v, previous))).collect(),
            org_signals: scores.signals.org.iter().map(|v| SignalOut::from((v, previous))).collect(),
            signal_coverage: SignalCoverage::new(&scores.signals, ds),
            cohorts: cohorts(scores),
            findings: scores.findings.clone(),
            history_rows_skipped: ds.skipped.iter().map(SkippedOut::from).collect(),
            calibration: scores.calibration.teams.clone(),
            reliability: scores.calibration.bins.clone(),
            misses: scores.misses.clone(),
            dependencies: scores.dependencies.dependencies.clone(),
            dependency_edges: scores.dependencies.edges.clone(),
            recurring_blockers: scores.dependencies.recurring.clone(),
            history: scores.history.iter().map(PastOut::from).collect(),
        }
    }

    /// summary.json as pretty-printed text with a final newline.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map(|s| s + "\n")
            .map_err(|e| Error::Internal(format!("serialising summary.json: {e}")))
    }

    /// scores.csv: one row per key result (the columns of `SCORES_CSV`),
    /// text cells guarded against formula injection.
    pub fn to_scores_csv(&self) -> Result<String> {
        let internal = |e: csv::Error| Error::Internal(format!("writing scores.csv: {e}"));
        // Every text cell quoted: a spreadsheet whose list separator is `;` or
        // a tab cannot split a cell and start a formula inside it.
        let mut w = csv::WriterBuilder::new().quote_style(csv::QuoteStyle::NonNumeric).from_writer(Vec::new());
        w.write_record(SCORES_CSV.iter().map(|(name, _)| name)).map_err(internal)?;
        for k in &self.krs {
            w.write_record(SCORES_CSV.iter().map(|(_, cell)| cell(k))).map_err(internal)?;
        }
        let bytes = w.into_inner().map_err(|e| Error::Internal(format!("writing scores.csv: {e}")))?;
        String::from_utf8(bytes).map_err(|e| Error::Internal(format!("scores.csv: {e}")))
    }
}

/// A column of scores.csv: its name and how a key result fills it.
type Column = (&'static str, fn(&Kr) -> String);

/// The columns of scores.csv.
const SCORES_CSV: &[Column] = &[
    ("team", |k| guard(&k.team)),
    ("objective_id", |k| guard(&k.objective_id)),
    ("kr_id", |k| guard(&k.kr_id)),
    ("key_result", |k| guard(&k.key_result)),
    ("owner", |k| guard(&k.owner)),
    ("score", |k| k.scores.score.to_string()),
    ("grade", |k| k.scores.grade.word().to_string()),
    ("value", |k| opt(k.scores.value)),
    ("value_measured", |k| opt(k.scores.value_measured)),
    ("value_reported", |k| opt(k.scores.value_reported)),
    ("band_status", |k| k.scores.band_status.clone().unwrap_or_default()),
    ("time_in_band", |k| opt(k.scores.time_in_band)),
    ("checkins", |k| k.scores.checkins.to_string()),
    ("last_confidence", |k| opt(k.scores.last_confidence)),
    ("risk_surfaced", |k| k.scores.risk_surfaced.map(|d| d.to_string()).unwrap_or_default()),
    ("missed_commitment", |k| k.scores.missed_commitment.to_string()),
    ("surprise_miss", |k| k.scores.surprise_miss.to_string()),
];

/// An optional number as a cell: empty when absent.
fn opt(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// A text cell no spreadsheet runs as a formula, in any locale: `'` before a formula character that starts the cell or follows a separator.
pub fn guard(s: &str) -> String {
    let formula = |c: char| matches!(c, '=' | '+' | '-' | '@');
    let mut out = String::with_capacity(s.len() + 1);
    // Wherever a spreadsheet could start a cell — the start, or after any list
    // separator a locale may use (`,` `;` tab), spaces skipped — a formula
    // character gets a `'` before it.
    let mut cell_start = true;
    for (i, c) in s.chars().enumerate() {
        if (cell_start && formula(c)) || (i == 0 && matches!(c, '\t' | '\r')) {
            out.push('\'');
        }
        out.push(c);
        cell_start = matches!(c, ',' | ';' | '\t') || (cell_start && c == ' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn guards_formula_cells() {
        assert_eq!(guard("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard("+1"), "'+1");
        assert_eq!(guard("-2"), "'-2");
        assert_eq!(guard("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard("payments"), "payments");
        // a separator of any locale starts a new cell: what follows is guarded too
        assert_eq!(guard("x;=cmd|' /C calc'!A0;y"), "x;'=cmd|' /C calc'!A0;y");
        assert_eq!(guard("a, -1 and b\t@x"), "a, '-1 and b\t'@x");
        assert_eq!(guard("\tx"), "'\tx");
    }
}
