//! Distributions of per-person values by cohort: one horizontal box per
//! cohort (quartiles, median, whiskers at the 10th and 90th percentile). No
//! single person's value is drawn: extremes stay inside the whiskers.

use super::{accessible, draw_err, FONT, GRID, INK, MUTED, SERIES};
use crate::error::Result;
use crate::format::num;
use crate::score::cohorts::quantile;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One cohort's sorted values.
#[derive(Debug, Clone)]
pub struct BoxSpec {
    pub label: String,
    pub values: Vec<f64>,
}

/// Height of one cohort's row.
const ROW: i32 = 44;
/// Width of the label column.
const LABEL_W: i32 = 170;
/// Margins right of the plot and above the first row.
const RIGHT: i32 = 30;
const TOP: i32 = 14;
/// Width of the whole chart.
const WIDTH: u32 = 900;

/// The 10th, 25th, 50th, 75th and 90th percentile of one cohort (none without values).
type Stats = Option<[f64; 5]>;

/// The shared value axis: maps values to x positions.
struct Axis {
    lo: f64,
    hi: f64,
}

impl Axis {
    /// The axis spanning every cohort's whiskers, from zero unless values go below it.
    fn fit(stats: &[Stats]) -> Self {
        let (lo, hi) =
            stats.iter().flatten().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| (lo.min(s[0]), hi.max(s[4])));
        let (lo, hi) =
            if lo.is_finite() { (0f64.min(lo), if hi > lo { hi * 1.05 } else { lo + 1.0 }) } else { (0.0, 1.0) };
        Axis { lo, hi }
    }

    /// The x position of value `v`.
    fn x_of(&self, v: f64) -> i32 {
        let plot_w = WIDTH as i32 - LABEL_W - RIGHT;
        LABEL_W + ((v - self.lo) / (self.hi - self.lo) * f64::from(plot_w)).round() as i32
    }
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Draws one box per cohort on a shared axis in `unit`.
pub fn box_plot(id: &str, title: &str, unit: &str, boxes: &[BoxSpec]) -> Result<String> {
    let height = (TOP + ROW * boxes.len().max(1) as i32 + 40) as u32;
    let stats: Vec<Stats> = boxes.iter().map(|b| box_stats(&b.values)).collect();
    let axis = Axis::fit(&stats);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        draw_axis(&root, &axis, unit, boxes.len())?;
        let label = (FONT, 14).into_font().color(&INK);
        for (i, (b, s)) in boxes.iter().zip(&stats).enumerate() {
            let y = TOP + ROW * i as i32;
            root.draw(&Text::new(b.label.clone(), (8, y + 12), label.clone())).map_err(draw_err)?;
            if let Some(s) = s {
                draw_box(&root, &axis, y, SERIES[i % SERIES.len()], *s)?;
            }
        }
        root.present().map_err(draw_err)?;
    }
    accessible(svg, id, title, &box_desc(boxes, &stats, unit))
}

/// The percentiles a box shows.
fn box_stats(values: &[f64]) -> Stats {
    Some([
        quantile(values, 0.1)?,
        quantile(values, 0.25)?,
        quantile(values, 0.5)?,
        quantile(values, 0.75)?,
        quantile(values, 0.9)?,
    ])
}

/// Vertical grid lines with their values below `rows` rows, and the unit.
fn draw_axis(root: &Area, axis: &Axis, unit: &str, rows: usize) -> Result<()> {
    let small = (FONT, 12).into_font().color(&MUTED);
    let axis_y = TOP + ROW * rows as i32 + 6;
    for i in 0..=4 {
        let v = axis.lo + (axis.hi - axis.lo) * f64::from(i) / 4.0;
        let x = axis.x_of(v);
        root.draw(&PathElement::new(vec![(x, TOP), (x, axis_y)], GRID.stroke_width(1))).map_err(draw_err)?;
        root.draw(&Text::new(num(v), (x - 10, axis_y + 6), small.clone())).map_err(draw_err)?;
    }
    root.draw(&Text::new(unit.to_string(), (LABEL_W, axis_y + 22), small)).map_err(draw_err)?;
    Ok(())
}

/// One box in the row at `y`: whiskers, capped ends, the middle half and the median.
fn draw_box(root: &Area, axis: &Axis, y: i32, color: RGBColor, [p10, q1, med, q3, p90]: [f64; 5]) -> Result<()> {
    let x = |v| axis.x_of(v);
    let mid = y + 18;
    let path = |points: Vec<(i32, i32)>, style: ShapeStyle| root.draw(&PathElement::new(points, style));
    path(vec![(x(p10), mid), (x(q1), mid)], MUTED.stroke_width(2)).map_err(draw_err)?;
    path(vec![(x(q3), mid), (x(p90), mid)], MUTED.stroke_width(2)).map_err(draw_err)?;
    for x in [x(p10), x(p90)] {
        path(vec![(x, mid - 6), (x, mid + 6)], MUTED.stroke_width(2)).map_err(draw_err)?;
    }
    let corners = [(x(q1), y + 6), (x(q3).max(x(q1) + 1), y + 30)];
    root.draw(&Rectangle::new(corners, color.mix(0.35).filled())).map_err(draw_err)?;
    root.draw(&Rectangle::new(corners, color.stroke_width(2))).map_err(draw_err)?;
    path(vec![(x(med), y + 4), (x(med), y + 32)], INK.stroke_width(3)).map_err(draw_err)?;
    Ok(())
}

/// The text description: each cohort's median, middle half and whiskers.
fn box_desc(boxes: &[BoxSpec], stats: &[Stats], unit: &str) -> String {
    boxes
        .iter()
        .zip(stats)
        .map(|(b, s)| match s {
            Some([p10, q1, med, q3, p90]) => format!(
                "{}: median {}, middle half {} to {}, 10th to 90th percentile {} to {} {unit}",
                b.label,
                num(*med),
                num(*q1),
                num(*q3),
                num(*p10),
                num(*p90)
            ),
            None => format!("{}: no values", b.label),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
