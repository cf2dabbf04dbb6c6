//! GitHub Copilot's per-user usage report (the `users-1-day` and
//! `users-28-day` reports of the Copilot usage metrics API, or the
//! dashboard's NDJSON download): one record per user and day → ai_usage rows.
//! Suggestions shown and accepted are the inline code completions', as in
//! GitHub's own "code completion acceptance rate"; the organisation-level
//! reports and the seats list are named as such, with the report to use.

use super::github::{count, json_text, not_json, show};
use super::stage::{error_at, Origin, Stage};
use super::{describe_origin, Import};
use crate::error::{Error, Result};
use crate::model::AiUsage;
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The activity counts of a record: any above zero makes the day active.
const COUNTS: [&str; 3] =
    ["user_initiated_interaction_count", "code_generation_activity_count", "code_acceptance_activity_count"];

/// The feature whose counts are suggestions shown and accepted: inline code
/// completions. Chat and agent "generations" are edits a person asked for,
/// not suggestions offered; GitHub's code completion acceptance rate counts
/// completions only, and so does `ai_acceptance_rate`.
const COMPLETIONS: &str = "code_completion";

/// Per ai_usage column, the report's field it comes from (for messages).
const FIELDS: [(&str, &str); 6] = [
    ("date", "day"),
    ("person", "user_login"),
    ("suggestions_shown", "totals_by_feature[code_completion].code_generation_activity_count"),
    ("suggestions_accepted", "totals_by_feature[code_completion].code_acceptance_activity_count"),
    ("lines_accepted", "totals_by_feature[code_completion].loc_added_sum"),
    ("active", "used_*"),
];

/// What to import instead of a Copilot report without per-user days.
const USE_INSTEAD: &str = "ai_usage.csv needs one row per person and day: import the per-user report instead \
     (users-28-day or users-1-day: GET /orgs/ORG/copilot/metrics/reports/users-28-day/latest, \
     saved as organization-users-28-day-report.json)";

/// Whether a JSON document is one kind of report.
type IsReport = fn(&Value) -> bool;

/// Copilot reports with no per-user days: how to tell one, and what it is.
const OTHER_REPORTS: [(IsReport, &str); 3] = [
    (is_org_report, "GitHub Copilot's organisation-level usage report (one record per day for the whole organisation, no user_login)"),
    (is_legacy_metrics, "the older Copilot metrics API's response (GET /orgs/ORG/copilot/metrics: daily totals for the whole organisation, no person)"),
    (is_seats, "the Copilot seats list (GET /orgs/ORG/copilot/billing/seats: who holds a seat and when they were last active, no daily counts)"),
];

/// A day record of the organisation-level report, or such a report.
fn is_org_report(v: &Value) -> bool {
    let day = |r: &Value| r.get("user_login").is_none() && r.get("daily_active_users").is_some();
    day(v) || v.get("day_totals").and_then(Value::as_array).and_then(|d| d.first()).is_some_and(day)
}

/// The legacy `/copilot/metrics` response: an array of days with total_active_users.
fn is_legacy_metrics(v: &Value) -> bool {
    let day = |r: &Value| r.get("total_active_users").is_some() || r.get("copilot_ide_code_completions").is_some();
    day(v) || v.as_array().and_then(|a| a.first()).is_some_and(day)
}

/// The seats list: `{total_seats, seats: [...]}`.
fn is_seats(v: &Value) -> bool {
    v.get("seats").is_some_and(Value::is_array) || v.get("total_seats").is_some()
}

/// What a Copilot report without per-user days is, or `None` for any other document.
pub fn other_report(v: &Value) -> Option<&'static str> {
    OTHER_REPORTS.iter().find(|(is, _)| is(v)).map(|(_, what)| *what)
}

/// The error for a report that holds no per-user days.
fn not_per_user(file: &str, what: &str) -> Error {
    Error::File { file: file.into(), message: format!("is {what}; {USE_INSTEAD}") }
}

/// Stages every user-day record of the report as an ai_usage row.
pub fn stage(import: &Import, bytes: &[u8], stage: &mut Stage) -> Result<()> {
    let records = records(&import.file, bytes)?;
    stage.begin(&import.file, &FIELDS);
    for (origin, r) in records {
        let (origin, cells) = user_day(&import.file, origin, &r)?;
        stage.push(origin, &cells);
    }
    Ok(())
}

