//! Time-series charts: a KR's value over the quarter, confidence timelines, trends.

use super::axis::Ticks;
use super::{accessible, draw_err, px, short_date, Area, FONT, GRID, INK, MUTED};
use crate::error::Result;
use crate::format::{figure_at_least, tick, Unit};
use crate::model::{day_number, from_day_number};
use chrono::NaiveDate;
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
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
    /// How the values read ([`crate::format`]'s rule) and the decimals they
    /// take at least: those of the key result's written baseline, target and band.
    pub unit: Unit,
    pub at_least: usize,
    pub width: u32,
    /// The height of the plot and one legend row; more rows add to it.
    pub height: u32,
}

impl TimeChart {
    /// A value of the chart as its labels write it.
    fn value(&self, y: f64) -> String {
        figure_at_least(y, self.unit, self.at_least)
    }
}

/// The height of one legend row.
const LEGEND_H: u32 = 26;
/// Where the legend starts, right of the value labels.
const LEGEND_X: i32 = 56;
/// A generous width of one character of 12 px legend text: an item's label
/// is never drawn past the chart's edge, it starts a new row.
const LEGEND_CHAR_W: i32 = 8;

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

/// The value axis: round ticks over the fixed range, or over the lines, rules and band.
fn y_ticks(spec: &TimeChart) -> Ticks {
    let (lo, hi) = spec.y_range.unwrap_or_else(|| y_bounds(spec));
    Ticks::fit(lo, hi, 5)
}

/// The range of the lines, rules and band.
fn y_bounds(spec: &TimeChart) -> (f64, f64) {
    let ys = spec
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .chain(spec.rules.iter().map(|r| r.y))
        .chain(spec.band.iter().flat_map(|b| [b.0, b.1]));
    let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| (lo.min(y), hi.max(y)));
    if lo.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

/// The plot: day numbers across, values up.
type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordi32, RangedCoordf64>>;

/// Renders the chart to an accessible inline SVG.
pub fn time_chart(spec: &TimeChart) -> Result<String> {
    let items = legend_items(spec);
    let rows = legend_rows(&items, spec.width as i32);
    let legend_h = LEGEND_H * rows.iter().map(|r| r.1 + 1).max().unwrap_or(0).max(1) as u32;
    let mut svg = String::new();
    {
        let height = spec.height + legend_h - LEGEND_H;
        let root = SVGBackend::with_string(&mut svg, (spec.width, height)).into_drawing_area();
        let (legend, plot) = root.split_vertically(legend_h);
        draw_legend(&legend, spec, &items, &rows)?;
        let xs = (day_number(spec.from), day_number(spec.to) + 1);
        let ticks = y_ticks(spec);
        let ys = (ticks.lo, ticks.hi);
        let mut chart = build_plot(&plot, xs, ticks, spec.unit)?;
        draw_references(&mut chart, spec, xs, ys)?;
        for (i, line) in spec.lines.iter().enumerate() {
            draw_line(&mut chart, i, line)?;
        }
        root.present().map_err(draw_err)?;
    }
    accessible(apply_dashes(svg), &spec.id, &spec.title, &spec.desc)
}

/// The plot over `(x0, x1)` days and the values of `ticks`, with its axes and horizontal grid.
fn build_plot<'a, 'b>(area: &'a Area<'b>, (x0, x1): (i32, i32), ticks: Ticks, unit: Unit) -> Result<Plot<'a, 'b>> {
    let label_style = (FONT, px(12.0)).into_font().color(&MUTED);
    let mut chart = ChartBuilder::on(area)
        .margin_right(16)
        .margin_left(4)
        .margin_top(6)
        .x_label_area_size(26)
        .y_label_area_size(52)
        .build_cartesian_2d(x0..x1, ticks.lo..ticks.hi)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(GRID.stroke_width(1))
        .x_labels(7)
        .y_labels(ticks.values().len())
        .x_label_formatter(&|d| short_date(from_day_number(*d)))
        .y_label_formatter(&|y| tick(*y, ticks.step, unit))
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

/// The vertical middle of the first legend row.
const LEGEND_Y: i32 = (LEGEND_H / 2) as i32;

/// What one legend item shows beside its label.
#[derive(Debug, Clone, Copy)]
enum Swatch {
    /// Line number `i` of the chart.
    Line(usize),
    Rule(RGBColor),
    Band,
    Marker,
}

/// The legend's items: a swatch and a label per line, rule, band and marker.
fn legend_items(spec: &TimeChart) -> Vec<(Swatch, String)> {
    let mut items: Vec<(Swatch, String)> =
        spec.lines.iter().enumerate().map(|(i, l)| (Swatch::Line(i), l.label.clone())).collect();
    items.extend(spec.rules.iter().map(|r| (Swatch::Rule(r.color), format!("{} {}", r.label, spec.value(r.y)))));
    if let Some((lo, hi)) = spec.band {
        items.push((Swatch::Band, format!("band {}–{}", spec.value(lo), spec.value(hi))));
    }
    if let Some((d, label)) = &spec.marker {
        items.push((Swatch::Marker, format!("{label} {}", short_date(*d))));
    }
    items
}

/// Where each item goes: its x and its row, filled left to right and
/// wrapped before an item would cross the chart's right edge.
fn legend_rows(items: &[(Swatch, String)], width: i32) -> Vec<(i32, usize)> {
    let mut at = (LEGEND_X, 0);
    items
        .iter()
        .map(|(_, label)| {
            let w = 22 + label.chars().count() as i32 * LEGEND_CHAR_W;
            if at.0 > LEGEND_X && at.0 + w > width - 4 {
                at = (LEGEND_X, at.1 + 1);
            }
            let here = at;
            at.0 += w + 18;
            here
        })
        .collect()
}

/// The legend strip: each item's swatch and label at its place.
fn draw_legend(area: &Area, spec: &TimeChart, items: &[(Swatch, String)], rows: &[(i32, usize)]) -> Result<()> {
    let text = (FONT, px(12.0)).into_font().color(&INK);
    for ((swatch, label), &(x, row)) in items.iter().zip(rows) {
        let y = LEGEND_Y + row as i32 * LEGEND_H as i32;
        draw_swatch(area, spec, *swatch, (x, y))?;
        area.draw(&Text::new(label.clone(), (x + 22, y - 7), text.clone())).map_err(draw_err)?;
    }
    Ok(())
}

/// One legend swatch centred on the row at `y`, from `x`.
fn draw_swatch(area: &Area, spec: &TimeChart, swatch: Swatch, (x, y): (i32, i32)) -> Result<()> {
    match swatch {
        Swatch::Line(i) => draw_line_swatch(area, (x, y), i, &spec.lines[i]),
        Swatch::Rule(color) => {
            let style = color.mix(RULE_DASH.0).stroke_width(1);
            area.draw(&PathElement::new(vec![(x, y), (x + 16, y)], style)).map_err(draw_err)
        }
        Swatch::Band => {
            area.draw(&Rectangle::new([(x, y - 6), (x + 16, y + 6)], super::GREEN.mix(0.25).filled())).map_err(draw_err)
        }
        Swatch::Marker => {
            let style = MUTED.mix(MARKER_DASH.0).stroke_width(1);
            area.draw(&PathElement::new(vec![(x + 8, y - 7), (x + 8, y + 7)], style)).map_err(draw_err)
        }
    }
}

/// The legend swatch of line number `i`: a short stroke with its marker shape.
fn draw_line_swatch(area: &Area, (x, y): (i32, i32), i: usize, line: &Line) -> Result<()> {
    let c = line.color;
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
            unit: Unit::Quantity,
            at_least: 0,
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
