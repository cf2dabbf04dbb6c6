//! Every kind of finding the pack can raise, declared once: its name in
//! summary.json, its words on a page, its severity and where it is shown.
//! Scoring decides findings (`score::findings`, `score::hygiene`); pages only
//! turn a kind into its words. A new kind is one variant and one row of
//! [`FindingKind::rule`].

use serde::Serialize;

/// How much a finding matters, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Stops `check` (exit 1): the OKRs cannot be scored honestly as written.
    Error,
    /// Needs a reader's attention.
    Warning,
    /// Worth knowing; no action implied.
    Info,
}

impl Severity {
    /// The lower-case word, as in summary.json.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.word())
    }
}

/// The kinds of finding, in reading order: what a reader should look at first
/// comes first (SPEC §5 lists the names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    SurpriseMiss,
    GreenButDrifting,
    ReportedNotMeasured,
    MissedCommitment,
    /// As of a date before due, its score lags the share of its time gone (SPEC §6).
    OffPace,
    /// Why a key result missed (SPEC §7): nobody saw it coming.
    MissRhythm,
    /// The team's delivery capacity fell during the quarter.
    MissDelivery,
    /// The work was done but the number did not move.
    MissStrategy,
    RiskRaisedLate,
    Stale,
    HealthRed,
    Unmeasured,
    TooSafe,
    Overreach,
    MissingBaseline,
    SignalShadowed,
    EarlyWarning,
    TaskNotOutcome,
    MissingTarget,
    MissingOwner,
    ObjectiveIsNumber,
    TooManyObjectives,
    KrCount,
    NoMetric,
    NoPair,
    /// Aligned to nothing while other objectives are aligned (SPEC §8).
    Unaligned,
    /// Aligned to an objective that is itself a number.
    ParentIsNumber,
    /// More than one level of parents inside one team.
    CascadeInTeam,
    /// Raised by `check` only: a row of okrs.csv of another quarter fails and is left out.
    HistoryRowSkipped,
    /// Raised by `check` only: a file of the data folder that nothing reads.
    FileNotRead,
    /// Raised by `check` only: no okrs.csv and no OKR import, the event files checked alone.
    NoKeyResults,
    /// Raised by `check` only: teams of the event files that own no key result.
    TeamsWithoutKeyResults,
}

/// What the pages know about a kind of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The snake_case name of summary.json and `check`.
    pub name: &'static str,
    /// The heading of a group of such findings ("Stale check-ins").
    pub label: &'static str,
    /// A few words for a chip beside a key result ("stale").
    pub words: &'static str,
    /// The usual severity; a finding may say otherwise (`no_metric` on a milestone is info).
    pub severity: Severity,
    /// Listed among the index's alerts.
    pub alert: bool,
    /// Shown as a chip on the key result's row wherever it is listed.
    pub chip: bool,
    /// Part of the OKR hygiene lint (`check`, hygiene.html).
    pub hygiene: bool,
}

const fn rule(name: &'static str, label: &'static str, words: &'static str, severity: Severity) -> Rule {
    Rule { name, label, words, severity, alert: true, chip: false, hygiene: false }
}

const fn lint(name: &'static str, label: &'static str, words: &'static str, severity: Severity) -> Rule {
    Rule { name, label, words, severity, alert: false, chip: false, hygiene: true }
}

const fn quiet(rule: Rule) -> Rule {
    Rule { alert: false, ..rule }
}

const fn chip(rule: Rule) -> Rule {
    Rule { chip: true, ..rule }
}

use Severity::{Error, Info, Warning};

impl FindingKind {
    /// Every kind, in reading order.
    pub const ALL: [FindingKind; 32] = [
        FindingKind::SurpriseMiss,
        FindingKind::GreenButDrifting,
        FindingKind::ReportedNotMeasured,
        FindingKind::MissedCommitment,
        FindingKind::OffPace,
        FindingKind::MissRhythm,
        FindingKind::MissDelivery,
        FindingKind::MissStrategy,
        FindingKind::RiskRaisedLate,
        FindingKind::Stale,
        FindingKind::HealthRed,
        FindingKind::Unmeasured,
        FindingKind::TooSafe,
        FindingKind::Overreach,
        FindingKind::MissingBaseline,
        FindingKind::SignalShadowed,
        FindingKind::EarlyWarning,
        FindingKind::TaskNotOutcome,
        FindingKind::MissingTarget,
        FindingKind::MissingOwner,
        FindingKind::ObjectiveIsNumber,
        FindingKind::TooManyObjectives,
        FindingKind::KrCount,
        FindingKind::NoMetric,
        FindingKind::NoPair,
        FindingKind::Unaligned,
        FindingKind::ParentIsNumber,
        FindingKind::CascadeInTeam,
        FindingKind::HistoryRowSkipped,
        FindingKind::FileNotRead,
        FindingKind::NoKeyResults,
        FindingKind::TeamsWithoutKeyResults,
    ];

    /// What the pages know about this kind: its row of the table.
    pub const fn rule(self) -> Rule {
        RULES[self as usize]
    }

