//! How numbers read on every page, chart and message: one leaf module, so
//! scoring, charts and pages format a value the same way and none of them
//! has to import another stage to do it.
//!
//! **The one rule: a figure's decimals follow its unit and its size.**
//!
//! | unit | decimals | examples |
//! | --- | --- | --- |
//! | a score (0–1) | always two: the figure that was graded | 0.68, 1.00 |
//! | a share (0–1), shown in % | always one | 0.4%, 12.0%, 99.0% |
//! | a count | none | 7, 2215 |
//! | a confidence (0–10) | none when whole, else one | 7, 7.5 |
//! | any other quantity (days, hours, per week, ms, %, none) | by size: two below 1, one from 1, none from 100 | 0.35 h, 6.8 h, 54.5 h, 169 per week |
//! | a difference of shares | one, in points | 21.9 pts |
//! | a relative change | none, signed; `±0%` under half a percent | +12%, −3% |
//!
//! A figure shown beside values a person wrote (a key result's baseline,
//! target and band) takes at least as many decimals as they need, so a band
//! of 99.93–100 keeps its two decimals and every value of that key result
//! has them too. An axis tick takes the decimals of the step between ticks
//! (0, 0.5, 1, 1.5; 0%, 10%, 20%). Trailing zeros stay: a column of figures
//! of one unit and size reads with the same decimals.

/// What a figure measures: its decimals follow from it and from its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A score 0–1: two decimals.
    Score,
    /// A share 0–1, shown as a percentage with one decimal.
    Share,
    /// A count of things: no decimals.
    Count,
    /// Any other quantity: decimals by size.
    Quantity,
}

/// The most decimals a written value asks for.
const MAX_WRITTEN_DECIMALS: usize = 3;

/// How many decimals a figure of `unit` and value `x` shows.
pub fn decimals(unit: Unit, x: f64) -> usize {
    match unit {
        Unit::Score => 2,
        Unit::Share => 1,
        Unit::Count => 0,
        Unit::Quantity => match x.abs() {
            a if a >= 100.0 => 0,
            a if a >= 1.0 => 1,
            _ => 2,
        },
    }
}

/// A figure by the one rule, without its unit word (a share with its `%`).
pub fn figure(x: f64, unit: Unit) -> String {
    figure_at_least(x, unit, 0)
}

/// A figure by the one rule with at least `at_least` decimals: the
/// precision of the written values it is shown beside.
pub fn figure_at_least(x: f64, unit: Unit, at_least: usize) -> String {
    let (x, suffix) = if unit == Unit::Share { (x * 100.0, "%") } else { (x, "") };
    let d = decimals(unit, x).max(at_least);
    format!("{}{suffix}", fixed(x, d))
}

