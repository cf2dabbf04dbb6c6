//! Oslo kommune's okr-tracker documents (oslokommune/okr-tracker): in each
//! `objectives/` folder, `PERIOD.json` (name, startDate, endDate),
//! `PERIOD_OBJECTIVE.json` (name) and `PERIOD_OBJECTIVE_KEYRESULT.json`
//! (description, unit, startValue, targetValue and a `progress` history),
//! linked by their file names. Key results become okrs rows of the team the
//! folder belongs to; their progress becomes check-ins.

use super::github::{count, json_text, not_json, show};
use super::okr::parse_period;
use super::parse_date;
use super::stage::{Cells, Origin};
use super::{Import, OkrStages};
use crate::error::{Error, Result};
use crate::model::{Quarter, UNASSIGNED};
use chrono::NaiveDate;
use serde_json::Value;
use std::collections::BTreeMap;

/// Documents of the okr-tracker layout that hold no key results (an
/// organisation's or product's `data.json`, a product's `kpis.json`).
const NOT_OKRS: &[&str] = &["data", "kpis"];

/// Per okrs column, the key result document's field it comes from.
const KR_FIELDS: [(&str, &str); 7] = [
    ("quarter", "period"),
    ("key_result", "description"),
    ("unit", "unit"),
    ("baseline", "startValue"),
    ("target", "targetValue"),
    ("due", "endDate"),
    ("team", "team"),
];

/// Per checkins column, the progress entry's field it comes from.
const CHECKIN_FIELDS: [(&str, &str); 3] = [("date", "timestamp"), ("value", "value"), ("note", "comment")];

/// One document, by its place in the layout.
struct Doc {
    file: String,
    /// The folder holding it (`…/testProduct/objectives`).
    folder: String,
    /// Its file name without `.json`, split at `_`: period, objective, key result.
    keys: Vec<String>,
    value: Value,
}

/// Stages every key result among `docs` (the files of one import) with its progress.
pub fn stage(import: &Import, docs: &[(String, Vec<u8>)], stages: &mut OkrStages) -> Result<()> {
    let docs = parse_all(docs)?;
    let by_keys: BTreeMap<(&str, &[String]), &Doc> =
        docs.iter().map(|d| ((d.folder.as_str(), d.keys.as_slice()), d)).collect();
    for kr in docs.iter().filter(|d| d.keys.len() == 3) {
        let period = by_keys.get(&(kr.folder.as_str(), &kr.keys[..1])).copied();
        let objective = by_keys.get(&(kr.folder.as_str(), &kr.keys[..2])).copied();
        let cells = kr_cells(import, kr, period, objective)?;
        stages.okrs.begin(&kr.file, &KR_FIELDS);
        stages.okrs.push(Origin::Json { path: "$".into(), label: format!("key result {}", kr.keys[2]) }, &cells);
        stages.checkins.begin(&kr.file, &CHECKIN_FIELDS);
        for (origin, checkin) in progress(kr, kr_id(&cells))? {
            stages.checkins.push(origin, &checkin);
        }
    }
    Ok(())
}

/// The documents of the layout, in name order, with their keys.
fn parse_all(docs: &[(String, Vec<u8>)]) -> Result<Vec<Doc>> {
    let mut out = Vec::new();
    for (file, bytes) in docs {
        let (folder, name) = file.rsplit_once('/').unwrap_or(("", file.as_str()));
        let stem = name.strip_suffix(".json").unwrap_or(name);
        if NOT_OKRS.contains(&stem) {
            continue;
        }
        let keys: Vec<String> = stem.split('_').map(String::from).collect();
        if keys.len() > 3 || keys.iter().any(String::is_empty) {
            return Err(Error::File {
                file: file.clone(),
                message: "expected okr-tracker's file names: PERIOD.json, PERIOD_OBJECTIVE.json or \
                          PERIOD_OBJECTIVE_KEYRESULT.json"
                    .into(),
            });
        }
        let value = serde_json::from_slice(json_text(file, bytes)?).map_err(|e| not_json(file, &e))?;
        out.push(Doc { file: file.clone(), folder: folder.to_string(), keys, value });
    }
    Ok(out)
}

