//! The quarter's objectives and key results: metric and milestone, increase
//! and decrease, targets and bands, pairs and guardrails; written to okrs.csv.

use super::align::COMPANY;
use super::catalog::{MetricDef, DERIVED, GUARDRAIL_SIGNALS, INF, METRICS, OBJECTIVES};
use super::org::Org;
use super::out::{day_of, fmt_num, split_even, Csv, Rand};
use super::Preset;
use crate::error::Result;
use std::path::Path;

/// The quarter every generated folder reviews.
pub const QUARTER: &str = "2026-Q3";

/// The quarter before it, in a two-quarter preset.
pub const EARLIER: &str = "2026-Q2";

/// First and last day of the quarter as day numbers.
pub fn quarter_days() -> (i64, i64) {
    (day_of(2026, 7, 1), day_of(2026, 9, 30))
}

/// First and last day of the quarter before it.
pub fn earlier_days() -> (i64, i64) {
    (day_of(2026, 4, 1), day_of(2026, 6, 30))
}

/// Where a key result's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A metrics.csv series.
    Series,
    /// A signal derived from the raw events.
    Derived,
    /// Only what check-ins report (no `metric`).
    Reported,
    Milestone,
}

/// One objective.
#[derive(Clone)]
pub struct Objective {
    pub id: String,
    pub title: String,
    pub committed: bool,
    /// Its team, as an index into [`Org::teams`]; unused for a company objective.
    pub team: usize,
    /// Its title's template, as an index into [`OBJECTIVES`].
    pub template: usize,
    /// The id of the objective it serves (SPEC §8); empty for a company objective.
    pub aligns_to: String,
}

impl Objective {
    /// A company objective: aspirational, aligned to nothing, with no key result.
    pub fn top(id: String, title: &str) -> Objective {
        Objective { id, title: title.to_string(), committed: false, team: 0, template: 0, aligns_to: String::new() }
    }
}

/// One key result and the story the generator gives it.
pub struct Kr {
    pub id: String,
    pub objective: usize,
    pub team: usize,
    pub owner: usize,
    /// The first and last day of its quarter.
    pub window: (i64, i64),
    pub text: String,
    pub source: Source,
    pub metric: Option<&'static str>,
    pub increase: bool,
    pub baseline: f64,
    /// Where a full score lies: the target, or the band's far edge.
    pub goal: f64,
    pub target: Option<f64>,
    pub band: Option<(f64, f64)>,
    pub unit: &'static str,
    pub layer: Option<&'static str>,
    pub decimals: usize,
    pub max: f64,
    pub paired_with: Option<usize>,
    pub guardrails: Vec<&'static str>,
    pub weight: Option<&'static str>,
    pub due: Option<i64>,
    /// Share of the way to the goal reached by the end of the quarter.
    pub achievement: f64,
    /// Confidence stays high however it goes.
    pub surprise: bool,
    /// Check-ins report more progress than the series shows.
    pub optimistic: bool,
}

impl Kr {
    /// A milestone key result with nothing drawn yet but its owner.
    fn milestone(id: String, objective: usize, team: usize, owner: usize) -> Kr {
        Kr {
            id,
            objective,
            team,
            owner,
            window: quarter_days(),
            text: String::new(),
            source: Source::Milestone,
            metric: None,
            increase: true,
            baseline: 0.0,
            goal: 1.0,
            target: None,
            band: None,
            unit: "",
            layer: None,
            decimals: 2,
            max: 1.0,
            paired_with: None,
            guardrails: Vec::new(),
            weight: None,
            due: None,
            achievement: 0.0,
            surprise: false,
            optimistic: false,
        }
    }
}

/// A series of metrics.csv that only guards (no key result is measured by it).
pub struct Guard {
    pub team: usize,
    pub def: usize,
    pub drifts: bool,
}

/// The quarter's OKRs.
pub struct Plan {
    /// `YYYY-Qn`.
    pub quarter: &'static str,
    /// The company objectives, each on a row of its own with no key result.
    pub tops: Vec<Objective>,
    /// The team objectives.
    pub objectives: Vec<Objective>,
    pub krs: Vec<Kr>,
    pub guards: Vec<Guard>,
}

