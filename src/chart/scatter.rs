//! Impact × effort: one numbered marker per initiative on the 1–5 × 1–5 grid,
//! shaped by status so the chart reads without colour.

use super::{accessible, centred, draw_err, px, Area, FONT, GRID, INK, MUTED};
use crate::error::Result;
use crate::model::InitiativeStatus;
use plotters::prelude::*;
use std::collections::BTreeMap;

/// One initiative on the chart: its number in the table beside it.
#[derive(Debug, Clone)]
pub struct Dot {
    pub number: usize,
    pub name: String,
    pub impact: u8,
    pub effort: u8,
    pub status: InitiativeStatus,
}

/// The colour of a status.
fn status_color(s: InitiativeStatus) -> RGBColor {
    match s {
        InitiativeStatus::Done => super::GREEN,
        InitiativeStatus::Doing => super::BLUE,
        InitiativeStatus::Idea => super::MUTED,
        InitiativeStatus::Dropped => super::VERMILLION,
    }
}

/// The colour of a marker's number: whichever of black and white reads at
/// 4.5:1 or more on the marker (the page's ink on a hollow idea).
fn number_color(s: InitiativeStatus) -> RGBColor {
    match s {
        InitiativeStatus::Doing => super::WHITE,
        InitiativeStatus::Done | InitiativeStatus::Dropped => super::BLACK,
        InitiativeStatus::Idea => INK,
    }
}

/// Size of the chart.
const WIDTH: u32 = 560;
const HEIGHT: u32 = 420;
/// Margins around the plot.
const LEFT: i32 = 70;
const TOP: i32 = 44;
const RIGHT: i32 = 20;
const BOTTOM: i32 = 56;
/// Size of the plot.
const PLOT_W: i32 = WIDTH as i32 - LEFT - RIGHT;
const PLOT_H: i32 = HEIGHT as i32 - TOP - BOTTOM;

/// The x position of an effort (cells centred on whole numbers 1–5).
fn x_of(effort: f64) -> i32 {
    LEFT + ((effort - 0.5) / 5.0 * f64::from(PLOT_W)).round() as i32
}

/// The y position of an impact, higher impact further up.
fn y_of(impact: f64) -> i32 {
    TOP + PLOT_H - ((impact - 0.5) / 5.0 * f64::from(PLOT_H)).round() as i32
}

/// Draws the impact × effort grid; initiatives on the same cell fan out.
pub fn impact_effort(id: &str, title: &str, dots: &[Dot]) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw_grid(&root)?;
        draw_status_legend(&root)?;
        draw_dots(&root, dots)?;
        root.present().map_err(draw_err)?;
    }
    let desc = dots
        .iter()
        .map(|d| format!("{}. {} ({}): impact {}, effort {}", d.number, d.name, d.status.word(), d.impact, d.effort))
        .collect::<Vec<_>>()
        .join("; ");
    accessible(svg, id, title, &desc)
}

/// The shaded quick-win quadrant, grid lines, their numbers and the axis titles.
fn draw_grid(root: &Area) -> Result<()> {
    let small = (FONT, px(12.0)).into_font().color(&MUTED);
    let label = (FONT, px(13.0)).into_font().color(&INK);
    // quadrant shading: high impact, low effort is the quick-win corner
    root.draw(&Rectangle::new([(x_of(0.5), y_of(5.5)), (x_of(3.0), y_of(3.0))], super::SHADE.filled()))
        .map_err(draw_err)?;
    root.draw(&Text::new("quick wins", (x_of(0.6), y_of(5.45)), small)).map_err(draw_err)?;
    for v in 1..=5 {
        let (x, y) = (x_of(f64::from(v)), y_of(f64::from(v)));
        root.draw(&PathElement::new(vec![(x, TOP), (x, TOP + PLOT_H)], GRID.stroke_width(1))).map_err(draw_err)?;
        root.draw(&PathElement::new(vec![(LEFT, y), (LEFT + PLOT_W, y)], GRID.stroke_width(1))).map_err(draw_err)?;
        root.draw(&Text::new(v.to_string(), (x, TOP + PLOT_H + 12), centred(12, super::MUTED))).map_err(draw_err)?;
        root.draw(&Text::new(v.to_string(), (LEFT - 14, y), centred(12, super::MUTED))).map_err(draw_err)?;
    }
    root.draw(&Text::new("effort →", (LEFT + PLOT_W / 2, HEIGHT as i32 - 16), centred(13, INK))).map_err(draw_err)?;
    root.draw(&Text::new("impact ↑", (8, 14), label)).map_err(draw_err)?;
    Ok(())
}

/// One marker and word per status along the top.
fn draw_status_legend(root: &Area) -> Result<()> {
    let small = (FONT, px(12.0)).into_font().color(&MUTED);
    let mut lx = LEFT + 60;
    for s in [InitiativeStatus::Done, InitiativeStatus::Doing, InitiativeStatus::Idea, InitiativeStatus::Dropped] {
        draw_marker(root, (lx, 14), s, 6)?;
        root.draw(&Text::new(s.word(), (lx + 10, 7), small.clone())).map_err(draw_err)?;
        lx += 78;
    }
    Ok(())
}

/// A numbered marker per initiative; up to three side by side on a shared cell, then further rows.
fn draw_dots(root: &Area, dots: &[Dot]) -> Result<()> {
    let mut per_cell: BTreeMap<(u8, u8), usize> = BTreeMap::new();
    for d in dots {
        let k = per_cell.entry((d.impact, d.effort)).or_insert(0);
        let offset = *k as i32;
        *k += 1;
        let dx = [0, 24, -24][(offset % 3) as usize];
        let (cx, cy) = (x_of(f64::from(d.effort)) + dx, y_of(f64::from(d.impact)) + (offset / 3) * 24);
        draw_marker(root, (cx, cy), d.status, 11)?;
        let ink = number_color(d.status);
        root.draw(&Text::new(d.number.to_string(), (cx, cy), centred(12, ink))).map_err(draw_err)?;
    }
    Ok(())
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
            area.draw(&Circle::new((x, y), r, super::PAPER.filled())).map_err(draw_err)?;
            area.draw(&Circle::new((x, y), r, color.stroke_width(2))).map_err(draw_err)
        }
    }
}
