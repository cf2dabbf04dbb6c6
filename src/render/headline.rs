//! The index's opening: the headline and decisions people wrote in
//! notes/quarter.md, or, when it gives no headline, three to five sentences
//! drafted from the numbers (SPEC §4, "Two minutes to the truth").
//!
//! Drafted wording comes from fixed templates filled with computed figures,
//! so the same input always drafts the same words.

use super::lookup::Lookup;
use super::signals::signal_text;
use crate::format::{score as score_text, signed_pct};
use crate::model::{Direction, ObjectiveKind};
use crate::score::signals::{SpanValue, SIGNALS};
use crate::score::KrScore;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Serialize;

/// A piece of a drafted sentence: words, linked to a page when `href` is set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    pub text: String,
    pub href: String,
}

/// A drafted sentence, built part by part.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct Sentence(pub Vec<Part>);

impl Sentence {
    fn text(mut self, text: impl Into<String>) -> Self {
        self.0.push(Part { text: text.into(), href: String::new() });
        self
    }

    fn link(mut self, text: impl Into<String>, href: impl Into<String>) -> Self {
        self.0.push(Part { text: text.into(), href: href.into() });
        self
    }

    /// The sentence as plain words, for tests and the print cover.
    pub fn words(&self) -> String {
        self.0.iter().map(|p| p.text.as_str()).collect()
    }
}

/// A decision asked for in a key result's last check-in: still open at the end.
#[derive(Debug, Serialize)]
pub struct OpenDecision {
    pub team: String,
    pub kr_id: String,
    pub kr_href: String,
    pub date: String,
    pub text: String,
}

/// What the index opens with.
#[derive(Debug, Serialize)]
pub struct Headline {
    /// The first section of notes/quarter.md, as sanitised HTML.
    pub written: Option<String>,
    /// Its section on decisions, when it has one.
    pub decisions: Option<String>,
    /// Its other sections, shown folded under the headline.
    pub rest: Option<String>,
    /// Sentences drafted from the numbers when nothing is written.
    pub drafted: Vec<Sentence>,
    /// Without written decisions: the decisions still asked for at the end, newest first.
    pub open_decisions: Vec<OpenDecision>,
    /// Open decisions beyond those listed.
    pub more_decisions: usize,
}

/// The most open decisions the index lists.
pub const MAX_DECISIONS: usize = 5;

/// The index's headline and decisions.
pub fn headline(ix: &Lookup) -> Headline {
    let notes = ix.ds.notes.quarter.as_deref().map(sections).unwrap_or_default();
    let mut written = notes.iter().filter(|s| !s.body.trim().is_empty());
    let first = written.next();
    let is_decisions = |s: &&Section| s.title.to_lowercase().contains("decision");
    let decisions = written.clone().find(is_decisions);
    let rest: Vec<&Section> = written.filter(|s| !is_decisions(s)).collect();
    let (open_decisions, more_decisions) = if decisions.is_some() { (Vec::new(), 0) } else { open_decisions(ix) };
    Headline {
        written: first.map(|s| crate::notes::to_html(&s.body)),
        decisions: decisions.map(|s| crate::notes::to_html(&s.body)),
        rest: (!rest.is_empty()).then(|| crate::notes::to_html(&rest.iter().map(|s| s.markdown()).collect::<String>())),
        drafted: if first.is_some() { Vec::new() } else { drafted(ix) },
        open_decisions,
        more_decisions,
    }
}

/// One section of a note: the text under a heading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    pub title: String,
    pub body: String,
}

impl Section {
    fn markdown(&self) -> String {
        format!("## {}\n\n{}\n\n", self.title, self.body.trim())
    }
}

