//! Charts as inline SVG strings: only this module touches plotters.
//! Palette, sizes and the accessible wrapper live here.

pub mod bars;
pub mod boxes;
pub mod graph;
pub mod grid;
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

/// Colours for several series, in order.
pub const SERIES: [RGBColor; 6] = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY];

/// Font family of chart text; the stylesheet may override it.
pub const FONT: &str = "sans-serif";

/// The colour of a grade word.
pub fn grade_color(grade: &str) -> RGBColor {
    match grade {
        "green" => GREEN,
        "amber" => ORANGE,
        _ => VERMILLION,
    }
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
/// `<title>` and a `<desc>` referenced by id, and a responsive viewBox.
pub fn accessible(svg: String, id: &str, title: &str, desc: &str) -> Result<String> {
    let open_end = svg.find('>').ok_or_else(|| Error::Internal("chart SVG has no opening tag".into()))?;
    let (w, h) = svg_size(&svg[..open_end]).unwrap_or((720, 300));
    let id = escape(id);
    Ok(format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" \
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
        assert!(out.starts_with("<svg class=\"chart\" viewBox=\"0 0 300 100\""), "{out}");
        assert!(out.contains("<title id=\"c1-t\">A &lt;b&gt; &amp; C</title>"));
        assert!(out.contains("<desc id=\"c1-d\">d&quot;q</desc>"));
        assert!(out.ends_with("<rect/></svg>"));
    }
}
