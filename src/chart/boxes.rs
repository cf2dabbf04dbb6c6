//! Distributions of per-person values by cohort: one horizontal box per
//! cohort (quartiles, median, whiskers at the 10th and 90th percentile). No
//! single person's value is drawn: extremes stay inside the whiskers.

use super::axis::Ticks;
use super::{accessible, draw_err, px, Area, FONT, GRID, INK, MUTED, NEUTRAL, NEUTRAL_DARK};
use crate::error::Result;
use crate::format::{figure, tick, Unit};
use crate::score::cohorts::quantile;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One cohort's sorted values.
#[derive(Debug, Clone)]
pub struct BoxSpec {
    pub label: String,
    pub values: Vec<f64>,
    /// The cohort the others are compared with: drawn darker.
    pub reference: bool,
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

/// The shared value axis: round ticks, mapping values to x positions.
struct Axis {
    ticks: Ticks,
    unit: Unit,
}

impl Axis {
    /// The axis spanning every cohort's whiskers, from zero unless values go below it.
    fn fit(stats: &[Stats], unit: Unit) -> Self {
        let (lo, hi) =
            stats.iter().flatten().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| (lo.min(s[0]), hi.max(s[4])));
        let ticks = if lo.is_finite() { Ticks::fit(lo.min(0.0), hi, 5) } else { Ticks::from_zero(1.0, 5) };
        Axis { ticks, unit }
    }

    /// The x position of value `v`.
    fn x_of(&self, v: f64) -> i32 {
        let plot_w = WIDTH as i32 - LABEL_W - RIGHT;
        let (lo, hi) = (self.ticks.lo, self.ticks.hi);
        LABEL_W + ((v - lo) / (hi - lo) * f64::from(plot_w)).round() as i32
    }
}

/// Draws one box per cohort on a shared axis; values read as `unit`, named
/// `unit_word` under the axis (a share's in %).
pub fn box_plot(id: &str, title: &str, (unit, unit_word): (Unit, &str), boxes: &[BoxSpec]) -> Result<String> {
    let height = (TOP + ROW * boxes.len().max(1) as i32 + 40) as u32;
    let stats: Vec<Stats> = boxes.iter().map(|b| box_stats(&b.values)).collect();
    let axis = Axis::fit(&stats, unit);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        draw_axis(&root, &axis, unit_word, boxes.len())?;
        let label = (FONT, px(14.0)).into_font().color(&INK);
        for (i, (b, s)) in boxes.iter().zip(&stats).enumerate() {
            let y = TOP + ROW * i as i32;
            root.draw(&Text::new(b.label.clone(), (8, y + 12), label.clone())).map_err(draw_err)?;
            if let Some(s) = s {
                draw_box(&root, &axis, y, if b.reference { NEUTRAL_DARK } else { NEUTRAL }, *s)?;
            }
        }
        root.present().map_err(draw_err)?;
    }
    accessible(svg, id, title, &box_desc(boxes, &stats, (unit, unit_word)))
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

/// Vertical grid lines at round values, with their values below `rows` rows, and the unit.
fn draw_axis(root: &Area, axis: &Axis, unit: &str, rows: usize) -> Result<()> {
    let small = (FONT, px(12.0)).into_font().color(&MUTED);
    let centred = small.clone().pos(Pos::new(HPos::Center, VPos::Top));
    let axis_y = TOP + ROW * rows as i32 + 6;
    for v in axis.ticks.values() {
        let x = axis.x_of(v);
        root.draw(&PathElement::new(vec![(x, TOP), (x, axis_y)], GRID.stroke_width(1))).map_err(draw_err)?;
        let label = tick(v, axis.ticks.step, axis.unit);
        root.draw(&Text::new(label, (x, axis_y + 6), centred.clone())).map_err(draw_err)?;
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
fn box_desc(boxes: &[BoxSpec], stats: &[Stats], (unit, word): (Unit, &str)) -> String {
    let num = |x: &f64| figure(*x, unit);
    boxes
        .iter()
        .zip(stats)
        .map(|(b, s)| match s {
            Some([p10, q1, med, q3, p90]) => format!(
                "{}: median {}, middle half {} to {}, 10th to 90th percentile {} to {} {word}",
                b.label,
                num(med),
                num(q1),
                num(q3),
                num(p10),
                num(p90)
            ),
            None => format!("{}: no values", b.label),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
