//! The binary on bad input: exit code 2, a message naming file, line and
//! column, and nothing written to `--out`.

mod common;

use assert_cmd::Command;
use common::{root, tree};
use std::path::{Path, PathBuf};

/// A copy of the tiny fixture in a temp folder, with one file edited.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        let dir = tempfile::tempdir().unwrap();
        for (path, bytes) in tree(&root().join("tests/fixtures/tiny")) {
            let to = dir.path().join("data").join(&path);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(to, bytes).unwrap();
        }
        Case { dir }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// Replaces `from` by `to` in `file`; the text must be there.
    fn edit(self, file: &str, from: &str, to: &str) -> Case {
        let path = self.data().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from:?} not in {file}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        self
    }

    fn build(&self) -> assert_cmd::assert::Assert {
        Command::cargo_bin("quarterdeck").unwrap().arg("build").arg(self.data()).arg("--out").arg(self.out()).assert()
    }

    /// Asserts exit code 2, `message` on stderr, no panic, and no `--out`.
    #[track_caller]
    fn fails_with(&self, message: &str) {
        let out = self.build().get_output().clone();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
        assert!(stderr.contains(message), "expected {message:?} in:\n{stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
        assert!(out.stdout.is_empty(), "stdout: {}", String::from_utf8_lossy(&out.stdout));
        assert!(!self.out().exists(), "--out was written");
        assert_no_temp_left(self.dir.path());
    }
}

fn assert_no_temp_left(dir: &Path) {
    let names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert_eq!(names, ["data"], "left behind: {names:?}");
}

const K1: &str = "2026-Q3,alpha,A1,Ship faster without breaking things,aspirational,K1,Raise m1 from 10 to 20,ana,metric,increase,10,20,";

#[test]
fn the_tiny_fixture_builds_and_prints_the_index_path() {
    let case = Case::new();
    let out = case.build().success().get_output().clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.trim(), case.out().join("index.html").display().to_string());
    assert!(case.out().join("index.html").is_file());
}

#[test]
fn missing_required_column() {
    Case::new()
        .edit("okrs.csv", "key_result,owner,", "key_result,")
        .fails_with("okrs.csv line 1: missing required column owner");
}

#[test]
fn unparsable_number() {
    Case::new()
        .edit("okrs.csv", K1, &K1.replace("increase,10,20", "increase,ten,20"))
        .fails_with("okrs.csv line 3, column baseline: expected a number, found \"ten\"");
}

#[test]
fn unparsable_date() {
    Case::new()
        .edit("checkins.csv", "2026-07-03,K1", "2026-13-03,K1")
        .fails_with("checkins.csv line 3, column date: expected a date YYYY-MM-DD, found \"2026-13-03\"");
}

#[test]
fn unknown_kr_in_checkins() {
    Case::new()
        .edit("checkins.csv", "2026-07-10,K2", "2026-07-10,K9")
        .fails_with("checkins.csv line 8, column kr_id: ");
}

#[test]
fn duplicate_kr_id() {
    Case::new().edit("okrs.csv", ",K2,Bring", ",K1,Bring").fails_with("okrs.csv line 4, column kr_id: ");
}

#[test]
fn objective_with_two_titles() {
    Case::new()
        .edit("okrs.csv", "A1,Ship faster without breaking things,aspirational,K2", "A1,Ship slower,aspirational,K2")
        .fails_with("okrs.csv line 4, column objective: ");
}

#[test]
fn target_equal_to_baseline() {
    Case::new()
        .edit("okrs.csv", K1, &K1.replace("increase,10,20", "increase,10,10"))
        .fails_with("okrs.csv line 3, column target: ");
}

#[test]
fn band_low_above_band_high() {
    Case::new().edit("okrs.csv", "9,,5,7,days", "9,,7,5,days").fails_with("okrs.csv line 4, column band_low: ");
}

