//! `people/PERSON.html` (audience `manager` only): context for a conversation
//! about one person — the key results they own and how each unfolded, what
//! they raised and asked for, the objectives they contributed to, and the
//! questions to discuss. Never a score on the person: every score shown is
//! the key result's, labelled as a team outcome.

use super::view::{KrRow, Views};
use crate::chart::num;
use crate::model::Checkin;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One check-in the person wrote.
#[derive(Debug, Serialize)]
pub struct StoryEntry {
    pub date: String,
    pub kr_id: String,
    pub kr_href: String,
    pub value: String,
    pub confidence: String,
    pub note_html: String,
    pub blocker: String,
    pub decision: String,
}

/// A key result the person owns, and how it unfolded.
#[derive(Debug, Serialize)]
pub struct OwnedKr {
    pub row: KrRow,
    pub objective: String,
    pub checkins: usize,
    pub risk: String,
    pub last_confidence: String,
    pub findings: Vec<String>,
}

/// Everything a person page shows.
#[derive(Debug, Serialize)]
pub struct PersonPage {
    pub id: String,
    pub href: String,
    pub teams: Vec<String>,
    pub owned: Vec<OwnedKr>,
    pub objectives: Vec<(String, String)>,
    pub story: Vec<StoryEntry>,
    pub decisions: usize,
    pub blockers: usize,
    pub questions: Vec<String>,
}

/// Lookups shared by every person page.
struct PeopleIndex<'a> {
    by_author: BTreeMap<&'a str, Vec<&'a Checkin>>,
    by_owner: BTreeMap<&'a str, Vec<&'a crate::model::KeyResult>>,
    objectives: BTreeMap<&'a str, &'a crate::model::Objective>,
}

impl Views<'_> {
    /// Every KR owner and check-in author, with the file stem of their page.
    pub fn people_links(&self) -> BTreeMap<String, String> {
        let ids: BTreeSet<&str> = self
            .ds
            .krs
            .iter()
            .map(|k| k.owner.as_str())
            .chain(self.ds.checkins.iter().filter_map(|c| c.author.as_deref()))
            .collect();
        crate::paths::file_stems(ids).into_iter().map(|(id, stem)| (id, format!("people/{stem}.html"))).collect()
    }

    /// Every person's page with its path, built from indexes made once (a
    /// scan per person would be quadratic in a large organisation).
    pub fn person_pages(&self) -> Vec<(String, PersonPage)> {
        let mut by_author: BTreeMap<&str, Vec<&Checkin>> = BTreeMap::new();
        for c in &self.ds.checkins {
            if let Some(a) = c.author.as_deref() {
                by_author.entry(a).or_default().push(c);
            }
        }
        let mut by_owner: BTreeMap<&str, Vec<&crate::model::KeyResult>> = BTreeMap::new();
        for k in &self.ds.krs {
            by_owner.entry(k.owner.as_str()).or_default().push(k);
        }
        let objectives: BTreeMap<&str, &crate::model::Objective> =
            self.ds.objectives.iter().map(|o| (o.id.as_str(), o)).collect();
        let index = PeopleIndex { by_author, by_owner, objectives };
        self.people_links().into_iter().map(|(id, href)| (href.clone(), self.person_page(&id, &href, &index))).collect()
    }

    /// The page of one person.
    fn person_page(&self, id: &str, href: &str, index: &PeopleIndex) -> PersonPage {
        let mut mine: Vec<&Checkin> = index.by_author.get(id).cloned().unwrap_or_default();
        mine.sort_by(|a, b| (a.date, &a.kr_id, a.line).cmp(&(b.date, &b.kr_id, b.line)));
        let owned: Vec<OwnedKr> = index
            .by_owner
            .get(id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|k| {
                let s = self.scores.kr(&k.id);
                OwnedKr {
                    row: self.kr_row(k),
                    objective: self
                        .ds
                        .objectives
                        .iter()
                        .find(|o| o.id == k.objective_id)
                        .map_or_else(String::new, |o| o.title.clone()),
                    checkins: s.map_or(0, |s| s.checkins as usize),
                    risk: match s.and_then(|s| s.risk_surfaced.zip(s.risk_lead_days)) {
                        Some((d, lead)) => format!("first raised on {d}, {lead} days before due"),
                        None => format!(
                            "never raised (no confidence of {} or less)",
                            num(self.config.thresholds.risk_confidence)
                        ),
                    },
                    last_confidence: s
                        .and_then(|s| s.last_confidence)
                        .map_or_else(|| "—".into(), |c| format!("{}/10", num(c))),
                    findings: self
                        .kr_findings(&k.id)
                        .into_iter()
                        .map(|f| format!("{}: {}", f.kind.replace('_', " "), f.message))
                        .collect(),
                }
            })
            .collect();
        let mut teams: BTreeSet<String> =
            owned.iter().filter_map(|o| self.kr_by_id(&o.row.id).map(|k| k.team.clone())).collect();
        let mut objectives: BTreeMap<String, String> = BTreeMap::new();
        for kr_id in owned.iter().map(|o| o.row.id.as_str()).chain(mine.iter().map(|c| c.kr_id.as_str())) {
            if let Some(k) = self.kr_by_id(kr_id) {
                teams.insert(k.team.clone());
                if let Some(o) = index.objectives.get(k.objective_id.as_str()) {
                    objectives.insert(o.id.clone(), o.title.clone());
                }
            }
        }
        let story: Vec<StoryEntry> = mine
            .iter()
            .map(|c| StoryEntry {
                date: c.date.to_string(),
                kr_id: c.kr_id.clone(),
                kr_href: self.links.kr(&c.kr_id),
                value: c.value.map_or_else(String::new, num),
                confidence: c.confidence.map_or_else(String::new, |x| format!("{}/10", num(x))),
                note_html: c.note.as_deref().map(crate::notes::to_html).unwrap_or_default(),
                blocker: c.blockers.clone().unwrap_or_default(),
                decision: c.decision_needed.clone().unwrap_or_default(),
            })
            .collect();
        let decisions = story.iter().filter(|s| !s.decision.is_empty()).count();
        let blockers = story.iter().filter(|s| !s.blocker.is_empty()).count();
        let mut questions = vec![
            "Did they understand the outcome behind each key result, not only the output?".to_string(),
            "Which trade-offs did they make, and how early did they make them visible?".to_string(),
            "Did they raise risk before it became damage? What made that easy or hard?".to_string(),
            "Where did they help other teams, or get help from them?".to_string(),
            "When assumptions changed during the quarter, how did they adapt the plan?".to_string(),
        ];
        for o in &owned {
            if let Some(s) = self.scores.kr(&o.row.id) {
                if s.surprise_miss {
                    questions.push(format!(
                        "{} ended red while confidence stayed high: what did the check-ins not show, and what would have shown it?",
                        o.row.id
                    ));
                }
                if s.risk_lead_days.is_some_and(|d| d >= self.config.thresholds.early_warning_days) {
                    questions.push(format!(
                        "Risk on {} was raised {} days before due: what made the early warning possible, and was it acted on?",
                        o.row.id,
                        s.risk_lead_days.unwrap_or(0)
                    ));
                }
                if s.stale {
                    questions.push(format!(
                        "{} went {} days without a check-in: what was happening then?",
                        o.row.id, s.longest_gap_days
                    ));
                }
            }
        }
        PersonPage {
            id: id.to_string(),
            href: href.to_string(),
            teams: teams.into_iter().collect(),
            owned,
            objectives: objectives.into_iter().collect(),
            story,
            decisions,
            blockers,
            questions,
        }
    }
}