impl Plan {
    /// Draws the objectives and key results of every team.
    pub fn new(org: &Org, p: &Preset, seed: u64) -> Plan {
        let mut rng = Rand::new(seed, 2);
        let mut plan =
            Plan { quarter: QUARTER, tops: Vec::new(), objectives: Vec::new(), krs: Vec::new(), guards: Vec::new() };
        let per_team = split_even(p.objectives, p.teams);
        let per_objective = split_even(p.key_results, p.objectives);
        let mut next_objective = 0;
        for (t, n_obj) in per_team.into_iter().enumerate() {
            let mut team = TeamDraw::new(&mut rng, t);
            for o in 0..n_obj {
                let template = (t + o * 3) % OBJECTIVES.len();
                plan.objectives.push(Objective {
                    id: format!("{}-O{}", org.teams[t].code, o + 1),
                    title: OBJECTIVES[template].replace("{}", &org.teams[t].name),
                    committed: rng.chance(0.25),
                    team: t,
                    template,
                    aligns_to: String::new(),
                });
                let first = plan.krs.len();
                for _ in 0..per_objective[next_objective] {
                    let kr = team.key_result(&mut rng, org, &plan, next_objective);
                    plan.krs.push(kr);
                }
                pair(&mut rng, &mut plan.krs[first..], first);
                next_objective += 1;
            }
            team.guardrails(&mut rng, &mut plan);
        }
        super::align::align(&mut plan, org, seed);
        plan
    }

    /// The quarter before this plan's (SPEC §6, history): the same objectives,
    /// aligned the same way, and key results under the same ids, so each is
    /// continued, with their own achievement from a stream of their own. A metric key result ends
    /// where this quarter's baseline stands: its baseline is one spread
    /// further back and its target set so the baseline here is `achievement`
    /// of the way; a band-only key result becomes one with a target.
    pub fn earlier(&self, seed: u64) -> Plan {
        let mut rng = Rand::new(seed, 12);
        let krs = self.krs.iter().map(|k| earlier_kr(&mut rng, k)).collect();
        let (tops, objectives) = (self.tops.clone(), self.objectives.clone());
        Plan { quarter: EARLIER, tops, objectives, krs, guards: Vec::new() }
    }

    /// The cells of an objective of `team`, from quarter to aligns_to.
    fn objective_cells(&self, csv: &mut Csv, team: &str, o: &Objective) {
        csv.raw(self.quarter).raw(team).raw(&o.id).text(&o.title);
        csv.raw(if o.committed { "committed" } else { "aspirational" }).raw(&o.aligns_to);
    }

    /// Writes the company objectives, each on a row with no key result (SPEC §8).
    fn write_tops(&self, csv: &mut Csv) -> Result<()> {
        for o in &self.tops {
            self.objective_cells(csv, COMPANY, o);
            for _ in OBJECTIVE_COLUMNS..OKR_COLUMNS.len() {
                csv.empty();
            }
            csv.end()?;
        }
        Ok(())
    }

    /// Writes this plan's rows of okrs.csv: the company objectives, then the key results.
    fn write_rows(&self, org: &Org, csv: &mut Csv) -> Result<()> {
        self.write_tops(csv)?;
        for kr in &self.krs {
            let o = &self.objectives[kr.objective];
            let num = |x: Option<f64>| x.map(|x| fmt_num(x, kr.decimals)).unwrap_or_default();
            let metric = kr.source != Source::Milestone;
            self.objective_cells(csv, &org.teams[kr.team].name, o);
            csv.raw(&kr.id).text(&kr.text);
            csv.raw(&org.people[kr.owner].id).raw(if metric { "metric" } else { "milestone" });
            csv.raw(match (metric, kr.increase) {
                (false, _) => "",
                (true, true) => "increase",
                (true, false) => "decrease",
            });
            csv.raw(&if metric { num(Some(kr.baseline)) } else { String::new() }).raw(&num(kr.target));
            csv.raw(&num(kr.band.map(|b| b.0))).raw(&num(kr.band.map(|b| b.1))).raw(kr.unit);
            csv.raw(kr.metric.unwrap_or("")).raw(kr.layer.unwrap_or(""));
            csv.raw(kr.paired_with.map_or("", |i| self.krs[i].id.as_str())).raw(&kr.guardrails.join("|"));
            csv.raw(kr.weight.unwrap_or(""));
            match kr.due {
                Some(d) => csv.date(d),
                None => csv.empty(),
            };
            csv.end()?;
        }
        Ok(())
    }
}

/// Writes okrs.csv: the rows of each plan, oldest quarter first.
pub fn write_okrs(plans: &[&Plan], org: &Org, dir: &Path) -> Result<(String, u64)> {
    let mut csv = Csv::create(dir, "okrs.csv", &OKR_COLUMNS)?;
    for plan in plans {
        plan.write_rows(org, &mut csv)?;
    }
    csv.finish()
}