#[test]
fn metric_kr_without_target_or_band() {
    Case::new()
        .edit("okrs.csv", K1, &K1.replace("increase,10,20", "increase,10,"))
        .fails_with("okrs.csv line 3, column target: ");
}

#[test]
fn bad_quarter_option_is_a_usage_error() {
    let case = Case::new();
    let out = Command::cargo_bin("quarterdeck")
        .unwrap()
        .args(["build", "--quarter", "Q3"])
        .arg(case.data())
        .arg("--out")
        .arg(case.out())
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected a quarter like 2026-Q3"));
    assert!(!case.out().exists());
}

#[test]
fn a_failed_build_keeps_the_previous_site() {
    let case = Case::new();
    case.build().success();
    let before = tree(&case.out());
    let case = case.edit("okrs.csv", K1, &K1.replace("increase,10,20", "increase,ten,20"));
    case.build().code(2);
    assert!(tree(&case.out()) == before, "the previous site changed");
}

#[test]
fn band_edge_equal_to_baseline() {
    // K2 decreases from 9 into 5–7; from a baseline of 5 the band asks for no change.
    Case::new().edit("okrs.csv", "decrease,9,,5,7", "decrease,5,,5,7").fails_with("okrs.csv line 4, column band_low: ");
}

#[test]
fn target_on_the_wrong_side_of_the_baseline() {
    Case::new()
        .edit("okrs.csv", K1, &K1.replace("increase,10,20", "increase,10,5"))
        .fails_with("okrs.csv line 3, column target: expected a value above the baseline 10");
}

/// The tiny fixture with a 2026-Q1 row before its 2026-Q2 one: 2026-Q2 is
/// the quarter 2026-Q3 is compared with (SPEC §6), 2026-Q1 only history.
const Q1_ROW: &str = "2026-Q1,alpha,AM1,An older objective,,KM1,Older key result,olga,metric,increase,1,2,,,,,,,,,\n";

/// The tiny fixture's 2026-Q1 row with a broken baseline, and a check-in of its key result.
fn broken_history() -> Case {
    Case::new()
        .edit("okrs.csv", "2026-Q2,alpha,A0", &format!("{}2026-Q2,alpha,A0", Q1_ROW.replace(",1,2,", ",one,2,")))
        .edit("checkins.csv", "2026-06-20,K1,ana,50,9", "2026-02-20,KM1,olga,1,5,,,\n2026-06-20,K1,ana,50,9")
}

const HISTORY_ERROR: &str = "okrs.csv line 2, column baseline: expected a number, found \"one\"";

#[test]
fn a_broken_row_of_another_quarter_is_a_warning_in_check() {
    let case = broken_history();
    let out = Command::cargo_bin("quarterdeck").unwrap().arg("check").arg(case.data()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().find(|l| l.contains("history_row_skipped")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.starts_with("warning"), "{line}");
    assert!(line.contains("KM1") && line.contains(HISTORY_ERROR), "{line}");
    assert!(line.contains("left out of the 2026-Q3 pack (a row of 2026-Q1)"), "{line}");
    assert!(!stdout.contains("column kr_id"), "its check-in is left out with it: {stdout}");
}

#[test]
fn a_broken_row_of_another_quarter_is_left_out_of_the_build_and_said_so() {
    let case = broken_history();
    case.build().success();
    let methodology = std::fs::read_to_string(case.out().join("methodology.html")).unwrap();
    assert!(methodology.contains("1 row of 2026-Q1 failed validation and was left out"), "methodology page");
    assert!(methodology.contains("okrs.csv line 2, column baseline: expected a number"), "the first message");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.out().join("data/summary.json")).unwrap()).unwrap();
    let skipped = &summary["history_rows_skipped"];
    assert_eq!(skipped.as_array().unwrap().len(), 1, "{skipped}");
    assert_eq!(
        (&skipped[0]["line"], &skipped[0]["quarter"], &skipped[0]["kr_id"]),
        (&2.into(), &"2026-Q1".into(), &"KM1".into())
    );
    // 2026-Q2 is still the quarter compared with
    assert_eq!(summary["previous"], "2026-Q2");
}

