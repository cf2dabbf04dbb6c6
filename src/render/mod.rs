//! Pages from view models through Tera: only this module touches Tera.
//! Templates are embedded; a same-named file in `DATA_DIR/templates/` wins.

pub mod cohorts;
pub mod evidence;
pub mod people;
pub mod print;
pub mod signals;
pub mod view;
pub mod write;

use crate::error::{Error, Result};
use crate::summary::Summary;
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;
use tera::{Context, Tera};
use view::Views;

/// The embedded templates and assets, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("team.html", include_str!("../../templates/team.html")),
    ("kr.html", include_str!("../../templates/kr.html")),
    ("methodology.html", include_str!("../../templates/methodology.html")),
    ("health.html", include_str!("../../templates/health.html")),
    ("signals.html", include_str!("../../templates/signals.html")),
    ("cohorts.html", include_str!("../../templates/cohorts.html")),
    ("person.html", include_str!("../../templates/person.html")),
    ("hygiene.html", include_str!("../../templates/hygiene.html")),
    ("partials/kr_table.html", include_str!("../../templates/partials/kr_table.html")),
    ("partials/initiatives.html", include_str!("../../templates/partials/initiatives.html")),
    ("partials/head.html", include_str!("../../templates/partials/head.html")),
    ("style.css", include_str!("../../templates/style.css")),
    ("print.html", include_str!("../../templates/print.html")),
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
    tera.add_raw_templates(sources).map_err(|e| template_error("(loading)", &e))?;
    tera.autoescape_on(vec![".html"]);
    Ok(tera)
}

/// An embedded file, or its override when `DATA_DIR/templates/NAME` exists.
pub fn source(override_dir: &Path, name: &str, embedded: &str) -> Result<String> {
    let path = override_dir.join(name);
    if path.is_file() {
        std::fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))
    } else {
        Ok(embedded.to_string())
    }
}

fn template_error(name: &str, e: &tera::Error) -> Error {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Error::Template { name: name.to_string(), message }
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
    tera.render(name, &ctx).map_err(|e| template_error(name, &e))
}