/// Splits a note into sections at its second-level headings (or at its
/// first-level ones when it has no `##`). Text before the first such heading
/// is a section without a title; a lone `#` title above is dropped.
pub fn sections(markdown: &str) -> Vec<Section> {
    let headings = headings(markdown);
    let level = if headings.iter().any(|h| h.level == HeadingLevel::H2) { HeadingLevel::H2 } else { HeadingLevel::H1 };
    let splits: Vec<&Heading> = headings.iter().filter(|h| h.level == level).collect();
    let mut out = Vec::new();
    let lead_end = splits.first().map_or(markdown.len(), |h| h.start);
    let lead = strip_title(&markdown[..lead_end], &headings);
    if !lead.trim().is_empty() {
        out.push(Section { title: String::new(), body: lead.trim().to_string() });
    }
    for (i, h) in splits.iter().enumerate() {
        let end = splits.get(i + 1).map_or(markdown.len(), |n| n.start);
        out.push(Section { title: h.text.clone(), body: markdown[h.end..end].trim().to_string() });
    }
    out
}

struct Heading {
    level: HeadingLevel,
    text: String,
    /// Byte offsets of the heading's own lines.
    start: usize,
    end: usize,
}

fn headings(markdown: &str) -> Vec<Heading> {
    let mut out: Vec<Heading> = Vec::new();
    let mut open: Option<Heading> = None;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                open = Some(Heading { level, text: String::new(), start: range.start, end: range.end })
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = open.as_mut() {
                    h.text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(open.take()),
            _ => {}
        }
    }
    out
}

/// The text before the first section without its `#` title.
fn strip_title<'a>(lead: &'a str, headings: &[Heading]) -> &'a str {
    match headings.first() {
        Some(h) if h.level == HeadingLevel::H1 && h.start < lead.len() && lead[..h.start].trim().is_empty() => {
            &lead[h.end.min(lead.len())..]
        }
        _ => lead,
    }
}

/// The decisions asked for in each key result's last check-in, newest first.
fn open_decisions(ix: &Lookup) -> (Vec<OpenDecision>, usize) {
    let mut open: Vec<OpenDecision> = ix
        .ds
        .krs
        .iter()
        .filter_map(|k| {
            let last = ix.checkins(&k.id).iter().filter(|c| c.date <= k.due).max_by_key(|c| c.date)?;
            Some(OpenDecision {
                team: k.team.clone(),
                kr_id: k.id.clone(),
                kr_href: ix.links.kr(&k.id),
                date: last.date.to_string(),
                text: last.decision_needed.clone()?,
            })
        })
        .collect();
    open.sort_by(|a, b| (&b.date, &a.kr_id).cmp(&(&a.date, &b.kr_id)));
    let more = open.len().saturating_sub(MAX_DECISIONS);
    open.truncate(MAX_DECISIONS);
    (open, more)
}

/// Three to five sentences from the numbers: the org result, its missed
/// key results, the strongest and weakest team, the biggest surprise, the
/// flow signal that moved most.
pub fn drafted(ix: &Lookup) -> Vec<Sentence> {
    [org_result(ix), misses(ix), strongest_weakest(ix), surprise(ix), flow(ix)].into_iter().flatten().collect()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn org_result(ix: &Lookup) -> Option<Sentence> {
    let org = ix.scores.org?;
    let grade = ix.config.grades.grade(org);
    let counts = super::team::GradeCounts::of(ix.scores.krs.iter().map(|k| k.grade));
    let teams = plural(ix.scores.teams.len(), "team", "teams");
    let opening = match ix.ds.standing.date() {
        Some(d) => format!("As of {d}, the organisation scores "),
        None => "The organisation scored ".to_string(),
    };
    let change = super::time::org_change(ix).map_or_else(String::new, |c| {
        let way = match c.sense {
            "better" => "up",
            "worse" => "down",
            _ => "level",
        };
        format!(", {way} from {} in {},", c.previous, c.quarter)
    });
    Some(
        Sentence::default()
            .text(opening)
            .link(format!("{} ({})", score_text(org), grade.word()), "teams.html")
            .text(format!("{change} over {teams} and "))
            .link(plural(ix.scores.krs.len(), "key result", "key results"), "findings.html")
            .text(format!(": {} green, {} amber and {} red.", counts.green, counts.amber, counts.red)),
    )
}

/// Missed commitments and aspirational key results below green, counted
/// apart; as of a date before the quarter's end, those off pace.
fn misses(ix: &Lookup) -> Option<Sentence> {
    if ix.ds.partial() {
        return Some(off_pace(ix));
    }
    let missed = Missed::of(ix);
    if missed.committed == 0 && missed.aspirational == 0 {
        return Some(Sentence::default().text("No key result was missed."));
    }
    let green = score_text(ix.config.grades.green_from);
    Some(
        Sentence::default()
            .link(format!("{} of {}", missed.commitments_missed, missed.committed), "findings.html#f-missed_commitment")
            .text(" committed key results missed 1.00; ")
            .text(format!(
                "{} of {} aspirational ones ended below green ({green}).",
                missed.aspirational_below, missed.aspirational
            )),
    )
}

/// As of a date: how many key results not yet due are off pace.
fn off_pace(ix: &Lookup) -> Sentence {
    let not_due = ix.ds.krs.iter().filter(|k| !ix.ds.decided(k)).count();
    let off = ix.scores.findings.iter().filter(|f| f.kind == crate::finding::FindingKind::OffPace).count();
    Sentence::default()
        .link(format!("{off} of {}", plural(not_due, "key result", "key results")), "findings.html#f-off_pace")
        .text(format!(
            " not yet due {} off pace: their score is below {} of the share of their time gone.",
            if off == 1 { "is" } else { "are" },
            crate::format::num(ix.config.time.off_pace_below)
        ))
}

/// Missed key results by the kind of their objective.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Missed {
    pub committed: usize,
    pub commitments_missed: usize,
    pub aspirational: usize,
    pub aspirational_below: usize,
}

