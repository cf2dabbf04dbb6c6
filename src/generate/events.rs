//! The raw engineering events of the year ending on the quarter's last day:
//! prs.csv, deployments.csv and incidents.csv streamed day by day (a deployment
//! ships its team's PRs merged in the week before it), then ai_usage.csv.

use super::okrs::quarter_days;
use super::org::{Habit, Org, LOCATIONS};
use super::out::{apportion, cet_offset, is_workday, weekday, Csv, Rand, Sampler};
use super::Preset;
use crate::error::Result;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::Path;

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
/// Authors of pull requests who are not in people.csv.
const BOT: u32 = u32::MAX;

/// Writes the four event files and returns their row counts.
pub fn write(org: &Org, p: &Preset, dir: &Path, seed: u64) -> Result<Vec<(String, u64)>> {
    let (_, last) = quarter_days();
    let days: Vec<i64> = (last - 364..=last).collect();
    // the export was taken on the evening of the quarter's last day
    let export = last * DAY + 20 * HOUR;
    let weight = |weekend: f64| -> Vec<f64> {
        days.iter().enumerate().map(|(i, &d)| if is_workday(d) { season(i, d) } else { weekend }).collect()
    };
    let pr_counts = apportion(p.prs, &weight(0.02));
    let deploy_counts = apportion(p.deployments, &weight(0.01));
    let incident_counts = apportion(p.incidents, &weight(0.7));
    let mut prs = Prs::new(org, dir, seed, export)?;
    let mut deploys = Deploys::new(org, dir, seed, export)?;
    let mut incidents = Incidents { rng: Rand::new(seed, 12), rows: Vec::new(), export };
    for (i, &day) in days.iter().enumerate() {
        prs.day(day, pr_counts[i], (i as f64) / 365.0)?;
        let failed = deploys.day(day, deploy_counts[i], &mut prs.pending)?;
        incidents.day(org, &deploys.teams, day, incident_counts[i], &failed);
    }
    Ok(vec![prs.csv.finish()?, deploys.csv.finish()?, incidents.write(org, dir)?, ai_usage(org, p, dir, seed)?])
}

/// A working day's weight: a slow rise over the year, quiet holidays and August.
fn season(i: usize, day: i64) -> f64 {
    let (_, m, d) = super::out::civil(day);
    let dip = match (m, d) {
        (12, 22..) | (1, ..=2) => 0.35,
        (8, _) => 0.8,
        _ => 1.0,
    };
    (0.9 + 0.2 * i as f64 / 365.0) * dip
}

/// A time on `day` inside the working hours of location `loc`.
fn work_time(rng: &mut Rand, day: i64, loc: usize) -> i64 {
    let (_, lo, hi) = LOCATIONS[loc];
    // busier late morning and early afternoon
    let x = (rng.unit() + rng.unit()) / 2.0;
    at(rng, day, lo + (hi - lo) * x)
}

fn at(rng: &mut Rand, day: i64, hour: f64) -> i64 {
    day * DAY + (hour * HOUR as f64) as i64 + rng.int(0, 59)
}

/// Most merges and reviews happen in working hours: move most that don't.
fn nudge(rng: &mut Rand, t: i64, loc: usize, p_weekend: f64, p_night: f64) -> i64 {
    let (_, lo, hi) = LOCATIONS[loc];
    let day = t.div_euclid(DAY);
    let h = t.rem_euclid(DAY) as f64 / HOUR as f64;
    if !is_workday(day) {
        if rng.chance(p_weekend) {
            let h = lo + 3.0 * rng.unit();
            return at(rng, day + 7 - weekday(day), h);
        }
        return t;
    }
    if (h < lo || h > hi) && rng.chance(p_night) {
        let mut next = if h < lo { day } else { day + 1 };
        while !is_workday(next) {
            next += 1;
        }
        let h = lo + 3.0 * rng.unit();
        return at(rng, next, h);
    }
    t
}

