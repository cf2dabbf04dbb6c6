//! Impact × effort: one numbered marker per initiative on the 1–5 × 1–5 grid,
//! shaped by status so the chart reads without colour.

use super::{accessible, draw_err, FONT, GRID, INK, MUTED};
use crate::error::Result;
use crate::model::InitiativeStatus;
use plotters::prelude::*;

/// One initiative on the chart: its number in the table beside it.
#[derive(Debug, Clone)]
pub struct Dot {
    pub number: usize,
    pub name: String,
    pub impact: u8,
    pub effort: u8,
    pub status: InitiativeStatus,
}

fn status_color(s: InitiativeStatus) -> RGBColor {
    match s {
        InitiativeStatus::Done => super::GREEN,
        InitiativeStatus::Doing => super::BLUE,
        InitiativeStatus::Idea => super::MUTED,
        InitiativeStatus::Dropped => super::VERMILLION,
    }
}

/// Draws the impact × effort grid; initiatives on the same cell fan out.
pub fn impact_effort(id: &str, title: &str, dots: &[Dot]) -> Result<String> {
    let (width, height) = (560u32, 420u32);
    let (left, top, right, bottom) = (70i32, 44i32, 20i32, 56i32);
    let plot_w = width as i32 - left - right;
    let plot_h = height as i32 - top - bottom;
    let x_of = |effort: f64| left + ((effort - 0.5) / 5.0 * f64::from(plot_w)).round() as i32;
    let y_of = |impact: f64| top + plot_h - ((impact - 0.5) / 5.0 * f64::from(plot_h)).round() as i32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let small = (FONT, 12).into_font().color(&MUTED);
        let label = (FONT, 13).into_font().color(&INK);
        let centred = |size: u32, color: RGBColor| {
            (FONT, size).into_font().color(&color).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Center,
            ))
        };
        // quadrant shading: high impact, low effort is the quick-win corner
        root.draw(&Rectangle::new(
            [(x_of(0.5), y_of(5.5)), (x_of(3.0), y_of(3.0))],
            RGBColor(0xee, 0xf6, 0xf1).filled(),
        ))
        .map_err(draw_err)?;
        root.draw(&Text::new("quick wins", (x_of(0.6), y_of(5.45)), small.clone())).map_err(draw_err)?;
        for v in 1..=5 {
            let (x, y) = (x_of(f64::from(v)), y_of(f64::from(v)));
            root.draw(&PathElement::new(vec![(x, top), (x, top + plot_h)], GRID.stroke_width(1))).map_err(draw_err)?;
            root.draw(&PathElement::new(vec![(left, y), (left + plot_w, y)], GRID.stroke_width(1)))
                .map_err(draw_err)?;
            root.draw(&Text::new(v.to_string(), (x, top + plot_h + 12), centred(12, super::MUTED)))
                .map_err(draw_err)?;
            root.draw(&Text::new(v.to_string(), (left - 14, y), centred(12, super::MUTED))).map_err(draw_err)?;
        }
        root.draw(&Text::new("effort →", (left + plot_w / 2, height as i32 - 16), centred(13, INK)))
            .map_err(draw_err)?;
        root.draw(&Text::new("impact ↑", (8, 14), label.clone())).map_err(draw_err)?;
        // legend
        let mut lx = left + 60;
        for s in [InitiativeStatus::Done, InitiativeStatus::Doing, InitiativeStatus::Idea, InitiativeStatus::Dropped] {
            draw_marker(&root, (lx, 14), s, 6)?;
            root.draw(&Text::new(s.word(), (lx + 10, 7), small.clone())).map_err(draw_err)?;
            lx += 78;
        }
        let mut per_cell: std::collections::BTreeMap<(u8, u8), usize> = std::collections::BTreeMap::new();
        for d in dots {
            let k = per_cell.entry((d.impact, d.effort)).or_insert(0);
            let offset = *k as i32;
            *k += 1;
            let dx = [0, 24, -24][(offset % 3) as usize];
            let (cx, cy) = (x_of(f64::from(d.effort)) + dx, y_of(f64::from(d.impact)) + (offset / 3) * 24);
            draw_marker(&root, (cx, cy), d.status, 11)?;
            let ink = if d.status == InitiativeStatus::Idea { INK } else { RGBColor(0xff, 0xff, 0xff) };
            root.draw(&Text::new(d.number.to_string(), (cx, cy), centred(12, ink))).map_err(draw_err)?;
        }
        root.present().map_err(draw_err)?;
    }
    let desc = dots
        .iter()
        .map(|d| format!("{}. {} ({}): impact {}, effort {}", d.number, d.name, d.status.word(), d.impact, d.effort))
        .collect::<Vec<_>>()
        .join("; ");
    accessible(svg, id, title, &desc)
}

/// A circle for done, a square for doing, a diamond for dropped, a hollow circle for ideas.
fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    (x, y): (i32, i32),
    status: InitiativeStatus,
    r: i32,
) -> Result<()> {
    let color = status_color(status);
    match status {
        InitiativeStatus::Done => area.draw(&Circle::new((x, y), r, color.filled())).map_err(draw_err),
        InitiativeStatus::Doing => {
            area.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], color.filled())).map_err(draw_err)
        }
        InitiativeStatus::Dropped => area
            .draw(&Polygon::new(vec![(x, y - r - 2), (x + r + 2, y), (x, y + r + 2), (x - r - 2, y)], color.filled()))
            .map_err(draw_err),
        InitiativeStatus::Idea => {
            area.draw(&Circle::new((x, y), r, RGBColor(0xff, 0xff, 0xff).filled())).map_err(draw_err)?;
            area.draw(&Circle::new((x, y), r, color.stroke_width(2))).map_err(draw_err)
        }
    }
}
