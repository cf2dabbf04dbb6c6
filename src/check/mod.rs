//! `quarterdeck check`: validate every input the folder has and lint the
//! OKRs, without writing anything; then guide (`guide`): the files nothing
//! reads, the teams with no key result, the key results nothing measures.
//! Without key results it checks the event files alone.

mod guide;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::finding::{Finding, FindingKind, Severity};
use crate::format::terminal;
use crate::model::{Dataset, InputFile, Quarter};
use serde::Serialize;
use std::path::Path;

/// The findings of scoring that `check` reports: what the inputs leave
/// unmeasured is known before a build.
const SCORED: [FindingKind; 2] = [FindingKind::Unmeasured, FindingKind::SignalShadowed];

/// What `check` found.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    /// The quarter checked; `None` when the folder has no key results.
    pub quarter: Option<String>,
    pub key_results: usize,
    pub inputs: Vec<InputFile>,
    pub findings: Vec<Finding>,
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
}

impl CheckReport {
    /// Exit code per SPEC §1: 1 with error-level findings, else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.errors > 0)
    }

    /// The report of `findings`, sorted as summary.json sorts them and counted by severity.
    fn new(
        quarter: Option<Quarter>,
        key_results: usize,
        inputs: Vec<InputFile>,
        mut findings: Vec<Finding>,
    ) -> CheckReport {
        crate::finding::sort(&mut findings);
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        CheckReport {
            quarter: quarter.map(|q| q.to_string()),
            key_results,
            inputs,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            info: count(Severity::Info),
            findings,
        }
    }

    /// The report for a terminal: one line per finding, a summary line.
    /// Every text that came from the input is escaped for the terminal.
    pub fn to_text(&self) -> String {
        let read = format!("{} input files read", self.inputs.len());
        let mut out = match &self.quarter {
            Some(q) => format!("{read}; {} key results in {q}\n", self.key_results),
            None => format!("{read}; no key results\n"),
        };
        for f in &self.findings {
            out.push_str(&format!(
                "{:<7} {:<10} {:<10} {:<20} {}\n",
                f.severity,
                terminal(f.team.as_deref().unwrap_or("-")),
                terminal(f.kr_id.as_deref().unwrap_or("-")),
                f.kind,
                terminal(&f.message)
            ));
        }
        out.push_str(&format!(
            "{} findings: {} errors, {} warnings, {} info\n",
            self.findings.len(),
            self.errors,
            self.warnings,
            self.info
        ));
        out
    }

    /// The report as pretty JSON with a final newline.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map(|s| s + "\n")
            .map_err(|e| Error::Internal(format!("serialising the check report: {e}")))
    }
}

/// Reads and validates every input, runs the OKR hygiene lint and the
/// scoring, and says what the folder holds that nothing reads.
pub fn check(data_dir: &Path, quarter: Option<Quarter>) -> Result<CheckReport> {
    let config = Config::load(data_dir)?;
    if !crate::ingest::has_key_results(data_dir, &config) {
        return events_alone(data_dir, &config);
    }
    let ds = crate::ingest::load(data_dir, &config, quarter)?;
    let mut findings = skipped_rows(&ds);
    findings.extend(crate::score::hygiene::lint(&ds, &config));
    let scores = crate::score::compute(&ds, &config)?;
    findings.extend(scores.findings.into_iter().filter(|f| SCORED.contains(&f.kind)));
    let teams = ds.krs.iter().map(|k| k.team.as_str());
    findings.extend(guide::teams_without_key_results(&ds.events, &ds.metrics, teams));
    findings.extend(guide::files_not_read(data_dir, &config, &ds.inputs, true));
    Ok(CheckReport::new(Some(ds.quarter), ds.krs.len(), ds.inputs.clone(), findings))
}

/// `check` of a folder without key results: the event files, metrics and
/// health checked alone, and an error saying `build` needs key results.
fn events_alone(data_dir: &Path, config: &Config) -> Result<CheckReport> {
    let alone = crate::ingest::load_events(data_dir, config)?;
    let message = "no key results: the folder has no okrs.csv and no [[imports]] entry with an OKR preset, so the \
                   other files were checked alone; build needs key results (quarterdeck schema okrs.csv lists the \
                   columns, or import an OKR tool's export)";
    let mut findings = vec![Finding::org(FindingKind::NoKeyResults, message.to_string())];
    findings.extend(guide::teams_without_key_results(&alone.events, &alone.metrics, std::iter::empty()));
    findings.extend(guide::files_not_read(data_dir, config, &alone.inputs, false));
    Ok(CheckReport::new(None, 0, alone.inputs, findings))
}

/// One warning per row of okrs.csv of another quarter left out because it fails.
fn skipped_rows(ds: &Dataset) -> Vec<Finding> {
    let finding = |s: &crate::model::SkippedRow| {
        let message = format!("left out of the {} pack (a row of {}): {}", ds.quarter, s.quarter, s.message);
        let f = Finding::org(FindingKind::HistoryRowSkipped, message);
        Finding { kr_id: s.kr_id.clone(), ..f }
    };
    ds.skipped.iter().map(finding).collect()
}
