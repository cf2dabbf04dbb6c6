//! Time-series charts: a KR's value over the quarter, confidence timelines, trends.

use super::{accessible, draw_err, short_date, FONT, GRID, INK, MUTED};
use crate::error::Result;
use crate::format::num;
use crate::model::{day_number, from_day_number};
use chrono::NaiveDate;
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One plotted series.
#[derive(Debug, Clone)]
pub struct Line {
    pub label: String,
    pub points: Vec<(NaiveDate, f64)>,
    pub color: RGBColor,
    pub dashed: bool,
}

/// A horizontal reference line such as a baseline or target.
#[derive(Debug, Clone)]
pub struct Rule {
    pub label: String,
    pub y: f64,
    pub color: RGBColor,
}

/// Everything a time chart shows.
#[derive(Debug, Clone)]
pub struct TimeChart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<Line>,
    pub rules: Vec<Rule>,
    pub band: Option<(f64, f64)>,
    /// A dated vertical marker, such as the due date.
    pub marker: Option<(NaiveDate, String)>,
    /// A fixed y range (e.g. confidence 0–10); otherwise fitted to the data.
    pub y_range: Option<(f64, f64)>,
    pub width: u32,
    pub height: u32,
}

const LEGEND_H: u32 = 26;

/// Dash patterns, each tagged while drawing by an opacity no other element
/// uses. plotters' SVG backend has no `stroke-dasharray`: its
/// `DashedLineSeries` writes one element per dash (about 140 for a rule
/// across a quarter), so dashed lines are drawn solid with the tag and the
/// tag is replaced by the dash attribute afterwards: one element per line.
const RULE_DASH: (f64, &str) = (0.99609375, "6 4");
const MARKER_DASH: (f64, &str) = (0.9921875, "3 3");
const LINE_DASH: (f64, &str) = (0.98828125, "5 3");

/// Replaces each dash tag's opacity with the dash pattern it stands for.
fn apply_dashes(svg: String) -> String {
    [RULE_DASH, MARKER_DASH, LINE_DASH].iter().fold(svg, |svg, (tag, dash)| {
        svg.replace(&format!("opacity=\"{tag}\""), &format!("opacity=\"1\" stroke-dasharray=\"{dash}\""))
    })
}

/// The fourth marker shape, around its point.
const DIAMOND: [(i32, i32); 4] = [(0, -4), (4, 0), (0, 4), (-4, 0)];

/// The value range: fixed, or fitted to lines, rules and band with some padding.
fn y_bounds(spec: &TimeChart) -> (f64, f64) {
    if let Some(r) = spec.y_range {
        return r;
    }
    let ys = spec
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .chain(spec.rules.iter().map(|r| r.y))
        .chain(spec.band.iter().flat_map(|b| [b.0, b.1]));
    let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| (lo.min(y), hi.max(y)));
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if hi > lo { (hi - lo) * 0.08 } else { lo.abs().max(1.0) * 0.1 };
    (lo - pad, hi + pad)
}

/// A drawing area on the chart's SVG.
type Area<'b> = DrawingArea<SVGBackend<'b>, Shift>;
/// The plot: day numbers across, values up.
type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordi32, RangedCoordf64>>;

/// Renders the chart to an accessible inline SVG.
pub fn time_chart(spec: &TimeChart) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (spec.width, spec.height)).into_drawing_area();
        let (legend, plot) = root.split_vertically(LEGEND_H);
        draw_legend(&legend, spec)?;
        let xs = (day_number(spec.from), day_number(spec.to) + 1);
        let ys = y_bounds(spec);
        let mut chart = build_plot(&plot, xs, ys)?;
        draw_references(&mut chart, spec, xs, ys)?;
        for (i, line) in spec.lines.iter().enumerate() {
            draw_line(&mut chart, i, line)?;
        }
        root.present().map_err(draw_err)?;
    }
    accessible(apply_dashes(svg), &spec.id, &spec.title, &spec.desc)
}

