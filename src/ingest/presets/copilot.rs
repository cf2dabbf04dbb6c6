//! GitHub Copilot's per-user usage report (the `users-1-day` and
//! `users-28-day` reports of the Copilot usage metrics API, or the
//! dashboard's NDJSON download): one record per user and day → ai_usage rows.

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

/// Per ai_usage column, the report's field it comes from (for messages).
const FIELDS: [(&str, &str); 6] = [
    ("date", "day"),
    ("person", "user_login"),
    ("suggestions_shown", "code_generation_activity_count"),
    ("suggestions_accepted", "code_acceptance_activity_count"),
    ("lines_accepted", "loc_added_sum"),
    ("active", "used_*"),
];

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
        let field = if text("day").is_none() { "day" } else { "user_login" };
        let message = format!("expected a user-day record with day and user_login, found {}", show(r.get(field)));
        return Err(error_at(file, &origin, field, message));
    };
    let origin = match origin {
        Origin::Json { path, .. } => Origin::Json { path, label: format!("{login} on {day}") },
        line => line,
    };
    let cells = [
        ("date", day.to_string()),
        ("person", login.to_string()),
        ("suggestions_shown", count(r.get("code_generation_activity_count"))),
        ("suggestions_accepted", count(r.get("code_acceptance_activity_count"))),
        ("lines_accepted", count(r.get("loc_added_sum"))),
        ("active", is_active(r).to_string()),
    ];
    Ok((origin, cells))
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

    const A: &str = r#"{"day": "2026-04-02", "user_login": "ana", "user_initiated_interaction_count": 3,
        "code_generation_activity_count": 10, "code_acceptance_activity_count": 4, "loc_added_sum": 21}"#;
    const B: &str = r#"{"day": "2026-04-03", "user_login": "bo", "user_initiated_interaction_count": 0,
        "code_generation_activity_count": 0, "code_acceptance_activity_count": 0, "loc_added_sum": 0, "used_agent": false}"#;

    #[test]
    fn reads_reports_arrays_and_ndjson() {
        let report = format!("{{\"report_start_day\": \"2026-04-01\", \"day_totals\": [{A}, {B}]}}");
        let rows = usage("r.json", &report).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].person.as_str(), rows[0].shown, rows[0].accepted, rows[0].lines), ("ana", 10.0, 4.0, 21.0));
        assert!(rows[0].active);
        assert!(!rows[1].active, "a record with no activity and no feature used");
        let ndjson = format!("{}\n\n{}\n", A.replace('\n', " "), B.replace('\n', " "));
        assert_eq!(usage("r.ndjson", &ndjson).unwrap().len(), 2);
        assert_eq!(usage("r.json", &format!("[{A}, {A}]")).unwrap().len(), 1, "an overlapping day read once");
    }

    #[test]
    fn errors_name_the_record_and_field() {
        let bad = A.replace("\"code_acceptance_activity_count\": 4", "\"code_acceptance_activity_count\": 40");
        let e = usage("r.json", &format!("{{\"day_totals\": [{B}, {bad}]}}")).unwrap_err().to_string();
        assert_eq!(
            e,
            "r.json: day_totals[1] (ana on 2026-04-02), field code_acceptance_activity_count: \
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
}
