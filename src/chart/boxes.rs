//! Distributions of per-person values by cohort: one horizontal box per
//! cohort (quartiles, median, whiskers at the 10th and 90th percentile). No
//! single person's value is drawn: extremes stay inside the whiskers.

use super::{accessible, draw_err, FONT, GRID, INK, MUTED, SERIES};
use crate::error::Result;
use crate::format::num;
use crate::score::cohorts::quantile;
use plotters::prelude::*;

/// One cohort's sorted values.
#[derive(Debug, Clone)]
pub struct BoxSpec {
    pub label: String,
    pub values: Vec<f64>,
}

/// Draws one box per cohort on a shared axis in `unit`.
pub fn box_plot(id: &str, title: &str, unit: &str, boxes: &[BoxSpec]) -> Result<String> {
    let row = 44i32;
    let (label_w, right, top) = (170i32, 30i32, 14i32);
    let width = 900u32;
    let height = (top + row * boxes.len().max(1) as i32 + 40) as u32;
    let stats: Vec<Option<[f64; 5]>> = boxes
        .iter()
        .map(|b| {
            Some([
                quantile(&b.values, 0.1)?,
                quantile(&b.values, 0.25)?,
                quantile(&b.values, 0.5)?,
                quantile(&b.values, 0.75)?,
                quantile(&b.values, 0.9)?,
            ])
        })
        .collect();
    let (lo, hi) =
        stats.iter().flatten().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| (lo.min(s[0]), hi.max(s[4])));
    let (lo, hi) = if lo.is_finite() { (0f64.min(lo), if hi > lo { hi * 1.05 } else { lo + 1.0 }) } else { (0.0, 1.0) };
    let plot_w = width as i32 - label_w - right;
    let x_of = |v: f64| label_w + ((v - lo) / (hi - lo) * f64::from(plot_w)).round() as i32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let small = (FONT, 12).into_font().color(&MUTED);
        let label = (FONT, 14).into_font().color(&INK);
        let axis_y = top + row * boxes.len() as i32 + 6;
        for i in 0..=4 {
            let v = lo + (hi - lo) * f64::from(i) / 4.0;
            let x = x_of(v);
            root.draw(&PathElement::new(vec![(x, top), (x, axis_y)], GRID.stroke_width(1))).map_err(draw_err)?;
            root.draw(&Text::new(num(v), (x - 10, axis_y + 6), small.clone())).map_err(draw_err)?;
        }
        root.draw(&Text::new(unit.to_string(), (label_w, axis_y + 22), small.clone())).map_err(draw_err)?;
        for (i, (b, s)) in boxes.iter().zip(&stats).enumerate() {
            let y = top + row * i as i32;
            root.draw(&Text::new(b.label.clone(), (8, y + 12), label.clone())).map_err(draw_err)?;
            let Some([p10, q1, med, q3, p90]) = *s else { continue };
            let color = SERIES[i % SERIES.len()];
            let mid = y + 18;
            root.draw(&PathElement::new(vec![(x_of(p10), mid), (x_of(q1), mid)], MUTED.stroke_width(2)))
                .map_err(draw_err)?;
            root.draw(&PathElement::new(vec![(x_of(q3), mid), (x_of(p90), mid)], MUTED.stroke_width(2)))
                .map_err(draw_err)?;
            for x in [x_of(p10), x_of(p90)] {
                root.draw(&PathElement::new(vec![(x, mid - 6), (x, mid + 6)], MUTED.stroke_width(2)))
                    .map_err(draw_err)?;
            }
            root.draw(&Rectangle::new(
                [(x_of(q1), y + 6), (x_of(q3).max(x_of(q1) + 1), y + 30)],
                color.mix(0.35).filled(),
            ))
            .map_err(draw_err)?;
            root.draw(&Rectangle::new(
                [(x_of(q1), y + 6), (x_of(q3).max(x_of(q1) + 1), y + 30)],
                color.stroke_width(2),
            ))
            .map_err(draw_err)?;
            root.draw(&PathElement::new(vec![(x_of(med), y + 4), (x_of(med), y + 32)], INK.stroke_width(3)))
                .map_err(draw_err)?;
        }
        root.present().map_err(draw_err)?;
    }
    let desc = boxes
        .iter()
        .zip(&stats)
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
        .join("; ");
    accessible(svg, id, title, &desc)
}
