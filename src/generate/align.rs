//! The alignment tree and the groups of SPEC §8: a few company objectives
//! that no key result measures, every team objective aligned to one of them
//! or, now and then, to an objective of another team of its group that
//! serves the same one; and each team's group, for quarterdeck.toml.
//!
//! The tree is at most three levels deep (company, team, team) and never
//! has two levels inside one team, so the lint stays quiet on it.

use super::okrs::{Objective, Plan};
use super::org::Org;
use super::out::Rand;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The team id that owns the company objectives: it has no key result, so no score and no group.
pub const COMPANY: &str = "company";

/// Up to this many teams, an organisation has the smaller shape: two
/// divisions and three company objectives; past it (every area staffed more
/// than once) eleven departments and six company objectives.
const SMALL_ORG: usize = 25;

/// The company objectives, broadest first: a small organisation has the first three.
const COMPANY_OBJECTIVES: [&str; 6] = [
    "Be the name customers rely on",
    "Grow where we already win",
    "Build faster, and spend less doing it",
    "Earn and keep our customers' trust",
    "Decide with data, every day",
    "Make the product a joy to start with",
];

/// The company objective each team objective template (by index into
/// `catalog::OBJECTIVES`) serves: reliability, speed, experience, data,
/// revenue, toil, security, onboarding, cost, insights.
const THEME: [usize; 10] = [0, 2, 5, 4, 1, 2, 3, 5, 2, 4];

/// Where each company objective's theme falls among the first three when the organisation has fewer.
const BROAD: [usize; 6] = [0, 1, 2, 0, 1, 0];

/// Share of team objectives aligned to another team's objective when their group has one to serve.
const TO_A_TEAM: f64 = 0.2;

/// The departments: name, division, and the areas of the teams in it.
const DEPARTMENTS: [(&str, &str, &[&str]); 11] = [
    ("Money Movement", PRODUCT, &["payments", "billing", "ledger"]),
    ("Commerce", PRODUCT, &["checkout", "catalog", "pricing"]),
    ("Growth and Onboarding", PRODUCT, &["growth", "onboarding"]),
    ("Apps", PRODUCT, &["mobile", "web"]),
    ("Discovery", PRODUCT, &["search", "media"]),
    ("Communications", PRODUCT, &["messaging", "notifications"]),
    ("Customer Care", PRODUCT, &["support"]),
    ("Data and Insights", PLATFORM, &["data", "analytics", "reporting"]),
    ("Trust and Safety", PLATFORM, &["identity", "security", "fraud"]),
    ("Infrastructure", PLATFORM, &["platform", "infra"]),
    ("Developer Experience", PLATFORM, &["api", "sync"]),
];

const PRODUCT: &str = "Product Engineering";
const PLATFORM: &str = "Platform Engineering";

/// The group of a team of `area` in an organisation of `teams` teams: its
/// division in a small organisation, else its department.
pub fn group_of(area: &str, teams: usize) -> Option<&'static str> {
    let (department, division, _) = DEPARTMENTS.iter().find(|d| d.2.contains(&area))?;
    Some(if teams <= SMALL_ORG { division } else { department })
}

/// The company objective (by index into [`COMPANY_OBJECTIVES`]) a team
/// objective of `template` serves in an organisation of `teams` teams.
fn company_of(template: usize, teams: usize) -> usize {
    let theme = THEME[template % THEME.len()];
    let count = if teams <= SMALL_ORG { 3 } else { COMPANY_OBJECTIVES.len() };
    if theme < count {
        theme
    } else {
        BROAD[theme]
    }
}

/// Draws the plan's company objectives and the parent of each of its team
/// objectives. A company objective no team objective serves is left out.
pub fn align(plan: &mut Plan, org: &Org, seed: u64) {
    let served: Vec<usize> = plan.objectives.iter().map(|o| company_of(o.template, org.teams.len())).collect();
    let used: BTreeSet<usize> = served.iter().copied().collect();
    let top_at: BTreeMap<usize, usize> = used.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    plan.tops = used
        .iter()
        .enumerate()
        .map(|(i, &c)| Objective::top(format!("{}-O{}", COMPANY.to_uppercase(), i + 1), COMPANY_OBJECTIVES[c]))
        .collect();
    let parents = draw_parents(plan, org, &served, seed);
    for (i, parent) in parents.into_iter().enumerate() {
        let id = match parent {
            Some(j) => plan.objectives[j].id.clone(),
            None => plan.tops[top_at.get(&served[i]).copied().unwrap_or(0)].id.clone(),
        };
        plan.objectives[i].aligns_to = id;
    }
}

/// Each team objective's parent among the team objectives, or none when it
/// aligns to its company objective: now and then an objective of an earlier
/// team of its group that serves the same company objective directly.
fn draw_parents(plan: &Plan, org: &Org, served: &[usize], seed: u64) -> Vec<Option<usize>> {
    let mut rng = Rand::new(seed, 15);
    // (group, company objective) → team objectives aligned to it directly, of teams already drawn
    let mut heads: BTreeMap<(&str, usize), Vec<usize>> = BTreeMap::new();
    let mut pending: Vec<usize> = Vec::new();
    let mut parents = Vec::with_capacity(plan.objectives.len());
    for (i, o) in plan.objectives.iter().enumerate() {
        let group = org.teams[o.team].group.unwrap_or("");
        if pending.first().is_some_and(|&p| plan.objectives[p].team != o.team) {
            for p in pending.drain(..) {
                heads.entry((org.teams[plan.objectives[p].team].group.unwrap_or(""), served[p])).or_default().push(p);
            }
        }
        let candidates = heads.get(&(group, served[i])).filter(|h| !h.is_empty() && rng.chance(TO_A_TEAM));
        let parent = candidates.map(|h| h[rng.below(h.len())]);
        if parent.is_none() {
            pending.push(i);
        }
        parents.push(parent);
    }
    parents
}

/// The `[teams.TEAM]` tables of quarterdeck.toml: each team's group.
pub fn teams_toml(org: &Org) -> String {
    let mut s = String::new();
    for team in &org.teams {
        if let Some(group) = team.group {
            let _ = write!(s, "\n[teams.{}]\ngroup = \"{group}\"\n", team.name);
        }
    }
    s
}