/// The plot over `(x0, x1)` days and `(y0, y1)` values, with its axes and horizontal grid.
fn build_plot<'a, 'b>(area: &'a Area<'b>, (x0, x1): (i32, i32), (y0, y1): (f64, f64)) -> Result<Plot<'a, 'b>> {
    let label_style = (FONT, 12).into_font().color(&MUTED);
    let mut chart = ChartBuilder::on(area)
        .margin_right(16)
        .margin_left(4)
        .margin_top(6)
        .x_label_area_size(26)
        .y_label_area_size(52)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(GRID.stroke_width(1))
        .x_labels(7)
        .y_labels(5)
        .x_label_formatter(&|d| short_date(from_day_number(*d)))
        .y_label_formatter(&|y| num(*y))
        .x_label_style(label_style.clone())
        .y_label_style(label_style)
        .draw()
        .map_err(draw_err)?;
    Ok(chart)
}

/// The band, the rules and the dated marker, beneath the lines.
fn draw_references(chart: &mut Plot, spec: &TimeChart, (x0, x1): (i32, i32), (y0, y1): (f64, f64)) -> Result<()> {
    if let Some((lo, hi)) = spec.band {
        chart
            .draw_series(std::iter::once(Rectangle::new([(x0, lo), (x1, hi)], super::GREEN.mix(0.12).filled())))
            .map_err(draw_err)?;
    }
    for rule in &spec.rules {
        let style = rule.color.mix(RULE_DASH.0).stroke_width(1);
        chart.draw_series(LineSeries::new([(x0, rule.y), (x1, rule.y)], style)).map_err(draw_err)?;
    }
    if let Some((d, _)) = &spec.marker {
        let x = day_number(*d);
        let style = MUTED.mix(MARKER_DASH.0).stroke_width(1);
        chart.draw_series(LineSeries::new([(x, y0), (x, y1)], style)).map_err(draw_err)?;
    }
    Ok(())
}

/// Line number `i` with a marker on each point.
fn draw_line(chart: &mut Plot, i: usize, line: &Line) -> Result<()> {
    let pts: Vec<(i32, f64)> = line.points.iter().map(|(d, v)| (day_number(*d), *v)).collect();
    let alpha = if line.dashed { LINE_DASH.0 } else { 1.0 };
    chart.draw_series(LineSeries::new(pts.clone(), line.color.mix(alpha).stroke_width(2))).map_err(draw_err)?;
    let c = line.color.filled();
    // each line its own marker shape: colour is never the only way to tell them apart
    match i % 4 {
        0 => chart.draw_series(pts.iter().map(|p| Circle::new(*p, 3, c))),
        1 => chart.draw_series(pts.iter().map(|p| EmptyElement::at(*p) + Rectangle::new([(-3, -3), (3, 3)], c))),
        2 => chart.draw_series(pts.iter().map(|p| TriangleMarker::new(*p, 4, c))),
        _ => chart.draw_series(pts.iter().map(|p| EmptyElement::at(*p) + Polygon::new(DIAMOND.to_vec(), c))),
    }
    .map_err(draw_err)?;
    Ok(())
}

/// The vertical middle of the legend strip.
const LEGEND_Y: i32 = (LEGEND_H / 2) as i32;

/// The legend strip, filled left to right.
struct Legend<'a, 'b> {
    area: &'a Area<'b>,
    /// Where the next item starts.
    x: i32,
    text: TextStyle<'a>,
}

impl Legend<'_, '_> {
    /// Draws a swatch at the current position, then its label, and moves past both.
    fn item(&mut self, label: &str, swatch: impl Fn(&Area, i32) -> Result<()>) -> Result<()> {
        swatch(self.area, self.x)?;
        let at = (self.x + 22, LEGEND_Y - 7);
        self.area.draw(&Text::new(label.to_string(), at, self.text.clone())).map_err(draw_err)?;
        self.x += 22 + (label.chars().count() as i32 * 7) + 18;
        Ok(())
    }
}

