//! How numbers read on every page, chart and message: one leaf module, so
//! scoring, charts and pages format a value the same way and none of them
//! has to import another stage to do it.

/// Formats a value compactly: up to 3 significant decimals, no trailing zeros.
pub fn num(x: f64) -> String {
    let s = if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    };
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
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

/// A share as a whole percentage (`0.25` → `25%`).
pub fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
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
    fn numbers_keep_three_significant_decimals_without_trailing_zeros() {
        assert_eq!(num(0.125), "0.12");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(1234.5), "1234");
        assert_eq!(num(2.0), "2");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(900.0), "900");
        assert_eq!(num(12.25), "12.2");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(99.96), "100");
    }

    #[test]
    fn terminal_text_shows_control_characters_instead_of_running_them() {
        assert_eq!(terminal("a\u{1b}]52;c;aGk=\u{7}b"), "a\\u{1b}]52;c;aGk=\\u{7}b");
        assert_eq!(terminal("x\u{9b}2Jy\r"), "x\\u{9b}2Jy\\u{d}");
        assert_eq!(terminal("plain – ünïcode"), "plain – ünïcode");
    }

    #[test]
    fn percentages_are_signed_and_whole() {
        assert_eq!(pct(0.254), "25%");
        assert_eq!(signed_pct(0.004), "±0%");
        assert_eq!(signed_pct(-0.2), "−20%");
        assert_eq!(signed_pct_rounded(0.004), "0%");
        assert_eq!(signed_pct_rounded(0.126), "+13%");
        assert_eq!(whole_or_tenth(7.0), "7");
        assert_eq!(whole_or_tenth(7.5), "7.5");
    }
}
