//! The synthetic organisation: teams with their delivery habits, and people
//! with a role, a location, a tenure and an AI-assistant habit.

use super::out::{split_even, Csv, Rand};
use super::Preset;
use crate::error::Result;
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

const AREAS: &[&str] = &[
    "payments",
    "platform",
    "mobile",
    "growth",
    "data",
    "search",
    "identity",
    "billing",
    "checkout",
    "catalog",
    "messaging",
    "notifications",
    "analytics",
    "security",
    "infra",
    "web",
    "api",
    "ledger",
    "fraud",
    "onboarding",
    "pricing",
    "support",
    "reporting",
    "sync",
    "media",
];

const FLAVOURS: &[&str] = &[
    "", "core", "edge", "apps", "tools", "insights", "ops", "services", "portal", "labs", "flow", "store", "gateway",
    "engine", "hub", "cloud", "desk", "feeds", "partners", "mesh",
];

const FIRST: &[&str] = &[
    "ana", "ben", "chloe", "diego", "emil", "farah", "gabriel", "hana", "ivan", "julia", "kofi", "lena", "marco",
    "priya", "maya", "nikhil", "olivia", "pedro", "aiko", "lucas", "sara", "theo", "quinn", "rafael", "sofia", "tomas",
    "amelia", "daniel", "elena", "noah", "uma", "victor", "wendy", "xavier", "bruno", "clara", "jonas", "mei", "yusuf",
    "ines", "omar", "zoe", "kenji", "leila", "mateo", "nadia", "oscar", "paula", "ravi", "selin", "tariq", "vera",
    "wei", "yara", "adam", "bea", "carlos", "dana", "erik", "fatima",
];

const LAST: &[&str] = &[
    "silva",
    "okafor",
    "martin",
    "ramos",
    "larsen",
    "haddad",
    "nunes",
    "kim",
    "petrov",
    "becker",
    "mensah",
    "fischer",
    "bianchi",
    "shah",
    "cohen",
    "rao",
    "grant",
    "alves",
    "tanaka",
    "ferreira",
    "jensen",
    "laurent",
    "adeyemi",
    "costa",
    "lindqvist",
    "novak",
    "wright",
    "kowalski",
    "popescu",
    "schmidt",
    "patel",
    "huang",
    "zhao",
    "dubois",
    "santos",
    "meyer",
    "weber",
    "lin",
    "demir",
    "moreira",
    "nowak",
    "rossi",
    "garcia",
    "muller",
    "ito",
    "khan",
    "ali",
    "singh",
    "berg",
    "horvat",
    "kaya",
    "ivanova",
    "murphy",
    "oconnor",
    "sato",
    "tran",
    "nguyen",
    "park",
    "mendes",
    "lopez",
];

/// Locations and their working hours in UTC.
pub const LOCATIONS: &[(&str, f64, f64)] = &[
    ("Berlin", 7.0, 16.5),
    ("Lisbon", 7.5, 17.0),
    ("Remote-EU", 7.0, 16.5),
    ("Remote-APAC", 0.5, 9.5),
    ("Remote-Americas", 13.5, 22.5),
];

/// How a person uses the coding assistant; drives ai_usage.csv and PR habits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Habit {
    Super,
    Regular,
    Passive,
}

/// One team.
pub struct Team {
    pub name: String,
    /// Upper-case id prefix of its objectives and key results.
    pub code: String,
    /// Its group (department) of quarterdeck.toml.
    pub group: Option<&'static str>,
    /// Median days from opening a pull request to merging it.
    pub cycle_days: f64,
    /// Share by which cycle time falls over the year.
    pub improve: f64,
    pub rework: f64,
    /// Relative share of the organisation's deployments.
    pub deploy_weight: f64,
    pub fail_rate: f64,
    pub services: Vec<String>,
    /// Its people, as indices into [`Org::people`].
    pub members: Range<usize>,
}

/// One person of people.csv.
pub struct Person {
    pub id: String,
    pub team: usize,
    pub role: &'static str,
    /// Index into [`LOCATIONS`].
    pub location: usize,
    pub tenure: &'static str,
    pub habit: Habit,
    /// Relative rate of opening pull requests (0 for product managers).
    pub pr_rate: f64,
}

/// Teams and people.
pub struct Org {
    pub teams: Vec<Team>,
    pub people: Vec<Person>,
}

