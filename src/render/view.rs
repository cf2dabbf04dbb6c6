//! View models: every number already formatted, every link already resolved.
//! Templates read these and compute nothing.

use crate::chart::num;
use crate::chart::pack::Charts;
use crate::config::Config;
use crate::model::{Checkin, Dataset, KeyResult, KrKind, Objective};
use crate::notes;
use crate::score::{Finding, KrScore, Scores};
use serde::Serialize;
use std::collections::BTreeMap;

/// Links to every team and KR page, by id.
pub struct Links {
    pub teams: BTreeMap<String, String>,
    pub krs: BTreeMap<String, String>,
}

impl Links {
    /// File stems for every team and KR.
    pub fn new(ds: &Dataset) -> Links {
        let teams = crate::paths::file_stems(ds.krs.iter().map(|k| k.team.as_str()));
        let krs = crate::paths::file_stems(ds.krs.iter().map(|k| k.id.as_str()));
        Links {
            teams: teams.into_iter().map(|(k, v)| (k, format!("teams/{v}.html"))).collect(),
            krs: krs.into_iter().map(|(k, v)| (k, format!("krs/{v}.html"))).collect(),
        }
    }

    pub fn team(&self, id: &str) -> String {
        self.teams.get(id).cloned().unwrap_or_default()
    }

    pub fn kr(&self, id: &str) -> String {
        self.krs.get(id).cloned().unwrap_or_default()
    }
}

/// Items grouped by a key, each group in input order.
fn group<'a, T>(items: &'a [T], key: impl Fn(&'a T) -> &'a str) -> BTreeMap<&'a str, Vec<&'a T>> {
    let mut out: BTreeMap<&str, Vec<&T>> = BTreeMap::new();
    for item in items {
        out.entry(key(item)).or_default().push(item);
    }
    out
}

/// Severities, most severe first.
pub const SEVERITY_ORDER: [&str; 3] = ["error", "warning", "info"];

