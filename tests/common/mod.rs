//! Helpers shared by the integration tests.
#![allow(dead_code)]

use quarterdeck::model::Quarter;
use quarterdeck::BuildOptions;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds `data_dir` (relative to the repository) into a temp folder.
pub fn build_into(data_dir: &str, quarter: Option<&str>, out: &Path) -> PathBuf {
    let opts = BuildOptions {
        data_dir: root().join(data_dir),
        out: Some(out.to_path_buf()),
        quarter: quarter.map(|q| Quarter::parse(q).unwrap()),
        as_of: None,
        audience: quarterdeck::Audience::Leadership,
        paper: None,
        brief_team: None,
        brief_group: None,
    };
    quarterdeck::build(&opts, &|_| {}).unwrap().site
}

/// Builds `data_dir` (relative to the repository) for `audience` into a
/// temp folder, kept alive by the returned guard.
pub fn build_for(data_dir: &str, audience: quarterdeck::Audience) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let opts = BuildOptions {
        data_dir: root().join(data_dir),
        out: Some(dir.path().join("site")),
        quarter: None,
        audience,
        paper: None,
        brief_team: None,
        brief_group: None,
        as_of: None,
    };
    let site = quarterdeck::build(&opts, &|_| {}).unwrap().site;
    (dir, site)
}

/// Builds and returns summary.json.
pub fn build_summary(data_dir: &str, quarter: Option<&str>) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let site = build_into(data_dir, quarter, &dir.path().join("site"));
    serde_json::from_str(&std::fs::read_to_string(site.join("data/summary.json")).unwrap()).unwrap()
}

/// Builds `data_dir` as of `as_of` (`--as-of`, SPEC §6) and returns
/// summary.json. A fixture whose data stop early, built as of its quarter's
/// last day, is the whole quarter.
/// Builds `data_dir` as of `as_of` (YYYY-MM-DD) into `out`.
pub fn build_into_as_of(data_dir: &str, as_of: &str, out: &Path) -> PathBuf {
    let opts = BuildOptions {
        data_dir: root().join(data_dir),
        out: Some(out.to_path_buf()),
        as_of: Some(chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap()),
        ..BuildOptions::default()
    };
    quarterdeck::build(&opts, &|_| {}).unwrap().site
}

pub fn build_summary_as_of(data_dir: &str, as_of: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let opts = BuildOptions {
        data_dir: root().join(data_dir),
        out: Some(dir.path().join("site")),
        as_of: Some(chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap()),
        ..BuildOptions::default()
    };
    let site = quarterdeck::build(&opts, &|_| {}).unwrap().site;
    serde_json::from_str(&std::fs::read_to_string(site.join("data/summary.json")).unwrap()).unwrap()
}

/// The summary entry of one key result.
pub fn kr<'a>(s: &'a Value, id: &str) -> &'a Value {
    s["krs"].as_array().unwrap().iter().find(|k| k["kr_id"] == id).unwrap_or_else(|| panic!("no KR {id} in summary"))
}

/// Asserts a JSON number equals `want` within 1e-9.
#[track_caller]
pub fn close(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("expected a number, found {v}"));
    assert!((got - want).abs() < 1e-9, "expected {want}, found {got}");
}

/// Every file below `dir`, relative path → bytes, sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
