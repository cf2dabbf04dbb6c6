//! What generated key results are made of: the metrics.csv series with their
//! ranges, the derived signals, objective titles.

/// A metric series a key result can be measured by (metrics.csv).
pub struct MetricDef {
    pub name: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub increase: bool,
    pub layer: &'static str,
    pub base: (f64, f64),
    /// Relative change the target asks for.
    pub change: (f64, f64),
    pub decimals: usize,
    pub max: f64,
}

// one row of the table below: positional arguments keep it one line per metric
#[allow(clippy::too_many_arguments)]
const fn def(
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    increase: bool,
    layer: &'static str,
    base: (f64, f64),
    change: (f64, f64),
    decimals: usize,
    max: f64,
) -> MetricDef {
    MetricDef { name, label, unit, increase, layer, base, change, decimals, max }
}

pub const INF: f64 = f64::INFINITY;

/// The series of metrics.csv, each described in quarterdeck.toml.
pub const METRICS: &[MetricDef] = &[
    def("checkout_p95_ms", "Checkout p95 latency", "ms", false, "outcome", (600.0, 1100.0), (0.25, 0.45), 0, INF),
    def("conversion_pct", "Checkout conversion", "%", true, "business", (40.0, 70.0), (0.02, 0.06), 1, 100.0),
    def("error_rate_pct", "Error rate", "%", false, "outcome", (0.5, 3.0), (0.3, 0.6), 2, 100.0),
    def("failed_payment_rate_pct", "Failed payment rate", "%", false, "outcome", (0.8, 2.5), (0.15, 0.35), 2, 100.0),
    def("sla_breaches_weekly", "SLA breaches", "per week", false, "outcome", (6.0, 20.0), (0.4, 0.7), 0, INF),
    def("deploys_weekly", "Production deploys", "per week", true, "workflow", (3.0, 30.0), (0.3, 1.0), 0, INF),
    def("ci_duration_p50_min", "Median CI duration", "minutes", false, "workflow", (12.0, 30.0), (0.3, 0.5), 0, INF),
    def("api_p95_ms", "API p95 latency", "ms", false, "outcome", (150.0, 400.0), (0.15, 0.35), 0, INF),
    def("availability_pct", "Availability (30 days)", "%", true, "outcome", (99.5, 99.9), (5e-4, 2e-3), 2, 99.99),
    def("oncall_pages_weekly", "On-call pages", "per week", false, "workflow", (6.0, 18.0), (0.3, 0.6), 0, INF),
    def("cost_per_customer_usd", "Cloud spend per customer", "USD", false, "business", (2.0, 8.0), (0.1, 0.25), 2, INF),
    def("crash_free_pct", "Crash-free sessions", "%", true, "outcome", (98.5, 99.5), (2e-3, 6e-3), 2, 99.99),
    def("crash_fix_days", "Median time to fix a top crash", "days", false, "workflow", (5.0, 15.0), (0.3, 0.6), 1, INF),
    def("cold_start_ms", "App cold start", "ms", false, "outcome", (1200.0, 2500.0), (0.2, 0.4), 0, INF),
    def("releases_weekly", "Releases", "per week", true, "workflow", (0.5, 3.0), (0.5, 1.0), 1, INF),
    def("activation_pct", "7-day activation", "%", true, "outcome", (20.0, 45.0), (0.1, 0.25), 1, 100.0),
    def("time_to_value_hours", "Time to first value", "hours", false, "outcome", (12.0, 72.0), (0.3, 0.5), 1, INF),
    def("trial_conversion_pct", "Trial-to-paid conversion", "%", true, "business", (5.0, 15.0), (0.15, 0.4), 1, 100.0),
    def("signup_rate_pct", "Visit-to-signup rate", "%", true, "outcome", (2.0, 6.0), (0.1, 0.3), 1, 100.0),
    def(
        "certified_dashboards_pct",
        "Dashboards on certified data",
        "%",
        true,
        "outcome",
        (30.0, 70.0),
        (0.15, 0.4),
        0,
        100.0,
    ),
    def("freshness_hours", "Core table freshness lag", "hours", false, "workflow", (4.0, 24.0), (0.4, 0.7), 1, INF),
    def(
        "pipeline_failures_weekly",
        "Failed pipeline runs",
        "per week",
        false,
        "workflow",
        (4.0, 15.0),
        (0.4, 0.7),
        0,
        INF,
    ),
    def("weekly_active_users", "Weekly active users", "users", true, "outcome", (500.0, 20000.0), (0.1, 0.3), 0, INF),
    def("support_tickets_weekly", "Support tickets", "per week", false, "outcome", (30.0, 200.0), (0.15, 0.35), 0, INF),
    def("nps", "Net promoter score", "points", true, "business", (10.0, 40.0), (0.15, 0.4), 0, 100.0),
    def("flaky_test_pct", "Flaky test rate", "%", false, "workflow", (2.0, 10.0), (0.4, 0.7), 1, 100.0),
];

/// Derived signals (SPEC §3) a key result can be measured by: name, words, unit, good direction.
pub const DERIVED: &[(&str, &str, &str, bool)] = &[
    ("cycle_time_days", "median pull-request cycle time", "days", false),
    ("review_time_hours", "median time to first review", "hours", false),
    ("pr_throughput", "merged pull requests", "per week", true),
    ("deploy_frequency", "production deployments", "per week", true),
    ("change_failure_rate", "change failure rate", "", false),
    ("mttr_hours", "median time to restore service", "hours", false),
    ("lead_time_hours", "lead time from merge to production", "hours", false),
    ("ai_code_share", "share of merged pull requests written with the assistant", "", true),
    ("rework_rate", "share of merged pull requests needing rework", "", false),
];

/// Signals a guardrail may name besides the team's own series.
pub const GUARDRAIL_SIGNALS: &[&str] = &["change_failure_rate", "mttr_hours", "rework_rate", "review_time_hours"];

pub const OBJECTIVES: &[&str] = &[
    "Make {} reliable through the peak season",
    "Ship {} changes faster and more safely",
    "Give customers a faster {} experience",
    "Turn {} data into everyday decisions",
    "Grow revenue from {}",
    "Take the toil out of running {}",
    "Earn trust with secure {} defaults",
    "Make {} the easiest part of onboarding",
    "Lower the cost of serving {}",
    "Give every team self-serve {} insights",
];
