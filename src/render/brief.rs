//! The brief: the leadership edition for print (`brief.html`, what
//! `quarterdeck pdf` prints by default). A cover with the headline, the
//! org score and the top objectives; one summary page; one page per team
//! (past 40 teams, one per group); the method on one page; the input files
//! and their hashes on the last (SPEC §4, §8).
//!
//! Built from the lookups, not from the site's pages: every part has a page
//! budget, so it shows less than the pages it summarises and links to them.

use super::alignment::{top_objectives, TopObjective, MAX_INDEX_TOPS};
use super::headline::{headline, Headline};
use super::krs::{kr_row, KrRow};
use super::lookup::Lookup;
use super::overview::{exceptions, org_card, Exception, OrgCard, MAX_EXCEPTIONS};
use super::print::Paper;
use super::signals::{org_signals, OrgSignal};
use super::team::{team, Ask, TeamView};
use super::teams::{index_rows, rows, GroupRow, TeamRow};
use crate::error::{Error, Result};
use serde::Serialize;
use tera::{Context, Tera};

/// The brief's file in the site.
pub const BRIEF_HTML: &str = "brief.html";

/// Past this many teams the brief has no page per team but a page per group
/// (SPEC §8), or without groups a table of the teams that need attention
/// most; `pdf --team` and `pdf --group` print each team's or group's brief.
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

/// Whose brief it is: the organisation's, one team's (`pdf --team`) or one group's (`pdf --group`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    Org,
    Team(&'a str),
    Group(&'a str),
}

impl<'a> Scope<'a> {
    /// The scope `--team` or `--group` asks for; the organisation without either.
    pub fn of(team: Option<&'a str>, group: Option<&'a str>) -> Scope<'a> {
        match (team, group) {
            (Some(t), _) => Scope::Team(t),
            (None, Some(g)) => Scope::Group(g),
            (None, None) => Scope::Org,
        }
    }
}

/// Everything the brief shows.
#[derive(Debug, Serialize)]
pub struct Brief {
    /// The one team this brief is for (`pdf --team`), else none.
    pub team: Option<String>,
    /// The one group this brief is for (`pdf --group`), with its figures, else none.
    pub group: Option<GroupRow>,
    /// The team's or the group's name when the brief is of one; none for the organisation's.
    pub subject: Option<String>,
    pub headline: Headline,
    pub org: OrgCard,
    /// The top objectives of the tree with their aligned scores (SPEC §8).
    pub tops: Vec<TopObjective>,
    /// How many top objectives there are past those listed.
    pub tops_more: usize,
    pub exceptions: Vec<Exception>,
    pub exceptions_total: usize,
    pub flow: Vec<OrgSignal>,
    pub team_pages: Vec<TeamPage>,
    /// Past [`MAX_TEAM_PAGES`] teams with groups: a page per group.
    pub group_pages: Vec<GroupPage>,
    /// Past [`MAX_TEAM_PAGES`] teams without groups: the teams that need attention most, as a table.
    pub team_table: Vec<TeamRow>,
    /// The quarter compared with (SPEC §6), when okrs.csv has earlier ones.
    pub previous: Option<String>,
}

/// A group's page of the brief: its figures and its teams, lowest score first.
#[derive(Debug, Serialize)]
pub struct GroupPage {
    pub group: GroupRow,
    /// Its teams, lowest score first, at most [`GROUP_PAGE_TEAMS`].
    pub teams: Vec<TeamRow>,
    /// Its teams past those.
    pub more: usize,
}

/// The most teams a group's page lists.
pub const GROUP_PAGE_TEAMS: usize = 20;

/// The brief of the organisation, of one team or of one group.
pub fn brief(ix: &Lookup, scope: Scope) -> Result<Brief> {
    let teams = scope_teams(ix, scope)?;
    let paged = teams.len() <= MAX_TEAM_PAGES;
    let covered: std::collections::BTreeSet<&str> = teams.iter().copied().collect();
    let rows: Vec<TeamRow> = rows(ix).into_iter().filter(|r| covered.contains(r.id.as_str())).collect();
    let mut groups = super::teams::groups(ix, &rows).rows;
    // every exception once, worst first: the scope's (capped) and each team page's worst
    let in_scope: Vec<Exception> =
        exceptions(ix, usize::MAX).0.into_iter().filter(|e| covered.contains(e.team.as_str())).collect();
    let exceptions_total = in_scope.len();
    let team_pages = if paged { teams.iter().map(|t| team_page(ix, t, &in_scope)).collect() } else { Vec::new() };
    let (tops, tops_total) = if scope == Scope::Org { top_objectives(ix, MAX_INDEX_TOPS) } else { (Vec::new(), 0) };
    let group = match scope {
        Scope::Group(g) => groups.iter().position(|r| r.id == g).map(|i| groups.swap_remove(i)),
        _ => None,
    };
    // past the teams a brief pages, a page per group when there are groups, else one table
    let (group_pages, team_table) = match (paged, scope == Scope::Org && !groups.is_empty()) {
        (true, _) => (Vec::new(), Vec::new()),
        (false, true) => (group_pages(groups, rows), Vec::new()),
        (false, false) => (Vec::new(), index_rows(rows).0),
    };
    Ok(Brief {
        team: if let Scope::Team(t) = scope { Some(t.to_string()) } else { None },
        subject: match scope {
            Scope::Org => None,
            Scope::Team(name) | Scope::Group(name) => Some(name.to_string()),
        },
        group,
        headline: headline(ix),
        org: org_card(ix),
        tops_more: tops_total - tops.len(),
        tops,
        exceptions: in_scope.into_iter().take(MAX_EXCEPTIONS).collect(),
        exceptions_total,
        flow: org_signals(ix),
        team_pages,
        group_pages,
        team_table,
        previous: ix.scores.history.last().map(|p| p.quarter.to_string()),
    })
}

