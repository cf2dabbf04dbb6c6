//! Charts as inline SVG strings: only this module touches plotters.
//! Palette, sizes and the accessible wrapper live here.

pub mod axis;
pub mod bars;
pub mod boxes;
pub mod graph;
pub mod grid;
pub mod multiples;
pub mod pack;
pub mod reliability;
pub mod scatter;
pub mod series;

use crate::error::{Error, Result};
use chrono::NaiveDate;
use plotters::style::RGBColor;

/// Okabe–Ito colours, safe for the common colour-vision deficiencies.
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
pub const INK: RGBColor = RGBColor(0x33, 0x3a, 0x45);
pub const MUTED: RGBColor = RGBColor(0x6b, 0x72, 0x80);
pub const GRID: RGBColor = RGBColor(0xe5, 0xe7, 0xeb);
/// The fill behind marks that must hide what lies under them (a hollow marker).
pub const PAPER: RGBColor = RGBColor(0xff, 0xff, 0xfe);
/// Text on a strong colour that stays the same in both themes.
pub const BLACK: RGBColor = RGBColor(0, 0, 0);
pub const WHITE: RGBColor = RGBColor(0xff, 0xff, 0xff);

/// The grade colours: the badges' own (`--green`, `--amber`, `--red` of the stylesheet).
pub const GRADE_GREEN: RGBColor = RGBColor(0x0b, 0x7a, 0x55);
pub const GRADE_AMBER: RGBColor = RGBColor(0x9a, 0x62, 0x00);
pub const GRADE_RED: RGBColor = RGBColor(0xb3, 0x40, 0x1a);

/// Health cells, pale enough for ink letters on them.
pub const CELL_GREEN: RGBColor = RGBColor(0x9f, 0xd8, 0xbf);
pub const CELL_AMBER: RGBColor = RGBColor(0xf6, 0xd2, 0x8b);
pub const CELL_RED: RGBColor = RGBColor(0xe8, 0x8f, 0x73);
/// The shaded quick-win corner of the initiatives chart.
pub const SHADE: RGBColor = RGBColor(0xee, 0xf6, 0xf1);

/// The neutral colours of cohort boxes: groups of people are neither good
/// nor bad, so never a grade colour.
pub const NEUTRAL: RGBColor = RGBColor(0x5b, 0x6b, 0x86);
pub const NEUTRAL_DARK: RGBColor = RGBColor(0x2f, 0x3b, 0x52);

/// Every colour a chart draws that has to follow the page's theme, with the
/// stylesheet's custom property that stands for it. `templates/style.css`
/// maps each (its "chart colours" rules), so in dark mode a chart's ink,
/// grid and grade colours are the page's, and no chart sits on a white
/// panel. The series colours are not here: they read on both themes.
pub const THEMED: &[(RGBColor, &str)] = &[
    (INK, "--ink"),
    (MUTED, "--muted"),
    (GRID, "--line"),
    (PAPER, "--panel"),
    (GRADE_GREEN, "--green"),
    (GRADE_AMBER, "--amber"),
    (GRADE_RED, "--red"),
    (CELL_GREEN, "--cell-green"),
    (CELL_AMBER, "--cell-amber"),
    (CELL_RED, "--cell-red"),
    (SHADE, "--green-bg"),
    (NEUTRAL, "--neutral"),
    (NEUTRAL_DARK, "--neutral-dark"),
];

/// Colours for several series, in order.
pub const SERIES: [RGBColor; 6] = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY];

/// The most teams a page draws a chart of each for (a signal's panels, a
/// row of the organisation's health map); past it those pages show a table
/// of teams instead, so no page grows with the organisation by a chart a team.
pub const MAX_CHART_TEAMS: usize = 30;

/// A drawing area on a chart's SVG.
pub type Area<'b> = plotters::drawing::DrawingArea<plotters::prelude::SVGBackend<'b>, plotters::coord::Shift>;

/// Font family of chart text; the stylesheet may override it.
pub const FONT: &str = "sans-serif";

/// The plotters font size that draws text `size` CSS pixels high in its SVG
/// (plotters writes a font's size divided by 1.24).
pub fn px(size: f64) -> f64 {
    size * 1.24
}

