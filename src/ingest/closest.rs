//! The header an export most likely means by a column it lacks: the names
//! exports give our columns (`created_at` for `opened_at`), then string
//! distance for typos (`ownr` for `owner`). Only ever a suggestion in a message.

use super::table::fold;

/// Per column of ours, the names exports commonly give it, best first.
const KNOWN: &[(&str, &[&str])] = &[
    // a URL is unique across repositories, a number is not
    ("pr_id", &["url", "html_url", "web_url", "number", "pr_number", "iid", "id", "key", "issue key"]),
    ("team", &["repository", "repo", "repository_name", "project", "squad", "group", "team_name", "department"]),
    ("author", &["user.login", "user", "login", "author.login", "username", "creator", "assignee"]),
    ("opened_at", &["created_at", "createdAt", "created_date", "created_on", "created", "opened", "started_at"]),
    ("merged_at", &["mergedAt", "merged_date", "merged", "closed_at", "resolved", "completed_at"]),
    ("first_review_at", &["first_review", "reviewed_at", "first_comment_at"]),
    ("deploy_id", &["deployment_id", "id", "run_id", "number", "url"]),
    ("deployed_at", &["finished_date", "finished_at", "completed_at", "deployed", "created_at", "timestamp"]),
    ("incident_id", &["id", "incident_number", "number", "key", "url"]),
    ("started_at", &["created_date", "created_at", "created_on", "created", "triggered_at", "opened_at", "start"]),
    ("resolved_at", &["resolution_date", "resolved_on", "resolved", "closed_at", "ended_at", "finished_date"]),
    ("person", &["user_login", "login", "user", "username", "email", "author"]),
    ("date", &["day", "timestamp", "created", "week"]),
    ("kr_id", &["key result id", "kr", "key_result_id", "id"]),
    ("key_result", &["key result", "kr title", "title", "name"]),
    ("objective_id", &["objective id", "goal id"]),
    ("objective", &["objective title", "goal", "title"]),
    ("owner", &["owner email", "owner_email", "assignee", "lead", "email"]),
    ("quarter", &["period", "time period", "cycle", "timeframe"]),
    ("value", &["current value", "current", "actual", "count"]),
    ("metric", &["name", "metric_name", "kpi"]),
];

/// How alike two folded names must be (Jaro–Winkler) to be offered as a typo.
const ALIKE: f64 = 0.88;

/// The header of `candidates` that most likely means column `wanted`
/// (ours, or any of a preset's names for it): a name exports commonly
/// give it, else the most alike header, if alike enough.
pub fn header_for<'h>(wanted: &[&str], candidates: &[&'h str]) -> Option<&'h str> {
    let known = wanted.iter().filter_map(|w| KNOWN.iter().find(|(ours, _)| ours == w)).flat_map(|(_, names)| *names);
    for name in known {
        if let Some(h) = candidates.iter().find(|h| fold(h) == fold(name)) {
            return Some(h);
        }
    }
    let score = |h: &str| wanted.iter().map(|w| strsim::jaro_winkler(&fold(w), &fold(h))).fold(0.0, f64::max);
    let best = candidates.iter().map(|h| (score(h), *h)).filter(|(s, _)| *s >= ALIKE);
    best.max_by(|a, b| a.0.total_cmp(&b.0)).map(|(_, h)| h)
}

/// `; closest: opened_at ← created_at?, team ← repository?` for the missing
/// columns that some header of `candidates` likely means, or "" for none.
/// `missing` pairs how the message names a column with the names it goes by.
pub fn suggestions(missing: &[(&str, &[&str])], candidates: &[&str]) -> String {
    let found: Vec<String> = missing
        .iter()
        .filter_map(|(label, names)| header_for(names, candidates).map(|h| format!("{label} ← {h}?")))
        .collect();
    if found.is_empty() {
        String::new()
    } else {
        format!("; closest: {}", found.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header of jenkins-contribution-stats' submissions-*.csv.
    const JENKINS: [&str; 10] =
        ["org", "repository", "number", "url", "state", "created_at", "merged_at", "user.login", "month_year", "title"];

    #[test]
    fn names_exports_give_our_columns_come_first() {
        assert_eq!(header_for(&["opened_at"], &JENKINS), Some("created_at"));
        assert_eq!(header_for(&["pr_id"], &JENKINS), Some("url"), "a URL is unique across repositories");
        assert_eq!(header_for(&["team"], &JENKINS), Some("repository"));
        assert_eq!(header_for(&["author"], &JENKINS), Some("user.login"));
        let s = suggestions(&[("pr_id", &["pr_id"]), ("opened_at", &["opened_at"])], &JENKINS);
        assert_eq!(s, "; closest: pr_id ← url?, opened_at ← created_at?");
    }

    #[test]
    fn typos_are_offered_and_strangers_are_not() {
        assert_eq!(header_for(&["owner"], &["Ownr", "Team"]), Some("Ownr"));
        assert_eq!(header_for(&["Key Result", "Key Result Title"], &["Key Reslt", "Owner"]), Some("Key Reslt"));
        assert_eq!(header_for(&["baseline"], &["team", "owner", "unit"]), None);
        assert_eq!(suggestions(&[("baseline", &["baseline"])], &["team"]), "");
    }
}
