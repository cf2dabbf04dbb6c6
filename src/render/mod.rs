//! Pages from view models through Tera: only this module touches Tera.
//! Templates are embedded; a same-named file in `DATA_DIR/templates/` wins.

pub mod alignment;
pub mod brief;
pub mod cohorts;
pub mod diagnosis;
pub mod evidence;
pub mod headline;
pub mod history;
pub mod hygiene;
pub mod krs;
pub mod lookup;
pub mod methodology;
pub mod next;
pub mod overview;
pub mod people;
pub mod print;
pub mod signals;
pub mod team;
pub mod teams;
pub mod time;
pub mod write;

use crate::error::{Error, Result};
use crate::summary::Summary;
use lookup::Lookup;
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;
use team::TeamView;
use tera::{Context, Tera};

/// The embedded templates and assets, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("team.html", include_str!("../../templates/team.html")),
    ("kr.html", include_str!("../../templates/kr.html")),
    ("methodology.html", include_str!("../../templates/methodology.html")),
    ("health.html", include_str!("../../templates/health.html")),
    ("signals.html", include_str!("../../templates/signals.html")),
    ("signal.html", include_str!("../../templates/signal.html")),
    ("partials/sortable.html", include_str!("../../templates/partials/sortable.html")),
    ("partials/score_cells.html", include_str!("../../templates/partials/score_cells.html")),
    ("partials/alignment_macros.html", include_str!("../../templates/partials/alignment_macros.html")),
    ("partials/brief_teams.html", include_str!("../../templates/partials/brief_teams.html")),
    ("cohorts.html", include_str!("../../templates/cohorts.html")),
    ("person.html", include_str!("../../templates/person.html")),
    ("people.html", include_str!("../../templates/people.html")),
    ("findings.html", include_str!("../../templates/findings.html")),
    ("alignment.html", include_str!("../../templates/alignment.html")),
    ("teams.html", include_str!("../../templates/teams.html")),
    ("hygiene.html", include_str!("../../templates/hygiene.html")),
    ("dependencies.html", include_str!("../../templates/dependencies.html")),
    ("history.html", include_str!("../../templates/history.html")),
    ("next.html", include_str!("../../templates/next.html")),
    ("partials/kr_table.html", include_str!("../../templates/partials/kr_table.html")),
    ("partials/initiatives.html", include_str!("../../templates/partials/initiatives.html")),
    ("partials/head.html", include_str!("../../templates/partials/head.html")),
    ("style.css", include_str!("../../templates/style.css")),
    ("print.html", include_str!("../../templates/print.html")),
    ("brief.html", include_str!("../../templates/brief.html")),
    ("print.css", include_str!("../../templates/print.css")),
];

/// Loads every template, preferring overrides from `override_dir`.
pub fn templates(override_dir: &Path) -> Result<Tera> {
    let mut tera = Tera::default();
    let mut sources = Vec::new();
    for (name, embedded) in TEMPLATES {
        if name.ends_with(".css") {
            continue;
        }
        sources.push((name.to_string(), source(override_dir, name, embedded)?));
    }
    tera.add_raw_templates(sources).map_err(|e| template_error("(loading)", e))?;
    tera.autoescape_on(vec![".html"]);
    Ok(tera)
}

/// An embedded file, or its override when `DATA_DIR/templates/NAME` exists.
pub fn source(override_dir: &Path, name: &str, embedded: &str) -> Result<String> {
    let path = override_dir.join(name);
    if path.is_file() {
        let data_dir = override_dir.parent().unwrap_or(override_dir);
        crate::outputs::check_input(data_dir, &path, &format!("templates/{name}"))?;
        std::fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))
    } else {
        Ok(embedded.to_string())
    }
}

fn template_error(name: &str, e: tera::Error) -> Error {
    Error::Template { name: name.to_string(), source: Box::new(e) }
}

/// The most teams the navigation bar lists by name. Beyond it a single
/// "Teams" link leads to the overview's table: 500 team links on each of
/// 10,000 pages would be 400 MB of navigation.
pub const NAV_TEAMS: usize = 12;