/// One pull request before its id is known.
struct Pr {
    opened: i64,
    review: Option<i64>,
    merged: Option<i64>,
    team: u32,
    author: u32,
    adds: u64,
    dels: u64,
    ai: bool,
    rework: bool,
}

struct Prs<'a> {
    org: &'a Org,
    csv: Csv,
    rng: Rand,
    authors: Sampler,
    next_id: u64,
    export: i64,
    /// Per team: merged and not yet deployed, (merged_at, PR number), earliest first.
    pending: Vec<BinaryHeap<Reverse<(i64, u64)>>>,
    today: Vec<Pr>,
}

impl<'a> Prs<'a> {
    fn new(org: &'a Org, dir: &Path, seed: u64, export: i64) -> Result<Prs<'a>> {
        let header = [
            "pr_id",
            "team",
            "author",
            "opened_at",
            "first_review_at",
            "merged_at",
            "additions",
            "deletions",
            "ai_assisted",
            "rework",
        ];
        Ok(Prs {
            org,
            csv: Csv::create(dir, "prs.csv", &header)?,
            rng: Rand::new(seed, 10),
            authors: Sampler::new(org.people.iter().map(|p| p.pr_rate)),
            next_id: 1,
            export,
            pending: vec![BinaryHeap::new(); org.teams.len()],
            today: Vec::new(),
        })
    }

    /// Opens `n` pull requests on `day`, `year` of the way through the window.
    fn day(&mut self, day: i64, n: u64, year: f64) -> Result<()> {
        self.today.clear();
        for _ in 0..n {
            let pr = self.draw(day, year);
            self.today.push(pr);
        }
        self.today.sort_by_key(|p| (p.opened, p.author));
        for pr in &self.today {
            let id = self.next_id;
            self.next_id += 1;
            let author = match self.org.people.get(pr.author as usize) {
                Some(p) => p.id.as_str(),
                None => "dependabot[bot]",
            };
            let csv = &mut self.csv;
            csv.id("PR-", id).raw(&self.org.teams[pr.team as usize].name).raw(author).time(pr.opened, 0);
            csv.opt_time(pr.review, 0).opt_time(pr.merged, 0).int(pr.adds).int(pr.dels).bool(pr.ai).bool(pr.rework);
            csv.end()?;
            if let Some(m) = pr.merged {
                self.pending[pr.team as usize].push(Reverse((m, id)));
            }
        }
        Ok(())
    }

    /// Draws one pull request opened on `day`, `year` of the way through the window.
    fn draw(&mut self, day: i64, year: f64) -> Pr {
        let (author, team, loc, habit) = self.pick_author();
        let rng = &mut self.rng;
        let t = &self.org.teams[team];
        let weekend_hour = 8.0 + 10.0 * rng.unit();
        let opened = if is_workday(day) { work_time(rng, day, loc) } else { at(rng, day, weekend_hour) };
        let opened = opened.min(self.export - rng.int(60, 3 * HOUR));
        let (pace, ai_share) = habit_traits(habit);
        let median = t.cycle_days * pace * (1.0 - t.improve * year);
        let days = rng.lognormal(median, 0.75).clamp(0.03, 12.0);
        let merged = nudge(rng, opened + (days * DAY as f64) as i64, loc, 0.85, 0.35);
        let abandoned = rng.chance(0.045);
        let review = first_review(rng, opened, merged, loc, abandoned);
        let merged = (!abandoned).then_some(merged).filter(|&m| m <= self.export);
        let (adds, dels) = pr_size(rng, author == BOT);
        Pr {
            opened,
            review: review.filter(|&r| r <= self.export),
            merged,
            team: team as u32,
            author,
            adds: adds as u64,
            dels: dels as u64,
            ai: rng.chance(ai_share),
            rework: merged.is_some() && rng.chance(t.rework),
        }
    }

    /// The author of the next pull request, a bot now and then: (author, team, location, habit).
    fn pick_author(&mut self) -> (u32, usize, usize, Option<Habit>) {
        let rng = &mut self.rng;
        if rng.chance(0.02) {
            return (BOT, rng.below(self.org.teams.len()), 0, None);
        }
        let a = self.authors.draw(rng);
        let p = &self.org.people[a];
        (a as u32, p.team, p.location, Some(p.habit))
    }
}

/// How an author's AI habit shapes their pull requests: a factor on the
/// team's cycle time and the chance a PR is AI-assisted (bots: fast, never).
fn habit_traits(habit: Option<Habit>) -> (f64, f64) {
    match habit {
        Some(Habit::Super) => (0.7, 0.62),
        Some(Habit::Regular) => (0.88, 0.30),
        Some(Habit::Passive) => (1.0, 0.07),
        None => (0.3, 0.0),
    }
}

/// The first review of a PR opened at `opened` and merged (or abandoned) at
/// `merged`: between the two when merged, now and then none.
fn first_review(rng: &mut Rand, opened: i64, merged: i64, loc: usize, abandoned: bool) -> Option<i64> {
    if abandoned {
        let wait = (6.0 * HOUR as f64 * rng.lognormal(1.0, 1.0)) as i64;
        return rng.chance(0.85).then(|| nudge(rng, opened + wait, loc, 0.85, 0.6));
    }
    if rng.chance(0.012) {
        return None;
    }
    let delay = (((merged - opened) as f64 * (0.08 + 0.45 * rng.unit())) as i64).max(360);
    let r = nudge(rng, opened + delay, loc, 0.7, 0.5);
    let r = if opened < r && r < merged { r } else { opened + delay };
    Some(if r >= merged { opened + (merged - opened) / 2 } else { r })
}

/// Lines added and deleted: bots make small changes.
fn pr_size(rng: &mut Rand, bot: bool) -> (f64, f64) {
    if bot {
        (rng.lognormal(12.0, 0.8).max(1.0), rng.lognormal(8.0, 0.8).max(1.0))
    } else {
        (rng.lognormal(85.0, 1.1).max(1.0), (rng.lognormal(30.0, 1.2) - 1.0).max(0.0))
    }
}

/// A failed deployment incidents can be traced to: (time, team, service, id).
type Failed = (i64, usize, usize, u64);

struct Deploys<'a> {
    org: &'a Org,
    csv: Csv,
    rng: Rand,
    teams: Sampler,
    next_id: u64,
    export: i64,
    today: Vec<(i64, usize, usize, bool)>,
}