    /// The snake_case name.
    pub fn name(self) -> &'static str {
        self.rule().name
    }

    /// The usual severity.
    pub fn severity(self) -> Severity {
        self.rule().severity
    }

    /// Position in reading order.
    pub fn order(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// The one table of kinds, in the order of [`FindingKind::ALL`].
const RULES: [Rule; 32] = [
    // SurpriseMiss
    chip(rule("surprise_miss", "Surprise misses", "surprise miss", Warning)),
    // GreenButDrifting
    chip(rule("green_but_drifting", "Green but drifting", "green but drifting", Warning)),
    // ReportedNotMeasured
    chip(rule("reported_not_measured", "Reported progress not seen in the data", "reported ≠ measured", Warning)),
    // MissedCommitment
    chip(rule("missed_commitment", "Missed commitments", "missed commitment", Warning)),
    // OffPace
    chip(rule("off_pace", "Off pace", "off pace", Warning)),
    // MissRhythm
    chip(quiet(rule("miss_rhythm", "Missed: nobody saw it coming (rhythm)", "missed: rhythm", Info))),
    // MissDelivery
    chip(quiet(rule("miss_delivery", "Missed: the team's delivery fell (delivery)", "missed: delivery", Info))),
    // MissStrategy
    chip(quiet(rule("miss_strategy", "Missed: the work did not move the number (strategy)", "missed: strategy", Info))),
    // RiskRaisedLate
    rule("risk_raised_late", "Risks raised late or never", "risk raised late", Info),
    // Stale
    chip(rule("stale", "Stale check-ins", "stale", Warning)),
    // HealthRed
    rule("health_red", "Health red for weeks", "health red", Warning),
    // Unmeasured
    chip(rule("unmeasured", "Unmeasured key results", "unmeasured", Warning)),
    // TooSafe
    rule("too_safe", "Targets too safe", "too safe", Warning),
    // Overreach
    rule("overreach", "Overreach", "overreach", Warning),
    // MissingBaseline
    Rule { hygiene: true, ..rule("missing_baseline", "Missing baselines", "missing baseline", Error) },
    // SignalShadowed
    quiet(rule("signal_shadowed", "Signals shadowed by metrics.csv", "signal shadowed", Warning)),
    // EarlyWarning
    quiet(rule("early_warning", "Early warning", "early warning", Info)),
    // TaskNotOutcome
    lint("task_not_outcome", "Tasks, not outcomes", "task not outcome", Warning),
    // MissingTarget
    lint("missing_target", "Missing targets", "missing target", Error),
    // MissingOwner
    lint("missing_owner", "Missing owners", "missing owner", Warning),
    // ObjectiveIsNumber
    lint("objective_is_number", "Objectives that are numbers", "objective is number", Warning),
    // TooManyObjectives
    lint("too_many_objectives", "Too many objectives", "too many objectives", Warning),
    // KrCount
    lint("kr_count", "Key results per objective", "kr count", Warning),
    // NoMetric
    lint("no_metric", "No measured metric", "no metric", Warning),
    // NoPair
    lint("no_pair", "No pair", "no pair", Info),
    // Unaligned
    lint("unaligned", "Objectives aligned to nothing", "unaligned", Warning),
    // ParentIsNumber
    lint("parent_is_number", "Aligned to a number", "parent is number", Warning),
    // CascadeInTeam
    lint("cascade_in_team", "Cascades inside a team", "cascade in team", Warning),
    // HistoryRowSkipped
    quiet(rule("history_row_skipped", "Rows of other quarters left out", "row left out", Warning)),
    // FileNotRead
    quiet(rule("file_not_read", "Files not read", "file not read", Info)),
    // NoKeyResults
    quiet(rule("no_key_results", "No key results", "no key results", Error)),
    // TeamsWithoutKeyResults
    quiet(rule("teams_without_key_results", "Teams without key results", "no key results", Info)),
];

/// One finding of summary.json (SPEC §5): a kind, what it concerns and a
/// message that stands alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    pub team: Option<String>,
    pub kr_id: Option<String>,
    pub message: String,
}

impl Finding {
    /// A finding about one key result, at its kind's usual severity.
    pub fn kr(kind: FindingKind, team: &str, kr_id: &str, message: String) -> Finding {
        Finding {
            kind,
            severity: kind.severity(),
            team: Some(team.to_string()),
            kr_id: Some(kr_id.to_string()),
            message,
        }
    }

    /// A finding about one team.
    pub fn team(kind: FindingKind, team: &str, message: String) -> Finding {
        Finding { kind, severity: kind.severity(), team: Some(team.to_string()), kr_id: None, message }
    }

    /// A finding about the whole organisation.
    pub fn org(kind: FindingKind, message: String) -> Finding {
        Finding { kind, severity: kind.severity(), team: None, kr_id: None, message }
    }

    /// The same finding at another severity.
    pub fn at(self, severity: Severity) -> Finding {
        Finding { severity, ..self }
    }
}

/// Sorts findings as summary.json lists them: by kind name, team and key result.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| (a.kind.name(), &a.team, &a.kr_id).cmp(&(b.kind.name(), &b.team, &b.kr_id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_once_in_reading_order_and_named_as_serde_names_it() {
        for (i, kind) in FindingKind::ALL.iter().enumerate() {
            assert_eq!(kind.order(), i);
            assert_eq!(RULES[i].name, kind.name());
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
        }
    }

    #[test]
    fn severities_read_as_summary_json_words() {
        assert_eq!(serde_json::to_string(&Severity::Warning).unwrap(), "\"warning\"");
        assert!(Severity::Error < Severity::Warning && Severity::Warning < Severity::Info);
        let f = Finding::kr(FindingKind::NoMetric, "t", "K1", "m".into()).at(Info);
        assert_eq!(f.severity.word(), "info");
    }
}