/// What every page knows about the site it belongs to.
#[derive(Serialize)]
struct SiteInfo<'a> {
    org: &'a str,
    quarter: String,
    start: String,
    end: String,
    /// The teams the navigation lists one by one; empty in a large
    /// organisation, where it links to the overview's teams table instead.
    teams: Vec<(String, String)>,
    has_health: bool,
    has_signals: bool,
    has_cohorts: bool,
    /// The people pages exist (manager audience).
    has_people: bool,
    /// The date the pack stands on, when before the quarter's end (SPEC §6).
    as_of: Option<time::AsOfView>,
    /// history.html exists: okrs.csv has earlier quarters.
    has_history: bool,
    /// alignment.html exists: some objective aligns to another (SPEC §8).
    has_alignment: bool,
}

/// Renders one page.
fn page(
    tera: &Tera,
    name: &str,
    root: &str,
    title: &str,
    site: &SiteInfo,
    fill: impl FnOnce(&mut Context),
) -> Result<String> {
    let mut ctx = Context::new();
    ctx.insert("site", site);
    ctx.insert("root", root);
    ctx.insert("page_title", title);
    ctx.insert("page", name);
    fill(&mut ctx);
    tera.render(name, &ctx).map_err(|e| template_error(name, e))
}

/// What the page builders of one build share.
struct Pack<'a> {
    ix: &'a Lookup<'a>,
    summary: &'a Summary,
    teams: Vec<TeamView>,
}

/// A page the site has one of: its file, its title, whether this pack has
/// it, and what its template is given.
struct Single {
    file: &'static str,
    title: &'static str,
    shown: fn(&SiteInfo) -> bool,
    fill: fn(&Pack, &mut Context),
}

/// The single pages, in the order they are rendered. Hook for a new page:
/// a template in `TEMPLATES`, a line here, and a part in `print::PARTS`.
const SINGLES: &[Single] = &[
    Single { file: "index.html", title: "Overview", shown: always, fill: fill_index },
    Single { file: "teams.html", title: "Teams", shown: always, fill: fill_teams },
    Single { file: "findings.html", title: "Findings", shown: always, fill: fill_findings },
    Single { file: "alignment.html", title: "Alignment", shown: has_alignment, fill: fill_alignment },
    Single { file: "signals.html", title: "Engineering signals", shown: has_signals, fill: fill_signals },
    Single { file: "hygiene.html", title: "OKR hygiene", shown: always, fill: fill_hygiene },
    Single { file: "cohorts.html", title: "Cohorts", shown: has_cohorts, fill: fill_cohorts },
    Single { file: "health.html", title: "Team health", shown: has_health, fill: fill_health },
    Single { file: "people.html", title: "People", shown: has_people, fill: fill_people },
    Single { file: "dependencies.html", title: "Forecasts and dependencies", shown: always, fill: diagnosis::fill },
    Single { file: "history.html", title: "History", shown: has_history, fill: fill_history },
    Single { file: "next.html", title: "Starting points for next quarter", shown: always, fill: fill_next },
    Single { file: "methodology.html", title: "Methodology", shown: always, fill: fill_methodology },
];

fn always(_: &SiteInfo) -> bool {
    true
}

fn has_signals(site: &SiteInfo) -> bool {
    site.has_signals
}

fn has_cohorts(site: &SiteInfo) -> bool {
    site.has_cohorts
}

fn has_health(site: &SiteInfo) -> bool {
    site.has_health
}

fn has_people(site: &SiteInfo) -> bool {
    site.has_people
}

fn has_history(site: &SiteInfo) -> bool {
    site.has_history
}

fn has_alignment(site: &SiteInfo) -> bool {
    site.has_alignment
}

fn fill_alignment(p: &Pack, ctx: &mut Context) {
    ctx.insert("alignment", &alignment::alignment(p.ix));
}

fn fill_next(p: &Pack, ctx: &mut Context) {
    ctx.insert("next", &next::starting_points(p.ix, usize::MAX));
    ctx.insert("red_weeks", &p.ix.config.thresholds.health_red_weeks);
}

fn fill_history(p: &Pack, ctx: &mut Context) {
    ctx.insert("history", &history::history(p.ix));
    ctx.insert("early_days", &p.ix.config.thresholds.early_warning_days);
    ctx.insert("max_signal_teams", &history::MAX_SIGNAL_TEAMS);
}

fn fill_people(p: &Pack, ctx: &mut Context) {
    ctx.insert("people", &people::people_index(p.ix));
}