impl Missed {
    /// Counts the quarter's key results by objective kind and whether they missed.
    pub fn of(ix: &Lookup) -> Missed {
        let mut m = Missed::default();
        for k in &ix.ds.krs {
            let missed = ix.scores.kr(&k.id).is_some_and(|s| s.missed);
            let committed = ix.objective(&k.objective_id).is_some_and(|o| o.kind == ObjectiveKind::Committed);
            if committed {
                m.committed += 1;
                m.commitments_missed += usize::from(missed);
            } else {
                m.aspirational += 1;
                m.aspirational_below += usize::from(missed);
            }
        }
        m
    }
}

fn strongest_weakest(ix: &Lookup) -> Option<Sentence> {
    let mut teams: Vec<_> = ix.scores.teams.iter().collect();
    if teams.len() < 2 {
        return None;
    }
    teams.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.team.cmp(&b.team)));
    let (best, worst) = (teams.first()?, teams.last()?);
    let at = |t: &crate::score::TeamScore| format!(" at {} ({})", score_text(t.score), t.grade.word());
    Some(
        Sentence::default()
            .text("The strongest team was ")
            .link(best.team.clone(), ix.links.team(&best.team))
            .text(format!("{}; the weakest ", at(best)))
            .link(worst.team.clone(), ix.links.team(&worst.team))
            .text(format!("{}.", at(worst))),
    )
}

/// The surprise miss with the highest last confidence (then the lowest score).
fn surprise(ix: &Lookup) -> Option<Sentence> {
    let surprises = ix.scores.krs.iter().filter(|k| k.surprise_miss);
    let worst = surprises.max_by(|a, b| {
        let key = |k: &KrScore| (k.last_confidence.unwrap_or(0.0), -k.score);
        let (ka, kb) = (key(a), key(b));
        ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1)).then_with(|| b.kr_id.cmp(&a.kr_id))
    });
    let Some(k) = worst else {
        return (ix.scores.early_warning.missed > 0)
            .then(|| Sentence::default().text("No key result was a surprise miss: every miss had its risk raised."));
    };
    let text = ix.kr_by_id(&k.kr_id).map(|kr| kr.text.clone()).unwrap_or_default();
    let confidence = k
        .last_confidence
        .map_or_else(String::new, |c| format!(" with its last confidence at {}/10", crate::format::whole_or_tenth(c)));
    Some(Sentence::default().text("The biggest surprise: ").link(k.kr_id.clone(), ix.links.kr(&k.kr_id)).text(format!(
        " ({text}) ended at {} ({}){confidence}.",
        score_text(k.score),
        k.grade.word()
    )))
}