/// The legend strip: a swatch and a label per line, rule, band and marker.
fn draw_legend(area: &Area, spec: &TimeChart) -> Result<()> {
    let y = LEGEND_Y;
    let mut legend = Legend { area, x: 56, text: (FONT, 12).into_font().color(&INK) };
    for (i, line) in spec.lines.iter().enumerate() {
        legend.item(&line.label, |area, x| draw_line_swatch(area, x, i, line))?;
    }
    for rule in &spec.rules {
        legend.item(&format!("{} {}", rule.label, num(rule.y)), |area, x| {
            let style = rule.color.mix(RULE_DASH.0).stroke_width(1);
            area.draw(&PathElement::new(vec![(x, y), (x + 16, y)], style)).map_err(draw_err)
        })?;
    }
    if let Some((lo, hi)) = spec.band {
        legend.item(&format!("band {}–{}", num(lo), num(hi)), |area, x| {
            area.draw(&Rectangle::new([(x, y - 6), (x + 16, y + 6)], super::GREEN.mix(0.25).filled())).map_err(draw_err)
        })?;
    }
    if let Some((d, label)) = &spec.marker {
        legend.item(&format!("{label} {}", short_date(*d)), |area, x| {
            let style = MUTED.mix(MARKER_DASH.0).stroke_width(1);
            area.draw(&PathElement::new(vec![(x + 8, y - 7), (x + 8, y + 7)], style)).map_err(draw_err)
        })?;
    }
    Ok(())
}

/// The legend swatch of line number `i`: a short stroke with its marker shape.
fn draw_line_swatch(area: &Area, x: i32, i: usize, line: &Line) -> Result<()> {
    let (y, c) = (LEGEND_Y, line.color);
    let swatch = c.mix(if line.dashed { LINE_DASH.0 } else { 1.0 }).stroke_width(2);
    area.draw(&PathElement::new(vec![(x, y), (x + 16, y)], swatch)).map_err(draw_err)?;
    let (at, f) = ((x + 8, y), c.filled());
    match i % 4 {
        0 => area.draw(&Circle::new(at, 3, f)),
        1 => area.draw(&(EmptyElement::at(at) + Rectangle::new([(-3, -3), (3, 3)], f))),
        2 => area.draw(&TriangleMarker::new(at, 4, f)),
        _ => area.draw(&(EmptyElement::at(at) + Polygon::new(DIAMOND.to_vec(), f))),
    }
    .map_err(draw_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
    }

    #[test]
    fn dashed_lines_are_one_element_each_with_their_pattern() {
        let line = |dashed| Line {
            label: if dashed { "reported" } else { "measured" }.into(),
            points: vec![(date(7, 6), 1.0), (date(8, 3), 2.0), (date(9, 21), 1.5)],
            color: super::super::BLUE,
            dashed,
        };
        let spec = TimeChart {
            id: "c".into(),
            title: "t".into(),
            desc: "d".into(),
            from: date(7, 1),
            to: date(9, 30),
            lines: vec![line(false), line(true)],
            rules: vec![Rule { label: "target".into(), y: 2.5, color: MUTED }],
            band: None,
            marker: Some((date(9, 30), "due".into())),
            y_range: None,
            width: 960,
            height: 340,
        };
        let svg = time_chart(&spec).unwrap();
        // plot and legend: the rule, the due marker and the reported line, each twice
        assert_eq!(svg.matches("stroke-dasharray=\"6 4\"").count(), 2, "{svg}");
        assert_eq!(svg.matches("stroke-dasharray=\"3 3\"").count(), 2);
        assert_eq!(svg.matches("stroke-dasharray=\"5 3\"").count(), 2);
        for (tag, _) in [RULE_DASH, MARKER_DASH, LINE_DASH] {
            assert!(!svg.contains(&format!("opacity=\"{tag}\"")), "tag {tag} left in the SVG");
        }
        // grid, axes and ticks are solid; no more than a few dozen elements in all
        assert!(svg.matches("<polyline").count() + svg.matches("<path").count() < 40, "{svg}");
    }
}
