//! The columns of every input file: the single definition the parser checks
//! headers against and `quarterdeck schema` prints.

/// Whether a column must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The header must have it.
    Required,
    /// The header may lack it.
    Optional,
    /// Required in some rows only; the condition is said in words.
    When(&'static str),
}

/// One column of an input file.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub need: Need,
    pub kind: &'static str,
    pub meaning: &'static str,
    pub example: &'static str,
}

/// One input file.
#[derive(Debug, Clone, Copy)]
pub struct FileSpec {
    /// The file name inside the data folder.
    pub file: &'static str,
    /// The key used in `[columns.KEY]` of quarterdeck.toml.
    pub key: &'static str,
    pub about: &'static str,
    pub columns: &'static [ColumnSpec],
}

impl FileSpec {
    /// The required column names.
    pub fn required(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().filter(|c| c.need == Need::Required).map(|c| c.name)
    }
}

const fn col(
    name: &'static str,
    need: Need,
    kind: &'static str,
    meaning: &'static str,
    example: &'static str,
) -> ColumnSpec {
    ColumnSpec { name, need, kind, meaning, example }
}

use Need::{Optional as O, Required as R};

/// okrs.csv: one row per key result, objective columns repeated.
pub const OKRS: FileSpec = FileSpec {
    file: "okrs.csv",
    key: "okrs",
    about: "one row per key result; the objective's columns repeat on each of its rows",
    columns: &[
        col(
            "quarter",
            R,
            "YYYY-Qn",
            "the cycle; the pack covers the latest quarter unless --quarter picks another",
            "2026-Q3",
        ),
        col("team", R, "text", "owning team", "payments"),
        col("objective_id", R, "text", "stable objective id; title and kind agree on every row", "PAY-O1"),
        col("objective", R, "text", "the qualitative objective", "Make checkout feel instant"),
        col(
            "objective_kind",
            O,
            "aspirational | committed",
            "committed objectives are expected at 1.0 (default aspirational)",
            "committed",
        ),
        col(
            "aligns_to",
            O,
            "objective_id",
            "the objective this one serves, of any team in the same quarter (empty for a top objective)",
            "CO-1",
        ),
        col(
            "kr_id",
            R,
            "text, unique within a quarter",
            "stable key-result id; the same id in another quarter is the same key result, continued; \
             empty (with key_result) on a row that only states an objective",
            "PAY-KR1",
        ),
        col("key_result", R, "text", "the key result as written", "Cut p95 checkout latency to 400 ms"),
        col("owner", R, "person id", "the one owner of the key result", "ana.silva"),
        col(
            "kind",
            O,
            "metric | milestone",
            "milestone = progress 0..1 reported in check-ins (default metric)",
            "metric",
        ),
        col("direction", Need::When("metric"), "increase | decrease", "which way is better", "decrease"),
        col("baseline", Need::When("metric"), "number", "value at quarter start", "900"),
        col("target", Need::When("metric, unless a band is given"), "number", "the stretch target", "400"),
        col("band_low", O, "number", "low edge of the acceptable range", "350"),
        col("band_high", O, "number ≥ band_low", "high edge of the acceptable range", "450"),
        col("unit", O, "text", "unit of the values", "ms"),
        col(
            "metric",
            O,
            "metric name",
            "series that measures this KR (metrics.csv or a derived signal); metric KRs only, not milestones",
            "checkout_p95_ms",
        ),
        col("layer", O, "workflow | outcome | business", "data-alignment layer", "outcome"),
        col("paired_with", O, "kr_id", "its counterpart (engineering signal + outcome)", "PAY-KR2"),
        col("guardrail", O, "metric names, |-separated", "health signals that must not degrade", "change_failure_rate"),
        col("weight", O, "number > 0", "weight inside its objective (default 1)", "2"),
        col("due", O, "YYYY-MM-DD", "due date inside the quarter (default quarter end)", "2026-09-30"),
        col("continues", O, "kr_id", "a key result of an earlier quarter that this one carries on", "PAY-Q2-KR1"),
    ],
};

