//! Fuzzing every parser with proptest: random bytes and random CSV-shaped
//! text (real headers, hostile cells) must give `Ok` or a clean `Err` — never
//! a panic. The suite runs 64 cases per file kind; a long run is
//! `PROPTEST_CASES=200000 cargo test --release --test fuzz` (see the book).

use proptest::prelude::*;
use quarterdeck::config::Config;
use quarterdeck::ingest::table::Table;
use quarterdeck::ingest::{checkins, events, health, initiatives, metrics, okrs};
use quarterdeck::schema::{FileSpec, ALL};
use std::collections::BTreeMap;

/// Runs the parser of `spec` on `bytes`; only a panic fails.
fn parse_any(spec: &FileSpec, bytes: Vec<u8>) {
    let Ok(table) = Table::from_bytes(spec.file, bytes, spec, None) else { return };
    let kr_source = okrs::parse(&table).ok();
    let krs: BTreeMap<&str, &quarterdeck::model::KeyResult> =
        kr_source.iter().flat_map(|o| o.krs.iter()).map(|k| (k.id.as_str(), k)).collect();
    let _ = match spec.key {
        "okrs" => okrs::parse(&table).map(|_| ()),
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
}