impl Org {
    /// Draws the organisation of a preset.
    pub fn new(p: &Preset, seed: u64) -> Org {
        let mut rng = Rand::new(seed, 1);
        let mut names = HashSet::new();
        let mut teams = Vec::with_capacity(p.teams);
        let mut people = Vec::with_capacity(p.people);
        for (t, size) in split_even(p.people, p.teams).into_iter().enumerate() {
            let name = team_name(t);
            let start = people.len();
            for i in 0..size {
                people.push(person(&mut rng, &mut names, t, i, size));
            }
            let services =
                ["api", "worker", "web", "jobs"][..2 + rng.below(3)].iter().map(|s| format!("{name}-{s}")).collect();
            teams.push(Team {
                code: name.to_uppercase(),
                group: super::align::group_of(AREAS[t % AREAS.len()], p.teams),
                name,
                cycle_days: rng.lognormal(1.6, 0.35).clamp(0.6, 4.5),
                improve: if rng.chance(0.3) { rng.range(0.2, 0.6) } else { 0.0 },
                rework: rng.range(0.06, 0.22),
                deploy_weight: rng.lognormal(1.0, 0.6),
                fail_rate: rng.range(0.04, 0.22),
                services,
                members: start..people.len(),
            });
        }
        Org { teams, people }
    }

    /// Writes people.csv: person, team, role and two cohort dimensions.
    pub fn write_people(&self, dir: &Path) -> Result<u64> {
        let mut csv = Csv::create(dir, "people.csv", &["person", "team", "role", "location", "tenure"])?;
        for p in &self.people {
            csv.raw(&p.id).raw(&self.teams[p.team].name).raw(p.role).raw(LOCATIONS[p.location].0).raw(p.tenure);
            csv.end()?;
        }
        Ok(csv.finish()?.1)
    }

    /// The team's people who write code.
    pub fn engineers(&self, team: usize) -> impl Iterator<Item = usize> + '_ {
        self.teams[team].members.clone().filter(|&i| self.people[i].pr_rate > 0.0)
    }
}

/// Team `i`'s name: an area, then a flavour once the areas run out, then a number.
fn team_name(i: usize) -> String {
    let area = AREAS[i % AREAS.len()];
    let round = i / AREAS.len();
    let flavour = FLAVOURS[round % FLAVOURS.len()];
    let mut name = if flavour.is_empty() { area.to_string() } else { format!("{area}-{flavour}") };
    if round >= FLAVOURS.len() {
        name.push_str(&format!("-{}", round / FLAVOURS.len() + 1));
    }
    name
}

/// Person number `i` of a team of `size`: a unique id, a role, and habits drawn at random.
fn person(rng: &mut Rand, names: &mut HashSet<String>, team: usize, i: usize, size: usize) -> Person {
    let id = unique_id(rng, names);
    let role = match i {
        0 => "engineering manager",
        1 if size >= 6 => "product manager",
        2 if size >= 8 => "staff engineer",
        _ if rng.chance(0.35) => "senior engineer",
        _ => "engineer",
    };
    let pr_rate = match role {
        "product manager" => 0.0,
        "engineering manager" => 0.2,
        _ => rng.range(0.75, 1.25),
    };
    Person {
        id,
        team,
        role,
        location: rng.weighted(&[(0, 0.35), (1, 0.25), (2, 0.18), (3, 0.12), (4, 0.10)]),
        tenure: rng.weighted(&[("<1y", 0.25), ("1-3y", 0.4), ("3y+", 0.35)]),
        habit: rng.weighted(&[(Habit::Super, 0.25), (Habit::Regular, 0.45), (Habit::Passive, 0.30)]),
        pr_rate,
    }
}

/// A `first.last` id not in `names` yet (numbered from 2 on a clash), added to them.
fn unique_id(rng: &mut Rand, names: &mut HashSet<String>) -> String {
    let base = format!("{}.{}", rng.pick(FIRST), rng.pick(LAST));
    let mut id = base.clone();
    let mut n = 2;
    while !names.insert(id.clone()) {
        id = format!("{base}{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_names_are_unique() {
        let names: HashSet<String> = (0..1200).map(team_name).collect();
        assert_eq!(names.len(), 1200);
        assert_eq!(team_name(0), "payments");
        assert_eq!(team_name(25), "payments-core");
    }
}