/// A score as shown: one decimal, Google-style.
pub fn score_text(s: f64) -> String {
    format!("{s:.1}")
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// A short line about one key result, for lists and tables.
#[derive(Debug, Serialize)]
pub struct KrRow {
    pub id: String,
    pub href: String,
    pub text: String,
    pub owner: String,
    pub kind: &'static str,
    pub score: String,
    /// Bar width in percent.
    pub width: f64,
    pub grade: &'static str,
    pub value: String,
    pub target: String,
    pub band: String,
    pub band_status: String,
    pub confidence: String,
    pub source: &'static str,
    pub flags: Vec<&'static str>,
}

/// One objective with its key results.
#[derive(Debug, Serialize)]
pub struct ObjectiveRow {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub score: String,
    pub width: f64,
    pub grade: &'static str,
    pub krs: Vec<KrRow>,
    pub confidence_chart: String,
}

/// One team with its objectives.
#[derive(Debug, Serialize)]
pub struct TeamView {
    pub id: String,
    pub href: String,
    pub score: String,
    pub width: f64,
    pub grade: &'static str,
    pub objectives: Vec<ObjectiveRow>,
    pub krs: usize,
    pub too_safe: bool,
    pub overreach: bool,
    pub objectives_chart: String,
    pub retrospective: Option<String>,
    pub asks: Vec<Ask>,
    pub grade_counts: GradeCounts,
    pub health: Vec<super::evidence::HealthLatest>,
    pub health_chart: String,
    pub initiatives: Vec<super::evidence::InitiativeRow>,
    pub initiatives_chart: String,
    pub pairs: Vec<super::evidence::PairView>,
}

/// A blocker or a decision asked for in a check-in.
#[derive(Debug, Serialize)]
pub struct Ask {
    pub date: String,
    pub kr_id: String,
    pub kr_href: String,
    pub author: String,
    pub blocker: Option<String>,
    pub decision: Option<String>,
}

/// How many key results are green, amber and red.
#[derive(Debug, Default, Serialize)]
pub struct GradeCounts {
    pub green: usize,
    pub amber: usize,
    pub red: usize,
}

/// A group of findings of one kind.
#[derive(Debug, Serialize)]
pub struct AlertGroup {
    pub kind: &'static str,
    pub label: &'static str,
    pub items: Vec<Alert>,
}

/// One finding, linked to its KR or team page.
#[derive(Debug, Serialize)]
pub struct Alert {
    pub severity: &'static str,
    pub subject: String,
    pub href: String,
    pub message: String,
}

/// One check-in as shown in a KR's log.
#[derive(Debug, Serialize)]
pub struct CheckinRow {
    pub date: String,
    pub author: String,
    pub value: String,
    pub confidence: String,
    pub note_html: String,
    pub blockers: Option<String>,
    pub decision: Option<String>,
    pub counted: bool,
    /// Why it does not count: "before the quarter" or "after due".
    pub not_counted: &'static str,
}

/// Everything a KR page shows.
#[derive(Debug, Serialize)]
pub struct KrPage {
    pub row: KrRow,
    pub team: String,
    pub team_href: String,
    pub objective: String,
    pub objective_kind: &'static str,
    pub direction: String,
    pub baseline: String,
    pub unit: String,
    pub metric: String,
    pub layer: String,
    pub due: String,
    pub weight: String,
    pub paired_with: Option<(String, String)>,
    pub guardrails: Vec<String>,
    pub facts: Vec<(String, String)>,
    pub value_chart: String,
    pub confidence_chart: String,
    pub checkins: Vec<CheckinRow>,
    pub findings: Vec<Finding>,
    pub guards: Vec<super::evidence::GuardRow>,
    pub initiatives: Vec<super::evidence::InitiativeRow>,
}

/// Builds view models from the computed results.
pub struct Views<'a> {
    pub ds: &'a Dataset,
    pub scores: &'a Scores,
    pub charts: &'a Charts,
    pub config: &'a Config,
    pub links: Links,
    checkins: BTreeMap<&'a str, Vec<&'a Checkin>>,
    /// kr_id → position in `ds.krs`.
    kr_index: BTreeMap<&'a str, usize>,
    /// Key results with a guardrail or pair that moved the wrong way.
    drifting: std::collections::BTreeSet<&'a str>,
    /// Who the pack is for; set by the caller after `new`.
    pub audience: crate::Audience,
    /// Everyone who owns a key result of the quarter.
    owners: std::collections::BTreeSet<&'a str>,
    /// kr_id → its findings, in the findings' order.
    findings_by_kr: BTreeMap<&'a str, Vec<&'a Finding>>,
    /// team → (number on the team's chart, position in `ds.initiatives`), in file order.
    pub(super) initiatives_by_team: BTreeMap<&'a str, Vec<(usize, usize)>>,
    /// position in `ds.initiatives` → its measured impact.
    pub(super) impacts: BTreeMap<usize, &'a crate::score::initiatives::Impact>,
    /// team → its objectives, in file order.
    objectives_by_team: BTreeMap<&'a str, Vec<&'a Objective>>,
    /// objective_id → the objective.
    objective_by_id: BTreeMap<&'a str, &'a Objective>,
    /// objective_id → its key results, in file order.
    krs_by_objective: BTreeMap<&'a str, Vec<&'a KeyResult>>,
    /// objective_id → its score.
    objective_scores: BTreeMap<&'a str, f64>,
    /// team → its score.
    team_scores: BTreeMap<&'a str, &'a crate::score::TeamScore>,
}

