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