impl<'a> Deploys<'a> {
    fn new(org: &'a Org, dir: &Path, seed: u64, export: i64) -> Result<Deploys<'a>> {
        let header = ["deploy_id", "team", "service", "deployed_at", "failed", "pr_ids"];
        Ok(Deploys {
            org,
            csv: Csv::create(dir, "deployments.csv", &header)?,
            rng: Rand::new(seed, 11),
            teams: Sampler::new(org.teams.iter().map(|t| t.deploy_weight)),
            next_id: 1,
            export,
            today: Vec::new(),
        })
    }

    /// `n` deployments on `day`, each shipping PRs merged in the 7 days before it.
    fn day(&mut self, day: i64, n: u64, pending: &mut [BinaryHeap<Reverse<(i64, u64)>>]) -> Result<Vec<Failed>> {
        self.plan(day, n);
        let rng = &mut self.rng;
        let mut failed = Vec::new();
        let mut shipped = Vec::new();
        for &(time, team, service, fail) in &self.today {
            let id = self.next_id;
            self.next_id += 1;
            ship(rng, &mut pending[team], time, &mut shipped);
            let csv = &mut self.csv;
            csv.id("DEP-", id).raw(&self.org.teams[team].name).raw(&self.org.teams[team].services[service]);
            csv.time(time, cet_offset(time)).bool(fail);
            csv.raw(&pr_list(rng, &shipped)).end()?;
            if fail {
                failed.push((time, team, service, id));
            }
        }
        Ok(failed)
    }

    /// Draws the `n` deployments of `day` into `today`: (time, team, service, failed), in time order.
    fn plan(&mut self, day: i64, n: u64) {
        let rng = &mut self.rng;
        self.today.clear();
        for _ in 0..n {
            let team = self.teams.draw(rng);
            let t = &self.org.teams[team];
            let hour = match (is_workday(day), rng.chance(0.04)) {
                (true, false) => 7.0 + 9.5 * rng.unit(),
                (true, true) => 17.0 + 3.0 * rng.unit(),
                (false, _) => 9.0 + 8.0 * rng.unit(),
            };
            let time = at(rng, day, hour).min(self.export - rng.int(60, HOUR));
            let service = if rng.chance(0.6) { 0 } else { rng.below(t.services.len()) };
            self.today.push((time, team, service, rng.chance(t.fail_rate)));
        }
        self.today.sort_unstable();
    }
}

/// The pr_ids cell: the shipped PRs, now and then with an id the PR export lacks.
fn pr_list(rng: &mut Rand, shipped: &[u64]) -> String {
    let mut ids = String::new();
    for (i, pr) in shipped.iter().enumerate() {
        if i > 0 {
            ids.push(' ');
        }
        ids.push_str("PR-");
        ids.push_str(&pr.to_string());
    }
    if rng.chance(0.002) {
        ids.push_str(if ids.is_empty() { "PR-0" } else { " PR-0" });
    }
    ids
}

/// Takes up to a handful of the team's PRs merged in the week before `time`,
/// oldest first; older ones were never deployed and are dropped.
fn ship(rng: &mut Rand, pending: &mut BinaryHeap<Reverse<(i64, u64)>>, time: i64, out: &mut Vec<u64>) {
    out.clear();
    let cap = if rng.chance(0.03) { 0 } else { rng.int(1, 12) as usize };
    let mut back = Vec::new();
    while let Some(&Reverse((merged, id))) = pending.peek() {
        if merged >= time {
            break;
        }
        pending.pop();
        if merged < time - 7 * DAY {
            continue;
        }
        if out.len() < cap {
            out.push(id);
        } else {
            back.push(Reverse((merged, id)));
        }
    }
    pending.extend(back);
}

/// One incident before its id is known.
struct Incident {
    start: i64,
    end: Option<i64>,
    team: usize,
    service: usize,
    severity: &'static str,
    deploy: Option<u64>,
    local: bool,
}

struct Incidents {
    rng: Rand,
    rows: Vec<Incident>,
    export: i64,
}

impl Incidents {
    /// `n` incidents starting on `day`; about half follow one of the day's failed deployments.
    fn day(&mut self, org: &Org, teams: &Sampler, day: i64, n: u64, failed: &[Failed]) {
        let rng = &mut self.rng;
        for _ in 0..n {
            let (start, team, service, deploy) = if !failed.is_empty() && rng.chance(0.45) {
                let &(time, team, service, id) = rng.pick(failed);
                (time + rng.int(4, 110) * 60, team, service, Some(id))
            } else {
                let team = teams.draw(rng);
                let hour = 24.0 * rng.unit();
                (at(rng, day, hour), team, rng.below(org.teams[team].services.len()), None)
            };
            let start = start.min(self.export - rng.int(5, 120) * 60);
            let s = rng.weighted(&[(0usize, 0.15), (1, 0.4), (2, 0.45)]);
            let (severity, median, sigma) = [("sev1", 1.3, 0.55), ("sev2", 4.0, 0.7), ("sev3", 16.0, 0.8)][s];
            let end = start + (rng.lognormal(median, sigma) * HOUR as f64) as i64;
            let end = (end <= self.export).then_some(end);
            self.rows.push(Incident { start, end, team, service, severity, deploy, local: rng.chance(0.5) });
        }
    }

