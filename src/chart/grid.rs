//! The health heat-map: one row per team health metric, one column per ISO
//! week, each cell coloured and lettered (G/A/R) so colour is never alone.

use super::{accessible, draw_err, short_date, FONT, GRID, INK, MUTED};
use crate::error::Result;
use crate::model::Grade;
use crate::score::health::{HealthGrid, HealthRow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const GREEN_CELL: RGBColor = RGBColor(0x9f, 0xd8, 0xbf);
const AMBER_CELL: RGBColor = RGBColor(0xf6, 0xd2, 0x8b);
const RED_CELL: RGBColor = RGBColor(0xe8, 0x8f, 0x73);

/// The fill of a cell of status `r`.
fn cell_color(r: Grade) -> RGBColor {
    match r {
        Grade::Green => GREEN_CELL,
        Grade::Amber => AMBER_CELL,
        Grade::Red => RED_CELL,
    }
}

/// The letter in a cell of status `r`.
fn letter(r: Grade) -> &'static str {
    match r {
        Grade::Green => "G",
        Grade::Amber => "A",
        Grade::Red => "R",
    }
}

/// Width of one week's cell.
const CELL: i32 = 52;
/// Height of one row.
const ROW_H: i32 = 30;
/// Room above the first row for the week labels.
const TOP: i32 = 30;

type Area<'b> = DrawingArea<SVGBackend<'b>, Shift>;

/// Draws the grid of `rows` (indexes into `grid.rows`), labelled by metric;
/// with `team_labels` each row label starts with its team.
pub fn health_heatmap(id: &str, title: &str, grid: &HealthGrid, rows: &[usize], team_labels: bool) -> Result<String> {
    let label_w = if team_labels { 300 } else { 200 };
    let width = (label_w + CELL * grid.weeks.len().max(1) as i32 + 12) as u32;
    let height = (TOP + ROW_H * rows.len().max(1) as i32 + 12) as u32;
    let mut svg = String::new();
    let mut desc = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let small = (FONT, 12).into_font().color(&MUTED);
        for (j, week) in grid.weeks.iter().enumerate() {
            let x = label_w + CELL * j as i32;
            root.draw(&Text::new(short_date(*week), (x + 4, 8), small.clone())).map_err(draw_err)?;
        }
        for (i, &r) in rows.iter().enumerate() {
            let Some(row) = grid.rows.get(r) else { continue };
            let name = if team_labels { format!("{} · {}", row.team, row.metric) } else { row.metric.clone() };
            let seen = draw_row(&root, grid, row, &name, (label_w, TOP + ROW_H * i as i32))?;
            desc.push(format!("{name}: {}", if seen.is_empty() { "no checks".into() } else { seen.join(", ") }));
        }
        root.present().map_err(draw_err)?;
    }
    accessible(svg, id, title, &desc.join("; "))
}

/// One row's label and cells from `(x, y)`; returns the dated status of each checked week.
fn draw_row(root: &Area, grid: &HealthGrid, row: &HealthRow, name: &str, (x0, y): (i32, i32)) -> Result<Vec<String>> {
    let label = (FONT, 14).into_font().color(&INK);
    let in_cell = (FONT, 13).into_font().color(&INK).pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(name.to_string(), (8, y + 8), label)).map_err(draw_err)?;
    let mut seen = Vec::new();
    for (j, cell_status) in row.cells.iter().enumerate() {
        let x = x0 + CELL * j as i32;
        let rect = [(x + 1, y + 1), (x + CELL - 1, y + ROW_H - 1)];
        match cell_status {
            Some(s) => {
                root.draw(&Rectangle::new(rect, cell_color(*s).filled())).map_err(draw_err)?;
                root.draw(&Text::new(letter(*s), (x + CELL / 2, y + ROW_H / 2), in_cell.clone())).map_err(draw_err)?;
                seen.push(format!("{} {}", short_date(grid.weeks[j]), s.word()));
            }
            None => root.draw(&Rectangle::new(rect, GRID.stroke_width(1))).map_err(draw_err)?,
        }
    }
    Ok(seen)
}