/// The ai_usage cells of one user-day record, its origin labelled with who and when.
fn user_day(file: &str, origin: Origin, r: &Value) -> Result<(Origin, [(&'static str, String); 6])> {
    let text = |field: &str| r.get(field).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let (Some(day), Some(login)) = (text("day"), text("user_login")) else {
        if let Some(what) = other_report(r) {
            return Err(not_per_user(file, what));
        }
        let field = if text("day").is_none() { "day" } else { "user_login" };
        let message = format!("expected a user-day record with day and user_login, found {}", show(r.get(field)));
        return Err(error_at(file, &origin, field, message));
    };
    let origin = match origin {
        Origin::Json { path, .. } => Origin::Json { path, label: format!("{login} on {day}") },
        line => line,
    };
    let completions = completions(r);
    let completed = |field: &str| count(completions.and_then(|c| c.get(field)));
    let cells = [
        ("date", day.to_string()),
        ("person", login.to_string()),
        ("suggestions_shown", completed("code_generation_activity_count")),
        ("suggestions_accepted", completed("code_acceptance_activity_count")),
        ("lines_accepted", completed("loc_added_sum")),
        ("active", is_active(r).to_string()),
    ];
    Ok((origin, cells))
}

/// The inline code completions' entry of a record's `totals_by_feature`;
/// `None` when the person used no completions that day.
fn completions(r: &Value) -> Option<&Value> {
    let features = r.get("totals_by_feature")?.as_array()?;
    features.iter().find(|f| f.get("feature").and_then(Value::as_str) == Some(COMPLETIONS))
}

/// Whether a record shows activity: a count above zero or a feature used.
fn is_active(r: &Value) -> bool {
    COUNTS.iter().any(|f| r.get(*f).and_then(Value::as_f64).is_some_and(|n| n > 0.0))
        || r.as_object().is_some_and(|o| o.iter().any(|(k, v)| k.starts_with("used_") && v.as_bool() == Some(true)))
}

/// The user-day records of a report: `{…, "day_totals": [records]}`, an
/// array of records or of such reports, or NDJSON with one per line.
fn records(file: &str, bytes: &[u8]) -> Result<Vec<(Origin, Value)>> {
    let bytes = json_text(file, bytes)?;
    match serde_json::from_slice::<Value>(bytes) {
        Ok(doc) => {
            if let Some(what) = other_report(&doc) {
                return Err(not_per_user(file, what));
            }
            let mut out = Vec::new();
            flatten(file, doc, String::new(), &mut out)?;
            Ok(out)
        }
        // NDJSON: more than one document, one per line
        Err(e) if e.is_syntax() && e.to_string().starts_with("trailing characters") => ndjson(file, bytes),
        Err(e) => Err(not_json(file, &e)),
    }
}

fn ndjson(file: &str, bytes: &[u8]) -> Result<Vec<(Origin, Value)>> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::File { file: file.into(), message: "is not UTF-8 text; save it as UTF-8".into() })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let doc: Value = serde_json::from_str(line).map_err(|e| Error::Row {
            file: file.into(),
            line: n,
            message: format!("is not valid JSON: {e}"),
        })?;
        if doc.get("day_totals").is_some() {
            flatten(file, doc, format!("line {n} "), &mut out)?;
        } else {
            out.push((Origin::Line(n), doc));
        }
    }
    Ok(out)
}

/// Adds the user-day records of one parsed document to `out`, their paths
/// starting with `prefix`.
fn flatten(file: &str, doc: Value, prefix: String, out: &mut Vec<(Origin, Value)>) -> Result<()> {
    match doc {
        Value::Object(o) if o.contains_key("day_totals") => flatten_report(file, o, &prefix, out),
        Value::Object(o) if o.contains_key("download_links") => Err(Error::File {
            file: file.into(),
            message: "holds the API's download_links, not the report; download the files it links to and import those"
                .into(),
        }),
        Value::Array(items) => flatten_array(file, items, &prefix, out),
        r @ Value::Object(_) => {
            out.push((record_origin(if prefix.is_empty() { "$".into() } else { prefix.trim_end().into() }), r));
            Ok(())
        }
        other => Err(Error::File {
            file: file.into(),
            message: format!(
                "expected a Copilot users usage report (an object with day_totals), found {}",
                show(Some(&other))
            ),
        }),
    }
}

