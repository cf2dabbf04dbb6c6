//! Parallel charts, pages and print document: the site does not depend on
//! how many threads drew it. Each build runs the binary in its own process,
//! so the thread pools really are sized by the environment given.

use quarterdeck::generate::{generate, Preset, SEED};
use std::collections::BTreeMap;
use std::path::Path;

fn tree(dir: &Path, into: &mut BTreeMap<String, Vec<u8>>, prefix: &str) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.path().is_dir() {
            tree(&entry.path(), into, &format!("{name}/"));
        } else {
            into.insert(name, std::fs::read(entry.path()).unwrap());
        }
    }
}

/// Builds `data` with `threads` threads for rayon and polars; returns every file of the site.
fn build(data: &Path, out: &Path, threads: &str) -> BTreeMap<String, Vec<u8>> {
    assert_cmd::Command::cargo_bin("quarterdeck")
        .unwrap()
        .env("RAYON_NUM_THREADS", threads)
        .env("POLARS_MAX_THREADS", threads)
        .args(["build", "--audience", "manager", "--out"])
        .arg(out)
        .arg(data)
        .assert()
        .success();
    let mut files = BTreeMap::new();
    tree(out, &mut files, "");
    files
}

fn same(one: &BTreeMap<String, Vec<u8>>, many: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(one.keys().collect::<Vec<_>>(), many.keys().collect::<Vec<_>>());
    for (path, bytes) in one {
        assert!(bytes == &many[path], "{path} differs between 1 and 4 threads");
    }
}

#[test]
fn sample_site_is_the_same_on_one_thread_and_on_four() {
    let tmp = tempfile::tempdir().unwrap();
    let one = build(Path::new("sample-data"), &tmp.path().join("one"), "1");
    let many = build(Path::new("sample-data"), &tmp.path().join("many"), "4");
    assert!(one.len() > 60, "only {} files", one.len());
    same(&one, &many);
}

/// Twenty teams: more than the navigation lists by name, so every page
/// links the overview's teams table instead.
#[test]
fn a_larger_generated_org_is_the_same_on_one_thread_and_on_four() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let preset = Preset {
        name: "twenty",
        teams: 20,
        people: 120,
        objectives: 50,
        key_results: 140,
        prs: 8_000,
        deployments: 1_200,
        incidents: 90,
        ai_usage_rows: 7_800,
        // with 2026-Q2 before it: the history is built on every core too
        quarters: 2,
    };
    generate(&preset, &data, SEED).unwrap();
    let one = build(&data, &tmp.path().join("one"), "1");
    let many = build(&data, &tmp.path().join("many"), "4");
    same(&one, &many);
    let teams = one.keys().filter(|p| p.starts_with("teams/")).count();
    assert_eq!(teams, 20);
    let kr_page = one.iter().find(|(p, _)| p.starts_with("krs/")).map(|(_, b)| String::from_utf8_lossy(b)).unwrap();
    let start = kr_page.find("<nav aria-label=\"Pack\">").expect("a navigation bar");
    let nav = &kr_page[start..start + kr_page[start..].find("</nav>").expect("the end of the navigation")];
    assert!(nav.contains("<a href=\"..&#x2F;teams.html\">Teams</a>"), "no Teams link: {nav}");
    assert!(!nav.contains("teams&#x2F;"), "the navigation of a 20-team org lists teams: {nav}");
}
