//! Horizontal score bars: each objective of a team on the 0–1 scale.

use super::{accessible, draw_err, grade_color, px, wrap, Area, FONT, GRID, INK, MUTED};
use crate::error::Result;
use plotters::prelude::*;

/// One bar: a label, a score 0..1 and its grade word.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub score: f64,
    pub grade: String,
}

/// Height of one bar's row with a one-line label, and of each further line.
const ROW: u32 = 34;
const LINE: u32 = 17;
/// The most characters of a label line: a label wraps, it is never cut.
const LABEL_CHARS: usize = 50;
/// Width of the chart and of the label column.
const WIDTH: u32 = 960;
const LABEL_W: i32 = 400;

/// The x position of score `s`, clamped to 0–1.
fn x_of(s: f64) -> i32 {
    let plot_w = WIDTH as i32 - LABEL_W - 110;
    LABEL_W + (s.clamp(0.0, 1.0) * f64::from(plot_w)).round() as i32
}

/// Score bars with the grade thresholds drawn as guides.
pub fn score_bars(id: &str, title: &str, bars: &[Bar], guides: [f64; 2]) -> Result<String> {
    let labels: Vec<Vec<String>> = bars.iter().map(|b| wrap(&b.label, LABEL_CHARS)).collect();
    let rows: Vec<u32> = labels.iter().map(|l| ROW + LINE * (l.len().max(1) as u32 - 1)).collect();
    let height = 36 + rows.iter().sum::<u32>().max(ROW);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let small = (FONT, px(12.0)).into_font().color(&MUTED);
        for g in guides.iter().copied().chain([0.0, 1.0]) {
            let x = x_of(g);
            root.draw(&PathElement::new(vec![(x, 4), (x, height as i32 - 22)], GRID.stroke_width(1)))
                .map_err(draw_err)?;
            root.draw(&Text::new(format!("{g:.1}"), (x - 8, height as i32 - 18), small.clone())).map_err(draw_err)?;
        }
        let mut top = 8;
        for ((bar, label), row) in bars.iter().zip(&labels).zip(&rows) {
            draw_bar(&root, bar, label, top)?;
            top += *row as i32;
        }
        root.present().map_err(draw_err)?;
    }
    let desc = bars.iter().map(|b| format!("{}: {:.2} ({})", b.label, b.score, b.grade)).collect::<Vec<_>>().join("; ");
    accessible(svg, id, title, &desc)
}

/// One bar in the row starting at `top`: its label's lines, track, filled score and its value.
fn draw_bar(root: &Area, bar: &Bar, lines: &[String], top: i32) -> Result<()> {
    let label = (FONT, px(14.0)).into_font().color(&INK);
    for (i, line) in lines.iter().enumerate() {
        root.draw(&Text::new(line.clone(), (8, top + 6 + i as i32 * LINE as i32), label.clone())).map_err(draw_err)?;
    }
    let color = grade_color(&bar.grade);
    root.draw(&Rectangle::new([(x_of(0.0), top + 2), (x_of(1.0), top + 22)], GRID.filled())).map_err(draw_err)?;
    root.draw(&Rectangle::new([(x_of(0.0), top + 2), (x_of(bar.score), top + 22)], color.filled()))
        .map_err(draw_err)?;
    root.draw(&Text::new(format!("{:.2} {}", bar.score, bar.grade), (x_of(1.0) + 8, top + 6), label))
        .map_err(draw_err)?;
    Ok(())
}