impl<'a> Views<'a> {
    /// Prepares lookups shared by every page.
    pub fn new(ds: &'a Dataset, scores: &'a Scores, charts: &'a Charts, config: &'a Config) -> Views<'a> {
        let mut checkins: BTreeMap<&str, Vec<&Checkin>> = BTreeMap::new();
        for c in &ds.checkins {
            checkins.entry(c.kr_id.as_str()).or_default().push(c);
        }
        let kr_index = ds.krs.iter().enumerate().map(|(i, k)| (k.id.as_str(), i)).collect();
        let drifting = scores.drift.iter().filter(|d| d.wrong_way).map(|d| d.kr_id.as_str()).collect();
        let owners = ds.krs.iter().map(|k| k.owner.as_str()).collect();
        let mut findings_by_kr: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in &scores.findings {
            if let Some(k) = f.kr_id.as_deref() {
                findings_by_kr.entry(k).or_default().push(f);
            }
        }
        Views {
            ds,
            scores,
            charts,
            config,
            links: Links::new(ds),
            checkins,
            initiatives_by_team: ds.initiatives_by_team(),
            objectives_by_team: group(&ds.objectives, |o| o.team.as_str()),
            objective_by_id: ds.objectives.iter().map(|o| (o.id.as_str(), o)).collect(),
            krs_by_objective: group(&ds.krs, |k| k.objective_id.as_str()),
            objective_scores: scores.objectives.iter().map(|o| (o.objective_id.as_str(), o.score)).collect(),
            team_scores: scores.teams.iter().map(|t| (t.team.as_str(), t)).collect(),
            impacts: scores.impacts.iter().map(|i| (i.initiative, i)).collect(),
            kr_index,
            drifting,
            audience: crate::Audience::Leadership,
            owners,
            findings_by_kr,
        }
    }

    /// A check-in author as the audience may see them: for leadership, only
    /// key-result owners are named; anyone else is "a team member".
    pub fn person_name(&self, author: Option<&str>) -> String {
        match author {
            None => String::new(),
            Some(a) if self.audience == crate::Audience::Manager || self.owners.contains(a) => a.to_string(),
            Some(_) => "a team member".to_string(),
        }
    }

    /// The findings of one key result.
    pub fn kr_findings(&self, kr_id: &str) -> Vec<&'a Finding> {
        self.findings_by_kr.get(kr_id).cloned().unwrap_or_default()
    }

    /// A key result of the quarter by id.
    pub fn kr_by_id(&self, id: &str) -> Option<&'a KeyResult> {
        self.kr_index.get(id).map(|&i| &self.ds.krs[i])
    }

    /// The position of a key result in `ds.krs` (the order of drift checks).
    pub fn kr_order(&self, id: &str) -> usize {
        self.kr_index.get(id).copied().unwrap_or(usize::MAX)
    }

    fn value_text(&self, kr: &KeyResult, v: Option<f64>) -> String {
        match (kr.kind, v) {
            (_, None) => "—".into(),
            (KrKind::Milestone, Some(v)) => pct(v),
            (KrKind::Metric, Some(v)) => match kr.unit.as_deref() {
                Some("%") => format!("{}%", num(v)),
                Some(u) => format!("{} {u}", num(v)),
                None => num(v),
            },
        }
    }

    /// The row of one key result.
    pub fn kr_row(&self, kr: &KeyResult) -> KrRow {
        let fallback;
        let s: &KrScore = match self.scores.kr(&kr.id) {
            Some(s) => s,
            None => {
                fallback = empty_score(&kr.id);
                &fallback
            }
        };
        let mut flags = Vec::new();
        if s.missed_commitment {
            flags.push("missed commitment");
        }
        if s.surprise_miss {
            flags.push("surprise miss");
        }
        if s.value.is_none() {
            flags.push("unmeasured");
        }
        if s.stale {
            flags.push("stale");
        }
        if s.reported_gap.is_some_and(|g| crate::config::above(g, self.config.thresholds.reported_gap)) {
            flags.push("reported ≠ measured");
        }
        if !crate::config::below(s.score, self.config.grades.green_from) && self.drifting.contains(kr.id.as_str()) {
            flags.push("drifting");
        }
        KrRow {
            id: kr.id.clone(),
            href: self.links.kr(&kr.id),
            text: kr.text.clone(),
            owner: kr.owner.clone(),
            kind: match kr.kind {
                KrKind::Metric => "metric",
                KrKind::Milestone => "milestone",
            },
            score: score_text(s.score),
            width: (s.score * 100.0).clamp(0.0, 100.0),
            grade: s.grade,
            value: self.value_text(kr, s.value),
            target: match kr.kind {
                KrKind::Milestone => "100%".into(),
                KrKind::Metric => self.value_text(kr, kr.score_target()),
            },
            band: kr.band.map(|b| format!("{}–{}", num(b.low), num(b.high))).unwrap_or_default(),
            band_status: s.band_status.clone().unwrap_or_default(),
            confidence: s.last_confidence.map(|c| format!("{}/10", num(c))).unwrap_or_else(|| "—".into()),
            source: if s.value_measured.is_some() {
                "measured"
            } else if s.value_reported.is_some() {
                "reported"
            } else {
                "none"
            },
            flags,
        }
    }

    /// Every team, sorted by id.
    pub fn teams(&self) -> Vec<TeamView> {
        use rayon::prelude::*;
        self.scores.teams.par_iter().map(|t| self.team(&t.team)).collect()
    }

    /// One team's view.
    pub fn team(&self, id: &str) -> TeamView {
        let t = self.team_scores.get(id);
        let score = t.map_or(0.0, |t| t.score);
        let mut grade_counts = GradeCounts::default();
        let objectives: Vec<ObjectiveRow> = self
            .objectives_by_team
            .get(id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|o| {
                let os = self.objective_scores.get(o.id.as_str());
                let krs: Vec<KrRow> = self
                    .krs_by_objective
                    .get(o.id.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                    .iter()
                    .map(|k| self.kr_row(k))
                    .collect();
                for k in &krs {
                    match k.grade {
                        "green" => grade_counts.green += 1,
                        "amber" => grade_counts.amber += 1,
                        _ => grade_counts.red += 1,
                    }
                }
                let s = os.copied().unwrap_or(0.0);
                ObjectiveRow {
                    id: o.id.clone(),
                    title: o.title.clone(),
                    kind: o.kind.as_str(),
                    score: score_text(s),
                    width: (s * 100.0).clamp(0.0, 100.0),
                    grade: self.config.grades.grade(s),
                    krs,
                    confidence_chart: self.charts.objective_confidence.get(&o.id).cloned().unwrap_or_default(),
                }
            })
            .collect();
        let krs = objectives.iter().map(|o| o.krs.len()).sum();
        TeamView {
            id: id.to_string(),
            href: self.links.team(id),
            score: score_text(score),
            width: (score * 100.0).clamp(0.0, 100.0),
            grade: self.config.grades.grade(score),
            objectives,
            krs,
            too_safe: t.is_some_and(|t| t.too_safe),
            overreach: t.is_some_and(|t| t.overreach),
            objectives_chart: self.charts.team_objectives.get(id).cloned().unwrap_or_default(),
            retrospective: self.ds.notes.teams.get(id).map(|m| notes::to_html(m)),
            asks: self.asks(id),
            grade_counts,
            health: self.health_latest(id),
            health_chart: self.charts.health_team.get(id).cloned().unwrap_or_default(),
            initiatives: self.initiative_rows(Some(id), None),
            initiatives_chart: self.charts.initiatives_team.get(id).cloned().unwrap_or_default(),
            pairs: self.pairs(id),
        }
    }

    fn asks(&self, team: &str) -> Vec<Ask> {
        let mut out: Vec<Ask> = self
            .ds
            .krs
            .iter()
            .filter(|k| k.team == team)
            .flat_map(|k| self.checkins.get(k.id.as_str()).into_iter().flatten())
            .filter(|c| c.blockers.is_some() || c.decision_needed.is_some())
            .map(|c| Ask {
                date: c.date.to_string(),
                kr_id: c.kr_id.clone(),
                kr_href: self.links.kr(&c.kr_id),
                author: self.person_name(c.author.as_deref()),
                blocker: c.blockers.clone(),
                decision: c.decision_needed.clone(),
            })
            .collect();
        out.sort_by(|a, b| (&b.date, &a.kr_id).cmp(&(&a.date, &b.kr_id)));
        out
    }

    /// Findings grouped by kind, in a fixed reading order.
    pub fn alerts(&self) -> Vec<AlertGroup> {
        const ORDER: &[(&str, &str)] = &[
            ("surprise_miss", "Surprise misses"),
            ("green_but_drifting", "Green but drifting"),
            ("reported_not_measured", "Reported progress not seen in the data"),
            ("missed_commitment", "Missed commitments"),
            ("risk_raised_late", "Risks raised late or never"),
            ("stale", "Stale check-ins"),
            ("health_red", "Health red for weeks"),
            ("unmeasured", "Unmeasured key results"),
            ("too_safe", "Targets too safe"),
            ("overreach", "Overreach"),
            ("missing_baseline", "Missing baselines"),
        ];
        ORDER
            .iter()
            .filter_map(|(kind, label)| {
                let items: Vec<Alert> =
                    self.scores.findings.iter().filter(|f| f.kind == *kind).map(|f| self.alert(f)).collect();
                (!items.is_empty()).then_some(AlertGroup { kind, label, items })
            })
            .collect()
    }

    /// A finding as a linked alert.
    pub fn alert(&self, f: &Finding) -> Alert {
        let (subject, href) = match (&f.kr_id, &f.team) {
            (Some(k), _) => (k.clone(), self.links.kr(k)),
            (None, Some(t)) => (t.clone(), self.links.team(t)),
            _ => (String::new(), String::new()),
        };
        Alert { severity: f.severity, subject, href, message: f.message.clone() }
    }

    /// Everything a KR page shows.
    pub fn kr_page(&self, kr: &KeyResult) -> KrPage {
        let s = self.scores.kr(&kr.id);
        let objective = self.objective_by_id.get(kr.objective_id.as_str()).copied();
        let checkins = self
            .checkins
            .get(kr.id.as_str())
            .map(|list| {
                list.iter()
                    .map(|c| CheckinRow {
                        date: c.date.to_string(),
                        author: self.person_name(c.author.as_deref()),
                        value: self.value_text(kr, c.value),
                        confidence: c.confidence.map(|x| format!("{}/10", num(x))).unwrap_or_default(),
                        note_html: c.note.as_deref().map(notes::to_html).unwrap_or_default(),
                        blockers: c.blockers.clone(),
                        decision: c.decision_needed.clone(),
                        counted: c.date <= kr.due && self.ds.quarter.contains(c.date),
                        not_counted: if c.date < self.ds.quarter.start() {
                            "before the quarter, not counted"
                        } else if c.date > kr.due {
                            "after due, not counted"
                        } else {
                            ""
                        },
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut facts = Vec::new();
        if let Some(s) = s {
            facts.push(("Measured value".into(), self.value_text(kr, s.value_measured)));
            facts.push(("Reported value".into(), self.value_text(kr, s.value_reported)));
            if let (Some(m), Some(r)) = (s.score_measured, s.score_reported) {
                facts.push(("Score measured / reported".into(), format!("{} / {}", score_text(m), score_text(r))));
            }
            if kr.band.is_some() {
                facts.push(("Time in band (last half)".into(), s.time_in_band.map(pct).unwrap_or_else(|| "—".into())));
            }
            facts.push(("Check-ins".into(), s.checkins.to_string()));
            facts.push((
                "Longest gap without a check-in".into(),
                format!("{} days ({} to {})", s.longest_gap_days, s.longest_gap.0, s.longest_gap.1),
            ));
            if let Some(m) = s.median_gap_days {
                facts.push(("Median days between check-ins".into(), num(m)));
            }
            if let Some(d) = s.days_since_last_checkin {
                facts.push(("Days since the last check-in at quarter end".into(), d.to_string()));
            }
            facts.push((
                "Risk first surfaced".into(),
                match (s.risk_surfaced, s.risk_lead_days) {
                    (Some(d), Some(lead)) => format!("{d} ({lead} days before due)"),
                    _ => "never".into(),
                },
            ));
        }
        KrPage {
            row: self.kr_row(kr),
            team: kr.team.clone(),
            team_href: self.links.team(&kr.team),
            objective: objective.map(|o| o.title.clone()).unwrap_or_default(),
            objective_kind: objective.map_or("aspirational", |o| o.kind.as_str()),
            direction: super::evidence::direction_text(kr.direction),
            baseline: self.value_text(kr, kr.baseline),
            unit: kr.unit.clone().unwrap_or_default(),
            metric: kr.metric.clone().unwrap_or_default(),
            layer: kr.layer.map(|l| format!("{l:?}").to_lowercase()).unwrap_or_default(),
            due: kr.due.to_string(),
            weight: num(kr.weight),
            paired_with: kr.paired_with.as_ref().map(|p| (p.clone(), self.links.kr(p))),
            guardrails: kr.guardrails.clone(),
            facts,
            value_chart: self.charts.kr_value.get(&kr.id).cloned().unwrap_or_default(),
            confidence_chart: self.charts.kr_confidence.get(&kr.id).cloned().unwrap_or_default(),
            checkins,
            findings: self.kr_findings(&kr.id).into_iter().cloned().collect(),
            guards: self.guard_rows(&kr.id),
            initiatives: self.initiative_rows(None, Some(&kr.id)),
        }
    }
}

fn empty_score(id: &str) -> KrScore {
    KrScore { kr_id: id.to_string(), grade: "red", ..KrScore::default() }
}
