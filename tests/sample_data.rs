//! The sample's engineering event files are made by one script,
//! `sample-data/tools/make_events.py`: running it again must give the
//! committed bytes, so the files and the script can never drift apart.

mod common;

use common::{root, tree};
use std::process::Command;

/// The files the script writes, as the sample's README lists them.
const EVENT_FILES: [&str; 5] = ["people.csv", "prs.csv", "deployments.csv", "incidents.csv", "ai_usage.csv"];

#[test]
fn make_events_writes_the_committed_event_files() {
    let out = tempfile::tempdir().unwrap();
    let script = root().join("sample-data/tools/make_events.py");
    let run = Command::new("python3").arg(&script).arg("--out").arg(out.path()).output().unwrap_or_else(|e| {
        panic!("cannot run python3 ({e}): install Python 3 to check the sample data (.ci/run does)")
    });
    assert!(run.status.success(), "{} failed: {}", script.display(), String::from_utf8_lossy(&run.stderr));
    let written = tree(out.path());
    let names: Vec<&str> = written.iter().map(|(name, _)| name.as_str()).collect();
    let mut expected = EVENT_FILES.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected, "make_events.py wrote other files than the sample's event files");
    for (name, bytes) in &written {
        let committed = std::fs::read(root().join("sample-data").join(name)).unwrap();
        assert!(
            *bytes == committed,
            "sample-data/{name} differs from what make_events.py writes: remake it with \
             `python3 sample-data/tools/make_events.py` (the one way to make it), or fix the script"
        );
    }
}
