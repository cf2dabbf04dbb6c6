//! A corpus of malformed inputs: each case starts from the tiny fixture,
//! breaks one file, and states the exit code and the message the user must
//! see. None may panic, and none may write a site.

mod common;

use assert_cmd::Command;
use common::{root, tree};
use std::path::Path;

/// How a case changes the fixture.
enum Edit {
    /// Replace `from` by `to` in a file of the fixture.
    Replace(&'static str, &'static str, &'static str),
    /// Write a whole file (new or replacing).
    Write(&'static str, &'static [u8]),
    /// Append a line to a file.
    Append(&'static str, &'static str),
}

struct Case {
    name: &'static str,
    edit: Edit,
    code: i32,
    message: &'static str,
}

fn cases() -> Vec<Case> {
    use Edit::*;
    let c = |name, edit, code, message| Case { name, edit, code, message };
    vec![
        c("empty okrs", Write("okrs.csv", b""), 2, "okrs.csv: is empty; expected a header row"),
        c("whitespace only", Write("okrs.csv", b"\n\n  \n"), 2, "okrs.csv: is empty; expected a header row"),
        c(
            "header only",
            Write("okrs.csv", b"quarter,team,objective_id,objective,kr_id,key_result,owner\n"),
            2,
            "okrs.csv",
        ),
        c("missing column", Replace("okrs.csv", "key_result,owner,", "key_result,"), 2, "missing required column owner"),
        c("duplicate header", Replace("okrs.csv", "key_result,owner,", "key_result,kr_id,"), 2, "column kr_id appears twice"),
        c("truncated row", Append("okrs.csv", "2026-Q3,beta,B1,Delight customers\n"), 2, "okrs.csv line 9: expected 21 fields"),
        c("extra columns", Append("okrs.csv", "2026-Q3,beta,B1,Delight customers,,K7,x,o,metric,increase,1,2,,,,,,,,,,extra,more\n"), 2, "expected 21 fields as in the header, found 23"),
        c("unterminated quote", Append("checkins.csv", "2026-09-01,K6,eve,1,5,\"never closed\n"), 2, "checkins.csv"),
        c("NUL byte", Write("metrics.csv", b"date,team,metric,value\n2026-07-01,alpha,m1,1\0\n"), 2, "NUL byte on line 2"),
        c("latin-1", Write("metrics.csv", b"date,team,metric,value\n2026-07-01,\xe9quipe,m1,1\n"), 2, "not UTF-8"),
        c("bad quarter", Replace("okrs.csv", "2026-Q3,beta,B1", "2026-Q5,beta,B1"), 2, "column quarter"),
        c("empty quarter of a history row", Replace("okrs.csv", "2026-Q2,alpha,A0", ",alpha,A0"), 2, "okrs.csv line 2, column quarter: expected a value, found an empty cell"),
        c("broken quarter of a history row", Replace("okrs.csv", "2026-Q2,alpha,A0", "Q2 2026,alpha,A0"), 2, "okrs.csv line 2, column quarter: expected a quarter like 2026-Q3, found \"Q2 2026\""),
        c("latest quarter all broken", Append("okrs.csv", "2026-Q4,beta,B9,Later,,K9,Raise x,dev,metric,increase,one,10,,,,,,,,,\n"), 2, "okrs.csv line 9, column baseline: expected a number, found \"one\""),
        c("milestone with a metric", Replace("okrs.csv", "milestone,,,,,,,,outcome", "milestone,,,,,,,deploy_frequency,outcome"), 2, "okrs.csv line 5, column metric: expected an empty cell on a milestone (its progress comes from its check-ins), found \"deploy_frequency\"; name it under guardrail to watch it"),
        c("NULL in a required cell", Replace("checkins.csv", "2026-07-10,K2", "NULL,K2"), 2, "checkins.csv line 8, column date: expected a date YYYY-MM-DD, found an empty cell"),
        c("\\N in a required cell", Replace("okrs.csv", "Raise score from 0 to 10,dev,", "Raise score from 0 to 10,\\N,"), 2, "okrs.csv line 7, column owner: expected a value, found an empty cell"),
        c("NULL pr_id", Write("prs.csv", b"pr_id,team,author,opened_at,merged_at\nNULL,alpha,ana,2026-07-05T10:00:00Z,\n"), 2, "prs.csv line 2, column pr_id: expected a value, found an empty cell"),
        c("bad number", Replace("okrs.csv", "increase,0,10", "increase,zero,10"), 2, "column baseline: expected a number, found \"zero\""),
        c("infinite number", Replace("okrs.csv", "increase,0,10", "increase,0,inf"), 2, "column target: expected a number"),
        c("bad direction", Replace("okrs.csv", "increase,0,10", "sideways,0,10"), 2, "column direction"),
        c("bad objective kind", Replace("okrs.csv", "Keep our promises,committed", "Keep our promises,stretch"), 2, "column objective_kind"),
        c("zero weight", Replace("okrs.csv", "days,,workflow,,,2,", "days,,workflow,,,0,"), 2, "column weight"),
        c("due outside the quarter", Replace("okrs.csv", "2026-08-31", "2026-10-31"), 2, "column due"),
        c("unknown pair", Replace("okrs.csv", "m1,workflow,,,1,", "m1,workflow,K99,,1,"), 2, "column paired_with"),
        c("mixed date formats", Replace("checkins.csv", "2026-07-10,K2", "10/07/2026,K2"), 2, "checkins.csv line 8, column date: expected a date YYYY-MM-DD, found \"10/07/2026\""),
        c("confidence above 10", Replace("checkins.csv", "2026-07-10,K2,ben,8.5,6", "2026-07-10,K2,ben,8.5,11"), 2, "column confidence"),
        c("milestone above 1", Replace("checkins.csv", "2026-07-15,K3,ana,40%", "2026-07-15,K3,ana,40"), 2, "column value"),
        c("metric value not a number", Append("metrics.csv", "2026-07-13,alpha,m1,n/a,\n"), 2, "metrics.csv line 7, column value: expected a number, found \"n/a\""),
        c("health status", Write("health.csv", b"date,team,health_metric,status\n2026-07-03,alpha,morale,purple\n"), 2, "health.csv line 2, column status: expected green, amber or red, found \"purple\""),
        c("initiative impact", Write("initiatives.csv", b"initiative,kr_id,impact,effort,status\nX,K1,7,2,idea\n"), 2, "initiatives.csv line 2, column impact: expected an integer from 1 to 5, found 7"),
        c("done without finish", Write("initiatives.csv", b"initiative,kr_id,status\nX,K1,done\n"), 2, "column finished"),
        c("negative duration", Write("prs.csv", b"pr_id,team,author,opened_at,first_review_at,merged_at\nP1,alpha,ana,2026-07-05T10:00:00Z,,2026-07-04T10:00:00Z\n"), 2, "prs.csv line 2, column merged_at: expected a time on or after opened_at"),
        c("impossible offset", Write("prs.csv", b"pr_id,team,author,opened_at,first_review_at,merged_at\nP1,alpha,ana,2026-07-05T10:00:00+25:00,,\n"), 2, "prs.csv line 2, column opened_at: expected a timestamp"),
        c("merged_at column missing", Write("prs.csv", b"pr_id,team,author,opened_at\nP1,alpha,ana,2026-07-05T10:00:00Z\n"), 2, "missing required column merged_at"),
        c("duplicate deployment", Write("deployments.csv", b"deploy_id,team,deployed_at\nD1,alpha,2026-07-05T10:00:00Z\nD1,alpha,2026-07-06T10:00:00Z\n"), 2, "deployments.csv line 3, column deploy_id: deployment D1 is listed twice (first on line 2)"),
        c("bad boolean", Write("deployments.csv", b"deploy_id,team,deployed_at,failed\nD1,alpha,2026-07-05T10:00:00Z,maybe\n"), 2, "column failed: expected true or false"),
        c("resolved before started", Write("incidents.csv", b"incident_id,team,started_at,resolved_at\nI1,alpha,2026-07-05T10:00:00Z,2026-07-05T09:00:00Z\n"), 2, "column resolved_at"),
        c("accepted above shown", Write("ai_usage.csv", b"date,person,suggestions_shown,suggestions_accepted\n2026-07-06,ana,3,4\n"), 2, "column suggestions_accepted: expected at most suggestions_shown"),
        c("duplicate person", Write("people.csv", b"person,team\nana,alpha\nana,beta\n"), 2, "people.csv line 3, column person"),
        c("config unknown key", Write("quarterdeck.toml", b"org = \"x\"\ncolour = \"blue\"\n"), 2, "quarterdeck.toml line 2"),
        c("config bad syntax", Write("quarterdeck.toml", b"org = \"unclosed\n"), 2, "quarterdeck.toml line 1"),
        c("config bad cohort metric", Write("quarterdeck.toml", b"[[cohorts]]\ndimension = \"ai_cohort\"\nmetric = \"happiness\"\nreference = \"passive\"\n"), 2, "is not a per-person metric"),
        c("config unknown columns file", Write("quarterdeck.toml", b"[columns.okr]\nkr_id = \"ID\"\n"), 2, "[columns.okr] names no input file"),
        // one numeric and date domain for every input (issue 19: a hang and a panic)
        c("huge check-in value", Append("checkins.csv", "2026-09-29,K1,ana,1.7e308,5,,,\n"), 2, "checkins.csv line 16, column value: expected a number between −1e15 and 1e15, found \"1.7e308\""),
        c("huge key-result range", Replace("okrs.csv", "increase,10,20,", "increase,-1e308,1e308,"), 2, "column baseline: expected a number between −1e15 and 1e15"),
        c("date off the calendar", Append("metrics.csv", "0001-01-01,alpha,m1,1,\n"), 2, "column date: expected a date from 1900-01-01 to 2999-12-31, found \"0001-01-01\""),
        c("timestamp at the calendar's edge", Write("prs.csv", b"pr_id,team,author,opened_at,merged_at\nP1,alpha,ana,-262143-01-01 00:00,-262143-01-02 00:00\n"), 2, "prs.csv line 2, column opened_at: expected a timestamp"),
        c("config NaN band", Write("quarterdeck.toml", b"[metrics.m1]\nband_low = nan\nband_high = 3\n"), 2, "quarterdeck.toml line 2: [metrics.m1] band_low must be a number between"),
        // team and note names folded once: a clash is an error naming both
        c("team spelt two ways", Append("okrs.csv", "2026-Q3,Alpha,C1,Another,,K7,Raise x from 0 to 1,zed,metric,increase,0,1,,,,,,,,,\n"), 2, "okrs.csv line 9, column team: team \"Alpha\" differs from \"alpha\" (line 3)"),
        c("note spelt two ways", Write("notes/ALPHA.md", b"# Alpha, again\n"), 2, "is the same note as notes/"),
        // the cost of pathological input is capped with a clear error
        c("deep Markdown", Append("checkins.csv", &*Box::leak(format!("2026-09-29,K1,ana,15,5,{},,\n", ">".repeat(20_000)).into_boxed_str())), 2, "column note: expected Markdown nested at most 32 levels deep, found 20000"),
        c("check-ins of one KR without end", Append("checkins.csv", &*Box::leak("2026-09-29,K6,eve,30,5,,,\n".repeat(5_000).into_boxed_str())), 2, "column kr_id: expected at most 5000 check-ins of one key result, found more of K6"),
        c("UTF-16", Write("metrics.csv", b"\xFF\xFEd\x00a\x00t\x00e\x00"), 2, "metrics.csv: is UTF-16 text"),
        c("config huge band", Write("quarterdeck.toml", b"[metrics.m1]\nband_low = -1.7e308\nband_high = 1.7e308\n"), 2, "[metrics.m1] band_low must be a number between"),
    ]
}

fn copy_fixture(to: &Path) {
    for (path, bytes) in tree(&root().join("tests/fixtures/tiny")) {
        let dest = to.join(&path);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(dest, bytes).unwrap();
    }
}

fn apply(dir: &Path, edit: &Edit) {
    match edit {
        Edit::Replace(file, from, to) => {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{from:?} not in {file}");
            std::fs::write(path, text.replacen(from, to, 1)).unwrap();
        }
        Edit::Write(file, bytes) => std::fs::write(dir.join(file), bytes).unwrap(),
        Edit::Append(file, line) => {
            let path = dir.join(file);
            let mut text = std::fs::read_to_string(&path).unwrap();
            text.push_str(line);
            std::fs::write(path, text).unwrap();
        }
    }
}

#[test]
fn every_malformed_input_fails_clearly_without_writing() {
    let cases = cases();
    assert!(cases.len() >= 30, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        copy_fixture(&data);
        apply(&data, &case.edit);
        let out_dir = dir.path().join("out");
        let out = Command::cargo_bin("quarterdeck")
            .unwrap()
            .arg("build")
            .arg(&data)
            .arg("--out")
            .arg(&out_dir)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let problems = [
            (out.status.code() != Some(case.code), format!("exit {:?}, expected {}", out.status.code(), case.code)),
            (!stderr.contains(case.message), format!("message lacks {:?}", case.message)),
            (stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE"), "panicked".to_string()),
            (out_dir.exists(), "wrote --out".to_string()),
        ];
        for (bad, what) in problems {
            if bad {
                failures.push(format!("{}: {what}\n  stderr: {}", case.name, stderr.trim()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_huge_field_and_hostile_ids_build_safely() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_fixture(&data);
    // A 100,000-character key result and ids with path separators.
    let long = "x".repeat(100_000);
    let text = std::fs::read_to_string(data.join("okrs.csv")).unwrap();
    let text = text.replacen("Raise score from 0 to 10", &long, 1).replacen(",K5,", ",../../K5,", 1).replacen(
        ",K6,",
        ",a/b\\CON,",
        1,
    );
    std::fs::write(data.join("okrs.csv"), text).unwrap();
    let checkins = std::fs::read_to_string(data.join("checkins.csv")).unwrap().replace(",K6,", ",a/b\\CON,");
    std::fs::write(data.join("checkins.csv"), checkins).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("quarterdeck").unwrap().arg("build").arg(&data).arg("--out").arg(&out).assert().success();
    // Every file is inside --out, with a plain name.
    for (path, _) in tree(&out) {
        assert!(!path.contains(".."), "{path}");
        let name = Path::new(&path).file_name().unwrap().to_string_lossy().to_string();
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')), "{path}");
    }
    assert!(!dir.path().join("K5.html").exists() && !root().join("K5.html").exists());
    let pages: Vec<String> = tree(&out).into_iter().map(|(p, _)| p).filter(|p| p.starts_with("krs/")).collect();
    assert_eq!(pages.len(), 6, "{pages:?}");
}