/// The colour of a grade word: the badge's.
pub fn grade_color(grade: &str) -> RGBColor {
    match grade {
        "green" => GRADE_GREEN,
        "amber" => GRADE_AMBER,
        _ => GRADE_RED,
    }
}

/// A colour as plotters writes it in an SVG attribute (`#0B7A55`).
pub fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// `s` in lines of at most `max` characters, broken between words (a word
/// longer than a line is broken inside it): labels wrap, they are never cut.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > max {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..max).collect());
        }
        let word: String = word.into_iter().collect();
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Escapes text for XML content and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Replaces plotters' `<svg …>` tag with an accessible one: `role="img"`, a
/// `<title>` and a `<desc>` referenced by id, and a responsive viewBox. Its
/// width is also given to the stylesheet (`--w`), which keeps a chart from
/// shrinking on a phone past where its text stays legible.
pub fn accessible(svg: String, id: &str, title: &str, desc: &str) -> Result<String> {
    let open_end = svg.find('>').ok_or_else(|| Error::Internal("chart SVG has no opening tag".into()))?;
    let (w, h) = svg_size(&svg[..open_end]).unwrap_or((720, 300));
    let id = escape(id);
    Ok(format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" style=\"--w: {w}px\" role=\"img\" \
         aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>{}",
        escape(title),
        escape(desc),
        &svg[open_end + 1..]
    ))
}

fn svg_size(tag: &str) -> Option<(u32, u32)> {
    let attr = |name: &str| -> Option<u32> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[at..].split('"').next()?.parse().ok()
    };
    Some((attr("width")?, attr("height")?))
}

/// Text of `size` and `color` centred on its position.
pub fn centred(size: u32, color: RGBColor) -> plotters::style::TextStyle<'static> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    use plotters::style::{IntoFont, TextStyle};
    let style: TextStyle = (FONT, size).into_font().color(&color);
    style.pos(Pos::new(HPos::Center, VPos::Center))
}

/// A short axis date such as `Jul 6`.
pub fn short_date(d: NaiveDate) -> String {
    d.format("%b %-d").to_string()
}

/// Turns a plotters drawing error into ours.
pub fn draw_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Internal(format!("drawing a chart failed: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_svg_with_title_and_desc_escaped() {
        let svg = "<svg width=\"300\" height=\"100\" viewBox=\"0 0 300 100\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/></svg>".to_string();
        let out = accessible(svg, "c1", "A <b> & C", "d\"q").unwrap();
        assert!(
            out.starts_with(
                "<svg class=\"chart\" viewBox=\"0 0 300 100\" width=\"300\" height=\"100\" style=\"--w: 300px\""
            ),
            "{out}"
        );
        assert!(out.contains("<title id=\"c1-t\">A &lt;b&gt; &amp; C</title>"));
        assert!(out.contains("<desc id=\"c1-d\">d&quot;q</desc>"));
        assert!(out.ends_with("<rect/></svg>"));
    }

    #[test]
    fn labels_wrap_between_words_and_are_never_cut() {
        let s = "Make onboarding self-serve for new customers in their first week";
        let lines = wrap(s, 30);
        assert_eq!(lines, vec!["Make onboarding self-serve for", "new customers in their first", "week"]);
        assert_eq!(lines.join(" "), s);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 3), vec![""]);
    }

    #[test]
    fn grade_colours_are_the_badges() {
        let css = include_str!("../../templates/style.css");
        let light =
            &css[css.find(":root {").unwrap_or(0)..css.find("@media (prefers-color-scheme: dark)").unwrap_or(0)];
        for (grade, var) in [("green", "--green"), ("amber", "--amber"), ("red", "--red")] {
            let badge = format!("{var}: {};", hex(grade_color(grade)).to_lowercase());
            assert!(light.contains(&badge), "the {grade} badge is not {badge}");
        }
    }

    #[test]
    fn every_themed_colour_has_its_rules_in_the_stylesheet() {
        let css = include_str!("../../templates/style.css");
        for (color, var) in THEMED {
            for attr in ["fill", "stroke"] {
                let rule = format!("svg.chart [{attr}=\"{}\"] {{ {attr}: var({var}); }}", hex(*color));
                assert!(css.contains(&rule), "style.css lacks {rule}");
            }
            assert!(css.matches(&format!("{var}:")).count() >= 2, "{var} needs a light and a dark value");
        }
    }
}