/// `x` with `d` decimals, never `-0`.
fn fixed(x: f64, d: usize) -> String {
    let s = format!("{x:.d$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

/// The decimals it takes to write each of `values` exactly as a person
/// would (99.93 → 2, 4 → 0), at most three.
pub fn written_decimals(values: impl IntoIterator<Item = f64>) -> usize {
    values
        .into_iter()
        .map(|v| (0..MAX_WRITTEN_DECIMALS).find(|&d| close(v, d)).unwrap_or(MAX_WRITTEN_DECIMALS))
        .max()
        .unwrap_or(0)
}

/// Whether `v` rounded to `d` decimals is `v` (arithmetic, not text: it
/// runs for every figure of a key result on every page).
fn close(v: f64, d: usize) -> bool {
    let scale = 10f64.powi(d as i32);
    ((v * scale).round() / scale - v).abs() <= v.abs().max(1.0) * 1e-9
}

/// A value as a person wrote it, in its shortest exact form (`0.7`, `5`,
/// `2.5`): thresholds and weights of the configuration, not figures.
pub fn written(x: f64) -> String {
    fixed(x, written_decimals([x]))
}

/// An axis tick: the decimals of the `step` between ticks (0, 0.5, 1; 0, 20, 40);
/// a share's tick in % (`step` in share units too).
pub fn tick(x: f64, step: f64, unit: Unit) -> String {
    let (x, step, suffix) = if unit == Unit::Share { (x * 100.0, step * 100.0, "%") } else { (x, step, "") };
    format!("{}{suffix}", fixed(x, written_decimals([step])))
}

/// A difference of shares in percentage points, one decimal like the shares
/// themselves, without its sign (`21.9`).
pub fn points(x: f64) -> String {
    fixed(x, decimals(Unit::Share, x))
}

/// A plain quantity by the one rule (`Unit::Quantity`).
pub fn num(x: f64) -> String {
    figure(x, Unit::Quantity)
}

/// A whole number without decimals, else one decimal (`7`, `7.5`): confidences.
pub fn whole_or_tenth(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// A score as shown: two decimals (0.68, 1.00), the figure it was graded on.
pub fn score(s: f64) -> String {
    format!("{s:.2}")
}

/// A share as a percentage by the one rule (`0.254` → `25.4%`).
pub fn pct(x: f64) -> String {
    figure(x, Unit::Share)
}

/// A relative change as a signed whole percentage; under half a percent is `±0%`.
pub fn signed_pct(x: f64) -> String {
    let p = x * 100.0;
    if p.abs() < 0.5 {
        "±0%".into()
    } else {
        signed_whole_pct(p)
    }
}

/// A relative difference as a signed whole percentage, rounded first: `0%` when it rounds to zero.
pub fn signed_pct_rounded(x: f64) -> String {
    let p = (x * 100.0).round();
    if p == 0.0 {
        "0%".into()
    } else {
        signed_whole_pct(p)
    }
}

/// Percentage points `p`, signed, without decimals.
fn signed_whole_pct(p: f64) -> String {
    format!("{}{:.0}%", if p > 0.0 { "+" } else { "−" }, p.abs())
}

/// Text safe to print on a terminal: every control character but line feed
/// and tab (ESC, OSC, BEL, carriage return, C1 …) written as a visible
/// `\u{…}` escape, so input can neither move the cursor, clear the screen nor
/// write the clipboard.
pub fn terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_follow_the_unit_and_the_size() {
        // the issue's hours: 6.76, 16.9 and 54.5 read with one decimal each
        assert_eq!(num(6.76), "6.8");
        assert_eq!(num(16.94), "16.9");
        assert_eq!(num(54.5), "54.5");
        assert_eq!(num(0.354), "0.35");
        assert_eq!(num(169.4), "169");
        assert_eq!(num(2.0), "2.0");
        assert_eq!(num(-0.001), "0.00");
        assert_eq!(num(99.96), "100.0");
        assert_eq!(figure(0.99, Unit::Share), "99.0%");
        assert_eq!(figure(0.004, Unit::Share), "0.4%");
        assert_eq!(figure(0.6849, Unit::Score), "0.68");
        assert_eq!(figure(2215.0, Unit::Count), "2215");
        assert_eq!(figure(-0.04, Unit::Share), "-4.0%");
    }

    #[test]
    fn written_values_keep_their_decimals() {
        assert_eq!(written_decimals([99.93, 100.0]), 2);
        assert_eq!(written_decimals([4.0, 6.0]), 0);
        assert_eq!(written_decimals([0.1 + 0.2]), 1);
        assert_eq!(written_decimals([1.0 / 3.0]), 3);
        assert_eq!(written_decimals([]), 0);
        assert_eq!(figure_at_least(99.95, Unit::Quantity, 2), "99.95");
        assert_eq!(figure_at_least(412.5, Unit::Quantity, 0), "412");
        assert_eq!(written(0.7), "0.7");
        assert_eq!(written(14.0), "14");
    }

    #[test]
    fn ticks_take_the_decimals_of_their_step() {
        assert_eq!(tick(1.5, 0.5, Unit::Quantity), "1.5");
        assert_eq!(tick(1.0, 0.5, Unit::Quantity), "1.0");
        assert_eq!(tick(40.0, 20.0, Unit::Quantity), "40");
        assert_eq!(tick(0.2, 0.1, Unit::Share), "20%");
        assert_eq!(tick(0.025, 0.025, Unit::Share), "2.5%");
        assert_eq!(tick(0.0, 0.25, Unit::Quantity), "0.00");
    }

    #[test]
    fn terminal_text_shows_control_characters_instead_of_running_them() {
        assert_eq!(terminal("a\u{1b}]52;c;aGk=\u{7}b"), "a\\u{1b}]52;c;aGk=\\u{7}b");
        assert_eq!(terminal("x\u{9b}2Jy\r"), "x\\u{9b}2Jy\\u{d}");
        assert_eq!(terminal("plain – ünïcode"), "plain – ünïcode");
    }

    #[test]
    fn percentages_are_signed_and_whole() {
        assert_eq!(pct(0.254), "25.4%");
        assert_eq!(signed_pct(0.004), "±0%");
        assert_eq!(signed_pct(-0.2), "−20%");
        assert_eq!(signed_pct_rounded(0.004), "0%");
        assert_eq!(signed_pct_rounded(0.126), "+13%");
        assert_eq!(whole_or_tenth(7.0), "7");
        assert_eq!(whole_or_tenth(7.5), "7.5");
    }
}