/// A key result of the quarter before: see [`Plan::earlier`].
fn earlier_kr(rng: &mut Rand, k: &Kr) -> Kr {
    let achievement = rng.range(0.45, 1.15);
    let mut kr = Kr::milestone(k.id.clone(), k.objective, k.team, k.owner);
    (kr.window, kr.achievement, kr.text, kr.layer) = (earlier_days(), achievement.min(1.0), k.text.clone(), k.layer);
    (kr.paired_with, kr.weight) = (k.paired_with, k.weight);
    if k.source == Source::Milestone {
        return kr;
    }
    let spread = k.goal - k.baseline;
    let step = 10f64.powi(-(k.decimals as i32));
    let baseline = round_to((k.baseline - spread).clamp(0.0, k.max), k.decimals);
    let mut goal = round_to((baseline + (k.baseline - baseline) / achievement).clamp(0.0, k.max), k.decimals);
    if (goal - baseline).abs() < step / 2.0 {
        goal = round_to(if k.increase { baseline + step } else { (baseline - step).max(0.0) }, k.decimals);
    }
    (kr.source, kr.metric, kr.increase, kr.unit, kr.decimals, kr.max) =
        (k.source, k.metric, k.increase, k.unit, k.decimals, k.max);
    (kr.baseline, kr.goal, kr.target, kr.achievement) = (baseline, goal, Some(goal), achievement);
    let v = |x: f64| with_unit(&fmt_num(x, k.decimals), k.unit);
    kr.text = format!(
        "{} {} from {} to {}",
        verb(k.increase),
        k.metric.unwrap_or("the number it tracks"),
        v(baseline),
        v(goal)
    );
    kr
}

/// The columns of an objective, the first of [`OKR_COLUMNS`]; the rest are a key result's.
const OBJECTIVE_COLUMNS: usize = 6;

const OKR_COLUMNS: [&str; 22] = [
    "quarter",
    "team",
    "objective_id",
    "objective",
    "objective_kind",
    "aligns_to",
    "kr_id",
    "key_result",
    "owner",
    "kind",
    "direction",
    "baseline",
    "target",
    "band_low",
    "band_high",
    "unit",
    "metric",
    "layer",
    "paired_with",
    "guardrail",
    "weight",
    "due",
];

/// One team's draws: which metrics it still has, and its story.
struct TeamDraw {
    team: usize,
    metrics: Vec<usize>,
    derived: Vec<usize>,
    /// 0 normal, 1 targets too safe, 2 overreach.
    mood: u8,
    numbered: usize,
}

impl TeamDraw {
    fn new(rng: &mut Rand, team: usize) -> TeamDraw {
        let mut metrics: Vec<usize> = (0..METRICS.len()).collect();
        let mut derived: Vec<usize> = (0..DERIVED.len()).collect();
        shuffle(rng, &mut metrics);
        shuffle(rng, &mut derived);
        let mood = rng.weighted(&[(0u8, 0.9), (1, 0.05), (2, 0.05)]);
        TeamDraw { team, metrics, derived, mood, numbered: 0 }
    }

    fn achievement(&self, rng: &mut Rand, committed: bool) -> f64 {
        match self.mood {
            1 if !committed => rng.range(1.0, 1.2),
            2 if !committed => rng.range(0.0, 0.45),
            _ => match rng.weighted(&[(0, if committed { 0.45 } else { 0.3 }), (1, 0.4), (2, 0.3)]) {
                0 => rng.range(0.9, 1.15),
                1 => rng.range(0.45, 0.9),
                _ => rng.range(0.0, 0.45),
            },
        }
    }

    /// The team's next key result of `objective`: a measured kind when one is
    /// drawn and left to use, otherwise a milestone.
    fn key_result(&mut self, rng: &mut Rand, org: &Org, plan: &Plan, objective: usize) -> Kr {
        self.numbered += 1;
        let committed = plan.objectives[objective].committed;
        let achievement = self.achievement(rng, committed);
        let members = org.teams[self.team].members.clone();
        let owner = members.start + rng.below(members.len());
        let id = format!("{}-KR{}", org.teams[self.team].code, self.numbered);
        let mut kr = Kr::milestone(id, objective, self.team, owner);
        kr.weight = rng.weighted(&[(None, 0.85), (Some("2"), 0.1), (Some("0.5"), 0.05)]);
        kr.due = rng
            .weighted(&[(None, 0.45), (Some(0), 0.4), (Some(1), 0.05), (Some(2), 0.05), (Some(3), 0.05)])
            .map(|i| [day_of(2026, 9, 30), day_of(2026, 8, 14), day_of(2026, 8, 31), day_of(2026, 9, 15)][i]);
        kr.achievement = achievement;
        kr.surprise = achievement < 0.4 && rng.chance(0.25);
        let wanted = rng.weighted(&[(0u8, 0.40), (1, 0.08), (2, 0.06), (3, 0.14), (4, 0.10), (5, 0.22)]);
        match wanted {
            0..=2 if !self.metrics.is_empty() => self.series_kr(rng, &mut kr, wanted),
            3 if !self.derived.is_empty() => self.derived_kr(rng, org, &mut kr),
            4 if !self.metrics.is_empty() => self.reported_kr(rng, &mut kr),
            _ => milestone_kr(rng, &mut kr),
        }
        kr
    }