#[test]
fn a_broken_row_of_the_quarter_built_is_an_error() {
    let case = broken_history();
    let out = Command::cargo_bin("quarterdeck")
        .unwrap()
        .args(["build", "--quarter", "2026-Q1"])
        .arg(case.data())
        .arg("--out")
        .arg(case.out())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(HISTORY_ERROR));
    assert!(!case.out().exists());
}

#[test]
fn a_broken_row_of_the_quarter_compared_with_is_an_error() {
    // SPEC §2, history: 2026-Q2 is the quarter 2026-Q3 is compared with
    let case = Case::new().edit(
        "okrs.csv",
        "Old key result,olga,metric,increase,1,2",
        "Old key result,olga,metric,increase,one,2",
    );
    let out = Command::cargo_bin("quarterdeck")
        .unwrap()
        .args(["build", "--out"])
        .arg(case.out())
        .arg(case.data())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("okrs.csv line 2, column baseline: expected a number, found \"one\""), "{stderr}");
    assert!(!case.out().exists());
}

#[test]
fn a_milestone_with_a_metric_in_an_older_quarter_is_left_out() {
    let case = Case::new().edit(
        "okrs.csv",
        "2026-Q2,alpha,A0",
        &format!("{}2026-Q2,alpha,A0", Q1_ROW.replace("metric,increase,1,2,,,,", "milestone,,,,,,,m1")),
    );
    case.build().success();
    let summary = std::fs::read_to_string(case.out().join("data/summary.json")).unwrap();
    assert!(summary.contains("column metric: expected an empty cell on a milestone"), "history_rows_skipped");
}

#[test]
fn empty_null_and_backslash_n_authors_count_for_the_team_and_no_person() {
    let case = Case::new().edit("checkins.csv", "2026-07-10,K2,ben,8.5,6", "2026-07-10,K2,NULL,8.5,\\N");
    let prs = "pr_id,team,author,opened_at,first_review_at,merged_at\n\
               P1,alpha,ana,2026-07-06T10:00:00Z,,2026-07-07T10:00:00Z\n\
               P2,alpha,,2026-07-06T10:00:00Z,,2026-07-08T10:00:00Z\n\
               P3,alpha,\\N,2026-07-13T10:00:00Z,NULL,2026-07-14T10:00:00Z\n";
    std::fs::write(case.data().join("prs.csv"), prs).unwrap();
    // person pages are in the manager's pack only
    let build = ["build", "--audience", "manager", "--out"];
    Command::cargo_bin("quarterdeck").unwrap().args(build).arg(case.out()).arg(case.data()).assert().success();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.out().join("data/summary.json")).unwrap()).unwrap();
    let coverage = &summary["signal_coverage"];
    assert_eq!((&coverage["prs_without_author"], &coverage["checkins_without_author"]), (&2.into(), &1.into()));
    let throughput = summary["signals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["team"] == "alpha" && s["metric"] == "pr_throughput")
        .unwrap();
    assert_eq!(throughput["n"], 3, "every pull request counts for its team");
    let people: Vec<String> =
        tree(&case.out().join("people")).into_iter().map(|(p, _)| p).filter(|p| p.ends_with(".html")).collect();
    assert_eq!(people, ["ana.html", "ben.html", "cleo.html", "dev.html", "eve.html"], "no page for a missing author");
    let methodology = std::fs::read_to_string(case.out().join("methodology.html")).unwrap();
    assert!(methodology.contains("1 of the quarter's check-ins has no author"), "methodology: check-ins");
    assert!(methodology.contains("2 pull requests have no author (a deleted account)"), "methodology: PRs");
}

/// `quarterdeck ARGS…` run in `dir`: (exit code, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("quarterdeck").unwrap().current_dir(dir).args(args).output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).to_string())
}