/// checkins.csv: one row per check-in.
pub const CHECKINS: FileSpec = FileSpec {
    file: "checkins.csv",
    key: "checkins",
    about: "one row per check-in on a key result",
    columns: &[
        col("date", R, "YYYY-MM-DD", "day of the check-in", "2026-07-10"),
        col("kr_id", R, "kr_id", "the key result checked in on", "PAY-KR1"),
        col("author", O, "person id", "who wrote it", "ana.silva"),
        col("value", O, "number; milestones 0..1 or a percentage", "the reported value or progress", "720"),
        col(
            "confidence",
            O,
            "0–10, 0..1, 70%, on track / at risk / off track",
            "confidence of reaching the target",
            "7",
        ),
        col("note", O, "Markdown", "what happened", "Rolled out **canary**"),
        col("blockers", O, "text", "what stands in the way", "Waiting on vendor API keys"),
        col("decision_needed", O, "text", "a decision asked of leadership", "Drop iOS 15 support?"),
    ],
};

/// metrics.csv: long time series of any signal.
pub const METRICS: FileSpec = FileSpec {
    file: "metrics.csv",
    key: "metrics",
    about: "long time series: one value of one metric for one team on one day",
    columns: &[
        col("date", R, "YYYY-MM-DD", "day of the observation", "2026-07-06"),
        col("team", R, "text", "team the series belongs to", "payments"),
        col("metric", R, "metric name", "series name, referenced by okrs.csv metric/guardrail", "checkout_p95_ms"),
        col("value", R, "number", "the observed value (an empty cell is skipped)", "812"),
        col("person", O, "person id", "a person the value belongs to, if any", ""),
    ],
};

/// health.csv: a team's own red/amber/green health check, usually weekly.
pub const HEALTH: FileSpec = FileSpec {
    file: "health.csv",
    key: "health",
    about: "one team health status on one day: red, amber or green per health metric",
    columns: &[
        col("date", R, "YYYY-MM-DD", "day of the health check", "2026-07-03"),
        col("team", R, "text", "the team", "platform"),
        col("health_metric", R, "text", "what is judged", "on-call load"),
        col("status", R, "green | amber | red", "the judgement", "amber"),
        col("note", O, "text", "why", "Two pages a night during the migration"),
    ],
};

/// initiatives.csv: the work meant to move a key result.
pub const INITIATIVES: FileSpec = FileSpec {
    file: "initiatives.csv",
    key: "initiatives",
    about: "one initiative (a piece of work) meant to move one key result",
    columns: &[
        col("initiative", R, "text", "name of the initiative", "Canary deploys for the API gateway"),
        col("kr_id", R, "kr_id", "the key result it should move", "PLAT-KR2"),
        col("impact", O, "integer 1–5", "expected impact", "4"),
        col("effort", O, "integer 1–5", "expected effort", "2"),
        col("status", R, "idea | doing | done | dropped", "where it stands", "done"),
        col("started", O, "YYYY-MM-DD", "day work started", "2026-07-06"),
        col("finished", Need::When("status done"), "YYYY-MM-DD", "day it was finished", "2026-08-14"),
    ],
};

/// prs.csv: pull or merge requests.
pub const PRS: FileSpec = FileSpec {
    file: "prs.csv",
    key: "prs",
    about: "one pull request: when it was opened, first reviewed and merged",
    columns: &[
        col("pr_id", R, "text, unique", "the pull request's id", "PR-1042"),
        col("team", R, "text", "the team that owns the change", "payments"),
        col(
            "author",
            O,
            "person id",
            "who opened it; empty for a deleted account (counted for the team, for no person)",
            "ana.silva",
        ),
        col(
            "opened_at",
            R,
            "timestamp",
            "when it was opened (RFC 3339, or YYYY-MM-DD HH:MM in UTC)",
            "2026-07-14T09:31:00Z",
        ),
        col("first_review_at", O, "timestamp", "first review; empty = never reviewed", "2026-07-14T13:02:00Z"),
        col("merged_at", R, "timestamp", "when it was merged; an empty cell = not merged", "2026-07-15T10:12:00Z"),
        col("additions", O, "integer", "lines added", "120"),
        col("deletions", O, "integer", "lines deleted", "30"),
        col("ai_assisted", O, "boolean", "written with an AI coding assistant", "true"),
        col("rework", O, "boolean", "a fix or revert of recent work", "false"),
    ],
};

/// deployments.csv: production deployments.
pub const DEPLOYMENTS: FileSpec = FileSpec {
    file: "deployments.csv",
    key: "deployments",
    about: "one production deployment and the pull requests it shipped",
    columns: &[
        col("deploy_id", R, "text, unique", "the deployment's id", "D-311"),
        col("team", R, "text", "the deploying team", "payments"),
        col("service", O, "text", "what was deployed", "checkout-api"),
        col("deployed_at", R, "timestamp", "when it reached production", "2026-07-15T12:40:00+02:00"),
        col("failed", O, "boolean", "it caused a failure in production (default false)", "false"),
        col("pr_ids", O, "ids, space-separated", "the pull requests it shipped", "PR-1042 PR-1047"),
    ],
};