fn fill_index(p: &Pack, ctx: &mut Context) {
    let ix = p.ix;
    let (exceptions, total) = overview::exceptions(ix, overview::MAX_INDEX_EXCEPTIONS);
    let all_teams = teams::rows(ix);
    let groups = teams::groups(ix, &all_teams);
    let (teams, cut) = teams::index_rows(all_teams);
    let (group_rows, groups_cut) = teams::index_groups(groups.rows);
    let (tops, tops_total) = alignment::top_objectives(ix, alignment::MAX_INDEX_TOPS);
    ctx.insert("headline", &headline::headline(ix));
    ctx.insert("org", &overview::org_card(ix));
    ctx.insert("tops", &tops);
    ctx.insert("tops_more", &(tops_total - tops.len()));
    ctx.insert("groups", &group_rows);
    ctx.insert("groups_cut", &groups_cut);
    ctx.insert("ungrouped", &groups.ungrouped);
    ctx.insert("exceptions", &exceptions);
    ctx.insert("exceptions_total", &total);
    ctx.insert("miss_causes", &overview::miss_causes(ix));
    ctx.insert("org_signals", &signals::org_signals(ix));
    ctx.insert("min_events", &ix.config.thresholds.drift_min_events);
    ctx.insert("teams", &teams);
    ctx.insert("teams_cut", &cut);
    ctx.insert("previous", &previous(ix));
    ctx.insert("score_previous", &score_previous(ix));
    ctx.insert("next", &next::starting_points(ix, next::MAX_INDEX_ROWS));
}

/// The quarter compared with, for the columns of changes; none without history.
fn previous(ix: &Lookup) -> Option<String> {
    ix.scores.history.last().map(|p| p.quarter.to_string())
}

/// The quarter the teams' scores are compared with: none before the quarter's end.
fn score_previous(ix: &Lookup) -> Option<String> {
    previous(ix).filter(|_| !ix.ds.partial())
}

fn fill_teams(p: &Pack, ctx: &mut Context) {
    let rows = teams::rows(p.ix);
    ctx.insert("groups", &teams::groups(p.ix, &rows));
    ctx.insert("teams", &rows);
    ctx.insert("previous", &score_previous(p.ix));
}

fn fill_findings(p: &Pack, ctx: &mut Context) {
    ctx.insert("groups", &overview::all_findings(p.ix));
}

fn fill_signals(p: &Pack, ctx: &mut Context) {
    ctx.insert("org_signals", &signals::org_signals(p.ix));
    ctx.insert("panels", &signals::as_panels(p.ix));
    ctx.insert("figures", &if signals::as_panels(p.ix) { signals::figures(p.ix) } else { Vec::new() });
    ctx.insert("previous", &previous(p.ix));
    ctx.insert("dora_source", p.ix.config.dora.source);
    // from the summary: the raw events it counts are dropped before pages are rendered
    ctx.insert("coverage", &p.summary.signal_coverage);
}

fn fill_hygiene(p: &Pack, ctx: &mut Context) {
    let (teams, counts) = hygiene::hygiene_view(p.ix);
    ctx.insert("teams", &teams);
    ctx.insert("counts", &counts);
}

fn fill_cohorts(p: &Pack, ctx: &mut Context) {
    ctx.insert("comparisons", &cohorts::comparisons(p.ix));
    ctx.insert("resamples", &crate::score::cohorts::RESAMPLES);
    ctx.insert("min_group", &p.ix.config.privacy.min_group_size);
}

fn fill_health(p: &Pack, ctx: &mut Context) {
    let ix = p.ix;
    let findings = overview::of_kind(ix, crate::finding::FindingKind::HealthRed);
    ctx.insert("chart", &ix.charts.health_org);
    if ix.charts.health_org.is_none() {
        ctx.insert("table", &evidence::health_table(ix));
    }
    let teams = evidence::health_teams(ix);
    // past the teams the navigation names, each team's latest status is folded
    ctx.insert("fold", &(teams.len() > NAV_TEAMS));
    ctx.insert("health_teams", &teams);
    ctx.insert("findings", &findings.map(|f| overview::alert(ix, f)).collect::<Vec<_>>());
    ctx.insert("red_weeks", &ix.config.thresholds.health_red_weeks);
}