/// How one flow signal moved: its value before and after.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moved {
    pub signal: &'static str,
    pub before: f64,
    pub after: f64,
    /// (after − before) / |before|.
    pub change: f64,
    /// `before` is the previous quarter's value, this one; else the
    /// quarter's first 28 days against its last 28.
    pub since: Option<crate::model::Quarter>,
}

/// The flow signal whose org value moved most, relative to where it began:
/// the previous quarter against this one when there is history (SPEC §6),
/// else the quarter's first 28 days against its last 28; a side with fewer
/// than `drift_min_events` events is not compared.
pub fn moved_most(ix: &Lookup) -> Option<Moved> {
    let min = ix.config.thresholds.drift_min_events;
    let enough = |s: &SpanValue| if s.n >= min { s.value } else { None };
    let previous = ix.scores.history.last();
    let sides = |name: &str| -> Option<(f64, f64)> {
        match previous {
            Some(p) => {
                let now = ix.scores.signals.org.iter().find(|v| v.metric == name)?;
                let then = p.signal("", name)?;
                Some((
                    enough(&SpanValue { value: then.value, n: then.n })?,
                    enough(&SpanValue { value: now.value, n: now.n })?,
                ))
            }
            None => {
                let (first, last) = ix.scores.signals.org_first_last.get(name)?;
                Some((enough(first)?, enough(last)?))
            }
        }
    };
    let since = previous.map(|p| p.quarter);
    let moved = SIGNALS.iter().filter_map(|def| {
        let (before, after) = sides(def.name)?;
        (before != 0.0).then(|| Moved {
            signal: def.name,
            before,
            after,
            change: (after - before) / before.abs(),
            since,
        })
    });
    // the first of equals in display order
    moved.fold(None, |best: Option<Moved>, m| match best {
        Some(b) if b.change.abs() >= m.change.abs() => Some(b),
        _ => Some(m),
    })
}

fn flow(ix: &Lookup) -> Option<Sentence> {
    let m = moved_most(ix)?;
    let def = crate::score::signals::signal(m.signal)?;
    let better = match def.direction {
        Some(Direction::Increase) if m.after > m.before => ", better",
        Some(Direction::Decrease) if m.after < m.before => ", better",
        Some(_) if m.after != m.before => ", worse",
        _ => "",
    };
    let (before, after) = (signal_text(m.signal, Some(m.before)), signal_text(m.signal, Some(m.after)));
    let moved = match m.since {
        Some(q) => format!(" moved most since {q}: {before} then, {after} this quarter"),
        None => format!(" moved most inside the quarter: {before} in its first 28 days, {after} in its last 28"),
    };
    Some(
        Sentence::default()
            .text("Of the flow signals, ")
            .link(def.label.to_lowercase(), format!("signals.html#{}", def.name))
            .text(format!("{moved} ({}{better}).", change_text(def.unit, &m))),
    )
}

/// A change as its reader expects it: a share in points, anything else relative.
fn change_text(unit: &str, m: &Moved) -> String {
    if unit == "share" {
        format!("{:+.1} points, {}", (m.after - m.before) * 100.0, signed_pct(m.change))
    } else {
        signed_pct(m.change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_split_at_second_level_headings_and_drop_the_title() {
        let md = "# Q3 summary\n\n## Headline\n\nWe shipped.\n\n## Decisions\n\n1. Fund it.\n";
        let s = sections(md);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0], Section { title: "Headline".into(), body: "We shipped.".into() });
        assert_eq!(s[1].title, "Decisions");
        assert_eq!(s[1].body, "1. Fund it.");
    }

    #[test]
    fn text_before_the_first_heading_is_a_section_of_its_own() {
        let s = sections("We shipped.\n\n# Decisions\n\nNone.");
        assert_eq!(s[0], Section { title: String::new(), body: "We shipped.".into() });
        assert_eq!(s[1], Section { title: "Decisions".into(), body: "None.".into() });
        assert!(sections("").is_empty());
        // a title alone is a section without a body: the headline is then drafted
        assert_eq!(sections("# Only a title\n"), [Section { title: "Only a title".into(), body: String::new() }]);
    }
}
