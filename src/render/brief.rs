//! The brief: the leadership edition for print (`brief.html`, what
//! `quarterdeck pdf` prints by default). A cover with the headline and the
//! org score; one summary page; one page per team; the method on one page;
//! the input files and their hashes on the last (SPEC §4).
//!
//! Built from the lookups, not from the site's pages: every part has a page
//! budget, so it shows less than the pages it summarises and links to them.

use super::headline::{headline, Headline};
use super::krs::{kr_row, KrRow};
use super::lookup::Lookup;
use super::overview::{exceptions, org_card, Exception, OrgCard, MAX_EXCEPTIONS};
use super::print::Paper;
use super::signals::{org_signals, OrgSignal};
use super::team::{team, Ask, TeamView};
use super::teams::{index_rows, rows, TeamRow};
use crate::error::{Error, Result};
use serde::Serialize;
use tera::{Context, Tera};

/// The brief's file in the site.
pub const BRIEF_HTML: &str = "brief.html";

/// Past this many teams the brief has no page per team but a table of the
/// teams that need attention most; `pdf --team` prints each team's brief.
pub const MAX_TEAM_PAGES: usize = 40;

/// The most blockers and decisions a team page lists, newest first.
const TEAM_ASKS: usize = 5;

/// One team's page of the brief.
#[derive(Debug, Serialize)]
pub struct TeamPage {
    pub team: TeamHead,
    pub krs: Vec<KrRow>,
    /// The chart that tells most, with what it shows.
    pub chart: String,
    pub chart_caption: String,
    pub asks: Vec<Ask>,
    pub more_asks: usize,
    pub href: String,
}

/// A team's heading: who, score, grade and its key results by grade.
#[derive(Debug, Serialize)]
pub struct TeamHead {
    pub id: String,
    pub score: String,
    pub grade: crate::model::Grade,
    pub krs: usize,
    pub objectives: usize,
    pub grade_counts: super::team::GradeCounts,
    pub too_safe: bool,
    pub overreach: bool,
}

/// Everything the brief shows.
#[derive(Debug, Serialize)]
pub struct Brief {
    /// The one team this brief is for (`pdf --team`), else none.
    pub team: Option<String>,
    pub headline: Headline,
    pub org: OrgCard,
    pub exceptions: Vec<Exception>,
    pub exceptions_total: usize,
    pub flow: Vec<OrgSignal>,
    pub team_pages: Vec<TeamPage>,
    /// Past [`MAX_TEAM_PAGES`]: the teams that need attention most, as a table.
    pub team_table: Vec<TeamRow>,
    /// The quarter compared with (SPEC §6), when okrs.csv has earlier ones.
    pub previous: Option<String>,
}

/// The brief of the organisation, or of one team.
pub fn brief(ix: &Lookup, only: Option<&str>) -> Result<Brief> {
    if let Some(t) = only {
        if ix.team_score(t).is_none() {
            return Err(unknown_team(ix, t));
        }
    }
    let teams: Vec<&str> = match only {
        Some(t) => vec![t],
        None => ix.scores.teams.iter().map(|t| t.team.as_str()).collect(),
    };
    let paged = teams.len() <= MAX_TEAM_PAGES;
    let (exceptions, exceptions_total) = match only {
        Some(t) => team_exceptions(ix, t, MAX_EXCEPTIONS),
        None => exceptions(ix, MAX_EXCEPTIONS),
    };
    Ok(Brief {
        team: only.map(str::to_string),
        headline: headline(ix),
        org: org_card(ix),
        exceptions,
        exceptions_total,
        flow: org_signals(ix),
        team_pages: if paged { teams.iter().map(|t| team_page(ix, t)).collect() } else { Vec::new() },
        team_table: if paged { Vec::new() } else { index_rows(rows(ix)).0 },
        previous: ix.scores.history.last().map(|p| p.quarter.to_string()),
    })
}

/// A usage error naming the team asked for and the teams there are.
fn unknown_team(ix: &Lookup, asked: &str) -> Error {
    let names: Vec<&str> = ix.scores.teams.iter().map(|t| t.team.as_str()).collect();
    let shown = names.iter().take(20).copied().collect::<Vec<_>>().join(", ");
    let more = names.len().saturating_sub(20);
    let more = if more > 0 { format!(" and {more} more") } else { String::new() };
    Error::Usage(format!("--team: no team {asked:?} has key results this quarter; the teams are {shown}{more}"))
}

/// The exceptions of one team, worst first.
fn team_exceptions(ix: &Lookup, team: &str, cap: usize) -> (Vec<Exception>, usize) {
    let (all, _) = exceptions(ix, usize::MAX);
    let mine: Vec<Exception> = all.into_iter().filter(|e| e.team == team).collect();
    let total = mine.len();
    (mine.into_iter().take(cap).collect(), total)
}

fn team_page(ix: &Lookup, id: &str) -> TeamPage {
    let view = team(ix, id);
    let (worst, _) = team_exceptions(ix, id, usize::MAX);
    let with_values = worst.iter().find(|e| ix.kr_score(&e.kr_id).value.is_some());
    let (chart, chart_caption) = telling_chart(ix, &view, with_values);
    let more_asks = view.asks.len().saturating_sub(TEAM_ASKS);
    TeamPage {
        krs: ix.ds.krs.iter().filter(|k| k.team == id).map(|k| kr_row(ix, k)).collect(),
        chart,
        chart_caption,
        more_asks,
        href: view.href.clone(),
        team: TeamHead {
            id: view.id.clone(),
            score: view.score.clone(),
            grade: view.grade,
            krs: view.krs,
            objectives: view.objectives.len(),
            grade_counts: view.grade_counts,
            too_safe: view.too_safe,
            overreach: view.overreach,
        },
        asks: view.asks.into_iter().take(TEAM_ASKS).collect(),
    }
}

/// The team's most telling chart: the value over the quarter of the key
/// result with a value that needs attention most; without one, its
/// objectives' scores.
fn telling_chart(ix: &Lookup, view: &TeamView, worst: Option<&Exception>) -> (String, String) {
    if let Some(chart) = worst.and_then(|e| ix.charts.kr_value.get(&e.kr_id).map(|c| (e, c))) {
        let (e, svg) = chart;
        let chips: Vec<&str> = e.chips.iter().map(|c| c.words).collect();
        let caption = format!(
            "{}, the key result that needs attention most ({}): its value over the quarter.",
            e.kr_id,
            chips.join(", ")
        );
        return (svg.clone(), caption);
    }
    (view.objectives_chart.clone(), "The team's objectives and their scores.".to_string())
}

/// Renders `brief.html`: the brief of the organisation, or of `only` one team.
pub fn render(ix: &Lookup, tera: &Tera, paper: Option<Paper>, only: Option<&str>) -> Result<String> {
    let brief = brief(ix, only)?;
    let mut ctx = Context::new();
    ctx.insert("site", &super::print::cover_info(ix));
    ctx.insert("root", "");
    ctx.insert("brief", &brief);
    ctx.insert("config", &super::methodology::MethodologyConfig::from(ix.config));
    ctx.insert("paper", &paper.map(Paper::css));
    ctx.insert("slides", &(paper == Some(Paper::Slides)));
    ctx.insert("max_team_pages", &MAX_TEAM_PAGES);
    tera.render(BRIEF_HTML, &ctx).map_err(|e| Error::Template { name: BRIEF_HTML.to_string(), source: Box::new(e) })
}