    /// Measured by a series of metrics.csv: 0 target, 1 band only, 2 target and band.
    fn series_kr(&mut self, rng: &mut Rand, kr: &mut Kr, shape: u8) {
        let d = &METRICS[self.metrics.pop().unwrap_or(0)];
        set_metric(rng, kr, d);
        kr.source = Source::Series;
        kr.metric = Some(d.name);
        kr.optimistic = rng.chance(0.08);
        let label = d.label.to_lowercase();
        let v = |x: f64| with_unit(&fmt_num(x, d.decimals), d.unit);
        if shape > 0 {
            let near = round_to(kr.goal + (kr.baseline - kr.goal) * 0.35, d.decimals);
            let band = if d.increase { (near, kr.goal) } else { (kr.goal, near) };
            kr.band = Some(band);
            let range = with_unit(&format!("{}–{}", fmt_num(band.0, d.decimals), fmt_num(band.1, d.decimals)), d.unit);
            kr.text = if shape == 1 {
                kr.target = None;
                format!("Bring {label} into a healthy band of {range}, from {}", v(kr.baseline))
            } else {
                format!(
                    "{} {label} from {} to {} and keep it within {range}",
                    verb(kr.increase),
                    v(kr.baseline),
                    v(kr.goal)
                )
            };
        }
    }

    fn derived_kr(&mut self, rng: &mut Rand, org: &Org, kr: &mut Kr) {
        let (name, words, unit, increase) = DERIVED[self.derived.pop().unwrap_or(0)];
        let team = &org.teams[self.team];
        let engineers = org.engineers(self.team).count().max(1) as f64;
        let (base, decimals) = match name {
            "cycle_time_days" => (team.cycle_days * 0.9 * (1.0 - team.improve * 0.6), 1),
            "review_time_hours" => (team.cycle_days * 24.0 * 0.3, 1),
            "pr_throughput" => (engineers * 2.2, 0),
            "deploy_frequency" => (team.deploy_weight * 3.0 + 0.5, 1),
            "change_failure_rate" => (team.fail_rate, 2),
            "mttr_hours" => (rng.range(5.0, 12.0), 1),
            "lead_time_hours" => (team.cycle_days * 12.0 + 12.0, 1),
            "ai_code_share" => (rng.range(0.2, 0.35), 2),
            _ => (team.rework, 2),
        };
        let change = rng.range(0.15, 0.4);
        let max = if unit.is_empty() { 1.0 } else { INF };
        set_values(kr, increase, base, change, decimals, max);
        kr.source = Source::Derived;
        kr.metric = Some(name);
        kr.unit = unit;
        kr.layer = Some("workflow");
        let v = |x: f64| with_unit(&fmt_num(x, decimals), unit);
        kr.text = format!("{} the {words} from {} to {}", verb(increase), v(kr.baseline), v(kr.goal));
    }

    /// A metric key result with no `metric`: only check-ins say how it went.
    fn reported_kr(&mut self, rng: &mut Rand, kr: &mut Kr) {
        let d = &METRICS[self.metrics.pop().unwrap_or(0)];
        set_metric(rng, kr, d);
        kr.source = Source::Reported;
    }

    /// Guardrails on some measured key results: a derived signal or one of the team's own series.
    fn guardrails(&mut self, rng: &mut Rand, plan: &mut Plan) {
        let team = self.team;
        let measured: Vec<usize> = (0..plan.krs.len())
            .rev()
            .take_while(|&i| plan.krs[i].team == team)
            .filter(|&i| matches!(plan.krs[i].source, Source::Series | Source::Derived))
            .collect();
        for i in measured.into_iter().rev() {
            if !rng.chance(0.2) {
                continue;
            }
            let own = self.own_guard(rng, plan);
            let kr = &mut plan.krs[i];
            kr.guardrails.extend(own);
            if kr.guardrails.is_empty() || rng.chance(0.3) {
                let g = *rng.pick(GUARDRAIL_SIGNALS);
                if kr.metric != Some(g) {
                    kr.guardrails.push(g);
                }
            }
        }
    }

