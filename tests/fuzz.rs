//! Fuzzing every parser with proptest: random bytes and random CSV-shaped
//! text (real headers, hostile cells) must give `Ok` or a clean `Err` — never
//! a panic. The foreign exports the built-in presets read (`gh pr list` JSON,
//! Copilot users JSON, Jira and Linear CSV, an OKR tool's key results and its
//! long layout, okr-tracker documents, any CSV through `preset = "csv"`,
//! DevLake's tables) are
//! fuzzed the same way, through the whole of `ingest::load`, with random
//! bytes and with JSON or CSV shaped like the export. The suite runs 64
//! cases per file kind; a long run is
//! `PROPTEST_CASES=200000 cargo test --release --test fuzz` (see the book).

use proptest::prelude::*;
use quarterdeck::config::Config;
use quarterdeck::ingest::table::Table;
use quarterdeck::ingest::{checkins, events, health, initiatives, metrics, okrs, KrIndex};
use quarterdeck::schema::{FileSpec, ALL};
use serde_json::Value;
use std::collections::BTreeSet;

/// Runs the parser of `spec` on `bytes`; only a panic fails.
fn parse_any(spec: &FileSpec, bytes: Vec<u8>) {
    let Ok(table) = Table::from_bytes(spec.file, bytes, spec, None) else { return };
    let kr_source = okrs::parse(&table).ok();
    let left_out: BTreeSet<&str> =
        kr_source.iter().flat_map(|o| &o.failed).filter_map(|f| f.kr_id.as_deref()).collect();
    let krs = KrIndex::new(kr_source.as_ref().map_or(&[], |o| o.krs.as_slice()), left_out);
    let _ = match spec.key {
        "okrs" => okrs::parse(&table).and_then(|mut o| {
            let quarter = okrs::pick_quarter(&o, None)?;
            o.settle(quarter).map(|_| ())
        }),
        "checkins" => checkins::parse(&table, &krs).map(|_| ()),
        "metrics" => metrics::parse(&table).map(|_| ()),
        "health" => health::parse(&table).map(|_| ()),
        "initiatives" => initiatives::parse(&table, &krs).map(|_| ()),
        "prs" => events::prs(&table).map(|_| ()),
        "deployments" => events::deployments(&table).map(|_| ()),
        "incidents" => events::incidents(&table).map(|_| ()),
        "ai_usage" => events::ai_usage(&table).map(|_| ()),
        "people" => events::people(&table).map(|_| ()),
        other => panic!("no parser for {other}"),
    };
}

/// Cells that tend to break parsers: separators, quotes, newlines, BOMs,
/// huge and tiny numbers, dates and timestamps near the edges.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ._%:+-]{0,12}",
        Just(String::new()),
        Just("\"".to_string()),
        Just("\"a,b\"".to_string()),
        Just("a\nb".to_string()),
        Just("\u{feff}x".to_string()),
        Just("1e309".to_string()),
        Just("-0".to_string()),
        Just("NaN".to_string()),
        Just("2026-02-30".to_string()),
        Just("2026-07-01T25:00:00Z".to_string()),
        Just("2026-07-01T10:00:00+14:00".to_string()),
        Just("9999-12-31".to_string()),
        // the edges of the numeric and date domains (issue: a hang and a panic)
        Just("1.7e308".to_string()),
        Just("-1e15".to_string()),
        Just("1000000000000001".to_string()),
        Just("-262143-01-01".to_string()),
        Just("-262143-01-01 00:00".to_string()),
        Just("+262142-12-31T23:59:59Z".to_string()),
        Just("1899-12-31".to_string()),
        Just(">".repeat(40)),
        Just("\u{1}quarterdeck-section\u{1}".to_string()),
        Just("../../etc/passwd".to_string()),
        Just("on track".to_string()),
        Just("70%".to_string()),
        Just("2026-Q3".to_string()),
        "[0-9]{1,20}(\\.[0-9]{1,5})?",
        "2026-0[1-9]-[0-3][0-9]",
    ]
}

fn csv_text(spec: &'static FileSpec) -> impl Strategy<Value = Vec<u8>> {
    let names: Vec<&'static str> = spec.columns.iter().map(|c| c.name).collect();
    let width = names.len();
    (
        prop::sample::subsequence(names, 0..=width),
        prop::collection::vec(prop::collection::vec(cell(), 0..=width + 2), 0..8),
        prop::sample::select(vec![",", ";", "\t"]),
    )
        .prop_map(|(header, rows, sep)| {
            let mut text = header.join(sep);
            text.push('\n');
            for row in rows {
                text.push_str(&row.join(sep));
                text.push('\n');
            }
            text.into_bytes()
        })
}

