//! `[teams.TEAM]` of quarterdeck.toml (SPEC §7, §8): a team's display name,
//! the other names check-ins call it by and the group it belongs to, and how
//! names are found in a text.

use super::Problem;
use serde::Deserialize;
use std::collections::BTreeMap;

/// What `[teams.TEAM]` says of a team (SPEC §7): the name pages show, and
/// the other names check-ins call it by.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TeamMeta {
    /// The display name; the team id when absent.
    pub name: Option<String>,
    /// Other names a blocker or decision may call the team by ("SRE", "infra").
    pub aliases: Vec<String>,
    /// The group (department) the team belongs to (SPEC §8); pages roll teams up by it.
    pub group: Option<String>,
}

impl TeamMeta {
    /// The names of the team besides its id, each with its key: `name`, then the aliases.
    pub fn names(&self) -> impl Iterator<Item = (&'static str, &str)> {
        let name = self.name.as_deref().map(|n| ("name", n));
        name.into_iter().chain(self.aliases.iter().map(|a| ("aliases", a.as_str())))
    }

    /// The group, trimmed, when it has one.
    pub fn group(&self) -> Option<&str> {
        self.group.as_deref().map(str::trim).filter(|g| !g.is_empty())
    }

    fn check(&self, team: &str) -> Result<(), Problem> {
        if self.group.is_some() && self.group().is_none_or(|g| name_words(g).is_empty()) {
            let found = self.group.as_deref().unwrap_or_default();
            return Err(Problem::at(
                &["teams", team, "group"],
                format!("[teams.{team}] group needs a letter or a digit, found {found:?}"),
            ));
        }
        match self.names().find(|(_, n)| name_words(n).is_empty()) {
            Some((key, n)) => Err(Problem::at(
                &["teams", team, key],
                format!("[teams.{team}] {key} needs a letter or a digit to be found in a text, found {n:?}"),
            )),
            None => Ok(()),
        }
    }
}

/// The words of a text as team names are matched: runs of letters and
/// digits, lower-cased. "Data-Platform" and "data platform" are both
/// `["data", "platform"]`.
pub fn name_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Fails when one name (an id, a display name or an alias, compared by its
/// words) is given to two teams: a blocker naming it could not be told apart.
fn check_team_names(teams: &BTreeMap<String, TeamMeta>) -> Result<(), Problem> {
    let mut owner: BTreeMap<Vec<String>, &str> = teams.keys().map(|t| (name_words(t), t.as_str())).collect();
    for (team, meta) in teams {
        for (key, name) in meta.names() {
            let first = *owner.entry(name_words(name)).or_insert(team);
            if first != team {
                return Err(Problem::at(
                    &["teams", team, key],
                    format!("[teams.{team}] {key} {name:?} also names team {first}: give each team its own names"),
                ));
            }
        }
    }
    Ok(())
}

/// Checks every `[teams.TEAM]` table on its own and against the others.
pub(super) fn check(teams: &BTreeMap<String, TeamMeta>) -> Result<(), Problem> {
    teams.iter().try_for_each(|(team, t)| t.check(team))?;
    check_team_names(teams)
}
