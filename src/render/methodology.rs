//! The methodology page: every formula's thresholds in force, the signal
//! definitions, the DORA cut points and the data's coverage.

use crate::format::written;
use crate::summary::Summary;
use serde::Serialize;

#[derive(Serialize)]
pub struct SignalDefView {
    name: &'static str,
    label: &'static str,
    definition: &'static str,
    weakness: &'static str,
    direction: &'static str,
}

pub fn signal_defs() -> Vec<SignalDefView> {
    crate::score::signals::SIGNALS
        .iter()
        .map(|s| SignalDefView {
            name: s.name,
            label: s.label,
            definition: s.definition,
            weakness: s.weakness,
            direction: match s.direction {
                Some(crate::model::Direction::Increase) => "higher",
                Some(crate::model::Direction::Decrease) => "lower",
                None => "neither",
            },
        })
        .collect()
}

/// The DORA cut points as table rows: key, elite, high, medium, low.
pub fn dora_rows(d: &crate::config::Dora) -> Vec<[String; 5]> {
    let n = written;
    let pct = |x: f64| format!("{}%", written(x * 100.0));
    let [de, dh, dm] = d.deploy_frequency;
    let [le, lh, lm] = d.lead_time_hours;
    let [me, mh, mm] = d.mttr_hours;
    let [ce, ch, cm] = d.change_failure_rate;
    vec![
        [
            "Deployments per week".into(),
            format!("≥ {}", n(de)),
            format!("≥ {}", n(dh)),
            format!("≥ {}", n(dm)),
            format!("< {}", n(dm)),
        ],
        [
            "Lead time for changes (hours)".into(),
            format!("< {}", n(le)),
            format!("< {}", n(lh)),
            format!("< {}", n(lm)),
            format!("≥ {}", n(lm)),
        ],
        [
            "Time to restore (hours)".into(),
            format!("< {}", n(me)),
            format!("< {}", n(mh)),
            format!("< {}", n(mm)),
            format!("≥ {}", n(mm)),
        ],
        [
            "Change failure rate".into(),
            format!("≤ {}", pct(ce)),
            format!("≤ {}", pct(ch)),
            format!("≤ {}", pct(cm)),
            format!("> {}", pct(cm)),
        ],
    ]
}

#[derive(Serialize)]
pub struct Coverage {
    krs: usize,
    measured: usize,
    reported_only: usize,
    unmeasured: usize,
    milestones: usize,
}

pub fn coverage(summary: &Summary) -> Coverage {
    let krs = &summary.krs;
    Coverage {
        krs: krs.len(),
        measured: krs.iter().filter(|k| k.scores.value_measured.is_some()).count(),
        reported_only: krs
            .iter()
            .filter(|k| k.scores.value_measured.is_none() && k.scores.value_reported.is_some())
            .count(),
        unmeasured: krs.iter().filter(|k| k.scores.value.is_none()).count(),
        milestones: krs.iter().filter(|k| k.kind == crate::model::KrKind::Milestone).count(),
    }
}

/// The rows of okrs.csv of other quarters left out, as the Inputs section says them.
#[derive(Serialize)]
pub struct Skipped {
    rows: usize,
    quarters: String,
    first: String,
}

/// What was left out of okrs.csv, `None` when nothing was.
pub fn skipped(ds: &crate::model::Dataset) -> Option<Skipped> {
    let first = ds.skipped.first()?;
    let quarters: std::collections::BTreeSet<_> = ds.skipped.iter().map(|s| s.quarter).collect();
    Some(Skipped {
        rows: ds.skipped.len(),
        quarters: quarters.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        first: first.message.clone(),
    })
}

#[derive(Serialize)]
pub struct MethodologyConfig {
    red_below: f64,
    green_from: f64,
    stale_days: i64,
    risk_confidence: f64,
    surprise_confidence: f64,
    early_warning_days: i64,
    reported_gap: f64,
    drift_pct: f64,
    drift_points: f64,
    drift_min_events: u32,
    health_red_weeks: usize,
    impact_noise_pct: f64,
    min_aspirational_krs: usize,
    max_objectives_per_team: usize,
    min_krs_per_objective: usize,
    max_krs_per_objective: usize,
    too_safe_from: f64,
    overreach_below: f64,
    window_days: i32,
    min_group_size: usize,
    resamples: usize,
    max_zero_draws: usize,
    alpha: f64,
    super_user_active_pct: f64,
    super_user_acceptance_pct: f64,
    passive_active_pct: f64,
    delivery_change_pct: f64,
    delivery_points: f64,
    recurring_blocker_weeks: usize,
    on_pace_from: f64,
    off_pace_below: f64,
    complete_within_days: i64,
}

impl From<&crate::config::Config> for MethodologyConfig {
    fn from(c: &crate::config::Config) -> Self {
        let t = c.thresholds;
        // a share as a percentage without binary noise: 0.3 → 30, not 30.000000000000004
        let percent = |x: f64| (x * 100.0 * 1e6).round() / 1e6;
        MethodologyConfig {
            red_below: c.grades.red_below,
            green_from: c.grades.green_from,
            stale_days: t.stale_days,
            risk_confidence: t.risk_confidence,
            surprise_confidence: t.surprise_confidence,
            early_warning_days: t.early_warning_days,
            reported_gap: t.reported_gap,
            drift_pct: t.drift * 100.0,
            drift_points: t.drift_points,
            drift_min_events: t.drift_min_events,
            health_red_weeks: t.health_red_weeks,
            impact_noise_pct: t.impact_noise * 100.0,
            min_aspirational_krs: t.min_aspirational_krs,
            max_objectives_per_team: c.hygiene.max_objectives_per_team,
            min_krs_per_objective: c.hygiene.min_krs_per_objective,
            max_krs_per_objective: c.hygiene.max_krs_per_objective,
            too_safe_from: t.too_safe_from,
            overreach_below: t.overreach_below,
            window_days: crate::score::initiatives::WINDOW_DAYS,
            min_group_size: c.privacy.min_group_size,
            resamples: crate::score::stats::RESAMPLES,
            max_zero_draws: crate::score::stats::MAX_ZERO_DRAWS_PER_RESAMPLE,
            alpha: crate::score::stats::ALPHA,
            super_user_active_pct: percent(c.ai_cohort.super_user_active),
            super_user_acceptance_pct: percent(c.ai_cohort.super_user_acceptance),
            passive_active_pct: percent(c.ai_cohort.passive_active),
            delivery_change_pct: percent(t.delivery_change),
            delivery_points: t.delivery_points,
            recurring_blocker_weeks: t.recurring_blocker_weeks,
            on_pace_from: c.time.on_pace_from,
            off_pace_below: c.time.off_pace_below,
            complete_within_days: c.time.complete_within_days,
        }
    }
}