/// The teams a brief covers, by id; a usage error when the team or group asked for has none.
fn scope_teams<'a>(ix: &'a Lookup, scope: Scope) -> Result<Vec<&'a str>> {
    let all = ix.scores.teams.iter();
    let teams: Vec<&str> = match scope {
        Scope::Org => all.map(|t| t.team.as_str()).collect(),
        Scope::Team(name) => all.filter(|t| t.team == name).map(|t| t.team.as_str()).collect(),
        Scope::Group(name) => all.filter(|t| t.group.as_deref() == Some(name)).map(|t| t.team.as_str()).collect(),
    };
    match scope {
        Scope::Team(asked) if teams.is_empty() => {
            Err(unknown("--team", "team", asked, ix.scores.teams.iter().map(|t| t.team.as_str())))
        }
        Scope::Group(asked) if teams.is_empty() => Err(unknown_group(ix, asked)),
        _ => Ok(teams),
    }
}

/// A usage error naming the team asked for and the teams there are.
fn unknown<'a>(flag: &str, noun: &str, asked: &str, names: impl Iterator<Item = &'a str>) -> Error {
    let names: Vec<&str> = names.collect();
    let shown = names.iter().take(20).copied().collect::<Vec<_>>().join(", ");
    let more = names.len().saturating_sub(20);
    let more = if more > 0 { format!(" and {more} more") } else { String::new() };
    Error::Usage(format!("{flag}: no {noun} {asked:?} has key results this quarter; the {noun}s are {shown}{more}"))
}

/// A usage error naming the group asked for and the groups there are, or saying how to make one.
fn unknown_group(ix: &Lookup, asked: &str) -> Error {
    if ix.scores.groups.is_empty() {
        return Error::Usage(format!(
            "--group: no group {asked:?}: no team has a group; give teams one in quarterdeck.toml \
             ([teams.TEAM] group = \"{asked}\")"
        ));
    }
    unknown("--group", "group", asked, ix.scores.groups.iter().map(|g| g.group.as_str()))
}

/// A page per group, each with its teams lowest first.
fn group_pages(groups: Vec<GroupRow>, mut rows: Vec<TeamRow>) -> Vec<GroupPage> {
    rows.sort_by(|a, b| a.score_value.total_cmp(&b.score_value).then_with(|| a.id.cmp(&b.id)));
    groups
        .into_iter()
        .map(|g| {
            let (mut teams, rest): (Vec<TeamRow>, Vec<TeamRow>) =
                std::mem::take(&mut rows).into_iter().partition(|t| t.group == g.id);
            rows = rest;
            let more = teams.len().saturating_sub(GROUP_PAGE_TEAMS);
            teams.truncate(GROUP_PAGE_TEAMS);
            GroupPage { group: g, teams, more }
        })
        .collect()
}

/// One team's page; `worst` holds the exceptions of the brief's teams, worst first.
fn team_page(ix: &Lookup, id: &str, worst: &[Exception]) -> TeamPage {
    let view = team(ix, id);
    let with_values = worst.iter().find(|e| e.team == id && ix.kr_score(&e.kr_id).value.is_some());
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

/// Renders `brief.html`: the brief of the organisation, of one team or of one group.
pub fn render(ix: &Lookup, tera: &Tera, paper: Option<Paper>, scope: Scope) -> Result<String> {
    let brief = brief(ix, scope)?;
    let mut ctx = Context::new();
    ctx.insert("site", &super::print::cover_info(ix));
    ctx.insert("root", "");
    ctx.insert("brief", &brief);
    ctx.insert("config", &super::methodology::MethodologyConfig::from(ix.config));
    ctx.insert("paper", &paper.map(Paper::css));
    ctx.insert("slides", &(paper == Some(Paper::Slides)));
    ctx.insert("max_team_pages", &MAX_TEAM_PAGES);
    ctx.insert("group_page_teams", &GROUP_PAGE_TEAMS);
    tera.render(BRIEF_HTML, &ctx).map_err(|e| Error::Template { name: BRIEF_HTML.to_string(), source: Box::new(e) })
}