/// A built-in preset: its name, the rest of its `[[imports]]` entry, and
/// the names its export uses (JSON keys or CSV headers).
struct Preset {
    name: &'static str,
    entry: &'static str,
    names: &'static [&'static str],
    /// Where the export is written in the data folder (okr-tracker reads its file names).
    file: &'static str,
}

const PRESETS: [Preset; 11] = [
    Preset {
        name: "github-prs-json",
        entry: "team = \"core\"\nai_label = \"copilot\"\nrework_label = \"revert\"\n",
        names: &[
            "number",
            "author",
            "login",
            "is_bot",
            "createdAt",
            "mergedAt",
            "additions",
            "deletions",
            "reviews",
            "state",
            "submittedAt",
            "labels",
            "name",
            "title",
        ],
        file: "export",
    },
    Preset {
        name: "github-copilot-users-json",
        entry: "",
        names: &[
            "day_totals",
            "day",
            "user_login",
            "code_generation_activity_count",
            "code_acceptance_activity_count",
            "loc_added_sum",
            "date",
        ],
        file: "export",
    },
    Preset {
        name: "jira-issues-csv",
        entry: "ai_label = \"ai\"\nrework_label = \"regression\"\n",
        names: &[
            "Issue key",
            "Issue Type",
            "Status",
            "Created",
            "Resolved",
            "Resolution",
            "Assignee",
            "Reporter",
            "Creator",
            "Labels",
            "Labels",
            "Custom field (Team)",
            "Sprint",
        ],
        file: "export",
    },
    Preset {
        name: "linear-issues-csv",
        entry: "ai_label = \"AI\"\n",
        names: &[
            "ID",
            "Team",
            "Title",
            "Status",
            "Assignee",
            "Creator",
            "Created",
            "Started",
            "Completed",
            "Canceled",
            "Labels",
        ],
        file: "export",
    },
    Preset {
        name: "okr-key-results-csv",
        entry: "",
        names: &[
            "Objective",
            "Objective ID",
            "Key Result",
            "KR ID",
            "Owner",
            "Team",
            "Period",
            "Start Value",
            "Target Value",
            "Unit",
            "Due Date",
            "Weight",
            "kind",
            "metric",
            "direction",
        ],
        file: "export",
    },
    Preset {
        name: "okr-outline-csv",
        entry: "as_of = \"2026-08-14\"\n",
        names: &[
            "Row ID",
            "Title",
            "Parent",
            "Entity",
            "Type",
            "Team",
            "Owner Email",
            "Time Period",
            "Start Value",
            "Target Value",
            "Current Value",
            "End Date",
            "Last Check-in Date",
            "Confidence",
        ],
        file: "export",
    },
    Preset {
        name: "okr-tracker-json",
        entry: "",
        names: &[
            "description",
            "unit",
            "startValue",
            "targetValue",
            "progress",
            "value",
            "timestamp",
            "comment",
            "name",
            "startDate",
            "endDate",
        ],
        file: "t/objectives/p1_o1_k1.json",
    },
    Preset {
        name: "csv",
        entry:
            "into = \"prs\"\n[imports.columns]\npr_id = \"{repository}#{number}\"\nteam = \"repository\"\n\
                opened_at = \"created_at\"\nauthor = \"user.login\"\n[imports.keep]\nstate = [\"MERGED\", \"CLOSED\"]\n",
        names: &["org", "repository", "number", "url", "state", "created_at", "merged_at", "user.login", "title"],
        file: "export",
    },
    Preset {
        name: "devlake-pull-requests-csv",
        entry: "team = \"core\"\n",
        names: &[
            "id",
            "base_repo_id",
            "author_name",
            "author_id",
            "created_date",
            "merged_date",
            "merge_commit_sha",
            "additions",
            "deletions",
        ],
        file: "export",
    },
    Preset {
        name: "devlake-deployments-csv",
        entry: "team = \"core\"\nenvironments = [\"PRODUCTION\", \"\"]\n",
        names: &["id", "cicd_scope_id", "name", "result", "environment", "started_date", "finished_date"],
        file: "export",
    },
    Preset {
        name: "devlake-incidents-csv",
        entry: "team = \"core\"\n",
        names: &["id", "created_date", "resolution_date", "severity", "priority", "component", "table", "scope_id"],
        file: "export",
    },
];