fn kr_id(cells: &Cells) -> String {
    cells.iter().find(|(c, _)| *c == "kr_id").map(|(_, v)| v.clone()).unwrap_or_default()
}

/// An error about one field of a document.
fn field_error(file: &str, field: &str, message: String) -> Error {
    Error::File { file: file.into(), message: format!("field {field}: {message}") }
}

/// A text field of a document, trimmed; `None` when absent or empty.
fn text<'v>(v: &'v Value, field: &str) -> Option<&'v str> {
    v.get(field).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// The team of a folder: the import's, else the folder above `objectives/`.
fn team(import: &Import, doc: &Doc) -> Result<String> {
    if let Some(t) = &import.team {
        return Ok(t.clone());
    }
    let mut parts = doc.folder.rsplit('/');
    let owner = match parts.next() {
        Some("objectives") => parts.next(),
        other => other,
    };
    owner.filter(|o| !o.is_empty()).map(String::from).ok_or_else(|| Error::File {
        file: doc.file.clone(),
        message: "expected it in a team's folder (TEAM/objectives/), found it at the top; set team = \"…\" \
                  on the [[imports]] entry"
            .into(),
    })
}

/// The okrs.csv cells of a key result document.
fn kr_cells(import: &Import, kr: &Doc, period: Option<&Doc>, objective: Option<&Doc>) -> Result<Cells> {
    let team = team(import, kr)?;
    let (quarter, due) = quarter(import, kr, period)?;
    let objective_title = objective.and_then(|o| text(&o.value, "name")).unwrap_or(&kr.keys[1]);
    let objective_id = format!("{team}.{}.{}", kr.keys[0], kr.keys[1]);
    let (baseline, target) = (count(kr.value.get("startValue")), count(kr.value.get("targetValue")));
    let kind = if baseline.is_empty() && target.is_empty() { "milestone" } else { "metric" };
    Ok(vec![
        ("quarter", quarter.to_string()),
        ("kr_id", format!("{objective_id}.{}", kr.keys[2])),
        ("team", team),
        ("objective_id", objective_id),
        ("objective", objective_title.to_string()),
        ("key_result", text(&kr.value, "description").unwrap_or_default().to_string()),
        // okr-tracker's key results have no owner
        ("owner", UNASSIGNED.to_string()),
        ("kind", kind.to_string()),
        ("baseline", baseline),
        ("target", target),
        ("unit", text(&kr.value, "unit").unwrap_or_default().to_string()),
        ("due", due.map(|d| d.to_string()).unwrap_or_default()),
    ])
}

/// The key result's quarter and due date: the import's quarter, else the
/// one quarter its period's dates lie in (the period's name when it has no
/// dates); the due date is the period's end.
fn quarter(import: &Import, kr: &Doc, period: Option<&Doc>) -> Result<(Quarter, Option<NaiveDate>)> {
    let end = period.and_then(|p| text(&p.value, "endDate")).and_then(|d| parse_date(d, None));
    if let Some(q) = import.quarter.as_deref().and_then(Quarter::parse) {
        return Ok((q, end.filter(|d| q.contains(*d))));
    }
    let Some(p) = period else {
        let message = format!(
            "expected its period {}.json beside it, found none; add it to the import's file, or set quarter",
            kr.keys[0]
        );
        return Err(Error::File { file: kr.file.clone(), message });
    };
    let start = text(&p.value, "startDate").and_then(|d| parse_date(d, None));
    let dated = start.zip(end).map(|(s, e)| (Quarter::of(s), Quarter::of(e)));
    let named = || text(&p.value, "name").and_then(parse_period);
    match dated {
        Some((a, b)) if a == b => Ok((a, end)),
        Some(_) => Err(field_error(
            &p.file,
            "startDate",
            format!(
            "expected a period inside one quarter, found {} to {}; set quarter = \"2026-Q3\" on the [[imports]] entry",
            show(p.value.get("startDate")),
            show(p.value.get("endDate"))
        ),
        )),
        None => named().map(|q| (q, None)).ok_or_else(|| {
            let message = format!("expected a quarter like Q3 2026, found {}; set quarter", show(p.value.get("name")));
            field_error(&p.file, "name", message)
        }),
    }
}

