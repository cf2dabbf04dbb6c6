//! A build killed at any instant (SIGKILL: no clean-up runs) loses nothing:
//! the previous site stays at `--out` or can be put back, and the next build
//! recovers it, clears what the killed one left, and succeeds. The kill comes
//! at several moments of a build of the sample pack; the promise must hold
//! whichever stage it lands in.

mod common;

use assert_cmd::cargo::CommandCargoExt;
use std::path::Path;
use std::process::Command;

fn build(out: &Path) -> Command {
    let mut cmd = Command::cargo_bin("quarterdeck").unwrap();
    cmd.arg("build").arg(common::root().join("sample-data")).arg("--out").arg(out).arg("--quiet");
    cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    cmd
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    names.sort();
    names
}

#[test]
fn a_killed_build_loses_nothing_and_the_next_clears_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    assert!(build(&out).status().unwrap().success());
    for delay_ms in [0, 30, 80, 150, 300, 600, 1200] {
        let mut child = build(&out).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // whatever the moment: the site is in place, or moved aside whole
        let aside = names(dir.path()).into_iter().any(|n| n.starts_with(".site.tmp-") && n.ends_with(".old"));
        assert!(out.join("data/summary.json").is_file() || aside, "killed after {delay_ms} ms: the site is lost");
        // the next build recovers, clears the leftovers and writes the site
        assert!(build(&out).status().unwrap().success(), "the build after a kill at {delay_ms} ms failed");
        assert_eq!(names(dir.path()), ["site"], "leftovers beside the site after a kill at {delay_ms} ms");
    }
}