/// Adds the records of a report's day_totals array to `out`.
fn flatten_report(
    file: &str,
    mut report: Map<String, Value>,
    prefix: &str,
    out: &mut Vec<(Origin, Value)>,
) -> Result<()> {
    match report.remove("day_totals") {
        Some(Value::Array(items)) => {
            for (i, r) in items.into_iter().enumerate() {
                out.push((record_origin(format!("{prefix}day_totals[{i}]")), r));
            }
            Ok(())
        }
        other => Err(Error::File {
            file: file.into(),
            message: format!(
                "{prefix}day_totals: expected an array of user-day records, found {}",
                show(other.as_ref())
            ),
        }),
    }
}

/// Adds the items of an array to `out`: records as they are, reports flattened.
fn flatten_array(file: &str, items: Vec<Value>, prefix: &str, out: &mut Vec<(Origin, Value)>) -> Result<()> {
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Value::Object(o) if o.contains_key("day_totals") => {
                flatten(file, Value::Object(o), format!("{prefix}[{i}]."), out)?
            }
            r => out.push((record_origin(format!("{prefix}[{i}]")), r)),
        }
    }
    Ok(())
}

/// The origin of the user-day record at JSON path `path`.
fn record_origin(path: String) -> Origin {
    Origin::Json { path, label: "a user-day record".into() }
}

/// The numbers of one user-day, to compare repeats.
type Day = (f64, f64, f64, bool);

/// The user-days read so far, by person and date: where each was first read, and its numbers.
pub(super) type SeenDays = BTreeMap<(String, NaiveDate), (String, Day)>;