/// An okrs.csv for the event presets (an OKR import must be the only key results).
const OKRS_CSV: &str = "quarter,team,objective_id,objective,kr_id,key_result,owner,kind\n\
                        2026-Q3,core,O1,Ship calmly,K1,Ship the thing,ana,milestone\n";

/// Reads `bytes` as the export of preset `which` through the whole of
/// `ingest::load`; only a panic fails.
fn import_any(which: usize, bytes: &[u8]) {
    let preset = &PRESETS[which];
    let dir = tempfile::tempdir().unwrap();
    let toml = format!("[[imports]]\npreset = \"{}\"\nfile = \"{}\"\n{}", preset.name, preset.file, preset.entry);
    std::fs::write(dir.path().join("quarterdeck.toml"), &toml).unwrap();
    let export = dir.path().join(preset.file);
    std::fs::create_dir_all(export.parent().unwrap()).unwrap();
    std::fs::write(export, bytes).unwrap();
    if preset.name == "okr-tracker-json" {
        let period = r#"{"name": "Q3 2026", "startDate": "2026-07-01", "endDate": "2026-09-30"}"#;
        std::fs::write(dir.path().join("t/objectives/p1.json"), period).unwrap();
    }
    std::fs::write(dir.path().join("people.csv"), "person,team\nana,core\n").unwrap();
    if !preset.name.starts_with("okr") {
        std::fs::write(dir.path().join("okrs.csv"), OKRS_CSV).unwrap();
    }
    let config = Config::load(dir.path()).expect("the import entry is valid");
    let _ = quarterdeck::ingest::load(dir.path(), &config, None);
}

/// JSON leaves that break readers: nulls, wrong types, huge and odd numbers,
/// the zero time gh writes for "never", hostile strings.
fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Just(Value::from("0001-01-01T00:00:00Z")),
        Just(Value::from("ghost")),
        Just(Value::from("app/renovate")),
        cell().prop_map(Value::from),
    ]
}

/// Objects and arrays of `names` nested a few deep: the shape of a preset's JSON.
fn json_shaped(names: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let value = json_leaf().prop_recursive(3, 32, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(names), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    });
    (prop::collection::vec(value, 0..5), any::<bool>()).prop_map(|(items, ndjson)| {
        if ndjson {
            items.iter().map(|v| v.to_string() + "\n").collect::<String>().into_bytes()
        } else {
            Value::Array(items).to_string().into_bytes()
        }
    })
}

/// Rows of hostile cells under a header drawn from `names`, with `,`, `;` or a tab.
fn csv_shaped(names: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::subsequence(names.to_vec(), 0..=names.len()),
        prop::collection::vec(prop::collection::vec(cell(), 0..=names.len() + 2), 0..6),
        // a tab as `mysql --batch` writes DevLake's tables
        prop::sample::select(vec![",", ";", "\t"]),
        any::<bool>(),
    )
        .prop_map(|(header, rows, sep, excel)| {
            let mut text = if excel { format!("sep={sep}\r\n") } else { String::new() };
            text.push_str(&header.join(sep));
            text.push('\n');
            for row in rows {
                text.push_str(&row.join(sep));
                text.push('\n');
            }
            text.into_bytes()
        })
}

/// An export shaped like preset `which` writes it.
fn export_shaped(which: usize) -> BoxedStrategy<Vec<u8>> {
    let names = PRESETS[which].names;
    if PRESETS[which].name.ends_with("json") {
        json_shaped(names).boxed()
    } else {
        csv_shaped(names).boxed()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), which in 0..ALL.len()) {
        parse_any(&ALL[which], bytes);
    }

    #[test]
    fn csv_shaped_input_never_panics((which, bytes) in (0..ALL.len()).prop_flat_map(|i| (Just(i), csv_text(&ALL[i])))) {
        parse_any(&ALL[which], bytes);
    }

    #[test]
    fn random_config_text_never_panics(text in "[\\[\\]a-z_=\". 0-9\\n#{}-]{0,200}") {
        let _ = Config::parse(&text);
    }

    #[test]
    fn random_bytes_never_panic_an_import(bytes in prop::collection::vec(any::<u8>(), 0..400), which in 0..PRESETS.len()) {
        import_any(which, &bytes);
    }

    #[test]
    fn export_shaped_input_never_panics_an_import(
        (which, bytes) in (0..PRESETS.len()).prop_flat_map(|i| (Just(i), export_shaped(i)))
    ) {
        import_any(which, &bytes);
    }
}
