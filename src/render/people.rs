//! `people/PERSON.html` (audience `manager` only): context for a conversation
//! about one person — the key results they own and how each unfolded, what
//! they raised and asked for, the objectives they contributed to, and the
//! questions to discuss. Never a score on the person: every score shown is
//! the key result's, labelled as a team outcome.

use super::krs::{kr_row, KrRow};
use super::lookup::Lookup;
use crate::finding::FindingKind;
use crate::format::{score as score_text, whole_or_tenth, written};
use crate::model::{Checkin, KeyResult, Objective};
use crate::score::KrScore;
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
    /// The key result's own score, two decimals — never a grade word or colour.
    pub kr_score: String,
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

/// One line of people.html.
#[derive(Debug, Serialize)]
pub struct PersonLink {
    pub id: String,
    pub href: String,
    /// The teams of the key results they own or wrote about.
    pub teams: String,
}

/// Every person with a page, in name order, for people.html.
pub fn people_index(ix: &Lookup) -> Vec<PersonLink> {
    let mut teams: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for k in &ix.ds.krs {
        teams.entry(k.owner.as_str()).or_default().insert(k.team.as_str());
    }
    for c in &ix.ds.checkins {
        if let (Some(a), Some(k)) = (c.author.as_deref(), ix.kr_by_id(&c.kr_id)) {
            teams.entry(a).or_default().insert(k.team.as_str());
        }
    }
    let team_list = |id: &str| teams.get(id).map(|t| t.iter().copied().collect::<Vec<_>>().join(", "));
    people_links(ix)
        .into_iter()
        .map(|(id, href)| PersonLink { teams: team_list(&id).unwrap_or_default(), id, href })
        .collect()
}

/// Every KR owner and check-in author, with the file stem of their page
/// (an imported key result owned by nobody is nobody's page).
pub fn people_links(ix: &Lookup) -> BTreeMap<String, String> {
    let owners = ix.ds.krs.iter().map(|k| k.owner.as_str()).filter(|o| *o != crate::model::UNASSIGNED);
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
        None => format!("never raised (no confidence of {} or less)", written(ix.config.thresholds.risk_confidence)),
    };
    OwnedKr {
        row: kr_row(ix, k),
        objective: ix.objective(&k.objective_id).map_or_else(String::new, |o: &Objective| o.title.clone()),
        checkins: s.map_or(0, |s| s.checkins as usize),
        risk,
        last_confidence: s
            .and_then(|s| s.last_confidence)
            .map_or_else(|| "—".into(), |c| format!("{}/10", whole_or_tenth(c))),
        kr_score: crate::format::score(s.map_or(0.0, |s| s.score)),
    }
}

/// One check-in the person wrote.
fn story_entry(ix: &Lookup, c: &Checkin) -> StoryEntry {
    StoryEntry {
        date: c.date.to_string(),
        kr_id: c.kr_id.clone(),
        kr_href: ix.links.kr(&c.kr_id),
        value: c.value.zip(ix.kr_by_id(&c.kr_id)).map_or_else(String::new, |(v, kr)| kr.figure(v)),
        confidence: c.confidence.map_or_else(String::new, |x| format!("{}/10", whole_or_tenth(x))),
        note_html: c.note.as_deref().map(crate::notes::to_html).unwrap_or_default(),
        blocker: c.blockers.clone().unwrap_or_default(),
        decision: c.decision_needed.clone().unwrap_or_default(),
    }
}

/// The questions every conversation starts from, then one for each thing
/// the findings saw on the person's key results — a question, never a label.
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
        let mut kinds: Vec<FindingKind> = ix.kr_findings(id).iter().map(|f| f.kind).collect();
        kinds.sort();
        kinds.dedup();
        questions.extend(kinds.into_iter().filter_map(|kind| question(kind, id, s)));
        if s.risk_raised_early {
            questions.push(format!(
                "Risk on {id} was raised {} days before due: what made the early warning possible, and was it acted on?",
                s.risk_lead_days.unwrap_or(0)
            ));
        }
    }
    questions
}

/// What a finding on a key result asks in a conversation; none for the OKR
/// lint's findings, which are about how the key result was written.
fn question(kind: FindingKind, id: &str, s: &KrScore) -> Option<String> {
    let confidence = s.last_confidence.map_or_else(|| "high".into(), |c| format!("{}/10", whole_or_tenth(c)));
    Some(match kind {
        FindingKind::SurpriseMiss => format!(
            "Confidence on {id} stayed at {confidence} to the end, and it fell short: what did the check-ins not show, \
             and what would have made the risk visible?"
        ),
        FindingKind::GreenButDrifting => format!(
            "{id} reached its number while a guardrail or its paired result got worse: was that trade-off visible, \
             and was it agreed?"
        ),
        FindingKind::ReportedNotMeasured => {
            format!("On {id} the check-ins report more progress than the data shows: which one reflects the outcome?")
        }
        FindingKind::MissedCommitment => {
            format!(
                "{id} was a commitment and ended at {}: when did it become clear, and who knew?",
                score_text(s.score)
            )
        }
        FindingKind::RiskRaisedLate => match s.risk_lead_days {
            Some(lead) => {
                format!("Risk on {id} was first raised {lead} days before due: what kept it from surfacing earlier?")
            }
            None => format!("No check-in on {id} ever marked it at risk: what would have made the risk easy to raise?"),
        },
        FindingKind::Stale => {
            format!("{id} went {} days without a check-in: what was happening then?", s.longest_gap_days)
        }
        FindingKind::Unmeasured => format!("{id} has no measured value: how would we know it worked?"),
        FindingKind::MissDelivery => {
            format!("While {id} was being worked on, the team's delivery slowed: what took the capacity, and who knew?")
        }
        FindingKind::MissStrategy => {
            format!("On {id} the work was done but the number did not move: what did that teach about what moves it?")
        }
        _ => return None,
    })
}
