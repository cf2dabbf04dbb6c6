//! `people/PERSON.html` (audience `manager` only): context for a conversation
//! about one person — the key results they own and how each unfolded, what
//! they raised and asked for, the objectives they contributed to, and the
//! questions to discuss. Never a score on the person: every score shown is
//! the key result's, labelled as a team outcome.

use super::krs::{kr_row, KrRow};
use super::lookup::Lookup;
use crate::format::num;
use crate::model::{Checkin, KeyResult, Objective};
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
    by_owner: BTreeMap<&'a str, Vec<&'a KeyResult>>,
}

/// Every KR owner and check-in author, with the file stem of their page.
pub fn people_links(ix: &Lookup) -> BTreeMap<String, String> {
    let owners = ix.ds.krs.iter().map(|k| k.owner.as_str());
    let ids: BTreeSet<&str> = owners.chain(ix.ds.checkins.iter().filter_map(|c| c.author.as_deref())).collect();
    crate::paths::file_stems(ids).into_iter().map(|(id, stem)| (id, format!("people/{stem}.html"))).collect()
}

/// Every person's page with its path, built from indexes made once (a
/// scan per person would be quadratic in a large organisation).
pub fn person_pages(ix: &Lookup) -> Vec<(String, PersonPage)> {
    let mut by_author: BTreeMap<&str, Vec<&Checkin>> = BTreeMap::new();
    for c in &ix.ds.checkins {
        if let Some(a) = c.author.as_deref() {
            by_author.entry(a).or_default().push(c);
        }
    }
    let mut by_owner: BTreeMap<&str, Vec<&KeyResult>> = BTreeMap::new();
    for k in &ix.ds.krs {
        by_owner.entry(k.owner.as_str()).or_default().push(k);
    }
    let people = PeopleIndex { by_author, by_owner };
    let links = people_links(ix);
    links.into_iter().map(|(id, href)| (href.clone(), person_page(ix, &id, &href, &people))).collect()
}

/// The page of one person.
fn person_page(ix: &Lookup, id: &str, href: &str, people: &PeopleIndex) -> PersonPage {
    let mut mine: Vec<&Checkin> = people.by_author.get(id).cloned().unwrap_or_default();
    mine.sort_by(|a, b| (a.date, &a.kr_id, a.line).cmp(&(b.date, &b.kr_id, b.line)));
    let owned: Vec<OwnedKr> =
        people.by_owner.get(id).map_or(&[][..], Vec::as_slice).iter().map(|k| owned_kr(ix, k)).collect();
    let mut teams: BTreeSet<String> = BTreeSet::new();
    let mut objectives: BTreeMap<String, String> = BTreeMap::new();
    let touched = owned.iter().map(|o| o.row.id.as_str()).chain(mine.iter().map(|c| c.kr_id.as_str()));
    for k in touched.filter_map(|kr_id| ix.kr_by_id(kr_id)) {
        teams.insert(k.team.clone());
        if let Some(o) = ix.objective(&k.objective_id) {
            objectives.insert(o.id.clone(), o.title.clone());
        }
    }
    let story: Vec<StoryEntry> = mine.iter().map(|c| story_entry(ix, c)).collect();
    PersonPage {
        id: id.to_string(),
        href: href.to_string(),
        teams: teams.into_iter().collect(),
        questions: questions(ix, &owned),
        owned,
        objectives: objectives.into_iter().collect(),
        decisions: story.iter().filter(|s| !s.decision.is_empty()).count(),
        blockers: story.iter().filter(|s| !s.blocker.is_empty()).count(),
        story,
    }
}

/// A key result the person owns, and how it unfolded.
fn owned_kr(ix: &Lookup, k: &KeyResult) -> OwnedKr {
    let s = ix.scores.kr(&k.id);
    let risk = match s.and_then(|s| s.risk_surfaced.zip(s.risk_lead_days)) {
        Some((d, lead)) => format!("first raised on {d}, {lead} days before due"),
        None => format!("never raised (no confidence of {} or less)", num(ix.config.thresholds.risk_confidence)),
    };
    OwnedKr {
        row: kr_row(ix, k),
        objective: ix.objective(&k.objective_id).map_or_else(String::new, |o: &Objective| o.title.clone()),
        checkins: s.map_or(0, |s| s.checkins as usize),
        risk,
        last_confidence: s.and_then(|s| s.last_confidence).map_or_else(|| "—".into(), |c| format!("{}/10", num(c))),
        findings: ix.kr_findings(&k.id).iter().map(|f| format!("{}: {}", f.kind.rule().words, f.message)).collect(),
    }
}

/// One check-in the person wrote.
fn story_entry(ix: &Lookup, c: &Checkin) -> StoryEntry {
    StoryEntry {
        date: c.date.to_string(),
        kr_id: c.kr_id.clone(),
        kr_href: ix.links.kr(&c.kr_id),
        value: c.value.map_or_else(String::new, num),
        confidence: c.confidence.map_or_else(String::new, |x| format!("{}/10", num(x))),
        note_html: c.note.as_deref().map(crate::notes::to_html).unwrap_or_default(),
        blocker: c.blockers.clone().unwrap_or_default(),
        decision: c.decision_needed.clone().unwrap_or_default(),
    }
}

/// The questions every conversation starts from, then one per thing the
/// findings saw on the person's key results.
fn questions(ix: &Lookup, owned: &[OwnedKr]) -> Vec<String> {
    let mut questions: Vec<String> = [
        "Did they understand the outcome behind each key result, not only the output?",
        "Which trade-offs did they make, and how early did they make them visible?",
        "Did they raise risk before it became damage? What made that easy or hard?",
        "Where did they help other teams, or get help from them?",
        "When assumptions changed during the quarter, how did they adapt the plan?",
    ]
    .map(String::from)
    .to_vec();
    for (id, s) in owned.iter().filter_map(|o| Some((&o.row.id, ix.scores.kr(&o.row.id)?))) {
        if s.surprise_miss {
            questions.push(format!(
                "{id} ended red while confidence stayed high: what did the check-ins not show, and what would have shown it?"
            ));
        }
        if s.risk_raised_early {
            questions.push(format!(
                "Risk on {id} was raised {} days before due: what made the early warning possible, and was it acted on?",
                s.risk_lead_days.unwrap_or(0)
            ));
        }
        if s.stale {
            questions
                .push(format!("{id} went {} days without a check-in: what was happening then?", s.longest_gap_days));
        }
    }
    questions
}