/// Drops a user-day already read from an overlapping report when its numbers
/// agree; a repeat with other numbers is an error naming both places.
pub fn dedupe(
    usage: Vec<AiUsage>,
    stage: &Stage,
    seen: &mut BTreeMap<(String, NaiveDate), (String, Day)>,
) -> Result<Vec<AiUsage>> {
    let mut kept = Vec::new();
    for (i, u) in usage.into_iter().enumerate() {
        let place = stage.origin(i).map_or_else(String::new, |(file, origin)| describe_origin(file, origin));
        let numbers = (u.shown, u.accepted, u.lines, u.active);
        match seen.get(&(u.person.to_string(), u.date)) {
            Some((_, same)) if *same == numbers => continue,
            Some((first, _)) => {
                return Err(Error::Usage(format!(
                    "{place}: {} on {} is also in {first} with other numbers; import reports that do not overlap",
                    u.person, u.date
                )))
            }
            None => {
                seen.insert((u.person.to_string(), u.date), (place, numbers));
                kept.push(u);
            }
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::schema::AI_USAGE;

    fn usage(name: &str, text: &str) -> Result<Vec<AiUsage>> {
        let config =
            Config::parse(&format!("[[imports]]\npreset = \"github-copilot-users-json\"\nfile = \"{name}\"\n"))
                .unwrap();
        let mut st = Stage::new(&AI_USAGE, &config);
        stage(&config.imports[0], text.as_bytes(), &mut st)?;
        let table = st.table()?;
        let rows = crate::ingest::events::ai_usage(&table).map_err(|e| st.remap(e))?;
        dedupe(rows, &st, &mut BTreeMap::new())
    }

    // ana: 10 completions shown, 4 accepted (21 lines), and 6 chat generations
    // of which 5 kept: only the completions count as suggestions.
    const A: &str = r#"{"day": "2026-04-02", "user_login": "ana", "user_initiated_interaction_count": 3,
        "code_generation_activity_count": 16, "code_acceptance_activity_count": 9, "loc_added_sum": 40,
        "totals_by_feature": [
          {"feature": "chat_panel_agent_mode", "code_generation_activity_count": 6, "code_acceptance_activity_count": 5, "loc_added_sum": 19},
          {"feature": "code_completion", "code_generation_activity_count": 10, "code_acceptance_activity_count": 4, "loc_added_sum": 21}]}"#;
    const B: &str = r#"{"day": "2026-04-03", "user_login": "bo", "user_initiated_interaction_count": 0,
        "code_generation_activity_count": 0, "code_acceptance_activity_count": 0, "loc_added_sum": 0, "used_agent": false}"#;

    #[test]
    fn reads_reports_arrays_and_ndjson() {
        let report = format!("{{\"report_start_day\": \"2026-04-01\", \"day_totals\": [{A}, {B}]}}");
        let rows = usage("r.json", &report).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].person.as_str(), rows[0].shown, rows[0].accepted, rows[0].lines), ("ana", 10.0, 4.0, 21.0));
        assert!(rows[0].active);
        assert_eq!((rows[1].shown, rows[1].accepted), (0.0, 0.0), "no totals_by_feature: no completions");
        assert!(!rows[1].active, "a record with no activity and no feature used");
        let ndjson = format!("{}\n\n{}\n", A.replace('\n', " "), B.replace('\n', " "));
        assert_eq!(usage("r.ndjson", &ndjson).unwrap().len(), 2);
        assert_eq!(usage("r.json", &format!("[{A}, {A}]")).unwrap().len(), 1, "an overlapping day read once");
    }

    #[test]
    fn a_chat_only_day_is_active_with_no_suggestions() {
        let chat = A.replace("\"code_completion\"", "\"chat_inline\"");
        let rows = usage("r.json", &format!("[{chat}]")).unwrap();
        assert_eq!((rows[0].shown, rows[0].accepted, rows[0].lines, rows[0].active), (0.0, 0.0, 0.0, true));
    }

    #[test]
    fn errors_name_the_record_and_field() {
        let bad = A.replace("\"code_acceptance_activity_count\": 4", "\"code_acceptance_activity_count\": 40");
        let e = usage("r.json", &format!("{{\"day_totals\": [{B}, {bad}]}}")).unwrap_err().to_string();
        assert_eq!(
            e,
            "r.json: day_totals[1] (ana on 2026-04-02), field totals_by_feature[code_completion].code_acceptance_activity_count: \
             expected at most suggestions_shown (10), found 40"
        );
        let ndjson =
            format!("{}\n{}\n", B.replace('\n', " "), A.replace("2026-04-02", "02/04/2026").replace('\n', " "));
        let e = usage("r.ndjson", &ndjson).unwrap_err().to_string();
        assert!(e.starts_with("r.ndjson line 2, column day: expected a date YYYY-MM-DD"), "{e}");
        let other = A.replace("\"loc_added_sum\": 21", "\"loc_added_sum\": 22");
        let e = usage("r.json", &format!("[{A}, {other}]")).unwrap_err().to_string();
        assert!(e.contains("r.json [1]: ana on 2026-04-02 is also in r.json [0] with other numbers"), "{e}");
        let e = usage("r.json", r#"{"download_links": ["https://x"]}"#).unwrap_err().to_string();
        assert!(e.contains("download the files it links to"), "{e}");
    }

    #[test]
    fn reports_without_per_user_days_are_named_with_the_report_to_use() {
        let org =
            r#"{"day_totals": [{"day": "2026-04-02", "daily_active_users": 7, "code_generation_activity_count": 9}]}"#;
        let e = usage("org.json", org).unwrap_err().to_string();
        assert!(e.starts_with("org.json: is GitHub Copilot's organisation-level usage report"), "{e}");
        assert!(e.ends_with("saved as organization-users-28-day-report.json)"), "{e}");
        let ndjson = r#"{"day": "2026-04-02", "daily_active_users": 7}"#;
        assert!(usage("org.ndjson", ndjson).unwrap_err().to_string().contains("organisation-level usage report"));
        let legacy = r#"[{"date": "2024-06-24", "total_active_users": 24, "copilot_ide_code_completions": {}}]"#;
        assert!(usage("m.json", legacy)
            .unwrap_err()
            .to_string()
            .starts_with("m.json: is the older Copilot metrics API"));
        let seats = r#"{"total_seats": 2, "seats": [{"assignee": {"login": "octocat"}}]}"#;
        assert!(usage("s.json", seats).unwrap_err().to_string().starts_with("s.json: is the Copilot seats list"));
    }
}