/// The check-ins of a key result's `progress` history.
fn progress(kr: &Doc, kr_id: String) -> Result<Vec<(Origin, Cells)>> {
    let entries = match kr.value.get("progress") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(entries)) => entries,
        Some(other) => {
            let message = format!("expected an array of progress entries, found {}", show(Some(other)));
            return Err(field_error(&kr.file, "progress", message));
        }
    };
    let mut out = Vec::new();
    for (i, p) in entries.iter().enumerate() {
        let path = format!("progress[{i}]");
        let stamp = text(p, "timestamp").unwrap_or_default();
        let day = parse_date(stamp, None).map(|d| d.to_string()).unwrap_or_else(|| stamp.to_string());
        let origin = Origin::Json { path, label: format!("check-in of {day}") };
        let note = text(p, "comment").unwrap_or_default().to_string();
        out.push((
            origin,
            vec![("date", day), ("kr_id", kr_id.clone()), ("value", count(p.get("value"))), ("note", note)],
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    /// Loads a data folder of okr-tracker documents (path → JSON), imported with `extra` options.
    fn fails(extra: &str, docs: &[(&str, &str)]) -> String {
        let dir = tempfile::tempdir().unwrap();
        for (path, json) in docs {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, json).unwrap();
        }
        let toml = format!("[[imports]]\npreset = \"okr-tracker-json\"\nfile = \"**/*.json\"\n{extra}");
        std::fs::write(dir.path().join("quarterdeck.toml"), toml).unwrap();
        let config = Config::load(dir.path()).unwrap();
        crate::ingest::load(dir.path(), &config, None).err().map(|e| e.to_string()).unwrap_or_default()
    }

    const KR: &str = r#"{"description": "Raise it", "startValue": 0, "targetValue": 100,
        "progress": [{"value": 25, "timestamp": "2020-07-03"}]}"#;

    #[test]
    fn errors_name_the_document_and_field() {
        // testDepartment's period1.json of the okr-tracker mock runs two quarters
        let half_year = r#"{"name": "Q1 2020", "startDate": "2020-07-01", "endDate": "2020-12-31"}"#;
        let e = fails("", &[("d/objectives/p1.json", half_year), ("d/objectives/p1_o1_k1.json", KR)]);
        assert_eq!(
            e,
            "d/objectives/p1.json: field startDate: expected a period inside one quarter, found \"2020-07-01\" to \
             \"2020-12-31\"; set quarter = \"2026-Q3\" on the [[imports]] entry"
        );
        assert_eq!(
            fails(
                "quarter = \"2020-Q3\"\n",
                &[("d/objectives/p1.json", half_year), ("d/objectives/p1_o1_k1.json", KR)]
            ),
            ""
        );
        let e = fails("", &[("d/objectives/p1_o1_k1.json", KR)]);
        assert!(e.starts_with("d/objectives/p1_o1_k1.json: expected its period p1.json beside it"), "{e}");
        let e = fails("quarter = \"2020-Q3\"\n", &[("p1_o1_k1.json", KR)]);
        assert!(e.starts_with("p1_o1_k1.json: expected it in a team's folder"), "{e}");
        let e = fails("quarter = \"2020-Q3\"\n", &[("d/objectives/p1_o1_k1_x.json", KR)]);
        assert!(e.contains("expected okr-tracker's file names"), "{e}");
        let bad = KR.replace("\"value\": 25", "\"value\": \"lots\"");
        let e = fails("quarter = \"2020-Q3\"\n", &[("d/objectives/p1_o1_k1.json", &bad)]);
        assert_eq!(e, "d/objectives/p1_o1_k1.json: progress[0] (check-in of 2020-07-03), field value: expected a number, found \"lots\"");
        let e = fails(
            "quarter = \"2020-Q3\"\n",
            &[("d/objectives/p1_o1_k1.json", &KR.replace("0, \"target", "100, \"target"))],
        );
        assert!(
            e.starts_with("d/objectives/p1_o1_k1.json: $ (key result k1), field targetValue: target equals baseline"),
            "{e}"
        );
    }
}