/// Renders every page of the site, returning (relative path, contents).
pub fn pages(views: &Views, summary: &Summary, tera: &Tera, css: &str) -> Result<Vec<(String, String)>> {
    let ds = views.ds;
    let site = SiteInfo {
        org: &views.config.org,
        quarter: ds.quarter.to_string(),
        start: ds.quarter.start().to_string(),
        end: ds.quarter.end().to_string(),
        teams: if views.scores.teams.len() <= NAV_TEAMS {
            views
                .scores
                .teams
                .iter()
                .map(|t| (t.team.clone(), views.links.teams.get(&t.team).cloned().unwrap_or_default()))
                .collect()
        } else {
            Vec::new()
        },
        has_health: views.charts.health_org.is_some(),
        has_signals: !views.scores.signals.quarter.is_empty(),
        has_cohorts: !views.scores.cohorts.comparisons.is_empty(),
    };
    let teams = views.teams();
    let mut out = Vec::new();
    out.push(("style.css".to_string(), css.to_string()));
    out.push((
        "index.html".to_string(),
        page(tera, "index.html", "", "Overview", &site, |ctx| {
            ctx.insert("summary", summary);
            ctx.insert("teams", &teams);
            let alerts = views.alerts();
            ctx.insert("attention", &alerts.iter().map(|g| g.items.len()).sum::<usize>());
            ctx.insert("alerts", &alerts);
            ctx.insert("quarter_note", &ds.notes.quarter.as_deref().map(crate::notes::to_html));
            ctx.insert("org_score", &summary.org.score.map(view::score_text));
            ctx.insert("grade_counts", &grade_counts(summary));
            ctx.insert("story", &views.story());
            ctx.insert("org_signals", &views.org_signals());
            ctx.insert("stale_days", &views.config.thresholds.stale_days);
        })?,
    ));
    if site.has_signals {
        out.push((
            "signals.html".to_string(),
            page(tera, "signals.html", "", "Engineering signals", &site, |ctx| {
                ctx.insert("org_signals", &views.org_signals());
                ctx.insert("signal_teams", &views.signal_teams());
                ctx.insert("dora_source", views.config.dora.source);
                ctx.insert("coverage", &crate::summary::SignalCoverage::from(&views.scores.signals));
            })?,
        ));
    }
    if views.audience == crate::Audience::Manager {
        let people = views.person_pages();
        out.extend(
            people
                .par_iter()
                .map(|(href, person)| {
                    let html = page(tera, "person.html", "../", &person.id, &site, |ctx| ctx.insert("person", person))?;
                    Ok((href.clone(), html))
                })
                .collect::<Result<Vec<_>>>()?,
        );
    }
    out.push((
        "hygiene.html".to_string(),
        page(tera, "hygiene.html", "", "OKR hygiene", &site, |ctx| {
            let (teams, counts) = hygiene_view(views);
            ctx.insert("teams", &teams);
            ctx.insert("counts", &counts);
        })?,
    ));
    if site.has_cohorts {
        out.push((
            "cohorts.html".to_string(),
            page(tera, "cohorts.html", "", "Cohorts", &site, |ctx| {
                ctx.insert("comparisons", &views.comparisons());
                ctx.insert("resamples", &crate::score::cohorts::RESAMPLES);
                ctx.insert("min_group", &views.config.privacy.min_group_size);
            })?,
        ));
    }
    if let Some(chart) = &views.charts.health_org {
        let findings: Vec<view::Alert> =
            views.scores.findings.iter().filter(|f| f.kind == "health_red").map(|f| views.alert(f)).collect();
        out.push((
            "health.html".to_string(),
            page(tera, "health.html", "", "Team health", &site, |ctx| {
                ctx.insert("chart", chart);
                ctx.insert("health_teams", &views.health_teams());
                ctx.insert("findings", &findings);
                ctx.insert("red_weeks", &views.config.thresholds.health_red_weeks);
            })?,
        ));
    }
    // The many pages, on every core; collected in input order, so the site
    // does not depend on the number of threads.
    out.extend(
        teams
            .par_iter()
            .map(|team| {
                let html = page(tera, "team.html", "../", &team.id, &site, |ctx| ctx.insert("team", team))?;
                Ok((team.href.clone(), html))
            })
            .collect::<Result<Vec<_>>>()?,
    );
    let drift_pct = format!("{:.0}%", views.config.thresholds.drift * 100.0);
    out.extend(
        ds.krs
            .par_iter()
            .map(|kr| {
                let kp = views.kr_page(kr);
                let html = page(tera, "kr.html", "../", &kr.id, &site, |ctx| {
                    ctx.insert("kr", &kp);
                    ctx.insert("drift_pct", &drift_pct);
                })?;
                Ok((kp.row.href.clone(), html))
            })
            .collect::<Result<Vec<_>>>()?,
    );
    out.push((
        "methodology.html".to_string(),
        page(tera, "methodology.html", "", "Methodology", &site, |ctx| {
            ctx.insert("config", &MethodologyConfig::from(views.config));
            ctx.insert("inputs", &ds.inputs);
            ctx.insert("coverage", &coverage(summary));
            ctx.insert("has_signals", &site.has_signals);
            ctx.insert("signal_defs", &signal_defs());
            ctx.insert("dora", &dora_rows(&views.config.dora));
            ctx.insert("dora_source", views.config.dora.source);
            ctx.insert("signal_coverage", &crate::summary::SignalCoverage::from(&views.scores.signals));
            ctx.insert("unknown_people", &views.scores.signals.unknown_people.len());
        })?,
    ));
    Ok(out)
}

#[derive(Serialize)]
struct SignalDefView {
    name: &'static str,
    label: &'static str,
    definition: &'static str,
    weakness: &'static str,
    direction: &'static str,
}

fn signal_defs() -> Vec<SignalDefView> {
    crate::score::signals::SIGNALS
        .iter()
        .map(|s| SignalDefView {
            name: s.name,
            label: s.label,
            definition: s.definition,
            weakness: s.weakness,
            direction: match s.direction {
                Some(crate::model::Direction::Increase) => "higher",
                Some(crate::model::Direction::Decrease) => "lower",
                None => "neither",
            },
        })
        .collect()
}

/// The DORA cut points as table rows: key, elite, high, medium, low.
fn dora_rows(d: &crate::config::Dora) -> Vec<[String; 5]> {
    let n = |x: f64| crate::chart::num(x);
    let pct = |x: f64| format!("{}%", crate::chart::num(x * 100.0));
    let [de, dh, dm] = d.deploy_frequency;
    let [le, lh, lm] = d.lead_time_hours;
    let [me, mh, mm] = d.mttr_hours;
    let [ce, ch, cm] = d.change_failure_rate;
    vec![
        [
            "Deployments per week".into(),
            format!("≥ {}", n(de)),
            format!("≥ {}", n(dh)),
            format!("≥ {}", n(dm)),
            format!("< {}", n(dm)),
        ],
        [
            "Lead time for changes (hours)".into(),
            format!("< {}", n(le)),
            format!("< {}", n(lh)),
            format!("< {}", n(lm)),
            format!("≥ {}", n(lm)),
        ],
        [
            "Time to restore (hours)".into(),
            format!("< {}", n(me)),
            format!("< {}", n(mh)),
            format!("< {}", n(mm)),
            format!("≥ {}", n(mm)),
        ],
        [
            "Change failure rate".into(),
            format!("≤ {}", pct(ce)),
            format!("≤ {}", pct(ch)),
            format!("≤ {}", pct(cm)),
            format!("> {}", pct(cm)),
        ],
    ]
}