#[test]
fn no_output_can_replace_the_inputs() {
    let case = Case::new();
    let root = case.dir.path();
    let before = tree(&case.data());
    // an earlier site at data/ would otherwise be "a quarterdeck site, safe to replace"
    std::fs::create_dir_all(case.data().join("data")).unwrap();
    std::fs::write(case.data().join("data/summary.json"), "{}").unwrap();
    for args in [
        &["build", "data", "--out", "data"][..],
        &["build", "data", "--out", "./data/"],
        &["build", "data", "--out", "data/notes"],
        &["build", "data", "--out", "."],
    ] {
        let (code, stderr) = run_in(root, args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("refusing --out"), "{args:?}: {stderr}");
    }
    std::fs::remove_dir_all(case.data().join("data")).unwrap();
    assert_eq!(tree(&case.data()), before, "an input changed");
    // pdf never replaces a file that is not a PDF (checked before any browser is looked for)
    let (code, stderr) = run_in(root, &["pdf", "data", "--out", "data/okrs.csv"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("refusing --out data/okrs.csv: it exists and is not a PDF"), "{stderr}");
    assert_eq!(tree(&case.data()), before, "pdf changed an input");
    // the default, DATA_DIR/site, is fine
    let (code, stderr) = run_in(root, &["build", "data"]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn input_text_reaches_neither_a_spreadsheet_formula_nor_the_terminal() {
    let case = Case::new();
    let okrs = std::fs::read_to_string(case.data().join("okrs.csv")).unwrap();
    // a formula behind a `;` (the list separator of German, French and Dutch
    // spreadsheets) in one key result; a terminal reset and a bell in a task
    // (which `check` quotes)
    let okrs = okrs.replacen("Raise score from 0 to 10", "x;=cmd|' /C calc'!A0;y", 1);
    let okrs = okrs.replacen("Launch the new onboarding", "Launch the new onboarding \u{1b}c\u{7}", 1);
    std::fs::write(case.data().join("okrs.csv"), okrs).unwrap();
    let out = case.dir.path().join("site");
    let (code, stderr) = run_in(case.dir.path(), &["build", "data", "--out", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let csv = std::fs::read(out.join("data/scores.csv")).unwrap();
    for delimiter in [b',', b';', b'\t'] {
        let mut reader =
            csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(&csv[..]);
        for record in reader.records() {
            let record = record.unwrap();
            let live = record.iter().find(|cell| cell.trim_start().starts_with(['=', '+', '@']));
            assert!(live.is_none(), "split on {:?}, a cell starts a formula: {live:?}", delimiter as char);
        }
    }
    // `check` prints the lint's findings with the key result's text: escaped, never run
    let out = Command::cargo_bin("quarterdeck").unwrap().arg("check").arg(case.data()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains('\u{1b}') && !stdout.contains('\u{7}'), "{stdout:?}");
    assert!(stdout.contains("\\u{1b}c\\u{7}"), "the escape is shown, not run: {stdout}");
}

#[cfg(unix)]
#[test]
fn inputs_are_plain_files_inside_the_data_folder() {
    let case = Case::new();
    let run = |data: &Path| {
        let out = Command::cargo_bin("quarterdeck")
            .unwrap()
            .arg("build")
            .arg(data)
            .arg("--out")
            .arg(case.dir.path().join("site"))
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    // a named pipe once made the build wait forever
    let fifo = case.data().join("prs.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let (code, stderr) = run(&case.data());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("prs.csv: is not a regular file"), "{stderr}");
    std::fs::remove_file(&fifo).unwrap();
    // a note that links outside the data folder is not published
    std::fs::write(case.dir.path().join("secret.md"), "# not for the pack\n").unwrap();
    std::fs::remove_file(case.data().join("notes/alpha.md")).unwrap();
    std::os::unix::fs::symlink(case.dir.path().join("secret.md"), case.data().join("notes/alpha.md")).unwrap();
    let (code, stderr) = run(&case.data());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("notes/alpha.md: leads outside the data folder"), "{stderr}");
    assert!(!case.dir.path().join("site").exists(), "nothing written");
}