fn fill_methodology(p: &Pack, ctx: &mut Context) {
    let ix = p.ix;
    let signals = &ix.scores.signals;
    ctx.insert("config", &methodology::MethodologyConfig::from(ix.config));
    ctx.insert("inputs", &ix.ds.inputs);
    ctx.insert("coverage", &methodology::coverage(p.summary));
    ctx.insert("has_signals", &!signals.quarter.is_empty());
    ctx.insert("signal_defs", &methodology::signal_defs());
    ctx.insert("signals_not_shown", &signals::not_shown(ix));
    ctx.insert("dora", &methodology::dora_rows(&ix.config.dora));
    ctx.insert("dora_source", ix.config.dora.source);
    ctx.insert("signal_coverage", &p.summary.signal_coverage);
    ctx.insert("unknown_people", &signals.unknown_people.len());
    ctx.insert("skipped", &methodology::skipped(ix.ds));
}

impl<'a> SiteInfo<'a> {
    fn new(ix: &'a Lookup) -> SiteInfo<'a> {
        let teams = &ix.scores.teams;
        let nav = teams.iter().map(|t| (t.team.clone(), ix.links.team(&t.team)));
        SiteInfo {
            org: &ix.config.org,
            quarter: ix.ds.quarter.to_string(),
            start: ix.ds.quarter.start().to_string(),
            end: ix.ds.quarter.end().to_string(),
            teams: if teams.len() <= NAV_TEAMS { nav.collect() } else { Vec::new() },
            has_health: !ix.scores.health.rows.is_empty(),
            has_signals: signals::shown(ix).next().is_some(),
            has_cohorts: !ix.scores.cohorts.comparisons.is_empty(),
            has_people: ix.audience == crate::Audience::Manager,
            as_of: time::as_of(ix),
            has_history: !ix.scores.history.is_empty(),
            has_alignment: ix.scores.alignment.exists(),
        }
    }
}

/// Renders every page of the site, returning (relative path, contents):
/// the stylesheet, the single pages, then the people, team and KR pages.
pub fn pages(ix: &Lookup, summary: &Summary, tera: &Tera, css: &str) -> Result<Vec<(String, String)>> {
    let site = SiteInfo::new(ix);
    let pack = Pack { ix, summary, teams: team::teams(ix) };
    let mut out = vec![("style.css".to_string(), css.to_string())];
    for single in SINGLES.iter().filter(|s| (s.shown)(&site)) {
        let html = page(tera, single.file, "", single.title, &site, |ctx| (single.fill)(&pack, ctx))?;
        out.push((single.file.to_string(), html));
    }
    if ix.audience == crate::Audience::Manager {
        let people = people::person_pages(ix);
        out.extend(many(tera, &site, "person.html", &people, |(href, person), ctx| {
            ctx.insert("person", person);
            (href.clone(), person.id.clone())
        })?);
    }
    if site.has_signals && !signals::as_panels(ix) {
        let figures = signals::figures(ix);
        out.extend(many(tera, &site, "signal.html", &figures, |f, ctx| {
            ctx.insert("signal", f);
            ctx.insert("dora_source", ix.config.dora.source);
            (signals::page_of(f.name), f.label.to_string())
        })?);
    }
    out.extend(many(tera, &site, "team.html", &pack.teams, |team, ctx| {
        ctx.insert("team", team);
        (team.href.clone(), team.id.clone())
    })?);
    // KR pages are built and rendered one by one: 4,500 of them at once would hold every chart twice.
    let drift_pct = format!("{:.0}%", ix.config.thresholds.drift * 100.0);
    out.extend(many(tera, &site, "kr.html", &ix.ds.krs, |kr, ctx| {
        let page = krs::kr_page(ix, kr);
        ctx.insert("kr", &page);
        ctx.insert("drift_pct", &drift_pct);
        ctx.insert("drift_points", &crate::format::written(ix.config.thresholds.drift_points));
        (page.row.href, kr.id.clone())
    })?);
    Ok(out)
}

/// Renders a page per item on every core, in input order, so the site does
/// not depend on the number of threads; `fill` puts an item into the page's
/// context and says its (href, title).
fn many<I: Sync>(
    tera: &Tera,
    site: &SiteInfo,
    template: &str,
    items: &[I],
    fill: impl Fn(&I, &mut Context) -> (String, String) + Sync,
) -> Result<Vec<(String, String)>> {
    items
        .par_iter()
        .map(|item| {
            let mut ctx = Context::new();
            let (href, title) = fill(item, &mut ctx);
            let html = page(tera, template, "../", &title, site, |c| c.extend(ctx))?;
            Ok((href, html))
        })
        .collect()
}