/// The OKR lint's findings of one team, for hygiene.html.
#[derive(Serialize)]
struct HygieneTeam {
    team: String,
    href: String,
    findings: Vec<HygieneRow>,
}

#[derive(Serialize)]
struct HygieneRow {
    severity: &'static str,
    kind: String,
    subject: String,
    href: String,
    message: String,
}

/// The lint's findings by team, errors first; and the (errors, warnings, info) counts.
fn hygiene_view(views: &Views) -> (Vec<HygieneTeam>, (usize, usize, usize)) {
    const KINDS: &[&str] = &[
        "task_not_outcome",
        "missing_baseline",
        "missing_target",
        "objective_is_number",
        "too_many_objectives",
        "kr_count",
        "no_metric",
        "no_pair",
        "target_equals_baseline",
    ];
    let mut by_team: std::collections::BTreeMap<String, Vec<HygieneRow>> = std::collections::BTreeMap::new();
    let mut counts = (0, 0, 0);
    for f in views.scores.findings.iter().filter(|f| KINDS.contains(&f.kind)) {
        match f.severity {
            "error" => counts.0 += 1,
            "warning" => counts.1 += 1,
            _ => counts.2 += 1,
        }
        let a = views.alert(f);
        by_team.entry(f.team.clone().unwrap_or_default()).or_default().push(HygieneRow {
            severity: f.severity,
            kind: f.kind.replace('_', " "),
            subject: f.kr_id.clone().unwrap_or_default(),
            href: if f.kr_id.is_some() { a.href } else { String::new() },
            message: f.message.clone(),
        });
    }
    let rank = |s: &str| view::SEVERITY_ORDER.iter().position(|x| *x == s).unwrap_or(9);
    let teams = by_team
        .into_iter()
        .map(|(team, mut findings)| {
            findings.sort_by_key(|r| rank(r.severity));
            HygieneTeam { href: views.links.teams.get(&team).cloned().unwrap_or_default(), team, findings }
        })
        .collect();
    (teams, counts)
}

fn grade_counts(summary: &Summary) -> view::GradeCounts {
    let mut g = view::GradeCounts::default();
    for k in &summary.krs {
        match k.grade {
            "green" => g.green += 1,
            "amber" => g.amber += 1,
            _ => g.red += 1,
        }
    }
    g
}

#[derive(Serialize)]
struct Coverage {
    krs: usize,
    measured: usize,
    reported_only: usize,
    unmeasured: usize,
    milestones: usize,
}

fn coverage(summary: &Summary) -> Coverage {
    let krs = &summary.krs;
    Coverage {
        krs: krs.len(),
        measured: krs.iter().filter(|k| k.value_measured.is_some()).count(),
        reported_only: krs.iter().filter(|k| k.value_measured.is_none() && k.value_reported.is_some()).count(),
        unmeasured: krs.iter().filter(|k| k.value.is_none()).count(),
        milestones: krs.iter().filter(|k| k.kind == crate::model::KrKind::Milestone).count(),
    }
}

#[derive(Serialize)]
struct MethodologyConfig {
    red_below: f64,
    green_from: f64,
    stale_days: i64,
    risk_confidence: f64,
    surprise_confidence: f64,
    early_warning_days: i64,
    reported_gap: f64,
    drift_pct: f64,
    health_red_weeks: usize,
    impact_noise_pct: f64,
    window_days: i32,
}

impl From<&crate::config::Config> for MethodologyConfig {
    fn from(c: &crate::config::Config) -> Self {
        let t = c.thresholds;
        MethodologyConfig {
            red_below: c.grades.red_below,
            green_from: c.grades.green_from,
            stale_days: t.stale_days,
            risk_confidence: t.risk_confidence,
            surprise_confidence: t.surprise_confidence,
            early_warning_days: t.early_warning_days,
            reported_gap: t.reported_gap,
            drift_pct: t.drift * 100.0,
            health_red_weeks: t.health_red_weeks,
            impact_noise_pct: t.impact_noise * 100.0,
            window_days: crate::score::initiatives::WINDOW_DAYS,
        }
    }
}
