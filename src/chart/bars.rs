//! Horizontal score bars: each objective of a team on the 0–1 scale.

use super::{accessible, draw_err, grade_color, FONT, GRID, INK, MUTED};
use crate::error::Result;
use plotters::prelude::*;

/// One bar: a label, a score 0..1 and its grade word.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub score: f64,
    pub grade: String,
}

/// Score bars with the grade thresholds drawn as guides.
pub fn score_bars(id: &str, title: &str, bars: &[Bar], guides: [f64; 2]) -> Result<String> {
    let row = 34u32;
    let width = 960u32;
    let height = 36 + row * bars.len().max(1) as u32;
    let label_w = 400i32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let plot_w = width as i32 - label_w - 110;
        let x_of = |s: f64| label_w + (s.clamp(0.0, 1.0) * f64::from(plot_w)).round() as i32;
        let small = (FONT, 12).into_font().color(&MUTED);
        let label = (FONT, 14).into_font().color(&INK);
        for g in guides.iter().copied().chain([0.0, 1.0]) {
            let x = x_of(g);
            root.draw(&PathElement::new(vec![(x, 4), (x, height as i32 - 22)], GRID.stroke_width(1)))
                .map_err(draw_err)?;
            root.draw(&Text::new(format!("{g:.1}"), (x - 8, height as i32 - 18), small.clone())).map_err(draw_err)?;
        }
        for (i, bar) in bars.iter().enumerate() {
            let top = 8 + i as i32 * row as i32;
            let text: String = truncate(&bar.label, 54);
            root.draw(&Text::new(text, (8, top + 6), label.clone())).map_err(draw_err)?;
            let color = grade_color(&bar.grade);
            root.draw(&Rectangle::new([(x_of(0.0), top + 2), (x_of(1.0), top + 22)], GRID.filled()))
                .map_err(draw_err)?;
            root.draw(&Rectangle::new([(x_of(0.0), top + 2), (x_of(bar.score), top + 22)], color.filled()))
                .map_err(draw_err)?;
            root.draw(&Text::new(format!("{:.1} {}", bar.score, bar.grade), (x_of(1.0) + 8, top + 6), label.clone()))
                .map_err(draw_err)?;
        }
        root.present().map_err(draw_err)?;
    }
    let desc = bars.iter().map(|b| format!("{}: {:.1} ({})", b.label, b.score, b.grade)).collect::<Vec<_>>().join("; ");
    accessible(svg, id, title, &desc)
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}
