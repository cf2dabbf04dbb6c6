//! `quarterdeck check`: validate every input the folder has and lint the
//! OKRs, without writing anything.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::finding::{Finding, FindingKind, Severity};
use crate::format::terminal;
use crate::model::{Dataset, InputFile, Quarter};
use serde::Serialize;
use std::path::Path;

/// What `check` found.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub quarter: String,
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

    /// The report for a terminal: one line per finding, a summary line.
    /// Every text that came from the input is escaped for the terminal.
    pub fn to_text(&self) -> String {
        let mut out =
            format!("{} input files read; {} key results in {}\n", self.inputs.len(), self.key_results, self.quarter);
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

/// Reads and validates every input, then runs the OKR hygiene lint.
pub fn check(data_dir: &Path, quarter: Option<Quarter>) -> Result<CheckReport> {
    let config = Config::load(data_dir)?;
    let ds = crate::ingest::load(data_dir, &config, quarter)?;
    let mut findings = skipped_rows(&ds);
    findings.extend(crate::score::hygiene::lint(&ds, &config));
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    Ok(CheckReport {
        quarter: ds.quarter.to_string(),
        key_results: ds.krs.len(),
        inputs: ds.inputs.clone(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        info: count(Severity::Info),
        findings,
    })
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