/// incidents.csv: production incidents.
pub const INCIDENTS: FileSpec = FileSpec {
    file: "incidents.csv",
    key: "incidents",
    about: "one production incident: when it started and was resolved",
    columns: &[
        col("incident_id", R, "text, unique", "the incident's id", "INC-77"),
        col("team", R, "text", "the team that owned the response", "platform"),
        col("service", O, "text", "the affected service", "api-gateway"),
        col("severity", O, "text", "severity as your tool writes it", "sev2"),
        col("started_at", R, "timestamp", "when it started", "2026-08-02T03:10:00Z"),
        col("resolved_at", O, "timestamp", "when service was restored; empty = still open", "2026-08-02T04:05:00Z"),
        col("deploy_id", O, "deploy_id", "the deployment that caused it, if known", "D-311"),
    ],
};

/// ai_usage.csv: daily AI coding-assistant usage per person.
pub const AI_USAGE: FileSpec = FileSpec {
    file: "ai_usage.csv",
    key: "ai_usage",
    about: "one person's AI coding-assistant usage on one day",
    columns: &[
        col("date", R, "YYYY-MM-DD", "the day", "2026-07-14"),
        col("person", R, "person id", "who", "ana.silva"),
        col("suggestions_shown", O, "number", "suggestions shown", "140"),
        col("suggestions_accepted", O, "number", "suggestions accepted", "46"),
        col("lines_accepted", O, "number", "lines of accepted suggestions", "210"),
        col("active", O, "boolean", "used the assistant that day (default: shown > 0)", "true"),
    ],
};

/// people.csv: who is on which team; other columns are cohort dimensions.
pub const PEOPLE: FileSpec = FileSpec {
    file: "people.csv",
    key: "people",
    about: "one person: team and role; every other column is a cohort dimension",
    columns: &[
        col("person", R, "person id, unique", "the id used in the other files", "ana.silva"),
        col("team", R, "text", "the person's team", "payments"),
        col("role", O, "text", "role", "engineer"),
    ],
};

/// Every CSV input, in the order they are read.
pub const ALL: &[FileSpec] =
    &[OKRS, CHECKINS, METRICS, HEALTH, INITIATIVES, PRS, DEPLOYMENTS, INCIDENTS, AI_USAGE, PEOPLE];

/// The text `quarterdeck schema [FILE]` prints: every input's columns, or
/// one file's (by file name or key, e.g. `okrs.csv` or `okrs`).
pub fn describe(file: Option<&str>) -> Option<String> {
    let specs: Vec<&FileSpec> = match file {
        None => ALL.iter().collect(),
        Some(f) => {
            let f = f.trim().to_lowercase();
            vec![ALL.iter().find(|s| s.file == f || s.key == f || s.file.trim_end_matches(".csv") == f)?]
        }
    };
    let mut out = String::new();
    for spec in specs {
        out.push_str(&format!("{} — {}\n", spec.file, spec.about));
        let width = spec.columns.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for c in spec.columns {
            let need = match c.need {
                Need::Required => "required".to_string(),
                Need::Optional => "optional".to_string(),
                Need::When(w) => format!("required for {w}"),
            };
            out.push_str(&format!("  {:<width$}  {need}; {}. {}", c.name, c.kind, c.meaning));
            if !c.example.is_empty() {
                out.push_str(&format!(" (e.g. {})", c.example));
            }
            out.push('\n');
        }
        if spec.key == "people" {
            out.push_str("  (any other column)  optional; text. A cohort dimension, e.g. location\n");
        }
        out.push('\n');
    }
    Some(out)
}

/// The largest magnitude a number of the input may have: far beyond any
/// count, duration, share or amount an engineering organisation reports, and
/// far from where sums, paddings and chart scales stop being finite. Every
/// number of every input file, and every configured band, is checked against it.
pub const MAX_MAGNITUDE: f64 = 1e15;

/// Whether a number is finite and within ±[`MAX_MAGNITUDE`].
pub fn in_domain(x: f64) -> bool {
    x.is_finite() && x.abs() <= MAX_MAGNITUDE
}