    /// Now and then one of the team's unused series, as a guard that may drift.
    fn own_guard(&mut self, rng: &mut Rand, plan: &mut Plan) -> Option<&'static str> {
        match self.metrics.pop() {
            Some(m) if rng.chance(0.6) => {
                plan.guards.push(Guard { team: self.team, def: m, drifts: rng.chance(0.3) });
                Some(METRICS[m].name)
            }
            Some(m) => {
                self.metrics.push(m);
                None
            }
            None => None,
        }
    }
}

/// Baseline, goal and text from a metrics.csv definition (a target, no band).
fn set_metric(rng: &mut Rand, kr: &mut Kr, d: &MetricDef) {
    let base = rng.range(d.base.0, d.base.1);
    set_values(kr, d.increase, base, rng.range(d.change.0, d.change.1), d.decimals, d.max);
    kr.unit = d.unit;
    kr.layer = Some(d.layer);
    let v = |x: f64| with_unit(&fmt_num(x, d.decimals), d.unit);
    kr.text = format!("{} {} from {} to {}", verb(d.increase), d.label.to_lowercase(), v(kr.baseline), v(kr.goal));
}

/// Rounds the baseline and target, keeping them apart and the target on the good side.
fn set_values(kr: &mut Kr, increase: bool, base: f64, change: f64, decimals: usize, max: f64) {
    let step = 10f64.powi(-(decimals as i32));
    let baseline = round_to(base.min(max - step), decimals);
    let raw = if increase { base * (1.0 + change) } else { base * (1.0 - change) };
    let mut goal = round_to(raw.clamp(0.0, max), decimals);
    if increase && goal <= baseline {
        goal = round_to(baseline + step, decimals);
    }
    if !increase && goal >= baseline {
        goal = round_to((baseline - step).max(0.0), decimals);
    }
    kr.increase = increase;
    kr.baseline = baseline;
    kr.goal = goal;
    kr.target = Some(goal);
    kr.decimals = decimals;
    kr.max = max;
}

fn milestone_kr(rng: &mut Rand, kr: &mut Kr) {
    const THINGS: &[&str] = &["card traffic", "batch jobs", "internal services", "customer workspaces", "tenants"];
    const ONTO: &[&str] = &["the new gateway", "Kubernetes", "the event bus", "the v2 API", "the paved-road pipeline"];
    const FEATURES: &[&str] =
        &["offline mode", "passkeys", "usage-based billing", "audit logs", "the new onboarding flow"];
    kr.source = Source::Milestone;
    kr.achievement = kr.achievement.clamp(0.0, 1.0);
    kr.layer = rng.weighted(&[(Some("workflow"), 0.6), (Some("outcome"), 0.2), (None, 0.2)]);
    kr.text = match rng.below(8) {
        0 => format!("Ship {}", rng.pick(FEATURES)),
        1..=3 => format!("Move {}% of {} onto {}", [80, 90, 100][rng.below(3)], rng.pick(THINGS), rng.pick(ONTO)),
        4 | 5 => format!("Roll out {} to all {} regions", rng.pick(FEATURES), rng.int(3, 6)),
        _ => format!("Retire {} legacy {} after moving them onto {}", rng.int(3, 12), rng.pick(THINGS), rng.pick(ONTO)),
    };
}

/// Pairs a workflow key result with an outcome one inside an objective, both ways.
fn pair(rng: &mut Rand, krs: &mut [Kr], offset: usize) {
    let find = |krs: &[Kr], layers: &[&str]| krs.iter().position(|k| k.layer.is_some_and(|l| layers.contains(&l)));
    if let (Some(w), Some(o)) = (find(krs, &["workflow"]), find(krs, &["outcome", "business"])) {
        if rng.chance(0.6) {
            krs[w].paired_with = Some(offset + o);
            krs[o].paired_with = Some(offset + w);
        }
    }
}

fn verb(increase: bool) -> &'static str {
    if increase {
        "Raise"
    } else {
        "Cut"
    }
}

/// A value with its unit as a person writes it: `61%`, `900 ms`.
pub fn with_unit(v: &str, unit: &str) -> String {
    match unit {
        "" => v.to_string(),
        "%" => format!("{v}%"),
        u => format!("{v} {u}"),
    }
}

/// `x` rounded to `decimals` places.
pub fn round_to(x: f64, decimals: usize) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (x * f).round() / f
}

/// A Fisher–Yates shuffle.
pub fn shuffle<T>(rng: &mut Rand, xs: &mut [T]) {
    for i in (1..xs.len()).rev() {
        let j = rng.below(i + 1);
        xs.swap(i, j);
    }
}