    fn write(mut self, org: &Org, dir: &Path) -> Result<(String, u64)> {
        self.rows.sort_by_key(|i| (i.start, i.team));
        let header = ["incident_id", "team", "service", "severity", "started_at", "resolved_at", "deploy_id"];
        let mut csv = Csv::create(dir, "incidents.csv", &header)?;
        for (n, i) in self.rows.iter().enumerate() {
            let team = &org.teams[i.team];
            // the pager export mixes UTC and local times
            let offset = |t: i64| if i.local { cet_offset(t) } else { 0 };
            csv.id("INC-", n as u64 + 1).raw(&team.name).raw(&team.services[i.service]).raw(i.severity);
            csv.time(i.start, offset(i.start)).opt_time(i.end, i.end.map_or(0, offset));
            match i.deploy {
                Some(d) => csv.id("DEP-", d),
                None => csv.empty(),
            };
            csv.end()?;
        }
        csv.finish()
    }
}

/// Writes ai_usage.csv: one row per person and working day, back from the quarter's end.
fn ai_usage(org: &Org, p: &Preset, dir: &Path, seed: u64) -> Result<(String, u64)> {
    let mut rng = Rand::new(seed, 13);
    let people = org.people.len().max(1) as u64;
    let n_days = p.ai_usage_rows.div_ceil(people);
    let days = last_workdays(n_days as usize);
    let plans = usage_plans(org, &mut rng);
    let header = ["date", "person", "suggestions_shown", "suggestions_accepted", "lines_accepted", "active"];
    let mut csv = Csv::create(dir, "ai_usage.csv", &header)?;
    // the first day holds only as many people as the row count leaves
    let first_day = p.ai_usage_rows - (n_days.saturating_sub(1)) * people;
    for (i, &day) in days.iter().enumerate() {
        let take = if i == 0 { first_day as usize } else { org.people.len() };
        for (person, &plan) in org.people.iter().zip(&plans).take(take) {
            csv.date(day).raw(&person.id);
            write_usage(&mut csv, &mut rng, plan);
            csv.end()?;
        }
    }
    csv.finish()
}

/// The last `n` working days up to the quarter's end, earliest first.
fn last_workdays(n: usize) -> Vec<i64> {
    let (_, last) = quarter_days();
    let mut days: Vec<i64> = (0..).map(|i| last - i).filter(|&d| is_workday(d)).take(n).collect();
    days.reverse();
    days
}

/// Per person by habit: (chance of an active day, acceptance rate, median suggestions shown).
fn usage_plans(org: &Org, rng: &mut Rand) -> Vec<(f64, f64, f64)> {
    org.people
        .iter()
        .map(|person| match person.habit {
            Habit::Super => (0.93, rng.range(0.37, 0.45), 110.0),
            Habit::Regular => (rng.range(0.3, 0.75), rng.range(0.2, 0.34), 60.0),
            Habit::Passive => (0.08, rng.range(0.14, 0.28), 30.0),
        })
        .collect()
}

/// One person's figures for a day: suggestions shown, accepted, lines accepted, active.
fn write_usage(csv: &mut Csv, rng: &mut Rand, (p_active, acceptance, shown_mean): (f64, f64, f64)) {
    if rng.chance(p_active) {
        let shown = rng.lognormal(shown_mean, 0.45).max(4.0).round();
        let sd = (shown * acceptance * (1.0 - acceptance)).sqrt();
        let accepted = (shown * acceptance + sd * rng.gauss()).round().clamp(0.0, shown);
        let lines = (accepted * rng.range(1.5, 4.0)).round();
        csv.int(shown as u64).int(accepted as u64).int(lines as u64).bool(true);
    } else {
        csv.int(0).int(0).int(0).bool(false);
    }
}
